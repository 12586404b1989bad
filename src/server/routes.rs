//! Every route: the pages (inside [`web::frame`]), static files, the feed, the API under
//! `/api/v1` (open to every origin) and the probes.

use std::sync::Arc;

use axum::http::{header, Method};
use axum::middleware;
use axum::routing::get;
use axum::{Extension, Router};
use tower_http::cors::CorsLayer;

use super::{api, openapi, web, AppState, Site};

pub fn router(state: Arc<AppState>, site: Arc<Site>) -> Router {
    let pages = Router::new()
        .route("/", get(web::search_page))
        .route("/decisions/{id}", get(web::decision_page))
        .route("/articles", get(web::articles_page))
        .route("/articles/{n}", get(web::article_page))
        .route("/stats", get(web::stats_page))
        .route("/glossary", get(web::glossary_page))
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
