//! The statistics page: fines and decisions per year, per provision, per sector, as charts.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::server::api::percent_encode;
use crate::server::articles::provision_label;
use crate::server::charts::{self, Chart, Datum};
use crate::server::params::Params;
use crate::server::state::AppState;

use super::hits::provision_link;
use super::{Page, WebError};


#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    page: Page,
    total: u64,
    charts: Vec<Chart>,
}

pub async fn stats_page(State(state): State<Arc<AppState>>, params: Params, headers: HeaderMap, uri: Uri) -> Response {
    let mut page = Page::new(&params, &headers, &uri, "");
    page.title = page.t.stats_title.to_string();
    if let Err(e) = params.allow(&["lang"]) {
        return WebError(page, e.into()).into_response();
    }
    let stats = match state.call(|b| b.stats()).await {
        Ok(s) => s,
        Err(e) => return WebError(page, e.into()).into_response(),
    };
    let lang = page.lang;
    let t = page.t;
    let mut years = stats.by_year.clone();
    years.sort_by(|a, b| a.key.cmp(&b.key));
    let mut provisions = stats.by_provision.clone();
    provisions.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    let mut sectors = stats.by_sector.clone();
    sectors.sort_by(|a, b| b.fine_sum.cmp(&a.fine_sum).then(a.key.cmp(&b.key)));
    let q = |s: String| Some(format!("/?q={}", percent_encode(&s)));
    let charts = vec![
        charts::bar_chart(
            "fines-per-year",
            t.fines_per_year,
            years
                .iter()
                .map(|g| Datum {
                    label: g.key.clone(),
                    value: g.fine_sum,
                    value_text: lang.money(g.fine_sum),
                    href: q(format!("year:{}", g.key)),
                })
                .collect(),
        ),
        charts::bar_chart(
            "decisions-per-year",
            t.decisions_per_year,
            years
                .iter()
                .map(|g| Datum {
                    label: g.key.clone(),
                    value: g.count,
                    value_text: g.count.to_string(),
                    href: q(format!("year:{}", g.key)),
                })
                .collect(),
        ),
        charts::bar_chart(
            "by-provision",
            t.by_provision,
            provisions
                .iter()
                .map(|g| Datum {
                    label: provision_label(&g.key, lang),
                    value: g.count,
                    value_text: lang.count(g.count),
                    href: Some(provision_link(&g.key, lang).href),
                })
                .collect(),
        ),
        charts::bar_chart(
            "by-sector",
            t.by_sector,
            sectors
                .iter()
                .map(|g| Datum {
                    label: g.key.clone(),
                    value: g.fine_sum,
                    value_text: lang.money(g.fine_sum),
                    href: q(format!("sector:\"{}\"", g.key)),
                })
                .collect(),
        ),
    ];
    let tpl = StatsPage { page, total: stats.total, charts };
    tpl.page.respond(StatusCode::OK, tpl.render())
}
