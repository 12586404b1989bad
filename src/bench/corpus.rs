//! Scale corpus for the benchmark: N synthetic decisions made by recombining the paragraphs of
//! the real texts under the data directory (`eval/texts/*.txt` and the `CONTENU` of the DILA
//! XML files), read at run time so that no source prose enters the repository.
//!
//! Every decision says it is synthetic: its number is `SYN-<year>-<n>`, its title and `notes`
//! say so. Facts (date, sector, fine, breached provisions, measures) are drawn from a seeded
//! generator so that filters and facets have realistic selectivity, and a first paragraph
//! (written here, not copied) states them the way a decision does, so that extraction has
//! something to read.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::record::{Facts, Language, Measure, Record, Source, SourceFormat, Span, SECTORS};
use crate::{Error, Result};

/// Shortest and longest synthetic text, in characters: the range of real CNIL decisions.
pub const MIN_CHARS: usize = 5_000;
pub const MAX_CHARS: usize = 110_000;

/// Provisions drawn for `breached`, the ones most often found breached in CNIL sanctions.
const PROVISIONS: &[&str] = &[
    "CPCE:L34-5",
    "GDPR:12",
    "GDPR:13",
    "GDPR:14",
    "GDPR:15",
    "GDPR:17",
    "GDPR:21",
    "GDPR:25",
    "GDPR:28",
    "GDPR:32",
    "GDPR:33",
    "GDPR:5",
    "GDPR:6",
    "GDPR:7",
    "LIL:82",
];

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to draw a corpus; the
/// benchmark only needs the same corpus for the same seed.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`; `n` must be non-zero.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// The paragraphs of the real texts, by language.
#[derive(Debug, Default)]
pub struct ParagraphPool {
    fr: Vec<String>,
    en: Vec<String>,
    /// Files read, for the report.
    pub files: usize,
}

impl ParagraphPool {
    /// Reads `eval/texts/*.txt` and every DILA XML file under `dila/tree` of `data_dir`.
    pub fn load(data_dir: &Path) -> Result<ParagraphPool> {
        let mut pool = ParagraphPool::default();
        let texts = data_dir.join("eval/texts");
        for path in sorted_files(&texts, "txt")? {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            pool.add(&text);
        }
        let mut xml_files = Vec::new();
        collect_xml(&data_dir.join("dila/tree"), &mut xml_files)?;
        xml_files.sort();
        for path in xml_files {
            let xml = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let text =
                dila_text(&xml).map_err(|reason| Error::Rejected { path: path.display().to_string(), reason })?;
            pool.add(&text);
        }
        if pool.fr.is_empty() && pool.en.is_empty() {
            return Err(Error::NotFound(format!("no paragraphs under {}", data_dir.display())));
        }
        Ok(pool)
    }

    fn add(&mut self, text: &str) {
        self.files += 1;
        let paragraphs: Vec<String> = split_paragraphs(text).collect();
        match crate::extract::detect_language(text) {
            Language::Fr => self.fr.extend(paragraphs),
            Language::En => self.en.extend(paragraphs),
        }
    }

    /// French and English paragraphs.
    pub fn by_language(&self) -> (usize, usize) {
        (self.fr.len(), self.en.len())
    }

    pub fn len(&self) -> usize {
        self.fr.len() + self.en.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The paragraphs of `language`, or of the other language when there are none.
    fn of(&self, language: Language) -> (Language, &[String]) {
        match language {
            Language::Fr if !self.fr.is_empty() => (Language::Fr, &self.fr),
            Language::En if !self.en.is_empty() => (Language::En, &self.en),
            _ if self.fr.is_empty() => (Language::En, &self.en),
            _ => (Language::Fr, &self.fr),
        }
    }
}

fn sorted_files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|x| x == ext) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn collect_xml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            collect_xml(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "xml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The text of the `CONTENU` blocks of a DILA file, one paragraph per block-level element.
/// Only what the generator needs: ingest owns the real DILA adapter and its metadata.
fn dila_text(xml: &str) -> std::result::Result<String, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string().to_lowercase())?;
    let mut paragraphs = Vec::new();
    for contenu in doc.descendants().filter(|n| n.has_tag_name("CONTENU")) {
        for block in contenu.descendants().filter(|n| matches!(n.tag_name().name(), "p" | "li" | "td")) {
            let text: String = block.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                paragraphs.push(text);
            }
        }
    }
    Ok(paragraphs.join("\n\n"))
}

/// Paragraphs separated by blank lines; a block longer than a long real paragraph is cut at
/// its line breaks so that one block cannot dominate a synthetic text.
fn split_paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    const LONG: usize = 4_000;
    text.split("\n\n").flat_map(|block| {
        let block = block.trim();
        let parts: Vec<&str> = if block.len() > LONG { block.lines().collect() } else { vec![block] };
        parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect::<Vec<_>>()
    })
}

/// The facts the generator decided for a decision, and its title. Extraction reads the text,
/// which mixes paragraphs of many real decisions; the benchmark restores these afterwards so
/// that recueil and SQLite filter on the same values.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    facts: Facts,
    title: Option<String>,
}

impl Generated {
    pub fn of(r: &Record) -> Generated {
        Generated { facts: r.facts.clone(), title: r.title.clone() }
    }

    /// Puts the generated facts back; those the generator does not decide keep what was read.
    pub fn restore(self, r: &mut Record) {
        let read = std::mem::take(&mut r.facts);
        r.facts = Facts {
            respondent_kind: read.respondent_kind,
            fines: read.fines,
            injunction: read.injunction,
            penalty_per_day_eur: read.penalty_per_day_eur,
            public: read.public,
            ..self.facts
        };
        r.title = self.title;
    }
}

/// `n` synthetic decisions; the same `seed` and pool give the same corpus.
/// Made one at a time: at 100k decisions the corpus is 3 GB of text, not worth holding.
pub fn generate(pool: &ParagraphPool, n: usize, seed: u64) -> impl Iterator<Item = Record> + '_ {
    let mut rng = SplitMix64::new(seed);
    (0..n).map(move |i| decision(pool, &mut rng, i))
}

/// Target length in characters: log-uniform-ish between the bounds (the mean of two uniforms
/// on the log scale), so most decisions are 15–40k characters with a tail of long ones, as
/// in the real fund.
fn target_chars(rng: &mut SplitMix64) -> usize {
    let (lo, hi) = ((MIN_CHARS as f64).ln(), (MAX_CHARS as f64).ln());
    let t = (rng.unit() + rng.unit()) / 2.0;
    ((lo + (hi - lo) * t).exp() as usize).clamp(MIN_CHARS, MAX_CHARS)
}

fn decision(pool: &ParagraphPool, rng: &mut SplitMix64, i: usize) -> Record {
    let wanted = if rng.chance(0.6) { Language::Fr } else { Language::En };
    let (language, paragraphs) = pool.of(wanted);
    let year = 2019 + rng.below(7) as i32;
    let date = NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
    let number = format!("SYN-{year}-{i:06}");
    let sector = SECTORS[rng.below(SECTORS.len())].to_string();
    let fine = rng.chance(0.6).then(|| {
        // Log-uniform from 1 k€ to 50 M€, rounded to the thousand as fines are.
        let eur = (1_000f64.ln() + (50_000_000f64.ln() - 1_000f64.ln()) * rng.unit()).exp();
        (eur as u64 / 1_000).max(1) * 1_000
    });
    let mut breached: Vec<String> =
        (0..1 + rng.below(4)).map(|_| PROVISIONS[rng.below(PROVISIONS.len())].to_string()).collect();
    breached.sort();
    breached.dedup();
    let mut measures = Vec::new();
    if fine.is_some() {
        measures.push(Measure::Fine);
    }
    if rng.chance(0.4) {
        measures.push(Measure::Injunction);
    }
    if rng.chance(0.5) {
        measures.push(Measure::Publication);
    }
    let respondent = format!("Société Synthèse {}", i % 997);
    let date_str = date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let title = match language {
        Language::Fr => {
            format!("Délibération synthétique {number} du {date_str} (corpus de mesure)")
        }
        Language::En => format!("Synthetic deliberation {number} of {date_str} (benchmark corpus)"),
    };
    let header = match (language, fine) {
        (Language::Fr, Some(eur)) => format!(
            "Décision synthétique {number} du {date_str}. La formation restreinte prononce à l'encontre de \
             la {respondent} une amende administrative d'un montant de {eur} euros."
        ),
        (Language::Fr, None) => format!(
            "Décision synthétique {number} du {date_str}. La formation restreinte prononce un rappel à \
             l'ordre à l'encontre de la {respondent}."
        ),
        (Language::En, Some(eur)) => format!(
            "Synthetic decision {number} of {date_str}. The restricted committee imposes on {respondent} an \
             administrative fine of {eur} euros."
        ),
        (Language::En, None) => format!(
            "Synthetic decision {number} of {date_str}. The restricted committee issues a reprimand to \
             {respondent}."
        ),
    };

    let target = target_chars(rng);
    let mut text = header;
    let mut chars = text.chars().count();
    let mut spans = vec![Span { start: 0, end: text.len() }];
    // Draw paragraphs until the target is reached without passing MAX_CHARS; a paragraph that
    // would overshoot is skipped, and after a few misses in a row the text is long enough.
    let mut misses = 0;
    while chars < target && misses < 16 {
        let p = &paragraphs[rng.below(paragraphs.len())];
        let len = p.chars().count();
        let after = chars + 2 + len;
        if after > MAX_CHARS || (after > target && chars >= MIN_CHARS) {
            misses += 1;
            continue;
        }
        misses = 0;
        text.push_str("\n\n");
        let start = text.len();
        text.push_str(p);
        spans.push(Span { start, end: text.len() });
        chars += 2 + len;
    }

    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    Record {
        id: Record::derive_id("CNIL", None, Some(&number), &sha256),
        facts: Facts {
            number: Some(number),
            nature: Some("Sanction".into()),
            date,
            respondent: Some(respondent),
            sector: Some(sector),
            fine_eur: fine,
            breached,
            measures,
            ..Default::default()
        },
        authority: "CNIL".into(),
        title: Some(title),
        language,
        text,
        paragraphs: spans,
        source: Source { format: SourceFormat::Text, path: format!("synthetic:{i}"), sha256 },
        notes: Some("synthetic: paragraphs of real decisions recombined by `recueil bench`".into()),
        ..Record::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_dir() -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        assert!(
            dir.join("eval/texts").is_dir(),
            "the benchmark corpus needs ../shared/data (not found at {})",
            dir.display()
        );
        dir
    }

    #[test]
    fn same_seed_same_corpus_other_seed_other_corpus() {
        let pool = ParagraphPool::load(&data_dir()).unwrap();
        let a: Vec<Record> = generate(&pool, 20, 7).collect();
        let b: Vec<Record> = generate(&pool, 20, 7).collect();
        let c: Vec<Record> = generate(&pool, 20, 8).collect();
        assert_eq!(a, b);
        assert_ne!(a.iter().map(|r| &r.text).collect::<Vec<_>>(), c.iter().map(|r| &r.text).collect::<Vec<_>>());
    }

    #[test]
    fn lengths_span_the_range_of_real_decisions() {
        let pool = ParagraphPool::load(&data_dir()).unwrap();
        let docs: Vec<Record> = generate(&pool, 300, 42).collect();
        let mut lens: Vec<usize> = docs.iter().map(|r| r.text.chars().count()).collect();
        lens.sort();
        assert!(lens[0] >= MIN_CHARS, "shortest {}", lens[0]);
        assert!(lens[lens.len() - 1] <= MAX_CHARS, "longest {}", lens[lens.len() - 1]);
        let median = lens[lens.len() / 2];
        assert!((15_000..40_000).contains(&median), "median {median}");
        assert!(lens.iter().any(|&l| l < 8_000), "no short decision");
        assert!(lens.iter().any(|&l| l > 70_000), "no long decision");
    }

    #[test]
    fn decisions_say_they_are_synthetic_and_carry_facts() {
        let pool = ParagraphPool::load(&data_dir()).unwrap();
        for r in generate(&pool, 50, 1) {
            assert!(r.facts.number.as_deref().unwrap().starts_with("SYN-"));
            assert!(r.notes.as_deref().unwrap().starts_with("synthetic"));
            assert!(r.facts.date.is_some() && r.facts.sector.is_some() && !r.facts.breached.is_empty());
            assert_eq!(r.facts.fine_eur.is_some(), r.facts.measures.contains(&Measure::Fine));
            for s in &r.paragraphs {
                assert!(r.text.is_char_boundary(s.start) && r.text.is_char_boundary(s.end) && s.start < s.end);
            }
            assert_eq!(r.paragraphs.len(), r.text.split("\n\n").count());
        }
    }
}
