//! The JSON API under `/api/v1`, the exports, the Atom feed, and the health, readiness and
//! metrics endpoints.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tokio::sync::mpsc;

use crate::record::{Measure, Record};
use crate::search::{Hit, SearchRequest, SearchResponse, SortBy, MAX_LIMIT};
use crate::{Error, Result};

use super::articles::{self, Article};
use super::error::ApiError;
use super::i18n::Lang;
use super::params::{truncate, Params};
use super::state::AppState;

type ApiResult<T> = std::result::Result<T, ApiError>;

/// Longest id or decision number looked up; longer ones cannot exist.
pub const MAX_ID_LEN: usize = 128;
/// Hits an export or a feed carries at most.
pub const MAX_EXPORT: usize = 10_000;
pub const FEED_ENTRIES: usize = 50;
pub const MAX_SIMILAR: usize = 20;

pub fn check_id(id: &str) -> Result<&str> {
    let id = id.trim();
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(Error::InvalidParameter { name: "id", reason: format!("must be 1 to {MAX_ID_LEN} characters") });
    }
    Ok(id)
}

#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = Option<String>, Query, description = "Query in recueil's query language (at most 512 characters)"),
        ("sort" = Option<String>, Query, description = "relevance (default), date or fine"),
        ("limit" = Option<usize>, Query, description = "Hits per page, 1 to 100 (default 10)"),
        ("offset" = Option<usize>, Query, description = "Hits to skip; offset + limit at most 10000"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "Hits, facet counts over the whole result set, fine statistics, and `did_you_mean` (a corrected query) when there are few or no hits", content_type = "application/json"),
        (status = 400, description = "Bad query or parameter", body = super::error::ErrorBody),
        (status = 503, description = "Overloaded; retry after the Retry-After delay", body = super::error::ErrorBody),
    ))]
pub async fn search(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Json<SearchResponse>> {
    let req = params.allow(&["q", "sort", "limit", "offset", "cursor"])?.search_request()?;
    Ok(Json(state.call(move |b| b.search(&req)).await?))
}

async fn get_record(state: &AppState, id: &str) -> ApiResult<Record> {
    let id = check_id(id)?.to_string();
    let key = id.clone();
    state
        .call(move |b| b.get(&key))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no decision {:?}", truncate(&id, 40))))
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions",
    params(("id" = String, Path, description = "Record id (CNILTEXT…) or decision number (SAN-2020-014)")),
    responses(
        (status = 200, description = "The full record with facts, evidence spans and outline", content_type = "application/json"),
        (status = 404, description = "No such decision", body = super::error::ErrorBody),
    ))]
pub async fn decision(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Record>> {
    params.allow(&[])?;
    Ok(Json(get_record(&state, &id).await?))
}

/// What API clients ask for about one decision.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionSummary {
    pub id: String,
    pub number: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub nature: Option<String>,
    pub respondent: Option<String>,
    pub sector: Option<String>,
    pub fine_eur: Option<u64>,
    pub breached: Vec<Provision>,
    #[schema(value_type = Vec<String>)]
    pub measures: Vec<Measure>,
    pub summary: Option<String>,
    pub legifrance_url: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Provision {
    /// `GDPR:32`, `LIL:82`, `CPCE:L34-5`.
    pub provision: String,
    /// English label with the article's title when known.
    pub title: String,
}

pub fn provisions(keys: &[String]) -> Vec<Provision> {
    keys.iter().map(|k| Provision { provision: k.clone(), title: articles::provision_label(k, Lang::En) }).collect()
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}/summary", tag = "decisions",
    params(("id" = String, Path, description = "Record id or decision number")),
    responses(
        (status = 200, description = "Number, date, respondent, sector, fine, breached provisions with titles, measures, summary, Légifrance link", body = DecisionSummary),
        (status = 404, description = "No such decision", body = super::error::ErrorBody),
    ))]
pub async fn summary(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<DecisionSummary>> {
    params.allow(&[])?;
    let r = get_record(&state, &id).await?;
    Ok(Json(DecisionSummary {
        legifrance_url: r.legifrance_url(),
        breached: provisions(&r.breached),
        id: r.id,
        number: r.number,
        date: r.date,
        nature: r.nature,
        respondent: r.respondent,
        sector: r.sector,
        fine_eur: r.fine_eur,
        measures: r.measures,
        summary: r.summary,
    }))
}

/// The record and its similar decisions, in one engine call.
pub async fn with_similar(state: &AppState, id: &str, limit: usize) -> ApiResult<(Record, Vec<Hit>)> {
    let id = check_id(id)?.to_string();
    let key = id.clone();
    let found = state
        .call(move |b| match b.get(&key)? {
            Some(r) => {
                let similar = b.similar(&r.id, limit)?;
                Ok(Some((r, similar)))
            }
            None => Ok(None),
        })
        .await?;
    found.ok_or_else(|| ApiError::not_found(format!("no decision {:?}", truncate(&id, 40))))
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}/similar", tag = "decisions",
    params(
        ("id" = String, Path, description = "Record id or decision number"),
        ("limit" = Option<usize>, Query, description = "1 to 20 (default 5)"),
    ),
    responses(
        (status = 200, description = "Similar decisions, most similar first", content_type = "application/json"),
        (status = 404, description = "No such decision", body = super::error::ErrorBody),
    ))]
pub async fn similar(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Vec<Hit>>> {
    let limit = params.allow(&["limit"])?.number("limit", 5, 1, MAX_SIMILAR)?;
    Ok(Json(with_similar(&state, &id, limit).await?.1))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleCount {
    #[serde(flatten)]
    pub article: Article,
    /// Decisions finding a breach of the article.
    pub decisions: u64,
    pub fine_count: u64,
    pub fine_sum: u64,
}

pub async fn article_counts(state: &AppState) -> ApiResult<Vec<ArticleCount>> {
    let stats = state.call(|b| b.stats()).await?;
    Ok(articles::all()
        .iter()
        .map(|a| {
            let key = a.key();
            let g = stats.by_provision.iter().find(|g| g.key == key);
            ArticleCount {
                article: a.clone(),
                decisions: g.map_or(0, |g| g.count),
                fine_count: g.map_or(0, |g| g.fine_count),
                fine_sum: g.map_or(0, |g| g.fine_sum),
            }
        })
        .collect())
}

#[utoipa::path(get, path = "/api/v1/articles", tag = "articles",
    responses((status = 200, description = "Every GDPR article with its title and the count of decisions breaching it", body = Vec<ArticleCount>)))]
pub async fn articles_list(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Json<Vec<ArticleCount>>> {
    params.allow(&[])?;
    Ok(Json(article_counts(&state).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleDecisions {
    #[serde(flatten)]
    pub article: Article,
    pub total: usize,
    #[schema(value_type = Object)]
    pub fine_stats: crate::search::FineStats,
    #[schema(value_type = Vec<Object>)]
    pub decisions: Vec<Hit>,
}

pub fn parse_article(n: &str) -> Result<&'static Article> {
    let number: u32 = n
        .trim()
        .parse()
        .map_err(|_| Error::InvalidParameter { name: "article", reason: "must be an article number".into() })?;
    articles::get(number).ok_or_else(|| Error::NotFound(format!("no gdpr article {number}")))
}

/// The decisions breaching one article, newest first.
pub async fn article_decisions(state: &AppState, article: &'static Article) -> ApiResult<ArticleDecisions> {
    let req = SearchRequest {
        query: format!("article:{}", article.number),
        sort: SortBy::Date,
        limit: MAX_LIMIT,
        snippets: false,
        ..Default::default()
    };
    let resp = state.call(move |b| b.search(&req)).await?;
    Ok(ArticleDecisions {
        article: article.clone(),
        total: resp.total,
        fine_stats: resp.fine_stats,
        decisions: resp.hits,
    })
}

#[utoipa::path(get, path = "/api/v1/articles/{n}", tag = "articles",
    params(("n" = u32, Path, description = "GDPR article number, 1 to 99")),
    responses(
        (status = 200, description = "The article and the decisions breaching it (newest first, at most 100)", body = ArticleDecisions),
        (status = 400, description = "Not a number", body = super::error::ErrorBody),
        (status = 404, description = "No such article", body = super::error::ErrorBody),
    ))]
pub async fn article(
    State(state): State<Arc<AppState>>,
    Path(n): Path<String>,
    params: Params,
) -> ApiResult<Json<ArticleDecisions>> {
    params.allow(&[])?;
    Ok(Json(article_decisions(&state, parse_article(&n)?).await?))
}

#[utoipa::path(get, path = "/api/v1/stats", tag = "stats",
    responses((status = 200, description = "Counts and fine sums per year, provision and sector", content_type = "application/json")))]
pub async fn stats(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Json<crate::search::Stats>> {
    params.allow(&[])?;
    Ok(Json(state.call(|b| b.stats()).await?))
}

/// A response body fed page by page by a producer task.
struct ChannelBody(mpsc::Receiver<Bytes>);

impl HttpBody for ChannelBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|b| Ok(hyper::body::Frame::data(b))))
    }
}

#[derive(Clone, Copy)]
enum ExportFormat {
    Csv,
    Jsonl,
}

const CSV_HEADER: [&str; 11] = [
    "id",
    "number",
    "date",
    "nature",
    "respondent",
    "sector",
    "fine_eur",
    "breached",
    "measures",
    "title",
    "legifrance_url",
];

/// A cell that a spreadsheet would take for a formula gets a leading quote.
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn encode(hits: &[Hit], format: ExportFormat, header: bool) -> Bytes {
    match format {
        ExportFormat::Jsonl => {
            let mut out = Vec::new();
            for h in hits {
                if serde_json::to_writer(&mut out, h).is_ok() {
                    out.push(b'\n');
                }
            }
            Bytes::from(out)
        }
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            if header {
                let _ = w.write_record(CSV_HEADER);
            }
            for h in hits {
                let measures: Vec<&str> = h.measures.iter().map(|m| Lang::En.measure(*m)).collect();
                let row = [
                    h.id.clone(),
                    h.number.clone().unwrap_or_default(),
                    h.date.map(|d| d.to_string()).unwrap_or_default(),
                    h.nature.clone().unwrap_or_default(),
                    h.respondent.clone().unwrap_or_default(),
                    h.sector.clone().unwrap_or_default(),
                    h.fine_eur.map(|f| f.to_string()).unwrap_or_default(),
                    h.breached.join(";"),
                    measures.join(";"),
                    h.title.clone().unwrap_or_default(),
                    legifrance_of_hit(h).unwrap_or_default(),
                ];
                let _ = w.write_record(row.iter().map(|c| csv_cell(c)));
            }
            Bytes::from(w.into_inner().unwrap_or_default())
        }
    }
}

fn legifrance_of_hit(h: &Hit) -> Option<String> {
    h.id.starts_with("CNILTEXT").then(|| format!("https://www.legifrance.gouv.fr/cnil/id/{}", h.id))
}

async fn export(state: Arc<AppState>, params: Params, format: ExportFormat) -> ApiResult<Response> {
    params.allow(&["q", "sort"])?;
    let mut req = SearchRequest {
        query: params.query()?,
        sort: params.sort()?,
        limit: MAX_LIMIT,
        snippets: false,
        ..Default::default()
    };
    // The first page is fetched before answering so that a bad query is a 400, not a
    // truncated 200.
    let first_req = req.clone();
    let first = state.call(move |b| b.search(&first_req)).await?;
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    tokio::spawn(async move {
        let mut sent = first.hits.len();
        let mut cursor = first.next_cursor;
        if tx.send(encode(&first.hits, format, true)).await.is_err() {
            return;
        }
        while let Some(c) = cursor.take().filter(|_| sent < MAX_EXPORT) {
            req.cursor = Some(c);
            let page_req = req.clone();
            match state.call(move |b| b.search(&page_req)).await {
                Ok(page) if !page.hits.is_empty() => {
                    sent += page.hits.len();
                    cursor = page.next_cursor;
                    if tx.send(encode(&page.hits, format, false)).await.is_err() {
                        return;
                    }
                }
                Ok(_) => return,
                Err(e) => {
                    tracing::warn!("export stopped early: {e}");
                    return;
                }
            }
        }
    });
    let (content_type, name) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "recueil-export.csv"),
        ExportFormat::Jsonl => ("application/jsonl; charset=utf-8", "recueil-export.jsonl"),
    };
    let mut resp = Body::new(ChannelBody(rx)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("ascii name"),
    );
    Ok(resp)
}

#[utoipa::path(get, path = "/api/v1/export.csv", tag = "search",
    params(("q" = Option<String>, Query, description = "Query"), ("sort" = Option<String>, Query, description = "relevance, date or fine")),
    responses((status = 200, description = "Every hit of the search (at most 10000), streamed as CSV", content_type = "text/csv"),
              (status = 400, description = "Bad query", body = super::error::ErrorBody)))]
pub async fn export_csv(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Response> {
    export(state, params, ExportFormat::Csv).await
}

#[utoipa::path(get, path = "/api/v1/export.jsonl", tag = "search",
    params(("q" = Option<String>, Query, description = "Query"), ("sort" = Option<String>, Query, description = "relevance, date or fine")),
    responses((status = 200, description = "Every hit of the search (at most 10000), streamed as JSON Lines", content_type = "application/jsonl"),
              (status = 400, description = "Bad query", body = super::error::ErrorBody)))]
pub async fn export_jsonl(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Response> {
    export(state, params, ExportFormat::Jsonl).await
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The origin of absolute links in the feed, from the Host header when it is a plain host
/// name (anything else could inject markup or a foreign origin).
pub fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty() && h.len() <= 255 && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[utoipa::path(get, path = "/feed.atom", tag = "search",
    params(("q" = Option<String>, Query, description = "The saved search")),
    responses((status = 200, description = "Atom feed of the newest 50 decisions matching the search", content_type = "application/atom+xml"),
              (status = 400, description = "Bad query", body = super::error::ErrorBody)))]
pub async fn feed(State(state): State<Arc<AppState>>, headers: HeaderMap, params: Params) -> ApiResult<Response> {
    let q = params.allow(&["q"])?.query()?;
    let req = SearchRequest {
        query: q.clone(),
        sort: SortBy::Date,
        limit: FEED_ENTRIES,
        snippets: false,
        ..Default::default()
    };
    let resp = state.call(move |b| b.search(&req)).await?;
    let base = origin(&headers);
    let self_url = format!("{base}/feed.atom?q={}", percent_encode(&q));
    let updated = resp.hits.iter().filter_map(|h| h.date).max().map_or("1970-01-01".to_string(), |d| d.to_string());
    let title = if q.is_empty() { "recueil: CNIL decisions".to_string() } else { format!("recueil: {q}") };
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!(
        "<title>{}</title>\n<id>{}</id>\n<updated>{updated}T00:00:00Z</updated>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>recueil</name></author>\n",
        xml_escape(&title),
        xml_escape(&self_url),
        xml_escape(&self_url),
        xml_escape(&format!("{base}/?q={}", percent_encode(&q))),
    ));
    for h in &resp.hits {
        let url = format!("{base}/decisions/{}", percent_encode(&h.id));
        let date = h.date.map_or("1970-01-01".to_string(), |d| d.to_string());
        let name = h.number.as_deref().or(h.title.as_deref()).unwrap_or(&h.id);
        let mut summary = Vec::new();
        if let Some(r) = &h.respondent {
            summary.push(r.clone());
        }
        if let Some(f) = h.fine_eur {
            summary.push(format!("fine {}", Lang::En.money(f)));
        }
        if !h.breached.is_empty() {
            summary.push(h.breached.join(", "));
        }
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{date}T00:00:00Z</updated>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(&match &h.respondent {
                Some(r) => format!("{name} – {r}"),
                None => name.to_string(),
            }),
            xml_escape(&url),
            xml_escape(&url),
            xml_escape(&summary.join(" · ")),
        ));
    }
    xml.push_str("</feed>\n");
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}

pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the engine answers: a stats call goes through the same queue as searches.
pub async fn readyz(State(state): State<Arc<AppState>>) -> ApiResult<Json<serde_json::Value>> {
    let stats = state.call(|b| b.stats()).await?;
    Ok(Json(serde_json::json!({ "status": "ready", "generation": state.generation(), "decisions": stats.total })))
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render())
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("Google"), "Google");
    }

    #[test]
    fn feed_text_is_escaped_and_hosts_are_checked() {
        assert_eq!(xml_escape("<a href='x'>&\u{1}"), "&lt;a href=&apos;x&apos;&gt;&amp;");
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("example.org:8080"));
        assert_eq!(origin(&h), "http://example.org:8080");
        h.insert(header::HOST, HeaderValue::from_static("evil\"><x"));
        assert_eq!(origin(&h), "http://localhost");
        assert_eq!(percent_encode("a b/é"), "a%20b%2F%C3%A9");
    }
}
