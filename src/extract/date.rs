//! Calendar dates written out in French ("7 décembre 2020", "1er juillet 2021") and English
//! ("December 7, 2020", "7 December 2020").

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let months = "january|february|march|april|may|june|july|august|september|october|november|december|\
                  janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre";
    Regex::new(&format!(
        r"(?i)\b(?:(?P<d1>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m1>{months})\s+(?P<y1>\d{{4}})|(?P<m2>{months})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))\b"
    ))
    .expect("date regex")
});

fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let key: String = n.chars().take(4).collect();
    Some(match key.as_str() {
        "janu" | "janv" => 1,
        "febr" | "févr" | "fevr" => 2,
        "marc" | "mars" => 3,
        "apri" | "avri" => 4,
        "may" | "mai" => 5,
        "june" | "juin" => 6,
        "july" | "juil" => 7,
        "augu" | "août" | "aout" => 8,
        "sept" => 9,
        "octo" => 10,
        "nove" => 11,
        "dece" | "déce" => 12,
        _ => return None,
    })
}

/// Every valid date in `s` with its byte range, in order.
pub fn dates(s: &str) -> Vec<(NaiveDate, usize, usize)> {
    DATE.captures_iter(s)
        .filter_map(|c| {
            let (d, m, y) = match (c.name("d1"), c.name("m1"), c.name("y1")) {
                (Some(d), Some(m), Some(y)) => (d, m, y),
                _ => (c.name("d2")?, c.name("m2")?, c.name("y2")?),
            };
            let date = NaiveDate::from_ymd_opt(
                y.as_str().parse().ok()?,
                month_number(m.as_str())?,
                d.as_str().parse().ok()?,
            )?;
            let whole = c.get(0)?;
            Some((date, whole.start(), whole.end()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(s: &str) -> Option<NaiveDate> {
        dates(s).first().map(|d| d.0)
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn french_and_english_forms() {
        assert_eq!(first("Délibération n° SAN-2020-015 du 7 décembre 2020"), ymd(2020, 12, 7));
        assert_eq!(first("séance du 1er juillet 2021"), ymd(2021, 7, 1));
        assert_eq!(first("du 3\u{a0}févier 2020, puis du 3 février 2020"), ymd(2020, 2, 3));
        assert_eq!(first("Deliberation of December 7, 2020"), ymd(2020, 12, 7));
        assert_eq!(first("Deliberation SAN-2019-001 of 21 January 2019"), ymd(2019, 1, 21));
        assert_eq!(first("on 30 November 2022"), ymd(2022, 11, 30));
    }

    #[test]
    fn impossible_dates_are_skipped() {
        assert_eq!(first("le 31 février 2020"), None);
    }
}
