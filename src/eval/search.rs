//! Ranking measured on judged queries (`../shared/data/eval/queries.jsonl`): a query is a
//! success when one of its `any` decisions is in the top 5, or its `first` decision ranks first.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::search::{Engine, SearchRequest};
use crate::{Error, Result};

/// Hits looked at for the reciprocal rank.
const DEPTH: usize = 10;
const SUCCESS_AT: usize = 5;

#[derive(Debug, Clone, Deserialize)]
pub struct Judged {
    pub q: String,
    #[serde(default)]
    pub any: Vec<String>,
    #[serde(default)]
    pub first: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    pub q: String,
    pub success_at_5: bool,
    /// 1-based rank of the first relevant hit within the top 10.
    pub rank: Option<usize>,
    pub reciprocal_rank: f64,
    pub top: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub queries: Vec<QueryResult>,
    pub success_at_5: f64,
    pub mrr: f64,
}

pub fn read_queries(path: &Path) -> Result<Vec<Judged>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let j: Judged = serde_json::from_str(l)
                .map_err(|e| Error::Serde(format!("{} line {}: {e}", path.display(), i + 1)))?;
            if j.any.is_empty() && j.first.is_none() {
                return Err(Error::Serde(format!("{} line {}: neither `any` nor `first`", path.display(), i + 1)));
            }
            Ok(j)
        })
        .collect()
}

pub fn evaluate(engine: &Engine, queries: &[Judged]) -> Result<EvalReport> {
    let mut results = Vec::new();
    for j in queries {
        let req = SearchRequest { query: j.q.clone(), limit: DEPTH, snippets: false, ..Default::default() };
        let top: Vec<String> = engine.search(&req)?.hits.into_iter().map(|h| h.head.facts.number.unwrap_or(h.head.id)).collect();
        let relevant = |n: &String| match &j.first {
            Some(first) => n.eq_ignore_ascii_case(first),
            None => j.any.iter().any(|a| a.eq_ignore_ascii_case(n)),
        };
        let rank = top.iter().position(relevant).map(|p| p + 1);
        let success = match &j.first {
            Some(_) => rank == Some(1),
            None => rank.is_some_and(|r| r <= SUCCESS_AT),
        };
        results.push(QueryResult {
            q: j.q.clone(),
            success_at_5: success,
            rank,
            reciprocal_rank: rank.map_or(0.0, |r| 1.0 / r as f64),
            top,
        });
    }
    let n = results.len().max(1) as f64;
    Ok(EvalReport {
        success_at_5: results.iter().filter(|r| r.success_at_5).count() as f64 / n,
        mrr: results.iter().map(|r| r.reciprocal_rank).sum::<f64>() / n,
        queries: results,
    })
}
