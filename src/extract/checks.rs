//! The checks the CNIL carried out before deciding, from the account of the procedure: each
//! kind counts once a sentence before the operative part says one took place.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Check, Fact, Facts};

use super::date::dates;
use super::facts::Evidence;
use super::layout::Layout;
use super::re;
use super::sentences::sentences;

/// Each kind as the French text and the English translations name it. The translations
/// render "sur pièces" as "documentary", "on documents" or even "on parts", and "sur place" as
/// "on-site" or "on the spot". "Hearing" alone is not a check: the restricted committee's
/// sitting is one too. Word boundaries are ASCII ones (see docs/extraction.md): with Unicode
/// ones the crate leaves its lazy DFA on French text, and this reader, which scans the whole
/// account of the procedure, cost more than every other reader together.
static KIND_PATTERNS: LazyLock<[(Check, String); 4]> = LazyLock::new(|| {
    const ACT: &str = r"(?:checks?|inspections?|controls?|verifications?|audits?|investigations?|visits?|missions?)";
    const B: &str = r"(?-u:\b)";
    [
        (Check::Online, format!(r"{B}contrôles?\s+en\s+ligne{B}|{B}online\s+(?:inspection\s+)?{ACT}{B}|{B}(?:checks?|controls?)\s+online{B}")),
        (
            Check::OnSite,
            format!(
                r"{B}contrôles?\s+sur\s+place{B}|{B}missions?\s+(?:de\s+contrôle\s+)?sur\s+place{B}|{B}on[\s-]+(?:the[\s-]+)?(?:site|spot)\s+(?:inspection\s+)?{ACT}|{B}(?:checks?|controls?|inspections?)\s+on\s+(?:the\s+)?(?:site|spot|place|premises){B}|{B}(?:{ACT}\s+(?:\w+\s+)?(?:in|at)|visited)\s+the\s+premises\s+of\s+(?P<host>\S+\s+\S+)|{B}{ACT}\s+(?:\w+\s+)?(?:in|at)\s+(?:the\s+\w+['’]s?|its|their)\s+premises{B}"
            ),
        ),
        (
            Check::Documentary,
            format!(
                r"{B}contrôles?\s+sur\s+pièces?{B}|{B}(?:documentary|document)\s+(?:control\s+|inspection\s+)?{ACT}|{B}(?:checks?|controls?|inspections?)\s+on\s+(?:documents|parts|pieces){B}|{B}(?:by\s+sending|sent)\s+(?:it\s+)?(?:a\s+)?questionnaire|{B}envoi\s+d['’]un\s+questionnaire"
            ),
        ),
        (
            Check::Hearing,
            format!(
                r"{B}contrôles?\s+sur\s+audition{B}|{B}(?:audition|hearing)\s+(?:checks?|inspections?|controls?){B}|{B}(?:checks?|controls?|inspections?)\s+(?:on|by)\s+(?:hearing|audition){B}|{B}auditionnée?s?\s+par\s+(?:la\s+)?délégation|{B}(?:heard|auditioned|interviewed)\s+by\s+(?:the\s+)?(?:CNIL['’]s\s+)?(?:control\s+|supervisory\s+)?delegation"
            ),
        ),
    ]
});
static KINDS: LazyLock<[(Check, Regex); 4]> =
    LazyLock::new(|| KIND_PATTERNS.clone().map(|(kind, pattern)| (kind, re(&format!("(?i){pattern}")))));
/// Any kind, to pass over the lines that name none without cutting them into sentences.
static ANY_KIND: LazyLock<Regex> =
    LazyLock::new(|| re(&format!("(?i){}", KIND_PATTERNS.iter().map(|(_, p)| format!("(?:{p})")).collect::<Vec<_>>().join("|"))));

/// The sentence tells what happened: a check carried out, not one the law allows. Prefixes, as
/// an ASCII boundary cannot follow the "é" of "effectué".
static DONE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?-u:\b)(?:carried\s+out|conducted|performed|took\s+place|procédé|effectué|réalisé|mené|diligenté)")
});
static MAY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)(?-u:\b)(?:may|might|can|could|peut|peuvent|pourra|pourrait)(?-u:\b)"));

/// A visit to "the premises of the CNIL" is the respondent's hearing there, not an on-site check.
fn hosted_by_the_cnil(c: &regex::Captures) -> bool {
    c.name("host").is_some_and(|h| h.as_str().contains("CNIL"))
}

pub(super) fn read_checks(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
    let end = layout.operative.map_or(layout.lines.len(), |(start, _)| start);
    let mut found = Vec::new();
    for &line in layout.lines[..end].iter().filter(|l| ANY_KIND.is_match(&layout.text[l.start..l.end])) {
        for span in sentences(layout.text, line) {
            let sentence = &layout.text[span.start..span.end];
            let kinds: Vec<Check> = KINDS
                .iter()
                .filter(|(kind, pattern)| !found.contains(kind) && pattern.captures_iter(sentence).any(|c| !hosted_by_the_cnil(&c)))
                .map(|(kind, _)| *kind)
                .collect();
            if kinds.is_empty() || !(!dates(sentence).is_empty() || DONE.is_match(sentence) && !MAY.is_match(sentence)) {
                continue;
            }
            found.extend(kinds);
            ev.add(Fact::Checks, span);
        }
    }
    found.sort();
    f.checks = found;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::clean::Clean;

    /// Invented sentences, in the forms the decisions and their translations use.
    fn checks(text: &str) -> Vec<Check> {
        let clean = Clean::new(text);
        let layout = Layout::new(&clean.text);
        let (mut f, mut ev) = (Facts::default(), Evidence::default());
        read_checks(&layout, &mut f, &mut ev);
        assert_eq!(ev.0.contains_key(&Fact::Checks), !f.checks.is_empty(), "a check has its sentence");
        f.checks
    }

    #[test]
    fn french_kinds_of_check() {
        let text = "La CNIL a procédé le 3 mars 2099 à un contrôle en ligne du site, puis le 9 avril 2099 à un contrôle sur place.\n\nUn contrôle sur pièces a ensuite été réalisé auprès du sous-traitant.";
        assert_eq!(checks(text), [Check::Online, Check::OnSite, Check::Documentary]);
        assert_eq!(checks("Une mission de contrôle sur audition s'est tenue le 2 mai 2099 dans les locaux de la CNIL."), [Check::Hearing]);
        assert_eq!(checks("Le gérant a été auditionné par la délégation le 3 juin 2099."), [Check::Hearing]);
    }

    #[test]
    fn english_translations_of_each_kind() {
        assert_eq!(checks("In March 2099 the delegation ran an online inspection mission, then two on-the-spot inspections on 4 and 5 April 2099."), [Check::Online, Check::OnSite]);
        assert_eq!(checks("The services opened a documentary control mission on 2 February 2099."), [Check::Documentary]);
        assert_eq!(checks("The company was heard during an audition check held on 5 May 2099."), [Check::Hearing]);
        assert_eq!(checks("An inspection on parts, carried out on 1 March 2099, covered the register."), [Check::Documentary]);
        assert_eq!(checks("On 2 May 2099 agents began a control mission in the premises of the company EXEMPLE SAS."), [Check::OnSite]);
        assert_eq!(checks("Two missions were carried out: an online check, and a check at the firm's premises."), [Check::Online, Check::OnSite]);
        assert_eq!(checks("The agents then sent a questionnaire on 12 August 2099."), [Check::Documentary]);
        assert!(checks("The company was heard on 3 May 2099 at the premises of the CNIL.").is_empty());
    }

    #[test]
    fn what_the_law_allows_or_the_committee_hears_is_no_check() {
        assert!(checks("The CNIL may carry out online checks under Article 19 of the law.").is_empty());
        assert!(checks("The company was heard at the hearing of the restricted committee on 5 May 2099.").is_empty());
        assert!(checks("Cases opened after an on-site check in 2030 to 2035 lasted longer.").is_empty());
        assert!(checks("It supplied further documentary evidence on 2 June 2099.").is_empty());
    }

    #[test]
    fn the_operative_part_is_not_the_procedure() {
        let text = "The company answered.\n\nFOR THESE REASONS\n\nThe restricted committee orders an online check carried out on 1 June 2099 to be published.";
        assert!(checks(text).is_empty());
    }
}
