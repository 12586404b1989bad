//! The embedded corpus (`corpus/decisions/*.md`): every record is valid, every gold decision is
//! present with the gold facts, and every row of the three public trackers in
//! `../shared/data/facts/` is either merged into exactly one record or excluded on purpose.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use recueil::ingest::parse_markdown;
use recueil::record::{Fine, Measure, Record, RespondentKind, Source, SourceFormat, SECTORS};
use regex::Regex;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Tracker names a record's `sources` may hold, besides `gold`.
const TRACKERS: &[&str] = &["enforcement-tracker", "privacyaffairs", "gdprhub"];

/// GDPRhub rows that are not sanction decisions of the restricted committee, with the reason.
/// Keyed by the row's `page`. A row that is neither merged nor listed here fails the test.
const EXCLUDED: &[(&str, &str, &str)] = &[
    (
        "gdprhub",
        "CNIL_France_-_20019819.html",
        "complaint handled by the CNIL's services (breach noted, no restricted-committee sanction)",
    ),
    ("gdprhub", "CNIL_France_-_2023-089.html", "advisory opinion on a research survey (INED), not a sanction"),
    (
        "gdprhub",
        "CNIL_France_-_2023-097.html",
        "authorisation of a health-data study (University of Bordeaux), not a sanction",
    ),
    (
        "gdprhub",
        "CNIL_France_-_2c1s196162814.html",
        "complaint handled by the CNIL's services, no restricted-committee decision",
    ),
    (
        "gdprhub",
        "CNIL_France_-_CNIL2326891X.html",
        "reference methodology for health-data research (SNDS), not a sanction",
    ),
    (
        "gdprhub",
        "CNIL_France_-_Google_Analytics_no_case_number.html",
        "formal notice (mise en demeure) to a website using Google Analytics, not a sanction",
    ),
    ("gdprhub", "CNIL_France_-_MED-2019-025.html", "formal notice MED-2019-025 (BOUTIQUE.AERO), not a sanction"),
    ("gdprhub", "CNIL_France_-_MED-2019-027.html", "formal notice MED-2019-027 to a ministry, not a sanction"),
    ("gdprhub", "CNIL_France_-_MED-2020-015.html", "formal notice MED-2020-015 to a ministry, not a sanction"),
    (
        "gdprhub",
        "CNIL_France_-_MED-2021-134.html",
        "formal notice MED-2021-134 to Clearview AI; the sanction that followed is SAN-2022-019",
    ),
    ("gdprhub", "CNIL_France_-_MEDP-2021-001.html", "public formal notice MEDP-2021-001 (Francetest), not a sanction"),
    (
        "gdprhub",
        "CNIL_France_-_SAN-2020-056.html",
        "advisory opinion 2020-056 on the StopCovid app, filed under a SAN- page name",
    ),
    (
        "gdprhub",
        "CNIL_France_-_SAN-2023-0076.html",
        "authorisation of a health-data study (Brain and Spine Institute), not a sanction",
    ),
    (
        "gdprhub",
        "CNIL_France_-_SAN-2023-076.html",
        "advisory opinion 2023-076 on a draft decree (algorithmic video surveillance), not a sanction",
    ),
    (
        "gdprhub",
        "CNIL_France_-_SAN-2023-082.html",
        "reference framework for access to the national health data system, not a sanction",
    ),
    ("gdprhub", "CNIL_France_-_Unknown.html", "complaint closed after the controller's explanations, no sanction"),
];

/// How far a tracker's date may lie from the decision date: trackers often give the
/// publication date, which follows the decision by up to about six weeks.
const DATE_WINDOW_DAYS: i64 = 60;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared_data() -> PathBuf {
    let dir = root().join("../shared/data");
    assert!(
        dir.join("eval/gold.jsonl").is_file() && dir.join("facts").is_dir(),
        "../shared/data is missing (expected {}/eval/gold.jsonl and facts/): the corpus cross-checks need it",
        dir.display()
    );
    dir
}

/// One corpus file: its name, the record the Markdown adapter reads from it, and its two summaries.
struct Entry {
    file: String,
    record: Record,
    english: String,
    french: String,
}

fn corpus() -> Vec<Entry> {
    let dir = root().join("corpus/decisions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no record in {}", dir.display());
    files.iter().map(|p| load(p)).collect()
}

fn load(path: &Path) -> Entry {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let source = Source {
        format: SourceFormat::Markdown,
        path: path.display().to_string(),
        sha256: hex::encode(Sha256::digest(raw.as_bytes())),
    };
    let record = parse_markdown(&raw, source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let url = record.claims.as_ref().and_then(|c| c.facts.get("legifrance_url")).and_then(|v| v.as_str());
    assert_eq!(
        url.map(str::to_string),
        record.legifrance_url(),
        "{}: legifrance_url does not match legifrance_id",
        path.display()
    );
    // The adapter keeps each heading as a paragraph of `text`; the French summary follows its own.
    let french = record.text.split_once("Français\n\n").map(|(_, rest)| rest.trim().to_string()).unwrap_or_default();
    Entry {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        english: record.summary.clone().unwrap_or_default(),
        french,
        record,
    }
}

/// Sentences of a summary: a terminator followed by the end or by a capitalised word, so
/// that "Art. 32" or "5.2 million" do not split.
fn sentence_count(text: &str) -> usize {
    let re = Regex::new(r"[.!?](\s+[A-ZÀ-ÖØ-Þ«]|\s*$)").unwrap();
    re.find_iter(text).count()
}

fn validate(e: &Entry, gold_numbers: &BTreeSet<String>) -> Vec<String> {
    let r = &e.record;
    let mut errs = Vec::new();
    let mut err = |m: String| errs.push(format!("{}: {m}", e.file));

    let number_re = Regex::new(r"^SAN-\d{4}-\d{3}$").unwrap();
    let slug_re = Regex::new(r"^\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.md$").unwrap();
    let provision_re = Regex::new(r"^(GDPR:([1-9]|[1-9][0-9])|LIL:[1-9][0-9]{0,2}|CPCE:L[0-9]+-[0-9]+)$").unwrap();
    let id_re = Regex::new(r"^CNILTEXT\d{12}$").unwrap();

    match (&r.facts.number, r.facts.date) {
        (Some(n), _) => {
            if !number_re.is_match(n) {
                err(format!("number {n:?} is not normalised"));
            }
            if e.file != format!("{n}.md") {
                err(format!("file name should be {n}.md"));
            }
        }
        (None, Some(d)) => {
            if !slug_re.is_match(&e.file) || !e.file.starts_with(&d.to_string()) {
                err("a record without number is named <date>-<slug>.md".into());
            }
        }
        (None, None) => {}
    }
    if let Some(id) = &r.legifrance_id {
        if !id_re.is_match(id) {
            err(format!("legifrance_id {id:?} is malformed"));
        }
    }
    if r.authority != "CNIL" {
        err(format!("authority {:?}", r.authority));
    }
    if r.facts.nature.as_deref() != Some("Sanction") {
        err("nature must be Sanction".into());
    }
    match r.facts.date {
        None => err("date missing".into()),
        Some(d) => {
            if !(2019..=2025).contains(&r.facts.year().unwrap()) {
                err(format!("date {d} outside 2019-2025"));
            }
            if let Some(p) = r.published.filter(|p| *p < d) {
                err(format!("published {p} before the decision date {d}"));
            }
            if let (Some(n), Some(y)) = (&r.facts.number, r.facts.year()) {
                if !n.contains(&format!("-{y}-")) {
                    err(format!("number {n} does not carry the decision year {y}"));
                }
            }
        }
    }
    if r.facts.respondent.as_deref().is_none_or(|s| s.trim().is_empty()) {
        err("respondent missing".into());
    }
    match &r.facts.sector {
        Some(s) if SECTORS.contains(&s.as_str()) => {}
        other => err(format!("sector {other:?} is not in the taxonomy")),
    }
    for b in &r.facts.breached {
        if !provision_re.is_match(b) {
            err(format!("provision {b:?} is not normalised"));
        }
    }
    if r.facts.breached.iter().collect::<BTreeSet<_>>().len() != r.facts.breached.len() {
        err("breached has duplicates".into());
    }
    if r.facts.fine_eur == Some(0) {
        err("a fine of 0 is written null".into());
    }
    if !r.facts.fines.is_empty() {
        if r.facts.fines.len() < 2 {
            err("fines lists several respondents or is empty".into());
        }
        let sum: u64 = r.facts.fines.iter().map(|f| f.eur).sum();
        if Some(sum) != r.facts.fine_eur {
            err(format!("fines sum to {sum}, fine_eur is {:?}", r.facts.fine_eur));
        }
    }
    let has = |m: Measure| r.facts.measures.contains(&m);
    if has(Measure::Fine) != r.facts.fine_eur.is_some() && !(r.facts.fine_eur.is_some() && has(Measure::Penalty)) {
        err("measures and fine_eur disagree".into());
    }
    if has(Measure::Injunction) != (r.facts.injunction == Some(true)) {
        err("measures and injunction disagree".into());
    }
    if has(Measure::Penalty) != r.facts.penalty_per_day_eur.is_some() {
        err("measures and penalty_per_day_eur disagree".into());
    }
    if has(Measure::Publication) != (r.facts.public == Some(true)) {
        err("measures and public disagree".into());
    }
    let needs_note = r.facts.respondent_kind.is_none() || r.facts.breached.is_empty() || r.facts.measures.is_empty();
    if needs_note && r.notes.as_deref().is_none_or(str::is_empty) {
        err("a record with unknown kind, no breach or no measure explains why in notes".into());
    }
    if r.sources.is_empty() {
        err("sources is empty".into());
    }
    for s in &r.sources {
        if s != "gold" && !TRACKERS.contains(&s.as_str()) {
            err(format!("unknown source {s:?}"));
        }
    }
    let in_gold = r.facts.number.as_ref().is_some_and(|n| gold_numbers.contains(n));
    if in_gold != r.sources.iter().any(|s| s == "gold") {
        err("`gold` in sources must match the gold file".into());
    }
    for (lang, text) in [("English", &e.english), ("Français", &e.french)] {
        let n = sentence_count(text);
        if !(3..=5).contains(&n) {
            err(format!("{lang} summary has {n} sentences, expected 3 to 5"));
        }
    }
    if e.english == e.french {
        err("the two summaries are identical".into());
    }
    errs
}

#[derive(Deserialize)]
struct Gold {
    number: String,
    legifrance_id: Option<String>,
    date: NaiveDate,
    fine_eur: Option<u64>,
    #[serde(default)]
    fines: Vec<Fine>,
    breached: Vec<String>,
    respondent_kind: Option<RespondentKind>,
    sector: Option<String>,
    injunction: Option<bool>,
    penalty_per_day_eur: Option<u64>,
    public: Option<bool>,
    measures: Vec<Measure>,
}

fn gold() -> Vec<Gold> {
    let path = shared_data().join("eval/gold.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad gold line: {e}")))
        .collect()
}

#[test]
fn every_record_is_valid() {
    let gold_numbers: BTreeSet<String> = gold().into_iter().map(|g| g.number).collect();
    let entries = corpus();
    let mut errs: Vec<String> = entries.iter().flat_map(|e| validate(e, &gold_numbers)).collect();
    let mut numbers = BTreeMap::new();
    let mut ids = BTreeMap::new();
    for e in &entries {
        if let Some(n) = &e.record.facts.number {
            if let Some(other) = numbers.insert(n.clone(), &e.file) {
                errs.push(format!("{}: number {n} already used by {other}", e.file));
            }
        }
        if let Some(id) = &e.record.legifrance_id {
            if let Some(other) = ids.insert(id.clone(), &e.file) {
                errs.push(format!("{}: legifrance_id {id} already used by {other}", e.file));
            }
        }
    }
    assert!(errs.is_empty(), "{} validation errors:\n{}", errs.len(), errs.join("\n"));
}

/// Runs of this many words shared with a source betray copied prose; shorter runs are the
/// stock phrases of the field ("un manquement à l'article 32 du RGPD").
const SHINGLE_WORDS: usize = 9;

fn shingles(text: &str) -> Vec<u64> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words
        .windows(SHINGLE_WORDS)
        .map(|w| {
            let mut h = std::hash::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

#[test]
fn summaries_are_in_our_own_words() {
    let data = shared_data();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    let mut sources = BTreeSet::new();
    for (dir, ext) in [("gdprhub", "html"), ("eval/texts", "txt"), ("facts", "csv")] {
        let dir = data.join(dir);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|x| x == ext) {
                let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                sources.extend(shingles(&tags.replace_all(&raw, " ")));
            }
        }
    }
    assert!(sources.len() > 100_000, "the source texts were not read");
    let copied: Vec<String> = corpus()
        .iter()
        .filter(|e| [&e.english, &e.french].iter().any(|t| shingles(t).iter().any(|h| sources.contains(h))))
        .map(|e| e.file.clone())
        .collect();
    assert!(copied.is_empty(), "summaries sharing a {SHINGLE_WORDS}-word run with a source: {copied:?}");
}

#[test]
fn the_seed_case_is_present() {
    let entries = corpus();
    for (number, fine) in [("SAN-2020-014", 3000), ("SAN-2020-015", 6000)] {
        let r = &entries.iter().find(|e| e.record.facts.number.as_deref() == Some(number)).expect(number).record;
        assert_eq!(r.facts.fine_eur, Some(fine), "{number}");
        assert_eq!(r.facts.date, NaiveDate::from_ymd_opt(2020, 12, 7), "{number}");
        assert_eq!(r.facts.breached, ["GDPR:32", "GDPR:33"], "{number}");
        assert_eq!(r.facts.respondent_kind, Some(RespondentKind::Individual), "{number}");
    }
}

#[test]
fn every_gold_decision_is_present_with_the_gold_facts() {
    let entries = corpus();
    let mut errs = Vec::new();
    for g in gold() {
        let Some(e) = entries.iter().find(|e| e.record.facts.number.as_deref() == Some(&g.number)) else {
            errs.push(format!("{}: missing from the corpus", g.number));
            continue;
        };
        let r = &e.record;
        if r.facts.date != Some(g.date) {
            errs.push(format!("{}: date {:?}, gold {}", g.number, r.facts.date, g.date));
        }
        if r.facts.fine_eur != g.fine_eur {
            errs.push(format!("{}: fine {:?}, gold {:?}", g.number, r.facts.fine_eur, g.fine_eur));
        }
        let fines = |f: &[Fine]| f.iter().map(|f| (f.respondent.to_uppercase(), f.eur)).collect::<BTreeSet<_>>();
        if fines(&r.facts.fines) != fines(&g.fines) {
            errs.push(format!("{}: fines {:?}, gold {:?}", g.number, r.facts.fines, g.fines));
        }
        if r.legifrance_id != g.legifrance_id {
            errs.push(format!("{}: legifrance_id {:?}, gold {:?}", g.number, r.legifrance_id, g.legifrance_id));
        }
        let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
        if set(&r.facts.breached) != set(&g.breached) {
            errs.push(format!("{}: breached {:?}, gold {:?}", g.number, r.facts.breached, g.breached));
        }
        let ours = (r.facts.respondent_kind, &r.facts.sector, r.facts.injunction, r.facts.penalty_per_day_eur, r.facts.public);
        let theirs = (g.respondent_kind, &g.sector, g.injunction, g.penalty_per_day_eur, g.public);
        if ours != theirs {
            errs.push(format!("{}: kind, sector, injunction, penalty, public {ours:?}, gold {theirs:?}", g.number));
        }
        if r.facts.measures.iter().collect::<BTreeSet<_>>() != g.measures.iter().collect::<BTreeSet<_>>() {
            errs.push(format!("{}: measures {:?}, gold {:?}", g.number, r.facts.measures, g.measures));
        }
    }
    assert!(errs.is_empty(), "corpus and gold disagree:\n{}", errs.join("\n"));
}

/// A tracker row, reduced to what matching needs.
#[derive(Debug)]
struct Row {
    source: &'static str,
    key: String,
    legifrance_id: Option<String>,
    number: Option<String>,
    dates: Vec<NaiveDate>,
    amount: Option<u64>,
    name: String,
    sector: Option<String>,
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let headers = reader.headers().expect("csv headers").clone();
    reader
        .records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            headers.iter().zip(rec.iter()).map(|(h, v)| (h.to_string(), v.trim().to_string())).collect()
        })
        .collect()
}

/// "50,000,000 EUR", "250.000 EUR", "7300" → the amount; "n/a", "None", "Unknown" → none.
fn amount(s: &str) -> Option<u64> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&n| n > 0)
}

fn nonempty(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.is_empty())
}

fn gdprhub_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d.%m.%Y").ok().or_else(|| NaiveDate::parse_from_str(s, "%d.%m.%y").ok())
}

fn tracker_rows() -> Vec<Row> {
    let facts = shared_data().join("facts");
    let number_re = Regex::new(r"SAN-\d{4}-\d{3}").unwrap();
    let mut rows = Vec::new();
    for m in csv_rows(&facts.join("enforcement-tracker-fr.csv")) {
        rows.push(Row {
            source: "enforcement-tracker",
            key: m["et_id"].clone(),
            legifrance_id: nonempty(&m["legifrance_id"]),
            number: None,
            dates: NaiveDate::parse_from_str(&m["date"], "%Y-%m-%d").ok().into_iter().collect(),
            amount: amount(&m["fine_eur"]),
            name: m["controller"].clone(),
            sector: nonempty(&m["sector"]),
        });
    }
    for m in csv_rows(&facts.join("privacyaffairs-fr.csv")) {
        let date = NaiveDate::parse_from_str(&m["date_mdy"], "%m/%d/%Y").ok().filter(|d| d.to_string() != "1970-01-01");
        rows.push(Row {
            source: "privacyaffairs",
            key: format!("{} {}", m["date_mdy"], m["controller"]),
            legifrance_id: nonempty(&m["legifrance_id"]),
            number: None,
            dates: date.into_iter().collect(),
            amount: amount(&m["fine_eur"]),
            name: m["controller"].clone(),
            sector: None,
        });
    }
    for m in csv_rows(&facts.join("gdprhub-cnil.csv")) {
        rows.push(Row {
            source: "gdprhub",
            key: m["page"].clone(),
            legifrance_id: nonempty(&m["legifrance_id"]),
            number: number_re.find(&m["case"]).map(|n| n.as_str().to_string()),
            dates: [&m["decided"], &m["published"]].iter().filter_map(|d| gdprhub_date(d)).collect(),
            amount: amount(&m["fine"]),
            name: m["parties"].clone(),
            sector: None,
        });
    }
    rows
}

fn words(s: &str) -> BTreeSet<String> {
    const NOISE: &[&str] =
        &["the", "and", "for", "not", "named", "ltd", "inc", "sas", "llc", "limited", "company", "sources"];
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !NOISE.contains(w))
        .map(str::to_string)
        .collect()
}

/// Whether `row` can describe `r`, and if so how strongly (higher is better).
fn affinity(row: &Row, r: &Record) -> Option<(usize, bool, bool, bool)> {
    let amount_hit = row.amount.is_some_and(|a| r.facts.fine_eur == Some(a) || r.facts.fines.iter().any(|f| f.eur == a));
    if row.amount.is_some() != r.facts.fine_eur.is_some() || (row.amount.is_some() && !amount_hit) {
        return None;
    }
    let id_hit = row.legifrance_id.is_some() && row.legifrance_id == r.legifrance_id;
    let number_hit = row.number.is_some() && row.number == r.facts.number;
    // A tracker's id or number may be wrong (copied from a sibling decision), but then the
    // amount must vouch for the match.
    let ids_clash = row.legifrance_id.is_some() && r.legifrance_id.is_some() && !id_hit;
    let numbers_clash = row.number.is_some() && r.facts.number.is_some() && !number_hit;
    if (ids_clash || (numbers_clash && !id_hit)) && !amount_hit {
        return None;
    }
    let date = r.facts.date?;
    let anchors = [Some(date), r.published];
    let close = |d: &NaiveDate, days: i64| anchors.iter().flatten().any(|a| (*a - *d).num_days().abs() <= days);
    // A row with neither id, number nor amount has only its date to go by: it must be exact.
    let window =
        if row.legifrance_id.is_none() && row.number.is_none() && row.amount.is_none() { 0 } else { DATE_WINDOW_DAYS };
    if !row.dates.is_empty() && !row.dates.iter().any(|d| close(d, window)) {
        return None;
    }
    let mut names = words(r.facts.respondent.as_deref().unwrap_or_default());
    names.extend(r.facts.fines.iter().flat_map(|f| words(&f.respondent)));
    let overlap = words(&row.name).intersection(&names).count();
    let sector_hit = row.sector.is_some() && row.sector == r.facts.sector;
    Some((overlap, id_hit, number_hit, sector_hit))
}

#[test]
fn every_tracker_row_is_merged_or_excluded() {
    let entries = corpus();
    let rows = tracker_rows();
    let mut errs = Vec::new();
    let mut matched: BTreeMap<usize, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        let excluded = EXCLUDED.iter().find(|(s, k, _)| *s == row.source && *k == row.key);
        let mut scored: Vec<_> =
            entries.iter().enumerate().filter_map(|(i, e)| affinity(row, &e.record).map(|a| (a, i))).collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0));
        match (scored.as_slice(), excluded) {
            ([], Some((_, _, why))) => println!("excluded {} row {}: {why}", row.source, row.key),
            ([], None) => errs.push(format!("{} row {} matches no record and is not excluded", row.source, row.key)),
            ([(_, i), ..], Some(_)) => {
                errs.push(format!("{} row {} is excluded but matches {}", row.source, row.key, entries[*i].file))
            }
            ([(a, i), (b, j), ..], None) if a == b => errs.push(format!(
                "{} row {} matches {} and {} equally",
                row.source, row.key, entries[*i].file, entries[*j].file
            )),
            ([(_, i), ..], None) => matched.entry(*i).or_default().push(row),
        }
    }
    for (k, reason) in EXCLUDED.iter().map(|(s, k, why)| (format!("{s} {k}"), why)) {
        if !rows.iter().any(|r| format!("{} {}", r.source, r.key) == k) {
            errs.push(format!("excluded row {k} ({reason}) is not in the data any more"));
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let hits = matched.get(&i).map(Vec::as_slice).unwrap_or_default();
        let listed: BTreeSet<&str> = e.record.sources.iter().map(String::as_str).filter(|s| *s != "gold").collect();
        let found: BTreeSet<&str> = hits.iter().map(|r| r.source).collect();
        if listed != found {
            errs.push(format!("{}: sources {listed:?}, but rows were found in {found:?}", e.file));
        }
        // Two rows of one tracker on one record are the respondents of a multi-respondent decision.
        for source in TRACKERS {
            let same: Vec<&&Row> = hits.iter().filter(|r| r.source == *source).collect();
            let amounts: BTreeSet<Option<u64>> = same.iter().map(|r| r.amount).collect();
            if same.len() > 1 && (e.record.facts.fines.len() < same.len() || amounts.len() != same.len()) {
                let keys: Vec<&str> = same.iter().map(|r| r.key.as_str()).collect();
                errs.push(format!("{}: several {source} rows {keys:?} but not as many respondents' fines", e.file));
            }
        }
    }
    assert!(errs.is_empty(), "tracker rows and corpus disagree:\n{}", errs.join("\n"));
}

#[test]
fn the_embedded_corpus_is_the_corpus_and_indexes() {
    let files = corpus();
    let started = std::time::Instant::now();
    let embedded = recueil::ingest::embedded_corpus_records().expect("embedded corpus parses");
    let parsed = started.elapsed();
    assert_eq!(embedded.len(), files.len(), "the binary embeds every record, and only records");
    // Same content as the files on disk (the file path aside): a stale embedded copy fails here.
    for (compiled, file) in embedded.iter().zip(&files) {
        let mut on_disk = file.record.clone();
        on_disk.source.path = compiled.source.path.clone();
        assert!(compiled == &on_disk, "{}: the embedded record differs from the file", file.file);
    }

    // The path `serve` takes on an empty index directory: a store generation with its index.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = recueil::index::store::Store::open(dir.path()).expect("store opens");
    let started = std::time::Instant::now();
    let report = recueil::ingest::ingest_records(&store, embedded.clone()).expect("corpus commits");
    let committed = started.elapsed();
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    let generation = store.current().expect("a generation").expect("a generation");
    recueil::index::validate(&generation.tantivy_dir(), embedded.len()).expect("index validates");
    assert_eq!(store.readings().expect("records read back").len(), embedded.len());
    // Printed, not asserted: a wall-clock bound would be flaky on a shared machine.
    println!("parsed {} corpus records in {parsed:?}, committed and indexed them in {committed:?}", embedded.len());
}
