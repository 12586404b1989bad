//! The provisions breached: named by the operative part, else concluded in the breach sections.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Fact, Facts, Law, Provision};

use super::facts::Evidence;
use super::layout::Layout;
use super::measures::{operative_amounts, INJUNCTION};
use super::provisions::provisions;
use super::sentences::sentences;
use super::{re, Tuning};

// The three patterns below run on every sentence of the breach sections: they use ASCII
// word boundaries, which keep the regex crate on its lazy DFA (a Unicode `\b` makes it fall
// back to a much slower engine on non-ASCII text), and none ends on a boundary.
static BREACH_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:breach(?:es|ed)?|failures?|shortcomings?|failed\s+to|infringe(?:ment|ments|d)?|violat(?:ion|ions|ed)|disregard|non-compliance|not\s+compl(?:y|ied)|has\s+not\s+implemented|did\s+not\s+implement|n['’]a\s+pas\s+mis\s+en|manqu|méconn|n['’]a\s+pas\s+respecté|ne\s+respecte\s+pas)")
});
static FINDING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:(?-u:\b)(?:established|constituted|characteri[sz]ed|occurred|made\s+out|proven|(?:is|are)\s+(?:clear|evident|manifest)|is\s+a\s+breach|constitutes?\s+a\s+breach|has\s+not\s+(?:implemented|taken|put\s+in\s+place)|did\s+not\s+(?:implement|take)|n['’]a\s+pas\s+(?:mis|pris)|has\s+been\s+committed|disregarded|infringed|violated|breached|failed\s+to|did\s+not\s+comply|has\s+not\s+complied|not\s+complied|therefore\s+considers|constitué|caractérisé|avéré|a\s+méconnu|ont\s+méconnu|a\s+manqué|n['’]a\s+pas\s+respecté|retient)|établi)")
});
static NEGATED_FINDING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:not\s+(?:been\s+)?(?:established|constituted|characteri[sz]ed|made\s+out|proven)|no\s+breach|not\s+allow\s+(?:\w+\s+)?to\s+conclude|ne\s+permet(?:tent)?\s+pas\s+de\s+(?:conclure|caractériser|retenir)|cannot\s+be\s+(?:held|considered|retained|established|accused)|not\s+be\s+(?:held|retained)|unfounded|n['’]est\s+pas\s+(?:constitué|caractérisé|établi)|ne\s+sont\s+pas\s+(?:constitués|caractérisés|établis)|pas\s+de\s+manquement|aucun\s+manquement|ne\s+peut\s+être\s+retenu|infondé)")
});
/// What the rapporteur proposed or the respondent argued is not what the committee found.
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:rapporteur|rapporteure|the\s+company\s+(?:argues|maintains|contends|contests|disputes|submits)|la\s+société\s+(?:soutient|fait\s+valoir|conteste|estime))")
});
/// Words after which the provisions of a clause interpret the breach instead of naming it.
static INTERPRETIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:within\s+the\s+meaning\s+of|as\s+(?:clarified|specified|defined|interpreted)\s+by|in\s+the\s+light\s+of|read\s+in\s+conjunction|au\s+sens\s+de|tel(?:le)?s?\s+que\s+(?:précisée?s?|définie?s?|éclairée?s?)|éclairée?s?\s+par|à\s+la\s+lumière)")
});

pub(super) fn read_breached(layout: &Layout, tuning: &Tuning, f: &mut Facts, ev: &mut Evidence) {
    let text = layout.text;
    let mut found: Vec<String> = Vec::new();
    for (span, line) in layout.operative_clauses() {
        // A breach named ("for breaches of Articles 12 and 13"), or a partial sum of a fine's
        // breakdown followed by its provisions ("400 000 euros au titre des articles 12.1 et
        // 15.1"); an injunction's article is one to comply with, not one breached.
        let from = BREACH_WORD.find(line).map(|m| m.start()).or_else(|| {
            let first = operative_amounts(line).into_iter().next().filter(|a| !a.per_day)?;
            (!INJUNCTION.is_match(line)).then_some(first.start)
        });
        if let Some(from) = from {
            let refs: Vec<String> =
                provisions(breached_clause(&line[from..])).iter().filter(|p| !is_power(p)).map(ToString::to_string).collect();
            if !refs.is_empty() {
                ev.add(Fact::Breached, span);
                found.extend(refs);
            }
        }
    }
    if found.is_empty() || tuning.sections_always {
        for &h in &layout.breaches {
            let end = layout.section_end(h);
            let heading_refs = provisions(layout.line(h));
            let mut concluded = false;
            for i in h + 1..end {
                if !BREACH_WORD.is_match(layout.line(i)) {
                    continue;
                }
                for s in sentences(text, layout.lines[i]) {
                    let sentence = &text[s.start..s.end];
                    let Some(m) = BREACH_WORD.find(sentence) else { continue };
                    if !FINDING.is_match(sentence) || NEGATED_FINDING.is_match(sentence) || REPORTED.is_match(sentence) {
                        continue;
                    }
                    concluded = true;
                    let refs = provisions(breached_clause(&sentence[m.start()..]));
                    if !refs.is_empty() {
                        ev.add(Fact::Breached, s);
                        found.extend(refs.iter().map(ToString::to_string));
                    }
                }
            }
            if concluded && !heading_refs.is_empty() {
                ev.add(Fact::Breached, layout.lines[h]);
                found.extend(heading_refs.iter().map(ToString::to_string));
            }
        }
    }
    found.sort();
    found.dedup();
    f.breached = found;
}

/// The part of a clause that names what was breached: provisions cited after "within the
/// meaning of" or "as clarified by" interpret it.
fn breached_clause(clause: &str) -> &str {
    INTERPRETIVE.find(clause).map_or(clause, |m| &clause[..m.start()])
}

/// Provisions that give the CNIL its powers (to fine, to order): an operative clause cites
/// them as its ground, never as a breach.
fn is_power(provision: &Provision) -> bool {
    matches!((provision.law, provision.article.as_str()), (Law::Gdpr, "58" | "83") | (Law::Lil, "20" | "22"))
}

#[cfg(test)]
mod tests {
    use super::is_power;

    #[test]
    fn the_provisions_of_the_cnils_powers_are_no_breach() {
        let power = |key: &str| is_power(&key.parse().unwrap());
        assert!(power("GDPR:58") && power("GDPR:83") && power("LIL:20") && power("LIL:22"));
        assert!(!power("GDPR:32") && !power("GDPR:20") && !power("LIL:83") && !power("CPCE:L34-5"));
    }
}
