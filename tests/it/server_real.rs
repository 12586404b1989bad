//! The server over the real decisions of ../shared/data (GDPRhub pages and DILA texts),
//! ingested by the real pipeline: every decision page renders, and a known one shows its facts.

use std::path::PathBuf;

use recueil::index::store::Store;
use recueil::server::{self, AppState};
use crate::support::server::*;

fn data() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(
        d.join("gdprhub").is_dir() && d.join("dila").is_dir(),
        "../shared/data is missing: the real-data server test needs it ({})",
        d.display()
    );
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_real_decision_page_renders() {
    let data = data();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let records = tokio::task::spawn_blocking(move || {
        let store = Store::open(&root).unwrap();
        recueil::ingest::ingest_paths(&store, &[data.join("gdprhub"), data.join("dila")])
            .expect("ingest the real data");
        store.decisions().unwrap()
    })
    .await
    .unwrap();
    assert!(records.len() >= 60, "{} records", records.len());
    let app = server::app(AppState::for_index_dir(dir.path().to_path_buf(), test_limits()).unwrap());

    for r in &records {
        let uri = format!(
            "/decisions/{}?q=donn%C3%A9es%20s%C3%A9curit%C3%A9%20consent&lang=en",
            server::api::percent_encode(&r.id)
        );
        let page = get(&app, &uri).await;
        assert_eq!(page.status, 200, "{}: {}", r.id, page.body);
        assert!(page.body.contains("id=\"facts\""), "{}", r.id);
        assert!(!page.body.contains("<script>") && !page.body.contains("javascript:"), "{}", r.id);
        let summary = get(&app, &format!("/api/v1/decisions/{}/summary", server::api::percent_encode(&r.id))).await;
        assert_eq!(summary.status, 200, "{}", r.id);
    }

    let google = get(&app, "/decisions/SAN-2019-001?lang=en").await;
    assert!(google.body.contains("€50,000,000"), "the 50 M€ fine in the facts card");
    assert!(google.body.contains("https://www.legifrance.gouv.fr/cnil/id/CNILTEXT000038032552"));
    let fr = get(&app, "/?q=drepanocytose").await;
    assert!(fr.body.contains("/decisions/cnil-DR-2025-081"), "the French DILA text about drépanocytose is found");
    for page in ["/", "/stats", "/articles", "/articles/32", "/feed.atom", "/api/v1/export.csv", "/api/v1/stats"] {
        assert_eq!(get(&app, page).await.status, 200, "{page}");
    }
}
