//! The server over the real decisions of ../shared/data (GDPRhub pages and DILA texts) and
//! the embedded corpus, ingested by the real pipeline: every decision page renders in both
//! languages with every in-page link landing on an element of the page, and a known one shows
//! its facts.

use std::collections::HashSet;
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
        let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
        recueil::ingest::ingest_paths(&store, &[data.join("gdprhub"), data.join("dila"), corpus])
            .expect("ingest the real data");
        store.decisions().unwrap()
    })
    .await
    .unwrap();
    assert!(records.len() >= 60, "{} records", records.len());
    let app = server::app(AppState::for_index_dir(dir.path().to_path_buf(), test_limits()).unwrap());

    let mut links = 0;
    let mut evidence_links = 0;
    for r in &records {
        let id = server::api::percent_encode(&r.id);
        let mut uris = vec![format!("/decisions/{id}?q=donn%C3%A9es%20s%C3%A9curit%C3%A9%20consent&lang=en")];
        uris.push(format!("/decisions/{id}?lang=fr"));
        if r.texts.iter().any(|t| !t.original) {
            uris.push(format!("/decisions/{id}?text=translation&q=amende%20fine&lang=fr"));
        }
        for uri in uris {
            let page = get(&app, &uri).await;
            assert_eq!(page.status, 200, "{uri}: {}", page.body);
            assert!(page.body.contains("id=\"facts\""), "{uri}");
            assert!(!page.body.contains("<script>") && !page.body.contains("javascript:"), "{uri}");
            let (n, missing) = in_page_links(&page.body);
            assert!(missing.is_empty(), "{uri}: links to ids missing from the page: {missing:?}");
            links += n;
            evidence_links += page.body.matches("class=\"evidence-link\" href=\"#").count();
        }
        let summary = get(&app, &format!("/api/v1/decisions/{id}/summary")).await;
        assert_eq!(summary.status, 200, "{}", r.id);
    }
    assert!(links > 1000 && evidence_links > 100, "{links} in-page links, {evidence_links} to evidence");

    // A curated record and GDPRhub's translation: our French summary once, the translation
    // credited and called what it is, never "full text".
    let fr = get(&app, "/decisions/SAN-2020-014?lang=fr").await.body;
    assert_eq!(fr.matches("Un médecin libéral conservait").count(), 1, "the French summary, once");
    assert!(fr.contains("traduction automatique non officielle") && fr.contains("GDPRhub") && fr.contains("CC BY-NC-SA"));
    assert!(fr.contains("https://gdprhub.eu/index.php?title="), "a link to the GDPRhub page");
    assert!(!fr.contains("Texte intégral") && !fr.contains("Full text"));

    // How the CNIL investigated, read from GDPRhub's translation: an online check, then the
    // doctor heard by the delegation.
    assert!(fr.contains("Contrôles de la CNIL") && fr.contains("contrôle en ligne, contrôle sur audition"), "the checks in the facts card");
    let summary: serde_json::Value = serde_json::from_str(&get(&app, "/api/v1/decisions/SAN-2020-014/summary").await.body).unwrap();
    assert_eq!(summary["checks"], serde_json::json!(["online", "hearing"]));
    let hits: serde_json::Value = serde_json::from_str(&get(&app, "/api/v1/search?q=SAN-2020-014&fields=number,checks").await.body).unwrap();
    let hit = hits["hits"].as_array().unwrap().iter().find(|h| h["number"] == "SAN-2020-014").expect("the decision is found");
    assert_eq!(hit["checks"], serde_json::json!(["online", "hearing"]));

    let google = get(&app, "/decisions/SAN-2019-001?lang=en").await;
    assert!(google.body.contains("€50,000,000"), "the 50 M€ fine in the facts card");
    assert!(google.body.contains("https://www.legifrance.gouv.fr/cnil/id/CNILTEXT000038032552"));
    let fr = get(&app, "/?q=drepanocytose").await;
    assert!(fr.body.contains("/decisions/cnil-DR-2025-081"), "the French DILA text about drépanocytose is found");
    for page in ["/", "/stats", "/articles", "/articles/32", "/feed.atom", "/api/v1/export.csv", "/api/v1/stats"] {
        assert_eq!(get(&app, page).await.status, 200, "{page}");
    }
}

/// How many `href="#…"` links the page has, and those whose target id is not on it.
fn in_page_links(html: &str) -> (usize, Vec<String>) {
    let ids: HashSet<&str> = html.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let targets: Vec<&str> = html.split("href=\"#").skip(1).filter_map(|s| s.split('"').next()).collect();
    let missing = targets.iter().filter(|t| !ids.contains(*t)).map(|t| t.to_string()).collect();
    (targets.len(), missing)
}
