//! CNIL decision numbers: the one grammar of the crate, for metadata fields (DILA `NUMERO`,
//! a GDPRhub infobox, Markdown front matter) and for decision texts alike.
//!
//! Sources spell a number `SAN-2020-014`, `SAN – 2019-005`, `San-2021-003`, `MED 2020-017`,
//! `CNIL-SAN-2023-016` or `Délibération n° 2023-0076`; it normalises to `SAN-2020-014`,
//! `2023-076`: upper-case prefix, the year, the sequence without leading zeros padded to three
//! digits, and a letter suffix kept (`2019-133C`).

use std::sync::LazyLock;

use regex::{Captures, Regex};

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(SAN|MEDP|MED|DR|DT|DEC|DEL|AVIS)\s*[-‐‑–—]?\s*)?\b((?:19|20)\d{2})\s*[-‐‑–—]\s*(\d{1,4})(?-i:([A-Z])\b)?")
        .expect("number regex")
});

/// A bare `YYYY-NNN` is a decision number only where the text announces the act itself
/// ("Délibération de la formation restreinte n° 2013-420", "Deliberation No. 2023-083"): the
/// same lines cite decrees and laws ("décret n° 2019-536").
static ANNOUNCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:d[ée]lib[ée]ration|deliberation|d[ée]cision|resolution)(?:\s+(?:de|of|du)\s+(?:la|the)\s+(?:formation|commission|committee|restricted)[\p{L}\s]{0,40}?)?\s+(?:n\s*°|no\.?|n°)?\s*((?:19|20)\d{2}\s*[-‐‑–—]\s*\d{1,4}(?-i:[A-Z]\b)?)",
    )
    .expect("announced number regex")
});

fn format(caps: &Captures<'_>) -> String {
    let seq = caps[3].trim_start_matches('0');
    let suffix = caps.get(4).map_or(String::new(), |s| s.as_str().to_ascii_uppercase());
    match caps.get(1) {
        Some(prefix) => format!("{}-{}-{seq:0>3}{suffix}", prefix.as_str().to_ascii_uppercase(), &caps[2]),
        None => format!("{}-{seq:0>3}{suffix}", &caps[2]),
    }
}

/// The first decision number in a metadata value, prefixed or bare.
pub fn normalize(raw: &str) -> Option<String> {
    NUMBER.captures(raw).map(|c| format(&c))
}

/// The first prefixed number (`SAN-…`, `MED-…`) in `text`, with its byte range.
pub fn prefixed(text: &str) -> Option<(String, usize, usize)> {
    // Only the prefix group starts with a letter: a match that starts with a digit is a bare
    // number, told without the groups (a backtracking pass each, over every date of a text).
    let m = NUMBER.find_iter(text).find(|m| m.as_str().starts_with(|c: char| !c.is_ascii_digit()))?;
    NUMBER.captures_at(text, m.start()).filter(|c| c.get(1).is_some()).map(|c| {
        let m = c.get(0).expect("whole match");
        (format(&c), m.start(), m.end())
    })
}

/// The number of a line that announces the act: a prefixed one, else a bare one right after
/// the word deliberation/decision.
pub fn announced(line: &str) -> Option<String> {
    prefixed(line).map(|p| p.0).or_else(|| ANNOUNCED.captures(line).and_then(|c| normalize(&c[1])))
}

/// The decision number announced in the opening characters of a text.
pub fn in_head(text: &str) -> Option<String> {
    let end = text.char_indices().nth(600).map_or(text.len(), |(i, _)| i);
    announced(&text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_values_normalise() {
        let cases = [
            ("SAN-2020-014", Some("SAN-2020-014")),
            ("SAN - 2019-005", Some("SAN-2019-005")),
            ("SAN – 2019 – 005", Some("SAN-2019-005")),
            ("San-2021-003 deliberation", Some("SAN-2021-003")),
            ("CNIL-SAN-2023-016", Some("SAN-2023-016")),
            ("Délibération 2023-0076", Some("2023-076")),
            ("MEDP-2021-001", Some("MEDP-2021-001")),
            ("MED 2020-017", Some("MED-2020-017")),
            ("dr-2025-081", Some("DR-2025-081")),
            ("2019-133C", Some("2019-133C")),
            // A copy that lost the space after the number, or wrote non-breaking hyphens.
            ("n°SAN-2021-008du 14 juin 2021", Some("SAN-2021-008")),
            ("SAN\u{2011}2021\u{2011}008", Some("SAN-2021-008")),
            ("Not public (27/01/2021)", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn the_first_prefixed_number_is_found_past_bare_ones() {
        // Invented: bare numbers and dates before and after the prefixed one.
        let line = "décret n° 2019-536, loi 78-17, le 2020-01 puis délibération san – 2021-08 et SAN-2022-001";
        assert_eq!(prefixed(line), Some(("SAN-2021-008".into(), 64, 79)));
        assert_eq!(&line[64..79], "san – 2021-08");
        assert_eq!(prefixed("2019-536 et 2020-001"), None);
    }

    #[test]
    fn the_head_prefers_prefixed_numbers_and_skips_decrees() {
        assert_eq!(in_head("Vu le décret n° 2019-536 ; Délibération SAN-2022-023 du").as_deref(), Some("SAN-2022-023"));
        assert_eq!(in_head("Deliberation No. 2023-083 of July 20, 2023").as_deref(), Some("2023-083"));
        assert_eq!(in_head("Vu le décret n° 2019-536 du 29 mai 2019").as_deref(), None);
        // Invented title lines.
        assert_eq!(announced("Délibération de la formation restreinte n° 2013-420 du 1er août 2013").as_deref(), Some("2013-420"));
        assert_eq!(announced("Deliberation of the restricted committee No. SAN-2024-007 of 4 April 2024").as_deref(), Some("SAN-2024-007"));
    }
}
