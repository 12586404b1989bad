//! Where a decision and its passage sources lie in their generation's files.

use tantivy::TantivyDocument;

use crate::record::{Decision, Language};
use crate::{Error, Result};

use super::Fields;

/// Where a decision lies in its generation: its line (without the newline) in the chunk's
/// `decisions-<chunk>.jsonl`, with the line's crc32, and its passage sources in
/// `texts-<chunk>.bin`, per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    pub chunk: u32,
    pub offset: u64,
    pub len: u64,
    pub crc: u32,
    pub fr: TextAt,
    pub en: TextAt,
}

/// A passage source in `texts-<chunk>.bin`; `len` 0 when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextAt {
    pub offset: u64,
    pub len: u64,
}

/// What a passage in one language is read from: the decision's text in that language, else
/// its summary there (a curated record without a decision text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassageSource {
    Text = 1,
    Summary = 2,
}

impl PassageSource {
    pub fn from_byte(b: u8) -> Option<PassageSource> {
        match b {
            1 => Some(PassageSource::Text),
            2 => Some(PassageSource::Summary),
            _ => None,
        }
    }
}

/// The passage source of `decision` in `language`.
pub fn passage_source(decision: &Decision, language: Language) -> Option<(PassageSource, &str)> {
    if let Some(reading) = decision.text_in(language) {
        return Some((PassageSource::Text, &reading.record.text));
    }
    let summary = match language {
        Language::Fr => decision.summaries.fr.as_deref(),
        Language::En => decision.summaries.en.as_deref(),
    };
    summary.map(|s| (PassageSource::Summary, s))
}

impl Fields {
    /// Where the document `doc` says its decision lies.
    pub fn location(&self, doc: &TantivyDocument) -> Result<Location> {
        use tantivy::schema::Value;
        let number = |field| {
            doc.get_first(field).and_then(|v| v.as_u64()).ok_or_else(|| Error::Index("indexed document without its location".into()))
        };
        let small = |v: u64| u32::try_from(v).map_err(|_| Error::Index("stored location out of range".into()));
        Ok(Location {
            chunk: small(number(self.chunk)?)?,
            offset: number(self.record_offset)?,
            len: number(self.record_len)?,
            crc: small(number(self.record_crc)?)?,
            fr: TextAt { offset: number(self.text_fr_offset)?, len: number(self.text_fr_len)? },
            en: TextAt { offset: number(self.text_en_offset)?, len: number(self.text_en_len)? },
        })
    }
}
