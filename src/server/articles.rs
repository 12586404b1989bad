//! GDPR article titles (English for all 99, French for 1–23), carried in `data/` and compiled
//! in, and the labels of the provisions a decision can breach (`GDPR:32`, `LIL:82`,
//! `CPCE:L34-5`).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::i18n::Lang;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Article {
    pub number: u32,
    pub title_en: String,
    /// Only articles 1–23 have a French title in our data.
    pub title_fr: Option<String>,
    pub chapter: u32,
    pub chapter_title: String,
}

impl Article {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => self.title_fr.as_deref().unwrap_or(&self.title_en),
            Lang::En => &self.title_en,
        }
    }

    /// The provision key used in records and queries.
    pub fn key(&self) -> String {
        format!("GDPR:{}", self.number)
    }
}

#[derive(Deserialize)]
struct EnRow {
    article: u32,
    title_en: String,
    chapter: u32,
    chapter_title: String,
}

#[derive(Deserialize)]
struct FrRow {
    article: u32,
    title_fr: String,
}

static ARTICLES: LazyLock<Vec<Article>> = LazyLock::new(|| {
    let fr: Vec<FrRow> = csv::Reader::from_reader(include_str!("../../data/gdpr-articles-fr.csv").as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("data/gdpr-articles-fr.csv is compiled in and checked by a test");
    csv::Reader::from_reader(include_str!("../../data/gdpr-articles-en.csv").as_bytes())
        .deserialize::<EnRow>()
        .map(|row| {
            let row = row.expect("data/gdpr-articles-en.csv is compiled in and checked by a test");
            let title_fr = fr.iter().find(|f| f.article == row.article).map(|f| f.title_fr.clone());
            Article {
                number: row.article,
                title_en: row.title_en,
                title_fr,
                chapter: row.chapter,
                chapter_title: row.chapter_title,
            }
        })
        .collect()
});

pub fn all() -> &'static [Article] {
    &ARTICLES
}

pub fn get(number: u32) -> Option<&'static Article> {
    ARTICLES.iter().find(|a| a.number == number)
}

/// The GDPR article number of a provision key, `GDPR:32` → 32.
pub fn gdpr_number(provision: &str) -> Option<u32> {
    provision.strip_prefix("GDPR:")?.parse().ok()
}

/// A readable name for a provision key, with the article's title when we have one.
pub fn provision_label(provision: &str, lang: Lang) -> String {
    if let Some(a) = gdpr_number(provision).and_then(get) {
        return match lang {
            Lang::Fr => format!("RGPD, art. {} – {}", a.number, a.title(lang)),
            Lang::En => format!("GDPR Art. {} – {}", a.number, a.title(lang)),
        };
    }
    match (provision.split_once(':'), lang) {
        (Some(("LIL", n)), Lang::Fr) => format!("Loi Informatique et Libertés, art. {n}"),
        (Some(("LIL", n)), Lang::En) => format!("French Data Protection Act, Art. {n}"),
        (Some(("CPCE", n)), Lang::Fr) => format!("Code des postes et des communications électroniques, art. {n}"),
        (Some(("CPCE", n)), Lang::En) => format!("Postal and Electronic Communications Code, Art. {n}"),
        (Some(("GDPR", n)), Lang::Fr) => format!("RGPD, art. {n}"),
        (Some(("GDPR", n)), Lang::En) => format!("GDPR Art. {n}"),
        _ => provision.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_are_complete() {
        assert_eq!(all().len(), 99);
        assert!(all().iter().enumerate().all(|(i, a)| a.number as usize == i + 1));
        assert_eq!(get(32).unwrap().title_en, "Security of processing");
        assert!(get(23).unwrap().title_fr.is_some());
        assert!(get(24).unwrap().title_fr.is_none());
        assert_eq!(get(4).unwrap().title(Lang::Fr), "Définitions");
    }

    #[test]
    fn labels_cover_every_provision_family() {
        assert_eq!(provision_label("GDPR:32", Lang::En), "GDPR Art. 32 – Security of processing");
        assert!(provision_label("LIL:82", Lang::Fr).contains("Informatique et Libertés, art. 82"));
        assert!(provision_label("CPCE:L34-5", Lang::En).contains("L34-5"));
        assert_eq!(provision_label("GDPR:999", Lang::En), "GDPR Art. 999");
        assert_eq!(provision_label("other", Lang::En), "other");
    }
}
