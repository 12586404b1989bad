//! Sources → records. Each adapter turns the bytes of one source into [`Record`]s; this module
//! finds the inputs (files, folders, `.tar.gz` archives), decides which adapter reads each one,
//! refuses hostile inputs with a one-line reason, and merges the result into the [`Store`].
//! See ARCHITECTURE.md.

mod archive;
mod dila;
mod gdprhub;
mod markdown;
pub mod merge;
mod nesting;
mod progress;
mod skip;
mod text;

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::index::store::Store;
use crate::record::{Record, Source, SourceFormat, Span};
use crate::{Error, Result};

pub use markdown::parse as parse_markdown;
pub use nesting::check_html_nesting;
pub use progress::{Progress, Quiet};
// The adapters read numbers with the extractor's grammar, the one of the crate.
pub(crate) use crate::extract::number::{in_head as number_in_head, normalize as normalize_number};

/// Largest source file (XML, HTML, Markdown, text) read, on disk or inside an archive.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Deepest element nesting accepted in HTML, checked before the HTML parser runs
/// (html5ever's tree building is quadratic in depth).
pub const MAX_HTML_DEPTH: usize = 512;
/// Folders deeper than this are not walked (the DILA tree is 12 levels deep).
const MAX_FOLDER_DEPTH: usize = 32;

/// What one ingest run did, counted in sources read: new to the store, new versions of a
/// stored source, identical to one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    pub ingested: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Decisions added or changed, and removed (merged into another under a new id).
    pub decisions_changed: usize,
    pub decisions_removed: usize,
    /// Sources kept apart as decisions of their own, until a person resolves them.
    pub conflicts: Vec<merge::Conflict>,
    pub rejected: Vec<Rejected>,
}

/// An input refused, with a one-line reason naming the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub path: String,
    pub reason: String,
}

/// Which adapter reads a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dila,
    Gdprhub,
    Markdown,
    Text,
    TarGz,
}

impl Kind {
    fn by_extension(path: &str) -> Option<Kind> {
        let lower = path.to_ascii_lowercase();
        let kind = if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
            Kind::TarGz
        } else if lower.ends_with(".xml") {
            Kind::Dila
        } else if lower.ends_with(".html") || lower.ends_with(".htm") {
            Kind::Gdprhub
        } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Kind::Markdown
        } else if lower.ends_with(".txt") {
            Kind::Text
        } else {
            return None;
        };
        Some(kind)
    }

    /// The kind the first bytes announce; `None` for text that could be anything.
    fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            return Some(Kind::TarGz);
        }
        let head = &bytes[..bytes.len().min(1024)];
        let head = String::from_utf8_lossy(head);
        let head = head.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
        if head.starts_with("<?xml") || head.starts_with("<texte_cnil") {
            Some(Kind::Dila)
        } else if head.starts_with("<!doctype html") || head.starts_with("<html") {
            Some(Kind::Gdprhub)
        } else if head.starts_with("---\n") || head.starts_with("---\r\n") {
            Some(Kind::Markdown)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Dila => "xml",
            Kind::Gdprhub => "html",
            Kind::Markdown => "markdown",
            Kind::Text => "text",
            Kind::TarGz => "gzip archive",
        }
    }

    /// Extension and content together; a contradiction between them is a rejection.
    fn detect(path: &str, bytes: &[u8]) -> std::result::Result<Kind, String> {
        match (Kind::by_extension(path), Kind::sniff(bytes)) {
            // A text may well open with a `---` rule; only Markdown needs it to be front matter.
            (Some(Kind::Text), Some(Kind::Markdown)) => Ok(Kind::Text),
            (Some(ext), Some(content)) if ext != content => {
                Err(format!("extension says {} but the content is {}", ext.name(), content.name()))
            }
            (Some(ext), _) => Ok(ext),
            (None, Some(content)) => Ok(content),
            (None, None) => Err("unrecognised format (expected .xml, .html, .md, .txt or .tar.gz)".into()),
        }
    }
}

/// Checks the bytes of a text source and returns them as UTF-8 without a byte-order mark.
fn decode(bytes: &[u8]) -> std::result::Result<&str, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file".into());
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err("UTF-16 text (only UTF-8 is read)".into());
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary content (NUL byte at offset {at})"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()))?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn too_big(bytes: u64) -> String {
    format!("{bytes} bytes, over the {} MiB limit", MAX_FILE_BYTES >> 20)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads one source of a known kind (never an archive) into its record, passed through the
/// extractor unless it is a Markdown record, whose front matter is already the facts.
fn read_source(kind: Kind, path: &str, bytes: &[u8]) -> std::result::Result<Record, String> {
    let text = decode(bytes)?;
    let format = match kind {
        Kind::Dila => SourceFormat::DilaXml,
        Kind::Gdprhub => SourceFormat::GdprhubHtml,
        Kind::Markdown => SourceFormat::Markdown,
        Kind::Text => SourceFormat::Text,
        Kind::TarGz => return Err("nested archives are not read".into()),
    };
    let source = Source { format, path: path.to_string(), sha256: sha256_hex(bytes) };
    let mut record = match kind {
        Kind::Markdown => return markdown::parse(text, source),
        Kind::Dila => dila::parse(text, source)?,
        Kind::Gdprhub => gdprhub::parse(text, source)?,
        _ => text::parse(text, source)?,
    };
    // A summary the source wrote (GDPRhub's English summary) is better than one read from the
    // text, so the extractor's does not replace it.
    let given_summary = record.summary.take();
    crate::extract::fill(&mut record);
    if given_summary.is_some() {
        record.summary = given_summary;
    }
    Ok(record)
}

/// The record of one source's bytes (`path` names it and its extension counts in the
/// detection), as an ingest would read them, without touching the store; `Err` is the
/// rejection reason. Archives are not read here. Public for the fuzz targets.
pub fn read_bytes(path: &str, bytes: &[u8]) -> std::result::Result<Record, String> {
    Kind::detect(path, bytes).and_then(|kind| read_source(kind, path, bytes)).map_err(one_line)
}

/// Longest rejection reason shown, in characters.
const MAX_REASON_CHARS: usize = 300;

/// A rejection reason as one bounded line: parser messages may quote the offending input,
/// newlines and all, and a reason is printed one per line.
fn one_line(reason: String) -> String {
    let mut out = String::with_capacity(reason.len().min(MAX_REASON_CHARS * 4));
    for (i, word) in reason.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > MAX_REASON_CHARS {
            let cut: String = out.chars().take(MAX_REASON_CHARS).collect();
            return cut + "…";
        }
    }
    out
}

/// One file's record through detection and its adapter, outside any store: what ingesting
/// it would store (`recueil extract`, `recueil eval`). Archives and folders go through
/// [`ingest_paths`].
pub fn read_file(path: &Path) -> crate::Result<Record> {
    let shown = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| crate::Error::io(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(crate::Error::Rejected { path: shown, reason: too_big(meta.len()) });
    }
    let bytes = fs::read(path).map_err(|e| crate::Error::io(path, e))?;
    read_bytes(&shown, &bytes).map_err(|reason| crate::Error::Rejected { path: shown, reason })
}

/// Records and rejections gathered from the inputs, before they meet the store.
#[derive(Default)]
struct Batch {
    records: Vec<Record>,
    rejected: Vec<Rejected>,
    /// The folder holding the input being read: sources are named relative to it, so that no
    /// stored name reveals where the server keeps its files.
    base: PathBuf,
}

impl Batch {
    fn reject(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.rejected.push(Rejected { path: path.into(), reason: one_line(reason.into()) });
    }

    /// One input given on the command line: a file, a folder or an archive.
    fn add_input(&mut self, path: &Path, progress: &dyn Progress) {
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
    fn add_bytes(&mut self, shown: &str, origin: &str, bytes: &[u8]) {
        match read_bytes(origin, bytes) {
            Ok(record) => self.records.push(record),
            Err(reason) => self.reject(shown, reason),
        }
    }
}

/// Reads every input, then merges each source's reading into its decision in the store
/// ([`merge`]) and commits the decisions that changed, in one commit; nothing is committed when
/// nothing changed.
pub fn ingest_paths(store: &Store, paths: &[PathBuf]) -> Result<IngestReport> {
    ingest_paths_reporting(store, paths, &Quiet)
}

/// [`ingest_paths`], telling `progress` of each source read.
pub fn ingest_paths_reporting(store: &Store, paths: &[PathBuf], progress: &dyn Progress) -> Result<IngestReport> {
    let started = std::time::Instant::now();
    let mut batch = Batch::default();
    for path in paths {
        batch.add_input(path, progress);
    }
    progress.finished();
    tracing::info!(records = batch.records.len(), rejected = batch.rejected.len(), elapsed = ?started.elapsed(), "inputs read");
    let mut report = ingest_records(store, batch.records)?;
    report.rejected = batch.rejected;
    Ok(report)
}

/// Merges readings already read (the embedded corpus, a test's records) into the store, as
/// [`ingest_paths`] does.
pub fn ingest_records(store: &Store, records: Vec<Record>) -> Result<IngestReport> {
    let change = store.begin()?;
    let merged = merge::merge(&change, records, chrono::Utc::now())?;
    let report = IngestReport {
        ingested: merged.new_readings,
        updated: merged.updated_readings,
        unchanged: merged.unchanged_readings,
        decisions_changed: merged.put.len(),
        decisions_removed: merged.remove.len(),
        conflicts: merged.conflicts,
        rejected: Vec::new(),
    };
    let started = std::time::Instant::now();
    if let Some(generation) = change.commit(merged.put, &merged.remove)? {
        tracing::info!(generation = generation.id, elapsed = ?started.elapsed(), "committed");
    }
    Ok(report)
}

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

/// Builds a record's `text` and `paragraphs`: whitespace runs collapse to one space, and
/// paragraphs are separated by a blank line.
#[derive(Default)]
pub(crate) struct TextBuilder {
    text: String,
    spans: Vec<Span>,
    current: String,
    pending_space: bool,
}

impl TextBuilder {
    pub(crate) fn push(&mut self, s: &str) {
        for c in s.chars() {
            // A no-break space is typography (French "n° 12", "article 5 :"), not layout.
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.current.is_empty() {
                    self.current.push(' ');
                }
                self.pending_space = false;
                self.current.push(c);
            }
        }
    }

    /// Ends the current paragraph, if it holds anything.
    pub(crate) fn end_paragraph(&mut self) {
        self.pending_space = false;
        let para = self.current.trim();
        if para.is_empty() {
            self.current.clear();
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        self.text.push_str(para);
        self.spans.push(Span { start, end: self.text.len() });
        self.current.clear();
    }

    /// Paragraphs of a plain-text block. Blank lines always separate paragraphs; a line break
    /// does too, unless the block looks hard-wrapped (text copied from a PDF). There the lines
    /// of one paragraph join with a space, and a paragraph ends on a line that stops well short
    /// of the wrap width (after punctuation, or very short), as PDF copies often have no blank
    /// lines at all.
    pub(crate) fn push_plain(&mut self, block: &str) {
        let width = wrap_width(block);
        for line in block.lines() {
            let len = line.trim().chars().count();
            if len == 0 {
                self.end_paragraph();
                continue;
            }
            self.push(line);
            self.pending_space = true;
            let ends_sentence = line.trim_end().ends_with(['.', ':', ';', '!', '?', ',']);
            let ends_paragraph = match width {
                Some(width) => len * 10 < width * 8 && (ends_sentence || len * 10 < width * 6),
                None => true,
            };
            if ends_paragraph {
                self.end_paragraph();
            }
        }
        self.end_paragraph();
    }

    pub(crate) fn finish(mut self) -> (String, Vec<Span>) {
        self.end_paragraph();
        (self.text, self.spans)
    }
}

/// The wrap width of a hard-wrapped block (its 90th-percentile line length), or `None` when
/// the block is not hard-wrapped. Hard-wrapped text has lines of similar length short of a page
/// width; a Légifrance copy or a translation puts a whole paragraph on one line, so many of its
/// lines are long or short.
fn wrap_width(block: &str) -> Option<usize> {
    let mut lengths: Vec<usize> = block.lines().map(|l| l.trim().chars().count()).filter(|&n| n > 0).collect();
    let long = lengths.iter().filter(|&&n| n > 120).count();
    let wrapped = lengths.iter().filter(|&&n| (50..=120).contains(&n)).count();
    if lengths.len() < 5 || long * 20 >= lengths.len() || wrapped * 2 <= lengths.len() {
        return None;
    }
    lengths.sort_unstable();
    Some(lengths[lengths.len() * 9 / 10])
}

/// A CNIL decision known from its text alone (a GDPRhub translation, a plain-text copy): the id
/// rule, the nature its number implies and the language of its text. Callers add what their
/// source says besides.
pub(crate) fn cnil_text_record(
    number: Option<String>,
    legifrance_id: Option<String>,
    text: String,
    paragraphs: Vec<Span>,
    source: Source,
) -> Record {
    Record {
        id: Record::derive_id("CNIL", legifrance_id.as_deref(), number.as_deref(), &source.sha256),
        nature: number.as_deref().and_then(nature_from_number).map(String::from),
        language: crate::extract::detect_language(&text),
        number,
        legifrance_id,
        authority: "CNIL".into(),
        text,
        paragraphs,
        source,
        ..Record::default()
    }
}

/// The nature a number's prefix implies, for sources that do not state it.
fn nature_from_number(number: &str) -> Option<&'static str> {
    match number.split('-').next()? {
        "SAN" => Some("Sanction"),
        "MED" | "MEDP" => Some("Mise en demeure"),
        "DR" => Some("Autorisation de recherche"),
        "DT" => Some("Autre autorisation"),
        _ => None,
    }
}

pub(crate) static LEGIFRANCE_ID_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bCNILTEXT\d{12}\b").expect("valid regex"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejection_reasons_are_one_bounded_line() {
        assert_eq!(one_line("expected '>' not '\n'\r\n at 3:4".into()), "expected '>' not ' ' at 3:4");
        let long = one_line("é".repeat(2_000));
        assert_eq!(long.chars().count(), MAX_REASON_CHARS + 1);
        assert!(long.ends_with('…'));
        assert_eq!(one_line("  spaced\tout  ".into()), "spaced out");
    }

    #[test]
    fn text_builder_keeps_paragraphs_and_spans() {
        let mut b = TextBuilder::default();
        b.push("  Un\n  premier ");
        b.push("paragraphe ");
        b.end_paragraph();
        b.end_paragraph();
        b.push_plain("deux\nlignes\n\n\ntrois");
        let (text, spans) = b.finish();
        assert_eq!(text, "Un premier paragraphe\n\ndeux\n\nlignes\n\ntrois");
        let paras: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(paras, ["Un premier paragraphe", "deux", "lignes", "trois"]);
    }

    #[test]
    fn hard_wrapped_lines_join() {
        // Invented text, wrapped at about 70 columns as a PDF copy is.
        let wrapped = "La formation restreinte considère que la société n'a pas pris les\n\
                       mesures de sécurité appropriées pour garantir la confidentialité des\n\
                       données des personnes concernées, en méconnaissance de l'article 32\n\
                       du règlement général sur la protection des données, et qu'elle a\n\
                       conservé ces données au-delà de la durée nécessaire aux finalités.\n\n\
                       Pour ces motifs, elle prononce une amende administrative.";
        let mut b = TextBuilder::default();
        b.push_plain(wrapped);
        let (text, spans) = b.finish();
        assert_eq!(spans.len(), 2, "{text}");
        assert!(text.contains("pas pris les mesures de sécurité"));

        // Without blank lines, a short line ending a sentence ends its paragraph.
        let mut b = TextBuilder::default();
        let letter = wrapped.replace("la durée nécessaire aux finalités.\n\n", "la durée utile.\n");
        b.push_plain(&format!("Madame,\n{letter}"));
        let (text, spans) = b.finish();
        let paras: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(paras.len(), 3, "{text}");
        assert_eq!(paras[0], "Madame,");
        assert!(paras[1].ends_with("au-delà de la durée utile."));
    }

    #[test]
    fn detection_uses_extension_and_content() {
        assert_eq!(Kind::detect("a.xml", b"<?xml version='1.0'?><TEXTE_CNIL/>"), Ok(Kind::Dila));
        assert_eq!(Kind::detect("noext", b"<!DOCTYPE html><html>"), Ok(Kind::Gdprhub));
        assert_eq!(Kind::detect("a.txt", b"Deliberation"), Ok(Kind::Text));
        assert_eq!(Kind::detect("a.txt", b"---\nDeliberation"), Ok(Kind::Text));
        assert_eq!(Kind::detect("noext", b"---\nnumber: SAN-2020-014"), Ok(Kind::Markdown));
        assert!(Kind::detect("a.xml", b"<!DOCTYPE html>").unwrap_err().contains("extension says xml"));
        assert!(Kind::detect("noext", b"hello").unwrap_err().contains("unrecognised"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        #[test]
        fn paragraphs_are_spans_of_the_text(block in "(?s)[a-zé \u{a0}\n\t.,<>]{0,400}") {
            let mut b = TextBuilder::default();
            b.push_plain(&block);
            let (text, spans) = b.finish();
            let paras: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
            proptest::prop_assert_eq!(paras.join("\n\n"), text.clone());
            proptest::prop_assert!(paras.iter().all(|p| !p.is_empty() && !p.contains('\n') && p.trim() == *p));
        }

        #[test]
        fn no_adapter_panics_on_arbitrary_input(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            kind in proptest::sample::select(vec![Kind::Dila, Kind::Gdprhub, Kind::Markdown, Kind::Text]),
        ) {
            let _ = read_source(kind, "arbitrary", &bytes);
            let _ = Kind::detect("arbitrary", &bytes);
            let _ = check_html_nesting(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn no_adapter_panics_on_markup_soup(
            soup in "(?s)(<[a-zA-Z/!?-]{0,8}|>|---\n|[a-z: ]{0,6}|\n|&[a-z#0-9]{0,4};?|SAN-20[0-9]{2}-[0-9]{1,4}){0,80}",
            kind in proptest::sample::select(vec![Kind::Dila, Kind::Gdprhub, Kind::Markdown, Kind::Text]),
        ) {
            let _ = read_source(kind, "soup", soup.as_bytes());
            let _ = number_in_head(&soup);
        }
    }

    #[test]
    fn decode_refuses_bad_bytes() {
        assert_eq!(decode(b"").unwrap_err(), "empty file");
        assert_eq!(decode(b" \n\t").unwrap_err(), "empty file");
        assert!(decode(b"ab\0cd").unwrap_err().contains("NUL byte at offset 2"));
        assert!(decode(b"caf\xe9").unwrap_err().contains("not valid UTF-8 (invalid byte at offset 3)"));
        assert_eq!(decode("\u{feff}texte".as_bytes()), Ok("texte"));
        assert_eq!(decode(b"\xff\xfe<\0?\0").unwrap_err(), "UTF-16 text (only UTF-8 is read)");
    }
}
