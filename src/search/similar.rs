//! Decisions like a given one.

use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query};
use tantivy::schema::OwnedValue;

use crate::record::Language;
use crate::{Error, Result};

use super::collect::PageCollector;
use super::compile::{boosted, term_query};
use super::request::parameter;
use super::snippet;
use super::{Engine, Hit, SortBy, MAX_LIMIT};

/// Text given to more-like-this: enough to characterise a decision, bounded in cost.
const MLT_TEXT_BYTES: usize = 30_000;

impl Engine {
    /// Decisions like `id`: more-like-this on its text, plus shared breached provisions and
    /// sector. `NotFound` when `id` is not in the index.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Vec<Hit>> {
        if limit == 0 || limit > MAX_LIMIT {
            return Err(parameter("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        let searcher = self.searcher();
        let addr = self.address_of(&searcher, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        let decision = self.files.decision(self.head_at(&searcher, addr)?.1)?;
        let f = &self.fields;
        let (text_field, text) = match decision.main_text() {
            Some(r) if r.record.language == Language::Fr => (f.text_fr, r.record.text.as_str()),
            Some(r) => (f.text_en, r.record.text.as_str()),
            None => match (&decision.summaries.en, &decision.summaries.fr) {
                (Some(en), _) => (f.summary_en, en.as_str()),
                (None, Some(fr)) => (f.summary_fr, fr.as_str()),
                (None, None) => (f.text_exact, decision.title.as_deref().unwrap_or_default()),
            },
        };
        let cut = snippet::floor_boundary(text, MLT_TEXT_BYTES);
        let mlt = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(searcher.num_docs().max(2) / 2 + 1)
            .with_min_term_frequency(2)
            .with_min_word_length(4)
            .with_max_query_terms(40)
            .with_document_fields(vec![(text_field, vec![OwnedValue::Str(text[..cut].to_string())])]);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, Box::new(mlt))];
        for b in &decision.facts.breached {
            clauses.push((Occur::Should, boosted(term_query(f.breached, &b.to_lowercase()), 2.0)));
        }
        if let Some(s) = &decision.facts.sector {
            clauses.push((Occur::Should, boosted(term_query(f.sector, &s.to_lowercase()), 1.5)));
        }
        clauses.push((Occur::MustNot, term_query(f.key, &decision.id.to_lowercase())));
        let collector = PageCollector { sort: SortBy::Relevance, ascending: false, want: limit, after: None, columns: &self.columns, count: false };
        let collected = searcher.search(&BooleanQuery::new(clauses), &collector)?;
        collected
            .top
            .iter()
            .map(|(key, addr)| {
                let head = self.head_at(&searcher, *addr)?.0;
                Ok(Hit { head, score: Some(key.primary as f32), snippet: Vec::new(), passages: Vec::new() })
            })
            .collect()
    }
}
