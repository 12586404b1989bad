//! Hostile inputs: each is rejected with a reason naming the problem, the batch goes on, time
//! and memory stay bounded, and the records stored before are untouched. Every hostile input
//! is generated here (invented), none is committed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;
use recueil::index::store::Store;
use recueil::ingest::{ingest_paths, IngestReport};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest")
}

/// A well-formed invented DILA text with the given id.
fn dila_xml(id: &str) -> String {
    std::fs::read_to_string(fixtures().join("dila/CNILTEXT000099999902.xml")).unwrap().replace("CNILTEXT000099999902", id)
}

/// The one rejection whose path ends with `suffix`.
fn reason<'a>(report: &'a IngestReport, suffix: &str) -> &'a str {
    let hits: Vec<_> = report.rejected.iter().filter(|r| r.path.ends_with(suffix)).collect();
    assert_eq!(hits.len(), 1, "one rejection for {suffix}: {:?}", report.rejected);
    &hits[0].reason
}

#[test]
fn hostile_files_are_rejected_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("index")).unwrap();
    // Records stored before the hostile batch.
    let before = ingest_paths(&store, &[fixtures().join("decision.md")]).unwrap();
    assert_eq!(before.ingested, 1);
    let stored = store.readings().unwrap();

    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(inputs.join(name), bytes).unwrap();
    let good = dila_xml("CNILTEXT000099999910");
    write("truncated.xml", &good.as_bytes()[..good.len() / 2]);
    write("mismatched.xml", b"<?xml version=\"1.0\"?><TEXTE_CNIL><META></TEXTE_CNIL>");
    write(
        "xxe.xml",
        b"<?xml version=\"1.0\"?><!DOCTYPE TEXTE_CNIL [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><TEXTE_CNIL>&x;</TEXTE_CNIL>",
    );
    let mut laughs = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        laughs.push_str(&format!("<!ENTITY lol{i} \"{}\">", format!("&lol{};", i - 1).replace("lol0", "lol").repeat(10)));
    }
    laughs.push_str("]><TEXTE_CNIL>&lol9;</TEXTE_CNIL>");
    write("laughs.xml", laughs.as_bytes());
    write("latin1.txt", b"D\xe9lib\xe9ration SAN-2099-001 du 1er janvier 2099");
    write("empty.txt", b"");
    write("blank.md", b"\n\n  \n");
    write("binary.html", b"<!DOCTYPE html>\x00\x01\x02\x03");
    write("disguised.txt", &[0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);
    write("deep.html", format!("<!DOCTYPE html><html><body>{}</body></html>", "<div>".repeat(100_000)).as_bytes());
    write("not-gdprhub.html", b"<!DOCTYPE html><html><body><p>hello</p></body></html>");
    write("wrong-root.xml", b"<?xml version=\"1.0\"?><rss/>");
    write("typo.md", std::fs::read_to_string(fixtures().join("decision.md")).unwrap().replace("sector:", "sectr:").as_bytes());
    let big = std::fs::File::create(inputs.join("huge.txt")).unwrap();
    big.set_len(21 * 1024 * 1024).unwrap();
    write("fine.xml", good.as_bytes());

    let started = Instant::now();
    let report = ingest_paths(&store, &[inputs.clone(), dir.path().join("missing.xml")]).unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(20), "hostile batch took {elapsed:?}");

    assert_eq!(report.ingested, 1, "the good file of the batch still goes in: {report:?}");
    assert!(reason(&report, "truncated.xml").starts_with("malformed xml"));
    assert!(reason(&report, "mismatched.xml").starts_with("malformed xml"));
    assert!(reason(&report, "xxe.xml").contains("DTD refused"));
    assert!(reason(&report, "laughs.xml").contains("DTD refused"));
    assert!(reason(&report, "latin1.txt").contains("not valid UTF-8 (invalid byte at offset 1)"));
    assert_eq!(reason(&report, "empty.txt"), "empty file");
    assert_eq!(reason(&report, "blank.md"), "empty file");
    assert!(reason(&report, "binary.html").contains("binary content (NUL byte at offset 15)"));
    assert!(reason(&report, "disguised.txt").contains("content is gzip archive"));
    assert!(reason(&report, "deep.html").contains("nested more than 512 levels deep"));
    assert!(reason(&report, "not-gdprhub.html").contains("no GDPRhub infobox"));
    assert!(reason(&report, "wrong-root.xml").contains("not <TEXTE_CNIL>"));
    assert!(reason(&report, "typo.md").contains("unknown field `sectr`"));
    assert!(reason(&report, "huge.txt").contains("over the 20 MiB limit"));
    assert!(reason(&report, "missing.xml").starts_with("cannot read"));
    assert_eq!(report.rejected.len(), 15);

    let after = store.readings().unwrap();
    assert_eq!(&after[..stored.len()], &stored[..], "earlier records untouched");
    assert_eq!(after.len(), stored.len() + 1);
}

/// A tar member header written by hand, so that paths and types the tar crate's builder
/// refuses (`..`, absolute) can be produced.
fn raw_member(tar: &mut Vec<u8>, path: &str, kind: tar::EntryType, link: &str, data: &[u8]) {
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
    header.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.extend_from_slice(header.as_bytes());
    tar.extend_from_slice(data);
    tar.resize(tar.len().div_ceil(512) * 512, 0);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn archive_members_that_escape_or_link_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("index")).unwrap();
    let mut tar = Vec::new();
    raw_member(&mut tar, "cnil/ok/CNILTEXT000099999920.xml", tar::EntryType::Regular, "", dila_xml("CNILTEXT000099999920").as_bytes());
    raw_member(&mut tar, "../escape.xml", tar::EntryType::Regular, "", dila_xml("CNILTEXT000099999921").as_bytes());
    raw_member(&mut tar, "cnil/../../up.xml", tar::EntryType::Regular, "", dila_xml("CNILTEXT000099999922").as_bytes());
    raw_member(&mut tar, "/etc/abs.xml", tar::EntryType::Regular, "", dila_xml("CNILTEXT000099999923").as_bytes());
    raw_member(&mut tar, "cnil/link.xml", tar::EntryType::Symlink, "/etc/passwd", b"");
    raw_member(&mut tar, "cnil/hard.xml", tar::EntryType::Link, "cnil/ok/CNILTEXT000099999920.xml", b"");
    raw_member(&mut tar, "cnil/fifo", tar::EntryType::Fifo, "", b"");
    raw_member(&mut tar, "cnil/broken.xml", tar::EntryType::Regular, "", b"<TEXTE_CNIL>");
    raw_member(&mut tar, "cnil/liste_suppression_cnil.dat", tar::EntryType::Regular, "", b"cnil/global/CNIL/TEXT/x\n");
    tar.extend_from_slice(&[0; 1024]);
    let archive = dir.path().join("CNIL_20990101-000000.tar.gz");
    std::fs::write(&archive, gzip(&tar)).unwrap();

    let report = ingest_paths(&store, &[archive]).unwrap();
    assert_eq!(report.ingested, 1, "{report:?}");
    assert_eq!(reason(&report, "!../escape.xml"), "path with '..' refused");
    assert_eq!(reason(&report, "!cnil/../../up.xml"), "path with '..' refused");
    assert_eq!(reason(&report, "!/etc/abs.xml"), "absolute path refused");
    assert_eq!(reason(&report, "!cnil/link.xml"), "symbolic link (to /etc/passwd) refused");
    assert!(reason(&report, "!cnil/hard.xml").starts_with("hard link (to cnil/ok/"));
    assert!(reason(&report, "!cnil/fifo").starts_with("special member"));
    assert!(reason(&report, "!cnil/broken.xml").starts_with("malformed xml"));
    assert_eq!(report.rejected.len(), 7, "the .dat member is skipped, not rejected: {report:?}");
}

#[test]
fn truncated_archive_keeps_the_members_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("index")).unwrap();
    let mut tar = Vec::new();
    raw_member(&mut tar, "a/CNILTEXT000099999930.xml", tar::EntryType::Regular, "", dila_xml("CNILTEXT000099999930").as_bytes());
    // Incompressible filler, so that cutting the gzip stream lands inside this member.
    let filler: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    raw_member(&mut tar, "a/filler.bin", tar::EntryType::Regular, "", &filler);
    let gz = gzip(&tar);
    let archive = dir.path().join("cut.tar.gz");
    std::fs::write(&archive, &gz[..gz.len() * 3 / 4]).unwrap();
    let report = ingest_paths(&store, &[archive]).unwrap();
    assert_eq!(report.ingested, 1);
    assert!(reason(&report, "cut.tar.gz").starts_with("truncated or corrupt archive after 2 members"), "{report:?}");
}

#[test]
fn decompression_bombs_are_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("index")).unwrap();

    // A 60 MiB member of zeros (ratio ~1000:1): refused as too big, and skipping it trips the
    // ratio cap long before the 60 MiB are decompressed.
    let mut tar = Vec::new();
    raw_member(&mut tar, "b/CNILTEXT000099999940.xml", tar::EntryType::Regular, "", dila_xml("CNILTEXT000099999940").as_bytes());
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..10].copy_from_slice(b"b/bomb.xml");
    header.set_size(60 * 1024 * 1024);
    header.set_cksum();
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(&tar).unwrap();
    gz.write_all(header.as_bytes()).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..60 {
        gz.write_all(&zeros).unwrap();
    }
    gz.write_all(&[0; 1024]).unwrap();
    let ratio_bomb = dir.path().join("ratio.tar.gz");
    std::fs::write(&ratio_bomb, gz.finish().unwrap()).unwrap();

    // A member declaring more than the 64 MiB member cap stops the archive at its header.
    let mut tar = Vec::new();
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..9].copy_from_slice(b"c/big.xml");
    header.set_size(1 << 32);
    header.set_cksum();
    tar.extend_from_slice(header.as_bytes());
    tar.extend_from_slice(&[0; 4096]);
    let declared = dir.path().join("declared.tar.gz");
    std::fs::write(&declared, gzip(&tar)).unwrap();

    let started = Instant::now();
    let report = ingest_paths(&store, &[ratio_bomb, declared]).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "bombs took {:?}", started.elapsed());
    assert_eq!(report.ingested, 1, "the member before the bomb is kept: {report:?}");
    assert_eq!(reason(&report, "!b/bomb.xml"), "62914560 bytes, over the 20 MiB limit");
    assert!(reason(&report, "ratio.tar.gz").contains("compression ratio over 100:1"), "{report:?}");
    assert!(reason(&report, "declared.tar.gz").contains("over the 64 MiB member limit"), "{report:?}");
}

#[test]
fn killed_mid_commit_leaves_the_previous_records() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let store = Store::open(&index).unwrap();
    ingest_paths(&store, &[fixtures().join("decision.md"), fixtures().join("decision.txt")]).unwrap();
    let before = store.readings().unwrap();
    let g1 = store.current().unwrap().unwrap();

    // Enough invented texts that writing and indexing the next generation takes a while.
    let mut tar = Vec::new();
    let body = "<p>La formation restreinte relève un manquement à l'obligation de sécurité des données.</p>".repeat(60);
    for i in 0..3000 {
        let id = format!("CNILTEXT{:012}", 990_000_000_000u64 + i);
        let xml = dila_xml(&id).replace("<p>Par ces motifs", &format!("{body}<p>Par ces motifs"));
        raw_member(&mut tar, &format!("t/{id}.xml"), tar::EntryType::Regular, "", xml.as_bytes());
    }
    tar.extend_from_slice(&[0; 1024]);
    let archive = dir.path().join("many.tar.gz");
    std::fs::write(&archive, gzip(&tar)).unwrap();

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_recueil"))
        .arg("--index-dir")
        .arg(&index)
        .arg("ingest")
        .arg(&archive)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let next = index.join(format!("gen-{}", g1.id + 1));
    let deadline = Instant::now() + Duration::from_secs(120);
    while !next.exists() {
        assert!(child.try_wait().unwrap().is_none(), "ingest ended before its commit began");
        assert!(Instant::now() < deadline, "the commit never began");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(store.current().unwrap(), Some(g1.clone()), "the kill landed before the switch");
    assert_eq!(store.readings().unwrap(), before, "previous records intact after the kill");

    // The next run starts over cleanly beside the leftover.
    let report = ingest_paths(&store, &[fixtures().join("dila")]).unwrap();
    assert_eq!(report.ingested, 1);
    assert_eq!(store.readings().unwrap().len(), before.len() + 1);
    assert!(!next.exists(), "the killed run's generation was removed");
}
