//! The OpenAPI document against the live service: every route is documented, and the
//! responses of every route (successes and errors) validate against the schemas the document
//! gives for their status, by a small JSON-schema check over the generated document.
//! Invented records (see server_support).

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use crate::support::server::*;

/// The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that utoipa generates:
/// `$ref`, `allOf`, `oneOf`, `anyOf`, `type` (one or several), `enum`, `properties`,
/// `required`, `additionalProperties`, `items`, `minimum`, `maximum`, `format: date`.
/// Objects are closed: a property the schema does not name is an error, so that the
/// document cannot fall behind the responses.
struct Validator<'a> {
    schemas: &'a Value,
}

impl Validator<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        match schema["$ref"].as_str() {
            Some(r) => {
                let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected ref {r}"));
                let target = &self.schemas[name];
                assert!(target.is_object(), "dangling ref {r}");
                self.resolve(target)
            }
            None => schema,
        }
    }

    /// The properties an object schema names, through `allOf`.
    fn known(&self, schema: &Value, out: &mut BTreeSet<String>) {
        let s = self.resolve(schema);
        out.extend(s["properties"].as_object().into_iter().flatten().map(|(k, _)| k.clone()));
        for part in s["allOf"].as_array().into_iter().flatten() {
            self.known(part, out);
        }
    }

    fn check(&self, schema: &Value, v: &Value, at: &str, closed: bool, errors: &mut Vec<String>) {
        let s = self.resolve(schema);
        if let Some(parts) = s["allOf"].as_array() {
            for part in parts {
                self.check(part, v, at, false, errors);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = s[key].as_array() {
                let passing = alts
                    .iter()
                    .filter(|alt| {
                        let mut e = Vec::new();
                        self.check(alt, v, at, closed, &mut e);
                        e.is_empty()
                    })
                    .count();
                if passing == 0 || (key == "oneOf" && passing > 1) {
                    errors.push(format!("{at}: {passing} branches of {key} match {v}"));
                }
            }
        }
        let types: Vec<&str> = match &s["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types.is_empty() && !types.iter().any(|t| *t == actual || (*t == "number" && actual == "integer")) {
            return errors.push(format!("{at}: {actual} where the schema says {types:?}: {v}"));
        }
        if let Some(options) = s["enum"].as_array() {
            if !options.contains(v) {
                errors.push(format!("{at}: {v} is not one of {options:?}"));
            }
        }
        if let (Some(n), Some(min)) = (v.as_f64(), s["minimum"].as_f64()) {
            if n < min {
                errors.push(format!("{at}: {n} below minimum {min}"));
            }
        }
        if let (Value::String(text), Some("date")) = (v, s["format"].as_str()) {
            if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() {
                errors.push(format!("{at}: {text:?} is not a date"));
            }
        }
        match v {
            Value::Object(map) => {
                for name in s["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    if !map.contains_key(name) {
                        errors.push(format!("{at}: required {name} missing"));
                    }
                }
                let mut known = BTreeSet::new();
                self.known(s, &mut known);
                let extra = &s["additionalProperties"];
                for (k, item) in map {
                    let declared = self.property(s, k);
                    match declared {
                        Some(p) => self.check(p, item, &format!("{at}.{k}"), true, errors),
                        None if extra.is_object() => self.check(extra, item, &format!("{at}.{k}"), true, errors),
                        None if closed && !known.is_empty() && !known.contains(k) => {
                            errors.push(format!("{at}: undocumented property {k}"))
                        }
                        None => {}
                    }
                }
            }
            Value::Array(items) if s["items"].is_object() => {
                for (i, item) in items.iter().enumerate() {
                    self.check(&s["items"], item, &format!("{at}[{i}]"), true, errors);
                }
            }
            _ => {}
        }
    }

    fn property<'s>(&'s self, s: &'s Value, name: &str) -> Option<&'s Value> {
        s["properties"].get(name)
    }
}

fn validate(doc: &Value, schema: &Value, body: &Value, what: &str) {
    let v = Validator { schemas: &doc["components"]["schemas"] };
    let mut errors = Vec::new();
    v.check(schema, body, "$", true, &mut errors);
    assert!(errors.is_empty(), "{what} does not match its schema:\n{}\nbody: {body}", errors.join("\n"));
}

/// The documented schema of `path`'s GET answer with `status`, and its media type.
fn documented<'d>(doc: &'d Value, path: &str, status: u16) -> (&'d str, &'d Value) {
    let response = &doc["paths"][path]["get"]["responses"][status.to_string()];
    let content = response["content"].as_object().unwrap_or_else(|| panic!("{path}: {status} not documented"));
    let (media, body) = content.iter().next().unwrap_or_else(|| panic!("{path}: {status} without content"));
    (media.as_str(), &body["schema"])
}

const ROUTES: [&str; 13] = [
    "/api/v1/search",
    "/api/v1/decisions/{id}",
    "/api/v1/decisions/{id}/summary",
    "/api/v1/decisions/{id}/similar",
    "/api/v1/articles",
    "/api/v1/articles/{n}",
    "/api/v1/stats",
    "/api/v1/export.csv",
    "/api/v1/export.jsonl",
    "/feed.atom",
    "/healthz",
    "/readyz",
    "/metrics",
];

fn concrete(path: &str) -> String {
    path.replace("{id}", "SAN-2091-001").replace("{n}", "32")
}

async fn check_live(app: &recueil::server::App, doc: &Value, path: &str, uri: &str, status: u16) {
    let r = get(app, uri).await;
    assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
    let (media, schema) = documented(doc, path, status);
    let content_type = r.header("content-type");
    assert!(content_type.starts_with(media.split(';').next().unwrap()), "{uri}: {content_type} documented as {media}");
    match media {
        "application/json" => validate(doc, schema, &r.json(), uri),
        "application/jsonl" => {
            for line in r.body.lines() {
                validate(doc, schema, &serde_json::from_str(line).expect("a JSON line"), uri);
            }
        }
        _ => assert_eq!(schema["type"], "string", "{uri}: a text body"),
    }
}

#[tokio::test]
async fn every_route_answers_as_documented() {
    let f = fixture();
    let doc = get(&f.app, "/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    let paths: BTreeSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(paths, ROUTES.into_iter().collect(), "every route, and only routes, documented");

    for path in ROUTES {
        check_live(&f.app, &doc, path, &concrete(path), 200).await;
        for status in ["404", "405", "413", "414", "431", "503"] {
            let r = &doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(r, "#/components/schemas/ErrorBody", "{path}: {status} documented with the error body");
        }
    }
    // Every variant a client can meet: sorted by date (no score or snippet), paged, found
    // nothing, filtered.
    for (path, uri) in [
        ("/api/v1/search", "/api/v1/search?sort=date&limit=2"),
        ("/api/v1/search", "/api/v1/search?q=s%C3%A9curit%C3%A9&sort=relevance"),
        ("/api/v1/search", "/api/v1/search?q=nothingmatchesthis"),
        ("/api/v1/search", "/api/v1/search?q=article%3A32&sort=fine&limit=1&offset=1"),
        ("/api/v1/decisions/{id}", "/api/v1/decisions/cnil-SAN-2092-007"),
        ("/api/v1/decisions/{id}/summary", "/api/v1/decisions/DR-2094-010/summary"),
        ("/api/v1/articles/{n}", "/api/v1/articles/7"),
        ("/api/v1/export.jsonl", "/api/v1/export.jsonl?q=kind%3Asanction&sort=date"),
        ("/api/v1/search", "/api/v1/search?q=article%3A32&fields=number,fine_eur,summary,legifrance_url"),
        ("/api/v1/search", "/api/v1/search?sort=date&order=asc&modified_since=2000-01-01&added_since=2000-01-01T00%3A00%3A00Z"),
        ("/api/v1/export.jsonl", "/api/v1/export.jsonl?q=article%3A32&fields=number,fine_eur,summary"),
        ("/api/v1/export.jsonl", "/api/v1/export.jsonl?sort=fine&order=asc&modified_since=2000-01-01"),
    ] {
        check_live(&f.app, &doc, path, uri, 200).await;
    }
    let dated = get(&f.app, "/api/v1/search?sort=date").await.json();
    let empty = serde_json::json!([]);
    assert!(dated["hits"].as_array().unwrap().iter().all(|h| h.get("score").is_none() && h.get("snippet") != Some(&empty)), "{dated}");
    let bare = get(&f.app, "/api/v1/articles/32").await.json();
    assert!(bare["hits"].as_array().unwrap().iter().all(|h| h.get("score").is_none() && h.get("snippet").is_none()), "{bare}");

    // Errors, each against the schema documented for its status.
    for (path, uri, status) in [
        ("/api/v1/search", "/api/v1/search?limit=0", 400),
        ("/api/v1/search", "/api/v1/search?q=%28", 400),
        ("/api/v1/decisions/{id}", "/api/v1/decisions/SAN-1999-999", 404),
        ("/api/v1/decisions/{id}/summary", "/api/v1/decisions/SAN-1999-999/summary", 404),
        ("/api/v1/decisions/{id}/similar", "/api/v1/decisions/SAN-2091-001/similar?limit=21", 400),
        ("/api/v1/articles/{n}", "/api/v1/articles/100", 404),
        ("/api/v1/articles/{n}", "/api/v1/articles/x", 400),
        ("/api/v1/stats", "/api/v1/stats?x=1", 400),
        ("/feed.atom", "/feed.atom?q=year%3Anever", 400),
        ("/api/v1/export.csv", "/api/v1/export.csv?q=%22", 400),
        ("/api/v1/search", "/api/v1/search?fields=fine", 400),
        ("/api/v1/search", "/api/v1/search?modified_since=soon", 400),
        ("/api/v1/search", "/api/v1/search?sort=date&cursor=date.0.none.0", 400),
        ("/api/v1/export.jsonl", "/api/v1/export.jsonl?order=sideways", 400),
    ] {
        check_live(&f.app, &doc, path, uri, status).await;
    }
    let r = send(&f.app, Request::post("/api/v1/stats").body(Body::empty()).unwrap()).await;
    validate(&doc, documented(&doc, "/api/v1/stats", 405).1, &r.json(), "405");
    let r = get(&f.app, &format!("/api/v1/search?q={}", "a".repeat(5000))).await;
    validate(&doc, documented(&doc, "/api/v1/search", 414).1, &r.json(), "414");
}

#[tokio::test]
async fn parameters_carry_their_constraints_and_enums() {
    let f = fixture();
    let doc = get(&f.app, "/api/v1/openapi.json").await.json();
    let param = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))
            .clone()
    };
    let v = Validator { schemas: &doc["components"]["schemas"] };
    let limit = param("/api/v1/search", "limit");
    assert_eq!((limit["schema"]["minimum"].as_u64(), limit["schema"]["maximum"].as_u64()), (Some(1), Some(100)));
    let sort = param("/api/v1/search", "sort");
    let sort = v.resolve(&sort["schema"]);
    let sort = if sort["enum"].is_array() { sort.clone() } else { v.resolve(&sort["oneOf"][1]).clone() };
    assert_eq!(sort["enum"], serde_json::json!(["relevance", "date", "fine", "modified"]), "{sort}");
    for path in ["/api/v1/search", "/api/v1/export.jsonl", "/api/v1/export.csv"] {
        let order = param(path, "order");
        let order = v.resolve(&order["schema"]);
        let order = if order["enum"].is_array() { order.clone() } else { v.resolve(&order["oneOf"][1]).clone() };
        assert_eq!(order["enum"], serde_json::json!(["asc", "desc"]), "{path} {order}");
        for name in ["fields", "added_since", "modified_since"] {
            param(path, name);
        }
        assert_eq!(param(path, "modified_since")["schema"]["format"], "date-time", "{path}");
    }
    let hit = v.resolve(&serde_json::json!({"$ref": "#/components/schemas/Hit"})).to_string();
    let head = doc["components"]["schemas"]["Head"].to_string();
    assert!(hit.contains("\"summary\"") || head.contains("\"summary\""), "{hit}");
    // A hit's head flattens the decision's facts: their schema is the one `Facts`.
    assert!(head.contains("#/components/schemas/Facts"), "{head}");
    let facts = doc["components"]["schemas"]["Facts"].to_string();
    for key in ["respondent_kind", "fines", "injunction", "penalty_per_day_eur", "public"] {
        assert!(facts.contains(&format!("\"{key}\"")), "{key}: {facts}");
    }
    assert_eq!(param("/api/v1/decisions/{id}/similar", "limit")["schema"]["maximum"], 20);
    assert_eq!(param("/api/v1/search", "q")["schema"]["maxLength"], 512);
    let search = &doc["paths"]["/api/v1/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(search["$ref"], "#/components/schemas/SearchResponse", "a typed search response");
}

#[tokio::test]
async fn the_check_refuses_what_the_document_does_not_say() {
    let f = fixture();
    let doc = get(&f.app, "/api/v1/openapi.json").await.json();
    let v = Validator { schemas: &doc["components"]["schemas"] };
    let errors = |schema: &str, body: Value| {
        let mut e = Vec::new();
        v.check(&serde_json::json!({ "$ref": format!("#/components/schemas/{schema}") }), &body, "$", true, &mut e);
        e
    };
    assert!(errors("ErrorBody", serde_json::json!({"code": "x", "message": "y"})).is_empty());
    assert!(!errors("ErrorBody", serde_json::json!({"code": "x", "message": "y", "extra": 1})).is_empty());
    assert!(!errors("ErrorBody", serde_json::json!({"code": "x"})).is_empty());
    let hit = serde_json::json!({"id": "x", "number": null, "date": "2020-01-02", "title": null, "nature": null,
        "respondent": null, "sector": null, "fine_eur": 5, "breached": [], "measures": ["fine"], "language": "fr",
        "added": "2026-01-02T03:04:05Z", "modified": "2026-01-02T03:04:05Z"});
    assert!(errors("Hit", hit.clone()).is_empty(), "{:?}", errors("Hit", hit.clone()));
    let mut bad = hit.clone();
    bad["measures"] = serde_json::json!(["caning"]);
    assert!(!errors("Hit", bad).is_empty());
    let mut bad = hit;
    bad["date"] = serde_json::json!("yesterday");
    assert!(!errors("Hit", bad).is_empty());
}
