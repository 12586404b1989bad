//! Sources → records. Each adapter turns the bytes of one source into [`Record`]s; this module
//! finds the inputs (files, folders, `.tar.gz` archives), decides which adapter reads each one,
//! refuses hostile inputs with a one-line reason, and merges the result into the [`Store`].
//! See ARCHITECTURE.md.

mod archive;
mod batch;
mod cnil;
mod corpus;
mod detect;
mod dila;
mod gdprhub;
mod gdprhub_page;
mod gdprhub_wikitext;
mod keys;
mod markdown;
pub mod merge;
mod nesting;
mod progress;
mod skip;
mod text;
mod text_builder;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::index::store::Store;
use crate::record::{Record, Source, SourceFormat};
use crate::Result;

pub use markdown::parse as parse_markdown;
pub use nesting::check_html_nesting;
pub use corpus::embedded_corpus_records;
pub use progress::{Progress, Quiet};

use batch::Batch;
pub(crate) use cnil::{cnil_text_record, LEGIFRANCE_ID_RE};
use detect::{decode, Kind};
pub(crate) use text_builder::TextBuilder;
// The adapters read numbers with the extractor's grammar, the one of the crate.
pub(crate) use crate::extract::number::{in_head as number_in_head, normalize as normalize_number};

/// Largest source file (XML, HTML, Markdown, text) read, on disk or inside an archive.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Deepest element nesting accepted in HTML, checked before the HTML parser runs
/// (html5ever's tree building is quadratic in depth).
pub const MAX_HTML_DEPTH: usize = 512;

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
        Kind::GdprhubWikitext => SourceFormat::GdprhubWikitext,
        Kind::Markdown => SourceFormat::Markdown,
        Kind::Text => SourceFormat::Text,
        Kind::TarGz => return Err("nested archives are not read".into()),
    };
    let source = Source { format, path: path.to_string(), sha256: sha256_hex(bytes) };
    let mut record = match kind {
        Kind::Markdown => return markdown::parse(text, source),
        Kind::Dila => dila::parse(text, source)?,
        Kind::Gdprhub => gdprhub::parse(text, source)?,
        Kind::GdprhubWikitext => gdprhub_wikitext::parse(text, source)?,
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
        assert_eq!(Kind::detect("a.wiki", b"{{DPAdecisionBOX\n|Type=x\n}}"), Ok(Kind::GdprhubWikitext));
        assert_eq!(Kind::detect("a.txt", b"{{DPAdecisionBOX\n|Type=x\n}}"), Ok(Kind::GdprhubWikitext));
        assert_eq!(Kind::detect("noext", b"{{DPAdecisionBOX"), Ok(Kind::GdprhubWikitext));
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
            kind in proptest::sample::select(vec![Kind::Dila, Kind::Gdprhub, Kind::GdprhubWikitext, Kind::Markdown, Kind::Text]),
        ) {
            let _ = read_source(kind, "arbitrary", &bytes);
            let _ = Kind::detect("arbitrary", &bytes);
            let _ = check_html_nesting(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn no_adapter_panics_on_markup_soup(
            soup in "(?s)(<[a-zA-Z/!?-]{0,8}|>|---\n|[a-z: ]{0,6}|\n|&[a-z#0-9]{0,4};?|SAN-20[0-9]{2}-[0-9]{1,4}){0,80}",
            kind in proptest::sample::select(vec![Kind::Dila, Kind::Gdprhub, Kind::GdprhubWikitext, Kind::Markdown, Kind::Text]),
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

