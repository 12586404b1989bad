//! What each fuzz target checks on one input. Shared by the fuzz targets (`fuzz_targets/`)
//! and by `tests/reliability_fuzz_regressions.rs`, which replays every kept crash input, so
//! that a crash found once stays a failing test until its cause is fixed.

use recueil::record::{Record, Span};

fn check_span(text: &str, span: &Span, what: &str) {
    assert!(span.start <= span.end && span.end <= text.len(), "{what} span {span:?} out of bounds ({} bytes)", text.len());
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{what} span {span:?} not on char boundaries");
}

/// Every span a record carries lies inside its text on char boundaries: the web page and
/// the API slice the text with them.
pub fn check_record(record: &Record) {
    let text = record.text.as_str();
    for span in &record.paragraphs {
        check_span(text, span, "paragraph");
    }
    for section in &record.outline {
        check_span(text, &section.span, "outline");
    }
    for (fact, spans) in &record.evidence {
        for span in spans {
            check_span(text, span, fact);
        }
    }
    if record.fines.len() > 1 {
        let sum = record.fines.iter().try_fold(0u64, |acc, f| acc.checked_add(f.eur));
        assert_eq!(record.fine_eur, sum, "fine_eur is not the sum of the per-respondent fines");
    }
    assert!(record.breached.windows(2).all(|w| w[0] < w[1]), "breached is not sorted and unique: {:?}", record.breached);
}

/// Plain-text extraction (amounts, dates, provisions, outline) on any UTF-8 text.
pub fn extract_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut record = Record { text: text.to_string(), ..Record::default() };
    recueil::extract::fill(&mut record);
    let _ = recueil::extract::detect_language(text);
    check_record(&record);
}
