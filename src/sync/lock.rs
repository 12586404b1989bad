//! One sync at a time per index folder.

use std::fs::{self, File};
use std::path::Path;

use crate::{Error, Result};

/// One sync at a time per index folder: two would share `.part` files and the state file.
/// The lock is released when the returned file is dropped, or by the OS if the process dies.
pub(super) fn lock(sync_dir: &Path) -> Result<File> {
    let path = sync_dir.join("LOCK");
    let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => {
            Err(Error::Overloaded(format!("another sync is running on {}", sync_dir.display())))
        }
        Err(fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
    }
}
