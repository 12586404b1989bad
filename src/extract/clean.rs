//! PDF artefacts removed before facts are read, with the way back to the original offsets.
//!
//! A decision copied out of a PDF breaks its sentences where the pages broke: a blank line, a
//! page number ("12", "Page 3/14", "- 3 -") or a running header repeated on every page can sit
//! between "une amende d'un montant de" and "50 000 euros". Such a sentence is read whole
//! only once the artefact lines are dropped and its pieces joined. Evidence must still point
//! into the text the user has, so every piece of the cleaned text remembers where it came from.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::record::Span;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?\d{1,3}(?:\s*(?:/|sur|of)\s*\d{1,3})?(?:\s*[-–—])?$").expect("page number regex")
});

static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:january|february|march|april|may|june|july|august|september|october|november|december|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b")
        .expect("month regex")
});

/// Words a sentence cannot end on: after them, what follows on the next line belongs to it.
const OPEN_ENDINGS: &[&str] = &[
    "of", "the", "a", "an", "to", "in", "and", "or", "for", "by", "with", "at", "on", "its", "this", "amount", "de", "du",
    "des", "d'", "d’", "la", "le", "les", "l'", "l’", "à", "au", "aux", "et", "ou", "pour", "par", "avec", "sur", "un",
    "une", "sa", "son", "ses", "ce", "cette", "montant", "n°", "no.", "nº", "art.", "l.", "article", "articles", "€",
    "eur",
];

/// Lines shorter than this that come back at least [`HEADER_REPEATS`] times are running
/// headers or footers.
const HEADER_CHARS: usize = 100;
const HEADER_REPEATS: usize = 3;
/// Lines at the top of a text where a repeated line is its title, not a header.
const TITLE_LINES: usize = 2;

/// A text with its artefacts removed. `pieces` holds, for each copied run of bytes, its start
/// in the cleaned text and in the original, in increasing order.
pub struct Clean<'a> {
    pub text: Cow<'a, str>,
    pieces: Vec<(usize, usize)>,
}

impl<'a> Clean<'a> {
    pub fn new(original: &'a str) -> Self {
        let lines = lines(original);
        let headers = running_headers(original, &lines);
        // A running header on the first lines may be the title itself: it stays there.
        let dropped = |(i, l): (usize, &Span)| {
            let s = &original[l.start..l.end];
            PAGE_NUMBER.is_match(s) || (i >= TITLE_LINES && s.len() <= HEADER_CHARS && headers.contains(&header_key(s)))
        };
        let kept: Vec<Span> = lines.iter().enumerate().filter(|&(i, l)| !dropped((i, l))).map(|(_, l)| *l).collect();
        let joins: Vec<bool> = kept.windows(2).map(|w| joined(&original[w[0].start..w[0].end], &original[w[1].start..w[1].end])).collect();
        if kept.len() == lines.len() && !joins.contains(&true) {
            return Clean { text: Cow::Borrowed(original), pieces: vec![(0, 0)] };
        }
        let mut text = String::with_capacity(original.len());
        let mut pieces = Vec::with_capacity(kept.len() * 2);
        for (i, line) in kept.iter().enumerate() {
            if i > 0 {
                let prev = kept[i - 1];
                // The separator stands for the newline that ended the previous line.
                pieces.push((text.len(), prev.end));
                text.push_str(if joins[i - 1] { " " } else { "\n\n" });
            }
            pieces.push((text.len(), line.start));
            text.push_str(&original[line.start..line.end]);
        }
        Clean { text: Cow::Owned(text), pieces }
    }

    /// The span of the original text that `span` of the cleaned text was copied from (what
    /// was dropped inside it included).
    pub fn original(&self, span: Span) -> Span {
        let at = |offset: usize, strict: bool| {
            let i = self.pieces.partition_point(|&(clean, _)| if strict { clean < offset } else { clean <= offset });
            let (clean, orig) = self.pieces[i.saturating_sub(1)];
            orig + offset.saturating_sub(clean)
        };
        let start = at(span.start, false);
        // An end on a piece boundary belongs to the piece before it, not to the next one.
        let end = if span.end > span.start { at(span.end, true) } else { start };
        Span { start, end: end.max(start) }
    }
}

/// The non-empty lines of `text`, trimmed, as spans.
pub(super) fn lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    for raw in text.split_inclusive('\n') {
        let trimmed = raw.trim();
        if !trimmed.is_empty() {
            let start = pos + (raw.len() - raw.trim_start().len());
            out.push(Span { start, end: start + trimmed.len() });
        }
        pos += raw.len();
    }
    out
}

/// Short lines repeated on several pages, compared with their digits blanked out (a header may
/// carry the page number). A sentence never comes back word for word three times in a
/// decision; a heading ends without a full stop but is not repeated either.
fn running_headers(text: &str, lines: &[Span]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in lines {
        let s = &text[l.start..l.end];
        if s.len() <= HEADER_CHARS && s.chars().any(char::is_alphabetic) && !s.ends_with(['.', ';', ':']) {
            *counts.entry(header_key(s)).or_default() += 1;
        }
    }
    counts.into_iter().filter(|(_, n)| *n >= HEADER_REPEATS).map(|(s, _)| s).collect()
}

fn header_key(line: &str) -> String {
    line.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// Whether `next` continues the sentence that `prev` leaves open: `prev` ends on a word that
/// needs a follower, or it is as long as a cut sentence (a heading is short), does not end a
/// sentence and `next` starts in lower case or with a figure that does not number a paragraph.
fn joined(prev: &str, next: &str) -> bool {
    const CUT_SENTENCE_CHARS: usize = 30;
    let last = prev.rsplit(char::is_whitespace).next().unwrap_or("").to_lowercase();
    if OPEN_ENDINGS.contains(&last.as_str()) {
        return true;
    }
    let heading = !prev.chars().any(char::is_lowercase);
    // "a) the information…" opens a list, "12. The company…" or "60 In light of…" a numbered
    // paragraph; "2022 concerning…", "50 000 euros" or "3,000 (three thousand)" go on with
    // the sentence.
    let list_item = next.len() > 1 && next.as_bytes()[1] == b')';
    let figure = next.starts_with(|c: char| c.is_ascii_digit())
        && next
            .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}'))
            .starts_with(|c: char| c.is_lowercase() || c == '€' || c == '(');
    let continues = next.starts_with(char::is_lowercase) && !list_item || figure;
    // "of 20" then "December 2022": a date cut in two.
    let date = prev.ends_with(|c: char| c.is_ascii_digit()) && MONTH.is_match(next);
    !prev.ends_with(['.', ';', ':', '!', '?', '…']) && (continues || date) && !heading && prev.chars().count() >= CUT_SENTENCE_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_agree(clean: &Clean, original: &str, needle: &str) -> String {
        let at = clean.text.find(needle).expect("needle in the cleaned text");
        let span = clean.original(Span { start: at, end: at + needle.len() });
        original[span.start..span.end].to_string()
    }

    #[test]
    fn page_breaks_inside_a_sentence_are_joined() {
        // Invented: an operative clause cut by a page break, its number and a running header.
        let original = "DÉLIBÉRATION SAN-2024-077\n\n1. Premier paragraphe.\n\nDÉLIBÉRATION SAN-2024-077\n\n2. Second paragraphe.\n\n\
                        - prononcer une amende administrative d'un montant de\n\n12\n\nDÉLIBÉRATION SAN-2024-077\n\n\
                        50 000 (cinquante mille) euros ;\n\n- rendre publique, sur le site de la CNIL et sur celui de Légifrance,\n\nsa délibération.\n";
        let clean = Clean::new(original);
        assert!(clean.text.contains("d'un montant de 50 000 (cinquante mille) euros ;"), "{}", clean.text);
        assert!(clean.text.contains("celui de Légifrance, sa délibération."));
        assert!(!clean.text.contains("\n\n12\n\n"));
        assert_eq!(clean.text.matches("SAN-2024-077").count(), 1, "a header is kept only as the title");
        assert!(clean.text.starts_with("DÉLIBÉRATION SAN-2024-077\n\n1. Premier paragraphe.\n\n2. Second paragraphe."));
        // The evidence span of the joined clause covers the break in the original.
        let back = spans_agree(&clean, original, "une amende administrative d'un montant de 50 000");
        assert!(back.starts_with("une amende") && back.contains("\n\n12\n\n") && back.ends_with("50 000"), "{back}");
        assert_eq!(spans_agree(&clean, original, "Second paragraphe."), "Second paragraphe.");
    }

    #[test]
    fn headers_that_carry_the_page_number() {
        // Invented: "page N of 3" changes on every page; the sentence around it is one.
        let original = "Deliberation SAN-2024-078 of 2 May 2024 (page 1 of 3)\n\n1. The company sells shoes online.\n\n\
                        Deliberation SAN-2024-078 of 2 May 2024 (page 2 of 3)\n\nimpose on the company an administrative fine\n\n\
                        Deliberation SAN-2024-078 of 2 May 2024 (page 3 of 3)\n\nin the amount of EUR 10,000;\n";
        let clean = Clean::new(original);
        assert_eq!(clean.text.matches("Deliberation SAN-2024-078").count(), 1, "{}", clean.text);
        assert!(clean.text.contains("impose on the company an administrative fine in the amount of EUR 10,000;"), "{}", clean.text);
    }

    #[test]
    fn headings_and_paragraphs_stay_apart() {
        // Invented.
        let original = "I. Faits et procédure\n\n1. La société X exploite un site.\n\nFOR THESE REASONS\n\nThe restricted committee decides to:\n\nimpose a fine of\n\n€ 3,000;\n";
        let clean = Clean::new(original);
        assert!(clean.text.starts_with("I. Faits et procédure\n\n1. La société"));
        assert!(clean.text.contains("FOR THESE REASONS\n\nThe restricted"));
        assert!(clean.text.contains("impose a fine of € 3,000;"));
    }

    #[test]
    fn a_clean_text_is_borrowed() {
        let original = "Deliberation SAN-2020-001 of 7 December 2020\n\nFOR THESE REASONS\n\nPresident\n";
        let clean = Clean::new(original);
        assert!(matches!(clean.text, Cow::Borrowed(_)));
        assert_eq!(clean.original(Span { start: 0, end: 12 }), Span { start: 0, end: 12 });
    }
}
