//! The benchmark's queries, each written once and rendered twice: in recueil's query language
//! and as an SQLite FTS5 `MATCH` expression with the same filters as SQL `WHERE` clauses.
//! The words are common in the texts the corpus is made from, in French and in English, so
//! every class has queries of high and of middling frequency.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Term,
    And,
    Or,
    Phrase,
    /// Words plus filters on sector, year, provision or fine, with facet counts.
    FilteredFacets,
    /// Filters and facets as above, with the 10 hits' snippets.
    Snippets,
    /// What the search page asks: 16 words, each alone and with a sector, year or fine
    /// filter (64 distinct queries), with facets, fine statistics and 10 snippets.
    Mixed,
}

impl Class {
    pub const ALL: [Class; 7] =
        [Class::Term, Class::And, Class::Or, Class::Phrase, Class::FilteredFacets, Class::Snippets, Class::Mixed];

    pub fn label(self) -> &'static str {
        match self {
            Class::Term => "single term",
            Class::And => "two-term AND",
            Class::Or => "two-term OR",
            Class::Phrase => "phrase",
            Class::FilteredFacets => "filters + facets",
            Class::Snippets => "filters + facets + 10 snippets",
            Class::Mixed => "mixed: 16 words x 4 filters",
        }
    }

    /// Whether SQLite must compute the facet counts and fine statistics that recueil returns.
    pub fn facets(self) -> bool {
        matches!(self, Class::FilteredFacets | Class::Snippets | Class::Mixed)
    }

    pub fn snippets(self) -> bool {
        matches!(self, Class::Snippets | Class::Mixed)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Words {
    Term(&'static str),
    And(&'static str, &'static str),
    Or(&'static str, &'static str),
    Phrase(&'static str),
}

/// Filters shared by both engines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub sector: Option<&'static str>,
    pub year: Option<i32>,
    /// A GDPR article number (recueil's `article:N`, SQLite's `GDPR:N` provision).
    pub article: Option<u32>,
    pub fine_min: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub class: Class,
    pub words: Words,
    pub filter: Filter,
}

impl Query {
    /// The query in recueil's language (see the search module's README section).
    pub fn recueil(&self) -> String {
        let mut q = match self.words {
            Words::Term(a) => a.to_string(),
            Words::And(a, b) => format!("{a} AND {b}"),
            Words::Or(a, b) => format!("({a} OR {b})"),
            Words::Phrase(p) => format!("\"{p}\""),
        };
        let f = &self.filter;
        if let Some(s) = f.sector {
            q.push_str(&format!(" sector:\"{s}\""));
        }
        if let Some(y) = f.year {
            q.push_str(&format!(" year:{y}"));
        }
        if let Some(a) = f.article {
            q.push_str(&format!(" article:{a}"));
        }
        if let Some(m) = f.fine_min {
            q.push_str(&format!(" fine>={m}"));
        }
        q
    }

    /// The FTS5 `MATCH` expression (filters go to SQL, see `bench::sqlite`).
    pub fn fts5(&self) -> String {
        match self.words {
            Words::Term(a) => a.to_string(),
            Words::And(a, b) => format!("{a} AND {b}"),
            Words::Or(a, b) => format!("{a} OR {b}"),
            Words::Phrase(p) => format!("\"{p}\""),
        }
    }
}

/// The fixed query set: 8 queries per class.
pub fn all() -> Vec<Query> {
    use Words::*;
    let none = Filter::default;
    let mut out = Vec::new();
    let mut push = |class, words, filter| out.push(Query { class, words, filter });
    for w in ["security", "cookies", "consent", "retention", "données", "santé", "prospecting", "password"] {
        push(Class::Term, Term(w), none());
    }
    for (a, b) in [
        ("security", "password"),
        ("consent", "cookies"),
        ("données", "santé"),
        ("retention", "period"),
        ("traitement", "recherche"),
        ("access", "request"),
        ("breach", "notification"),
        ("video", "employees"),
    ] {
        push(Class::And, And(a, b), none());
    }
    for (a, b) in [
        ("cookies", "trackers"),
        ("password", "encryption"),
        ("santé", "recherche"),
        ("prospecting", "marketing"),
        ("consent", "opposition"),
        ("retention", "deletion"),
        ("données", "informations"),
        ("breach", "violation"),
    ] {
        push(Class::Or, Or(a, b), none());
    }
    for p in [
        "personal data",
        "data protection officer",
        "right of access",
        "legitimate interest",
        "données de santé",
        "intérêt public",
        "restricted committee",
        "administrative fine",
    ] {
        push(Class::Phrase, Phrase(p), none());
    }
    let filters = [
        Filter { sector: Some("Health Care"), ..Filter::default() },
        Filter { year: Some(2021), ..Filter::default() },
        Filter { article: Some(32), ..Filter::default() },
        Filter { fine_min: Some(100_000), ..Filter::default() },
        Filter { sector: Some("Industry and Commerce"), year: Some(2022), ..Filter::default() },
        Filter { article: Some(6), fine_min: Some(10_000), ..Filter::default() },
        Filter { sector: Some("Finance, Insurance and Consulting"), article: Some(5), ..Filter::default() },
        Filter { year: Some(2020), article: Some(13), ..Filter::default() },
    ];
    let words = [
        Term("security"),
        Term("données"),
        And("consent", "cookies"),
        Term("retention"),
        Term("santé"),
        And("security", "password"),
        Term("prospecting"),
        Phrase("personal data"),
    ];
    for class in [Class::FilteredFacets, Class::Snippets] {
        for (w, f) in words.iter().zip(filters.iter()) {
            push(class, w.clone(), f.clone());
        }
    }
    let filters = [
        Filter::default(),
        Filter { sector: Some("Health Care"), ..Filter::default() },
        Filter { year: Some(2021), ..Filter::default() },
        Filter { fine_min: Some(100_000), ..Filter::default() },
    ];
    for w in MIXED_WORDS {
        for f in &filters {
            push(Class::Mixed, Term(w), f.clone());
        }
    }
    out
}

/// The words of the mixed set: frequent and rarer, French and English, some translated
/// through phrases (`password` is « mot de passe »).
const MIXED_WORDS: [&str; 16] = [
    "security",
    "cookies",
    "consent",
    "retention",
    "données",
    "santé",
    "prospecting",
    "password",
    "breach",
    "video",
    "employees",
    "access",
    "traitement",
    "recherche",
    "marketing",
    "encryption",
];

/// `q` as the path of a search request on the JSON API, the query percent-encoded: what
/// `scripts/http-load.sh` sends.
pub fn api_path(q: &Query) -> String {
    let mut path = String::from("/api/v1/search?q=");
    for b in q.recueil().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_has_queries_and_both_renderings_carry_the_words() {
        let qs = all();
        for class in Class::ALL {
            let n = if class == Class::Mixed { 64 } else { 8 };
            assert_eq!(qs.iter().filter(|q| q.class == class).count(), n, "{class:?}");
        }
        let mixed: std::collections::HashSet<String> =
            qs.iter().filter(|q| q.class == Class::Mixed).map(Query::recueil).collect();
        assert_eq!(mixed.len(), 64);
        let q = Query {
            class: Class::FilteredFacets,
            words: Words::Phrase("personal data"),
            filter: Filter { sector: Some("Health Care"), year: Some(2020), article: Some(32), fine_min: Some(5) },
        };
        assert_eq!(q.recueil(), "\"personal data\" sector:\"Health Care\" year:2020 article:32 fine>=5");
        assert_eq!(q.fts5(), "\"personal data\"");
        assert_eq!(
            api_path(&q),
            "/api/v1/search?q=%22personal%20data%22%20sector%3A%22Health%20Care%22%20year%3A2020%20article%3A32%20fine%3E%3D5"
        );
        let french = Query { class: Class::Mixed, words: Words::Term("données"), filter: Filter::default() };
        assert_eq!(api_path(&french), "/api/v1/search?q=donn%C3%A9es");
    }
}
