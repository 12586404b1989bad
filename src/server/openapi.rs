//! The OpenAPI description of the JSON API, served at `/api/v1/openapi.json`.

use utoipa::OpenApi;

use super::{api, articles, error};

#[derive(OpenApi)]
#[openapi(
    info(title = "recueil API", description = "Search CNIL sanction decisions: hits, facts, articles, statistics."),
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
    ),
    components(schemas(
        error::ErrorBody,
        api::DecisionSummary,
        api::Provision,
        api::ArticleCount,
        api::ArticleDecisions,
        articles::Article
    ))
)]
pub struct ApiDoc;

pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
