//! The OpenAPI 3.1 description of the service, generated from the handlers' annotations and
//! the response types, served at `/api/v1/openapi.json`. tests/it/server_openapi.rs checks live
//! responses of every route against it.

use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, Schema};
use utoipa::{Modify, OpenApi};

use super::{api, articles, error};

#[derive(OpenApi)]
#[openapi(
    info(title = "recueil API", description = "Search CNIL sanction decisions: hits, facts, articles, statistics, exports, feed."),
    paths(
        api::search,
        api::decision,
        api::summary,
        api::similar,
        api::articles_list,
        api::article,
        api::stats,
        api::export_csv,
        api::export_jsonl,
        api::feed,
        api::healthz,
        api::readyz,
        api::metrics,
    ),
    components(schemas(error::ErrorBody, articles::Article, crate::search::SortBy, crate::search::Order, api::ExportStop)),
    modifiers(&CommonErrors, &SelectableHits)
)]
pub struct ApiDoc;

/// The refusals that any route may answer, produced by the layers around the router rather
/// than by a handler: every operation lists them with the error body.
struct CommonErrors;

const COMMON: [(&str, &str); 6] = [
    ("404", "No such route or resource"),
    ("405", "Method not allowed (the API answers GET, HEAD and CORS preflights)"),
    ("413", "Request body over 64 KiB"),
    ("414", "Request target over 4 KiB"),
    ("431", "Request head over 16 KiB"),
    ("503", "Overloaded or timed out (code overloaded); retry after the Retry-After delay"),
];

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
        .build()
}

impl Modify for CommonErrors {
    fn modify(&self, doc: &mut Document) {
        for item in doc.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.head].into_iter().flatten() {
                for (status, description) in COMMON {
                    op.responses.responses.entry(status.to_string()).or_insert_with(|| error_response(description).into());
                }
            }
        }
    }
}

/// A hit carries only the keys `fields` selects, and always its `id`: the document requires
/// `id` alone of a hit (and of the head it flattens), so that every selection validates.
struct SelectableHits;

impl Modify for SelectableHits {
    fn modify(&self, doc: &mut Document) {
        let Some(components) = doc.components.as_mut() else { return };
        for name in ["Hit", "Head"] {
            let Some(RefOr::T(schema)) = components.schemas.get_mut(name) else { continue };
            match schema {
                Schema::Object(o) => o.required.retain(|r| r == "id"),
                Schema::AllOf(all) => {
                    for part in &mut all.items {
                        if let RefOr::T(Schema::Object(o)) = part {
                            o.required.retain(|r| r == "id");
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

pub async fn openapi_json() -> axum::Json<Document> {
    axum::Json(ApiDoc::openapi())
}
