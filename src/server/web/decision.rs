//! The decision page: the facts with their provenance, the text with its evidence, summaries,
//! citations, similar decisions and the fine in context.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::record::{Decision, Fact as FactName, Language, Record};
use crate::search::{Hit, Stats};
use crate::server::api;
use crate::server::error::ApiError;
use crate::server::i18n::Lang;
use crate::server::params::Params;
use crate::server::render::SummaryCache;
use crate::server::state::AppState;
use crate::server::text::{self, RenderedText};

use super::hits::{hit_view, provision_link, HitView, Link};
use super::{Page, WebError};

const SIMILAR: usize = 5;


pub struct Fact {
    pub label: &'static str,
    pub value: String,
    pub links: Vec<Link>,
    pub evidence_href: Option<String>,
}

pub struct Comparison {
    pub provision: Link,
    pub fined: u64,
    pub average: String,
    /// This fine against the average, e.g. `×2.5`.
    pub ratio: Option<String>,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    page: Page,
    heading: String,
    subtitle: Option<String>,
    facts: Vec<Fact>,
    summary_html: Option<String>,
    outline: Vec<Link>,
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

pub fn citations(r: &Decision) -> (String, String) {
    let name = r.facts.number.clone().unwrap_or_else(|| r.title.clone().unwrap_or_else(|| r.id.clone()));
    let sanction = r.facts.number.as_deref().is_some_and(|n| n.starts_with("SAN-"));
    let mut fr = String::from("CNIL, ");
    let mut en = String::from("CNIL, ");
    if sanction {
        fr.push_str("formation restreinte, ");
        en.push_str("Restricted Committee, ");
    }
    fr.push_str(&format!("délibération n° {name}"));
    en.push_str(&format!("Decision No. {name}"));
    if let Some(d) = r.facts.date {
        fr.push_str(&format!(" du {}", Lang::Fr.date(d)));
        en.push_str(&format!(" of {}", Lang::En.date(d)));
    }
    if let Some(resp) = &r.facts.respondent {
        fr.push_str(&format!(", {resp}"));
        en.push_str(&format!(" ({resp})"));
    }
    if let Some(id) = r.legifrance_id.as_deref().filter(|id| !id.is_empty()) {
        fr.push_str(&format!(", Légifrance {id}"));
        en.push_str(&format!(", Légifrance {id}"));
    }
    (fr + ".", en + ".")
}

/// The fact card. A fact links to its sentence only when its value was read from the text
/// the page shows.
fn facts(d: &Decision, shown: Option<usize>, rendered: &RenderedText, lang: Lang) -> Vec<Fact> {
    let t = lang.labels();
    let ev = |facts: &[FactName]| {
        facts
            .iter()
            .filter(|f| d.provenance.get(f).map(|p| p.reading) == shown)
            .find_map(|f| rendered.evidence_anchors.get(f.evidence_key()))
            .map(|a| format!("#{a}"))
    };
    let r = &d.facts;
    let mut out = Vec::new();
    let mut push = |label, value: Option<String>, links: Vec<Link>, names: &[FactName]| {
        if value.is_some() || !links.is_empty() {
            out.push(Fact { label, value: value.unwrap_or_default(), links, evidence_href: ev(names) });
        }
    };
    push(t.date, r.date.map(|d| lang.date(d)), vec![], &[FactName::Date]);
    push(t.nature, r.nature.clone(), vec![], &[FactName::Nature]);
    push(t.respondent, r.respondent.clone(), vec![], &[FactName::Respondent]);
    push(t.sector, r.sector.clone(), vec![], &[FactName::Sector]);
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
    push(t.fine, fine, vec![], &[FactName::Fine]);
    push(
        t.penalty,
        r.penalty_per_day_eur.map(|p| format!("{} {}", lang.money(p), t.per_day)),
        vec![],
        &[FactName::PenaltyPerDay],
    );
    let measures = r.measures.iter().map(|m| lang.measure(*m)).collect::<Vec<_>>().join(", ");
    push(t.measures, (!measures.is_empty()).then_some(measures), vec![], &[FactName::Measures, FactName::Injunction, FactName::Public]);
    push(t.breached, None, r.breached.iter().map(|p| provision_link(p, lang)).collect(), &[FactName::Breached]);
    out
}

fn language(lang: Lang) -> Language {
    match lang {
        Lang::Fr => Language::Fr,
        Lang::En => Language::En,
    }
}

pub async fn decision_page(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let page = Page::new(&params, &headers, &uri, "");
    // The whole text through askama and the summary through ammonia run in the render pool,
    // off the async workers; its permit is taken first, so waiting pages hold no record.
    let permit = match state.render_permit().await {
        Ok(p) => p,
        Err(e) => return WebError(page, e.into()).into_response(),
    };
    let (page, q, r, similar, stats) = match decision_inner(&state, &id, &params, page).await {
        Ok(fetched) => fetched,
        Err((page, e)) => return WebError(page, e).into_response(),
    };
    let cache = state.summaries.clone();
    let rendered = permit
        .run(move || {
            let tpl = decision_build(page, &q, r, similar, &stats, &cache);
            Ok(tpl.page.respond(StatusCode::OK, tpl.render()))
        })
        .await;
    rendered.unwrap_or_else(|e| WebError(Page::new(&params, &headers, &uri, ""), e.into()).into_response())
}

async fn decision_inner(
    state: &AppState,
    id: &str,
    params: &Params,
    page: Page,
) -> Result<(Page, String, Decision, Vec<Hit>, Stats), (Page, ApiError)> {
    macro_rules! tri {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(e) => return Err((page, ApiError::from(e))),
            }
        };
    }
    tri!(params.allow(&["q", "lang"]));
    let q = tri!(params.query());
    let (d, similar) = match api::with_similar(state, id, SIMILAR).await {
        Ok(v) => v,
        Err(e) => return Err((page, e)),
    };
    let stats = match state.call(|b| b.stats()).await {
        Ok(s) => s,
        Err(e) => return Err((page, e.into())),
    };
    Ok((page, q, d, similar, stats))
}

fn decision_build(mut page: Page, q: &str, d: Decision, similar: Vec<Hit>, stats: &Stats, cache: &SummaryCache) -> DecisionPage {
    let lang = page.lang;
    // The original first; a decision known from a curated record only shows its summaries.
    let shown = d.texts.first().map(|t| t.reading);
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
    let comparisons = d
        .facts
        .breached
        .iter()
        .filter_map(|p| {
            let g = stats.by_provision.iter().find(|g| &g.key == p && g.fine_count > 0)?;
            let average = g.fine_sum / g.fine_count;
            Some(Comparison {
                provision: provision_link(p, lang),
                fined: g.fine_count,
                average: lang.money(average),
                ratio: d.facts.fine_eur.filter(|_| average > 0).map(|f| format!("×{:.1}", f as f64 / average as f64)),
            })
        })
        .collect();
    let (citation_fr, citation_en) = citations(&d);
    let heading = d.facts.number.clone().or_else(|| d.title.clone()).unwrap_or_else(|| d.id.clone());
    page.title = match &d.facts.respondent {
        Some(resp) => format!("{heading} – {resp}"),
        None => heading.clone(),
    };
    DecisionPage {
        facts: facts(&d, shown, &text, lang),
        subtitle: d.title.clone().filter(|t| Some(t) != d.facts.number.as_ref()),
        summary_html: d.summary(language(lang)).filter(|s| !s.trim().is_empty()).map(|s| cache.html(s)),
        outline,
        similar: similar.into_iter().map(|h| hit_view(h, lang)).collect(),
        comparisons,
        fine: d.facts.fine_eur.map(|f| lang.money(f)),
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

    #[test]
    fn citations_in_both_languages() {
        // Invented record.
        let r = Record {
            number: Some("SAN-2030-001".into()),
            legifrance_id: Some("CNILTEXT000000000001".into()),
            date: chrono::NaiveDate::from_ymd_opt(2030, 3, 1),
            respondent: Some("Société Exemple".into()),
            ..Default::default()
        };
        let r = crate::record::reconcile(vec![crate::record::Reading::of(r)], None, chrono::Utc::now());
        let (fr, en) = citations(&r);
        assert_eq!(fr, "CNIL, formation restreinte, délibération n° SAN-2030-001 du 1er mars 2030, Société Exemple, Légifrance CNILTEXT000000000001.");
        assert_eq!(en, "CNIL, Restricted Committee, Decision No. SAN-2030-001 of 1 March 2030 (Société Exemple), Légifrance CNILTEXT000000000001.");
        let bad = Decision { legifrance_id: Some("x\" onclick=\"y".into()), ..r };
        assert_eq!(legifrance(&bad), None);
    }
}
