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
mod http_paths;
mod ingest;
mod measure;
pub mod queries;
mod report;
pub mod sqlite;
mod system;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::index::store::Store;
use crate::search::Engine;
use crate::{Error, Result};

use queries::Class;
use http_paths::write_http_paths;
use ingest::{ingest_real_sources, measure_incremental, Extracted, Timed};
use measure::{geometric_mean, measure_queries};
use system::{cpu_seconds, dir_size, ensure_empty, load_average, proc_status_bytes};

pub use http_paths::HTTP_PATHS;
pub use report::{render, render_queries, ClassReport, Incremental, Latency, QueryReport, RealIngest, Report};

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

    let reps = default_reps(opts);
    let classes = measure_queries(&engine, &fts, reps)?;
    let ratio_p50 = ratio_of(&classes);

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

/// The queries alone, again, on the store and the FTS5 database a previous [`run`] left in
/// `opts.work_dir`: what a change to search costs, without generating and ingesting again.
/// `opts.docs` must be the size of that run (it picks the default `reps`).
pub fn run_queries(opts: &Options) -> Result<QueryReport> {
    let fts = sqlite::Fts5::open(&opts.work_dir.join("bench").join("fts5.sqlite"))?;
    let load_start = load_average()?;
    let t = Instant::now();
    let engine = Engine::open(&opts.work_dir)?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let reps = default_reps(opts);
    let classes = measure_queries(&engine, &fts, reps)?;
    Ok(QueryReport {
        decisions: engine.stats()?.total,
        reps,
        open_ms,
        ratio_p50: ratio_of(&classes),
        classes,
        load_start,
        load_end: load_average()?,
    })
}

fn default_reps(opts: &Options) -> usize {
    opts.reps.unwrap_or((200_000 / opts.docs.max(1)).clamp(5, 25))
}

/// The geometric mean of the per-class p50 ratios over the six single-shape classes.
fn ratio_of(classes: &[ClassReport]) -> f64 {
    geometric_mean(classes.iter().filter(|c| c.class != Class::Mixed).map(|c| c.ratio_p50))
}
