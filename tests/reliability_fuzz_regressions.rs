//! Replays every input kept under `fuzz/regressions/<target>/` (crashes the fuzzers found,
//! and hostile inputs written by hand) through the same checks as the fuzz targets.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no regression input under {}", dir.display());
    for input in inputs {
        let data = std::fs::read(&input).expect("read regression input");
        eprintln!("{target}: {}", input.display());
        check(&data);
    }
}

#[test]
fn extract_text_regressions() {
    replay("extract_text", harness::extract_text);
}

/// Inputs too large to keep as files: long repetitive texts must be read in bounded time
/// (a quadratic scan over a 0.5 MB decision would take minutes).
#[test]
fn extract_text_on_pathological_sizes() {
    let inputs = [
        ("repeated amounts", "une amende de 1 000 euros, ".repeat(20_000)),
        ("one long word", format!("{} amende de 5 euros", "a".repeat(300_000))),
        ("empty paragraphs", "\n\n".repeat(100_000)),
        ("repeated headings", "PAR CES MOTIFS\n\nI. Sur le manquement à l'article 32\n\n".repeat(10_000)),
        ("repeated dates", "le 1er janvier 2020, ".repeat(20_000)),
    ];
    for (what, text) in inputs {
        let started = std::time::Instant::now();
        harness::extract_text(text.as_bytes());
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(10), "{what}: extraction of {} bytes took {took:?}", text.len());
    }
}
