//! Placeholder until this command lands.
use std::path::Path;
use std::process::ExitCode;

use crate::{Error, Result};

fn not_built() -> Error {
    Error::InvalidParameter { name: "command", reason: "not built yet".into() }
}

pub fn serve(_index_dir: &Path, _addr: &str) -> Result<ExitCode> { Err(not_built()) }
