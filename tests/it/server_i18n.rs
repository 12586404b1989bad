//! The pages in each language: every visible label, title, sector, nature and respondent kind
//! of a decision, article and statistics page, compared with a committed expected text per
//! language (`tests/it/golden/`). Regenerate after a deliberate change with
//! `RECUEIL_WRITE_GOLDEN=1 cargo test --test it server_i18n::`, and read the diff.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request};

use crate::support::server::*;

/// The text a reader sees: tags dropped (each one ends a line), the few entities askama
/// writes decoded, blank lines dropped.
fn visible_text(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap_or(0)..];
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&#39;", "'").replace("&#34;", "\"").replace("&quot;", "\"").replace("&amp;", "&");
    out.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n") + "\n"
}

async fn page(f: &Fixture, uri: &str) -> String {
    let r = send(&f.app, Request::get(uri).header(header::ACCEPT_LANGUAGE, "de").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, 200, "{uri}: {}", r.body);
    // The day the index was built changes with every run.
    let text = visible_text(&r.body);
    match text.find(" ; mise à jour le ").or_else(|| text.find("; last updated ")) {
        Some(i) => text[..i].to_string() + &text[text[i..].find('\n').map_or(text.len(), |j| i + j)..],
        None => text,
    }
}

fn check(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/golden").join(name);
    if std::env::var_os("RECUEIL_WRITE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs from the page; if the change is meant, regenerate with RECUEIL_WRITE_GOLDEN=1 cargo test --test it server_i18n:: and read the diff\n--- page:\n{actual}",
        path.display()
    );
}

#[tokio::test]
async fn pages_in_french_and_english_match_their_golden_texts() {
    let f = fixture();
    for lang in ["fr", "en"] {
        let decision = page(&f, &format!("/decisions/SAN-2091-001?q=s%C3%A9curit%C3%A9&lang={lang}")).await;
        check(&format!("decision.{lang}.txt"), &decision);
        check(&format!("decision-unnumbered-kind.{lang}.txt"), &page(&f, &format!("/decisions/SAN-2093-002?lang={lang}")).await);
        check(&format!("authorisation.{lang}.txt"), &page(&f, &format!("/decisions/DR-2094-010?lang={lang}")).await);
        check(&format!("article.{lang}.txt"), &page(&f, &format!("/articles/32?lang={lang}")).await);
        check(&format!("stats.{lang}.txt"), &page(&f, &format!("/stats?lang={lang}")).await);
        check(&format!("glossary.{lang}.txt"), &page(&f, &format!("/glossary?q=sanction&lang={lang}")).await);
    }
}

#[tokio::test]
async fn french_pages_carry_no_english_label_and_english_pages_no_french_one() {
    let f = fixture();
    let fr = page(&f, "/decisions/SAN-2091-001?lang=fr").await + &page(&f, "/stats?lang=fr").await;
    for english in ["Health Care", "Security of processing", "Full text", "Summary", "company", "Research authorisation"] {
        assert!(!fr.contains(english), "{english:?} on a French page");
    }
    assert!(fr.contains("Santé") && fr.contains("RGPD, art. 32 – Sécurité du traitement"));
    let en = page(&f, "/decisions/DR-2094-010?lang=en").await + &page(&f, "/stats?lang=en").await;
    for french in ["Autorisation de recherche", "Santé", "Sécurité du traitement", "Résumé", "Texte original"] {
        assert!(!en.contains(french), "{french:?} on an English page");
    }
    assert!(en.contains("Research authorisation"));
}
