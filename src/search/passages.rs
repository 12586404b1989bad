//! The passages of a hit: the paragraphs that hold the most query words, or the opening.

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

use crate::index::{words, PassageSource, TextAt};
use crate::record::Language;
use crate::{Error, Result};

use super::lookup::Stored;
use super::snippet;
use super::{Engine, SnippetPart};

/// Bytes of a text read for its opening when no paragraph of it matched: a window's worth.
const OPENING_BYTES: u64 = 2048;

impl Engine {
    /// The passage of a hit for `terms`: in each language the decision has a passage source
    /// in, the positions of the query's stems in the field that numbers its words say which
    /// paragraph holds the most distinct words (then the most matches); the better of the two
    /// is read, and only that paragraph.
    /// Up to `n` passages, best first: paragraphs of the best-matching text, or its opening
    /// when none matched.
    pub(super) fn passages(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        stored: &Stored,
        terms: &snippet::Terms,
        n: usize,
    ) -> Result<Vec<Vec<SnippetPart>>> {
        let f = &self.fields;
        let mut best: Option<((u32, u32), Language, TextAt, Vec<words::Paragraph>)> = None;
        let mut fallback: Option<(Language, TextAt)> = None;
        for (language, table, text_at) in
            [(Language::Fr, &stored.paragraphs[0], stored.at.fr), (Language::En, &stored.paragraphs[1], stored.at.en)]
        {
            let Some((&kind, encoded)) = table.split_first() else { continue };
            let field = match (PassageSource::from_byte(kind), language) {
                (Some(PassageSource::Text), Language::Fr) => f.text_fr,
                (Some(PassageSource::Text), Language::En) => f.text_en,
                (Some(PassageSource::Summary), Language::Fr) => f.summary_fr,
                (Some(PassageSource::Summary), Language::En) => f.summary_en,
                (None, _) => return Err(Error::Index("stored paragraph table of an unknown kind".into())),
            };
            if fallback.is_none() || language == stored.head.language {
                fallback = Some((language, text_at));
            }
            let paragraphs = words::decode(encoded)?;
            let ranked = best_paragraphs(searcher, addr, field, &paragraphs, terms.indexed(language), n)?;
            if let Some(&(score, _)) = ranked.first() {
                if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                    best = Some((score, language, text_at, ranked.iter().map(|(_, k)| paragraphs[*k]).collect()));
                }
            }
        }
        Ok(match (best, fallback) {
            (Some((_, language, text_at, ps)), _) => ps
                .iter()
                .map(|p| {
                    let text = self.read_text(stored.at.chunk, text_at, p.start as u64, p.end as u64)?;
                    Ok(snippet::passage(&text, language, terms))
                })
                .collect::<Result<_>>()?,
            // Matched in the title, a third party's summary or a filter only: the opening.
            (None, Some((_, text_at))) => {
                vec![snippet::opening(&self.read_text(stored.at.chunk, text_at, 0, text_at.len.min(OPENING_BYTES))?)]
            }
            (None, None) => Vec::new(),
        })
    }

    /// Bytes `[from, to)` of a passage source, cut back to whole characters.
    fn read_text(&self, chunk: u32, text: TextAt, from: u64, to: u64) -> Result<String> {
        let bytes = self.files.text(chunk, text, from, to)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            // The opening may end inside a character.
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let mut bytes = e.into_bytes();
                bytes.truncate(valid);
                String::from_utf8(bytes).map_err(|_| Error::Index("stored text is not utf-8".into()))
            }
        }
    }
}

/// The `n` paragraphs of the document `addr` that hold the most distinct query words in
/// `field` (then the most matches), best first, each with that score; none when no word
/// matched there.
fn best_paragraphs(
    searcher: &Searcher,
    addr: DocAddress,
    field: Field,
    paragraphs: &[words::Paragraph],
    stems: &[(String, usize)],
    n: usize,
) -> Result<Vec<((u32, u32), usize)>> {
    let inverted = searcher.segment_reader(addr.segment_ord).inverted_index(field)?;
    // Per paragraph: the query words seen (bit i for word i) and the matches.
    let mut seen: Vec<(u64, u32)> = vec![(0, 0); paragraphs.len()];
    let mut positions = Vec::new();
    for (stem, word) in stems {
        let term = Term::from_field_text(field, stem);
        let postings = inverted
            .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
            .map_err(|e| Error::Index(format!("cannot read postings: {e}")))?;
        let Some(mut postings) = postings else {
            continue;
        };
        if postings.seek(addr.doc_id) != addr.doc_id {
            continue;
        }
        positions.clear();
        postings.positions(&mut positions);
        for &p in &positions {
            if let Some(k) = words::containing(paragraphs, p) {
                seen[k].0 |= 1 << word;
                seen[k].1 += 1;
            }
        }
    }
    let mut ranked: Vec<((u32, u32), usize)> =
        (0..seen.len()).filter(|&k| seen[k].1 > 0).map(|k| ((seen[k].0.count_ones(), seen[k].1), k)).collect();
    // Most query words, then most matches, then the earliest paragraph.
    ranked.sort_unstable_by_key(|&(score, k)| (std::cmp::Reverse(score), k));
    ranked.truncate(n);
    Ok(ranked)
}
