//! A headless Chromium (Debian's `chromium`, installed by `.ci/run`) against the real server
//! over a socket, driven through the DevTools protocol (support::cdp): the search page, a
//! facet applied (the URL the facet form submits), a decision and its facts card; then the
//! search, decision, articles and statistics pages in both languages at 1366 and 390 px: no
//! horizontal overflow, the first result in the first screen, and axe-core (vendored in
//! tests/it/vendor/axe-core) with no serious or critical violation. Screenshots of each go to
//! `target/screenshots/`. Records are invented (see support::server).

use std::path::{Path, PathBuf};
use std::time::Duration;

use recueil::server::listen;
use tokio::net::TcpListener;

use crate::support::cdp::{chromium, Browser};
use crate::support::server::*;

const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// Widths checked, each with a screen height: a laptop and a phone.
const SCREENS: [(u32, u32); 2] = [(1366, 900), (390, 844)];

/// axe's serious and critical violations on the open page, one line each.
const AXE_RUN: &str = r##"axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))"##;

/// How far the page is wider than the screen, and the widest elements when it is.
const OVERFLOW: &str = r##"(() => {
  const over = document.scrollingElement.scrollWidth - innerWidth;
  const culprits = over <= 0 ? [] : [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .slice(-5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""));
  return { over, culprits };
})()"##;

/// Where the first result starts.
const FIRST_RESULT_TOP: &str = r##"document.querySelector("li.hit").getBoundingClientRect().top"##;
/// Whether the keyboard focus is on the first result's link.
const ON_FIRST_RESULT: &str = r##"document.activeElement === document.querySelector("li.hit a")"##;

/// Tab presses from the top of the page to the first result's link, skip link unused.
fn tab_stops_to_first_result(b: &mut Browser) -> usize {
    for n in 1..=100 {
        b.press("Tab");
        if b.eval(ON_FIRST_RESULT) == true {
            return n;
        }
    }
    panic!("the first result's link is not reached in 100 Tab presses");
}

fn attribute_values<'a>(dom: &'a str, attr: &str) -> Vec<&'a str> {
    dom.split(&format!("{attr}=\"")).skip(1).filter_map(|s| s.split('"').next()).collect()
}

fn dom(b: &mut Browser) -> String {
    b.eval("document.documentElement.outerHTML").as_str().unwrap_or_default().to_string()
}

fn screenshot(b: &mut Browser, shots: &Path, name: &str) {
    let path = shots.join(format!("{name}.png"));
    b.screenshot(&path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000, "{name} is a real PNG");
}

/// The flow a user follows: search, a facet, a decision.
fn search_facet_decision(b: &mut Browser, base: &str, shots: &Path) -> String {
    b.viewport(1366, 900);
    b.open(&format!("{base}/?lang=en&q=security"));
    let page = dom(b);
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(page.contains("id=\"result-count\""));
    assert!(page.contains("<h1>"), "the search page has a heading");
    let facet = attribute_values(&page, "value")
        .into_iter()
        .find(|v| v.starts_with("sector:"))
        .expect("a sector facet checkbox")
        .to_string();
    screenshot(b, shots, "1-search");

    // The facet applied: what submitting the form with that box checked requests.
    b.open(&format!("{base}/?lang=en&q=&f={}", recueil::server::api::percent_encode(&facet.replace("&amp;", "&"))));
    let page = dom(b);
    assert!(page.contains(" checked"), "the facet is checked after applying it");
    let count_line = page.split("id=\"result-count\"").nth(1).and_then(|s| s.split('<').next()).unwrap_or("");
    assert!(count_line.contains("1 decision"), "one decision in that sector: {count_line:?}");
    assert!(page.contains("class=\"chips\""), "the selected sector is shown above the results");
    let decision_href = attribute_values(&page, "href")
        .into_iter()
        .find(|h| h.starts_with("/decisions/"))
        .expect("a hit link")
        .to_string();
    screenshot(b, shots, "2-facet");

    // The decision with its facts card.
    let decision_path = decision_href.split('?').next().unwrap_or_default().to_string();
    b.open(&format!("{base}{decision_path}?q=security"));
    let page = dom(b);
    let card = page.split("id=\"facts\"").nth(1).and_then(|s| s.split("</section>").next()).expect("a facts card");
    assert!(card.contains("Key facts"));
    assert!(card.contains("Fine") && card.contains("€"), "{card}");
    assert!(card.contains("href=\"#ev-fine\""), "the fine links to its evidence: {card}");
    assert!(page.contains("id=\"ev-fine\""), "the evidence anchor exists in the text");
    assert!(card.contains("href=\"/articles/"), "breached provisions link to articles");
    screenshot(b, shots, "3-decision");
    decision_path
}

/// Every page in both languages at both widths: layout and accessibility.
fn layout_and_accessibility(b: &mut Browser, base: &str, shots: &Path, decision: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut report = Vec::new();
    for lang in ["en", "fr"] {
        let words = if lang == "en" { "security" } else { "sécurité" };
        let pages = [
            ("search", format!("/?lang={lang}&q={}", recueil::server::api::percent_encode(words))),
            ("decision", format!("{decision}?lang={lang}&q={}", recueil::server::api::percent_encode(words))),
            ("articles", format!("/articles?lang={lang}")),
            ("article", format!("/articles/32?lang={lang}")),
            ("stats", format!("/stats?lang={lang}")),
            ("glossary", format!("/glossary?lang={lang}")),
        ];
        for (width, height) in SCREENS {
            b.viewport(width, height);
            for (name, path) in &pages {
                let at = format!("{name} {lang} {width}px");
                b.open(&format!("{base}{path}"));
                screenshot(b, shots, &format!("{name}-{lang}-{width}"));
                let overflow = b.eval(OVERFLOW);
                if overflow["over"].as_i64().unwrap_or(1) > 0 {
                    problems.push(format!("{at}: {} px wider than the screen: {}", overflow["over"], overflow["culprits"]));
                }
                if *name == "search" {
                    let top = b.eval(FIRST_RESULT_TOP).as_f64().unwrap_or(f64::MAX);
                    if top >= f64::from(height) - 40.0 {
                        problems.push(format!("{at}: the first result starts at {top} px, below the first screen"));
                    }
                    // The skip link: Tab, Enter, Tab lands on the first result.
                    b.press("Tab");
                    b.press("Enter");
                    b.press("Tab");
                    if b.eval(ON_FIRST_RESULT) != true {
                        problems.push(format!("{at}: Tab, Enter, Tab does not reach the first result"));
                    }
                    b.open(&format!("{base}{path}"));
                    let stops = tab_stops_to_first_result(b);
                    report.push(format!("{at}: first result at {top:.0} px; 3 keys to it by the skip link, {stops} Tab presses without"));
                }
                b.eval(AXE);
                for v in b.eval(AXE_RUN).as_array().cloned().unwrap_or_default() {
                    problems.push(format!("{at}: axe: {}", v.as_str().unwrap_or_default()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_pages_at_desktop_and_phone_widths() {
    let bin: PathBuf = chromium();
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

    // The protocol is blocking: the browser runs off the runtime's workers, which serve it.
    let report = tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch(&bin, profile.path());
        let decision = search_facet_decision(&mut b, &base, &shots);
        layout_and_accessibility(&mut b, &base, &shots, &decision)
    })
    .await
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    for line in report {
        eprintln!("{line}");
    }
    let _ = stop.send(());
    server.await.unwrap();
}
