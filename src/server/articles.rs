//! GDPR article and chapter titles, official French and English, carried in
//! `data/gdpr-articles.tsv` and `data/gdpr-chapters.tsv` (generated from
//! `../shared/data/gdpr/articles.csv` by a test) and compiled in; and the labels of the
//! provisions a decision can breach (`GDPR:32`, `LIL:82`, `CPCE:L34-5`).

use std::sync::LazyLock;

use serde::Serialize;

use super::i18n::Lang;
use crate::record::{Law, Provision};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Article {
    pub number: u32,
    pub title_en: String,
    pub title_fr: String,
    pub chapter: u32,
    /// The chapter's English title.
    pub chapter_title: String,
    pub chapter_title_fr: String,
}

impl Article {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.title_fr,
            Lang::En => &self.title_en,
        }
    }

    pub fn chapter_title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.chapter_title_fr,
            Lang::En => &self.chapter_title,
        }
    }

    /// The provision key used in records and queries.
    pub fn key(&self) -> String {
        Provision::gdpr(self.number).to_string()
    }
}

const ARTICLES_TSV: &str = include_str!("../../data/gdpr-articles.tsv");
const CHAPTERS_TSV: &str = include_str!("../../data/gdpr-chapters.tsv");

/// The tab-separated rows of a table, its `#` comment lines and header left out.
fn rows(table: &str) -> impl Iterator<Item = Vec<&str>> {
    table.lines().filter(|l| !l.starts_with('#')).skip(1).map(|l| l.split('\t').collect())
}

static ARTICLES: LazyLock<Vec<Article>> = LazyLock::new(|| {
    let chapters: Vec<Vec<&str>> = rows(CHAPTERS_TSV).collect();
    rows(ARTICLES_TSV)
        .map(|row| {
            let [number, chapter, title_en, title_fr] = row[..] else {
                panic!("data/gdpr-articles.tsv is compiled in and checked by a test")
            };
            let ch = chapters.iter().find(|c| c[0] == chapter).expect("every article's chapter is in data/gdpr-chapters.tsv");
            Article {
                number: number.parse().expect("article numbers are checked by a test"),
                title_en: title_en.into(),
                title_fr: title_fr.into(),
                chapter: chapter.parse().expect("chapter numbers are checked by a test"),
                chapter_title: ch[1].into(),
                chapter_title_fr: ch[2].into(),
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

/// The GDPR article a provision key names (`GDPR:32`), when we have its titles.
pub fn of_provision(provision: &str) -> Option<&'static Article> {
    provision.parse::<Provision>().ok()?.gdpr_article().and_then(get)
}

/// A readable name for a provision key, with the article's title when we have one.
pub fn provision_label(provision: &str, lang: Lang) -> String {
    if let Some(a) = of_provision(provision) {
        return match lang {
            Lang::Fr => format!("RGPD, art. {} – {}", a.number, a.title(lang)),
            Lang::En => format!("GDPR Art. {} – {}", a.number, a.title(lang)),
        };
    }
    let Ok(Provision { law, article: n }) = provision.parse() else { return provision.to_string() };
    match (law, lang) {
        (Law::Lil, Lang::Fr) => format!("Loi Informatique et Libertés, art. {n}"),
        (Law::Lil, Lang::En) => format!("French Data Protection Act, Art. {n}"),
        (Law::Cpce, Lang::Fr) => format!("Code des postes et des communications électroniques, art. {n}"),
        (Law::Cpce, Lang::En) => format!("Postal and Electronic Communications Code, Art. {n}"),
        (Law::Gdpr, Lang::Fr) => format!("RGPD, art. {n}"),
        (Law::Gdpr, Lang::En) => format!("GDPR Art. {n}"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;

    /// The two tables as `../shared/data/gdpr/articles.csv` gives them.
    fn expected() -> (String, String) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/gdpr/articles.csv");
        assert!(path.is_file(), "{} is missing: this test checks the GDPR titles against it", path.display());
        let head = "# Generated from ../shared/data/gdpr/articles.csv by `RECUEIL_WRITE_ARTICLES=1 cargo test --lib server::articles`; do not edit.\n";
        let mut articles = format!("{head}article\tchapter\ttitle_en\ttitle_fr\n");
        let mut chapters = BTreeMap::new();
        for row in csv::Reader::from_path(&path).expect("read articles.csv").records() {
            let r = row.expect("a well-formed row");
            articles.push_str(&format!("{}\t{}\t{}\t{}\n", &r[0], &r[3], &r[1], &r[2]));
            chapters.insert(r[3].parse::<u32>().expect("chapter number"), (r[4].to_string(), r[5].to_string()));
        }
        let mut chapter_table = format!("{head}chapter\ttitle_en\ttitle_fr\n");
        for (n, (en, fr)) in chapters {
            chapter_table.push_str(&format!("{n}\t{en}\t{fr}\n"));
        }
        (articles, chapter_table)
    }

    #[test]
    fn compiled_tables_match_the_official_titles() {
        let (articles, chapters) = expected();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        if std::env::var_os("RECUEIL_WRITE_ARTICLES").is_some() {
            std::fs::write(dir.join("gdpr-articles.tsv"), &articles).unwrap();
            std::fs::write(dir.join("gdpr-chapters.tsv"), &chapters).unwrap();
        }
        let hint = "differs from ../shared/data/gdpr/articles.csv; regenerate with RECUEIL_WRITE_ARTICLES=1 cargo test --lib server::articles";
        assert!(ARTICLES_TSV == articles, "data/gdpr-articles.tsv {hint}");
        assert!(CHAPTERS_TSV == chapters, "data/gdpr-chapters.tsv {hint}");
    }

    #[test]
    fn every_article_has_both_titles() {
        assert_eq!(all().len(), 99);
        assert!(all().iter().enumerate().all(|(i, a)| a.number as usize == i + 1));
        assert!(all().iter().all(|a| !a.title_fr.is_empty() && !a.chapter_title_fr.is_empty()));
        assert_eq!(get(32).unwrap().title(Lang::En), "Security of processing");
        assert_eq!(get(32).unwrap().title(Lang::Fr), "Sécurité du traitement");
        assert_eq!(get(93).unwrap().title(Lang::En), "Committee procedure");
        assert_eq!(get(92).unwrap().title(Lang::Fr), "Exercice de la délégation");
        assert_eq!(get(4).unwrap().chapter_title(Lang::Fr), "Dispositions générales");
    }

    #[test]
    fn labels_cover_every_provision_family() {
        assert_eq!(provision_label("GDPR:32", Lang::En), "GDPR Art. 32 – Security of processing");
        assert_eq!(provision_label("GDPR:32", Lang::Fr), "RGPD, art. 32 – Sécurité du traitement");
        assert!(provision_label("LIL:82", Lang::Fr).contains("Informatique et Libertés, art. 82"));
        assert!(provision_label("CPCE:L34-5", Lang::En).contains("L34-5"));
        assert_eq!(provision_label("GDPR:999", Lang::En), "GDPR Art. 999");
        assert_eq!(provision_label("other", Lang::En), "other");
        assert_eq!(of_provision("GDPR:32").map(|a| a.number), Some(32));
        assert!(of_provision("GDPR:999").is_none() && of_provision("LIL:32").is_none() && of_provision("32").is_none());
    }
}
