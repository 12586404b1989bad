//! A provision a decision finds breached: the law and its article, written as records, the
//! index, the query language and URLs write it (`GDPR:32`, `LIL:82`, `CPCE:L34-5`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// A law whose provisions the CNIL enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Law {
    /// Regulation (EU) 2016/679.
    Gdpr,
    /// The French Data Protection Act (loi n° 78-17 du 6 janvier 1978, Informatique et Libertés).
    Lil,
    /// The Postal and Electronic Communications Code.
    Cpce,
}

impl Law {
    pub const ALL: [Law; 3] = [Law::Gdpr, Law::Lil, Law::Cpce];

    /// The law as a provision names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Law::Gdpr => "GDPR",
            Law::Lil => "LIL",
            Law::Cpce => "CPCE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Provision {
    pub law: Law,
    /// The article as the law numbers it: `32`, `L34-5`.
    pub article: String,
}

impl Provision {
    pub fn gdpr(article: u32) -> Provision {
        Provision { law: Law::Gdpr, article: article.to_string() }
    }

    /// The article number of a GDPR provision.
    pub fn gdpr_article(&self) -> Option<u32> {
        if self.law != Law::Gdpr {
            return None;
        }
        self.article.parse().ok()
    }
}

impl fmt::Display for Provision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.law.as_str(), self.article)
    }
}

impl FromStr for Provision {
    type Err = Error;

    /// `LAW:ARTICLE`, the law in capitals, the article of letters, digits, `-` and parentheses.
    fn from_str(s: &str) -> Result<Provision, Error> {
        let bad = || Error::Serde(format!("{s:?} is not a provision: expected GDPR:N, LIL:N or CPCE:L…"));
        let (law, article) = s.split_once(':').ok_or_else(bad)?;
        let law = Law::ALL.into_iter().find(|l| l.as_str() == law).ok_or_else(bad)?;
        let article_ok =
            !article.is_empty() && article.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '(' | ')'));
        if !article_ok {
            return Err(bad());
        }
        Ok(Provision { law, article: article.to_string() })
    }
}

impl Serialize for Provision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Provision {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Provision, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::{Law, Provision};

    #[test]
    fn a_provision_reads_and_writes_as_law_colon_article() {
        for key in ["GDPR:32", "LIL:82", "CPCE:L34-5", "GDPR:5(1)"] {
            let p: Provision = key.parse().unwrap();
            assert_eq!(p.to_string(), key);
            assert_eq!(serde_json::to_value(&p).unwrap(), serde_json::json!(key));
            assert_eq!(serde_json::from_value::<Provision>(serde_json::json!(key)).unwrap(), p);
        }
        let cpce: Provision = "CPCE:L34-5".parse().unwrap();
        assert_eq!((cpce.law, cpce.article.as_str()), (Law::Cpce, "L34-5"));
        assert_eq!(Provision::gdpr(33).to_string(), "GDPR:33");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in ["", "GDPR", "GDPR:", "gdpr:32", "RGPD:32", "GDPR:32 ", "GDPR:3.2", "LIL:82:1", ":32"] {
            assert!(bad.parse::<Provision>().is_err(), "{bad:?}");
        }
        assert!(serde_json::from_value::<Provision>(serde_json::json!("ePrivacy:5")).is_err());
    }

    #[test]
    fn only_a_gdpr_provision_has_a_gdpr_article() {
        let article = |key: &str| key.parse::<Provision>().unwrap().gdpr_article();
        assert_eq!(article("GDPR:32"), Some(32));
        assert_eq!(article("GDPR:032"), Some(32));
        assert_eq!(article("GDPR:5(1)"), None);
        assert_eq!(article("LIL:82"), None);
    }
}
