//! What a search answers: hits, facet counts, fine statistics, and the index's counts.

use serde::{Deserialize, Serialize};

use crate::index::Facet;
use crate::record::Head;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchResponse {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub fine_stats: FineStats,
    /// Pass back as `SearchRequest::cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// For a query with few or no hits, the query with its unknown words corrected from the
    /// index's own vocabulary (`cookeis` → `cookies`).
    pub did_you_mean: Option<String>,
}

/// One hit: what the index stores of the decision ([`Head`], reached through `Deref`), its
/// score and its passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hit {
    #[serde(flatten)]
    pub head: Head,
    /// The relevance score; absent when the hits are sorted by anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// The passage that matched, as plain-text segments; `highlighted` segments are the
    /// matched terms. Rendering (and escaping) is the caller's job. Absent without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub snippet: Vec<SnippetPart>,
    /// Further passages that matched, next best first, when the request asked for several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<Vec<SnippetPart>>,
}

impl std::ops::Deref for Hit {
    type Target = Head;

    fn deref(&self) -> &Head {
        &self.head
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SnippetPart {
    pub text: String,
    pub highlighted: bool,
}

/// Facet counts over the whole result set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Facets {
    pub breached: Vec<FacetCount>,
    pub sector: Vec<FacetCount>,
    pub measures: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub respondent_kind: Vec<FacetCount>,
    pub nature: Vec<FacetCount>,
}

impl Facets {
    /// The counts of one facet.
    pub fn get_mut(&mut self, facet: Facet) -> &mut Vec<FacetCount> {
        match facet {
            Facet::Breached => &mut self.breached,
            Facet::Sector => &mut self.sector,
            Facet::Measures => &mut self.measures,
            Facet::Year => &mut self.year,
            Facet::RespondentKind => &mut self.respondent_kind,
            Facet::Nature => &mut self.nature,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Fine statistics over every hit of the result set that carries a fine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct FineStats {
    pub count: u64,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub sum: u64,
    pub median: Option<u64>,
}

/// What the index covers, and counts and fine sums per year, provision and sector of its
/// sanctions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Stats {
    /// Every decision in the index, whatever its nature.
    pub total: u64,
    /// The year of the oldest decision and the date of the newest.
    pub first_year: Option<i32>,
    pub last_date: Option<chrono::NaiveDate>,
    /// Decisions whose nature is `Sanction`: the groups below count these only.
    pub sanctions: u64,
    pub by_year: Vec<GroupStat>,
    pub by_provision: Vec<GroupStat>,
    pub by_sector: Vec<GroupStat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GroupStat {
    /// The year, provision or sector; named `value` as in facet counts.
    #[serde(rename = "value")]
    pub key: String,
    /// Decisions in the group.
    pub count: u64,
    /// Decisions in the group that carry a fine, and the sum of those fines.
    pub fine_count: u64,
    pub fine_sum: u64,
}

#[cfg(test)]
mod tests {
    use super::{FacetCount, Facets};
    use crate::index::Facet;

    #[test]
    fn each_facet_counts_under_its_own_name() {
        let mut facets = Facets::default();
        for (i, f) in Facet::ALL.into_iter().enumerate() {
            facets.get_mut(f).push(FacetCount { value: f.as_str().into(), count: i as u64 });
        }
        let json = serde_json::to_value(&facets).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), Facet::ALL.len());
        for (i, f) in Facet::ALL.into_iter().enumerate() {
            assert_eq!(json[f.as_str()], serde_json::json!([{ "value": f.as_str(), "count": i }]), "{f}");
        }
    }
}
