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
/// sitting is one too.
static KINDS: LazyLock<[(Check, Regex); 4]> = LazyLock::new(|| {
    const ACT: &str = r"(?:checks?|inspections?|controls?|verifications?|audits?|investigations?|visits?|missions?)";
    [
        (
            Check::Online,
            re(&format!(r"(?i)\bcontrôles?\s+en\s+ligne\b|\bonline\s+(?:inspection\s+)?{ACT}\b|\b(?:checks?|controls?)\s+online\b")),
        ),
        (
            Check::OnSite,
            re(&format!(
                r"(?i)\bcontrôles?\s+sur\s+place\b|\bmissions?\s+(?:de\s+contrôle\s+)?sur\s+place\b|\bon[\s-]+(?:the[\s-]+)?(?:site|spot)\s+(?:inspection\s+)?{ACT}|\b(?:checks?|controls?|inspections?)\s+on\s+(?:the\s+)?(?:site|spot|place|premises)\b|\b(?:{ACT}\s+(?:\w+\s+)?(?:in|at)|visited)\s+the\s+premises\s+of\s+(?P<host>\S+\s+\S+)|\b{ACT}\s+(?:\w+\s+)?(?:in|at)\s+(?:the\s+\w+['’]s?|its|their)\s+premises\b"
            )),
        ),
        (
            Check::Documentary,
            re(&format!(
                r"(?i)\bcontrôles?\s+sur\s+pièces?\b|\b(?:documentary|document)\s+(?:control\s+|inspection\s+)?{ACT}|\b(?:checks?|controls?|inspections?)\s+on\s+(?:documents|parts|pieces)\b|\b(?:by\s+sending|sent)\s+(?:it\s+)?(?:a\s+)?questionnaire|\benvoi\s+d['’]un\s+questionnaire"
            )),
        ),
        (
            Check::Hearing,
            re(r"(?i)\bcontrôles?\s+sur\s+audition\b|\b(?:audition|hearing)\s+(?:checks?|inspections?|controls?)\b|\b(?:checks?|controls?|inspections?)\s+(?:on|by)\s+(?:hearing|audition)\b|\bauditionnée?s?\s+par\s+(?:la\s+)?délégation|\b(?:heard|auditioned|interviewed)\s+by\s+(?:the\s+)?(?:CNIL['’]s\s+)?(?:control\s+|supervisory\s+)?delegation"),
        ),
    ]
});

/// The sentence tells what happened: a check carried out, not one the law allows.
static DONE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:carried\s+out|conducted|performed|took\s+place|procédé|effectuée?s?|réalisée?s?|menée?s?|diligentée?s?)\b")
});
static MAY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:may|might|can|could|peut|peuvent|pourra|pourrait)\b"));

/// A visit to "the premises of the CNIL" is the respondent's hearing there, not an on-site check.
fn hosted_by_the_cnil(c: &regex::Captures) -> bool {
    c.name("host").is_some_and(|h| h.as_str().contains("CNIL"))
}

pub(super) fn read_checks(layout: &Layout, f: &mut Facts, ev: &mut Evidence) {
    let end = layout.operative.map_or(layout.lines.len(), |(start, _)| start);
    let mut found = Vec::new();
    for &line in &layout.lines[..end] {
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
