//! Which files a folder walk leaves out: files that are about a folder rather than records
//! (README, LICENSE, CHANGELOG, CONTRIBUTING, any extension), and what a `.recueilignore`
//! names. A file named on the command line is always read.

use std::path::{Path, PathBuf};

pub const IGNORE_FILE: &str = ".recueilignore";

/// Name prefixes (any case) of the files that document a folder.
const NOT_RECORDS: [&str; 5] = ["readme", "license", "licence", "changelog", "contributing"];

/// The ignore patterns in force in a folder: its own and those of the folders above it.
#[derive(Debug, Default, Clone)]
pub struct Skip {
    /// (folder of the `.recueilignore`, pattern)
    patterns: Vec<(PathBuf, String)>,
}

impl Skip {
    /// The rules inside `dir`: these plus the lines of `dir/.recueilignore` (one glob per
    /// line, `#` comments and blank lines ignored).
    pub fn enter(&self, dir: &Path) -> Skip {
        let mut next = self.clone();
        if let Ok(text) = std::fs::read_to_string(dir.join(IGNORE_FILE)) {
            let lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
            next.patterns.extend(lines.map(|l| (dir.to_path_buf(), l.trim_matches('/').to_string())));
        }
        next
    }

    /// Whether the walk leaves `path` (a file, or a folder when `is_dir`) out.
    pub fn skips(&self, path: &Path, is_dir: bool) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        if !is_dir && NOT_RECORDS.iter().any(|p| name.starts_with(p)) {
            return true;
        }
        self.patterns.iter().any(|(root, pattern)| {
            let Ok(rel) = path.strip_prefix(root) else { return false };
            let rel = rel.to_string_lossy();
            // A pattern without a slash names a file or folder at any depth, as in .gitignore.
            if pattern.contains('/') {
                glob(pattern.as_bytes(), rel.as_bytes())
            } else {
                rel.rsplit('/').next().is_some_and(|last| glob(pattern.as_bytes(), last.as_bytes()))
            }
        })
    }
}

/// `*` matches within a path segment, `**` across segments, `?` one character (byte).
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', rest @ ..] => {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=s.len()).any(|i| glob(rest, &s[i..]))
        }
        [b'*', rest @ ..] => (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != b'/').any(|i| glob(rest, &s[i..])),
        [b'?', rest @ ..] => s.first().is_some_and(|&c| c != b'/') && glob(rest, &s[1..]),
        [c, rest @ ..] => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob(b"*.md", b"notes.md"));
        assert!(!glob(b"*.md", b"drafts/notes.md"));
        assert!(glob(b"**/*.md", b"drafts/notes.md"));
        assert!(glob(b"**/*.md", b"notes.md"));
        assert!(glob(b"draft-??.xml", b"draft-01.xml"));
        assert!(!glob(b"draft-??.xml", b"draft-1.xml"));
    }

    #[test]
    fn folder_documentation_and_ignored_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("drafts")).unwrap();
        std::fs::write(dir.path().join(IGNORE_FILE), "# invented rules\ndrafts/\n*.tmp.md\n").unwrap();
        let skip = Skip::default().enter(dir.path());
        let p = |rel: &str| dir.path().join(rel);
        assert!(skip.skips(&p("README.md"), false));
        assert!(skip.skips(&p("License.txt"), false));
        assert!(skip.skips(&p("CHANGELOG"), false));
        assert!(skip.skips(&p("drafts"), true));
        assert!(skip.skips(&p("sub/x.tmp.md"), false));
        assert!(!skip.skips(&p("SAN-2020-014.md"), false));
        assert!(!skip.skips(&p("readme"), true), "only files are documentation");
    }
}
