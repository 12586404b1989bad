//! The schema: every field, its options and analyzer, resolved once.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};

use crate::{Error, Result};

use super::analysis::{EN_STEM, EXACT, FR_STEM, RAW_LC};
use super::Facet;

/// Every field of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The record id, verbatim (stored for hits).
    pub id: Field,
    /// Lower-cased id and decision number: `get` and "a number typed alone".
    pub key: Field,
    /// Full text, title and summary, analysed in the record's language.
    pub text_fr: Field,
    pub text_en: Field,
    pub title_fr: Field,
    pub title_en: Field,
    pub summary_fr: Field,
    pub summary_en: Field,
    /// Unstemmed folded text of every record, for exact phrases and all-stop-word queries.
    pub text_exact: Field,
    pub respondent: Field,
    /// Facets: indexed lower-cased (filters), fast in their original spelling (counts).
    pub nature: Field,
    pub breached: Field,
    pub sector: Field,
    pub measures: Field,
    pub respondent_kind: Field,
    pub year: Field,
    pub date: Field,
    /// When the store first held the decision and last changed it (`added_since`,
    /// `modified_since`).
    pub added: Field,
    pub modified: Field,
    pub fine: Field,
    /// Position of the record in the build input: a stable tie-break for sorting and cursors.
    pub seq: Field,
    /// The [`crate::record::Head`] of the record as JSON: all a result list needs, a few hundred bytes.
    pub head: Field,
    /// Where the whole decision lies in its generation ([`Location`]): the chunk, the line of
    /// its `decisions-<chunk>.jsonl` and that line's crc32. The doc store decompresses whole
    /// blocks, so holding 30 KB decisions there would make every hit pay for its neighbours'
    /// texts too.
    pub chunk: Field,
    pub record_offset: Field,
    pub record_len: Field,
    pub record_crc: Field,
    /// Where the French and the English passage source lie in `texts-<chunk>.bin`, verbatim:
    /// a snippet reads one paragraph of it, not a JSON line to decode.
    pub text_fr_offset: Field,
    pub text_fr_len: Field,
    pub text_en_offset: Field,
    pub text_en_len: Field,
    /// The paragraph tables of those passage sources ([`words::encode`]), each prefixed by
    /// one byte saying which field numbers its words ([`PassageSource`]); empty when none.
    pub paragraphs_fr: Field,
    pub paragraphs_en: Field,
}

impl Fields {
    /// Builds the schema and resolves its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analysed = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let facet = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(RAW_LC).set_index_option(IndexRecordOption::Basic),
            )
            .set_fast("raw");
        let id = b.add_text_field("id", STRING | STORED);
        let key = b.add_text_field(
            "key",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(RAW_LC).set_index_option(IndexRecordOption::Basic),
            ),
        );
        let text_fr = b.add_text_field("text_fr", analysed(FR_STEM));
        let text_en = b.add_text_field("text_en", analysed(EN_STEM));
        let title_fr = b.add_text_field("title_fr", analysed(FR_STEM));
        let title_en = b.add_text_field("title_en", analysed(EN_STEM));
        let summary_fr = b.add_text_field("summary_fr", analysed(FR_STEM));
        let summary_en = b.add_text_field("summary_en", analysed(EN_STEM));
        let text_exact = b.add_text_field("text_exact", analysed(EXACT));
        let respondent = b.add_text_field("respondent", analysed(EXACT));
        let nature = b.add_text_field(Facet::Nature.as_str(), facet.clone());
        let breached = b.add_text_field(Facet::Breached.as_str(), facet.clone());
        let sector = b.add_text_field(Facet::Sector.as_str(), facet.clone());
        let measures = b.add_text_field(Facet::Measures.as_str(), facet.clone());
        let respondent_kind = b.add_text_field(Facet::RespondentKind.as_str(), facet.clone());
        let year = b.add_text_field(Facet::Year.as_str(), facet);
        let seconds = DateOptions::default().set_indexed().set_fast().set_precision(DateTimePrecision::Seconds);
        let date = b.add_date_field("date", seconds.clone());
        let added = b.add_date_field("added", seconds.clone());
        let modified = b.add_date_field("modified", seconds);
        let fine = b.add_u64_field("fine", NumericOptions::default().set_indexed().set_fast());
        let seq = b.add_u64_field("seq", NumericOptions::default().set_fast());
        let head = b.add_text_field("head", STORED);
        let chunk = b.add_u64_field("chunk", STORED);
        let record_offset = b.add_u64_field("record_offset", STORED);
        let record_len = b.add_u64_field("record_len", STORED);
        let record_crc = b.add_u64_field("record_crc", STORED);
        let text_fr_offset = b.add_u64_field("text_fr_offset", STORED);
        let text_fr_len = b.add_u64_field("text_fr_len", STORED);
        let text_en_offset = b.add_u64_field("text_en_offset", STORED);
        let text_en_len = b.add_u64_field("text_en_len", STORED);
        let paragraphs_fr = b.add_bytes_field("paragraphs_fr", STORED);
        let paragraphs_en = b.add_bytes_field("paragraphs_en", STORED);
        let fields = Fields {
            id,
            key,
            text_fr,
            text_en,
            title_fr,
            title_en,
            summary_fr,
            summary_en,
            text_exact,
            respondent,
            nature,
            breached,
            sector,
            measures,
            respondent_kind,
            year,
            date,
            added,
            modified,
            fine,
            seq,
            head,
            chunk,
            record_offset,
            record_len,
            record_crc,
            text_fr_offset,
            text_fr_len,
            text_en_offset,
            text_en_len,
            paragraphs_fr,
            paragraphs_en,
        };
        (b.build(), fields)
    }

    /// The field of a facet.
    pub fn facet(&self, facet: Facet) -> Field {
        match facet {
            Facet::Breached => self.breached,
            Facet::Sector => self.sector,
            Facet::Measures => self.measures,
            Facet::RespondentKind => self.respondent_kind,
            Facet::Year => self.year,
            Facet::Nature => self.nature,
        }
    }

    /// Resolves the fields of an opened index, refusing an index with another schema.
    pub fn of(schema: &Schema) -> Result<Fields> {
        let (expected, fields) = Fields::schema();
        if *schema != expected {
            return Err(Error::Index("index schema differs from this version of recueil; rebuild it".into()));
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::{Facet, Fields};

    #[test]
    fn every_facet_is_the_field_of_its_name() {
        let (schema, fields) = Fields::schema();
        for f in Facet::ALL {
            assert_eq!(schema.get_field_name(fields.facet(f)), f.as_str());
        }
    }
}
