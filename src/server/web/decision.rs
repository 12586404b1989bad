//! The decision page, built around the decision model: the original text first and the
//! translation one click away (`?text=translation`) with its attribution; each fact with its
//! provenance and a link to the sentence it was read from; the disagreements between sources;
//! our summaries, or a third party's with its attribution; citations, similar decisions and
//! the fine among the other sanctions finding the same breaches.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};

use crate::record::decision::{Attribution, FactDisagreement, TextInfo};
use crate::record::{Decision, Fact as FactName, Language, Record};
use crate::search::Hit;
use crate::server::params::percent_encode;
use crate::server::i18n::{Labels, Lang};
use crate::server::nature::{is_sanction, nature_label, Act, Nature};
use crate::server::params::Params;
use crate::server::render::SummaryCache;
use crate::server::service::{self, FineContext};
use crate::server::state::AppState;
use crate::server::text::{self, RenderedText};
use crate::Error;

use super::hits::{hit_view, provision_link, HitView, Link};
use super::{query_string, Html, Page, WebError};

const SIMILAR: usize = 5;

pub struct Fact {
    pub label: &'static str,
    pub value: String,
    pub links: Vec<Link>,
    pub evidence_href: Option<String>,
    /// Where the value came from: how it was read, and from whose text.
    pub provenance: Option<String>,
}

pub struct Comparison {
    pub provision: Link,
    /// Other sanctions finding this breach with a fine.
    pub fined: u64,
    pub median: String,
    /// This fine against the median, e.g. `×2.5`.
    pub ratio: Option<String>,
}

pub struct Disagreement {
    pub label: &'static str,
    /// Each value with its source, the one shown first.
    pub values: Vec<String>,
}

/// One of the decision's texts, as a tab.
pub struct TextTab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// What the page says of a translation it shows.
pub struct TranslationNote {
    pub machine: bool,
    pub publisher: String,
    pub licence: String,
    pub licence_url: Option<String>,
    pub source_url: Option<String>,
}

pub struct ThirdPartySummary {
    pub html: String,
    pub publisher: String,
    pub licence: String,
    pub licence_url: Option<String>,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    page: Page,
    heading: String,
    subtitle: Option<String>,
    nature: Option<String>,
    /// The results this page was opened from.
    back_href: Option<String>,
    facts: Vec<Fact>,
    disagreements: Vec<Disagreement>,
    summary_html: Option<String>,
    third_party: Vec<ThirdPartySummary>,
    outline: Vec<Link>,
    tabs: Vec<TextTab>,
    text_heading: &'static str,
    translation: Option<TranslationNote>,
    text: RenderedText,
    similar: Vec<HitView>,
    comparisons: Vec<Comparison>,
    fine: Option<String>,
    citation_fr: String,
    citation_en: String,
    legifrance: Option<String>,
}

/// Légifrance page of a record, only for a well-formed id (it lands in an href).
fn legifrance(r: &Decision) -> Option<String> {
    r.legifrance_id
        .as_deref()
        .filter(|id| !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric()))?;
    r.legifrance_url()
}

/// The act a decision is: as its title names it, else as its nature implies.
fn act(d: &Decision) -> Act {
    d.title
        .as_deref()
        .and_then(Act::of_title)
        .or_else(|| d.facts.nature.as_deref().and_then(Nature::parse).map(Nature::act))
        .unwrap_or(Act::Deliberation)
}

/// The French and English citations. A decision without a number is named by its date, its
/// respondent and its Légifrance id, never by our own id.
pub fn citations(d: &Decision) -> (String, String) {
    let f = &d.facts;
    let restricted = is_sanction(f.nature.as_deref()) || f.number.as_deref().is_some_and(|n| n.starts_with("SAN-"));
    let act = act(d);
    let cite = |lang: Lang| {
        let mut out = String::from("CNIL, ");
        if restricted {
            out.push_str(match lang {
                Lang::Fr => "formation restreinte, ",
                Lang::En => "Restricted Committee, ",
            });
        }
        out.push_str(act.name(lang));
        if let Some(n) = &f.number {
            out.push_str(&match lang {
                Lang::Fr => format!(" n° {n}"),
                Lang::En => format!(" No. {n}"),
            });
        }
        if let Some(date) = f.date {
            out.push_str(&match lang {
                Lang::Fr => format!(" du {}", lang.date(date)),
                Lang::En => format!(" of {}", lang.date(date)),
            });
        }
        match (&f.respondent, lang) {
            (Some(r), Lang::Fr) => out.push_str(&format!(", {r}")),
            (Some(r), Lang::En) => out.push_str(&format!(" ({r})")),
            (None, _) if f.number.is_none() && f.date.is_none() => {
                if let Some(t) = &d.title {
                    out.push_str(&format!(", {t}"));
                }
            }
            (None, _) => {}
        }
        if let Some(id) = d.legifrance_id.as_deref().filter(|id| !id.is_empty()) {
            out.push_str(&format!(", Légifrance {id}"));
        }
        out + "."
    };
    (cite(Lang::Fr), cite(Lang::En))
}

fn fact_label(t: &'static Labels, f: FactName) -> &'static str {
    match f {
        FactName::Number => t.number,
        FactName::Date => t.date,
        FactName::Nature => t.nature,
        FactName::Respondent => t.respondent,
        FactName::RespondentKind => t.respondent_kind,
        FactName::Sector => t.sector,
        FactName::Fine => t.fine,
        FactName::Breached => t.breached,
        FactName::Injunction => t.f_injunction,
        FactName::PenaltyPerDay => t.penalty,
        FactName::Public => t.f_public,
        FactName::Measures => t.measures,
        FactName::Checks => t.checks,
    }
}

/// Who published a reading, for provenance lines.
fn publisher(d: &Decision, reading: usize) -> &str {
    d.readings.get(reading).map_or("", |r| r.attribution.publisher.as_str())
}

/// The fact card. A fact links to its sentence only when its value was read from the text
/// the page shows.
fn facts(d: &Decision, shown: Option<usize>, rendered: &RenderedText, lang: Lang) -> Vec<Fact> {
    let t = lang.labels();
    let ev = |facts: &[FactName]| {
        facts
            .iter()
            .filter(|f| d.provenance.get(f).map(|p| p.reading) == shown)
            .find_map(|f| rendered.evidence_anchors.get(f))
            .map(|a| format!("#{a}"))
    };
    let provenance = |f: FactName| {
        d.provenance.get(&f).map(|p| format!("{} · {}", lang.basis(p.basis), publisher(d, p.reading)))
    };
    let r = &d.facts;
    let mut out = Vec::new();
    let mut push = |name: FactName, value: Option<String>, links: Vec<Link>, names: &[FactName]| {
        if value.is_some() || !links.is_empty() {
            out.push(Fact {
                label: fact_label(t, name),
                value: value.unwrap_or_default(),
                links,
                evidence_href: ev(names),
                provenance: provenance(name),
            });
        }
    };
    push(FactName::Date, r.date.map(|d| lang.date(d)), vec![], &[FactName::Date]);
    push(FactName::Nature, r.nature.as_deref().map(|n| nature_label(n, lang)), vec![], &[FactName::Nature]);
    push(FactName::Respondent, r.respondent.clone(), vec![], &[FactName::Respondent]);
    push(
        FactName::RespondentKind,
        r.respondent_kind.map(|k| lang.respondent_kind(k).to_string()),
        vec![],
        &[FactName::RespondentKind, FactName::Respondent],
    );
    push(FactName::Sector, r.sector.as_deref().map(|s| lang.sector(s).to_string()), vec![], &[FactName::Sector]);
    let fine = match (r.fine_eur, r.fines.len()) {
        (Some(f), 0 | 1) => Some(lang.money(f)),
        (Some(f), _) => Some(format!(
            "{} ({})",
            lang.money(f),
            r.fines.iter().map(|x| format!("{}: {}", x.respondent, lang.money(x.eur))).collect::<Vec<_>>().join("; ")
        )),
        (None, _) if r.measures.is_empty() => None,
        (None, _) => Some(t.no_fine.to_string()),
    };
    push(FactName::Fine, fine, vec![], &[FactName::Fine]);
    push(
        FactName::PenaltyPerDay,
        r.penalty_per_day_eur.map(|p| format!("{} {}", lang.money(p), t.per_day)),
        vec![],
        &[FactName::PenaltyPerDay],
    );
    let measures = r.measures.iter().map(|m| lang.measure(*m)).collect::<Vec<_>>().join(", ");
    push(
        FactName::Measures,
        (!measures.is_empty()).then_some(measures),
        vec![],
        &[FactName::Measures, FactName::Injunction, FactName::Public],
    );
    push(FactName::Breached, None, r.breached.iter().map(|p| provision_link(p, lang)).collect(), &[FactName::Breached]);
    let checks = r.checks.iter().map(|c| lang.check(*c)).collect::<Vec<_>>().join(", ");
    push(FactName::Checks, (!checks.is_empty()).then_some(checks), vec![], &[FactName::Checks]);
    out
}

/// A value as a source gave it, in the page's language where it is one of ours.
fn shown_value(fact: FactName, v: &serde_json::Value, lang: Lang) -> String {
    let t = lang.labels();
    match (fact, v) {
        (FactName::Fine | FactName::PenaltyPerDay, serde_json::Value::Number(n)) if n.as_u64().is_some() => {
            lang.money(n.as_u64().unwrap_or_default())
        }
        (FactName::Sector, serde_json::Value::String(s)) => lang.sector(s).to_string(),
        (FactName::Nature, serde_json::Value::String(s)) => nature_label(s, lang),
        (FactName::RespondentKind, serde_json::Value::String(s)) => lang.respondent_kind_name(s),
        (FactName::Breached, serde_json::Value::Array(a)) => {
            a.iter().filter_map(|p| p.as_str()).map(|p| crate::server::articles::provision_label(p, lang)).collect::<Vec<_>>().join("; ")
        }
        (_, serde_json::Value::Bool(b)) => (if *b { t.yes } else { t.no }).to_string(),
        (_, serde_json::Value::String(s)) => s.clone(),
        (_, serde_json::Value::Null) => "—".to_string(),
        (_, other) => other.to_string(),
    }
}

fn disagreements(d: &Decision, lang: Lang) -> Vec<Disagreement> {
    d.disagreements
        .iter()
        .map(|FactDisagreement { fact, values }| Disagreement {
            label: fact_label(lang.labels(), *fact),
            values: values
                .iter()
                .map(|v| {
                    let p = &v.provenance;
                    format!("{} ({} · {})", shown_value(*fact, &v.value, lang), lang.basis(p.basis), publisher(d, p.reading))
                })
                .collect(),
        })
        .collect()
}

fn language_name(t: &'static Labels, l: Language) -> &'static str {
    match l {
        Language::Fr => t.lang_fr,
        Language::En => t.lang_en,
    }
}

/// Which of the decision's texts the page shows: `?text=translation` picks the first
/// translation, anything else (or nothing) the first text, the original when there is one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextChoice {
    Original,
    Translation,
}

impl TextChoice {
    fn parse(v: Option<&str>) -> Result<TextChoice, Error> {
        match v {
            None | Some("") | Some("original") => Ok(TextChoice::Original),
            Some("translation") => Ok(TextChoice::Translation),
            Some(_) => Err(Error::InvalidParameter { name: "text", reason: "must be original or translation".into() }),
        }
    }

    fn of(t: &TextInfo) -> TextChoice {
        if t.original {
            TextChoice::Original
        } else {
            TextChoice::Translation
        }
    }

    fn code(self) -> &'static str {
        match self {
            TextChoice::Original => "original",
            TextChoice::Translation => "translation",
        }
    }
}

/// A GDPRhub page's address, from the page name its reading carries as title.
fn gdprhub_url(d: &Decision, reading: usize) -> Option<String> {
    let r = &d.readings.get(reading)?.record;
    r.source.format.is_gdprhub().then_some(())?;
    let title = r.title.as_deref()?.replace(' ', "_");
    Some(format!("https://gdprhub.eu/index.php?title={}", percent_encode(&title)))
}

fn translation_note(d: &Decision, info: &TextInfo) -> TranslationNote {
    let Attribution { publisher, licence, url } = info.attribution.clone();
    TranslationNote {
        machine: info.machine_translation,
        publisher,
        licence,
        licence_url: url,
        source_url: gdprhub_url(d, info.reading),
    }
}

pub async fn decision_page(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    page: Page,
    params: Params,
) -> Result<Html, WebError> {
    // The whole text through askama and the summary through ammonia run in the render pool,
    // off the async workers; its permit is taken first, so waiting pages hold no record.
    let permit = state.render_permit().await?;
    params.allow(&["q", "lang", "text"])?;
    let q = params.query()?;
    let choice = TextChoice::parse(params.one("text")?)?;
    let (d, similar) = service::with_similar(&state, &id, SIMILAR).await?;
    let context = service::fine_context(&state, &d).await?;
    let cache = state.summaries.clone();
    // The tabs keep every other parameter (the query, the language asked for).
    let others: Vec<(String, String)> = params.pairs().iter().filter(|(k, _)| k != "text").cloned().collect();
    permit
        .run(move || {
            let tpl = decision_build(page, &q, &others, choice, d, similar, &context, &cache);
            Ok(Html::render(&tpl))
        })
        .await?
}

#[allow(clippy::too_many_arguments)]
fn decision_build(
    mut page: Page,
    q: &str,
    others: &[(String, String)],
    choice: TextChoice,
    d: Decision,
    similar: Vec<Hit>,
    context: &[FineContext],
    cache: &SummaryCache,
) -> DecisionPage {
    let lang = page.lang;
    let t = page.t;
    // The original first; a decision known from a curated record only shows its summaries.
    let info = d.texts.iter().find(|i| TextChoice::of(i) == choice).or(d.texts.first());
    let shown = info.map(|i| i.reading);
    let no_text = Record::default();
    let r = shown.map_or(&no_text, |i| &d.readings[i].record);
    let text = text::render(r, q);
    let paras = text::paragraphs(r);
    let outline = r
        .outline
        .iter()
        .filter_map(|s| {
            text::paragraph_of(&paras, s.span.start).map(|p| Link { label: s.title.clone(), href: format!("#p-{p}") })
        })
        .collect();
    let tabs = if d.texts.len() > 1 {
        d.texts
            .iter()
            .map(|i| {
                let c = TextChoice::of(i);
                let mut pairs = others.to_vec();
                pairs.push(("text".into(), c.code().into()));
                let kind = if i.original { t.original_text } else { t.translation };
                TextTab {
                    label: format!("{kind} ({})", language_name(t, i.language)),
                    href: format!("?{}", query_string(&pairs)),
                    current: Some(i.reading) == shown,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let fine = d.facts.fine_eur;
    let comparisons = context
        .iter()
        .filter_map(|c| {
            let median = c.fines.median.filter(|_| c.fines.count > 0)?;
            Some(Comparison {
                provision: provision_link(&c.provision, lang),
                fined: c.fines.count,
                median: lang.money(median),
                ratio: fine.filter(|_| median > 0).map(|f| lang.ratio(f as f64 / median as f64)),
            })
        })
        .collect();
    let (citation_fr, citation_en) = citations(&d);
    let heading = d.facts.number.clone().or_else(|| d.title.clone()).unwrap_or_else(|| d.id.clone());
    page.title = match &d.facts.respondent {
        Some(resp) => format!("{heading} – {resp}"),
        None => heading.clone(),
    };
    let summary_html = d.summary(lang.language()).filter(|s| !s.trim().is_empty()).map(|s| cache.html(s));
    // A third party's summary stands in for ours, with its attribution; never both.
    let third_party = if summary_html.is_some() {
        Vec::new()
    } else {
        d.third_party_summaries
            .iter()
            .filter(|s| !s.text.trim().is_empty())
            .map(|s| ThirdPartySummary {
                html: cache.html(&s.text),
                publisher: s.attribution.publisher.clone(),
                licence: s.attribution.licence.clone(),
                licence_url: s.attribution.url.clone(),
            })
            .collect()
    };
    DecisionPage {
        facts: facts(&d, shown, &text, lang),
        disagreements: disagreements(&d, lang),
        subtitle: d.title.clone().filter(|t| Some(t) != d.facts.number.as_ref()),
        nature: d.facts.nature.as_deref().map(|n| nature_label(n, lang)),
        back_href: (!q.is_empty()).then(|| format!("/?q={}", percent_encode(q))),
        summary_html,
        third_party,
        outline,
        tabs,
        text_heading: match info {
            Some(i) if !i.original => t.translation,
            _ => t.original_text,
        },
        translation: info.filter(|i| !i.original).map(|i| translation_note(&d, i)),
        similar: similar.into_iter().map(|h| hit_view(h, lang, "")).collect(),
        comparisons,
        fine: fine.map(|f| lang.money(f)),
        citation_fr,
        citation_en,
        legifrance: legifrance(&d),
        heading,
        text,
        page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(r: Record) -> Decision {
        crate::record::reconcile(vec![crate::record::Reading::of(r)], None, chrono::Utc::now())
    }

    #[test]
    fn citations_in_both_languages() {
        // Invented record.
        let r = Record {
            facts: crate::record::Facts {
                number: Some("SAN-2030-001".into()),
                nature: Some("Sanction".into()),
                date: chrono::NaiveDate::from_ymd_opt(2030, 3, 1),
                respondent: Some("Société Exemple".into()),
                ..Default::default()
            },
            legifrance_id: Some("CNILTEXT000000000001".into()),
            ..Default::default()
        };
        let d = decision(r);
        let (fr, en) = citations(&d);
        assert_eq!(fr, "CNIL, formation restreinte, délibération n° SAN-2030-001 du 1er mars 2030, Société Exemple, Légifrance CNILTEXT000000000001.");
        assert_eq!(en, "CNIL, Restricted Committee, Deliberation No. SAN-2030-001 of 1 March 2030 (Société Exemple), Légifrance CNILTEXT000000000001.");
        let bad = Decision { legifrance_id: Some("x\" onclick=\"y".into()), ..d };
        assert_eq!(legifrance(&bad), None);
    }

    #[test]
    fn a_decision_is_cited_as_a_decision_and_an_unnumbered_one_by_date_and_respondent() {
        // Invented records.
        let dr = decision(Record {
            facts: crate::record::Facts {
                number: Some("DR-2030-002".into()),
                nature: Some("Autorisation de recherche".into()),
                date: chrono::NaiveDate::from_ymd_opt(2030, 4, 2),
                ..Default::default()
            },
            title: Some("Décision DR-2030-002 du 2 avril 2030".into()),
            ..Default::default()
        });
        let (fr, en) = citations(&dr);
        assert_eq!(fr, "CNIL, décision n° DR-2030-002 du 2 avril 2030.");
        assert_eq!(en, "CNIL, Decision No. DR-2030-002 of 2 April 2030.");
        let unnumbered = decision(Record {
            facts: crate::record::Facts {
                nature: Some("Sanction".into()),
                date: chrono::NaiveDate::from_ymd_opt(2030, 1, 27),
                respondent: Some("Online retailer".into()),
                ..Default::default()
            },
            ..Default::default()
        });
        let (fr, en) = citations(&unnumbered);
        assert_eq!(fr, "CNIL, formation restreinte, délibération du 27 janvier 2030, Online retailer.");
        assert!(!fr.contains("sha256") && !en.contains(&unnumbered.id), "{en}");
    }

    #[test]
    fn the_text_choice_is_original_or_translation() {
        assert!(TextChoice::parse(None).unwrap() == TextChoice::Original);
        assert!(TextChoice::parse(Some("translation")).unwrap() == TextChoice::Translation);
        assert!(TextChoice::parse(Some("other")).is_err());
    }
}
