//! Readings → one decision. The facts shown are chosen by trust: a curated record (a person
//! checked it) > the original text > a translation > a source's structured claim; every other
//! value a source gives is kept as a disagreement. The result depends on the set of readings
//! only, never on the order they arrived in.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::decision::{
    AttributedSummary, Basis, Decision, FactDisagreement, Provenance, Reading, Role, SourcedValue, Summaries, TextInfo,
};
use super::{Fact, Facts};
use super::identity;
use super::{Language, Record};

/// The decision made of `readings`; `added` is kept from an earlier version of it.
pub fn reconcile(mut readings: Vec<Reading>, added: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Decision {
    readings.sort_by(|a, b| {
        (a.role, a.record.source.format as u8, super::decision::file_name(&a.record.source.path), &a.record.source.sha256).cmp(&(
            b.role,
            b.record.source.format as u8,
            super::decision::file_name(&b.record.source.path),
            &b.record.source.sha256,
        ))
    });
    let mut chosen = serde_json::Map::new();
    let mut provenance = BTreeMap::new();
    let mut disagreements = Vec::new();
    for fact in Fact::ALL {
        let candidates = candidates(&readings, fact);
        let Some(first) = candidates.first() else { continue };
        let reading = &readings[first.provenance.reading].record;
        match fact {
            Fact::Fine => {
                chosen.insert("fine_eur".into(), first.value.clone());
                chosen.insert("fines".into(), serde_json::to_value(&reading.facts.fines).unwrap_or(Value::Null));
            }
            _ => {
                chosen.insert(field_name(fact).into(), first.value.clone());
            }
        }
        provenance.insert(fact, first.provenance.clone());
        let mut distinct: Vec<SourcedValue> = Vec::new();
        for c in candidates {
            if !distinct.iter().any(|d| d.value == c.value) {
                distinct.push(c);
            }
        }
        if distinct.len() > 1 {
            disagreements.push(FactDisagreement { fact, values: distinct });
        }
    }
    // Every value was serialised from the field's own type, or checked against it (claims).
    let facts: Facts = serde_json::from_value(Value::Object(chosen)).unwrap_or_default();

    let first_of = |pick: &dyn Fn(&Record) -> Option<String>| readings.iter().find_map(|r| pick(&r.record));
    let title = first_of(&|r| r.title.clone());
    let legifrance_id = first_of(&|r| r.legifrance_id.clone());
    let published = readings.iter().find_map(|r| r.record.published);
    let notes = first_of(&|r| r.notes.clone());
    let authority = first_of(&|r| Some(r.authority.clone()).filter(|a| !a.is_empty())).unwrap_or_else(|| "CNIL".into());

    let mut summaries = Summaries::default();
    let mut third_party_summaries = Vec::new();
    for r in &readings {
        match (r.role, r.record.source.format) {
            (Role::Curated, _) => {
                summaries.en = summaries.en.take().or_else(|| r.record.summary.clone());
                summaries.fr = summaries.fr.take().or_else(|| r.record.summary_fr.clone());
            }
            // A summary of GDPRhub's is theirs: shown with its attribution, never as ours.
            (_, format) if format.is_gdprhub() => {
                if let Some(text) = &r.record.summary {
                    third_party_summaries.push(AttributedSummary {
                        language: Language::En,
                        text: text.clone(),
                        attribution: r.attribution.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    // Without a curated summary, the passages recueil reads out of an official original stand in.
    if summaries.en.is_none() && summaries.fr.is_none() {
        if let Some(r) = readings.iter().find(|r| r.role == Role::Original && r.record.summary.is_some()) {
            match r.record.language {
                Language::Fr => summaries.fr = r.record.summary.clone(),
                Language::En => summaries.en = r.record.summary.clone(),
            }
        }
    }

    let mut texts: Vec<TextInfo> = readings
        .iter()
        .enumerate()
        .filter(|(_, r)| r.has_text())
        .map(|(i, r)| TextInfo {
            reading: i,
            language: r.record.language,
            format: r.record.source.format,
            original: r.role == Role::Original,
            machine_translation: r.machine_translation,
            attribution: r.attribution.clone(),
            chars: r.record.text.chars().count(),
        })
        .collect();
    texts.sort_by_key(|t| (!t.original, t.reading));

    let mut aliases: Vec<String> = Vec::new();
    for r in &readings {
        aliases.extend(identity::keys(&r.record));
    }
    let id = identity::decision_id(&authority, &facts, legifrance_id.as_deref(), title.as_deref(), &readings);
    aliases.retain(|a| !a.eq_ignore_ascii_case(&id));
    aliases.sort();
    aliases.dedup();

    Decision {
        id,
        authority,
        aliases,
        legifrance_id,
        title,
        published,
        facts,
        summaries,
        third_party_summaries,
        texts,
        provenance,
        disagreements,
        conflict: None,
        notes,
        added: added.unwrap_or(now),
        modified: now,
        readings,
    }
}

/// The values the readings give for `fact`, most trusted first.
fn candidates(readings: &[Reading], fact: Fact) -> Vec<SourcedValue> {
    let mut out = Vec::new();
    for (i, r) in readings.iter().enumerate() {
        let basis = match r.role {
            Role::Curated => Basis::Curated,
            Role::Original => Basis::OriginalText,
            Role::Translation => Basis::Translation,
        };
        // A translation's number and date without evidence in its text came from the page's
        // header, which is a claim.
        let from_text = r.role != Role::Translation
            || !matches!(fact, Fact::Number | Fact::Date)
            || r.record.evidence.contains_key(&fact);
        if let Some(value) = read_value(&r.record, fact) {
            let basis = if from_text { basis } else { Basis::Claim };
            out.push(sourced(value, basis, i, r));
        }
    }
    for (i, r) in readings.iter().enumerate().filter(|(_, r)| r.role != Role::Curated) {
        let claimed = r.record.claims.as_ref().and_then(|c| c.facts.get(fact.claim_key()));
        if let Some(value) = claimed.and_then(|v| claim_value(fact, v)) {
            out.push(sourced(value, Basis::Claim, i, r));
        }
    }
    out.sort_by_key(|c| c.provenance.basis);
    out
}

fn sourced(value: Value, basis: Basis, reading: usize, r: &Reading) -> SourcedValue {
    SourcedValue {
        value,
        provenance: Provenance { basis, reading, format: r.record.source.format, origin: r.record.source.path.clone() },
    }
}

/// A record's value for `fact`, `None` when it has none (an empty list, an unassigned sector).
fn read_value(r: &Record, fact: Fact) -> Option<Value> {
    let value = match fact {
        Fact::Number => serde_json::to_value(&r.facts.number),
        Fact::Date => serde_json::to_value(r.facts.date),
        Fact::Nature => serde_json::to_value(&r.facts.nature),
        Fact::Respondent => serde_json::to_value(&r.facts.respondent),
        Fact::RespondentKind => serde_json::to_value(r.facts.respondent_kind),
        Fact::Sector => serde_json::to_value(r.facts.sector.as_deref().filter(|s| *s != super::NOT_ASSIGNED)),
        Fact::Fine => serde_json::to_value(r.facts.fine_eur),
        Fact::Breached => serde_json::to_value(&r.facts.breached),
        Fact::Injunction => serde_json::to_value(r.facts.injunction),
        Fact::PenaltyPerDay => serde_json::to_value(r.facts.penalty_per_day_eur),
        Fact::Public => serde_json::to_value(r.facts.public),
        Fact::Measures => serde_json::to_value(&r.facts.measures),
        Fact::Checks => serde_json::to_value(&r.facts.checks),
    }
    .ok()?;
    match &value {
        Value::Null => None,
        Value::Array(a) if a.is_empty() => None,
        _ => Some(value),
    }
}

/// A claim as the fact's type, when it has that type (an infobox's "Fine: None" does not).
fn claim_value(fact: Fact, v: &Value) -> Option<Value> {
    let ok = match fact {
        Fact::Fine | Fact::PenaltyPerDay => v.is_u64(),
        Fact::Number | Fact::Date | Fact::Nature | Fact::Sector | Fact::Respondent => v.is_string(),
        _ => false,
    };
    ok.then(|| v.clone())
}

/// The field of [`Facts`] that holds `fact`.
fn field_name(fact: Fact) -> &'static str {
    match fact {
        Fact::PenaltyPerDay => "penalty_per_day_eur",
        Fact::Fine => "fine_eur",
        other => other.evidence_key(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Claims, Source, SourceFormat};

    fn reading(format: SourceFormat, path: &str, language: Language, edit: impl FnOnce(&mut Record)) -> Reading {
        let mut r = Record {
            authority: "CNIL".into(),
            language,
            text: "texte".into(),
            source: Source { format, path: path.into(), sha256: format!("{path:0>64}") },
            ..Record::default()
        };
        edit(&mut r);
        Reading::of(r)
    }

    /// Invented facts of an invented decision, from three sources.
    fn three() -> Vec<Reading> {
        vec![
            reading(SourceFormat::GdprhubHtml, "g/SAN-2099-001.html", Language::En, |r| {
                r.facts.number = Some("SAN-2099-001".into());
                r.facts.fine_eur = None;
                r.facts.respondent = Some("Mr. [...]".into());
                r.summary = Some("Their summary (invented).".into());
                r.claims = Some(Claims {
                    provenance: "gdprhub infobox".into(),
                    facts: [("fine_eur".to_string(), serde_json::json!(7300))].into_iter().collect(),
                });
            }),
            reading(SourceFormat::DilaXml, "d/CNILTEXT000099000001.xml", Language::Fr, |r| {
                r.facts.number = Some("SAN-2099-001".into());
                r.legifrance_id = Some("CNILTEXT000099000001".into());
                r.facts.fine_eur = Some(7000);
                r.facts.breached = vec!["GDPR:32".into()];
            }),
            reading(SourceFormat::Markdown, "c/SAN-2099-001.md", Language::En, |r| {
                r.facts.number = Some("SAN-2099-001".into());
                r.facts.fine_eur = Some(7300);
                r.facts.respondent = Some("Médecin".into());
                r.summary = Some("Our summary.".into());
                r.summary_fr = Some("Notre résumé.".into());
                r.text = "English\n\nOur summary.".into();
            }),
        ]
    }

    #[test]
    fn trust_order_and_disagreements() {
        let now = Utc::now();
        let d = reconcile(three(), None, now);
        assert_eq!(d.id, "cnil-SAN-2099-001");
        assert_eq!(d.facts.fine_eur, Some(7300));
        assert_eq!(d.provenance[&Fact::Fine].basis, Basis::Curated);
        assert_eq!(d.facts.breached, ["GDPR:32"]);
        assert_eq!(d.provenance[&Fact::Breached].basis, Basis::OriginalText);
        assert_eq!(d.facts.respondent.as_deref(), Some("Médecin"));
        let fine = d.disagreements.iter().find(|x| x.fact == Fact::Fine).expect("fines disagree");
        assert_eq!(fine.values.len(), 2, "7300 (curated, and claimed) and 7000 (original)");
        assert_eq!(d.summaries.fr.as_deref(), Some("Notre résumé."));
        assert_eq!(d.third_party_summaries.len(), 1);
        assert_eq!(d.texts.len(), 2, "the curated record holds no decision text");
        assert!(d.texts[0].original && !d.texts[1].original && d.texts[1].machine_translation);
        assert!(d.aliases.contains(&"CNILTEXT000099000001".to_string()));
    }

    #[test]
    fn order_does_not_matter() {
        let now = Utc::now();
        let a = reconcile(three(), None, now);
        let mut reversed = three();
        reversed.reverse();
        assert_eq!(reconcile(reversed, None, now), a);
    }

    #[test]
    fn a_claim_fills_a_fact_the_text_lacks() {
        let mut readings = three();
        readings.retain(|r| r.record.source.format == SourceFormat::GdprhubHtml);
        let d = reconcile(readings, None, Utc::now());
        assert_eq!(d.facts.fine_eur, Some(7300));
        assert_eq!(d.provenance[&Fact::Fine].basis, Basis::Claim);
        assert_eq!(d.summaries, Summaries::default(), "GDPRhub's summary is not ours");
    }
}
