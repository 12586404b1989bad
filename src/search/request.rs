//! What a search asks for: the query, its sort and order, its window and its instants.

use serde::{Deserialize, Serialize};

use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Relevance,
    Date,
    Fine,
    /// When the store last changed the decision: what a feed reader or a syncing client wants
    /// first, an old decision that arrived late included.
    Modified,
}

impl SortBy {
    pub const ALL: [SortBy; 4] = [SortBy::Relevance, SortBy::Date, SortBy::Fine, SortBy::Modified];

    /// The name the query string, the CLI and the JSON use.
    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Relevance => "relevance",
            SortBy::Date => "date",
            SortBy::Fine => "fine",
            SortBy::Modified => "modified",
        }
    }
}

impl std::str::FromStr for SortBy {
    type Err = Error;

    fn from_str(s: &str) -> Result<SortBy, Error> {
        SortBy::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = SortBy::ALL.iter().map(|x| x.as_str()).collect();
            parameter("sort", format!("must be one of {}", names.join(", ")))
        })
    }
}

/// The direction of a sort: `Desc` is each sort's natural order (most relevant, newest,
/// largest, last changed first); `Asc` reverses all but relevance. Decisions without the sorted value come last
/// either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    Asc,
    #[default]
    Desc,
}

/// An instant as `added_since` and `modified_since` take it: an RFC 3339 date-time
/// (`2026-01-31T12:00:00Z`) or a date (`2026-01-31`, midnight UTC).
pub fn parse_instant(raw: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let raw = raw.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    let day = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The user's query in recueil's query language (see README).
    pub query: String,
    pub sort: SortBy,
    pub order: Order,
    /// Only decisions the store first held, or last changed, at or after this instant (to the
    /// second): what a client that syncs asks for.
    pub added_since: Option<chrono::DateTime<chrono::Utc>>,
    pub modified_since: Option<chrono::DateTime<chrono::Utc>>,
    /// 1..=MAX_LIMIT; 0 is an error, never a panic.
    pub limit: usize,
    /// Opaque cursor returned as `SearchResponse::next_cursor` (search_after).
    pub cursor: Option<String>,
    /// Plain offset, bounded by MAX_OFFSET; use the cursor past it.
    pub offset: usize,
    /// Whether to compute highlighted snippets for the hits.
    pub snippets: bool,
    /// Passages per hit at most, 1..=MAX_PASSAGES: the best as `Hit::snippet`, the next
    /// best of the same text in `Hit::passages`.
    pub passages: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            sort: SortBy::Relevance,
            order: Order::Desc,
            added_since: None,
            modified_since: None,
            limit: 10,
            cursor: None,
            offset: 0,
            snippets: true,
            passages: 1,
        }
    }
}

pub(super) fn parameter(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidParameter { name, reason: reason.into() }
}
