//! Placeholder until this command lands.
use std::path::Path;
use std::process::ExitCode;

use crate::{Error, Result};

fn not_built() -> Error {
    Error::InvalidParameter { name: "command", reason: "not built yet".into() }
}

pub fn search(_index_dir: &Path, _query: &str, _limit: usize, _sort: crate::search::SortBy, _json: bool) -> Result<ExitCode> { Err(not_built()) }
pub fn eval_search(_index_dir: &Path, _queries: &Path, _json: bool) -> Result<ExitCode> { Err(not_built()) }
