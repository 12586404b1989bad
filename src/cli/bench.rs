//! `recueil bench`: see [`crate::bench`].
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::bench::{self, Options};
use crate::{Error, Result};

/// Seed of the synthetic corpus: fixed so that two runs measure the same documents.
const SEED: u64 = 0x5EC0_CA1E;

/// Where the real texts are read, relative to the project root unless `RECUEIL_DATA_DIR`
/// says otherwise.
const DEFAULT_DATA_DIR: &str = "../shared/data";

pub fn bench(index_dir: &Path, docs: usize, reps: Option<usize>, json: Option<&Path>, queries_only: bool) -> Result<ExitCode> {
    let data_dir = std::env::var_os("RECUEIL_DATA_DIR").map_or_else(|| PathBuf::from(DEFAULT_DATA_DIR), PathBuf::from);
    let opts = Options { docs, seed: SEED, data_dir, work_dir: index_dir.to_path_buf(), reps };
    let (text, body) = if queries_only {
        let report = bench::run_queries(&opts)?;
        (bench::render_queries(&report), serde_json::to_string_pretty(&report)?)
    } else {
        let report = bench::run(&opts)?;
        (bench::render(&report), serde_json::to_string_pretty(&report)?)
    };
    super::output::print(&text)?;
    if let Some(path) = json {
        std::fs::write(path, body + "\n").map_err(|e| Error::io(path, e))?;
    }
    Ok(ExitCode::SUCCESS)
}
