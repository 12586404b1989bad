//! What a CNIL text says of itself when its source says little: the id rule, the nature its
//! number implies, its language, Légifrance ids.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Facts, Record, Source, Span};

/// A CNIL decision known from its text alone (a GDPRhub translation, a plain-text copy): the id
/// rule, the nature its number implies and the language of its text. Callers add what their
/// source says besides.
pub(crate) fn cnil_text_record(
    number: Option<String>,
    legifrance_id: Option<String>,
    text: String,
    paragraphs: Vec<Span>,
    source: Source,
) -> Record {
    Record {
        id: Record::derive_id("CNIL", legifrance_id.as_deref(), number.as_deref(), &source.sha256),
        facts: Facts {
            nature: number.as_deref().and_then(nature_from_number).map(String::from),
            number,
            ..Facts::default()
        },
        language: crate::extract::detect_language(&text),
        legifrance_id,
        authority: "CNIL".into(),
        text,
        paragraphs,
        source,
        ..Record::default()
    }
}

/// The nature a number's prefix implies, for sources that do not state it.
fn nature_from_number(number: &str) -> Option<&'static str> {
    match number.split('-').next()? {
        "SAN" => Some("Sanction"),
        "MED" | "MEDP" => Some("Mise en demeure"),
        "DR" => Some("Autorisation de recherche"),
        "DT" => Some("Autre autorisation"),
        _ => None,
    }
}

pub(crate) static LEGIFRANCE_ID_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bCNILTEXT\d{12}\b").expect("valid regex"));
