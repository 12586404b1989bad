//! A DILA-like open-data mirror on 127.0.0.1 for the sync tests: an Apache-style index page at
//! `/OPENDATA/CNIL/` listing the files of a folder, files served with Range support, a log of
//! every request, and one-shot faults (a response cut short, a silent server). Files carry a
//! strong ETag, and a Range request whose If-Range no longer matches gets the whole new file.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub const PREFIX: &str = "/OPENDATA/CNIL/";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub path: String,
    pub range: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Default)]
struct Shared {
    log: Mutex<Vec<Logged>>,
    /// file name → bytes of body to send before closing, once.
    cut_once: Mutex<HashMap<String, usize>>,
    /// request path → `Location` of a 302 answered instead.
    redirects: Mutex<HashMap<String, String>>,
}

pub struct Mirror {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    shared: Arc<Shared>,
}

impl Mirror {
    pub fn start() -> Mirror {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let shared = Arc::new(Shared::default());
        let (root, sh) = (dir.path().to_path_buf(), shared.clone());
        // The accept loop ends with the test process; every connection is served on its own thread.
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, sh) = (root.clone(), sh.clone());
                thread::spawn(move || serve(stream, &root, &sh));
            }
        });
        Mirror { addr, dir, shared }
    }

    pub fn url(&self) -> String {
        format!("http://{}{PREFIX}", self.addr)
    }

    pub fn put(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.dir.path().join(name), bytes).unwrap();
    }

    /// The next response for `name` announces the full length but closes after `n` body bytes.
    pub fn cut_once(&self, name: &str, n: usize) {
        self.shared.cut_once.lock().unwrap().insert(name.into(), n);
    }

    /// Requests for `path` (the listing is [`PREFIX`], a file is `PREFIX` + name) get a 302 to
    /// `location` from now on.
    pub fn redirect(&self, path: &str, location: &str) {
        self.shared.redirects.lock().unwrap().insert(path.into(), location.into());
    }

    pub fn log(&self) -> Vec<Logged> {
        self.shared.log.lock().unwrap().clone()
    }

    pub fn clear_log(&self) {
        self.shared.log.lock().unwrap().clear();
    }

    /// Requests for archives (anything but the index page).
    pub fn archive_requests(&self) -> Vec<Logged> {
        self.log().into_iter().filter(|l| l.path != PREFIX).collect()
    }
}

fn serve(mut stream: TcpStream, root: &Path, sh: &Shared) {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let range = headers.get("range").cloned();
    sh.log.lock().unwrap().push(Logged {
        path: path.clone(),
        range: range.clone(),
        user_agent: headers.get("user-agent").cloned(),
    });
    if let Some(location) = sh.redirects.lock().unwrap().get(&path).cloned() {
        respond(&mut stream, "302 Found", &[("Location", &location)], b"", None);
        return;
    }
    if path == PREFIX {
        let body = index_page(root);
        respond(&mut stream, "200 OK", &[("Content-Type", "text/html")], body.as_bytes(), None);
        return;
    }
    let Some(name) = path.strip_prefix(PREFIX).filter(|n| !n.is_empty() && !n.contains('/')) else {
        respond(&mut stream, "404 Not Found", &[], b"not found", None);
        return;
    };
    let Ok(bytes) = std::fs::read(root.join(name)) else {
        respond(&mut stream, "404 Not Found", &[], b"not found", None);
        return;
    };
    let cut = sh.cut_once.lock().unwrap().remove(name);
    use sha2::Digest;
    let etag = format!("\"{}\"", &hex::encode(sha2::Sha256::digest(&bytes))[..16]);
    let still_valid = headers.get("if-range").is_none_or(|v| *v == etag);
    let start = range
        .as_deref()
        .filter(|_| still_valid)
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|s| s.parse::<usize>().ok());
    match start {
        Some(s) if s >= bytes.len() => {
            let cr = format!("bytes */{}", bytes.len());
            respond(&mut stream, "416 Range Not Satisfiable", &[("Content-Range", &cr)], b"", None);
        }
        Some(s) => {
            let cr = format!("bytes {s}-{}/{}", bytes.len() - 1, bytes.len());
            respond(&mut stream, "206 Partial Content", &[("Content-Range", &cr), ("ETag", &etag)], &bytes[s..], cut);
        }
        None => respond(&mut stream, "200 OK", &[("Content-Type", "application/x-gzip"), ("ETag", &etag)], &bytes, cut),
    }
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8], cut: Option<usize>) {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let n = cut.unwrap_or(body.len()).min(body.len());
    let _ = stream.write_all(&body[..n]);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// An index page in the shape of Apache's mod_autoindex: sort links, parent link, one row per file.
fn index_page(root: &Path) -> String {
    let mut names: Vec<String> =
        std::fs::read_dir(root).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut html = String::from(
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html><head><title>Index of /OPENDATA/CNIL</title></head>\
         <body><h1>Index of /OPENDATA/CNIL</h1><table><tr><th><a href=\"?C=N;O=D\">Name</a></th>\
         <th><a href=\"?C=M;O=A\">Last modified</a></th><th><a href=\"?C=S;O=A\">Size</a></th></tr>\
         <tr><td><a href=\"/OPENDATA/\">Parent Directory</a></td><td>&nbsp;</td><td>-</td></tr>\n",
    );
    for n in names {
        let size = std::fs::metadata(root.join(&n)).map(|m| m.len()).unwrap_or(0);
        html.push_str(&format!("<tr><td><a href=\"{n}\">{n}</a></td><td>2025-07-12 00:00</td><td>{size}</td></tr>\n"));
    }
    html.push_str("</table></body></html>\n");
    html
}

/// A port on which something accepts connections and never answers.
pub fn silent_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    addr
}

/// A server that answers every request with a 1000-byte body sent one byte every 50 ms.
pub fn drip_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = std::io::Read::read(&mut s, &mut buf);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n");
                for _ in 0..1000 {
                    if s.write_all(b"x").is_err() {
                        return;
                    }
                    thread::sleep(Duration::from_millis(50));
                }
            });
        }
    });
    addr
}
