//! The outermost middleware below the security headers: metrics, the URI bound, and the JSON
//! error contract for the bodiless or plain-text errors of axum and of the layers.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::error::{generic, json_error};
use super::AppState;

/// Longest request target accepted (engineering.md §3).
pub const MAX_URI: usize = 4096;

/// Counts and times every response, refuses over-long URIs, and turns the bodiless or
/// plain-text error responses of axum and of the layers into the JSON error contract.
pub(super) async fn observe(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
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
