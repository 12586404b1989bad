//! The articles pages: every GDPR article with its decisions, and one article's decisions.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::server::api::{self, percent_encode};
use crate::server::params::Params;
use crate::server::state::AppState;

use super::hits::{hit_view, HitView};
use super::{Page, WebError};


pub struct ArticleRow {
    pub number: u32,
    pub title: String,
    pub chapter: String,
    pub decisions: u64,
    pub fines: Option<String>,
}

#[derive(Template)]
#[template(path = "articles.html")]
struct ArticlesPage {
    page: Page,
    rows: Vec<ArticleRow>,
}

pub async fn articles_page(
    State(state): State<Arc<AppState>>,
    params: Params,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut page = Page::new(&params, &headers, &uri, "");
    page.title = page.t.articles_title.to_string();
    if let Err(e) = params.allow(&["lang"]) {
        return WebError(page, e.into()).into_response();
    }
    match api::article_counts(&state).await {
        Ok(counts) => {
            let lang = page.lang;
            let rows = counts
                .into_iter()
                .map(|c| ArticleRow {
                    number: c.article.number,
                    title: c.article.title(lang).to_string(),
                    chapter: format!("{} – {}", c.article.chapter, c.article.chapter_title),
                    decisions: c.decisions,
                    fines: (c.fine_sum > 0).then(|| lang.money(c.fine_sum)),
                })
                .collect();
            let tpl = ArticlesPage { page, rows };
            tpl.page.respond(StatusCode::OK, tpl.render())
        }
        Err(e) => WebError(page, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    page: Page,
    number: u32,
    title: String,
    chapter: String,
    total: usize,
    fines_total: Option<String>,
    fine_median: Option<String>,
    hits: Vec<HitView>,
    search_href: String,
}

pub async fn article_page(
    State(state): State<Arc<AppState>>,
    Path(n): Path<String>,
    params: Params,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut page = Page::new(&params, &headers, &uri, "");
    let article = match params.allow(&["lang"]).and_then(|_| api::parse_article(&n)) {
        Ok(a) => a,
        Err(e) => return WebError(page, e.into()).into_response(),
    };
    match api::article_decisions(&state, article, crate::search::MAX_LIMIT, None).await {
        Ok(d) => {
            let lang = page.lang;
            page.title = format!("{} {} – {}", page.t.article, article.number, article.title(lang));
            let tpl = ArticlePage {
                number: article.number,
                title: article.title(lang).to_string(),
                chapter: format!("{} {} – {}", page.t.chapter, article.chapter, article.chapter_title),
                total: d.article.decisions as usize,
                fines_total: (d.fine_stats.sum > 0).then(|| lang.money(d.fine_stats.sum)),
                fine_median: d.fine_stats.median.map(|m| lang.money(m)),
                hits: d.hits.into_iter().map(|h| hit_view(h, lang)).collect(),
                search_href: format!("/?q={}", percent_encode(&format!("article:{}", article.number))),
                page,
            };
            tpl.page.respond(StatusCode::OK, tpl.render())
        }
        Err(e) => WebError(page, e).into_response(),
    }
}
