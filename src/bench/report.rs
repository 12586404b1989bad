//! What a run measured, and the table the command prints of it.

use std::time::Duration;

use serde::Serialize;

use super::queries::Class;

/// The queries of a run measured again on its store ([`super::run_queries`]).
#[derive(Debug, Clone, Serialize)]
pub struct QueryReport {
    pub decisions: u64,
    pub reps: usize,
    pub open_ms: f64,
    pub classes: Vec<ClassReport>,
    pub load_start: f64,
    pub load_end: f64,
    pub ratio_p50: f64,
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
    /// The same repeated queries, run back to back with no FTS5 run between them: the engine's
    /// own tail, apart from the caches the peer's runs evict.
    pub recueil_alone: Latency,
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
    pub(super) fn of(samples: &mut [Duration]) -> Latency {
        samples.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let at = |q: f64| ms(samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1]);
        let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
        Latency { p50_ms: at(0.50), p99_ms: at(0.99), mean_ms: mean }
    }
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
    s.push_str(&classes_table(&r.classes, r.ratio_p50));
    s
}

/// What [`super::run_queries`] measured, printed like the query part of [`render`].
pub fn render_queries(r: &QueryReport) -> String {
    let mut s = format!(
        "recueil bench --queries-only: {} decisions in the store, {} timed runs per query, open {:.1} ms\nload     {:.2} at start, {:.2} at end (1-minute average)\n\n",
        r.decisions, r.reps, r.open_ms, r.load_start, r.load_end
    );
    s.push_str(&classes_table(&r.classes, r.ratio_p50));
    s
}

/// One line per query class, then the ratio.
fn classes_table(classes: &[ClassReport], ratio_p50: f64) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{:<32} {:>7} {:>11} {:>11} {:>10} {:>10} {:>10} {:>10} {:>10} {:>7} {:>14}\n",
        "query class",
        "samples",
        "recueil p50",
        "recueil p99",
        "alone p99",
        "cold p50",
        "cold max",
        "fts5 p50",
        "fts5 p99",
        "ratio",
        "hits r / fts5"
    ));
    for c in classes {
        s.push_str(&format!(
            "{:<32} {:>7} {:>8.3} ms {:>8.3} ms {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>6.1}x {:>6.0} / {:<6.0}\n",
            c.label,
            c.samples,
            c.recueil.p50_ms,
            c.recueil.p99_ms,
            c.recueil_alone.p99_ms,
            c.recueil_cold.p50_ms,
            c.recueil_cold.p99_ms,
            c.sqlite.p50_ms,
            c.sqlite.p99_ms,
            c.ratio_p50,
            c.recueil_mean_total,
            c.sqlite_mean_total
        ));
    }
    s.push_str(&format!("ratio sqlite/recueil p50 = {ratio_p50:.1} (geometric mean over the six single-shape classes)\n"));
    s
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

}
