//! Property tests of amount reading: a fine written in any of the forms decisions use
//! ("1 234 567 euros", "1,5 million d'euros", "€1.5 million", "EUR 1,234,567") is read back
//! as the same number of euros by `extract::fill` (the amount reader itself is private).
//!
//! The decision texts around the amounts are invented for these tests.

use proptest::prelude::*;
use recueil::record::{Language, Record};

/// Groups digits by three with `sep`: 1234567 → "1 234 567".
fn grouped(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number of euros and one way of writing it, French or English.
fn written_amount() -> impl Strategy<Value = (u64, String, Language)> {
    let euros_fr = (1u64..1_000_000_000, proptest::sample::select(&[" ", "\u{a0}", "\u{202f}", "."][..]),
        proptest::sample::select(&[" euros", " €", "\u{a0}€", " EUR"][..]))
        .prop_map(|(n, sep, unit)| (n, format!("{}{unit}", grouped(n, sep)), Language::Fr));
    // "1,5 million d'euros": whole millions plus up to two decimals.
    let millions_fr = (1u64..1000, 0u64..100, prop_oneof![Just("d'euros"), Just("d’euros")])
        .prop_map(|(m, cents, de)| {
            let n = m * 1_000_000 + cents * 10_000;
            let word = if m >= 2 || cents > 0 { "millions" } else { "million" };
            let number = match cents {
                0 => m.to_string(),
                c if c % 10 == 0 => format!("{m},{}", c / 10),
                c => format!("{m},{c:02}"),
            };
            (n, format!("{number} {word} {de}"), Language::Fr)
        });
    let euros_en = (1u64..1_000_000_000, proptest::sample::select(&["EUR ", "€", "€ "][..]))
        .prop_map(|(n, unit)| (n, format!("{unit}{}", grouped(n, ",")), Language::En));
    let euros_en_suffix = (1u64..1_000_000_000).prop_map(|n| (n, format!("{} euros", grouped(n, ",")), Language::En));
    let millions_en = (1u64..1000, 0u64..10).prop_map(|(m, tenth)| {
        let n = m * 1_000_000 + tenth * 100_000;
        let number = if tenth == 0 { m.to_string() } else { format!("{m}.{tenth}") };
        (n, format!("EUR {number} million"), Language::En)
    });
    prop_oneof![3 => euros_fr, 2 => millions_fr, 1 => euros_en, 1 => euros_en_suffix, 1 => millions_en]
}

/// An invented decision whose operative part imposes `amount`.
fn decision(amount: &str, language: Language) -> String {
    match language {
        Language::Fr => format!(
            "Délibération de la formation restreinte n° SAN-2024-042 du 3 octobre 2024 concernant la société EXEMPLE\n\n\
             La CNIL, siégeant en formation restreinte, \
             a constaté des manquements aux articles 5-1-e) et 32 du règlement (UE) 2016/679.\n\n\
             PAR CES MOTIFS\n\n\
             La formation restreinte, après en avoir délibéré, décide :\n\n\
             - prononcer à l'encontre de la société EXEMPLE une amende administrative d'un montant de {amount} ;\n\n\
             - rendre publique, sur le site de la CNIL et sur le site de Légifrance, sa délibération."
        ),
        Language::En => format!(
            "Deliberation of the restricted committee No. SAN-2024-042 of 3 October 2024 concerning the company EXAMPLE\n\n\
             The CNIL, sitting as its restricted committee, \
             found breaches of Articles 5(1)(e) and 32 of Regulation (EU) 2016/679.\n\n\
             FOR THESE REASONS\n\n\
             The restricted committee of the CNIL, after having deliberated, decides to:\n\n\
             - impose on the company EXAMPLE an administrative fine of {amount};\n\n\
             - make its deliberation public on the CNIL website and on the Légifrance website."
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn written_fines_round_trip((eur, written, language) in written_amount()) {
        let mut record = Record { text: decision(&written, language), language, ..Record::default() };
        recueil::extract::fill(&mut record);
        prop_assert_eq!(record.facts.fine_eur, Some(eur), "{:?} was read as {:?}", written, record.facts.fine_eur);
    }
}

/// The forms named in the issue, spelled out once so a reader sees what the generator makes.
#[test]
fn issue_examples() {
    for (written, eur) in [("1 234 567 euros", 1_234_567), ("1,5 million d'euros", 1_500_000)] {
        let mut record = Record { text: decision(written, Language::Fr), ..Record::default() };
        recueil::extract::fill(&mut record);
        assert_eq!(record.facts.fine_eur, Some(eur), "{written:?}");
    }
}

#[test]
fn grouped_writes_french_thousands() {
    assert_eq!(grouped(1_234_567, " "), "1 234 567");
    assert_eq!(grouped(999, " "), "999");
    assert_eq!(grouped(1000, "."), "1.000");
}
