//! How [`super::Record::evidence`] is written: keyed by [`Fact::evidence_key`] (`fine`,
//! `penalty`, …), the keys stores have always held, in their order, and read back into the
//! same [`Fact`], so that the extractor that writes evidence and the pages that read it name a
//! fact one way.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Fact, Span};

/// For each fact, the spans of the sentences it was read from.
pub type Evidence = BTreeMap<Fact, Vec<Span>>;

pub fn serialize<S: Serializer>(evidence: &Evidence, s: S) -> Result<S::Ok, S::Error> {
    let keyed: BTreeMap<&str, &Vec<Span>> = evidence.iter().map(|(fact, spans)| (fact.evidence_key(), spans)).collect();
    keyed.serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Evidence, D::Error> {
    BTreeMap::<String, Vec<Span>>::deserialize(d)?
        .into_iter()
        .map(|(key, spans)| {
            let fact = Fact::from_evidence_key(&key).ok_or_else(|| D::Error::custom(format!("unknown evidence key `{key}`")))?;
            Ok((fact, spans))
        })
        .collect()
}
