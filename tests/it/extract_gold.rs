//! Extraction measured against the dev gold (`../shared/data/eval/gold.jsonl`): the
//! acceptance thresholds of issue 3, plain and leave-one-out (issue 16), the same facts read
//! from the gold texts once broken up as PDF copies are, and throughput.

use std::path::Path;

use recueil::eval::extraction::evaluate;
use recueil::record::Fact;

const GOLD: &str = "../shared/data/eval/gold.jsonl";

fn gold_path() -> &'static Path {
    let path = Path::new(GOLD);
    assert!(
        path.is_file(),
        "{GOLD} is missing: the extraction gold test needs ../shared/data (the read-only data set) beside the project"
    );
    path
}

#[test]
fn dev_gold_meets_the_thresholds() {
    let report = evaluate(gold_path()).expect("evaluation runs");
    assert_eq!(report.decisions, 31, "the dev gold has 31 decisions");
    let misses: Vec<String> =
        report.misses.iter().map(|m| format!("{} {}: expected {} got {}", m.number, m.field, m.expected, m.got)).collect();
    let thresholds =
        [(Fact::Fine, 0.95), (Fact::Date, 0.95), (Fact::Injunction, 0.90), (Fact::PenaltyPerDay, 0.90), (Fact::Sector, 0.80)];
    for (fact, threshold) in thresholds {
        let acc = report.accuracy(fact).expect("field scored");
        let field = fact.evidence_key();
        assert!(acc >= threshold, "{field} accuracy {acc:.3} < {threshold}; misses:\n{}", misses.join("\n"));
    }
    assert!(report.breached.f1 >= 0.90, "breached F1 {:.3} < 0.90; misses:\n{}", report.breached.f1, misses.join("\n"));
    // The tuned values hold when each decision is scored with values chosen without it.
    let cv = &report.cross_validated;
    for (plain, held_out) in report.fields.iter().zip(&cv.fields) {
        assert!(held_out.accuracy + 0.05 >= plain.accuracy, "{} leave-one-out {:.3} against {:.3}", plain.field, held_out.accuracy, plain.accuracy);
    }
    assert!(cv.breached.f1 + 0.02 >= report.breached.f1, "breached leave-one-out F1 {:.3}", cv.breached.f1);
    eprintln!("extraction throughput on the gold texts: {:.1} MB/s", report.mb_per_s);
}

#[test]
fn a_long_decision_is_extracted_fast() {
    // The longest decision of the set (about 107,000 characters, as long as they come).
    let dir = gold_path().parent().unwrap().join("texts");
    let text = std::fs::read_dir(&dir)
        .expect("texts dir")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).expect("text"))
        .max_by_key(|t| t.len())
        .expect("texts");
    assert!(text.chars().count() > 100_000, "the longest text is shorter than expected");
    let mut record = recueil::Record { text, ..Default::default() };
    recueil::extract::fill(&mut record); // compiles the regexes
    let passes = 5;
    let mut best = f64::MAX;
    for _ in 0..passes {
        let started = std::time::Instant::now();
        recueil::extract::fill(&mut record);
        best = best.min(started.elapsed().as_secs_f64());
    }
    let mbps = record.text.len() as f64 / 1e6 / best;
    eprintln!("longest decision ({} bytes): {:.2} ms, {:.1} MB/s", record.text.len(), best * 1e3, mbps);
    // Far below the target so that a loaded shared machine does not fail it; the target
    // itself (≥ 50 MB/s) is reported by `recueil eval`.
    assert!(mbps >= 5.0, "extraction at {mbps:.1} MB/s");
}

/// A gold text broken up as a PDF copy is: every few long paragraphs cut in the middle by a
/// page number and a running header. Deterministic, so a failure reproduces.
fn as_pdf_copy(text: &str, number: &str) -> String {
    let mut out = Vec::new();
    let mut page = 1;
    for (i, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split(' ').collect();
        if words.len() > 12 && i % 5 == 0 {
            page += 1;
            let cut = words.len() / 2;
            out.push(words[..cut].join(" "));
            out.push(format!("\n{page}\n\nCNIL – restricted committee – {number}\n"));
            out.push(words[cut..].join(" "));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

#[test]
fn facts_hold_on_pdf_copies_of_the_gold_texts() {
    let gold = std::fs::read_to_string(gold_path()).expect("gold");
    let base = gold_path().parent().unwrap();
    let mut changed = Vec::new();
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let g: serde_json::Value = serde_json::from_str(line).expect("gold line");
        let text = std::fs::read_to_string(base.join(g["text_file"].as_str().unwrap())).expect("text");
        let number = g["number"].as_str().unwrap_or("");
        let read = |text: String| {
            let mut r = recueil::Record { text, ..Default::default() };
            recueil::extract::fill(&mut r);
            (r.facts.number, r.facts.date, r.facts.fine_eur, r.facts.breached, r.facts.injunction, r.facts.penalty_per_day_eur, r.facts.public)
        };
        let (plain, broken) = (read(text.clone()), read(as_pdf_copy(&text, number)));
        if plain != broken {
            changed.push(format!("{number}: {plain:?}\n  became {broken:?}"));
        }
    }
    assert!(changed.is_empty(), "facts changed on PDF copies:\n{}", changed.join("\n"));
}
