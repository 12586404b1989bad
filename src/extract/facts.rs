//! Everything read from one text: its facts, the evidence they were read from, and the order
//! the readers run in.

use crate::record::{Fact, Facts, Language, OutlineSection, Span};

use super::Tuning;
use super::breached::read_breached;
use super::checks::read_checks;
use super::clean::Clean;
use super::head::read_head;
use super::language::detect_language;
use super::layout::Layout;
use super::measures::read_measures;
use super::outline::outline;
use super::presentation::read_sector;
use super::respondent::read_respondent;
use super::summary::summary;

/// What one text gives besides its facts.
#[derive(Debug, Default)]
pub(super) struct Extras {
    pub(super) language: Language,
    pub(super) outline: Vec<OutlineSection>,
    pub(super) summary: Option<String>,
    pub(super) evidence: crate::record::Evidence,
}

/// The sentences each fact was read from, in the cleaned text.
#[derive(Default)]
pub(super) struct Evidence(pub(super) crate::record::Evidence);

impl Evidence {
    pub(super) fn add(&mut self, fact: Fact, span: Span) {
        let spans = self.0.entry(fact).or_default();
        if !spans.contains(&span) {
            spans.push(span);
        }
    }
}

pub(super) fn read(original: &str, tuning: &Tuning) -> (Facts, Extras) {
    let clean = Clean::new(original);
    let text: &str = &clean.text;
    let layout = Layout::new(text);
    let mut f = Facts::default();
    let mut ev = Evidence::default();

    read_head(&layout, &mut f, &mut ev);
    read_measures(&layout, &mut f, &mut ev);
    read_breached(&layout, tuning, &mut f, &mut ev);
    read_respondent(&layout, &mut f, &mut ev);
    read_checks(&layout, &mut f, &mut ev);

    read_sector(&layout, tuning, &mut f, &mut ev);

    let summary = summary(&layout, &f, &ev);
    // Spans were read in the cleaned text; a record's spans point into its own text.
    let evidence = ev.0.into_iter().map(|(k, spans)| (k, spans.into_iter().map(|s| clean.original(s)).collect())).collect();
    let mut outline = outline(&layout);
    for s in &mut outline {
        s.span = clean.original(s.span);
    }
    (f, Extras { language: detect_language(text), outline, summary, evidence })
}
