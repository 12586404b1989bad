//! What the JSON API and the web pages both ask of the engine, in one place: `api` and `web`
//! are two views of these answers, and neither imports the other.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::record::Decision;
use crate::search::{FineStats, Hit, SearchRequest, SortBy, Stats};
use crate::{Error, Result};

use super::articles::{self, Article};
use super::nature::is_sanction;
use super::params::truncate;
use super::state::AppState;

/// Longest id or decision number looked up; longer ones cannot exist.
pub const MAX_ID_LEN: usize = 128;

pub fn check_id(id: &str) -> Result<&str> {
    let id = id.trim();
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(Error::InvalidParameter { name: "id", reason: format!("must be 1 to {MAX_ID_LEN} characters") });
    }
    Ok(id)
}

fn no_decision(id: &str) -> Error {
    Error::NotFound(format!("no decision {:?}", truncate(id, 40)))
}

pub async fn decision(state: &AppState, id: &str) -> Result<Decision> {
    let id = check_id(id)?.to_string();
    let key = id.clone();
    state.call(move |b| b.get(&key)).await?.ok_or_else(|| no_decision(&id))
}

/// The decision and its similar decisions, in one engine call. The similar decisions of a
/// sanction are sanctions first: a research authorisation sharing its vocabulary is no
/// precedent.
pub async fn with_similar(state: &AppState, id: &str, limit: usize) -> Result<(Decision, Vec<Hit>)> {
    let id = check_id(id)?.to_string();
    let key = id.clone();
    let found = state
        .call(move |b| match b.get(&key)? {
            Some(r) => {
                let mut similar = b.similar(&r.id, (limit * 2).min(crate::search::MAX_LIMIT))?;
                if is_sanction(r.facts.nature.as_deref()) {
                    // A stable sort keeps the engine's order within each part.
                    similar.sort_by_key(|h| !is_sanction(h.facts.nature.as_deref()));
                }
                similar.truncate(limit);
                Ok(Some((r, similar)))
            }
            None => Ok(None),
        })
        .await?;
    found.ok_or_else(|| no_decision(&id))
}

/// The fines of the other sanctions finding one provision breached.
pub struct FineContext {
    pub provision: String,
    pub fines: FineStats,
}

/// For each provision `d` was found to breach, the fines of the other sanctions that found
/// it breached (`d` itself left out), in one engine call.
pub async fn fine_context(state: &AppState, d: &Decision) -> Result<Vec<FineContext>> {
    let provisions = d.facts.breached.clone();
    let id = d.id.replace('"', "");
    state
        .call(move |b| {
            provisions
                .into_iter()
                .map(|p| {
                    let req = SearchRequest {
                        query: format!("breached:\"{}\" nature:sanction -id:\"{id}\"", p.replace('"', "")),
                        limit: 1,
                        snippets: false,
                        ..Default::default()
                    };
                    Ok(FineContext { fines: b.search(&req)?.fine_stats, provision: p })
                })
                .collect()
        })
        .await
}

/// What the statistics count, and when the knowledge base last changed (when its current
/// generation became current).
pub async fn stats(state: &AppState) -> Result<(Stats, Option<DateTime<Utc>>)> {
    let stats = state.call(|b| b.stats()).await?;
    let Some(current) = state.index_dir().map(|d| d.join("CURRENT")) else { return Ok((stats, None)) };
    let modified = tokio::task::spawn_blocking(move || std::fs::metadata(current).and_then(|m| m.modified()).ok());
    Ok((stats, modified.await.ok().flatten().map(DateTime::<Utc>::from)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleCount {
    #[serde(flatten)]
    pub article: Article,
    /// Sanctions finding a breach of the article.
    pub decisions: u64,
    pub fine_count: u64,
    pub fine_sum: u64,
}

pub async fn article_counts(state: &AppState) -> Result<Vec<ArticleCount>> {
    let stats = state.call(|b| b.stats()).await?;
    Ok(articles::all()
        .iter()
        .map(|a| {
            let key = a.key();
            let g = stats.by_provision.iter().find(|g| g.key == key);
            ArticleCount {
                article: a.clone(),
                decisions: g.map_or(0, |g| g.count),
                fine_count: g.map_or(0, |g| g.fine_count),
                fine_sum: g.map_or(0, |g| g.fine_sum),
            }
        })
        .collect())
}

/// One article as in `/articles` (`decisions` counts them), and one page of those decisions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleDecisions {
    #[serde(flatten)]
    pub article: ArticleCount,
    pub fine_stats: FineStats,
    /// The sanctions breaching the article, newest first.
    pub hits: Vec<Hit>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

pub fn parse_article(n: &str) -> Result<&'static Article> {
    let number: u32 = n
        .trim()
        .parse()
        .map_err(|_| Error::InvalidParameter { name: "article", reason: "must be an article number".into() })?;
    articles::get(number).ok_or_else(|| Error::NotFound(format!("no gdpr article {number}")))
}

/// One page of the sanctions breaching one article, newest first: the same set the
/// statistics count.
pub async fn article_decisions(
    state: &AppState,
    article: &'static Article,
    limit: usize,
    cursor: Option<String>,
) -> Result<ArticleDecisions> {
    let req = SearchRequest {
        query: format!("article:{} nature:sanction", article.number),
        sort: SortBy::Date,
        limit,
        cursor,
        snippets: false,
        ..Default::default()
    };
    let resp = state.call(move |b| b.search(&req)).await?;
    Ok(ArticleDecisions {
        article: ArticleCount {
            article: article.clone(),
            decisions: resp.total as u64,
            fine_count: resp.fine_stats.count,
            fine_sum: resp.fine_stats.sum,
        },
        fine_stats: resp.fine_stats,
        hits: resp.hits,
        next_cursor: resp.next_cursor,
    })
}
