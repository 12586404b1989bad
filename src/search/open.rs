//! Opening an engine over the newest intact generation of an index directory.

use std::path::Path;
use std::sync::Arc;

use tantivy::query::QueryParser;
use tantivy::schema::Field;
use tantivy::{ReloadPolicy, Searcher};

use crate::index;
use crate::index::store::{ChunkFiles, Generation, Store};
use crate::{Error, Result};

use super::Engine;
use super::cache::{self, ClauseCache};
use super::columns::SegmentColumns;
use super::counts::CountsCache;
use super::compile::BOOSTS;
use super::lru::Lru;

/// Hits kept in the response cache of an engine (about 1.5 KB each in memory): some 1,500
/// pages of 10.
const RESPONSE_BUDGET: usize = 16_384;

/// Opens one generation after checking its index against its manifest (record count,
/// checksums) and its records file against its declared size.
fn open_generation(generation: &Generation) -> Result<Engine> {
    let manifest = generation.checked_manifest()?;
    index::validate(&generation.tantivy_dir(), manifest.decisions)?;
    let files = ChunkFiles::open(generation, &manifest)?;
    Engine::open_dir(&generation.tantivy_dir(), generation.id, files)
}

impl Engine {
    /// Opens the newest intact generation under `index_dir`: the current one, else (said on
    /// the log) an older one, when the current is missing or fails validation.
    pub fn open(index_dir: &Path) -> Result<Engine> {
        let store = Store::open(index_dir)?;
        let readable = store.readable()?;
        if readable.is_empty() {
            // The reason: no commit yet, or a `CURRENT` naming a generation that is not there.
            store.current()?;
            return Err(Error::Index(format!("no index in {}: run `recueil ingest` first", index_dir.display())));
        }
        let mut first_error = None;
        for generation in &readable {
            match open_generation(generation) {
                Ok(engine) => {
                    if let Some(e) = first_error {
                        tracing::error!("{e}: serving gen-{}, the newest intact generation", generation.id);
                    }
                    return Ok(engine);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| Error::Index("no generation".into())))
    }

    /// Opens a built tantivy index directory as generation `generation`.
    fn open_dir(dir: &Path, generation: u64, files: ChunkFiles) -> Result<Engine> {
        let (index, fields) = index::open(dir)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let schema = index.schema();
        let field = |name: &str| schema.get_field(name).map_err(Error::from);
        let mut boosts = Vec::new();
        for (name, boost) in BOOSTS {
            boosts.push((field(name)?, *boost));
        }
        let chosen = |keep: &dyn Fn(&str) -> bool| -> Vec<(Field, f32)> {
            BOOSTS.iter().zip(&boosts).filter(|((name, _), _)| keep(name)).map(|(_, fb)| *fb).collect()
        };
        let parser = |fields: Vec<(Field, f32)>| {
            let mut p = QueryParser::for_index(&index, fields.iter().map(|(f, _)| *f).collect());
            for (f, boost) in fields {
                p.set_field_boost(f, boost);
            }
            p
        };
        // Language-neutral fields (respondent, exact text) belong to both languages.
        let words = parser(chosen(&|_| true));
        let words_fr = parser(chosen(&|name| !name.ends_with("_en")));
        let words_en = parser(chosen(&|name| !name.ends_with("_fr")));
        let (fields_fr, fields_en) = (chosen(&|name| name.ends_with("_fr")), chosen(&|name| name.ends_with("_en")));
        let phrases = QueryParser::for_index(&index, vec![fields.text_exact]);
        let columns = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|r| SegmentColumns::read(r).map(Arc::new))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Engine {
            reader,
            fields,
            words,
            words_fr,
            words_en,
            fields_fr,
            fields_en,
            phrases,
            generation,
            files,
            columns,
            clauses: Arc::new(ClauseCache::new(cache::BUDGET)),
            counts: CountsCache::default(),
            responses: Lru::new(RESPONSE_BUDGET),
        })
    }

    pub(super) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The generation this engine reads; the server reopens when the store's moves on.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}
