//! recueil's query language: words, "phrases", AND / OR / NOT / `-` / `+`, parentheses and
//! filters (`article:33`, `sector:"Health Care"`, `fine>=10000`…). Parsed here into a small
//! bounded AST; [`crate::search`] compiles it to tantivy queries, running each word and phrase
//! through tantivy's own query parser so that every field is analysed with its analyzer.
//!
//! The parser is ours, not tantivy's, because tantivy's recurses without bound (3,000 nested
//! parentheses abort the process) and its error messages are not fit to show.

use std::ops::Bound;

use chrono::NaiveDate;

use crate::index::Facet;
use crate::record::{Provision, SECTORS};
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
    /// Lower-cased value of a facet (its field is indexed lower-cased); several values are
    /// alternatives.
    Facet { facet: Facet, values: Vec<String> },
    /// Words of the respondent's name.
    Respondent(String),
    /// Lower-cased id or decision number.
    Key(String),
    /// Inclusive day range.
    Date(Bound<NaiveDate>, Bound<NaiveDate>),
    /// Inclusive day range of when this knowledge base first stored or last changed the
    /// decision (not the decision's own date).
    Stored(Change, Bound<NaiveDate>, Bound<NaiveDate>),
    Fine(Bound<u64>, Bound<u64>),
}

/// Which change of a decision in the store a [`Filter::Stored`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
}

/// What a filter name stands for; synonyms (`kind`, `nature`) stand for the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterName {
    Article,
    Breached,
    Sector,
    Nature,
    Respondent,
    RespondentKind,
    Measures,
    Year,
    Date,
    Added,
    Modified,
    Fine,
    Key,
}

/// The English names of filters, in the order a refusal lists them.
const FILTER_NAMES: &[(&str, FilterName)] = &[
    ("article", FilterName::Article),
    ("breached", FilterName::Breached),
    ("sector", FilterName::Sector),
    ("kind", FilterName::Nature),
    ("nature", FilterName::Nature),
    ("respondent", FilterName::Respondent),
    ("respondent_kind", FilterName::RespondentKind),
    ("measure", FilterName::Measures),
    ("measures", FilterName::Measures),
    ("year", FilterName::Year),
    ("date", FilterName::Date),
    ("added", FilterName::Added),
    ("modified", FilterName::Modified),
    ("fine", FilterName::Fine),
    ("number", FilterName::Key),
    ("id", FilterName::Key),
];

/// French names of filters, folded (`année` and `annee` both work), with the filter they name.
const FRENCH_FILTER_NAMES: &[(&str, &str)] = &[
    ("ajoute", "added"),
    ("amende", "fine"),
    ("annee", "year"),
    ("modifie", "modified"),
    ("secteur", "sector"),
    ("mesure", "measure"),
    ("numero", "number"),
    ("organisme", "respondent"),
];

/// The filter `name` stands for, in English or French, any case and accents: its English name
/// (which messages use) and what it filters.
fn canonical_name(name: &str) -> Option<(&'static str, FilterName)> {
    let folded: String = name.to_lowercase().chars().map(fold_char).collect();
    let english = FRENCH_FILTER_NAMES.iter().find(|(fr, _)| *fr == folded).map_or(folded.as_str(), |(_, en)| *en);
    FILTER_NAMES.iter().copied().find(|(n, _)| *n == english)
}

/// Accented letters of French filter names, unaccented.
fn fold_char(c: char) -> char {
    match c {
        'à' | 'â' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' => 'i',
        'ô' => 'o',
        'û' | 'ù' => 'u',
        'ç' => 'c',
        other => other,
    }
}

/// A word shaped like `name:value` or `name>=value` whose name is a word, not a filter: refused
/// with the list rather than searched as text. `http://…` is a word.
fn unknown_filter(name: &str) -> Error {
    let french: Vec<&str> = FRENCH_FILTER_NAMES.iter().map(|(fr, _)| *fr).collect();
    invalid(format!(
        "unknown filter `{name}`; filters are {} (in French: {})",
        FILTER_NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
        french.join(", ")
    ))
}

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
                let mut word = q[start..end].to_string();
                if let Some(groups) = amount_filter(&word) {
                    // `fine>=1 000 000 €`: French thousands groups and a currency sign belong to the value.
                    word.push_str(&amount_groups(q, &mut it, groups));
                }
                let word = word.as_str();
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
    canonical_name(name).is_some()
}

/// Whether `word` starts a fine filter ending in digits (`fine>=1`, `amende:100`): then a
/// currency may follow, and groups of three digits too when it ends in one to three digits.
fn amount_filter(word: &str) -> Option<bool> {
    let name: String = word.chars().take_while(|c| c.is_alphabetic()).collect();
    let last_digits = word.bytes().rev().take_while(u8::is_ascii_digit).count();
    (canonical_name(&name).is_some_and(|(_, f)| f == FilterName::Fine) && last_digits > 0).then_some(last_digits <= 3)
}

/// The groups of three digits and the currency sign that follow an amount after spaces
/// (`1 000 000 €`), consumed from `it`; returned without the spaces.
fn amount_groups(q: &str, it: &mut std::iter::Peekable<std::str::CharIndices<'_>>, groups: bool) -> String {
    let mut out = String::new();
    loop {
        let Some(&(at, c)) = it.peek() else { break };
        if !c.is_whitespace() {
            break;
        }
        let rest = q[at..].trim_start();
        let skip = q.len() - at - rest.len();
        let group_len = rest.find(|c: char| c.is_whitespace() || c == '(' || c == ')').unwrap_or(rest.len());
        let group = &rest[..group_len];
        let digits = group.trim_end_matches('€');
        let is_group = groups && digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit());
        let is_currency = matches!(group.to_lowercase().as_str(), "€" | "eur" | "euros");
        if !(is_group || is_currency) {
            break;
        }
        while it.peek().is_some_and(|&(j, _)| j < at + skip + group_len) {
            it.next();
        }
        if is_currency {
            break;
        }
        out.push_str(group);
        if group.ends_with('€') {
            break;
        }
    }
    out
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
            match canonical_name(name) {
                Some((
                    _,
                    filter @ (FilterName::Fine | FilterName::Date | FilterName::Added | FilterName::Modified | FilterName::Year),
                )) => {
                    return Ok(Tok::Filter(comparison(filter, op, value)?))
                }
                Some(_) => return Err(invalid(format!("filter `{name}` takes `:`, not `{op}`"))),
                None if is_name(name) => return Err(unknown_filter(name)),
                None => {}
            }
        }
    }
    if let Some((name, value)) = word.split_once(':') {
        if is_filter_name(name) {
            return Ok(Tok::Filter(filter(name, value)?));
        }
        if is_name(name) && !value.starts_with("//") {
            return Err(unknown_filter(name));
        }
    }
    Ok(Tok::Word(word.to_string()))
}

/// What a filter name looks like: letters (accented ones too) and underscores.
fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphabetic() || c == '_')
}

fn filter(name: &str, value: &str) -> Result<Filter> {
    let (name, filter) = canonical_name(name).ok_or_else(|| unknown_filter(name))?;
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(format!("filter `{name}:` needs a value")));
    }
    let lower = v.to_lowercase();
    Ok(match filter {
        FilterName::Article => {
            let digits: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
            let n: u32 = digits
                .parse()
                .ok()
                .filter(|n| (1..=99).contains(n))
                .ok_or_else(|| invalid(format!("article:{v}: expected a GDPR article number (1 to 99)")))?;
            Filter::Facet { facet: Facet::Breached, values: vec![Provision::gdpr(n).to_string().to_lowercase()] }
        }
        FilterName::Breached => Filter::Facet { facet: Facet::Breached, values: vec![lower] },
        FilterName::Sector => Filter::Facet { facet: Facet::Sector, values: sectors(&lower)? },
        FilterName::Nature => Filter::Facet { facet: Facet::Nature, values: vec![lower] },
        FilterName::Measures => Filter::Facet { facet: Facet::Measures, values: vec![lower] },
        FilterName::RespondentKind => Filter::Facet { facet: Facet::RespondentKind, values: vec![lower] },
        FilterName::Respondent => Filter::Respondent(v.to_string()),
        FilterName::Key => Filter::Key(lower),
        FilterName::Year => match range(name, v)? {
            Some((a, b)) => {
                let lo = if a.is_empty() { Bound::Unbounded } else { Bound::Included(year_start(a)?) };
                let hi = if b.is_empty() { Bound::Unbounded } else { Bound::Excluded(year_start(&(year(b)? + 1).to_string())?) };
                Filter::Date(lo, hi)
            }
            None => Filter::Date(Bound::Included(year_start(v)?), Bound::Excluded(year_start(&(year(v)? + 1).to_string())?)),
        },
        FilterName::Date => {
            let (lo, hi) = days(name, v)?;
            Filter::Date(lo, hi)
        }
        FilterName::Added => {
            let (lo, hi) = days(name, v)?;
            Filter::Stored(Change::Added, lo, hi)
        }
        FilterName::Modified => {
            let (lo, hi) = days(name, v)?;
            Filter::Stored(Change::Modified, lo, hi)
        }
        FilterName::Fine => match range(name, v)? {
            Some((a, b)) => Filter::Fine(
                if a.is_empty() { Bound::Unbounded } else { Bound::Included(amount(a)?) },
                if b.is_empty() { Bound::Unbounded } else { Bound::Included(amount(b)?) },
            ),
            None => Filter::Fine(Bound::Included(amount(v)?), Bound::Included(amount(v)?)),
        },
    })
}

/// A day (`2024-05-01`) or an inclusive range of days (`2024-01-01..2024-06-30`, either end open).
fn days(name: &str, v: &str) -> Result<(Bound<NaiveDate>, Bound<NaiveDate>)> {
    Ok(match range(name, v)? {
        Some((a, b)) => (
            if a.is_empty() { Bound::Unbounded } else { Bound::Included(day(a)?) },
            if b.is_empty() { Bound::Unbounded } else { Bound::Included(day(b)?) },
        ),
        None => (Bound::Included(day(v)?), Bound::Included(day(v)?)),
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

/// `fine`, `date`, `added`, `modified` or `year` compared with `op` to `value`.
fn comparison(filter: FilterName, op: &str, value: &str) -> Result<Filter> {
    fn bounds<T>(op: &str, v: T) -> (Bound<T>, Bound<T>) {
        match op {
            ">=" => (Bound::Included(v), Bound::Unbounded),
            ">" => (Bound::Excluded(v), Bound::Unbounded),
            "<=" => (Bound::Unbounded, Bound::Included(v)),
            _ => (Bound::Unbounded, Bound::Excluded(v)),
        }
    }
    Ok(match filter {
        FilterName::Fine => {
            let (lo, hi) = bounds(op, amount(value)?);
            Filter::Fine(lo, hi)
        }
        FilterName::Date => {
            let (lo, hi) = bounds(op, day(value)?);
            Filter::Date(lo, hi)
        }
        FilterName::Added | FilterName::Modified => {
            let (lo, hi) = bounds(op, day(value)?);
            let change = if filter == FilterName::Added { Change::Added } else { Change::Modified };
            Filter::Stored(change, lo, hi)
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

/// French words for the sectors of the taxonomy, folded: `secteur:santé` is `sector:health`.
const FRENCH_SECTORS: &[(&str, &str)] = &[
    ("sante", "health"),
    ("emploi", "employment"),
    ("travail", "employment"),
    ("banque", "finance"),
    ("assurance", "insurance"),
    ("public", "public sector"),
    ("education", "education"),
    ("immobilier", "real estate"),
    ("logement", "real estate"),
    ("transport", "transportation"),
    ("energie", "energy"),
    ("medias", "media"),
    ("telecoms", "telecoms"),
    ("commerce", "commerce"),
    ("industrie", "industry"),
    ("hotellerie", "hospitalty"),
    ("particuliers", "individuals"),
    ("association", "associations"),
];

fn sectors(lower: &str) -> Result<Vec<String>> {
    let folded: String = lower.chars().map(fold_char).collect();
    let lower = FRENCH_SECTORS.iter().find(|(fr, _)| *fr == folded).map_or(lower, |(_, en)| *en);
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

/// An amount in euros: digits, optionally in groups of three separated by spaces, dots,
/// commas or underscores (`1 000 000`, `1.000.000`), optionally followed by `€` or `EUR`.
fn amount(v: &str) -> Result<u64> {
    let bad = || invalid(format!("`{v}` is not an amount in euros (digits, e.g. 1 000 000 or 1.000.000)"));
    let lower = v.trim().to_lowercase();
    let number = lower.trim_end_matches("euros").trim_end_matches("eur").trim_end_matches('€').trim_end();
    let groups: Vec<&str> = number.split(|c: char| matches!(c, ' ' | '.' | ',' | '_') || c.is_whitespace()).collect();
    let well_grouped = groups.len() == 1
        || (groups.first().is_some_and(|g| (1..=3).contains(&g.len())) && groups[1..].iter().all(|g| g.len() == 3));
    if !well_grouped || groups.iter().any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    groups.concat().parse::<u64>().map_err(|_| bad())
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
        assert_eq!(f("article:33"), Filter::Facet { facet: Facet::Breached, values: vec!["gdpr:33".into()] });
        assert_eq!(f("breached:\"LIL:82\""), Filter::Facet { facet: Facet::Breached, values: vec!["lil:82".into()] });
        assert_eq!(f("sector:\"Health Care\""), Filter::Facet { facet: Facet::Sector, values: vec!["health care".into()] });
        assert_eq!(f("kind:sanction"), Filter::Facet { facet: Facet::Nature, values: vec!["sanction".into()] });
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
    fn french_filter_names() {
        let f = |q: &str| match parse(q).unwrap() {
            Expr::Filter(f) => f,
            other => panic!("{q}: {other:?}"),
        };
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(f("amende>=10000"), Filter::Fine(Bound::Included(10_000), Bound::Unbounded));
        assert_eq!(f("année:2021"), Filter::Date(Bound::Included(d(2021, 1, 1)), Bound::Excluded(d(2022, 1, 1))));
        assert_eq!(f("Annee:2021"), f("year:2021"));
        assert_eq!(f("secteur:santé"), f("sector:health"));
        assert_eq!(f("date>=2022-01-01"), Filter::Date(Bound::Included(d(2022, 1, 1)), Bound::Unbounded));
        assert_eq!(f("article:32"), Filter::Facet { facet: Facet::Breached, values: vec!["gdpr:32".into()] });
    }

    #[test]
    fn when_the_store_added_or_changed_a_decision() {
        let f = |q: &str| match parse(q).unwrap() {
            Expr::Filter(f) => f,
            other => panic!("{q}: {other:?}"),
        };
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(f("added>=2026-11-01"), Filter::Stored(Change::Added, Bound::Included(d(2026, 11, 1)), Bound::Unbounded));
        assert_eq!(f("modified<2026-12-01"), Filter::Stored(Change::Modified, Bound::Unbounded, Bound::Excluded(d(2026, 12, 1))));
        assert_eq!(
            f("added:2026-11-01..2026-11-30"),
            Filter::Stored(Change::Added, Bound::Included(d(2026, 11, 1)), Bound::Included(d(2026, 11, 30)))
        );
        assert_eq!(f("modified:2026-12-01"), Filter::Stored(Change::Modified, Bound::Included(d(2026, 12, 1)), Bound::Included(d(2026, 12, 1))));
        // French names, with or without accents.
        assert_eq!(f("ajouté>=2026-11-01"), f("added>=2026-11-01"));
        assert_eq!(f("modifie>2026-11-30"), Filter::Stored(Change::Modified, Bound::Excluded(d(2026, 11, 30)), Bound::Unbounded));
        assert!(parse("added:yesterday").is_err());
        assert!(parse("modified:..").is_err());
    }

    #[test]
    fn amounts_in_french_forms() {
        let million = Filter::Fine(Bound::Included(1_000_000), Bound::Unbounded);
        for q in ["fine>=1 000 000", "fine>=1 000 000 €", "fine>=1.000.000", "amende>=1 000 000€", "fine>=1000000 EUR",
            "fine>=1\u{a0}000\u{202f}000", "fine>=1,000,000"] {
            assert_eq!(parse(q).unwrap(), Expr::Filter(million.clone()), "{q}");
        }
        // The words after the amount stay words.
        assert_eq!(
            parse("fine>=1 000 cookies").unwrap(),
            Expr::Seq(vec![Expr::Filter(Filter::Fine(Bound::Included(1_000), Bound::Unbounded)), word("cookies")])
        );
        assert!(parse("fine>=10.00").unwrap_err().to_string().contains("not an amount"));
    }

    #[test]
    fn unknown_filters_are_refused_with_the_list() {
        for q in ["montant>=5", "pays:france", "sectr:health", "délai:3"] {
            let e = parse(q).unwrap_err().to_string();
            assert!(e.contains("unknown filter") && e.contains("amende"), "{q}: {e}");
        }
        // Not filters: a link, a time, a word with a colon inside a phrase.
        assert!(parse("https://www.cnil.fr").is_ok());
        assert!(parse("10:30").is_ok());
        assert!(parse("\"article 4: definitions\"").is_ok());
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
        // A message names the filter in English, as typed when it has synonyms.
        for (q, name) in [("kind:\"\"", "kind"), ("nature:\" \"", "nature"), ("secteur:\"\"", "sector"), ("Numéro:\"\"", "number")] {
            assert!(e(q).contains(&format!("filter `{name}:` needs a value")), "{q}: {}", e(q));
        }
        assert!(e("amende:..").contains("`fine:..` needs"), "{}", e("amende:.."));
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
