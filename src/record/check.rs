//! The kinds of check by which the CNIL gathers its findings before a decision (Article 19 of
//! the loi Informatique et Libertés): a lawyer weighing a precedent asks how the facts were
//! established as much as what they were.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// "contrôle en ligne": the CNIL's agents consult a website or an app as any user would.
    Online,
    /// "contrôle sur place": a visit to the respondent's premises.
    OnSite,
    /// "contrôle sur pièces": a questionnaire or a request for documents.
    Documentary,
    /// "contrôle sur audition": the respondent is summoned and heard by the CNIL's agents.
    Hearing,
}

impl Check {
    pub const ALL: [Check; 4] = [Check::Online, Check::OnSite, Check::Documentary, Check::Hearing];

    /// The name JSON and the front matter use.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Online => "online",
            Check::OnSite => "on_site",
            Check::Documentary => "documentary",
            Check::Hearing => "hearing",
        }
    }
}

impl std::str::FromStr for Check {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Check> {
        Check::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| crate::Error::Serde(format!("{s:?} is not a kind of check")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serde_names_and_parse_back() {
        for c in Check::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(c.as_str().parse::<Check>().unwrap(), c);
        }
        assert!("on-site".parse::<Check>().is_err());
    }
}
