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
mod clean;
mod date;
pub mod number;
mod provisions;
mod sector;
mod tuning;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::record::{
    Disagreement, Fact, Fine, Language, Measure, OutlineSection, Record, RespondentKind, SectionKind, Span,
};

pub use tuning::Tuning;

use amount::amounts;
use clean::Clean;
use date::dates;
use provisions::provisions;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static extraction regex")
}

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

// The three patterns below run on every sentence of the breach sections: they use ASCII
// word boundaries, which keep the regex crate on its lazy DFA (a Unicode `\b` makes it fall
// back to a much slower engine on non-ASCII text), and none ends on a boundary.
static BREACH_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:breach(?:es|ed)?|failures?|shortcomings?|failed\s+to|infringe(?:ment|ments|d)?|violat(?:ion|ions|ed)|disregard|non-compliance|not\s+compl(?:y|ied)|has\s+not\s+implemented|did\s+not\s+implement|n['’]a\s+pas\s+mis\s+en|manqu|méconn|n['’]a\s+pas\s+respecté|ne\s+respecte\s+pas)")
});
static FINDING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:(?-u:\b)(?:established|constituted|characteri[sz]ed|occurred|made\s+out|proven|(?:is|are)\s+(?:clear|evident|manifest)|is\s+a\s+breach|constitutes?\s+a\s+breach|has\s+not\s+(?:implemented|taken|put\s+in\s+place)|did\s+not\s+(?:implement|take)|n['’]a\s+pas\s+(?:mis|pris)|has\s+been\s+committed|disregarded|infringed|violated|breached|failed\s+to|did\s+not\s+comply|has\s+not\s+complied|not\s+complied|therefore\s+considers|constitué|caractérisé|avéré|a\s+méconnu|ont\s+méconnu|a\s+manqué|n['’]a\s+pas\s+respecté|retient)|établi)")
});
static NEGATED_FINDING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:not\s+(?:been\s+)?(?:established|constituted|characteri[sz]ed|made\s+out|proven)|no\s+breach|not\s+allow\s+(?:\w+\s+)?to\s+conclude|ne\s+permet(?:tent)?\s+pas\s+de\s+(?:conclure|caractériser|retenir)|cannot\s+be\s+(?:held|considered|retained|established|accused)|not\s+be\s+(?:held|retained)|unfounded|n['’]est\s+pas\s+(?:constitué|caractérisé|établi)|ne\s+sont\s+pas\s+(?:constitués|caractérisés|établis)|pas\s+de\s+manquement|aucun\s+manquement|ne\s+peut\s+être\s+retenu|infondé)")
});
/// What the rapporteur proposed or the respondent argued is not what the committee found.
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:rapporteur|rapporteure|the\s+company\s+(?:argues|maintains|contends|contests|disputes|submits)|la\s+société\s+(?:soutient|fait\s+valoir|conteste|estime))")
});
/// Words after which the provisions of a clause interpret the breach instead of naming it.
static INTERPRETIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:within\s+the\s+meaning\s+of|as\s+(?:clarified|specified|defined|interpreted)\s+by|in\s+the\s+light\s+of|read\s+in\s+conjunction|au\s+sens\s+de|tel(?:le)?s?\s+que\s+(?:précisée?s?|définie?s?|éclairée?s?)|éclairée?s?\s+par|à\s+la\s+lumière)")
});
static FINE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:fine|amende|financial\s+penalty|pecuniary\s+(?:penalty|sanction)|monetary\s+penalty|administrative\s+(?:penalty|sanction)|sanction\s+pécuniaire|penalty\s+of\s+eur)\b")
});
static PER_DAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\W{0,3}(?:\([^()]{0,60}\)\s*)?(?:per\s+day|a\s+day|each\s+day|par\s+jour|per\s+calendar\s+day|by\s+day)"));
/// "une astreinte journalière de 1 000 euros", "a periodic penalty payment of EUR 500": the
/// sum follows the word for the penalty instead of preceding "par jour".
static PENALTY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:astreinte|penalty\s+payment|periodic\s+penalty|daily\s+penalty)[^;€]{0,60}$")
});
static INJUNCTION: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:injunction|injonction|enjoin\w*|enjoint|enjoindre)\b"));
static NO_MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:no\s+(?:need|grounds|reason)|not\s+necessary|n['’]y\s+a\s+(?:pas\s+)?lieu|pas\s+lieu|not\s+to\s+(?:issue|pronounce|impose)|ne\s+pas\s+prononcer|liquidat)")
});
static PUBLIC: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:(?:make|made|render|rendre|rend)\b.{0,60}\bpubli(?:c|cs|que|ques|she?d?)\b|publish|publier|publication\s+(?:of|de)\s+(?:its|this|the|sa|la|cette|la\s+présente)\s+(?:decision|deliberation|décision|délibération))")
});
static NOT_PUBLIC: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:not\s+to\s+(?:make|publish)|ne\s+pas\s+(?:rendre|publier)|no\s+need\s+to\s+(?:make|publish)|pas\s+lieu\s+de\s+(?:rendre|publier))"));
static REPRIMAND: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:call\s+to\s+order|reprimand|rappel\s+à\s+l['’]\s*ordre|rappel\s+a\s+l['’]\s*ordre)\b"));

/// The opening of the facts when they have no heading: the first numbered paragraph.
static FIRST_PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| re(r"^1\s*[.)]\s+\S"));
/// A sentence whose subject is the respondent ("The company …", "Il exerce …", "Created in
/// 1955, the company …"), or that defines its short name ("(hereinafter …)").
static PRESENTS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:\d{1,2}\s*[.)]\s*)?(?:(?:created|founded|established|incorporated|créée?|fondée?|constituée?)\b[^,]{0,60},\s*)?(?:the\s+(?:company|companies|group|body|organi[sz]ation|municipality|commune|association|firm|controller)|this\s+company|it|its|he|she|his|her|la\s+société|les\s+sociétés|le\s+groupe|l['’]organisme|la\s+commune|l['’]association|cette\s+société|elle|il|son|sa|ses|mr|mrs|ms|m|mme|dr)\b|\b(?:hereinafter|ci-après)\b")
});
/// Lines searched for a title that is not among the first three.
const TITLE_SCAN: usize = 15;
/// The title of the act where it is not among the first lines.
static TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:deliberation|délibération|decision|décision)\b"));
/// A title line names the act; the preamble ("Having regard to the Regulation of 27 April
/// 2016") that follows it in the first lines carries other dates.
static TITLE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:deliberation|délibération|decision|décision|resolution|san\s*-|med\s*-)|\b(?:SAN|MED|MEDP)\s*-\s*\d{4}")
});

static TITLE_RESPONDENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:the\s+compan(?:y|ies)|la\s+société|les\s+sociétés|the\s+(?:group|association|organi[sz]ation|body)|l['’]association|le\s+groupement)\s+(?P<name>[^,;]{2,200}?)\s*(?:$|,|;|\s+by\s+deliberation|\s+par\s+(?:la\s+)?délibération|\(|\s+pronouncing|\s+prononçant)")
});
static TITLE_CONCERNING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:concerning|regarding|relating\s+to|concernant|relative\s+à|à\s+l['’]encontre\s+d[eu]|against|on)\s+(?:the\s+|la\s+|le\s+|l['’]|les\s+)?(?P<name>[^,;]{2,200}?)\s*(?:$|,|;|\()")
});
static OPERATIVE_RESPONDENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:against|on|upon|à\s+l['’]encontre\s+d(?:e\s+la|e\s+l['’]|u|es|e)?|contre)\s+(?:the\s+compan(?:y|ies)\s+|la\s+société\s+|les\s+sociétés\s+|the\s+)?(?P<name>[^,;]{2,150}?)(?:\s+(?:an?|une?|in\s+the\s+amount|d['’]un\s+montant|for|pour|to|with|au\s+titre)\b|\s*[;,]|\s*$)")
});
static INDIVIDUAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:mr|mrs|ms|miss|m|mme|mlle|monsieur|madame|dr|docteur|doctor|maître|me)\b\.?"));
static PUBLIC_BODY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:ministry|ministries|ministère|ministre|minister|municipality|commune|mairie|city\s+of|town\s+of|ville\s+de|département|department\s+of|conseil\s+(?:départemental|régional|municipal)|région|prefecture|préfecture|public\s+(?:body|institution|establishment)|établissement\s+public|centre\s+hospitalier|hospital\s+centre|université|university|académie|rectorat|state|état)\b")
});
static ASSOCIATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:association|foundation|fondation|fédération|federation|syndicat|trade\s+union|club)\b"));
static UPPER_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[\p{Lu}\d][\p{Lu}\d&'’.+-]+(?:\s+[\p{Lu}\d&'’.+–-]+)*"));

/// Fills the fact fields, evidence, outline and summary of `record` from `record.text`.
/// Metadata the source gave with authority (a DILA number or date) is kept.
pub fn fill(record: &mut Record) {
    fill_tuned(record, &Tuning::default());
}

/// [`fill`] with other values of the tuned numbers, for their cross-validation.
pub fn fill_tuned(record: &mut Record, tuning: &Tuning) {
    let facts = read(&record.text, tuning);
    if record.number.is_none() {
        record.number = facts.number;
    }
    if record.date.is_none() {
        record.date = facts.date;
    }
    record.language = facts.language;
    record.respondent = facts.respondent;
    record.respondent_kind = facts.respondent_kind;
    record.sector = Some(facts.sector.to_string());
    record.fine_eur = facts.fine_eur;
    record.fines = facts.fines;
    record.breached = facts.breached;
    record.injunction = facts.injunction;
    record.penalty_per_day_eur = facts.penalty_per_day_eur;
    record.public = facts.public;
    record.measures = facts.measures;
    record.outline = facts.outline;
    record.summary = facts.summary;
    record.evidence = facts.evidence;
    compare_claims(record);
}

/// The language of a decision's text, by counting the most frequent function words of
/// each language in its first 4 KB (the title and preamble).
pub fn detect_language(text: &str) -> Language {
    let head = &text[..floor_char_boundary(text, 4_000)];
    let (mut fr, mut en) = (0usize, 0usize);
    for word in head.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| (2..=4).contains(&w.len())) {
        let mut buf = [0u8; 4];
        buf[..word.len()].copy_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
        match &buf[..word.len()] {
            b"le" | b"la" | b"les" | b"des" | b"du" | b"et" | b"une" | b"est" | b"pour" | b"dans" | b"que" | b"sur" | b"au"
            | b"aux" | b"par" | b"qui" => fr += 1,
            b"the" | b"of" | b"and" | b"to" | b"is" | b"in" | b"for" | b"that" | b"with" | b"on" | b"by" | b"its" => en += 1,
            _ => {}
        }
    }
    if en > fr {
        Language::En
    } else {
        Language::Fr
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Everything read from one text, before it is written into a record.
#[derive(Debug, Default)]
struct Facts {
    number: Option<String>,
    date: Option<chrono::NaiveDate>,
    language: Language,
    respondent: Option<String>,
    respondent_kind: Option<RespondentKind>,
    sector: &'static str,
    fine_eur: Option<u64>,
    fines: Vec<Fine>,
    breached: Vec<String>,
    injunction: Option<bool>,
    penalty_per_day_eur: Option<u64>,
    public: Option<bool>,
    measures: Vec<Measure>,
    outline: Vec<OutlineSection>,
    summary: Option<String>,
    evidence: BTreeMap<String, Vec<Span>>,
}

/// The lines of a decision and where its parts start and end (indices into `lines`).
struct Layout<'a> {
    text: &'a str,
    /// Non-empty lines, trimmed.
    lines: Vec<Span>,
    facts: Option<usize>,
    breaches: Vec<usize>,
    /// Headings that close a breach section (sanctions, procedure, top-level parts).
    others: Vec<usize>,
    operative: Option<(usize, usize)>,
}

impl<'a> Layout<'a> {
    fn new(text: &'a str) -> Self {
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

    fn line(&self, i: usize) -> &'a str {
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

    fn operative_lines(&self) -> impl Iterator<Item = (Span, &'a str)> + '_ {
        let (s, e) = self.operative.unwrap_or((0, 0));
        (s..e).map(move |i| (self.lines[i], self.line(i)))
    }

    /// The clauses of the operative part: an item runs on over the lines of a copy until it
    /// ends (";", ".", ":") or the next item opens with a list marker.
    fn operative_clauses(&self) -> Vec<(Span, &'a str)> {
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
    fn span(&self, from: usize, to: usize) -> Span {
        let start = self.lines[from].start;
        let end = if to > from { self.lines[to - 1].end } else { self.lines[from].end };
        Span { start, end }
    }

    /// The line index where the section opened by heading `i` ends.
    fn section_end(&self, i: usize) -> usize {
        let next = |v: &[usize]| v.iter().copied().find(|&j| j > i);
        [next(&self.breaches), next(&self.others), self.operative.map(|o| o.0), self.facts.filter(|&j| j > i)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.lines.len())
    }

    /// The first lines of the decision, where its title, number and date are.
    fn head(&self) -> Vec<(Span, &'a str)> {
        (0..self.lines.len().min(3)).map(|i| (self.lines[i], self.line(i))).collect()
    }

    /// Where the title may be: the first lines, then, when a copy lost its header, a line
    /// further down that opens with the name of the act.
    fn titles(&self) -> Vec<(Span, &'a str)> {
        let mut out = self.head();
        out.extend((3..self.lines.len().min(TITLE_SCAN)).filter(|&i| TITLE_LINE.is_match(self.line(i))).map(|i| (self.lines[i], self.line(i))));
        out
    }
}

/// Splits `span` of `text` into sentences at `.`, `;`, `!`, `?` followed by a space and a
/// capital or a digit, except after abbreviations ("Mr.", "No.", "art.", "L.").
fn sentences(text: &str, span: Span) -> Vec<Span> {
    const ABBREV: &[&str] = &["mr", "mrs", "ms", "m", "mme", "no", "n°", "art", "l", "p", "pp", "cf", "al", "dr", "st", "ie", "eg", "etc", "vs", "seq", "op", "cit", "nos", "para", "me"];
    let s = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        if !matches!(c, '.' | ';' | '!' | '?') || i + 2 >= s.len() || bytes[i + 1] != b' ' {
            continue;
        }
        let next = s[i + 2..].chars().next().unwrap_or(' ');
        if !(next.is_uppercase() || next.is_ascii_digit() || next == '"' || next == '«') {
            continue;
        }
        if c == '.' {
            let word = s[start..i].rsplit(|ch: char| !ch.is_alphanumeric() && ch != '°').next().unwrap_or("");
            if word.chars().count() <= 1 || ABBREV.contains(&word.to_lowercase().as_str()) {
                continue;
            }
        }
        out.push(Span { start: span.start + start, end: span.start + i + 1 });
        start = i + 2;
    }
    if start < s.len() {
        out.push(Span { start: span.start + start, end: span.end });
    }
    out
}

fn read(original: &str, tuning: &Tuning) -> Facts {
    let clean = Clean::new(original);
    let text: &str = &clean.text;
    let layout = Layout::new(text);
    let mut f = Facts { language: detect_language(text), ..Facts::default() };
    let mut ev = Evidence::default();

    read_head(&layout, &mut f, &mut ev);
    read_measures(&layout, &mut f, &mut ev);
    read_breached(&layout, tuning, &mut f, &mut ev);
    read_respondent(&layout, &mut f, &mut ev);

    read_sector(&layout, tuning, &mut f, &mut ev);

    f.outline = outline(&layout);
    f.summary = summary(&layout, &f, &ev);
    // Spans were read in the cleaned text; a record's spans point into its own text.
    f.evidence = ev.0.into_iter().map(|(k, spans)| (k.evidence_key().to_string(), spans.into_iter().map(|s| clean.original(s)).collect())).collect();
    for s in &mut f.outline {
        s.span = clean.original(s.span);
    }
    f
}

/// The sector from the presentation of the respondent (its name, the sentences that say what
/// it does), else from the activity words of the decision's first part.
fn read_sector(layout: &Layout, tuning: &Tuning, f: &mut Facts, ev: &mut Evidence) {
    let text = layout.text;
    let presenting = presentation(layout, f.respondent.as_deref(), tuning.presentation_paragraphs);
    let sentences: Vec<&str> = presenting.iter().map(|s| &text[s.start..s.end]).collect();
    if let Some((sector, at)) = sector::focal(f.respondent.as_deref(), &sentences, f.respondent_kind) {
        f.sector = sector;
        if let Some(i) = at {
            ev.add(Fact::Sector, presenting[i]);
        } else if let Some(span) = ev.0.get(&Fact::Respondent).and_then(|s| s.first()).copied() {
            ev.add(Fact::Sector, span);
        }
        return;
    }
    let facts_start = layout.facts.map_or(0, |i| layout.lines[i].start);
    let presentation = {
        let from = facts_start;
        let head_end = layout.lines.get(2).map_or(0, |s| s.end);
        let to = floor_char_boundary(text, from + 3_000);
        format!("{} {}", &text[..head_end.min(text.len())], &text[from..to])
    };
    // The facts and the first findings describe the respondent's activity; the end of a long
    // decision (sanction criteria, case law) adds noise and time, not evidence.
    let body = &text[..floor_char_boundary(text, tuning.sector_window)];
    f.sector = sector::sector(&presentation, body, f.respondent_kind, tuning.presentation_weight);
    // `to_ascii_lowercase` keeps byte offsets, so a cue's offset in `body` is one in `text`.
    if let Some(at) = sector::first_cue(&text[facts_start..body.len().max(facts_start)], f.sector) {
        let at = facts_start + at;
        if let Some(line) = layout.lines.iter().find(|l| l.start <= at && at < l.end) {
            ev.add(Fact::Sector, *line);
        }
    }
}

/// The sentences that present the respondent: those of the first paragraphs of the facts (or,
/// without a facts heading, of the first numbered paragraphs) whose subject is the respondent.
fn presentation(layout: &Layout, respondent: Option<&str>, paragraphs: usize) -> Vec<Span> {
    let text = layout.text;
    let limit = layout.operative.map_or(layout.lines.len(), |o| o.0);
    let first = match layout.facts {
        Some(h) => h + 1,
        None => match (0..limit).find(|&i| FIRST_PARAGRAPH.is_match(layout.line(i))) {
            Some(i) => i,
            None => return Vec::new(),
        },
    };
    // The first word of the respondent's name, as the text writes it, names the subject (or
    // its group, whose business is the tracker's focal point too).
    const GENERIC: &[&str] = &["société", "sociétés", "company", "companies", "groupe", "group", "the", "les", "commune", "ministère"];
    let name_word = respondent.and_then(|n| {
        n.split(|c: char| !c.is_alphanumeric()).find(|w| w.chars().count() >= 3 && !GENERIC.contains(&w.to_lowercase().as_str()))
    });
    let mut out = Vec::new();
    let read = (first..limit).filter(|&i| layout.line(i).len() >= 40 && !layout.breaches.contains(&i)).take(paragraphs);
    for i in read {
        for s in sentences(text, layout.lines[i]) {
            let sentence = &text[s.start..s.end];
            let names = name_word.is_some_and(|w| sentence.contains(w));
            if names || PRESENTS.is_match(sentence) {
                out.push(s);
            }
        }
    }
    out
}

/// The sentences each fact was read from, keyed by the one [`Fact`] enum that the pages
/// also use to find them ([`Fact::evidence_key`]), so the two cannot drift apart.
#[derive(Default)]
struct Evidence(BTreeMap<Fact, Vec<Span>>);

impl Evidence {
    fn add(&mut self, fact: Fact, span: Span) {
        let spans = self.0.entry(fact).or_default();
        if !spans.contains(&span) {
            spans.push(span);
        }
    }
}

fn read_head(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
    for (span, line) in layout.head() {
        if f.number.is_none() {
            f.number = number::announced(line);
            if f.number.is_some() {
                ev.add(Fact::Number, span);
            }
        }
        if f.date.is_none() && TITLE_CUE.is_match(line) {
            if let Some((d, _, _)) = dates(line).first() {
                f.date = Some(*d);
                ev.add(Fact::Date, span);
            }
        }
    }
    if f.number.is_some() && f.date.is_some() {
        return;
    }
    // A garbled or missing header: the title line further down, then the operative part
    // (number only: its dates are deadlines) and the signature block.
    const SIGNATURE_LINES: usize = 8;
    let n = layout.lines.len();
    let (op_start, op_end) = layout.operative.unwrap_or((n, n));
    let line_at = |i: usize| (layout.lines[i], layout.line(i));
    let places = layout.titles().into_iter().skip(3).map(|l| (l, true))
        .chain((op_start..op_end).map(|i| (line_at(i), false)))
        .chain((op_end..n.min(op_end + SIGNATURE_LINES)).map(|i| (line_at(i), true)));
    for ((span, line), dated) in places {
        if f.number.is_none() {
            f.number = number::prefixed(line).map(|p| p.0);
            if f.number.is_some() {
                ev.add(Fact::Number, span);
            }
        }
        if f.date.is_none() && dated {
            if let Some((d, _, _)) = dates(line).first() {
                f.date = Some(*d);
                ev.add(Fact::Date, span);
            }
        }
    }
}

fn read_measures(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
    if layout.operative.is_none() {
        return;
    }
    let mut fines: Vec<(Option<String>, u64)> = Vec::new();
    let (mut injunction, mut public, mut reprimand) = (false, false, false);
    for (span, line) in layout.operative_lines() {
        let declined = NO_MEASURE.is_match(line);
        let mut sums = Vec::new();
        for a in operative_amounts(line) {
            if a.per_day {
                if f.penalty_per_day_eur.is_none() && !declined {
                    f.penalty_per_day_eur = Some(a.eur);
                    ev.add(Fact::PenaltyPerDay, span);
                }
            } else {
                sums.push(a.eur);
            }
        }
        let fines_here = !declined && FINE_WORD.find(line).is_some_and(|m| !quoted(&line[..m.start()]));
        if let Some(eur) = total(&sums).filter(|_| fines_here) {
            let name = UPPER_NAME
                .find_iter(line)
                .map(|m| m.as_str().trim_end_matches(['.', '-', '–']).trim())
                .find(|n| n.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !is_code_name(n))
                .map(str::to_string);
            fines.push((name, eur));
            ev.add(Fact::Fine, span);
        }
        if INJUNCTION.is_match(line) && !declined {
            injunction = true;
            ev.add(Fact::Injunction, span);
        }
        if PUBLIC.is_match(line) && !NOT_PUBLIC.is_match(line) {
            public = true;
            ev.add(Fact::Public, span);
        }
        if REPRIMAND.is_match(line) && !declined {
            reprimand = true;
            ev.add(Fact::Measures, span);
        }
    }
    // A total "for all the breaches" then its breakdown per group of provisions, each naming
    // a fine: the total is the fine.
    let amounts: Vec<u64> = fines.iter().map(|(_, e)| *e).collect();
    if let Some(i) = total_at(&amounts) {
        fines = vec![fines.swap_remove(i)];
    }
    if !fines.is_empty() {
        f.fine_eur = Some(fines.iter().map(|(_, e)| e).sum());
        let mut per: Vec<Fine> = Vec::new();
        for (name, eur) in &fines {
            let Some(name) = name else { continue };
            match per.iter_mut().find(|p| &p.respondent == name) {
                Some(p) => p.eur += eur,
                None => per.push(Fine { respondent: name.clone(), eur: *eur }),
            }
        }
        if per.len() > 1 && per.iter().map(|p| p.eur).sum::<u64>() == f.fine_eur.unwrap_or(0) {
            f.fines = per;
        }
    }
    f.injunction = Some(injunction);
    f.public = Some(public);
    let mut measures = Vec::new();
    if f.fine_eur.is_some() {
        measures.push(Measure::Fine);
    }
    if injunction {
        measures.push(Measure::Injunction);
    }
    if f.penalty_per_day_eur.is_some() {
        measures.push(Measure::Penalty);
    }
    if reprimand {
        measures.push(Measure::Reprimand);
    }
    if public {
        measures.push(Measure::Publication);
    }
    f.measures = measures;
}

/// A sum of money in an operative clause, and whether it is a daily penalty.
struct OperativeAmount {
    eur: u64,
    start: usize,
    per_day: bool,
}

fn operative_amounts(line: &str) -> Vec<OperativeAmount> {
    let has_currency = line.contains('€') || line.contains("eur") || line.contains("EUR");
    if !has_currency {
        return Vec::new();
    }
    amounts(line)
        .into_iter()
        .map(|a| {
            let before = &line[floor_char_boundary(line, a.start.saturating_sub(100))..a.start];
            let per_day = PER_DAY.is_match(&line[a.end..]) || PENALTY_BEFORE.is_match(before);
            OperativeAmount { eur: a.eur, start: a.start, per_day }
        })
        .collect()
}

/// The fine a clause's sums state: the one that is the sum of all the others when there is
/// one ("1 000 000 euros for all the breaches, i.e. 400 000 … and 600 000 …", or the total
/// last), else the first.
fn total(sums: &[u64]) -> Option<u64> {
    total_at(sums).map_or(sums.first(), |i| sums.get(i)).copied()
}

/// Index of the sum that adds up all the others, when there are at least two others.
fn total_at(sums: &[u64]) -> Option<usize> {
    if sums.len() < 3 {
        return None;
    }
    let all: u64 = sums.iter().sum();
    sums.iter().position(|&s| s > 0 && all - s == s)
}

/// Whether an opening quotation mark precedes: the operative part may quote the text of a
/// press release to be published, whose fine is the one already ordered.
fn quoted(before: &str) -> bool {
    before.contains(['"', '“', '«'])
}

/// Upper-case words of a fine line that name a law, not a respondent.
fn is_code_name(n: &str) -> bool {
    matches!(n, "GDPR" | "RGPD" | "CNIL" | "CPCE" | "EUR" | "EU" | "UE" | "LLC" | "SAS" | "SA")
}

fn read_breached(layout: &Layout, tuning: &Tuning, f: &mut Facts, ev: &mut Evidence) {
    let text = layout.text;
    let mut found: Vec<String> = Vec::new();
    for (span, line) in layout.operative_clauses() {
        // A breach named ("for breaches of Articles 12 and 13"), or a partial sum of a fine's
        // breakdown followed by its provisions ("400 000 euros au titre des articles 12.1 et
        // 15.1"); an injunction's article is one to comply with, not one breached.
        let from = BREACH_WORD.find(line).map(|m| m.start()).or_else(|| {
            let first = operative_amounts(line).into_iter().next().filter(|a| !a.per_day)?;
            (!INJUNCTION.is_match(line)).then_some(first.start)
        });
        if let Some(from) = from {
            let refs: Vec<String> = provisions(breached_clause(&line[from..])).into_iter().filter(|p| !is_power(p)).collect();
            if !refs.is_empty() {
                ev.add(Fact::Breached, span);
                found.extend(refs);
            }
        }
    }
    if found.is_empty() || tuning.sections_always {
        for &h in &layout.breaches {
            let end = layout.section_end(h);
            let heading_refs = provisions(layout.line(h));
            let mut concluded = false;
            for i in h + 1..end {
                if !BREACH_WORD.is_match(layout.line(i)) {
                    continue;
                }
                for s in sentences(text, layout.lines[i]) {
                    let sentence = &text[s.start..s.end];
                    let Some(m) = BREACH_WORD.find(sentence) else { continue };
                    if !FINDING.is_match(sentence) || NEGATED_FINDING.is_match(sentence) || REPORTED.is_match(sentence) {
                        continue;
                    }
                    concluded = true;
                    let refs = provisions(breached_clause(&sentence[m.start()..]));
                    if !refs.is_empty() {
                        ev.add(Fact::Breached, s);
                        found.extend(refs);
                    }
                }
            }
            if concluded && !heading_refs.is_empty() {
                ev.add(Fact::Breached, layout.lines[h]);
                found.extend(heading_refs);
            }
        }
    }
    found.sort();
    found.dedup();
    f.breached = found;
}

/// The part of a clause that names what was breached: provisions cited after "within the
/// meaning of" or "as clarified by" interpret it.
fn breached_clause(clause: &str) -> &str {
    INTERPRETIVE.find(clause).map_or(clause, |m| &clause[..m.start()])
}

/// Provisions that give the CNIL its powers (to fine, to order): an operative clause cites
/// them as its ground, never as a breach.
fn is_power(provision: &str) -> bool {
    matches!(provision, "GDPR:58" | "GDPR:83" | "LIL:20" | "LIL:22")
}

fn read_respondent(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
    let clean = |s: &str| s.trim().trim_end_matches(['.', ':']).trim().to_string();
    let titles: Vec<(Span, &str)> = layout.titles().into_iter().filter(|(_, l)| TITLE_CUE.is_match(l)).collect();
    let in_titles = |pattern: &Regex| {
        titles.iter().find_map(|(span, line)| {
            pattern.captures(line).map(|c| (clean(&c["name"]), *span)).filter(|(n, _)| looks_like_a_name(n))
        })
    };
    let found = in_titles(&TITLE_RESPONDENT).or_else(|| in_titles(&TITLE_CONCERNING)).or_else(|| {
        layout
            .operative_lines()
            .filter(|(_, l)| FINE_WORD.is_match(l) || INJUNCTION.is_match(l) || REPRIMAND.is_match(l))
            .find_map(|(span, l)| OPERATIVE_RESPONDENT.captures(l).map(|c| (clean(&c["name"]), span)))
            .filter(|(n, _)| looks_like_a_name(n))
    });
    let Some((name, span)) = found else { return };
    ev.add(Fact::Respondent, span);
    ev.add(Fact::RespondentKind, span);
    let title = &layout.text[span.start..span.end];
    f.respondent_kind = Some(if INDIVIDUAL.is_match(&name) {
        RespondentKind::Individual
    } else if PUBLIC_BODY.is_match(&name) {
        RespondentKind::PublicBody
    } else if ASSOCIATION.is_match(&name) || (!title.contains("compan") && !title.contains("société") && ASSOCIATION.is_match(title)) {
        RespondentKind::Association
    } else {
        RespondentKind::Company
    });
    f.respondent = Some(name);
}

/// A respondent is named: a capitalised name, an all-caps name ("municipality of KOUROU"), a
/// public body with a proper name ("ministère de l'Intérieur"), or a pseudonym ("M. […]"). Titles of other acts ("concerning a draft decree") are not.
fn looks_like_a_name(n: &str) -> bool {
    let caps_word = n.split_whitespace().any(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 3 && !w.chars().any(char::is_lowercase));
    let public_body = PUBLIC_BODY.is_match(n) && n.chars().any(char::is_uppercase);
    n.starts_with(char::is_uppercase) || caps_word || public_body || n.contains('[')
}

fn outline(layout: &Layout) -> Vec<OutlineSection> {
    let title_of = |i: usize| layout.line(i).chars().take(200).collect::<String>();
    let mut out = Vec::new();
    if let Some(h) = layout.facts {
        out.push(OutlineSection { kind: SectionKind::FactsAndProcedure, title: title_of(h), span: layout.span(h, layout.section_end(h)) });
    }
    for &h in &layout.breaches {
        out.push(OutlineSection { kind: SectionKind::Breach, title: title_of(h), span: layout.span(h, layout.section_end(h)) });
    }
    if let Some((s, e)) = layout.operative {
        out.push(OutlineSection { kind: SectionKind::OperativePart, title: title_of(s), span: layout.span(s, e) });
    }
    out.sort_by_key(|s| s.span.start);
    out
}

/// What was decided, against whom and why: the title, then the operative lines that state
/// a measure, in the decision's own words. Bounded to about 700 characters.
fn summary(layout: &Layout, f: &Facts, ev: &Evidence) -> Option<String> {
    const MAX: usize = 700;
    let text = layout.text;
    let mut parts: Vec<&str> = Vec::new();
    let title = f
        .respondent
        .as_ref()
        .and_then(|_| ev.0.get(&Fact::Respondent))
        .and_then(|s| s.first())
        .filter(|s| layout.head().iter().any(|(h, _)| h == *s))
        .or_else(|| layout.lines.first());
    if let Some(s) = title {
        parts.push(&text[s.start..s.end]);
    }
    for key in [Fact::Fine, Fact::Measures, Fact::Injunction, Fact::PenaltyPerDay] {
        for s in ev.0.get(&key).into_iter().flatten() {
            let line = &text[s.start..s.end];
            if !parts.contains(&line) {
                parts.push(line);
            }
        }
    }
    let mut out = String::new();
    for p in parts {
        let p = p.trim_start_matches(|c: char| !c.is_alphanumeric()).trim();
        if out.len() + p.len() + 1 > MAX {
            let room = MAX.saturating_sub(out.len() + 2);
            if room > 80 {
                let cut = floor_char_boundary(p, room);
                let cut = p[..cut].rfind(' ').unwrap_or(cut);
                out.push(' ');
                out.push_str(&p[..cut]);
                out.push('…');
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        // Operative lines end with ";" (one item of a list); a title with no punctuation.
        let p = p.trim_end_matches([';', ',', ':']).trim_end();
        // An operative item starts in lower case ("prononcer …"); it now starts a sentence.
        let mut chars = p.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
        if !p.ends_with(['.', '!', '?', '…']) {
            out.push('.');
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Fact fields a source's claims are compared on, with their value in `record`.
fn compared_value(record: &Record, field: &str) -> Option<serde_json::Value> {
    Some(match field {
        "number" => serde_json::json!(record.number),
        "date" => serde_json::json!(record.date),
        "respondent_kind" => serde_json::json!(record.respondent_kind),
        "sector" => serde_json::json!(record.sector),
        "fine_eur" => serde_json::json!(record.fine_eur),
        "breached" => serde_json::json!(record.breached),
        "injunction" => serde_json::json!(record.injunction),
        "penalty_per_day_eur" => serde_json::json!(record.penalty_per_day_eur),
        "public" => serde_json::json!(record.public),
        _ => return None,
    })
}

/// Compares what the text says with the source's structured claims (never used as input).
/// Disagreements an adapter recorded on other fields are kept.
fn compare_claims(record: &mut Record) {
    let Some(claims) = record.claims.as_ref() else { return };
    let mut found = Vec::new();
    for (field, claimed) in &claims.facts {
        let Some(ours) = compared_value(record, field) else { continue };
        if normalise(&ours) != normalise(claimed) {
            found.push(Disagreement {
                field: field.clone(),
                text_value: ours,
                claimed_value: claimed.clone(),
                provenance: claims.provenance.clone(),
            });
        }
    }
    let mut kept = std::mem::take(&mut record.disagreements);
    kept.retain(|d| compared_value(record, &d.field).is_none());
    kept.extend(found);
    record.disagreements = kept;
}

/// Claims may list provisions in any order, and numbers as strings.
fn normalise(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Array(items) => {
            let mut items: Vec<String> = items.iter().map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string)).collect();
            items.sort();
            items.dedup();
            serde_json::json!(items)
        }
        serde_json::Value::String(s) => match s.trim().replace([' ', '\u{a0}', ','], "").parse::<u64>() {
            Ok(n) => serde_json::json!(n),
            Err(_) => v.clone(),
        },
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests;
