//! Downloads no longer to be applied, removed.

use std::fs;
use std::path::Path;

use crate::{Error, Result};

use super::listing::{self, Entry};

/// Removes downloads (whole or partial) of archives no longer to be applied: already applied
/// by a run that stopped before cleaning up, or withdrawn from the listing.
pub(super) fn prune(sync_dir: &Path, todo: &[Entry]) -> Result<()> {
    for file in fs::read_dir(sync_dir).map_err(|e| Error::io(sync_dir, e))? {
        let file = file.map_err(|e| Error::io(sync_dir, e))?;
        let name = file.file_name().to_string_lossy().into_owned();
        let archive = name.trim_end_matches(".validator").trim_end_matches(".part");
        if listing::Entry::from_name(archive).is_some() && !todo.iter().any(|e| e.name == archive) {
            let path = file.path();
            fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}
