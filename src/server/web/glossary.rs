//! The glossary: the concepts the lexicon names in French and in English, which a search in
//! either language finds in the decisions written in the other (docs/search.md). Each name links
//! to the search for it.

use std::sync::{Arc, LazyLock};

use askama::Template;
use axum::extract::State;

use crate::record::Language;
use crate::search::lexicon::{self, Entry};
use crate::server::params::{percent_encode, Params};
use crate::server::state::AppState;
use crate::server::text::fold;
use crate::Error;

use super::{Html, Page, WebError};

/// The lexicon files a reader looks terms up in: the Regulation's definitions and the field's
/// vocabulary. The article titles have their own pages; the general words are not the field's.
const SHOWN: [&str; 2] = ["gdpr-terms.tsv", "field.tsv"];

/// Longest filter accepted, in characters.
const MAX_FILTER: usize = 100;

static ENTRIES: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    lexicon::SOURCES
        .iter()
        .filter(|(name, _)| SHOWN.contains(name))
        // The compiled-in files are checked by the lexicon's own tests.
        .flat_map(|(name, text)| lexicon::parse(name, text).unwrap_or_default())
        .collect()
});

/// One name of a concept, linked to its search.
pub struct Term {
    pub name: String,
    pub href: String,
}

pub struct Row {
    pub fr: Vec<Term>,
    pub en: Vec<Term>,
}

#[derive(Template)]
#[template(path = "glossary.html")]
struct GlossaryPage {
    page: Page,
    filter: String,
    rows: Vec<Row>,
    total: usize,
}

pub async fn glossary_page(State(state): State<Arc<AppState>>, mut page: Page, params: Params) -> Result<Html, WebError> {
    params.allow(&["lang", "q"])?;
    let filter = params.query()?;
    if filter.chars().count() > MAX_FILTER {
        return Err(Error::InvalidParameter { name: "q", reason: format!("at most {MAX_FILTER} characters") }.into());
    }
    page.title = page.t.glossary_title.to_string();
    // Some 1,700 linked names: rendered off the async workers, like the decision page.
    let permit = state.render_permit().await?;
    permit
        .run(move || {
            let rows = rows(&ENTRIES, page.lang.language(), &filter);
            Ok(Html::render(&GlossaryPage { page, filter, total: ENTRIES.len(), rows }))
        })
        .await?
}

/// The entries one of whose names holds `filter` (accents and case aside), in the order of
/// their first name in `language`.
fn rows(entries: &[Entry], language: Language, filter: &str) -> Vec<Row> {
    let wanted = fold(filter);
    let mut shown: Vec<(String, &Entry)> = entries
        .iter()
        .filter(|e| wanted.is_empty() || e.fr.iter().chain(&e.en).any(|n| fold(n).contains(&wanted)))
        .map(|e| (fold(&e.side(language)[0]), e))
        .collect();
    shown.sort_by(|a, b| a.0.cmp(&b.0));
    let terms = |names: &[String]| {
        names.iter().map(|n| Term { name: n.clone(), href: format!("/?q={}", percent_encode(&format!("\"{n}\""))) }).collect()
    };
    shown.into_iter().map(|(_, e)| Row { fr: terms(&e.fr), en: terms(&e.en) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fr: &[&str], en: &[&str]) -> Entry {
        Entry { fr: fr.iter().map(|s| s.to_string()).collect(), en: en.iter().map(|s| s.to_string()).collect() }
    }

    fn firsts(rows: &[Row], language: Language) -> Vec<&str> {
        rows.iter().map(|r| if language == Language::Fr { r.fr[0].name.as_str() } else { r.en[0].name.as_str() }).collect()
    }

    #[test]
    fn rows_sort_by_the_page_language_and_filter_on_every_name() {
        let entries = vec![
            entry(&["sécurité"], &["security"]),
            entry(&["responsable du traitement"], &["controller", "data controller"]),
            entry(&["amende"], &["fine"]),
        ];
        assert_eq!(firsts(&rows(&entries, Language::Fr, ""), Language::Fr), ["amende", "responsable du traitement", "sécurité"]);
        assert_eq!(firsts(&rows(&entries, Language::En, ""), Language::En), ["controller", "fine", "security"]);
        // Accents and case aside, in either language, in any alternative.
        assert_eq!(firsts(&rows(&entries, Language::Fr, "SECURITE"), Language::Fr), ["sécurité"]);
        assert_eq!(firsts(&rows(&entries, Language::Fr, "data contr"), Language::Fr), ["responsable du traitement"]);
        assert!(rows(&entries, Language::En, "nothing").is_empty());
    }

    #[test]
    fn each_name_links_to_its_phrase_search() {
        let r = rows(&[entry(&["analyse d'impact"], &["impact assessment"])], Language::En, "");
        assert_eq!(r[0].fr[0].href, "/?q=%22analyse%20d%27impact%22");
        assert_eq!(r[0].en[0].href, "/?q=%22impact%20assessment%22");
    }

    #[test]
    fn the_shown_files_are_in_the_lexicon() {
        for name in SHOWN {
            assert!(lexicon::SOURCES.iter().any(|(n, _)| *n == name), "{name}");
        }
        assert!(ENTRIES.len() > 500, "{}", ENTRIES.len());
    }
}
