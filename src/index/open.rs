//! Opening a built index for reading.

use std::path::Path;

use tantivy::Index;

use crate::{Error, Result};

use super::Fields;
use super::analysis;
use super::readonly;

/// Opens the index in `dir` for reading, with recueil's analyzers registered. It takes no lock
/// and writes nothing, so an index on a read-only filesystem is searched as any other.
pub fn open(dir: &Path) -> Result<(Index, Fields)> {
    let cannot = |e: &dyn std::fmt::Display| Error::Index(format!("cannot open index in {}: {e}", dir.display()).to_lowercase());
    let directory = readonly::ReadOnlyDirectory::open(dir).map_err(|e| cannot(&e))?;
    let index = Index::open(directory).map_err(|e| cannot(&e))?;
    analysis::register(index.tokenizers());
    let fields = Fields::of(&index.schema())?;
    Ok((index, fields))
}
