//! What the text says compared with a source's structured claims.

use crate::record::{Disagreement, Fact, Record};

/// The facts a source's claims are compared on, by their claim key, with their value in
/// `record`.
fn compared_value(record: &Record, field: &str) -> Option<serde_json::Value> {
    let fact = Fact::ALL.into_iter().find(|f| f.claim_key() == field)?;
    Some(match fact {
        Fact::Number => serde_json::json!(record.facts.number),
        Fact::Date => serde_json::json!(record.facts.date),
        Fact::RespondentKind => serde_json::json!(record.facts.respondent_kind),
        Fact::Sector => serde_json::json!(record.facts.sector),
        Fact::Fine => serde_json::json!(record.facts.fine_eur),
        Fact::Breached => serde_json::json!(record.facts.breached),
        Fact::Injunction => serde_json::json!(record.facts.injunction),
        Fact::PenaltyPerDay => serde_json::json!(record.facts.penalty_per_day_eur),
        Fact::Public => serde_json::json!(record.facts.public),
        Fact::Nature | Fact::Respondent | Fact::Measures | Fact::Checks => return None,
    })
}

/// Compares what the text says with the source's structured claims (never used as input).
/// Disagreements an adapter recorded on other fields are kept.
pub(super) fn compare_claims(record: &mut Record) {
    let Some(claims) = record.claims.as_ref() else { return };
    let mut found = Vec::new();
    for (field, claimed) in &claims.facts {
        let Some(ours) = compared_value(record, field) else { continue };
        if normalise(&ours) != normalise(claimed) {
            found.push(Disagreement {
                field: field.clone(),
                text_value: ours,
                claimed_value: claimed.clone(),
                provenance: claims.provenance.clone(),
            });
        }
    }
    let mut kept = std::mem::take(&mut record.disagreements);
    kept.retain(|d| compared_value(record, &d.field).is_none());
    kept.extend(found);
    record.disagreements = kept;
}

/// Claims may list provisions in any order, and numbers as strings.
fn normalise(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Array(items) => {
            let mut items: Vec<String> = items.iter().map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string)).collect();
            items.sort();
            items.dedup();
            serde_json::json!(items)
        }
        serde_json::Value::String(s) => match s.trim().replace([' ', '\u{a0}', ','], "").parse::<u64>() {
            Ok(n) => serde_json::json!(n),
            Err(_) => v.clone(),
        },
        _ => v.clone(),
    }
}
