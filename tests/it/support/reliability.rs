//! Helpers shared by the reliability and property tests: the real data, the `recueil`
//! binary, the store as its on-disk layout defines it, and a bare HTTP/1.1 client.
//!
//! The store is read straight from the documented layout (`CURRENT`, `gen-N/decisions-C.jsonl`,
//! `gen-N/tantivy/`) rather than through `Store`, so that a store that lies about its own
//! state is caught too.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `../shared/data`; a test that needs it and does not find it fails loudly.
pub fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(dir.join("README.md").is_file(), "../shared/data is missing: the reliability tests read the real CNIL data there");
    dir
}

pub fn dila_tree() -> PathBuf {
    data_dir().join("dila/tree")
}

pub fn gdprhub_dir() -> PathBuf {
    data_dir().join("gdprhub")
}

/// The GDPRhub pages, sorted, so that a seed names the same subset on every machine.
pub fn gdprhub_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(gdprhub_dir())
        .expect("read gdprhub dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no GDPRhub page under ../shared/data/gdprhub");
    pages
}

pub fn recueil() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_recueil"));
    cmd.env_remove("RECUEIL_INDEX_DIR");
    cmd
}

/// Runs `recueil ingest --json` to completion.
pub fn ingest(index_dir: &Path, paths: &[PathBuf]) -> Output {
    recueil()
        .arg("--index-dir")
        .arg(index_dir)
        .arg("ingest")
        .arg("--json")
        .args(paths)
        .stdin(Stdio::null())
        .output()
        .expect("run recueil ingest")
}

/// Like [`ingest`], but the ingest must succeed; returns its JSON report.
pub fn ingest_ok(index_dir: &Path, paths: &[PathBuf]) -> serde_json::Value {
    let out = ingest(index_dir, paths);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "recueil ingest failed ({}):\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("ingest --json printed no JSON report ({e}): {stdout}"))
}

/// What the store holds, read from its on-disk layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreState {
    pub generation: u64,
    /// (id, sha256 of the source) of every reading of the current generation.
    pub records: BTreeSet<(String, String)>,
    /// The decisions those readings make.
    pub decisions: usize,
}

impl StoreState {
    pub fn gen_dir(&self, index_dir: &Path) -> PathBuf {
        index_dir.join(format!("gen-{}", self.generation))
    }
}

/// The generation `CURRENT` names (`gen-7` or `7`), or `None` when there is none yet.
pub fn current_generation(index_dir: &Path) -> Option<u64> {
    let text = match std::fs::read_to_string(index_dir.join("CURRENT")) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("read CURRENT: {e}"),
    };
    let name = text.trim();
    let id = name.strip_prefix("gen-").unwrap_or(name);
    Some(id.parse().unwrap_or_else(|_| panic!("CURRENT names no generation: {name:?}")))
}

/// Reads the current generation's readings; panics on any inconsistency (a missing or
/// truncated chunk, a line that fails its checksum), since a committed generation must be
/// whole.
pub fn store_state(index_dir: &Path) -> Option<StoreState> {
    let generation = current_generation(index_dir)?;
    let store = recueil::index::store::Store::open(index_dir).expect("open the store");
    let decisions = store.decisions().unwrap_or_else(|e| panic!("CURRENT names gen-{generation} but: {e}"));
    let records = decisions.iter().flat_map(|d| &d.readings).map(|r| (r.record.id.clone(), r.record.source.sha256.clone())).collect();
    Some(StoreState { generation, records, decisions: decisions.len() })
}

/// A deterministic generator (xorshift64*), seeded from the clock unless `RECUEIL_SEED` is
/// set; the seed is printed so that a failing run can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn from_env(test: &str) -> Rng {
        let seed = std::env::var("RECUEIL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_nanos() as u64
        });
        eprintln!("{test}: RECUEIL_SEED={seed}");
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port").local_addr().expect("local addr").port()
}

/// One HTTP response as read off the wire.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// `GET path` over a fresh connection (`Connection: close`), read to EOF.
pub fn http_get(addr: SocketAddr, path: &str, timeout: Duration) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw).ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {:?}", String::from_utf8_lossy(&raw[..raw.len().min(200)]))))
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect::<Vec<_>>();
    let mut body = raw[end + 4..].to_vec();
    if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body)?;
    }
    Some(Response { status, headers, body })
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_hex = std::str::from_utf8(&raw[..line_end]).ok()?.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

/// A `recueil serve` process on a loopback port; killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `recueil serve` on `index_dir` and waits (≤ `ready_within`) until it answers.
    pub fn start(index_dir: &Path, ready_within: Duration) -> Server {
        Server::start_with(index_dir, ready_within, &[])
    }

    /// As [`Server::start`], with more arguments for `recueil serve`.
    pub fn start_with(index_dir: &Path, ready_within: Duration, serve_args: &[&str]) -> Server {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let child = recueil()
            .arg("--index-dir")
            .arg(index_dir)
            .arg("serve")
            .arg("--addr")
            .arg(addr.to_string())
            .args(serve_args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn recueil serve");
        let mut server = Server { child, addr };
        let start = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait().expect("try_wait") {
                panic!("recueil serve exited before answering: {status}");
            }
            if http_get(addr, "/healthz", Duration::from_secs(2)).is_ok_and(|r| r.status == 200) {
                return server;
            }
            assert!(start.elapsed() < ready_within, "recueil serve did not answer /healthz within {ready_within:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a signal by name (`TERM`, `KILL`) through kill(1): the crate has no libc binding.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill").arg(format!("-{name}")).arg(self.pid().to_string()).status().expect("run kill");
        assert!(status.success(), "kill -{name} {} failed", self.pid());
    }

    /// Waits for the process to exit, at most `within`; returns how long it took.
    pub fn wait_exit(&mut self, within: Duration) -> Option<Duration> {
        let start = Instant::now();
        while start.elapsed() < within {
            if self.child.try_wait().expect("try_wait").is_some() {
                return Some(start.elapsed());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
