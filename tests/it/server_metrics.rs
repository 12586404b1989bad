//! `/metrics` against the exposition format: `promtool check metrics` when promtool is
//! installed (Debian package `prometheus`), and the rules it applies checked here in any case.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::server::*;

#[tokio::test]
async fn metrics_follow_the_exposition_format() {
    let f = fixture();
    for uri in ["/api/v1/search?q=amende", "/api/v1/search?limit=0", "/healthz"] {
        get(&f.app, uri).await;
    }
    let page = get(&f.app, "/metrics").await.body;

    // Every sample belongs to a family declared once with HELP and TYPE; counters end in
    // _total; a histogram has cumulative buckets ending at +Inf = _count.
    let mut types = BTreeMap::new();
    for line in page.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(types.insert(name.to_string(), kind.to_string()).is_none(), "{name} declared twice");
            assert!(page.contains(&format!("# HELP {name} ")), "{name} has no help");
            if kind == "counter" {
                assert!(name.ends_with("_total"), "counter {name} without _total");
            }
        }
    }
    let mut buckets = Vec::new();
    for line in page.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
        let name = series.split('{').next().unwrap();
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|base| types.get(*base).is_some_and(|k| k == "histogram")))
            .unwrap_or(name);
        assert!(types.contains_key(family), "{name} has no TYPE");
        if name == "recueil_http_request_duration_seconds_bucket" {
            buckets.push(value);
        }
    }
    assert_eq!(types["recueil_http_request_duration_seconds"], "histogram");
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "cumulative: {buckets:?}");
    assert!(page.contains("recueil_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"), "{page}");
    assert!(page.contains("recueil_http_request_duration_seconds_count 3\n"));

    match Command::new("promtool").args(["check", "metrics"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        Ok(mut child) => {
            child.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success() && said.trim().is_empty(), "promtool check metrics: {said}\n{page}");
        }
        Err(_) => eprintln!("promtool not installed (Debian package prometheus): checked the format rules only"),
    }
}
