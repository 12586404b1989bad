//! `recueil ingest` and `recueil show`.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::escape::escaped;
use crate::index::store::Store;
use crate::ingest::ingest_paths_reporting;
use crate::record::Decision;
use crate::{Error, Result};

use super::output::{diagnostic, print};
use super::progress::Spinner;

/// Exit 0 when every input was read, 1 when some were rejected (the rest is still stored).
/// The report goes to stdout, each rejection to stderr as well in text mode.
pub fn ingest(index_dir: &Path, paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let store = Store::open(index_dir)?;
    let report = ingest_paths_reporting(&store, paths, &Spinner::new(!json))?;
    if json {
        print(&(serde_json::to_string(&report)? + "\n"))?;
    } else {
        for r in &report.rejected {
            diagnostic(&format!("rejected {}: {}", escaped(&r.path), escaped(&r.reason)));
        }
        let mut out = format!(
            "ingested:  {}\nupdated:   {}\nunchanged: {}\nconflicts: {}\nrejected:  {}\n",
            report.ingested,
            report.updated,
            report.unchanged,
            report.conflicts.len(),
            report.rejected.len()
        );
        for c in &report.conflicts {
            out.push_str(&format!("  {} kept apart: {} ({})\n", c.decision, escaped(&c.reason), escaped(&c.sources.join(" vs "))));
        }
        print(&out)?;
    }
    Ok(if report.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// One decision by id, decision number or alias (case-insensitive).
pub fn show(index_dir: &Path, id_or_number: &str, json: bool) -> Result<ExitCode> {
    let wanted = id_or_number.trim();
    let decision = crate::search::Engine::open(index_dir)?
        .get(wanted)?
        .ok_or_else(|| Error::NotFound(format!("no decision with id, number or alias {wanted:?}")))?;
    print(&if json { serde_json::to_string_pretty(&decision)? + "\n" } else { render(&decision) })?;
    Ok(ExitCode::SUCCESS)
}

fn render(d: &Decision) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: Option<String>| {
        if let Some(v) = value {
            out.push_str(&format!("{label:<12}{v}\n"));
        }
    };
    let f = &d.facts;
    line("id", Some(d.id.clone()));
    line("number", f.number.clone());
    line("nature", f.nature.clone());
    line("date", f.date.map(|d| d.to_string()));
    line("published", d.published.map(|d| d.to_string()));
    line("title", d.title.clone());
    line("respondent", f.respondent.clone());
    line("fine", f.fine_eur.map(|f| format!("{f} EUR")));
    line("breached", (!f.breached.is_empty()).then(|| f.breached.join(", ")));
    line("legifrance", d.legifrance_url());
    line("conflict", d.conflict.clone());
    for r in &d.readings {
        let kind = if r.machine_translation { "machine translation" } else { "" };
        line("reading", Some(format!("{} ({:?}, {:?} {kind}; {}, {})", r.record.source.path, r.record.source.format, r.role, r.attribution.publisher, r.attribution.licence)));
    }
    for x in &d.disagreements {
        let values: Vec<String> = x.values.iter().map(|v| format!("{} ({})", v.value, v.provenance.origin)).collect();
        line("disagrees", Some(format!("{:?}: {}", x.fact, values.join(" / "))));
    }
    if let Some(summary) = d.summary(crate::record::Language::En) {
        out.push_str(&format!("\n{summary}\n"));
    }
    if let Some(main) = d.main_text() {
        out.push('\n');
        out.push_str(&main.record.text);
        out.push('\n');
    }
    out
}
