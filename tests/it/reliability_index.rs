//! Damage to a built index, file by file: `index::validate` (run before a generation is
//! switched in, and when the engine opens one) must refuse every damaged state. A plain
//! search does not notice a flipped byte, so this is the only guard against serving one.
//!
//! The records are invented.

use std::path::{Path, PathBuf};

use crate::support::harness;

use harness::invented_decisions;

fn built(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    // No decision chunk beside this index: every decision is said to lie at offset 0.
    let mut writer = recueil::index::Writer::create(dir.path()).expect("create index");
    for (seq, decision) in invented_decisions(n).iter().enumerate() {
        writer.add(decision, seq as u64, recueil::index::Location::default()).expect("add decision");
    }
    writer.finish().expect("build index");
    recueil::index::validate(dir.path(), n).expect("a fresh index validates");
    dir
}

/// The checksummed files of an index: every segment component (not meta.json, not the
/// managed-files list, not locks).
fn segment_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read index dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !name.starts_with('.') && name != "meta.json" && !name.ends_with(".lock")
        })
        .collect();
    files.sort();
    files
}

/// Writes `bytes` as `file` through a new inode. Rewriting in place would truncate pages that an
/// index handle still being dropped may have mapped, and touching those raises SIGBUS.
fn replace(file: &Path, bytes: &[u8]) {
    let tmp = file.with_extension("replacing");
    std::fs::write(&tmp, bytes).expect("write");
    std::fs::rename(&tmp, file).expect("rename");
}

#[test]
fn every_flipped_segment_file_fails_validation() {
    let n = 200;
    let dir = built(n);
    let files = segment_files(dir.path());
    assert!(files.len() >= 5, "expected the components of a segment, found {files:?}");
    for file in files {
        let original = std::fs::read(&file).expect("read");
        for at in [0, original.len() / 2, original.len().saturating_sub(1)] {
            let mut bytes = original.clone();
            bytes[at] ^= 0x5a;
            replace(&file, &bytes);
            let res = recueil::index::validate(dir.path(), n);
            assert!(
                matches!(res, Err(recueil::Error::Index(_))),
                "{} with byte {at} flipped: validate gave {res:?}",
                file.display()
            );
        }
        replace(&file, &original);
        recueil::index::validate(dir.path(), n).expect("restored index validates again");
    }
}

#[test]
fn every_truncated_or_missing_segment_file_fails_validation() {
    let n = 50;
    let dir = built(n);
    for file in segment_files(dir.path()) {
        let original = std::fs::read(&file).expect("read");
        replace(&file, &original[..original.len() / 2]);
        assert!(recueil::index::validate(dir.path(), n).is_err(), "{} truncated: validate passed", file.display());
        std::fs::remove_file(&file).expect("remove");
        assert!(recueil::index::validate(dir.path(), n).is_err(), "{} missing: validate passed", file.display());
        replace(&file, &original);
    }
    recueil::index::validate(dir.path(), n).expect("restored index validates again");
}

#[test]
fn damaged_meta_fails_validation() {
    let n = 10;
    let dir = built(n);
    let meta = dir.path().join("meta.json");
    let original = std::fs::read(&meta).expect("read meta.json");
    for damaged in [&b""[..], b"{", b"\xff\xfe garbage", &original[..original.len() / 2]] {
        replace(&meta, damaged);
        assert!(
            recueil::index::validate(dir.path(), n).is_err(),
            "meta.json = {:?}: validate passed",
            String::from_utf8_lossy(damaged)
        );
    }
    std::fs::remove_file(&meta).expect("remove meta.json");
    assert!(recueil::index::validate(dir.path(), n).is_err(), "missing meta.json: validate passed");
}

#[test]
fn wrong_document_count_fails_validation() {
    let dir = built(10);
    assert!(recueil::index::validate(dir.path(), 9).is_err());
    assert!(recueil::index::validate(dir.path(), 11).is_err());
    assert!(recueil::index::validate(dir.path(), 0).is_err());
}
