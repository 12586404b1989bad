//! The bilingual lexicon of the field: concepts named in French and in English, each with the
//! variants users and machine translations use (`data/lexicon/*.tsv`, embedded in the binary
//! and parsed once). Terms are looked up by their stems, so that inflections and accents meet
//! as they do in the index. See docs/search.md for how the files are built and tested.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::index::analysis::{self, EN_STEM, EXACT, FR_STEM};
use crate::record::Language;
use crate::{Error, Result};

/// The lexicon files, in the order their entries are numbered.
pub const SOURCES: &[(&str, &str)] = &[
    ("gdpr-terms.tsv", include_str!("../../data/lexicon/gdpr-terms.tsv")),
    ("gdpr-articles.tsv", include_str!("../../data/lexicon/gdpr-articles.tsv")),
    ("field.tsv", include_str!("../../data/lexicon/field.tsv")),
    ("general.tsv", include_str!("../../data/lexicon/general.tsv")),
];

/// Separates the alternatives of one side of an entry.
const ALTERNATIVES: char = '|';

/// One concept: its French and its English names, preferred first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub fr: Vec<String>,
    pub en: Vec<String>,
}

impl Entry {
    pub fn side(&self, language: Language) -> &[String] {
        match language {
            Language::Fr => &self.fr,
            Language::En => &self.en,
        }
    }
}

/// One alternative of an entry, as the stemmed field of its language holds it.
#[derive(Debug)]
struct Form {
    stems: Vec<String>,
    entry: usize,
    alternative: usize,
}

/// The forms of one language, keyed by their first stem, and the words they are made of.
#[derive(Debug, Default)]
struct Side {
    by_first: HashMap<String, Vec<Form>>,
    /// Every stem of every form: whether a word is a word of this language's lexicon.
    stems: HashSet<String>,
    /// Every folded, unstemmed word: tells `data` (English) from `date` (French) when both
    /// stem alike.
    words: HashSet<String>,
}

/// A form found in a sequence of stems: `len` stems from where the lookup started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub len: usize,
    pub entry: usize,
    pub alternative: usize,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    entries: Vec<Entry>,
    fr: Side,
    en: Side,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| match Lexicon::embedded() {
    Ok(lexicon) => lexicon,
    // The files are compiled in and a test parses them: this only guards a broken build.
    Err(e) => {
        tracing::error!("lexicon unusable, searching without translation: {e}");
        Lexicon::default()
    }
});

/// Parses one lexicon file: `french<TAB>english` per line, alternatives separated by `|`,
/// `#` starting a comment line.
pub fn parse(name: &str, text: &str) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let bad = |why: &str| Error::Serde(format!("lexicon {name} line {}: {why}", i + 1));
        let (fr, en) = line.split_once('\t').ok_or_else(|| bad("expected french<TAB>english"))?;
        if en.contains('\t') {
            return Err(bad("more than two columns"));
        }
        let side = |s: &str| -> Vec<String> {
            s.split(ALTERNATIVES).map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect()
        };
        let (fr, en) = (side(fr), side(en));
        if fr.is_empty() || en.is_empty() {
            return Err(bad("a side has no term"));
        }
        entries.push(Entry { fr, en });
    }
    Ok(entries)
}

impl Lexicon {
    /// The lexicon compiled into the binary, parsed on first use.
    pub fn get() -> &'static Lexicon {
        &LEXICON
    }

    fn embedded() -> Result<Lexicon> {
        let mut entries = Vec::new();
        for (name, text) in SOURCES {
            entries.extend(parse(name, text)?);
        }
        Ok(Lexicon::from_entries(entries))
    }

    pub fn from_entries(entries: Vec<Entry>) -> Lexicon {
        let mut exact = analysis::analyzer(EXACT);
        let mut lexicon = Lexicon { entries: Vec::new(), fr: Side::default(), en: Side::default() };
        for (e, entry) in entries.iter().enumerate() {
            for language in [Language::Fr, Language::En] {
                let mut stemmer = analysis::analyzer(analyzer_name(language));
                let side = match language {
                    Language::Fr => &mut lexicon.fr,
                    Language::En => &mut lexicon.en,
                };
                for (a, text) in entry.side(language).iter().enumerate() {
                    let stems = analysis::tokens(&mut stemmer, text);
                    let Some(first) = stems.first().cloned() else {
                        continue;
                    };
                    side.stems.extend(stems.iter().cloned());
                    side.words.extend(analysis::tokens(&mut exact, text));
                    side.by_first.entry(first).or_default().push(Form { stems, entry: e, alternative: a });
                }
            }
        }
        lexicon.entries = entries;
        lexicon
    }

    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn side(&self, language: Language) -> &Side {
        match language {
            Language::Fr => &self.fr,
            Language::En => &self.en,
        }
    }

    /// The forms of `language` that `stems` starts with, the longest ones only (several
    /// entries may share a form: `traitement` is processing and treatment).
    pub fn longest(&self, language: Language, stems: &[String]) -> Vec<Found> {
        let Some(forms) = stems.first().and_then(|s| self.side(language).by_first.get(s)) else {
            return Vec::new();
        };
        let fits = |f: &&Form| f.stems.len() <= stems.len() && f.stems[..] == stems[..f.stems.len()];
        let Some(len) = forms.iter().filter(fits).map(|f| f.stems.len()).max() else {
            return Vec::new();
        };
        forms
            .iter()
            .filter(fits)
            .filter(|f| f.stems.len() == len)
            .map(|f| Found { len, entry: f.entry, alternative: f.alternative })
            .collect()
    }

    /// Whether `stem` is a stem of some term of `language`.
    pub fn has_stem(&self, language: Language, stem: &str) -> bool {
        self.side(language).stems.contains(stem)
    }

    /// Whether the folded, unstemmed `word` is written in some term of `language`.
    pub fn has_word(&self, language: Language, word: &str) -> bool {
        self.side(language).words.contains(word)
    }
}

/// French for English, English for French.
pub fn other(language: Language) -> Language {
    match language {
        Language::Fr => Language::En,
        Language::En => Language::Fr,
    }
}

/// The analyzer of a language's stemmed fields.
pub fn analyzer_name(language: Language) -> &'static str {
    match language {
        Language::Fr => FR_STEM,
        Language::En => EN_STEM,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(language: Language, text: &str) -> Vec<String> {
        analysis::tokens(&mut analysis::analyzer(analyzer_name(language)), text)
    }

    #[test]
    fn every_embedded_file_parses() {
        for (name, text) in SOURCES {
            let entries = parse(name, text).unwrap();
            assert!(!entries.is_empty(), "{name} is empty");
        }
        assert!(Lexicon::get().len() > 600, "{} entries", Lexicon::get().len());
    }

    #[test]
    fn malformed_lines_name_their_file_and_line() {
        let e = parse("x.tsv", "# comment\nbon\tgood\nno tab here\n").unwrap_err().to_string();
        assert!(e.contains("x.tsv line 3"), "{e}");
        assert!(parse("x.tsv", "a\tb\tc").is_err());
        assert!(parse("x.tsv", "|\tb").is_err());
    }

    #[test]
    fn longest_form_wins_and_inflections_meet() {
        let lex = Lexicon::from_entries(parse("t", "mise en demeure\tformal notice\nmise\tput\n").unwrap());
        let found = lex.longest(Language::Fr, &stems(Language::Fr, "mises en demeure publiques"));
        assert_eq!(found, vec![Found { len: 2, entry: 0, alternative: 0 }]);
        assert_eq!(lex.longest(Language::Fr, &stems(Language::Fr, "mise"))[0].entry, 1);
        assert!(lex.longest(Language::En, &stems(Language::En, "formal"))[..].is_empty());
        assert_eq!(lex.longest(Language::En, &stems(Language::En, "formal notices"))[0].entry, 0);
    }

    #[test]
    fn shared_forms_give_every_entry() {
        let lex = Lexicon::from_entries(parse("t", "traitement\tprocessing\ntraitement\ttreatment\n").unwrap());
        let found = lex.longest(Language::Fr, &stems(Language::Fr, "traitements"));
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn the_field_lexicon_knows_the_issue_examples() {
        let lex = Lexicon::get();
        let cases = [
            (Language::Fr, "traceurs", "trackers"),
            (Language::Fr, "mise en demeure", "formal notice"),
            (Language::Fr, "astreinte", "daily penalty"),
            (Language::Fr, "astreinte", "penalty payment"),
            (Language::Fr, "droit à l'effacement", "right to erasure"),
            (Language::Fr, "base légale", "lawful basis"),
            (Language::Fr, "formation restreinte", "restricted committee"),
            (Language::En, "restricted formation", "formation restreinte"),
            (Language::En, "DPIA", "AIPD"),
            (Language::Fr, "RGPD", "GDPR"),
            (Language::En, "data protection officer", "DPD"),
            (Language::Fr, "données à caractère personnel", "personal data"),
        ];
        for (language, from, to) in cases {
            let found = lex.longest(language, &stems(language, from));
            assert!(!found.is_empty(), "{from}: not in the lexicon");
            let targets: Vec<&String> = found.iter().flat_map(|f| lex.entry(f.entry).side(other(language))).collect();
            assert!(targets.iter().any(|t| t.eq_ignore_ascii_case(to)), "{from} → {targets:?}, not {to}");
        }
    }
}
