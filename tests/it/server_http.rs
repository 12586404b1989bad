//! HTTP basics over the real app (oneshot): compression, validators and 304, caching
//! headers, CORS on the API with its preflight. Invented records (see server_support).

use std::io::Read;

use axum::body::Body;
use axum::http::{header, Method, Request};
use crate::support::server::*;

fn req(uri: &str, headers: &[(header::HeaderName, &str)]) -> Request<Body> {
    let mut r = Request::get(uri);
    for (k, v) in headers {
        r = r.header(k, *v);
    }
    r.body(Body::empty()).unwrap()
}

async fn raw(app: &recueil::server::App, request: Request<Body>) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let resp = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = resp.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn search_is_compressed_with_gzip_or_brotli() {
    let f = fixture();
    let plain = get(&f.app, "/api/v1/search?limit=10").await;
    assert_eq!(plain.header("content-encoding"), "");

    let (status, h, body) = raw(&f.app, req("/api/v1/search?limit=10", &[(header::ACCEPT_ENCODING, "gzip")])).await;
    assert_eq!(status, 200);
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
    assert!(h[header::VARY].to_str().unwrap().to_lowercase().contains("accept-encoding"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut text).unwrap();
    assert_eq!(text, plain.body, "the same JSON, compressed");
    assert!(body.len() < plain.body.len());

    let (_, h, body) = raw(&f.app, req("/api/v1/search?limit=10", &[(header::ACCEPT_ENCODING, "br")])).await;
    assert_eq!(h[header::CONTENT_ENCODING], "br");
    assert!(!body.is_empty() && body.len() < plain.body.len());

    // Exports stream compressed too.
    let (_, h, _) = raw(&f.app, req("/api/v1/export.jsonl", &[(header::ACCEPT_ENCODING, "gzip")])).await;
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn etags_come_from_the_generation_and_the_request_and_give_304() {
    let f = fixture();
    let a = get(&f.app, "/api/v1/search?q=amende").await;
    let tag = a.header("etag").to_string();
    assert!(tag.starts_with("\"g") && tag.ends_with('"') && !tag.starts_with("W/"), "strong tag: {tag}");
    assert_eq!(a.header("cache-control"), "public, max-age=60");
    assert!(httpdate::parse_http_date(a.header("last-modified")).is_ok(), "{:?}", a.headers);
    assert_eq!(get(&f.app, "/api/v1/search?q=amende").await.header("etag"), tag, "stable");
    assert_ne!(get(&f.app, "/api/v1/search?q=cookies").await.header("etag"), tag, "per request");
    let (_, gz, _) = raw(&f.app, req("/api/v1/search?q=amende", &[(header::ACCEPT_ENCODING, "gzip")])).await;
    assert_ne!(gz[header::ETAG], tag.as_str(), "a gzip body is another representation");

    let r = send(&f.app, req("/api/v1/search?q=amende", &[(header::IF_NONE_MATCH, &tag)])).await;
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    assert_eq!(r.header("etag"), tag);
    let r = send(&f.app, req("/api/v1/search?q=amende", &[(header::IF_NONE_MATCH, "\"g0-0\"")])).await;
    assert_eq!(r.status, 200);
    let since = a.header("last-modified").to_string();
    let r = send(&f.app, req("/api/v1/search?q=amende", &[(header::IF_MODIFIED_SINCE, &since)])).await;
    assert_eq!(r.status, 304);

    // A new generation changes every tag.
    let mut records = invented();
    records[0].title = Some("Retitled (invented)".into());
    recueil::ingest::ingest_records(&recueil::index::store::Store::open(f.dir.path()).unwrap(), records).unwrap();
    f.state.reload_if_moved().await;
    let r = send(&f.app, req("/api/v1/search?q=amende", &[(header::IF_NONE_MATCH, &tag)])).await;
    assert_eq!(r.status, 200);
    assert_ne!(r.header("etag"), tag);

    // Errors and live state are not stored; web pages keep their own policy.
    let e = get(&f.app, "/api/v1/search?limit=0").await;
    assert_eq!((e.status.as_u16(), e.header("cache-control"), e.header("etag")), (400, "no-store", ""));
    assert_eq!(get(&f.app, "/metrics").await.header("cache-control"), "no-store");
    assert_eq!(get(&f.app, "/readyz").await.header("cache-control"), "no-store");
    assert!(get(&f.app, "/feed.atom").await.header("etag").starts_with("\"g"));
}

#[tokio::test]
async fn the_api_is_readable_from_any_origin_and_answers_preflights() {
    let f = fixture();
    let origin = (header::ORIGIN, "https://client.example");
    let r = send(&f.app, req("/api/v1/search?q=amende", &[origin.clone()])).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), "*");
    assert!(r.header("access-control-expose-headers").to_lowercase().contains("etag"));

    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/search?q=amende")
        .header(header::ORIGIN, "https://client.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "if-none-match")
        .body(Body::empty())
        .unwrap();
    let r = send(&f.app, preflight).await;
    assert_eq!(r.status, 200, "{:?} {}", r.headers, r.body);
    assert_eq!(r.header("access-control-allow-origin"), "*");
    assert!(r.header("access-control-allow-methods").contains("GET"));
    assert!(r.header("access-control-allow-headers").to_lowercase().contains("if-none-match"));

    // Errors of the API carry it too, so that a browser client can read them.
    let r = send(&f.app, req("/api/v1/search?limit=0", &[origin.clone()])).await;
    assert_eq!((r.status.as_u16(), r.header("access-control-allow-origin")), (400, "*"));
    // The web pages are not opened to other origins.
    let r = send(&f.app, req("/", &[origin])).await;
    assert_eq!(r.header("access-control-allow-origin"), "");
}
