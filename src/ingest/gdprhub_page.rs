//! A GDPRhub decision page, whatever its markup: the infobox's rows by label, the English
//! summary, the machine translation and the page's heading; and the record read from them. The
//! infobox is kept as the page's claims; the record's text is the translation, or the summary
//! when the page has no translation.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::{cnil_text_record, normalize_number, number_in_head, LEGIFRANCE_ID_RE};
use crate::record::{Claims, Disagreement, Fact, Facts, Record, Source, Span};

pub(super) const PROVENANCE: &str = "gdprhub infobox";

/// A text with its paragraphs, as [`super::TextBuilder`] returns it.
pub(super) type Text = (String, Vec<Span>);

pub(super) struct Page {
    /// Infobox rows by the label the rendered page shows (`Decided`, `Fine`, `National Case
    /// Number/Name`…) → (value text, link targets or, for `Relevant Law`, link texts).
    pub(super) infobox: BTreeMap<String, (String, Vec<String>)>,
    pub(super) summary: Text,
    pub(super) translation: Text,
    /// The page's own name, when no heading line of the decision names it better.
    pub(super) heading: Option<String>,
}

impl Page {
    pub(super) fn record(self, source: Source) -> Result<Record, String> {
        let Page { infobox: rows, summary, translation, heading } = self;
        let value = |label: &str| rows.get(label).map(|(text, _)| text.as_str()).filter(|v| !is_blank(v));
        // Some pages carry a placeholder ("," or nothing) where the translation should be.
        let translated = translation.0.chars().filter(|c| c.is_alphabetic()).take(40).count() == 40;
        let body = if translated { &translation } else { &summary };
        let (text, paragraphs) = body.clone();
        if text.is_empty() {
            return Err("page has neither a machine translation nor an English summary".into());
        }

        let legifrance_id = rows
            .get("Original Source")
            .and_then(|(_, hrefs)| hrefs.iter().find_map(|h| LEGIFRANCE_ID_RE.find(h)))
            .map(|m| m.as_str().to_string());
        let claimed_number = value("National Case Number/Name").and_then(normalize_number);
        // GDPRhub pages are at times filed under the wrong number; the decision's own heading wins.
        let text_number = translated.then(|| number_in_head(&translation.0)).flatten();
        let number = text_number.clone().or_else(|| claimed_number.clone());
        let decided = value("Decided").and_then(parse_date);

        let mut facts = BTreeMap::new();
        for (label, (text, _)) in &rows {
            if !is_blank(text) {
                facts.insert(fact_name(label), Value::String(text.clone()));
            }
        }
        if let Some((_, links)) = rows.get("Relevant Law") {
            let laws: Vec<Value> = links.iter().map(|l| Value::String(l.clone())).collect();
            facts.insert("relevant_law".into(), Value::Array(laws));
        }
        if let Some(n) = &claimed_number {
            facts.insert(Fact::Number.claim_key().into(), json!(n));
        }
        if let Some(fine) = value("Fine").and_then(parse_fine) {
            facts.insert(Fact::Fine.claim_key().into(), json!(fine));
        }
        if let Some(id) = &legifrance_id {
            facts.insert("legifrance_id".into(), json!(id));
        }
        let mut disagreements = Vec::new();
        if let (Some(t), Some(c)) = (&text_number, &claimed_number) {
            if t != c {
                disagreements.push(Disagreement {
                    field: "number".into(),
                    text_value: json!(t),
                    claimed_value: json!(c),
                    provenance: PROVENANCE.into(),
                });
            }
        }

        // The decision's own heading line, when the translation opens with one; else the page's.
        let heading_line = translation.1.iter().take(3).map(|s| &translation.0[s.start..s.end]).find(|p| number_in_head(p).is_some());
        let title = heading_line
            .map(|p| p.chars().take(300).collect::<String>())
            .or(heading)
            .filter(|t| !t.is_empty());
        let base = cnil_text_record(number, legifrance_id, text, paragraphs, source);
        Ok(Record {
            facts: Facts { date: decided, ..base.facts },
            published: value("Published").and_then(parse_date),
            title,
            summary: (!summary.0.is_empty()).then(|| summary.0.clone()),
            claims: Some(Claims { provenance: PROVENANCE.into(), facts }),
            disagreements,
            ..base
        })
    }
}

fn is_blank(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "" | "n/a" | "none" | "unknown")
}

/// `Relevant Law` → `relevant_law`.
fn fact_name(label: &str) -> String {
    let name: String = label.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    name.split('_').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("_")
}

/// `12.11.2019`, and the two-digit year `20.07.23` some pages use.
fn parse_date(v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    NaiveDate::parse_from_str(v, "%d.%m.%Y")
        .ok()
        .filter(|d| chrono::Datelike::year(d) >= 1978)
        .or_else(|| NaiveDate::parse_from_str(v, "%d.%m.%y").ok())
}

/// `50,000,000 EUR`, `250.000 EUR`, `2250000 EUR`, `300,000` → euros; `None` and `n/a` → none.
fn parse_fine(v: &str) -> Option<u64> {
    let amount = v.split_whitespace().next()?;
    let digits: String = amount.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || amount.chars().any(|c| !(c.is_ascii_digit() || c == ',' || c == '.')) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fines_and_dates() {
        assert_eq!(parse_fine("50,000,000 EUR"), Some(50_000_000));
        assert_eq!(parse_fine("250.000 EUR"), Some(250_000));
        assert_eq!(parse_fine("2250000 EUR"), Some(2_250_000));
        assert_eq!(parse_fine("None"), None);
        assert_eq!(parse_date("12.11.2019"), NaiveDate::from_ymd_opt(2019, 11, 12));
        assert_eq!(parse_date("20.07.23"), NaiveDate::from_ymd_opt(2023, 7, 20));
        assert_eq!(parse_date(""), None);
        assert_eq!(fact_name("National Case Number/Name"), "national_case_number_name");
    }
}
