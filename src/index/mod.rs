//! Schema, analyzers and the index writer. See ARCHITECTURE.md.
//!
//! Interface used by the rest of the crate:
//! - [`Builder`] writes a complete tantivy index into an empty directory, one record at a time;
//! - [`validate`] checks a built index (doc count, checksums) before it is switched in;
//! - [`open`] opens a built index with recueil's analyzers registered.
//!
//! The schema lives here and nowhere else: [`Fields`] names every field and
//! [`Fields::document`] is the one place a record becomes a tantivy document.

pub mod analysis;
mod readonly;
pub mod store;
pub mod words;

use std::path::Path;

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};
use tantivy::index::SegmentComponent;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument};

use crate::record::{Head, Language, Record, SourceFormat};
use crate::{Error, Result};

use analysis::{EN_STEM, EXACT, FR_STEM, RAW_LC};

/// Memory budget of each indexing thread; tantivy needs at least 15 MB per thread.
const WRITER_MEMORY_PER_THREAD: usize = 128 * 1024 * 1024;
/// Indexing threads, at most: beyond a few, the merges and the one producer bound the rate.
const MAX_WRITER_THREADS: usize = 4;

/// Every field of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The record id, verbatim (stored for hits).
    pub id: Field,
    /// Lower-cased id and decision number: `get` and "a number typed alone".
    pub key: Field,
    /// Full text, title and summary, analysed in the record's language.
    pub text_fr: Field,
    pub text_en: Field,
    pub title_fr: Field,
    pub title_en: Field,
    pub summary_fr: Field,
    pub summary_en: Field,
    /// Unstemmed folded text of every record, for exact phrases and all-stop-word queries.
    pub text_exact: Field,
    pub respondent: Field,
    /// Facets: indexed lower-cased (filters), fast in their original spelling (counts).
    pub nature: Field,
    pub breached: Field,
    pub sector: Field,
    pub measures: Field,
    pub respondent_kind: Field,
    pub year: Field,
    pub date: Field,
    pub fine: Field,
    /// Position of the record in the build input: a stable tie-break for sorting and cursors.
    pub seq: Field,
    /// The [`crate::record::Head`] of the record as JSON: all a result list needs, a few hundred bytes.
    pub head: Field,
    /// Where the whole record lies in the generation's `records.jsonl` ([`Location`]). The
    /// doc store decompresses whole blocks, so holding 30 KB decisions there would make every
    /// hit pay for its neighbours' texts too.
    pub record_offset: Field,
    pub record_len: Field,
    /// Where the text lies in the generation's `texts.bin`, verbatim: a snippet reads one
    /// paragraph of it, not a JSON line to decode.
    pub text_offset: Field,
    pub text_len: Field,
    /// The paragraph table of the text ([`words::encode`]): which paragraph a term position
    /// falls in. Empty for a bilingual record, whose two halves number their words apart.
    pub paragraphs: Field,
}

/// Where a record lies in its generation: its line of `records.jsonl` (without the newline)
/// and its text in `texts.bin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    pub offset: u64,
    pub len: u64,
    pub text_offset: u64,
    pub text_len: u64,
}

pub const FACET_FIELDS: [&str; 6] = ["breached", "sector", "measures", "respondent_kind", "year", "nature"];

impl Fields {
    /// Builds the schema and resolves its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analysed = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let facet = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(RAW_LC).set_index_option(IndexRecordOption::Basic),
            )
            .set_fast("raw");
        let id = b.add_text_field("id", STRING | STORED);
        let key = b.add_text_field(
            "key",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(RAW_LC).set_index_option(IndexRecordOption::Basic),
            ),
        );
        let text_fr = b.add_text_field("text_fr", analysed(FR_STEM));
        let text_en = b.add_text_field("text_en", analysed(EN_STEM));
        let title_fr = b.add_text_field("title_fr", analysed(FR_STEM));
        let title_en = b.add_text_field("title_en", analysed(EN_STEM));
        let summary_fr = b.add_text_field("summary_fr", analysed(FR_STEM));
        let summary_en = b.add_text_field("summary_en", analysed(EN_STEM));
        let text_exact = b.add_text_field("text_exact", analysed(EXACT));
        let respondent = b.add_text_field("respondent", analysed(EXACT));
        let nature = b.add_text_field("nature", facet.clone());
        let breached = b.add_text_field("breached", facet.clone());
        let sector = b.add_text_field("sector", facet.clone());
        let measures = b.add_text_field("measures", facet.clone());
        let respondent_kind = b.add_text_field("respondent_kind", facet.clone());
        let year = b.add_text_field("year", facet);
        let date = b.add_date_field(
            "date",
            DateOptions::default().set_indexed().set_fast().set_precision(DateTimePrecision::Seconds),
        );
        let fine = b.add_u64_field("fine", NumericOptions::default().set_indexed().set_fast());
        let seq = b.add_u64_field("seq", NumericOptions::default().set_fast());
        let head = b.add_text_field("head", STORED);
        let record_offset = b.add_u64_field("record_offset", STORED);
        let record_len = b.add_u64_field("record_len", STORED);
        let text_offset = b.add_u64_field("text_offset", STORED);
        let text_len = b.add_u64_field("text_len", STORED);
        let paragraphs = b.add_bytes_field("paragraphs", STORED);
        let fields = Fields {
            id,
            key,
            text_fr,
            text_en,
            title_fr,
            title_en,
            summary_fr,
            summary_en,
            text_exact,
            respondent,
            nature,
            breached,
            sector,
            measures,
            respondent_kind,
            year,
            date,
            fine,
            seq,
            head,
            record_offset,
            record_len,
            text_offset,
            text_len,
            paragraphs,
        };
        (b.build(), fields)
    }

    /// Resolves the fields of an opened index, refusing an index with another schema.
    pub fn of(schema: &Schema) -> Result<Fields> {
        let (expected, fields) = Fields::schema();
        if *schema != expected {
            return Err(Error::Index("index schema differs from this version of recueil; rebuild it".into()));
        }
        Ok(fields)
    }

    /// The tantivy document of `record`, the `seq`-th record of its build, stored `at`.
    pub fn document(&self, record: &Record, seq: u64, at: Location) -> Result<TantivyDocument> {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &record.id);
        doc.add_text(self.key, &record.id);
        if let Some(n) = &record.number {
            doc.add_text(self.key, n);
        }
        let (text, title, summary) = match record.language {
            Language::Fr => (self.text_fr, self.title_fr, self.summary_fr),
            Language::En => (self.text_en, self.title_en, self.summary_en),
        };
        match bilingual_split(record) {
            Some((english, french)) => {
                doc.add_text(self.text_en, english);
                doc.add_text(self.text_fr, french);
                doc.add_bytes(self.paragraphs, &[]);
            }
            None => {
                doc.add_text(text, &record.text);
                doc.add_bytes(self.paragraphs, &words::encode(&words::paragraphs(&record.text)));
            }
        }
        doc.add_text(self.text_exact, &record.text);
        if let Some(t) = &record.title {
            doc.add_text(title, t);
            doc.add_text(self.text_exact, t);
        }
        if let Some(s) = &record.summary {
            doc.add_text(summary, s);
        }
        if let Some(r) = &record.respondent {
            doc.add_text(self.respondent, r);
        }
        if let Some(n) = &record.nature {
            doc.add_text(self.nature, n);
        }
        for b in &record.breached {
            doc.add_text(self.breached, b);
        }
        if let Some(s) = &record.sector {
            doc.add_text(self.sector, s);
        }
        for m in &record.measures {
            doc.add_text(self.measures, serde_name(m)?);
        }
        if let Some(k) = record.respondent_kind {
            doc.add_text(self.respondent_kind, serde_name(&k)?);
        }
        if let Some(y) = record.year() {
            doc.add_text(self.year, y.to_string());
        }
        if let Some(d) = record.date {
            doc.add_date(self.date, date_time(d));
        }
        if let Some(f) = record.fine_eur {
            doc.add_u64(self.fine, f);
        }
        doc.add_u64(self.seq, seq);
        doc.add_text(self.head, serde_json::to_string(&Head::from(record))?);
        doc.add_u64(self.record_offset, at.offset);
        doc.add_u64(self.record_len, at.len);
        doc.add_u64(self.text_offset, at.text_offset);
        doc.add_u64(self.text_len, at.text_len);
        Ok(doc)
    }
}

/// A curated Markdown record's body carries an English and a French section (see
/// docs/markdown-records.md): each is analysed in its own language.
fn bilingual_split(record: &Record) -> Option<(&str, &str)> {
    if record.source.format != SourceFormat::Markdown {
        return None;
    }
    let at = record.text.find("## Français")?;
    Some((&record.text[..at], &record.text[at..]))
}

fn serde_name<T: serde::Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(Error::Serde(format!("expected a string, got {other}"))),
    }
}

/// Midnight UTC of `d`, the value stored in the `date` field.
pub fn date_time(d: chrono::NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0))
}

/// Opens the index in `dir` for reading, with recueil's analyzers registered. It takes no lock
/// and writes nothing, so an index on a read-only filesystem is searched as any other.
pub fn open(dir: &Path) -> Result<(Index, Fields)> {
    let cannot = |e: &dyn std::fmt::Display| Error::Index(format!("cannot open index in {}: {e}", dir.display()).to_lowercase());
    let directory = readonly::ReadOnlyDirectory::open(dir).map_err(|e| cannot(&e))?;
    let index = Index::open(directory).map_err(|e| cannot(&e))?;
    analysis::register(index.tokenizers());
    let fields = Fields::of(&index.schema())?;
    Ok((index, fields))
}

/// Writes a complete index into `dir`, which must exist and be empty, one record at a time:
/// the caller streams records through and nothing holds them all.
pub struct Builder {
    writer: IndexWriter,
    fields: Fields,
    docs: u64,
}

impl Builder {
    pub fn create(dir: &Path) -> Result<Builder> {
        let not_empty = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.next().is_some();
        if not_empty {
            return Err(Error::Index(format!("index directory {} is not empty", dir.display())));
        }
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(dir, schema)?;
        analysis::register(index.tokenizers());
        // Documents land in segments in whatever order the threads take them; nothing depends
        // on that order, since every sort breaks ties on `seq`.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_WRITER_THREADS);
        let writer: IndexWriter = index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)?;
        Ok(Builder { writer, fields, docs: 0 })
    }

    /// Adds `record`, found at `at` in the generation's `records.jsonl`.
    pub fn add(&mut self, record: &Record, at: Location) -> Result<()> {
        self.writer.add_document(self.fields.document(record, self.docs, at)?)?;
        self.docs += 1;
        Ok(())
    }

    /// Commits and waits for merges; returns the number of documents.
    pub fn finish(mut self) -> Result<u64> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(self.docs)
    }
}

/// Checks that the index in `dir` opens, holds `expected_docs` documents and that every
/// file's checksum is intact.
pub fn validate(dir: &Path, expected_docs: usize) -> Result<()> {
    let (index, _) = open(dir)?;
    let metas = index.load_metas()?;
    // Every component of every segment is listed, also those a segment may lack: deletes (when
    // it has none) and the store of a segment still being written.
    let optional: std::collections::HashSet<std::path::PathBuf> = metas
        .segments
        .iter()
        .flat_map(|s| {
            let deletes = (!s.has_deletes()).then(|| s.relative_path(SegmentComponent::Delete));
            deletes.into_iter().chain([s.relative_path(SegmentComponent::TempStore)])
        })
        .collect();
    let mut damaged = Vec::new();
    for file in metas.list_segment_files() {
        let path = dir.join(&file);
        let intact = if path.exists() { checksum_matches(&path)? } else { optional.contains(&file) };
        if !intact {
            damaged.push(file.display().to_string());
        }
    }
    if !damaged.is_empty() {
        damaged.sort();
        return Err(Error::Index(format!("damaged index files in {}: {}", dir.display(), damaged.join(", "))));
    }
    // A manual reader spawns no meta.json watcher thread, which would keep the files mapped
    // after this returns (and a file rewritten under a live mapping raises SIGBUS).
    let docs = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?.searcher().num_docs();
    if docs != expected_docs as u64 {
        return Err(Error::Index(format!("index in {} holds {docs} documents, expected {expected_docs}", dir.display())));
    }
    Ok(())
}

/// tantivy's footer: `[body][JSON {version, crc}][u32 JSON length][u32 magic]`, little-endian.
const FOOTER_MAGIC: u32 = 1337;
const FOOTER_MAX_JSON: u64 = 50_000;

/// Whether the crc32 of `path`'s body equals the one its tantivy footer records. The file is
/// read in chunks rather than through tantivy's own check, which maps and reads each file
/// whole: at 100k decisions that put a 400 MB segment file in the serving process's memory
/// at every open.
fn checksum_matches(path: &Path) -> Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    #[derive(serde::Deserialize)]
    struct Footer {
        crc: u32,
    }
    let io = |e| Error::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let Some(json_end) = len.checked_sub(8) else { return Ok(false) };
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::Start(json_end)).map_err(io)?;
    file.read_exact(&mut tail).map_err(io)?;
    let json_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    let magic = u32::from_le_bytes([tail[4], tail[5], tail[6], tail[7]]);
    let Some(body_len) = json_end.checked_sub(json_len).filter(|_| magic == FOOTER_MAGIC && json_len <= FOOTER_MAX_JSON)
    else {
        return Ok(false);
    };
    let mut json = vec![0; json_len as usize];
    file.seek(SeekFrom::Start(body_len)).map_err(io)?;
    file.read_exact(&mut json).map_err(io)?;
    let Ok(footer) = serde_json::from_slice::<Footer>(&json) else { return Ok(false) };
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut hasher = crc32fast::Hasher::new();
    let mut body = file.take(body_len);
    let mut chunk = vec![0; 1 << 20];
    loop {
        let n = body.read(&mut chunk).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&chunk[..n]);
    }
    Ok(hasher.finalize() == footer.crc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Measure;

    /// Invented records.
    pub(crate) fn invented() -> Vec<Record> {
        let mut a = Record {
            id: "cnil-SAN-2099-001".into(),
            number: Some("SAN-2099-001".into()),
            nature: Some("Sanction".into()),
            date: chrono::NaiveDate::from_ymd_opt(2099, 3, 1),
            title: Some("Délibération SAN-2099-001 (invented)".into()),
            text: "La sécurité des données de santé n'était pas assurée.\n\nUne amende est prononcée.".into(),
            breached: vec!["GDPR:32".into(), "GDPR:33".into()],
            measures: vec![Measure::Fine],
            fine_eur: Some(10_000),
            sector: Some("Health Care".into()),
            ..Default::default()
        };
        a.language = Language::Fr;
        let b = Record {
            id: "cnil-SAN-2098-002".into(),
            number: Some("SAN-2098-002".into()),
            language: Language::En,
            text: "Cookies were placed without consent (invented).".into(),
            ..Default::default()
        };
        vec![a, b]
    }

    fn build(records: &[Record], dir: &Path) -> Result<()> {
        let mut builder = Builder::create(dir)?;
        for r in records {
            builder.add(r, Location::default())?;
        }
        builder.finish().map(drop)
    }

    #[test]
    fn build_then_validate() {
        let dir = tempfile::tempdir().unwrap();
        build(&invented(), dir.path()).unwrap();
        validate(dir.path(), 2).unwrap();
        let err = validate(dir.path(), 3).unwrap_err().to_string();
        assert!(err.contains("holds 2 documents, expected 3"), "{err}");
    }

    #[test]
    fn build_refuses_a_non_empty_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "x").unwrap();
        assert!(build(&invented(), dir.path()).unwrap_err().to_string().contains("not empty"));
    }

    #[test]
    fn validate_reports_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        build(&invented(), dir.path()).unwrap();
        let victim = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "store"))
            .expect("a doc store file");
        let mut bytes = std::fs::read(&victim).unwrap();
        bytes[0] ^= 0xff;
        bytes[1] ^= 0xff;
        std::fs::write(&victim, bytes).unwrap();
        let err = validate(dir.path(), 2).unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");
    }
}
