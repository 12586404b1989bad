//! Everything read from one text, the evidence it was read from, and the order the readers
//! run in.

use std::collections::BTreeMap;

use crate::record::{Fact, Fine, Language, Measure, OutlineSection, RespondentKind, Span};

use super::Tuning;
use super::breached::read_breached;
use super::clean::Clean;
use super::head::read_head;
use super::language::detect_language;
use super::layout::Layout;
use super::measures::read_measures;
use super::outline::outline;
use super::presentation::read_sector;
use super::respondent::read_respondent;
use super::summary::summary;

/// Everything read from one text, before it is written into a record.
#[derive(Debug, Default)]
pub(super) struct Facts {
    pub(super) number: Option<String>,
    pub(super) date: Option<chrono::NaiveDate>,
    pub(super) language: Language,
    pub(super) respondent: Option<String>,
    pub(super) respondent_kind: Option<RespondentKind>,
    pub(super) sector: &'static str,
    pub(super) fine_eur: Option<u64>,
    pub(super) fines: Vec<Fine>,
    pub(super) breached: Vec<String>,
    pub(super) injunction: Option<bool>,
    pub(super) penalty_per_day_eur: Option<u64>,
    pub(super) public: Option<bool>,
    pub(super) measures: Vec<Measure>,
    pub(super) outline: Vec<OutlineSection>,
    pub(super) summary: Option<String>,
    pub(super) evidence: BTreeMap<String, Vec<Span>>,
}

/// The sentences each fact was read from, keyed by the one [`Fact`] enum that the pages
/// also use to find them ([`Fact::evidence_key`]), so the two cannot drift apart.
#[derive(Default)]
pub(super) struct Evidence(pub(super) BTreeMap<Fact, Vec<Span>>);

impl Evidence {
    pub(super) fn add(&mut self, fact: Fact, span: Span) {
        let spans = self.0.entry(fact).or_default();
        if !spans.contains(&span) {
            spans.push(span);
        }
    }
}

pub(super) fn read(original: &str, tuning: &Tuning) -> Facts {
    let clean = Clean::new(original);
    let text: &str = &clean.text;
    let layout = Layout::new(text);
    let mut f = Facts { language: detect_language(text), ..Facts::default() };
    let mut ev = Evidence::default();

    read_head(&layout, &mut f, &mut ev);
    read_measures(&layout, &mut f, &mut ev);
    read_breached(&layout, tuning, &mut f, &mut ev);
    read_respondent(&layout, &mut f, &mut ev);

    read_sector(&layout, tuning, &mut f, &mut ev);

    f.outline = outline(&layout);
    f.summary = summary(&layout, &f, &ev);
    // Spans were read in the cleaned text; a record's spans point into its own text.
    f.evidence = ev.0.into_iter().map(|(k, spans)| (k.evidence_key().to_string(), spans.into_iter().map(|s| clean.original(s)).collect())).collect();
    for s in &mut f.outline {
        s.span = clean.original(s.span);
    }
    f
}
