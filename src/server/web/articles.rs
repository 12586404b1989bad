//! The articles pages: every GDPR article with its sanctions, and one article's sanctions.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};

use crate::server::params::percent_encode;
use crate::server::params::Params;
use crate::server::service;
use crate::server::state::AppState;

use super::hits::{hit_view, HitView};
use super::{Html, Page, WebError};

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

pub async fn articles_page(State(state): State<Arc<AppState>>, mut page: Page, params: Params) -> Result<Html, WebError> {
    params.allow(&["lang"])?;
    let counts = service::article_counts(&state).await?;
    let lang = page.lang;
    page.title = page.t.articles_title.to_string();
    let rows = counts
        .into_iter()
        .map(|c| ArticleRow {
            number: c.article.number,
            title: c.article.title(lang).to_string(),
            chapter: format!("{} – {}", c.article.chapter, c.article.chapter_title(lang)),
            decisions: c.decisions,
            fines: (c.fine_sum > 0).then(|| lang.money(c.fine_sum)),
        })
        .collect();
    Html::render(&ArticlesPage { page, rows })
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
    mut page: Page,
    params: Params,
) -> Result<Html, WebError> {
    params.allow(&["lang"])?;
    let article = service::parse_article(&n)?;
    let d = service::article_decisions(&state, article, crate::search::MAX_LIMIT, None).await?;
    let lang = page.lang;
    page.title = format!("{} {} – {}", page.t.article, article.number, article.title(lang));
    let query = format!("article:{} nature:sanction", article.number);
    Html::render(&ArticlePage {
        number: article.number,
        title: article.title(lang).to_string(),
        chapter: format!("{} {} – {}", page.t.chapter, article.chapter, article.chapter_title(lang)),
        total: d.article.decisions as usize,
        fines_total: (d.fine_stats.sum > 0).then(|| lang.money(d.fine_stats.sum)),
        fine_median: d.fine_stats.median.map(|m| lang.money(m)),
        hits: d.hits.into_iter().map(|h| hit_view(h, lang, "")).collect(),
        search_href: format!("/?q={}", percent_encode(&query)),
        page,
    })
}
