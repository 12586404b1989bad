//! The fast fields a search reads for every match (sort keys, fine, facet ordinals), decoded
//! once per segment when the engine opens its generation into plain arrays indexed by
//! document. tantivy's columns are compact but an optional or multi-valued column costs a rank
//! lookup in its block index per document: over thousands of matches per request that was the
//! collector's largest cost (BENCHMARKS.md, "Where the time goes").

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use crate::index::Facet;

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
    pub fine: Vec<Option<u64>>,
    /// One per facet of [`Facet::ALL`], in that order.
    pub facets: Vec<FacetColumn>,
}

/// A facet field's values per document as ordinals into `values` (the column's dictionary,
/// decoded; `None` for an ordinal the dictionary cannot name, which is never shown): document
/// `d` holds `ords[starts[d]..starts[d + 1]]`.
#[derive(Debug)]
pub struct FacetColumn {
    pub facet: Facet,
    pub starts: Vec<u32>,
    pub ords: Vec<u32>,
    pub values: Vec<Option<String>>,
}

impl FacetColumn {
    pub fn of(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        &self.ords[self.starts[d] as usize..self.starts[d + 1] as usize]
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
        let fine = docs.clone().map(|d| fine_col.as_ref().and_then(|c| last(c, d))).collect();
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
        let mut facets = Vec::with_capacity(Facet::ALL.len());
        for facet in Facet::ALL {
            facets.push(FacetColumn::read(facet, ff.str(facet.as_str())?, max_doc));
        }
        Ok(SegmentColumns { segment: reader.segment_id(), seq, date, modified, fine, facets })
    }
}

impl FacetColumn {
    fn read(facet: Facet, col: Option<StrColumn>, max_doc: DocId) -> FacetColumn {
        let mut out =
            FacetColumn { facet, starts: Vec::with_capacity(max_doc as usize + 1), ords: Vec::new(), values: Vec::new() };
        out.starts.push(0);
        let Some(col) = col else {
            out.starts.resize(max_doc as usize + 1, 0);
            return out;
        };
        for ord in 0..col.num_terms() as u64 {
            let mut s = String::new();
            out.values.push(col.ord_to_str(ord, &mut s).unwrap_or(false).then_some(s));
        }
        for d in 0..max_doc {
            out.ords.extend(col.ords().values_for_doc(d).map(|o| o as u32));
            out.starts.push(out.ords.len() as u32);
        }
        out
    }
}
