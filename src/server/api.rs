//! The JSON API under `/api/v1`, the exports, the Atom feed, and the health, readiness and
//! metrics endpoints.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::record::{Decision, Measure};
use crate::search::{Hit, SearchRequest, SearchResponse, SortBy, Stats, MAX_LIMIT};

use super::articles;
use super::error::{ApiError, ErrorBody};
use super::i18n::Lang;
use super::params::Params;
pub use super::params::percent_encode;
use super::service;
pub use super::service::{check_id, ArticleCount, ArticleDecisions, MAX_ID_LEN};
use super::site::Site;
use super::state::AppState;

type ApiResult<T> = std::result::Result<T, ApiError>;

/// Hits an export or a feed carries at most.
pub const MAX_EXPORT: usize = 10_000;
pub const FEED_ENTRIES: usize = 50;
pub const MAX_SIMILAR: usize = 20;

#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = Option<String>, Query, max_length = 512, description = "Query in recueil's query language (at most 512 characters; empty lists every decision)"),
        ("sort" = Option<SortBy>, Query, description = "relevance (default), date (newest first) or fine (largest first)"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Hits per page (default 10)"),
        ("offset" = Option<u32>, Query, minimum = 0, maximum = 9999, description = "Hits to skip; offset + limit at most 10000"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page, with the same q and sort; not with offset"),
    ),
    responses(
        (status = 200, description = "Hits, facet counts over the whole result set, fine statistics, the cursor of the next page, and `did_you_mean` (a corrected query) when there are few or no hits", body = SearchResponse),
        (status = 400, description = "Bad query (invalid_query) or parameter (invalid_parameter)", body = ErrorBody),
    ))]
pub async fn search(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Json<SearchResponse>> {
    let req = params.allow(&["q", "sort", "limit", "offset", "cursor"])?.search_request()?;
    Ok(Json(state.call(move |b| b.search(&req)).await?))
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions",
    params(("id" = String, Path, max_length = 128, description = "Decision id (cnil-SAN-2020-014), number (SAN-2020-014) or alias (CNILTEXT…)")),
    responses(
        (status = 200, description = "The decision: reconciled facts with their provenance, disagreements, summaries, texts, readings with evidence spans and outline, added and modified times", body = Decision),
        (status = 400, description = "Id too long, or a query parameter given", body = ErrorBody),
        (status = 404, description = "No such decision", body = ErrorBody),
    ))]
pub async fn decision(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Decision>> {
    params.allow(&[])?;
    Ok(Json(service::decision(&state, &id).await?))
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
    pub measures: Vec<Measure>,
    /// Our English summary, else our French one.
    pub summary: Option<String>,
    #[schema(value_type = Object)]
    pub summaries: crate::record::decision::Summaries,
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
    params(("id" = String, Path, max_length = 128, description = "Decision id, number or alias")),
    responses(
        (status = 200, description = "Number, date, respondent, sector, fine, breached provisions with titles, measures, summary, Légifrance link", body = DecisionSummary),
        (status = 400, description = "Id too long, or a query parameter given", body = ErrorBody),
        (status = 404, description = "No such decision", body = ErrorBody),
    ))]
pub async fn summary(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<DecisionSummary>> {
    params.allow(&[])?;
    let d = service::decision(&state, &id).await?;
    Ok(Json(DecisionSummary {
        legifrance_url: d.legifrance_url(),
        breached: provisions(&d.facts.breached),
        summary: d.summary(crate::record::Language::En).map(String::from),
        summaries: d.summaries,
        id: d.id,
        number: d.facts.number,
        date: d.facts.date,
        nature: d.facts.nature,
        respondent: d.facts.respondent,
        sector: d.facts.sector,
        fine_eur: d.facts.fine_eur,
        measures: d.facts.measures,
    }))
}

/// Decisions like one decision, most similar first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarHits {
    pub hits: Vec<Hit>,
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}/similar", tag = "decisions",
    params(
        ("id" = String, Path, max_length = 128, description = "Decision id, number or alias"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 20, description = "Hits (default 5)"),
    ),
    responses(
        (status = 200, description = "Similar decisions, most similar first", body = SimilarHits),
        (status = 400, description = "Bad limit or id", body = ErrorBody),
        (status = 404, description = "No such decision", body = ErrorBody),
    ))]
pub async fn similar(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<SimilarHits>> {
    let limit = params.allow(&["limit"])?.number("limit", 5, 1, MAX_SIMILAR)?;
    Ok(Json(SimilarHits { hits: service::with_similar(&state, &id, limit).await?.1 }))
}

/// Every GDPR article, in order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleList {
    pub articles: Vec<ArticleCount>,
}

#[utoipa::path(get, path = "/api/v1/articles", tag = "articles",
    responses(
        (status = 200, description = "Every GDPR article with its title and the count of decisions breaching it", body = ArticleList),
        (status = 400, description = "A query parameter given", body = ErrorBody),
    ))]
pub async fn articles_list(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Json<ArticleList>> {
    params.allow(&[])?;
    Ok(Json(ArticleList { articles: service::article_counts(&state).await? }))
}

#[utoipa::path(get, path = "/api/v1/articles/{n}", tag = "articles",
    params(
        ("n" = u32, Path, minimum = 1, maximum = 99, description = "GDPR article number"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Decisions per page (default 20)"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "The article, its counts, and one page of the decisions breaching it", body = ArticleDecisions),
        (status = 400, description = "Not a number, or a bad limit or cursor", body = ErrorBody),
        (status = 404, description = "No such article", body = ErrorBody),
    ))]
pub async fn article(
    State(state): State<Arc<AppState>>,
    Path(n): Path<String>,
    params: Params,
) -> ApiResult<Json<ArticleDecisions>> {
    let limit = params.allow(&["limit", "cursor"])?.number("limit", 20, 1, MAX_LIMIT)?;
    let cursor = params.one("cursor")?.filter(|c| !c.is_empty()).map(str::to_string);
    Ok(Json(service::article_decisions(&state, service::parse_article(&n)?, limit, cursor).await?))
}

#[utoipa::path(get, path = "/api/v1/stats", tag = "stats",
    responses(
        (status = 200, description = "Counts and fine sums per year (in order), provision and sector (most decisions first)", body = Stats),
        (status = 400, description = "A query parameter given", body = ErrorBody),
    ))]
pub async fn stats(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Json<Stats>> {
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

#[utoipa::path(get, path = "/api/v1/export.csv", tag = "exports",
    params(
        ("q" = Option<String>, Query, max_length = 512, description = "Query"),
        ("sort" = Option<SortBy>, Query, description = "relevance (default), date or fine"),
    ),
    responses((status = 200, description = "Every hit of the search (at most 10000), streamed as CSV with a header row: id, number, date, nature, respondent, sector, fine_eur, breached, measures, title, legifrance_url", body = String, content_type = "text/csv"),
              (status = 400, description = "Bad query or parameter", body = ErrorBody)))]
pub async fn export_csv(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Response> {
    export(state, params, ExportFormat::Csv).await
}

#[utoipa::path(get, path = "/api/v1/export.jsonl", tag = "exports",
    params(
        ("q" = Option<String>, Query, max_length = 512, description = "Query"),
        ("sort" = Option<SortBy>, Query, description = "relevance (default), date or fine"),
    ),
    responses((status = 200, description = "Every hit of the search (at most 10000), streamed as JSON Lines: one Hit object (the schema given) per line", body = Hit, content_type = "application/jsonl"),
              (status = 400, description = "Bad query or parameter", body = ErrorBody)))]
pub async fn export_jsonl(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Response> {
    export(state, params, ExportFormat::Jsonl).await
}

/// Text escaped for XML and HTML alike (the feed, summaries shown as text).
pub(crate) fn xml_escape(s: &str) -> String {
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

#[utoipa::path(get, path = "/feed.atom", tag = "feed",
    params(("q" = Option<String>, Query, max_length = 512, description = "The saved search")),
    responses((status = 200, description = "Atom 1.0 feed of the newest 50 decisions matching the search; ids and links under the configured public URL", body = String, content_type = "application/atom+xml"),
              (status = 400, description = "Bad query", body = ErrorBody)))]
pub async fn feed(
    State(state): State<Arc<AppState>>,
    Extension(site): Extension<Arc<Site>>,
    params: Params,
) -> ApiResult<Response> {
    let q = params.allow(&["q"])?.query()?;
    let req = SearchRequest {
        query: q.clone(),
        sort: SortBy::Date,
        limit: FEED_ENTRIES,
        snippets: false,
        ..Default::default()
    };
    let resp = state.call(move |b| b.search(&req)).await?;
    let base = site.public_url.as_str();
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`: the process answers.
    pub status: String,
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process answers (liveness)", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok".into() })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ready {
    /// Always `ready`; an engine that does not answer gives a 503 or a 500 instead.
    pub status: String,
    /// The index generation served (ETags are derived from it).
    pub generation: u64,
    pub decisions: u64,
}

/// Ready when the engine answers a stats call, run outside the engine queue so that readiness
/// is not refused (or kept waiting) by the searches it is meant to vouch for.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "The engine answers (readiness)", body = Ready),
        (status = 500, description = "The index cannot be read", body = ErrorBody),
    ))]
pub async fn readyz(State(state): State<Arc<AppState>>) -> ApiResult<Json<Ready>> {
    let stats = state.probe(|b| b.stats()).await?;
    Ok(Json(Ready { status: "ready".into(), generation: state.generation(), decisions: stats.total }))
}

#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format 0.0.4: response counters, a latency histogram, engine and index counters", body = String, content_type = "text/plain; version=0.0.4")))]
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
    fn feed_text_is_escaped() {
        assert_eq!(xml_escape("<a href='x'>&\u{1}"), "&lt;a href=&apos;x&apos;&gt;&amp;");
        assert_eq!(percent_encode("a b/é"), "a%20b%2F%C3%A9");
    }
}
