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
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use crate::record::{Decision, Head, Language};
use crate::{Error, Result};

use analysis::{EN_STEM, EXACT, FR_STEM, RAW_LC};

/// Memory budget of each indexing thread; tantivy needs at least 15 MB per thread.
const WRITER_MEMORY_PER_THREAD: usize = 128 * 1024 * 1024;
/// Indexing threads, at most: beyond a few, the merges and the one producer bound the rate.
const MAX_WRITER_THREADS: usize = 4;
/// Arena of the one thread that writes an incremental change.
const UPDATE_WRITER_MEMORY: usize = 48 * 1024 * 1024;

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
    /// When the store first held the decision and last changed it (`added_since`,
    /// `modified_since`).
    pub added: Field,
    pub modified: Field,
    pub fine: Field,
    /// Position of the record in the build input: a stable tie-break for sorting and cursors.
    pub seq: Field,
    /// The [`crate::record::Head`] of the record as JSON: all a result list needs, a few hundred bytes.
    pub head: Field,
    /// Where the whole decision lies in its generation ([`Location`]): the chunk, the line of
    /// its `decisions-<chunk>.jsonl` and that line's crc32. The doc store decompresses whole
    /// blocks, so holding 30 KB decisions there would make every hit pay for its neighbours'
    /// texts too.
    pub chunk: Field,
    pub record_offset: Field,
    pub record_len: Field,
    pub record_crc: Field,
    /// Where the French and the English passage source lie in `texts-<chunk>.bin`, verbatim:
    /// a snippet reads one paragraph of it, not a JSON line to decode.
    pub text_fr_offset: Field,
    pub text_fr_len: Field,
    pub text_en_offset: Field,
    pub text_en_len: Field,
    /// The paragraph tables of those passage sources ([`words::encode`]), each prefixed by
    /// one byte saying which field numbers its words ([`PassageSource`]); empty when none.
    pub paragraphs_fr: Field,
    pub paragraphs_en: Field,
}

/// Where a decision lies in its generation: its line (without the newline) in the chunk's
/// `decisions-<chunk>.jsonl`, with the line's crc32, and its passage sources in
/// `texts-<chunk>.bin`, per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    pub chunk: u32,
    pub offset: u64,
    pub len: u64,
    pub crc: u32,
    pub fr: TextAt,
    pub en: TextAt,
}

/// A passage source in `texts-<chunk>.bin`; `len` 0 when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextAt {
    pub offset: u64,
    pub len: u64,
}

/// What a passage in one language is read from: the decision's text in that language, else
/// its summary there (a curated record without a decision text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassageSource {
    Text = 1,
    Summary = 2,
}

impl PassageSource {
    pub fn from_byte(b: u8) -> Option<PassageSource> {
        match b {
            1 => Some(PassageSource::Text),
            2 => Some(PassageSource::Summary),
            _ => None,
        }
    }
}

/// The passage source of `decision` in `language`.
pub fn passage_source(decision: &Decision, language: Language) -> Option<(PassageSource, &str)> {
    if let Some(reading) = decision.text_in(language) {
        return Some((PassageSource::Text, &reading.record.text));
    }
    let summary = match language {
        Language::Fr => decision.summaries.fr.as_deref(),
        Language::En => decision.summaries.en.as_deref(),
    };
    summary.map(|s| (PassageSource::Summary, s))
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
        let seconds = DateOptions::default().set_indexed().set_fast().set_precision(DateTimePrecision::Seconds);
        let date = b.add_date_field("date", seconds.clone());
        let added = b.add_date_field("added", seconds.clone());
        let modified = b.add_date_field("modified", seconds);
        let fine = b.add_u64_field("fine", NumericOptions::default().set_indexed().set_fast());
        let seq = b.add_u64_field("seq", NumericOptions::default().set_fast());
        let head = b.add_text_field("head", STORED);
        let chunk = b.add_u64_field("chunk", STORED);
        let record_offset = b.add_u64_field("record_offset", STORED);
        let record_len = b.add_u64_field("record_len", STORED);
        let record_crc = b.add_u64_field("record_crc", STORED);
        let text_fr_offset = b.add_u64_field("text_fr_offset", STORED);
        let text_fr_len = b.add_u64_field("text_fr_len", STORED);
        let text_en_offset = b.add_u64_field("text_en_offset", STORED);
        let text_en_len = b.add_u64_field("text_en_len", STORED);
        let paragraphs_fr = b.add_bytes_field("paragraphs_fr", STORED);
        let paragraphs_en = b.add_bytes_field("paragraphs_en", STORED);
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
            added,
            modified,
            fine,
            seq,
            head,
            chunk,
            record_offset,
            record_len,
            record_crc,
            text_fr_offset,
            text_fr_len,
            text_en_offset,
            text_en_len,
            paragraphs_fr,
            paragraphs_en,
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

    /// The tantivy document of `decision`, the `seq`-th decision the store added, stored `at`.
    /// Each text is analysed in its own language, and so is each summary.
    pub fn document(&self, decision: &Decision, seq: u64, at: Location) -> Result<TantivyDocument> {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &decision.id);
        doc.add_text(self.key, &decision.id);
        for alias in &decision.aliases {
            doc.add_text(self.key, alias);
        }
        for (language, text_field, summary_field, paragraphs) in [
            (Language::Fr, self.text_fr, self.summary_fr, self.paragraphs_fr),
            (Language::En, self.text_en, self.summary_en, self.paragraphs_en),
        ] {
            if let Some(reading) = decision.text_in(language) {
                doc.add_text(text_field, &reading.record.text);
                doc.add_text(self.text_exact, &reading.record.text);
            }
            let ours = match language {
                Language::Fr => &decision.summaries.fr,
                Language::En => &decision.summaries.en,
            };
            let theirs = decision.third_party_summaries.iter().filter(|s| s.language == language).map(|s| &s.text);
            // Ours first: a summary passage numbers its words from the field's first value.
            for summary in ours.iter().chain(theirs) {
                doc.add_text(summary_field, summary);
                doc.add_text(self.text_exact, summary);
            }
            let table = match passage_source(decision, language) {
                Some((source, text)) => {
                    let mut table = vec![source as u8];
                    table.extend(words::encode(&words::paragraphs(text)));
                    table
                }
                None => Vec::new(),
            };
            doc.add_bytes(paragraphs, &table);
        }
        if let Some(t) = &decision.title {
            let title = match crate::extract::detect_language(t) {
                Language::Fr => self.title_fr,
                Language::En => self.title_en,
            };
            doc.add_text(title, t);
            doc.add_text(self.text_exact, t);
        }
        let facts = &decision.facts;
        if let Some(r) = &facts.respondent {
            doc.add_text(self.respondent, r);
        }
        if let Some(n) = &facts.nature {
            doc.add_text(self.nature, n);
        }
        for b in &facts.breached {
            doc.add_text(self.breached, b);
        }
        if let Some(s) = &facts.sector {
            doc.add_text(self.sector, s);
        }
        for m in &facts.measures {
            doc.add_text(self.measures, serde_name(m)?);
        }
        if let Some(k) = facts.respondent_kind {
            doc.add_text(self.respondent_kind, serde_name(&k)?);
        }
        if let Some(y) = decision.year() {
            doc.add_text(self.year, y.to_string());
        }
        if let Some(d) = facts.date {
            doc.add_date(self.date, date_time(d));
        }
        if let Some(f) = facts.fine_eur {
            doc.add_u64(self.fine, f);
        }
        doc.add_date(self.added, instant(decision.added));
        doc.add_date(self.modified, instant(decision.modified));
        doc.add_u64(self.seq, seq);
        doc.add_text(self.head, serde_json::to_string(&Head::from(decision))?);
        doc.add_u64(self.chunk, u64::from(at.chunk));
        doc.add_u64(self.record_offset, at.offset);
        doc.add_u64(self.record_len, at.len);
        doc.add_u64(self.record_crc, u64::from(at.crc));
        doc.add_u64(self.text_fr_offset, at.fr.offset);
        doc.add_u64(self.text_fr_len, at.fr.len);
        doc.add_u64(self.text_en_offset, at.en.offset);
        doc.add_u64(self.text_en_len, at.en.len);
        Ok(doc)
    }

    /// Where the document `doc` says its decision lies.
    pub fn location(&self, doc: &TantivyDocument) -> Result<Location> {
        use tantivy::schema::Value;
        let number = |field| {
            doc.get_first(field).and_then(|v| v.as_u64()).ok_or_else(|| Error::Index("indexed document without its location".into()))
        };
        let small = |v: u64| u32::try_from(v).map_err(|_| Error::Index("stored location out of range".into()));
        Ok(Location {
            chunk: small(number(self.chunk)?)?,
            offset: number(self.record_offset)?,
            len: number(self.record_len)?,
            crc: small(number(self.record_crc)?)?,
            fr: TextAt { offset: number(self.text_fr_offset)?, len: number(self.text_fr_len)? },
            en: TextAt { offset: number(self.text_en_offset)?, len: number(self.text_en_len)? },
        })
    }
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

/// An instant as the index stores it: to the second, rounded down.
pub fn instant(t: chrono::DateTime<chrono::Utc>) -> DateTime {
    DateTime::from_timestamp_secs(t.timestamp())
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

/// Writes decisions into a tantivy index: a complete one into an empty directory
/// ([`Writer::create`]), or changes into a copy of an earlier generation's index
/// ([`Writer::update`]), whose segments stay as they are.
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
}

impl Writer {
    pub fn create(dir: &Path) -> Result<Writer> {
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
        Ok(Writer { writer, fields })
    }

    /// A writer over the index in `dir` for a change of a few decisions: one thread and a
    /// small arena, so that memory follows the change, not the store.
    pub fn update(dir: &Path) -> Result<Writer> {
        let index = Index::open_in_dir(dir)
            .map_err(|e| Error::Index(format!("cannot open index in {} for writing: {e}", dir.display()).to_lowercase()))?;
        analysis::register(index.tokenizers());
        let fields = Fields::of(&index.schema())?;
        let writer: IndexWriter = index.writer_with_num_threads(1, UPDATE_WRITER_MEMORY)?;
        Ok(Writer { writer, fields })
    }

    /// Adds `decision`, the `seq`-th the store added, found at `at`.
    pub fn add(&mut self, decision: &Decision, seq: u64, at: Location) -> Result<()> {
        self.writer.add_document(self.fields.document(decision, seq, at)?)?;
        Ok(())
    }

    /// Removes the decision `id`; documents added after this call are kept.
    pub fn delete(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Commits and waits for merges.
    pub fn finish(mut self) -> Result<()> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// The decisions of a built index by id or alias, for a writer that must find what it
/// changes. A manual reader: no watcher thread keeps the files mapped.
pub struct Lookup {
    searcher: tantivy::Searcher,
    fields: Fields,
}

impl Lookup {
    pub fn open(dir: &Path) -> Result<Lookup> {
        let (index, fields) = open(dir)?;
        let reader: tantivy::IndexReader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;
        Ok(Lookup { searcher: reader.searcher(), fields })
    }

    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// The decisions that go by `key` (an id, number or alias, any case), with their locations.
    pub fn find(&self, key: &str) -> Result<Vec<(String, Location)>> {
        let term = Term::from_field_text(self.fields.key, &key.trim().to_lowercase());
        let query = tantivy::query::TermQuery::new(term, IndexRecordOption::Basic);
        let found = self.searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        found.into_iter().map(|addr| self.entry(addr)).collect()
    }

    /// Every decision of the index with its location, in the order of its chunks.
    pub fn all(&self) -> Result<Vec<(String, Location)>> {
        let found = self.searcher.search(&tantivy::query::AllQuery, &tantivy::collector::DocSetCollector)?;
        let mut entries = found.into_iter().map(|addr| self.entry(addr)).collect::<Result<Vec<_>>>()?;
        entries.sort_by_key(|(_, at)| (at.chunk, at.offset));
        Ok(entries)
    }

    fn entry(&self, addr: tantivy::DocAddress) -> Result<(String, Location)> {
        use tantivy::schema::Value;
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let id = doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_str().map(String::from))
            .ok_or_else(|| Error::Index("indexed document without its id".into()))?;
        Ok((id, self.fields.location(&doc)?))
    }

}

/// Checks that the index in `dir` opens, holds `expected_docs` documents and that every
/// file's checksum is intact.
pub fn validate(dir: &Path, expected_docs: usize) -> Result<()> {
    validate_except(dir, expected_docs, &std::collections::HashSet::new())
}

/// As [`validate`], but the checksums of the files in `checked` (links to files an earlier
/// generation wrote and checked) are not read again.
pub fn validate_except(dir: &Path, expected_docs: usize, checked: &std::collections::HashSet<std::path::PathBuf>) -> Result<()> {
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
    for file in metas.list_segment_files().into_iter().filter(|f| !checked.contains(f)) {
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
    use crate::record::{reconcile, Measure, Reading, Record, Source, SourceFormat};

    fn source(format: SourceFormat, path: &str) -> Source {
        Source { format, path: path.into(), sha256: "0".repeat(64) }
    }

    /// Invented decisions: one read from a French original and its English translation, one
    /// from an English text.
    pub(crate) fn invented() -> Vec<Decision> {
        let original = Record {
            number: Some("SAN-2099-001".into()),
            nature: Some("Sanction".into()),
            date: chrono::NaiveDate::from_ymd_opt(2099, 3, 1),
            title: Some("Délibération SAN-2099-001 du 1er mars 2099 (inventée)".into()),
            language: Language::Fr,
            text: "La sécurité des données de santé n'était pas assurée.\n\nUne amende est prononcée.".into(),
            breached: vec!["GDPR:32".into(), "GDPR:33".into()],
            measures: vec![Measure::Fine],
            fine_eur: Some(10_000),
            sector: Some("Health Care".into()),
            source: source(SourceFormat::DilaXml, "a.xml"),
            ..Default::default()
        };
        let translation = Record {
            number: Some("SAN-2099-001".into()),
            language: Language::En,
            text: "The security of health data was not ensured (invented).".into(),
            source: source(SourceFormat::GdprhubHtml, "a.html"),
            ..Default::default()
        };
        let other = Record {
            number: Some("SAN-2098-002".into()),
            language: Language::En,
            text: "Cookies were placed without consent (invented).".into(),
            source: source(SourceFormat::Text, "b.txt"),
            ..Default::default()
        };
        let now = chrono::Utc::now();
        vec![
            reconcile(vec![Reading::of(original), Reading::of(translation)], None, now),
            reconcile(vec![Reading::of(other)], None, now),
        ]
    }

    fn build(decisions: &[Decision], dir: &Path) -> Result<()> {
        let mut writer = Writer::create(dir)?;
        for (seq, d) in decisions.iter().enumerate() {
            writer.add(d, seq as u64, Location::default())?;
        }
        writer.finish()
    }

    #[test]
    fn each_text_is_analysed_in_its_language() {
        let (_, fields) = Fields::schema();
        let d = &invented()[0];
        let doc = fields.document(d, 0, Location::default()).unwrap();
        let texts = |field| doc.get_all(field).filter_map(|v| tantivy::schema::Value::as_str(&v).map(String::from)).collect::<Vec<_>>();
        assert!(texts(fields.text_fr)[0].starts_with("La sécurité"));
        assert!(texts(fields.text_en)[0].starts_with("The security"));
        assert_eq!(texts(fields.title_fr).len(), 1, "a French title goes to the French field");
        let tables: Vec<u8> = doc.get_all(fields.paragraphs_en).filter_map(|v| tantivy::schema::Value::as_bytes(&v).map(|b| b[0])).collect();
        assert_eq!(tables, [PassageSource::Text as u8]);
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
