//! Keeps the knowledge base current from DILA's open-data server: read the directory listing,
//! download the archives not applied yet (resumably, within a size cap), verify each one, then
//! ingest it and apply its deletion list, recording every applied archive in a state file.

mod apply;
pub mod fetch;
pub mod listing;
mod lock;
mod prune;
mod report;
pub mod state;
pub mod verify;

use std::fs;
use std::path::Path;

use crate::index::store::Store;
use crate::ingest;
use crate::{Error, Result};

use apply::apply;
use fetch::{Client, Limits};
use lock::lock;
use prune::prune;
use state::State;

pub use report::{Failure, SyncReport};

#[derive(Debug, Clone)]
pub struct Options {
    /// The directory listing of DILA's CNIL fund.
    pub from: String,
    pub limits: Limits,
}

/// Brings the store under `index_dir` up to date with the listing at `opts.from`. Errors before
/// any archive is tried (listing unreachable, corrupt state, another sync running) are `Err`;
/// a failing archive ends the run with `failed` set, keeping what was applied before it.
pub fn run(index_dir: &Path, opts: &Options) -> Result<SyncReport> {
    run_reporting(index_dir, opts, &ingest::Quiet)
}

/// [`run`], telling `progress` of each source its archives' ingests read.
pub fn run_reporting(index_dir: &Path, opts: &Options, progress: &dyn ingest::Progress) -> Result<SyncReport> {
    let sync_dir = index_dir.join("sync");
    fs::create_dir_all(&sync_dir).map_err(|e| Error::io(&sync_dir, e))?;
    let _lock = lock(&sync_dir)?;
    let mut state = State::load(&sync_dir)?;
    let client = Client::new(opts.limits.clone());
    let base = if opts.from.ends_with('/') { opts.from.clone() } else { format!("{}/", opts.from) };
    let entries = listing::parse_listing(&client.listing(&base)?)?;
    let todo = listing::plan(&entries, state.last_stamp.as_deref())?;
    prune(&sync_dir, &todo)?;
    let store = Store::open(index_dir)?;
    let mut report = SyncReport {
        from: base.clone(),
        listed: entries.len(),
        caught_up_from_global: state.last_stamp.is_some()
            && todo.first().is_some_and(|e| e.kind == listing::Kind::Global),
        applied: Vec::new(),
        rejected: Vec::new(),
        failed: None,
        pending: Vec::new(),
    };
    for (i, entry) in todo.iter().enumerate() {
        match apply(&client, &store, &sync_dir, &base, entry, progress) {
            Ok((applied, rejected)) => {
                state.record(applied.clone());
                state.save(&sync_dir)?;
                let done = sync_dir.join(&entry.name);
                fs::remove_file(&done).map_err(|e| Error::io(&done, e))?;
                report.applied.push(applied);
                report.rejected.extend(rejected);
            }
            Err(e) => {
                report.failed = Some(Failure { archive: entry.name.clone(), code: e.code(), message: e.to_string() });
                report.pending = todo[i..].iter().map(|e| e.name.clone()).collect();
                break;
            }
        }
    }
    Ok(report)
}
