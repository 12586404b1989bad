//! `recueil serve` as a process: on an empty index directory it builds the embedded corpus,
//! serves it on the address given, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_builds_the_embedded_corpus_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet, as a mistyped --index-dir would be: said first.
    let mut child = Command::new(env!("CARGO_BIN_EXE_recueil"))
        .arg("--index-dir")
        .arg(dir.path().join("index"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start recueil serve");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut addr = None;
    let mut log = String::new();
    for _ in 0..20 {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        log.push_str(&line);
        if let Some(a) = line.trim().rsplit_once("http://").map(|(_, a)| a.to_string()) {
            addr = Some(a);
            break;
        }
    }
    let addr = addr.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("no address announced; stderr: {log}")
    });
    assert!(log.contains("building the embedded corpus"), "{log}");
    assert!(log.starts_with("warning: index directory ") && log.contains("a mistyped --index-dir?"), "{log}");

    let ready = http_get(&addr, "/readyz");
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let body = ready.split("\r\n\r\n").nth(1).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(body).expect("json");
    let embedded = recueil::ingest::embedded_corpus_records().expect("embedded corpus").len() as u64;
    assert!(embedded > 0, "the embedded corpus is not empty");
    assert_eq!(v["decisions"].as_u64(), Some(embedded));
    assert!(http_get(&addr, "/?q=amende").starts_with("HTTP/1.1 200"));

    let started = Instant::now();
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(35) {
            let _ = child.kill();
            panic!("serve did not stop within 35 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    assert!(TcpStream::connect(&addr).is_err());
}

#[test]
fn serve_refuses_a_malformed_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_recueil"))
        .arg("--index-dir")
        .arg(dir.path())
        .args(["serve", "--addr", "localhost:http"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid parameter addr"));
}
