//! Hot paths of a search: parsing the query language, one snippet of a long decision, and a
//! whole search with and without the 10 snippets over a small synthetic store.
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use recueil::bench::corpus::{generate, ParagraphPool};
use recueil::index::store::Store;
use recueil::search::snippet::{snippet, Terms};
use recueil::search::{query, Engine, SearchRequest};

fn data_dir() -> &'static Path {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    assert!(dir.join("eval/texts").is_dir(), "the search benches need {}", dir.display());
    dir
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("query_parse");
    // 30 alternatives: near the 512-character bound, under the 64-term one.
    let long = format!("({})", vec!["sécurité"; 30].join(" OR "));
    for (label, q) in [
        ("term", "cookies"),
        ("filtered", "security AND password sector:\"Health Care\" year:2021 article:32 fine>=10000"),
        ("nested", "((cookies OR traceurs) AND -publicité) \"données de santé\" date:2020-01-01..2021-06-30"),
        ("30_terms", long.as_str()),
    ] {
        group.bench_function(label, |b| b.iter(|| query::parse(std::hint::black_box(q))));
    }
    group.finish();
}

fn snippets(c: &mut Criterion) {
    // The longest text as ingest stores it (the text adapter decides its paragraphs).
    let record = recueil::ingest::read_file(&data_dir().join("eval/texts/SAN-2021-023.txt")).expect("text adapter");
    let terms = Terms::new(["security", "password"]);
    c.bench_function("snippet/one_107k_decision", |b| {
        b.iter(|| snippet(std::hint::black_box(&record.text), record.language, &terms))
    });

    let pool = ParagraphPool::load(data_dir()).expect("paragraph pool");
    let dir = tempfile::tempdir().expect("tempdir");
    Store::open(dir.path())
        .and_then(|s| recueil::ingest::ingest_records(&s, generate(&pool, 300, 1).collect()))
        .expect("bench store");
    let engine = Engine::open(dir.path()).expect("engine");
    let mut group = c.benchmark_group("search_300_docs");
    for (label, snippets) in [("no_snippets", false), ("10_snippets", true)] {
        let req =
            SearchRequest { query: "security sector:\"Health Care\"".into(), snippets, ..SearchRequest::default() };
        group.bench_function(label, |b| b.iter(|| engine.search(&req).expect("search")));
    }
    group.finish();
}

criterion_group!(benches, parse, snippets);
criterion_main!(benches);
