//! Names that come from outside (file names, archive members, remote names, the reasons that
//! quote them) as printed on a terminal or in a log. A raw newline forges a report line
//! ("applied CNIL_FAKE (999 texts)"), an escape sequence drives the terminal (its title, its
//! colours), a bidirectional override reorders what is read: all are shown escaped.

use std::fmt;

/// `s` for display, its control and bidirectional-control characters escaped.
pub fn escaped(s: &str) -> Escaped<'_> {
    Escaped(s)
}

pub struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for c in self.0.chars() {
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() || is_bidi_control(c) => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// Embeddings, overrides and isolates, and the marks that steer them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_escapes_are_shown_escaped() {
        let forged = "a.xml\napplied CNIL_FAKE (999 texts)\x1b]0;owned\x07\u{202e}lmx.exe\u{9b}";
        let shown = escaped(forged).to_string();
        assert_eq!(shown, "a.xml\\napplied CNIL_FAKE (999 texts)\\u{1b}]0;owned\\u{7}\\u{202e}lmx.exe\\u{9b}");
        assert!(!shown.chars().any(|c| c.is_control()));
        assert_eq!(escaped("CNIL_20250712-000000.tar.gz · décision").to_string(), "CNIL_20250712-000000.tar.gz · décision");
    }
}
