//! The queries of every class run on both engines, interleaved, and their latencies.

use std::time::Instant;

use crate::Result;
use crate::search::{Engine, SearchRequest, SortBy};

use super::queries::{self, Class};
use super::sqlite;
use super::{ClassReport, Latency};

pub(super) fn geometric_mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x.ln(), n + 1));
    (sum / n.max(1) as f64).exp()
}

pub(super) fn measure_queries(engine: &Engine, fts: &sqlite::Fts5, reps: usize) -> Result<Vec<ClassReport>> {
    let all = queries::all();
    let mut out = Vec::new();
    for class in Class::ALL {
        let qs: Vec<_> = all.iter().filter(|q| q.class == class).collect();
        let (mut ours, mut theirs, mut cold, mut alone) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut our_total, mut their_total) = (0usize, 0usize);
        for q in &qs {
            let req = SearchRequest {
                query: q.recueil(),
                sort: SortBy::Relevance,
                limit: 10,
                snippets: class.snippets(),
                ..SearchRequest::default()
            };
            // A first run each: recueil's with its caches emptied (timed: what a query never seen
            // in this generation costs), SQLite's untimed, to fault its pages in.
            engine.clear_caches();
            let t = Instant::now();
            our_total += engine.answer(&req)?.total;
            cold.push(t.elapsed());
            their_total += fts.search(q)?.total;
            // Interleaved so that both engines see the same machine load. Recueil's runs skip
            // its response cache (a repeated request would cost a copy) but keep the clauses
            // and the result set's counts, as another page of the query would.
            for _ in 0..reps {
                let t = Instant::now();
                std::hint::black_box(engine.answer(&req)?);
                ours.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(fts.search(q)?);
                theirs.push(t.elapsed());
            }
            for _ in 0..reps {
                let t = Instant::now();
                std::hint::black_box(engine.answer(&req)?);
                alone.push(t.elapsed());
            }
        }
        let (recueil, sqlite, recueil_cold) = (Latency::of(&mut ours), Latency::of(&mut theirs), Latency::of(&mut cold));
        let recueil_alone = Latency::of(&mut alone);
        out.push(ClassReport {
            class,
            label: class.label(),
            queries: qs.len(),
            samples: ours.len(),
            recueil,
            recueil_cold,
            recueil_alone,
            sqlite,
            ratio_p50: sqlite.p50_ms / recueil.p50_ms.max(1e-6),
            recueil_mean_total: our_total as f64 / qs.len() as f64,
            sqlite_mean_total: their_total as f64 / qs.len() as f64,
        });
        eprintln!("bench: {} done", class.label());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometric_mean_of_ratios() {
        assert!((geometric_mean([2.0, 8.0].into_iter()) - 4.0).abs() < 1e-9);
    }

}
