//! One decision from many sources: the curated corpus, GDPRhub pages (English machine
//! translations and infoboxes) and DILA texts (French originals) merge into the same decisions
//! whatever the order they arrive in, curated facts and summaries are never lost, and a page
//! that cannot be matched safely is kept apart and reported. Reads the real data in
//! `../shared/data`; the French original of SAN-2020-014 is an invented fixture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use recueil::index::store::Store;
use recueil::ingest::{ingest_paths, IngestReport};
use recueil::record::decision::Basis;
use recueil::record::{Decision, Fact, Language, Role, SourceFormat};

fn data() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(dir.is_dir(), "{} is missing: these tests read the real CNIL data", dir.display());
    dir
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/decisions")
}

fn gdprhub() -> PathBuf {
    data().join("gdprhub")
}

fn gdprhub_page(number: &str) -> PathBuf {
    gdprhub().join(format!("CNIL_France_-_{number}.html"))
}

fn dila() -> PathBuf {
    data().join("dila/CNIL_20250712-000000.tar.gz")
}

/// Invented: a French original of SAN-2020-014 in the DILA layout.
fn original_2020_014() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decisions/CNILTEXT000042675720.xml")
}

fn ingest(store: &Store, paths: &[PathBuf]) -> IngestReport {
    let report = ingest_paths(store, paths).expect("ingest runs");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    report
}

fn decisions(store: &Store) -> BTreeMap<String, Decision> {
    store.decisions().expect("decisions read back").into_iter().map(|d| (d.id.clone(), d)).collect()
}

/// What must not depend on the order of ingestion: every fact, where it came from, the
/// summaries and the texts.
fn projection(d: &Decision) -> serde_json::Value {
    let texts: Vec<_> = d.texts.iter().map(|t| (t.language, t.format, t.original, t.machine_translation)).collect();
    let provenance: BTreeMap<_, _> = d.provenance.iter().map(|(f, p)| (*f, (p.basis, p.format))).collect();
    serde_json::json!({
        "facts": d.facts, "summaries": d.summaries, "texts": texts, "provenance": provenance,
        "aliases": d.aliases, "conflict": d.conflict.is_some(), "disagreements": d.disagreements.len(),
    })
}

#[test]
fn the_same_decisions_whatever_the_order() {
    let scratch = tempfile::tempdir().unwrap();
    let stores: Vec<Store> = (0..3).map(|i| Store::open(scratch.path().join(format!("s{i}"))).unwrap()).collect();
    let steps = [vec![corpus()], vec![gdprhub()], vec![dila(), original_2020_014()]];
    for step in &steps {
        ingest(&stores[0], step);
    }
    ingest(&stores[1], &steps.concat());
    for step in steps.iter().rev() {
        ingest(&stores[2], step);
    }
    let all: Vec<BTreeMap<String, Decision>> = stores.iter().map(decisions).collect();
    assert_eq!(all[0].keys().collect::<Vec<_>>(), all[1].keys().collect::<Vec<_>>());
    assert_eq!(all[0].keys().collect::<Vec<_>>(), all[2].keys().collect::<Vec<_>>());
    for (id, d) in &all[0] {
        for other in &all[1..] {
            assert_eq!(projection(d), projection(&other[id]), "{id}");
        }
    }

    // Every curated fact and both summaries of every corpus decision are kept.
    let curated = recueil::ingest::embedded_corpus_records().unwrap();
    for c in &curated {
        let d = all[0]
            .values()
            .find(|d| d.readings.iter().any(|r| r.role == Role::Curated && r.record.source.sha256 == c.source.sha256))
            .unwrap_or_else(|| panic!("{}: curated record lost", c.source.path));
        let f = &d.facts;
        let label = &c.source.path;
        assert_eq!(f.number, c.facts.number, "{label}");
        assert_eq!(f.date, c.facts.date, "{label}");
        assert_eq!(f.respondent, c.facts.respondent, "{label}");
        assert_eq!(f.fine_eur, c.facts.fine_eur, "{label}");
        if !c.facts.breached.is_empty() {
            assert_eq!(f.breached, c.facts.breached, "{label}");
        }
        assert_eq!(d.summaries.en, c.summary, "{label}");
        assert_eq!(d.summaries.fr, c.summary_fr, "{label}");
        assert!(d.summaries.en.is_some() && d.summaries.fr.is_some(), "{label}: both summaries");
    }

    // SAN-2020-014: its French original first, and GDPRhub's English machine translation.
    let d = &all[0]["cnil-SAN-2020-014"];
    let kinds: Vec<_> = d.texts.iter().map(|t| (t.language, t.format, t.original, t.machine_translation)).collect();
    assert_eq!(
        kinds,
        [(Language::Fr, SourceFormat::DilaXml, true, false), (Language::En, SourceFormat::GdprhubHtml, false, true)]
    );
    assert!(d.texts[1].attribution.licence.contains("CC BY-NC-SA"));
    assert_eq!(d.facts.fine_eur, Some(3_000));
    assert_eq!(d.provenance[&Fact::Fine].basis, Basis::Curated);
    assert!(d.aliases.contains(&"CNILTEXT000042675720".to_string()));
    assert_eq!(d.third_party_summaries.len(), 1, "GDPRhub's summary is kept as theirs");
}

#[test]
fn each_pair_of_sources_merges() {
    let pairs = [
        ("curated + gdprhub", vec![corpus().join("SAN-2020-014.md"), gdprhub_page("SAN-2020-014")]),
        ("curated + dila", vec![corpus().join("SAN-2020-014.md"), original_2020_014()]),
        ("gdprhub + dila", vec![gdprhub_page("SAN-2020-014"), original_2020_014()]),
    ];
    for (name, inputs) in pairs {
        for order in [inputs.clone(), inputs.iter().rev().cloned().collect()] {
            let scratch = tempfile::tempdir().unwrap();
            let store = Store::open(scratch.path()).unwrap();
            for input in &order {
                ingest(&store, std::slice::from_ref(input));
            }
            let all = decisions(&store);
            assert_eq!(all.len(), 1, "{name}: one decision, {:?}", all.keys().collect::<Vec<_>>());
            let d = &all["cnil-SAN-2020-014"];
            assert_eq!(d.readings.len(), 2, "{name}");
            assert_eq!(d.facts.date, chrono::NaiveDate::from_ymd_opt(2020, 12, 7), "{name}");
            let curated = name.starts_with("curated");
            assert_eq!(d.provenance[&Fact::Number].basis, if curated { Basis::Curated } else { Basis::OriginalText }, "{name}");
            assert_eq!(d.summaries.fr.is_some(), curated || name.contains("dila"), "{name}");
        }
    }
}

#[test]
fn a_fact_only_a_source_claims_is_shown_as_claimed() {
    let scratch = tempfile::tempdir().unwrap();
    let store = Store::open(scratch.path()).unwrap();
    ingest(&store, &[gdprhub_page("SAN-2022-019")]);
    let d = decisions(&store).remove("cnil-SAN-2022-019").expect("SAN-2022-019");
    assert!(d.facts.fine_eur.is_some(), "the infobox's fine");
    assert_eq!(d.provenance[&Fact::Fine].basis, Basis::Claim);
}

#[test]
fn a_page_filed_under_another_number_is_kept_apart_and_reported() {
    let scratch = tempfile::tempdir().unwrap();
    let store = Store::open(scratch.path()).unwrap();
    ingest(&store, &[corpus().join("SAN-2022-023.md"), corpus().join("SAN-2022-024.md")]);
    let before = decisions(&store);
    // The page named after SAN-2022-024 of 20 December 2022 holds the text of SAN-2022-023.
    let report = ingest(&store, &[gdprhub().join("CNIL_France_-_Deliberation_SAN-2022-024_of_December_20_2022.html")]);
    assert_eq!(report.conflicts.len(), 1, "{:?}", report.conflicts);
    let conflict = &report.conflicts[0];
    assert!(conflict.reason.contains("SAN-2022-024") && conflict.reason.contains("SAN-2022-023"), "{}", conflict.reason);
    assert_eq!(conflict.sources.len(), 2);
    let after = decisions(&store);
    for (id, d) in &before {
        assert_eq!(projection(d), projection(&after[id]), "{id} untouched by the conflicting page");
    }
    let apart = &after[&conflict.decision];
    assert!(apart.conflict.is_some() && apart.aliases.is_empty());
    // The number still finds the curated decision, not the page held apart.
    let engine = recueil::search::Engine::open(scratch.path()).unwrap();
    assert_eq!(engine.get("SAN-2022-023").unwrap().unwrap().id, "cnil-SAN-2022-023");
}

#[test]
fn one_more_source_changes_only_its_decision() {
    let scratch = tempfile::tempdir().unwrap();
    let store = Store::open(scratch.path()).unwrap();
    ingest(&store, &[corpus(), dila()]);
    let before = decisions(&store);
    let generation = store.current().unwrap().unwrap();
    let report = ingest(&store, &[gdprhub_page("SAN-2020-014")]);
    assert_eq!((report.ingested, report.decisions_changed), (1, 1));
    let after = decisions(&store);
    assert_eq!(before.len(), after.len());
    for (id, d) in &before {
        if id != "cnil-SAN-2020-014" {
            assert_eq!(d, &after[id], "{id} unchanged, its times included");
        }
    }
    let changed = &after["cnil-SAN-2020-014"];
    assert_eq!(changed.added, before["cnil-SAN-2020-014"].added);
    assert!(changed.modified > before["cnil-SAN-2020-014"].modified);
    let next = store.current().unwrap().unwrap();
    assert_eq!(next.manifest().unwrap().chunks.len(), generation.manifest().unwrap().chunks.len() + 1, "one chunk appended");
    // Ingesting it again changes nothing and commits nothing.
    let again = ingest(&store, &[gdprhub_page("SAN-2020-014")]);
    assert_eq!((again.unchanged, again.decisions_changed), (1, 0));
    assert_eq!(store.current().unwrap().unwrap().id, next.id);
}
