//! `recueil search` and `recueil eval-search`.
use std::path::Path;
use std::process::ExitCode;

use crate::eval::search::{evaluate, read_queries};
use crate::search::{Engine, SearchRequest};
use crate::Result;

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
    for (i, h) in res.hits.iter().enumerate() {
        let date = h.date.map(|d| d.to_string()).unwrap_or_default();
        let fine = h.fine_eur.map(|f| format!("{f} €")).unwrap_or_default();
        let who = h.respondent.as_deref().or(h.title.as_deref()).unwrap_or("");
        outln!(
            o,
            "{:>3}. {:<14} {:<10} {:>14}  {}",
            req.offset + i + 1,
            h.number.as_deref().unwrap_or(&h.id),
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

pub fn eval_search(index_dir: &Path, queries: &Path, json: bool) -> Result<ExitCode> {
    let engine = Engine::open(index_dir)?;
    let report = evaluate(&engine, &read_queries(queries)?)?;
    if json {
        print(&(serde_json::to_string_pretty(&report)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = String::new();
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
    outln!(o, "success@5 {:.3}   MRR {:.3}   ({} queries)", report.success_at_5, report.mrr, report.queries.len());
    print(&o)?;
    Ok(ExitCode::SUCCESS)
}
