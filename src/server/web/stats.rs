//! The statistics page: what the knowledge base covers, then the sanctions and their fines
//! per year, per provision, per sector, as charts.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;

use crate::server::params::percent_encode;
use crate::server::articles::provision_label;
use crate::server::charts::{self, Chart, Datum};
use crate::search::GroupStat;
use crate::server::params::Params;
use crate::server::service;
use crate::server::state::AppState;

use super::hits::provision_link;
use super::{Html, Page, WebError};

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    page: Page,
    coverage: String,
    sanctions: u64,
    charts: Vec<Chart>,
    scale: u32,
}

pub async fn stats_page(State(state): State<Arc<AppState>>, mut page: Page, params: Params) -> Result<Html, WebError> {
    params.allow(&["lang"])?;
    let (stats, updated) = service::stats(&state).await?;
    let lang = page.lang;
    let t = page.t;
    page.title = t.stats_title.to_string();
    let mut provisions = stats.by_provision.clone();
    provisions.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    let mut sectors = stats.by_sector.clone();
    sectors.sort_by(|a, b| b.fine_sum.cmp(&a.fine_sum).then(a.key.cmp(&b.key)));
    // Every link lands on the same set the chart counts: sanctions.
    let q = |s: String| Some(format!("/?q={}", percent_encode(&format!("{s} nature:sanction"))));
    let per_year = |value: &dyn Fn(&GroupStat) -> (u64, String)| -> Vec<Datum> {
        stats
            .by_year
            .iter()
            .map(|g| {
                let (value, value_text) = value(g);
                Datum { label: g.key.clone(), value, value_text, href: q(format!("year:{}", g.key)) }
            })
            .collect()
    };
    let charts = vec![
        charts::bar_chart("fines-per-year", t.fines_per_year, per_year(&|g| (g.fine_sum, lang.money(g.fine_sum)))),
        charts::bar_chart("decisions-per-year", t.decisions_per_year, per_year(&|g| (g.count, g.count.to_string()))),
        charts::bar_chart(
            "by-provision",
            t.by_provision,
            provisions
                .iter()
                .map(|g| Datum {
                    label: provision_label(&g.key, lang),
                    value: g.count,
                    value_text: g.count.to_string(),
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
                    label: lang.sector(&g.key).to_string(),
                    value: g.fine_sum,
                    value_text: lang.money(g.fine_sum),
                    href: q(format!("sector:\"{}\"", g.key)),
                })
                .collect(),
        ),
    ];
    let coverage = lang.coverage(stats.total, stats.first_year, stats.last_date, updated.map(|u| u.date_naive()));
    Html::render(&StatsPage { coverage, sanctions: stats.sanctions, charts, scale: charts::SCALE, page })
}
