//! Property test: ingest is idempotent and order-blind. Any subset of the real inputs,
//! ingested twice, leaves the same set of (id, sha256) and changes nothing the second time;
//! the same files in reverse order give the same set.

use std::path::PathBuf;

use proptest::prelude::*;
use crate::support::reliability::*;

/// Every DILA XML file and GDPRhub page, sorted.
fn pool() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dila_tree()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dila dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty(), "no DILA XML under ../shared/data/dila/tree");
    files.extend(gdprhub_pages());
    files.sort();
    files
}

fn count(report: &serde_json::Value, field: &str) -> u64 {
    report[field].as_u64().unwrap_or_else(|| panic!("ingest report has no numeric {field:?}: {report}"))
}

proptest! {
    // Each case runs three real ingests (index builds included): few cases, still random.
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ingest_twice_is_a_no_op(picks in proptest::collection::vec(any::<proptest::sample::Index>(), 1..8)) {
        let pool = pool();
        let mut seen = std::collections::HashSet::new();
        let inputs: Vec<PathBuf> = picks.iter().map(|i| pool[i.index(pool.len())].clone()).filter(|p| seen.insert(p.clone())).collect();
        let scratch = tempfile::tempdir().expect("tempdir");

        let dir = scratch.path().join("a");
        let first = ingest_ok(&dir, &inputs);
        let once = store_state(&dir).expect("first ingest committed");
        prop_assert!(!once.records.is_empty());
        prop_assert!(first["rejected"].as_array().is_some_and(|r| r.is_empty()), "real inputs rejected: {}", first);
        // Two pages may carry the same decision, so count accepted inputs, not records.
        let accepted = count(&first, "ingested") + count(&first, "updated") + count(&first, "unchanged");

        let second = ingest_ok(&dir, &inputs);
        let twice = store_state(&dir).expect("state after second ingest");
        prop_assert_eq!(&once.records, &twice.records);
        prop_assert_eq!(count(&second, "ingested"), 0, "report: {}", second);
        prop_assert_eq!(count(&second, "updated"), 0, "report: {}", second);
        prop_assert_eq!(count(&second, "unchanged"), accepted, "report: {}", second);

        let reversed: Vec<PathBuf> = inputs.iter().rev().cloned().collect();
        let other = scratch.path().join("b");
        ingest_ok(&other, &reversed);
        prop_assert_eq!(&once.records, &store_state(&other).expect("reverse ingest committed").records);
    }
}
