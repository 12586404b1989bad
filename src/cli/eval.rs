//! `recueil eval --gold FILE`: extraction measured against gold facts, plain and leave-one-out.
use std::path::Path;
use std::process::ExitCode;

use super::output::{emit, outln};
use crate::eval::extraction::{evaluate, ProvisionScore};
use crate::Result;

pub fn eval(gold: &Path, json: bool) -> Result<ExitCode> {
    let mut o = String::new();
    let report = evaluate(gold)?;
    if json {
        outln!(o, "{}", serde_json::to_string_pretty(&report)?);
        return emit(&o);
    }
    let cv = &report.cross_validated;
    outln!(o, "{} decisions, {:.2} MB extracted in {:.3} s ({:.1} MB/s)", report.decisions, report.bytes as f64 / 1e6, report.seconds, report.mb_per_s);
    outln!(o, "{:<16} {:>8} {:>9}   {} (tuned values chosen without the decision scored)", "field", "correct", "accuracy", cv.method);
    for (f, c) in report.fields.iter().zip(&cv.fields) {
        outln!(o, "{:<16} {:>4}/{:<3} {:>8.1}%   {:>4}/{:<3} {:>8.1}%", f.field, f.correct, f.total, f.accuracy * 100.0, c.correct, c.total, c.accuracy * 100.0);
    }
    let line = |b: &ProvisionScore| {
        format!(
            "precision {:.3}  recall {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            b.precision, b.recall, b.f1, b.true_positives, b.false_positives, b.false_negatives
        )
    };
    outln!(o, "breached         {}", line(&report.breached));
    outln!(o, "  {:<14} {}", cv.method, line(&cv.breached));
    let default_kept = cv.chosen.first().copied().unwrap_or(0);
    outln!(o, "tuning           default kept for {default_kept}/{} held-out decisions", report.decisions);
    for (tuning, n) in cv.grid.iter().zip(&cv.chosen).skip(1).filter(|(_, n)| **n > 0) {
        outln!(o, "  chosen {n:>2}x     {tuning:?}");
    }
    if !report.misses.is_empty() {
        outln!(o, "misses");
        for m in &report.misses {
            outln!(o, "  {:<14} {:<16} expected {}  got {}", m.number, m.field, m.expected, m.got);
        }
    }
    emit(&o)
}
