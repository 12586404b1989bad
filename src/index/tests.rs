use std::path::Path;

use crate::record::{reconcile, Decision, Facts, Language, Measure, Reading, Record, Source, SourceFormat};
use crate::Result;

use super::*;

fn source(format: SourceFormat, path: &str) -> Source {
    Source { format, path: path.into(), sha256: "0".repeat(64) }
}

/// Invented decisions: one read from a French original and its English translation, one
/// from an English text.
pub(crate) fn invented() -> Vec<Decision> {
    let original = Record {
        facts: Facts {
            number: Some("SAN-2099-001".into()),
            nature: Some("Sanction".into()),
            date: chrono::NaiveDate::from_ymd_opt(2099, 3, 1),
            breached: vec!["GDPR:32".into(), "GDPR:33".into()],
            measures: vec![Measure::Fine],
            fine_eur: Some(10_000),
            sector: Some("Health Care".into()),
            ..Default::default()
        },
        title: Some("Délibération SAN-2099-001 du 1er mars 2099 (inventée)".into()),
        language: Language::Fr,
        text: "La sécurité des données de santé n'était pas assurée.\n\nUne amende est prononcée.".into(),
        source: source(SourceFormat::DilaXml, "a.xml"),
        ..Default::default()
    };
    let translation = Record {
        facts: Facts {
            number: Some("SAN-2099-001".into()),
            ..Default::default()
        },
        language: Language::En,
        text: "The security of health data was not ensured (invented).".into(),
        source: source(SourceFormat::GdprhubHtml, "a.html"),
        ..Default::default()
    };
    let other = Record {
        facts: Facts {
            number: Some("SAN-2098-002".into()),
            ..Default::default()
        },
        language: Language::En,
        text: "Cookies were placed without consent (invented).".into(),
        source: source(SourceFormat::Text, "b.txt"),
        ..Default::default()
    };
    let now = chrono::Utc::now();
    vec![
        reconcile(vec![Reading::of(original), Reading::of(translation)], None, now),
        reconcile(vec![Reading::of(other)], None, now),
    ]
}

fn build(decisions: &[Decision], dir: &Path) -> Result<()> {
    let mut writer = Writer::create(dir)?;
    for (seq, d) in decisions.iter().enumerate() {
        writer.add(d, seq as u64, Location::default())?;
    }
    writer.finish()
}

#[test]
fn each_text_is_analysed_in_its_language() {
    let (_, fields) = Fields::schema();
    let d = &invented()[0];
    let doc = fields.document(d, 0, Location::default()).unwrap();
    let texts = |field| doc.get_all(field).filter_map(|v| tantivy::schema::Value::as_str(&v).map(String::from)).collect::<Vec<_>>();
    assert!(texts(fields.text_fr)[0].starts_with("La sécurité"));
    assert!(texts(fields.text_en)[0].starts_with("The security"));
    assert_eq!(texts(fields.title_fr).len(), 1, "a French title goes to the French field");
    let tables: Vec<u8> = doc.get_all(fields.paragraphs_en).filter_map(|v| tantivy::schema::Value::as_bytes(&v).map(|b| b[0])).collect();
    assert_eq!(tables, [PassageSource::Text as u8]);
}

#[test]
fn build_then_validate() {
    let dir = tempfile::tempdir().unwrap();
    build(&invented(), dir.path()).unwrap();
    validate(dir.path(), 2).unwrap();
    let err = validate(dir.path(), 3).unwrap_err().to_string();
    assert!(err.contains("holds 2 documents, expected 3"), "{err}");
}

#[test]
fn build_refuses_a_non_empty_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x"), "x").unwrap();
    assert!(build(&invented(), dir.path()).unwrap_err().to_string().contains("not empty"));
}

#[test]
fn validate_reports_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    build(&invented(), dir.path()).unwrap();
    let victim = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a doc store file");
    let mut bytes = std::fs::read(&victim).unwrap();
    bytes[0] ^= 0xff;
    bytes[1] ^= 0xff;
    std::fs::write(&victim, bytes).unwrap();
    let err = validate(dir.path(), 2).unwrap_err().to_string();
    assert!(err.contains("damaged"), "{err}");
}
