//! Placeholder until this command lands.
use std::path::Path;
use std::process::ExitCode;

use crate::{Error, Result};

fn not_built() -> Error {
    Error::InvalidParameter { name: "command", reason: "not built yet".into() }
}

pub fn sync(_index_dir: &Path, _from: &str, _json: bool) -> Result<ExitCode> { Err(not_built()) }
