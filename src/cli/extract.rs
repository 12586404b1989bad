//! Placeholder until this command lands.
use std::path::Path;
use std::process::ExitCode;

use crate::{Error, Result};

fn not_built() -> Error {
    Error::InvalidParameter { name: "command", reason: "not built yet".into() }
}

pub fn extract(_file: &Path, _json: bool) -> Result<ExitCode> { Err(not_built()) }
pub fn eval(_gold: &Path, _json: bool) -> Result<ExitCode> { Err(not_built()) }
