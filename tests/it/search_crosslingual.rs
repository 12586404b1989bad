//! Acceptance of issue 15 on the real data: over the GDPRhub pages and DILA texts (without the
//! embedded corpus, whose bilingual summaries would carry the match), French questions find
//! English translations and English questions find French texts; the judged monolingual
//! queries keep their ranking; analysis rules hold on real texts (no stop word or "sans"
//! highlighted); misspelt words get a correction. Needs `../shared/data`; fails loudly without it.

use std::path::Path;

use recueil::index::store::Store;
use recueil::eval::search::{evaluate, read_queries, EvalReport};
use recueil::search::{Engine, SearchRequest, SearchResponse};

use crate::support::{shared_data as data, shared_engine as engine};

fn report(path: &Path) -> EvalReport {
    let report = evaluate(engine(), &read_queries(path).unwrap()).unwrap();
    for q in &report.queries {
        eprintln!("{} rank {:?}  {}  {:?}", if q.success_at_5 { "ok  " } else { "MISS" }, q.rank, q.q, &q.top[..5.min(q.top.len())]);
    }
    eprintln!("{}: success@5 {:.3} MRR {:.3}", path.display(), report.success_at_5, report.mrr);
    report
}

fn search(q: &str) -> SearchResponse {
    engine().search(&SearchRequest { query: q.into(), ..Default::default() }).unwrap()
}

#[test]
fn crosslingual_dev_queries_find_the_other_language() {
    // Two of the ten dev queries judge decisions that are not among the GDPRhub pages
    // (SAN-2023-021, SAN-2021-019): 0.8 is every answerable query.
    let r = report(&data().join("eval/queries-crosslingual.jsonl"));
    assert!(r.success_at_5 >= 0.8, "success@5 {:.3}", r.success_at_5);
}

#[test]
fn crosslingual_invented_queries_find_the_other_language() {
    let r = report(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries-crosslingual-invented.jsonl"));
    assert!(r.success_at_5 >= 0.9, "success@5 {:.3}", r.success_at_5);
}

#[test]
fn monolingual_judged_queries_keep_their_ranking() {
    let r = report(&data().join("eval/queries.jsonl"));
    assert!(r.success_at_5 >= 0.96, "success@5 {:.3}", r.success_at_5);
    assert!(r.mrr >= 0.85, "MRR {:.3}", r.mrr);
}

fn highlighted(res: &SearchResponse) -> Vec<String> {
    res.hits.iter().flat_map(|h| &h.snippet).filter(|p| p.highlighted).map(|p| p.text.to_lowercase()).collect()
}

#[test]
fn stop_words_and_decision_numbers_never_highlight() {
    let res = search("violation de données");
    assert!(res.total > 0);
    let lit = highlighted(&res);
    assert!(!lit.is_empty());
    assert!(!lit.iter().any(|w| w == "de" || w == "des" || w == "la"), "{lit:?}");
    let res = search("SAN-2020-014");
    assert_eq!(res.hits[0].facts.number.as_deref(), Some("SAN-2020-014"));
    assert!(!highlighted(&res).iter().any(|w| w == "sans" || w == "san"), "{:?}", highlighted(&res));
}

#[test]
fn a_french_question_highlights_the_english_translation() {
    let res = search("mise en demeure");
    let lit = highlighted(&res);
    assert!(lit.iter().any(|w| w == "formal" || w == "notice"), "{lit:?}");
}

#[test]
fn english_words_do_not_meet_french_look_alikes() {
    // `data` stems to `dat` in French, as `date` does: a French text is not found by the
    // English word as typed, only through its translation (`données`), and never lights up
    // its dates.
    let res = search("data");
    for h in res.hits.iter().filter(|h| h.language == recueil::record::Language::Fr) {
        let lit: Vec<&str> = h.snippet.iter().filter(|p| p.highlighted).map(|p| p.text.as_str()).collect();
        assert!(!lit.iter().any(|w| w.to_lowercase().starts_with("date")), "{}: {lit:?}", h.id);
    }
}

#[test]
fn misspelt_words_get_a_correction_from_the_index() {
    let res = search("cookeis");
    assert_eq!(res.total, 0);
    assert_eq!(res.did_you_mean.as_deref(), Some("cookies"));
    let res = search("drepanocytose pseudonymisaton");
    assert_eq!(res.did_you_mean.as_deref(), Some("drepanocytose pseudonymization"));
    // A query with hits, or words the index holds, gets none.
    assert_eq!(search("cookies").did_you_mean, None);
    assert_eq!(search("drepanocytose").did_you_mean, None);
}

#[test]
fn french_filter_forms_filter() {
    let english = search("fine>=1000000");
    for q in ["amende>=1 000 000", "fine>=1 000 000 €", "fine>=1.000.000"] {
        let french = search(q);
        assert_eq!(french.total, english.total, "{q}");
        assert!(french.total > 0);
    }
    assert_eq!(search("année:2021").total, search("year:2021").total);
    assert!(search("year:2021").total > 0);
    let e = engine().search(&SearchRequest { query: "montant>=1000".into(), ..Default::default() }).unwrap_err();
    assert!(e.to_string().contains("unknown filter `montant`"), "{e}");
}

#[test]
fn the_embedded_corpus_does_not_match_every_decision_for_a_french_phrase() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/decisions");
    recueil::ingest::ingest_paths(&store, &[corpus]).unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    let all = engine.search(&SearchRequest { query: String::new(), ..Default::default() }).unwrap().total;
    let res = engine.search(&SearchRequest { query: "violation de données".into(), ..Default::default() }).unwrap();
    eprintln!("violation de données: {} of {all}", res.total);
    assert!(res.total < all, "{} of {all}", res.total);
}
