//! What an ingest tells a front end while it reads.

/// What a long ingest reports while it reads its inputs, for a front end to show (the CLI's
/// spinner); the library itself stays silent.
pub trait Progress {
    /// One source was read (its name as shown to people, not yet escaped).
    fn source_read(&self, _shown: &str) {}
    /// Every input was read; merging and committing follow.
    fn finished(&self) {}
}

/// Reports nothing.
pub struct Quiet;

impl Progress for Quiet {}
