//! `recueil sync` end to end against a local DILA-like mirror. The global archive is built here
//! from the real texts of ../shared/data/dila/tree; the increments carry invented TEXTE_CNIL
//! documents (marked as invented inside) and an invented deletion list.

use crate::support::sync as sync_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use flate2::write::GzEncoder;
use flate2::Compression;
use recueil::index::store::Store;
use recueil::sync::fetch::Limits;
use recueil::sync::{self, Options, SyncReport};
use crate::support::sync::Mirror;

const GLOBAL: &str = "Freemium_cnil_global_20250713-140000.tar.gz";
const OLD_GLOBAL: &str = "Freemium_cnil_global_20250101-000000.tar.gz";
const OLD_INC: &str = "CNIL_20250701-000000.tar.gz";
const INC1: &str = "CNIL_20250720-000000.tar.gz";
const INC2: &str = "CNIL_20250727-000000.tar.gz";
const INC3: &str = "CNIL_20250803-000000.tar.gz";

const INVENTED_A: &str = "CNILTEXT000099000001";
const INVENTED_B: &str = "CNILTEXT000099000002";
const INVENTED_C: &str = "CNILTEXT000099000003";
/// A real text of the global archive, withdrawn by the invented deletion list.
const WITHDRAWN: &str = "CNILTEXT000051882375";

fn tree() -> PathBuf {
    let t = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/dila/tree");
    assert!(t.is_dir(), "missing {}: the sync tests build their global archive from the real DILA texts", t.display());
    t
}

/// Every XML file under `dir`, as (path relative to `root`, bytes), sorted.
fn xml_files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            xml_files(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push((p.strip_prefix(root).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
}

fn tar_gz(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    for (path, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, path, data.as_slice()).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

fn real_global() -> (Vec<u8>, BTreeSet<String>) {
    let root = tree();
    let mut files = Vec::new();
    xml_files(&root, &root, &mut files);
    assert_eq!(files.len(), 15, "the DILA tree should hold 15 texts");
    let ids = files.iter().map(|(p, _)| Path::new(p).file_stem().unwrap().to_string_lossy().into_owned()).collect();
    (tar_gz(&files), ids)
}

/// Member path of a text in DILA's layout (id digits in pairs).
fn member(stamp: &str, id: &str) -> String {
    let d = &id["CNILTEXT".len()..];
    format!("{stamp}/cnil/global/CNIL/TEXT/{}/{}/{}/{}/{}/{id}.xml", &d[0..2], &d[2..4], &d[4..6], &d[6..8], &d[8..10])
}

/// An invented sanction decision in the TEXTE_CNIL envelope.
fn invented(id: &str, number: &str, fine: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Invented for recueil's sync tests: not a real CNIL decision. -->
<TEXTE_CNIL><META><META_COMMUN><ID>{id}</ID><ANCIEN_ID/><ORIGINE>CNIL</ORIGINE><URL/><NATURE>DELIBERATION</NATURE></META_COMMUN>
<META_SPEC><META_CNIL><TITRE>Délibération {number} du 3 juillet 2025</TITRE>
<TITREFULL>Délibération de la formation restreinte n°{number} du 3 juillet 2025 concernant la société Exemple</TITREFULL>
<NUMERO>{number}</NUMERO><NOR/><NATURE_DELIB>Sanction</NATURE_DELIB><DATE_TEXTE>2025-07-03</DATE_TEXTE>
<DATE_PUBLI>2025-07-20</DATE_PUBLI><ETAT_JURIDIQUE>VIGUEUR</ETAT_JURIDIQUE></META_CNIL></META_SPEC></META>
<TEXTE><BLOC_TEXTUEL><CONTENU><p>La CNIL, siégeant en formation restreinte,</p>
<p>Décide de prononcer à l'encontre de la société Exemple une amende de {fine} euros pour manquement à l'article 32 du RGPD.</p>
</CONTENU></BLOC_TEXTUEL></TEXTE></TEXTE_CNIL>
"#
    )
    .into_bytes()
}

fn inc(stamp: &str, texts: &[(&str, Vec<u8>)], deletions: Option<&str>) -> Vec<u8> {
    let mut members: Vec<(String, Vec<u8>)> = texts.iter().map(|(id, x)| (member(stamp, id), x.clone())).collect();
    if let Some(list) = deletions {
        members.push((format!("{stamp}/liste_suppression_cnil.dat"), list.as_bytes().to_vec()));
    }
    tar_gz(&members)
}

fn inc1() -> Vec<u8> {
    inc("20250720-000000", &[(INVENTED_A, invented(INVENTED_A, "SAN-2099-001", "10 000"))], None)
}

fn inc2() -> Vec<u8> {
    // Adds B and corrects A's fine: applying INC1 after INC2 would leave the old fine.
    inc(
        "20250727-000000",
        &[
            (INVENTED_A, invented(INVENTED_A, "SAN-2099-001", "20 000")),
            (INVENTED_B, invented(INVENTED_B, "SAN-2099-002", "5 000")),
        ],
        None,
    )
}

fn inc3() -> Vec<u8> {
    // One line as a member path without extension (DILA's form), one as a bare id.
    let list = format!("cnil/global/CNIL/TEXT/00/00/51/88/23/{WITHDRAWN}\n{INVENTED_B}\n");
    inc("20250803-000000", &[], Some(&list))
}

fn options(m: &Mirror) -> Options {
    Options {
        from: m.url(),
        limits: Limits { timeout: Duration::from_secs(5), stall: Duration::from_secs(5), ..Limits::default() },
    }
}

/// The Légifrance ids of the stored decisions (their DILA texts).
fn ids(index: &Path) -> BTreeSet<String> {
    Store::open(index).unwrap().decisions().unwrap().into_iter().map(|d| d.legifrance_id.unwrap_or(d.id)).collect()
}

fn text_of(index: &Path, legifrance_id: &str) -> String {
    let decisions = Store::open(index).unwrap().decisions().unwrap();
    let d = decisions.into_iter().find(|d| d.legifrance_id.as_deref() == Some(legifrance_id)).unwrap();
    d.main_text().unwrap().record.text.clone()
}

fn applied(r: &SyncReport) -> Vec<&str> {
    r.applied.iter().map(|a| a.name.as_str()).collect()
}

/// Only the state file and the lock stay in the sync folder once archives are applied.
fn leftovers(index: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(index.join("sync"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "state.json" && n != "LOCK")
        .collect();
    v.sort();
    v
}

#[test]
fn first_sync_applies_global_then_increments_in_order_then_nothing_new_then_deletions() {
    let m = Mirror::start();
    let (global, real_ids) = real_global();
    m.put(GLOBAL, &global);
    // Older than the newest global: never applied.
    m.put(OLD_GLOBAL, &inc("20250101-000000", &[(INVENTED_C, invented(INVENTED_C, "SAN-2099-003", "1"))], None));
    m.put(OLD_INC, &inc("20250701-000000", &[(INVENTED_C, invented(INVENTED_C, "SAN-2099-003", "1"))], None));
    m.put(INC1, &inc1());
    m.put(INC2, &inc2());
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path();

    let r = sync::run(index, &options(&m)).unwrap();
    assert!(r.failed.is_none(), "{:?}", r.failed);
    assert_eq!(applied(&r), [GLOBAL, INC1, INC2]);
    assert_eq!(r.listed, 5);
    assert_eq!((r.applied[0].texts, r.applied[0].ingested), (15, 15));
    assert_eq!((r.applied[2].ingested, r.applied[2].updated), (1, 1));
    let mut want = real_ids.clone();
    want.extend([INVENTED_A.to_string(), INVENTED_B.to_string()]);
    assert_eq!(ids(index), want);
    assert!(text_of(index, INVENTED_A).contains("20 000 euros"), "increments applied out of order");
    assert!(leftovers(index).is_empty(), "{:?}", leftovers(index));
    let state = std::fs::read_to_string(index.join("sync/state.json")).unwrap();
    assert!(state.contains("\"last_stamp\": \"20250727-000000\""), "{state}");

    // Leftovers of an archive already applied and of one withdrawn from the listing.
    std::fs::write(index.join("sync").join(INC1), b"x").unwrap();
    std::fs::write(index.join("sync/CNIL_20250722-000000.tar.gz.part"), b"x").unwrap();
    std::fs::write(index.join("sync/CNIL_20250722-000000.tar.gz.part.validator"), b"x").unwrap();
    m.clear_log();
    let r = sync::run(index, &options(&m)).unwrap();
    assert!(r.nothing_new());
    assert!(leftovers(index).is_empty(), "{:?}", leftovers(index));
    assert!(m.archive_requests().is_empty(), "{:?}", m.archive_requests());
    assert_eq!(m.log().len(), 1, "only the listing is read");

    m.put(INC3, &inc3());
    let r = sync::run(index, &options(&m)).unwrap();
    assert_eq!(applied(&r), [INC3]);
    assert_eq!(r.applied[0].deleted, 2);
    assert_eq!(r.applied[0].unrecognised_deletions, 0);
    let now = ids(index);
    assert!(!now.contains(WITHDRAWN) && !now.contains(INVENTED_B));
    assert_eq!(now.len(), 15);
}

#[test]
fn bad_increment_is_rejected_retried_and_applied_once_fixed() {
    let m = Mirror::start();
    m.put(GLOBAL, &real_global().0);
    // A document of another fund where a CNIL text should be.
    let jorf = b"<?xml version=\"1.0\"?><!-- invented --><TEXTE_JORF><META/></TEXTE_JORF>".to_vec();
    m.put(INC1, &inc("20250720-000000", &[(INVENTED_A, jorf)], None));
    m.put(INC2, &inc2());
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path();

    let r = sync::run(index, &options(&m)).unwrap();
    assert_eq!(applied(&r), [GLOBAL]);
    let f = r.failed.as_ref().expect("the increment must fail");
    assert_eq!((f.archive.as_str(), f.code), (INC1, "rejected"));
    assert!(f.message.contains("not <TEXTE_CNIL>"), "{}", f.message);
    assert_eq!(r.pending, [INC1, INC2]);
    assert_eq!(ids(index).len(), 15, "nothing of the bad increment or after it is applied");
    assert!(leftovers(index).is_empty(), "{:?}", leftovers(index));

    // Now a gzip stream damaged in transit: still rejected, fetched again.
    let mut flipped = inc1();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    m.put(INC1, &flipped);
    m.clear_log();
    let r = sync::run(index, &options(&m)).unwrap();
    assert!(r.applied.is_empty());
    assert_eq!(r.failed.as_ref().map(|f| f.code), Some("rejected"));
    assert_eq!(
        m.archive_requests().iter().map(|l| l.path.as_str()).collect::<Vec<_>>(),
        [format!("/OPENDATA/CNIL/{INC1}")]
    );

    m.put(INC1, &inc1());
    let r = sync::run(index, &options(&m)).unwrap();
    assert!(r.failed.is_none(), "{:?}", r.failed);
    assert_eq!(applied(&r), [INC1, INC2]);
    assert_eq!(ids(index).len(), 17);
}

#[test]
fn cut_download_fails_cleanly_and_resumes_next_run() {
    let m = Mirror::start();
    let global = real_global().0;
    m.put(GLOBAL, &global);
    m.cut_once(GLOBAL, global.len() / 3);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path();

    let r = sync::run(index, &options(&m)).unwrap();
    let f = r.failed.as_ref().expect("a cut download must fail");
    assert_eq!(f.code, "network_error");
    assert!(r.applied.is_empty());
    assert!(ids(index).is_empty());
    assert_eq!(leftovers(index), [format!("{GLOBAL}.part"), format!("{GLOBAL}.part.validator")]);
    assert!(!index.join("sync/state.json").exists());

    let r = sync::run(index, &options(&m)).unwrap();
    assert_eq!(applied(&r), [GLOBAL]);
    assert_eq!(r.applied[0].bytes, global.len() as u64);
    assert_eq!(ids(index).len(), 15);
    let ranges: Vec<_> = m.archive_requests().into_iter().map(|l| l.range).collect();
    assert_eq!(ranges, [None, Some(format!("bytes={}-", global.len() / 3))]);
}

#[test]
fn after_dila_rotates_old_archives_the_run_catches_up_from_the_new_global() {
    let m = Mirror::start();
    let (global, real_ids) = real_global();
    m.put(GLOBAL, &global);
    m.put(INC1, &inc1());
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path();
    assert_eq!(applied(&sync::run(index, &options(&m)).unwrap()), [GLOBAL, INC1]);

    // The server now holds a newer stock (with B) and one increment after it; INC1 and
    // whatever followed it are gone.
    for old in [GLOBAL, INC1] {
        std::fs::remove_file(m.dir.path().join(old)).unwrap();
    }
    let root = tree();
    let mut files = Vec::new();
    xml_files(&root, &root, &mut files);
    files.push((member("20250901-000000", INVENTED_B), invented(INVENTED_B, "SAN-2099-002", "5 000")));
    let new_global = "Freemium_cnil_global_20250901-000000.tar.gz";
    m.put(new_global, &tar_gz(&files));
    m.put(
        "CNIL_20250905-000000.tar.gz",
        &inc("20250905-000000", &[(INVENTED_C, invented(INVENTED_C, "SAN-2099-003", "1"))], None),
    );

    let r = sync::run(index, &options(&m)).unwrap();
    assert!(r.caught_up_from_global);
    assert_eq!(applied(&r), [new_global, "CNIL_20250905-000000.tar.gz"]);
    let mut want = real_ids;
    want.extend([INVENTED_A, INVENTED_B, INVENTED_C].map(String::from));
    assert_eq!(ids(index), want);
    assert!(!sync::run(index, &options(&m)).unwrap().caught_up_from_global);
}

#[test]
fn unreachable_listing_is_an_error_and_changes_nothing() {
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts = Options { from: format!("http://{refused}/OPENDATA/CNIL/"), limits: Limits::default() };
    let e = sync::run(dir.path(), &opts).unwrap_err();
    assert_eq!(e.code(), "network_error", "{e}");
    assert!(ids(dir.path()).is_empty());
}

#[test]
fn a_second_concurrent_sync_is_refused() {
    let m = Mirror::start();
    m.put(GLOBAL, &real_global().0);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sync")).unwrap();
    let held = std::fs::File::create(dir.path().join("sync/LOCK")).unwrap();
    held.lock().unwrap();
    let e = sync::run(dir.path(), &options(&m)).unwrap_err();
    assert_eq!(e.code(), "overloaded", "{e}");
    assert!(m.log().is_empty(), "nothing is fetched while another sync runs");
    drop(held);
    assert_eq!(applied(&sync::run(dir.path(), &options(&m)).unwrap()), [GLOBAL]);
}

#[test]
fn cli_prints_json_and_exits_by_outcome() {
    let m = Mirror::start();
    m.put(GLOBAL, &real_global().0);
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_recueil"))
            .args(["--index-dir", dir.path().to_str().unwrap(), "sync", "--json", "--from", &m.url()])
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["applied"][0]["name"], GLOBAL);
    assert_eq!(v["applied"][0]["ingested"], 15);

    m.put(INC1, b"not an archive");
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["failed"]["archive"], INC1);
    assert!(String::from_utf8_lossy(&out.stderr).contains(INC1));
}

/// A sync on top of the curated corpus merges DILA's texts into the curated decisions: the
/// increment's French original of SAN-2020-014 (the invented fixture) joins the curated record,
/// whose facts and summaries stay.
#[test]
fn sync_merges_with_the_curated_corpus() {
    let m = Mirror::start();
    let (global, real_ids) = real_global();
    m.put(GLOBAL, &global);
    let original = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decisions/CNILTEXT000042675720.xml")).unwrap();
    m.put(INC1, &inc("20250720-000000", &[("CNILTEXT000042675720", original)], None));
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path();
    let store = Store::open(index).unwrap();
    let corpus = recueil::ingest::embedded_corpus_records().unwrap();
    recueil::ingest::ingest_records(&store, corpus.clone()).unwrap();
    let before = store.decisions().unwrap().len();

    let r = sync::run(index, &options(&m)).unwrap();
    assert!(r.failed.is_none(), "{:?}", r.failed);
    assert_eq!(applied(&r), [GLOBAL, INC1]);
    let decisions = store.decisions().unwrap();
    assert_eq!(decisions.len(), before + real_ids.len(), "the DILA texts add their decisions, the original joins its own");
    let d = decisions.iter().find(|d| d.id == "cnil-SAN-2020-014").unwrap();
    let curated = corpus.iter().find(|c| c.facts.number.as_deref() == Some("SAN-2020-014")).unwrap();
    assert_eq!((d.facts.fine_eur, &d.facts.respondent), (curated.facts.fine_eur, &curated.facts.respondent));
    assert_eq!(d.summaries.fr, curated.summary_fr);
    assert_eq!(d.readings.len(), 2);
    assert!(d.main_text().is_some_and(|r| r.record.source.format == recueil::record::SourceFormat::DilaXml));
}

#[test]
fn redirects_stay_within_the_origin_asked_for() {
    let (global, _) = real_global();
    // Another origin (another port) serving a complete, valid fund.
    let elsewhere = Mirror::start();
    elsewhere.put(GLOBAL, &global);

    let m = Mirror::start();
    m.redirect(sync_support::PREFIX, &elsewhere.url());
    let dir = tempfile::tempdir().unwrap();
    let e = sync::run(dir.path(), &options(&m)).unwrap_err();
    assert_eq!(e.code(), "network_error", "{e}");
    assert!(e.to_string().contains("another origin"), "{e}");
    assert!(elsewhere.log().is_empty(), "the other origin was never asked");
    assert!(ids(dir.path()).is_empty(), "a listing redirected elsewhere applies nothing");

    // An archive redirected elsewhere fails; nothing of it is applied.
    let m = Mirror::start();
    m.put(GLOBAL, b"placeholder: the listing names it, the redirect replaces it");
    m.redirect(&format!("{}{GLOBAL}", sync_support::PREFIX), &format!("{}{GLOBAL}", elsewhere.url()));
    let report = sync::run(dir.path(), &options(&m)).unwrap();
    assert!(report.applied.is_empty());
    assert!(report.failed.as_ref().is_some_and(|f| f.message.contains("another origin")), "{:?}", report.failed);
    assert!(ids(dir.path()).is_empty());

    // Within the origin, a redirect is followed.
    let m = Mirror::start();
    m.put(GLOBAL, b"placeholder: the listing names it, the redirect replaces it");
    m.put("stored.bin", &global);
    m.redirect(&format!("{}{GLOBAL}", sync_support::PREFIX), &format!("{}stored.bin", sync_support::PREFIX));
    let report = sync::run(dir.path(), &options(&m)).unwrap();
    assert_eq!(applied(&report), [GLOBAL]);
}
