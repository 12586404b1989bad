//! Extraction of a long decision: the longest English text and the French original sanction
//! of `../shared/data/eval/texts`, read at run time.
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use recueil::Record;

fn text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/eval/texts").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("the extraction bench needs {}: {e}", path.display()))
}

fn extract(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    for (label, file) in [("en_107k_chars", "SAN-2021-023.txt"), ("fr_sanction", "SAN-2020-015.txt")] {
        let record = Record { text: text(file), ..Record::default() };
        group.bench_function(label, |b| {
            b.iter_batched(|| record.clone(), |mut r| recueil::extract::fill(&mut r), BatchSize::LargeInput)
        });
    }
    group.bench_function("detect_language_107k", |b| {
        let t = text("SAN-2021-023.txt");
        b.iter(|| recueil::extract::detect_language(std::hint::black_box(&t)))
    });
    group.finish();
}

criterion_group!(benches, extract);
criterion_main!(benches);
