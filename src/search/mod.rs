//! Queries, filters, facets, snippets and similar decisions over the index built by
//! [`crate::index`]. The types here are plain data: the server and the CLI use them without
//! seeing a tantivy type.

mod answer;
pub mod cache;
pub mod collect;
pub mod columns;
mod compile;
pub mod counts;
pub mod crossling;
mod cursor;
pub mod lexicon;
mod lookup;
pub mod lru;
mod open;
mod passages;
pub mod query;
mod request;
mod response;
mod similar;
pub mod snippet;
mod stats;
pub mod suggest;

use std::sync::Arc;

use tantivy::query::QueryParser;
use tantivy::schema::Field;
use tantivy::IndexReader;

use crate::index::store::ChunkFiles;
use crate::index::Fields;

use cache::ClauseCache;
use columns::SegmentColumns;
use counts::CountsCache;
use lru::Lru;

pub use crate::index::Facet;
pub use request::{parse_instant, Order, SearchRequest, SortBy};
pub use response::{FacetCount, Facets, FineStats, GroupStat, Hit, SearchResponse, SnippetPart, Stats};


/// Hard caps on what one request may ask for.
pub const MAX_LIMIT: usize = 100;
pub const MAX_OFFSET: usize = 10_000;
pub const MAX_PASSAGES: usize = 5;

/// A searcher over the current generation of an index directory. Cheap to share across
/// threads; every method blocks (callers in async code use `spawn_blocking`).
pub struct Engine {
    reader: IndexReader,
    fields: Fields,
    /// Words: every text field, each with its analyzer and weight.
    words: QueryParser,
    /// Words of one language: its stemmed fields, the respondent and the exact text.
    words_fr: QueryParser,
    words_en: QueryParser,
    /// Where translations are searched: the stemmed fields of each language, with weights.
    fields_fr: Vec<(Field, f32)>,
    fields_en: Vec<(Field, f32)>,
    /// Quoted phrases: the unstemmed field only.
    phrases: QueryParser,
    generation: u64,
    /// The generation's decisions and passage sources, read at the offsets the index stores.
    files: ChunkFiles,
    /// What every match is sorted and counted by, per segment.
    columns: Vec<Arc<SegmentColumns>>,
    /// Scored matches of words and phrases, per segment of this generation.
    clauses: Arc<ClauseCache>,
    /// Totals, facets and fine statistics of this generation's result sets.
    counts: CountsCache,
    /// Responses of this generation, weighed by their hits.
    responses: Lru<SearchRequest, SearchResponse>,
}
