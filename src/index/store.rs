//! The durable record store under `--index-dir`.
//!
//! ```text
//! <index-dir>/CURRENT                names the current generation ("gen-7")
//! <index-dir>/LOCK                   held (flock) by the one process committing
//! <index-dir>/gen-<N>/records.jsonl  every record, one JSON object per line
//! <index-dir>/gen-<N>/texts.bin      their texts, verbatim and back to back (for snippets)
//! <index-dir>/gen-<N>/tantivy/       the search index of those records
//! <index-dir>/gen-<N>/manifest.json  record count, sizes and sha256 of records.jsonl, written last
//! ```
//!
//! A commit writes a whole new generation beside the current one, fsyncs it, and only then
//! switches `CURRENT` by renaming a fsynced temporary file over it and fsyncing the folder.
//! A crash at any point before that rename leaves the old generation current; the half-written
//! one has no manifest and is never read, and the next commit removes it. The previous
//! generation is kept for fallback; older ones are removed.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::index::Location;
use crate::record::Record;
use crate::{Error, Result};

const CURRENT: &str = "CURRENT";
const MANIFEST: &str = "manifest.json";
const RECORDS: &str = "records.jsonl";
const TEXTS: &str = "texts.bin";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub id: u64,
    pub dir: PathBuf,
}

impl Generation {
    pub fn records_path(&self) -> PathBuf {
        self.dir.join(RECORDS)
    }

    /// Every record's text, verbatim and back to back, at the offsets the index stores.
    pub fn texts_path(&self) -> PathBuf {
        self.dir.join(TEXTS)
    }

    pub fn tantivy_dir(&self) -> PathBuf {
        self.dir.join("tantivy")
    }

    /// The number of records the manifest declares, once `records.jsonl` is found to have the
    /// size it declares: a cheap check for a reader, where hashing gigabytes would not be.
    pub fn record_count(&self) -> Result<usize> {
        let manifest = read_manifest(self)?;
        for (path, expected) in [(self.records_path(), manifest.bytes), (self.texts_path(), manifest.text_bytes)] {
            let bytes = fs::metadata(&path).map_err(|e| Error::io(&path, e))?.len();
            if bytes != expected {
                return Err(Error::Index(format!(
                    "gen-{} {} holds {bytes} bytes, its manifest says {expected}",
                    self.id,
                    path.file_name().unwrap_or_default().to_string_lossy()
                )));
            }
        }
        Ok(manifest.records)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    generation: u64,
    records: usize,
    /// Sizes of records.jsonl and texts.bin: checked when a generation is opened for search,
    /// where hashing gigabytes would cost seconds.
    bytes: u64,
    text_bytes: u64,
    sha256: String,
}

#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Opens the store at `root` without creating or locking anything, so that a reader works
    /// on a read-only folder; the folder is created by the first commit.
    pub fn open(root: impl AsRef<Path>) -> Result<Store> {
        let root = root.as_ref().to_path_buf();
        if root.exists() && !root.is_dir() {
            return Err(Error::Index(format!("{} is not a folder", root.display())));
        }
        Ok(Store { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn generation(&self, id: u64) -> Generation {
        Generation { id, dir: self.root.join(format!("gen-{id}")) }
    }

    /// The generation `CURRENT` names; `None` before the first commit.
    pub fn current(&self) -> Result<Option<Generation>> {
        let path = self.root.join(CURRENT);
        let name = match fs::read_to_string(&path) {
            Ok(name) => name,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let id = parse_gen_name(name.trim())
            .ok_or_else(|| Error::Index(format!("CURRENT holds {:?}, not a generation name", name.trim())))?;
        let generation = self.generation(id);
        if !generation.dir.join(MANIFEST).is_file() {
            return Err(Error::Index(format!("CURRENT names gen-{id}, which is missing or incomplete")));
        }
        Ok(Some(generation))
    }

    /// The newest complete generation older than the current one.
    pub fn previous(&self) -> Result<Option<Generation>> {
        let Some(current) = self.current()? else {
            return Ok(None);
        };
        Ok(self
            .generation_ids()?
            .into_iter()
            .filter(|&id| id < current.id)
            .map(|id| self.generation(id))
            .filter(|g| g.dir.join(MANIFEST).is_file())
            .max_by_key(|g| g.id))
    }

    /// Every record of the current generation, checked against its manifest.
    pub fn records(&self) -> Result<Vec<Record>> {
        match self.current()? {
            Some(generation) => read_generation(&generation),
            None => Ok(Vec::new()),
        }
    }

    /// Writes `records` as a new generation and makes it current (see the module doc).
    pub fn commit(&self, records: Vec<Record>) -> Result<Generation> {
        self.commit_stream(records.into_iter().map(Ok))
    }

    /// As [`Store::commit`], for records produced one by one (and too many to hold at once);
    /// the first error ends the commit and leaves the current generation as it was.
    pub fn commit_stream(&self, records: impl IntoIterator<Item = Result<Record>>) -> Result<Generation> {
        let _lock = self.lock()?;
        self.commit_locked(records)
    }

    /// As [`Store::commit`], but only if the current generation is still `base`: a caller
    /// that read the records, changed them and commits them back must not overwrite what
    /// another process committed in between.
    pub fn commit_on(&self, base: Option<u64>, records: Vec<Record>) -> Result<Generation> {
        let _lock = self.lock()?;
        let now = self.current()?.map(|g| g.id);
        if now != base {
            return Err(Error::Index(format!(
                "the index changed during this run (generation {} is now current); run it again",
                now.map_or("none".to_string(), |id| id.to_string())
            )));
        }
        self.commit_locked(records.into_iter().map(Ok))
    }

    fn lock(&self) -> Result<File> {
        fs::create_dir_all(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let path = self.root.join("LOCK");
        let file =
            File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(Error::Overloaded(format!("another process is writing to {}", self.root.display())))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
        }
    }

    fn commit_locked(&self, records: impl IntoIterator<Item = Result<Record>>) -> Result<Generation> {
        let current = self.current()?;
        let previous = self.previous()?;
        let keep =
            |id: u64| current.as_ref().is_some_and(|g| g.id == id) || previous.as_ref().is_some_and(|g| g.id == id);
        let existing = self.generation_ids()?;
        // Ids only grow, so a leftover of a crashed commit is never mistaken for a new one.
        let next = self.generation(existing.iter().max().map_or(1, |m| m + 1));
        for id in existing.into_iter().filter(|&id| !keep(id)) {
            remove_generation(&self.generation(id));
        }

        fs::create_dir(&next.dir).map_err(|e| Error::io(&next.dir, e))?;
        let written = write_generation(&next, records).and_then(|()| self.switch_current(&next));
        if let Err(e) = written {
            remove_generation(&next);
            return Err(e);
        }

        if let Some(old) = previous {
            remove_generation(&old);
        }
        Ok(next)
    }

    fn switch_current(&self, generation: &Generation) -> Result<()> {
        let tmp = self.root.join("CURRENT.tmp");
        write_synced(&tmp, format!("gen-{}\n", generation.id).as_bytes())?;
        let current = self.root.join(CURRENT);
        fs::rename(&tmp, &current).map_err(|e| Error::io(&current, e))?;
        sync_dir(&self.root)
    }

    fn generation_ids(&self) -> Result<Vec<u64>> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&self.root, e)),
        };
        Ok(entries.filter_map(|e| e.ok()).filter_map(|e| parse_gen_name(&e.file_name().to_string_lossy())).collect())
    }
}

fn parse_gen_name(name: &str) -> Option<u64> {
    name.strip_prefix("gen-").filter(|n| n.bytes().all(|b| b.is_ascii_digit())).and_then(|n| n.parse().ok())
}

fn remove_generation(generation: &Generation) {
    if let Err(e) = fs::remove_dir_all(&generation.dir) {
        tracing::warn!("could not remove {}: {e}", generation.dir.display());
    }
}

/// Everything of a generation but the switch: records and index side by side, then the
/// manifest. Records stream through: neither side holds them all.
fn write_generation(generation: &Generation, records: impl IntoIterator<Item = Result<Record>>) -> Result<()> {
    let tantivy = generation.tantivy_dir();
    fs::create_dir(&tantivy).map_err(|e| Error::io(&tantivy, e))?;
    let mut index = crate::index::Builder::create(&tantivy)?;
    let mut lines = RecordsWriter::create(generation)?;
    let mut ids = std::collections::HashSet::new();
    for record in records {
        let record = record?;
        if !ids.insert(record.id.clone()) {
            return Err(Error::Index(format!("duplicate record id {}", record.id)));
        }
        let at = lines.append(&record)?;
        index.add(&record, at)?;
    }
    let manifest = lines.finish(generation.id)?;
    index.finish()?;
    crate::index::validate(&tantivy, manifest.records)?;
    write_manifest(generation, &manifest)
}

/// Appends records to `records.jsonl`, one JSON line each, hashing as it goes, and their
/// texts to `texts.bin`.
struct RecordsWriter {
    path: PathBuf,
    out: BufWriter<File>,
    hash: Sha256,
    records: usize,
    bytes: u64,
    texts_path: PathBuf,
    texts: BufWriter<File>,
    text_bytes: u64,
}

impl RecordsWriter {
    fn create(generation: &Generation) -> Result<RecordsWriter> {
        let create = |path: &Path| File::create(path).map(BufWriter::new).map_err(|e| Error::io(path, e));
        let (path, texts_path) = (generation.records_path(), generation.texts_path());
        Ok(RecordsWriter {
            out: create(&path)?,
            path,
            hash: Sha256::new(),
            records: 0,
            bytes: 0,
            texts: create(&texts_path)?,
            texts_path,
            text_bytes: 0,
        })
    }

    fn append(&mut self, record: &Record) -> Result<Location> {
        let mut line = serde_json::to_vec(record)?;
        let at = Location {
            offset: self.bytes,
            len: line.len() as u64,
            text_offset: self.text_bytes,
            text_len: record.text.len() as u64,
        };
        line.push(b'\n');
        self.hash.update(&line);
        self.out.write_all(&line).map_err(|e| Error::io(&self.path, e))?;
        self.texts.write_all(record.text.as_bytes()).map_err(|e| Error::io(&self.texts_path, e))?;
        self.records += 1;
        self.bytes += line.len() as u64;
        self.text_bytes += at.text_len;
        Ok(at)
    }

    /// Flushes and fsyncs; the manifest to write once the index is built too.
    fn finish(self, generation: u64) -> Result<Manifest> {
        for (path, out) in [(&self.path, self.out), (&self.texts_path, self.texts)] {
            let file = out.into_inner().map_err(|e| Error::io(path, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(path, e))?;
        }
        Ok(Manifest {
            generation,
            records: self.records,
            bytes: self.bytes,
            text_bytes: self.text_bytes,
            sha256: hex::encode(self.hash.finalize()),
        })
    }
}

/// The manifest marks a generation complete, so it is written last, after the index.
fn write_manifest(generation: &Generation, manifest: &Manifest) -> Result<()> {
    write_synced(&generation.dir.join(MANIFEST), &serde_json::to_vec_pretty(manifest)?)?;
    sync_dir(&generation.dir)
}

fn read_manifest(generation: &Generation) -> Result<Manifest> {
    let path = generation.dir.join(MANIFEST);
    serde_json::from_slice(&fs::read(&path).map_err(|e| Error::io(&path, e))?)
        .map_err(|e| Error::Index(format!("gen-{} manifest unreadable: {e}", generation.id)))
}

fn read_generation(generation: &Generation) -> Result<Vec<Record>> {
    let manifest = read_manifest(generation)?;
    let path = generation.records_path();
    let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut hash = Sha256::new();
    let mut records = Vec::with_capacity(manifest.records);
    for (n, line) in BufReader::new(file).split(b'\n').enumerate() {
        let line = line.map_err(|e| Error::io(&path, e))?;
        hash.update(&line);
        hash.update(b"\n");
        let record = serde_json::from_slice(&line)
            .map_err(|e| Error::Index(format!("gen-{} record {} unreadable: {e}", generation.id, n + 1)))?;
        records.push(record);
    }
    if hex::encode(hash.finalize()) != manifest.sha256 || records.len() != manifest.records {
        return Err(Error::Index(format!(
            "gen-{} records.jsonl does not match its manifest ({} records read, {} expected, or checksum differs)",
            generation.id,
            records.len(),
            manifest.records
        )));
    }
    Ok(records)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = File::create(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    file.sync_all().map_err(|e| Error::io(path, e))
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> Record {
        Record { id: id.into(), authority: "CNIL".into(), text: format!("texte {id}"), ..Record::default() }
    }

    /// Lays a complete generation by the store's own steps, short of the tantivy index (whose
    /// builder belongs to the search module and is tested there).
    fn lay(store: &Store, id: u64, records: &[Record]) -> Generation {
        fs::create_dir_all(store.root()).unwrap();
        let generation = store.generation(id);
        fs::create_dir(&generation.dir).unwrap();
        let mut lines = RecordsWriter::create(&generation).unwrap();
        for r in records {
            lines.append(r).unwrap();
        }
        write_manifest(&generation, &lines.finish(id).unwrap()).unwrap();
        generation
    }

    #[test]
    fn empty_store_has_no_records() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("index")).unwrap();
        assert_eq!(store.current().unwrap(), None);
        assert_eq!(store.previous().unwrap(), None);
        assert!(store.records().unwrap().is_empty());
    }

    #[test]
    fn current_switch_and_previous() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let g1 = lay(&store, 1, &[record("a")]);
        store.switch_current(&g1).unwrap();
        let g2 = lay(&store, 2, &[record("a"), record("b")]);
        assert_eq!(store.records().unwrap().len(), 1, "a laid generation is not read before the switch");
        store.switch_current(&g2).unwrap();
        assert_eq!(store.records().unwrap(), vec![record("a"), record("b")]);
        assert_eq!(store.previous().unwrap(), Some(g1));
    }

    #[test]
    fn half_written_generation_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let g1 = lay(&store, 1, &[record("a")]);
        store.switch_current(&g1).unwrap();
        // A crash mid-commit: records half written, no manifest, CURRENT untouched.
        fs::create_dir(dir.path().join("gen-2")).unwrap();
        fs::write(dir.path().join("gen-2").join(RECORDS), b"{\"id\":\"b\",").unwrap();
        fs::write(dir.path().join("CURRENT.tmp"), b"gen-2").unwrap();
        assert_eq!(store.current().unwrap(), Some(g1.clone()));
        assert_eq!(store.records().unwrap(), vec![record("a")]);
        assert_eq!(store.previous().unwrap(), None);
    }

    #[test]
    fn corrupt_records_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let g1 = lay(&store, 1, &[record("a"), record("b")]);
        store.switch_current(&g1).unwrap();
        let text = fs::read_to_string(g1.records_path()).unwrap();
        fs::write(g1.records_path(), text.replace("texte a", "texte z")).unwrap();
        let err = store.records().unwrap_err().to_string();
        assert!(err.contains("does not match its manifest"), "{err}");
        fs::write(dir.path().join(CURRENT), "gen-9\n").unwrap();
        assert!(store.current().unwrap_err().to_string().contains("gen-9, which is missing"));
        fs::write(dir.path().join(CURRENT), "../etc\n").unwrap();
        assert!(store.current().unwrap_err().to_string().contains("not a generation name"));
    }

    #[test]
    fn commit_refuses_duplicates_and_stale_base_and_a_second_writer() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let err = store.commit(vec![record("a"), record("a")]).unwrap_err();
        assert!(err.to_string().contains("duplicate record id a"));
        let g1 = lay(&store, 1, &[record("a")]);
        store.switch_current(&g1).unwrap();
        let err = store.commit_on(None, vec![record("b")]).unwrap_err();
        assert!(err.to_string().contains("index changed during this run"));
        let held = store.lock().unwrap();
        assert_eq!(store.commit(vec![record("b")]).unwrap_err().code(), "overloaded");
        drop(held);
        assert_eq!(store.current().unwrap(), Some(g1));
    }
}
