//! Words and paragraphs of a decision's text, cut exactly as the index cuts them.
//!
//! tantivy's SimpleTokenizer gives every run of alphanumeric characters a position, counting
//! from 0 in a field's first value; the stemmed text fields keep those positions (filters drop
//! tokens, they do not renumber). [`paragraphs`] records, for each paragraph, its byte range
//! and the position of its first word, so that the positions a query term has in a document
//! name the paragraphs it stands in without reading the text.

use crate::{Error, Result};

/// The words of `text`, cut as the index's SimpleTokenizer cuts them (at every character
/// that is not alphanumeric). A byte loop without allocation: it runs over whole decisions.
pub struct Words<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Words<'t> {
    pub fn new(text: &'t str) -> Words<'t> {
        Words { text, at: 0 }
    }

    /// The byte range of the next word; `head` receives its first letters, lower-cased and
    /// folded, until it holds at least `head_bytes` bytes (the whole word when shorter).
    pub fn next_word(&mut self, head: &mut String, head_bytes: usize) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        loop {
            if self.at >= bytes.len() {
                return None;
            }
            head.clear();
            let start = self.at;
            while self.at < bytes.len() {
                let b = bytes[self.at];
                if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    if head.len() < head_bytes {
                        head.push(char::from(b.to_ascii_lowercase()));
                    }
                    self.at += 1;
                } else {
                    let Some(c) = self.text[self.at..].chars().next() else {
                        break;
                    };
                    if !c.is_alphanumeric() {
                        break;
                    }
                    if head.len() < head_bytes {
                        fold_char(c, head);
                    }
                    self.at += c.len_utf8();
                }
            }
            if self.at > start {
                return Some((start, self.at));
            }
            // A separator: step over it, one whole char.
            self.at += self.text[self.at..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// `word` lower-cased and folded whole into `out`.
pub fn fold_word(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            fold_char(c, out);
        }
    }
}

/// Lower-cases and folds `c` as the index's LowerCaser + AsciiFoldingFilter do for the
/// letters of French (and Latin-1) text; other letters are only lower-cased, which at worst
/// misses a highlight.
fn fold_char(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        match l {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            other => out.push(other),
        }
    }
}

/// One paragraph holding at least one word: `[start, end)` in bytes (between blank lines),
/// and the position of its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub first_word: u32,
}

/// The paragraphs of `text` (separated by a blank line) that hold a word, in order.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut words = Words::new(text);
    let mut head = String::new();
    let (mut start, mut previous_end, mut count) = (0, 0, 0u32);
    let mut first_word = None;
    while let Some((from, to)) = words.next_word(&mut head, 0) {
        let gap = &bytes[previous_end..from];
        if let Some(cut) = gap.windows(2).position(|w| w == b"\n\n") {
            if let Some(first_word) = first_word.take() {
                out.push(Paragraph { start, end: previous_end + cut, first_word });
            }
            let last = gap.windows(2).rposition(|w| w == b"\n\n").unwrap_or(cut);
            start = previous_end + last + 2;
        }
        first_word.get_or_insert(count);
        count = count.saturating_add(1);
        previous_end = to;
    }
    if let Some(first_word) = first_word {
        out.push(Paragraph { start, end: text.len(), first_word });
    }
    out
}

/// The paragraph that holds the word at `position`.
pub fn containing(paragraphs: &[Paragraph], position: u32) -> Option<usize> {
    paragraphs.partition_point(|p| p.first_word <= position).checked_sub(1)
}

/// `paragraphs` as LEB128 deltas: three small numbers per paragraph, stored beside each
/// document's head.
pub fn encode(paragraphs: &[Paragraph]) -> Vec<u8> {
    let mut out = Vec::with_capacity(paragraphs.len() * 4);
    let (mut offset, mut word) = (0usize, 0u32);
    for p in paragraphs {
        for n in [(p.start - offset) as u64, (p.end - p.start) as u64, u64::from(p.first_word - word)] {
            put_varint(&mut out, n);
        }
        (offset, word) = (p.end, p.first_word);
    }
    out
}

pub fn decode(bytes: &[u8]) -> Result<Vec<Paragraph>> {
    let bad = || Error::Index("stored paragraph table is damaged".into());
    let mut out = Vec::new();
    let (mut at, mut offset, mut word) = (0, 0usize, 0u32);
    while at < bytes.len() {
        let mut next = || -> Result<u64> { get_varint(bytes, &mut at).ok_or_else(bad) };
        let (gap, len, words) = (next()?, next()?, next()?);
        let start = offset.checked_add(usize::try_from(gap).map_err(|_| bad())?).ok_or_else(bad)?;
        let end = start.checked_add(usize::try_from(len).map_err(|_| bad())?).ok_or_else(bad)?;
        let first_word = word.checked_add(u32::try_from(words).map_err(|_| bad())?).ok_or_else(bad)?;
        out.push(Paragraph { start, end, first_word });
        (offset, word) = (end, first_word);
    }
    Ok(out)
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analysis::{self, EXACT};
    use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer};

    #[test]
    fn word_cutting_and_folding_agree_with_the_index_analyzer() {
        // Invented text with the letters of French, typographic apostrophes and ligatures.
        let text = "L’Œuvre « naïve » d'Hélène: çà, où, île, Noël, cœur, ÉTÉ, Straße, 2019-001, Ærø";
        let expected = analysis::tokens(&mut analysis::analyzer(EXACT), text);
        let (mut head, mut folded) = (String::new(), String::new());
        let mut words = Words::new(text);
        let mut got = Vec::new();
        while let Some((from, to)) = words.next_word(&mut head, 3) {
            assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
            fold_word(&text[from..to], &mut folded);
            assert!(folded.starts_with(head.as_str()) && (head.len() >= 3 || head == folded), "{head} / {folded}");
            got.push(folded.clone());
        }
        assert_eq!(got, expected);
    }

    #[test]
    fn paragraph_first_words_are_the_tokenizer_positions() {
        // Invented text: a long token, a paragraph without words, several blank lines.
        let long = "x".repeat(60);
        let text = format!("\n\nUn {long} été.\n\n« — »\n\n\n\nDeux: l’amende, 2019-001.\n\nFin");
        let paragraphs = paragraphs(&text);
        let spans: Vec<&str> = paragraphs.iter().map(|p| &text[p.start..p.end]).collect();
        assert_eq!(spans, vec![format!("Un {long} été.").as_str(), "Deux: l’amende, 2019-001.", "Fin"]);
        let mut tokenizer = TextAnalyzer::from(SimpleTokenizer::default());
        let mut stream = tokenizer.token_stream(&text);
        let mut positions = std::collections::HashMap::new();
        while stream.advance() {
            positions.entry(stream.token().text.clone()).or_insert(stream.token().position as u32);
        }
        assert_eq!(
            paragraphs.iter().map(|p| p.first_word).collect::<Vec<_>>(),
            vec![0, positions["Deux"], positions["Fin"]]
        );
        assert_eq!(containing(&paragraphs, positions["amende"]), Some(1));
        assert_eq!(containing(&paragraphs, positions["2019"]), Some(1));
        assert_eq!(containing(&paragraphs, positions["Fin"]), Some(2));
        assert_eq!(decode(&encode(&paragraphs)).unwrap(), paragraphs);
    }

    #[test]
    fn damaged_tables_are_errors() {
        assert!(decode(&[0x80]).is_err());
        assert!(decode(&[0xff; 12]).is_err());
        assert!(decode(&[1, 2]).is_err());
        assert_eq!(decode(&[]).unwrap(), vec![]);
    }
}
