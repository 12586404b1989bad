//! Counts over the whole index, and the facet counts and fine statistics of a result set.

use tantivy::query::AllQuery;

use crate::index::Facet;
use crate::Result;

use super::collect::{Collected, Group, PageCollector};
use super::compile::term_query;
use super::{Engine, FacetCount, Facets, FineStats, GroupStat, SortBy, Stats};

/// The nature of a sanction as the index keeps it (lower-cased).
const SANCTION: &str = "sanction";

impl Engine {
    /// Counts over the whole index; the groups count sanctions only (fines are a sanction's),
    /// so that research authorisations and texts of unknown nature do not enter them.
    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.searcher();
        let newest = PageCollector { sort: SortBy::Date, ascending: false, want: 1, after: None, columns: &self.columns, count: true };
        let all = searcher.search(&AllQuery, &newest)?;
        let sanctions = searcher.search(&*term_query(self.fields.nature, SANCTION), &PageCollector { want: 0, ..newest })?;
        let groups = |c: &Collected, facet: Facet| -> Vec<GroupStat> {
            let mut v: Vec<GroupStat> = c
                .facets
                .get(&facet)
                .into_iter()
                .flatten()
                .map(|(k, g)| GroupStat {
                    key: k.clone(),
                    count: g.count,
                    fine_count: g.fine_count,
                    fine_sum: g.fine_sum,
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
            v
        };
        let first_year = all.facets.get(&Facet::Year).into_iter().flatten().filter_map(|(y, _)| y.parse().ok()).min();
        let last_date = match all.top.first() {
            Some((_, addr)) => self.head_at(&searcher, *addr)?.0.facts.date,
            None => None,
        };
        let mut by_year = groups(&sanctions, Facet::Year);
        by_year.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Stats {
            total: all.total,
            first_year,
            last_date,
            sanctions: sanctions.total,
            by_year,
            by_provision: groups(&sanctions, Facet::Breached),
            by_sector: groups(&sanctions, Facet::Sector),
        })
    }
}

pub(super) fn facets_of(c: &Collected) -> Facets {
    let counts = |facet: Facet| -> Vec<FacetCount> {
        let mut v: Vec<FacetCount> = c
            .facets
            .get(&facet)
            .into_iter()
            .flatten()
            .map(|(value, g): (&String, &Group)| FacetCount { value: value.clone(), count: g.count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v
    };
    let mut out = Facets::default();
    for facet in Facet::ALL {
        *out.get_mut(facet) = counts(facet);
    }
    out
}

/// Min, max, saturating sum and median (the mean of the two middle values, rounded down, for an
/// even count) of `fines`.
pub(super) fn fine_stats(mut fines: Vec<u64>) -> FineStats {
    if fines.is_empty() {
        return FineStats::default();
    }
    let n = fines.len();
    // Selection, not a sort: the median of thousands of fines in linear time.
    let (below, &mut upper, _) = fines.select_nth_unstable(n / 2);
    let median = match below.iter().max() {
        Some(&lower) if n % 2 == 0 => lower / 2 + upper / 2 + (lower % 2 + upper % 2) / 2,
        _ => upper,
    };
    FineStats {
        count: n as u64,
        min: fines.iter().min().copied(),
        max: fines.iter().max().copied(),
        sum: fines.iter().fold(0u64, |acc, f| acc.saturating_add(*f)),
        median: Some(median),
    }
}

#[cfg(test)]
mod tests {
    use super::fine_stats;

    #[test]
    fn fine_statistics_never_overflow() {
        let s = fine_stats(vec![u64::MAX, u64::MAX - 1]);
        assert_eq!(s.sum, u64::MAX);
        assert_eq!(s.median, Some(u64::MAX - 1));
        assert_eq!(fine_stats(vec![3, 1, 2]).median, Some(2));
        assert_eq!(fine_stats(vec![1, 4]).median, Some(2));
        assert_eq!(fine_stats(vec![]).median, None);
    }
}
