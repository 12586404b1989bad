//! Engine behaviour on invented records laid out as the record store lays out a generation
//! (written through the record store). Every record here is invented.

use std::path::Path;

use chrono::NaiveDate;
use recueil::record::{reconcile, Facts, Language, Measure, Reading, Record, SourceFormat};
use recueil::search::{Engine, SearchRequest, SortBy};
use recueil::Error;

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Invented decisions covering both languages, fines, facets and a bilingual Markdown body.
fn invented() -> Vec<Record> {
    vec![
        Record {
            id: "cnil-SAN-2090-014".into(),
            facts: Facts {
                number: Some("SAN-2090-014".into()),
                nature: Some("Sanction".into()),
                date: date(2090, 12, 7),
                respondent: Some("Médecin libéral (invented)".into()),
                sector: Some("Health Care".into()),
                fine_eur: Some(3_000),
                breached: vec!["GDPR:32".into(), "GDPR:33".into()],
                measures: vec![Measure::Fine, Measure::Publication],
                ..Default::default()
            },
            title: Some("Délibération SAN-2090-014 (invented)".into()),
            language: Language::Fr,
            text: "Le médecin conservait des images médicales accessibles sur internet.\n\n\
                   La sécurité des données de santé n'était pas assurée et la violation n'a pas été notifiée.\n\n\
                   Une amende de 3 000 euros est prononcée."
                .into(),
            ..Default::default()
        },
        Record {
            id: "cnil-SAN-2089-001".into(),
            facts: Facts {
                number: Some("SAN-2089-001".into()),
                nature: Some("Sanction".into()),
                date: date(2089, 1, 21),
                respondent: Some("EXAMPLECORP LLC".into()),
                sector: Some("Media, Telecoms and Broadcasting".into()),
                fine_eur: Some(50_000_000),
                breached: vec!["GDPR:12".into(), "GDPR:13".into(), "GDPR:6".into()],
                measures: vec![Measure::Fine, Measure::Publication],
                ..Default::default()
            },
            title: Some("Deliberation SAN-2089-001 (invented)".into()),
            language: Language::En,
            text: "Examplecorp personalised advertising after Android account creation without valid consent.\n\n\
                   The information given to users was scattered across several documents."
                .into(),
            ..Default::default()
        },
        Record {
            id: "CNILTEXT000099999901".into(),
            facts: Facts {
                number: Some("DR-2095-061".into()),
                nature: Some("Autorisation de recherche".into()),
                date: date(2095, 3, 3),
                ..Default::default()
            },
            legifrance_id: Some("CNILTEXT000099999901".into()),
            title: Some("Décision DR-2095-061 (invented)".into()),
            language: Language::Fr,
            text: "Autorisation d'une étude sur la drépanocytose chez l'enfant.\n\nLes données sont pseudonymisées."
                .into(),
            ..Default::default()
        },
        Record {
            id: "cnil-SAN-2089-005".into(),
            facts: Facts {
                number: Some("SAN-2089-005".into()),
                nature: Some("Sanction".into()),
                date: date(2089, 5, 28),
                respondent: Some("Lettings Example SA".into()),
                sector: Some("Real Estate".into()),
                fine_eur: Some(400_000),
                breached: vec!["GDPR:32".into(), "GDPR:5".into(), "LIL:82".into()],
                measures: vec![Measure::Fine],
                ..Default::default()
            },
            language: Language::En,
            text:
                "Tenant documents of a real estate manager were accessible online.\n\nThe company kept them too long."
                    .into(),
            ..Default::default()
        },
        Record {
            id: "cnil-SAN-2091-013".into(),
            facts: Facts {
                number: Some("SAN-2091-013".into()),
                nature: Some("Sanction".into()),
                date: date(2091, 12, 7),
                respondent: Some("Retail Example".into()),
                sector: Some("Industry and Commerce".into()),
                fine_eur: Some(35_000_000),
                breached: vec!["CPCE:L34-5".into()],
                measures: vec![Measure::Fine],
                ..Default::default()
            },
            language: Language::En,
            text: "English\n\nA retailer placed advertising cookies without consent.\n\n\
                   Français\n\nUn commerçant déposait des traceurs publicitaires sans consentement."
                .into(),
            summary: Some("A retailer placed advertising cookies without consent.".into()),
            summary_fr: Some("Un commerçant déposait des traceurs publicitaires sans consentement.".into()),
            source: recueil::record::Source { format: SourceFormat::Markdown, ..Default::default() },
            ..Default::default()
        },
    ]
}

/// Replaces the store at `root` by one decision per record (each its only reading).
fn commit(root: &Path, records: &[Record]) {
    let now = chrono::Utc::now();
    let decisions = records.iter().map(|r| Ok(reconcile(vec![Reading::of(r.clone())], None, now)));
    recueil::index::store::Store::open(root).unwrap().rebuild(decisions).unwrap();
}

fn engine() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    commit(dir.path(), &invented());
    let engine = Engine::open(dir.path()).unwrap();
    (dir, engine)
}

fn req(q: &str) -> SearchRequest {
    SearchRequest { query: q.into(), limit: 10, ..Default::default() }
}

fn numbers(engine: &Engine, q: &str) -> Vec<String> {
    engine.search(&req(q)).unwrap().hits.into_iter().map(|h| h.head.facts.number.unwrap()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_decision_number_alone_comes_first() {
    let (_d, e) = engine();
    for q in ["SAN-2089-005", "san-2089-005"] {
        assert_eq!(numbers(&e, q)[0], "SAN-2089-005", "{q}");
    }
}

#[test]
fn french_words_without_accents_match() {
    let (_d, e) = engine();
    assert_eq!(numbers(&e, "drepanocytose"), vec!["DR-2095-061"]);
    assert_eq!(numbers(&e, "securite donnees sante")[0], "SAN-2090-014");
    // The French half of a bilingual Markdown body is analysed as French: it comes first, before
    // the English decision found through the translation (`publicitaire` → advertising).
    assert_eq!(numbers(&e, "traceur publicitaire")[0], "SAN-2091-013");
}

#[test]
fn phrases_and_boolean_operators() {
    let (_d, e) = engine();
    assert_eq!(numbers(&e, "\"données de santé\""), vec!["SAN-2090-014"]);
    assert!(numbers(&e, "\"santé de données\"").is_empty());
    assert_eq!(sorted(numbers(&e, "consent -cookies")), vec!["SAN-2089-001"]);
    assert_eq!(sorted(numbers(&e, "consent NOT cookies")), vec!["SAN-2089-001"]);
    assert_eq!(sorted(numbers(&e, "tenant AND online")), vec!["SAN-2089-005"]);
    assert!(numbers(&e, "tenant AND android").is_empty());
    assert_eq!(sorted(numbers(&e, "tenant OR android")), vec!["SAN-2089-001", "SAN-2089-005"]);
    assert_eq!(sorted(numbers(&e, "-consent")).len(), 3);
}

#[test]
fn filters_agree_with_the_records() {
    let (_d, e) = engine();
    assert_eq!(numbers(&e, "article:33"), vec!["SAN-2090-014"]);
    assert_eq!(sorted(numbers(&e, "article:32")), vec!["SAN-2089-005", "SAN-2090-014"]);
    assert_eq!(numbers(&e, "breached:\"LIL:82\""), vec!["SAN-2089-005"]);
    assert_eq!(numbers(&e, "sector:\"Health Care\""), vec!["SAN-2090-014"]);
    assert_eq!(numbers(&e, "kind:sanction").len(), 4);
    assert_eq!(numbers(&e, "kind:\"autorisation de recherche\""), vec!["DR-2095-061"]);
    assert_eq!(numbers(&e, "respondent:examplecorp"), vec!["SAN-2089-001"]);
    assert_eq!(sorted(numbers(&e, "year:2089")), vec!["SAN-2089-001", "SAN-2089-005"]);
    assert_eq!(numbers(&e, "date:2089-01-01..2089-03-31"), vec!["SAN-2089-001"]);
    assert_eq!(numbers(&e, "date:2089-05-28"), vec!["SAN-2089-005"]);
    assert_eq!(sorted(numbers(&e, "fine>=400000")), vec!["SAN-2089-001", "SAN-2089-005", "SAN-2091-013"]);
    assert_eq!(numbers(&e, "fine:10000..500000"), vec!["SAN-2089-005"]);
    assert_eq!(numbers(&e, "fine<5000"), vec!["SAN-2090-014"]);
    assert_eq!(numbers(&e, "article:32 year:2090"), vec!["SAN-2090-014"]);
    assert_eq!(numbers(&e, "article:32 tenant"), vec!["SAN-2089-005"]);
}

/// `added` and `modified` compare the day the store first held or last changed a decision,
/// whole days in UTC, whatever the hour of the change.
#[test]
fn filters_on_when_the_store_added_a_decision() {
    let dir = tempfile::tempdir().unwrap();
    let records = invented();
    let at = |rfc3339: &str| chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&chrono::Utc);
    let decisions = records.iter().enumerate().map(|(i, r)| {
        let when = if i == 0 { at("2090-01-10T23:59:59Z") } else { at("2090-01-11T00:00:00Z") };
        Ok(reconcile(vec![Reading::of(r.clone())], None, when))
    });
    recueil::index::store::Store::open(dir.path()).unwrap().rebuild(decisions).unwrap();
    let e = Engine::open(dir.path()).unwrap();
    let first = records[0].facts.number.clone().unwrap();
    let all = records.len();
    assert_eq!(numbers(&e, "added:2090-01-10"), vec![first.clone()]);
    assert_eq!(numbers(&e, "added<=2090-01-10"), vec![first.clone()]);
    assert_eq!(numbers(&e, "added<2090-01-11"), vec![first.clone()]);
    assert_eq!(numbers(&e, "added>2090-01-10").len(), all - 1);
    assert_eq!(numbers(&e, "modified>=2090-01-11").len(), all - 1);
    assert_eq!(numbers(&e, "ajouté:2090-01-10..2090-01-11").len(), all);
    assert!(numbers(&e, "modifié>2090-01-11").is_empty());
    assert_eq!(numbers(&e, "added:2090-01-10 article:32").len(), usize::from(records[0].facts.breached.iter().any(|p| p == "GDPR:32")));
}

#[test]
fn facets_and_fine_stats_cover_the_whole_result_set() {
    let (_d, e) = engine();
    let res = e.search(&SearchRequest { query: "kind:sanction".into(), limit: 1, ..Default::default() }).unwrap();
    assert_eq!(res.total, 4);
    assert_eq!(res.hits.len(), 1);
    let gdpr32 = res.facets.breached.iter().find(|f| f.value == "GDPR:32").unwrap();
    assert_eq!(gdpr32.count, 2);
    assert_eq!(res.facets.year.iter().find(|f| f.value == "2089").unwrap().count, 2);
    assert_eq!(res.facets.measures.iter().find(|f| f.value == "fine").unwrap().count, 4);
    assert_eq!(res.facets.nature, vec![recueil::search::FacetCount { value: "Sanction".into(), count: 4 }]);
    assert_eq!(res.fine_stats.count, 4);
    assert_eq!(res.fine_stats.min, Some(3_000));
    assert_eq!(res.fine_stats.max, Some(50_000_000));
    assert_eq!(res.fine_stats.sum, 85_403_000);
    assert_eq!(res.fine_stats.median, Some((400_000 + 35_000_000) / 2));
}

#[test]
fn sorting_and_cursor_paging() {
    let (_d, e) = engine();
    let by = |sort| {
        let r = SearchRequest { query: String::new(), sort, limit: 10, ..Default::default() };
        e.search(&r).unwrap().hits.into_iter().map(|h| h.head.facts.number.unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(by(SortBy::Fine)[..3], ["SAN-2089-001", "SAN-2091-013", "SAN-2089-005"]);
    assert_eq!(by(SortBy::Date)[..2], ["DR-2095-061", "SAN-2091-013"]);

    for sort in [SortBy::Relevance, SortBy::Date, SortBy::Fine] {
        let all = by(sort);
        let mut walked = Vec::new();
        let mut cursor = None;
        loop {
            let r = SearchRequest { query: String::new(), sort, limit: 2, cursor, ..Default::default() };
            let res = e.search(&r).unwrap();
            assert_eq!(res.total, 5);
            walked.extend(res.hits.into_iter().map(|h| h.head.facts.number.unwrap()));
            cursor = res.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(walked, all, "{sort:?}");
    }
    let page2 = e.search(&SearchRequest {
        query: String::new(),
        sort: SortBy::Date,
        limit: 2,
        offset: 2,
        ..Default::default()
    });
    assert_eq!(page2.unwrap().hits.len(), 2);
}

/// More matches than one block of the collector (512), some records without a date, fine or
/// sector: counts, statistics and every sort order agree with the records themselves.
#[test]
fn counts_and_sorts_agree_with_the_records_over_many_blocks() {
    let sectors = ["Health Care", "Employment", "Finance"];
    let records: Vec<Record> = (0..1_300u64)
        .map(|i| Record {
            id: format!("cnil-SAN-2080-{i:04}"),
            facts: Facts {
                number: Some(format!("SAN-2080-{i:04}")),
                date: (i % 7 != 0).then(|| date(2000 + (i % 20) as i32, 1 + (i % 12) as u32, 1).unwrap()),
                fine_eur: (i % 3 != 0).then_some(i * 100),
                sector: (i % 5 != 0).then(|| sectors[(i % 3) as usize].to_string()),
                breached: if i % 2 == 0 { vec!["GDPR:32".into(), "GDPR:5".into()] } else { vec!["GDPR:6".into()] },
                ..Default::default()
            },
            language: Language::En,
            text: format!("Invented decision {i} on cookies."),
            ..Default::default()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    commit(dir.path(), &records);
    let e = Engine::open(dir.path()).unwrap();
    let res = e.search(&SearchRequest { query: "cookies".into(), limit: 100, ..Default::default() }).unwrap();
    assert_eq!(res.total, records.len());
    let count = |facet: &[recueil::search::FacetCount], value: &str| {
        facet.iter().find(|c| c.value == value).map(|c| c.count)
    };
    let health = records.iter().filter(|r| r.facts.sector.as_deref() == Some("Health Care")).count() as u64;
    assert_eq!(count(&res.facets.sector, "Health Care"), Some(health));
    assert_eq!(count(&res.facets.breached, "GDPR:32"), Some(650));
    assert_eq!(count(&res.facets.breached, "GDPR:6"), Some(650));
    let fines: Vec<u64> = records.iter().filter_map(|r| r.facts.fine_eur).collect();
    assert_eq!(res.fine_stats.count, fines.len() as u64);
    assert_eq!(res.fine_stats.sum, fines.iter().sum::<u64>());
    assert_eq!(res.fine_stats.max, fines.iter().max().copied());

    for sort in [SortBy::Date, SortBy::Fine] {
        let mut expected: Vec<&Record> = records.iter().collect();
        let key = |r: &Record| match sort {
            SortBy::Date => r.facts.date.map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp()),
            _ => r.facts.fine_eur.map(|f| f as i64),
        };
        // Descending; records without the value last; ties in input order.
        expected.sort_by(|a, b| key(b).is_some().cmp(&key(a).is_some()).then(key(b).cmp(&key(a))));
        let mut walked = Vec::new();
        let mut cursor = None;
        loop {
            let r = SearchRequest { query: "cookies".into(), sort, limit: 100, cursor, ..Default::default() };
            let page = e.search(&r).unwrap();
            // Every page, in any sort, reads the result set's counts the first answer made.
            assert_eq!((page.total, &page.facets, &page.fine_stats), (res.total, &res.facets, &res.fine_stats), "{sort:?}");
            walked.extend(page.hits.into_iter().map(|h| h.head.id));
            cursor = page.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        let expected: Vec<&str> = expected.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(walked, expected, "{sort:?}");
    }
    // Counted afresh, on an engine that never saw the query, a later page has the same counts.
    let fresh = Engine::open(dir.path()).unwrap();
    let later = SearchRequest { query: "cookies".into(), sort: SortBy::Fine, offset: 200, limit: 100, ..Default::default() };
    let (cached, counted) = (e.search(&later).unwrap(), fresh.search(&later).unwrap());
    assert_eq!(cached, counted);
    assert_eq!((counted.total, &counted.facets), (res.total, &res.facets));
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let (_d, e) = engine();
    let err = |r: SearchRequest| e.search(&r).unwrap_err();
    assert!(matches!(err(SearchRequest { limit: 0, ..req("x") }), Error::InvalidParameter { name: "limit", .. }));
    assert!(matches!(err(SearchRequest { limit: 101, ..req("x") }), Error::InvalidParameter { name: "limit", .. }));
    assert!(matches!(
        err(SearchRequest { offset: 10_001, ..req("x") }),
        Error::InvalidParameter { name: "offset", .. }
    ));
    assert!(matches!(
        err(SearchRequest { cursor: Some("garbage".into()), ..req("x") }),
        Error::InvalidParameter { name: "cursor", .. }
    ));
    let deep = format!("{}a{}", "(".repeat(3000), ")".repeat(3000));
    for q in [deep.as_str(), "(a", "title:*", "sector:nowhere", "\"", "fine>=x", "AND", "- *"] {
        match e.search(&req(q)) {
            Err(Error::InvalidQuery(msg)) => assert!(!msg.is_empty()),
            Ok(_) if q == "- *" => {}
            other => panic!("{q}: {other:?}"),
        }
    }
    // Punctuation-only input is not an error: it just matches nothing.
    assert_eq!(e.search(&req("*")).unwrap().total, 0);
}

#[test]
fn snippets_highlight_the_matching_passage() {
    let (_d, e) = engine();
    let res = e.search(&req("notifiée")).unwrap();
    let parts = &res.hits[0].snippet;
    assert!(parts.iter().any(|p| p.highlighted && p.text == "notifiée"), "{parts:?}");
    assert!(parts.iter().all(|p| !p.text.contains("images médicales")), "best paragraph, not the first");
}

#[test]
fn snippets_come_from_the_paragraph_the_index_positions_name() {
    // Invented long decision: filler paragraphs around one that holds both query words, one
    // that holds a single word three times, and a title-only word.
    let mut paragraphs: Vec<String> =
        (0..60).map(|i| format!("Paragraphe de procédure numéro {i}, sans objet.")).collect();
    paragraphs[1] = "Une amende est envisagée.".into();
    paragraphs[3] = "L'amende, l'amende et encore l'amende.".into();
    paragraphs[41] = "« La sécurité des serveurs d'imagerie justifie une amende. »".into();
    let long = Record {
        id: "cnil-SAN-2091-001".into(),
        facts: Facts {
            number: Some("SAN-2091-001".into()),
            ..Default::default()
        },
        title: Some("Délibération sur la radiologie (invented)".into()),
        language: Language::Fr,
        text: paragraphs.join("\n\n"),
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    commit(dir.path(), &[long]);
    let e = Engine::open(dir.path()).unwrap();
    let text = |q: &str| {
        let res = e.search(&req(q)).unwrap();
        assert_eq!(res.total, 1, "{q}");
        res.hits[0].snippet.clone()
    };
    let parts = text("securite amendes");
    let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(joined, "« La sécurité des serveurs d'imagerie justifie une amende. »");
    let lit: Vec<&str> = parts.iter().filter(|p| p.highlighted).map(|p| p.text.as_str()).collect();
    assert_eq!(lit, vec!["sécurité", "amende"]);
    // One word: the paragraph where it is most frequent, not the first where it appears
    // (the whole-text reading would stop there).
    assert_eq!(text("amende").iter().filter(|p| p.highlighted).count(), 3);
    // A word of the title only: the opening of the text.
    let opening: String = text("radiologie").iter().map(|p| p.text.as_str()).collect();
    assert!(opening.starts_with("Paragraphe de procédure numéro 0"), "{opening}");
}

#[test]
fn get_similar_stats_and_generation() {
    let (_d, e) = engine();
    assert_eq!(e.generation(), 1);
    assert_eq!(e.get("san-2089-001").unwrap().unwrap().id, "cnil-SAN-2089-001");
    assert_eq!(e.get("CNILTEXT000099999901").unwrap().unwrap().facts.number.as_deref(), Some("DR-2095-061"));
    assert!(e.get("SAN-1900-000").unwrap().is_none());
    assert!(e.get("").is_err());

    let similar = e.similar("SAN-2090-014", 3).unwrap();
    assert!(!similar.is_empty());
    assert!(similar.iter().all(|h| h.id != "cnil-SAN-2090-014"));
    assert_eq!(similar[0].facts.number.as_deref(), Some("SAN-2089-005"), "shares GDPR:32");
    assert!(matches!(e.similar("nope", 3), Err(Error::NotFound(_))));

    let stats = e.stats().unwrap();
    assert_eq!(stats.total, 5);
    let y2089 = stats.by_year.iter().find(|g| g.key == "2089").unwrap();
    assert_eq!((y2089.count, y2089.fine_count, y2089.fine_sum), (2, 2, 50_400_000));
    assert_eq!(stats.by_provision.iter().find(|g| g.key == "GDPR:32").unwrap().count, 2);
}

#[test]
fn a_damaged_current_generation_falls_back_to_the_previous() {
    let dir = tempfile::tempdir().unwrap();
    commit(dir.path(), &invented());
    commit(dir.path(), &invented()[..2]);
    assert_eq!(Engine::open(dir.path()).unwrap().generation(), 2);
    // One line more in the chunk than its manifest says: generation 2 fails validation.
    let chunk = dir.path().join("gen-2/decisions-000001.jsonl");
    let mut text = std::fs::read_to_string(&chunk).unwrap();
    text.push_str(&serde_json::to_string(&invented()[2]).unwrap());
    std::fs::write(&chunk, text).unwrap();
    let e = Engine::open(dir.path()).unwrap();
    assert_eq!(e.generation(), 1);
    assert_eq!(e.search(&req("")).unwrap().total, 5);
}

#[test]
fn an_index_without_any_date_or_fine_still_searches_and_sorts() {
    let dir = tempfile::tempdir().unwrap();
    let bare: Vec<Record> = invented().into_iter().map(|r| Record { facts: Facts { date: None, fine_eur: None, ..r.facts }, ..r }).collect();
    commit(dir.path(), &bare);
    let e = Engine::open(dir.path()).unwrap();
    for sort in [SortBy::Relevance, SortBy::Date, SortBy::Fine] {
        let res = e.search(&SearchRequest { query: "consent".into(), sort, ..Default::default() }).unwrap();
        assert_eq!(res.total, 2, "{sort:?}");
        assert_eq!(res.fine_stats.count, 0);
    }
    assert_eq!(numbers(&e, "fine>=1").len(), 0);
    assert_eq!(numbers(&e, "year:2089").len(), 0);
}

#[test]
fn no_index_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Engine::open(dir.path()).err().unwrap().to_string();
    assert!(err.contains("no index"), "{err}");
}

#[test]
fn the_engine_is_shareable_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Engine>();
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Whatever the user types: a result or a user error, never a panic nor an index error
    /// (which would mean a raw tantivy failure reached the user).
    #[test]
    fn any_query_is_a_result_or_a_user_error(q in "([()\"+\\-: ]|AND|OR|NOT|article|fine|year|date|sector|>=|<|\\.\\.|[0-9]{1,6}|données|cookies|\\PC){0,40}") {
        let (_d, e) = ENGINE.with(|cell| {
            cell.get_or_init(|| {
                let (d, e) = engine();
                (std::sync::Arc::new(d), std::sync::Arc::new(e))
            })
            .clone()
        });
        match e.search(&req(&q)) {
            Ok(_) | Err(Error::InvalidQuery(_)) => {}
            Err(other) => panic!("{q:?}: {other:?}"),
        }
    }
}

thread_local! {
    /// One index for all proptest cases of a thread.
    static ENGINE: std::cell::OnceCell<(std::sync::Arc<tempfile::TempDir>, std::sync::Arc<Engine>)> = const { std::cell::OnceCell::new() };
}

#[test]
fn cached_clauses_and_responses_answer_as_a_first_run_does() {
    let (_dir, e) = engine();
    let queries = [
        "sécurité données",
        "\"données de santé\"",
        "consent advertising",
        "security AND data",
        "(cookies OR trackers) -consent",
        "amende sector:\"Health Care\"",
        "données year:2090",
        "SAN-2090-014",
        "examplecorp",
        "",
    ];
    for q in queries {
        for sort in [SortBy::Relevance, SortBy::Date, SortBy::Fine] {
            let r = SearchRequest { query: q.into(), sort, limit: 2, ..Default::default() };
            e.clear_caches();
            let first = e.answer(&r).unwrap();
            // The words and phrases now come from the clause cache, then the whole response
            // from the response cache.
            assert_eq!(e.answer(&r).unwrap(), first, "{q} {sort:?}");
            assert_eq!(e.search(&r).unwrap(), first, "{q} {sort:?}");
            assert_eq!(e.search(&r).unwrap(), first, "{q} {sort:?}");
            // The next page through the cached clauses is the page a fresh engine gives.
            if let Some(cursor) = first.next_cursor.clone() {
                let next = SearchRequest { cursor: Some(cursor), ..r.clone() };
                let warm = e.answer(&next).unwrap();
                e.clear_caches();
                assert_eq!(e.answer(&next).unwrap(), warm, "{q} {sort:?} page 2");
            }
        }
    }
}
