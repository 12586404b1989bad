//! `recueil ingest` and `recueil show`.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::index::store::Store;
use crate::ingest::ingest_paths;
use crate::record::Record;
use crate::{Error, Result};

use super::output::{diagnostic, print};

/// Exit 0 when every input was read, 1 when some were rejected (the rest is still stored).
/// The report goes to stdout, each rejection to stderr as well in text mode.
pub fn ingest(index_dir: &Path, paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let store = Store::open(index_dir)?;
    let report = ingest_paths(&store, paths, !json)?;
    if json {
        print(&(serde_json::to_string(&report)? + "\n"))?;
    } else {
        for r in &report.rejected {
            diagnostic(&format!("rejected {}: {}", r.path, r.reason));
        }
        print(&format!(
            "ingested:  {}\nupdated:   {}\nunchanged: {}\nrejected:  {}\n",
            report.ingested,
            report.updated,
            report.unchanged,
            report.rejected.len()
        ))?;
    }
    Ok(if report.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// One record by id, or by decision number (case-insensitive).
pub fn show(index_dir: &Path, id_or_number: &str, json: bool) -> Result<ExitCode> {
    let records = Store::open(index_dir)?.records()?;
    let wanted = id_or_number.trim();
    let record = records
        .iter()
        .find(|r| r.id == wanted)
        .or_else(|| records.iter().find(|r| r.number.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(wanted))))
        .ok_or_else(|| Error::NotFound(format!("no record with id or number {wanted:?}")))?;
    print(&if json { serde_json::to_string_pretty(record)? + "\n" } else { render(record) })?;
    Ok(ExitCode::SUCCESS)
}

fn render(r: &Record) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: Option<String>| {
        if let Some(v) = value {
            out.push_str(&format!("{label:<12}{v}\n"));
        }
    };
    line("id", Some(r.id.clone()));
    line("number", r.number.clone());
    line("nature", r.nature.clone());
    line("date", r.date.map(|d| d.to_string()));
    line("published", r.published.map(|d| d.to_string()));
    line("title", r.title.clone());
    line("respondent", r.respondent.clone());
    line("fine", r.fine_eur.map(|f| format!("{f} EUR")));
    line("breached", (!r.breached.is_empty()).then(|| r.breached.join(", ")));
    line("source", Some(format!("{} ({:?})", r.source.path, r.source.format)));
    line("legifrance", r.legifrance_url());
    out.push('\n');
    out.push_str(&r.text);
    out.push('\n');
    out
}
