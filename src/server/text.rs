//! The decision text as the decision page shows it: paragraphs cut into plain segments,
//! with the evidence spans of the facts and the matches of the query's terms marked. All
//! offsets come from stored data, so each is checked (in bounds, on a char boundary)
//! before use: a bad span is dropped, never a panic.

use std::collections::BTreeMap;

use crate::record::{Fact, Record, Span};

/// Matches of the query terms marked in one page, at most; past it the text is plain.
const MAX_HITS: usize = 500;
/// Query terms considered, at most.
const MAX_TERMS: usize = 16;

pub struct Paragraph {
    /// Anchor id `p-N`.
    pub n: usize,
    pub segments: Vec<Segment>,
}

pub struct Segment {
    pub text: String,
    /// The fact whose evidence this segment belongs to.
    pub evidence: Option<Fact>,
    /// The anchors `ev-<fact>` of the facts whose first evidence starts here: several facts
    /// may have been read from one sentence, and each link must land.
    pub anchors: Vec<String>,
    /// Index of the query match this segment belongs to (anchor `hit-N`).
    pub hit: Option<usize>,
    /// Whether this segment starts its match (carries the anchor and the navigation).
    pub hit_start: bool,
}

pub struct RenderedText {
    pub paragraphs: Vec<Paragraph>,
    pub hits: usize,
    /// For each fact with valid evidence, its anchor; every one is on a segment.
    pub evidence_anchors: BTreeMap<Fact, String>,
}

fn valid(text: &str, s: &Span) -> bool {
    s.start < s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
}

/// The paragraph spans of the record, or `"\n\n"`-separated blocks when they are missing
/// or inconsistent with the text.
pub fn paragraphs(record: &Record) -> Vec<Span> {
    let text = &record.text;
    if !record.paragraphs.is_empty() && record.paragraphs.iter().all(|s| valid(text, s)) {
        return record.paragraphs.clone();
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices("\n\n").chain(std::iter::once((text.len(), ""))) {
        let block = &text[start..i];
        let trimmed_start = start + (block.len() - block.trim_start().len());
        let trimmed_end = start + block.trim_end().len();
        if trimmed_start < trimmed_end {
            spans.push(Span { start: trimmed_start, end: trimmed_end });
        }
        start = (i + 2).min(text.len());
    }
    spans
}

/// Index of the paragraph that contains byte `offset`.
pub fn paragraph_of(paragraphs: &[Span], offset: usize) -> Option<usize> {
    paragraphs.iter().position(|p| p.start <= offset && offset < p.end)
}

pub fn render(record: &Record, query: &str) -> RenderedText {
    let text = &record.text;
    let paras = paragraphs(record);
    let terms = query_terms(query);

    // Evidence: (start, end, fact), sorted (facts of one span by name); each fact is anchored
    // where its first span starts.
    let mut evidence: Vec<(usize, usize, Fact)> = Vec::new();
    for (fact, spans) in &record.evidence {
        evidence.extend(spans.iter().filter(|s| valid(text, s)).map(|s| (s.start, s.end, *fact)));
    }
    evidence.sort_by_key(|&(s, e, fact)| (s, e, fact.evidence_key()));
    let mut unplaced: Vec<(usize, Fact)> = Vec::new();
    for &(s, _, fact) in &evidence {
        if !unplaced.iter().any(|&(_, f)| f == fact) {
            unplaced.push((s, fact));
        }
    }
    let mut evidence_anchors = BTreeMap::new();

    // Only matches inside a paragraph are shown, so only those are numbered: each `hit-N`
    // that a link names is on the page.
    let mut hits = if terms.is_empty() { Vec::new() } else { find_hits(text, &terms) };
    hits.retain(|&(s, e)| paras.iter().any(|p| p.start <= s && e <= p.end));
    let mut paragraphs = Vec::with_capacity(paras.len());
    let mut hit_idx = 0;
    for (n, p) in paras.iter().enumerate() {
        // Cut points inside this paragraph: evidence and hit boundaries.
        let mut cuts = vec![p.start, p.end];
        for &(s, e, _) in &evidence {
            cuts.extend([s, e].into_iter().filter(|&c| c > p.start && c < p.end));
        }
        let first_hit = hit_idx;
        while hit_idx < hits.len() && hits[hit_idx].0 < p.end {
            let (s, e) = hits[hit_idx];
            cuts.extend([s, e].into_iter().filter(|&c| c > p.start && c < p.end));
            hit_idx += 1;
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut segments = Vec::new();
        for w in cuts.windows(2) {
            let (s, e) = (w[0], w[1]);
            let fact = evidence.iter().find(|(es, ee, _)| *es <= s && e <= *ee).map(|&(_, _, f)| f);
            // A span that starts between paragraphs is anchored on the next segment.
            let mut anchors = Vec::new();
            unplaced.retain(|(start, f)| {
                if *start >= e {
                    return true;
                }
                let id = format!("ev-{}", f.evidence_key());
                evidence_anchors.insert(*f, id.clone());
                anchors.push(id);
                false
            });
            let hit = (first_hit..hit_idx).find(|&i| hits[i].0 <= s && e <= hits[i].1);
            let hit_start = hit.is_some_and(|i| hits[i].0 == s);
            segments.push(Segment { text: text[s..e].to_string(), evidence: fact, anchors, hit, hit_start });
        }
        paragraphs.push(Paragraph { n, segments });
    }
    RenderedText { paragraphs, hits: hits.len(), evidence_anchors }
}

/// Words of the query worth highlighting: operators, filters (`field:value`, `fine>=…`),
/// negated words and short function words are left out.
pub fn query_terms(query: &str) -> Vec<String> {
    const FUNCTION_WORDS: &[&str] = &[
        "les", "des", "une", "aux", "par", "pour", "sur", "dans", "avec", "est", "qui", "que", "the", "and", "for",
        "with", "that", "this", "from", "not",
    ];
    let mut terms: Vec<String> = Vec::new();
    for token in query.split_whitespace() {
        if token.starts_with('-') || token.contains([':', '<', '>', '=']) || ["AND", "OR", "NOT"].contains(&token) {
            continue;
        }
        for word in token.split(|c: char| !c.is_alphanumeric()) {
            let folded = fold(word);
            let stem = folded.trim_end_matches('s').trim_end_matches('e');
            if stem.chars().count() >= 3
                && !FUNCTION_WORDS.contains(&folded.as_str())
                && !terms.iter().any(|t| t == stem)
            {
                terms.push(stem.to_string());
            }
        }
        if terms.len() >= MAX_TERMS {
            break;
        }
    }
    terms.truncate(MAX_TERMS);
    terms
}

/// Byte ranges of the words of `text` that start with one of `terms` (folded), in order.
fn find_hits(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    let mut word_start: Option<usize> = None;
    let check = |s: usize, e: usize, hits: &mut Vec<(usize, usize)>| {
        let w = fold(&text[s..e]);
        if terms.iter().any(|t| w.starts_with(t.as_str())) {
            hits.push((s, e));
        }
    };
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(s)) => {
                check(s, i, &mut hits);
                word_start = None;
                if hits.len() >= MAX_HITS {
                    return hits;
                }
            }
            _ => {}
        }
    }
    if let Some(s) = word_start {
        check(s, text.len(), &mut hits);
    }
    hits.truncate(MAX_HITS);
    hits
}

/// Lowercase without the accents of French, so `Sécurité` and `securite` meet.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Invented text.
    fn record() -> Record {
        let text = "La société X a manqué à la sécurité.\n\nUne amende de 10 000 euros est prononcée.\n\nSécurités renforcées.".to_string();
        let fine_start = text.find("Une amende").unwrap();
        let fine_end = text.find("prononcée.").unwrap() + "prononcée.".len();
        let mut r = Record { text, ..Default::default() };
        r.evidence.insert(Fact::Fine, vec![Span { start: fine_start, end: fine_end }]);
        // Out of bounds and off a char boundary: both must be ignored.
        r.evidence.insert(Fact::Date, vec![Span { start: 5, end: 10_000 }, Span { start: 8, end: 9 }]);
        r
    }

    #[test]
    fn query_terms_drop_filters_operators_and_negations() {
        assert_eq!(
            query_terms("sécurité AND \"données santé\" -cookies article:32 fine>=10 OR"),
            ["securit", "donn", "sant"]
        );
        assert!(query_terms("les de la").is_empty());
    }

    #[test]
    fn hits_and_evidence_are_marked_on_char_boundaries() {
        let r = record();
        let out = render(&r, "securite amende");
        assert_eq!(out.paragraphs.len(), 3);
        assert_eq!(out.hits, 3, "sécurité, amende, Sécurités");
        let all: Vec<&Segment> = out.paragraphs.iter().flat_map(|p| &p.segments).collect();
        let joined: String = all.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("");
        assert_eq!(joined, r.text.replace("\n\n", ""));
        let hit_words: Vec<&str> = all.iter().filter(|s| s.hit_start).map(|s| s.text.as_str()).collect();
        assert_eq!(hit_words, ["sécurité", "amende", "Sécurités"]);
        let ev: Vec<&Segment> = all.iter().copied().filter(|s| s.evidence.is_some()).collect();
        assert_eq!(ev.first().unwrap().anchors, ["ev-fine"]);
        assert!(ev.iter().all(|s| s.evidence == Some(Fact::Fine)));
        assert_eq!(out.evidence_anchors.keys().copied().collect::<Vec<_>>(), [Fact::Fine]);
    }

    #[test]
    fn facts_read_from_one_sentence_each_get_an_anchor() {
        let mut r = record();
        let fine = r.evidence[&Fact::Fine].clone();
        r.evidence.insert(Fact::Respondent, fine.clone());
        // Starts in the blank line before its paragraph: anchored on the paragraph's start.
        r.evidence.insert(Fact::Public, vec![Span { start: fine[0].start - 1, end: fine[0].end }]);
        let out = render(&r, "");
        let anchors: Vec<String> = out.paragraphs.iter().flat_map(|p| &p.segments).flat_map(|s| s.anchors.clone()).collect();
        assert_eq!(anchors, ["ev-public", "ev-fine", "ev-respondent"]);
        assert_eq!(out.evidence_anchors.len(), 3);
        assert!(out.evidence_anchors.values().all(|a| anchors.contains(a)));
    }

    #[test]
    fn bad_paragraph_spans_fall_back_to_blank_lines() {
        let mut r = record();
        r.paragraphs = vec![Span { start: 0, end: 99_999 }];
        assert_eq!(paragraphs(&r).len(), 3);
        assert_eq!(paragraph_of(&paragraphs(&r), r.text.find("Une").unwrap()), Some(1));
    }
}
