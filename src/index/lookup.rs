//! The decisions of a built index by id or alias, for a writer.

use std::path::Path;

use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::{Error, Result};

use super::{open, Fields, Location};

/// The decisions of a built index by id or alias, for a writer that must find what it
/// changes. A manual reader: no watcher thread keeps the files mapped.
pub struct Lookup {
    searcher: tantivy::Searcher,
    fields: Fields,
}

impl Lookup {
    pub fn open(dir: &Path) -> Result<Lookup> {
        let (index, fields) = open(dir)?;
        let reader: tantivy::IndexReader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;
        Ok(Lookup { searcher: reader.searcher(), fields })
    }

    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// The decisions that go by `key` (an id, number or alias, any case), with their locations.
    pub fn find(&self, key: &str) -> Result<Vec<(String, Location)>> {
        let term = Term::from_field_text(self.fields.key, &key.trim().to_lowercase());
        let query = tantivy::query::TermQuery::new(term, IndexRecordOption::Basic);
        let found = self.searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        found.into_iter().map(|addr| self.entry(addr)).collect()
    }

    /// Every decision of the index with its location, in the order of its chunks.
    pub fn all(&self) -> Result<Vec<(String, Location)>> {
        let found = self.searcher.search(&tantivy::query::AllQuery, &tantivy::collector::DocSetCollector)?;
        let mut entries = found.into_iter().map(|addr| self.entry(addr)).collect::<Result<Vec<_>>>()?;
        entries.sort_by_key(|(_, at)| (at.chunk, at.offset));
        Ok(entries)
    }

    fn entry(&self, addr: tantivy::DocAddress) -> Result<(String, Location)> {
        use tantivy::schema::Value;
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let id = doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_str().map(String::from))
            .ok_or_else(|| Error::Index("indexed document without its id".into()))?;
        Ok((id, self.fields.location(&doc)?))
    }

}
