//! Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
//! requests on the child's fd 3, replies on its fd 4, each one JSON message ended by a NUL
//! byte), so that a test can size the viewport, run script in the page (axe-core, layout
//! measures) and take screenshots with no websocket client and no webdriver.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The Debian `chromium` the CI installs; panics, naming the fix, when it is missing.
pub fn chromium() -> PathBuf {
    for candidate in ["chromium", "chromium-browser"] {
        if let Ok(out) = Command::new("which").arg(candidate).output() {
            if out.status.success() {
                return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            }
        }
    }
    panic!("chromium is missing: install Debian's `chromium` (apt-get install -y chromium; .ci/run does) to run the browser test");
}

pub struct Browser {
    child: Child,
    to: std::io::PipeWriter,
    from: BufReader<std::io::PipeReader>,
    next_id: u64,
    /// The page target's session (flat mode: one connection, commands tagged by session).
    session: String,
}

/// Longest wait for one reply or one page load.
const WAIT: Duration = Duration::from_secs(60);

impl Browser {
    pub fn launch(bin: &Path, profile: &Path) -> Browser {
        let (child_reads, to) = std::io::pipe().expect("pipe");
        let (from, child_writes) = std::io::pipe().expect("pipe");
        let (r, w) = (child_reads.as_raw_fd(), child_writes.as_raw_fd());
        let mut cmd = Command::new(bin);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
            "--lang=en-US",
            "--remote-debugging-pipe",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls between fork and exec. The pipe ends are first
        // copied above fd 9 (F_DUPFD clears close-on-exec), so that dup2 never meets an end
        // already numbered 3 or 4 (dup2 onto itself would keep close-on-exec).
        unsafe {
            cmd.pre_exec(move || {
                let (r2, w2) = (libc::fcntl(r, libc::F_DUPFD, 10), libc::fcntl(w, libc::F_DUPFD, 10));
                if r2 < 0 || w2 < 0 || libc::dup2(r2, 3) < 0 || libc::dup2(w2, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("chromium starts");
        drop((child_reads, child_writes));
        let mut b = Browser { child, to, from: BufReader::new(from), next_id: 0, session: String::new() };
        let targets = b.call(None, "Target.getTargets", json!({}));
        let page = targets["targetInfos"]
            .as_array()
            .and_then(|ts| ts.iter().find(|t| t["type"] == "page"))
            .and_then(|t| t["targetId"].as_str())
            .expect("a page target")
            .to_string();
        let attached = b.call(None, "Target.attachToTarget", json!({ "targetId": page, "flatten": true }));
        b.session = attached["sessionId"].as_str().expect("a session").to_string();
        b
    }

    /// One command and its result; panics on a protocol error.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).unwrap_or_else(|e| panic!("chromium closed its pipe ({e}) on {method}"));
        let started = Instant::now();
        loop {
            assert!(started.elapsed() < WAIT, "no reply to {method} within {WAIT:?}");
            let mut buf = Vec::new();
            let n = self.from.read_until(0, &mut buf).expect("read from chromium");
            assert!(n > 0, "chromium exited while answering {method}");
            buf.pop();
            let reply: Value = serde_json::from_slice(&buf).expect("a JSON message");
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method} failed: {}", reply["error"]);
                return reply["result"].clone();
            }
        }
    }

    fn page(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    /// Sizes the viewport (`mobile` below 600 px: the viewport meta tag applies, as on a phone).
    pub fn viewport(&mut self, width: u32, height: u32) {
        self.page(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
    }

    /// Opens `url` and waits for its load event.
    pub fn open(&mut self, url: &str) {
        let nav = self.page("Page.navigate", json!({ "url": url }));
        assert!(nav.get("errorText").is_none(), "navigation to {url} failed: {nav}");
        let started = Instant::now();
        while self.eval("document.readyState") != "complete" {
            assert!(started.elapsed() < WAIT, "{url} did not load within {WAIT:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The value of a script run in the page (promises awaited); panics on an exception.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.page(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("script failed: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Presses and releases `key` (`Tab`, `Enter`) in the page.
    pub fn press(&mut self, key: &str) {
        let (code, text) = match key {
            "Tab" => (9, ""),
            "Enter" => (13, "\r"),
            other => panic!("no key code for {other}"),
        };
        for kind in ["keyDown", "keyUp"] {
            let text = if kind == "keyDown" { text } else { "" };
            self.page(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "text": text }),
            );
        }
    }

    /// The viewport as a PNG.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.page("Page.captureScreenshot", json!({ "format": "png" }));
        let png = base64_decode(shot["data"].as_str().expect("screenshot data"));
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (the protocol's binary encoding), padding ignored.
fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = s.bytes().filter(|c| *c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes_with_and_without_padding() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGk"), b"hi");
    assert_eq!(base64_decode("YWJj"), b"abc");
}
