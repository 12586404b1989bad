//! Cutting text: into sentences, and at a character boundary.

use crate::record::Span;

pub(super) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Splits `span` of `text` into sentences at `.`, `;`, `!`, `?` followed by a space and a
/// capital or a digit, except after abbreviations ("Mr.", "No.", "art.", "L.").
pub(super) fn sentences(text: &str, span: Span) -> Vec<Span> {
    const ABBREV: &[&str] = &["mr", "mrs", "ms", "m", "mme", "no", "n°", "art", "l", "p", "pp", "cf", "al", "dr", "st", "ie", "eg", "etc", "vs", "seq", "op", "cit", "nos", "para", "me"];
    let s = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        if !matches!(c, '.' | ';' | '!' | '?') || i + 2 >= s.len() || bytes[i + 1] != b' ' {
            continue;
        }
        let next = s[i + 2..].chars().next().unwrap_or(' ');
        if !(next.is_uppercase() || next.is_ascii_digit() || next == '"' || next == '«') {
            continue;
        }
        if c == '.' {
            let word = s[start..i].rsplit(|ch: char| !ch.is_alphanumeric() && ch != '°').next().unwrap_or("");
            if word.chars().count() <= 1 || ABBREV.contains(&word.to_lowercase().as_str()) {
                continue;
            }
        }
        out.push(Span { start: span.start + start, end: span.start + i + 1 });
        start = i + 2;
    }
    if start < s.len() {
        out.push(Span { start: span.start + start, end: span.end });
    }
    out
}
