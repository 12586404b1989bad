//! "Did you mean": for a query with few or no hits, each word the index does not hold (or
//! hardly holds) is replaced by the most frequent term of the index's own vocabulary within a
//! small edit distance, found by walking the term dictionary with a Levenshtein automaton.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::index::analysis::{self, EXACT};
use crate::search::crossling::{self, is_identifier};
use crate::search::query::Expr;
use crate::{Error, Result};

/// Words shorter than this are not corrected: too many neighbours, too little said.
const MIN_WORD_CHARS: usize = 4;
/// A word in fewer decisions than this may be a typo worth correcting.
const RARE_DOCS: u64 = 1;
/// Terms examined per word and segment: the walk stays bounded whatever the index.
const MAX_CANDIDATES: usize = 256;
/// A correction must be this many times more frequent than the word as typed.
const MORE_FREQUENT: u64 = 2;

/// `query` with its misspelt words corrected, or `None` when no word needs or finds one.
pub fn did_you_mean(searcher: &Searcher, field: Field, query: &str, expr: &Expr) -> Result<Option<String>> {
    let mut corrected = query.to_string();
    let mut changed = false;
    for word in plain_words(expr) {
        if word.chars().count() < MIN_WORD_CHARS || is_identifier(word) {
            continue;
        }
        let folded = analysis::tokens(&mut analysis::analyzer(EXACT), word);
        let [folded] = folded.as_slice() else {
            continue;
        };
        let typed = doc_freq(searcher, Term::from_field_text(field, folded))?;
        if typed >= RARE_DOCS {
            continue;
        }
        if let Some(better) = closest(searcher, field, folded)?.filter(|(_, n)| *n >= MORE_FREQUENT.max(typed * MORE_FREQUENT)) {
            corrected = replace_word(&corrected, word, &better.0);
            changed = true;
        }
    }
    Ok(changed.then_some(corrected))
}

/// The plain words of a query (not phrases, filters or excluded words).
fn plain_words(e: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
        match e {
            Expr::Text { text, phrase: false } => out.push(text),
            Expr::Seq(xs) => {
                for part in crossling::parts(xs) {
                    match part {
                        crossling::Part::Words(words) => out.extend(words),
                        crossling::Part::Other(x) => walk(x, out),
                    }
                }
            }
            Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| walk(x, out)),
            Expr::Required(x) => walk(x, out),
            Expr::Text { phrase: true, .. } | Expr::Not(_) | Expr::Filter(_) | Expr::All => {}
        }
    }
    walk(e, &mut out);
    out
}

fn doc_freq(searcher: &Searcher, term: Term) -> Result<u64> {
    searcher.doc_freq(&term).map_err(|e| Error::Index(format!("cannot read the term dictionary: {e}")))
}

/// The most frequent term within edit distance 1 (2 for words of 6 letters or more) of
/// `folded`, with the decisions that hold it.
fn closest(searcher: &Searcher, field: Field, folded: &str) -> Result<Option<(String, u64)>> {
    let distance = if folded.chars().count() >= 6 { 2 } else { 1 };
    let automaton = FuzzyTermQuery::new(Term::from_field_text(field, folded), distance, true).automaton()?;
    let mut counts: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .map_err(|e| Error::Index(format!("cannot read the term dictionary: {e}")))?;
        let mut seen = 0;
        while stream.advance() && seen < MAX_CANDIDATES {
            seen += 1;
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                *counts.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    Ok(counts.into_iter().filter(|(t, _)| t != folded).max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))))
}

/// `query` with the first whole-word occurrence of `word` replaced by `by`.
fn replace_word(query: &str, word: &str, by: &str) -> String {
    let mut from = 0;
    while let Some(at) = query[from..].find(word).map(|i| i + from) {
        let end = at + word.len();
        let before = query[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = query[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return format!("{}{by}{}", &query[..at], &query[end..]);
        }
        from = end;
    }
    query.to_string()
}

#[cfg(test)]
mod tests {
    use super::replace_word;

    #[test]
    fn replaces_whole_words_only() {
        assert_eq!(replace_word("cookeis google", "cookeis", "cookies"), "cookies google");
        assert_eq!(replace_word("acookeis cookeis", "cookeis", "cookies"), "acookeis cookies");
        assert_eq!(replace_word("x", "cookeis", "cookies"), "x");
    }
}
