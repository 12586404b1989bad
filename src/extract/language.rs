//! The language of a decision's text.

use crate::record::Language;

use super::sentences::floor_char_boundary;

/// The language of a decision's text, by counting the most frequent function words of
/// each language in its first 4 KB (the title and preamble).
pub fn detect_language(text: &str) -> Language {
    let head = &text[..floor_char_boundary(text, 4_000)];
    let (mut fr, mut en) = (0usize, 0usize);
    for word in head.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| (2..=4).contains(&w.len())) {
        let mut buf = [0u8; 4];
        buf[..word.len()].copy_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
        match &buf[..word.len()] {
            b"le" | b"la" | b"les" | b"des" | b"du" | b"et" | b"une" | b"est" | b"pour" | b"dans" | b"que" | b"sur" | b"au"
            | b"aux" | b"par" | b"qui" => fr += 1,
            b"the" | b"of" | b"and" | b"to" | b"is" | b"in" | b"for" | b"that" | b"with" | b"on" | b"by" | b"its" => en += 1,
            _ => {}
        }
    }
    if en > fr {
        Language::En
    } else {
        Language::Fr
    }
}
