//! Query-string parameters, validated by hand so that every refusal names the parameter
//! and never echoes deserializer internals.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use chrono::{DateTime, Utc};

use crate::search::{Order, SearchRequest, SortBy, MAX_LIMIT, MAX_OFFSET};
use crate::{Error, Result};

use super::error::ApiError;
use super::fields::Selection;

/// The raw `name=value` pairs of a query string, in order (facet filters repeat `f`).
pub struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).map_err(|_| {
            Error::InvalidParameter { name: "query string", reason: "malformed percent-encoding".into() }
        })?;
        Ok(Params(pairs))
    }
}

impl Params {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        Params(pairs)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Refuses parameters outside `allowed`: a misspelt parameter must not be silently ignored.
    pub fn allow(&self, allowed: &[&'static str]) -> Result<&Self> {
        match self.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((k, _)) => Err(Error::InvalidParameter {
                name: "query string",
                reason: format!("unknown parameter {:?} (expected one of: {})", truncate(k, 40), allowed.join(", ")),
            }),
            None => Ok(self),
        }
    }

    /// The single value of `name`; a repeated scalar parameter is an error.
    pub fn one(&self, name: &'static str) -> Result<Option<&str>> {
        let mut values = self.all(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(Error::InvalidParameter { name, reason: "given more than once".into() });
        }
        Ok(first)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn number(&self, name: &'static str, default: usize, min: usize, max: usize) -> Result<usize> {
        let Some(raw) = self.one(name)? else { return Ok(default) };
        let n: usize = raw
            .trim()
            .parse()
            .map_err(|_| Error::InvalidParameter { name, reason: "must be a whole number".into() })?;
        if n < min || n > max {
            return Err(Error::InvalidParameter { name, reason: format!("must be between {min} and {max}") });
        }
        Ok(n)
    }

    pub fn sort(&self) -> Result<SortBy> {
        match self.one("sort")? {
            None | Some("") => Ok(SortBy::Relevance),
            Some(name) => name.parse(),
        }
    }

    pub fn order(&self) -> Result<Order> {
        match self.one("order")? {
            None | Some("") | Some("desc") => Ok(Order::Desc),
            Some("asc") => Ok(Order::Asc),
            Some(_) => Err(Error::InvalidParameter { name: "order", reason: "must be asc or desc".into() }),
        }
    }

    /// An instant ([`crate::search::parse_instant`]).
    pub fn instant(&self, name: &'static str) -> Result<Option<DateTime<Utc>>> {
        let Some(raw) = self.one(name)?.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
        crate::search::parse_instant(raw).map(Some).ok_or_else(|| Error::InvalidParameter {
            name,
            reason: "must be an RFC 3339 date or date-time (2026-01-31, 2026-01-31T12:00:00Z)".into(),
        })
    }

    pub fn fields(&self) -> Result<Selection> {
        Selection::parse(self.one("fields")?)
    }

    /// What a search and an export share: `q`, `sort`, `order`, `added_since`,
    /// `modified_since`; one page of `limit` hits from the start, with snippets.
    pub fn filtered_request(&self, limit: usize) -> Result<SearchRequest> {
        Ok(SearchRequest {
            query: self.query()?,
            sort: self.sort()?,
            order: self.order()?,
            added_since: self.instant("added_since")?,
            modified_since: self.instant("modified_since")?,
            limit,
            ..Default::default()
        })
    }

    pub fn query(&self) -> Result<String> {
        Ok(self.one("q")?.unwrap_or("").trim().to_string())
    }

    /// The API's search request: [`Params::filtered_request`], `limit`, `offset`, `cursor`.
    pub fn search_request(&self) -> Result<SearchRequest> {
        let limit = self.number("limit", 10, 1, MAX_LIMIT)?;
        let offset = self.number("offset", 0, 0, MAX_OFFSET)?;
        if offset + limit > MAX_OFFSET {
            return Err(Error::InvalidParameter {
                name: "offset",
                reason: format!("offset + limit must not exceed {MAX_OFFSET}; page further with the cursor"),
            });
        }
        let cursor = self.one("cursor")?.filter(|c| !c.is_empty()).map(str::to_string);
        if cursor.is_some() && offset > 0 {
            return Err(Error::InvalidParameter { name: "cursor", reason: "cannot be combined with offset".into() });
        }
        Ok(SearchRequest { cursor, offset, ..self.filtered_request(limit)? })
    }
}

/// `s` percent-encoded for a query string or a path segment (unreserved characters kept).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// At most `max` chars of `s`, for echoing user input in a message.
pub fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
