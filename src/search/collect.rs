//! One pass over the matching documents: the page of hits (sorted by score, date or fine,
//! after an optional search_after key), the total, facet counts and fine statistics.
//!
//! Matches are gathered in blocks and each fast-field column is read for a whole block at
//! once: per document, an optional column costs a rank lookup in its block index, which was
//! the largest single cost of a search over thousands of matches.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::FACET_FIELDS;
use crate::search::SortBy;

/// Where a document sorts: `primary` descending (score, date in seconds, fine; negated for an
/// ascending sort), then `seq` ascending. Documents without a date or fine sort after all
/// others.
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
    /// Facet field name → value → group.
    pub facets: HashMap<&'static str, HashMap<String, Group>>,
    pub fines: Vec<u64>,
}

pub struct PageCollector {
    pub sort: SortBy,
    /// Smallest value first.
    pub ascending: bool,
    pub want: usize,
    pub after: Option<SortKey>,
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
    seq: Column<u64>,
    date: Column<tantivy::DateTime>,
    fine: Column<u64>,
    facet_cols: Vec<(&'static str, Option<StrColumn>, Vec<Group>)>,
    heap: BinaryHeap<Entry>,
    total: u64,
    after_cursor: u64,
    fines: Vec<u64>,
    block: Block,
}

/// Documents matched and not yet counted, and scratch space to read their columns.
#[derive(Default)]
struct Block {
    docs: Vec<DocId>,
    scores: Vec<Score>,
    fine: Vec<Option<u64>>,
    primary: Vec<f64>,
    seq: Vec<u64>,
    row_docs: Vec<DocId>,
    rows: Vec<u32>,
}

/// Matches per block: large enough to amortise a column read, small enough to stay in cache.
const BLOCK_DOCS: usize = 512;

/// Calls `f(i, row)` for every value row of the documents `docs` (sorted, unique) in `column`,
/// `i` being the document's index in `docs`.
fn for_each_row<T>(
    column: &Column<T>,
    docs: &[DocId],
    row_docs: &mut Vec<DocId>,
    rows: &mut Vec<u32>,
    mut f: impl FnMut(usize, u32),
) where
    T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
{
    row_docs.clear();
    rows.clear();
    column.row_ids_for_docs(docs, row_docs, rows);
    let mut i = 0;
    for (&doc, &row) in row_docs.iter().zip(rows.iter()) {
        while docs[i] < doc {
            i += 1;
        }
        f(i, row);
    }
}

/// A fast-field column; a segment where no document has a value has no column at all.
fn column<T>(reader: &SegmentReader, name: &str) -> tantivy::Result<Column<T>>
where
    T: PartialOrd + Copy + Default + tantivy::columnar::HasAssociatedColumnType + Send + Sync + 'static,
    tantivy::columnar::DynamicColumn: Into<Option<Column<T>>>,
{
    Ok(reader.fast_fields().column_opt(name)?.unwrap_or_else(|| Column::build_empty_column(reader.max_doc())))
}

impl Collector for PageCollector {
    type Fruit = Collected;
    type Child = PageSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PageSegment> {
        let ff = reader.fast_fields();
        let mut facet_cols = Vec::new();
        for name in FACET_FIELDS {
            let col = ff.str(name)?;
            let n = col.as_ref().map_or(0, |c| c.num_terms());
            facet_cols.push((name, col, vec![Group::default(); n]));
        }
        Ok(PageSegment {
            segment,
            sort: self.sort,
            ascending: self.ascending,
            want: self.want,
            after: self.after,
            seq: column(reader, "seq")?,
            date: column(reader, "date")?,
            fine: column(reader, "fine")?,
            facet_cols,
            heap: BinaryHeap::new(),
            total: 0,
            after_cursor: 0,
            fines: Vec::new(),
            block: Block::default(),
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
            for (field, values) in f.facets {
                let merged = out.facets.entry(field).or_default();
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
    /// Counts the block's documents in the facets and fine statistics and offers them to the
    /// page.
    fn flush(&mut self) {
        let b = &mut self.block;
        let n = b.docs.len();
        if n == 0 {
            return;
        }
        self.total += n as u64;
        b.fine.clear();
        b.fine.resize(n, None);
        let fine_values = &self.fine.values;
        let fine = &mut b.fine;
        for_each_row(&self.fine, &b.docs, &mut b.row_docs, &mut b.rows, |i, row| fine[i] = Some(fine_values.get_val(row)));
        self.fines.extend(b.fine.iter().flatten());
        for (_, col, groups) in &mut self.facet_cols {
            let Some(col) = col else { continue };
            let ords = col.ords();
            let fine = &b.fine;
            for_each_row(ords, &b.docs, &mut b.row_docs, &mut b.rows, |i, row| {
                if let Some(g) = groups.get_mut(ords.values.get_val(row) as usize) {
                    g.count += 1;
                    if let Some(f) = fine[i] {
                        g.fine_count += 1;
                        // A hostile source could claim any amount: saturate, never overflow.
                        g.fine_sum = g.fine_sum.saturating_add(f);
                    }
                }
            });
        }
        b.primary.clear();
        match self.sort {
            SortBy::Relevance => b.primary.extend(b.scores.iter().map(|s| f64::from(*s))),
            SortBy::Fine => b.primary.extend(b.fine.iter().map(|f| f.map_or(f64::NEG_INFINITY, |f| f as f64))),
            SortBy::Date => {
                b.primary.resize(n, f64::NEG_INFINITY);
                let dates = &self.date.values;
                let primary = &mut b.primary;
                for_each_row(&self.date, &b.docs, &mut b.row_docs, &mut b.rows, |i, row| {
                    primary[i] = dates.get_val(row).into_timestamp_secs() as f64;
                });
            }
        }
        if self.ascending {
            for p in b.primary.iter_mut().filter(|p| p.is_finite()) {
                *p = -*p;
            }
        }
        b.seq.clear();
        b.seq.resize(n, u64::MAX);
        let (seqs, seq) = (&self.seq.values, &mut b.seq);
        for_each_row(&self.seq, &b.docs, &mut b.row_docs, &mut b.rows, |i, row| seq[i] = seqs.get_val(row));
        for i in 0..n {
            let key = SortKey { primary: b.primary[i], seq: b.seq[i] };
            if let Some(after) = &self.after {
                if key.rank(after) != Ordering::Greater {
                    continue;
                }
            }
            self.after_cursor += 1;
            if self.want == 0 {
                continue;
            }
            let entry = Entry(key, DocAddress::new(self.segment, b.docs[i]));
            if self.heap.len() < self.want {
                self.heap.push(entry);
            } else if let Some(worst) = self.heap.peek() {
                if entry.0.rank(&worst.0) == Ordering::Less {
                    self.heap.pop();
                    self.heap.push(entry);
                }
            }
        }
        b.docs.clear();
        b.scores.clear();
    }
}

impl SegmentCollector for PageSegment {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.block.docs.push(doc);
        self.block.scores.push(score);
        if self.block.docs.len() == BLOCK_DOCS {
            self.flush();
        }
    }

    fn harvest(mut self) -> Collected {
        self.flush();
        let mut facets = HashMap::new();
        for (name, col, groups) in self.facet_cols {
            let mut values = HashMap::new();
            if let Some(col) = col {
                let mut s = String::new();
                for (ord, g) in groups.into_iter().enumerate() {
                    if g.count == 0 {
                        continue;
                    }
                    s.clear();
                    if col.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                        values.insert(s.clone(), g);
                    }
                }
            }
            facets.insert(name, values);
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
