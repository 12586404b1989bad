//! Acceptance of issue 4 on the real data: ingest `../shared/data/gdprhub` and
//! `../shared/data/dila`, then measure ranking on the judged queries, the `article:33` filter
//! against the gold facts, the French DILA text on sickle-cell disease, and snippet cost on
//! the longest decision. Needs `../shared/data`; fails loudly without it.

use std::collections::BTreeSet;
use std::time::Instant;

use recueil::eval::search::{evaluate, read_queries};
use recueil::search::SearchRequest;

use crate::support::{shared_data as data, shared_engine as engine};

#[test]
fn judged_queries_reach_success_at_5_of_0_9() {
    let e = engine();
    let report = evaluate(&e, &read_queries(&data().join("eval/queries.jsonl")).unwrap()).unwrap();
    for q in &report.queries {
        eprintln!("{} rank {:?}  {}", if q.success_at_5 { "ok  " } else { "MISS" }, q.rank, q.q);
    }
    eprintln!("success@5 {:.3} MRR {:.3}", report.success_at_5, report.mrr);
    assert!(report.success_at_5 >= 0.9, "success@5 {:.3}", report.success_at_5);

    // Latency of a page of 10 hits with snippets, facets and fine statistics.
    let mut times = Vec::new();
    for q in &report.queries {
        for _ in 0..5 {
            let t = Instant::now();
            e.search(&SearchRequest { query: q.q.clone(), ..Default::default() }).unwrap();
            times.push(t.elapsed());
        }
    }
    times.sort();
    eprintln!("search with snippets: p50 {:?}, p90 {:?}", times[times.len() / 2], times[times.len() * 9 / 10]);
}

#[test]
fn article_33_agrees_with_the_gold_facts() {
    let e = engine();
    let gold_text = std::fs::read_to_string(data().join("eval/gold.jsonl")).unwrap();
    let mut judged = BTreeSet::new();
    let mut expected = BTreeSet::new();
    for line in gold_text.lines().filter(|l| !l.trim().is_empty()) {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        let number = g["number"].as_str().unwrap().to_string();
        if g["breached"].as_array().unwrap().iter().any(|b| b == "GDPR:33") {
            expected.insert(number.clone());
        }
        judged.insert(number);
    }
    let res = e
        .search(&SearchRequest { query: "article:33".into(), limit: 100, snippets: false, ..Default::default() })
        .unwrap();
    let found: BTreeSet<String> =
        res.hits.into_iter().filter_map(|h| h.head.facts.number).filter(|n| judged.contains(n)).collect();
    let hits = found.intersection(&expected).count() as f64;
    let precision = if found.is_empty() { 0.0 } else { hits / found.len() as f64 };
    let recall = hits / expected.len() as f64;
    eprintln!("article:33 precision {precision:.2} recall {recall:.2}; found {found:?}; expected {expected:?}");
    assert!(precision >= 0.9 && recall >= 0.9, "precision {precision:.2} recall {recall:.2}");
}

#[test]
fn drepanocytose_finds_the_french_dila_text() {
    let e = engine();
    let res = e.search(&SearchRequest { query: "drepanocytose".into(), ..Default::default() }).unwrap();
    let first = res.hits.first().expect("a hit for drepanocytose");
    let decision = e.get(&first.id).unwrap().unwrap();
    assert!(decision.legifrance_id.as_deref().is_some_and(|id| id.starts_with("CNILTEXT")), "{}", decision.id);
    let text = &decision.main_text().expect("the DILA text").record.text;
    let lower = format!("{} {text}", decision.title.clone().unwrap_or_default()).to_lowercase();
    assert!(lower.contains("drépanocytose"), "{}", first.id);
}

#[test]
fn snippets_stay_bounded_on_the_longest_decision() {
    let e = engine();
    let all =
        e.search(&SearchRequest { query: String::new(), limit: 100, snippets: false, ..Default::default() }).unwrap();
    let longest = all
        .hits
        .iter()
        .filter_map(|h| e.get(&h.id).unwrap().unwrap().main_text().map(|r| r.record.clone()))
        .max_by_key(|r| r.text.len())
        .unwrap();
    eprintln!("longest decision: {} ({} chars)", longest.id, longest.text.chars().count());
    let terms = recueil::search::snippet::Terms::new(["data", "security", "breach", "notification"]);
    let mut times = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let parts = recueil::search::snippet::snippet(&longest.text, longest.language, &terms);
        times.push(t.elapsed());
        assert!(parts.iter().any(|p| p.highlighted));
    }
    times.sort();
    let median = times[times.len() / 2];
    eprintln!(
        "snippet on the longest decision: median {median:?}, min {:?}, max {:?}",
        times[0],
        times[times.len() - 1]
    );
    // Printed, not asserted: speed is measured in benches/search.rs and BENCHMARKS.md; what a
    // test can hold is that the passage stays bounded on the longest text.
    let shown: usize = recueil::search::snippet::snippet(&longest.text, longest.language, &terms).iter().map(|p| p.text.chars().count()).sum();
    assert!(shown <= 1_000, "a snippet of {shown} chars");
}
