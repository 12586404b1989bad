//! The facets: the fields a result set is counted by. One name each, shared by the schema's
//! field, the engine's columns, the API's facet counts, the query language's filter and the
//! search page's `f` parameter (`f=sector:Health Care`).

use std::fmt;
use std::str::FromStr;

use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    /// The provisions found breached (`GDPR:32`).
    Breached,
    Sector,
    Measures,
    RespondentKind,
    /// The decision's year, as text (`2021`).
    Year,
    Nature,
}

impl Facet {
    /// Every facet, in the order the engine decodes their columns.
    pub const ALL: [Facet; 6] =
        [Facet::Breached, Facet::Sector, Facet::Measures, Facet::RespondentKind, Facet::Year, Facet::Nature];

    /// The name of the index field, of the facet counts' JSON key and of the query filter.
    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Breached => "breached",
            Facet::Sector => "sector",
            Facet::Measures => "measures",
            Facet::RespondentKind => "respondent_kind",
            Facet::Year => "year",
            Facet::Nature => "nature",
        }
    }
}

impl fmt::Display for Facet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Facet {
    type Err = Error;

    fn from_str(s: &str) -> Result<Facet, Error> {
        Facet::ALL.into_iter().find(|f| f.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Facet::ALL.iter().map(|f| f.as_str()).collect();
            Error::InvalidParameter { name: "facet", reason: format!("must be one of {}", names.join(", ")) }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Facet;

    #[test]
    fn names_parse_back_and_nothing_else_does() {
        for f in Facet::ALL {
            assert_eq!(f.as_str().parse::<Facet>().unwrap(), f);
            assert_eq!(f.to_string(), f.as_str());
        }
        for bad in ["", "Sector", "measure", "kind", "sector "] {
            assert!(bad.parse::<Facet>().is_err(), "{bad:?}");
        }
    }
}
