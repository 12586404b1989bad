//! Fault injection on the record store and its index: `recueil ingest` killed with SIGKILL
//! at random points, and segment files corrupted on disk. After any fault the store must be
//! the old state or the new one, never a mix, and the engine must not serve a damaged index.
//!
//! Replay a run with `RECUEIL_SEED=<printed seed> cargo test --test it reliability_faults::`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use recueil::search::{Engine, SearchRequest};
use crate::support::reliability::*;

/// The old state: the DILA decisions only.
fn old_inputs() -> Vec<PathBuf> {
    vec![dila_tree()]
}

/// The new state adds every GDPRhub page, enough work for a kill to land mid-ingest.
fn new_inputs() -> Vec<PathBuf> {
    vec![dila_tree(), gdprhub_dir()]
}

/// Checks that the index of the current generation agrees with its decisions: it validates
/// (doc count, checksums) and the engine opens on this very generation.
fn assert_index_matches(index_dir: &Path, state: &StoreState) {
    let tantivy = state.gen_dir(index_dir).join("tantivy");
    recueil::index::validate(&tantivy, state.decisions)
        .unwrap_or_else(|e| panic!("gen-{} index does not match its {} decisions: {e}", state.generation, state.decisions));
    let engine = Engine::open(index_dir).unwrap_or_else(|e| panic!("engine does not open gen-{}: {e}", state.generation));
    assert_eq!(engine.generation(), state.generation, "engine opened another generation than CURRENT names");
    let stats = engine.stats().expect("stats");
    assert_eq!(stats.total as usize, state.decisions, "engine sees another decision count than the store");
}

#[test]
fn sigkill_during_ingest_leaves_old_or_new_state() {
    let mut rng = Rng::from_env("sigkill_during_ingest_leaves_old_or_new_state");
    let scratch = tempfile::tempdir().expect("tempdir");

    // Reference states, and how long a whole ingest of the new inputs takes here.
    let old_dir = scratch.path().join("old");
    ingest_ok(&old_dir, &old_inputs());
    let old = store_state(&old_dir).expect("old state committed");
    let new_dir = scratch.path().join("new");
    ingest_ok(&new_dir, &old_inputs());
    let started = Instant::now();
    ingest_ok(&new_dir, &new_inputs());
    let full = started.elapsed();
    let new = store_state(&new_dir).expect("new state committed");
    assert!(new.records.is_superset(&old.records) && new.records.len() > old.records.len(), "the new inputs add no record");

    let (mut saw_old, mut saw_new) = (0, 0);
    for round in 0..6 {
        let dir = scratch.path().join(format!("round-{round}"));
        ingest_ok(&dir, &old_inputs());
        let mut child = recueil()
            .arg("--index-dir")
            .arg(&dir)
            .arg("ingest")
            .args(new_inputs())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn ingest");
        // Even rounds kill anywhere in the run (a little past its usual end too); odd rounds
        // wait for the new generation's folder to appear and kill within the commit itself,
        // the window where a store is most likely to be left half-switched.
        let started = Instant::now();
        if round % 2 == 1 {
            let next = dir.join(format!("gen-{}", old.generation + 1));
            while !next.exists() && child.try_wait().expect("try_wait").is_none() && started.elapsed() < full * 5 {
                std::thread::sleep(Duration::from_micros(200));
            }
            let waited = started.elapsed();
            std::thread::sleep(Duration::from_micros(rng.below(full.saturating_sub(waited).as_micros() as u64 * 12 / 10 + 1)));
        } else {
            std::thread::sleep(Duration::from_micros(rng.below(full.as_micros() as u64 * 12 / 10 + 1)));
        }
        let delay = started.elapsed();
        let _ = child.kill(); // SIGKILL on unix; an error only means it already exited.
        child.wait().expect("reap ingest");

        let state = store_state(&dir).expect("a killed ingest must not remove CURRENT");
        eprintln!("round {round}: killed after {delay:?}, gen-{} current", state.generation);
        if state.records == old.records {
            saw_old += 1;
        } else if state.records == new.records {
            saw_new += 1;
        } else {
            panic!("round {round} (kill after {delay:?} of {full:?}): store holds a mix of {} records", state.records.len());
        }
        assert_index_matches(&dir, &state);

        // The next ingest after a crash must go through (no stale lock, no half generation in the way).
        ingest_ok(&dir, &new_inputs());
        let after = store_state(&dir).expect("state after re-ingest");
        assert_eq!(after.records, new.records, "round {round}: re-ingest after a kill did not reach the new state");
        assert_index_matches(&dir, &after);
    }
    eprintln!("kills: {saw_old} left the old state, {saw_new} the new state (full ingest {full:?})");
}

/// The largest file of a tantivy directory that is a segment component (not meta.json, not
/// a lock or the managed-files list).
fn largest_segment_file(tantivy_dir: &Path) -> PathBuf {
    std::fs::read_dir(tantivy_dir)
        .expect("read tantivy dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !name.starts_with('.') && name != "meta.json" && !name.ends_with(".lock")
        })
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .expect("a segment file")
}

/// Flips bytes in the middle of a file, keeping its length: only a checksum can notice.
fn flip_bytes(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read segment file");
    assert!(bytes.len() > 16, "{} is too small to corrupt", path.display());
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8] {
        *b ^= 0xA5;
    }
    std::fs::write(path, bytes).expect("write segment file");
}

#[test]
fn corrupt_segment_falls_back_to_previous_generation() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir = scratch.path().join("index");
    ingest_ok(&dir, &old_inputs());
    let previous = store_state(&dir).expect("first generation");
    ingest_ok(&dir, &new_inputs());
    let current = store_state(&dir).expect("second generation");
    assert_ne!(previous.generation, current.generation, "second ingest made no new generation");

    // Sound store: the engine reads the current generation.
    assert_index_matches(&dir, &current);

    let victim = largest_segment_file(&current.gen_dir(&dir).join("tantivy"));
    flip_bytes(&victim);

    let engine = Engine::open(&dir).expect("engine must open the previous generation when the current one is damaged");
    assert_eq!(engine.generation(), previous.generation, "engine served the damaged generation ({} corrupted)", victim.display());
    assert_eq!(engine.stats().expect("stats").total as usize, previous.records.len());
    let res = engine.search(&SearchRequest { query: "données".into(), ..SearchRequest::default() });
    assert!(res.is_ok(), "search on the fallback generation failed: {res:?}");

    // Both generations damaged: a clean index error, never a panic nor a damaged index.
    flip_bytes(&largest_segment_file(&previous.gen_dir(&dir).join("tantivy")));
    match Engine::open(&dir) {
        Err(recueil::Error::Index(_)) => {}
        Err(e) => panic!("both generations damaged: expected an index error, got {e:?}"),
        Ok(engine) => panic!("both generations damaged, yet the engine opened gen-{}", engine.generation()),
    }
}

#[test]
fn truncated_or_garbage_store_files_are_errors_not_panics() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir = scratch.path().join("index");
    ingest_ok(&dir, &old_inputs());
    let state = store_state(&dir).expect("generation");

    // A segment cut in half: open must refuse it (and there is no previous generation).
    let victim = largest_segment_file(&state.gen_dir(&dir).join("tantivy"));
    let len = std::fs::metadata(&victim).expect("metadata").len();
    std::fs::OpenOptions::new().write(true).open(&victim).expect("open").set_len(len / 2).expect("truncate");
    assert!(matches!(Engine::open(&dir), Err(recueil::Error::Index(_))), "a truncated segment must be an index error");

    // CURRENT naming a generation that does not exist: the older one it falls back to is the
    // damaged one.
    std::fs::write(dir.join("CURRENT"), "gen-999999\n").expect("write CURRENT");
    assert!(Engine::open(&dir).is_err(), "CURRENT naming a missing generation, and no intact one, must be an error");

    // Garbage in CURRENT.
    std::fs::write(dir.join("CURRENT"), [0xff, 0x00, b'\n', b'x']).expect("write CURRENT");
    assert!(Engine::open(&dir).is_err(), "garbage CURRENT must be an error");
}
