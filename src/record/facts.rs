//! The facts of a decision, declared once: what a source's reading says ([`super::Record`]
//! flattens them), what a decision shows once its readings are reconciled
//! ([`super::Decision`]), and the [`Fact`] names that provenance, disagreements and evidence
//! are keyed by.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Check, Fine, Measure, RespondentKind};

/// The facts a decision shows, one value each. Field names are those of the gold file and of
/// [`super::Record`], so a decision's JSON keeps the top-level facts a record had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct Facts {
    /// Normalised decision number (`SAN-2020-014`, `MED-2019-027`, `DR-2025-081`, `2019-001`).
    pub number: Option<String>,
    /// Date of the decision (not of its publication).
    pub date: Option<NaiveDate>,
    /// Kind of measure as the source names it (`Sanction`, `Mise en demeure`, `Avis`,
    /// `Autorisation de recherche`…).
    pub nature: Option<String>,
    pub respondent: Option<String>,
    pub respondent_kind: Option<RespondentKind>,
    /// One value of the CMS Enforcement Tracker taxonomy (see [`super::SECTORS`]).
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
    /// The kinds of check the CNIL carried out before deciding, in [`Check::ALL`]'s order.
    pub checks: Vec<Check>,
}

impl Facts {
    /// The list facts sorted and unique, as a curated record's front matter may not give them.
    pub fn with_sorted_lists(mut self) -> Facts {
        self.breached.sort();
        self.breached.dedup();
        self.measures.sort();
        self.measures.dedup();
        self.checks.sort();
        self.checks.dedup();
        self
    }

    /// The decision's year, used by facets and filters.
    pub fn year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.date.map(|d| d.year())
    }
}

/// One fact of [`Facts`], as provenance and disagreements name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    Number,
    Date,
    Nature,
    Respondent,
    RespondentKind,
    Sector,
    /// `fine_eur` and the per-respondent `fines` together.
    Fine,
    Breached,
    Injunction,
    PenaltyPerDay,
    Public,
    Measures,
    Checks,
}

impl Fact {
    pub const ALL: [Fact; 13] = [
        Fact::Number,
        Fact::Date,
        Fact::Nature,
        Fact::Respondent,
        Fact::RespondentKind,
        Fact::Sector,
        Fact::Fine,
        Fact::Breached,
        Fact::Injunction,
        Fact::PenaltyPerDay,
        Fact::Public,
        Fact::Measures,
        Fact::Checks,
    ];

    /// The key under which extraction records this fact's evidence in [`super::Record::evidence`].
    pub fn evidence_key(self) -> &'static str {
        match self {
            Fact::Number => "number",
            Fact::Date => "date",
            Fact::Nature => "nature",
            Fact::Respondent => "respondent",
            Fact::RespondentKind => "respondent_kind",
            Fact::Sector => "sector",
            Fact::Fine => "fine",
            Fact::Breached => "breached",
            Fact::Injunction => "injunction",
            Fact::PenaltyPerDay => "penalty",
            Fact::Public => "public",
            Fact::Measures => "measures",
            Fact::Checks => "checks",
        }
    }

    /// The fact whose evidence key is `key`.
    pub fn from_evidence_key(key: &str) -> Option<Fact> {
        Fact::ALL.into_iter().find(|f| f.evidence_key() == key)
    }

    /// The name a source's claims (infobox, front matter) give this fact.
    pub fn claim_key(self) -> &'static str {
        match self {
            Fact::Fine => "fine_eur",
            Fact::PenaltyPerDay => "penalty_per_day_eur",
            other => other.evidence_key(),
        }
    }
}
