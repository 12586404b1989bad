//! The nature of a decision (what kind of act it is), as the pages name it in each language.
//! Records carry the nature as their source spells it (DILA's `NATURE_DELIB`, a curated
//! record's front matter); this reads those spellings into one type.

use super::i18n::Lang;
use super::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    Sanction,
    FormalNotice,
    Opinion,
    Recommendation,
    ResearchAuthorisation,
    OtherAuthorisation,
    /// A deliberation whose kind the source does not say.
    Deliberation,
    /// A decision (of the president, of the committee) whose kind the source does not say.
    Decision,
}

impl Nature {
    /// The nature a source's spelling names, accents and case aside.
    pub fn parse(name: &str) -> Option<Nature> {
        Some(match fold(name.trim()).as_str() {
            "sanction" => Nature::Sanction,
            "mise en demeure" | "formal notice" => Nature::FormalNotice,
            "avis" | "opinion" => Nature::Opinion,
            "recommandation" | "recommandation/lignes directrices" | "lignes directrices" | "recommendation" => {
                Nature::Recommendation
            }
            "autorisation de recherche" | "research authorisation" => Nature::ResearchAuthorisation,
            "autre autorisation" | "autorisation" | "other authorisation" => Nature::OtherAuthorisation,
            "deliberation" => Nature::Deliberation,
            "decision" => Nature::Decision,
            _ => return None,
        })
    }

    /// The CNIL's own French names and their English renderings.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Nature::Sanction, _) => "Sanction",
            (Nature::FormalNotice, Lang::Fr) => "Mise en demeure",
            (Nature::FormalNotice, Lang::En) => "Formal notice",
            (Nature::Opinion, Lang::Fr) => "Avis",
            (Nature::Opinion, Lang::En) => "Opinion",
            (Nature::Recommendation, Lang::Fr) => "Recommandation / lignes directrices",
            (Nature::Recommendation, Lang::En) => "Recommendation / guidelines",
            (Nature::ResearchAuthorisation, Lang::Fr) => "Autorisation de recherche",
            (Nature::ResearchAuthorisation, Lang::En) => "Research authorisation",
            (Nature::OtherAuthorisation, Lang::Fr) => "Autre autorisation",
            (Nature::OtherAuthorisation, Lang::En) => "Other authorisation",
            (Nature::Deliberation, Lang::Fr) => "Délibération",
            (Nature::Deliberation, Lang::En) => "Deliberation",
            (Nature::Decision, Lang::Fr) => "Décision",
            (Nature::Decision, Lang::En) => "Decision",
        }
    }

    /// What kind of act a citation names: the restricted committee deliberates on sanctions;
    /// authorisations are decisions.
    pub fn act(self) -> Act {
        match self {
            Nature::ResearchAuthorisation | Nature::OtherAuthorisation | Nature::Decision => Act::Decision,
            _ => Act::Deliberation,
        }
    }
}

/// The two kinds of act the CNIL adopts, as a citation names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Deliberation,
    Decision,
}

impl Act {
    /// The act a title opens with ("Décision DR-2025-081 du…", "Délibération de la formation
    /// restreinte…").
    pub fn of_title(title: &str) -> Option<Act> {
        let first = fold(title.split_whitespace().next()?);
        match first.as_str() {
            "decision" => Some(Act::Decision),
            "deliberation" => Some(Act::Deliberation),
            _ => None,
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Act::Deliberation, Lang::Fr) => "délibération",
            (Act::Deliberation, Lang::En) => "Deliberation",
            (Act::Decision, Lang::Fr) => "décision",
            (Act::Decision, Lang::En) => "Decision",
        }
    }
}

/// A nature as the pages show it: its label in `lang`, or the source's spelling when it is
/// not one we know.
pub fn nature_label(name: &str, lang: Lang) -> String {
    Nature::parse(name).map_or_else(|| name.to_string(), |n| n.label(lang).to_string())
}

/// Whether a nature (as a source spells it) is a sanction.
pub fn is_sanction(name: Option<&str>) -> bool {
    name.and_then(Nature::parse) == Some(Nature::Sanction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_spellings_read_into_one_nature_named_in_each_language() {
        assert_eq!(Nature::parse("SANCTION"), Some(Nature::Sanction));
        assert_eq!(Nature::parse("Recommandation/Lignes directrices"), Some(Nature::Recommendation));
        assert_eq!(nature_label("Autorisation de recherche", Lang::En), "Research authorisation");
        assert_eq!(nature_label("Mise en demeure", Lang::En), "Formal notice");
        assert_eq!(nature_label("Délibération", Lang::En), "Deliberation");
        assert_eq!(nature_label("Mise en demeure", Lang::Fr), "Mise en demeure");
        assert_eq!(nature_label("Something else", Lang::En), "Something else");
        assert!(is_sanction(Some("sanction")) && !is_sanction(None) && !is_sanction(Some("Avis")));
    }

    #[test]
    fn acts_from_titles_and_natures() {
        assert_eq!(Act::of_title("Décision DR-2025-081 du 18 avril 2025"), Some(Act::Decision));
        assert_eq!(Act::of_title("Délibération de la formation restreinte n° SAN-2020-014"), Some(Act::Deliberation));
        assert_eq!(Act::of_title("Google LLC"), None);
        assert_eq!(Nature::Sanction.act(), Act::Deliberation);
        assert_eq!(Nature::ResearchAuthorisation.act(), Act::Decision);
    }
}
