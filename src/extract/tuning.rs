//! The few numbers and choices of the extractor that were set while looking at the dev gold.
//! They are gathered here so that `recueil eval` can cross-validate them: a value chosen on
//! 30 decisions is scored on the 31st (see `crate::eval::extraction`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tuning {
    /// Paragraphs at the start of the facts read as the respondent's presentation.
    pub presentation_paragraphs: usize,
    /// Weight of a sector cue near the presentation against one further on, when the
    /// presentation itself names no activity.
    pub presentation_weight: f64,
    /// Bytes from the start of the decision in which sector cues are counted.
    pub sector_window: usize,
    /// Whether the conclusions of the breach sections add to the provisions the operative part
    /// names (else they are read only when it names none).
    pub sections_always: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning { presentation_paragraphs: 3, presentation_weight: 5.0, sector_window: 15_000, sections_always: true }
    }
}
