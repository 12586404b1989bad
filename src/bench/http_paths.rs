//! The mixed query set as API paths, for `scripts/http-load.sh`.

use std::path::Path;

use crate::{Error, Result};

use super::queries::{self, Class};

/// The file under `<index-dir>/bench/` that lists the mixed set as API paths, one a line, for
/// `scripts/http-load.sh`.
pub const HTTP_PATHS: &str = "http-paths.txt";

pub(super) fn write_http_paths(path: &Path) -> Result<()> {
    let paths: String = queries::all()
        .iter()
        .filter(|q| q.class == Class::Mixed)
        .map(|q| queries::api_path(q) + "\n")
        .collect();
    std::fs::write(path, paths).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_http_paths_are_the_mixed_set() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HTTP_PATHS);
        write_http_paths(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 64);
        assert!(text.lines().all(|l| l.starts_with("/api/v1/search?q=") && !l.contains(' ')));
        assert!(text.contains("?q=security%20year%3A2021\n"));
    }

}
