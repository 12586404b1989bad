//! One question, both languages: which language each query word is searched in, and what the
//! lexicon translates it to. A word the lexicon knows in one language only is searched as
//! typed in that language's fields (so that English `data` never meets the French stem of
//! `date`) and through its translations in the other's; a word it does not know (a name, a
//! rare term) is searched as typed everywhere. Stop words are searched nowhere, and a
//! decision number is never stemmed.

use std::collections::BTreeSet;

use crate::index::analysis::{self, EXACT};
use crate::record::Language;
use crate::search::lexicon::{analyzer_name, other, Lexicon};
use crate::search::query::Expr;

/// Where a word typed in the query is searched as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Only(Language),
    Both,
}

/// What a word of the query is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A word to search, in the fields of its side.
    Word(Side),
    /// Only stop words: searched only when the query holds nothing else.
    Stop,
    /// A decision number or id (`SAN-2020-014`): its key and its exact spelling, never stems.
    Identifier,
}

/// Terms of one language that stand for a word or a run of words of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub language: Language,
    /// Other names in the language the words were found in (`DPO` for `DPD`), not a translation.
    pub alias: bool,
    /// Alternatives, each a word or a phrase; one matching is enough.
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub kind: Kind,
    /// What the word alone translates to.
    pub translations: Vec<Translation>,
}

/// Several adjacent words that the lexicon knows together (`mise en demeure`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Words `start..end` of the plan.
    pub start: usize,
    pub end: usize,
    pub translations: Vec<Translation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub words: Vec<Word>,
    pub spans: Vec<Span>,
}

/// `SAN-2020-014`, `CNILTEXT000042675720`, `DR-2025-064`: letters and digits mixed, or digits
/// joined by dashes.
pub fn is_identifier(word: &str) -> bool {
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    let has_letter = word.chars().any(char::is_alphabetic);
    let dashed = word.trim_matches('-').contains('-');
    has_digit && (dashed || (has_letter && word.chars().all(char::is_alphanumeric) && word.len() >= 8))
}

/// Whether `word` is nothing but stop words in `language`.
fn only_stop_words(word: &str, language: Language, folded: &[String]) -> bool {
    !folded.is_empty() && analysis::tokens(&mut analysis::analyzer(analyzer_name(language)), word).is_empty()
}

fn kind(lexicon: &Lexicon, word: &str) -> Kind {
    if is_identifier(word) {
        return Kind::Identifier;
    }
    let folded = analysis::tokens(&mut analysis::analyzer(EXACT), word);
    let (stop_fr, stop_en) =
        (only_stop_words(word, Language::Fr, &folded), only_stop_words(word, Language::En, &folded));
    if stop_fr || stop_en {
        return Kind::Stop;
    }
    let known = |language: Language| {
        let stems = analysis::tokens(&mut analysis::analyzer(analyzer_name(language)), word);
        !stems.is_empty() && stems.iter().all(|s| lexicon.has_stem(language, s))
    };
    let written = |language: Language| folded.iter().all(|w| lexicon.has_word(language, w));
    Kind::Word(match (known(Language::Fr), known(Language::En)) {
        (true, false) => Side::Only(Language::Fr),
        (false, true) => Side::Only(Language::En),
        (true, true) => match (written(Language::Fr), written(Language::En)) {
            (true, false) => Side::Only(Language::Fr),
            (false, true) => Side::Only(Language::En),
            _ => Side::Both,
        },
        (false, false) => Side::Both,
    })
}

fn searched_in(kind: &Kind, language: Language) -> bool {
    match kind {
        Kind::Word(Side::Both) => true,
        Kind::Word(Side::Only(l)) => *l == language,
        Kind::Stop | Kind::Identifier => false,
    }
}

/// The translations of the lexicon entries found, from `language`: the other language's
/// terms, and the other terms of `language` itself (aliases: `DPO` for `DPD`).
fn translations(lexicon: &Lexicon, language: Language, found: &[crate::search::lexicon::Found]) -> Vec<Translation> {
    let mut out = Vec::new();
    for target in [other(language), language] {
        let mut terms = BTreeSet::new();
        for f in found {
            for (a, term) in lexicon.entry(f.entry).side(target).iter().enumerate() {
                // The forms found are the words as typed (`cookie` and `cookies` stem alike).
                let typed = found.iter().any(|g| g.entry == f.entry && g.alternative == a);
                if target != language || !typed {
                    terms.insert(term.clone());
                }
            }
        }
        if !terms.is_empty() {
            out.push(Translation { language: target, alias: target == language, terms: terms.into_iter().collect() });
        }
    }
    out
}

impl Plan {
    /// Plans the adjacent plain words `words` of a query.
    pub fn of(words: &[&str]) -> Plan {
        let lexicon = Lexicon::get();
        let mut plan = Plan {
            words: words
                .iter()
                .map(|w| Word { text: w.to_string(), kind: kind(lexicon, w), translations: Vec::new() })
                .collect(),
            spans: Vec::new(),
        };
        for language in [Language::Fr, Language::En] {
            let mut stemmer = analysis::analyzer(analyzer_name(language));
            // The stems of the words searched in `language`, each with its word.
            let mut stems: Vec<String> = Vec::new();
            let mut word_of: Vec<usize> = Vec::new();
            // Words translated as a whole in `language`; a term inside one of the others
            // (`HIV` in `HIV-positive`) is a span of its word.
            let mut whole = vec![false; plan.words.len()];
            for (i, w) in plan.words.iter_mut().enumerate() {
                match &w.kind {
                    // Stop words stand inside terms (`mise en demeure`): the stems skip them.
                    Kind::Stop => continue,
                    // A word of the other language, or a number, breaks a run.
                    kind if !searched_in(kind, language) => {
                        stems.push(String::new());
                        word_of.push(i);
                        continue;
                    }
                    _ => {}
                }
                let own = analysis::tokens(&mut stemmer, &w.text);
                let found = lexicon.longest(language, &own);
                if found.first().is_some_and(|f| f.len == own.len()) {
                    w.translations.extend(translations(lexicon, language, &found));
                    whole[i] = true;
                }
                word_of.extend(std::iter::repeat_n(i, own.len()));
                stems.extend(own);
            }
            let mut at = 0;
            while at < stems.len() {
                let found = lexicon.longest(language, &stems[at..]);
                let len = found.first().map_or(0, |f| f.len);
                let (start, end) = (word_of[at], word_of[(at + len).max(1) - 1] + 1);
                if len > 0 && (end - start > 1 || !whole[start]) {
                    plan.spans.push(Span { start, end, translations: translations(lexicon, language, &found) });
                    at += len;
                } else {
                    at += 1;
                }
            }
        }
        plan
    }

    /// Whether every word is a stop word: then they are searched after all, as typed.
    pub fn only_stop_words(&self) -> bool {
        self.words.iter().all(|w| w.kind == Kind::Stop)
    }

    /// The terms to highlight in texts of `language`: words searched there and translations
    /// into it.
    pub fn highlights(&self, language: Language) -> Vec<String> {
        let mut out = Vec::new();
        for w in &self.words {
            if searched_in(&w.kind, language) {
                out.push(w.text.clone());
            }
        }
        let translated = self.words.iter().flat_map(|w| &w.translations).chain(self.spans.iter().flat_map(|s| &s.translations));
        for t in translated.filter(|t| t.language == language) {
            out.extend(t.terms.iter().cloned());
        }
        out
    }
}

/// A part of a sequence of query expressions: a run of adjacent plain words, or anything else.
pub enum Part<'a> {
    Words(Vec<&'a str>),
    Other(&'a Expr),
}

/// Cuts `xs` into runs of adjacent plain words and the other expressions, in order.
pub fn parts(xs: &[Expr]) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for x in xs {
        match x {
            Expr::Text { text, phrase: false } => run.push(text),
            _ => {
                if !run.is_empty() {
                    out.push(Part::Words(std::mem::take(&mut run)));
                }
                out.push(Part::Other(x));
            }
        }
    }
    if !run.is_empty() {
        out.push(Part::Words(run));
    }
    out
}

/// What a query looks for (not what it excludes) in texts of each language, for highlighting:
/// (French, English).
pub fn highlights(e: &Expr) -> (Vec<String>, Vec<String>) {
    let mut out = (Vec::new(), Vec::new());
    fn add(plan: &Plan, out: &mut (Vec<String>, Vec<String>)) {
        out.0.extend(plan.highlights(Language::Fr));
        out.1.extend(plan.highlights(Language::En));
    }
    fn walk(e: &Expr, out: &mut (Vec<String>, Vec<String>)) {
        match e {
            Expr::Text { text, phrase: false } => add(&Plan::of(&[text]), out),
            Expr::Text { text, phrase: true } => {
                out.0.push(text.clone());
                out.1.push(text.clone());
                for t in Plan::phrase(text).all_translations() {
                    match t.language {
                        Language::Fr => out.0.extend(t.terms.iter().cloned()),
                        Language::En => out.1.extend(t.terms.iter().cloned()),
                    }
                }
            }
            Expr::Seq(xs) => {
                for part in parts(xs) {
                    match part {
                        Part::Words(words) => add(&Plan::of(&words), out),
                        Part::Other(x) => walk(x, out),
                    }
                }
            }
            Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| walk(x, out)),
            Expr::Required(x) => walk(x, out),
            Expr::Not(_) | Expr::Filter(_) | Expr::All => {}
        }
    }
    walk(e, &mut out);
    out
}

impl Plan {
    /// A quoted phrase translates only as a whole: the plan of its words keeps the
    /// translations of a span covering all of them, or of its one word.
    pub fn phrase(text: &str) -> Plan {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut plan = Plan::of(&words);
        plan.spans.retain(|s| s.start == 0 && s.end == words.len());
        if words.len() > 1 {
            plan.words.iter_mut().for_each(|w| w.translations.clear());
        }
        plan
    }

    /// Every translation of the plan's spans and words (for a phrase).
    pub fn all_translations(&self) -> impl Iterator<Item = &Translation> {
        self.words.iter().flat_map(|w| &w.translations).chain(self.spans.iter().flat_map(|s| &s.translations))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(q: &str) -> Vec<Kind> {
        let words: Vec<&str> = q.split_whitespace().collect();
        Plan::of(&words).words.into_iter().map(|w| w.kind).collect()
    }

    #[test]
    fn french_stop_words_are_not_searched() {
        assert_eq!(kinds("violation de données")[1], Kind::Stop);
        assert_eq!(kinds("the data")[0], Kind::Stop);
        assert!(Plan::of(&["de", "la"]).only_stop_words());
    }

    #[test]
    fn decision_numbers_are_identifiers() {
        for w in ["SAN-2020-014", "san-2019-001", "CNILTEXT000042675720", "DR-2025-064", "2019-001"] {
            assert!(is_identifier(w), "{w}");
        }
        for w in ["e-mail", "amazon.fr", "2020", "sous-traitant", "covid"] {
            assert!(!is_identifier(w), "{w}");
        }
        assert_eq!(kinds("SAN-2020-014"), vec![Kind::Identifier]);
    }

    #[test]
    fn a_word_known_in_one_language_is_searched_in_that_language() {
        assert_eq!(kinds("data")[0], Kind::Word(Side::Only(Language::En)));
        assert_eq!(kinds("données")[0], Kind::Word(Side::Only(Language::Fr)));
        assert_eq!(kinds("traceurs")[0], Kind::Word(Side::Only(Language::Fr)));
        // Unknown to the lexicon (a name): everywhere.
        assert_eq!(kinds("grunenthal")[0], Kind::Word(Side::Both));
    }

    #[test]
    fn words_and_phrases_translate() {
        let plan = Plan::of(&["traceurs"]);
        let en = plan.words[0].translations.iter().find(|t| t.language == Language::En).unwrap();
        assert!(en.terms.iter().any(|t| t == "trackers"), "{en:?}");
        let plan = Plan::of(&["mise", "en", "demeure", "publique"]);
        assert_eq!(plan.spans.len(), 1, "{plan:?}");
        assert_eq!((plan.spans[0].start, plan.spans[0].end), (0, 3));
        assert!(plan.spans[0].translations.iter().any(|t| t.terms.iter().any(|x| x == "formal notice")));
        let plan = Plan::of(&["right", "to", "erasure"]);
        assert!(plan.spans[0].translations.iter().any(|t| t.terms.iter().any(|x| x == "droit à l'effacement")));
    }

    #[test]
    fn common_english_words_stay_searchable_in_english() {
        // A French alternative whose stem is also an English word's (`éléments` and `elements`)
        // would make that word French-only: an English question would stop meeting English texts.
        for w in [
            "elements", "longer", "oppose", "son", "bureau", "reception", "stage", "reduction", "class", "company",
            "consent", "security", "fine", "employees", "information", "access", "data", "complaint", "recording",
        ] {
            assert_ne!(kinds(w)[0], Kind::Word(Side::Only(Language::Fr)), "{w}");
        }
    }

    #[test]
    fn a_term_inside_a_compound_word_translates() {
        let plan = Plan::of(&["anti-trackers", "tools"]);
        assert!(plan.words[0].translations.is_empty(), "{plan:?}");
        let span = plan.spans.iter().find(|s| (s.start, s.end) == (0, 1)).expect("a span of the compound word");
        assert!(span.translations.iter().any(|t| t.terms.iter().any(|x| x == "traceurs")), "{span:?}");
        // A word translated as a whole is no span of itself.
        assert!(Plan::of(&["traceurs"]).spans.is_empty());
    }

    #[test]
    fn aliases_stay_in_their_language_too() {
        let plan = Plan::of(&["DPO"]);
        let all: Vec<&String> = plan.words[0].translations.iter().flat_map(|t| &t.terms).collect();
        assert!(all.iter().any(|t| *t == "délégué à la protection des données"), "{all:?}");
        assert!(all.iter().any(|t| *t == "data protection officer"), "{all:?}");
    }

    #[test]
    fn highlights_skip_stop_words_and_numbers() {
        let expr = crate::search::query::parse("violation de données SAN-2020-014").unwrap();
        let (fr, en) = highlights(&expr);
        assert!(!fr.iter().chain(&en).any(|w| w == "de" || w == "SAN-2020-014"), "{fr:?} {en:?}");
        assert!(en.iter().any(|w| w == "data breach"), "{en:?}");
    }
}
