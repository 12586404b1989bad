//! Markdown records (docs/markdown-records.md): YAML front matter between two `---` lines,
//! holding the facts, then a Markdown body read with pulldown-cmark.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::keys::field_names;
use super::{normalize_number, TextBuilder, LEGIFRANCE_ID_RE};
use crate::record::{Claims, Facts, Language, Record, Source, parse_sector};

pub(super) const PROVENANCE: &str = "markdown front matter";
/// Front matter is a few dozen lines; anything longer is not a record.
const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// The front matter: the record's facts, and what it says besides them.
#[derive(Debug, Serialize, Deserialize)]
struct FrontMatter {
    #[serde(flatten)]
    about: About,
    #[serde(flatten)]
    facts: Facts,
}

/// What the front matter says besides the facts.
#[derive(Debug, Serialize, Deserialize)]
struct About {
    #[serde(default)]
    legifrance_id: Option<String>,
    #[serde(default)]
    legifrance_url: Option<String>,
    authority: String,
    #[serde(default)]
    published: Option<NaiveDate>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    notes: Option<String>,
}

impl FrontMatter {
    /// Reads the YAML, refusing an unknown key with its name (a typo must not drop a fact) and
    /// a record without its nature or date.
    fn read(yaml: &str) -> Result<FrontMatter, String> {
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| format!("front matter: {e}"))?;
        if let serde_yaml::Value::Mapping(keys) = &value {
            let known = || field_names::<About>().iter().chain(field_names::<Facts>());
            for key in keys.keys() {
                let name = key.as_str().map_or_else(|| format!("{key:?}"), str::to_string);
                if !known().any(|k| *k == name) {
                    let known: Vec<&str> = known().copied().collect();
                    return Err(format!("front matter: unknown field `{name}`, expected one of {}", known.join(", ")));
                }
            }
        }
        let fm: FrontMatter = serde_yaml::from_value(value).map_err(|e| format!("front matter: {e}"))?;
        for (given, name) in [(fm.facts.nature.is_some(), "nature"), (fm.facts.date.is_some(), "date")] {
            if !given {
                return Err(format!("front matter: missing field `{name}`"));
            }
        }
        Ok(fm)
    }

    /// The front matter as the source's claims: its keys with a value. An empty `fines` stays,
    /// as the claims of curated records have always listed it.
    fn claims(&self) -> Claims {
        let mut facts: BTreeMap<String, serde_json::Value> = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
            _ => BTreeMap::new(),
        };
        facts.entry("fines".into()).or_insert_with(|| serde_json::json!([]));
        Claims { provenance: PROVENANCE.into(), facts }
    }
}

/// Parses one Markdown record. `source.path` only names the file in messages.
pub fn parse(input: &str, source: Source) -> Result<Record, String> {
    let (yaml, body) = split_front_matter(input)?;
    let fm = FrontMatter::read(yaml)?;
    let claims = fm.claims();
    let FrontMatter { about, facts } = fm;
    let number = match &facts.number {
        Some(raw) => Some(normalize_number(raw).ok_or_else(|| format!("front matter: number {raw:?} is not a CNIL decision number"))?),
        None => None,
    };
    if let Some(id) = about.legifrance_id.as_deref().filter(|id| !LEGIFRANCE_ID_RE.is_match(id) || id.len() != 20) {
        return Err(format!("front matter: legifrance_id {id:?} is not CNILTEXT + 12 digits"));
    }
    let sector = match facts.sector.as_deref() {
        Some(raw) => Some(parse_sector(raw).ok_or_else(|| format!("front matter: sector {raw:?} is not in the CMS Enforcement Tracker taxonomy"))?),
        None => None,
    };
    if let Some(bad) = facts.breached.iter().find(|b| !is_provision(b)) {
        return Err(format!("front matter: breached {bad:?} is not GDPR:N, LIL:N or CPCE:L…"));
    }
    if facts.fines.len() > 1 && facts.fine_eur != Some(facts.fines.iter().map(|f| f.eur).sum()) {
        return Err("front matter: fine_eur is not the sum of fines".into());
    }

    let body = Body::read(body);
    if body.text.is_empty() {
        return Err("the body holds no text".into());
    }
    Ok(Record {
        id: Record::derive_id(&about.authority, about.legifrance_id.as_deref(), number.as_deref(), &source.sha256),
        facts: Facts { number, sector: sector.map(str::to_string), ..facts }.with_sorted_lists(),
        legifrance_id: about.legifrance_id,
        authority: about.authority,
        published: about.published,
        title: about.title,
        language: Language::En,
        text: body.text,
        paragraphs: body.paragraphs,
        source,
        summary: body.english,
        summary_fr: body.french,
        claims: Some(claims),
        notes: about.notes,
        sources: about.sources,
        ..Record::default()
    })
}

fn is_provision(p: &str) -> bool {
    p.parse::<crate::record::Provision>().is_ok()
}

fn split_front_matter(input: &str) -> Result<(&str, &str), String> {
    let rest = input
        .strip_prefix("---\n")
        .or_else(|| input.strip_prefix("---\r\n"))
        .ok_or("no front matter (the file must start with a '---' line)")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
        if offset > MAX_FRONT_MATTER_BYTES {
            break;
        }
    }
    Err(format!("front matter not closed by a '---' line within {} KiB", MAX_FRONT_MATTER_BYTES >> 10))
}

/// The body as plain text (one paragraph per block), and its `## English` and `## Français`
/// sections: the decision's summaries.
struct Body {
    text: String,
    paragraphs: Vec<crate::record::Span>,
    english: Option<String>,
    french: Option<String>,
}

impl Body {
    fn read(markdown: &str) -> Body {
        let mut all = TextBuilder::default();
        let mut english = TextBuilder::default();
        let mut french = TextBuilder::default();
        let mut heading: Option<String> = None;
        let mut section = String::new();
        for event in Parser::new(markdown) {
            match event {
                Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => heading = Some(String::new()),
                Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                    section = heading.take().unwrap_or_default().trim().to_string();
                    all.push(&section);
                    all.end_paragraph();
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = heading.as_mut() {
                        h.push_str(&t);
                    } else {
                        all.push(&t);
                        match section.as_str() {
                            "English" => english.push(&t),
                            "Français" => french.push(&t),
                            _ => {}
                        }
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    all.push(" ");
                    english.push(" ");
                    french.push(" ");
                }
                Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::CodeBlock) => {
                    all.end_paragraph();
                    english.end_paragraph();
                    french.end_paragraph();
                }
                _ => {}
            }
        }
        let (text, paragraphs) = all.finish();
        let some = |b: TextBuilder| Some(b.finish().0).filter(|s| !s.is_empty());
        Body { text, paragraphs, english: some(english), french: some(french) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Measure;

    // Invented record (not a real decision).
    const INVENTED: &str = "---
number: SAN-2099-007
legifrance_id: CNILTEXT000099999907
authority: CNIL
nature: Sanction
date: 2099-05-06
respondent: Société Exemple
respondent_kind: company
sector: Real Estate
fine_eur: 1500
breached: [GDPR:5, GDPR:32, GDPR:5]
measures: [publication, fine]
public: true
---

## English

An invented company kept *passwords* in clear text.
It was fined.

## Français

Une société inventée conservait des mots de passe en clair.
";

    fn source() -> Source {
        Source { format: crate::record::SourceFormat::Markdown, path: "x.md".into(), sha256: "a".repeat(64) }
    }

    #[test]
    fn invented_record() {
        let r = parse(INVENTED, source()).unwrap();
        assert_eq!(r.id, "CNILTEXT000099999907");
        assert_eq!(r.facts.fine_eur, Some(1500));
        assert_eq!(r.facts.breached, ["GDPR:32", "GDPR:5"]);
        assert_eq!(r.facts.measures, [Measure::Fine, Measure::Publication]);
        assert_eq!(r.summary.as_deref(), Some("An invented company kept passwords in clear text. It was fined."));
        assert_eq!(r.summary_fr.as_deref(), Some("Une société inventée conservait des mots de passe en clair."));
        assert!(r.text.starts_with("English\n\nAn invented company"));
        assert!(r.text.ends_with("Français\n\nUne société inventée conservait des mots de passe en clair."));
        assert_eq!(r.paragraphs.len(), 4);
        assert_eq!(r.claims.unwrap().facts["sector"], "Real Estate");
    }

    #[test]
    fn bad_front_matter_is_named() {
        let typo = INVENTED.replace("fine_eur:", "fine_euro:");
        assert!(parse(&typo, source()).unwrap_err().contains("unknown field `fine_euro`"));
        let sector = INVENTED.replace("Real Estate", "Real estate");
        assert!(parse(&sector, source()).unwrap_err().contains("sector"));
        let unclosed = INVENTED.replacen("---\n\n##", "\n\n##", 1);
        assert!(parse(&unclosed, source()).unwrap_err().contains("not closed"));
        assert!(parse("# just markdown", source()).unwrap_err().contains("no front matter"));
        let no_date = INVENTED.replace("date: 2099-05-06\n", "");
        assert!(parse(&no_date, source()).unwrap_err().contains("missing field `date`"));
    }
}
