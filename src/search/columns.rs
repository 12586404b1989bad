//! The fast fields a search reads for every match (sort keys, fine, facet ordinals), decoded
//! once per segment when the engine opens its generation into plain arrays indexed by
//! document. tantivy's columns are compact but an optional or multi-valued column costs a rank
//! lookup in its block index per document: over thousands of matches per request that was the
//! collector's largest cost (BENCHMARKS.md, "Where the time goes").

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use crate::index::Facet;

/// A fine no document holds: the fine column's value for a document without one.
pub const NO_FINE: u64 = u64::MAX;

/// One segment's columns, by document.
#[derive(Debug)]
pub struct SegmentColumns {
    pub segment: SegmentId,
    /// `u64::MAX` for a document without one, which sorts it last.
    pub seq: Vec<u64>,
    /// The date in seconds; −inf without one.
    pub date: Vec<f64>,
    /// When the store last changed the decision, in seconds; −inf without one.
    pub modified: Vec<f64>,
    /// [`NO_FINE`] without one; 8 bytes where an `Option` takes 16, so that a pass over
    /// every match reads half as much.
    pub fine: Vec<u64>,
    pub facets: Facets,
}

/// The values of every facet of [`Facet::ALL`], per document, as ordinals into one
/// dictionary: document `d` holds `ords[starts[d]..starts[d + 1]]`, all its facets side by
/// side. One array per facet field made a match cost a dozen scattered reads (one start and
/// one ordinal per field); this way it reads two starts and a few adjacent ordinals.
#[derive(Debug, Default)]
pub struct Facets {
    pub starts: Vec<u32>,
    pub ords: Vec<u32>,
    /// The decoded dictionaries of the fields one after the other: field `i` of
    /// [`Facet::ALL`] owns `values[bounds[i]..bounds[i + 1]]`. `None` for an ordinal the
    /// column's dictionary cannot name, which is never shown.
    pub values: Vec<Option<String>>,
    pub bounds: Vec<usize>,
}

impl Facets {
    pub fn of(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        &self.ords[self.starts[d] as usize..self.starts[d + 1] as usize]
    }

    /// Each facet with its values, in the order of [`Facet::ALL`].
    pub fn fields(&self) -> impl Iterator<Item = (Facet, std::ops::Range<usize>)> + '_ {
        Facet::ALL.into_iter().zip(self.bounds.windows(2).map(|b| b[0]..b[1]))
    }
}

impl SegmentColumns {
    pub fn read(reader: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let docs = 0..max_doc;
        // A document holds one value of each; were there more, the last would count, as it did
        // when the columns were read per request.
        let last = |col: &Column<u64>, d: DocId| col.values_for_doc(d).last();
        let seq_col: Option<Column<u64>> = ff.column_opt("seq")?;
        let fine_col: Option<Column<u64>> = ff.column_opt("fine")?;
        let seq = docs.clone().map(|d| seq_col.as_ref().and_then(|c| last(c, d)).unwrap_or(u64::MAX)).collect();
        // A claimed fine of 2^64 − 1 euros reads as one euro less, which sums saturate anyway.
        let fine = docs.clone().map(|d| fine_col.as_ref().and_then(|c| last(c, d)).map_or(NO_FINE, |f| f.min(NO_FINE - 1))).collect();
        let seconds = |name: &str| -> tantivy::Result<Vec<f64>> {
            let col: Option<Column<tantivy::DateTime>> = ff.column_opt(name)?;
            Ok(docs
                .clone()
                .map(|d| {
                    col.as_ref()
                        .and_then(|c| c.values_for_doc(d).last())
                        .map_or(f64::NEG_INFINITY, |t| t.into_timestamp_secs() as f64)
                })
                .collect())
        };
        let (date, modified) = (seconds("date")?, seconds("modified")?);
        let columns = Facet::ALL.into_iter().map(|f| ff.str(f.as_str())).collect::<tantivy::Result<Vec<_>>>()?;
        let facets = Facets::read(&columns, max_doc);
        Ok(SegmentColumns { segment: reader.segment_id(), seq, date, modified, fine, facets })
    }
}

impl Facets {
    fn read(columns: &[Option<StrColumn>], max_doc: DocId) -> Facets {
        let mut out = Facets { starts: Vec::with_capacity(max_doc as usize + 1), bounds: vec![0], ..Facets::default() };
        let mut bases = Vec::with_capacity(columns.len());
        for col in columns {
            bases.push(out.values.len() as u32);
            for ord in 0..col.as_ref().map_or(0, |c| c.num_terms() as u64) {
                let mut s = String::new();
                let named = col.as_ref().is_some_and(|c| c.ord_to_str(ord, &mut s).unwrap_or(false));
                out.values.push(named.then_some(s));
            }
            out.bounds.push(out.values.len());
        }
        out.starts.push(0);
        for d in 0..max_doc {
            for (col, base) in columns.iter().zip(&bases) {
                if let Some(col) = col {
                    out.ords.extend(col.ords().values_for_doc(d).map(|o| base + o as u32));
                }
            }
            out.starts.push(out.ords.len() as u32);
        }
        out
    }
}
