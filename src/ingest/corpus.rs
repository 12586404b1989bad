//! The embedded corpus: our Markdown records, compiled into the binary.

use super::detect::{decode, Kind};
use super::{markdown, sha256_hex};
use crate::record::{Record, Source, SourceFormat};
use crate::{Error, Result};

/// The Markdown records of `corpus/decisions/`, compiled into the binary, for `serve` on an
/// empty index (`corpus/README.md` documents the corpus and is not a record).
/// The corpus is ours and tested, so a record that does not parse is a build defect: it is
/// reported in the error rather than skipped.
pub fn embedded_corpus_records() -> Result<Vec<Record>> {
    static CORPUS: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/corpus/decisions");
    let mut files: Vec<&include_dir::File<'_>> = Vec::new();
    collect_markdown(&CORPUS, &mut files);
    files.sort_by_key(|f| f.path());
    files
        .into_iter()
        .map(|file| {
            let shown = format!("corpus/decisions/{}", file.path().display());
            let text = decode(file.contents()).map_err(|reason| Error::Rejected { path: shown.clone(), reason })?;
            let source = Source { format: SourceFormat::Markdown, path: shown.clone(), sha256: sha256_hex(file.contents()) };
            markdown::parse(text, source).map_err(|reason| Error::Rejected { path: shown, reason })
        })
        .collect()
}

fn collect_markdown<'a>(dir: &'a include_dir::Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for file in dir.files() {
        if Kind::by_extension(&file.path().to_string_lossy()) == Some(Kind::Markdown) {
            out.push(file);
        }
    }
    for sub in dir.dirs() {
        collect_markdown(sub, out);
    }
}
