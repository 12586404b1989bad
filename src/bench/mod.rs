//! `recueil bench`: a synthetic corpus at scale, ingest and search measured in one process,
//! and the same queries on SQLite FTS5 over the same documents.
//!
//! One run: load the same generated records into SQLite FTS5 (the generator's own time is
//! measured there) → generate them again, extract each through [`crate::extract::fill`] and
//! commit them through the real [`Store`], streaming (timed: that is ingest, with generation
//! standing in for source parsing) → open the [`Engine`] (timed) → run every query of
//! [`queries::all`] on both engines, interleaved, and keep p50/p99 per class. No step holds
//! the corpus: 100k decisions are 3 GB of text.

pub mod corpus;
pub mod queries;
pub mod sqlite;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::index::store::Store;
use crate::search::{Engine, SearchRequest, SortBy};
use crate::{Error, Result};

use queries::Class;

/// Largest corpus the command accepts: 100k decisions already hold about 3 GB of text.
pub const MAX_DOCS: usize = 200_000;

#[derive(Debug, Clone)]
pub struct Options {
    pub docs: usize,
    pub seed: u64,
    /// `../shared/data` or a copy: where the real paragraphs are read.
    pub data_dir: PathBuf,
    /// An empty or missing directory: the store is written there (and can then be served),
    /// the SQLite database beside the generations under `bench/`.
    pub work_dir: PathBuf,
    /// Timed runs of each query on each engine; `None` picks fewer at larger scales.
    pub reps: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub docs: usize,
    pub seed: u64,
    pub cores: usize,
    /// Source paragraphs the corpus was recombined from, French and English.
    pub paragraphs_fr: usize,
    pub paragraphs_en: usize,
    pub corpus_bytes: u64,
    /// Time spent making the synthetic records (measured on the SQLite pass).
    pub generate_s: f64,
    /// Generation, extraction and `Store::rebuild` (decision chunks, tantivy build,
    /// validation, fsync and switch), streaming on every core.
    pub ingest_s: f64,
    /// CPU time (user + system, all threads) of that: unlike wall time it does not grow when
    /// other processes take the cores.
    pub ingest_cpu_s: f64,
    pub ingest_mb_s: f64,
    /// The same rate without the generator's time: what parse-free ingest costs.
    pub ingest_net_mb_s: f64,
    pub ingest_docs_s: f64,
    /// `ingest_paths` over the real sources (GDPRhub HTML and the DILA XML tree): parsing
    /// included, at the small scale the data directory allows.
    pub real_ingest: RealIngest,
    /// Incremental ingest: what one more source costs once the store holds the corpus.
    pub incremental: Incremental,
    /// The current generation on disk, and the tantivy part of it.
    pub generation_bytes: u64,
    pub tantivy_bytes: u64,
    pub open_ms: f64,
    pub sqlite_build_s: f64,
    pub sqlite_bytes: u64,
    pub reps: usize,
    pub classes: Vec<ClassReport>,
    /// Resident memory once the corpus is dropped and the engine is open, at the end of the
    /// query runs, and the peak of the whole process (reached while ingesting).
    pub rss_open_bytes: u64,
    pub rss_end_bytes: u64,
    pub rss_peak_bytes: u64,
    /// One-minute load average when the run started and when it ended: other processes on
    /// the machine compete for its cores and show up here.
    pub load_start: f64,
    pub load_end: f64,
    /// Geometric mean of SQLite's p50 over recueil's, over the six classes of single shapes
    /// (the figure earlier runs reported; the mixed set has its own row).
    pub ratio_p50: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RealIngest {
    pub files: usize,
    pub source_bytes: u64,
    pub records: usize,
    pub secs: f64,
    pub mb_s: f64,
}

/// One GDPRhub page ingested into the store of `docs` decisions, and every GDPRhub page into
/// an empty store: wall time, and the memory each took at its peak above what the process held.
#[derive(Debug, Clone, Serialize)]
pub struct Incremental {
    pub one_into_store_s: f64,
    pub one_into_store_peak_bytes: u64,
    pub pages: usize,
    pub pages_into_empty_s: f64,
    pub pages_into_empty_peak_bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassReport {
    pub class: Class,
    pub label: &'static str,
    pub queries: usize,
    pub samples: usize,
    /// Repeated queries: the words and phrases come from the clause cache.
    pub recueil: Latency,
    /// The first run of each query, every cache empty (one sample per query).
    pub recueil_cold: Latency,
    pub sqlite: Latency,
    pub ratio_p50: f64,
    /// Mean total hits per query: the engines agree up to stemming (recueil stems, FTS5
    /// only folds accents), which this makes visible.
    pub recueil_mean_total: f64,
    pub sqlite_mean_total: f64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
}

impl Latency {
    fn of(samples: &mut [Duration]) -> Latency {
        samples.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let at = |q: f64| ms(samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1]);
        let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
        Latency { p50_ms: at(0.50), p99_ms: at(0.99), mean_ms: mean }
    }
}

pub fn run(opts: &Options) -> Result<Report> {
    if opts.docs == 0 || opts.docs > MAX_DOCS {
        return Err(Error::InvalidParameter { name: "docs", reason: format!("must be 1..={MAX_DOCS}") });
    }
    ensure_empty(&opts.work_dir)?;
    let load_start = load_average()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let pool = corpus::ParagraphPool::load(&opts.data_dir)?;
    let bench_dir = opts.work_dir.join("bench");
    std::fs::create_dir_all(&bench_dir).map_err(|e| Error::io(&bench_dir, e))?;
    write_http_paths(&bench_dir.join(HTTP_PATHS))?;
    let mut generate_time = Duration::ZERO;
    let mut corpus_bytes = 0u64;
    let timed = corpus::generate(&pool, opts.docs, opts.seed).inspect(|r| corpus_bytes += r.text.len() as u64);
    let t = Instant::now();
    let fts = sqlite::Fts5::build(&bench_dir.join("fts5.sqlite"), Timed { inner: timed, spent: &mut generate_time })?;
    let sqlite_build_s = t.elapsed().as_secs_f64() - generate_time.as_secs_f64();
    let generate_s = generate_time.as_secs_f64();
    eprintln!(
        "bench: {} synthetic decisions, {:.1} MB of text, generated in {generate_s:.1} s; \
         sqlite fts5 built in {sqlite_build_s:.1} s",
        opts.docs,
        corpus_bytes as f64 / 1e6
    );

    let real_ingest = ingest_real_sources(&opts.data_dir, &bench_dir.join("real-sources"))?;

    let store = Store::open(&opts.work_dir)?;
    let (t, cpu) = (Instant::now(), cpu_seconds()?);
    let generation = store.rebuild(Extracted::new(corpus::generate(&pool, opts.docs, opts.seed), cores))?;
    let ingest_s = t.elapsed().as_secs_f64();
    let ingest_cpu_s = cpu_seconds()? - cpu;
    eprintln!("bench: generated, extracted and committed in {ingest_s:.1} s");
    let generation_bytes = dir_size(&generation.dir)?;
    let tantivy_bytes = dir_size(&generation.dir.join("tantivy"))?;

    // Read before the incremental runs reset the kernel's peak.
    let rss_peak_bytes = proc_status_bytes("VmHWM")?;
    let incremental = measure_incremental(&opts.data_dir, &opts.work_dir, &bench_dir.join("pages-only"))?;
    eprintln!(
        "bench: one page into the store in {:.2} s ({:.0} MB peak); {} pages into an empty store in {:.2} s",
        incremental.one_into_store_s,
        incremental.one_into_store_peak_bytes as f64 / 1e6,
        incremental.pages,
        incremental.pages_into_empty_s
    );

    let t = Instant::now();
    let engine = Engine::open(&opts.work_dir)?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let rss_open_bytes = proc_status_bytes("VmRSS")?;

    let reps = opts.reps.unwrap_or((200_000 / opts.docs).clamp(5, 25));
    let classes = measure_queries(&engine, &fts, reps)?;
    let ratio_p50 = geometric_mean(classes.iter().filter(|c| c.class != Class::Mixed).map(|c| c.ratio_p50));

    Ok(Report {
        docs: opts.docs,
        seed: opts.seed,
        cores,
        paragraphs_fr: pool.by_language().0,
        paragraphs_en: pool.by_language().1,
        corpus_bytes,
        generate_s,
        ingest_s,
        ingest_cpu_s,
        ingest_mb_s: corpus_bytes as f64 / 1e6 / ingest_s,
        ingest_net_mb_s: corpus_bytes as f64 / 1e6 / (ingest_s - generate_s),
        ingest_docs_s: opts.docs as f64 / ingest_s,
        real_ingest,
        incremental,
        generation_bytes,
        tantivy_bytes,
        open_ms,
        sqlite_build_s,
        sqlite_bytes: fts.size_bytes()?,
        reps,
        classes,
        rss_open_bytes,
        rss_end_bytes: proc_status_bytes("VmRSS")?,
        rss_peak_bytes: rss_peak_bytes.max(proc_status_bytes("VmHWM")?),
        load_start,
        load_end: load_average()?,
        ratio_p50,
    })
}

/// The file under `<index-dir>/bench/` that lists the mixed set as API paths, one a line, for
/// `scripts/http-load.sh`.
pub const HTTP_PATHS: &str = "http-paths.txt";

fn write_http_paths(path: &Path) -> Result<()> {
    let paths: String = queries::all()
        .iter()
        .filter(|q| q.class == Class::Mixed)
        .map(|q| queries::api_path(q) + "\n")
        .collect();
    std::fs::write(path, paths).map_err(|e| Error::io(path, e))
}

fn geometric_mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x.ln(), n + 1));
    (sum / n.max(1) as f64).exp()
}

/// Records of `source` extracted on every core, a batch at a time; the facts the generator
/// chose are put back afterwards (see [`corpus::Facts`]) so that both engines filter on the
/// same values.
struct Extracted<I> {
    source: I,
    threads: usize,
    ready: std::vec::IntoIter<crate::record::Decision>,
}

/// Records per batch and thread: enough to amortise the thread start, few enough to keep
/// memory flat.
const EXTRACT_BATCH_PER_THREAD: usize = 32;

impl<I: Iterator<Item = crate::Record>> Extracted<I> {
    fn new(source: I, threads: usize) -> Self {
        Extracted { source, threads: threads.max(1), ready: Vec::new().into_iter() }
    }
}

impl<I: Iterator<Item = crate::Record>> Iterator for Extracted<I> {
    type Item = Result<crate::record::Decision>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(r) = self.ready.next() {
            return Some(Ok(r));
        }
        let mut batch: Vec<crate::Record> =
            self.source.by_ref().take(self.threads * EXTRACT_BATCH_PER_THREAD).collect();
        let chunk = batch.len().div_ceil(self.threads).max(1);
        let now = chrono::Utc::now();
        let decisions: Vec<crate::record::Decision> = std::thread::scope(|s| {
            let parts: Vec<_> = batch
                .chunks_mut(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter_mut()
                            .map(|r| {
                                let facts = corpus::Facts::of(r);
                                crate::extract::fill(r);
                                facts.restore(r);
                                crate::record::reconcile(vec![crate::record::Reading::of(std::mem::take(r))], None, now)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            parts.into_iter().flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        self.ready = decisions.into_iter();
        self.ready.next().map(Ok)
    }
}

/// Adds the time spent in `inner.next()` to `spent`.
struct Timed<'a, I> {
    inner: I,
    spent: &'a mut Duration,
}

impl<I: Iterator> Iterator for Timed<'_, I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        let t = Instant::now();
        let item = self.inner.next();
        *self.spent += t.elapsed();
        item
    }
}

/// The real sources through the whole ingest path, into a store of their own.
fn ingest_real_sources(data_dir: &Path, store_dir: &Path) -> Result<RealIngest> {
    let inputs = [data_dir.join("gdprhub"), data_dir.join("dila/tree")];
    let (mut files, mut source_bytes) = (0, 0);
    for input in &inputs {
        let (f, b) = files_and_bytes(input)?;
        files += f;
        source_bytes += b;
    }
    let store = Store::open(store_dir)?;
    let t = Instant::now();
    let report = crate::ingest::ingest_paths(&store, &inputs)?;
    let secs = t.elapsed().as_secs_f64();
    Ok(RealIngest { files, source_bytes, records: report.ingested, secs, mb_s: source_bytes as f64 / 1e6 / secs })
}

fn measure_incremental(data_dir: &Path, store_dir: &Path, empty_dir: &Path) -> Result<Incremental> {
    let pages_dir = data_dir.join("gdprhub");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&pages_dir)
        .map_err(|e| Error::io(&pages_dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    let one = pages.first().ok_or_else(|| Error::Index(format!("no GDPRhub page in {}", pages_dir.display())))?;
    let (one_into_store_s, one_into_store_peak_bytes) = measured_ingest(store_dir, std::slice::from_ref(one))?;
    let (pages_into_empty_s, pages_into_empty_peak_bytes) = measured_ingest(empty_dir, &[pages_dir])?;
    Ok(Incremental { one_into_store_s, one_into_store_peak_bytes, pages: pages.len(), pages_into_empty_s, pages_into_empty_peak_bytes })
}

/// Ingests `inputs` into `index_dir`: the wall time, and how far the process's resident
/// memory peaked above what it held before (the kernel's peak is reset first, through
/// `/proc/self/clear_refs`).
fn measured_ingest(index_dir: &Path, inputs: &[PathBuf]) -> Result<(f64, u64)> {
    std::fs::write("/proc/self/clear_refs", "5").map_err(|e| Error::io("/proc/self/clear_refs", e))?;
    let before = proc_status_bytes("VmRSS")?;
    let t = Instant::now();
    crate::ingest::ingest_paths(&Store::open(index_dir)?, inputs)?;
    let secs = t.elapsed().as_secs_f64();
    Ok((secs, proc_status_bytes("VmHWM")?.saturating_sub(before)))
}

fn measure_queries(engine: &Engine, fts: &sqlite::Fts5, reps: usize) -> Result<Vec<ClassReport>> {
    let all = queries::all();
    let mut out = Vec::new();
    for class in Class::ALL {
        let qs: Vec<_> = all.iter().filter(|q| q.class == class).collect();
        let (mut ours, mut theirs, mut cold) = (Vec::new(), Vec::new(), Vec::new());
        let (mut our_total, mut their_total) = (0usize, 0usize);
        for q in &qs {
            let req = SearchRequest {
                query: q.recueil(),
                sort: SortBy::Relevance,
                limit: 10,
                snippets: class.snippets(),
                ..SearchRequest::default()
            };
            // A first run each: recueil's with its caches emptied (timed: what a query never seen
            // in this generation costs), SQLite's untimed, to fault its pages in.
            engine.clear_caches();
            let t = Instant::now();
            our_total += engine.answer(&req)?.total;
            cold.push(t.elapsed());
            their_total += fts.search(q)?.total;
            // Interleaved so that both engines see the same machine load. Recueil's runs skip
            // its response cache (a repeated request would cost a copy) but keep the clauses.
            for _ in 0..reps {
                let t = Instant::now();
                std::hint::black_box(engine.answer(&req)?);
                ours.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(fts.search(q)?);
                theirs.push(t.elapsed());
            }
        }
        let (recueil, sqlite, recueil_cold) = (Latency::of(&mut ours), Latency::of(&mut theirs), Latency::of(&mut cold));
        out.push(ClassReport {
            class,
            label: class.label(),
            queries: qs.len(),
            samples: ours.len(),
            recueil,
            recueil_cold,
            sqlite,
            ratio_p50: sqlite.p50_ms / recueil.p50_ms.max(1e-6),
            recueil_mean_total: our_total as f64 / qs.len() as f64,
            sqlite_mean_total: their_total as f64 / qs.len() as f64,
        });
        eprintln!("bench: {} done", class.label());
    }
    Ok(out)
}

/// The report as the table the command prints, ending with the `ratio sqlite/recueil` line.
pub fn render(r: &Report) -> String {
    let mb = |b: u64| b as f64 / 1e6;
    let mut s = String::new();
    s.push_str(&format!(
        "recueil bench: {} synthetic decisions ({:.1} MB of text from {} French and {} English real paragraphs, seed {}), {} cores\n",
        r.docs,
        mb(r.corpus_bytes),
        r.paragraphs_fr,
        r.paragraphs_en,
        r.seed,
        r.cores
    ));
    s.push_str(&format!(
        "ingest   generate + extract + store commit, streaming: {:.1} s = {:.1} MB/s, {:.0} docs/s; {:.1} MB/s without the generator's {:.1} s\n",
        r.ingest_s, r.ingest_mb_s, r.ingest_docs_s, r.ingest_net_mb_s, r.generate_s
    ));
    s.push_str(&format!(
        "cpu      {:.1} s of CPU for that = {:.1} MB per CPU-second\n",
        r.ingest_cpu_s,
        mb(r.corpus_bytes) / r.ingest_cpu_s.max(1e-3)
    ));
    s.push_str(&format!(
        "incremental one GDPRhub page into the {}-decision store: {:.2} s, {:.0} MB at peak; all {} pages into an empty store: {:.2} s, {:.0} MB at peak (time ratio {:.2})\n",
        r.docs,
        r.incremental.one_into_store_s,
        mb(r.incremental.one_into_store_peak_bytes),
        r.incremental.pages,
        r.incremental.pages_into_empty_s,
        mb(r.incremental.pages_into_empty_peak_bytes),
        r.incremental.one_into_store_s / r.incremental.pages_into_empty_s.max(1e-3)
    ));
    s.push_str(&format!(
        "real     ingest_paths over {} real source files ({:.1} MB, parsing included): {} records, {:.2} s = {:.1} MB/s\n",
        r.real_ingest.files,
        mb(r.real_ingest.source_bytes),
        r.real_ingest.records,
        r.real_ingest.secs,
        r.real_ingest.mb_s
    ));
    s.push_str(&format!(
        "index    {:.1} MB on disk (tantivy {:.1} MB), open {:.1} ms\n",
        mb(r.generation_bytes),
        mb(r.tantivy_bytes),
        r.open_ms
    ));
    s.push_str(&format!(
        "rss      {:.0} MB after open, {:.0} MB after queries, peak {:.0} MB (during ingest)\n",
        mb(r.rss_open_bytes),
        mb(r.rss_end_bytes),
        mb(r.rss_peak_bytes)
    ));
    s.push_str(&format!("sqlite   fts5 built in {:.1} s, {:.1} MB\n", r.sqlite_build_s, mb(r.sqlite_bytes)));
    s.push_str(&format!("load     {:.2} at start, {:.2} at end (1-minute average)\n\n", r.load_start, r.load_end));
    s.push_str(&format!(
        "{:<32} {:>7} {:>11} {:>11} {:>10} {:>10} {:>10} {:>10} {:>7} {:>14}\n",
        "query class",
        "samples",
        "recueil p50",
        "recueil p99",
        "cold p50",
        "cold max",
        "fts5 p50",
        "fts5 p99",
        "ratio",
        "hits r / fts5"
    ));
    for c in &r.classes {
        s.push_str(&format!(
            "{:<32} {:>7} {:>8.3} ms {:>8.3} ms {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>6.1}x {:>6.0} / {:<6.0}\n",
            c.label,
            c.samples,
            c.recueil.p50_ms,
            c.recueil.p99_ms,
            c.recueil_cold.p50_ms,
            c.recueil_cold.p99_ms,
            c.sqlite.p50_ms,
            c.sqlite.p99_ms,
            c.ratio_p50,
            c.recueil_mean_total,
            c.sqlite_mean_total
        ));
    }
    s.push_str(&format!("ratio sqlite/recueil p50 = {:.1} (geometric mean over the six single-shape classes)\n", r.ratio_p50));
    s
}

fn ensure_empty(dir: &Path) -> Result<()> {
    let mut entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    if entries.next().is_some() {
        return Err(Error::InvalidParameter {
            name: "index-dir",
            reason: format!("{} is not empty; the benchmark writes a fresh store there", dir.display()),
        });
    }
    Ok(())
}

fn dir_size(dir: &Path) -> Result<u64> {
    Ok(files_and_bytes(dir)?.1)
}

/// Files under `dir` (recursively) and their total size.
fn files_and_bytes(dir: &Path) -> Result<(usize, u64)> {
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let meta = entry.metadata().map_err(|e| Error::io(entry.path(), e))?;
        if meta.is_dir() {
            let (f, b) = files_and_bytes(&entry.path())?;
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += meta.len();
        }
    }
    Ok((files, bytes))
}

/// User + system CPU time of the whole process (every thread), from `/proc/self/stat`,
/// whose times are in USER_HZ ticks, 100 per second on Linux whatever the kernel's HZ.
fn cpu_seconds() -> Result<f64> {
    let path = Path::new("/proc/self/stat");
    let stat = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    // The command name (field 2) may hold spaces; the fields after its ')' are 3, 4, … so
    // utime (14) and stime (15) are the 12th and 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
    match (tick(11), tick(12)) {
        (Some(user), Some(system)) => Ok((user + system) as f64 / 100.0),
        _ => Err(Error::NotFound("utime and stime in /proc/self/stat".into())),
    }
}

fn load_average() -> Result<f64> {
    let path = Path::new("/proc/loadavg");
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Error::NotFound("load average in /proc/loadavg".into()))
}

/// A `kB` line of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes.
fn proc_status_bytes(key: &str) -> Result<u64> {
    let path = Path::new("/proc/self/status");
    let status = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .ok_or_else(|| Error::NotFound(format!("{key} in /proc/self/status")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut s: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        s.reverse();
        let l = Latency::of(&mut s);
        assert_eq!((l.p50_ms, l.p99_ms), (50.0, 99.0));
        let l = Latency::of(&mut [Duration::from_millis(3)]);
        assert_eq!((l.p50_ms, l.p99_ms), (3.0, 3.0));
    }

    #[test]
    fn geometric_mean_of_ratios() {
        assert!((geometric_mean([2.0, 8.0].into_iter()) - 4.0).abs() < 1e-9);
    }

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

    #[test]
    fn reads_its_own_resident_memory() {
        let rss = proc_status_bytes("VmRSS").unwrap();
        assert!(rss > 1 << 20 && rss <= proc_status_bytes("VmHWM").unwrap());
    }

    #[test]
    fn counts_its_own_cpu_time() {
        // Spin until the process has used 50 ms of CPU; on a loaded machine that takes longer
        // than 50 ms of wall time, never 10 s.
        let before = cpu_seconds().unwrap();
        let t = Instant::now();
        let mut x = 0u64;
        while cpu_seconds().unwrap() - before < 0.05 {
            assert!(t.elapsed() < Duration::from_secs(10), "cpu time does not grow");
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
        assert!(cpu_seconds().unwrap() - before < 10.0);
    }

    #[test]
    fn refuses_a_directory_that_holds_something() {
        let dir = tempfile::tempdir().unwrap();
        assert!(ensure_empty(dir.path()).is_ok());
        assert!(ensure_empty(&dir.path().join("missing")).is_ok());
        std::fs::write(dir.path().join("CURRENT"), "gen-1").unwrap();
        assert!(ensure_empty(dir.path()).is_err());
    }
}
