//! Legal provisions cited in a clause, normalised as `GDPR:32`, `LIL:82`, `CPCE:L34-5`.
//!
//! A clause is read token by token: "article(s)" opens a list of numbers, sub-divisions
//! ("5-1-c)", "5(1)(e)", "5, paragraph 1, e)") keep only the article number, and the next
//! instrument named ("of the GDPR", "de la loi du 6 janvier 1978", "du CPCE") decides the
//! code of the numbers collected since. Without one, the GDPR is assumed.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Law, Provision};

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<paren>\([^()]{0,80}\))|(?P<cpce>\bL\.?\s?\d{1,3}(?:-\d+)+)|(?P<ord>\d+\s?°)|(?P<num>\d+(?:\.\d+)*(?:\s?-\s?\d+)*)|(?P<word>[\p{L}][\p{L}'’]*)|(?P<punct>[^\s\p{L}\d])",
    )
    .expect("provision token regex")
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    Gdpr,
    Lil,
    Cpce,
    /// A directive, a decree, another code: numbers attached to it are not ours.
    Other,
}

impl Code {
    fn law(self) -> Option<Law> {
        match self {
            Code::Gdpr => Some(Law::Gdpr),
            Code::Lil => Some(Law::Lil),
            Code::Cpce => Some(Law::Cpce),
            Code::Other => None,
        }
    }
}

/// Words that may sit between article numbers and the instrument they belong to.
const FILLERS: &[&str] = &[
    "and", "et", "or", "ou", "of", "the", "de", "du", "des", "la", "le", "les", "l", "d", "to", "à", "aux", "au",
    "french", "amended", "modified", "modifiée", "as", "its", "said", "same", "above", "mentioned", "précitée",
    "précité", "susvisé", "susvisée", "in", "en", "dite", "called", "so", "version", "former", "formerly",
];

/// Words after which the next number is a sub-division, not an article.
const SUBDIVISION: &[&str] = &["paragraph", "paragraphe", "alinéa", "point", "indent", "sub", "para", "subparagraph"];
/// Plural forms, after which every number of the list is a sub-division ("Article 28
/// paragraphs 3 and 4"), while "Article 7, paragraph 1, 12 and 13" goes back to articles.
const SUBDIVISIONS: &[&str] = &["paragraphs", "paragraphes", "alinéas", "points", "indents", "subparagraphs"];

/// Up to 80 bytes either side of `[start, end)`, on char boundaries: "Postal and Electronic
/// Communications Code" names the code before the word, "code des postes" after it.
fn around(s: &str, start: usize, end: usize) -> &str {
    let mut a = start.saturating_sub(80);
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (end + 80).min(s.len());
    while !s.is_char_boundary(b) {
        b += 1;
    }
    &s[a..b]
}

/// The instrument a word names; `context` is the text around it.
fn instrument(word: &str, context: &str) -> Option<Code> {
    Some(match word {
        "gdpr" | "rgpd" | "regulation" | "regulations" | "règlement" | "reglement" | "rules" | "gber" | "dpmr"
        | "gdmp" | "gpdr" => Code::Gdpr,
        "law" | "loi" | "act" | "informatique" | "libertés" => Code::Lil,
        "cpce" => Code::Cpce,
        "code" => {
            let ahead = context.to_lowercase();
            if ahead.contains("post") || ahead.contains("électronique") || ahead.contains("electronic") {
                Code::Cpce
            } else {
                Code::Other
            }
        }
        "directive" | "convention" | "charter" | "charte" | "decree" | "décret" | "treaty" | "traité"
        | "constitution" | "deliberation" | "délibération" | "ordinance" | "ordonnance" => Code::Other,
        _ => return None,
    })
}

fn is_roman(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
}

/// The provisions cited in `clause`, normalised, in order of appearance, without duplicates.
pub fn provisions(clause: &str) -> Vec<Provision> {
    let mut out: Vec<Provision> = Vec::new();
    let mut pending: Vec<u32> = Vec::new();
    // "L." articles belong to a French code; they count as CPCE unless another code is named.
    let mut pending_l: Vec<String> = Vec::new();
    let mut collecting = false;
    let mut skip_next_number = false;
    let mut skip_numbers = false;
    let mut stray_words = 0usize;
    // "L. 34-5 du code des postes et des communications électroniques et 7 du RGPD": shortly
    // after an instrument, "et"/"and" followed by a number opens a new list.
    let mut since_instrument = usize::MAX;
    let push = |out: &mut Vec<Provision>, p: Provision| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    let resolve = |out: &mut Vec<Provision>, pending: &mut Vec<u32>, pending_l: &mut Vec<String>, code: Code| {
        if code != Code::Other {
            for l in pending_l.drain(..) {
                push(out, Provision { law: Law::Cpce, article: l });
            }
        }
        pending_l.clear();
        if let Some(law) = code.law() {
            for n in pending.iter() {
                let valid = match code {
                    Code::Gdpr => (1..=99).contains(n),
                    _ => (1..=250).contains(n),
                };
                if valid {
                    push(out, Provision { law, article: n.to_string() });
                }
            }
        }
        pending.clear();
    };
    for c in TOKEN.captures_iter(clause) {
        if let Some(m) = c.name("cpce") {
            let norm: String = m.as_str().chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
            pending_l.push(norm.to_uppercase());
            collecting = true;
        } else if c.name("num").is_some() && collecting {
            if skip_next_number {
                skip_next_number = false;
            } else if skip_numbers {
                // Sub-divisions of the article just read.
            } else if let Ok(n) = c["num"].split(|ch: char| !ch.is_ascii_digit()).next().unwrap_or("").parse() {
                pending.push(n);
            }
            stray_words = 0;
        } else if let Some(m) = c.name("word") {
            let w = m.as_str().to_lowercase();
            let w = w
                .strip_prefix("l'")
                .or_else(|| w.strip_prefix("l’"))
                .or_else(|| w.strip_prefix("d'"))
                .or_else(|| w.strip_prefix("d’"))
                .unwrap_or(&w);
            since_instrument = since_instrument.saturating_add(1);
            let resumes = since_instrument <= 8
                && matches!(w, "and" | "et")
                && clause[m.end()..].trim_start().starts_with(|c: char| c.is_ascii_digit());
            if matches!(w, "article" | "articles" | "art") || resumes {
                skip_numbers = false;
                collecting = true;
                stray_words = 0;
            } else if let Some(code) = instrument(w, around(clause, m.start(), m.end())) {
                resolve(&mut out, &mut pending, &mut pending_l, code);
                collecting = false;
                skip_numbers = false;
                since_instrument = 0;
            } else if SUBDIVISION.contains(&w) || (is_roman(w) && w.len() > 1) {
                skip_next_number = collecting;
            } else if SUBDIVISIONS.contains(&w) {
                skip_numbers = collecting;
            } else if w.chars().count() == 1 || FILLERS.contains(&w) {
                // A sub-division letter ("c)") or a connective: the list goes on.
            } else {
                stray_words += 1;
                if stray_words > 4 {
                    resolve(&mut out, &mut pending, &mut pending_l, Code::Gdpr);
                    collecting = false;
                }
            }
        } else if let Some(p) = c.name("punct") {
            // A full stop ends the clause; one inside "5.1.c)" or "12.1" does not.
            let inside = p.as_str() == "." && clause[p.end()..].starts_with(|c: char| c.is_alphanumeric());
            if matches!(p.as_str(), ";" | ":" | "." | "?" | "!") && !inside {
                resolve(&mut out, &mut pending, &mut pending_l, Code::Gdpr);
                collecting = false;
                skip_next_number = false;
                skip_numbers = false;
            }
        }
    }
    resolve(&mut out, &mut pending, &mut pending_l, Code::Gdpr);
    out
}

#[cfg(test)]
mod tests {
    /// The provisions as records write them.
    fn provisions(clause: &str) -> Vec<String> {
        super::provisions(clause).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn french_forms() {
        assert_eq!(provisions("le manquement à l'article 32 du RGPD"), ["GDPR:32"]);
        assert_eq!(provisions("aux articles 5-1-c), 12 et 13 du RGPD"), ["GDPR:5", "GDPR:12", "GDPR:13"]);
        assert_eq!(provisions("à l’article 82 de la loi du 6 janvier 1978 modifiée"), ["LIL:82"]);
        assert_eq!(
            provisions("aux articles L. 34-5 du code des postes et des communications électroniques et 7 du RGPD"),
            ["CPCE:L34-5", "GDPR:7"]
        );
        assert_eq!(provisions("l'article 5, paragraphe 1, e) du RGPD"), ["GDPR:5"]);
    }

    #[test]
    fn english_forms() {
        assert_eq!(provisions("Articles 12 and 13 of the Regulation"), ["GDPR:12", "GDPR:13"]);
        assert_eq!(provisions("Article 5(1)(e) of the GDPR"), ["GDPR:5"]);
        assert_eq!(
            provisions("Article L34-5 of the CPCE and Article 82 (formerly 32.II) of the French Data Protection Act"),
            ["CPCE:L34-5", "LIL:82"]
        );
        assert_eq!(
            provisions("Article 28 paragraphs 3 and 4 of the GDPR and articles 7, paragraph 1, 12, 13 and 32 of the GDPR"),
            ["GDPR:28", "GDPR:7", "GDPR:12", "GDPR:13", "GDPR:32"]
        );
        assert_eq!(
            provisions("Article 66 of Law No. 78-17 of 6 January 1978 (as amended) and Article 5, paragraph 1, a) of the GDPR"),
            ["LIL:66", "GDPR:5"]
        );
    }

    #[test]
    fn paragraph_suffixes_and_instruments_in_full() {
        // Invented clauses in the forms of breakdowns and of French originals.
        assert_eq!(
            provisions("au titre des articles 12.1, 15.1 et 21.2 du RGPD et L. 34-5 du CPCE"),
            ["GDPR:12", "GDPR:15", "GDPR:21", "CPCE:L34-5"]
        );
        assert_eq!(provisions("for Articles 5.1.c), 13 and 32.1 of the GDPR."), ["GDPR:5", "GDPR:13", "GDPR:32"]);
        assert_eq!(provisions("de l'article 82 de la loi n° 78-17 du 6 janvier 1978 relative à l'informatique"), ["LIL:82"]);
        assert_eq!(provisions("Article 82 of the law of January 6, 1978 as amended"), ["LIL:82"]);
        assert_eq!(
            provisions("de l'article L. 34-5 du code des postes et des communications électroniques"),
            ["CPCE:L34-5"]
        );
        assert_eq!(provisions("Article L. 34-5 of the Postal and Electronic Communications Code"), ["CPCE:L34-5"]);
    }

    #[test]
    fn other_instruments_are_dropped() {
        assert!(provisions("Article 5(3) of Directive 2002/58/EC").is_empty());
        assert!(provisions("article L. 1121-1 du code du travail").is_empty());
    }
}
