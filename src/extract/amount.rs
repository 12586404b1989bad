//! Sums of money in French and English decisions: "3 000 (trois mille) euros", "1,5 million
//! d'euros", "€ 3,000", "EUR 35 million", "sixty million euros (€60,000,000)".

use std::sync::LazyLock;

use regex::Regex;

/// A number followed (or preceded) by a currency marker. Words spelled out in parentheses
/// between the figure and the currency are skipped; a figure inside parentheses
/// ("ten million (10,000,000) euros") is read as well.
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?P<pre>€|\beur\b)?[\s\u{a0}\u{202f}]*(?P<num>\d{1,3}(?:[\s\u{a0}\u{202f},.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\)?[\s\u{a0}\u{202f}]*(?:\([^()]{0,100}\)[\s\u{a0}\u{202f}]*)?(?P<mult>millions?\b|milliards?\b|billions?\b)?[\s\u{a0}\u{202f}]*(?:\([^()]{0,100}\)[\s\u{a0}\u{202f}]*)?(?:(?:d['’][\s\u{a0}\u{202f}]*|of\s+)?(?P<cur>euros?\b|eur\b|€))?",
    )
    .expect("amount regex")
});

/// A sum of money found in a piece of text: its value in euros and its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub eur: u64,
    pub start: usize,
    pub end: usize,
}

/// Every sum of money in `s`, in order. Bare numbers without a currency are ignored.
pub fn amounts(s: &str) -> Vec<Amount> {
    // Most matches are bare numbers (dates, articles, paragraph numbers). Their spans come
    // from the regex's automaton alone; its groups, which cost a backtracking pass, are read
    // only for a match whose text holds a currency marker, as `pre` or `cur` must.
    AMOUNT
        .find_iter(s)
        .filter(|m| has_currency_marker(m.as_str()))
        .filter_map(|m| AMOUNT.captures_at(s, m.start()))
        .filter(|c| c.name("pre").is_some() || c.name("cur").is_some())
        .filter_map(|c| {
            let whole = c.get(0)?;
            let mult = match c.name("mult").map(|m| m.as_str().to_lowercase()) {
                Some(m) if m.starts_with("million") => 1_000_000.0,
                Some(m) if m.starts_with("milliard") || m.starts_with("billion") => 1_000_000_000.0,
                _ => 1.0,
            };
            let value = parse_number(c.name("num")?.as_str())? * mult;
            (value.is_finite() && value >= 0.0 && value < 1e15).then(|| Amount {
                eur: value.round() as u64,
                start: whole.start(),
                end: whole.end(),
            })
        })
        .collect()
}

/// Whether `s` holds `€` or `eur` in any case, which the `pre` and `cur` groups of [`AMOUNT`] need.
fn has_currency_marker(s: &str) -> bool {
    s.contains('€') || s.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"eur"))
}

/// Reads "3 000", "3,000", "1.500.000", "1,5", "18.8": a final group of exactly three
/// digits after a separator is a thousands group, anything else is a decimal part.
fn parse_number(raw: &str) -> Option<f64> {
    let groups: Vec<&str> = raw
        .split(|c: char| c == ',' || c == '.' || c.is_whitespace())
        .filter(|g| !g.is_empty())
        .collect();
    let (int_groups, decimals) = match groups.split_last() {
        Some((last, rest)) if !rest.is_empty() && last.len() != 3 => (rest, Some(*last)),
        _ => (&groups[..], None),
    };
    let mut digits: String = int_groups.concat();
    if let Some(d) = decimals {
        digits.push('.');
        digits.push_str(d);
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(s: &str) -> Option<u64> {
        amounts(s).first().map(|a| a.eur)
    }

    #[test]
    fn french_forms() {
        assert_eq!(first("une amende de 3 000 (trois mille) euros"), Some(3_000));
        assert_eq!(first("d'un montant de 150 000 000 euros"), Some(150_000_000));
        assert_eq!(first("une amende de 1,5 million d'euros"), Some(1_500_000));
        assert_eq!(first("d’un montant de 6\u{202f}000\u{a0}€ (six mille euros)"), Some(6_000));
        assert_eq!(first("une amende de 20 millions d’euros"), Some(20_000_000));
        assert_eq!(first("astreinte de 500 (cinq cents) euros par jour"), Some(500));
    }

    #[test]
    fn english_forms() {
        assert_eq!(first("a fine of € 3,000 (three thousand euros)"), Some(3_000));
        assert_eq!(first("a fine of EUR 35 million"), Some(35_000_000));
        assert_eq!(first("35,000,000 euros (thirty-five million euros)"), Some(35_000_000));
        assert_eq!(first("50 (fifty) million euros"), Some(50_000_000));
        assert_eq!(first("sixty million euros (€60,000,000)"), Some(60_000_000));
        assert_eq!(first("ten million (10,000,000) euros"), Some(10_000_000));
        assert_eq!(first("a turnover of 18.8 million euros"), Some(18_800_000));
    }

    /// The groups read at a match's start are those of the same match in a scan of the text.
    #[test]
    fn amounts_are_those_of_a_full_capture_scan() {
        // Invented operative lines mixing bare numbers, currencies in every case and spelled-out sums.
        let line = "vu l'article 32, le 12 mars 2021 : 3 000 (trois mille) euros ; 2 EUROS, Eur 7, 1,5 million d'euros, \
                    15 (quinze) et 20 € ; article 82 ; fifty (50) million EUR ; 6\u{202f}000\u{a0}€ et 4";
        let scanned: Vec<(usize, u64)> = AMOUNT
            .captures_iter(line)
            .filter(|c| c.name("pre").is_some() || c.name("cur").is_some())
            .filter_map(|c| Some((c.get(0)?.start(), (parse_number(c.name("num")?.as_str())?) as u64)))
            .collect();
        let found: Vec<usize> = amounts(line).iter().map(|a| a.start).collect();
        assert_eq!(found, scanned.iter().map(|(at, _)| *at).collect::<Vec<_>>());
        assert!(found.len() >= 6, "{found:?}");
    }

    #[test]
    fn numbers_without_currency_are_not_amounts() {
        assert!(amounts("Regulation (EU) 2016/679 of 27 April 2016, article 32").is_empty());
    }
}
