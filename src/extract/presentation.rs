//! The sector, from the sentences that present the respondent, else from the activity words
//! of the decision's first part.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Fact, Facts, Span};

use super::facts::Evidence;
use super::layout::Layout;
use super::sector;
use super::sentences::{floor_char_boundary, sentences};
use super::{re, Tuning};

/// The opening of the facts when they have no heading: the first numbered paragraph.
static FIRST_PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| re(r"^1\s*[.)]\s+\S"));
/// A sentence whose subject is the respondent ("The company …", "Il exerce …", "Created in
/// 1955, the company …"), or that defines its short name ("(hereinafter …)").
static PRESENTS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:\d{1,2}\s*[.)]\s*)?(?:(?:created|founded|established|incorporated|créée?|fondée?|constituée?)\b[^,]{0,60},\s*)?(?:the\s+(?:company|companies|group|body|organi[sz]ation|municipality|commune|association|firm|controller)|this\s+company|it|its|he|she|his|her|la\s+société|les\s+sociétés|le\s+groupe|l['’]organisme|la\s+commune|l['’]association|cette\s+société|elle|il|son|sa|ses|mr|mrs|ms|m|mme|dr)\b|\b(?:hereinafter|ci-après)\b")
});

/// The sector from the presentation of the respondent (its name, the sentences that say what
/// it does), else from the activity words of the decision's first part.
pub(super) fn read_sector(layout: &Layout, tuning: &Tuning, f: &mut Facts, ev: &mut Evidence) {
    let text = layout.text;
    let presenting = presentation(layout, f.respondent.as_deref(), tuning.presentation_paragraphs);
    let sentences: Vec<&str> = presenting.iter().map(|s| &text[s.start..s.end]).collect();
    if let Some((sector, at)) = sector::focal(f.respondent.as_deref(), &sentences, f.respondent_kind) {
        f.sector = Some(sector.to_string());
        if let Some(i) = at {
            ev.add(Fact::Sector, presenting[i]);
        } else if let Some(span) = ev.0.get(&Fact::Respondent).and_then(|s| s.first()).copied() {
            ev.add(Fact::Sector, span);
        }
        return;
    }
    let facts_start = layout.facts.map_or(0, |i| layout.lines[i].start);
    let presentation = {
        let from = facts_start;
        let head_end = layout.lines.get(2).map_or(0, |s| s.end);
        let to = floor_char_boundary(text, from + 3_000);
        format!("{} {}", &text[..head_end.min(text.len())], &text[from..to])
    };
    // The facts and the first findings describe the respondent's activity; the end of a long
    // decision (sanction criteria, case law) adds noise and time, not evidence.
    let body = &text[..floor_char_boundary(text, tuning.sector_window)];
    let found = sector::sector(&presentation, body, f.respondent_kind, tuning.presentation_weight);
    f.sector = Some(found.to_string());
    // `to_ascii_lowercase` keeps byte offsets, so a cue's offset in `body` is one in `text`.
    if let Some(at) = sector::first_cue(&text[facts_start..body.len().max(facts_start)], found) {
        let at = facts_start + at;
        if let Some(line) = layout.lines.iter().find(|l| l.start <= at && at < l.end) {
            ev.add(Fact::Sector, *line);
        }
    }
}

/// The sentences that present the respondent: those of the first paragraphs of the facts (or,
/// without a facts heading, of the first numbered paragraphs) whose subject is the respondent.
fn presentation(layout: &Layout, respondent: Option<&str>, paragraphs: usize) -> Vec<Span> {
    let text = layout.text;
    let limit = layout.operative.map_or(layout.lines.len(), |o| o.0);
    let first = match layout.facts {
        Some(h) => h + 1,
        None => match (0..limit).find(|&i| FIRST_PARAGRAPH.is_match(layout.line(i))) {
            Some(i) => i,
            None => return Vec::new(),
        },
    };
    // The first word of the respondent's name, as the text writes it, names the subject (or
    // its group, whose business is the tracker's focal point too).
    const GENERIC: &[&str] = &["société", "sociétés", "company", "companies", "groupe", "group", "the", "les", "commune", "ministère"];
    let name_word = respondent.and_then(|n| {
        n.split(|c: char| !c.is_alphanumeric()).find(|w| w.chars().count() >= 3 && !GENERIC.contains(&w.to_lowercase().as_str()))
    });
    let mut out = Vec::new();
    let read = (first..limit).filter(|&i| layout.line(i).len() >= 40 && !layout.breaches.contains(&i)).take(paragraphs);
    for i in read {
        for s in sentences(text, layout.lines[i]) {
            let sentence = &text[s.start..s.end];
            let names = name_word.is_some_and(|w| sentence.contains(w));
            if names || PRESENTS.is_match(sentence) {
                out.push(s);
            }
        }
    }
    out
}
