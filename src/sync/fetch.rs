//! HTTP side of sync: the directory listing and resumable archive downloads (ureq, rustls).

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ureq::http::{Response, StatusCode};
use ureq::typestate::WithoutBody;
use ureq::Body;
use url::Url;

use crate::{Error, Result};

/// Redirects followed per request, all within the origin asked for.
const MAX_REDIRECTS: usize = 5;

/// Largest listing page read; DILA's is a few KiB.
const MAX_LISTING: u64 = 4 << 20;

pub const USER_AGENT: &str = concat!(
    "recueil/",
    env!("CARGO_PKG_VERSION"),
    " (CNIL decisions knowledge base)"
);

/// Bounds of every request.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connect, DNS, waiting for response headers: each gets this long.
    pub timeout: Duration,
    /// Longest a body read may stall before the download fails (and resumes next run).
    pub stall: Duration,
    /// Longest one archive download may take in all; a slower one fails and the next run
    /// resumes it from where it stopped.
    pub download_budget: Duration,
    /// Largest archive accepted; DILA's CNIL stock is tens of MiB.
    pub max_archive_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            stall: Duration::from_secs(60),
            download_budget: Duration::from_secs(3600),
            max_archive_bytes: 1 << 30,
        }
    }
}

pub struct Client {
    agent: ureq::Agent,
    limits: Limits,
}

/// A complete archive on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    pub path: PathBuf,
    pub bytes: u64,
    /// Bytes already on disk from an interrupted earlier run (0 for a fresh download).
    pub resumed_from: u64,
}

impl Client {
    pub fn new(limits: Limits) -> Client {
        let agent = ureq::Agent::config_builder()
            .user_agent(USER_AGENT)
            // Statuses are handled here: 206 vs 200 decides between appending and restarting.
            .http_status_as_error(false)
            // An archive must arrive as its own bytes; a transfer encoding would break Range offsets.
            .accept_encoding("identity")
            .timeout_resolve(Some(limits.timeout))
            .timeout_connect(Some(limits.timeout))
            .timeout_send_request(Some(limits.timeout))
            .timeout_recv_response(Some(limits.timeout))
            .timeout_per_read(Some(limits.stall))
            // Redirects are followed by `call`, which checks where each one leads.
            .max_redirects(0)
            .build()
            .new_agent();
        Client { agent, limits }
    }

    /// The listing page at `url`, at most 4 MiB, all within `timeout`.
    pub fn listing(&self, url: &str) -> Result<String> {
        let mut resp =
            self.call(url, |to| self.agent.get(to).config().timeout_per_call(Some(self.limits.timeout)).build())?;
        if resp.status() != StatusCode::OK {
            return Err(Error::Network(format!("{url}: http {}", resp.status().as_u16())));
        }
        resp.body_mut().with_config().limit(MAX_LISTING).lossy_utf8(true).read_to_string().map_err(|e| net(url, e))
    }

    /// Downloads `url` to `dir/name`. Bytes arrive in `dir/name.part`, which a later call
    /// resumes with a Range request; the file is renamed to `name` only once complete, so an
    /// existing `name` is a finished download and is returned as is. The server's validator
    /// (strong ETag, else Last-Modified) is kept beside the part and sent as If-Range, so a
    /// file replaced on the server in between comes back whole instead of being spliced.
    pub fn download(&self, url: &str, dir: &Path, name: &str) -> Result<Downloaded> {
        let done = dir.join(name);
        if let Ok(m) = fs::metadata(&done) {
            return Ok(Downloaded { path: done, bytes: m.len(), resumed_from: m.len() });
        }
        let part = dir.join(format!("{name}.part"));
        let validator_path = dir.join(format!("{name}.part.validator"));
        let mut offset = fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
        if offset >= self.limits.max_archive_bytes {
            offset = 0;
        }
        let validator = if offset > 0 { fs::read_to_string(&validator_path).ok() } else { None };
        let resp = self.call(url, |to| {
            let mut req = self.agent.get(to).config().timeout_per_call(Some(self.limits.download_budget)).build();
            if offset > 0 {
                req = req.header("Range", format!("bytes={offset}-"));
                if let Some(v) = &validator {
                    req = req.header("If-Range", v.trim());
                }
            }
            req
        })?;
        let status = resp.status();
        let total = match status {
            StatusCode::PARTIAL_CONTENT => {
                let range = resp.headers().get("content-range").and_then(|v| v.to_str().ok()).unwrap_or_default();
                let (start, total) = parse_content_range(range)
                    .ok_or_else(|| Error::Network(format!("{url}: bad content-range {range:?}")))?;
                if start != offset {
                    return Err(Error::Network(format!("{url}: asked for bytes from {offset}, got from {start}")));
                }
                total
            }
            StatusCode::OK => {
                // No Range sent, the server ignores it, or the file changed: start over.
                offset = 0;
                save_validator(&validator_path, resp.headers())?;
                resp.body().content_length()
            }
            StatusCode::RANGE_NOT_SATISFIABLE => {
                // The file on the server is shorter than what we hold: it changed. Drop the
                // stale part and start over (without a Range, so this cannot recur).
                fs::remove_file(&part).map_err(|e| Error::io(&part, e))?;
                remove_if_there(&validator_path)?;
                return self.download(url, dir, name);
            }
            s => return Err(Error::Network(format!("{url}: http {}", s.as_u16()))),
        };
        let cap = self.limits.max_archive_bytes;
        if let Some(t) = total.filter(|t| *t > cap) {
            remove_if_there(&validator_path)?;
            return Err(Error::Rejected {
                path: name.into(),
                reason: format!("{t} bytes exceeds the {cap}-byte limit"),
            });
        }
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .append(offset > 0)
            .truncate(offset == 0)
            .open(&part)
            .map_err(|e| Error::io(&part, e))?;
        let mut out = BufWriter::new(file);
        let mut body = resp.into_body().into_reader();
        let mut buf = vec![0u8; 64 << 10];
        let mut have = offset;
        // A read error keeps what was written so far: the part file is the resume point.
        let read_result = loop {
            match body.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    have += n as u64;
                    if have > cap {
                        drop(out);
                        remove_if_there(&part)?;
                        remove_if_there(&validator_path)?;
                        return Err(Error::Rejected {
                            path: name.into(),
                            reason: format!("more than the {cap}-byte limit"),
                        });
                    }
                    out.write_all(&buf[..n]).map_err(|e| Error::io(&part, e))?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(e),
            }
        };
        let file = out.into_inner().map_err(|e| Error::io(&part, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&part, e))?;
        if let Err(e) = read_result {
            return Err(Error::Network(format!(
                "{url}: download interrupted at {have} bytes ({}); it resumes next run",
                e.to_string().to_lowercase()
            )));
        }
        // Without an announced length a cut looks like an end; verification's gzip CRC and
        // length check catch it then.
        if let Some(t) = total.filter(|t| *t != have) {
            return Err(Error::Network(format!("{url}: truncated download, {have} of {t} bytes; it resumes next run")));
        }
        fs::rename(&part, &done).map_err(|e| Error::io(&done, e))?;
        remove_if_there(&validator_path)?;
        File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))?;
        Ok(Downloaded { path: done, bytes: have, resumed_from: offset })
    }
}

impl Client {
    /// Sends the request `build` makes for `url`, following at most [`MAX_REDIRECTS`]
    /// redirects, each only within `url`'s origin (scheme, host and port, so never from https
    /// to http): nothing signs DILA's archives, so where they come from is what vouches for them.
    fn call(&self, url: &str, build: impl Fn(&str) -> ureq::RequestBuilder<WithoutBody>) -> Result<Response<Body>> {
        let origin = Url::parse(url).map_err(|e| Error::Network(format!("{url}: {e}")))?;
        let mut at = origin.clone();
        for _ in 0..=MAX_REDIRECTS {
            let resp = build(at.as_str()).call().map_err(|e| net(at.as_str(), e))?;
            if !resp.status().is_redirection() {
                return Ok(resp);
            }
            let Some(location) = resp.headers().get("location").and_then(|v| v.to_str().ok()) else {
                return Ok(resp);
            };
            at = follow(&at, location, &origin)?;
        }
        Err(Error::Network(format!("{url}: more than {MAX_REDIRECTS} redirects")))
    }
}

/// Where a redirect from `at` to `location` leads, if that is within `origin`.
fn follow(at: &Url, location: &str, origin: &Url) -> Result<Url> {
    let next = at.join(location).map_err(|e| Error::Network(format!("{at}: bad redirect {location:?}: {e}")))?;
    if next.origin() != origin.origin() {
        return Err(Error::Network(format!("{at}: redirect to another origin refused ({next})")));
    }
    Ok(next)
}

/// Keeps what If-Range can carry: a strong ETag (weak ones are not allowed there), else
/// Last-Modified; without either, resuming relies on verification to catch a changed file.
fn save_validator(path: &Path, headers: &ureq::http::HeaderMap) -> Result<()> {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty());
    let validator = header("etag").filter(|e| !e.starts_with("W/")).or_else(|| header("last-modified"));
    match validator {
        Some(v) => fs::write(path, v).map_err(|e| Error::io(path, e)),
        None => remove_if_there(path),
    }
}

fn remove_if_there(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

fn net(url: &str, e: ureq::Error) -> Error {
    Error::Network(format!("{url}: {}", e.to_string().to_lowercase()))
}

/// `bytes START-END/TOTAL` → (START, Some(TOTAL)); a `*` total is unknown.
fn parse_content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse::<u64>().ok().filter(|t| *t > end)?),
    };
    Some((start, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parsing() {
        assert_eq!(parse_content_range("bytes 100-199/200"), Some((100, Some(200))));
        assert_eq!(parse_content_range("bytes 0-0/*"), Some((0, None)));
        assert_eq!(parse_content_range("bytes 100-199/150"), None);
        assert_eq!(parse_content_range("bytes 9-3/20"), None);
        assert_eq!(parse_content_range("items 0-1/2"), None);
        assert_eq!(parse_content_range("bytes -1/2"), None);
    }

    #[test]
    fn redirects_only_within_the_origin() {
        let at = Url::parse("https://echanges.dila.gouv.fr/OPENDATA/CNIL/").unwrap();
        let to = |l: &str| follow(&at, l, &at).map(|u| u.to_string());
        assert_eq!(to("/OPENDATA/CNIL/x.tar.gz").unwrap(), "https://echanges.dila.gouv.fr/OPENDATA/CNIL/x.tar.gz");
        assert_eq!(to("y/").unwrap(), "https://echanges.dila.gouv.fr/OPENDATA/CNIL/y/");
        assert_eq!(to("https://echanges.dila.gouv.fr:443/z").unwrap(), "https://echanges.dila.gouv.fr/z");
        for elsewhere in [
            "http://echanges.dila.gouv.fr/OPENDATA/CNIL/",
            "https://evil.example/OPENDATA/CNIL/",
            "//evil.example/x",
            "https://echanges.dila.gouv.fr:8443/",
        ] {
            assert!(to(elsewhere).unwrap_err().to_string().contains("another origin"), "{elsewhere}");
        }
    }

    #[test]
    fn user_agent_names_the_project_and_version() {
        assert!(USER_AGENT.starts_with(&format!("recueil/{} ", env!("CARGO_PKG_VERSION"))));
    }
}
