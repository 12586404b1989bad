//! `<index-dir>/sync/state.json`: which archives have been applied, written atomically so a
//! crash leaves either the old or the new file, never half of one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::listing::Kind;
use crate::{Error, Result};

const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    /// Stamp of the last archive applied; increments after it are what the next run fetches.
    pub last_stamp: Option<String>,
    /// Every archive applied, in order.
    pub applied: Vec<Applied>,
}

impl Default for State {
    fn default() -> Self {
        State { version: VERSION, last_stamp: None, applied: Vec::new() }
    }
}

/// One archive as it was applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    pub name: String,
    pub kind: Kind,
    pub stamp: String,
    pub bytes: u64,
    /// sha256 of the archive as downloaded, lowercase hex.
    pub sha256: String,
    pub applied_at: DateTime<Utc>,
    /// TEXTE_CNIL members verified in the archive.
    pub texts: usize,
    pub ingested: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// Records removed by the archive's deletion list.
    pub deleted: usize,
    /// Deletion-list lines that named no CNILTEXT id (a format change on DILA's side).
    pub unrecognised_deletions: usize,
}

impl State {
    pub fn path(sync_dir: &Path) -> PathBuf {
        sync_dir.join("state.json")
    }

    /// The state in `sync_dir`, or the empty state when there is none yet.
    pub fn load(sync_dir: &Path) -> Result<State> {
        let path = Self::path(sync_dir);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let state: State = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Serde(format!("sync state {}: {}", path.display(), e.to_string().to_lowercase())))?;
        if state.version != VERSION {
            return Err(Error::Serde(format!("sync state {}: unknown version {}", path.display(), state.version)));
        }
        Ok(state)
    }

    /// Writes a temporary file, fsyncs it, renames it over `state.json` and fsyncs the folder.
    pub fn save(&self, sync_dir: &Path) -> Result<()> {
        let path = Self::path(sync_dir);
        let tmp = sync_dir.join("state.json.tmp");
        let json = serde_json::to_vec_pretty(self)?;
        let mut f = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(&json).and_then(|_| f.sync_all()).map_err(|e| Error::io(&tmp, e))?;
        drop(f);
        fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        fs::File::open(sync_dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(sync_dir, e))
    }

    pub fn record(&mut self, applied: Applied) {
        self.last_stamp = Some(applied.stamp.clone());
        self.applied.push(applied);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(stamp: &str) -> Applied {
        Applied {
            name: format!("CNIL_{stamp}.tar.gz"),
            kind: Kind::Increment,
            stamp: stamp.into(),
            bytes: 10,
            sha256: "00".into(),
            applied_at: Utc::now(),
            texts: 1,
            ingested: 1,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            deleted: 0,
            unrecognised_deletions: 0,
        }
    }

    #[test]
    fn missing_state_is_empty_and_save_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), State::default());
        let mut s = State::default();
        s.record(applied("20250712-000000"));
        s.record(applied("20250719-000000"));
        s.save(dir.path()).unwrap();
        let back = State::load(dir.path()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.last_stamp.as_deref(), Some("20250719-000000"));
        assert!(!dir.path().join("state.json.tmp").exists());
    }

    #[test]
    fn corrupt_or_foreign_state_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(State::path(dir.path()), b"{\"version\":1,\"last_st").unwrap();
        let e = State::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("sync state"), "{e}");
        fs::write(State::path(dir.path()), br#"{"version":7,"last_stamp":null,"applied":[]}"#).unwrap();
        let e = State::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("unknown version 7"), "{e}");
    }
}
