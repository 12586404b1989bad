//! The server over a real loopback socket: requests, a client that sends half a header and
//! stalls, load shedding beyond the concurrency limit, and a bounded graceful shutdown.

use std::time::{Duration, Instant};

use recueil::server::{self, listen, Limits};
use crate::support::server::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

struct Running {
    addr: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

async fn start(app: server::App, limits: &Limits) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let opts = listen::ServeOptions::new(limits);
    let task = tokio::spawn(listen::serve(listener, app, opts, async {
        let _ = stopped.await;
    }));
    Running { addr, stop, task }
}

/// One HTTP/1.1 request with `Connection: close`; returns the status and the raw response.
async fn request(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text)
}

#[tokio::test]
async fn serves_requests_over_a_socket_and_drops_stalled_headers() {
    let f = fixture();
    let limits = test_limits();
    let running = start(f.app.clone(), &limits).await;

    let (status, raw) = request(running.addr, "/api/v1/decisions/SAN-2091-001/summary").await;
    assert_eq!(status, 200, "{raw}");
    assert!(raw.to_ascii_lowercase().contains("x-content-type-options: nosniff"));
    let (status, raw) = request(running.addr, "/api/v1/search?limit=0").await;
    assert_eq!(status, 400);
    assert!(raw.contains("\"code\":\"invalid_parameter\""));

    // Half a header, then silence: the header-read timeout (500 ms here) closes it.
    let mut stalled = TcpStream::connect(running.addr).await.unwrap();
    stalled.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc").await.unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stalled.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server kept a stalled connection open for 5 s");
    assert!(started.elapsed() >= Duration::from_millis(400), "closed too early: {:?}", started.elapsed());
    // The server still answers others.
    assert_eq!(request(running.addr, "/healthz").await.0, 200);

    // A client that hangs up mid-request leaves no phantom request in flight.
    let mut gone = TcpStream::connect(running.addr).await.unwrap();
    gone.write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    drop(gone);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (_, metrics) = request(running.addr, "/metrics").await;
    assert!(metrics.contains("recueil_http_in_flight 1\n"), "only the /metrics request itself: {metrics}");

    // An oversized head is refused, not buffered without bound.
    let mut s = TcpStream::connect(running.addr).await.unwrap();
    let huge = format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "a".repeat(64 * 1024));
    let _ = s.write_all(huge.as_bytes()).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await.expect("answered or closed");
    let head = String::from_utf8_lossy(&out);
    assert!(head.is_empty() || head.starts_with("HTTP/1.1 431"), "{head}");

    let _ = running.stop.send(());
    tokio::time::timeout(Duration::from_secs(5), running.task).await.expect("shutdown finished").unwrap();
}

#[tokio::test]
async fn sheds_load_beyond_the_concurrency_limit_over_a_socket() {
    let limits = Limits { max_in_flight: 2, ..test_limits() };
    let app = server::app(slow_state(Duration::from_millis(500), limits.clone()));
    let running = start(app, &limits).await;
    let tasks: Vec<_> = (0..5).map(|_| tokio::spawn(request(running.addr, "/api/v1/stats"))).collect();
    let mut statuses = Vec::new();
    let mut shed_raw = String::new();
    for t in tasks {
        let (status, raw) = t.await.unwrap();
        if status == 503 {
            shed_raw = raw;
        }
        statuses.push(status);
    }
    statuses.sort();
    assert_eq!(statuses, [200, 200, 503, 503, 503]);
    let lower = shed_raw.to_ascii_lowercase();
    assert!(
        lower.contains("retry-after: 1")
            && lower.contains("content-security-policy")
            && shed_raw.contains("\"code\":\"overloaded\"")
    );
    let _ = running.stop.send(());
    running.task.await.unwrap();
}

#[tokio::test]
async fn graceful_shutdown_finishes_in_flight_requests_and_is_bounded() {
    // A long header timeout, so only the shutdown bound can end the stalled connection.
    let limits = Limits {
        header_read_timeout: Duration::from_secs(60),
        shutdown_grace: Duration::from_secs(2),
        ..test_limits()
    };
    let app = server::app(slow_state(Duration::from_millis(700), limits.clone()));
    let running = start(app, &limits).await;
    let mut stalled = TcpStream::connect(running.addr).await.unwrap();
    stalled.write_all(b"GET /healthz HTTP/1.1\r\nHo").await.unwrap();
    let in_flight = tokio::spawn(request(running.addr, "/api/v1/stats"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let _ = running.stop.send(());
    let (status, _) = in_flight.await.unwrap();
    assert_eq!(status, 200, "the in-flight request finishes");
    tokio::time::timeout(Duration::from_secs(6), running.task)
        .await
        .expect("shutdown bounded despite the stalled client")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert!(TcpStream::connect(running.addr).await.is_err(), "no new connections after shutdown");
}
