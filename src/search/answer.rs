//! A search answered: validated, compiled, collected, paged, with its passages and facets.

use std::sync::Arc;

use tantivy::DocAddress;

use crate::Result;

use super::collect::{PageCollector, SortKey};
use super::counts::{self, Counts};
use super::crossling;
use super::query;
use super::request::parameter;
use super::snippet;
use super::stats::{facets_of, fine_stats};
use super::suggest;
use super::{Engine, Hit, Order, SearchRequest, SearchResponse, SortBy, MAX_LIMIT, MAX_OFFSET, MAX_PASSAGES};

/// Fewer hits than this and the response suggests a correction.
const FEW_HITS: usize = 3;

impl Engine {
    /// The response to `req`: the same request on the same generation gives the same
    /// response, so it is computed once and then served from the response cache.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        if let Some(resp) = self.responses.get(req) {
            return Ok(resp);
        }
        let resp = self.answer(req)?;
        self.responses.put(req.clone(), resp.clone(), resp.hits.len() + 1);
        Ok(resp)
    }

    /// Forgets every cached response, result set and clause: what follows costs what a first
    /// request costs (the benchmark's cold runs).
    pub fn clear_caches(&self) {
        self.responses.clear();
        self.counts.clear();
        self.clauses.clear();
    }

    /// The response to `req` computed now, without the response cache (the clause cache still
    /// serves the words and phrases it holds, and the counts cache the result set's counts when
    /// the same query was answered before).
    pub fn answer(&self, req: &SearchRequest) -> Result<SearchResponse> {
        if req.limit == 0 || req.limit > MAX_LIMIT {
            return Err(parameter("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        if req.passages == 0 || req.passages > MAX_PASSAGES {
            return Err(parameter("passages", format!("must be between 1 and {MAX_PASSAGES}")));
        }
        if req.offset > MAX_OFFSET {
            return Err(parameter("offset", format!("must be at most {MAX_OFFSET}; page further with the cursor")));
        }
        if req.order == Order::Asc && req.sort == SortBy::Relevance {
            return Err(parameter("order", "asc applies to sort=date and sort=fine"));
        }
        let after = req.cursor.as_deref().map(|c| self.decode_cursor(c, req.sort, req.order)).transpose()?;
        let expr = query::parse(&req.query)?;
        let q = self.since(self.compile(&expr)?, req);
        let searcher = self.searcher();
        let key = counts::Key::of(&expr, req);
        let known = self.counts.get(&key);
        let collector = PageCollector {
            sort: req.sort,
            ascending: req.order == Order::Asc,
            want: req.offset + req.limit,
            after,
            columns: &self.columns,
            count: known.is_none(),
        };
        let collected = searcher.search(&*q, &collector)?;
        let (fr_words, en_words) = crossling::highlights(&expr);
        let terms = snippet::Terms::per_language(&fr_words, &en_words);
        let page: Vec<(SortKey, DocAddress)> = collected.top.iter().skip(req.offset).copied().collect();
        let mut hits = Vec::with_capacity(page.len());
        for (key, addr) in &page {
            let stored = self.stored_at(&searcher, *addr)?;
            let mut passages =
                if req.snippets { self.passages(&searcher, *addr, &stored, &terms, req.passages)? } else { Vec::new() };
            let snippet = if passages.is_empty() { Vec::new() } else { passages.remove(0) };
            let score = (req.sort == SortBy::Relevance).then_some(key.primary as f32);
            hits.push(Hit { head: stored.head, score, snippet, passages });
        }
        let next_cursor = match page.last() {
            Some((key, _)) if collected.after_cursor > (req.offset + page.len()) as u64 => {
                Some(self.encode_cursor(req.sort, req.order, key))
            }
            _ => None,
        };
        let counts = match known {
            Some(counts) => counts,
            None => {
                let total = collected.total as usize;
                let facets = facets_of(&collected);
                let counts = Arc::new(Counts { total, facets, fine_stats: fine_stats(collected.fines) });
                self.counts.put(key, counts.clone());
                counts
            }
        };
        let did_you_mean = if counts.total < FEW_HITS {
            suggest::did_you_mean(&searcher, self.fields.text_exact, &req.query, &expr)?
        } else {
            None
        };
        let Counts { total, facets, fine_stats } = Arc::unwrap_or_clone(counts);
        Ok(SearchResponse {
            total,
            hits,
            facets,
            fine_stats,
            next_cursor,
            did_you_mean,
        })
    }
}
