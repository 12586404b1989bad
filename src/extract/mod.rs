//! Facts read from a decision's text (French and English). See ARCHITECTURE.md.

use crate::record::{Language, Record};

/// Fills the fact fields, evidence, outline and summary of `record` from `record.text`.
/// Metadata the source gave with authority (a DILA number or date) is kept.
pub fn fill(_record: &mut Record) {}

/// The language of a decision's text.
pub fn detect_language(_text: &str) -> Language {
    Language::Fr
}
