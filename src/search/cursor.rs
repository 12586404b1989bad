//! Cursors: the sort key of a page's last hit, bound to a sort order and a generation.

use crate::{Error, Result};

use super::collect::SortKey;
use super::request::parameter;
use super::{Engine, Order, SortBy};

/// The sort key of a decision without the sorted value, in a cursor.
const NO_VALUE: &str = "none";

fn cursor_sort_name(s: SortBy, order: Order) -> &'static str {
    match (s, order) {
        (SortBy::Relevance, _) => "relevance",
        (SortBy::Date, Order::Desc) => "date",
        (SortBy::Date, Order::Asc) => "date_asc",
        (SortBy::Fine, Order::Desc) => "fine",
        (SortBy::Fine, Order::Asc) => "fine_asc",
        (SortBy::Modified, Order::Desc) => "modified",
        (SortBy::Modified, Order::Asc) => "modified_asc",
    }
}

impl Engine {
    pub(super) fn encode_cursor(&self, sort: SortBy, order: Order, key: &SortKey) -> String {
        // A decision without the sorted value has the key −inf, written as a word: the
        // numbers a cursor carries are finite.
        let primary =
            if key.primary == f64::NEG_INFINITY { NO_VALUE.to_string() } else { format!("{:x}", key.primary.to_bits()) };
        format!("{}.{}.{primary}.{}", cursor_sort_name(sort, order), self.generation, key.seq)
    }

    pub(super) fn decode_cursor(&self, cursor: &str, sort: SortBy, order: Order) -> Result<SortKey> {
        let bad = || parameter("cursor", "malformed; pass back `next_cursor` unchanged");
        let mut parts = cursor.split('.');
        let (Some(s), Some(g), Some(p), Some(q), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if s != cursor_sort_name(sort, order) {
            return Err(parameter("cursor", "was made for another sort order"));
        }
        let generation = g.parse::<u64>().map_err(|_| bad())?;
        let primary = match p {
            NO_VALUE => f64::NEG_INFINITY,
            bits => Some(f64::from_bits(u64::from_str_radix(bits, 16).map_err(|_| bad())?))
                .filter(|p| p.is_finite())
                .ok_or_else(bad)?,
        };
        let seq = q.parse::<u64>().map_err(|_| bad())?;
        if generation != self.generation {
            return Err(Error::CursorExpired(format!(
                "made for generation {generation} of the index, which is now at {}; search again",
                self.generation
            )));
        }
        Ok(SortKey { primary, seq })
    }
}
