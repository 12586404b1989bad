//! The document `recueil export --ndjson` writes for OpenSearch (or Elasticsearch) and the
//! index mapping, generated from that document's JSON schema so that the two cannot drift:
//! dates become `date`, enums and other strings `keyword`, integers `long`, booleans
//! `boolean`, arrays their items' type, and the prose fields analysed `text`.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Map, Value};
use utoipa::OpenApi;

use crate::record::{Decision, Language, Measure, RespondentKind};

/// One decision as indexed elsewhere: its identity, facts and text; not its source path,
/// spans or evidence, which only mean something inside recueil.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Document {
    pub id: String,
    pub number: Option<String>,
    pub legifrance_id: Option<String>,
    pub authority: String,
    pub nature: Option<String>,
    pub date: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub title: Option<String>,
    pub language: Language,
    pub respondent: Option<String>,
    pub respondent_kind: Option<RespondentKind>,
    pub sector: Option<String>,
    pub fine_eur: Option<u64>,
    pub breached: Vec<String>,
    pub injunction: Option<bool>,
    pub penalty_per_day_eur: Option<u64>,
    pub public: Option<bool>,
    pub measures: Vec<Measure>,
    pub summary: Option<String>,
    pub text: String,
}

impl From<&Decision> for Document {
    fn from(d: &Decision) -> Document {
        let f = &d.facts;
        let main = d.main_text().map(|r| &r.record);
        Document {
            id: d.id.clone(),
            number: f.number.clone(),
            legifrance_id: d.legifrance_id.clone(),
            authority: d.authority.clone(),
            nature: f.nature.clone(),
            date: f.date,
            published: d.published,
            title: d.title.clone(),
            language: main.map_or(crate::record::Language::Fr, |r| r.language),
            respondent: f.respondent.clone(),
            respondent_kind: f.respondent_kind,
            sector: f.sector.clone(),
            fine_eur: f.fine_eur,
            breached: f.breached.clone(),
            injunction: f.injunction,
            penalty_per_day_eur: f.penalty_per_day_eur,
            public: f.public,
            measures: f.measures.clone(),
            summary: d.summary(crate::record::Language::En).map(String::from),
            text: main.map(|r| r.text.clone()).unwrap_or_default(),
        }
    }
}

/// Prose: analysed in French (the language of most decisions) with an English sub-field;
/// the respondent keeps an exact `keyword` sub-field for aggregations.
pub const PROSE: [&str; 4] = ["title", "respondent", "summary", "text"];

#[derive(OpenApi)]
#[openapi(components(schemas(Document)))]
struct Schemas;

/// The component schemas `Document` refers to, as JSON.
fn components() -> Map<String, Value> {
    let doc = serde_json::to_value(Schemas::openapi()).unwrap_or_default();
    doc["components"]["schemas"].as_object().cloned().unwrap_or_default()
}

/// The OpenSearch type of one property schema.
fn field_type(schema: &Value, components: &Map<String, Value>) -> Value {
    if let Some(name) = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        return components.get(name).map_or(json!({"type": "keyword"}), |s| field_type(s, components));
    }
    // `Option<Enum>` is `oneOf: [{type: null}, {$ref}]`.
    for alt in schema["oneOf"].as_array().into_iter().flatten() {
        if alt["type"] != "null" {
            return field_type(alt, components);
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = types.into_iter().find(|t| *t != "null").unwrap_or("string");
    match kind {
        "array" => field_type(&schema["items"], components),
        "integer" => json!({"type": "long"}),
        "number" => json!({"type": "double"}),
        "boolean" => json!({"type": "boolean"}),
        "object" => json!({"type": "object"}),
        _ if schema["format"] == "date" => json!({"type": "date", "format": "strict_date"}),
        _ => json!({"type": "keyword"}),
    }
}

/// The body of `PUT /<index>`: settings and the mapping of [`Document`].
pub fn mapping() -> Value {
    let components = components();
    let mut properties = Map::new();
    for (name, schema) in components["Document"]["properties"].as_object().into_iter().flatten() {
        let mut t = field_type(schema, &components);
        if PROSE.contains(&name.as_str()) {
            t = json!({"type": "text", "analyzer": "french", "fields": {"en": {"type": "text", "analyzer": "english"}}});
            if name == "respondent" {
                t["fields"]["raw"] = json!({"type": "keyword", "ignore_above": 512});
            }
        }
        properties.insert(name.clone(), t);
    }
    json!({
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": 1}},
        "mappings": {"dynamic": "strict", "properties": properties}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An invented decision with every exported fact set.
    fn invented() -> Decision {
        let record = crate::record::Record {
            id: "cnil-SAN-2099-001".into(),
            facts: crate::record::Facts {
                number: Some("SAN-2099-001".into()),
                nature: Some("Sanction".into()),
                date: NaiveDate::from_ymd_opt(2099, 1, 2),
                respondent: Some("Invented SAS".into()),
                respondent_kind: Some(RespondentKind::Company),
                sector: Some("Health Care".into()),
                fine_eur: Some(1000),
                breached: vec!["GDPR:32".into()],
                injunction: Some(true),
                penalty_per_day_eur: Some(100),
                public: Some(false),
                measures: vec![Measure::Fine, Measure::Injunction],
                ..Default::default()
            },
            legifrance_id: Some("CNILTEXT000099999901".into()),
            authority: "CNIL".into(),
            published: NaiveDate::from_ymd_opt(2099, 1, 9),
            title: Some("Invented decision".into()),
            summary: Some("Invented summary.".into()),
            text: "Invented text.".into(),
            source: crate::record::Source { format: crate::record::SourceFormat::DilaXml, path: "x.xml".into(), sha256: String::new() },
            ..Default::default()
        };
        crate::record::reconcile(vec![crate::record::Reading::of(record)], None, chrono::Utc::now())
    }

    /// Whether a JSON value can be indexed into a field of this mapping under `dynamic: strict`.
    fn agrees(value: &Value, field: &Value) -> bool {
        match value {
            Value::Null => true,
            Value::Array(items) => items.iter().all(|v| agrees(v, field)),
            Value::Bool(_) => field["type"] == "boolean",
            Value::Number(n) => (field["type"] == "long" && n.is_u64()) || field["type"] == "double",
            Value::String(s) => match field["type"].as_str() {
                Some("keyword") | Some("text") => true,
                Some("date") => NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
                _ => false,
            },
            Value::Object(_) => field["type"] == "object",
        }
    }

    #[test]
    fn every_key_of_the_document_is_mapped_with_its_type() {
        let m = mapping();
        let properties = m["mappings"]["properties"].as_object().expect("properties");
        let doc = serde_json::to_value(Document::from(&invented())).unwrap();
        let doc = doc.as_object().unwrap();
        assert_eq!(
            doc.keys().collect::<std::collections::BTreeSet<_>>(),
            properties.keys().collect::<std::collections::BTreeSet<_>>()
        );
        for (key, value) in doc {
            assert!(!value.is_null(), "{key} set in the invented record");
            assert!(agrees(value, &properties[key]), "{key}: {value} does not fit {}", properties[key]);
        }
        assert_eq!(properties["date"]["type"], "date");
        assert_eq!(properties["fine_eur"]["type"], "long");
        assert_eq!(properties["measures"]["type"], "keyword");
        assert_eq!(properties["language"]["type"], "keyword");
        assert_eq!(properties["injunction"]["type"], "boolean");
        assert_eq!(properties["text"]["type"], "text");
        assert!(PROSE.iter().all(|p| properties.contains_key(*p)));
    }
}
