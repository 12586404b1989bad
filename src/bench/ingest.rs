//! Ingest measured: the synthetic records extracted on every core, the real sources, and
//! incremental changes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::index::store::Store;
use crate::{Error, Result};

use super::corpus;
use super::system::{files_and_bytes, proc_status_bytes};
use super::{Incremental, RealIngest};

/// Records of `source` extracted on every core, a batch at a time; the facts the generator
/// chose are put back afterwards (see [`corpus::Generated`]) so that both engines filter on the
/// same values.
pub(super) struct Extracted<I> {
    source: I,
    threads: usize,
    ready: std::vec::IntoIter<crate::record::Decision>,
}

/// Records per batch and thread: enough to amortise the thread start, few enough to keep
/// memory flat.
const EXTRACT_BATCH_PER_THREAD: usize = 32;

impl<I: Iterator<Item = crate::Record>> Extracted<I> {
    pub(super) fn new(source: I, threads: usize) -> Self {
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
                                let generated = corpus::Generated::of(r);
                                crate::extract::fill(r);
                                generated.restore(r);
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
pub(super) struct Timed<'a, I> {
    pub(super) inner: I,
    pub(super) spent: &'a mut Duration,
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
pub(super) fn ingest_real_sources(data_dir: &Path, store_dir: &Path) -> Result<RealIngest> {
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

pub(super) fn measure_incremental(data_dir: &Path, store_dir: &Path, empty_dir: &Path) -> Result<Incremental> {
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
