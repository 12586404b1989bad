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

use crate::record::{Decision, Facts};
use crate::search::{Hit, Order, SearchRequest, SearchResponse, SortBy, Stats, MAX_LIMIT};
use crate::{Error, Result};

use super::articles;
use super::error::{ApiError, ErrorBody, RETRY_AFTER_SECS};
use super::fields::{HitField, Selection};
use super::i18n::Lang;
use super::params::Params;
pub use super::params::percent_encode;
use super::service;
pub use super::service::{check_id, ArticleCount, ArticleDecisions, MAX_ID_LEN};
use super::site::Site;
use super::state::{AppState, Backend};

type ApiResult<T> = std::result::Result<T, ApiError>;

/// Hits an export or a feed carries at most.
pub const MAX_EXPORT: usize = 10_000;
pub const FEED_ENTRIES: usize = 50;
pub const MAX_SIMILAR: usize = 20;

#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = Option<String>, Query, max_length = 512, description = "Query in recueil's query language (at most 512 characters; empty lists every decision)"),
        ("sort" = Option<SortBy>, Query, description = SORT_DOC),
        ("order" = Option<Order>, Query, description = ORDER_DOC),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Hits per page (default 10)"),
        ("offset" = Option<u32>, Query, minimum = 0, maximum = 9999, description = "Hits to skip; offset + limit at most 10000"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page, with the same q, sort and order; not with offset. A cursor of an older index generation is refused with cursor_expired"),
        ("fields" = Option<String>, Query, description = FIELDS_DOC),
        ("added_since" = Option<String>, Query, format = DateTime, description = SINCE_DOC),
        ("modified_since" = Option<String>, Query, format = DateTime, description = SINCE_DOC),
    ),
    responses(
        (status = 200, description = "Hits, facet counts over the whole result set, fine statistics, the cursor of the next page, and `did_you_mean` (a corrected query) when there are few or no hits", body = SearchResponse),
        (status = 400, description = "Bad query (invalid_query), parameter (invalid_parameter) or an expired cursor (cursor_expired)", body = ErrorBody),
    ))]
pub async fn search(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Json<serde_json::Value>> {
    let fields = params.allow(SEARCH_PARAMS)?.fields()?;
    let req = SearchRequest { snippets: fields.wants(HitField::Snippet), ..params.search_request()? };
    let resp = state.call(move |b| b.search(&req)).await?;
    let hits = resp.hits.iter().map(|h| fields.project(h)).collect::<Result<Vec<_>>>()?;
    let mut body = serde_json::to_value(&resp).map_err(Error::from)?;
    body["hits"] = serde_json::Value::Array(hits);
    Ok(Json(body))
}

const SEARCH_PARAMS: &[&str] =
    &["q", "sort", "order", "limit", "offset", "cursor", "fields", "added_since", "modified_since"];
const EXPORT_PARAMS: &[&str] = &["q", "sort", "order", "fields", "added_since", "modified_since"];

const FIELDS_DOC: &str = "Comma-separated keys of a hit to return (and `id`, always): id, number, date, title, nature, respondent, respondent_kind, sector, fine_eur, fines, breached, measures, checks, injunction, penalty_per_day_eur, public, language, summary ({en, fr}), added, modified, score, snippet, legifrance_url. An unknown name is refused (invalid_parameter)";
const SORT_DOC: &str = "relevance (default), date (newest first), fine (largest first) or modified (the store's last change first)";
const ORDER_DOC: &str = "desc (default: each sort's natural order) or asc (the reverse; not for relevance). Decisions without the sorted value come last either way";
const SINCE_DOC: &str = "Only decisions the store first held (added_since) or last changed (modified_since) at or after this RFC 3339 date-time or date (midnight UTC), to the second";

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
    #[serde(flatten)]
    pub facts: Facts,
    /// The provisions of `breached` (keys, as in hits: `GDPR:32`), each with its title.
    pub provisions: Vec<Provision>,
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
        (status = 200, description = "Number, date, respondent, sector, fine, breached provisions (keys, and with their titles), measures, summary, Légifrance link", body = DecisionSummary),
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
        provisions: provisions(&d.facts.breached),
        summary: d.summary(crate::record::Language::En).map(String::from),
        summaries: d.summaries,
        id: d.id,
        facts: d.facts,
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

/// A cell that a spreadsheet would take for a formula gets a leading quote.
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_line<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(cells.into_iter().map(|c| csv_cell(c.as_ref())));
    w.into_inner().unwrap_or_default()
}

fn encode(hits: &[Hit], fields: &Selection, format: ExportFormat, header: bool) -> Bytes {
    let mut out = Vec::new();
    match format {
        ExportFormat::Jsonl => {
            for h in hits {
                if let Ok(v) = fields.project(h) {
                    if serde_json::to_writer(&mut out, &v).is_ok() {
                        out.push(b'\n');
                    }
                }
            }
        }
        ExportFormat::Csv => {
            if header {
                out.extend(csv_line(fields.csv_header()));
            }
            for h in hits {
                out.extend(csv_line(fields.csv_row(h)));
            }
        }
    }
    Bytes::from(out)
}

/// Why an export ended before its last hit, written as its last line: a client can always
/// tell a complete export from a cut one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportStop {
    pub error: ErrorBody,
}

impl ExportStop {
    fn of(code: &str, message: String) -> ExportStop {
        ExportStop { error: ErrorBody { code: code.into(), message } }
    }

    /// JSON Lines: `{"error": {"code", "message"}}`, a line no hit can be. CSV: a row whose
    /// first cell is `#error <code>: <message>`, as wide as the header.
    fn encode(&self, format: ExportFormat, columns: usize) -> Bytes {
        match format {
            ExportFormat::Jsonl => {
                let mut line = serde_json::to_vec(self).unwrap_or_default();
                line.push(b'\n');
                Bytes::from(line)
            }
            ExportFormat::Csv => {
                let first = format!("#error {}: {}", self.error.code, self.error.message);
                Bytes::from(csv_line(std::iter::once(first).chain((1..columns).map(|_| String::new()))))
            }
        }
    }
}

/// Tries of a page the engine queue refused, a `Retry-After` apart, before the export stops.
const EXPORT_RETRIES: u32 = 5;

async fn export(state: Arc<AppState>, params: Params, format: ExportFormat) -> ApiResult<Response> {
    let fields = params.allow(EXPORT_PARAMS)?.fields()?;
    if fields.asks_for(HitField::Snippet) {
        return Err(Error::InvalidParameter { name: "fields", reason: "exports carry no snippet".into() }.into());
    }
    let mut req = SearchRequest { snippets: false, ..params.filtered_request(MAX_LIMIT)? };
    // Every page is read from the generation the first one was: a switch mid-export would
    // expire its cursor.
    let backend = state.backend();
    // The first page is fetched before answering so that a bad query is a 400, not a
    // truncated 200.
    let first_req = req.clone();
    let first = state.call_on(backend.clone(), move |b| b.search(&first_req)).await?;
    let total = first.total;
    let columns = fields.csv_header().len();
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    let producer_fields = fields.clone();
    tokio::spawn(async move {
        let fields = producer_fields;
        let mut sent = first.hits.len();
        let mut cursor = first.next_cursor;
        if tx.send(encode(&first.hits, &fields, format, true)).await.is_err() {
            return;
        }
        let stop = loop {
            let Some(c) = cursor.take() else { break None };
            if sent >= MAX_EXPORT {
                break Some(ExportStop::of(
                    "export_truncated",
                    format!("stopped at the export cap of {MAX_EXPORT} hits of {total}; narrow the search (q, modified_since) or page with /api/v1/search"),
                ));
            }
            req.cursor = Some(c);
            match page(&state, &backend, &req).await {
                Ok(page) => {
                    sent += page.hits.len();
                    cursor = page.next_cursor;
                    if tx.send(encode(&page.hits, &fields, format, false)).await.is_err() {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!("export stopped early after {sent} of {total} hits: {e}");
                    let e = ApiError::from(e);
                    break Some(ExportStop::of(e.code, format!("stopped after {sent} of {total} hits: {}", e.message)));
                }
            }
        };
        if let Some(stop) = stop {
            let _ = tx.send(stop.encode(format, columns)).await;
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
    h.insert(TOTAL_COUNT, HeaderValue::from(total));
    Ok(resp)
}

/// The hits of the whole search, sent before the body: an export holds them, or says why not.
pub const TOTAL_COUNT: header::HeaderName = header::HeaderName::from_static("x-total-count");

/// One page of an export on its pinned backend, waiting out a full engine queue a few times.
async fn page(state: &AppState, backend: &Arc<dyn Backend>, req: &SearchRequest) -> Result<SearchResponse> {
    let mut tries = 0;
    loop {
        let page_req = req.clone();
        match state.call_on(backend.clone(), move |b| b.search(&page_req)).await {
            Err(Error::Overloaded(_)) if tries + 1 < EXPORT_RETRIES => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_secs(RETRY_AFTER_SECS)).await;
            }
            other => return other,
        }
    }
}

const EXPORT_DOC: &str = "Every hit of the search, at most 10000, streamed from one index generation. `X-Total-Count` gives the hits of the whole search. An export that stops before its last hit (the cap, an engine that stays overloaded, an index error) ends with an error line: in JSON Lines `{\"error\": {\"code\", \"message\"}}` (ExportStop; code export_truncated at the cap), in CSV a row whose first cell is `#error <code>: <message>`";

#[utoipa::path(get, path = "/api/v1/export.csv", tag = "exports",
    params(
        ("q" = Option<String>, Query, max_length = 512, description = "Query"),
        ("sort" = Option<SortBy>, Query, description = SORT_DOC),
        ("order" = Option<Order>, Query, description = ORDER_DOC),
        ("fields" = Option<String>, Query, description = "The columns, as the search's `fields` names them (no snippet); summary gives summary_en and summary_fr. Default: id, number, date, nature, respondent, sector, fine_eur, breached, measures, title, legifrance_url, added, modified"),
        ("added_since" = Option<String>, Query, format = DateTime, description = SINCE_DOC),
        ("modified_since" = Option<String>, Query, format = DateTime, description = SINCE_DOC),
    ),
    responses((status = 200, description = EXPORT_DOC, body = String, content_type = "text/csv",
                headers(("x-total-count" = u64, description = "Hits of the whole search"))),
              (status = 400, description = "Bad query or parameter", body = ErrorBody)))]
pub async fn export_csv(State(state): State<Arc<AppState>>, params: Params) -> ApiResult<Response> {
    export(state, params, ExportFormat::Csv).await
}

#[utoipa::path(get, path = "/api/v1/export.jsonl", tag = "exports",
    params(
        ("q" = Option<String>, Query, max_length = 512, description = "Query"),
        ("sort" = Option<SortBy>, Query, description = SORT_DOC),
        ("order" = Option<Order>, Query, description = ORDER_DOC),
        ("fields" = Option<String>, Query, description = "The keys of each line, as the search's `fields` names them (no snippet)"),
        ("added_since" = Option<String>, Query, format = DateTime, description = SINCE_DOC),
        ("modified_since" = Option<String>, Query, format = DateTime, description = SINCE_DOC),
    ),
    responses((status = 200, description = EXPORT_DOC, body = Hit, content_type = "application/jsonl",
                headers(("x-total-count" = u64, description = "Hits of the whole search"))),
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

fn atom_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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
        sort: SortBy::Modified,
        limit: FEED_ENTRIES,
        snippets: false,
        ..Default::default()
    };
    let resp = state.call(move |b| b.search(&req)).await?;
    let base = site.public_url.as_str();
    let self_url = format!("{base}/feed.atom?q={}", percent_encode(&q));
    // Entries are dated by the store's last change of the decision, so that a reader sees an
    // old decision that arrived late, or one corrected, as new.
    let updated = resp.hits.iter().map(|h| h.modified).max().map_or_else(|| atom_time(chrono::DateTime::UNIX_EPOCH), atom_time);
    let title = if q.is_empty() { "recueil: CNIL decisions".to_string() } else { format!("recueil: {q}") };
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!(
        "<title>{}</title>\n<id>{}</id>\n<updated>{updated}</updated>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>recueil</name></author>\n",
        xml_escape(&title),
        xml_escape(&self_url),
        xml_escape(&self_url),
        xml_escape(&format!("{base}/?q={}", percent_encode(&q))),
    ));
    for h in &resp.hits {
        let url = format!("{base}/decisions/{}", percent_encode(&h.id));
        let published = h.facts.date.map(|d| format!("<published>{d}T00:00:00Z</published>\n")).unwrap_or_default();
        let name = h.facts.number.as_deref().or(h.title.as_deref()).unwrap_or(&h.id);
        let mut summary = Vec::new();
        if let Some(r) = &h.facts.respondent {
            summary.push(r.clone());
        }
        if let Some(f) = h.facts.fine_eur {
            summary.push(format!("fine {}", Lang::En.money(f)));
        }
        if !h.facts.breached.is_empty() {
            summary.push(h.facts.breached.join(", "));
        }
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{}</updated>\n{published}<summary>{}</summary>\n</entry>\n",
            xml_escape(&match &h.facts.respondent {
                Some(r) => format!("{name} – {r}"),
                None => name.to_string(),
            }),
            xml_escape(&url),
            xml_escape(&url),
            atom_time(h.modified),
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
    /// Always `ready`; an index that cannot be searched gives a 503 `not_ready` instead.
    pub status: String,
    /// The index generation served (ETags are derived from it).
    pub generation: u64,
    pub decisions: u64,
}

/// Ready when the engine answers what a search asks of it: the counts, one hit with its passage
/// (the doc store and the passage sources) and that hit's decision (the decision lines). It
/// runs outside the engine queue so that readiness is not refused (or kept waiting) by the
/// searches it is meant to vouch for.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "The index answers searches (readiness)", body = Ready),
        (status = 503, description = "The index cannot be searched (not_ready)", body = ErrorBody),
    ))]
pub async fn readyz(State(state): State<Arc<AppState>>) -> ApiResult<Json<Ready>> {
    let probed = state
        .probe(|b| {
            let stats = b.stats()?;
            let first = b.search(&SearchRequest { limit: 1, ..Default::default() })?;
            if let Some(hit) = first.hits.first() {
                b.get(&hit.id)?.ok_or_else(|| Error::Index(format!("hit {} has no decision", hit.id)))?;
            }
            Ok((stats.total, b.generation()))
        })
        .await;
    match probed {
        Ok((decisions, generation)) => Ok(Json(Ready { status: "ready".into(), generation, decisions })),
        Err(e) => {
            tracing::error!("not ready: {e}");
            Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", "the index cannot be searched"))
        }
    }
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
    fn the_fields_description_names_every_field() {
        for f in crate::server::fields::HitField::ALL {
            let words = FIELDS_DOC.split(|c: char| !(c.is_ascii_lowercase() || c == '_'));
            assert!(words.into_iter().any(|w| w == f.name()), "{}", f.name());
        }
    }

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
