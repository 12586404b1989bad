//! A record's plain text and paragraph spans, built from the pieces an adapter reads.

use crate::record::Span;

/// Builds a record's `text` and `paragraphs`: whitespace runs collapse to one space, and
/// paragraphs are separated by a blank line.
#[derive(Default)]
pub(crate) struct TextBuilder {
    text: String,
    spans: Vec<Span>,
    current: String,
    pending_space: bool,
}

impl TextBuilder {
    pub(crate) fn push(&mut self, s: &str) {
        for c in s.chars() {
            // A no-break space is typography (French "n° 12", "article 5 :"), not layout.
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.current.is_empty() {
                    self.current.push(' ');
                }
                self.pending_space = false;
                self.current.push(c);
            }
        }
    }

    /// Ends the current paragraph, if it holds anything.
    pub(crate) fn end_paragraph(&mut self) {
        self.pending_space = false;
        let para = self.current.trim();
        if para.is_empty() {
            self.current.clear();
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        self.text.push_str(para);
        self.spans.push(Span { start, end: self.text.len() });
        self.current.clear();
    }

    /// Paragraphs of a plain-text block. Blank lines always separate paragraphs; a line break
    /// does too, unless the block looks hard-wrapped (text copied from a PDF). There the lines
    /// of one paragraph join with a space, and a paragraph ends on a line that stops well short
    /// of the wrap width (after punctuation, or very short), as PDF copies often have no blank
    /// lines at all.
    pub(crate) fn push_plain(&mut self, block: &str) {
        let width = wrap_width(block);
        for line in block.lines() {
            let len = line.trim().chars().count();
            if len == 0 {
                self.end_paragraph();
                continue;
            }
            self.push(line);
            self.pending_space = true;
            let ends_sentence = line.trim_end().ends_with(['.', ':', ';', '!', '?', ',']);
            let ends_paragraph = match width {
                Some(width) => len * 10 < width * 8 && (ends_sentence || len * 10 < width * 6),
                None => true,
            };
            if ends_paragraph {
                self.end_paragraph();
            }
        }
        self.end_paragraph();
    }

    pub(crate) fn finish(mut self) -> (String, Vec<Span>) {
        self.end_paragraph();
        (self.text, self.spans)
    }
}

/// The wrap width of a hard-wrapped block (its 90th-percentile line length), or `None` when
/// the block is not hard-wrapped. Hard-wrapped text has lines of similar length short of a page
/// width; a Légifrance copy or a translation puts a whole paragraph on one line, so many of its
/// lines are long or short.
pub(super) fn wrap_width(block: &str) -> Option<usize> {
    let mut lengths: Vec<usize> = block.lines().map(|l| l.trim().chars().count()).filter(|&n| n > 0).collect();
    let long = lengths.iter().filter(|&&n| n > 120).count();
    let wrapped = lengths.iter().filter(|&&n| (50..=120).contains(&n)).count();
    if lengths.len() < 5 || long * 20 >= lengths.len() || wrapped * 2 <= lengths.len() {
        return None;
    }
    lengths.sort_unstable();
    Some(lengths[lengths.len() * 9 / 10])
}
