//! Highlighted passages with bounded cost. tantivy's SnippetGenerator re-analyses the whole
//! stored text with the stemmer for every hit. Here the engine picks the paragraph from the
//! positions the index holds (see [`crate::index::words`]) and only that paragraph is read:
//! only the first three letters of a word are folded to decide whether it could match a
//! query word at all, and only those that could are folded whole and stemmed. [`snippet`]
//! reads a whole text the same way, paragraph by paragraph, when there are no positions to
//! use. The chosen paragraph is cut to a window.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use crate::index::analysis::{self, EN_STEM, EXACT, FR_STEM};
use crate::index::words::{self, fold_word, Paragraph, Words};
use crate::record::Language;
use crate::search::SnippetPart;

/// Characters of context shown around the passage's first match.
const WINDOW_CHARS: usize = 280;
const LEAD_CHARS: usize = 80;
/// Only stems this long highlight by stem: a two-letter stem would light up half the text.
const MIN_STEM_LEN: usize = 3;
/// Words the index drops as noise (its RemoveLongFilter limit) are not highlighted either.
const MAX_WORD_BYTES: usize = 40;

/// The words of a query, analysed once per request for each language.
#[derive(Debug, Default)]
pub struct Terms {
    fr: LanguageTerms,
    en: LanguageTerms,
}

/// Folded forms and stems of the query words that are not stop words in one language, each
/// mapped to the index of the query word it comes from.
#[derive(Debug, Default)]
struct LanguageTerms {
    exact: HashMap<String, usize>,
    stems: HashMap<String, usize>,
    /// Every stem as the index holds it (short ones too), with its query word.
    indexed: Vec<(String, usize)>,
}

impl Terms {
    /// The same words highlighted in texts of either language.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Terms {
        let words: Vec<String> = words.into_iter().map(String::from).collect();
        Terms::per_language(&words, &words)
    }

    /// `fr` highlighted in French texts, `en` in English ones: a word searched in one language
    /// only, or translated, lights up only there.
    pub fn per_language(fr: &[String], en: &[String]) -> Terms {
        Terms { fr: LanguageTerms::new(fr, FR_STEM), en: LanguageTerms::new(en, EN_STEM) }
    }

    pub fn is_empty(&self) -> bool {
        self.fr.exact.is_empty() && self.en.exact.is_empty()
    }

    /// The terms to look up in the stemmed text field of `language`, each with the index of
    /// its query word (below 64).
    pub fn indexed(&self, language: Language) -> &[(String, usize)] {
        match language {
            Language::Fr => &self.fr.indexed,
            Language::En => &self.en.indexed,
        }
    }
}

impl LanguageTerms {
    fn new(words: &[String], analyzer: &str) -> LanguageTerms {
        let mut exact = analysis::analyzer(EXACT);
        let mut stemmer = analysis::analyzer(analyzer);
        let mut lang = LanguageTerms::default();
        for (i, w) in words.iter().enumerate().take(u64::BITS as usize) {
            let stems = analysis::tokens(&mut stemmer, w);
            if stems.is_empty() {
                // Only stop words in this language: not searched, so not highlighted.
                continue;
            }
            // A phrase's stop words (`de` in « données de santé ») light nothing up.
            for e in analysis::tokens(&mut exact, w) {
                if !analysis::tokens(&mut stemmer, &e).is_empty() {
                    lang.exact.insert(e, i);
                }
            }
            for st in stems {
                if st.len() >= MIN_STEM_LEN {
                    lang.stems.insert(st.clone(), i);
                }
                lang.indexed.push((st, i));
            }
        }
        lang
    }
}

/// Decides whether one folded word matches, stemming only plausible candidates.
struct Matcher<'a> {
    terms: &'a LanguageTerms,
    /// First three bytes of every exact term and stem: most words fail this cheap test.
    probes: Vec<&'a [u8]>,
    /// Exact terms shorter than a probe.
    short: Vec<&'a str>,
    stemmer: TextAnalyzer,
    cache: HashMap<String, Option<usize>>,
    /// Bit i set for every query word searched in this language.
    all: u64,
}

impl<'a> Matcher<'a> {
    fn new(terms: &'a Terms, language: Language) -> Matcher<'a> {
        let (terms, name) = match language {
            Language::Fr => (&terms.fr, FR_STEM),
            Language::En => (&terms.en, EN_STEM),
        };
        let mut probes: Vec<&[u8]> =
            terms.exact.keys().chain(terms.stems.keys()).filter_map(|t| t.as_bytes().get(..MIN_STEM_LEN)).collect();
        probes.sort_unstable();
        probes.dedup();
        let short = terms.exact.keys().filter(|t| t.len() < MIN_STEM_LEN).map(String::as_str).collect();
        let all = terms.exact.values().chain(terms.stems.values()).fold(0u64, |acc, i| acc | 1 << i);
        Matcher { terms, probes, short, stemmer: analysis::analyzer(name), cache: HashMap::new(), all }
    }

    fn candidate(&self, folded: &str) -> bool {
        match folded.as_bytes().get(..MIN_STEM_LEN) {
            Some(head) => self.probes.contains(&head),
            None => self.short.contains(&folded),
        }
    }

    /// The index of the query word `folded` matches (by its exact form or its stem), if any.
    fn matches(&mut self, folded: &str) -> Option<usize> {
        if let Some(i) = self.terms.exact.get(folded) {
            return Some(*i);
        }
        if let Some(hit) = self.cache.get(folded) {
            return *hit;
        }
        let hit = analysis::tokens(&mut self.stemmer, folded).pop().and_then(|s| self.terms.stems.get(&s).copied());
        self.cache.insert(folded.to_string(), hit);
        hit
    }
}

/// The best passage of `text` for `terms`: the first paragraph that holds every query word,
/// else the one with the most distinct query words (then the most matches), cut to a window
/// around its first match. Without a match, the opening of the text.
pub fn snippet(text: &str, language: Language, terms: &Terms) -> Vec<SnippetPart> {
    let mut matcher = Matcher::new(terms, language);
    // The paragraph, its query words (bit i for word i) and its matches.
    type Best = (Paragraph, u64, Vec<(usize, usize)>);
    let mut best: Option<Best> = None;
    if !terms.is_empty() {
        for p in words::paragraphs(text) {
            let (distinct, ranges) = matcher.scan(text, p.start, p.end);
            let better = !ranges.is_empty()
                && best
                    .as_ref()
                    .is_none_or(|(_, d, r)| (distinct.count_ones(), ranges.len()) > (d.count_ones(), r.len()));
            let done = distinct == matcher.all;
            if better {
                best = Some((p, distinct, ranges));
            }
            if done {
                break;
            }
        }
    }
    match best {
        Some((p, _, ranges)) => window(text, p.start, p.end, &ranges),
        None => opening(text),
    }
}

/// `paragraph` (one paragraph, already chosen) with the query's words highlighted, cut to a
/// window around its first match.
pub fn passage(paragraph: &str, language: Language, terms: &Terms) -> Vec<SnippetPart> {
    let (_, ranges) = Matcher::new(terms, language).scan(paragraph, 0, paragraph.len());
    window(paragraph, 0, paragraph.len(), &ranges)
}

/// The opening of `text`, cut to a window.
pub fn opening(text: &str) -> Vec<SnippetPart> {
    window(text, 0, text.len(), &[])
}

impl Matcher<'_> {
    /// The query words matched in `text[start..end]` (bit i for word i) and the matches.
    fn scan(&mut self, text: &str, start: usize, end: usize) -> (u64, Vec<(usize, usize)>) {
        let (mut head, mut folded) = (String::new(), String::new());
        let (mut distinct, mut ranges) = (0u64, Vec::new());
        let mut words = Words::new(&text[start..end]);
        while let Some((from, to)) = words.next_word(&mut head, MIN_STEM_LEN) {
            if to - from >= MAX_WORD_BYTES || !self.candidate(&head) {
                continue;
            }
            fold_word(&text[start + from..start + to], &mut folded);
            if let Some(i) = self.matches(&folded) {
                distinct |= 1 << i;
                ranges.push((start + from, start + to));
            }
        }
        (distinct, ranges)
    }
}

/// The largest char boundary of `s` at or before byte `i`.
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
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

    fn highlighted(parts: &[SnippetPart]) -> Vec<&str> {
        parts.iter().filter(|p| p.highlighted).map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn highlights_stemmed_and_folded_matches_in_the_best_paragraph() {
        // Invented text.
        let text =
            "Préambule sans intérêt.\n\nLa sécurité des données était insuffisante.\n\nLes Sécurités, la sécurité.";
        let parts = snippet(text, Language::Fr, &Terms::new(["securite", "donnees"]));
        assert_eq!(highlighted(&parts), vec!["sécurité", "données"]);
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "La sécurité des données était insuffisante.");
    }

    #[test]
    fn english_stems_highlight() {
        let text = "The company placed the cookies.";
        // "the" is a stop word: the index does not search it, so it is not highlighted.
        let parts = snippet(text, Language::En, &Terms::new(["the", "companies", "cookie"]));
        assert_eq!(highlighted(&parts), vec!["company", "cookies"]);
    }

    #[test]
    fn long_paragraph_is_windowed_on_char_boundaries() {
        let long = format!("{} amende {}", "éé ".repeat(400), "àà ".repeat(400));
        let parts = snippet(&long, Language::Fr, &Terms::new(["amende"]));
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
        assert!(joined.chars().count() <= WINDOW_CHARS + 2);
        assert_eq!(highlighted(&parts), vec!["amende"]);
    }

    #[test]
    fn the_first_paragraph_with_every_word_wins_and_ends_the_reading() {
        // Invented text: the second paragraph has both words, the third has more matches.
        let text = "Le contrôle.\n\nUne amende pour défaut de sécurité.\n\n\n\nSécurité, sécurité, amende, amende.";
        let parts = snippet(text, Language::Fr, &Terms::new(["amende", "securite"]));
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "Une amende pour défaut de sécurité.");
        // Without a paragraph holding both, the one with the most matches of one word wins.
        let text = "Une amende.\n\n\n\nDes amendes, une amende.\n\nFin.";
        let parts = snippet(text, Language::Fr, &Terms::new(["amende", "securite"]));
        assert_eq!(highlighted(&parts), vec!["amendes", "amende"]);
        assert_eq!(parts.iter().map(|p| p.text.as_str()).collect::<String>(), "Des amendes, une amende.");
    }

    #[test]
    fn no_match_gives_the_opening() {
        let parts = snippet("Début.\n\nSuite.", Language::Fr, &Terms::new(["absent"]));
        assert_eq!(parts, vec![SnippetPart { text: "Début. Suite.".into(), highlighted: false }]);
    }
}
