//! Which decision a reading is: its keys (number, Légifrance id, page name) and the id of a
//! decision. An id never depends on the wording of a text: a decision without a published
//! number is named by its authority, date and respondent or title.

use super::decision::Reading;
use super::{Facts, Record};

/// Longest slug part of an id built from a date and a name.
const MAX_SLUG_CHARS: usize = 60;

/// The names a reading gives its decision, as aliases: its number, its Légifrance id and the
/// page name of a GDPRhub page.
pub fn keys(r: &Record) -> Vec<String> {
    let mut keys: Vec<String> = r.facts.number.iter().chain(&r.legifrance_id).cloned().collect();
    if r.source.format.is_gdprhub() {
        let name = super::decision::file_name(&r.source.path);
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        if !stem.is_empty() {
            keys.push(stem.to_string());
        }
    }
    keys
}

/// `cnil-<number>`; else the Légifrance id; else `cnil-<date>-<respondent or title>`; else
/// the first source's file name.
pub fn decision_id(authority: &str, facts: &Facts, legifrance_id: Option<&str>, title: Option<&str>, readings: &[Reading]) -> String {
    let authority = authority.to_lowercase();
    if let Some(n) = &facts.number {
        return format!("{authority}-{n}");
    }
    if let Some(id) = legifrance_id {
        return id.to_string();
    }
    let name = facts.respondent.as_deref().or(title).map(slug).filter(|s| !s.is_empty());
    match (facts.date, name) {
        (Some(date), Some(name)) => format!("{authority}-{date}-{name}"),
        (Some(date), None) => format!("{authority}-{date}"),
        (None, name) => {
            let source = readings.first().map(|r| slug(super::decision::file_name(&r.record.source.path)));
            format!("{authority}-{}", name.or(source).unwrap_or_default())
        }
    }
}

/// Lower-case ASCII words joined by `-`: `Société Exemple (not named)` → `societe-exemple-not-named`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= MAX_SLUG_CHARS {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The ASCII letters of a Latin letter with diacritics (`é` → `e`, `œ` → `oe`).
fn fold(c: char) -> impl Iterator<Item = char> {
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'Î' | 'Ï' => "i",
        'ô' | 'ö' | 'Ô' | 'Ö' => "o",
        'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => "u",
        'ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        _ => "",
    };
    let single = s.is_empty().then_some(c);
    single.into_iter().chain(s.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_do_not_depend_on_the_text() {
        let facts = Facts {
            date: chrono::NaiveDate::from_ymd_opt(2021, 1, 27),
            respondent: Some("Online retailer (controller, not named)".into()),
            ..Facts::default()
        };
        assert_eq!(decision_id("CNIL", &facts, None, None, &[]), "cnil-2021-01-27-online-retailer-controller-not-named");
        let numbered = Facts { number: Some("SAN-2020-014".into()), ..facts.clone() };
        assert_eq!(decision_id("CNIL", &numbered, Some("CNILTEXT000042675720"), None, &[]), "cnil-SAN-2020-014");
        assert_eq!(decision_id("CNIL", &Facts::default(), Some("CNILTEXT000042675720"), None, &[]), "CNILTEXT000042675720");
        assert_eq!(slug("Société Œuvre — « École »"), "societe-oeuvre-ecole");
    }
}
