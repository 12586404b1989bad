//! Text analysis: the analyzers every index of recueil registers under fixed names. They are
//! not persisted by tantivy (only their names are), so [`register`] runs on every open.

use std::collections::HashMap;
use std::sync::LazyLock;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// French full text: folded before stemming so that accented and unaccented spellings meet.
pub const FR_STEM: &str = "fr_stem";
/// English full text (replaces tantivy's own `en_stem`, which neither folds nor drops stop words).
pub const EN_STEM: &str = "en_stem";
/// Lower-cased, folded, unstemmed words: exact phrases in either language, respondent names.
pub const EXACT: &str = "exact";
/// One lower-cased token per value: identifiers and facet values matched case-insensitively.
pub const RAW_LC: &str = "raw_lc";

/// Tokens longer than this are noise (base64, hashes) and blow up the term dictionary.
const MAX_TOKEN_LEN: usize = 40;

/// Snowball's French stop words, plus the unaccented forms users type (`a` for `à`) and the
/// elided conjunctions SimpleTokenizer leaves behind (`jusqu'à` → `jusqu`). Folded at startup
/// because the filter runs after AsciiFolding.
const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la", "le",
    "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par",
    "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une",
    "vos", "votre", "vous", "c", "d", "j", "l", "à", "m", "n", "s", "t", "y", "été", "étée", "étées", "étant", "suis",
    "es", "êtes", "sont", "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions",
    "seriez", "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes", "furent",
    "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions", "fussiez", "fussent", "ayant", "eu",
    "eue", "eues", "eus", "ai", "as", "avons", "avez", "ont", "aurai", "aurons", "aurez", "auront", "aurais",
    "aurait", "aurions", "auriez", "auraient", "avais", "avait", "aviez", "avaient", "eut", "eûmes", "eûtes",
    "eurent", "aie", "aies", "ait", "ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez",
    "eussent", "ceci", "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle",
    "quelles", "sans", "soi", "a", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Lucene's English stop words, the list tantivy ships for English.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will",
    "with",
];

fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Runs `text` through `analyzer` and returns the tokens' texts.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Runs `text` through `analyzer` and returns each token's position and text: stop words
/// removed leave their gap, as they do in the index.
pub fn positioned_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        out.push((token.position, token.text.clone()));
    }
    out
}

fn folded(words: &[&str]) -> Vec<String> {
    let mut fold = exact_analyzer();
    words.iter().flat_map(|w| tokens(&mut fold, w)).collect()
}

fn french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(folded(FRENCH_STOP_WORDS)))
        .filter(RememberedStemmer::new(Language::French))
        .build()
}

fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(folded(ENGLISH_STOP_WORDS)))
        .filter(RememberedStemmer::new(Language::English))
        .build()
}

/// Words remembered by one analyzer before it starts afresh: a few MB, whatever the input.
const REMEMBERED_STEMS: usize = 100_000;

/// tantivy's Snowball [`Stemmer`], run once per distinct word of an analyzer's life rather
/// than once per occurrence: a decision's vocabulary is a few thousand words for tens of
/// thousands of tokens, and stemming was a sixth of ingest's CPU (BENCHMARKS.md, "Ingest").
/// A stem depends on the word alone, so the tokens are those of the stemmer itself.
#[derive(Clone)]
struct RememberedStemmer {
    stemmer: TextAnalyzer,
    stems: HashMap<String, String>,
}

impl RememberedStemmer {
    fn new(language: Language) -> RememberedStemmer {
        let stemmer = TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(language)).build();
        RememberedStemmer { stemmer, stems: HashMap::new() }
    }
}

impl TokenFilter for RememberedStemmer {
    type Tokenizer<T: Tokenizer> = RememberedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RememberedStemmerFilter<T> {
        RememberedStemmerFilter { inner, stemmer: self }
    }
}

#[derive(Clone)]
struct RememberedStemmerFilter<T> {
    inner: T,
    stemmer: RememberedStemmer,
}

impl<T: Tokenizer> Tokenizer for RememberedStemmerFilter<T> {
    type TokenStream<'a> = RememberedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedStemmerStream { tail: self.inner.token_stream(text), stemmer: &mut self.stemmer }
    }
}

struct RememberedStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a mut RememberedStemmer,
}

impl<T: TokenStream> TokenStream for RememberedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let RememberedStemmer { stemmer, stems } = &mut *self.stemmer;
        if let Some(stem) = stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let mut stemmed = stemmer.token_stream(&token.text);
        let stem = if stemmed.advance() { stemmed.token().text.clone() } else { token.text.clone() };
        drop(stemmed);
        if stems.len() >= REMEMBERED_STEMS {
            stems.clear();
        }
        stems.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

fn raw_lowercase_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build()
}

/// Registers recueil's analyzers in `manager` (an index's `tokenizers()`).
pub fn register(manager: &TokenizerManager) {
    for name in [FR_STEM, EN_STEM, EXACT, RAW_LC] {
        manager.register(name, analyzer(name));
    }
}

static FRENCH: LazyLock<TextAnalyzer> = LazyLock::new(french_analyzer);
static ENGLISH: LazyLock<TextAnalyzer> = LazyLock::new(english_analyzer);
static EXACT_ANALYZER: LazyLock<TextAnalyzer> = LazyLock::new(exact_analyzer);
static RAW_LOWERCASE: LazyLock<TextAnalyzer> = LazyLock::new(raw_lowercase_analyzer);

/// The analyzer registered under `name`, for code that analyzes outside an index (queries,
/// snippets). Built once: building one folds the stop-word lists, too slow to do per hit.
pub fn analyzer(name: &str) -> TextAnalyzer {
    match name {
        FR_STEM => FRENCH.clone(),
        EN_STEM => ENGLISH.clone(),
        RAW_LC => RAW_LOWERCASE.clone(),
        _ => EXACT_ANALYZER.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(text: &str) -> Vec<String> {
        tokens(&mut french_analyzer(), text)
    }

    #[test]
    fn french_accents_case_and_plural_meet() {
        let expected = fr("sécurité");
        assert_eq!(expected, vec!["securit".to_string()]);
        assert_eq!(fr("securite"), expected);
        assert_eq!(fr("Sécurités"), expected);
        assert_eq!(fr("SÉCURITÉ"), expected);
    }

    #[test]
    fn french_donnees_with_and_without_accent() {
        assert_eq!(fr("données"), fr("donnees"));
        assert_eq!(fr("données"), vec!["donne".to_string()]);
        // The folded stem of "données" must not collide with "don".
        assert_ne!(fr("données"), fr("don"));
    }

    #[test]
    fn french_folded_stop_words_are_removed() {
        assert_eq!(fr("à l'article"), vec!["articl".to_string()]);
        assert_eq!(fr("a été même"), Vec::<String>::new());
        assert_eq!(fr("jusqu'à la sanction"), fr("sanction"));
        assert_eq!(fr("drépanocytose"), fr("drepanocytose"));
    }

    #[test]
    fn english_stems_and_drops_stop_words() {
        let mut en = english_analyzer();
        assert_eq!(tokens(&mut en, "the cookies"), tokens(&mut en, "cookie"));
        assert_eq!(tokens(&mut en, "of the"), Vec::<String>::new());
    }

    /// The hazards the query side works around (`search::crossling`): each language's words
    /// must be searched with that language's analyzer only.
    #[test]
    fn golden_cross_language_hazards() {
        let mut en = english_analyzer();
        // French stop words are words to the English analyzer: searched in English fields, `de`
        // would match (and light up) every French-flavoured text.
        assert_eq!(fr("violation de données"), vec!["violat", "donne"]);
        assert_eq!(tokens(&mut en, "de"), vec!["de"]);
        // English stems `sans` like the `san` of a decision number.
        assert_eq!(tokens(&mut en, "sans"), tokens(&mut en, "SAN"));
        assert_eq!(fr("sans"), Vec::<String>::new());
        // The French stemmer makes English `data` meet French `date`.
        assert_eq!(fr("data"), fr("date"));
        assert_ne!(tokens(&mut en, "data"), tokens(&mut en, "date"));
    }

    #[test]
    fn positions_keep_the_gaps_of_stop_words() {
        let mut fr = french_analyzer();
        assert_eq!(positioned_tokens(&mut fr, "mise en demeure"), vec![(0, "mis".to_string()), (2, "demeur".to_string())]);
    }

    /// Invented text whose words repeat, so that most of them are stemmed from memory.
    #[test]
    fn remembered_stems_are_the_stemmers_own() {
        let text = "Les sanctions sanctionnées, la sanction : données, donnée, DONNÉES ; the breaches breached \
                    a breach, cookies and cookie, été, 2019-001, x".repeat(3);
        for (ours, language) in [(french_analyzer(), Language::French), (english_analyzer(), Language::English)] {
            let stop_words = match language {
                Language::French => FRENCH_STOP_WORDS,
                _ => ENGLISH_STOP_WORDS,
            };
            let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(StopWordFilter::remove(folded(stop_words)))
                .filter(Stemmer::new(language))
                .build();
            let mut ours = ours;
            let expected = positioned_tokens(&mut theirs, &text);
            assert!(expected.iter().any(|(_, t)| t == "sanction" || t == "breach"));
            assert_eq!(positioned_tokens(&mut ours, &text), expected);
            // Twice through one analyzer: the second pass reads every stem from memory.
            assert_eq!(positioned_tokens(&mut ours, &text), expected);
        }
    }

    #[test]
    fn exact_keeps_stop_words_and_folds() {
        let mut exact = exact_analyzer();
        assert_eq!(tokens(&mut exact, "À l'Hôpital"), vec!["a", "l", "hopital"]);
    }
}
