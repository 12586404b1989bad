//! The JSON API and the web pages. The routes ([`router`]) talk only to the search engine,
//! through [`AppState::call`]; [`app`] wraps the whole router in the limits and headers so
//! that every response, errors and refusals included, gets them; [`listen::serve`] accepts
//! connections with a header-read timeout and a bounded graceful shutdown.

pub mod api;
pub mod articles;
pub mod cache;
pub mod charts;
pub mod error;
pub mod fields;
pub mod i18n;
pub mod listen;
pub mod metrics;
pub mod nature;
pub mod openapi;
pub mod params;
pub mod pool;
pub mod render;
pub mod service;
pub mod socket;
pub mod site;
pub mod state;
pub mod text;
pub mod web;

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use tower::util::BoxCloneSyncService;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use site::{PublicUrl, Site};
pub use state::{AppState, Backend, Limits, Opener};

use error::{generic, json_error};

/// The complete service: what `serve` runs and what tests call with `oneshot`.
pub type App = BoxCloneSyncService<Request, Response, Infallible>;

/// Longest request target accepted (engineering.md §3).
pub const MAX_URI: usize = 4096;

/// Script-free pages: styles and scripts from our origin only, no framing, no foreign
/// form targets.
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router(state: Arc<AppState>, site: Arc<Site>) -> Router {
    let pages = Router::new()
        .route("/", get(web::search_page))
        .route("/decisions/{id}", get(web::decision_page))
        .route("/articles", get(web::articles_page))
        .route("/articles/{n}", get(web::article_page))
        .route("/stats", get(web::stats_page))
        .route_layer(middleware::from_fn(web::frame));
    Router::new()
        .merge(pages)
        .route("/static/style.css", get(web::stylesheet))
        .route("/static/copy.js", get(web::script))
        .route("/feed.atom", get(api::feed))
        .merge(api_router())
        .route("/healthz", get(api::healthz))
        .route("/readyz", get(api::readyz))
        .route("/metrics", get(api::metrics))
        .fallback(web::not_found)
        .layer(Extension(site))
        .with_state(state)
}

/// `/api/v1/*`, readable from any origin: the API is public and takes no credentials, so
/// `Access-Control-Allow-Origin: *` lets browser clients elsewhere call it; the CORS layer
/// answers their preflight requests.
fn api_router() -> Router<Arc<AppState>> {
    let cors = CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH, header::IF_MODIFIED_SINCE])
        .expose_headers([header::ETAG, header::LAST_MODIFIED, header::RETRY_AFTER, api::TOTAL_COUNT])
        .max_age(std::time::Duration::from_secs(86_400));
    Router::new()
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/decisions/{id}", get(api::decision))
        .route("/api/v1/decisions/{id}/summary", get(api::summary))
        .route("/api/v1/decisions/{id}/similar", get(api::similar))
        .route("/api/v1/articles", get(api::articles_list))
        .route("/api/v1/articles/{n}", get(api::article))
        .route("/api/v1/stats", get(api::stats))
        .route("/api/v1/export.csv", get(api::export_csv))
        .route("/api/v1/export.jsonl", get(api::export_jsonl))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .layer(cors)
}

/// [`app_with`] for a site on this machine (tests).
pub fn app(state: Arc<AppState>) -> App {
    app_with(state, Site::default())
}

/// The router inside every limit. Order, outermost first: security headers (so refusals
/// carry them too), the observer (metrics, URI bound, JSON errors), compression, load
/// shedding over the concurrency limit, panic catching, conditional requests (a 304 costs
/// no engine call), the request timeout, the body limit.
pub fn app_with(state: Arc<AppState>, site: Site) -> App {
    let limits = state.limits.clone();
    let validators = Arc::new(cache::Validators::new(state.clone(), site.index_dir.clone()));
    let observer_state = state.clone();
    let shed_state = state.clone();
    let service = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(middleware::from_fn_with_state(observer_state, observe))
        .layer(CompressionLayer::new())
        .layer(HandleErrorLayer::new(move |_: tower::BoxError| {
            // The only error below is load shedding's `Overloaded`.
            shed_state.metrics.shed.fetch_add(1, Ordering::Relaxed);
            async { StatusCode::SERVICE_UNAVAILABLE }
        }))
        .layer(tower::load_shed::LoadShedLayer::new())
        .layer(tower::limit::ConcurrencyLimitLayer::new(limits.max_in_flight.max(1)))
        .layer(CatchPanicLayer::custom(|_| {
            json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "internal error")
        }))
        .layer(middleware::from_fn_with_state(validators, cache::revalidate))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, limits.request_timeout))
        .layer(RequestBodyLimitLayer::new(limits.body_limit))
        .service(router(state, Arc::new(site)));
    BoxCloneSyncService::new(service)
}

/// Counts and times every response, refuses over-long URIs, and turns the bodiless or
/// plain-text error responses of axum and of the layers into the JSON error contract.
async fn observe(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let _in_flight = InFlight::enter(&state);
    let resp = if req.uri().to_string().len() > MAX_URI {
        let (code, message) = generic(StatusCode::URI_TOO_LONG);
        json_error(StatusCode::URI_TOO_LONG, code, message)
    } else {
        next.run(req).await
    };
    let resp = as_json_error(resp);
    state.metrics.record(resp.status().as_u16(), started.elapsed().as_micros() as u64);
    resp
}

/// The in-flight gauge, decremented on drop: a client that hangs up cancels the request
/// future, and the gauge must not drift.
struct InFlight<'a>(&'a AppState);

impl<'a> InFlight<'a> {
    fn enter(state: &'a AppState) -> Self {
        state.metrics.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(state)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

fn as_json_error(resp: Response) -> Response {
    let status = resp.status();
    let typed = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json") || ct.starts_with("text/html"));
    if status.as_u16() < 400 || typed {
        return resp;
    }
    let (code, message) = generic(status);
    let mut out = json_error(status, code, message);
    if let Some(allow) = resp.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// Renders an askama template, or a plain 500 if rendering fails.
pub(crate) fn html(status: StatusCode, rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(body) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(e) => {
            tracing::error!("template failed: {e}");
            json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "internal error")
        }
    }
}

pub(crate) fn body_of(s: &'static str, content_type: &'static str) -> Response {
    let mut resp = Response::new(Body::from(s));
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    resp
}
