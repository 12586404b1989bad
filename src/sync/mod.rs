//! Keeps the knowledge base current from DILA's open-data server: read the directory listing,
//! download the archives not applied yet (resumably, within a size cap), verify each one, then
//! ingest it and apply its deletion list, recording every applied archive in a state file.

pub mod fetch;
pub mod listing;
pub mod state;
pub mod verify;

use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::index::store::Store;
use crate::ingest::{self, Rejected};
use crate::{Error, Result};
use fetch::{Client, Limits};
use listing::Entry;
use state::{Applied, State};

#[derive(Debug, Clone)]
pub struct Options {
    /// The directory listing of DILA's CNIL fund.
    pub from: String,
    pub limits: Limits,
}

/// What one run did. A run stops at the first archive that fails (download, verification or
/// apply): that archive and the ones after it stay pending, and the next run starts there.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub from: String,
    /// Archives the listing names.
    pub listed: usize,
    /// The listing no longer reached back to the last archive applied (DILA removes old
    /// ones), so this run caught up from the newest global archive. Texts withdrawn in the
    /// gap stay: only increments' deletion lists name them.
    pub caught_up_from_global: bool,
    /// Archives applied by this run, in order.
    pub applied: Vec<Applied>,
    /// Members that ingest refused in the applied archives.
    pub rejected: Vec<Rejected>,
    pub failed: Option<Failure>,
    /// Archives left for the next run (the failed one first).
    pub pending: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub archive: String,
    /// [`Error::code`] of the failure.
    pub code: &'static str,
    pub message: String,
}

impl SyncReport {
    pub fn nothing_new(&self) -> bool {
        self.applied.is_empty() && self.failed.is_none()
    }
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

/// Downloads, verifies and applies one archive. Applying is ingest (one commit) then deletions
/// (a second commit); both are idempotent, so an archive interrupted between them is simply
/// applied again by the next run, which the state file still points before.
fn apply(
    client: &Client,
    store: &Store,
    sync_dir: &Path,
    base: &str,
    entry: &Entry,
    progress: &dyn ingest::Progress,
) -> Result<(Applied, Vec<Rejected>)> {
    let t = Instant::now();
    let downloaded = client.download(&format!("{base}{}", entry.name), sync_dir, &entry.name)?;
    tracing::info!(archive = %entry.name, bytes = downloaded.bytes, resumed_from = downloaded.resumed_from, ms = t.elapsed().as_millis() as u64, "downloaded");
    let t = Instant::now();
    let verified = match verify::verify(&downloaded.path, entry.kind) {
        Ok(v) => v,
        Err(e) => {
            // A bad archive is fetched afresh next run (DILA may have replaced it by then).
            // The rejection is what the user needs to see, so a failed removal is only logged.
            if let Err(rm) = fs::remove_file(&downloaded.path) {
                tracing::warn!(path = %downloaded.path.display(), error = %rm, "could not remove a rejected archive");
            }
            return Err(e);
        }
    };
    let sha256 = sha256_file(&downloaded.path)?;
    tracing::info!(archive = %entry.name, texts = verified.texts, ms = t.elapsed().as_millis() as u64, "verified");
    let t = Instant::now();
    let ingested = ingest::ingest_paths_reporting(store, std::slice::from_ref(&downloaded.path), progress)?;
    let deleted = delete(store, &verified.deletions)?;
    tracing::info!(archive = %entry.name, ms = t.elapsed().as_millis() as u64, "applied");
    let applied = Applied {
        name: entry.name.clone(),
        kind: entry.kind,
        stamp: entry.stamp.clone(),
        bytes: downloaded.bytes,
        sha256,
        applied_at: chrono::Utc::now(),
        texts: verified.texts,
        ingested: ingested.ingested,
        updated: ingested.updated,
        unchanged: ingested.unchanged,
        rejected: ingested.rejected.len(),
        deleted,
        unrecognised_deletions: verified.unrecognised_deletions,
    };
    Ok((applied, ingested.rejected))
}

/// Removes the readings that `ids` (Légifrance ids of DILA's deletion list) name from their
/// decisions, and the decisions left without a reading, in one commit; returns the readings
/// removed.
fn delete(store: &Store, ids: &[String]) -> Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let change = store.begin()?;
    let (merged, removed) = ingest::merge::remove_readings(&change, ids, chrono::Utc::now())?;
    change.commit(merged.put, &merged.remove)?;
    Ok(removed)
}

/// Removes downloads (whole or partial) of archives no longer to be applied: already applied
/// by a run that stopped before cleaning up, or withdrawn from the listing.
fn prune(sync_dir: &Path, todo: &[Entry]) -> Result<()> {
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

fn sha256_file(path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    io::copy(&mut f, &mut hasher).map_err(|e| Error::io(path, e))?;
    Ok(hex::encode(hasher.finalize()))
}

/// One sync at a time per index folder: two would share `.part` files and the state file.
/// The lock is released when the returned file is dropped, or by the OS if the process dies.
fn lock(sync_dir: &Path) -> Result<File> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    fn record(number: &str, legifrance_id: Option<&str>) -> Record {
        // Invented records: only the ids matter here.
        Record {
            id: format!("cnil-{number}"),
            number: Some(number.into()),
            legifrance_id: legifrance_id.map(String::from),
            authority: "CNIL".into(),
            text: format!("Texte inventé {number}."),
            source: crate::record::Source {
                format: crate::record::SourceFormat::DilaXml,
                path: format!("{number}.xml"),
                sha256: "0".repeat(64),
            },
            ..Record::default()
        }
    }

    #[test]
    fn deletions_remove_the_readings_they_name_and_commit_only_on_change() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let records = vec![
            record("SAN-2099-001", Some("CNILTEXT000099000001")),
            record("SAN-2099-002", Some("CNILTEXT000099000002")),
            record("SAN-2099-003", None),
        ];
        crate::ingest::ingest_records(&store, records).unwrap();
        let generation = || store.current().unwrap().unwrap().id;
        let before = generation();
        assert_eq!(delete(&store, &[]).unwrap(), 0);
        assert_eq!(delete(&store, &["CNILTEXT000099000009".into()]).unwrap(), 0);
        assert_eq!(generation(), before, "nothing removed, nothing committed");
        let gone = ["CNILTEXT000099000001".into(), "CNILTEXT000099000002".into(), "CNILTEXT000099000009".into()];
        assert_eq!(delete(&store, &gone).unwrap(), 2);
        assert_eq!(generation(), before + 1);
        let left: Vec<String> = store.decisions().unwrap().into_iter().map(|d| d.id).collect();
        assert_eq!(left, ["cnil-SAN-2099-003"]);
    }
}
