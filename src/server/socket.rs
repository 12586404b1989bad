//! A client's socket as the accept loop sees it: when it last moved a byte (so that, with every
//! descriptor in use, the connection idle the longest is the one closed), whether a request is
//! being answered on it, and a bound on how long a response write may stall. hyper has a
//! timeout for reading a request head but none for writing: a client that stops reading would
//! hold its socket, and the response's memory, forever.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Sleep;

/// What the accept loop knows of one connection.
pub struct Activity {
    base: Instant,
    /// Milliseconds after `base` of the last byte read or written.
    last: AtomicU64,
    /// Requests being answered (a handler running).
    busy: AtomicUsize,
    /// Closes the connection when notified.
    pub evict: Notify,
}

impl Activity {
    pub fn new(base: Instant) -> Arc<Activity> {
        let a = Arc::new(Activity { base, last: AtomicU64::new(0), busy: AtomicUsize::new(0), evict: Notify::new() });
        a.touch();
        a
    }

    fn touch(&self) {
        self.last.store(self.base.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// When the connection last moved a byte, if no request is being answered on it.
    pub fn idle_since(&self) -> Option<u64> {
        (self.busy.load(Ordering::Acquire) == 0).then(|| self.last.load(Ordering::Relaxed))
    }

    /// Marks a request as being answered until the guard is dropped.
    pub fn busy(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::AcqRel);
        Busy(self.clone())
    }
}

pub struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The socket, recording activity and failing a write that makes no progress for
/// `write_timeout`.
pub struct Watched<S> {
    inner: S,
    activity: Arc<Activity>,
    write_timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> Watched<S> {
    pub fn new(inner: S, activity: Arc<Activity>, write_timeout: Duration) -> Watched<S> {
        Watched { inner, activity, write_timeout, stalled: None }
    }

    /// Turns a pending write into a timeout error once it has stalled for `write_timeout`.
    fn pending_write<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timeout = self.write_timeout;
        let stalled = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "response write stalled"))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn wrote<T>(&mut self, r: io::Result<T>) -> Poll<io::Result<T>> {
        self.stalled = None;
        self.activity.touch();
        Poll::Ready(r)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(r) => self.wrote(r),
            Poll::Pending => self.pending_write(cx),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => self.wrote(r),
            Poll::Pending => self.pending_write(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(r) => self.wrote(r),
            Poll::Pending => self.pending_write(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn a_write_the_peer_never_reads_fails_after_the_timeout() {
        // A duplex pipe of 1 KiB that nobody reads: the second write can never complete.
        let (client, _peer) = tokio::io::duplex(1024);
        let activity = Activity::new(Instant::now());
        let mut w = Watched::new(client, activity.clone(), Duration::from_millis(200));
        let e = w.write_all(&vec![0u8; 64 * 1024]).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert!(activity.idle_since().is_some());
        let busy = activity.busy();
        assert!(activity.idle_since().is_none());
        drop(busy);
        assert!(activity.idle_since().is_some());
    }
}
