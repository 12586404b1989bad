//! The structure of a decision found from its lines: facts, breach sections, operative part.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::Span;

use super::clean;
use super::re;

/// Optional enumerator before a heading: "II.", "A.", "1)", "5. 5.".
const ENUM: &str = r"(?:(?:[IVX]+|[A-Za-z]|\d{1,2})[.)°-]\s*){0,2}";

static OPERATIVE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:for\s+(?:these|those)\s+(?:reasons|grounds)|by\s+these\s+grounds|on\s+these\s+grounds|par\s+ces\s+motifs)\s*[:.,]?$")
});
static OPERATIVE_DECIDES: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:after having deliberated|after deliberation|après en avoir délibéré).{0,40}(?:decides|décide)"));
static OPERATIVE_END: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:the\s+)?(?:president|chairman|chair|le\s+président|la\s+présidente|président|présidente)\s*$|^(?:this|the)\s+decision\s+(?:may|is|can)\b|^(?:cette|la\s+présente)\s+(?:décision|délibération)\s+(?:peut|est\s+susceptible)")
});
static TOP_HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^[IVX]{1,4}\s*[.)-]\s*\S"));
static FACTS_HEADING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:[IVX]{1,4}\s*[.)-]\s*)?(?:facts?\b|faits\b|the\s+facts|les\s+faits|background|rappel\s+des\s+faits)"));
static BREACH_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^{ENUM}(?:(?:on|sur|concerning|regarding|as\s+regards|with\s+regard\s+to|with\s+respect\s+to|in\s+respect\s+of|about|quant\s+à)\s+)?(?:(?:the|les?|la|l['’]|a|an|un|une)\s*)?(?:alleged\s+|prétendus?\s+|possible\s+)?(?:breach(?:es)?|failures?|shortcomings?|manquements?|infringements?|violations?|non-compliance|méconnaissance|non-respect|lack\s+of|absence\s+of|défaut\s+d)\b"
    ))
});
static OTHER_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^{ENUM}(?:(?:on|sur|regarding|concerning|as\s+regards)\s+)?(?:(?:the|les?|la|l['’]|des?)\s*)?(?:corrective|sanctions?\b|measures?\b|mesures|publicity|publicité|publication|prononcé|amount\s+of|montant|procedure|procédure|procedural|jurisdiction|compétence|competence|the\s+competence|applicab|territorial|request|demande|processing\s+controller|data\s+controller|responsable|qualit|status|the\s+scope|champ|reasons\s+for|motifs\s+de|injunction|injonction)"
    ))
});

/// Lines searched for a title that is not among the first three.
const TITLE_SCAN: usize = 15;
/// The title of the act where it is not among the first lines.
static TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:deliberation|délibération|decision|décision)\b"));

/// The lines of a decision and where its parts start and end (indices into `lines`).
pub(super) struct Layout<'a> {
    pub(super) text: &'a str,
    /// Non-empty lines, trimmed.
    pub(super) lines: Vec<Span>,
    pub(super) facts: Option<usize>,
    pub(super) breaches: Vec<usize>,
    /// Headings that close a breach section (sanctions, procedure, top-level parts).
    others: Vec<usize>,
    pub(super) operative: Option<(usize, usize)>,
}

impl<'a> Layout<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let lines = clean::lines(text);
        let mut layout = Layout { text, lines, facts: None, breaches: Vec::new(), others: Vec::new(), operative: None };
        layout.find_operative();
        let limit = layout.operative.map_or(layout.lines.len(), |(s, _)| s);
        for i in 0..limit {
            let line = layout.line(i);
            if line.len() > 250 || line.ends_with(';') {
                continue;
            }
            if layout.facts.is_none() && FACTS_HEADING.is_match(line) && line.len() < 120 {
                layout.facts = Some(i);
            } else if BREACH_HEADING.is_match(line) && !line.ends_with(':') {
                layout.breaches.push(i);
            } else if TOP_HEADING.is_match(line) && line.len() < 120 || OTHER_HEADING.is_match(line) && line.len() < 200 {
                layout.others.push(i);
            }
        }
        layout
    }

    pub(super) fn line(&self, i: usize) -> &'a str {
        let s = self.lines[i];
        &self.text[s.start..s.end]
    }

    fn find_operative(&mut self) {
        let n = self.lines.len();
        let start = (0..n)
            .rev()
            .find(|&i| OPERATIVE_HEADING.is_match(self.line(i)))
            .or_else(|| (0..n).rev().find(|&i| self.line(i).len() < 300 && OPERATIVE_DECIDES.is_match(self.line(i))));
        if let Some(start) = start {
            let end = (start + 1..n).find(|&i| OPERATIVE_END.is_match(self.line(i))).unwrap_or(n);
            self.operative = Some((start, end));
        }
    }

    pub(super) fn operative_lines(&self) -> impl Iterator<Item = (Span, &'a str)> + '_ {
        let (s, e) = self.operative.unwrap_or((0, 0));
        (s..e).map(move |i| (self.lines[i], self.line(i)))
    }

    /// The clauses of the operative part: an item runs on over the lines of a copy until it
    /// ends (";", ".", ":") or the next item opens with a list marker.
    pub(super) fn operative_clauses(&self) -> Vec<(Span, &'a str)> {
        let mut out: Vec<(Span, &'a str)> = Vec::new();
        let mut open = false;
        for (span, line) in self.operative_lines() {
            match out.last_mut() {
                Some(last) if open && !line.starts_with(['-', '•', '–', '—', '*', '·', '\u{f0a7}']) && !line.starts_with("o ") => {
                    *last = (Span { start: last.0.start, end: span.end }, &self.text[last.0.start..span.end]);
                }
                _ => out.push((span, line)),
            }
            open = !line.ends_with(['.', ';', ':', '!', '?']);
        }
        out
    }

    /// Byte range of the lines `[from, to)`.
    pub(super) fn span(&self, from: usize, to: usize) -> Span {
        let start = self.lines[from].start;
        let end = if to > from { self.lines[to - 1].end } else { self.lines[from].end };
        Span { start, end }
    }

    /// The line index where the section opened by heading `i` ends.
    pub(super) fn section_end(&self, i: usize) -> usize {
        let next = |v: &[usize]| v.iter().copied().find(|&j| j > i);
        [next(&self.breaches), next(&self.others), self.operative.map(|o| o.0), self.facts.filter(|&j| j > i)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.lines.len())
    }

    /// The first lines of the decision, where its title, number and date are.
    pub(super) fn head(&self) -> Vec<(Span, &'a str)> {
        (0..self.lines.len().min(3)).map(|i| (self.lines[i], self.line(i))).collect()
    }

    /// Where the title may be: the first lines, then, when a copy lost its header, a line
    /// further down that opens with the name of the act.
    pub(super) fn titles(&self) -> Vec<(Span, &'a str)> {
        let mut out = self.head();
        out.extend((3..self.lines.len().min(TITLE_SCAN)).filter(|&i| TITLE_LINE.is_match(self.line(i))).map(|i| (self.lines[i], self.line(i))));
        out
    }
}
