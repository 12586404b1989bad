//! One pass over the matching documents: the page of hits (sorted by score, date, fine or last
//! change, after an optional search_after key), the total, facet counts and fine statistics. Every
//! value a match needs is read from the engine's decoded [`SegmentColumns`].

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::Facet;
use crate::search::columns::{SegmentColumns, NO_FINE};
use crate::search::SortBy;

/// Where a document sorts: `primary` descending (score, date or last change in seconds, fine;
/// negated for an ascending sort), then `seq` ascending. Documents without the sorted value
/// sort after all others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SortKey {
    pub primary: f64,
    pub seq: u64,
}

impl SortKey {
    /// `Less` when `self` comes first.
    pub fn rank(&self, other: &SortKey) -> Ordering {
        other.primary.total_cmp(&self.primary).then(self.seq.cmp(&other.seq))
    }
}

/// Per facet value: decisions, decisions with a fine, and the sum of those fines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Group {
    pub count: u64,
    pub fine_count: u64,
    pub fine_sum: u64,
}

#[derive(Debug, Default)]
pub struct Collected {
    pub total: u64,
    /// Documents past the cursor (all of them without one).
    pub after_cursor: u64,
    /// The first `want` documents past the cursor, in order.
    pub top: Vec<(SortKey, DocAddress)>,
    /// Facet → value → group.
    pub facets: HashMap<Facet, HashMap<String, Group>>,
    pub fines: Vec<u64>,
}

pub struct PageCollector<'a> {
    pub sort: SortBy,
    /// Smallest value first.
    pub ascending: bool,
    pub want: usize,
    pub after: Option<SortKey>,
    /// The engine's columns, by segment ordinal.
    pub columns: &'a [Arc<SegmentColumns>],
    /// Whether facet counts and fines are gathered: not when the result set's are known, or
    /// not wanted.
    pub count: bool,
}

struct Entry(SortKey, DocAddress);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// The heap's maximum is the entry that ranks last, the one to evict.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.rank(&other.0)
    }
}

pub struct PageSegment {
    segment: SegmentOrdinal,
    sort: SortBy,
    ascending: bool,
    want: usize,
    after: Option<SortKey>,
    columns: Arc<SegmentColumns>,
    count: bool,
    /// Per ordinal of `columns.facets`; empty when not counting.
    groups: Vec<Group>,
    heap: BinaryHeap<Entry>,
    total: u64,
    after_cursor: u64,
    fines: Vec<u64>,
}

impl Collector for PageCollector<'_> {
    type Fruit = Collected;
    type Child = PageSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PageSegment> {
        let columns = match self.columns.get(segment as usize) {
            Some(c) if c.segment == reader.segment_id() => c.clone(),
            // Not a segment the engine opened: read its columns now.
            _ => Arc::new(SegmentColumns::read(reader)?),
        };
        let groups = if self.count { vec![Group::default(); columns.facets.values.len()] } else { Vec::new() };
        Ok(PageSegment {
            segment,
            sort: self.sort,
            ascending: self.ascending,
            want: self.want,
            after: self.after,
            columns,
            count: self.count,
            groups,
            heap: BinaryHeap::new(),
            total: 0,
            after_cursor: 0,
            fines: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == SortBy::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut out = Collected::default();
        for f in fruits {
            out.total += f.total;
            out.after_cursor += f.after_cursor;
            out.top.extend(f.top);
            out.fines.extend(f.fines);
            for (facet, values) in f.facets {
                let merged = out.facets.entry(facet).or_default();
                for (value, g) in values {
                    let m = merged.entry(value).or_default();
                    m.count += g.count;
                    m.fine_count += g.fine_count;
                    m.fine_sum = m.fine_sum.saturating_add(g.fine_sum);
                }
            }
        }
        out.top.sort_by(|a, b| a.0.rank(&b.0));
        out.top.truncate(self.want);
        Ok(out)
    }
}

impl PageSegment {
    /// Adds a match to the facet counts and the fines. Its ordinals and fine are a memory
    /// load each, which most of a frequent word's request paid for.
    fn count_match(&mut self, doc: DocId) {
        let c = &*self.columns;
        let fine = c.fine[doc as usize];
        let fined = fine != NO_FINE;
        if fined {
            self.fines.push(fine);
        }
        // Branch-free: a match without a fine adds nothing to the fine count and sum.
        let (fine_count, fine_amount) = if fined { (1, fine) } else { (0, 0) };
        for &ord in c.facets.of(doc) {
            if let Some(g) = self.groups.get_mut(ord as usize) {
                g.count += 1;
                g.fine_count += fine_count;
                // A hostile source could claim any amount: saturate, never overflow.
                g.fine_sum = g.fine_sum.saturating_add(fine_amount);
            }
        }
    }
}

impl SegmentCollector for PageSegment {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        if self.count {
            self.count_match(doc);
        }
        let c = &*self.columns;
        let d = doc as usize;
        let primary = match self.sort {
            SortBy::Relevance => f64::from(score),
            SortBy::Fine => match c.fine[d] {
                NO_FINE => f64::NEG_INFINITY,
                fine => fine as f64,
            },
            SortBy::Date => c.date[d],
            SortBy::Modified => c.modified[d],
        };
        // Ascending: the smallest value ranks first; missing values stay last.
        let primary = if self.ascending && primary.is_finite() { -primary } else { primary };
        // The tie-breaking sequence number is read only when the primary value ties: most
        // matches rank after the page on their primary value alone.
        if let Some(after) = &self.after {
            match primary.total_cmp(&after.primary) {
                Ordering::Greater => return,
                Ordering::Equal if c.seq[d] <= after.seq => return,
                _ => {}
            }
        }
        self.after_cursor += 1;
        if self.want == 0 {
            return;
        }
        if self.heap.len() >= self.want {
            let Some(worst) = self.heap.peek() else { return };
            if primary.total_cmp(&worst.0.primary) == Ordering::Less {
                return;
            }
        }
        let entry = Entry(SortKey { primary, seq: c.seq[d] }, DocAddress::new(self.segment, doc));
        if self.heap.len() < self.want {
            self.heap.push(entry);
        } else if let Some(worst) = self.heap.peek() {
            if entry.0.rank(&worst.0) == Ordering::Less {
                self.heap.pop();
                self.heap.push(entry);
            }
        }
    }

    fn harvest(self) -> Collected {
        let mut facets = HashMap::new();
        let f = &self.columns.facets;
        for (facet, range) in f.fields().filter(|_| self.count) {
            let values = self.groups[range.clone()]
                .iter()
                .zip(&f.values[range])
                .filter(|(g, _)| g.count > 0)
                .filter_map(|(g, value)| Some((value.clone()?, *g)))
                .collect();
            facets.insert(facet, values);
        }
        Collected {
            total: self.total,
            after_cursor: self.after_cursor,
            top: self.heap.into_iter().map(|e| (e.0, e.1)).collect(),
            facets,
            fines: self.fines,
        }
    }
}
