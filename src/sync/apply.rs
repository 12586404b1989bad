//! One archive downloaded, verified and applied: its texts ingested, its deletions removed.

use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::index::store::Store;
use crate::ingest::{self, Rejected};
use crate::{Error, Result};

use super::fetch::Client;
use super::listing::Entry;
use super::state::Applied;
use super::verify;

/// Downloads, verifies and applies one archive. Applying is ingest (one commit) then deletions
/// (a second commit); both are idempotent, so an archive interrupted between them is simply
/// applied again by the next run, which the state file still points before.
pub(super) fn apply(
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

fn sha256_file(path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    io::copy(&mut f, &mut hasher).map_err(|e| Error::io(path, e))?;
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    fn record(number: &str, legifrance_id: Option<&str>) -> Record {
        // Invented records: only the ids matter here.
        Record {
            id: format!("cnil-{number}"),
            facts: crate::record::Facts { number: Some(number.into()), ..Default::default() },
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
