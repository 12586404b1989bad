//! The durable decision store under `--index-dir`.
//!
//! ```text
//! <index-dir>/CURRENT                       names the current generation ("gen-7")
//! <index-dir>/LOCK                          held (flock) by the one process committing
//! <index-dir>/gen-<N>/decisions-<C>.jsonl   chunk C: decisions, one JSON object per line
//! <index-dir>/gen-<N>/texts-<C>.bin         their passage sources, verbatim (for snippets)
//! <index-dir>/gen-<N>/texts-<C>.crc         the crc32 of every 4 KiB block of texts-<C>.bin
//! <index-dir>/gen-<N>/tantivy/              the search index
//! <index-dir>/gen-<N>/manifest.json         layout, decision count, every chunk's size and sha256; written last
//! ```
//!
//! Chunks and tantivy segments are written once and never changed, so a commit makes the next
//! generation out of hard links to the current one's files, appends one chunk holding the
//! decisions it adds or replaces, and deletes and adds their documents in a copy of the index:
//! ingesting N decisions costs what N decisions cost, whatever the store holds. A decision
//! replaced or removed stays in its old chunk as dead bytes until a compaction rewrites the
//! store, which happens when the dead bytes outweigh the live ones or the chunks grow many.
//!
//! The generation is fsynced, and only then `CURRENT` switched by renaming a fsynced
//! temporary file over it and fsyncing the folder. A crash at any point before that rename
//! leaves the old generation current; the half-written one has no manifest and is never read,
//! and the next commit removes it. The previous generation is kept for fallback; older ones are
//! removed (their files live on as links while a later generation uses them).
//!
//! Every read is checked: a decision line against the crc32 its index entry stores, the bytes of
//! a passage source against the crc32 of the blocks they lie in. Opening a generation checks the
//! sizes the manifest declares and the block checksums' own sha256. A reader opens the newest
//! intact generation (`CURRENT`'s, else an older one); a writer starts from it too, and when no
//! generation is intact, rewrites the store from the decisions whose lines still verify.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::index::{self, Location, Lookup, TextAt};
use crate::record::{Decision, Language};
use crate::{Error, Result};

const CURRENT: &str = "CURRENT";
const MANIFEST: &str = "manifest.json";
/// The layout this version writes and reads. Layout 1 (`records.jsonl` of source records) is
/// refused with what to run.
pub const LAYOUT: u32 = 3;
/// Bytes of passage source under one crc32 of `texts-<C>.crc`: a snippet reads at most two
/// blocks more than its paragraph.
const TEXT_BLOCK: u64 = 4096;
/// Chunks beyond which a commit compacts the store.
const MAX_CHUNKS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub id: u64,
    pub dir: PathBuf,
}

/// What a generation holds, written last: its presence marks the generation complete.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// 0 for a manifest of layout 1, which had no such field.
    #[serde(default)]
    pub layout: u32,
    pub generation: u64,
    #[serde(default)]
    pub decisions: usize,
    /// The `seq` of the next decision added: a stable tie-break for sorting and cursors.
    #[serde(default)]
    pub next_seq: u64,
    #[serde(default)]
    pub chunks: Vec<Chunk>,
    /// Bytes of chunks that hold replaced or removed decisions.
    #[serde(default)]
    pub dead_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    pub id: u32,
    pub bytes: u64,
    pub text_bytes: u64,
    /// sha256 of the decisions file, of the texts file and of the texts' block checksums.
    pub sha256: String,
    pub text_sha256: String,
    pub text_crc_sha256: String,
}

/// Bytes of `texts-<C>.crc` for `text_bytes` of passage sources.
fn crc_file_len(text_bytes: u64) -> u64 {
    text_bytes.div_ceil(TEXT_BLOCK) * 4
}

impl Generation {
    pub fn decisions_path(&self, chunk: u32) -> PathBuf {
        self.dir.join(format!("decisions-{chunk:06}.jsonl"))
    }

    pub fn texts_path(&self, chunk: u32) -> PathBuf {
        self.dir.join(format!("texts-{chunk:06}.bin"))
    }

    pub fn text_crcs_path(&self, chunk: u32) -> PathBuf {
        self.dir.join(format!("texts-{chunk:06}.crc"))
    }

    /// Whether the generation was completed (its manifest, written last, is there).
    fn is_complete(&self) -> bool {
        self.dir.join(MANIFEST).is_file()
    }

    pub fn tantivy_dir(&self) -> PathBuf {
        self.dir.join("tantivy")
    }

    /// The manifest, refused when it is of another layout.
    pub fn manifest(&self) -> Result<Manifest> {
        let path = self.dir.join(MANIFEST);
        let manifest: Manifest = serde_json::from_slice(&fs::read(&path).map_err(|e| Error::io(&path, e))?)
            .map_err(|e| Error::Index(format!("gen-{} manifest unreadable: {e}", self.id)))?;
        if manifest.layout != LAYOUT {
            let root = self.dir.parent().unwrap_or(&self.dir).display();
            return Err(Error::Index(format!(
                "the index in {root} was written by another version of recueil (layout {}, this one reads {LAYOUT}); \
                 move it away and ingest the sources again (`mv {root} {root}.old && recueil ingest …`)",
                manifest.layout.max(1)
            )));
        }
        Ok(manifest)
    }

    /// The manifest, once every chunk is found to have the size it declares: a cheap check for
    /// a reader, where hashing gigabytes would not be.
    pub fn checked_manifest(&self) -> Result<Manifest> {
        let manifest = self.manifest()?;
        for chunk in &manifest.chunks {
            for (path, expected) in [
                (self.decisions_path(chunk.id), chunk.bytes),
                (self.texts_path(chunk.id), chunk.text_bytes),
                (self.text_crcs_path(chunk.id), crc_file_len(chunk.text_bytes)),
            ] {
                let bytes = fs::metadata(&path).map_err(|e| Error::io(&path, e))?.len();
                if bytes != expected {
                    return Err(Error::Index(format!(
                        "gen-{} {} holds {bytes} bytes, its manifest says {expected}",
                        self.id,
                        path.file_name().unwrap_or_default().to_string_lossy()
                    )));
                }
            }
        }
        Ok(manifest)
    }
}

/// The chunk files of a generation, open for positioned reads, with the block checksums of
/// their passage sources.
pub struct ChunkFiles {
    files: HashMap<u32, OpenChunk>,
}

struct OpenChunk {
    decisions: File,
    texts: File,
    text_bytes: u64,
    /// crc32 of each [`TEXT_BLOCK`] of `texts`.
    text_crcs: Vec<u32>,
}

impl ChunkFiles {
    /// Opens every chunk of `manifest`, reading the block checksums of its passage sources
    /// after checking them against their sha256.
    pub fn open(generation: &Generation, manifest: &Manifest) -> Result<ChunkFiles> {
        ChunkFiles::opened(generation, manifest, true)
    }

    /// As [`ChunkFiles::open`], for reading the decision lines of a damaged generation: block
    /// checksums that fail their own leave its passage sources unreadable.
    fn open_lossy(generation: &Generation, manifest: &Manifest) -> Result<ChunkFiles> {
        ChunkFiles::opened(generation, manifest, false)
    }

    fn opened(generation: &Generation, manifest: &Manifest, checked: bool) -> Result<ChunkFiles> {
        let open = |path: PathBuf| File::open(&path).map_err(|e| Error::io(&path, e));
        let mut files = HashMap::new();
        for chunk in &manifest.chunks {
            let path = generation.text_crcs_path(chunk.id);
            let mut crcs = fs::read(&path).map_err(|e| Error::io(&path, e))?;
            if crcs.len() as u64 != crc_file_len(chunk.text_bytes) || hex::encode(Sha256::digest(&crcs)) != chunk.text_crc_sha256 {
                if checked {
                    return Err(Error::Index(format!("gen-{} texts-{:06}.crc fails its checksum", generation.id, chunk.id)));
                }
                crcs.clear();
            }
            let text_crcs = crcs.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            files.insert(
                chunk.id,
                OpenChunk {
                    decisions: open(generation.decisions_path(chunk.id))?,
                    texts: open(generation.texts_path(chunk.id))?,
                    text_bytes: chunk.text_bytes,
                    text_crcs,
                },
            );
        }
        Ok(ChunkFiles { files })
    }

    fn chunk(&self, chunk: u32) -> Result<&OpenChunk> {
        self.files.get(&chunk).ok_or_else(|| Error::Index(format!("stored location names chunk {chunk}, which is missing")))
    }

    /// The decision at `at`, checked against the crc32 stored beside its location.
    pub fn decision(&self, at: Location) -> Result<Decision> {
        let line = read_range(&self.chunk(at.chunk)?.decisions, "decisions", at.offset, at.len)?;
        if crc32fast::hash(&line) != at.crc {
            return Err(Error::Index(format!("decision at byte {} of chunk {} fails its checksum", at.offset, at.chunk)));
        }
        Ok(serde_json::from_slice(&line)?)
    }

    /// Bytes `[from, to)` of the passage source `text` of a decision in chunk `chunk`, read
    /// with the whole blocks they lie in, each checked against its crc32.
    pub fn text(&self, chunk: u32, text: TextAt, from: u64, to: u64) -> Result<Vec<u8>> {
        if from > to || to > text.len {
            return Err(Error::Index("stored text location out of range".into()));
        }
        let c = self.chunk(chunk)?;
        let (start, end) = (text.offset + from, text.offset + to);
        if end > c.text_bytes {
            return Err(Error::Index("stored text location out of range".into()));
        }
        if start == end {
            return Ok(Vec::new());
        }
        let (first, last) = (start / TEXT_BLOCK, (end - 1) / TEXT_BLOCK);
        let block_start = first * TEXT_BLOCK;
        let block_end = ((last + 1) * TEXT_BLOCK).min(c.text_bytes);
        let bytes = read_range(&c.texts, "texts", block_start, block_end - block_start)?;
        for (i, block) in bytes.chunks(TEXT_BLOCK as usize).enumerate() {
            let n = first as usize + i;
            if c.text_crcs.get(n) != Some(&crc32fast::hash(block)) {
                return Err(Error::Index(format!("text block {n} of chunk {chunk} fails its checksum")));
            }
        }
        Ok(bytes[(start - block_start) as usize..(end - block_start) as usize].to_vec())
    }
}

/// `len` bytes of `file` (named `name` in errors) from `offset`, by a positioned read.
fn read_range(file: &File, name: &str, offset: u64, len: u64) -> Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let len = usize::try_from(len).map_err(|_| Error::Index(format!("{name} location out of range")))?;
    let mut bytes = vec![0; len];
    file.read_exact_at(&mut bytes, offset)
        .map_err(|e| Error::Index(format!("cannot read {len} bytes at byte {offset} of {name}: {e}")))?;
    Ok(bytes)
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

    /// The id `CURRENT` names; `None` before the first commit.
    fn named(&self) -> Result<Option<u64>> {
        let path = self.root.join(CURRENT);
        let name = match fs::read_to_string(&path) {
            Ok(name) => name,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        parse_gen_name(name.trim())
            .map(Some)
            .ok_or_else(|| Error::Index(format!("CURRENT holds {:?}, not a generation name", name.trim())))
    }

    /// The generation `CURRENT` names; `None` before the first commit, an error when it is
    /// missing or incomplete (see [`Store::readable`] for what to read then).
    pub fn current(&self) -> Result<Option<Generation>> {
        let Some(id) = self.named()? else { return Ok(None) };
        let generation = self.generation(id);
        if !generation.is_complete() {
            return Err(Error::Index(format!("CURRENT names gen-{id}, which is missing or incomplete")));
        }
        Ok(Some(generation))
    }

    /// The generations a reader may open, best first: the one `CURRENT` names when it is
    /// complete, then the older complete ones, newest first (a newer one is a commit that
    /// never switched). Empty before the first commit.
    pub fn readable(&self) -> Result<Vec<Generation>> {
        let Some(named) = self.named()? else { return Ok(Vec::new()) };
        let mut ids: Vec<u64> = self.generation_ids()?.into_iter().filter(|&id| id <= named).collect();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        Ok(ids.into_iter().map(|id| self.generation(id)).filter(Generation::is_complete).collect())
    }

    /// Every decision of the newest intact generation, each checked against its checksum.
    pub fn decisions(&self) -> Result<Vec<Decision>> {
        let Some(base) = self.base()? else { return Ok(Vec::new()) };
        base.lookup.all()?.into_iter().map(|(_, at)| base.files.decision(at)).collect()
    }

    /// Every source record the current generation holds, decision after decision: what was
    /// read from each source.
    pub fn readings(&self) -> Result<Vec<crate::record::Record>> {
        Ok(self.decisions()?.into_iter().flat_map(|d| d.readings.into_iter().map(|r| r.record)).collect())
    }

    /// Replaces the whole store by `decisions` (unique ids), written as a fresh generation.
    pub fn rebuild(&self, decisions: impl IntoIterator<Item = Result<Decision>>) -> Result<Generation> {
        let lock = self.lock()?;
        let keep = self.readable()?.first().map(|g| g.id);
        Change { store: self, _lock: lock, base: None, keep }.write_fresh(decisions.into_iter(), keep)
    }

    /// Starts a change of the newest intact generation: the lock is held until it commits or
    /// drops.
    pub fn begin(&self) -> Result<Change<'_>> {
        let lock = self.lock()?;
        let base = self.base()?;
        let keep = base.as_ref().map(|b| b.generation.id);
        Ok(Change { store: self, _lock: lock, base, keep })
    }

    /// The generation a change starts from: the newest intact one (`CURRENT`'s, else an
    /// older one, said on the log); when none is, the newest whose index opens, marked
    /// damaged, so that the commit rewrites what still verifies. `None` before the first
    /// commit.
    fn base(&self) -> Result<Option<Base>> {
        let readable = self.readable()?;
        if readable.is_empty() {
            if let Some(id) = self.named()? {
                return Err(Error::Index(format!("CURRENT names gen-{id}, which is missing, and no older generation is complete")));
            }
            return Ok(None);
        }
        let mut first_error = None;
        for generation in &readable {
            match Base::open(generation, true) {
                Ok(base) => {
                    if let Some(e) = &first_error {
                        tracing::error!("{e}: working from gen-{}, the newest intact generation", generation.id);
                    }
                    return Ok(Some(base));
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let e = first_error.unwrap_or_else(|| Error::Index("no generation".into()));
        let damaged = Base::open(&readable[0], false).map_err(|_| e)?;
        tracing::error!(
            "no intact generation (gen-{} first fails its checks): the next commit rewrites the store from the decisions that still verify",
            readable[0].id
        );
        Ok(Some(damaged))
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

    /// A fresh generation directory, after removing every other one but `CURRENT`'s and
    /// `keep` (a leftover of a crashed commit among them).
    fn next_generation(&self, keep: Option<u64>) -> Result<Generation> {
        let named = self.named()?;
        let existing = self.generation_ids()?;
        // Ids only grow, so a leftover of a crashed commit is never mistaken for a new one.
        let next = self.generation(existing.iter().max().map_or(1, |m| m + 1));
        for id in existing.into_iter().filter(|&id| Some(id) != named && Some(id) != keep) {
            remove_generation(&self.generation(id));
        }
        fs::create_dir(&next.dir).map_err(|e| Error::io(&next.dir, e))?;
        Ok(next)
    }

    /// Makes `next` current and removes every other generation but `keep`, the one it was
    /// made from, kept for fallback.
    fn switch_to(&self, next: &Generation, keep: Option<u64>) -> Result<()> {
        let tmp = self.root.join("CURRENT.tmp");
        write_synced(&tmp, format!("gen-{}\n", next.id).as_bytes())?;
        let current = self.root.join(CURRENT);
        fs::rename(&tmp, &current).map_err(|e| Error::io(&current, e))?;
        sync_dir(&self.root)?;
        for id in self.generation_ids()?.into_iter().filter(|&id| id != next.id && Some(id) != keep) {
            remove_generation(&self.generation(id));
        }
        Ok(())
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

/// The generation a change starts from.
struct Base {
    generation: Generation,
    manifest: Manifest,
    files: ChunkFiles,
    lookup: Lookup,
    /// It failed its checks: a commit rewrites the decisions that still verify.
    damaged: bool,
}

impl Base {
    /// `generation` opened for a change; with `checked`, refused unless its files have the
    /// sizes and checksums its manifest declares.
    fn open(generation: &Generation, checked: bool) -> Result<Base> {
        let manifest = if checked { generation.checked_manifest()? } else { generation.manifest()? };
        let files = if checked { ChunkFiles::open(generation, &manifest)? } else { ChunkFiles::open_lossy(generation, &manifest)? };
        let lookup = Lookup::open(&generation.tantivy_dir())?;
        Ok(Base { generation: generation.clone(), manifest, files, lookup, damaged: !checked })
    }
}

/// A change of the store under its lock: find and load what it touches, then commit.
pub struct Change<'s> {
    store: &'s Store,
    _lock: File,
    base: Option<Base>,
    /// The generation kept beside the new one for fallback.
    keep: Option<u64>,
}

impl Change<'_> {
    /// The generation the change started from.
    pub fn base_generation(&self) -> Option<u64> {
        self.base.as_ref().map(|b| b.generation.id)
    }

    /// The ids of the stored decisions that go by `key` (id, number or alias, any case).
    pub fn find(&self, key: &str) -> Result<Vec<String>> {
        match &self.base {
            Some(base) => Ok(base.lookup.find(key)?.into_iter().map(|(id, _)| id).collect()),
            None => Ok(Vec::new()),
        }
    }

    /// The stored decision `id`.
    pub fn load(&self, id: &str) -> Result<Option<Decision>> {
        let Some(base) = &self.base else { return Ok(None) };
        match base.lookup.find(id)?.into_iter().find(|(found, _)| found == id) {
            Some((_, at)) => base.files.decision(at).map(Some),
            None => Ok(None),
        }
    }

    /// Adds or replaces `put` (unique ids) and removes `remove` (ids of stored decisions), in
    /// one commit; `None` when there is nothing to do.
    pub fn commit(self, put: Vec<Decision>, remove: &[String]) -> Result<Option<Generation>> {
        if put.is_empty() && remove.is_empty() {
            return Ok(None);
        }
        let Some(base) = &self.base else {
            return self.write_fresh(put.into_iter().map(Ok), self.keep).map(Some);
        };
        if base.damaged {
            return self.salvage(base, put, remove).map(Some);
        }
        let mut gone: HashMap<String, Location> = HashMap::new();
        for id in remove.iter().chain(put.iter().map(|d| &d.id)) {
            if let Some((found, at)) = base.lookup.find(id)?.into_iter().find(|(found, _)| found == id) {
                gone.insert(found, at);
            }
        }
        let dead = base.manifest.dead_bytes + gone.values().map(|at| at.len + 1).sum::<u64>();
        let total: u64 = base.manifest.chunks.iter().map(|c| c.bytes).sum();
        if base.manifest.chunks.len() >= MAX_CHUNKS || dead * 2 > total {
            return self.compact(put, &gone).map(Some);
        }
        let next = self.store.next_generation(self.keep)?;
        let written = self.write_incremental(base, &next, put, &gone, dead);
        finish_generation(self.store, next, written, self.keep).map(Some)
    }

    fn write_incremental(
        &self,
        base: &Base,
        next: &Generation,
        put: Vec<Decision>,
        gone: &HashMap<String, Location>,
        dead_bytes: u64,
    ) -> Result<Manifest> {
        for chunk in &base.manifest.chunks {
            for (from, to) in [
                (base.generation.decisions_path(chunk.id), next.decisions_path(chunk.id)),
                (base.generation.texts_path(chunk.id), next.texts_path(chunk.id)),
                (base.generation.text_crcs_path(chunk.id), next.text_crcs_path(chunk.id)),
            ] {
                fs::hard_link(&from, &to).map_err(|e| Error::io(&to, e))?;
            }
        }
        let linked = link_index(&base.generation.tantivy_dir(), &next.tantivy_dir())?;
        let chunk_id = base.manifest.chunks.iter().map(|c| c.id).max().unwrap_or(0) + 1;
        let mut chunk = ChunkWriter::create(next, chunk_id)?;
        let mut writer = index::Writer::update(&next.tantivy_dir())?;
        for id in gone.keys() {
            writer.delete(id);
        }
        let mut seq = base.manifest.next_seq;
        let added = put.len();
        for decision in &put {
            let at = chunk.append(decision)?;
            writer.add(decision, seq, at)?;
            seq += 1;
        }
        let mut chunks = base.manifest.chunks.clone();
        if added > 0 {
            chunks.push(chunk.finish()?);
        } else {
            chunk.discard()?;
        }
        writer.finish()?;
        let decisions = base.manifest.decisions - gone.len() + added;
        index::validate_except(&next.tantivy_dir(), decisions, &linked)?;
        Ok(Manifest { layout: LAYOUT, generation: next.id, decisions, next_seq: seq, chunks, dead_bytes })
    }

    /// Rewrites every live decision, with the change applied, into a fresh generation.
    fn compact(&self, put: Vec<Decision>, gone: &HashMap<String, Location>) -> Result<Generation> {
        let base = self.base.as_ref().ok_or_else(|| Error::Index("nothing to compact".into()))?;
        let kept = base.lookup.all()?.into_iter().filter(|(id, _)| !gone.contains_key(id));
        let kept = kept.map(|(_, at)| base.files.decision(at));
        tracing::info!(generation = base.generation.id, "compacting the store");
        self.write_fresh(kept.chain(put.into_iter().map(Ok)), self.keep)
    }

    /// Rewrites a damaged generation with the change applied: every decision whose line still
    /// verifies, the others dropped (and counted on the log) until their sources are ingested
    /// again.
    fn salvage(&self, base: &Base, put: Vec<Decision>, remove: &[String]) -> Result<Generation> {
        let replaced: HashSet<&str> = remove.iter().map(String::as_str).chain(put.iter().map(|d| d.id.as_str())).collect();
        let mut lost = 0usize;
        let mut kept = Vec::new();
        for (id, at) in base.lookup.all()? {
            if replaced.contains(id.as_str()) {
                continue;
            }
            match base.files.decision(at) {
                Ok(d) => kept.push(d),
                Err(_) => lost += 1,
            }
        }
        tracing::error!(
            "gen-{} is damaged: rewriting the store from its {} intact decisions; {lost} could not be read and are dropped until their sources are ingested again",
            base.generation.id,
            kept.len()
        );
        // Nothing is kept beside it: the damaged generation is no fallback.
        self.write_fresh(kept.into_iter().chain(put).map(Ok), None)
    }

    /// Writes `decisions` as a fresh generation, keeping `keep` beside it.
    fn write_fresh(&self, decisions: impl Iterator<Item = Result<Decision>>, keep: Option<u64>) -> Result<Generation> {
        let next = self.store.next_generation(keep)?;
        let written = (|| {
            let tantivy = next.tantivy_dir();
            fs::create_dir(&tantivy).map_err(|e| Error::io(&tantivy, e))?;
            let mut writer = index::Writer::create(&tantivy)?;
            let mut chunk = ChunkWriter::create(&next, 1)?;
            let mut ids = HashSet::new();
            let mut seq = 0;
            for decision in decisions {
                let decision = decision?;
                if !ids.insert(decision.id.clone()) {
                    return Err(Error::Index(format!("duplicate decision id {}", decision.id)));
                }
                let at = chunk.append(&decision)?;
                writer.add(&decision, seq, at)?;
                seq += 1;
            }
            let chunks = vec![chunk.finish()?];
            writer.finish()?;
            index::validate(&tantivy, ids.len())?;
            Ok(Manifest { layout: LAYOUT, generation: next.id, decisions: ids.len(), next_seq: seq, chunks, dead_bytes: 0 })
        })();
        finish_generation(self.store, next, written, keep)
    }
}

/// Writes the manifest of `next` and switches to it, keeping `keep` beside it, or removes it if
/// anything failed.
fn finish_generation(store: &Store, next: Generation, written: Result<Manifest>, keep: Option<u64>) -> Result<Generation> {
    let done = written.and_then(|manifest| {
        write_synced(&next.dir.join(MANIFEST), &serde_json::to_vec_pretty(&manifest)?)?;
        sync_dir(&next.dir)?;
        store.switch_to(&next, keep)
    });
    match done {
        Ok(()) => Ok(next),
        Err(e) => {
            remove_generation(&next);
            Err(e)
        }
    }
}

/// Links every file of the index in `from` into `to` (created), but tantivy's lock files; the
/// names linked, whose checksums the generation that wrote them verified.
fn link_index(from: &Path, to: &Path) -> Result<HashSet<PathBuf>> {
    fs::create_dir(to).map_err(|e| Error::io(to, e))?;
    let mut linked = HashSet::new();
    for entry in fs::read_dir(from).map_err(|e| Error::io(from, e))? {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".lock") || !entry.file_type().map_err(|e| Error::io(from, e))?.is_file() {
            continue;
        }
        let target = to.join(&name);
        fs::hard_link(entry.path(), &target).map_err(|e| Error::io(&target, e))?;
        linked.insert(PathBuf::from(name));
    }
    Ok(linked)
}

fn parse_gen_name(name: &str) -> Option<u64> {
    name.strip_prefix("gen-").filter(|n| n.bytes().all(|b| b.is_ascii_digit())).and_then(|n| n.parse().ok())
}

fn remove_generation(generation: &Generation) {
    if let Err(e) = fs::remove_dir_all(&generation.dir) {
        tracing::warn!("could not remove {}: {e}", generation.dir.display());
    }
}

/// Appends decisions to a new chunk, one JSON line each, and their passage sources, hashing
/// as it goes.
struct ChunkWriter {
    id: u32,
    paths: (PathBuf, PathBuf),
    crcs_path: PathBuf,
    lines: BufWriter<File>,
    texts: BufWriter<File>,
    hashes: (Sha256, Sha256),
    bytes: u64,
    text_bytes: u64,
    /// The crc32 of each full block of passage sources, and of the block being filled.
    block_crcs: Vec<u8>,
    block: crc32fast::Hasher,
}

impl ChunkWriter {
    fn create(generation: &Generation, id: u32) -> Result<ChunkWriter> {
        let create = |path: &Path| File::create(path).map(BufWriter::new).map_err(|e| Error::io(path, e));
        let paths = (generation.decisions_path(id), generation.texts_path(id));
        Ok(ChunkWriter {
            id,
            lines: create(&paths.0)?,
            texts: create(&paths.1)?,
            paths,
            crcs_path: generation.text_crcs_path(id),
            hashes: (Sha256::new(), Sha256::new()),
            bytes: 0,
            text_bytes: 0,
            block_crcs: Vec::new(),
            block: crc32fast::Hasher::new(),
        })
    }

    fn append(&mut self, decision: &Decision) -> Result<Location> {
        let mut line = serde_json::to_vec(decision)?;
        let mut at = Location { chunk: self.id, offset: self.bytes, len: line.len() as u64, crc: crc32fast::hash(&line), ..Location::default() };
        line.push(b'\n');
        self.hashes.0.update(&line);
        self.lines.write_all(&line).map_err(|e| Error::io(&self.paths.0, e))?;
        self.bytes += line.len() as u64;
        for language in [Language::Fr, Language::En] {
            let Some((_, text)) = index::passage_source(decision, language) else { continue };
            let text_at = TextAt { offset: self.text_bytes, len: text.len() as u64 };
            self.write_text(text.as_bytes())?;
            match language {
                Language::Fr => at.fr = text_at,
                Language::En => at.en = text_at,
            }
        }
        Ok(at)
    }

    /// Appends passage-source bytes, closing each block's crc32 at its boundary.
    fn write_text(&mut self, mut bytes: &[u8]) -> Result<()> {
        self.hashes.1.update(bytes);
        self.texts.write_all(bytes).map_err(|e| Error::io(&self.paths.1, e))?;
        while !bytes.is_empty() {
            let room = (TEXT_BLOCK - self.text_bytes % TEXT_BLOCK) as usize;
            let (head, rest) = bytes.split_at(room.min(bytes.len()));
            self.block.update(head);
            self.text_bytes += head.len() as u64;
            if self.text_bytes % TEXT_BLOCK == 0 {
                let full = std::mem::take(&mut self.block);
                self.block_crcs.extend(full.finalize().to_le_bytes());
            }
            bytes = rest;
        }
        Ok(())
    }

    /// Flushes and fsyncs; what the manifest says of the chunk.
    fn finish(mut self) -> Result<Chunk> {
        if self.text_bytes % TEXT_BLOCK != 0 {
            let partial = std::mem::take(&mut self.block);
            self.block_crcs.extend(partial.finalize().to_le_bytes());
        }
        for (path, out) in [(&self.paths.0, self.lines), (&self.paths.1, self.texts)] {
            let file = out.into_inner().map_err(|e| Error::io(path, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(path, e))?;
        }
        write_synced(&self.crcs_path, &self.block_crcs)?;
        Ok(Chunk {
            id: self.id,
            bytes: self.bytes,
            text_bytes: self.text_bytes,
            sha256: hex::encode(self.hashes.0.finalize()),
            text_sha256: hex::encode(self.hashes.1.finalize()),
            text_crc_sha256: hex::encode(Sha256::digest(&self.block_crcs)),
        })
    }

    /// Removes the chunk's files: a commit that only removes decisions adds no chunk.
    fn discard(self) -> Result<()> {
        let (decisions, texts) = self.paths;
        drop((self.lines, self.texts));
        for path in [decisions, texts] {
            fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
        Ok(())
    }
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
    use crate::record::{reconcile, Facts, Reading, Record, Source, SourceFormat};

    /// An invented decision of one invented French text.
    pub(crate) fn decision(number: &str, text: &str) -> Decision {
        let record = Record {
            id: format!("cnil-{number}"),
            facts: Facts {
                number: Some(number.into()),
                ..Default::default()
            },
            authority: "CNIL".into(),
            text: text.into(),
            source: Source { format: SourceFormat::DilaXml, path: format!("{number}.xml"), sha256: "0".repeat(64) },
            ..Record::default()
        };
        reconcile(vec![Reading::of(record)], None, chrono::Utc::now())
    }

    fn ids(store: &Store) -> Vec<String> {
        let mut ids: Vec<String> = store.decisions().unwrap().into_iter().map(|d| d.id).collect();
        ids.sort();
        ids
    }

    #[test]
    fn empty_store_has_no_decisions() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("index")).unwrap();
        assert_eq!(store.current().unwrap(), None);
        assert!(store.readable().unwrap().is_empty());
        assert!(store.decisions().unwrap().is_empty());
    }

    #[test]
    fn changes_link_the_previous_generation_and_add_one_chunk() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let numbers = ["SAN-2099-001", "SAN-2099-002", "SAN-2099-004", "SAN-2099-005", "SAN-2099-006"];
        let g1 = store.rebuild(numbers.map(|n| Ok(decision(n, "texte inventé")))).unwrap();
        let change = store.begin().unwrap();
        assert_eq!(change.find("san-2099-002").unwrap(), ["cnil-SAN-2099-002"]);
        let mut replaced = change.load("cnil-SAN-2099-002").unwrap().unwrap();
        replaced.title = Some("changed".into());
        let g2 = change.commit(vec![replaced, decision("SAN-2099-003", "autre")], &["cnil-SAN-2099-001".into()]).unwrap().unwrap();
        assert_eq!(ids(&store), ["cnil-SAN-2099-002", "cnil-SAN-2099-003", "cnil-SAN-2099-004", "cnil-SAN-2099-005", "cnil-SAN-2099-006"]);
        let inode = |g: &Generation| fs::metadata(g.decisions_path(1)).unwrap().ino();
        assert_eq!(inode(&g1), inode(&g2), "chunk 1 is linked, not copied");
        assert_eq!(g2.manifest().unwrap().chunks.len(), 2);
        assert_eq!(store.readable().unwrap(), [g2.clone(), g1]);
        let titles: Vec<Option<String>> = store.decisions().unwrap().into_iter().map(|d| d.title).collect();
        assert!(titles.contains(&Some("changed".into())));
    }

    #[test]
    fn dead_bytes_trigger_a_compaction() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.rebuild([Ok(decision("SAN-2099-001", "texte"))]).unwrap();
        for round in 0..3 {
            let change = store.begin().unwrap();
            let mut d = change.load("cnil-SAN-2099-001").unwrap().unwrap();
            d.title = Some(format!("round {round}"));
            change.commit(vec![d], &[]).unwrap();
        }
        let manifest = store.current().unwrap().unwrap().manifest().unwrap();
        assert!(manifest.chunks.len() <= 2, "replaced lines are compacted away: {manifest:?}");
        assert_eq!(ids(&store), ["cnil-SAN-2099-001"]);
    }

    #[test]
    fn a_changed_line_fails_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let g = store.rebuild([Ok(decision("SAN-2099-001", "texte a"))]).unwrap();
        let text = fs::read_to_string(g.decisions_path(1)).unwrap();
        fs::write(g.decisions_path(1), text.replace("texte a", "texte z")).unwrap();
        let err = store.decisions().unwrap_err().to_string();
        assert!(err.contains("fails its checksum"), "{err}");
    }

    #[test]
    fn layout_1_is_refused_with_what_to_run() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("gen-1")).unwrap();
        fs::write(dir.path().join("gen-1/manifest.json"), r#"{"generation":1,"records":3,"bytes":9,"text_bytes":9,"sha256":"x"}"#).unwrap();
        fs::write(dir.path().join(CURRENT), "gen-1\n").unwrap();
        let store = Store::open(dir.path()).unwrap();
        let err = store.decisions().unwrap_err().to_string();
        assert!(err.contains("layout 1") && err.contains("recueil ingest"), "{err}");
    }

    #[test]
    fn a_half_written_generation_is_ignored_and_a_second_writer_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let g1 = store.rebuild([Ok(decision("SAN-2099-001", "texte"))]).unwrap();
        fs::create_dir(dir.path().join("gen-2")).unwrap();
        fs::write(dir.path().join("gen-2").join("decisions-000001.jsonl"), b"{\"id\":").unwrap();
        fs::write(dir.path().join("CURRENT.tmp"), b"gen-2").unwrap();
        assert_eq!(store.current().unwrap(), Some(g1.clone()));
        let held = store.begin().unwrap();
        assert_eq!(store.begin().err().unwrap().code(), "overloaded");
        drop(held);
        store.begin().unwrap().commit(vec![decision("SAN-2099-002", "x")], &[]).unwrap();
        assert!(!dir.path().join("gen-2").join("decisions-000001.jsonl").exists() || store.current().unwrap().unwrap().id == 2);
        fs::write(dir.path().join(CURRENT), "gen-9\n").unwrap();
        assert!(store.current().unwrap_err().to_string().contains("gen-9, which is missing"));
        fs::write(dir.path().join(CURRENT), "../etc\n").unwrap();
        assert!(store.current().unwrap_err().to_string().contains("not a generation name"));
    }

    #[test]
    fn a_changed_text_block_fails_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let long = "invented paragraph. ".repeat(500);
        let g = store.rebuild([Ok(decision("SAN-2099-001", &long))]).unwrap();
        let manifest = g.checked_manifest().unwrap();
        let files = ChunkFiles::open(&g, &manifest).unwrap();
        let at = TextAt { offset: 0, len: manifest.chunks[0].text_bytes };
        assert_eq!(files.text(1, at, 4090, 4100).unwrap(), &long.as_bytes()[4090..4100], "a read across two blocks");
        let mut bytes = fs::read(g.texts_path(1)).unwrap();
        bytes[5000] ^= 1;
        fs::write(g.texts_path(1), &bytes).unwrap();
        let err = files.text(1, at, 4990, 5010).unwrap_err().to_string();
        assert!(err.contains("text block 1 of chunk 1 fails its checksum"), "{err}");
        assert!(files.text(1, at, 0, 100).is_ok(), "the other blocks still read");
        fs::write(g.text_crcs_path(1), [0u8; 8]).unwrap();
        assert!(ChunkFiles::open(&g, &manifest).is_err(), "damaged block checksums are refused on open");
    }

    #[test]
    fn a_current_naming_a_missing_generation_falls_back_for_reading_and_writing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let g1 = store.rebuild([Ok(decision("SAN-2099-001", "texte"))]).unwrap();
        let g2 = store.begin().unwrap().commit(vec![decision("SAN-2099-002", "autre")], &[]).unwrap().unwrap();
        fs::remove_file(g2.dir.join(MANIFEST)).unwrap();
        assert_eq!(store.readable().unwrap(), [g1.clone()]);
        assert_eq!(ids(&store), ["cnil-SAN-2099-001"]);
        let g3 = store.begin().unwrap().commit(vec![decision("SAN-2099-003", "encore")], &[]).unwrap().unwrap();
        assert_eq!(ids(&store), ["cnil-SAN-2099-001", "cnil-SAN-2099-003"]);
        assert_eq!(store.readable().unwrap(), [g3, g1], "the intact base is kept for fallback, the incomplete one removed");
        assert!(!g2.dir.exists());
    }

    #[test]
    fn a_truncated_decisions_file_does_not_stop_later_commits() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.rebuild([Ok(decision("SAN-2099-001", "texte")), Ok(decision("SAN-2099-002", "autre"))]).unwrap();
        let g2 = store.begin().unwrap().commit(vec![decision("SAN-2099-003", "encore")], &[]).unwrap().unwrap();
        // Chunk 2 is gen-2's own: gen-1 is intact and the writer starts from it.
        let chunk2 = fs::read(g2.decisions_path(2)).unwrap();
        fs::write(g2.decisions_path(2), &chunk2[..chunk2.len() / 2]).unwrap();
        store.begin().unwrap().commit(vec![decision("SAN-2099-004", "quatre")], &[]).unwrap();
        assert_eq!(ids(&store), ["cnil-SAN-2099-001", "cnil-SAN-2099-002", "cnil-SAN-2099-004"]);
        // Chunk 1 is shared by every generation (hard links): none is intact, and the store is
        // rewritten from the lines that still verify.
        let g = store.current().unwrap().unwrap();
        let chunk1 = fs::read(g.decisions_path(1)).unwrap();
        let first_line = chunk1.iter().position(|b| *b == b'\n').unwrap() + 1;
        fs::write(g.decisions_path(1), &chunk1[..first_line]).unwrap();
        assert!(store.readable().unwrap().iter().all(|g| g.checked_manifest().is_err()));
        store.begin().unwrap().commit(vec![decision("SAN-2099-005", "cinq")], &[]).unwrap();
        assert_eq!(ids(&store), ["cnil-SAN-2099-001", "cnil-SAN-2099-004", "cnil-SAN-2099-005"]);
        let current = store.current().unwrap().unwrap();
        assert!(current.checked_manifest().is_ok());
        assert_eq!(store.readable().unwrap(), [current], "no damaged generation kept for fallback");
    }
}
