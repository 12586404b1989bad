//! The measures of the operative part: fines, injunction, daily penalty, reprimand,
//! publication.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Fact, Facts, Fine, Measure};

use super::amount::amounts;
use super::facts::Evidence;
use super::layout::Layout;
use super::re;
use super::sentences::floor_char_boundary;

pub(super) static FINE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:fine|amende|financial\s+penalty|pecuniary\s+(?:penalty|sanction)|monetary\s+penalty|administrative\s+(?:penalty|sanction)|sanction\s+pécuniaire|penalty\s+of\s+eur)\b")
});
static PER_DAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\W{0,3}(?:\([^()]{0,60}\)\s*)?(?:per\s+day|a\s+day|each\s+day|par\s+jour|per\s+calendar\s+day|by\s+day)"));
/// "une astreinte journalière de 1 000 euros", "a periodic penalty payment of EUR 500": the
/// sum follows the word for the penalty instead of preceding "par jour".
static PENALTY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:astreinte|penalty\s+payment|periodic\s+penalty|daily\s+penalty)[^;€]{0,60}$")
});
pub(super) static INJUNCTION: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:injunction|injonction|enjoin\w*|enjoint|enjoindre)\b"));
static NO_MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:no\s+(?:need|grounds|reason)|not\s+necessary|n['’]y\s+a\s+(?:pas\s+)?lieu|pas\s+lieu|not\s+to\s+(?:issue|pronounce|impose)|ne\s+pas\s+prononcer|liquidat)")
});
static PUBLIC: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:(?:make|made|render|rendre|rend)\b.{0,60}\bpubli(?:c|cs|que|ques|she?d?)\b|publish|publier|publication\s+(?:of|de)\s+(?:its|this|the|sa|la|cette|la\s+présente)\s+(?:decision|deliberation|décision|délibération))")
});
static NOT_PUBLIC: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:not\s+to\s+(?:make|publish)|ne\s+pas\s+(?:rendre|publier)|no\s+need\s+to\s+(?:make|publish)|pas\s+lieu\s+de\s+(?:rendre|publier))"));
pub(super) static REPRIMAND: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:call\s+to\s+order|reprimand|rappel\s+à\s+l['’]\s*ordre|rappel\s+a\s+l['’]\s*ordre)\b"));

static UPPER_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[\p{Lu}\d][\p{Lu}\d&'’.+-]+(?:\s+[\p{Lu}\d&'’.+–-]+)*"));

pub(super) fn read_measures(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
    if layout.operative.is_none() {
        return;
    }
    let mut fines: Vec<(Option<String>, u64)> = Vec::new();
    let (mut injunction, mut public, mut reprimand) = (false, false, false);
    for (span, line) in layout.operative_lines() {
        let declined = NO_MEASURE.is_match(line);
        let mut sums = Vec::new();
        for a in operative_amounts(line) {
            if a.per_day {
                if f.penalty_per_day_eur.is_none() && !declined {
                    f.penalty_per_day_eur = Some(a.eur);
                    ev.add(Fact::PenaltyPerDay, span);
                }
            } else {
                sums.push(a.eur);
            }
        }
        let fines_here = !declined && FINE_WORD.find(line).is_some_and(|m| !quoted(&line[..m.start()]));
        if let Some(eur) = total(&sums).filter(|_| fines_here) {
            let name = UPPER_NAME
                .find_iter(line)
                .map(|m| m.as_str().trim_end_matches(['.', '-', '–']).trim())
                .find(|n| n.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !is_code_name(n))
                .map(str::to_string);
            fines.push((name, eur));
            ev.add(Fact::Fine, span);
        }
        if INJUNCTION.is_match(line) && !declined {
            injunction = true;
            ev.add(Fact::Injunction, span);
        }
        if PUBLIC.is_match(line) && !NOT_PUBLIC.is_match(line) {
            public = true;
            ev.add(Fact::Public, span);
        }
        if REPRIMAND.is_match(line) && !declined {
            reprimand = true;
            ev.add(Fact::Measures, span);
        }
    }
    // A total "for all the breaches" then its breakdown per group of provisions, each naming
    // a fine: the total is the fine.
    let amounts: Vec<u64> = fines.iter().map(|(_, e)| *e).collect();
    if let Some(i) = total_at(&amounts) {
        fines = vec![fines.swap_remove(i)];
    }
    if !fines.is_empty() {
        f.fine_eur = Some(fines.iter().map(|(_, e)| e).sum());
        let mut per: Vec<Fine> = Vec::new();
        for (name, eur) in &fines {
            let Some(name) = name else { continue };
            match per.iter_mut().find(|p| &p.respondent == name) {
                Some(p) => p.eur += eur,
                None => per.push(Fine { respondent: name.clone(), eur: *eur }),
            }
        }
        if per.len() > 1 && per.iter().map(|p| p.eur).sum::<u64>() == f.fine_eur.unwrap_or(0) {
            f.fines = per;
        }
    }
    f.injunction = Some(injunction);
    f.public = Some(public);
    let mut measures = Vec::new();
    if f.fine_eur.is_some() {
        measures.push(Measure::Fine);
    }
    if injunction {
        measures.push(Measure::Injunction);
    }
    if f.penalty_per_day_eur.is_some() {
        measures.push(Measure::Penalty);
    }
    if reprimand {
        measures.push(Measure::Reprimand);
    }
    if public {
        measures.push(Measure::Publication);
    }
    f.measures = measures;
}

/// A sum of money in an operative clause, and whether it is a daily penalty.
pub(super) struct OperativeAmount {
    pub(super) eur: u64,
    pub(super) start: usize,
    pub(super) per_day: bool,
}

pub(super) fn operative_amounts(line: &str) -> Vec<OperativeAmount> {
    let has_currency = line.contains('€') || line.contains("eur") || line.contains("EUR");
    if !has_currency {
        return Vec::new();
    }
    amounts(line)
        .into_iter()
        .map(|a| {
            let before = &line[floor_char_boundary(line, a.start.saturating_sub(100))..a.start];
            let per_day = PER_DAY.is_match(&line[a.end..]) || PENALTY_BEFORE.is_match(before);
            OperativeAmount { eur: a.eur, start: a.start, per_day }
        })
        .collect()
}

/// The fine a clause's sums state: the one that is the sum of all the others when there is
/// one ("1 000 000 euros for all the breaches, i.e. 400 000 … and 600 000 …", or the total
/// last), else the first.
fn total(sums: &[u64]) -> Option<u64> {
    total_at(sums).map_or(sums.first(), |i| sums.get(i)).copied()
}

/// Index of the sum that adds up all the others, when there are at least two others.
fn total_at(sums: &[u64]) -> Option<usize> {
    if sums.len() < 3 {
        return None;
    }
    let all: u64 = sums.iter().sum();
    sums.iter().position(|&s| s > 0 && all - s == s)
}

/// Whether an opening quotation mark precedes: the operative part may quote the text of a
/// press release to be published, whose fine is the one already ordered.
fn quoted(before: &str) -> bool {
    before.contains(['"', '“', '«'])
}

/// Upper-case words of a fine line that name a law, not a respondent.
fn is_code_name(n: &str) -> bool {
    matches!(n, "GDPR" | "RGPD" | "CNIL" | "CPCE" | "EUR" | "EU" | "UE" | "LLC" | "SAS" | "SA")
}
