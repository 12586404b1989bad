//! Placeholder until this command lands.
use std::path::Path;
use std::process::ExitCode;

use crate::{Error, Result};

fn not_built() -> Error {
    Error::InvalidParameter { name: "command", reason: "not built yet".into() }
}

pub fn ingest(_index_dir: &Path, _paths: &[std::path::PathBuf], _json: bool) -> Result<ExitCode> { Err(not_built()) }
pub fn show(_index_dir: &Path, _id_or_number: &str, _json: bool) -> Result<ExitCode> { Err(not_built()) }
