//! The index writer: a complete index, or a change to a copy of an earlier one.

use std::path::Path;

use tantivy::{Index, IndexWriter, Term};

use crate::record::Decision;
use crate::{Error, Result};

use super::analysis;
use super::{Fields, Location};

/// Memory budget of each indexing thread; tantivy needs at least 15 MB per thread.
const WRITER_MEMORY_PER_THREAD: usize = 128 * 1024 * 1024;
/// Indexing threads, at most: beyond a few, the merges and the one producer bound the rate.
const MAX_WRITER_THREADS: usize = 4;
/// Arena of the one thread that writes an incremental change.
const UPDATE_WRITER_MEMORY: usize = 48 * 1024 * 1024;

/// Writes decisions into a tantivy index: a complete one into an empty directory
/// ([`Writer::create`]), or changes into a copy of an earlier generation's index
/// ([`Writer::update`]), whose segments stay as they are.
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
}

impl Writer {
    pub fn create(dir: &Path) -> Result<Writer> {
        let not_empty = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.next().is_some();
        if not_empty {
            return Err(Error::Index(format!("index directory {} is not empty", dir.display())));
        }
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(dir, schema)?;
        analysis::register(index.tokenizers());
        // Documents land in segments in whatever order the threads take them; nothing depends
        // on that order, since every sort breaks ties on `seq`.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_WRITER_THREADS);
        let writer: IndexWriter = index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)?;
        Ok(Writer { writer, fields })
    }

    /// A writer over the index in `dir` for a change of a few decisions: one thread and a
    /// small arena, so that memory follows the change, not the store.
    pub fn update(dir: &Path) -> Result<Writer> {
        let index = Index::open_in_dir(dir)
            .map_err(|e| Error::Index(format!("cannot open index in {} for writing: {e}", dir.display()).to_lowercase()))?;
        analysis::register(index.tokenizers());
        let fields = Fields::of(&index.schema())?;
        let writer: IndexWriter = index.writer_with_num_threads(1, UPDATE_WRITER_MEMORY)?;
        Ok(Writer { writer, fields })
    }

    /// Adds `decision`, the `seq`-th the store added, found at `at`.
    pub fn add(&mut self, decision: &Decision, seq: u64, at: Location) -> Result<()> {
        self.writer.add_document(self.fields.document(decision, seq, at)?)?;
        Ok(())
    }

    /// Removes the decision `id`; documents added after this call are kept.
    pub fn delete(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Commits and waits for merges.
    pub fn finish(mut self) -> Result<()> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
