//! `recueil extract FILE`.
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::record::{Disagreement, Fine, Language, Measure, OutlineSection, RespondentKind};
use super::output::{emit, outln};
use crate::Result;

/// The extracted facts with the gold file's field names; evidence carries the quoted text.
#[derive(Serialize)]
struct Extracted<'a> {
    number: Option<&'a str>,
    date: Option<chrono::NaiveDate>,
    language: Language,
    respondent: Option<&'a str>,
    respondent_kind: Option<RespondentKind>,
    sector: Option<&'a str>,
    fine_eur: Option<u64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    fines: &'a [Fine],
    breached: &'a [String],
    injunction: Option<bool>,
    penalty_per_day_eur: Option<u64>,
    public: Option<bool>,
    measures: &'a [Measure],
    summary: Option<&'a str>,
    outline: &'a [OutlineSection],
    evidence: std::collections::BTreeMap<&'a str, Vec<Quote<'a>>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    disagreements: &'a [Disagreement],
}

#[derive(Serialize)]
struct Quote<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

pub fn extract(file: &Path, json: bool) -> Result<ExitCode> {
    let mut o = String::new();
    // The adapters of `recueil ingest` (DILA XML, GDPRHub HTML, Markdown, text) read the file and
    // call the extractor; a Markdown record's facts are its front matter.
    let record = &crate::ingest::read_file(file)?;
    let evidence = record
        .evidence
        .iter()
        .map(|(k, spans)| {
            let quotes = spans.iter().map(|s| Quote { start: s.start, end: s.end, text: &record.text[s.start..s.end] }).collect();
            (k.evidence_key(), quotes)
        })
        .collect();
    let out = Extracted {
        number: record.facts.number.as_deref(),
        date: record.facts.date,
        language: record.language,
        respondent: record.facts.respondent.as_deref(),
        respondent_kind: record.facts.respondent_kind,
        sector: record.facts.sector.as_deref(),
        fine_eur: record.facts.fine_eur,
        fines: &record.facts.fines,
        breached: &record.facts.breached,
        injunction: record.facts.injunction,
        penalty_per_day_eur: record.facts.penalty_per_day_eur,
        public: record.facts.public,
        measures: &record.facts.measures,
        summary: record.summary.as_deref(),
        outline: &record.outline,
        evidence,
        disagreements: &record.disagreements,
    };
    if json {
        outln!(o, "{}", serde_json::to_string_pretty(&out)?);
        return emit(&o);
    }
    let show = |v: &dyn std::fmt::Debug| format!("{v:?}");
    outln!(o, "number           {}", out.number.unwrap_or("-"));
    outln!(o, "date             {}", out.date.map_or("-".into(), |d| d.to_string()));
    outln!(o, "language         {}", show(&out.language).to_lowercase());
    outln!(o, "respondent       {} ({})", out.respondent.unwrap_or("-"), out.respondent_kind.map_or("-".into(), |k| show(&k).to_lowercase()));
    outln!(o, "sector           {}", out.sector.unwrap_or("-"));
    outln!(o, "fine             {}", out.fine_eur.map_or("-".into(), |e| format!("{e} EUR")));
    for f in out.fines {
        outln!(o, "  of which       {} EUR on {}", f.eur, f.respondent);
    }
    outln!(o, "breached         {}", out.breached.join(", "));
    outln!(o, "injunction       {}", out.injunction.map_or("-".into(), |b| b.to_string()));
    outln!(o, "penalty per day  {}", out.penalty_per_day_eur.map_or("-".into(), |e| format!("{e} EUR")));
    outln!(o, "public           {}", out.public.map_or("-".into(), |b| b.to_string()));
    outln!(o, "measures         {}", out.measures.iter().map(|m| show(m).to_lowercase()).collect::<Vec<_>>().join(", "));
    outln!(o, "summary          {}", out.summary.unwrap_or("-"));
    for d in out.disagreements {
        outln!(o, "disagreement     {}: text says {}, {} says {}", d.field, d.text_value, d.provenance, d.claimed_value);
    }
    outln!(o, "outline");
    for s in out.outline {
        outln!(o, "  {:<20} {:>7}..{:<7} {}", show(&s.kind), s.span.start, s.span.end, s.title);
    }
    emit(&o)
}
