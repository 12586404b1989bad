//! The record model shared by every subsystem. Field names follow
//! `../shared/data/eval/gold.jsonl`, so a record and a gold line compare field by field.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod decision;
pub mod facts;
pub mod identity;
pub mod reconcile;

pub use decision::{Decision, Reading, Role, Summaries};
pub use facts::{Fact, Facts};
pub use reconcile::reconcile;

/// What one source says of a decision: its text and the facts read from it (a [`Reading`]
/// of a [`Decision`] wraps it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Record {
    /// Stable id: the Légifrance `CNILTEXT…` id when known, else `cnil-<number>`,
    /// else `sha256-<first 16 hex chars of the text hash>`. See [`Record::derive_id`].
    pub id: String,
    /// Normalised decision number (`SAN-2020-014`, `MED-2019-027`, `DR-2025-081`, `2019-001`).
    pub number: Option<String>,
    pub legifrance_id: Option<String>,
    /// Issuing authority, `CNIL` for every source we read today.
    pub authority: String,
    /// Kind of measure as the source names it (`Sanction`, `Mise en demeure`, `Avis`,
    /// `Autorisation de recherche`…).
    pub nature: Option<String>,
    /// Date of the decision (not of its publication).
    pub date: Option<NaiveDate>,
    /// Date of publication, when the source gives it.
    pub published: Option<NaiveDate>,
    pub title: Option<String>,
    pub language: Language,
    /// Plain text, paragraphs separated by a blank line (`"\n\n"`).
    pub text: String,
    /// Paragraphs of `text` as character spans (byte offsets into `text`).
    pub paragraphs: Vec<Span>,
    /// Facts and procedure / one section per breach examined / operative part.
    pub outline: Vec<OutlineSection>,
    pub source: Source,

    // Facts, filled by `extract` (or given by a Markdown record's front matter).
    pub respondent: Option<String>,
    pub respondent_kind: Option<RespondentKind>,
    /// One value of the CMS Enforcement Tracker taxonomy (see [`SECTORS`]).
    pub sector: Option<String>,
    /// Total fine in euros (the sum of `fines` when several respondents are fined).
    pub fine_eur: Option<u64>,
    /// Per-respondent fines, only when more than one respondent is fined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fines: Vec<Fine>,
    /// Provisions found breached, normalised: `GDPR:32`, `LIL:82`, `CPCE:L34-5`. Sorted, unique.
    pub breached: Vec<String>,
    pub injunction: Option<bool>,
    pub penalty_per_day_eur: Option<u64>,
    /// Whether publication of the decision was ordered.
    pub public: Option<bool>,
    pub measures: Vec<Measure>,
    pub summary: Option<String>,
    /// A curated record's French summary (`summary` holds its English one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_fr: Option<String>,
    /// For each fact name (`fine`, `date`, `breached`, `respondent`…), the spans of the
    /// sentences it was read from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, Vec<Span>>,
    /// Structured claims carried by the source itself (a GDPRhub infobox, a Markdown
    /// record's front matter), kept apart from what we read in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Claims>,
    /// Facts on which the source's claims and the text disagree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<Disagreement>,
    /// Free-form notes (e.g. from a curated Markdown record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Which public trackers list this decision (curated records only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// What a result list shows of a decision: the index stores it beside each document, so that
/// a hit costs a few hundred bytes, not the whole decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Head {
    pub id: String,
    pub number: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub title: Option<String>,
    pub nature: Option<String>,
    pub respondent: Option<String>,
    pub sector: Option<String>,
    pub fine_eur: Option<u64>,
    pub breached: Vec<String>,
    pub measures: Vec<Measure>,
    /// The language of the decision's main text.
    pub language: Language,
    /// Our summaries, `{en, fr}`: what a client asks of a hit besides its facts.
    pub summary: Summaries,
    pub legifrance_url: Option<String>,
    pub added: chrono::DateTime<chrono::Utc>,
    pub modified: chrono::DateTime<chrono::Utc>,
}

impl From<&Decision> for Head {
    fn from(d: &Decision) -> Head {
        let f = &d.facts;
        Head {
            id: d.id.clone(),
            number: f.number.clone(),
            date: f.date,
            title: d.title.clone(),
            nature: f.nature.clone(),
            respondent: f.respondent.clone(),
            sector: f.sector.clone(),
            fine_eur: f.fine_eur,
            breached: f.breached.clone(),
            measures: f.measures.clone(),
            language: d.main_text().map_or(Language::Fr, |r| r.record.language),
            summary: d.summaries.clone(),
            legifrance_url: d.legifrance_url(),
            added: d.added,
            modified: d.modified,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    En,
}

/// A half-open byte range `[start, end)` into `Record::text`, on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutlineSection {
    pub kind: SectionKind,
    pub title: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    FactsAndProcedure,
    Breach,
    OperativePart,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Source {
    pub format: SourceFormat,
    /// File path, `archive.tar.gz!member/path`, or URL.
    pub path: String,
    /// sha256 of the source bytes, lowercase hex.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    #[default]
    DilaXml,
    GdprhubHtml,
    Markdown,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RespondentKind {
    Company,
    Individual,
    PublicBody,
    Association,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fine {
    pub respondent: String,
    pub eur: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    Fine,
    Injunction,
    Penalty,
    Reprimand,
    Publication,
}

/// What a source asserts in structured form, with where it said so.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Claims {
    /// e.g. `gdprhub infobox`, `markdown front matter`.
    pub provenance: String,
    /// Fact name → value as the source states it.
    pub facts: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Disagreement {
    pub field: String,
    pub text_value: serde_json::Value,
    pub claimed_value: serde_json::Value,
    pub provenance: String,
}

/// The CMS Enforcement Tracker sector taxonomy, spelt correctly; `Record::sector` is one of
/// these. [`parse_sector`] also reads the tracker's own spelling.
pub const SECTORS: &[&str] = &[
    "Accommodation and Hospitality",
    "Employment",
    "Finance, Insurance and Consulting",
    "Health Care",
    "Individuals and Private Associations",
    "Industry and Commerce",
    "Media, Telecoms and Broadcasting",
    "Public Sector and Education",
    "Real Estate",
    "Transportation and Energy",
    NOT_ASSIGNED,
];

/// The sector of a decision whose respondent's business is not known.
pub const NOT_ASSIGNED: &str = "Not assigned";

/// The taxonomy value a sector name stands for; the tracker's "Accomodation and Hospitalty"
/// reads as "Accommodation and Hospitality".
pub fn parse_sector(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name == "Accomodation and Hospitalty" {
        return Some(SECTORS[0]);
    }
    SECTORS.iter().copied().find(|s| *s == name)
}

impl Record {
    /// The stable id rule: Légifrance id, else authority + number, else a content hash.
    pub fn derive_id(authority: &str, legifrance_id: Option<&str>, number: Option<&str>, sha256_hex: &str) -> String {
        if let Some(id) = legifrance_id.filter(|s| !s.is_empty()) {
            return id.to_string();
        }
        if let Some(n) = number.filter(|s| !s.is_empty()) {
            return format!("{}-{}", authority.to_lowercase(), n);
        }
        format!("sha256-{}", &sha256_hex[..16.min(sha256_hex.len())])
    }

    /// The decision's year, used by facets and filters.
    pub fn year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.date.map(|d| d.year())
    }

    /// Légifrance page of the decision, when its id is known.
    pub fn legifrance_url(&self) -> Option<String> {
        self.legifrance_id
            .as_deref()
            .map(|id| format!("https://www.legifrance.gouv.fr/cnil/id/{id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectors_parse_in_either_spelling() {
        assert_eq!(parse_sector("Accomodation and Hospitalty"), Some("Accommodation and Hospitality"));
        assert_eq!(parse_sector("Accommodation and Hospitality"), Some("Accommodation and Hospitality"));
        assert_eq!(parse_sector("real estate"), None);
        assert_eq!(parse_sector(" Health Care "), Some("Health Care"));
        assert_eq!(parse_sector("Hospitality"), None);
    }
}
