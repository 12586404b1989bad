//! `recueil sync`: bring the index up to date from DILA's open-data server.

use std::path::Path;
use std::process::ExitCode;

use crate::escape::escaped;
use crate::sync::fetch::Limits;
use crate::sync::{self, Options};
use crate::Result;

use super::progress::Spinner;
use super::output::{diagnostic, outln, print};

/// Exit code 1 when an archive failed or ingest refused some of its members.
pub fn sync(index_dir: &Path, from: &str, json: bool) -> Result<ExitCode> {
    let opts = Options { from: from.to_string(), limits: Limits::default() };
    let report = sync::run_reporting(index_dir, &opts, &Spinner::new(!json))?;
    let mut o = String::new();
    if json {
        outln!(o, "{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(o, "{}: {} archive(s) listed", escaped(&report.from), report.listed);
        if report.caught_up_from_global {
            outln!(o, "the listing no longer reaches back to the last archive applied: catching up from the newest global archive");
        }
        for a in &report.applied {
            outln!(o, 
                "applied {} ({} texts): {} new, {} updated, {} unchanged, {} rejected, {} deleted",
                escaped(&a.name),
                a.texts, a.ingested, a.updated, a.unchanged, a.rejected, a.deleted
            );
            if a.unrecognised_deletions > 0 {
                outln!(o, "  {} deletion-list lines named no CNILTEXT id", a.unrecognised_deletions);
            }
        }
        for r in &report.rejected {
            diagnostic(&format!("rejected {}: {}", escaped(&r.path), escaped(&r.reason)));
        }
        if report.nothing_new() {
            outln!(o, "nothing new");
        }
        if !report.pending.is_empty() {
            outln!(o, "pending for the next run: {}", escaped(&report.pending.join(", ")));
        }
    }
    print(&o)?;
    if let Some(f) = &report.failed {
        diagnostic(&format!("error: {}: {}", escaped(&f.archive), escaped(&f.message)));
    }
    Ok(if report.failed.is_some() || !report.rejected.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
