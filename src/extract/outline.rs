//! The outline of a decision: its facts, breach sections and operative part.

use crate::record::{OutlineSection, SectionKind};

use super::layout::Layout;

pub(super) fn outline(layout: &Layout) -> Vec<OutlineSection> {
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
