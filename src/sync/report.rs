//! What one sync run did.

use serde::Serialize;

use crate::ingest::Rejected;

use super::state::Applied;

/// What one run did. A run stops at the first archive that fails (download, verification or
/// apply): that archive and the ones after it stay pending, and the next run starts there.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub from: String,
    /// Archives the listing names.
    pub listed: usize,
    /// The listing no longer reached back to the last archive applied (DILA removes old
    /// ones), so this run caught up from the newest global archive. Texts withdrawn in the
    /// gap stay: only increments' deletion lists name them.
    pub caught_up_from_global: bool,
    /// Archives applied by this run, in order.
    pub applied: Vec<Applied>,
    /// Members that ingest refused in the applied archives.
    pub rejected: Vec<Rejected>,
    pub failed: Option<Failure>,
    /// Archives left for the next run (the failed one first).
    pub pending: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub archive: String,
    /// [`Error::code`] of the failure.
    pub code: &'static str,
    pub message: String,
}

impl SyncReport {
    pub fn nothing_new(&self) -> bool {
        self.applied.is_empty() && self.failed.is_none()
    }
}
