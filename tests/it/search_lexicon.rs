//! The GDPR part of the lexicon (`data/lexicon/gdpr-*.tsv`) is generated from the official
//! terminology in `../shared/data/gdpr` (Art. 4 terms, article and chapter titles in English
//! and French): this test regenerates it and fails when the files differ. Run with
//! `RECUEIL_WRITE_LEXICON=1` to write them. Needs `../shared/data`; fails loudly without it.

use std::path::{Path, PathBuf};

fn gdpr_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/gdpr");
    assert!(
        dir.join("articles.csv").is_file() && dir.join("terms-art4.csv").is_file(),
        "../shared/data/gdpr is missing: this test checks the lexicon against the GDPR's official terms"
    );
    dir
}

fn rows(path: &Path) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader.records().map(|r| r.unwrap()).collect()
}

/// A title as lexicon alternatives: "Right to erasure (right to be forgotten)" gives
/// "Right to erasure|right to be forgotten"; quotes dropped.
fn alternatives(title: &str) -> String {
    let clean: String = title.chars().filter(|c| !matches!(c, '«' | '»' | '"' | '“' | '”' | '|' | '\t')).collect();
    clean
        .split(['(', ')'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("|")
}

const HEADER: &str = "# Generated from ../shared/data/gdpr by `RECUEIL_WRITE_LEXICON=1 cargo test --test it search_lexicon::`;\n# do not edit. Official terminology of Regulation (EU) 2016/679, French<TAB>English.\n";

fn expected_terms(dir: &Path) -> String {
    let mut out = format!("{HEADER}# Article 4 definitions, by point number.\n");
    for r in rows(&dir.join("terms-art4.csv")) {
        out.push_str(&format!("{}\t{}\n", alternatives(&r[2]), alternatives(&r[1])));
    }
    out
}

fn expected_articles(dir: &Path) -> String {
    let mut out = format!("{HEADER}# Article titles, then chapter titles.\n");
    let rows = rows(&dir.join("articles.csv"));
    for r in &rows {
        out.push_str(&format!("{}\t{}\n", alternatives(&r[2]), alternatives(&r[1])));
    }
    let mut chapters: Vec<(String, String)> = Vec::new();
    for r in &rows {
        let chapter = (alternatives(&r[5]), alternatives(&r[4]));
        if !chapters.contains(&chapter) {
            chapters.push(chapter);
        }
    }
    for (fr, en) in chapters {
        out.push_str(&format!("{fr}\t{en}\n"));
    }
    out
}

fn check(name: &str, expected: String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lexicon").join(name);
    if std::env::var_os("RECUEIL_WRITE_LEXICON").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} differs from ../shared/data/gdpr; regenerate with RECUEIL_WRITE_LEXICON=1 cargo test --test it search_lexicon::",
        path.display()
    );
}

#[test]
fn gdpr_terms_match_the_official_definitions() {
    let expected = expected_terms(&gdpr_dir());
    assert_eq!(expected.lines().filter(|l| !l.starts_with('#')).count(), 26);
    check("gdpr-terms.tsv", expected);
}

#[test]
fn gdpr_article_titles_match_the_official_texts() {
    let expected = expected_articles(&gdpr_dir());
    assert!(expected.contains("Droit à l'effacement|droit à l'oubli\tRight to erasure|right to be forgotten\n"));
    check("gdpr-articles.tsv", expected);
}
