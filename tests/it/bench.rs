//! One small run of `recueil bench` end to end: the corpus, the store, the engine and SQLite
//! must agree on what the queries mean, or the latencies compare different work.
use std::path::Path;

use recueil::bench::{run, Options};

#[test]
fn a_small_run_measures_every_class_on_both_engines() {
    let data_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(data_dir.join("eval/texts").is_dir(), "the bench test needs {}", data_dir.display());
    let dir = tempfile::tempdir().unwrap();
    let opts = Options { docs: 60, seed: 3, data_dir, work_dir: dir.path().join("store"), reps: Some(1) };
    let report = run(&opts).unwrap();

    assert_eq!(report.classes.len(), 7);
    assert!(report.corpus_bytes > 60 * 5_000);
    assert!(report.tantivy_bytes > 0 && report.sqlite_bytes > 0);
    assert!(report.real_ingest.records > 0);
    for c in &report.classes {
        let queries = if c.class == recueil::bench::queries::Class::Mixed { 64 } else { 8 };
        assert_eq!((c.queries, c.samples), (queries, queries), "{}", c.label);
        assert!(c.recueil.p50_ms > 0.0 && c.recueil_cold.p50_ms > 0.0 && c.recueil_alone.p50_ms > 0.0 && c.sqlite.p50_ms > 0.0, "{}", c.label);
        // Stemming lets recueil match more, never a different order of magnitude.
        assert!(c.sqlite_mean_total > 0.0, "fts5 found nothing for {}", c.label);
        let (r, s) = (c.recueil_mean_total, c.sqlite_mean_total);
        assert!(r >= 0.5 * s && r <= 3.0 * s + 2.0, "{}: recueil {r} vs fts5 {s}", c.label);
    }
    let text = recueil::bench::render(&report);
    assert!(text.lines().last().unwrap().starts_with("ratio sqlite/recueil p50 = "), "{text}");
    // The store it leaves is a real one: `serve` and the HTTP load run use it, with its paths.
    assert!(dir.path().join("store/CURRENT").is_file());
    let paths = std::fs::read_to_string(dir.path().join("store/bench").join(recueil::bench::HTTP_PATHS)).unwrap();
    assert_eq!(paths.lines().count(), 64);
}
