//! The inputs of one run read into records: files, folders (walked, with what to skip) and
//! archives, each rejection kept with its reason.

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::detect::Kind;
use super::{archive, one_line, read_bytes, skip, too_big, Progress, Rejected, MAX_FILE_BYTES};
use crate::record::Record;

/// Folders deeper than this are not walked (the DILA tree is 12 levels deep).
const MAX_FOLDER_DEPTH: usize = 32;

/// Records and rejections gathered from the inputs, before they meet the store.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) records: Vec<Record>,
    pub(super) rejected: Vec<Rejected>,
    /// The folder holding the input being read: sources are named relative to it, so that no
    /// stored name reveals where the server keeps its files.
    base: PathBuf,
}

impl Batch {
    pub(super) fn reject(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.rejected.push(Rejected { path: path.into(), reason: one_line(reason.into()) });
    }

    /// One input given on the command line: a file, a folder or an archive.
    pub(super) fn add_input(&mut self, path: &Path, progress: &dyn Progress) {
        let shown = path.display().to_string();
        self.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return self.reject(shown, format!("cannot read: {e}")),
        };
        if meta.is_dir() {
            self.add_folder(path, &skip::Skip::default(), 0, progress);
        } else {
            self.add_file(path, &meta, true, progress);
        }
    }

    /// Walks a folder in name order; files of extensions no adapter reads are skipped (a DILA
    /// tree carries other files), and so are those [`skip::Skip`] leaves out; symbolic links
    /// to folders are not followed.
    fn add_folder(&mut self, dir: &Path, skip: &skip::Skip, depth: usize, progress: &dyn Progress) {
        let shown = dir.display().to_string();
        if depth > MAX_FOLDER_DEPTH {
            return self.reject(shown, format!("folder nested deeper than {MAX_FOLDER_DEPTH} levels"));
        }
        let mut entries: Vec<PathBuf> = match fs::read_dir(dir) {
            Ok(it) => it.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return self.reject(shown, format!("cannot read folder: {e}")),
        };
        entries.sort();
        let skip = skip.enter(dir);
        for entry in entries {
            let hidden = entry.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let Ok(link_meta) = fs::symlink_metadata(&entry) else { continue };
            if hidden || (link_meta.file_type().is_symlink() && entry.is_dir()) || skip.skips(&entry, link_meta.is_dir()) {
                continue;
            }
            if link_meta.is_dir() {
                self.add_folder(&entry, &skip, depth + 1, progress);
            } else if Kind::by_extension(&entry.to_string_lossy()).is_some() {
                match fs::metadata(&entry) {
                    Ok(meta) => self.add_file(&entry, &meta, false, progress),
                    Err(e) => self.reject(entry.display().to_string(), format!("cannot read: {e}")),
                }
            }
        }
    }

    /// `path` as stored: relative to the input's folder.
    fn origin(&self, path: &Path) -> String {
        path.strip_prefix(&self.base).unwrap_or(path).display().to_string()
    }

    fn add_file(&mut self, path: &Path, meta: &fs::Metadata, explicit: bool, progress: &dyn Progress) {
        let shown = path.display().to_string();
        let origin = self.origin(path);
        progress.source_read(&shown);
        if !meta.is_file() {
            return self.reject(shown, "not a regular file");
        }
        let mut file = match fs::File::open(path) {
            Ok(f) => f,
            Err(e) => return self.reject(shown, format!("cannot read: {e}")),
        };
        let mut magic = [0u8; 2];
        let is_gzip = file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
        // An archive is named .tar.gz, or given explicitly under any name; a gzip file found
        // in a folder under another extension is refused by detection below.
        if Kind::by_extension(&shown) == Some(Kind::TarGz) || (explicit && is_gzip) {
            if !is_gzip {
                return self.reject(shown, "not a gzip archive (bad magic bytes)");
            }
            return match file.seek(SeekFrom::Start(0)) {
                Ok(_) => archive::read(&origin, file, self, progress),
                Err(e) => self.reject(shown, format!("cannot read: {e}")),
            };
        }
        if meta.len() > MAX_FILE_BYTES {
            return self.reject(shown, too_big(meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        // Read one byte past the limit so that a file that grew since `metadata` is still caught.
        let read = file.seek(SeekFrom::Start(0)).and_then(|_| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
        if let Err(e) = read {
            return self.reject(shown, format!("cannot read: {e}"));
        }
        self.add_bytes(&shown, &origin, &bytes);
    }

    /// A file's bytes (from disk or an archive member) through detection and its adapter;
    /// `shown` names it in a rejection, `origin` in the store.
    pub(super) fn add_bytes(&mut self, shown: &str, origin: &str, bytes: &[u8]) {
        match read_bytes(origin, bytes) {
            Ok(record) => self.records.push(record),
            Err(reason) => self.reject(shown, reason),
        }
    }
}
