//! A headless Chromium (Debian's `chromium`, installed by `.ci/run`) against the real server
//! over a socket: loads the search page, applies a facet (the URL the facet form submits,
//! since there is no webdriver), opens a decision and checks its facts card. Screenshots of
//! each page go to `target/screenshots/`. Records are invented (see server_support).

use std::path::{Path, PathBuf};
use std::time::Duration;

use recueil::server::listen;
use crate::support::server::*;
use tokio::net::TcpListener;
use tokio::process::Command;

fn chromium() -> PathBuf {
    for candidate in ["chromium", "chromium-browser"] {
        if let Ok(out) = std::process::Command::new("which").arg(candidate).output() {
            if out.status.success() {
                return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            }
        }
    }
    panic!("chromium is missing: install Debian's `chromium` (apt-get install -y chromium; .ci/run does) to run the browser test");
}

/// Runs chromium headless on `url` with `mode` (`--dump-dom` or `--screenshot=…`); returns stdout.
async fn run_chromium(bin: &Path, profile: &Path, mode: &str, url: &str) -> String {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=1280,1400",
        "--lang=en-US",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(mode)
    .arg(url)
    .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(90), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("chromium did not finish within 90 s on {url}"))
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed on {url}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn attribute_values<'a>(dom: &'a str, attr: &str) -> Vec<&'a str> {
    dom.split(&format!("{attr}=\"")).skip(1).filter_map(|s| s.split('"').next()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_search_facet_decision() {
    let bin = chromium();
    let f = fixture();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let limits = test_limits();
    let opts = listen::ServeOptions { header_read_timeout: Duration::from_secs(10), ..listen::ServeOptions::new(&limits) };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(listen::serve(listener, f.app.clone(), opts, async {
        let _ = stopped.await;
    }));
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let profile = tempfile::tempdir().unwrap();

    // 1. The search page.
    let search_url = format!("{base}/?lang=en&q=security");
    let dom = run_chromium(&bin, profile.path(), "--dump-dom", &search_url).await;
    assert!(dom.contains("<html lang=\"en\">"), "{dom}");
    assert!(dom.contains("id=\"result-count\""));
    let facet = attribute_values(&dom, "value")
        .into_iter()
        .find(|v| v.starts_with("sector:"))
        .expect("a sector facet checkbox")
        .to_string();
    run_chromium(&bin, profile.path(), &format!("--screenshot={}", shots.join("1-search.png").display()), &search_url)
        .await;

    // 2. The facet applied: what submitting the form with that box checked requests.
    let facet_url =
        format!("{base}/?lang=en&q=&f={}", recueil::server::api::percent_encode(&facet.replace("&amp;", "&")));
    let dom = run_chromium(&bin, profile.path(), "--dump-dom", &facet_url).await;
    assert!(dom.contains(" checked"), "the facet is checked after applying it");
    let count_line = dom.split("id=\"result-count\"").nth(1).and_then(|s| s.split('<').next()).unwrap_or("");
    assert!(count_line.contains("1 decision"), "one decision in that sector: {count_line:?}");
    let decision_href = attribute_values(&dom, "href")
        .into_iter()
        .find(|h| h.starts_with("/decisions/"))
        .expect("a hit link")
        .to_string();
    run_chromium(&bin, profile.path(), &format!("--screenshot={}", shots.join("2-facet.png").display()), &facet_url)
        .await;

    // 3. The decision with its facts card.
    let decision_url = format!("{base}{decision_href}?q=security");
    let dom = run_chromium(&bin, profile.path(), "--dump-dom", &decision_url).await;
    let card = dom.split("id=\"facts\"").nth(1).and_then(|s| s.split("</section>").next()).expect("a facts card");
    assert!(card.contains("Key facts"));
    assert!(card.contains("Fine") && card.contains("€"), "{card}");
    assert!(card.contains("href=\"#ev-fine\""), "the fine links to its evidence: {card}");
    assert!(dom.contains("id=\"ev-fine\""), "the evidence anchor exists in the text");
    assert!(card.contains("href=\"/articles/"), "breached provisions link to articles");
    run_chromium(
        &bin,
        profile.path(),
        &format!("--screenshot={}", shots.join("3-decision.png").display()),
        &decision_url,
    )
    .await;
    run_chromium(
        &bin,
        profile.path(),
        &format!("--screenshot={}", shots.join("4-stats.png").display()),
        &format!("{base}/stats?lang=fr"),
    )
    .await;

    for name in ["1-search.png", "2-facet.png", "3-decision.png", "4-stats.png"] {
        let bytes = std::fs::read(shots.join(name)).unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000, "{name} is a real PNG");
    }
    let _ = stop.send(());
    server.await.unwrap();
}
