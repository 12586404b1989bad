//! recueil's query language: words, "phrases", AND / OR / NOT / `-` / `+`, parentheses and
//! filters (`article:33`, `sector:"Health Care"`, `fine>=10000`…). Parsed here into a small
//! bounded AST; [`crate::search`] compiles it to tantivy queries, running each word and phrase
//! through tantivy's own query parser so that every field is analysed with its analyzer.
//!
//! The parser is ours, not tantivy's, because tantivy's recurses without bound (3,000 nested
//! parentheses abort the process) and its error messages are not fit to show.

use std::ops::Bound;

use chrono::NaiveDate;

use crate::record::SECTORS;
use crate::{Error, Result};

pub const MAX_QUERY_CHARS: usize = 512;
pub const MAX_DEPTH: usize = 16;
pub const MAX_TERMS: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A word (`phrase == false`) or a quoted phrase, matched in the text fields.
    Text { text: String, phrase: bool },
    Filter(Filter),
    /// Words side by side: ranked, at least one must match; filters and groups must match.
    Seq(Vec<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `+word`: must match.
    Required(Box<Expr>),
    /// The empty query: every decision.
    All,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Lower-cased value of a facet field (`breached`, `sector`, `nature`, `measures`,
    /// `respondent_kind`); several values are alternatives.
    Facet { field: &'static str, values: Vec<String> },
    /// Words of the respondent's name.
    Respondent(String),
    /// Lower-cased id or decision number.
    Key(String),
    /// Inclusive day range.
    Date(Bound<NaiveDate>, Bound<NaiveDate>),
    Fine(Bound<u64>, Bound<u64>),
}

const FILTER_NAMES: &[&str] = &[
    "article", "breached", "sector", "kind", "nature", "respondent", "respondent_kind", "measure", "measures", "year",
    "date", "fine", "number", "id",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Plus,
    Word(String),
    Quoted(String),
    Filter(Filter),
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::InvalidQuery(msg.into())
}

/// Parses `q` within the bounds (length, nesting, number of terms).
pub fn parse(q: &str) -> Result<Expr> {
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(invalid(format!("query too long: {chars} characters, at most {MAX_QUERY_CHARS}")));
    }
    if q.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(invalid("query contains control characters"));
    }
    // Typographic quotes (« », “ ”) delimit phrases as straight ones do.
    let q: String = q.chars().map(|c| if matches!(c, '«' | '»' | '“' | '”' | '„') { '"' } else { c }).collect();
    let toks = lex(&q)?;
    let leaves = toks.iter().filter(|t| matches!(t, Tok::Word(_) | Tok::Quoted(_) | Tok::Filter(_))).count();
    if leaves > MAX_TERMS {
        return Err(invalid(format!("too many terms: {leaves}, at most {MAX_TERMS}")));
    }
    if toks.is_empty() {
        return Ok(Expr::All);
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.or(0)?;
    match p.peek() {
        None => Ok(e),
        Some(Tok::RParen) => Err(invalid("unbalanced parentheses: ')' without a matching '('")),
        Some(t) => Err(invalid(format!("unexpected {}", describe(t)))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::And => "AND".into(),
        Tok::Or => "OR".into(),
        Tok::Not => "NOT".into(),
        Tok::Plus => "'+'".into(),
        Tok::Word(w) => format!("word `{w}`"),
        Tok::Quoted(w) => format!("phrase \"{w}\""),
        Tok::Filter(_) => "filter".into(),
    }
}

fn lex(q: &str) -> Result<Vec<Tok>> {
    let mut toks = Vec::new();
    let mut it = q.char_indices().peekable();
    while let Some(&(i, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
            continue;
        }
        match c {
            '(' => {
                it.next();
                toks.push(Tok::LParen);
            }
            ')' => {
                it.next();
                toks.push(Tok::RParen);
            }
            '"' => {
                it.next();
                toks.push(Tok::Quoted(read_quoted(q, &mut it, i)?));
            }
            '-' | '+' => {
                it.next();
                // A sign binds to what follows it; alone it is punctuation.
                if it.peek().is_some_and(|&(_, n)| !n.is_whitespace() && n != ')') {
                    toks.push(if c == '-' { Tok::Not } else { Tok::Plus });
                }
            }
            _ => {
                let start = i;
                let mut end = q.len();
                while let Some(&(j, d)) = it.peek() {
                    if d.is_whitespace() || d == '(' || d == ')' || d == '"' {
                        end = j;
                        break;
                    }
                    it.next();
                }
                let word = &q[start..end];
                if let Some(name) = word.strip_suffix(':').filter(|n| is_filter_name(n)) {
                    // `name:"quoted value"`
                    match it.peek() {
                        Some(&(j, '"')) => {
                            it.next();
                            let value = read_quoted(q, &mut it, j)?;
                            toks.push(Tok::Filter(filter(name, &value)?));
                        }
                        _ => return Err(invalid(format!("filter `{name}:` needs a value"))),
                    }
                    continue;
                }
                toks.push(word_token(word)?);
            }
        }
    }
    Ok(toks)
}

fn read_quoted(
    q: &str,
    it: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    open: usize,
) -> Result<String> {
    for (j, d) in it.by_ref() {
        if d == '"' {
            return Ok(q[open + 1..j].to_string());
        }
    }
    Err(invalid(format!("unterminated quote starting at character {}", q[..open].chars().count() + 1)))
}

fn is_filter_name(name: &str) -> bool {
    FILTER_NAMES.contains(&name.to_ascii_lowercase().as_str())
}

fn word_token(word: &str) -> Result<Tok> {
    match word {
        "AND" | "&&" => return Ok(Tok::And),
        "OR" | "||" => return Ok(Tok::Or),
        "NOT" => return Ok(Tok::Not),
        _ => {}
    }
    for op in [">=", "<=", ">", "<"] {
        if let Some((name, value)) = word.split_once(op) {
            let lname = name.to_ascii_lowercase();
            if matches!(lname.as_str(), "fine" | "date" | "year") {
                return Ok(Tok::Filter(comparison(&lname, op, value)?));
            }
        }
    }
    if let Some((name, value)) = word.split_once(':') {
        if is_filter_name(name) {
            return Ok(Tok::Filter(filter(name, value)?));
        }
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') && !value.starts_with("//") {
            return Err(invalid(format!(
                "unknown filter `{name}`; filters are {}",
                FILTER_NAMES.join(", ")
            )));
        }
    }
    Ok(Tok::Word(word.to_string()))
}

fn filter(name: &str, value: &str) -> Result<Filter> {
    let name = name.to_ascii_lowercase();
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(format!("filter `{name}:` needs a value")));
    }
    let lower = v.to_lowercase();
    Ok(match name.as_str() {
        "article" => {
            let digits: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
            let n: u32 = digits
                .parse()
                .ok()
                .filter(|n| (1..=99).contains(n))
                .ok_or_else(|| invalid(format!("article:{v}: expected a GDPR article number (1 to 99)")))?;
            Filter::Facet { field: "breached", values: vec![format!("gdpr:{n}")] }
        }
        "breached" => Filter::Facet { field: "breached", values: vec![lower] },
        "sector" => Filter::Facet { field: "sector", values: sectors(&lower)? },
        "kind" | "nature" => Filter::Facet { field: "nature", values: vec![lower] },
        "measure" | "measures" => Filter::Facet { field: "measures", values: vec![lower] },
        "respondent_kind" => Filter::Facet { field: "respondent_kind", values: vec![lower] },
        "respondent" => Filter::Respondent(v.to_string()),
        "number" | "id" => Filter::Key(lower),
        "year" => match range(&name, v)? {
            Some((a, b)) => {
                let lo = if a.is_empty() { Bound::Unbounded } else { Bound::Included(year_start(a)?) };
                let hi = if b.is_empty() { Bound::Unbounded } else { Bound::Excluded(year_start(&(year(b)? + 1).to_string())?) };
                Filter::Date(lo, hi)
            }
            None => Filter::Date(Bound::Included(year_start(v)?), Bound::Excluded(year_start(&(year(v)? + 1).to_string())?)),
        },
        "date" => match range(&name, v)? {
            Some((a, b)) => Filter::Date(
                if a.is_empty() { Bound::Unbounded } else { Bound::Included(day(a)?) },
                if b.is_empty() { Bound::Unbounded } else { Bound::Included(day(b)?) },
            ),
            None => Filter::Date(Bound::Included(day(v)?), Bound::Included(day(v)?)),
        },
        "fine" => match range(&name, v)? {
            Some((a, b)) => Filter::Fine(
                if a.is_empty() { Bound::Unbounded } else { Bound::Included(amount(a)?) },
                if b.is_empty() { Bound::Unbounded } else { Bound::Included(amount(b)?) },
            ),
            None => Filter::Fine(Bound::Included(amount(v)?), Bound::Included(amount(v)?)),
        },
        other => return Err(invalid(format!("unknown filter `{other}`"))),
    })
}

/// `a..b` split at `..`; `None` for a single value. Either end may be left open, not both:
/// `year:..` would compile to a range without bounds, which tantivy's range query panics on.
fn range<'a>(name: &str, v: &'a str) -> Result<Option<(&'a str, &'a str)>> {
    match v.split_once("..") {
        Some((a, b)) if a.trim().is_empty() && b.trim().is_empty() => {
            Err(invalid(format!("`{name}:{v}` needs a lower or an upper bound")))
        }
        split => Ok(split),
    }
}

fn comparison(name: &str, op: &str, value: &str) -> Result<Filter> {
    fn bounds<T>(op: &str, v: T) -> (Bound<T>, Bound<T>) {
        match op {
            ">=" => (Bound::Included(v), Bound::Unbounded),
            ">" => (Bound::Excluded(v), Bound::Unbounded),
            "<=" => (Bound::Unbounded, Bound::Included(v)),
            _ => (Bound::Unbounded, Bound::Excluded(v)),
        }
    }
    Ok(match name {
        "fine" => {
            let (lo, hi) = bounds(op, amount(value)?);
            Filter::Fine(lo, hi)
        }
        "date" => {
            let (lo, hi) = bounds(op, day(value)?);
            Filter::Date(lo, hi)
        }
        _ => {
            // year>2020 means from 2021-01-01; year<=2020 up to 2020-12-31.
            let y = year(value)?;
            let (lo, hi) = match op {
                ">=" => (Bound::Included(year_start(value)?), Bound::Unbounded),
                ">" => (Bound::Included(year_start(&(y + 1).to_string())?), Bound::Unbounded),
                "<=" => (Bound::Unbounded, Bound::Excluded(year_start(&(y + 1).to_string())?)),
                _ => (Bound::Unbounded, Bound::Excluded(year_start(value)?)),
            };
            Filter::Date(lo, hi)
        }
    })
}

fn sectors(lower: &str) -> Result<Vec<String>> {
    let all: Vec<String> = SECTORS.iter().map(|s| s.to_lowercase()).collect();
    if all.iter().any(|s| s == lower) {
        return Ok(vec![lower.to_string()]);
    }
    let partial: Vec<String> = all.into_iter().filter(|s| s.contains(lower)).collect();
    if partial.is_empty() {
        return Err(invalid(format!("unknown sector `{lower}`; sectors are {}", SECTORS.join(", "))));
    }
    Ok(partial)
}

fn year(v: &str) -> Result<i32> {
    v.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1970..=2200).contains(y))
        .ok_or_else(|| invalid(format!("`{v}` is not a year (1970 to 2200)")))
}

fn year_start(v: &str) -> Result<NaiveDate> {
    let y = year(v)?;
    NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| invalid(format!("`{v}` is not a year")))
}

fn day(v: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(format!("`{v}` is not a date (expected YYYY-MM-DD)")))
}

fn amount(v: &str) -> Result<u64> {
    let cleaned: String = v.chars().filter(|c| *c != '_').collect();
    cleaned.parse::<u64>().map_err(|_| invalid(format!("`{v}` is not an amount in euros (digits only)")))
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or(&mut self, depth: usize) -> Result<Expr> {
        let mut parts = vec![self.and(depth)?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and(depth)?);
        }
        Ok(if parts.len() == 1 { parts.pop().unwrap_or(Expr::All) } else { Expr::Or(parts) })
    }

    fn and(&mut self, depth: usize) -> Result<Expr> {
        let mut parts = vec![self.seq(depth)?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            parts.push(self.seq(depth)?);
        }
        Ok(if parts.len() == 1 { parts.pop().unwrap_or(Expr::All) } else { Expr::And(parts) })
    }

    fn seq(&mut self, depth: usize) -> Result<Expr> {
        let mut parts = Vec::new();
        while let Some(t) = self.peek() {
            if matches!(t, Tok::And | Tok::Or | Tok::RParen) {
                break;
            }
            parts.push(self.unary(depth)?);
        }
        match parts.len() {
            0 => Err(invalid(match self.peek() {
                Some(t) => format!("expected a word, phrase or filter before {}", describe(t)),
                None => "expected a word, phrase or filter at the end of the query".into(),
            })),
            1 => Ok(parts.pop().unwrap_or(Expr::All)),
            _ => Ok(Expr::Seq(parts)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Expr> {
        if depth > MAX_DEPTH {
            return Err(invalid(format!("query nested too deeply: more than {MAX_DEPTH} levels")));
        }
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some(Tok::Plus) => {
                self.pos += 1;
                Ok(Expr::Required(Box::new(self.unary(depth + 1)?)))
            }
            _ => self.primary(depth),
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr> {
        let tok = self.toks.get(self.pos).cloned();
        self.pos += 1;
        match tok {
            Some(Tok::LParen) => {
                if depth + 1 > MAX_DEPTH {
                    return Err(invalid(format!("query nested too deeply: more than {MAX_DEPTH} levels")));
                }
                let e = self.or(depth + 1)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(invalid("unbalanced parentheses: '(' without a matching ')'"));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(Tok::Word(w)) => Ok(Expr::Text { text: w, phrase: false }),
            Some(Tok::Quoted(w)) => Ok(Expr::Text { text: w, phrase: true }),
            Some(Tok::Filter(f)) => Ok(Expr::Filter(f)),
            Some(t) => Err(invalid(format!("unexpected {}", describe(&t)))),
            None => Err(invalid("unexpected end of query")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Expr {
        Expr::Text { text: w.into(), phrase: false }
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(parse("").unwrap(), Expr::All);
        assert_eq!(parse("cookies").unwrap(), word("cookies"));
        assert_eq!(parse("a b").unwrap(), Expr::Seq(vec![word("a"), word("b")]));
        assert_eq!(parse("a AND b OR c").unwrap(), Expr::Or(vec![Expr::And(vec![word("a"), word("b")]), word("c")]));
        assert_eq!(parse("-a").unwrap(), Expr::Not(Box::new(word("a"))));
        assert_eq!(parse("NOT a").unwrap(), Expr::Not(Box::new(word("a"))));
        assert_eq!(parse("+a").unwrap(), Expr::Required(Box::new(word("a"))));
        assert_eq!(parse("\"data breach\"").unwrap(), Expr::Text { text: "data breach".into(), phrase: true });
        assert_eq!(parse("« données de santé »").unwrap(), Expr::Text { text: " données de santé ".into(), phrase: true });
        assert_eq!(parse("“data breach”").unwrap(), Expr::Text { text: "data breach".into(), phrase: true });
        assert_eq!(parse("SAN-2019-001").unwrap(), word("SAN-2019-001"));
        assert_eq!(parse("(a OR b) c").unwrap(), Expr::Seq(vec![Expr::Or(vec![word("a"), word("b")]), word("c")]));
        // A lone sign is punctuation, not an empty negation.
        assert_eq!(parse("a - b").unwrap(), Expr::Seq(vec![word("a"), word("b")]));
    }

    #[test]
    fn filters() {
        let f = |q: &str| match parse(q).unwrap() {
            Expr::Filter(f) => f,
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(f("article:33"), Filter::Facet { field: "breached", values: vec!["gdpr:33".into()] });
        assert_eq!(f("breached:\"LIL:82\""), Filter::Facet { field: "breached", values: vec!["lil:82".into()] });
        assert_eq!(f("sector:\"Health Care\""), Filter::Facet { field: "sector", values: vec!["health care".into()] });
        assert_eq!(f("kind:sanction"), Filter::Facet { field: "nature", values: vec!["sanction".into()] });
        assert_eq!(f("respondent:google"), Filter::Respondent("google".into()));
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(f("year:2020"), Filter::Date(Bound::Included(d(2020, 1, 1)), Bound::Excluded(d(2021, 1, 1))));
        assert_eq!(
            f("date:2020-01-01..2021-06-30"),
            Filter::Date(Bound::Included(d(2020, 1, 1)), Bound::Included(d(2021, 6, 30)))
        );
        assert_eq!(f("fine>=10000"), Filter::Fine(Bound::Included(10_000), Bound::Unbounded));
        assert_eq!(f("fine:10000..500000"), Filter::Fine(Bound::Included(10_000), Bound::Included(500_000)));
        assert_eq!(f("fine<5000"), Filter::Fine(Bound::Unbounded, Bound::Excluded(5_000)));
    }

    #[test]
    fn errors_name_the_problem() {
        let e = |q: &str| parse(q).unwrap_err().to_string();
        assert!(e("(a b").contains("unbalanced"), "{}", e("(a b"));
        assert!(e("a b)").contains("unbalanced"));
        assert!(e("\"open").contains("unterminated quote"));
        assert!(e("sectr:health").contains("unknown filter `sectr`"));
        assert!(e("sector:spaceships").contains("unknown sector"));
        assert!(e("article:abc").contains("GDPR article"));
        assert!(e("fine>=lots").contains("not an amount"));
        assert!(e("date:2020-13-45").contains("not a date"));
        assert!(e("a AND").contains("end of the query"));
        assert!(e("OR a").contains("before OR"));
        assert!(e(&"x".repeat(513)).contains("too long"));
        assert!(e(&"a ".repeat(65)).contains("too many terms"));
        assert!(e("a\u{0}b").contains("control"));
        for open in ["year:..", "date:..", "fine:..", "fine:\" .. \""] {
            assert!(e(open).contains("needs a lower or an upper bound"), "{open}: {}", e(open));
        }
        assert!(parse("date:2022-01-01..").is_ok() && parse("fine:..5000").is_ok());
    }

    #[test]
    fn nesting_is_bounded_without_overflow() {
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}a{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().to_string().contains("nested too deeply"));
        // What aborts tantivy's own parser: rejected by the length bound, long before recursion.
        let huge = format!("{}a{}", "(".repeat(3000), ")".repeat(3000));
        assert!(parse(&huge).is_err());
        let negations = format!("{}a", "-".repeat(200));
        assert!(parse(&negations).unwrap_err().to_string().contains("nested too deeply"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(q in "\\PC{0,600}") {
            let _ = parse(&q);
        }

        #[test]
        fn never_panics_on_operator_soup(q in "[()\"a:+\\- ORANDNOT<>=.]{0,200}") {
            let _ = parse(&q);
        }
    }
}
