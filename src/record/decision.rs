//! A decision: one act of an authority, read from one or more sources. Each source is a
//! [`Reading`] (a [`Record`] with what the source is: original, translation or curated record);
//! the decision's facts are reconciled from them ([`super::reconcile`]), each with its
//! provenance, and disagreements between sources are kept, never dropped.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Fact, Facts, Language, Record, SourceFormat};

/// What a reading is, which says how far its facts are trusted (the order of the variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A record a person checked (corpus/ Markdown): its facts win.
    Curated,
    /// The decision's own text, in its original language (DILA XML, a French text file).
    Original,
    /// A translation of the decision (GDPRhub's unofficial English machine translation).
    Translation,
}

/// Who published a reading's text and under which licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attribution {
    pub publisher: String,
    pub licence: String,
    /// The licence's or the page's address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One source's reading of a decision: the record read from it (text, paragraphs, outline,
/// facts with their evidence, the source's claims) and what that source is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reading {
    pub role: Role,
    /// Whether the text was translated by a machine (and is therefore unofficial).
    pub machine_translation: bool,
    pub attribution: Attribution,
    pub record: Record,
}

impl Reading {
    /// What a record read from its source is: the role, translation flag and attribution
    /// follow from the format and the language (CNIL decisions are written in French).
    pub fn of(record: Record) -> Reading {
        let (role, machine_translation, attribution) = match record.source.format {
            SourceFormat::Markdown => (Role::Curated, false, attribution("recueil", "MIT OR Apache-2.0", None)),
            SourceFormat::DilaXml => (Role::Original, false, attribution("DILA / Légifrance", "Licence Ouverte 2.0", Some(ETALAB))),
            SourceFormat::GdprhubHtml | SourceFormat::GdprhubWikitext => (Role::Translation, true, attribution("GDPRhub (noyb)", "CC BY-NC-SA 4.0", Some(CC_BY_NC_SA))),
            SourceFormat::Text => match record.language {
                Language::Fr => (Role::Original, false, attribution("unknown", "unknown", None)),
                Language::En => (Role::Translation, false, attribution("unknown", "unknown", None)),
            },
        };
        Reading { role, machine_translation, attribution, record }
    }

    /// Whether this reading holds a text of the decision (a curated record holds summaries).
    pub fn has_text(&self) -> bool {
        self.role != Role::Curated && !self.record.text.is_empty()
    }

    /// Which earlier reading this one replaces: a source of the same format and file name is a
    /// new version of the same source.
    pub fn same_source(&self, other: &Reading) -> bool {
        self.record.source.format == other.record.source.format && file_name(&self.record.source.path) == file_name(&other.record.source.path)
    }
}

const ETALAB: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
const CC_BY_NC_SA: &str = "https://creativecommons.org/licenses/by-nc-sa/4.0/";

fn attribution(publisher: &str, licence: &str, url: Option<&str>) -> Attribution {
    Attribution { publisher: publisher.into(), licence: licence.into(), url: url.map(String::from) }
}

/// The last component of a source path (`a/b.html`, `x.tar.gz!c/d.xml` → `b.html`, `d.xml`).
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '!']).next().unwrap_or(path)
}

/// Why a fact holds its value: the kind of source and which reading said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Stated by a curated record.
    Curated,
    /// Read from the original text.
    OriginalText,
    /// Read from a translation.
    Translation,
    /// Claimed by a source in structured form (an infobox, a header), not read from a text.
    Claim,
}

/// Where a fact's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Provenance {
    pub basis: Basis,
    /// Index of the reading in [`Decision::readings`].
    pub reading: usize,
    pub format: SourceFormat,
    pub origin: String,
}

/// A fact on which sources disagree: every value with the source that gives it, the shown one
/// first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FactDisagreement {
    pub fact: Fact,
    pub values: Vec<SourcedValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SourcedValue {
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// The decision's own summaries, written for recueil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Summaries {
    pub en: Option<String>,
    pub fr: Option<String>,
}

/// A summary written by a third party, shown only with its attribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttributedSummary {
    pub language: Language,
    pub text: String,
    pub attribution: Attribution,
}

/// One text of the decision, as a client lists them (the text itself is in the reading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TextInfo {
    /// Index of the reading in [`Decision::readings`].
    pub reading: usize,
    pub language: Language,
    pub format: SourceFormat,
    pub original: bool,
    pub machine_translation: bool,
    pub attribution: Attribution,
    pub chars: usize,
}

/// One decision with its readings and reconciled facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// `cnil-<number>`; without a published number, a stable id from authority, date and
    /// respondent or title (see [`super::identity`]).
    pub id: String,
    pub authority: String,
    /// Every other name the decision goes by: Légifrance ids, number spellings, page names.
    pub aliases: Vec<String>,
    pub legifrance_id: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    #[serde(flatten)]
    pub facts: Facts,
    pub summaries: Summaries,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub third_party_summaries: Vec<AttributedSummary>,
    pub texts: Vec<TextInfo>,
    pub provenance: BTreeMap<Fact, Provenance>,
    pub disagreements: Vec<FactDisagreement>,
    /// Set when a reading could not be matched safely: this decision holds it apart until a
    /// person resolves the conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// When this knowledge base first stored the decision, and last changed it.
    pub added: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub readings: Vec<Reading>,
}

impl Decision {
    /// Légifrance page of the decision, when its id is known.
    pub fn legifrance_url(&self) -> Option<String> {
        self.legifrance_id.as_deref().map(|id| format!("https://www.legifrance.gouv.fr/cnil/id/{id}"))
    }

    /// The reading whose text comes first: the original, else a translation.
    pub fn main_text(&self) -> Option<&Reading> {
        self.texts.first().map(|t| &self.readings[t.reading])
    }

    /// The text to search and show in `language`: the best reading written in it.
    pub fn text_in(&self, language: Language) -> Option<&Reading> {
        self.texts.iter().find(|t| t.language == language).map(|t| &self.readings[t.reading])
    }

    /// The summary to show in `language`: ours, else ours in the other language.
    pub fn summary(&self, language: Language) -> Option<&str> {
        let (first, second) = match language {
            Language::Fr => (&self.summaries.fr, &self.summaries.en),
            Language::En => (&self.summaries.en, &self.summaries.fr),
        };
        first.as_deref().or(second.as_deref())
    }

    /// The facts of the reading `provenance` names, for the evidence of `fact`.
    pub fn evidence(&self, fact: Fact) -> Option<(&Reading, &[super::Span])> {
        let p = self.provenance.get(&fact)?;
        let reading = self.readings.get(p.reading)?;
        let spans = reading.record.evidence.get(&fact)?;
        Some((reading, spans.as_slice()))
    }
}
