//! The web pages: search, decision, articles, statistics. Server-rendered with askama (every
//! value escaped), usable without JavaScript; `copy.js` only adds copy buttons.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::record::{Decision, Fact as FactName, Language, Measure, Record};
use crate::search::{FacetCount, Facets, Hit, SearchRequest, SnippetPart, SortBy, Stats, MAX_OFFSET};
use crate::Error;

use super::api::{self, percent_encode};
use super::articles::{self, provision_label};
use super::charts::{self, Chart, Datum};
use super::error::{json_error, ApiError};
use super::i18n::{Labels, Lang};
use super::params::Params;
use super::render::SummaryCache;
use super::state::AppState;
use super::text::{self, RenderedText};
use super::{body_of, html};

const PAGE_SIZE: usize = 20;
/// Facet values listed per group (checked ones are always kept).
const FACET_VALUES: usize = 12;
/// Facet filters combined at most.
const MAX_FILTERS: usize = 20;
const SIMILAR: usize = 5;

/// What every page's frame needs.
pub struct Page {
    pub lang: Lang,
    pub t: &'static Labels,
    pub title: String,
    /// The current page in the other language.
    pub switch_href: String,
    /// Set when the language came from `?lang=`: remembered in a cookie.
    remember: bool,
}

impl Page {
    fn new(params: &Params, headers: &HeaderMap, uri: &Uri, title: impl Into<String>) -> Page {
        let explicit = params.all("lang").next();
        let lang = Lang::negotiate(explicit, headers);
        let mut pairs: Vec<(String, String)> = params.pairs().iter().filter(|(k, _)| k != "lang").cloned().collect();
        pairs.push(("lang".into(), lang.other().code().into()));
        Page {
            lang,
            t: lang.labels(),
            title: title.into(),
            switch_href: format!("{}?{}", uri.path(), query_string(&pairs)),
            remember: explicit.is_some_and(|l| Lang::negotiate(Some(l), &HeaderMap::new()) == lang),
        }
    }

    pub fn count(&self, n: &u64) -> String {
        self.lang.count(*n)
    }

    fn respond(&self, status: StatusCode, rendered: askama::Result<String>) -> Response {
        let mut resp = html(status, rendered);
        if self.remember {
            let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", self.lang.code());
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
        }
        resp.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(self.lang.code()));
        resp.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-language, cookie"));
        resp
    }
}

pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: String,
}

/// An error met while building a page, shown as a page.
struct WebError(Page, ApiError);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let WebError(mut page, e) = self;
        page.title = page.t.error_title.to_string();
        let status = e.status;
        let tpl = ErrorPage { status: status.as_u16(), message: e.message, page };
        let mut resp = tpl.page.respond(status, tpl.render());
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(super::error::RETRY_AFTER_SECS));
        }
        resp
    }
}

/// Unknown paths: JSON under `/api/`, a page elsewhere.
pub async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let message = "no such page";
    if uri.path().starts_with("/api/") {
        return json_error(StatusCode::NOT_FOUND, "not_found", message);
    }
    let params = Params::from_pairs(Vec::new());
    let page = Page::new(&params, &headers, &uri, "");
    WebError(page, ApiError::new(StatusCode::NOT_FOUND, "not_found", message)).into_response()
}

pub async fn stylesheet() -> Response {
    body_of(include_str!("../../web/static/style.css"), "text/css; charset=utf-8")
}

pub async fn script() -> Response {
    body_of(include_str!("../../web/static/copy.js"), "text/javascript; charset=utf-8")
}

/// A hit as the pages list it.
pub struct HitView {
    pub href: String,
    pub heading: String,
    pub date: Option<String>,
    pub respondent: Option<String>,
    pub sector: Option<String>,
    pub fine: Option<String>,
    pub measures: String,
    pub breached: Vec<Link>,
    pub snippet: Vec<SnippetPart>,
}

pub struct Link {
    pub label: String,
    pub href: String,
}

fn provision_link(p: &str, lang: Lang) -> Link {
    let href = match articles::gdpr_number(p) {
        Some(n) if articles::get(n).is_some() => format!("/articles/{n}"),
        _ => format!("/?q={}", percent_encode(&format!("breached:\"{p}\""))),
    };
    Link { label: provision_label(p, lang), href }
}

fn hit_view(hit: Hit, lang: Lang) -> HitView {
    let Hit { head: h, snippet, .. } = hit;
    HitView {
        href: format!("/decisions/{}", percent_encode(&h.id)),
        heading: match (&h.number, &h.title) {
            (Some(n), _) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => h.id.clone(),
        },
        date: h.date.map(|d| lang.date(d)),
        respondent: h.respondent,
        sector: h.sector,
        fine: h.fine_eur.map(|f| lang.money(f)),
        measures: h.measures.iter().map(|m| lang.measure(*m)).collect::<Vec<_>>().join(", "),
        breached: h.breached.iter().map(|p| provision_link(p, lang)).collect(),
        snippet,
    }
}

pub struct FacetGroup {
    pub key: &'static str,
    pub label: &'static str,
    pub options: Vec<FacetOption>,
}

pub struct FacetOption {
    /// The `f` parameter value: `field:value`.
    pub param: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
    pub input_id: String,
}

/// The facets offered as filters, with the query-language field each one filters on.
fn facet_fields(t: &'static Labels) -> [(&'static str, &'static str, &'static str); 6] {
    [
        ("breached", "breached", t.breached),
        ("sector", "sector", t.sector),
        ("year", "year", t.year),
        ("nature", "nature", t.nature),
        ("measures", "measures", t.measures),
        ("respondent_kind", "respondent_kind", t.respondent_kind),
    ]
}

/// The engine query: the user's query AND each facet group (values of one group OR'ed).
pub fn compose_query(q: &str, filters: &[String]) -> Result<String, Error> {
    if filters.len() > MAX_FILTERS {
        return Err(Error::InvalidParameter { name: "f", reason: format!("at most {MAX_FILTERS} filters") });
    }
    let mut groups: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in filters {
        let (key, value) = f
            .split_once(':')
            .ok_or_else(|| Error::InvalidParameter { name: "f", reason: "expected field:value".into() })?;
        let field = facet_fields(Lang::En.labels())
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, field, _)| *field)
            .ok_or_else(|| Error::InvalidParameter { name: "f", reason: "unknown facet".into() })?;
        // Quotes and backslashes cannot appear in facet values; dropping them keeps the
        // value inside its quotes.
        let value: String = value.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
        if value.trim().is_empty() {
            return Err(Error::InvalidParameter { name: "f", reason: "empty facet value".into() });
        }
        groups.entry(field).or_default().push(format!("{field}:\"{value}\""));
    }
    let mut parts = Vec::new();
    if !q.is_empty() {
        parts.push(if groups.is_empty() { q.to_string() } else { format!("({q})") });
    }
    for (_, values) in groups {
        parts.push(if values.len() == 1 {
            values.into_iter().next().unwrap_or_default()
        } else {
            format!("({})", values.join(" OR "))
        });
    }
    Ok(parts.join(" AND "))
}

fn facet_groups(facets: &Facets, selected: &[String], t: &'static Labels, lang: Lang) -> Vec<FacetGroup> {
    let counts = |key: &str| -> &[FacetCount] {
        match key {
            "breached" => &facets.breached,
            "sector" => &facets.sector,
            "year" => &facets.year,
            "nature" => &facets.nature,
            "measures" => &facets.measures,
            _ => &facets.respondent_kind,
        }
    };
    facet_fields(t)
        .iter()
        .map(|(key, _, label)| {
            let mut options: Vec<FacetOption> = Vec::new();
            for (i, fc) in counts(key).iter().enumerate() {
                let param = format!("{key}:{}", fc.value);
                let checked = selected.contains(&param);
                if i >= FACET_VALUES && !checked {
                    continue;
                }
                let label = match *key {
                    "breached" => provision_label(&fc.value, lang),
                    "measures" => serde_json::from_value::<Measure>(serde_json::Value::String(fc.value.clone()))
                        .map_or_else(|_| fc.value.clone(), |m| lang.measure(m).to_string()),
                    _ => fc.value.clone(),
                };
                options.push(FacetOption { input_id: format!("f-{key}-{i}"), param, label, count: fc.count, checked });
            }
            FacetGroup { key, label, options }
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    q: String,
    sort: &'static str,
    selected: Vec<String>,
    result_text: String,
    total: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    page_no: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
    export_csv: String,
    export_jsonl: String,
    feed: String,
    clear_href: String,
    /// Why the query was refused, shown above the form.
    error: Option<String>,
}

pub async fn search_page(State(state): State<Arc<AppState>>, params: Params, headers: HeaderMap, uri: Uri) -> Response {
    let page = Page::new(&params, &headers, &uri, "");
    match search_inner(&state, &params).await {
        Ok(build) => {
            let tpl = build(page);
            tpl.page.respond(StatusCode::OK, tpl.render())
        }
        // A query that does not parse: the form again, with the problem and the query kept.
        Err(e) if e.status == StatusCode::BAD_REQUEST => {
            let mut page = page;
            page.title = page.t.nav_search.to_string();
            let q = params.one("q").ok().flatten().unwrap_or("").to_string();
            let tpl = SearchPage {
                error: Some(e.message),
                clear_href: "/".into(),
                q,
                sort: "relevance",
                selected: Vec::new(),
                result_text: String::new(),
                total: 0,
                hits: Vec::new(),
                facets: Vec::new(),
                page_no: 1,
                prev_href: None,
                next_href: None,
                export_csv: String::new(),
                export_jsonl: String::new(),
                feed: String::new(),
                page,
            };
            tpl.page.respond(StatusCode::BAD_REQUEST, tpl.render())
        }
        Err(e) => WebError(page, e).into_response(),
    }
}

type Builder = Box<dyn FnOnce(Page) -> SearchPage + Send>;

async fn search_inner(state: &AppState, params: &Params) -> Result<Builder, ApiError> {
    params.allow(&["q", "f", "sort", "page", "lang"])?;
    let q = params.query()?;
    // Browsing without a query: newest first, since relevance orders nothing then.
    let sort = if q.is_empty() && params.one("sort")?.is_none() { SortBy::Date } else { params.sort()? };
    let page_no = params.number("page", 1, 1, MAX_OFFSET / PAGE_SIZE)?;
    let selected: Vec<String> = params.all("f").map(str::to_string).collect();
    let query = compose_query(&q, &selected)?;
    let req = SearchRequest {
        query: query.clone(),
        sort,
        limit: PAGE_SIZE,
        offset: (page_no - 1) * PAGE_SIZE,
        ..Default::default()
    };
    let resp = state.call(move |b| b.search(&req)).await?;
    let sort_name = match sort {
        SortBy::Relevance => "relevance",
        SortBy::Date => "date",
        SortBy::Fine => "fine",
    };
    let link = move |p: usize| {
        let mut pairs = vec![("q".to_string(), q.clone())];
        pairs.extend(params_f(&selected));
        pairs.push(("sort".into(), sort_name.into()));
        pairs.push(("page".into(), p.to_string()));
        format!("/?{}", query_string(&pairs))
    };
    let prev_href = (page_no > 1).then(|| link(page_no - 1));
    let next_href = (page_no * PAGE_SIZE < resp.total.min(MAX_OFFSET)).then(|| link(page_no + 1));
    let q_param = percent_encode(&query);
    let q_text = params.query()?;
    let selected: Vec<String> = params.all("f").map(str::to_string).collect();
    Ok(Box::new(move |mut page: Page| {
        let lang = page.lang;
        page.title = if q_text.is_empty() {
            page.t.nav_search.to_string()
        } else {
            format!("{q_text} – {}", page.t.nav_search)
        };
        SearchPage {
            facets: facet_groups(&resp.facets, &selected, page.t, lang),
            result_text: lang.count(resp.total as u64),
            total: resp.total,
            hits: resp.hits.into_iter().map(|h| hit_view(h, lang)).collect(),
            clear_href: format!("/?q={}", percent_encode(&q_text)),
            error: None,
            q: q_text,
            sort: sort_name,
            selected,
            page_no,
            prev_href,
            next_href,
            export_csv: format!("/api/v1/export.csv?q={q_param}&sort={sort_name}"),
            export_jsonl: format!("/api/v1/export.jsonl?q={q_param}&sort={sort_name}"),
            feed: format!("/feed.atom?q={q_param}"),
            page,
        }
    }))
}

fn params_f(selected: &[String]) -> Vec<(String, String)> {
    selected.iter().map(|f| ("f".to_string(), f.clone())).collect()
}

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

pub struct ArticleRow {
    pub number: u32,
    pub title: String,
    pub chapter: String,
    pub decisions: u64,
    pub fines: Option<String>,
}

#[derive(Template)]
#[template(path = "articles.html")]
struct ArticlesPage {
    page: Page,
    rows: Vec<ArticleRow>,
}

pub async fn articles_page(
    State(state): State<Arc<AppState>>,
    params: Params,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut page = Page::new(&params, &headers, &uri, "");
    page.title = page.t.articles_title.to_string();
    if let Err(e) = params.allow(&["lang"]) {
        return WebError(page, e.into()).into_response();
    }
    match api::article_counts(&state).await {
        Ok(counts) => {
            let lang = page.lang;
            let rows = counts
                .into_iter()
                .map(|c| ArticleRow {
                    number: c.article.number,
                    title: c.article.title(lang).to_string(),
                    chapter: format!("{} – {}", c.article.chapter, c.article.chapter_title),
                    decisions: c.decisions,
                    fines: (c.fine_sum > 0).then(|| lang.money(c.fine_sum)),
                })
                .collect();
            let tpl = ArticlesPage { page, rows };
            tpl.page.respond(StatusCode::OK, tpl.render())
        }
        Err(e) => WebError(page, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    page: Page,
    number: u32,
    title: String,
    chapter: String,
    total: usize,
    fines_total: Option<String>,
    fine_median: Option<String>,
    hits: Vec<HitView>,
    search_href: String,
}

pub async fn article_page(
    State(state): State<Arc<AppState>>,
    Path(n): Path<String>,
    params: Params,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut page = Page::new(&params, &headers, &uri, "");
    let article = match params.allow(&["lang"]).and_then(|_| api::parse_article(&n)) {
        Ok(a) => a,
        Err(e) => return WebError(page, e.into()).into_response(),
    };
    match api::article_decisions(&state, article, crate::search::MAX_LIMIT, None).await {
        Ok(d) => {
            let lang = page.lang;
            page.title = format!("{} {} – {}", page.t.article, article.number, article.title(lang));
            let tpl = ArticlePage {
                number: article.number,
                title: article.title(lang).to_string(),
                chapter: format!("{} {} – {}", page.t.chapter, article.chapter, article.chapter_title),
                total: d.article.decisions as usize,
                fines_total: (d.fine_stats.sum > 0).then(|| lang.money(d.fine_stats.sum)),
                fine_median: d.fine_stats.median.map(|m| lang.money(m)),
                hits: d.hits.into_iter().map(|h| hit_view(h, lang)).collect(),
                search_href: format!("/?q={}", percent_encode(&format!("article:{}", article.number))),
                page,
            };
            tpl.page.respond(StatusCode::OK, tpl.render())
        }
        Err(e) => WebError(page, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    page: Page,
    total: u64,
    charts: Vec<Chart>,
}

pub async fn stats_page(State(state): State<Arc<AppState>>, params: Params, headers: HeaderMap, uri: Uri) -> Response {
    let mut page = Page::new(&params, &headers, &uri, "");
    page.title = page.t.stats_title.to_string();
    if let Err(e) = params.allow(&["lang"]) {
        return WebError(page, e.into()).into_response();
    }
    let stats = match state.call(|b| b.stats()).await {
        Ok(s) => s,
        Err(e) => return WebError(page, e.into()).into_response(),
    };
    let lang = page.lang;
    let t = page.t;
    let mut years = stats.by_year.clone();
    years.sort_by(|a, b| a.key.cmp(&b.key));
    let mut provisions = stats.by_provision.clone();
    provisions.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    let mut sectors = stats.by_sector.clone();
    sectors.sort_by(|a, b| b.fine_sum.cmp(&a.fine_sum).then(a.key.cmp(&b.key)));
    let q = |s: String| Some(format!("/?q={}", percent_encode(&s)));
    let charts = vec![
        charts::bar_chart(
            "fines-per-year",
            t.fines_per_year,
            years
                .iter()
                .map(|g| Datum {
                    label: g.key.clone(),
                    value: g.fine_sum,
                    value_text: lang.money(g.fine_sum),
                    href: q(format!("year:{}", g.key)),
                })
                .collect(),
        ),
        charts::bar_chart(
            "decisions-per-year",
            t.decisions_per_year,
            years
                .iter()
                .map(|g| Datum {
                    label: g.key.clone(),
                    value: g.count,
                    value_text: g.count.to_string(),
                    href: q(format!("year:{}", g.key)),
                })
                .collect(),
        ),
        charts::bar_chart(
            "by-provision",
            t.by_provision,
            provisions
                .iter()
                .map(|g| Datum {
                    label: provision_label(&g.key, lang),
                    value: g.count,
                    value_text: lang.count(g.count),
                    href: Some(provision_link(&g.key, lang).href),
                })
                .collect(),
        ),
        charts::bar_chart(
            "by-sector",
            t.by_sector,
            sectors
                .iter()
                .map(|g| Datum {
                    label: g.key.clone(),
                    value: g.fine_sum,
                    value_text: lang.money(g.fine_sum),
                    href: q(format!("sector:\"{}\"", g.key)),
                })
                .collect(),
        ),
    ];
    let tpl = StatsPage { page, total: stats.total, charts };
    tpl.page.respond(StatusCode::OK, tpl.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_filters_compose_with_the_query() {
        let f = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(compose_query("cookies", &[]).unwrap(), "cookies");
        assert_eq!(
            compose_query("cookies", &f(&["sector:Health Care", "year:2020", "year:2021"])).unwrap(),
            "(cookies) AND sector:\"Health Care\" AND (year:\"2020\" OR year:\"2021\")"
        );
        assert_eq!(
            compose_query("", &f(&["nature:Sanction", "breached:GDPR:32"])).unwrap(),
            "breached:\"GDPR:32\" AND nature:\"Sanction\""
        );
        assert_eq!(compose_query("", &f(&["sector:a\" OR x:\"b"])).unwrap(), "sector:\"a OR x:b\"");
        assert!(compose_query("", &f(&["evil:1"])).is_err());
        assert!(compose_query("", &f(&["nocolon"])).is_err());
        assert!(compose_query("", &vec!["year:2020".to_string(); 21]).is_err());
    }

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
