//! A bound on blocking work: at most `concurrency` jobs run at once, each on a
//! `spawn_blocking` thread, and at most `queue` wait for their turn; beyond, the caller gets
//! `Overloaded` (503 + Retry-After) at once. The server keeps one pool per kind of work, so
//! that one kind cannot starve another: engine calls, heavy page rendering (a decision's whole
//! text through askama, its summary through ammonia), and the readiness probe.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{Error, Result};

pub struct Pool {
    name: &'static str,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
}

/// The right to run one job in a pool, held from before the job's inputs are fetched (so that
/// waiting requests hold no large record) until the job ends.
pub struct Permit {
    _held: OwnedSemaphorePermit,
}

impl Pool {
    pub fn new(name: &'static str, concurrency: usize, queue: usize) -> Pool {
        Pool { name, permits: Arc::new(Semaphore::new(concurrency.max(1))), waiting: AtomicUsize::new(0), queue }
    }

    /// A permit now, or after waiting among at most `queue` others; `Overloaded` beyond.
    pub async fn permit(&self) -> Result<Permit> {
        if let Ok(p) = self.permits.clone().try_acquire_owned() {
            return Ok(Permit { _held: p });
        }
        let _queued = QueueSlot::take(&self.waiting, self.queue)
            .ok_or_else(|| Error::Overloaded(format!("too many {} waiting", self.name)))?;
        let p = self.permits.clone().acquire_owned().await.map_err(|_| Error::Overloaded("server shutting down".into()))?;
        Ok(Permit { _held: p })
    }

    /// Runs `f` on a blocking thread under a permit of this pool.
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
        self.permit().await?.run(f).await
    }
}

impl Permit {
    /// Runs `f` on a blocking thread; the permit is given back when `f` returns, even if the
    /// request that asked for it was cancelled meanwhile.
    pub async fn run<T: Send + 'static>(self, f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
        let task = tokio::task::spawn_blocking(move || {
            let _permit = self;
            f()
        });
        match task.await {
            Ok(result) => result,
            // A panic inside the job: an internal fault, not an unwinding request.
            Err(e) => Err(Error::Index(format!("blocking task failed: {e}").to_lowercase())),
        }
    }
}

/// One place in a queue, given back on drop (also when the request is cancelled by the timeout
/// while it waits).
struct QueueSlot<'a>(&'a AtomicUsize);

impl<'a> QueueSlot<'a> {
    fn take(counter: &'a AtomicUsize, max: usize) -> Option<Self> {
        counter
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1))
            .ok()
            .map(|_| QueueSlot(counter))
    }
}

impl Drop for QueueSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_running_and_queued_work_is_refused() {
        let pool = Arc::new(Pool::new("jobs", 1, 1));
        let running = pool.permit().await.unwrap();
        let waiting = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| Ok(1)).await })
        };
        tokio::task::yield_now().await;
        while pool.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(pool.permit().await, Err(Error::Overloaded(m)) if m.contains("jobs")));
        drop(running);
        assert_eq!(waiting.await.unwrap().unwrap(), 1);
        assert_eq!(pool.run(|| Ok(2)).await.unwrap(), 2);
    }
}
