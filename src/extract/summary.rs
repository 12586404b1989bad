//! The summary: what was decided, against whom and why, in the decision's own words.

use crate::record::{Fact, Facts};

use super::facts::Evidence;
use super::layout::Layout;
use super::sentences::floor_char_boundary;

/// What was decided, against whom and why: the title, then the operative lines that state
/// a measure, in the decision's own words. Bounded to about 700 characters.
pub(super) fn summary(layout: &Layout, f: &Facts, ev: &Evidence) -> Option<String> {
    const MAX: usize = 700;
    let text = layout.text;
    let mut parts: Vec<&str> = Vec::new();
    let title = f
        .respondent
        .as_ref()
        .and_then(|_| ev.0.get(&Fact::Respondent))
        .and_then(|s| s.first())
        .filter(|s| layout.head().iter().any(|(h, _)| h == *s))
        .or_else(|| layout.lines.first());
    if let Some(s) = title {
        parts.push(&text[s.start..s.end]);
    }
    for key in [Fact::Fine, Fact::Measures, Fact::Injunction, Fact::PenaltyPerDay] {
        for s in ev.0.get(&key).into_iter().flatten() {
            let line = &text[s.start..s.end];
            if !parts.contains(&line) {
                parts.push(line);
            }
        }
    }
    let mut out = String::new();
    for p in parts {
        let p = p.trim_start_matches(|c: char| !c.is_alphanumeric()).trim();
        if out.len() + p.len() + 1 > MAX {
            let room = MAX.saturating_sub(out.len() + 2);
            if room > 80 {
                let cut = floor_char_boundary(p, room);
                let cut = p[..cut].rfind(' ').unwrap_or(cut);
                out.push(' ');
                out.push_str(&p[..cut]);
                out.push('…');
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        // Operative lines end with ";" (one item of a list); a title with no punctuation.
        let p = p.trim_end_matches([';', ',', ':']).trim_end();
        // An operative item starts in lower case ("prononcer …"); it now starts a sentence.
        let mut chars = p.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
        if !p.ends_with(['.', '!', '?', '…']) {
            out.push('.');
        }
    }
    (!out.is_empty()).then_some(out)
}
