//! The sync downloader against a local mirror: resume after a cut, size cap, stale part files,
//! HTTP errors and timeouts. Archive bytes here are invented (random-looking filler).

use std::time::{Duration, Instant};

use recueil::sync::fetch::{Client, Limits, USER_AGENT};
use recueil::Error;
use crate::support::sync::{drip_server, silent_server, Mirror, PREFIX};

const NAME: &str = "CNIL_20250719-000000.tar.gz";

fn filler(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i.wrapping_mul(2654435761) >> 7) as u8).collect()
}

fn client() -> Client {
    Client::new(Limits { timeout: Duration::from_secs(5), stall: Duration::from_secs(5), ..Limits::default() })
}

#[test]
fn fresh_download_lands_whole_and_names_the_project() {
    let m = Mirror::start();
    let bytes = filler(300_000);
    m.put(NAME, &bytes);
    let out = tempfile::tempdir().unwrap();
    let d = client().download(&format!("{}{NAME}", m.url()), out.path(), NAME).unwrap();
    assert_eq!((d.bytes, d.resumed_from), (300_000, 0));
    assert_eq!(std::fs::read(&d.path).unwrap(), bytes);
    assert!(!out.path().join(format!("{NAME}.part")).exists());
    let log = m.log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].user_agent.as_deref(), Some(USER_AGENT));
    assert_eq!(log[0].range, None);
}

#[test]
fn cut_download_keeps_its_part_and_resumes_with_range() {
    let m = Mirror::start();
    let bytes = filler(500_000);
    m.put(NAME, &bytes);
    m.cut_once(NAME, 123_456);
    let out = tempfile::tempdir().unwrap();
    let url = format!("{}{NAME}", m.url());
    let err = client().download(&url, out.path(), NAME).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err}");
    assert!(err.to_string().contains("resumes next run"), "{err}");
    let part = out.path().join(format!("{NAME}.part"));
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 123_456);
    assert!(!out.path().join(NAME).exists());

    let d = client().download(&url, out.path(), NAME).unwrap();
    assert_eq!(d.resumed_from, 123_456);
    assert_eq!(std::fs::read(&d.path).unwrap(), bytes);
    assert_eq!(m.log()[1].range.as_deref(), Some("bytes=123456-"));
    assert!(!part.exists());
}

#[test]
fn file_replaced_between_runs_is_fetched_whole_not_spliced() {
    let m = Mirror::start();
    m.put(NAME, &filler(400_000));
    m.cut_once(NAME, 100_000);
    let out = tempfile::tempdir().unwrap();
    let url = format!("{}{NAME}", m.url());
    client().download(&url, out.path(), NAME).unwrap_err();
    assert!(out.path().join(format!("{NAME}.part.validator")).exists());
    let replaced: Vec<u8> = filler(450_000).into_iter().map(|b| b ^ 0x5a).collect();
    m.put(NAME, &replaced);
    let d = client().download(&url, out.path(), NAME).unwrap();
    assert_eq!(d.resumed_from, 0);
    assert_eq!(std::fs::read(&d.path).unwrap(), replaced);
    assert_eq!(m.log()[1].range.as_deref(), Some("bytes=100000-"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1, "part and validator are gone");
}

#[test]
fn finished_download_is_not_fetched_again() {
    let m = Mirror::start();
    m.put(NAME, &filler(1000));
    let out = tempfile::tempdir().unwrap();
    let url = format!("{}{NAME}", m.url());
    client().download(&url, out.path(), NAME).unwrap();
    client().download(&url, out.path(), NAME).unwrap();
    assert_eq!(m.log().len(), 1);
}

#[test]
fn archive_over_the_cap_is_rejected_and_nothing_kept() {
    let m = Mirror::start();
    m.put(NAME, &filler(10_000));
    let out = tempfile::tempdir().unwrap();
    let c = Client::new(Limits { max_archive_bytes: 4096, ..Limits::default() });
    let err = c.download(&format!("{}{NAME}", m.url()), out.path(), NAME).unwrap_err();
    assert!(matches!(err, Error::Rejected { .. }), "{err}");
    assert!(err.to_string().contains("4096-byte limit"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn stale_part_longer_than_the_file_restarts_cleanly() {
    let m = Mirror::start();
    let bytes = filler(2000);
    m.put(NAME, &bytes);
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join(format!("{NAME}.part")), filler(5000)).unwrap();
    let url = format!("{}{NAME}", m.url());
    let d = client().download(&url, out.path(), NAME).unwrap();
    assert_eq!((d.bytes, d.resumed_from), (2000, 0));
    assert_eq!(std::fs::read(d.path).unwrap(), bytes);
    let ranges: Vec<_> = m.log().into_iter().map(|l| l.range).collect();
    assert_eq!(ranges, [Some("bytes=5000-".to_string()), None]);
}

#[test]
fn missing_file_and_dead_hosts_are_network_errors() {
    let m = Mirror::start();
    let out = tempfile::tempdir().unwrap();
    let err = client().download(&format!("{}{NAME}", m.url()), out.path(), NAME).unwrap_err();
    assert!(matches!(&err, Error::Network(s) if s.contains("http 404")), "{err}");

    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let err = client().listing(&format!("http://{refused}{PREFIX}")).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err}");

    let silent = silent_server();
    let c = Client::new(Limits { timeout: Duration::from_millis(300), ..Limits::default() });
    let t = Instant::now();
    let err = c.listing(&format!("http://{silent}{PREFIX}")).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn listing_is_read() {
    let m = Mirror::start();
    m.put(NAME, b"x");
    let page = client().listing(&m.url()).unwrap();
    let entries = recueil::sync::listing::parse_listing(&page).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].name, NAME);
}

#[test]
fn drip_fed_download_stops_at_the_budget_and_keeps_its_part() {
    let addr = drip_server();
    let out = tempfile::tempdir().unwrap();
    let c = Client::new(Limits { download_budget: Duration::from_millis(600), ..Limits::default() });
    let t = Instant::now();
    let err = c.download(&format!("http://{addr}{PREFIX}{NAME}"), out.path(), NAME).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let kept = std::fs::metadata(out.path().join(format!("{NAME}.part"))).unwrap().len();
    assert!(kept > 0 && kept < 1000, "{kept}");
}
