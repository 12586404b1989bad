//! Ingestion end to end: each adapter on the real files of ../shared/data and on invented
//! fixtures (tests/fixtures/ingest/), idempotence, updates, and the `ingest`/`show` commands.

use std::path::{Path, PathBuf};
use std::process::Command;

use recueil::index::store::Store;
use recueil::ingest::ingest_paths;
use recueil::record::{Language, SourceFormat};
use recueil::Record;

fn data() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(dir.join("dila").is_dir(), "../shared/data is missing: these tests read the real CNIL data there");
    dir
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest")
}

fn ingest(store: &Store, paths: &[PathBuf]) -> recueil::ingest::IngestReport {
    ingest_paths(store, paths).expect("ingest runs")
}

fn by_id<'a>(records: &'a [Record], id: &str) -> &'a Record {
    records.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no record {id}"))
}

fn paragraphs(r: &Record) -> Vec<&str> {
    r.paragraphs.iter().map(|s| &r.text[s.start..s.end]).collect()
}

#[test]
fn acceptance_dila_archive_and_gdprhub_then_all_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let inputs = [data().join("dila/CNIL_20250712-000000.tar.gz"), data().join("gdprhub")];
    let first = ingest(&store, &inputs);
    assert_eq!(first.rejected, vec![]);
    assert_eq!(first.ingested, 15 + 58);
    let generation = store.current().unwrap().unwrap();

    let again = ingest(&store, &inputs);
    assert_eq!((again.ingested, again.updated, again.unchanged, again.rejected.len()), (0, 0, 73, 0));
    assert_eq!(store.current().unwrap().unwrap(), generation, "nothing changed, so no new generation");

    let records = store.readings().unwrap();
    let formats = |f| records.iter().filter(|r| r.source.format == f).count();
    assert_eq!((formats(SourceFormat::DilaXml), formats(SourceFormat::GdprhubHtml)), (15, 58));

    let r = by_id(&records, "CNILTEXT000051882375");
    assert_eq!(r.facts.number.as_deref(), Some("DR-2025-081"));
    assert_eq!(r.facts.date.unwrap().to_string(), "2025-04-18");
    assert_eq!(r.published.unwrap().to_string(), "2025-07-12");
    assert_eq!(r.facts.nature.as_deref(), Some("Autorisation de recherche"));
    assert_eq!(r.language, Language::Fr);
    assert!(r.source.path.ends_with("CNIL_20250712-000000.tar.gz!cnil/global/CNIL/TEXT/00/00/51/88/23/CNILTEXT000051882375.xml"));
    assert_eq!(r.source.sha256.len(), 64);
    let paras = paragraphs(r);
    assert!(paras.len() > 10, "French text with paragraphs, got {}", paras.len());
    assert!(paras[0].starts_with("La Commission nationale de l’informatique et des libertés"));
    assert!(r.text.contains("\n\nVu la loi n° 78-17 du 6 janvier 1978"));
    assert!(!r.text.contains('<'), "no markup left in the text");
}

#[test]
fn dila_folder_gives_the_archive_records() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (Store::open(dir.path().join("a")).unwrap(), Store::open(dir.path().join("b")).unwrap());
    assert_eq!(ingest(&a, &[data().join("dila/CNIL_20250712-000000.tar.gz")]).ingested, 15);
    assert_eq!(ingest(&b, &[data().join("dila/tree")]).ingested, 15);
    let (mut a, mut b) = (a.readings().unwrap(), b.readings().unwrap());
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.id, &x.text, &x.paragraphs, &x.source.sha256), (&y.id, &y.text, &y.paragraphs, &y.source.sha256));
    }
    // One single DILA file also reads alone.
    let single = data().join("dila/tree/cnil/global/CNIL/TEXT/00/00/51/88/23/CNILTEXT000051882375.xml");
    let c = Store::open(dir.path().join("c")).unwrap();
    assert_eq!(ingest(&c, &[single]).ingested, 1);
}

#[test]
fn gdprhub_pages_keep_infobox_claims_and_trust_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    ingest(&store, &[data().join("gdprhub")]);
    let records = store.readings().unwrap();

    // Filed as SAN-2022-024, the page's decision is SAN-2022-023 (Microsoft).
    let ms = by_id(&records, "CNILTEXT000046768989");
    assert_eq!(ms.facts.number.as_deref(), Some("SAN-2022-023"));
    assert_eq!(ms.facts.date.unwrap().to_string(), "2022-12-19");
    assert!(ms.disagreements.iter().any(|d| d.field == "number" && d.claimed_value == "SAN-2022-024"));
    let claims = ms.claims.as_ref().unwrap();
    assert_eq!(claims.provenance, "gdprhub infobox");
    assert_eq!(claims.facts["fine_eur"], 60_000_000);
    assert_eq!(ms.language, Language::En);
    assert!(ms.text.starts_with("Deliberation SAN-2022-023 of December 19, 2022"));

    let med = by_id(&records, "CNILTEXT000039445820");
    assert_eq!(med.facts.number.as_deref(), Some("MED-2019-027"));
    assert_eq!(med.facts.nature.as_deref(), Some("Mise en demeure"));
    assert!(med.summary.as_deref().unwrap().contains("speed camera"));
    let laws = med.claims.as_ref().unwrap().facts["relevant_law"].as_array().unwrap().clone();
    assert!(laws.contains(&"Article 25(2) GDPR".into()), "{laws:?}");

    // The one French original on GDPRhub.
    let fr = by_id(&records, "CNILTEXT000042676787");
    assert_eq!(fr.language, Language::Fr);
    assert!(fr.text.starts_with("Délibération de la formation restreinte no SAN-2020-015"));

    // A page without a usable translation ("," in its <pre>) keeps its English summary as text.
    let summary_only = records.iter().find(|r| r.source.path.ends_with("CNIL_France_-_20019819.html")).unwrap();
    assert!(summary_only.text.contains("product recall"), "{}", summary_only.text);
    assert!(summary_only.id.starts_with("sha256-"));
}

#[test]
fn invented_fixtures_through_every_adapter() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let report = ingest(&store, &[fixtures()]);
    assert_eq!(report.rejected, vec![]);
    assert_eq!(report.ingested, 5);
    let records = store.readings().unwrap();

    let xml = by_id(&records, "CNILTEXT000099999902");
    assert_eq!(xml.facts.number.as_deref(), Some("SAN-2099-002"));
    assert_eq!(
        paragraphs(xml),
        [
            "La CNIL, siégeant en formation restreinte,",
            "Après délibération, adopte la décision suivante :",
            "I. Faits et procédure",
            "La société FICTIVE exploite un site de vente inventé pour ce test.",
            "premier manquement : article 32 du RGPD ;",
            "second manquement : article 5-1-e du RGPD.",
            "Manquement | Montant",
            "Sécurité | 10 000 euros",
            "Par ces motifs, la formation restreinte prononce une amende de 10\u{a0}000 euros.",
        ]
    );

    let md = by_id(&records, "cnil-SAN-2099-003");
    assert_eq!(md.source.format, SourceFormat::Markdown);
    assert_eq!((md.facts.fine_eur, md.facts.penalty_per_day_eur, md.facts.injunction, md.facts.public), (Some(7000), Some(100), Some(true), Some(false)));
    assert!(md.summary.as_deref().unwrap().starts_with("An invented retailer"));
    assert_eq!(md.claims.as_ref().unwrap().provenance, "markdown front matter");

    let txt = by_id(&records, "cnil-SAN-2099-004");
    assert_eq!(txt.source.format, SourceFormat::Text);
    assert_eq!(txt.language, Language::Fr);
    assert_eq!(txt.paragraphs.len(), 4);

    let html = by_id(&records, "CNILTEXT000099999905");
    assert_eq!(html.facts.number.as_deref(), Some("SAN-2099-005"));
    assert_eq!(html.facts.date.unwrap().to_string(), "2099-02-01");
    assert_eq!(html.language, Language::En);
    assert_eq!(html.claims.as_ref().unwrap().facts["fine_eur"], 12_500);
    assert_eq!(html.summary.as_deref(), Some("Facts\n\nAn invented company kept too much data.\n\nHolding\n\nThe CNIL fined it 12,500 EUR."));
    // Text only: markup is gone, and what the page escaped stays literal text.
    assert!(html.text.contains("Regulation (EU) 2016/679 <b>not markup</b>;"));
    assert!(!html.summary.as_deref().unwrap().contains("<b>"));
}

/// A GDPRhub page read from its wikitext is the page read from its HTML: the same text,
/// facts, claims and evidence; only the source differs.
#[test]
fn a_gdprhub_page_in_wikitext_reads_as_in_html() {
    let read = |name: &str| {
        let path = fixtures().join(name);
        recueil::ingest::read_bytes(name, &std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let (mut wiki, html) = (read("page.wiki"), read("page.html"));
    assert_eq!(wiki.source.format, SourceFormat::GdprhubWikitext);
    assert_eq!(wiki.claims.as_ref().unwrap().facts["parties"], "Invented Ltd <script>alert(1)</script>");
    assert!(wiki.text.contains("Regulation (EU) 2016/679 <b>not markup</b>;"), "entities decoded, markup not read");
    wiki.source = html.source.clone();
    assert_eq!(wiki, html);

    // Both are readings of one decision, GDPRhub's translation with its attribution.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    ingest(&store, &[fixtures().join("page.wiki")]);
    let decisions = store.decisions().unwrap();
    let [d] = decisions.as_slice() else { panic!("one decision: {decisions:?}") };
    assert_eq!(d.id, "cnil-SAN-2099-005");
    assert!(d.aliases.iter().any(|a| a == "page"), "the page name is an alias: {:?}", d.aliases);
    let r = &d.readings[0];
    assert!(r.machine_translation && r.attribution.licence.starts_with("CC BY-NC-SA"), "{:?}", r.attribution);
    assert_eq!(d.third_party_summaries.len(), 1, "GDPRhub's summary is theirs, not ours");
}

#[test]
fn changed_source_updates_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("index")).unwrap();
    let file = dir.path().join("decision.txt");
    let original = std::fs::read_to_string(fixtures().join("decision.txt")).unwrap();
    std::fs::write(&file, &original).unwrap();
    assert_eq!(ingest(&store, &[file.clone()]).ingested, 1);
    let g1 = store.current().unwrap().unwrap();

    std::fs::write(&file, original.replace("2 000 euros", "3 000 euros")).unwrap();
    let report = ingest(&store, &[file.clone()]);
    assert_eq!((report.ingested, report.updated, report.unchanged), (0, 1, 0));
    let g2 = store.current().unwrap().unwrap();
    assert!(g2.id > g1.id);
    assert_eq!(store.readable().unwrap(), [g2, g1], "the previous generation is kept for fallback");
    let records = store.readings().unwrap();
    assert_eq!(records.len(), 1);
    assert!(records[0].text.contains("3 000 euros"));
}

#[test]
fn same_id_twice_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("index")).unwrap();
    // The DILA folder holds each text twice: in the archive and in the tree.
    let report = ingest(&store, &[data().join("dila")]);
    assert_eq!((report.ingested, report.unchanged, report.rejected.len()), (15, 15, 0));

    // Another file of the same format claiming the same decision is a conflict, not a silent
    // merge: it is kept apart, both sources named.
    let copy = dir.path().join("copy.txt");
    let text = std::fs::read_to_string(fixtures().join("decision.txt")).unwrap();
    std::fs::write(&copy, text.replace("2 000 euros", "4 000 euros")).unwrap();
    let report = ingest(&store, &[fixtures().join("decision.txt"), copy.clone()]);
    assert_eq!((report.ingested, report.rejected.len(), report.conflicts.len()), (2, 0, 1));
    let conflict = &report.conflicts[0];
    assert_eq!(conflict.sources, ["copy.txt", "decision.txt"]);
    assert!(conflict.decision.starts_with("cnil-SAN-2099-004-conflict-"), "{}", conflict.decision);
    let decisions = store.decisions().unwrap();
    let kept = decisions.iter().find(|d| d.id == "cnil-SAN-2099-004").expect("the first one keeps the number");
    assert_eq!(kept.readings.iter().map(|r| r.record.source.path.as_str()).collect::<Vec<_>>(), ["decision.txt"]);
}

#[test]
fn stray_generation_from_a_crash_is_ignored_then_removed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    ingest(&store, &[fixtures().join("decision.md")]);
    let g1 = store.current().unwrap().unwrap();
    // What a kill in the middle of the next commit leaves behind.
    let stray = dir.path().join(format!("gen-{}", g1.id + 1));
    std::fs::create_dir_all(stray.join("tantivy")).unwrap();
    std::fs::write(stray.join("decisions-000001.jsonl"), "{\"id\":").unwrap();
    assert_eq!(store.readings().unwrap().len(), 1);

    ingest(&store, &[fixtures().join("decision.txt")]);
    let g3 = store.current().unwrap().unwrap();
    assert_eq!(g3.id, g1.id + 2, "a leftover id is never reused");
    assert!(!stray.exists(), "the leftover was removed");
    assert_eq!(store.readings().unwrap().len(), 2);
}

fn recueil(index: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_recueil")).arg("--index-dir").arg(index).args(args).output().unwrap()
}

#[test]
fn cli_ingest_and_show() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let archive = data().join("dila/CNIL_20250712-000000.tar.gz");
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, "<TEXTE_CNIL><META>").unwrap();

    let out = recueil(&index, &["ingest", "--json", archive.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "some input rejected → exit 1");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ingested"], 15);
    assert_eq!(report["rejected"][0]["path"], bad.display().to_string());
    assert!(report["rejected"][0]["reason"].as_str().unwrap().starts_with("malformed xml"));

    let out = recueil(&index, &["ingest", archive.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("unchanged: 15") && text.contains("rejected:  0"), "{text}");

    let out = recueil(&index, &["show", "--json", "CNILTEXT000051882375"]);
    assert!(out.status.success());
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["number"], "DR-2025-081");
    assert_eq!(record["date"], "2025-04-18");
    assert_eq!(record["nature"], "Autorisation de recherche");
    assert_eq!(record["id"], "cnil-DR-2025-081");
    assert_eq!(record["texts"][0]["language"], "fr");
    assert_eq!(record["texts"][0]["machine_translation"], false);
    assert_eq!(record["texts"][0]["attribution"]["licence"], "Licence Ouverte 2.0");
    assert_eq!(record["provenance"]["number"]["basis"], "original_text");
    for key in ["summaries", "disagreements", "added", "modified", "aliases"] {
        assert!(!record[key].is_null(), "show --json has {key}");
    }

    let out = recueil(&index, &["show", "dr-2025-081"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("CNILTEXT000051882375"), "number lookup ignores case");
    let out = recueil(&index, &["show", "SAN-1999-999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("not found"));

    let out = recueil(&index, &["ingest"]);
    assert_eq!(out.status.code(), Some(2), "usage error → exit 2");
}

#[test]
fn text_files_from_the_eval_set() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let texts = data().join("eval/texts");
    let count = std::fs::read_dir(&texts).unwrap().count();
    let report = ingest(&store, &[texts]);
    assert_eq!(report.rejected, vec![]);
    assert_eq!(report.ingested, count);
    let records = store.readings().unwrap();
    assert!(records.iter().all(|r| r.source.format == SourceFormat::Text && !r.paragraphs.is_empty()));

    let r = by_id(&records, "cnil-SAN-2019-005");
    assert_eq!(r.facts.number.as_deref(), Some("SAN-2019-005"));
    assert_eq!(r.facts.nature.as_deref(), Some("Sanction"));
    assert_eq!(r.language, Language::En);
    let fr = by_id(&records, "cnil-SAN-2020-015");
    assert_eq!(fr.language, Language::Fr);
    // The file named after SAN-2022-024 holds SAN-2022-023: the text's own heading decides.
    let ms = records.iter().find(|r| r.source.path.ends_with("Deliberation_SAN-2022-024_of_December_20_2022.txt")).unwrap();
    assert_eq!(ms.id, "cnil-SAN-2022-023");
    // A hard-wrapped letter (a PDF copy without blank lines) still splits into paragraphs.
    let letter = records.iter().find(|r| r.source.path.ends_with("2c1s196162814.txt")).unwrap();
    assert_eq!(paragraphs(letter)[0], "Dear Sir,");
    assert!(letter.paragraphs.len() > 10, "{}", letter.paragraphs.len());
}

#[test]
fn the_documented_markdown_example_parses() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/markdown-records.md")).unwrap();
    let start = doc.find("```markdown\n").expect("the doc shows an example record") + "```markdown\n".len();
    let example = &doc[start..start + doc[start..].find("\n```").unwrap() + 1];
    let source = recueil::record::Source { format: SourceFormat::Markdown, path: "example.md".into(), sha256: "0".repeat(64) };
    let r = recueil::ingest::parse_markdown(example, source).expect("the documented example is a valid record");
    assert_eq!(r.facts.number.as_deref(), Some("SAN-2020-014"));
    assert_eq!(r.id, "CNILTEXT000042675720");
    assert_eq!(r.facts.breached, ["GDPR:32", "GDPR:33"]);
    assert!(r.summary.is_some());
}

#[test]
fn embedded_corpus_parses() {
    let records = recueil::ingest::embedded_corpus_records().expect("every corpus/ record parses");
    assert!(!records.is_empty(), "corpus/decisions/ is compiled in");
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), records.len(), "corpus/ ids are unique");
    assert!(records.iter().all(|r| r.source.format == SourceFormat::Markdown && r.source.path.starts_with("corpus/")));
}
