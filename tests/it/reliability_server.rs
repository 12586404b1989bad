//! Hostile clients against a real `recueil serve` on loopback: half a header, a client
//! that drips its header byte by byte, more concurrent searches than the server admits, and
//! shutdown with such clients still connected. Each bound is 30 s; the tests allow one more
//! second for scheduling on a loaded machine.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::reliability::*;

const BOUND: Duration = Duration::from_secs(30);
const SLACK: Duration = Duration::from_secs(1);

fn index_with_data(dir: &Path) {
    let mut inputs = vec![dila_tree()];
    inputs.extend(gdprhub_pages().into_iter().take(8));
    ingest_ok(dir, &inputs);
}

/// Reads until the server closes the connection; returns how long that took, or `None`
/// when it was still open after `limit`. Bytes the server sends (a 408) are fine.
fn time_until_closed(stream: &mut TcpStream, started: Instant, limit: Duration) -> Option<Duration> {
    stream.set_read_timeout(Some(Duration::from_millis(500))).expect("read timeout");
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(started.elapsed()), // reset: dropped as well
        }
    }
    None
}

fn open_half_header(server: &Server) -> TcpStream {
    let mut s = TcpStream::connect(server.addr).expect("connect");
    s.write_all(b"GET /api/v1/search?q=donnees HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ").expect("send half a header");
    s
}

#[test]
fn half_header_and_dripping_clients_are_dropped_within_30s() {
    let scratch = tempfile::tempdir().expect("tempdir");
    index_with_data(scratch.path());
    let server = Server::start(scratch.path(), Duration::from_secs(60));

    let started = Instant::now();
    let mut half = open_half_header(&server);
    // A slowloris: one header byte every 2 s keeps each read busy but never ends the header.
    let addr = server.addr;
    let drip = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").expect("send request line");
        let drip_started = Instant::now();
        while drip_started.elapsed() < BOUND + SLACK * 5 {
            if s.write_all(b"X").is_err() {
                return Some(drip_started.elapsed());
            }
            if let Some(took) = time_until_closed(&mut s, Instant::now(), Duration::from_secs(2)) {
                return Some(drip_started.elapsed().max(took));
            }
        }
        None
    });

    // Other clients are served meanwhile.
    std::thread::sleep(Duration::from_secs(1));
    let ok = http_get(server.addr, "/healthz", Duration::from_secs(5)).expect("health while slow clients hang");
    assert_eq!(ok.status, 200);

    let took = time_until_closed(&mut half, started, BOUND + SLACK * 5).expect("half-header client still connected after 35 s");
    assert!(took <= BOUND + SLACK, "half-header client dropped after {took:?}, bound is {BOUND:?}");
    let dripped = drip.join().expect("drip thread").expect("dripping client still connected after 35 s");
    assert!(dripped <= BOUND + SLACK, "dripping client dropped after {dripped:?}, bound is {BOUND:?}");
    eprintln!("half header dropped after {took:?}, dripping client after {dripped:?}");

    assert_eq!(http_get(server.addr, "/healthz", Duration::from_secs(5)).expect("health after").status, 200);
}

#[test]
fn shutdown_completes_within_30s_with_clients_hanging() {
    let scratch = tempfile::tempdir().expect("tempdir");
    index_with_data(scratch.path());
    let mut server = Server::start(scratch.path(), Duration::from_secs(60));

    // One client stuck mid-header, one idle keep-alive connection after a full request.
    let _half = open_half_header(&server);
    let mut idle = TcpStream::connect(server.addr).expect("connect");
    write!(idle, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
    let mut buf = [0u8; 1024];
    idle.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    assert!(idle.read(&mut buf).expect("response on keep-alive connection") > 0);

    server.signal("TERM");
    let took = server.wait_exit(BOUND + SLACK * 5).expect("server still running 35 s after SIGTERM");
    assert!(took <= BOUND, "shutdown took {took:?}, bound is {BOUND:?}");
    eprintln!("shutdown with a half-header and an idle client took {took:?}");
    assert!(TcpStream::connect_timeout(&server.addr, Duration::from_secs(1)).is_err(), "port still accepting after exit");
}

#[test]
fn beyond_the_concurrency_limit_503_with_retry_after() {
    let scratch = tempfile::tempdir().expect("tempdir");
    index_with_data(scratch.path());
    // A short queue: searches got fast enough that 160 clients no longer outran the default
    // queue of 64 on every machine (CI saw none shed).
    let mut server = Server::start_with(scratch.path(), Duration::from_secs(60), &["--engine-queue", "2"]);

    // Far more simultaneous searches than the engine runs at once plus its queue.
    let clients = 160;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(clients));
    let addr = server.addr;
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let q = ["donnees", "traitement", "securite+des+donnees", "sante", "consentement"][i % 5];
                http_get(addr, &format!("/api/v1/search?q={q}&limit=100"), Duration::from_secs(30))
            })
        })
        .collect();
    let (mut ok, mut shed) = (0, 0);
    for h in handles {
        let res = h.join().expect("client thread").expect("every client gets an answer, none is dropped");
        match res.status {
            200 => ok += 1,
            503 => {
                shed += 1;
                let retry = res.header("retry-after").expect("503 without Retry-After");
                assert!(retry.parse::<u64>().is_ok_and(|s| (1..=120).contains(&s)), "Retry-After {retry:?} is not a delay in seconds");
            }
            other => panic!("status {other} under load: {}", String::from_utf8_lossy(&res.body)),
        }
    }
    eprintln!("{clients} simultaneous searches: {ok} served, {shed} shed with 503");
    assert!(ok > 0, "no search was served");
    assert!(shed > 0, "{clients} simultaneous searches and none was shed: no concurrency limit");
    assert!(server.child.try_wait().expect("try_wait").is_none(), "server died under load");
    assert_eq!(http_get(server.addr, "/healthz", Duration::from_secs(5)).expect("health after").status, 200);
}
