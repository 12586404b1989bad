//! The search page: the form, facets as filters (multi-select: a facet's counts ignore its own
//! selection), fine and date ranges, the sanctions-first default, the hits, paging and exports.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use crate::record::Measure;
use crate::search::{Facet, FacetCount, Facets, SearchRequest, SearchResponse, SortBy, MAX_OFFSET};
use crate::server::params::percent_encode;
use crate::server::articles::provision_label;
use crate::server::error::ApiError;
use crate::server::i18n::{Labels, Lang};
use crate::server::nature::{is_sanction, nature_label};
use crate::server::params::Params;
use crate::server::state::AppState;
use crate::Error;

use super::hits::{hit_view, HitView};
use super::{query_string, Page, WebError};

const PAGE_SIZE: usize = 20;
/// Facet values listed per group (checked ones are always kept; years are all listed).
const FACET_VALUES: usize = 12;
/// Facet filters combined at most.
const MAX_FILTERS: usize = 20;
/// The nature the search shows first once the index holds other natures too.
const SANCTION: &str = "Sanction";
/// Passages shown per result where several paragraphs match.
const PASSAGES: usize = 3;

pub struct FacetGroup {
    pub key: Facet,
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

/// A selected filter shown above the results, with the link that removes it.
pub struct Chip {
    pub label: String,
    pub href: String,
}

/// The facets offered as filters, in the order the page lists them, with their labels. A
/// facet's name is its `f` key and the query-language filter it stands for.
fn facet_fields(t: &'static Labels) -> [(Facet, &'static str); 6] {
    [
        (Facet::Breached, t.breached),
        (Facet::Sector, t.sector),
        (Facet::Year, t.year),
        (Facet::Nature, t.nature),
        (Facet::Measures, t.measures),
        (Facet::RespondentKind, t.respondent_kind),
    ]
}

/// The facet and the value of an `f` parameter (`sector:Health Care`).
fn facet_param(f: &str) -> Result<(Facet, &str), Error> {
    let (key, value) =
        f.split_once(':').ok_or_else(|| Error::InvalidParameter { name: "f", reason: "expected field:value".into() })?;
    let facet = key.parse().map_err(|_| Error::InvalidParameter { name: "f", reason: "unknown facet".into() })?;
    Ok((facet, value))
}

/// What the form filters on besides the words, as its parameters give it.
#[derive(Clone, Default)]
struct Filters {
    /// `key:value` facet values (`f`).
    facets: Vec<String>,
    /// Fine bounds in euros, inclusive (`fine_min`, `fine_max`).
    fine: (Option<u64>, Option<u64>),
    /// Decision date bounds, inclusive (`from`, `to`).
    dates: (Option<NaiveDate>, Option<NaiveDate>),
    /// `all=1`: every nature, the sanctions-first default lifted.
    all_natures: bool,
    /// The sanctions-first default applies (never a parameter: decided per request).
    sanctions_only: bool,
}

fn optional<'a>(params: &'a Params, name: &'static str) -> Result<Option<&'a str>, Error> {
    Ok(params.one(name)?.map(str::trim).filter(|v| !v.is_empty()))
}

impl Filters {
    fn from_params(params: &Params) -> Result<Filters, Error> {
        let amount = |name: &'static str| -> Result<Option<u64>, Error> {
            optional(params, name)?
                .map(|v| {
                    let digits: String = v.chars().filter(|c| !c.is_whitespace() && *c != '€').collect();
                    digits.parse().map_err(|_| Error::InvalidParameter { name, reason: "not an amount in euros".into() })
                })
                .transpose()
        };
        let day = |name: &'static str| -> Result<Option<NaiveDate>, Error> {
            optional(params, name)?
                .map(|v| {
                    NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .map_err(|_| Error::InvalidParameter { name, reason: "expected a date as YYYY-MM-DD".into() })
                })
                .transpose()
        };
        let all_natures = match optional(params, "all")? {
            None => false,
            Some("1") => true,
            Some(_) => return Err(Error::InvalidParameter { name: "all", reason: "must be 1".into() }),
        };
        Ok(Filters {
            facets: params.all("f").map(str::to_string).collect(),
            fine: (amount("fine_min")?, amount("fine_max")?),
            dates: (day("from")?, day("to")?),
            all_natures,
            sanctions_only: false,
        })
    }

    fn selects(&self, facet: Facet) -> bool {
        self.facets.iter().any(|f| facet_param(f).is_ok_and(|(k, _)| k == facet))
    }

    /// Facets with a value selected (or implied), each once.
    fn selected_keys(&self) -> Vec<Facet> {
        let mut keys: Vec<Facet> = self.facets.iter().filter_map(|f| facet_param(f).ok().map(|(k, _)| k)).collect();
        if self.sanctions_only {
            keys.push(Facet::Nature);
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The query-language clauses of these filters; `without` leaves one facet out, for
    /// that facet's own counts.
    fn clauses(&self, without: Option<Facet>) -> Result<Vec<String>, Error> {
        if self.facets.len() > MAX_FILTERS {
            return Err(Error::InvalidParameter { name: "f", reason: format!("at most {MAX_FILTERS} filters") });
        }
        // Keyed by name: the composed query, and the export links that carry it, list the
        // filters in the order of their names.
        let mut groups: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let implied = self.sanctions_only.then(|| format!("nature:{SANCTION}"));
        for f in self.facets.iter().chain(&implied) {
            let (facet, value) = facet_param(f)?;
            // Quotes and backslashes cannot appear in facet values; dropping them keeps the
            // value inside its quotes.
            let value: String = value.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
            if value.trim().is_empty() {
                return Err(Error::InvalidParameter { name: "f", reason: "empty facet value".into() });
            }
            if without != Some(facet) {
                groups.entry(facet.as_str()).or_default().push(format!("{facet}:\"{value}\""));
            }
        }
        let mut out: Vec<String> = groups
            .into_values()
            .map(|values| if values.len() == 1 { values.join("") } else { format!("({})", values.join(" OR ")) })
            .collect();
        let range = |lo: Option<String>, hi: Option<String>| format!("{}..{}", lo.unwrap_or_default(), hi.unwrap_or_default());
        if self.fine != (None, None) {
            out.push(format!("fine:{}", range(self.fine.0.map(|n| n.to_string()), self.fine.1.map(|n| n.to_string()))));
        }
        if self.dates != (None, None) {
            out.push(format!("date:{}", range(self.dates.0.map(|d| d.to_string()), self.dates.1.map(|d| d.to_string()))));
        }
        Ok(out)
    }

    /// The parameters that give these filters back.
    fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self.facets.iter().map(|f| ("f".to_string(), f.clone())).collect();
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                pairs.push((k.to_string(), v));
            }
        };
        push("fine_min", self.fine.0.map(|n| n.to_string()));
        push("fine_max", self.fine.1.map(|n| n.to_string()));
        push("from", self.dates.0.map(|d| d.to_string()));
        push("to", self.dates.1.map(|d| d.to_string()));
        push("all", self.all_natures.then(|| "1".to_string()));
        pairs
    }

    fn is_empty(&self) -> bool {
        self.facets.is_empty() && self.fine == (None, None) && self.dates == (None, None)
    }
}

/// The engine query: the user's query AND each filter (values of one facet OR'ed).
pub fn compose_query(q: &str, clauses: &[String]) -> String {
    let mut parts = Vec::new();
    if !q.is_empty() {
        parts.push(if clauses.is_empty() { q.to_string() } else { format!("({q})") });
    }
    parts.extend(clauses.iter().cloned());
    parts.join(" AND ")
}

/// The user's words out of a correction of the composed query: the filters are never
/// corrected, so the query reads `(words) AND filters` before and after.
fn corrected_words(q: &str, composed: &str, corrected: &str) -> Option<String> {
    if composed == q {
        return Some(corrected.to_string());
    }
    let tail = composed.strip_prefix('(')?.strip_prefix(q)?;
    corrected.strip_suffix(tail)?.strip_prefix('(').map(str::to_string)
}

fn facet_groups(mut facets: Facets, selected: &[String], t: &'static Labels, lang: Lang) -> Vec<FacetGroup> {
    facet_fields(t)
        .iter()
        .map(|&(key, label)| {
            let counts = facets.get_mut(key);
            if key == Facet::Year {
                counts.sort_by(|a, b| b.value.cmp(&a.value));
            }
            let mut options: Vec<FacetOption> = Vec::new();
            for (i, fc) in counts.iter().enumerate() {
                let param = format!("{key}:{}", fc.value);
                let checked = selected.contains(&param);
                if i >= FACET_VALUES && !checked && key != Facet::Year {
                    continue;
                }
                options.push(FacetOption {
                    input_id: format!("f-{key}-{i}"),
                    label: facet_label(key, &fc.value, lang),
                    param,
                    count: fc.count,
                    checked,
                });
            }
            FacetGroup { key, label, options }
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

fn facet_label(key: Facet, value: &str, lang: Lang) -> String {
    match key {
        Facet::Breached => provision_label(value, lang),
        Facet::Measures => value.parse::<Measure>().map_or_else(|_| value.to_string(), |m| lang.measure(m).to_string()),
        Facet::Sector => lang.sector(value).to_string(),
        Facet::Nature => nature_label(value, lang),
        Facet::RespondentKind => lang.respondent_kind_name(value),
        Facet::Year => value.to_string(),
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    q: String,
    sort: &'static str,
    result_text: String,
    total: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    fine_min: String,
    fine_max: String,
    date_from: String,
    date_to: String,
    all_natures: bool,
    chips: Vec<Chip>,
    /// Set when the sanctions-first default hides decisions: the link that shows them all,
    /// and how many it adds.
    include_all: Option<(String, u64)>,
    /// Set when every nature is shown on request: the link back to sanctions only.
    sanctions_back: Option<String>,
    /// A corrected query and its link.
    suggestion: Option<(String, String)>,
    page_no: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
    export_csv: String,
    export_jsonl: String,
    feed: String,
    clear_href: Option<String>,
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
            let one = |name: &'static str| params.one(name).ok().flatten().unwrap_or("").to_string();
            let tpl = SearchPage {
                error: Some(e.message),
                clear_href: None,
                q: one("q"),
                sort: "relevance",
                result_text: String::new(),
                total: 0,
                hits: Vec::new(),
                facets: Vec::new(),
                fine_min: one("fine_min"),
                fine_max: one("fine_max"),
                date_from: one("from"),
                date_to: one("to"),
                all_natures: false,
                chips: Vec::new(),
                include_all: None,
                sanctions_back: None,
                suggestion: None,
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

/// Hits are not needed: the total and the facet counts of `query`.
async fn counts(state: &AppState, query: String) -> Result<SearchResponse, ApiError> {
    let req = SearchRequest { query, limit: 1, snippets: false, ..Default::default() };
    Ok(state.call(move |b| b.search(&req)).await?)
}

async fn search_inner(state: &AppState, params: &Params) -> Result<Builder, ApiError> {
    params.allow(&["q", "f", "fine_min", "fine_max", "from", "to", "all", "sort", "page", "lang"])?;
    let q = params.query()?;
    // Browsing without a query: newest first, since relevance orders nothing then.
    let sort = if q.is_empty() && params.one("sort")?.is_none() { SortBy::Date } else { params.sort()? };
    let page_no = params.number("page", 1, 1, MAX_OFFSET / PAGE_SIZE)?;
    let mut filters = Filters::from_params(params)?;

    // Sanctions first: when the matches mix sanctions with other natures and no nature was
    // asked for, only sanctions are shown, with one link to the rest.
    let mut own_counts: Vec<(Facet, Vec<FacetCount>)> = Vec::new();
    let mut hidden = 0;
    if !filters.all_natures && !filters.selects(Facet::Nature) {
        let probe = counts(state, compose_query(&q, &filters.clauses(None)?)).await?;
        let sanctions: u64 = probe.facets.nature.iter().filter(|c| is_sanction(Some(&c.value))).map(|c| c.count).sum();
        if sanctions > 0 && probe.facets.nature.iter().any(|c| !is_sanction(Some(&c.value))) {
            filters.sanctions_only = true;
            hidden = probe.total as u64 - sanctions;
            own_counts.push((Facet::Nature, probe.facets.nature));
        }
    }

    let query = compose_query(&q, &filters.clauses(None)?);
    let req = SearchRequest {
        query: query.clone(),
        sort,
        limit: PAGE_SIZE,
        offset: (page_no - 1) * PAGE_SIZE,
        passages: PASSAGES,
        ..Default::default()
    };
    let resp = state.call(move |b| b.search(&req)).await?;
    // A facet with a value ticked still lists its other values, counted without its own filter.
    for key in filters.selected_keys() {
        if own_counts.iter().all(|(k, _)| *k != key) {
            let mut r = counts(state, compose_query(&q, &filters.clauses(Some(key))?)).await?;
            own_counts.push((key, std::mem::take(r.facets.get_mut(key))));
        }
    }
    let mut facets = resp.facets;
    for (key, values) in own_counts {
        *facets.get_mut(key) = values;
    }

    let sort_name = sort.as_str();
    let href = {
        let q = q.clone();
        move |filters: &Filters, page: Option<usize>| {
            let mut pairs = vec![("q".to_string(), q.clone())];
            pairs.extend(filters.pairs());
            pairs.push(("sort".into(), sort_name.into()));
            if let Some(p) = page {
                pairs.push(("page".into(), p.to_string()));
            }
            format!("/?{}", query_string(&pairs))
        }
    };
    let prev_href = (page_no > 1).then(|| href(&filters, Some(page_no - 1)));
    let next_href = (page_no * PAGE_SIZE < resp.total.min(MAX_OFFSET)).then(|| href(&filters, Some(page_no + 1)));
    let lifted = |all: bool| Filters { all_natures: all, sanctions_only: false, ..filters.clone() };
    let include_all = filters.sanctions_only.then(|| (href(&lifted(true), None), hidden));
    let sanctions_back = filters.all_natures.then(|| href(&lifted(false), None));
    let clear_href = (!filters.is_empty()).then(|| href(&Filters { all_natures: filters.all_natures, ..Filters::default() }, None));
    let suggestion = resp
        .did_you_mean
        .as_deref()
        .and_then(|c| corrected_words(&q, &query, c))
        .filter(|c| *c != q)
        .map(|c| {
            let mut pairs = vec![("q".to_string(), c.clone())];
            pairs.extend(filters.pairs());
            (format!("/?{}", query_string(&pairs)), c)
        });
    let q_param = percent_encode(&query);
    Ok(Box::new(move |mut page: Page| {
        let lang = page.lang;
        let t = page.t;
        page.title = if q.is_empty() { t.nav_search.to_string() } else { format!("{q} – {}", t.nav_search) };
        let mut chips: Vec<Chip> = filters
            .facets
            .iter()
            .filter_map(|f| {
                // Every `f` is a facet's: the query above refused any other.
                let (key, value) = facet_param(f).ok()?;
                let group = facet_fields(t).iter().find(|g| g.0 == key).map_or(key.as_str(), |g| g.1);
                let rest = Filters { facets: filters.facets.iter().filter(|o| *o != f).cloned().collect(), ..filters.clone() };
                Some(Chip { label: format!("{group}{}{}", t.colon, facet_label(key, value, lang)), href: href(&rest, None) })
            })
            .collect();
        if let Some((all, _)) = &include_all {
            chips.push(Chip { label: t.sanctions_only.to_string(), href: all.clone() });
        }
        let bound = |lo: Option<String>, hi: Option<String>| match (lo, hi) {
            (Some(lo), Some(hi)) => format!("{lo} – {hi}"),
            (Some(lo), None) => format!("≥ {lo}"),
            (None, Some(hi)) => format!("≤ {hi}"),
            (None, None) => String::new(),
        };
        if filters.fine != (None, None) {
            let rest = Filters { fine: (None, None), ..filters.clone() };
            let label = bound(filters.fine.0.map(|n| lang.money(n)), filters.fine.1.map(|n| lang.money(n)));
            chips.push(Chip { label: format!("{}{}{label}", t.fine, t.colon), href: href(&rest, None) });
        }
        if filters.dates != (None, None) {
            let rest = Filters { dates: (None, None), ..filters.clone() };
            let label = bound(filters.dates.0.map(|d| lang.date(d)), filters.dates.1.map(|d| lang.date(d)));
            chips.push(Chip { label: format!("{}{}{label}", t.date, t.colon), href: href(&rest, None) });
        }
        let hits = resp.hits.into_iter().map(|h| hit_view(h, lang, &q)).collect();
        SearchPage {
            facets: facet_groups(facets, &filters.facets, t, lang),
            result_text: lang.count(resp.total as u64),
            total: resp.total,
            hits,
            fine_min: filters.fine.0.map(|n| n.to_string()).unwrap_or_default(),
            fine_max: filters.fine.1.map(|n| n.to_string()).unwrap_or_default(),
            date_from: filters.dates.0.map(|d| d.to_string()).unwrap_or_default(),
            date_to: filters.dates.1.map(|d| d.to_string()).unwrap_or_default(),
            all_natures: filters.all_natures,
            chips,
            include_all,
            sanctions_back,
            suggestion,
            clear_href,
            error: None,
            q,
            sort: sort_name,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(f: &[&str]) -> Filters {
        Filters { facets: f.iter().map(|s| s.to_string()).collect(), ..Filters::default() }
    }

    #[test]
    fn facet_filters_compose_with_the_query() {
        let compose = |q: &str, f: &Filters| compose_query(q, &f.clauses(None).unwrap());
        assert_eq!(compose("cookies", &filters(&[])), "cookies");
        assert_eq!(
            compose("cookies", &filters(&["sector:Health Care", "year:2020", "year:2021"])),
            "(cookies) AND sector:\"Health Care\" AND (year:\"2020\" OR year:\"2021\")"
        );
        assert_eq!(
            compose("", &filters(&["nature:Sanction", "breached:GDPR:32"])),
            "breached:\"GDPR:32\" AND nature:\"Sanction\""
        );
        assert_eq!(compose("", &filters(&["sector:a\" OR x:\"b"])), "sector:\"a OR x:b\"");
        assert!(filters(&["evil:1"]).clauses(None).is_err());
        assert!(filters(&["nocolon"]).clauses(None).is_err());
        assert!(filters(&vec!["year:2020"; 21]).clauses(None).is_err());
    }

    #[test]
    fn a_facet_is_counted_without_its_own_values() {
        let f = filters(&["sector:Health Care", "sector:Telecoms", "year:2021"]);
        assert_eq!(f.clauses(Some(Facet::Sector)).unwrap(), vec!["year:\"2021\"".to_string()]);
        assert_eq!(f.selected_keys(), vec![Facet::Sector, Facet::Year]);
        let sanctions = Filters { sanctions_only: true, ..filters(&["year:2021"]) };
        assert_eq!(sanctions.clauses(None).unwrap(), vec!["nature:\"Sanction\"", "year:\"2021\""]);
        assert_eq!(sanctions.clauses(Some(Facet::Nature)).unwrap(), vec!["year:\"2021\""]);
        assert_eq!(sanctions.pairs(), vec![("f".to_string(), "year:2021".to_string())], "the default is never a parameter");
    }

    #[test]
    fn ranges_become_query_ranges() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let f = Filters { fine: (Some(10_000), None), dates: (d("2020-01-01"), d("2021-06-30")), ..Filters::default() };
        assert_eq!(f.clauses(None).unwrap(), vec!["fine:10000..", "date:2020-01-01..2021-06-30"]);
        let f = Filters { fine: (None, Some(5000)), ..Filters::default() };
        assert_eq!(compose_query("cookies", &f.clauses(None).unwrap()), "(cookies) AND fine:..5000");
        for (k, v) in [("fine_min", "lots"), ("from", "2020-13-01"), ("all", "yes")] {
            let p = Params::from_pairs(vec![(k.to_string(), v.to_string())]);
            assert!(Filters::from_params(&p).is_err(), "{k}={v}");
        }
        let p = Params::from_pairs(vec![("fine_min".into(), "1 000 000 €".into()), ("to".into(), "".into())]);
        let f = Filters::from_params(&p).unwrap();
        assert_eq!((f.fine, f.dates), ((Some(1_000_000), None), (None, None)));
        for q in f.clauses(None).unwrap() {
            crate::search::query::parse(&q).unwrap();
        }
    }

    #[test]
    fn corrections_keep_the_users_words_only() {
        assert_eq!(corrected_words("cookeis", "cookeis", "cookies").as_deref(), Some("cookies"));
        assert_eq!(
            corrected_words("cookeis", "(cookeis) AND year:\"2021\"", "(cookies) AND year:\"2021\"").as_deref(),
            Some("cookies")
        );
        assert_eq!(corrected_words("cookeis", "(cookeis) AND year:\"2021\"", "something else"), None);
    }
}
