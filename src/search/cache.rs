//! Scored matches of the costly clauses (a word over its weighted fields and translations, a
//! phrase, a pair of words close together), computed once per segment of the engine's
//! generation and then read like a posting list. A word searched in eight fields and
//! through the lexicon is a union of a dozen postings, a translated phrase reads the
//! positions of every candidate: both cost what their thousands of matches cost on every
//! request (BENCHMARKS.md, "Where the time goes"), while within one generation their matches and
//! scores never change.
//!
//! A cached clause gives exactly the documents and scores its own scorer gives: the list is
//! that scorer's output, in order, for the same boost. The cache belongs to one
//! [`crate::search::Engine`], which reads one generation: a commit of the store opens a new
//! engine, with an empty cache. Its size is bounded: past the budget, the least recently used
//! lists go ([`Lru`]).

use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::lru::Lru;

/// What one list is cached under: the segment, the clause (its structure, as tantivy prints
/// it), the boost it was scored with, and whether it was scored at all. tantivy prints a term
/// query without its record option; the engine queries a field always with the same one, or
/// with options that score alike (frequencies with or without positions).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    segment: SegmentId,
    clause: Arc<str>,
    boost: u32,
    scoring: bool,
}

/// The lists of one engine, weighed by their matches.
pub type ClauseCache = Lru<Key, Arc<[(DocId, Score)]>>;

/// Matches kept per engine: 8 bytes each, 64 MB in all. A frequent word matches most of a
/// 100,000-decision store, so this holds some eighty of them there.
pub const BUDGET: usize = 8 << 20;

/// `inner`, its matches per segment read from (or put in) `cache`.
pub struct CachedQuery {
    inner: Box<dyn Query>,
    clause: Arc<str>,
    cache: Arc<ClauseCache>,
}

impl Clone for CachedQuery {
    fn clone(&self) -> Self {
        CachedQuery { inner: self.inner.box_clone(), clause: self.clause.clone(), cache: self.cache.clone() }
    }
}

impl std::fmt::Debug for CachedQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cached({:?})", self.inner)
    }
}

impl CachedQuery {
    pub fn new(inner: Box<dyn Query>, cache: &Arc<ClauseCache>) -> CachedQuery {
        let clause = format!("{inner:?}").into();
        CachedQuery { inner, clause, cache: cache.clone() }
    }
}

impl Query for CachedQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CachedWeight {
            inner: self.inner.weight(enable_scoring)?,
            clause: self.clause.clone(),
            scoring: enable_scoring.is_scoring_enabled(),
            cache: self.cache.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct CachedWeight {
    inner: Box<dyn Weight>,
    clause: Arc<str>,
    scoring: bool,
    cache: Arc<ClauseCache>,
}

impl Weight for CachedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let key =
            Key { segment: reader.segment_id(), clause: self.clause.clone(), boost: boost.to_bits(), scoring: self.scoring };
        let matches = match self.cache.get(&key) {
            Some(matches) => matches,
            None => {
                let mut scorer = self.inner.scorer(reader, boost)?;
                let mut all = Vec::with_capacity(scorer.size_hint() as usize);
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    all.push((doc, scorer.score()));
                    doc = scorer.advance();
                }
                let matches: Arc<[(DocId, Score)]> = all.into();
                self.cache.put(key, matches.clone(), matches.len());
                matches
            }
        };
        Ok(Box::new(ListScorer { matches, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// A cached list read as a scorer.
struct ListScorer {
    matches: Arc<[(DocId, Score)]>,
    at: usize,
}

impl DocSet for ListScorer {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.matches.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        // Galloping from where we are: intersections seek forward by small and large steps.
        let rest = &self.matches[self.at..];
        let mut step = 1;
        while step < rest.len() && rest[step].0 < target {
            step *= 2;
        }
        let window = &rest[..(step + 1).min(rest.len())];
        self.at += window.partition_point(|(d, _)| *d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.matches.get(self.at).map_or(TERMINATED, |(d, _)| *d)
    }

    fn size_hint(&self) -> u32 {
        (self.matches.len() - self.at) as u32
    }
}

impl Scorer for ListScorer {
    fn score(&mut self) -> Score {
        self.matches.get(self.at).map_or(0.0, |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(docs: &[DocId]) -> ListScorer {
        ListScorer { matches: docs.iter().map(|d| (*d, *d as f32)).collect::<Vec<_>>().into(), at: 0 }
    }

    #[test]
    fn a_list_seeks_like_a_posting_list() {
        let mut s = list(&[2, 3, 5, 8, 13, 21, 34]);
        assert_eq!(s.doc(), 2);
        assert_eq!(s.seek(2), 2);
        assert_eq!(s.seek(4), 5);
        assert_eq!(s.score(), 5.0);
        assert_eq!(s.advance(), 8);
        assert_eq!(s.seek(21), 21);
        assert_eq!(s.size_hint(), 2);
        assert_eq!(s.seek(35), TERMINATED);
        assert_eq!(s.advance(), TERMINATED);
        assert_eq!(list(&[]).doc(), TERMINATED);
    }
}
