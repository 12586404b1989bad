//! The web pages: search, decision, articles, statistics, glossary, one file each. Server-rendered with
//! askama (every value escaped), usable without JavaScript; `copy.js` only adds copy buttons.
//! This file holds what every page shares: the frame ([`Page`], [`frame`]), the handler shape
//! (`Result<Html, WebError>`) and errors shown as pages.
//!
//! A page handler takes its [`Page`] as an extractor and answers with `?`: a [`WebError`]
//! leaves it as a bare status carrying the error, and [`frame`], around every page route,
//! shows it as a page in the request's language and stamps every page with its language
//! headers (and the `lang` cookie when `?lang=` chose it).

mod articles;
mod decision;
mod glossary;
mod hits;
mod search;
mod stats;

use std::convert::Infallible;

use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use articles::{article_page, articles_page};
pub use decision::{citations, decision_page};
pub use glossary::glossary_page;
pub use search::{compose_query, search_page};
pub use stats::stats_page;

use super::params::percent_encode;
use super::error::{json_error, ApiError};
use super::i18n::{Labels, Lang};
use super::params::Params;
use crate::Error;

/// What every page's frame needs.
#[derive(Clone)]
pub struct Page {
    pub lang: Lang,
    pub t: &'static Labels,
    pub title: String,
    /// The current page in the other language.
    pub switch_href: String,
    /// Set when the language came from `?lang=`: remembered in a cookie.
    remember: bool,
}

impl Page {
    fn new(params: &Params, headers: &HeaderMap, uri: &Uri, title: impl Into<String>) -> Page {
        let explicit = params.all("lang").next();
        let lang = Lang::negotiate(explicit, headers);
        let mut pairs: Vec<(String, String)> = params.pairs().iter().filter(|(k, _)| k != "lang").cloned().collect();
        pairs.push(("lang".into(), lang.other().code().into()));
        Page {
            lang,
            t: lang.labels(),
            title: title.into(),
            switch_href: format!("{}?{}", uri.path(), query_string(&pairs)),
            remember: explicit.is_some_and(|l| Lang::negotiate(Some(l), &HeaderMap::new()) == lang),
        }
    }

    /// The frame of a request; a malformed query string frames the page as if it had none
    /// (the handler's own `Params` refuses it).
    fn of(uri: &Uri, headers: &HeaderMap) -> Page {
        let pairs = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default();
        Page::new(&Params::from_pairs(pairs), headers, uri, "")
    }

    pub fn count(&self, n: &u64) -> String {
        self.lang.count(*n)
    }

    fn respond(&self, status: StatusCode, rendered: askama::Result<String>) -> Response {
        html(status, rendered)
    }

    /// The headers every page carries: its language, and the cookie that remembers it.
    fn stamp(&self, resp: &mut Response) {
        if self.remember {
            let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", self.lang.code());
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
        }
        resp.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(self.lang.code()));
        resp.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-language, cookie"));
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Page::of(&parts.uri, &parts.headers))
    }
}

pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

/// Renders an askama template, or a plain 500 if rendering fails.
fn html(status: StatusCode, rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(body) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(e) => {
            tracing::error!("template failed: {e}");
            json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "internal error")
        }
    }
}


/// A rendered page.
pub struct Html(String);

impl Html {
    pub fn render(tpl: &impl Template) -> Result<Html, WebError> {
        tpl.render().map(Html).map_err(|e| {
            tracing::error!("template failed: {e}");
            WebError::internal()
        })
    }
}

impl IntoResponse for Html {
    fn into_response(self) -> Response {
        html(StatusCode::OK, Ok(self.0))
    }
}

/// An error met while building a page. It keeps what the page needs to name it in either
/// language: the API's status and code, and the parameter refused.
#[derive(Debug, Clone)]
pub struct WebError {
    status: StatusCode,
    code: &'static str,
    parameter: Option<&'static str>,
}

impl WebError {
    fn internal() -> WebError {
        WebError { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal_error", parameter: None }
    }

    fn message(&self, lang: Lang) -> String {
        lang.error(self.code, self.parameter)
    }
}

impl From<Error> for WebError {
    fn from(e: Error) -> WebError {
        let parameter = match &e {
            // The query string as a whole is no parameter to name.
            Error::InvalidParameter { name, .. } if *name != "query string" => Some(*name),
            _ => None,
        };
        WebError { parameter, ..ApiError::from(e).into() }
    }
}

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> WebError {
        WebError { status: e.status, code: e.code, parameter: None }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut resp = self.status.into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: String,
}

fn error_page(mut page: Page, e: &WebError) -> Response {
    page.title = page.t.error_title.to_string();
    let tpl = ErrorPage { status: e.status.as_u16(), message: e.message(page.lang), page };
    let mut resp = html(e.status, tpl.render());
    if e.status == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(crate::server::error::RETRY_AFTER_SECS));
    }
    resp
}

/// Around every page route: errors become pages in the request's language, and every page
/// carries its language headers.
pub async fn frame(req: Request, next: Next) -> Response {
    let page = Page::of(req.uri(), req.headers());
    let mut resp = next.run(req).await;
    if let Some(e) = resp.extensions_mut().remove::<WebError>() {
        resp = error_page(page.clone(), &e);
    }
    page.stamp(&mut resp);
    resp
}

/// Unknown paths: JSON under `/api/`, a page elsewhere.
pub async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    if uri.path().starts_with("/api/") {
        return json_error(StatusCode::NOT_FOUND, "not_found", "no such page");
    }
    let page = Page::of(&uri, &headers);
    let mut resp = error_page(page.clone(), &WebError { status: StatusCode::NOT_FOUND, code: "not_found", parameter: None });
    page.stamp(&mut resp);
    resp
}

pub async fn stylesheet() -> Response {
    body_of(include_str!("../../../web/static/style.css"), "text/css; charset=utf-8")
}

pub async fn script() -> Response {
    body_of(include_str!("../../../web/static/copy.js"), "text/javascript; charset=utf-8")
}

fn body_of(s: &'static str, content_type: &'static str) -> Response {
    let mut resp = Response::new(Body::from(s));
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    resp
}
