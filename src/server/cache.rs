//! Conditional requests. An answer of the API or the feed depends only on the index
//! generation and on the request, so its strong ETag is derived from both, and a matching
//! `If-None-Match` (or an `If-Modified-Since` not older than the generation) is answered 304
//! without running the handler. Answers that change by themselves (health, readiness,
//! metrics) and errors are marked `no-store`.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::state::AppState;

/// How long a client may reuse an answer without asking again; after that a revalidation
/// costs a 304.
pub const CACHE_CONTROL: &str = "public, max-age=60";
pub const NO_STORE: &str = "no-store";

pub struct Validators {
    state: Arc<AppState>,
    index_dir: Option<PathBuf>,
    /// When the generation last seen became current (the mtime of `CURRENT`), read once per
    /// generation.
    dated: Mutex<Option<(u64, SystemTime)>>,
}

/// What the answer to a request path may be cached as.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// A function of the generation and the request.
    Generation,
    /// Live state of the process.
    Live,
    /// Web pages and static files, left to their handlers.
    Other,
}

fn kind(path: &str) -> Kind {
    match path {
        "/healthz" | "/readyz" | "/metrics" => Kind::Live,
        "/feed.atom" => Kind::Generation,
        p if p.starts_with("/api/v1/") => Kind::Generation,
        _ => Kind::Other,
    }
}

impl Validators {
    pub fn new(state: Arc<AppState>, index_dir: Option<PathBuf>) -> Validators {
        Validators { state, index_dir, dated: Mutex::new(None) }
    }

    /// The generation served, as the state last switched to it (no engine call).
    fn generation(&self) -> u64 {
        self.state.metrics.generation.load(Ordering::Relaxed)
    }

    /// `"g<generation>-<hash of the request target and the encodings accepted>"`: the
    /// encodings, because a gzip body and an identity body are different representations.
    fn tag(&self, generation: u64, req: &Request) -> String {
        let mut h = Sha256::new();
        h.update(req.uri().path_and_query().map_or("", |p| p.as_str()).as_bytes());
        h.update([0]);
        h.update(req.headers().get(header::ACCEPT_ENCODING).map_or(&b""[..], |v| v.as_bytes()));
        format!("\"g{generation}-{}\"", &hex::encode(h.finalize())[..16])
    }

    fn last_modified(&self, generation: u64) -> Option<SystemTime> {
        let dir = self.index_dir.as_ref()?;
        let mut dated = self.dated.lock().unwrap_or_else(|e| e.into_inner());
        match *dated {
            Some((g, t)) if g == generation => Some(t),
            _ => {
                let t = std::fs::metadata(dir.join("CURRENT")).and_then(|m| m.modified()).ok()?;
                *dated = Some((generation, t));
                Some(t)
            }
        }
    }
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for this header).
fn none_match(headers: &HeaderMap, tag: &str) -> Option<bool> {
    let value = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    Some(value.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == tag))
}

fn not_modified_since(headers: &HeaderMap, modified: Option<SystemTime>) -> bool {
    let since = headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok());
    match (since.and_then(|s| httpdate::parse_http_date(s).ok()), modified) {
        // HTTP dates have whole seconds.
        (Some(since), Some(m)) => m.duration_since(since).map_or(true, |d| d.as_secs() == 0),
        _ => false,
    }
}

pub async fn revalidate(State(v): State<Arc<Validators>>, req: Request, next: Next) -> Response {
    let kind = kind(req.uri().path());
    let cacheable = kind == Kind::Generation && matches!(*req.method(), Method::GET | Method::HEAD);
    if !cacheable {
        let mut resp = next.run(req).await;
        if kind != Kind::Other {
            set(resp.headers_mut(), header::CACHE_CONTROL, NO_STORE);
        }
        return resp;
    }
    let generation = v.generation();
    let tag = v.tag(generation, &req);
    let modified = v.last_modified(generation);
    let validators = |headers: &mut HeaderMap| {
        set(headers, header::ETAG, &tag);
        set(headers, header::CACHE_CONTROL, CACHE_CONTROL);
        set(headers, header::VARY, "accept-encoding");
        if let Some(m) = modified {
            set(headers, header::LAST_MODIFIED, &httpdate::fmt_http_date(m));
        }
    };
    let fresh = match none_match(req.headers(), &tag) {
        Some(matched) => matched,
        None => not_modified_since(req.headers(), modified),
    };
    if fresh {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        validators(resp.headers_mut());
        return resp;
    }
    let mut resp = next.run(req).await;
    // A generation switch during the request may have answered from the new one: such an
    // answer gets no validator rather than a wrong one.
    if resp.status() == StatusCode::OK && v.generation() == generation {
        validators(resp.headers_mut());
    } else if resp.status() != StatusCode::OK {
        set(resp.headers_mut(), header::CACHE_CONTROL, NO_STORE);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_wildcards() {
        let mut h = HeaderMap::new();
        assert_eq!(none_match(&h, "\"g1-a\""), None);
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"g1-a\""));
        assert_eq!(none_match(&h, "\"g1-a\""), Some(true));
        assert_eq!(none_match(&h, "\"g2-a\""), Some(false));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert_eq!(none_match(&h, "\"g2-a\""), Some(true));
    }

    #[test]
    fn paths_are_classified() {
        assert_eq!(kind("/api/v1/search"), Kind::Generation);
        assert_eq!(kind("/feed.atom"), Kind::Generation);
        assert_eq!(kind("/metrics"), Kind::Live);
        assert_eq!(kind("/decisions/x"), Kind::Other);
    }
}
