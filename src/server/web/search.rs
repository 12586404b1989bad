//! The search page: the form, facets as filters, the hits, paging and exports.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::record::Measure;
use crate::search::{FacetCount, Facets, SearchRequest, SortBy, MAX_OFFSET};
use crate::server::params::percent_encode;
use crate::server::articles::provision_label;
use crate::server::error::ApiError;
use crate::server::i18n::{Labels, Lang};
use crate::server::params::Params;
use crate::server::state::AppState;
use crate::Error;

use super::hits::{hit_view, HitView};
use super::{query_string, Page, WebError};

const PAGE_SIZE: usize = 20;
/// Facet values listed per group (checked ones are always kept).
const FACET_VALUES: usize = 12;
/// Facet filters combined at most.
const MAX_FILTERS: usize = 20;


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
        Err(e) => WebError::from(e).into_response(),
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
            hits: resp.hits.into_iter().map(|h| hit_view(h, lang, &q_text)).collect(),
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
}
