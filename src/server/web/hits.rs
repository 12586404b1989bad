//! A decision as result lists show it (search, similar decisions, an article's decisions).

use crate::search::{Hit, SnippetPart};
use crate::server::api::percent_encode;
use crate::server::articles::{self, provision_label};
use crate::server::i18n::Lang;

/// A hit as the pages list it.
pub struct HitView {
    pub href: String,
    pub heading: String,
    pub date: Option<String>,
    pub respondent: Option<String>,
    pub sector: Option<String>,
    pub fine: Option<String>,
    pub measures: String,
    pub breached: Vec<Link>,
    pub snippet: Vec<SnippetPart>,
}

pub struct Link {
    pub label: String,
    pub href: String,
}

pub fn provision_link(p: &str, lang: Lang) -> Link {
    let href = match articles::gdpr_number(p) {
        Some(n) if articles::get(n).is_some() => format!("/articles/{n}"),
        _ => format!("/?q={}", percent_encode(&format!("breached:\"{p}\""))),
    };
    Link { label: provision_label(p, lang), href }
}

pub fn hit_view(hit: Hit, lang: Lang) -> HitView {
    let Hit { head: h, snippet, .. } = hit;
    HitView {
        href: format!("/decisions/{}", percent_encode(&h.id)),
        heading: match (&h.number, &h.title) {
            (Some(n), _) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => h.id.clone(),
        },
        date: h.date.map(|d| lang.date(d)),
        respondent: h.respondent,
        sector: h.sector,
        fine: h.fine_eur.map(|f| lang.money(f)),
        measures: h.measures.iter().map(|m| lang.measure(*m)).collect::<Vec<_>>().join(", "),
        breached: h.breached.iter().map(|p| provision_link(p, lang)).collect(),
        snippet,
    }
}
