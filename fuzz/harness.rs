//! What each fuzz target checks on one input. Shared by the fuzz targets (`fuzz_targets/`)
//! and by `tests/it/reliability_fuzz_regressions.rs`, which replays every kept input, so that
//! a crash found once stays a failing test until its cause is fixed.

// Each fuzz target uses one check; the regression test uses them all.
#![allow(dead_code)]

use std::sync::OnceLock;

use recueil::record::{Facts, Language, Provision, Record, Span, SourceFormat};
use recueil::search::{Engine, SearchRequest, SortBy};
use recueil::Error;

fn check_span(text: &str, span: &Span, what: &str) {
    assert!(span.start <= span.end && span.end <= text.len(), "{what} span {span:?} out of bounds ({} bytes)", text.len());
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{what} span {span:?} not on char boundaries");
}

/// The invariants every record must keep, whatever its source: spans inside the text on
/// char boundaries (the web page and the API slice the text with them), totals that add up,
/// provisions normalised, sorted and unique.
pub fn check_record(record: &Record) {
    let text = record.text.as_str();
    for span in &record.paragraphs {
        check_span(text, span, "paragraph");
    }
    for section in &record.outline {
        check_span(text, &section.span, "outline");
    }
    for (fact, spans) in &record.evidence {
        for span in spans {
            check_span(text, span, fact.evidence_key());
        }
    }
    if record.facts.fines.len() > 1 {
        let sum = record.facts.fines.iter().try_fold(0u64, |acc, f| acc.checked_add(f.eur));
        assert_eq!(record.facts.fine_eur, sum, "fine_eur is not the sum of the per-respondent fines");
    }
    assert!(record.facts.breached.windows(2).all(|w| w[0] < w[1]), "breached is not sorted and unique: {:?}", record.facts.breached);
    assert!(record.facts.breached.iter().all(|p| p.parse::<Provision>().is_ok()), "breached holds a provision not normalised: {:?}", record.facts.breached);
    if let Some(sector) = &record.facts.sector {
        assert!(recueil::record::SECTORS.contains(&sector.as_str()), "sector {sector:?} is not of the taxonomy");
    }
}

/// One source through detection and its adapter, as `recueil ingest` reads a file: either
/// a record that keeps its invariants, or a one-line rejection.
fn ingest_one(name: &str, format: SourceFormat, data: &[u8]) {
    match recueil::ingest::read_bytes(name, data) {
        Ok(record) => {
            assert!(!record.id.is_empty(), "record without an id");
            assert_eq!(record.source.format, format);
            check_record(&record);
        }
        Err(reason) => {
            assert!(!reason.is_empty() && !reason.contains('\n'), "rejection is not one line: {reason:?}");
            assert!(reason.len() <= 1000, "rejection of {} bytes", reason.len());
        }
    }
}

/// DILA XML (`TEXTE_CNIL`).
pub fn dila_xml(data: &[u8]) {
    ingest_one("fuzz.xml", SourceFormat::DilaXml, data);
}

/// GDPRhub HTML pages.
pub fn gdprhub_html(data: &[u8]) {
    ingest_one("fuzz.html", SourceFormat::GdprhubHtml, data);
}

/// GDPRhub pages' wikitext (`{{DPAdecisionBOX}}` and sections).
pub fn gdprhub_wikitext(data: &[u8]) {
    ingest_one("fuzz.wiki", SourceFormat::GdprhubWikitext, data);
}

/// Markdown records (YAML front matter and body).
pub fn markdown(data: &[u8]) {
    ingest_one("fuzz.md", SourceFormat::Markdown, data);
}

/// A plain-text source (`.txt`) through ingest.
pub fn extract_text_source(data: &[u8]) {
    ingest_one("fuzz.txt", SourceFormat::Text, data);
}

/// Plain-text extraction (amounts, dates, provisions, outline) through `extract::fill`: the
/// evidence spans it returns must lie in the text.
pub fn extract_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut record = Record { text: text.to_string(), ..Record::default() };
    recueil::extract::fill(&mut record);
    check_record(&record);
    let _ = recueil::extract::detect_language(text);
}

/// Invented records for the query target's index and the index tests.
pub fn invented_records(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let mut breached = vec!["GDPR:32".to_string(), format!("GDPR:{}", 5 + i % 30)];
            breached.sort();
            breached.dedup();
            Record {
                id: format!("cnil-SAN-2099-{i:03}"),
                facts: Facts {
                    number: Some(format!("SAN-2099-{i:03}")),
                    nature: Some("Sanction".into()),
                    date: chrono::NaiveDate::from_ymd_opt(2000 + (i % 25) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32),
                    respondent: Some(format!("Société {i}")),
                    sector: Some(recueil::record::SECTORS[i % recueil::record::SECTORS.len()].to_string()),
                    fine_eur: Some(1000 * (i as u64 + 1)),
                    breached,
                    ..Default::default()
                },
                authority: "CNIL".into(),
                title: Some(format!("Délibération SAN-2099-{i:03} (inventée)")),
                language: if i % 3 == 0 { Language::En } else { Language::Fr },
                text: format!(
                    "La société numéro {i} n'assurait pas la sécurité des données de ses clients.\n\n\
                     Les mots de passe étaient conservés en clair ; la durée de conservation était excessive.\n\n\
                     La formation restreinte prononce une amende de {} euros.",
                    1000 * (i + 1)
                ),
                ..Record::default()
            }
        })
        .collect()
}

/// The invented records, each the only reading of its decision.
pub fn invented_decisions(n: usize) -> Vec<recueil::record::Decision> {
    let now = chrono::Utc::now();
    invented_records(n)
        .into_iter()
        .map(|r| recueil::record::reconcile(vec![recueil::record::Reading::of(r)], None, now))
        .collect()
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            recueil::index::store::Store::open(dir.path())
                .and_then(|s| s.rebuild(invented_decisions(40).into_iter().map(Ok)))
                .expect("commit invented records");
            let engine = Engine::open(dir.path()).expect("open engine");
            (dir, engine)
        })
        .1
}

/// The query language: the parser and a whole search answer a result or a client error
/// (400), never a panic or another error. The first byte picks the sort.
pub fn query(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(q) = std::str::from_utf8(rest) else { return };
    match recueil::search::query::parse(q) {
        Ok(_) | Err(Error::InvalidQuery(_)) => {}
        Err(e) => panic!("parse({q:?}) gave {e:?}, not an invalid query"),
    }
    let sort = [SortBy::Relevance, SortBy::Date, SortBy::Fine][first as usize % 3];
    let req = SearchRequest { query: q.to_string(), sort, limit: 10, snippets: true, ..SearchRequest::default() };
    match engine().search(&req) {
        Ok(res) => assert!(res.hits.len() <= 10 && res.total >= res.hits.len()),
        Err(Error::InvalidQuery(_) | Error::InvalidParameter { .. }) => {}
        Err(e) => panic!("search({q:?}) gave {e:?}, not a 400"),
    }
}
