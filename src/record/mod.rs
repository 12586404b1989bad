//! The record model shared by every subsystem. Field names follow
//! `../shared/data/eval/gold.jsonl`, so a record and a gold line compare field by field.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod check;
pub mod decision;
pub mod evidence;
pub mod facts;
pub mod identity;
pub mod provision;
pub mod reconcile;

pub use check::Check;
pub use decision::{Decision, Reading, Role, Summaries};
pub use evidence::Evidence;
pub use facts::{Fact, Facts};
pub use provision::{Law, Provision};
pub use reconcile::reconcile;

/// What one source says of a decision: its text and the facts read from it (a [`Reading`]
/// of a [`Decision`] wraps it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Record {
    /// Stable id: the Légifrance `CNILTEXT…` id when known, else `cnil-<number>`,
    /// else `sha256-<first 16 hex chars of the text hash>`. See [`Record::derive_id`].
    pub id: String,
    pub legifrance_id: Option<String>,
    /// Issuing authority, `CNIL` for every source we read today.
    pub authority: String,
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

    /// What the source says of the decision: its number, date and nature as the source gives
    /// them, the rest read by `extract` (or given by a Markdown record's front matter).
    /// Flattened, so a record's JSON keeps one top-level key per fact.
    #[serde(flatten)]
    pub facts: Facts,
    pub summary: Option<String>,
    /// A curated record's French summary (`summary` holds its English one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_fr: Option<String>,
    /// For each fact, the spans of the sentences it was read from; written under the fact's
    /// evidence key (`fine`, `date`, `breached`, `penalty`…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "evidence")]
    #[schema(value_type = BTreeMap<String, Vec<Span>>)]
    pub evidence: Evidence,
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
    /// The decision's facts, flattened as in the decision (a head stored before it held
    /// every fact reads the missing ones as absent).
    #[serde(flatten)]
    pub facts: Facts,
    pub title: Option<String>,
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
        Head {
            id: d.id.clone(),
            facts: d.facts.clone(),
            title: d.title.clone(),
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
    /// A GDPRhub page's MediaWiki source (`action=raw`).
    GdprhubWikitext,
    Markdown,
    Text,
}

impl SourceFormat {
    /// Whether the source is a page of GDPRhub, in whatever markup: its summary is GDPRhub's,
    /// its file is named after the page, its text is their machine translation.
    pub fn is_gdprhub(self) -> bool {
        match self {
            SourceFormat::GdprhubHtml | SourceFormat::GdprhubWikitext => true,
            SourceFormat::DilaXml | SourceFormat::Markdown | SourceFormat::Text => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RespondentKind {
    Company,
    Individual,
    PublicBody,
    Association,
}

impl RespondentKind {
    pub const ALL: [RespondentKind; 4] =
        [RespondentKind::Company, RespondentKind::Individual, RespondentKind::PublicBody, RespondentKind::Association];

    /// The name JSON, the index and the query language use.
    pub fn as_str(self) -> &'static str {
        match self {
            RespondentKind::Company => "company",
            RespondentKind::Individual => "individual",
            RespondentKind::PublicBody => "public_body",
            RespondentKind::Association => "association",
        }
    }
}

impl std::str::FromStr for RespondentKind {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<RespondentKind> {
        RespondentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::Error::Serde(format!("{s:?} is not a respondent kind")))
    }
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

impl Measure {
    pub const ALL: [Measure; 5] = [Measure::Fine, Measure::Injunction, Measure::Penalty, Measure::Reprimand, Measure::Publication];

    /// The name JSON, the index and the query language use.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Fine => "fine",
            Measure::Injunction => "injunction",
            Measure::Penalty => "penalty",
            Measure::Reprimand => "reprimand",
            Measure::Publication => "publication",
        }
    }
}

impl std::str::FromStr for Measure {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s).ok_or_else(|| crate::Error::Serde(format!("{s:?} is not a measure")))
    }
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
    fn measures_and_respondent_kinds_are_named_as_serde_names_them() {
        for m in Measure::ALL {
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
            assert_eq!(m.as_str().parse::<Measure>().unwrap(), m);
        }
        for k in RespondentKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
            assert_eq!(k.as_str().parse::<RespondentKind>().unwrap(), k);
        }
        assert!("Fine".parse::<Measure>().is_err() && "public body".parse::<RespondentKind>().is_err());
    }

    /// A record with every optional part set, so that no key is skipped.
    fn full() -> Record {
        // Invented record.
        let span = Span { start: 0, end: 5 };
        Record {
            id: "cnil-SAN-2099-001".into(),
            legifrance_id: Some("CNILTEXT000099999901".into()),
            authority: "CNIL".into(),
            published: chrono::NaiveDate::from_ymd_opt(2099, 1, 9),
            title: Some("Délibération inventée".into()),
            language: Language::Fr,
            text: "Texte inventé.".into(),
            paragraphs: vec![span],
            outline: vec![OutlineSection { kind: SectionKind::OperativePart, title: "Par ces motifs".into(), span }],
            source: Source { format: SourceFormat::DilaXml, path: "x.xml".into(), sha256: "0".repeat(64) },
            facts: Facts {
                number: Some("SAN-2099-001".into()),
                date: chrono::NaiveDate::from_ymd_opt(2099, 1, 2),
                nature: Some("Sanction".into()),
                respondent: Some("Société Exemple".into()),
                respondent_kind: Some(RespondentKind::Company),
                sector: Some("Health Care".into()),
                fine_eur: Some(3000),
                fines: vec![Fine { respondent: "A".into(), eur: 1000 }, Fine { respondent: "B".into(), eur: 2000 }],
                breached: vec!["GDPR:32".into()],
                injunction: Some(true),
                penalty_per_day_eur: Some(100),
                public: Some(false),
                measures: vec![Measure::Fine, Measure::Injunction],
                checks: vec![Check::Online],
            },
            summary: Some("An invented summary.".into()),
            summary_fr: Some("Un résumé inventé.".into()),
            evidence: [(Fact::Fine, vec![span]), (Fact::PenaltyPerDay, vec![span])].into(),
            claims: Some(Claims { provenance: "markdown front matter".into(), facts: BTreeMap::new() }),
            disagreements: vec![Disagreement {
                field: "fine_eur".into(),
                text_value: 3000.into(),
                claimed_value: 4000.into(),
                provenance: "gdprhub infobox".into(),
            }],
            notes: Some("invented".into()),
            sources: vec!["gold".into()],
        }
    }

    /// Stores written before the facts were one type must read after: a record's JSON keeps
    /// one top-level key per fact, as it had.
    #[test]
    fn a_record_keeps_its_top_level_keys_and_round_trips() {
        let record = full();
        let json = serde_json::to_value(&record).unwrap();
        let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = [
            "id", "number", "legifrance_id", "authority", "nature", "date", "published", "title", "language",
            "text", "paragraphs", "outline", "source", "respondent", "respondent_kind", "sector", "fine_eur",
            "fines", "breached", "injunction", "penalty_per_day_eur", "public", "measures", "checks", "summary",
            "summary_fr", "evidence", "claims", "disagreements", "notes", "sources",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(json["fine_eur"], 3000);
        let mut evidence: Vec<&str> = json["evidence"].as_object().unwrap().keys().map(String::as_str).collect();
        evidence.sort_unstable();
        assert_eq!(evidence, ["fine", "penalty"], "evidence keys are those written before");
        assert_eq!(serde_json::from_value::<Record>(json).unwrap(), record);
    }

    /// A line written by the record model before the flattening (every fact a top-level key)
    /// reads into the same facts.
    #[test]
    fn a_record_written_before_reads() {
        let line = r#"{"id":"x","number":"SAN-2099-001","legifrance_id":null,"authority":"CNIL","nature":"Sanction",
            "date":"2099-01-02","published":null,"title":null,"language":"fr","text":"t","paragraphs":[],"outline":[],
            "source":{"format":"dila_xml","path":"x.xml","sha256":""},"respondent":"Société Exemple",
            "respondent_kind":"company","sector":"Health Care","fine_eur":3000,"breached":["GDPR:32"],
            "injunction":false,"penalty_per_day_eur":null,"public":true,"measures":["fine"],"summary":null,
            "evidence":{"fine":[{"start":0,"end":1}],"penalty":[{"start":0,"end":1}],"respondent_kind":[]}}"#;
        let r: Record = serde_json::from_str(line).unwrap();
        assert_eq!(r.facts.number.as_deref(), Some("SAN-2099-001"));
        assert_eq!(r.facts.fine_eur, Some(3000));
        assert_eq!(r.facts.respondent_kind, Some(RespondentKind::Company));
        assert_eq!(r.facts.measures, [Measure::Fine]);
        assert_eq!(r.facts.public, Some(true));
        assert_eq!(r.evidence.keys().copied().collect::<Vec<_>>(), [Fact::RespondentKind, Fact::Fine, Fact::PenaltyPerDay]);
        let unknown = line.replace("\"penalty\"", "\"penalties\"");
        assert!(serde_json::from_str::<Record>(&unknown).unwrap_err().to_string().contains("unknown evidence key `penalties`"));
    }

    #[test]
    fn sectors_parse_in_either_spelling() {
        assert_eq!(parse_sector("Accomodation and Hospitalty"), Some("Accommodation and Hospitality"));
        assert_eq!(parse_sector("Accommodation and Hospitality"), Some("Accommodation and Hospitality"));
        assert_eq!(parse_sector("real estate"), None);
        assert_eq!(parse_sector(" Health Care "), Some("Health Care"));
        assert_eq!(parse_sector("Hospitality"), None);
    }
}
