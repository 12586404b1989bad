//! `recueil extract FILE`.
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::record::{Disagreement, Facts, Language, OutlineSection};
use super::output::{emit, outln};
use crate::Result;

/// The extracted facts with the gold file's field names; evidence carries the quoted text.
#[derive(Serialize)]
struct Extracted<'a> {
    #[serde(flatten)]
    facts: &'a Facts,
    language: Language,
    summary: Option<&'a str>,
    outline: &'a [OutlineSection],
    evidence: std::collections::BTreeMap<&'static str, Vec<Quote<'a>>>,
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
        facts: &record.facts,
        language: record.language,
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
    let facts = out.facts;
    outln!(o, "number           {}", facts.number.as_deref().unwrap_or("-"));
    outln!(o, "date             {}", facts.date.map_or("-".into(), |d| d.to_string()));
    outln!(o, "language         {}", show(&out.language).to_lowercase());
    outln!(o, "respondent       {} ({})", facts.respondent.as_deref().unwrap_or("-"), facts.respondent_kind.map_or("-".into(), |k| show(&k).to_lowercase()));
    outln!(o, "sector           {}", facts.sector.as_deref().unwrap_or("-"));
    outln!(o, "fine             {}", facts.fine_eur.map_or("-".into(), |e| format!("{e} EUR")));
    for f in &facts.fines {
        outln!(o, "  of which       {} EUR on {}", f.eur, f.respondent);
    }
    outln!(o, "breached         {}", facts.breached.join(", "));
    outln!(o, "injunction       {}", facts.injunction.map_or("-".into(), |b| b.to_string()));
    outln!(o, "penalty per day  {}", facts.penalty_per_day_eur.map_or("-".into(), |e| format!("{e} EUR")));
    outln!(o, "public           {}", facts.public.map_or("-".into(), |b| b.to_string()));
    outln!(o, "measures         {}", facts.measures.iter().map(|m| show(m).to_lowercase()).collect::<Vec<_>>().join(", "));
    outln!(o, "checks           {}", facts.checks.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "));
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
