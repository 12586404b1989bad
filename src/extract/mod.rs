//! Facts read from a decision's text (French and English). See docs/extraction.md.
//!
//! The text is cut into lines; the structure of a CNIL decision is found from them (title,
//! "Vu …"/"Having regard to" preamble, facts and procedure, one section per breach examined,
//! the operative part after "PAR CES MOTIFS"/"FOR THESE REASONS"). Each fact is then read
//! from the part of the decision that states it: the measures from the operative part, the
//! breaches from the operative part or, when it does not name them, from the concluding
//! sentences of the breach sections. Every regex is run by the `regex` crate, whose matching
//! time is linear in the input.

mod amount;
mod breached;
mod checks;
mod claims;
mod clean;
mod date;
mod facts;
mod head;
mod language;
mod layout;
mod measures;
pub mod number;
mod outline;
mod presentation;
mod provisions;
mod respondent;
mod sector;
mod sentences;
mod summary;
mod tuning;

use regex::Regex;

use crate::record::{Facts, Record};

pub use language::detect_language;
pub use tuning::Tuning;

use claims::compare_claims;
use facts::read;



fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static extraction regex")
}


/// Fills the fact fields, evidence, outline and summary of `record` from `record.text`.
/// Metadata the source gave with authority (a DILA number or date) is kept.
pub fn fill(record: &mut Record) {
    fill_tuned(record, &Tuning::default());
}

/// [`fill`] with other values of the tuned numbers, for their cross-validation.
pub fn fill_tuned(record: &mut Record, tuning: &Tuning) {
    let (found, extras) = read(&record.text, tuning);
    let given = std::mem::take(record);
    *record = Record {
        facts: Facts {
            number: given.facts.number.or(found.number),
            date: given.facts.date.or(found.date),
            nature: given.facts.nature,
            ..found
        },
        language: extras.language,
        outline: extras.outline,
        summary: extras.summary,
        evidence: extras.evidence,
        ..given
    };
    compare_claims(record);
}


#[cfg(test)]
mod tests;
