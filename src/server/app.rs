//! The complete service: the router inside every limit and header, so that every response,
//! errors and refusals included, gets them.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::Response;
use tower::util::BoxCloneSyncService;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::error::json_error;
use super::observe::observe;
use super::routes::router;
use super::{cache, AppState, Site};

/// The complete service: what `serve` runs and what tests call with `oneshot`.
pub type App = BoxCloneSyncService<Request, Response, Infallible>;

/// Script-free pages: styles and scripts from our origin only, no framing, no foreign
/// form targets.
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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
