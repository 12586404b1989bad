//! Shared fixtures of the server tests: an index of invented decisions built through the real
//! store and engine, and a slow backend for the overload tests. Every record here is invented.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use recueil::index::store::Store;
use recueil::record::{Fact, Facts, Language, Measure, OutlineSection, Record, SectionKind, Span};
use recueil::search::{Hit, SearchRequest, SearchResponse, Stats};
use recueil::server::{self, AppState, Backend, Limits, Opener, Site};
use tower::ServiceExt;

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in fixture text"));
    Span { start, end: start + needle.len() }
}

/// Invented decisions: two French sanctions, one English, one authorisation, with evidence
/// spans, an outline, a Markdown summary carrying hostile markup, and a hostile respondent.
pub fn invented() -> Vec<Record> {
    let text1 = "Faits et procédure\n\nLa société Exemple Santé conservait des dossiers médicaux sans chiffrement.\n\n\
                 Sur le manquement à l'obligation d'assurer la sécurité des données\n\n\
                 La formation restreinte considère que la sécurité des données de santé n'était pas assurée.\n\n\
                 Par ces motifs\n\nUne amende administrative de 150 000 euros est prononcée à l'encontre de la société Exemple Santé."
        .to_string();
    let mut r1 = Record {
        id: "CNILTEXT000099000001".into(),
        facts: Facts {
            number: Some("SAN-2091-001".into()),
            nature: Some("Sanction".into()),
            date: date(2091, 3, 4),
            respondent: Some("Exemple Santé SAS".into()),
            sector: Some("Health Care".into()),
            fine_eur: Some(150_000),
            breached: vec!["GDPR:32".into(), "GDPR:5".into()],
            measures: vec![Measure::Fine, Measure::Publication],
            public: Some(true),
            ..Default::default()
        },
        legifrance_id: Some("CNILTEXT000099000001".into()),
        authority: "CNIL".into(),
        title: Some("Délibération SAN-2091-001 (invented)".into()),
        language: Language::Fr,
        summary: Some(
            "**Invented.** Health records kept unencrypted. <script>alert(1)</script> [x](javascript:alert(1))".into(),
        ),
        text: text1.clone(),
        ..Default::default()
    };
    r1.evidence
        .insert(Fact::Fine, vec![span_of(&text1, "Une amende administrative de 150 000 euros est prononcée")]);
    r1.evidence
        .insert(Fact::Breached, vec![span_of(&text1, "la sécurité des données de santé n'était pas assurée")]);
    r1.outline = vec![
        OutlineSection {
            kind: SectionKind::FactsAndProcedure,
            title: "Faits et procédure".into(),
            span: span_of(&text1, "Faits et procédure"),
        },
        OutlineSection {
            kind: SectionKind::Breach,
            title: "Sur la sécurité".into(),
            span: span_of(&text1, "Sur le manquement"),
        },
        OutlineSection {
            kind: SectionKind::OperativePart,
            title: "Par ces motifs".into(),
            span: span_of(&text1, "Par ces motifs"),
        },
    ];

    let text2 = "The company Example Shop kept customer passwords in clear text.\n\n\
                 The restricted committee finds a breach of the security obligation.\n\n\
                 A fine of 50 000 euros is imposed."
        .to_string();
    let mut r2 = Record {
        id: "cnil-SAN-2092-007".into(),
        facts: Facts {
            number: Some("SAN-2092-007".into()),
            nature: Some("Sanction".into()),
            date: date(2092, 6, 10),
            respondent: Some("<script>alert('x')</script> Example Shop".into()),
            sector: Some("Industry and Commerce".into()),
            fine_eur: Some(50_000),
            breached: vec!["GDPR:32".into()],
            measures: vec![Measure::Fine],
            ..Default::default()
        },
        authority: "CNIL".into(),
        language: Language::En,
        text: text2.clone(),
        ..Default::default()
    };
    r2.evidence.insert(Fact::Fine, vec![span_of(&text2, "A fine of 50 000 euros is imposed.")]);

    let r3 = Record {
        id: "cnil-SAN-2093-002".into(),
        facts: Facts {
            number: Some("SAN-2093-002".into()),
            nature: Some("Sanction".into()),
            date: date(2093, 1, 15),
            respondent: Some("Commune d'Exempleville".into()),
            sector: Some("Public Sector and Education".into()),
            fine_eur: None,
            breached: vec!["GDPR:13".into(), "LIL:82".into()],
            measures: vec![Measure::Reprimand],
            ..Default::default()
        },
        authority: "CNIL".into(),
        language: Language::Fr,
        text: "La commune déposait des traceurs sans consentement sur son site.\n\nUn rappel à l'ordre est prononcé."
            .into(),
        ..Default::default()
    };
    let r4 = Record {
        id: "CNILTEXT000099000004".into(),
        facts: Facts {
            number: Some("DR-2094-010".into()),
            nature: Some("Autorisation de recherche".into()),
            date: date(2094, 9, 1),
            ..Default::default()
        },
        legifrance_id: Some("CNILTEXT000099000004".into()),
        authority: "CNIL".into(),
        language: Language::Fr,
        text: "Autorisation d'une étude sur la mucoviscidose.\n\nLes données sont pseudonymisées.".into(),
        ..Default::default()
    };
    vec![r1, r2, r3, r4]
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub state: Arc<AppState>,
    pub app: server::App,
}

pub fn test_limits() -> Limits {
    Limits {
        request_timeout: Duration::from_secs(5),
        header_read_timeout: Duration::from_millis(500),
        shutdown_grace: Duration::from_secs(2),
        reload_interval: Duration::from_millis(100),
        ..Limits::default()
    }
}

/// The public origin the fixture's site is configured with (invented).
pub const PUBLIC_URL: &str = "https://recueil.example/cnil";

/// The invented decisions committed to a fresh store, served through the real engine.
pub fn fixture_with(limits: Limits) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    Store::open(dir.path()).and_then(|s| recueil::ingest::ingest_records(&s, invented())).expect("commit the invented records");
    let state = AppState::for_index_dir(dir.path().to_path_buf(), limits).expect("open the engine");
    let site = Site { public_url: PUBLIC_URL.parse().expect("public url"), index_dir: Some(dir.path().to_path_buf()) };
    let app = server::app_with(state.clone(), site);
    Fixture { dir, state, app }
}

pub fn fixture() -> Fixture {
    fixture_with(test_limits())
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The JSON error contract: exactly `code` and `message`.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert!(self.header("content-type").starts_with("application/json"), "{:?}", self.headers);
        let v = self.json();
        assert_eq!(v["code"], code, "body: {}", self.body);
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(v.as_object().map(|o| o.len()), Some(2), "only code and message: {}", self.body);
    }
}

pub async fn send(app: &server::App, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(app: &server::App, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// A backend that sleeps before answering: makes requests pile up on purpose.
pub struct SlowBackend(pub Duration);

impl Backend for SlowBackend {
    fn search(&self, _req: &SearchRequest) -> recueil::Result<SearchResponse> {
        std::thread::sleep(self.0);
        Ok(SearchResponse {
            total: 0,
            hits: vec![],
            facets: Default::default(),
            fine_stats: Default::default(),
            next_cursor: None,
            did_you_mean: None,
        })
    }
    fn get(&self, _id: &str) -> recueil::Result<Option<recueil::record::Decision>> {
        std::thread::sleep(self.0);
        Ok(None)
    }
    fn similar(&self, _id: &str, _limit: usize) -> recueil::Result<Vec<Hit>> {
        Ok(vec![])
    }
    fn stats(&self) -> recueil::Result<Stats> {
        std::thread::sleep(self.0);
        Ok(Stats::default())
    }
    fn generation(&self) -> u64 {
        7
    }
}

pub fn slow_state(delay: Duration, limits: Limits) -> Arc<AppState> {
    let opener: Opener = Arc::new(move || Ok(Arc::new(SlowBackend(delay)) as Arc<dyn Backend>));
    AppState::new(opener, None, limits).expect("slow state")
}
