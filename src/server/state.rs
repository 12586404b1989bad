//! The shared state of the server: the engine behind an `ArcSwap` (swapped when the store's
//! `CURRENT` moves), the pools that bound blocking work (engine calls, page rendering, the
//! readiness probe), and the metrics.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;

use crate::record::Decision;
use crate::search::{Engine, Hit, SearchRequest, SearchResponse, Stats};
use crate::Result;

use super::metrics::Metrics;
use super::pool::{Permit, Pool};
use super::render::SummaryCache;

/// What the server needs from a searcher. [`Engine`] is the production implementation; the
/// trait exists so that tests can put a deliberately slow or failing searcher behind the
/// real routes and layers (load shedding and timeouts cannot be tested deterministically
/// otherwise).
pub trait Backend: Send + Sync + 'static {
    fn search(&self, req: &SearchRequest) -> Result<SearchResponse>;
    fn get(&self, id_or_number: &str) -> Result<Option<Decision>>;
    fn similar(&self, id: &str, limit: usize) -> Result<Vec<Hit>>;
    fn stats(&self) -> Result<Stats>;
    fn generation(&self) -> u64;
}

impl Backend for Engine {
    fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        Engine::search(self, req)
    }
    fn get(&self, id_or_number: &str) -> Result<Option<Decision>> {
        Engine::get(self, id_or_number)
    }
    fn similar(&self, id: &str, limit: usize) -> Result<Vec<Hit>> {
        Engine::similar(self, id, limit)
    }
    fn stats(&self) -> Result<Stats> {
        Engine::stats(self)
    }
    fn generation(&self) -> u64 {
        Engine::generation(self)
    }
}

/// Opens a backend over the current generation (called at start and after `CURRENT` moves).
pub type Opener = Arc<dyn Fn() -> Result<Arc<dyn Backend>> + Send + Sync>;

/// Limits of the service; [`Limits::default`] holds the production values of
/// engineering.md §3, tests shrink them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Engine calls running at once (one blocking thread each).
    pub engine_concurrency: usize,
    /// Engine calls allowed to wait for a permit; beyond, 503 + Retry-After.
    pub engine_queue: usize,
    /// Heavy pages (a decision's whole text) rendered at once, and waiting to be: each holds
    /// its record in memory, so this bounds memory as well as threads.
    pub render_concurrency: usize,
    pub render_queue: usize,
    /// Requests in flight in the whole service; beyond, load shedding answers 503.
    pub max_in_flight: usize,
    pub request_timeout: Duration,
    pub header_read_timeout: Duration,
    /// Longest a response write may stall (a client that stopped reading).
    pub write_timeout: Duration,
    /// Connections open at once, at most; lowered to fit the descriptor limit.
    pub max_connections: usize,
    pub shutdown_grace: Duration,
    pub body_limit: usize,
    /// How often `CURRENT` is polled for a new generation.
    pub reload_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Limits {
            engine_concurrency: cores,
            // Measured by the probe: 256 connections against a queue of 64 got 95 % 503; with
            // 512, every request was served, p99 146 ms. It matches `max_in_flight`, so the
            // queue refuses only what load shedding would.
            engine_queue: 512,
            render_concurrency: cores,
            render_queue: 64,
            max_in_flight: 512,
            request_timeout: Duration::from_secs(5),
            header_read_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            max_connections: 10_000,
            // Leaves room under the 30 s shutdown bound for closing what remains after it.
            shutdown_grace: Duration::from_secs(25),
            body_limit: 64 * 1024,
            reload_interval: Duration::from_secs(2),
        }
    }
}

struct Current {
    backend: Arc<dyn Backend>,
    /// Contents of `<index-dir>/CURRENT` when `backend` was opened.
    stamp: Option<Vec<u8>>,
}

pub struct AppState {
    current: ArcSwap<Current>,
    opener: Opener,
    index_dir: Option<PathBuf>,
    engine: Pool,
    render: Pool,
    /// `/readyz` runs here, never behind searches; one probe at a time.
    probe: Pool,
    /// Sanitised summaries, each computed once.
    pub summaries: Arc<SummaryCache>,
    pub limits: Limits,
    pub metrics: Metrics,
}

impl AppState {
    /// State over the index directory of a store: opens the engine now, and later reopens it
    /// whenever `<index_dir>/CURRENT` changes (see [`AppState::spawn_reloader`]).
    pub fn for_index_dir(index_dir: PathBuf, limits: Limits) -> Result<Arc<AppState>> {
        let dir = index_dir.clone();
        let opener: Opener = Arc::new(move || Ok(Arc::new(Engine::open(&dir)?) as Arc<dyn Backend>));
        AppState::new(opener, Some(index_dir), limits)
    }

    /// State over any backend; `index_dir`, when given, is watched for generation switches.
    pub fn new(opener: Opener, index_dir: Option<PathBuf>, limits: Limits) -> Result<Arc<AppState>> {
        let stamp = index_dir.as_deref().and_then(read_stamp);
        let backend = opener()?;
        let metrics = Metrics::default();
        metrics.generation.store(backend.generation(), Ordering::Relaxed);
        Ok(Arc::new(AppState {
            current: ArcSwap::from_pointee(Current { backend, stamp }),
            opener,
            index_dir,
            engine: Pool::new("searches", limits.engine_concurrency, limits.engine_queue),
            render: Pool::new("pages", limits.render_concurrency, limits.render_queue),
            probe: Pool::new("probes", 1, usize::MAX),
            summaries: Arc::default(),
            limits,
            metrics,
        }))
    }

    /// The index directory this state serves, when it serves one.
    pub fn index_dir(&self) -> Option<&std::path::Path> {
        self.index_dir.as_deref()
    }

    pub fn generation(&self) -> u64 {
        self.current.load().backend.generation()
    }

    /// The backend serving now. A series of calls that must see one generation (an export's
    /// pages, whose cursors a switch would expire) keeps it and goes through
    /// [`AppState::call_on`].
    pub fn backend(&self) -> Arc<dyn Backend> {
        self.current.load().backend.clone()
    }

    /// Runs `f` on the current backend in `spawn_blocking`, at most `engine_concurrency` at
    /// once; when `engine_queue` calls already wait, fails fast with `Overloaded` (503).
    pub async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T> + Send + 'static,
    {
        let permit = self.engine_permit().await?;
        self.on_backend(permit, self.backend(), f).await
    }

    /// As [`AppState::call`], on `backend` whatever the current one is.
    pub async fn call_on<T, F>(&self, backend: Arc<dyn Backend>, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T> + Send + 'static,
    {
        let permit = self.engine_permit().await?;
        self.on_backend(permit, backend, f).await
    }

    async fn engine_permit(&self) -> Result<Permit> {
        self.engine.permit().await.inspect_err(|_| {
            self.metrics.engine_rejected.fetch_add(1, Ordering::Relaxed);
        })
    }

    /// Runs `f` on the backend outside the engine queue, one probe at a time: readiness must
    /// not wait behind searches, nor pile up.
    pub async fn probe<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T> + Send + 'static,
    {
        let permit = self.probe.permit().await?;
        self.on_backend(permit, self.backend(), f).await
    }

    async fn on_backend<T, F>(&self, permit: Permit, backend: Arc<dyn Backend>, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T> + Send + 'static,
    {
        self.metrics.engine_calls.fetch_add(1, Ordering::Relaxed);
        permit.run(move || f(backend.as_ref())).await
    }

    /// A place in the render pool: taken before a heavy page fetches its record, so that at
    /// most `render_concurrency` such records are in memory, and used to render it off the
    /// async workers ([`Permit::run`]).
    pub async fn render_permit(&self) -> Result<Permit> {
        self.render.permit().await
    }

    /// Reopens the backend if `CURRENT` changed since the last open. A failed reopen keeps
    /// serving the old generation (its files stay readable through the open mmaps).
    pub async fn reload_if_moved(self: &Arc<Self>) {
        let Some(dir) = self.index_dir.clone() else { return };
        let stamp = tokio::task::spawn_blocking(move || read_stamp(&dir)).await.ok().flatten();
        if stamp.is_none() || stamp == self.current.load().stamp {
            return;
        }
        let opener = self.opener.clone();
        match tokio::task::spawn_blocking(move || opener()).await {
            Ok(Ok(backend)) => {
                self.metrics.generation.store(backend.generation(), Ordering::Relaxed);
                self.metrics.reloads.fetch_add(1, Ordering::Relaxed);
                tracing::info!(generation = backend.generation(), "switched to a new generation");
                self.current.store(Arc::new(Current { backend, stamp }));
            }
            Ok(Err(e)) => {
                self.metrics.reload_failures.fetch_add(1, Ordering::Relaxed);
                tracing::warn!("keeping the old generation: {e}");
            }
            Err(e) => tracing::warn!("reopen task failed: {e}"),
        }
    }

    /// Polls `CURRENT` every `reload_interval` until the state is dropped.
    pub fn spawn_reloader(self: &Arc<Self>) {
        let weak = Arc::downgrade(self);
        let every = self.limits.reload_interval;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(state) = weak.upgrade() else { return };
                state.reload_if_moved().await;
            }
        });
    }
}

fn read_stamp(index_dir: &std::path::Path) -> Option<Vec<u8>> {
    std::fs::read(index_dir.join("CURRENT")).ok()
}
