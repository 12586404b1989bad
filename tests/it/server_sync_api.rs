//! What a client that builds on the API, or syncs from it, relies on: field selection, the
//! added/modified filters, sort order, expired cursors apart from malformed ones, exports that
//! keep one generation and say when they stop early, a truthful /readyz, the feed's dates.
//! Every record here is invented (see support/server.rs).

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use recueil::index::store::Store;
use recueil::search::{Hit, SearchRequest, SearchResponse, Stats};
use recueil::server::{self, AppState, Backend, Opener};
use crate::support::server::*;
use tower::ServiceExt;

#[tokio::test]
async fn fields_select_the_keys_of_hits_and_export_lines() {
    let f = fixture();
    let r = get(&f.app, "/api/v1/export.jsonl?q=article:32&fields=number,fine_eur,summary").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let lines: Vec<serde_json::Value> = r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{}", r.body);
    for line in &lines {
        let mut keys: Vec<&str> = line.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["fine_eur", "id", "number", "summary"], "{line}");
        assert!(line["summary"].as_object().is_some_and(|s| s.contains_key("en") && s.contains_key("fr")), "{line}");
    }
    assert!(lines.iter().any(|l| l["summary"]["fr"].as_str().is_some_and(|s| s.contains("Invented"))), "{}", r.body);
    assert_eq!(r.header("x-total-count"), "2");

    let hits = get(&f.app, "/api/v1/search?q=article:32&fields=respondent,summary").await.json();
    assert!(hits["hits"].as_array().unwrap().iter().all(|h| h.as_object().unwrap().len() == 3), "{hits}");
    assert!(hits["facets"].is_object(), "the rest of the answer is unchanged");
    let csv = get(&f.app, "/api/v1/export.csv?q=article:32&fields=number,summary").await;
    assert_eq!(csv.body.lines().next(), Some("number,summary_en,summary_fr"), "{}", csv.body);

    get(&f.app, "/api/v1/search?fields=number,fine").await.assert_error(400, "invalid_parameter");
    get(&f.app, "/api/v1/export.jsonl?fields=snippet").await.assert_error(400, "invalid_parameter");
}

#[tokio::test]
async fn added_and_modified_since_filter_searches_and_exports() {
    let f = fixture();
    let all = get(&f.app, "/api/v1/search?fields=modified").await.json();
    let latest = all["hits"].as_array().unwrap().iter().map(|h| h["modified"].as_str().unwrap().to_string()).max().unwrap();
    let latest = chrono::DateTime::parse_from_rfc3339(&latest).unwrap();
    let at = |t: chrono::DateTime<chrono::FixedOffset>| t.to_rfc3339().replace('+', "%2B");
    let app = &f.app;
    assert_eq!(total(app, "/api/v1/search?modified_since=2000-01-01").await, 4);
    assert_eq!(total(app, &format!("/api/v1/search?modified_since={}", at(latest - chrono::Duration::seconds(1)))).await, 4);
    assert_eq!(total(app, &format!("/api/v1/search?modified_since={}", at(latest + chrono::Duration::seconds(2)))).await, 0);
    let day_before = at(latest - chrono::Duration::days(1));
    assert_eq!(total(app, &format!("/api/v1/search?added_since={day_before}&q=article:32")).await, 2);
    let export = get(&f.app, &format!("/api/v1/export.jsonl?modified_since={}", at(latest + chrono::Duration::seconds(2)))).await;
    assert_eq!((export.status.as_u16(), export.body.as_str()), (200, ""));
    get(&f.app, "/api/v1/search?modified_since=yesterday").await.assert_error(400, "invalid_parameter");
}

async fn total(app: &server::App, uri: &str) -> u64 {
    get(app, uri).await.json()["total"].as_u64().unwrap()
}

async fn numbers(app: &server::App, uri: &str) -> Vec<String> {
    let page = get(app, uri).await.json();
    page["hits"].as_array().unwrap().iter().map(|h| h["number"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn order_reverses_date_and_fine_sorts() {
    let f = fixture();
    let app = &f.app;
    assert_eq!(numbers(app, "/api/v1/search?sort=date").await, ["DR-2094-010", "SAN-2093-002", "SAN-2092-007", "SAN-2091-001"]);
    assert_eq!(numbers(app, "/api/v1/search?sort=date&order=asc").await, ["SAN-2091-001", "SAN-2092-007", "SAN-2093-002", "DR-2094-010"]);
    // Decisions without a fine come last either way.
    assert_eq!(numbers(app, "/api/v1/search?sort=fine&order=asc").await[..2], ["SAN-2092-007", "SAN-2091-001"]);
    let page = get(&f.app, "/api/v1/search?sort=date&order=asc&limit=2").await.json();
    let cursor = page["next_cursor"].as_str().unwrap();
    let next = numbers(app, &format!("/api/v1/search?sort=date&order=asc&limit=2&cursor={cursor}")).await;
    assert_eq!(next, ["SAN-2093-002", "DR-2094-010"]);
    get(&f.app, &format!("/api/v1/search?sort=date&limit=2&cursor={cursor}")).await.assert_error(400, "invalid_parameter");
    get(&f.app, "/api/v1/search?order=asc").await.assert_error(400, "invalid_parameter");
    get(&f.app, "/api/v1/search?sort=date&order=up").await.assert_error(400, "invalid_parameter");
}

fn one_more_record(n: u32) -> recueil::Record {
    recueil::Record {
        id: format!("cnil-SAN-2097-{n:03}"),
        facts: recueil::record::Facts {
            number: Some(format!("SAN-2097-{n:03}")),
            ..Default::default()
        },
        authority: "CNIL".into(),
        text: format!("Décision inventée numéro {n}, sur la sécurité des données."),
        ..Default::default()
    }
}

async fn ingest(f: &Fixture, records: Vec<recueil::Record>) {
    let dir = f.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || recueil::ingest::ingest_records(&Store::open(&dir).unwrap(), records).unwrap())
        .await
        .unwrap();
    f.state.reload_if_moved().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_cursor_is_told_apart_from_a_malformed_one() {
    let f = fixture();
    let page = get(&f.app, "/api/v1/search?sort=date&limit=1").await.json();
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    assert!(get(&f.app, &format!("/api/v1/search?sort=date&limit=1&cursor={cursor}")).await.status == 200);
    let generation = f.state.generation();
    ingest(&f, vec![one_more_record(1)]).await;
    assert!(f.state.generation() > generation);
    get(&f.app, &format!("/api/v1/search?sort=date&limit=1&cursor={cursor}")).await.assert_error(400, "cursor_expired");
    get(&f.app, "/api/v1/search?sort=date&cursor=date.x.y").await.assert_error(400, "invalid_parameter");
    let g = f.state.generation();
    for bits in ["7ff8000000000000", "7ff0000000000000", "fff0000000000000"] {
        let uri = format!("/api/v1/search?sort=date&cursor=date.{g}.{bits}.0");
        get(&f.app, &uri).await.assert_error(400, "invalid_parameter");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_reads_one_generation_from_start_to_end() {
    let f = fixture();
    ingest(&f, (1..=600).map(one_more_record).collect()).await;
    let resp = f.app.clone().oneshot(Request::get("/api/v1/export.jsonl?sort=date").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), 200);
    // The producer is at most a few pages ahead: the rest is read after the switch.
    ingest(&f, vec![one_more_record(601)]).await;
    let body = String::from_utf8(resp.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let lines: Vec<serde_json::Value> = body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.iter().all(|l| l.get("error").is_none()), "{:?}", lines.last());
    assert_eq!(lines.len(), 604, "every decision of the generation the export started on");
}

/// A backend of an endless result set whose page `fail_at` fails (invented hits).
struct Paged {
    fail_at: usize,
}

fn invented_hit(n: usize) -> Hit {
    let head = serde_json::from_value(serde_json::json!({
        "id": format!("cnil-SAN-2098-{n:05}"), "number": null, "date": null, "title": null, "nature": null,
        "respondent": null, "sector": null, "fine_eur": null, "breached": [], "measures": [], "language": "fr",
        "summary": {"en": null, "fr": null}, "legifrance_url": null, "added": "2098-01-01T00:00:00Z", "modified": "2098-01-01T00:00:00Z"
    }))
    .unwrap();
    Hit { head, score: None, snippet: Vec::new(), passages: Vec::new() }
}

impl Backend for Paged {
    fn search(&self, req: &SearchRequest) -> recueil::Result<SearchResponse> {
        let page: usize = req.cursor.as_deref().map_or(0, |c| c.parse().unwrap());
        if page == self.fail_at {
            return Err(recueil::Error::Index("invented failure at /secret/path".into()));
        }
        Ok(SearchResponse {
            total: 1_000_000,
            hits: (0..req.limit).map(|i| invented_hit(page * req.limit + i)).collect(),
            facets: Default::default(),
            fine_stats: Default::default(),
            next_cursor: Some((page + 1).to_string()),
            did_you_mean: None,
        })
    }
    fn get(&self, _: &str) -> recueil::Result<Option<recueil::record::Decision>> {
        Ok(None)
    }
    fn similar(&self, _: &str, _: usize) -> recueil::Result<Vec<Hit>> {
        Ok(vec![])
    }
    fn stats(&self) -> recueil::Result<Stats> {
        Ok(Default::default())
    }
    fn generation(&self) -> u64 {
        1
    }
}

fn paged(fail_at: usize) -> server::App {
    let opener: Opener = Arc::new(move || Ok(Arc::new(Paged { fail_at }) as Arc<dyn Backend>));
    server::app(AppState::new(opener, None, test_limits()).unwrap())
}

#[tokio::test]
async fn an_export_cut_short_ends_with_an_error_line() {
    let r = get(&paged(3), "/api/v1/export.jsonl").await;
    let lines: Vec<serde_json::Value> = r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 301, "three pages, then the error");
    let last = &lines[300];
    assert_eq!(last["error"]["code"], "index_error", "{last}");
    assert!(last["error"]["message"].as_str().unwrap().contains("300 of 1000000"), "{last}");
    assert!(!r.body.contains("secret"), "no internal detail");

    let r = get(&paged(usize::MAX), "/api/v1/export.jsonl").await;
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines.len(), 10_001, "the cap, then why it stopped");
    assert!(lines[10_000].contains("\"export_truncated\""), "{}", lines[10_000]);

    let r = get(&paged(1), "/api/v1/export.csv?fields=id,number,date").await;
    let last = r.body.lines().last().unwrap();
    assert!(last.starts_with("#error index_error: stopped after 100 of 1000000 hits") && last.ends_with(",,"), "{last}");
}

#[tokio::test]
async fn readiness_fails_when_searches_fail() {
    let r = get(&paged(0), "/readyz").await;
    r.assert_error(503, "not_ready");
    let f = fixture();
    let ready = get(&f.app, "/readyz").await.json();
    assert_eq!((ready["status"].as_str(), ready["decisions"].as_u64()), (Some("ready"), Some(4)));
}

#[tokio::test]
async fn feed_entries_are_dated_by_their_last_change() {
    let f = fixture();
    let modified: Vec<String> = get(&f.app, "/api/v1/search?sort=date&fields=modified").await.json()["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| chrono::DateTime::parse_from_rfc3339(h["modified"].as_str().unwrap()).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .collect();
    let feed = get(&f.app, "/feed.atom").await.body;
    for m in &modified {
        assert!(feed.contains(&format!("<updated>{m}</updated>")), "{m} in {feed}");
    }
    assert!(feed.contains("<published>2094-09-01T00:00:00Z</published>"), "{feed}");
    assert!(!feed.contains("1970-01-01"), "{feed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_decision_stored_late_comes_first_by_last_change_and_in_the_feed() {
    let f = fixture();
    let mut late = one_more_record(1);
    late.facts.date = chrono::NaiveDate::from_ymd_opt(2090, 1, 2);
    // The store keeps instants to the second: a change in the fixture's second would tie.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    ingest(&f, vec![late]).await;
    let app = &f.app;
    assert_eq!(numbers(app, "/api/v1/search?sort=modified&limit=1").await, ["SAN-2097-001"]);
    assert_eq!(numbers(app, "/api/v1/search?sort=modified&order=asc").await.last().unwrap(), "SAN-2097-001");
    assert_eq!(numbers(app, "/api/v1/search?sort=date").await.last().unwrap(), "SAN-2097-001", "the oldest by its date");
    let page = get(app, "/api/v1/search?sort=modified&limit=2").await.json();
    let cursor = page["next_cursor"].as_str().unwrap();
    assert_eq!(numbers(app, &format!("/api/v1/search?sort=modified&limit=2&cursor={cursor}")).await.len(), 2);
    let feed = get(app, "/feed.atom").await.body;
    let first_entry = feed.split("<entry>").nth(1).unwrap();
    assert!(first_entry.contains("SAN-2097-001"), "{feed}");
    let refused = get(app, "/api/v1/search?sort=newest").await;
    refused.assert_error(400, "invalid_parameter");
    assert!(refused.body.contains("relevance, date, fine, modified"), "{}", refused.body);
}

#[tokio::test]
async fn a_current_naming_a_missing_generation_still_serves_the_intact_one() {
    let f = fixture();
    let before = f.state.generation();
    std::fs::write(f.dir.path().join("CURRENT"), format!("gen-{}\n", before + 5)).unwrap();
    let state = AppState::for_index_dir(f.dir.path().to_path_buf(), test_limits()).expect("serves the intact generation");
    assert_eq!(state.generation(), before);
    let app = server::app(state);
    assert_eq!(get(&app, "/readyz").await.json()["decisions"], 4);
    // And a later ingest starts from it.
    ingest(&f, vec![one_more_record(1)]).await;
    assert!(AppState::for_index_dir(f.dir.path().to_path_buf(), test_limits()).unwrap().generation() > before);
}
