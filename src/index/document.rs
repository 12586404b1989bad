//! A decision as a tantivy document: the one place a record becomes one.

use tantivy::{DateTime, TantivyDocument};

use crate::record::{Decision, Head, Language};
use crate::Result;

use super::words;
use super::{passage_source, Fields, Location};

impl Fields {
    /// The tantivy document of `decision`, the `seq`-th decision the store added, stored `at`.
    /// Each text is analysed in its own language, and so is each summary.
    pub fn document(&self, decision: &Decision, seq: u64, at: Location) -> Result<TantivyDocument> {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &decision.id);
        doc.add_text(self.key, &decision.id);
        for alias in &decision.aliases {
            doc.add_text(self.key, alias);
        }
        for (language, text_field, summary_field, paragraphs) in [
            (Language::Fr, self.text_fr, self.summary_fr, self.paragraphs_fr),
            (Language::En, self.text_en, self.summary_en, self.paragraphs_en),
        ] {
            if let Some(reading) = decision.text_in(language) {
                doc.add_text(text_field, &reading.record.text);
                doc.add_text(self.text_exact, &reading.record.text);
            }
            let ours = match language {
                Language::Fr => &decision.summaries.fr,
                Language::En => &decision.summaries.en,
            };
            let theirs = decision.third_party_summaries.iter().filter(|s| s.language == language).map(|s| &s.text);
            // Ours first: a summary passage numbers its words from the field's first value.
            for summary in ours.iter().chain(theirs) {
                doc.add_text(summary_field, summary);
                doc.add_text(self.text_exact, summary);
            }
            let table = match passage_source(decision, language) {
                Some((source, text)) => {
                    let mut table = vec![source as u8];
                    table.extend(words::encode(&words::paragraphs(text)));
                    table
                }
                None => Vec::new(),
            };
            doc.add_bytes(paragraphs, &table);
        }
        if let Some(t) = &decision.title {
            let title = match crate::extract::detect_language(t) {
                Language::Fr => self.title_fr,
                Language::En => self.title_en,
            };
            doc.add_text(title, t);
            doc.add_text(self.text_exact, t);
        }
        let facts = &decision.facts;
        if let Some(r) = &facts.respondent {
            doc.add_text(self.respondent, r);
        }
        if let Some(n) = &facts.nature {
            doc.add_text(self.nature, n);
        }
        for b in &facts.breached {
            doc.add_text(self.breached, b);
        }
        if let Some(s) = &facts.sector {
            doc.add_text(self.sector, s);
        }
        for m in &facts.measures {
            doc.add_text(self.measures, m.as_str());
        }
        if let Some(k) = facts.respondent_kind {
            doc.add_text(self.respondent_kind, k.as_str());
        }
        if let Some(y) = decision.facts.year() {
            doc.add_text(self.year, y.to_string());
        }
        if let Some(d) = facts.date {
            doc.add_date(self.date, date_time(d));
        }
        if let Some(f) = facts.fine_eur {
            doc.add_u64(self.fine, f);
        }
        doc.add_date(self.added, instant(decision.added));
        doc.add_date(self.modified, instant(decision.modified));
        doc.add_u64(self.seq, seq);
        doc.add_text(self.head, serde_json::to_string(&Head::from(decision))?);
        doc.add_u64(self.chunk, u64::from(at.chunk));
        doc.add_u64(self.record_offset, at.offset);
        doc.add_u64(self.record_len, at.len);
        doc.add_u64(self.record_crc, u64::from(at.crc));
        doc.add_u64(self.text_fr_offset, at.fr.offset);
        doc.add_u64(self.text_fr_len, at.fr.len);
        doc.add_u64(self.text_en_offset, at.en.offset);
        doc.add_u64(self.text_en_len, at.en.len);
        Ok(doc)
    }
}

/// Midnight UTC of `d`, the value stored in the `date` field.
pub fn date_time(d: chrono::NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0))
}

/// An instant as the index stores it: to the second, rounded down.
pub fn instant(t: chrono::DateTime<chrono::Utc>) -> DateTime {
    DateTime::from_timestamp_secs(t.timestamp())
}
