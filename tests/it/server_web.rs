//! Router tests of the web pages: search with facets, decision page with its facts card,
//! articles, statistics, languages, escaping. Invented records (see server_support).

use axum::body::Body;
use axum::http::{header, Request};
use crate::support::server::*;

fn html_get(uri: &str, accept_language: &str) -> Request<Body> {
    Request::get(uri).header(header::ACCEPT_LANGUAGE, accept_language).body(Body::empty()).unwrap()
}

fn assert_html(r: &Reply, status: u16) {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert!(r.header("content-type").starts_with("text/html"), "{:?}", r.headers);
    assert!(r.header("content-security-policy").contains("default-src 'none'"));
    assert!(!r.body.contains("<script>") && !r.body.contains("javascript:"), "no live script: {}", r.body);
    assert!(!r.body.contains(" style=\""), "inline styles would break the CSP");
}

#[tokio::test]
async fn search_page_lists_hits_with_facets_paging_and_links() {
    let f = fixture();
    let r = send(&f.app, html_get("/?q=s%C3%A9curit%C3%A9", "fr-FR,fr;q=0.9")).await;
    assert_html(&r, 200);
    std::fs::write("target/search-page.html", &r.body).ok();
    assert!(r.body.contains("<html lang=\"fr\">"));
    assert!(r.body.contains("name=\"q\"") && r.body.contains("value=\"sécurité\""));
    assert!(r.body.contains("Syntaxe de recherche"));
    assert!(r.body.contains("type=\"checkbox\" name=\"f\""), "facet checkboxes");
    assert!(r.body.contains("<mark>"), "highlighted snippet");
    assert!(r.body.contains("href=\"/decisions/cnil-SAN-2091-001?q=s%C3%A9curit%C3%A9\""), "result links carry the query");
    assert!(r.body.contains("<h1>Rechercher dans les décisions de la CNIL</h1>"));
    assert!(r.body.contains("<a class=\"skip\" href=\"#results\">") && r.body.contains("id=\"results\""));
    assert!(r.body.contains("<span class=\"nature\">Sanction</span>"), "a nature badge on the card");
    let card = r.body.split("SAN-2091-001?q=").nth(1).and_then(|s| s.split("</li>\n").next()).unwrap_or_default();
    assert!(card.contains("<ul class=\"passages\"") && card.matches("<mark>").count() >= 2, "several matching paragraphs, several passages: {card}");
    assert!(r.body.contains("/api/v1/export.csv?q=s%C3%A9curit%C3%A9") && r.body.contains("/feed.atom?q="));
    assert!(r.body.contains("id=\"result-count\""));
    // Every sort the API offers, the newest change first included, stays chosen in the form.
    let r = send(&f.app, html_get("/?q=s%C3%A9curit%C3%A9&sort=modified", "en")).await;
    assert!(r.body.contains("<option value=\"modified\" selected>last change here</option>"), "{}", r.body);
    assert!(r.body.matches("sort=modified\"").count() >= 2, "both exports keep the sort");
}

#[tokio::test]
async fn a_facet_filters_the_results() {
    let f = fixture();
    let all = send(&f.app, html_get("/", "en")).await;
    assert_html(&all, 200);
    assert!(all.body.contains("3 decisions"), "sanctions only by default: {}", all.body);
    let sector_value = all
        .body
        .split("value=\"")
        .filter_map(|s| s.split('"').next())
        .find(|v| v.to_lowercase() == "sector:health care")
        .expect("a Health Care sector facet")
        .to_string();
    let uri = format!("/?q=&f={}", recueil::server::api::percent_encode(&sector_value));
    let one = send(&f.app, html_get(&uri, "en")).await;
    assert_html(&one, 200);
    assert!(one.body.contains("1 decision<"), "{}", one.body);
    assert!(one.body.contains("SAN-2091-001") && !one.body.contains("SAN-2092-007"));
    assert!(one.body.contains(" checked"), "the applied facet stays checked");
    let bad = send(&f.app, html_get("/?f=evil:1", "en")).await;
    assert_html(&bad, 400);
    // A query that does not parse: the form again, the query kept, the problem named.
    let bad = send(&f.app, html_get("/?q=%22unterminated", "en")).await;
    assert_html(&bad, 400);
    assert!(
        bad.body.contains("id=\"query-error\"") && bad.body.contains("value=\"&#34;unterminated\""),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn sanctions_come_first_with_one_link_to_the_rest() {
    let f = fixture();
    let r = send(&f.app, html_get("/", "en")).await;
    assert!(r.body.contains("id=\"nature-note\"") && r.body.contains("Include the other decisions (1)"), "{}", r.body);
    assert!(!r.body.contains("DR-2094-010"), "the research authorisation is left out by default");
    assert!(r.body.contains("value=\"nature:Autorisation de recherche\""), "the nature facet still offers it");
    let all = send(&f.app, html_get("/?all=1", "en")).await;
    assert!(all.body.contains("4 decisions") && all.body.contains("DR-2094-010"), "{}", all.body);
    assert!(all.body.contains("name=\"all\" value=\"1\"") && all.body.contains("Show sanctions only"));
    assert!(all.body.contains("<span class=\"nature\">Research authorisation</span>"), "the nature named in English: {}", all.body);
    // A nature asked for replaces the default.
    let dr = send(&f.app, html_get("/?f=nature:Autorisation%20de%20recherche", "en")).await;
    assert!(dr.body.contains("1 decision<") && dr.body.contains("DR-2094-010") && !dr.body.contains("id=\"nature-note\""));
    // Matches that hold no sanction are shown as they are.
    let only = send(&f.app, html_get("/?q=DR-2094-010", "en")).await;
    assert!(only.body.contains("DR-2094-010") && !only.body.contains("id=\"nature-note\""), "{}", only.body);
}

#[tokio::test]
async fn a_ticked_facet_keeps_its_other_values_and_shows_as_a_chip() {
    let f = fixture();
    let r = send(&f.app, html_get("/?f=sector:Health%20Care&all=1", "en")).await;
    assert!(r.body.contains("1 decision<"), "{}", r.body);
    let sectors = r.body.split("id=\"facet-sector\"").nth(1).and_then(|s| s.split("</fieldset>").next()).unwrap();
    assert!(sectors.contains("Industry and Commerce <span class=\"count\">(1)</span>"), "other sectors stay, with counts: {sectors}");
    assert!(sectors.contains("value=\"sector:Health Care\" checked"));
    let years = r.body.split("id=\"facet-year\"").nth(1).and_then(|s| s.split("</fieldset>").next()).unwrap();
    assert!(!years.contains("2092"), "the year facet follows the sector filter: {years}");
    // Two values of one facet: either one.
    let two = send(&f.app, html_get("/?f=sector:Health%20Care&f=sector:Industry%20and%20Commerce&all=1", "en")).await;
    assert!(two.body.contains("2 decisions<"), "{}", two.body);
    let chips = two.body.split("class=\"chips\"").nth(1).and_then(|s| s.split("</ul>").next()).unwrap();
    assert!(chips.contains("Sector: Health Care") && chips.contains("id=\"clear-filters\" href=\"/?q=&#38;all=1&#38;sort=date\""), "{chips}");
    assert!(chips.contains("href=\"/?q=&#38;f=sector%3AIndustry%20and%20Commerce&#38;all=1&#38;sort=date\""), "removing one keeps the other: {chips}");
    // Years newest first, whatever their counts.
    let all = send(&f.app, html_get("/?all=1", "en")).await;
    let years = all.body.split("id=\"facet-year\"").nth(1).and_then(|s| s.split("</fieldset>").next()).unwrap();
    let order: Vec<usize> = ["2094", "2093", "2092", "2091"].iter().map(|y| years.find(y).expect(y)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{years}");
}

#[tokio::test]
async fn fine_and_date_ranges_filter_and_show_as_chips() {
    let f = fixture();
    let r = send(&f.app, html_get("/?fine_min=100000&fine_max=", "en")).await;
    assert_html(&r, 200);
    assert!(r.body.contains("1 decision<") && r.body.contains("SAN-2091-001"), "{}", r.body);
    assert!(r.body.contains("Fine: ≥ €100,000") && r.body.contains("id=\"fine_min\" name=\"fine_min\" type=\"number\" min=\"0\" step=\"1\" inputmode=\"numeric\" value=\"100000\""));
    let r = send(&f.app, html_get("/?from=2092-01-01&to=2093-12-31", "fr")).await;
    assert!(r.body.contains("2 décisions<") && r.body.contains("SAN-2092-007") && r.body.contains("SAN-2093-002"), "{}", r.body);
    assert!(r.body.contains("Date\u{a0}: 1er janvier 2092 – 31 décembre 2093"), "{}", r.body);
    for bad in ["/?fine_min=lots", "/?from=2092-13-01", "/?all=yes"] {
        let r = send(&f.app, html_get(bad, "en")).await;
        assert_html(&r, 400);
        assert!(r.body.contains("id=\"query-error\""), "{bad}: {}", r.body);
    }
}

#[tokio::test]
async fn a_misspelt_query_offers_its_correction_as_one_link() {
    let f = fixture();
    let r = send(&f.app, html_get("/?q=donnnees&f=sector:Health%20Care", "fr")).await;
    let link = r.body.split("id=\"did-you-mean\"").nth(1).unwrap_or_else(|| panic!("no suggestion: {}", r.body));
    let link = link.split("</a>").next().unwrap_or_default();
    assert!(link.starts_with(" href=\"/?q=donnees&#38;f=sector%3AHealth%20Care\">donnees"), "the words corrected, the filter kept: {link}");
}

#[tokio::test]
async fn paging_links_follow_the_result_count() {
    let f = fixture();
    let r = send(&f.app, html_get("/?page=1", "en")).await;
    assert!(!r.body.contains("rel=\"next\""), "4 hits fit one page");
    let r = send(&f.app, html_get("/?page=0", "en")).await;
    assert_html(&r, 400);
    let r = send(&f.app, html_get("/?page=abc", "en")).await;
    assert_html(&r, 400);
    assert!(r.body.contains("page"), "the error names the parameter");
}

#[tokio::test]
async fn decision_page_has_facts_linked_to_evidence_and_hit_navigation() {
    let f = fixture();
    let r = send(&f.app, html_get("/decisions/SAN-2091-001?q=s%C3%A9curit%C3%A9", "en")).await;
    assert_html(&r, 200);
    std::fs::write("target/decision-page.html", &r.body).ok();
    let b = &r.body;
    assert!(b.contains("id=\"facts\""));
    assert!(b.contains("€150,000"));
    assert!(b.contains("href=\"#ev-fine\"") && b.contains("id=\"ev-fine\""), "fine fact links to its evidence");
    assert!(b.contains("href=\"#ev-breached\"") && b.contains("id=\"ev-breached\""));
    assert!(b.contains("href=\"/articles/32\""), "breached provisions link to article pages");
    assert!(b.contains("GDPR Art. 32 – Security of processing"));
    assert!(b.contains("id=\"hit-0\"") && b.contains("href=\"#hit-1\""), "hit-to-hit navigation");
    assert!(b.contains("href=\"#p-0\""), "outline links into the text");
    assert!(b.contains("https://www.legifrance.gouv.fr/cnil/id/CNILTEXT000099000001"));
    assert!(b.contains("CNIL, Restricted Committee, Deliberation No. SAN-2091-001 of 4 March 2091"));
    assert!(b.contains("CNIL, formation restreinte, délibération n° SAN-2091-001 du 4 mars 2091"));
    assert!(b.contains("<strong>Invented.</strong>"), "Markdown summary rendered");
    assert!(b.contains("The fine in context"), "fine compared with decisions breaching the same provisions");
    assert!(b.contains("Median fine of the sanctions finding the same breach (this decision left out)"));
    assert!(b.contains("€50,000") && b.contains("×3.0"), "the one other sanction breaching Art. 32: 150,000 / 50,000");
    assert!(b.contains("Ratio: this decision"), "the ratio column is explained");
    assert!(b.contains("Similar decisions"));
    assert!(b.contains("Original text") && !b.contains("Full text"));
    assert!(b.contains("href=\"/?q=s%C3%A9curit%C3%A9\"") && b.contains("Back to the results"), "a way back to the results");
    assert!(b.find("class=\"matchbar\"") < b.find("<h1>"), "the match bar comes first");
    assert!(b.contains("read in the original text"), "each fact says where it was read");
    let similar = &b[b.find("id=\"similar-title\"").unwrap()..];
    let (san, dr) = (similar.find("SAN-2092-007"), similar.find("DR-2094-010"));
    assert!(dr.is_none() || san < dr, "a sanction's similar decisions are sanctions first");
}

#[tokio::test]
async fn ingested_text_is_escaped_everywhere() {
    let f = fixture();
    let r = send(&f.app, html_get("/decisions/SAN-2092-007", "en")).await;
    assert_html(&r, 200);
    assert!(r.body.contains("&#60;script&#62;") || r.body.contains("&lt;script&gt;"), "{}", r.body);
    let r = send(&f.app, html_get("/?q=password", "en")).await;
    assert_html(&r, 200);
    let r = send(&f.app, html_get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "en")).await;
    assert!(!r.body.contains("<script>"));
}

#[tokio::test]
async fn article_articles_and_stats_pages() {
    let f = fixture();
    let r = send(&f.app, html_get("/articles/32", "en")).await;
    assert_html(&r, 200);
    assert!(r.body.contains("Article 32 – Security of processing") && r.body.contains("2 decisions"));
    assert!(r.body.contains("Sanctions finding a breach of this article"));
    assert!(r.body.contains("SAN-2091-001") && r.body.contains("SAN-2092-007"));
    let r = send(&f.app, html_get("/articles/7", "fr")).await;
    assert_html(&r, 200);
    assert!(r.body.contains("Article 7 – Conditions applicables au consentement"), "{}", r.body);
    let r = send(&f.app, html_get("/articles/93", "fr")).await;
    assert!(r.body.contains("Article 93 – Comité") && r.body.contains("Actes délégués et actes d&#39;exécution"), "{}", r.body);
    assert_html(&send(&f.app, html_get("/articles/123", "en")).await, 404);
    assert_html(&send(&f.app, html_get("/articles/x", "en")).await, 400);

    let r = send(&f.app, html_get("/articles", "en")).await;
    assert_html(&r, 200);
    assert_eq!(r.body.matches("<tr").count(), 100, "a header row and 99 articles");

    let r = send(&f.app, html_get("/stats", "en")).await;
    assert_html(&r, 200);
    std::fs::write("target/stats-page.html", &r.body).ok();
    assert_eq!(r.body.matches("class=\"chart\"").count(), 4);
    assert!(r.body.contains("Fines per year") && r.body.contains("€150,000") && r.body.contains("<rect"));
    assert!(r.body.contains("4 decisions, from 2091 to 1 September 2094"), "what the site covers");
    assert!(r.body.contains("3 sanctions."), "the authorisation is not counted");
    let fr = send(&f.app, html_get("/stats", "fr")).await;
    assert!(fr.body.contains("Santé") && !fr.body.contains("Health Care"), "sectors in French");
}

#[tokio::test]
async fn glossary_lists_the_lexicon_filters_it_and_links_each_name_to_its_search() {
    let f = fixture();
    let r = send(&f.app, html_get("/glossary", "en")).await;
    assert_html(&r, 200);
    assert!(r.body.contains("<h1>French – English glossary</h1>") && r.body.contains("href=\"/glossary\""));
    let rows = r.body.matches("<tr>").count();
    assert!(rows > 500, "every concept of the definitions and the field: {rows}");
    assert!(r.body.contains(&format!("{} / {}", rows - 1, rows - 1)), "all shown");

    // Accents and case aside, in either language; each name searches for itself.
    let r = send(&f.app, html_get("/glossary?q=CARACTERE%20PERSONNEL", "fr")).await;
    assert_html(&r, 200);
    assert!(r.body.contains("<h1>Lexique français – anglais</h1>"));
    assert!(r.body.contains("<a href=\"/?q=%22donn%C3%A9es%20%C3%A0%20caract%C3%A8re%20personnel%22\">données à caractère personnel</a>"), "{}", r.body);
    assert!(r.body.contains("<a href=\"/?q=%22personal%20data%22\">personal data</a>"));
    assert!(r.body.contains("value=\"CARACTERE PERSONNEL\""), "the filter is kept in the form");

    let r = send(&f.app, html_get("/glossary?q=%3Cscript%3Ezzz", "en")).await;
    assert_html(&r, 200);
    assert!(r.body.contains("value=\"&#60;script&#62;zzz\"") || r.body.contains("value=\"&lt;script&gt;zzz\""), "escaped: {}", r.body);
    assert!(!r.body.contains("<table"), "nothing found");
    assert_html(&send(&f.app, html_get(&format!("/glossary?q={}", "a".repeat(101)), "en")).await, 400);
    assert_html(&send(&f.app, html_get("/glossary?bogus=1", "en")).await, 400);
}

#[tokio::test]
async fn language_follows_accept_language_and_the_switch() {
    let f = fixture();
    let fr = send(&f.app, html_get("/stats", "fr-CA,fr;q=0.9,en;q=0.5")).await;
    assert!(fr.body.contains("<html lang=\"fr\">") && fr.body.contains("Statistiques"));
    assert!(fr.body.contains("href=\"/stats?lang=en\""), "switch link");
    let en = send(&f.app, html_get("/stats?lang=en", "fr")).await;
    assert!(en.body.contains("<html lang=\"en\">") && en.body.contains("Statistics"));
    assert!(en.header("set-cookie").starts_with("lang=en;"));
    let cookie = send(
        &f.app,
        Request::get("/stats")
            .header(header::COOKIE, "lang=en")
            .header(header::ACCEPT_LANGUAGE, "fr")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(cookie.body.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn unknown_pages_are_html_404_and_static_files_are_served() {
    let f = fixture();
    let r = send(&f.app, html_get("/nope", "en")).await;
    assert_html(&r, 404);
    assert!(r.body.contains("Error 404") && r.body.contains("No such page or decision."));
    let r = send(&f.app, html_get("/nope", "fr")).await;
    assert!(r.body.contains("Erreur 404") && r.body.contains("Cette page n&#39;existe pas"), "{}", r.body);
    let r = send(&f.app, html_get("/stats?bogus=1", "fr")).await;
    assert_html(&r, 400);
    assert!(r.body.contains("Paramètre inconnu") && r.header("content-language") == "fr", "{}", r.body);
    let r = send(&f.app, html_get("/decisions/SAN-2091-001?text=x", "fr")).await;
    assert!(r.body.contains("Paramètre invalide\u{a0}: text"), "{}", r.body);
    let r = send(&f.app, html_get("/decisions/SAN-1990-001", "en")).await;
    assert_html(&r, 404);
    let css = get(&f.app, "/static/style.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    let js = get(&f.app, "/static/copy.js").await;
    assert!(js.header("content-type").starts_with("text/javascript") && js.body.contains("clipboard"));
}
