//! `recueil search` and `recueil eval-search`.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::eval::search::{evaluate, read_queries};
use crate::index::store::Store;
use crate::ingest::ingest_paths;
use crate::search::{Engine, SearchRequest};
use crate::{Error, Result};

use super::output::{outln, print};

pub fn search(index_dir: &Path, req: &SearchRequest, json: bool) -> Result<ExitCode> {
    let engine = Engine::open(index_dir)?;
    let res = engine.search(req)?;
    if json {
        print(&(serde_json::to_string_pretty(&res)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = String::new();
    outln!(o, "{} decision(s)", res.total);
    if let Some(suggestion) = &res.did_you_mean {
        outln!(o, "did you mean: {suggestion}");
    }
    for (i, h) in res.hits.iter().enumerate() {
        let date = h.facts.date.map(|d| d.to_string()).unwrap_or_default();
        let fine = h.facts.fine_eur.map(|f| format!("{f} €")).unwrap_or_default();
        let who = h.facts.respondent.as_deref().or(h.title.as_deref()).unwrap_or("");
        outln!(
            o,
            "{:>3}. {:<14} {:<10} {:>14}  {}",
            req.offset + i + 1,
            h.facts.number.as_deref().unwrap_or(&h.id),
            date,
            fine,
            clip(who, 60)
        );
        let snippet: String = h
            .snippet
            .iter()
            .map(|p| if p.highlighted { format!("[{}]", p.text) } else { p.text.clone() })
            .collect();
        if !snippet.is_empty() {
            outln!(o, "       {}", clip(&snippet, 200));
        }
    }
    if !res.facets.breached.is_empty() {
        let top: Vec<String> = res.facets.breached.iter().take(8).map(|f| format!("{} ({})", f.value, f.count)).collect();
        outln!(o, "breached: {}", top.join(", "));
    }
    if let (Some(min), Some(max), Some(median)) = (res.fine_stats.min, res.fine_stats.max, res.fine_stats.median) {
        outln!(
            o,
            "fines: {} decision(s), min {min} €, median {median} €, max {max} €, total {} €",
            res.fine_stats.count,
            res.fine_stats.sum
        );
    }
    if let Some(c) = &res.next_cursor {
        outln!(o, "next page: --cursor {c}");
    }
    print(&o)?;
    Ok(ExitCode::SUCCESS)
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// A temporary index directory, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Evaluates each judged query file over the index at `index_dir`, or, without one, over a
/// fresh index of `data`'s GDPRhub pages and DILA texts: the index the judgements were made on.
pub fn eval_search(index_dir: Option<&Path>, data: &Path, queries: &[PathBuf], json: bool) -> Result<ExitCode> {
    let queries: Vec<PathBuf> = if queries.is_empty() {
        ["queries.jsonl", "queries-crosslingual.jsonl"].iter().map(|f| data.join("eval").join(f)).collect()
    } else {
        queries.to_vec()
    };
    let mut scratch = None;
    let engine = match index_dir {
        Some(dir) => Engine::open(dir)?,
        None => {
            let dir = Scratch(std::env::temp_dir().join(format!("recueil-eval-search-{}", std::process::id())));
            std::fs::create_dir_all(&dir.0).map_err(|e| Error::io(&dir.0, e))?;
            let store = Store::open(&dir.0)?;
            ingest_paths(&store, &[data.join("gdprhub"), data.join("dila")])?;
            let engine = Engine::open(&dir.0)?;
            scratch = Some(dir);
            engine
        }
    };
    let mut reports = Vec::new();
    for file in &queries {
        reports.push((file.display().to_string(), evaluate(&engine, &read_queries(file)?)?));
    }
    drop(engine);
    drop(scratch);
    if json {
        let sets: Vec<serde_json::Value> =
            reports.iter().map(|(file, r)| serde_json::json!({ "file": file, "report": r })).collect();
        print(&(serde_json::to_string_pretty(&sets)? + "
"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = String::new();
    for (file, report) in &reports {
        outln!(o, "{file}");
        outln!(o, "{:<5} {:>4} {:>5}  query (top 5)", "s@5", "rank", "RR");
        for r in &report.queries {
            outln!(
                o,
                "{:<5} {:>4} {:>5.2}  {}  [{}]",
                if r.success_at_5 { "yes" } else { "NO" },
                r.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
                r.reciprocal_rank,
                r.q,
                r.top.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
            );
        }
        outln!(o, "success@5 {:.3}   MRR {:.3}   ({} queries)
", report.success_at_5, report.mrr, report.queries.len());
    }
    print(&o)?;
    Ok(ExitCode::SUCCESS)
}
