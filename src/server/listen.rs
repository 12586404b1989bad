//! The accept loop. `axum::serve` has no header-read timeout, so connections are served by
//! hyper directly: HTTP/1 with `header_read_timeout`, a bounded header buffer, a response
//! write timeout, a cap on open connections below the descriptor limit, and a graceful
//! shutdown that waits for in-flight requests at most `shutdown_grace`.
//!
//! At the cap, a new connection closes the one idle the longest (no request being answered,
//! no byte moved for the longest time), so that idle or dripping sockets cannot lock everyone
//! out; when every connection is answering a request, the new one gets a 503 at once.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::socket::{Activity, Watched};
use super::App;

/// Largest request head (request line + headers) hyper buffers; beyond, 431.
const MAX_HEAD: usize = 16 * 1024;

/// Descriptors kept free of connections: the index's files, the records and texts of two
/// generations during a switch, the reloader, logs.
const RESERVED_FDS: u64 = 64;

/// Sent to a connection refused at the cap (every other one answering a request).
const FULL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
x-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: 54\r\n\r\n\
{\"code\":\"overloaded\",\"message\":\"too many connections\"}";

pub struct ServeOptions {
    pub header_read_timeout: Duration,
    /// Longest a response write may make no progress before the connection is closed.
    pub write_timeout: Duration,
    pub shutdown_grace: Duration,
    /// Connections open at once; see [`connection_cap`].
    pub max_connections: usize,
}

impl ServeOptions {
    /// The options `limits` set, with the connection cap of this process's descriptor limit.
    pub fn new(limits: &super::Limits) -> ServeOptions {
        ServeOptions {
            header_read_timeout: limits.header_read_timeout,
            write_timeout: limits.write_timeout,
            shutdown_grace: limits.shutdown_grace,
            max_connections: connection_cap(limits.max_connections),
        }
    }
}

/// Connections the process can hold: its descriptor limit (`RLIMIT_NOFILE`, soft) less a
/// reserve for the index, at most `ceiling`.
pub fn connection_cap(ceiling: usize) -> usize {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
    let soft = if ok { lim.rlim_cur as u64 } else { 1024 };
    let usable = soft.saturating_sub(RESERVED_FDS.max(soft / 8)).max(8);
    usize::try_from(usable).unwrap_or(usize::MAX).min(ceiling)
}

/// The open connections, by accept order.
#[derive(Default)]
struct Open {
    next: u64,
    conns: HashMap<u64, Arc<Activity>>,
}

impl Open {
    /// Makes room for one more under `cap`: evicts the connection idle the longest. `false`
    /// when every connection is answering a request.
    fn make_room(&mut self, cap: usize) -> bool {
        if self.conns.len() < cap {
            return true;
        }
        let oldest = self.conns.iter().filter_map(|(id, a)| a.idle_since().map(|t| (t, *id))).min();
        match oldest.and_then(|(_, id)| self.conns.remove(&id)) {
            Some(victim) => {
                victim.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Removes a connection from [`Open`] when its task ends.
struct Registered(Arc<std::sync::Mutex<Open>>, u64);

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.0).conns.remove(&self.1);
    }
}

fn lock(open: &std::sync::Mutex<Open>) -> std::sync::MutexGuard<'_, Open> {
    open.lock().unwrap_or_else(|e| e.into_inner())
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting, lets the
/// requests in flight finish (at most `shutdown_grace`) and drops what remains.
pub async fn serve(listener: TcpListener, app: App, opts: ServeOptions, shutdown: impl Future<Output = ()>) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let open = Arc::new(std::sync::Mutex::new(Open::default()));
    let base = Instant::now();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of descriptors and the like: back off instead of spinning.
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let activity = Activity::new(base);
                let registered = {
                    let mut o = lock(&open);
                    if !o.make_room(opts.max_connections) {
                        drop(o);
                        refuse(stream);
                        continue;
                    }
                    let id = o.next;
                    o.next += 1;
                    o.conns.insert(id, activity.clone());
                    Registered(open.clone(), id)
                };
                let app = app.clone();
                let mut stop = stop_rx.clone();
                let header_timeout = opts.header_read_timeout;
                let io = Watched::new(stream, activity.clone(), opts.write_timeout);
                connections.spawn(async move {
                    let _registered = registered;
                    let during = activity.clone();
                    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                        let busy = during.busy();
                        let answer = app.clone().oneshot(req.map(Body::new));
                        async move {
                            let resp = answer.await;
                            drop(busy);
                            resp
                        }
                    });
                    let mut builder = http1::Builder::new();
                    builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).max_buf_size(MAX_HEAD);
                    let conn = builder.serve_connection(TokioIo::new(io), service);
                    tokio::pin!(conn);
                    tokio::select! {
                        res = conn.as_mut() => { if let Err(e) = res { tracing::debug!("connection ended: {e}"); } }
                        _ = activity.evict.notified() => tracing::debug!("idle connection closed to make room"),
                        _ = stop.changed() => {
                            conn.as_mut().graceful_shutdown();
                            let _ = conn.await;
                        }
                    }
                });
            }
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained =
        tokio::time::timeout(opts.shutdown_grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!("{} connections still open after the grace period: closing them", connections.len());
        connections.shutdown().await;
    }
}

/// Answers a connection over the cap with a 503 if its send buffer takes it at once, and
/// closes it: the descriptor is free again before the next accept.
fn refuse(stream: tokio::net::TcpStream) {
    match stream.try_write(FULL) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
        Err(e) => tracing::debug!("refusing a connection: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_under_the_descriptor_limit() {
        let cap = connection_cap(usize::MAX);
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
        assert!((cap as u64) < lim.rlim_cur, "{cap} connections with {} descriptors", lim.rlim_cur);
        assert_eq!(connection_cap(10), 10.min(cap));
    }

    #[test]
    fn the_refusal_is_a_complete_json_503() {
        let text = std::str::from_utf8(FULL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 503 ") && head.contains("retry-after: 1"));
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(body).unwrap()["code"], "overloaded");
    }

    #[test]
    fn at_the_cap_the_longest_idle_connection_makes_room() {
        let base = Instant::now();
        let mut open = Open::default();
        let (a, b) = (Activity::new(base), Activity::new(base));
        open.conns.insert(0, a.clone());
        open.conns.insert(1, b.clone());
        let busy_a = a.busy();
        assert!(open.make_room(3), "under the cap");
        assert!(open.make_room(2));
        assert!(!open.conns.contains_key(&1) && open.conns.contains_key(&0), "the idle one went, not the busy one");
        assert!(!open.make_room(1), "every connection answering a request");
        drop(busy_a);
        assert!(open.make_room(1));
    }
}
