//! A result set's total, facet counts and fine statistics, kept per generation. They do not
//! depend on the page, the sort or the cursor: the next page of a query, or the same query
//! sorted otherwise, reads them instead of counting every match again. At 100,000 decisions a
//! frequent word matches 60,000 of them, and counting those was a third of a request's time
//! (BENCHMARKS.md, "Where the time went"). Like the clause cache, this belongs to one engine,
//! which reads one generation: a commit of the store opens a new engine, with an empty cache.

use std::sync::Arc;

use super::lru::Lru;
use super::query::Expr;
use super::{Facets, FineStats, SearchRequest};

#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    pub total: usize,
    pub facets: Facets,
    pub fine_stats: FineStats,
}

impl Counts {
    /// Weighed by the facet values it holds.
    fn weight(&self) -> usize {
        let f = &self.facets;
        1 + [&f.breached, &f.sector, &f.measures, &f.year, &f.respondent_kind, &f.nature].iter().map(|v| v.len()).sum::<usize>()
    }
}

/// Facet values kept per engine: some 10,000 result sets of a dozen values, a few MB.
pub const BUDGET: usize = 1 << 17;

/// What decides a result set: the parsed query and the instants it is restricted to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key(String);

impl Key {
    pub fn of(expr: &Expr, req: &SearchRequest) -> Key {
        Key(format!("{expr:?} added≥{:?} modified≥{:?}", req.added_since, req.modified_since))
    }
}

pub struct CountsCache(Lru<Key, Arc<Counts>>);

impl Default for CountsCache {
    fn default() -> CountsCache {
        CountsCache(Lru::new(BUDGET))
    }
}

impl CountsCache {
    pub fn get(&self, key: &Key) -> Option<Arc<Counts>> {
        self.0.get(key)
    }

    pub fn put(&self, key: Key, counts: Arc<Counts>) {
        let weight = counts.weight();
        self.0.put(key, counts, weight);
    }

    pub fn clear(&self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    #[test]
    fn a_result_set_is_named_by_its_query_and_instants_not_its_page() {
        let req = SearchRequest::default();
        let e = parse("security sector:\"Health Care\"").unwrap();
        let next_page = SearchRequest { offset: 10, sort: crate::search::SortBy::Fine, ..req.clone() };
        assert_eq!(Key::of(&e, &req), Key::of(&e, &next_page));
        assert_ne!(Key::of(&e, &req), Key::of(&parse("security").unwrap(), &req));
        let since = SearchRequest { modified_since: Some(chrono::DateTime::UNIX_EPOCH), ..req.clone() };
        assert_ne!(Key::of(&e, &req), Key::of(&e, &since));
    }
}
