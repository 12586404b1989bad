//! `recueil extract FILE` and `recueil eval --gold FILE`.
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::extract::eval::{evaluate, text_record};
use crate::record::{Fine, Language, Measure, OutlineSection, RespondentKind};
use crate::{Error, Result};

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
}

#[derive(Serialize)]
struct Quote<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

pub fn extract(file: &Path, json: bool) -> Result<ExitCode> {
    if file.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() != Some("txt") {
        return Err(Error::Rejected { path: file.display().to_string(), reason: "extract reads .txt files".into() });
    }
    let mut record = text_record(file)?;
    crate::extract::fill(&mut record);
    let evidence = record
        .evidence
        .iter()
        .map(|(k, spans)| {
            let quotes = spans.iter().map(|s| Quote { start: s.start, end: s.end, text: &record.text[s.start..s.end] }).collect();
            (k.as_str(), quotes)
        })
        .collect();
    let out = Extracted {
        number: record.number.as_deref(),
        date: record.date,
        language: record.language,
        respondent: record.respondent.as_deref(),
        respondent_kind: record.respondent_kind,
        sector: record.sector.as_deref(),
        fine_eur: record.fine_eur,
        fines: &record.fines,
        breached: &record.breached,
        injunction: record.injunction,
        penalty_per_day_eur: record.penalty_per_day_eur,
        public: record.public,
        measures: &record.measures,
        summary: record.summary.as_deref(),
        outline: &record.outline,
        evidence,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let show = |v: &dyn std::fmt::Debug| format!("{v:?}");
    println!("number           {}", out.number.unwrap_or("-"));
    println!("date             {}", out.date.map_or("-".into(), |d| d.to_string()));
    println!("language         {}", show(&out.language).to_lowercase());
    println!("respondent       {} ({})", out.respondent.unwrap_or("-"), out.respondent_kind.map_or("-".into(), |k| show(&k).to_lowercase()));
    println!("sector           {}", out.sector.unwrap_or("-"));
    println!("fine             {}", out.fine_eur.map_or("-".into(), |e| format!("{e} EUR")));
    for f in out.fines {
        println!("  of which       {} EUR on {}", f.eur, f.respondent);
    }
    println!("breached         {}", out.breached.join(", "));
    println!("injunction       {}", out.injunction.map_or("-".into(), |b| b.to_string()));
    println!("penalty per day  {}", out.penalty_per_day_eur.map_or("-".into(), |e| format!("{e} EUR")));
    println!("public           {}", out.public.map_or("-".into(), |b| b.to_string()));
    println!("measures         {}", out.measures.iter().map(|m| show(m).to_lowercase()).collect::<Vec<_>>().join(", "));
    println!("summary          {}", out.summary.unwrap_or("-"));
    println!("outline");
    for s in out.outline {
        println!("  {:<20} {:>7}..{:<7} {}", show(&s.kind), s.span.start, s.span.end, s.title);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn eval(gold: &Path, json: bool) -> Result<ExitCode> {
    let report = evaluate(gold)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} decisions, {:.2} MB extracted in {:.3} s ({:.1} MB/s)", report.decisions, report.bytes as f64 / 1e6, report.seconds, report.mb_per_s);
    println!("{:<16} {:>8} {:>9}", "field", "correct", "accuracy");
    for f in &report.fields {
        println!("{:<16} {:>4}/{:<3} {:>8.1}%", f.field, f.correct, f.total, f.accuracy * 100.0);
    }
    let b = &report.breached;
    println!(
        "breached         precision {:.3}  recall {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
        b.precision, b.recall, b.f1, b.true_positives, b.false_positives, b.false_negatives
    );
    if !report.misses.is_empty() {
        println!("misses");
        for m in &report.misses {
            println!("  {:<14} {:<16} expected {}  got {}", m.number, m.field, m.expected, m.got);
        }
    }
    Ok(ExitCode::SUCCESS)
}
