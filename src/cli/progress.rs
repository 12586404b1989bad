//! The spinner `ingest` and `sync` show on a terminal while they read.

use std::io::IsTerminal;

use crate::escape::escaped;
use crate::ingest::Progress;

/// A spinner counting the sources read, on stderr when it is a terminal; nothing otherwise.
pub struct Spinner(Option<indicatif::ProgressBar>);

impl Spinner {
    pub fn new(enabled: bool) -> Self {
        if !enabled || !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {pos} sources read {wide_msg}") {
            bar.set_style(style);
        }
        Spinner(Some(bar))
    }
}

impl Progress for Spinner {
    fn source_read(&self, shown: &str) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
            // Names come from the inputs: escaped so that they cannot drive the terminal.
            bar.set_message(escaped(shown).to_string());
        }
    }

    fn finished(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
