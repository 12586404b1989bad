//! The respondent and its kind, from the title or the operative part.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Fact, Facts, RespondentKind, Span};

use super::facts::Evidence;
use super::head::TITLE_CUE;
use super::layout::Layout;
use super::measures::{FINE_WORD, INJUNCTION, REPRIMAND};
use super::re;

static TITLE_RESPONDENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:the\s+compan(?:y|ies)|la\s+société|les\s+sociétés|the\s+(?:group|association|organi[sz]ation|body)|l['’]association|le\s+groupement)\s+(?P<name>[^,;]{2,200}?)\s*(?:$|,|;|\s+by\s+deliberation|\s+par\s+(?:la\s+)?délibération|\(|\s+pronouncing|\s+prononçant)")
});
static TITLE_CONCERNING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:concerning|regarding|relating\s+to|concernant|relative\s+à|à\s+l['’]encontre\s+d[eu]|against|on)\s+(?:the\s+|la\s+|le\s+|l['’]|les\s+)?(?P<name>[^,;]{2,200}?)\s*(?:$|,|;|\()")
});
static OPERATIVE_RESPONDENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:against|on|upon|à\s+l['’]encontre\s+d(?:e\s+la|e\s+l['’]|u|es|e)?|contre)\s+(?:the\s+compan(?:y|ies)\s+|la\s+société\s+|les\s+sociétés\s+|the\s+)?(?P<name>[^,;]{2,150}?)(?:\s+(?:an?|une?|in\s+the\s+amount|d['’]un\s+montant|for|pour|to|with|au\s+titre)\b|\s*[;,]|\s*$)")
});
static INDIVIDUAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:mr|mrs|ms|miss|m|mme|mlle|monsieur|madame|dr|docteur|doctor|maître|me)\b\.?"));
static PUBLIC_BODY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:ministry|ministries|ministère|ministre|minister|municipality|commune|mairie|city\s+of|town\s+of|ville\s+de|département|department\s+of|conseil\s+(?:départemental|régional|municipal)|région|prefecture|préfecture|public\s+(?:body|institution|establishment)|établissement\s+public|centre\s+hospitalier|hospital\s+centre|université|university|académie|rectorat|state|état)\b")
});
static ASSOCIATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:association|foundation|fondation|fédération|federation|syndicat|trade\s+union|club)\b"));

pub(super) fn read_respondent(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
    let clean = |s: &str| s.trim().trim_end_matches(['.', ':']).trim().to_string();
    let titles: Vec<(Span, &str)> = layout.titles().into_iter().filter(|(_, l)| TITLE_CUE.is_match(l)).collect();
    let in_titles = |pattern: &Regex| {
        titles.iter().find_map(|(span, line)| {
            pattern.captures(line).map(|c| (clean(&c["name"]), *span)).filter(|(n, _)| looks_like_a_name(n))
        })
    };
    let found = in_titles(&TITLE_RESPONDENT).or_else(|| in_titles(&TITLE_CONCERNING)).or_else(|| {
        layout
            .operative_lines()
            .filter(|(_, l)| FINE_WORD.is_match(l) || INJUNCTION.is_match(l) || REPRIMAND.is_match(l))
            .find_map(|(span, l)| OPERATIVE_RESPONDENT.captures(l).map(|c| (clean(&c["name"]), span)))
            .filter(|(n, _)| looks_like_a_name(n))
    });
    let Some((name, span)) = found else { return };
    ev.add(Fact::Respondent, span);
    ev.add(Fact::RespondentKind, span);
    let title = &layout.text[span.start..span.end];
    f.respondent_kind = Some(if INDIVIDUAL.is_match(&name) {
        RespondentKind::Individual
    } else if PUBLIC_BODY.is_match(&name) {
        RespondentKind::PublicBody
    } else if ASSOCIATION.is_match(&name) || (!title.contains("compan") && !title.contains("société") && ASSOCIATION.is_match(title)) {
        RespondentKind::Association
    } else {
        RespondentKind::Company
    });
    f.respondent = Some(name);
}

/// A respondent is named: a capitalised name, an all-caps name ("municipality of KOUROU"), a
/// public body with a proper name ("ministère de l'Intérieur"), or a pseudonym ("M. […]"). Titles of other acts ("concerning a draft decree") are not.
fn looks_like_a_name(n: &str) -> bool {
    let caps_word = n.split_whitespace().any(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 3 && !w.chars().any(char::is_lowercase));
    let public_body = PUBLIC_BODY.is_match(n) && n.chars().any(char::is_uppercase);
    n.starts_with(char::is_uppercase) || caps_word || public_body || n.contains('[')
}
