//! The number and date, from the title lines, else the operative part and the signature.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Fact, Facts};

use super::date::dates;
use super::facts::Evidence;
use super::layout::Layout;
use super::number;
use super::re;

/// A title line names the act; the preamble ("Having regard to the Regulation of 27 April
/// 2016") that follows it in the first lines carries other dates.
pub(super) static TITLE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:deliberation|délibération|decision|décision|resolution|san\s*-|med\s*-)|\b(?:SAN|MED|MEDP)\s*-\s*\d{4}")
});

pub(super) fn read_head(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
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
