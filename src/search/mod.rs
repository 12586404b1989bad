//! Queries, filters, facets, snippets and similar decisions over the index built by
//! [`crate::index`]. The types here are plain data: the server and the CLI use them without
//! seeing a tantivy type.

use serde::{Deserialize, Serialize};

use crate::record::Measure;

/// Hard caps on what one request may ask for.
pub const MAX_LIMIT: usize = 100;
pub const MAX_OFFSET: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Relevance,
    Date,
    Fine,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The user's query in recueil's query language (see README).
    pub query: String,
    pub sort: SortBy,
    /// 1..=MAX_LIMIT; 0 is an error, never a panic.
    pub limit: usize,
    /// Opaque cursor returned as `SearchResponse::next_cursor` (search_after).
    pub cursor: Option<String>,
    /// Plain offset, bounded by MAX_OFFSET; use the cursor past it.
    pub offset: usize,
    /// Whether to compute highlighted snippets for the hits.
    pub snippets: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest { query: String::new(), sort: SortBy::Relevance, limit: 10, cursor: None, offset: 0, snippets: true }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub fine_stats: FineStats,
    /// Pass back as `SearchRequest::cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub number: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub title: Option<String>,
    pub nature: Option<String>,
    pub respondent: Option<String>,
    pub sector: Option<String>,
    pub fine_eur: Option<u64>,
    pub breached: Vec<String>,
    pub measures: Vec<Measure>,
    pub score: f32,
    /// The passage that matched, as plain-text segments; `highlighted` segments are the
    /// matched terms. Rendering (and escaping) is the caller's job.
    pub snippet: Vec<SnippetPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub highlighted: bool,
}

/// Facet counts over the whole result set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Facets {
    pub breached: Vec<FacetCount>,
    pub sector: Vec<FacetCount>,
    pub measures: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub respondent_kind: Vec<FacetCount>,
    pub nature: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Fine statistics over every hit of the result set that carries a fine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FineStats {
    pub count: u64,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub sum: u64,
    pub median: Option<u64>,
}

/// Counts and fine sums per year, provision and sector over the whole index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Stats {
    pub total: u64,
    pub by_year: Vec<GroupStat>,
    pub by_provision: Vec<GroupStat>,
    pub by_sector: Vec<GroupStat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupStat {
    pub key: String,
    /// Decisions in the group.
    pub count: u64,
    /// Decisions in the group that carry a fine, and the sum of those fines.
    pub fine_count: u64,
    pub fine_sum: u64,
}

/// A searcher over the current generation of an index directory. Cheap to share across
/// threads; every method blocks (callers in async code use `spawn_blocking`).
pub struct Engine {
    _private: (),
}

impl Engine {
    /// Opens the current generation under `index_dir`, falling back to the previous one when
    /// the current fails validation.
    pub fn open(_index_dir: &std::path::Path) -> crate::Result<Engine> {
        Err(crate::Error::Index("search engine not built yet".into()))
    }

    pub fn search(&self, _req: &SearchRequest) -> crate::Result<SearchResponse> {
        Err(crate::Error::Index("search engine not built yet".into()))
    }

    /// One record by id (`CNILTEXT…`, `cnil-SAN-…`) or decision number (`SAN-2020-014`, any case).
    pub fn get(&self, _id_or_number: &str) -> crate::Result<Option<crate::Record>> {
        Err(crate::Error::Index("search engine not built yet".into()))
    }

    pub fn similar(&self, _id: &str, _limit: usize) -> crate::Result<Vec<Hit>> {
        Err(crate::Error::Index("search engine not built yet".into()))
    }

    pub fn stats(&self) -> crate::Result<Stats> {
        Err(crate::Error::Index("search engine not built yet".into()))
    }

    /// The generation this engine reads; the server reopens when the store's moves on.
    pub fn generation(&self) -> u64 {
        0
    }
}
