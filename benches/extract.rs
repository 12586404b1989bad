//! Extraction of a long decision: the longest English text and the French original sanction
//! of `../shared/data/eval/texts`, read at run time through the text adapter (so the record
//! has its paragraphs, as in ingest) and stripped of the facts before each run.
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use recueil::Record;

fn path(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/eval/texts").join(name);
    assert!(path.is_file(), "the extraction bench needs {}", path.display());
    path
}

/// The record ingest would build, before extraction.
fn unextracted(name: &str) -> Record {
    let r = recueil::ingest::read_file(&path(name)).expect("text adapter");
    Record { text: r.text, paragraphs: r.paragraphs, language: r.language, source: r.source, ..Record::default() }
}

fn extract(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    for (label, file) in [("en_107k_chars", "SAN-2021-023.txt"), ("fr_sanction", "SAN-2020-015.txt")] {
        let record = unextracted(file);
        group.bench_function(label, |b| {
            b.iter_batched(|| record.clone(), |mut r| recueil::extract::fill(&mut r), BatchSize::LargeInput)
        });
    }
    group.bench_function("detect_language_107k", |b| {
        let t = unextracted("SAN-2021-023.txt").text;
        b.iter(|| recueil::extract::detect_language(std::hint::black_box(&t)))
    });
    group.finish();
}

criterion_group!(benches, extract);
criterion_main!(benches);
