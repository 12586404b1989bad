//! Router tests (`tower::ServiceExt::oneshot`) of every JSON endpoint and every error of the
//! contract, over an index of invented decisions built by the real store and engine.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request};
use recueil::index::store::Store;
use recueil::server::{self, AppState, Limits};
use crate::support::server::*;

const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("content-security-policy", server::CSP),
];

fn assert_security_headers(r: &Reply) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(r.header(name), value, "{name} on a {} response", r.status);
    }
    assert!(server::CSP.contains("frame-ancestors 'none'") && !server::CSP.contains("unsafe-inline"));
}

fn numbers(v: &serde_json::Value) -> Vec<String> {
    v["hits"].as_array().expect("hits").iter().map(|h| h["number"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn search_returns_hits_facets_and_fine_stats() {
    let f = fixture();
    let r = get(&f.app, "/api/v1/search?q=s%C3%A9curit%C3%A9&limit=10").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_security_headers(&r);
    let v = r.json();
    assert!(numbers(&v).contains(&"SAN-2091-001".to_string()), "{v}");
    assert!(v["facets"]["sector"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(v["fine_stats"]["count"].as_u64().is_some());

    // Everything, by fine: the largest fine first.
    let v = get(&f.app, "/api/v1/search?sort=fine&limit=2").await.json();
    assert_eq!(v["total"], 4);
    assert_eq!(numbers(&v)[0], "SAN-2091-001");
}

#[tokio::test]
async fn cursor_pages_through_every_hit_once() {
    let f = fixture();
    let mut seen = Vec::new();
    let mut uri = "/api/v1/search?sort=date&limit=1".to_string();
    for _ in 0..10 {
        let v = get(&f.app, &uri).await.json();
        seen.extend(numbers(&v));
        match v["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/search?sort=date&limit=1&cursor={}", server::api::percent_encode(c)),
            None => break,
        }
    }
    assert_eq!(seen, ["DR-2094-010", "SAN-2093-002", "SAN-2092-007", "SAN-2091-001"]);
}

#[tokio::test]
async fn bad_parameters_are_400_with_the_json_contract() {
    let f = fixture();
    for (uri, code) in [
        ("/api/v1/search?q=x&limit=0", "invalid_parameter"),
        ("/api/v1/search?q=x&limit=abc", "invalid_parameter"),
        ("/api/v1/search?q=x&limit=-1", "invalid_parameter"),
        ("/api/v1/search?q=x&limit=101", "invalid_parameter"),
        ("/api/v1/search?q=x&limit=99999999999999999999999", "invalid_parameter"),
        ("/api/v1/search?q=x&offset=10001", "invalid_parameter"),
        ("/api/v1/search?q=x&offset=9995&limit=10", "invalid_parameter"),
        ("/api/v1/search?q=x&sort=price", "invalid_parameter"),
        ("/api/v1/search?q=x&limt=5", "invalid_parameter"),
        ("/api/v1/search?q=x&q=y", "invalid_parameter"),
        ("/api/v1/search?q=x&cursor=garbage", "invalid_parameter"),
        ("/api/v1/search?q=%28%28%28", "invalid_query"),
        ("/api/v1/search?q=title%3A%2A", "invalid_query"),
        ("/api/v1/search?q=fine%3E%3Dlots", "invalid_query"),
        ("/api/v1/decisions/SAN-2091-001/similar?limit=0", "invalid_parameter"),
        ("/api/v1/articles/abc", "invalid_parameter"),
        ("/api/v1/export.csv?q=%22unterminated", "invalid_query"),
        ("/feed.atom?q=year%3Anever", "invalid_query"),
    ] {
        let r = get(&f.app, uri).await;
        r.assert_error(400, code);
        assert!(!r.body.contains("invalid digit"), "no serde detail leaks: {}", r.body);
        assert_security_headers(&r);
    }
    let long = format!("/api/v1/search?q={}", "a".repeat(600));
    get(&f.app, &long).await.assert_error(400, "invalid_query");
    let deep = format!("/api/v1/search?q={}x{}", "%28".repeat(3000), "%29".repeat(3000));
    get(&f.app, &deep).await.assert_error(414, "uri_too_long");
    let deep = format!("/api/v1/search?q={}x{}", "%28".repeat(200), "%29".repeat(200));
    get(&f.app, &deep).await.assert_error(400, "invalid_query");
}

#[tokio::test]
async fn decisions_by_id_or_number_summary_and_similar() {
    let f = fixture();
    let v = get(&f.app, "/api/v1/decisions/CNILTEXT000099000001").await.json();
    assert_eq!(v["number"], "SAN-2091-001");
    let reading = &v["readings"][0]["record"];
    assert!(reading["evidence"]["fine"].is_array() && reading["outline"].as_array().is_some_and(|o| o.len() == 3));
    assert_eq!(v["provenance"]["fine"]["basis"], "original_text");
    assert_eq!(v["texts"][0]["original"], true);
    let v = get(&f.app, "/api/v1/decisions/san-2092-007").await.json();
    assert_eq!(v["id"], "cnil-SAN-2092-007");

    let s = get(&f.app, "/api/v1/decisions/SAN-2091-001/summary").await.json();
    assert_eq!(s["fine_eur"], 150000);
    assert_eq!(s["breached"][0], "GDPR:32", "provision keys, as in hits");
    assert_eq!(s["provisions"][0]["provision"], "GDPR:32");
    assert_eq!(s["provisions"][0]["title"], "GDPR Art. 32 – Security of processing");
    assert_eq!(s["legifrance_url"], "https://www.legifrance.gouv.fr/cnil/id/CNILTEXT000099000001");
    assert_eq!(s["measures"], serde_json::json!(["fine", "publication"]));

    let sim = get(&f.app, "/api/v1/decisions/SAN-2091-001/similar?limit=3").await;
    assert_eq!(sim.status, 200, "{}", sim.body);
    let sim = sim.json();
    assert!(sim["hits"].as_array().is_some_and(|a| a.len() <= 3 && a.iter().all(|h| h["number"] != "SAN-2091-001")), "{sim}");

    get(&f.app, "/api/v1/decisions/SAN-1999-999").await.assert_error(404, "not_found");
    get(&f.app, "/api/v1/decisions/SAN-1999-999/summary").await.assert_error(404, "not_found");
    get(&f.app, "/api/v1/decisions/SAN-1999-999/similar").await.assert_error(404, "not_found");
    get(&f.app, &format!("/api/v1/decisions/{}", "x".repeat(200))).await.assert_error(400, "invalid_parameter");
    get(&f.app, "/api/v1/decisions/SAN-2091-001?x=1").await.assert_error(400, "invalid_parameter");
}

#[tokio::test]
async fn articles_and_stats() {
    let f = fixture();
    let all = get(&f.app, "/api/v1/articles").await.json();
    let all = all["articles"].as_array().expect("an envelope around the articles");
    assert_eq!(all.len(), 99);
    let a32 = &all[31];
    assert_eq!((a32["number"].as_u64(), a32["title_en"].as_str()), (Some(32), Some("Security of processing")));
    assert_eq!(a32["decisions"], 2);
    assert_eq!(a32["fine_sum"], 200000);
    assert_eq!(all[0]["title_fr"], "Objet et objectifs");

    let a = get(&f.app, "/api/v1/articles/32").await.json();
    // `decisions` counts, as in the list; the hits page with a cursor.
    assert_eq!((a["decisions"].clone(), a["fine_sum"].clone()), (a32["decisions"].clone(), a32["fine_sum"].clone()));
    assert_eq!(numbers(&a), ["SAN-2092-007", "SAN-2091-001"]);
    let first = get(&f.app, "/api/v1/articles/32?limit=1").await.json();
    assert_eq!(numbers(&first), ["SAN-2092-007"]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let next = get(&f.app, &format!("/api/v1/articles/32?limit=1&cursor={}", server::api::percent_encode(cursor))).await.json();
    assert_eq!(numbers(&next), ["SAN-2091-001"]);
    assert!(next["next_cursor"].is_null());
    get(&f.app, "/api/v1/articles/100").await.assert_error(404, "not_found");
    get(&f.app, "/api/v1/articles/0").await.assert_error(404, "not_found");

    let s = get(&f.app, "/api/v1/stats").await.json();
    assert_eq!(s["total"], 4);
    let p32 = s["by_provision"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["value"].as_str().is_some_and(|k| k.eq_ignore_ascii_case("GDPR:32")))
        .cloned();
    assert_eq!(p32.map(|g| (g["count"].clone(), g["fine_sum"].clone())), Some((2.into(), 200000.into())));
}

#[tokio::test]
async fn exports_stream_every_hit() {
    let f = fixture();
    let r = get(&f.app, "/api/v1/export.csv?sort=date").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").starts_with("text/csv"));
    assert!(r.header("content-disposition").starts_with("attachment"));
    let mut rows = csv::Reader::from_reader(r.body.as_bytes());
    let numbers: Vec<String> = rows.records().map(|row| row.expect("csv row")[1].to_string()).collect();
    assert_eq!(numbers, ["DR-2094-010", "SAN-2093-002", "SAN-2092-007", "SAN-2091-001"]);
    // The hostile respondent stays data; a leading `=` would have been neutralised.
    assert!(r.body.contains("<script>alert('x')</script> Example Shop"));

    let r = get(&f.app, "/api/v1/export.jsonl?q=article%3A32").await;
    assert!(r.header("content-type").starts_with("application/jsonl"));
    let lines: Vec<serde_json::Value> = r.body.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(lines.len(), 2);
    get(&f.app, "/api/v1/export.jsonl?q=x&limit=5").await.assert_error(400, "invalid_parameter");
}

#[tokio::test]
async fn atom_feed_is_valid_and_escaped() {
    let f = fixture();
    let r = send(
        &f.app,
        Request::get("/feed.atom?q=article%3A32").header(header::HOST, "attacker.example").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/atom+xml"));
    let doc = roxmltree::Document::parse(&r.body).expect("well-formed XML");
    let entries: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("entry")).collect();
    assert_eq!(entries.len(), 2);
    let titles: Vec<&str> =
        entries.iter().filter_map(|e| e.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text())).collect();
    // Its order (the store's last change first) is tested with the sync API.
    assert!(
        titles.iter().any(|t| t.starts_with("SAN-2092-007") && t.contains("<script>")),
        "text content, escaped in the XML: {titles:?}"
    );
    assert!(!r.body.contains("<script>"));
    // Ids and links under the configured public URL, never the Host header.
    assert!(r.body.contains(&format!("<id>{PUBLIC_URL}/decisions/cnil-SAN-2092-007</id>")), "{}", r.body);
    assert!(!r.body.contains("attacker"));
}

#[tokio::test]
async fn openapi_health_readiness_and_metrics() {
    let f = fixture();
    let doc = get(&f.app, "/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/search",
        "/api/v1/decisions/{id}",
        "/api/v1/decisions/{id}/summary",
        "/api/v1/articles/{n}",
        "/api/v1/export.csv",
        "/feed.atom",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert_eq!(get(&f.app, "/healthz").await.json()["status"], "ok");
    let ready = get(&f.app, "/readyz").await.json();
    assert_eq!((ready["status"].as_str(), ready["decisions"].as_u64()), (Some("ready"), Some(4)));
    get(&f.app, "/api/v1/search?limit=0").await;
    let m = get(&f.app, "/metrics").await;
    assert!(m.header("content-type").starts_with("text/plain; version=0.0.4"));
    assert!(m.body.contains("recueil_http_responses_total{class=\"4xx\"} 1"), "{}", m.body);
    assert!(m.body.contains("recueil_engine_calls_total "));
    assert!(m.body.lines().filter(|l| !l.starts_with('#')).all(|l| l.split_whitespace().count() == 2), "{}", m.body);
}

#[tokio::test]
async fn framework_errors_become_json_with_headers() {
    let f = fixture();
    let r = get(&f.app, "/api/v1/nothing").await;
    r.assert_error(404, "not_found");
    assert_security_headers(&r);

    let r = send(&f.app, Request::post("/api/v1/search").body(Body::from("{}")).unwrap()).await;
    r.assert_error(405, "method_not_allowed");
    assert!(r.header("allow").contains("GET"));
    assert_security_headers(&r);

    let big = vec![b'a'; 100 * 1024];
    let r = send(
        &f.app,
        Request::post("/api/v1/search").header(header::CONTENT_LENGTH, big.len()).body(Body::from(big)).unwrap(),
    )
    .await;
    r.assert_error(413, "payload_too_large");
    assert_security_headers(&r);

    let r = get(&f.app, &format!("/api/v1/search?q={}", "a".repeat(5000))).await;
    r.assert_error(414, "uri_too_long");
}

#[tokio::test]
async fn load_shedding_wraps_the_whole_service() {
    let limits = Limits { max_in_flight: 2, ..test_limits() };
    let app = server::app(slow_state(Duration::from_millis(400), limits));
    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { get(&app, "/api/v1/stats").await })
        })
        .collect();
    let mut replies = Vec::new();
    for t in tasks {
        replies.push(t.await.unwrap());
    }
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let shed: Vec<&Reply> = replies.iter().filter(|r| r.status == 503).collect();
    assert_eq!((ok, shed.len()), (2, 3), "statuses: {:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    for r in shed {
        r.assert_error(503, "overloaded");
        assert_eq!(r.header("retry-after"), "1");
        assert_security_headers(r);
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn engine_queue_is_bounded() {
    let limits = Limits { engine_concurrency: 1, engine_queue: 1, ..test_limits() };
    let app = server::app(slow_state(Duration::from_millis(300), limits));
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(30 * i)).await;
                get(&app, "/api/v1/stats").await
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        if r.status == 503 {
            r.assert_error(503, "overloaded");
            assert_eq!(r.header("retry-after"), "1");
        }
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 503]);
}

#[tokio::test]
async fn slow_requests_time_out_as_503() {
    let limits = Limits { request_timeout: Duration::from_millis(100), ..test_limits() };
    let app = server::app(slow_state(Duration::from_millis(600), limits));
    let started = Instant::now();
    let r = get(&app, "/api/v1/stats").await;
    r.assert_error(503, "overloaded");
    assert_eq!(r.header("retry-after"), "1");
    assert_security_headers(&r);
    assert!(started.elapsed() < Duration::from_millis(500));
}

/// Armed once the state is built: then `generation`, called by /readyz in the handler
/// itself (not in spawn_blocking), panics, and only CatchPanic stands between it and the
/// connection.
static ARMED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

struct PanickingBackend;

impl recueil::server::Backend for PanickingBackend {
    fn search(&self, _: &recueil::search::SearchRequest) -> recueil::Result<recueil::search::SearchResponse> {
        panic!("invented engine failure")
    }
    fn get(&self, _: &str) -> recueil::Result<Option<recueil::record::Decision>> {
        Err(recueil::Error::Index("/secret/path is corrupt".into()))
    }
    fn similar(&self, _: &str, _: usize) -> recueil::Result<Vec<recueil::search::Hit>> {
        Ok(vec![])
    }
    fn stats(&self) -> recueil::Result<recueil::search::Stats> {
        Ok(Default::default())
    }
    fn generation(&self) -> u64 {
        if ARMED.load(std::sync::atomic::Ordering::SeqCst) {
            panic!("invented handler failure");
        }
        1
    }
}

#[tokio::test]
async fn engine_panics_and_faults_are_500_without_details() {
    let opener: recueil::server::Opener = std::sync::Arc::new(|| {
        Ok(std::sync::Arc::new(PanickingBackend) as std::sync::Arc<dyn recueil::server::Backend>)
    });
    let app = server::app(AppState::new(opener, None, test_limits()).unwrap());
    ARMED.store(true, std::sync::atomic::Ordering::SeqCst);
    // Readiness probes a search, which panics: not ready.
    let r = get(&app, "/readyz").await;
    r.assert_error(503, "not_ready");
    assert_security_headers(&r);
    let r = get(&app, "/api/v1/search?q=x").await;
    r.assert_error(500, "index_error");
    let r = get(&app, "/api/v1/decisions/x").await;
    r.assert_error(500, "index_error");
    assert!(!r.body.contains("secret"), "{}", r.body);
    assert_security_headers(&r);
    // Still serving.
    assert_eq!(get(&app, "/healthz").await.status, 200);
}

#[tokio::test]
async fn a_new_generation_is_picked_up_without_restart() {
    let f = fixture();
    f.state.spawn_reloader();
    let before = get(&f.app, "/readyz").await.json()["generation"].as_u64().unwrap();
    get(&f.app, "/api/v1/decisions/SAN-2095-001").await.assert_error(404, "not_found");
    let mut records = invented();
    records.push(recueil::Record {
        id: "cnil-SAN-2095-001".into(),
        facts: recueil::record::Facts {
            number: Some("SAN-2095-001".into()),
            ..Default::default()
        },
        authority: "CNIL".into(),
        text: "Décision inventée ajoutée après le démarrage du serveur.".into(),
        ..Default::default()
    });
    let dir = f.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || recueil::ingest::ingest_records(&Store::open(&dir).unwrap(), records).unwrap()).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = get(&f.app, "/api/v1/decisions/SAN-2095-001").await;
        if r.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "new generation not served after 5 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = get(&f.app, "/readyz").await.json();
    assert!(after["generation"].as_u64().unwrap() > before);
    assert_eq!(after["decisions"], 5);
    assert!(get(&f.app, "/metrics").await.body.contains("recueil_index_reloads_total 1"));
}
