//! GDPRhub decision pages (MediaWiki HTML), parsed with scraper. The infobox is kept as the
//! page's claims; the record's text is the machine translation in the `<pre>` block of the
//! "English Machine Translation of the Decision" section, or the English summary when the
//! page has no translation.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};
use serde_json::{json, Value};

use super::{cnil_text_record, normalize_number, number_in_head, TextBuilder, LEGIFRANCE_ID_RE};
use super::nesting::check_html_nesting;
use crate::record::{Claims, Disagreement, Fact, Facts, Record, Source};

pub(super) const PROVENANCE: &str = "gdprhub infobox";

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

static INFOBOX: LazyLock<Selector> = LazyLock::new(|| selector("table.wikitable"));
static ROW: LazyLock<Selector> = LazyLock::new(|| selector("tr"));
static CELL: LazyLock<Selector> = LazyLock::new(|| selector("td"));
static LINK: LazyLock<Selector> = LazyLock::new(|| selector("a"));
static HEADING: LazyLock<Selector> = LazyLock::new(|| selector("h1#firstHeading, title"));
static HEADLINE: LazyLock<Selector> = LazyLock::new(|| selector("span.mw-headline"));
static CONTENT: LazyLock<Selector> = LazyLock::new(|| selector("div.mw-parser-output"));

pub(super) fn parse(html: &str, source: Source) -> Result<Record, String> {
    check_html_nesting(html)?;
    let doc = Html::parse_document(html);
    let infobox = doc.select(&INFOBOX).next().ok_or("html page has no GDPRhub infobox (table.wikitable)")?;
    let rows = infobox_rows(infobox);
    let value = |label: &str| rows.get(label).map(|(text, _)| text.as_str()).filter(|v| !is_blank(v));

    let content = doc.select(&CONTENT).next().ok_or("html page has no article body (div.mw-parser-output)")?;
    let summary = section_text(content, "English_Summary", false);
    let translation = section_text(content, "English_Machine_Translation_of_the_Decision", true);
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
        .or_else(|| doc.select(&HEADING).next().map(|h| squash(&h.text().collect::<String>()).trim_end_matches(" - GDPRhub").to_string()))
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

/// Infobox rows `label:` → (value text, link targets or, for "Relevant Law", link texts).
fn infobox_rows(infobox: ElementRef<'_>) -> BTreeMap<String, (String, Vec<String>)> {
    let mut rows = BTreeMap::new();
    for row in infobox.select(&ROW) {
        let cells: Vec<ElementRef<'_>> = row.select(&CELL).collect();
        let [label, value] = cells.as_slice() else { continue };
        let label = squash(&label.text().collect::<String>());
        let Some(label) = label.strip_suffix(':') else { continue };
        let links: Vec<String> = if label == "Relevant Law" {
            value.select(&LINK).map(|a| squash(&a.text().collect::<String>())).collect()
        } else {
            value.select(&LINK).filter_map(|a| a.value().attr("href").map(String::from)).collect()
        };
        rows.insert(label.to_string(), (squash(&value.text().collect::<String>()), links));
    }
    rows
}

/// Text of the section under the `<h2>` whose headline has `id`, up to the next `<h2>`.
/// `pre_only` keeps only `<pre>` blocks (the translation section also holds a disclaimer).
fn section_text(content: ElementRef<'_>, id: &str, pre_only: bool) -> (String, Vec<crate::record::Span>) {
    let mut out = TextBuilder::default();
    let mut inside = false;
    for child in content.children().filter_map(ElementRef::wrap) {
        let name = child.value().name();
        if name == "h2" {
            inside = child.select(&HEADLINE).any(|s| s.value().id() == Some(id));
            continue;
        }
        if !inside {
            continue;
        }
        match name {
            "pre" => out.push_plain(&child.text().collect::<String>()),
            _ if pre_only => {}
            "h3" | "h4" | "p" | "ul" | "ol" | "blockquote" => {
                for line in child.text().collect::<String>().split('\n') {
                    out.push(line);
                    out.push(" ");
                }
                out.end_paragraph();
            }
            _ => {}
        }
    }
    out.finish()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
