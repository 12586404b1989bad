//! One decision found by id, number or alias, and what the doc store holds of a hit.

use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::index::Location;
use crate::record::{Decision, Head};
use crate::{Error, Result};

use super::collect::PageCollector;
use super::compile::term_query;
use super::request::parameter;
use super::{Engine, SortBy};

/// Longest id or decision number `get` and `similar` accept.
const MAX_KEY_CHARS: usize = 200;

/// What the doc store holds of a hit.
pub(super) struct Stored {
    pub(super) head: Head,
    pub(super) at: Location,
    /// The passage sources' paragraph tables, French and English, each behind its
    /// [`PassageSource`](crate::index::PassageSource) byte; decoded only for a passage.
    pub(super) paragraphs: [Vec<u8>; 2],
}

impl Engine {
    /// One decision by id (`cnil-SAN-…`), decision number (`SAN-2020-014`, any case) or alias
    /// (`CNILTEXT…`, a GDPRhub page name).
    pub fn get(&self, id_or_number: &str) -> Result<Option<Decision>> {
        let searcher = self.searcher();
        match self.address_of(&searcher, id_or_number)? {
            Some(addr) => Ok(Some(self.files.decision(self.head_at(&searcher, addr)?.1)?)),
            None => Ok(None),
        }
    }

    pub(super) fn address_of(&self, searcher: &Searcher, id_or_number: &str) -> Result<Option<DocAddress>> {
        let key = id_or_number.trim();
        if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
            return Err(parameter("id", format!("must be 1 to {MAX_KEY_CHARS} characters")));
        }
        let collector = PageCollector { sort: SortBy::Date, ascending: false, want: 1, after: None, columns: &self.columns, count: false };
        let found = searcher.search(&*term_query(self.fields.key, &key.to_lowercase()), &collector)?;
        Ok(found.top.first().map(|(_, a)| *a))
    }

    /// The stored head of a hit and where its whole record lies.
    pub(super) fn head_at(&self, searcher: &Searcher, addr: DocAddress) -> Result<(Head, Location)> {
        self.stored_at(searcher, addr).map(|s| (s.head, s.at))
    }

    pub(super) fn stored_at(&self, searcher: &Searcher, addr: DocAddress) -> Result<Stored> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let missing = || Error::Index("indexed document without its head".into());
        let f = &self.fields;
        let at = f.location(&doc)?;
        let head = doc.get_first(f.head).and_then(|v| v.as_str()).ok_or_else(missing)?;
        let table = |field| doc.get_first(field).and_then(|v| v.as_bytes()).map(<[u8]>::to_vec).ok_or_else(missing);
        Ok(Stored { head: serde_json::from_str(head)?, at, paragraphs: [table(f.paragraphs_fr)?, table(f.paragraphs_en)?] })
    }
}
