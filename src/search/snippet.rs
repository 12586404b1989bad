//! Highlighted passages with bounded cost. tantivy's SnippetGenerator re-analyses the whole
//! stored text with the stemmer for every hit; here the text goes through the cheap
//! lower-case + fold analyzer once, only tokens that could match a query stem (same first
//! three letters) are stemmed, and the best paragraph is cut to a window.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::TextAnalyzer;

use crate::index::analysis::{self, EN_STEM, EXACT, FR_STEM};
use crate::record::{Language, Record};
use crate::search::SnippetPart;

/// Characters of context shown around the passage's first match.
const WINDOW_CHARS: usize = 280;
const LEAD_CHARS: usize = 80;
/// Only stems this long highlight by stem: a two-letter stem would light up half the text.
const MIN_STEM_LEN: usize = 3;

/// The words of a query, analysed once per request.
#[derive(Debug, Default)]
pub struct Terms {
    exact: HashSet<String>,
    stems_fr: HashSet<String>,
    stems_en: HashSet<String>,
}

impl Terms {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Terms {
        let mut exact = analysis::analyzer(EXACT);
        let mut fr = analysis::analyzer(FR_STEM);
        let mut en = analysis::analyzer(EN_STEM);
        let mut t = Terms::default();
        for w in words {
            t.exact.extend(analysis::tokens(&mut exact, w));
            t.stems_fr.extend(analysis::tokens(&mut fr, w).into_iter().filter(|s| s.len() >= MIN_STEM_LEN));
            t.stems_en.extend(analysis::tokens(&mut en, w).into_iter().filter(|s| s.len() >= MIN_STEM_LEN));
        }
        t
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }
}

/// Decides whether one folded token matches, stemming only plausible candidates.
struct Matcher<'a> {
    terms: &'a Terms,
    stems: &'a HashSet<String>,
    prefixes: HashSet<&'a str>,
    stemmer: TextAnalyzer,
    cache: HashMap<String, Option<String>>,
}

impl<'a> Matcher<'a> {
    fn new(terms: &'a Terms, language: Language) -> Matcher<'a> {
        let (stems, name) = match language {
            Language::Fr => (&terms.stems_fr, FR_STEM),
            Language::En => (&terms.stems_en, EN_STEM),
        };
        let prefixes = stems.iter().filter_map(|s| s.get(..MIN_STEM_LEN)).collect();
        Matcher { terms, stems, prefixes, stemmer: analysis::analyzer(name), cache: HashMap::new() }
    }

    /// The matched term (its exact form or stem), if any.
    fn matches(&mut self, folded: &str) -> Option<String> {
        if self.terms.exact.contains(folded) {
            return Some(folded.to_string());
        }
        if !folded.get(..MIN_STEM_LEN).is_some_and(|p| self.prefixes.contains(p)) {
            return None;
        }
        if let Some(hit) = self.cache.get(folded) {
            return hit.clone();
        }
        let stem = analysis::tokens(&mut self.stemmer, folded).pop();
        let hit = stem.filter(|s| self.stems.contains(s));
        self.cache.insert(folded.to_string(), hit.clone());
        hit
    }
}

/// The best passage of `record` for `terms`: the paragraph with the most distinct matched
/// terms (then the most matches), cut to a window around its first match. Without a match,
/// the opening of the text.
pub fn snippet(record: &Record, terms: &Terms) -> Vec<SnippetPart> {
    let text = record.text.as_str();
    let mut matcher = Matcher::new(terms, record.language);
    let mut exact = analysis::analyzer(EXACT);

    // (paragraph start, paragraph end, distinct, total, match ranges)
    let mut best: Option<(usize, usize, usize, usize, Vec<(usize, usize)>)> = None;
    if !terms.is_empty() {
        let mut para_start = 0;
        for para in text.split("\n\n") {
            let start = para_start;
            para_start += para.len() + 2;
            let mut ranges = Vec::new();
            let mut distinct = HashSet::new();
            let mut stream = exact.token_stream(para);
            while stream.advance() {
                let tok = stream.token();
                if let Some(term) = matcher.matches(&tok.text) {
                    distinct.insert(term);
                    ranges.push((start + tok.offset_from, start + tok.offset_to));
                }
            }
            if ranges.is_empty() {
                continue;
            }
            let better = match &best {
                None => true,
                Some((_, _, d, t, _)) => (distinct.len(), ranges.len()) > (*d, *t),
            };
            if better {
                best = Some((start, start + para.len(), distinct.len(), ranges.len(), ranges));
            }
        }
    }
    match best {
        Some((start, end, _, _, ranges)) => window(text, start, end, &ranges),
        None => window(text, 0, text.len(), &[]),
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Cuts `[start, end)` to about WINDOW_CHARS around the first range, on word boundaries.
fn window(text: &str, start: usize, end: usize, ranges: &[(usize, usize)]) -> Vec<SnippetPart> {
    let first = ranges.first().map_or(start, |r| r.0);
    let lead_bytes: usize = text[start..first].chars().rev().take(LEAD_CHARS).map(char::len_utf8).sum();
    let mut from = first - lead_bytes;
    if from > start {
        // Start on a word.
        if let Some(sp) = text[from..first].find(char::is_whitespace) {
            from += sp + 1;
        }
    }
    let span_bytes: usize = text[from..end].chars().take(WINDOW_CHARS).map(char::len_utf8).sum();
    let mut to = floor_boundary(text, from + span_bytes);
    if to < end {
        if let Some(sp) = text[from..to].rfind(char::is_whitespace) {
            if sp > 0 {
                to = from + sp;
            }
        }
    }
    let mut parts = Vec::new();
    let push = |parts: &mut Vec<SnippetPart>, s: &str, highlighted: bool| {
        let s = if highlighted { s.to_string() } else { s.replace("\n\n", " ").replace('\n', " ") };
        if !s.is_empty() {
            parts.push(SnippetPart { text: s, highlighted });
        }
    };
    let mut at = from;
    let lead = if from > start { "…" } else { "" };
    if !lead.is_empty() {
        push(&mut parts, lead, false);
    }
    for &(a, b) in ranges.iter().filter(|r| r.0 >= from && r.1 <= to) {
        push(&mut parts, &text[at..a], false);
        push(&mut parts, &text[a..b], true);
        at = b;
    }
    push(&mut parts, &text[at..to], false);
    if to < end {
        push(&mut parts, "…", false);
    }
    // Adjacent plain parts (the ellipses) merge so that callers get alternating segments.
    let mut merged: Vec<SnippetPart> = Vec::with_capacity(parts.len());
    for p in parts {
        match merged.last_mut() {
            Some(last) if !last.highlighted && !p.highlighted => last.text.push_str(&p.text),
            _ => merged.push(p),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str, language: Language) -> Record {
        Record { id: "x".into(), text: text.into(), language, ..Default::default() }
    }

    fn highlighted(parts: &[SnippetPart]) -> Vec<&str> {
        parts.iter().filter(|p| p.highlighted).map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn highlights_stemmed_and_folded_matches_in_the_best_paragraph() {
        // Invented text.
        let r = record(
            "Préambule sans intérêt.\n\nLa sécurité des données était insuffisante.\n\nLes Sécurités, la sécurité.",
            Language::Fr,
        );
        let parts = snippet(&r, &Terms::new(["securite", "donnees"]));
        assert_eq!(highlighted(&parts), vec!["sécurité", "données"]);
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "La sécurité des données était insuffisante.");
    }

    #[test]
    fn english_stems_highlight() {
        let r = record("The company placed cookies.", Language::En);
        assert_eq!(highlighted(&snippet(&r, &Terms::new(["companies", "cookie"]))), vec!["company", "cookies"]);
    }

    #[test]
    fn long_paragraph_is_windowed_on_char_boundaries() {
        let long = format!("{} amende {}", "éé ".repeat(400), "àà ".repeat(400));
        let parts = snippet(&record(&long, Language::Fr), &Terms::new(["amende"]));
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
        assert!(joined.chars().count() <= WINDOW_CHARS + 2);
        assert_eq!(highlighted(&parts), vec!["amende"]);
    }

    #[test]
    fn no_match_gives_the_opening() {
        let parts = snippet(&record("Début.\n\nSuite.", Language::Fr), &Terms::new(["absent"]));
        assert_eq!(parts, vec![SnippetPart { text: "Début. Suite.".into(), highlighted: false }]);
    }
}
