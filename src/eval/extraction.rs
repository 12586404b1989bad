//! Extraction measured against gold facts (`../shared/data/eval/gold.jsonl`): per-field
//! accuracy, provision precision/recall/F1, the misses and throughput, and the same figures
//! leave-one-out for the values of the extractor that were tuned on this gold
//! ([`crate::extract::Tuning`]): each decision is scored with the tuning that does best on the
//! 30 others, so that a value fitted to one text cannot hide in the plain figures.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::extract::{fill_tuned, Tuning};
use crate::record::{parse_sector, Fact, Facts, Record};
use crate::{Error, Result};

const TIMED_PASSES: usize = 5;

/// The facts scored by exact comparison, in the order they are reported (under their
/// evidence keys: `fine`, `penalty`).
const FIELDS: [Fact; 8] = [
    Fact::Number,
    Fact::Fine,
    Fact::Date,
    Fact::Injunction,
    Fact::PenaltyPerDay,
    Fact::Public,
    Fact::Sector,
    Fact::RespondentKind,
];

/// A gold line: the facts of a decision, and where its text is (other keys are ignored).
#[derive(Debug, Deserialize)]
struct Gold {
    #[serde(flatten)]
    facts: Facts,
    text_file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldScore {
    pub field: String,
    pub correct: usize,
    pub total: usize,
    pub accuracy: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProvisionScore {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub number: String,
    pub field: String,
    pub expected: serde_json::Value,
    pub got: serde_json::Value,
}

/// Leave-one-out figures: each decision extracted with the tuning of the grid that scores
/// best on the other decisions.
#[derive(Debug, Clone, Serialize)]
pub struct CrossValidated {
    pub method: String,
    /// Tunings tried: the default, then each tuned value moved one step either way.
    pub grid: Vec<Tuning>,
    pub fields: Vec<FieldScore>,
    pub breached: ProvisionScore,
    /// How many held-out decisions each tuning of the grid was chosen for, by grid index.
    pub chosen: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub decisions: usize,
    pub fields: Vec<FieldScore>,
    pub breached: ProvisionScore,
    pub misses: Vec<Miss>,
    pub cross_validated: CrossValidated,
    /// Bytes of text extracted and the time `fill` took on them (reading excluded; for each
    /// decision the best of several passes).
    pub bytes: usize,
    pub seconds: f64,
    pub mb_per_s: f64,
}

impl EvalReport {
    pub fn accuracy(&self, fact: Fact) -> Option<f64> {
        self.fields.iter().find(|f| f.field == fact.evidence_key()).map(|f| f.accuracy)
    }
}

/// One decision's comparison with its gold line.
struct Outcome {
    correct: [bool; FIELDS.len()],
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    misses: Vec<Miss>,
}

impl Outcome {
    fn new(gold: &Gold, record: &Record) -> Outcome {
        let name = gold.facts.number.clone().unwrap_or_else(|| gold.text_file.clone());
        use serde_json::json;
        let pairs: [(serde_json::Value, serde_json::Value); FIELDS.len()] = [
            (json!(gold.facts.number), json!(record.facts.number)),
            (json!(gold.facts.fine_eur), json!(record.facts.fine_eur)),
            (json!(gold.facts.date), json!(record.facts.date)),
            (json!(gold.facts.injunction.unwrap_or(false)), json!(record.facts.injunction.unwrap_or(false))),
            (json!(gold.facts.penalty_per_day_eur), json!(record.facts.penalty_per_day_eur)),
            (json!(gold.facts.public.unwrap_or(false)), json!(record.facts.public.unwrap_or(false))),
            (json!(gold.facts.sector.as_deref().map(|s| parse_sector(s).unwrap_or(s))), json!(record.facts.sector)),
            (json!(gold.facts.respondent_kind), json!(record.facts.respondent_kind)),
        ];
        let mut correct = [false; FIELDS.len()];
        let mut misses = Vec::new();
        for (i, (expected, got)) in pairs.into_iter().enumerate() {
            correct[i] = expected == got;
            if !correct[i] {
                misses.push(Miss { number: name.clone(), field: FIELDS[i].evidence_key().into(), expected, got });
            }
        }
        let hits = record.facts.breached.iter().filter(|p| gold.facts.breached.contains(p)).count();
        let (fp, fn_) = (record.facts.breached.len() - hits, gold.facts.breached.len() - hits);
        if fp + fn_ > 0 {
            misses.push(Miss {
                number: name,
                field: Fact::Breached.evidence_key().into(),
                expected: serde_json::json!(gold.facts.breached),
                got: serde_json::json!(record.facts.breached),
            });
        }
        Outcome { correct, true_positives: hits, false_positives: fp, false_negatives: fn_, misses }
    }

    /// What the cross-validation maximises: fields right, provisions right, provisions wrong.
    fn merit(&self) -> i64 {
        let fields = self.correct.iter().filter(|c| **c).count() as i64;
        fields + self.true_positives as i64 - self.false_positives as i64 - self.false_negatives as i64
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn scores<'a>(outcomes: impl Iterator<Item = &'a Outcome> + Clone) -> (Vec<FieldScore>, ProvisionScore) {
    let n = outcomes.clone().count();
    let fields = FIELDS
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let correct = outcomes.clone().filter(|o| o.correct[i]).count();
            FieldScore { field: f.evidence_key().into(), correct, total: n, accuracy: ratio(correct, n) }
        })
        .collect();
    let tp = outcomes.clone().map(|o| o.true_positives).sum();
    let fp = outcomes.clone().map(|o| o.false_positives).sum();
    let fn_ = outcomes.map(|o| o.false_negatives).sum();
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    (fields, ProvisionScore { true_positives: tp, false_positives: fp, false_negatives: fn_, precision, recall, f1 })
}

/// The default tuning, then each value one step down and up.
fn grid() -> Vec<Tuning> {
    let d = Tuning::default();
    vec![
        d,
        Tuning { presentation_paragraphs: d.presentation_paragraphs - 1, ..d },
        Tuning { presentation_paragraphs: d.presentation_paragraphs + 1, ..d },
        Tuning { presentation_weight: d.presentation_weight / 2.5, ..d },
        Tuning { presentation_weight: d.presentation_weight * 2.0, ..d },
        Tuning { sector_window: d.sector_window / 2, ..d },
        Tuning { sector_window: d.sector_window * 2, ..d },
        Tuning { sections_always: !d.sections_always, ..d },
    ]
}

/// Extracts every gold decision's `text_file` (relative to the gold file) and scores it.
pub fn evaluate(gold_path: &Path) -> Result<EvalReport> {
    let raw = std::fs::read_to_string(gold_path).map_err(|e| Error::io(gold_path, e))?;
    let base: PathBuf = gold_path.parent().map(Path::to_path_buf).unwrap_or_default();
    let golds: Vec<Gold> = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()?;
    let mut records = Vec::with_capacity(golds.len());
    for gold in &golds {
        records.push(crate::ingest::read_file(&base.join(&gold.text_file))?);
    }

    // The first pass compiles the regexes and warms their lazy DFAs. The machine is shared,
    // so each decision's time is the best of several passes (a pass that was preempted
    // measures the scheduler, not the extractor), and throughput is their sum.
    let grid = grid();
    let by_tuning: Vec<Vec<Outcome>> = grid
        .iter()
        .map(|tuning| {
            golds
                .iter()
                .zip(records.iter())
                .map(|(gold, record)| {
                    let mut r = record.clone();
                    fill_tuned(&mut r, tuning);
                    Outcome::new(gold, &r)
                })
                .collect()
        })
        .collect();
    let bytes = records.iter().map(|r| r.text.len()).sum();
    let mut seconds = 0.0;
    for record in records.iter_mut() {
        let mut best = f64::MAX;
        for _ in 0..TIMED_PASSES {
            let started = Instant::now();
            crate::extract::fill(record);
            best = best.min(started.elapsed().as_secs_f64());
        }
        seconds += best;
    }

    let plain = &by_tuning[0];
    let (fields, breached) = scores(plain.iter());
    let misses = plain.iter().flat_map(|o| o.misses.iter().cloned()).collect();

    // Leave one out: the tuning that does best on the others (the default on a tie).
    let mut chosen = vec![0usize; grid.len()];
    let held_out: Vec<&Outcome> = (0..golds.len())
        .map(|d| {
            let merit = |t: usize| by_tuning[t].iter().enumerate().filter(|(i, _)| *i != d).map(|(_, o)| o.merit()).sum::<i64>();
            let best = (0..grid.len()).fold(0, |best, t| if merit(t) > merit(best) { t } else { best });
            chosen[best] += 1;
            &by_tuning[best][d]
        })
        .collect();
    let (cv_fields, cv_breached) = scores(held_out.iter().copied());

    Ok(EvalReport {
        decisions: golds.len(),
        fields,
        breached,
        misses,
        cross_validated: CrossValidated { method: "leave-one-out".into(), grid, fields: cv_fields, breached: cv_breached, chosen },
        bytes,
        seconds,
        mb_per_s: if seconds > 0.0 { bytes as f64 / 1e6 / seconds } else { 0.0 },
    })
}
