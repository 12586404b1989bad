//! What the second hostile probe (issue 18) broke, each replayed: open ranges, HTML that
//! html5ever nests deeper than the pre-scan used to count, control characters in file names,
//! an index on a read-only filesystem, readiness under a full engine queue. Every input here
//! is invented.

use crate::support::reliability as reliability_support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use recueil::index::store::Store;
use recueil::server::{self, Limits};
use crate::support::reliability::recueil;
use crate::support::server::{fixture, get, invented, slow_state, test_limits};

#[tokio::test]
async fn open_ranges_are_invalid_queries_everywhere() {
    let f = fixture();
    for q in ["year%3A..", "date%3A..", "fine%3A..", "fine%3A%22..%22"] {
        for path in ["/api/v1/search?q=", "/api/v1/export.csv?q=", "/api/v1/export.jsonl?q=", "/feed.atom?q="] {
            get(&f.app, &format!("{path}{q}")).await.assert_error(400, "invalid_query");
        }
        let page = get(&f.app, &format!("/?q={q}")).await;
        assert_eq!(page.status, 400, "{q}: {}", page.body);
        assert!(page.body.contains("lower or an upper bound"), "{q}: the page names the problem");
    }
    // One open end is still a range.
    assert_eq!(get(&f.app, "/api/v1/search?q=year%3A2000..").await.status, 200);
}

#[test]
fn cli_search_of_an_open_range_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).and_then(|s| recueil::ingest::ingest_records(&s, invented())).unwrap();
    let out = recueil().arg("--index-dir").arg(dir.path()).args(["search", "year:.."]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid query") && !stderr.contains("panicked"), "{stderr}");
}

/// `recueil ingest --json` of one file, its report.
fn ingest_one(index: &Path, file: &Path) -> serde_json::Value {
    let out = reliability_support::ingest(index, &[file.to_path_buf()]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn html_that_html5ever_nests_deep_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    // The probe's pages: `<div/>` opens a div, `</i>` closes nothing.
    for (name, unit, n) in [("self-closing.html", "<div/>", 40_000), ("stray-end.html", "<div></i>", 20_000)] {
        let page = dir.path().join(name);
        std::fs::write(&page, format!("<!-- invented --><html><body>{}</body></html>", unit.repeat(n))).unwrap();
        let report = ingest_one(&dir.path().join("index"), &page);
        let reason = report["rejected"][0]["reason"].as_str().unwrap_or_default();
        assert!(reason.contains("nested more than 512 levels"), "{name}: {report}");
    }
}

#[test]
fn control_characters_in_file_names_are_not_echoed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let forged = "x.md\napplied CNIL_FAKE (999 texts)\x1b]0;owned\x07.md";
    let file = dir.path().join(forged);
    std::fs::write(&file, "not a record: no front matter (invented)\n").unwrap();
    let out =
        recueil().arg("--index-dir").arg(dir.path().join("index")).arg("ingest").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The report on stdout, the rejection on stderr: neither echoes the name raw.
    let stdout = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("x.md\\napplied CNIL_FAKE (999 texts)\\u{1b}]0;owned\\u{7}.md"), "{stdout}");
    assert!(!stdout.lines().any(|l| l.starts_with("applied")), "a forged line: {stdout}");
    assert!(!stdout.contains('\x1b') && !stdout.contains('\x07'), "{stdout:?}");

    // An error naming the path goes through the same escaping.
    let missing = dir.path().join("gone\x1b[2J.md");
    let out = recueil().arg("--index-dir").arg(dir.path().join("index")).arg("extract").arg(&missing).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("gone\\u{1b}[2J.md") && !stderr.contains('\x1b'), "{stderr:?}");
}

/// Runs `recueil ARGS` with `dir` bind-mounted read-only over itself, in a mount namespace of
/// its own (nothing outlives the command). `None` where namespaces are not available.
fn on_read_only(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    let usable = Command::new("unshare").args(["--mount", "--map-root-user", "true"]).status();
    if !usable.is_ok_and(|s| s.success()) {
        return None;
    }
    let script = r#"d="$1"; shift; mount --bind -o ro "$d" "$d" || exit 98; if touch "$d/probe" 2>/dev/null; then exit 97; fi; exec "$@""#;
    let out = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", script, "sh"])
        .arg(dir)
        .arg(env!("CARGO_BIN_EXE_recueil"))
        .arg("--index-dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run unshare");
    assert_ne!(out.status.code(), Some(98), "mount --bind -o ro failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_ne!(out.status.code(), Some(97), "the bind mount did not make the directory read-only");
    Some(out)
}

#[test]
fn an_index_on_a_read_only_filesystem_answers_searches() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).and_then(|s| recueil::ingest::ingest_records(&s, invented())).unwrap();
    let Some(out) = on_read_only(dir.path(), &["search", "--json", "amende"]) else {
        eprintln!("skipped: unshare --mount --map-root-user is not available here");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total"].as_u64().is_some_and(|n| n > 0), "{v}");
}

#[tokio::test]
async fn readiness_is_answered_while_the_engine_queue_is_full() {
    let limits = Limits { engine_concurrency: 1, engine_queue: 1, ..test_limits() };
    let app = server::app(slow_state(Duration::from_millis(400), limits));
    let busy: Vec<_> = (0..2)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { get(&app, "/api/v1/stats").await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    get(&app, "/api/v1/stats").await.assert_error(503, "overloaded");
    let ready = get(&app, "/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    for b in busy {
        assert_eq!(b.await.unwrap().status, 200);
    }
}

#[tokio::test]
async fn cursors_carrying_nan_or_infinity_are_refused() {
    let f = fixture();
    let generation = f.state.generation();
    for bits in [f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY].map(f64::to_bits) {
        let cursor = format!("date.{generation}.{bits:x}.0");
        get(&f.app, &format!("/api/v1/search?q=&sort=date&cursor={cursor}")).await.assert_error(400, "invalid_parameter");
    }
    // A decision without the sorted value is written `none`, not as a number.
    for key in [format!("{:x}", 1e9f64.to_bits()), "none".to_string()] {
        let cursor = format!("date.{generation}.{key}.0");
        assert_eq!(get(&f.app, &format!("/api/v1/search?q=&sort=date&cursor={cursor}")).await.status, 200);
    }
}

/// With 256 descriptors, 250 idle sockets used to take every descriptor: the accept loop
/// failed with EMFILE and every client waited for the idle ones' 30 s header timeout. Now the
/// cap sits under the limit and a new client closes the longest idle connection.
#[test]
fn idle_sockets_cannot_lock_clients_out_at_the_descriptor_limit() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).and_then(|s| recueil::ingest::ingest_records(&s, invented())).unwrap();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{}", reliability_support::free_port()).parse().unwrap();
    let child = Command::new("sh")
        .args(["-c", r#"ulimit -n 256 && exec "$@""#, "sh", env!("CARGO_BIN_EXE_recueil")])
        .arg("--index-dir")
        .arg(dir.path())
        .args(["serve", "--addr", &addr.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = reliability_support::Server { child, addr };
    let answers = || reliability_support::http_get(addr, "/healthz", Duration::from_secs(5)).map(|r| r.status);
    for _ in 0..100 {
        if answers().is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let idle: Vec<std::net::TcpStream> = (0..250).map(|_| std::net::TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..3 {
        assert_eq!(answers().expect("a client is served while 250 sockets sit idle"), 200);
    }
    drop(idle);
    server.signal("KILL");
    server.wait_exit(Duration::from_secs(5));
}
