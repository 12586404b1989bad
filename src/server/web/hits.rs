//! A decision as result lists show it (search, similar decisions, an article's decisions).

use crate::search::{Hit, SnippetPart};
use crate::server::params::percent_encode;
use crate::server::articles::{self, provision_label};
use crate::server::i18n::Lang;
use crate::server::nature::nature_label;

/// A hit as the pages list it.
pub struct HitView {
    pub href: String,
    pub heading: String,
    pub date: Option<String>,
    /// The nature as the source names it (`Sanction`, `Avis`…), badged on every card.
    pub nature: Option<String>,
    pub respondent: Option<String>,
    pub sector: Option<String>,
    pub fine: Option<String>,
    pub measures: String,
    pub breached: Vec<Link>,
    pub snippet: Vec<SnippetPart>,
    /// Further matching passages, when the search asked for several.
    pub passages: Vec<Vec<SnippetPart>>,
}

pub struct Link {
    pub label: String,
    pub href: String,
}

pub fn provision_link(p: &str, lang: Lang) -> Link {
    let href = match articles::of_provision(p) {
        Some(a) => format!("/articles/{}", a.number),
        None => format!("/?q={}", percent_encode(&format!("breached:\"{p}\""))),
    };
    Link { label: provision_label(p, lang), href }
}

/// The page of a decision; with the query that found it, so that the page marks its matches
/// and leads back to the results.
pub fn decision_href(id: &str, q: &str) -> String {
    match q.trim() {
        "" => format!("/decisions/{}", percent_encode(id)),
        q => format!("/decisions/{}?q={}", percent_encode(id), percent_encode(q)),
    }
}

/// A hit as a list shows it; `q` is the query that found it (empty when none did).
pub fn hit_view(hit: Hit, lang: Lang, q: &str) -> HitView {
    let Hit { head: h, snippet, passages, .. } = hit;
    HitView {
        href: decision_href(&h.id, q),
        heading: match (&h.facts.number, &h.title) {
            (Some(n), _) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => h.id.clone(),
        },
        date: h.facts.date.map(|d| lang.date(d)),
        nature: h.facts.nature.map(|n| nature_label(&n, lang)),
        respondent: h.facts.respondent,
        sector: h.facts.sector.map(|s| lang.sector(&s).to_string()),
        fine: h.facts.fine_eur.map(|f| lang.money(f)),
        measures: h.facts.measures.iter().map(|m| lang.measure(*m)).collect::<Vec<_>>().join(", "),
        breached: h.facts.breached.iter().map(|p| provision_link(p, lang)).collect(),
        snippet,
        passages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_links_keep_the_query() {
        assert_eq!(decision_href("cnil-SAN-2020-014", ""), "/decisions/cnil-SAN-2020-014");
        assert_eq!(decision_href("cnil-SAN-2020-014", "données santé"), "/decisions/cnil-SAN-2020-014?q=donn%C3%A9es%20sant%C3%A9");
    }

    #[test]
    fn a_gdpr_article_links_to_its_page_any_other_provision_to_its_decisions() {
        assert_eq!(provision_link("GDPR:32", Lang::En).href, "/articles/32");
        for other in ["GDPR:999", "LIL:32", "CPCE:L34-5"] {
            let href = provision_link(other, Lang::En).href;
            assert_eq!(href, format!("/?q={}", percent_encode(&format!("breached:\"{other}\""))));
        }
    }
}
