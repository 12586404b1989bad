//! The web pages: search, decision, articles, statistics, one file each. Server-rendered with
//! askama (every value escaped), usable without JavaScript; `copy.js` only adds copy buttons.
//! This file holds what every page shares: the frame ([`Page`]) and errors shown as pages.

mod articles;
mod decision;
mod hits;
mod search;
mod stats;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use askama::Template;

pub use articles::{article_page, articles_page};
pub use decision::{citations, decision_page};
pub use search::{compose_query, search_page};
pub use stats::stats_page;

use super::api::percent_encode;
use super::error::{json_error, ApiError};
use super::i18n::{Labels, Lang};
use super::params::Params;
use super::{body_of, html};

/// What every page's frame needs.
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

    pub fn count(&self, n: &u64) -> String {
        self.lang.count(*n)
    }

    fn respond(&self, status: StatusCode, rendered: askama::Result<String>) -> Response {
        let mut resp = html(status, rendered);
        if self.remember {
            let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", self.lang.code());
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
        }
        resp.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(self.lang.code()));
        resp.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-language, cookie"));
        resp
    }
}

pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: String,
}

/// An error met while building a page, shown as a page.
struct WebError(Page, ApiError);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let WebError(mut page, e) = self;
        page.title = page.t.error_title.to_string();
        let status = e.status;
        let tpl = ErrorPage { status: status.as_u16(), message: e.message, page };
        let mut resp = tpl.page.respond(status, tpl.render());
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(crate::server::error::RETRY_AFTER_SECS));
        }
        resp
    }
}

/// Unknown paths: JSON under `/api/`, a page elsewhere.
pub async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let message = "no such page";
    if uri.path().starts_with("/api/") {
        return json_error(StatusCode::NOT_FOUND, "not_found", message);
    }
    let params = Params::from_pairs(Vec::new());
    let page = Page::new(&params, &headers, &uri, "");
    WebError(page, ApiError::new(StatusCode::NOT_FOUND, "not_found", message)).into_response()
}

pub async fn stylesheet() -> Response {
    body_of(include_str!("../../../web/static/style.css"), "text/css; charset=utf-8")
}

pub async fn script() -> Response {
    body_of(include_str!("../../../web/static/copy.js"), "text/javascript; charset=utf-8")
}
