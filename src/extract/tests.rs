//! Unit tests on invented decisions, written in the style of CNIL sanction decisions (French
//! and English). Every name, figure and sentence in them is invented.
use std::collections::BTreeMap;

use crate::record::{Fact, Fine, Language, Measure, RespondentKind, SectionKind};

use super::*;

fn extract(text: &str) -> Record {
    let mut r = Record { text: text.to_string(), ..Record::default() };
    fill(&mut r);
    r
}

fn quote<'a>(r: &'a Record, fact: Fact) -> Vec<&'a str> {
    r.evidence.get(&fact).into_iter().flatten().map(|s| &r.text[s.start..s.end]).collect()
}

/// Invented: a French sanction with a fine, an injunction with a penalty and publication.
const FR_SANCTION: &str = "Délibération de la formation restreinte n° SAN-2024-031 du 1er juillet 2024 concernant la société EXEMPLE DISTRIBUTION SAS

La CNIL, siégeant en formation restreinte ;

Vu le règlement général sur la protection des données (UE) 2016/679 du 27 avril 2016, notamment ses articles 56 et 60 ;

Vu la loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés, en particulier ses articles 20 et suivants ;

Après délibération, adopte la décision suivante :

I. Faits et procédure

1. La société EXEMPLE DISTRIBUTION SAS exploite un site de vente en ligne de chaussures et d'articles de sport. Elle compte plusieurs millions de clients et dispose d'un réseau de magasins.

2. Le 3 mars 2023, une délégation de la CNIL a procédé à un contrôle en ligne.

II. Motifs de la décision

A. Sur la compétence de la CNIL

3. En application de l'article 55 du RGPD, la CNIL est compétente pour contrôler les traitements mis en œuvre par la société.

B. Sur le manquement à l'obligation d'assurer la sécurité des données

4. L'article 32 du RGPD impose au responsable du traitement de mettre en œuvre des mesures appropriées.

5. Les mots de passe des clients étaient conservés en clair. La formation restreinte considère dès lors que le manquement à l'article 32 du RGPD est constitué.

C. Sur le manquement à l'obligation de limiter la durée de conservation des données

6. La formation restreinte estime que la société a méconnu les obligations de l'article 5, paragraphe 1, e) du RGPD.

D. Sur le prétendu manquement à l'obligation d'information

7. La formation restreinte considère que le manquement à l'article 13 du RGPD n'est pas constitué.

E. Sur les mesures correctrices et leur publicité

8. L'article 83 du RGPD prévoit que les amendes sont effectives, proportionnées et dissuasives.

PAR CES MOTIFS

La formation restreinte, après en avoir délibéré, décide :

- prononcer à l'encontre de la société EXEMPLE DISTRIBUTION SAS une amende administrative d'un montant de 1,5 million d'euros ;
- prononcer à l'encontre de la société EXEMPLE DISTRIBUTION SAS une injonction de mettre en conformité le traitement avec les obligations résultant de l'article 32 du RGPD, assortie d'une astreinte de 500 (cinq cents) euros par jour de retard à l'issue d'un délai de trois mois ;
- rendre publique sa délibération, sur le site de la CNIL et sur le site de Légifrance.

La présidente

Marie EXEMPLE
";

#[test]
fn french_sanction() {
    let r = extract(FR_SANCTION);
    assert_eq!(r.language, Language::Fr);
    assert_eq!(r.facts.number.as_deref(), Some("SAN-2024-031"));
    assert_eq!(r.facts.date, chrono::NaiveDate::from_ymd_opt(2024, 7, 1));
    assert_eq!(r.facts.respondent.as_deref(), Some("EXEMPLE DISTRIBUTION SAS"));
    assert_eq!(r.facts.respondent_kind, Some(RespondentKind::Company));
    assert_eq!(r.facts.fine_eur, Some(1_500_000));
    assert!(r.facts.fines.is_empty());
    assert_eq!(r.facts.injunction, Some(true));
    assert_eq!(r.facts.penalty_per_day_eur, Some(500));
    assert_eq!(r.facts.public, Some(true));
    assert_eq!(r.facts.measures, [Measure::Fine, Measure::Injunction, Measure::Penalty, Measure::Publication]);
    assert_eq!(r.facts.sector.as_deref(), Some("Industry and Commerce"));
    // Found breached: 32 and 5; cited only: 56, 60 (preamble), 55 (competence), 83
    // (sanction), 13 (examined, not established).
    assert_eq!(r.facts.breached, ["GDPR:32", "GDPR:5"]);
    assert!(quote(&r, Fact::Fine)[0].contains("1,5 million d'euros"));
    assert!(quote(&r, Fact::Sector)[0].contains("vente en ligne"));
    assert_eq!(quote(&r, Fact::RespondentKind), quote(&r, Fact::Respondent));
    assert!(quote(&r, Fact::Breached).iter().any(|q| q.contains("manquement à l'article 32 du RGPD est constitué")));
    let kinds: Vec<SectionKind> = r.outline.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SectionKind::FactsAndProcedure, SectionKind::Breach, SectionKind::Breach, SectionKind::Breach, SectionKind::OperativePart]);
    assert!(r.outline[1].title.contains("sécurité"));
    let summary = r.summary.unwrap();
    assert!(summary.contains("EXEMPLE DISTRIBUTION SAS") && summary.contains("amende"), "{summary}");
}

/// Invented: two respondents fined separately, breaches named in the operative part.
const FR_TWO_RESPONDENTS: &str = "Délibération de la formation restreinte n°SAN-2023-040 du 7 décembre 2023 concernant les sociétés ALPHA MEDIA LLC et ALPHA MEDIA IRELAND LIMITED

Vu le règlement (UE) 2016/679 du 27 avril 2016 ;

I. Faits et procédure

1. Les sociétés exploitent un moteur de recherche et une plateforme de vidéos.

II. Motifs de la décision

A. Sur le manquement aux obligations de l'article 82 de la loi Informatique et Libertés

2. La formation restreinte considère que les sociétés ont méconnu les dispositions de l'article 82 de la loi du 6 janvier 1978.

PAR CES MOTIFS

La formation restreinte, après en avoir délibéré, décide :

- prononcer à l'encontre de la société ALPHA MEDIA LLC une amende administrative d'un montant de 100 000 000 euros pour manquement à l'article 82 de la loi du 6 janvier 1978 modifiée ;
- prononcer à l'encontre de la société ALPHA MEDIA IRELAND LIMITED une amende administrative d'un montant de 50\u{a0}000\u{a0}000 euros pour manquement à l'article 82 de la loi du 6 janvier 1978 modifiée ;
- rendre publique sa délibération.

Le président
";

#[test]
fn french_several_respondents() {
    let r = extract(FR_TWO_RESPONDENTS);
    assert_eq!(r.facts.fine_eur, Some(150_000_000));
    assert_eq!(
        r.facts.fines,
        [
            Fine { respondent: "ALPHA MEDIA LLC".into(), eur: 100_000_000 },
            Fine { respondent: "ALPHA MEDIA IRELAND LIMITED".into(), eur: 50_000_000 }
        ]
    );
    assert_eq!(r.facts.breached, ["LIL:82"]);
    assert_eq!(r.facts.respondent.as_deref(), Some("ALPHA MEDIA LLC et ALPHA MEDIA IRELAND LIMITED"));
    assert_eq!(r.facts.sector.as_deref(), Some("Media, Telecoms and Broadcasting"));
    assert_eq!(r.facts.injunction, Some(false));
}

/// Invented: a reprimand of a public body, with a CPCE breach; no fine.
const FR_REPRIMAND: &str = "Délibération de la formation restreinte n° SAN-2022-050 du 3 février 2022 concernant la commune de VILLEXEMPLE

Vu le code des postes et des communications électroniques, notamment son article L. 34-5 ;

PAR CES MOTIFS

La formation restreinte, après en avoir délibéré, décide :

- prononcer à l'encontre de la commune de VILLEXEMPLE un rappel à l'ordre pour manquement à l'article L. 34-5 du code des postes et des communications électroniques et aux articles 12 et 13 du RGPD ;
- ne pas rendre publique sa délibération.
";

#[test]
fn french_reprimand_of_a_public_body() {
    let r = extract(FR_REPRIMAND);
    assert_eq!(r.facts.respondent.as_deref(), Some("commune de VILLEXEMPLE"));
    assert_eq!(r.facts.respondent_kind, Some(RespondentKind::PublicBody));
    assert_eq!(r.facts.sector.as_deref(), Some("Public Sector and Education"));
    assert_eq!(r.facts.fine_eur, None);
    assert_eq!(r.facts.public, Some(false));
    assert_eq!(r.facts.measures, [Measure::Reprimand]);
    assert_eq!(r.facts.breached, ["CPCE:L34-5", "GDPR:12", "GDPR:13"]);
}

/// Invented: an English translation with the forms of the machine translations.
const EN_SANCTION: &str = "Deliberation of the restricted committee no. SAN-2021-099 of December 7, 2020 concerning Mr. […]

Having regard to the General Data Protection Regulation (EU) 2016/679 of 27 April 2016, in particular its Articles 56 and 60;

I. Facts and procedure

1. Mr. […] is a general practitioner; he receives patients in his medical practice.

II. Reasons for the decision

A. On the breach of the duty to secure the personal data

2. The restricted committee therefore considers that a breach of Article 32 of the GDPR has occurred.

B. On the breach of the obligation to notify a personal data breach

3. The restricted committee therefore finds that the breach of Article 33 of the Regulation is established.

FOR THESE REASONS

The restricted committee, having deliberated, decides to:

pronounce against Mr. [...] an administrative fine of € 3,000 (three thousand euros);

make this decision public on the websites of the CNIL and of Légifrance.

The Chairman
";

#[test]
fn english_sanction_with_breaches_read_from_the_sections() {
    let r = extract(EN_SANCTION);
    assert_eq!(r.language, Language::En);
    assert_eq!(r.facts.date, chrono::NaiveDate::from_ymd_opt(2020, 12, 7));
    assert_eq!(r.facts.respondent.as_deref(), Some("Mr. […]"));
    assert_eq!(r.facts.respondent_kind, Some(RespondentKind::Individual));
    assert_eq!(r.facts.fine_eur, Some(3_000));
    assert_eq!(r.facts.breached, ["GDPR:32", "GDPR:33"]);
    assert_eq!(r.facts.sector.as_deref(), Some("Health Care"));
    assert_eq!(r.facts.measures, [Measure::Fine, Measure::Publication]);
    assert!(quote(&r, Fact::Breached).iter().any(|q| q.starts_with("2. The restricted committee therefore considers")));
}

#[test]
fn english_amount_forms_in_the_operative_part() {
    for (line, eur) in [
        ("impose an administrative fine of EUR 35 million on EXAMPLE CORP;", 35_000_000),
        ("impose an administrative fine in the amount of 35,000,000 euros (thirty-five million euros) on EXAMPLE CORP;", 35_000_000),
        ("pronounce against EXAMPLE CORP an administrative fine of sixty million euros (€60,000,000);", 60_000_000),
    ] {
        let text = format!("Deliberation SAN-2020-001 of 7 December 2020\n\nFOR THESE REASONS\n\n{line}\n\nPresident\n");
        assert_eq!(extract(&text).facts.fine_eur, Some(eur), "{line}");
    }
}

#[test]
fn claims_are_compared_not_used() {
    let mut r = Record { text: EN_SANCTION.to_string(), ..Record::default() };
    let mut facts = BTreeMap::new();
    facts.insert("fine_eur".to_string(), serde_json::json!(30_000));
    facts.insert("breached".to_string(), serde_json::json!(["GDPR:33", "GDPR:32"]));
    r.claims = Some(crate::record::Claims { provenance: "gdprhub infobox".into(), facts });
    fill(&mut r);
    assert_eq!(r.facts.fine_eur, Some(3_000));
    assert_eq!(r.disagreements.len(), 1);
    assert_eq!(r.disagreements[0].field, "fine_eur");
    assert_eq!(r.disagreements[0].claimed_value, serde_json::json!(30_000));
}

#[test]
fn language_detection() {
    assert_eq!(detect_language(FR_SANCTION), Language::Fr);
    assert_eq!(detect_language(EN_SANCTION), Language::En);
    assert_eq!(detect_language(""), Language::Fr);
}

#[test]
fn no_structure_no_invented_facts() {
    let r = extract("Some text without any decision in it.");
    assert_eq!((r.facts.fine_eur, r.facts.injunction, r.facts.public, r.facts.number.as_deref()), (None, None, None, None));
    assert!(r.facts.breached.is_empty() && r.facts.measures.is_empty());
}

#[test]
fn hostile_inputs_stay_linear_and_do_not_panic() {
    // 110k characters of near-misses for every pattern: amounts without currency, article
    // lists without an instrument, parentheses never closed, headings without end.
    let chunk = "Sur le manquement à l'article 1, 2, 3, 4 (((( 5 000 000 000 000 000 000 ; PAR CES MOTIFS\n";
    let text: String = chunk.repeat(110_000 / chunk.len() + 1);
    let started = std::time::Instant::now();
    let r = extract(&text);
    assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
    assert!(r.text.len() >= 110_000);
    let multibyte = "é€\u{202f}«".repeat(30_000);
    extract(&multibyte);
}

/// Invented: French conclusions in other words, and no provision named in the operative part.
const FR_SECTIONS_ONLY: &str = "Délibération de la formation restreinte n° SAN – 2025 – 012 du 12 mars 2025 concernant la société IMMO EXEMPLE

I. Faits et procédure

1. La société IMMO EXEMPLE est une agence immobilière spécialisée dans la gestion locative ; elle gère les dossiers de milliers de locataires.

II. Motifs de la décision

A. Sur le manquement relatif au droit d'opposition

2. La formation restreinte retient un manquement à l'article 21 du RGPD.

B. Sur le manquement relatif à l'information des personnes

3. Il ressort de ce qui précède que la société a manqué à ses obligations découlant des articles 12 et 13 du RGPD.

C. Sur le manquement à l'obligation de tenir un registre

4. L'article 30 du RGPD impose la tenue d'un registre. La formation restreinte considère que ce manquement n'est pas constitué.

Par ces motifs

La formation restreinte, après en avoir délibéré, décide :

- prononcer à l'encontre de la société IMMO EXEMPLE une amende administrative d'un montant de cinquante mille euros (50 000 €) ;
- prononcer la publication de la présente délibération.
";

#[test]
fn french_breaches_read_from_the_sections() {
    let r = extract(FR_SECTIONS_ONLY);
    assert_eq!(r.facts.number.as_deref(), Some("SAN-2025-012"));
    assert_eq!(r.facts.date, chrono::NaiveDate::from_ymd_opt(2025, 3, 12));
    assert_eq!(r.facts.fine_eur, Some(50_000));
    assert_eq!(r.facts.public, Some(true));
    assert_eq!(r.facts.breached, ["GDPR:12", "GDPR:13", "GDPR:21"]);
    assert_eq!(r.facts.sector.as_deref(), Some("Real Estate"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any text, including pieces of every pattern glued at random, is read without a panic
    /// and every evidence span lies on char boundaries of the text.
    #[test]
    fn never_panics(parts in proptest::collection::vec(proptest::prelude::prop_oneof![
        proptest::prelude::Just("PAR CES MOTIFS\n".to_string()),
        proptest::prelude::Just("FOR THESE REASONS\n".to_string()),
        proptest::prelude::Just("Sur le manquement à l'article 32 du RGPD\n".to_string()),
        proptest::prelude::Just("une amende de 3\u{a0}000 (trois mille) euros ; ".to_string()),
        proptest::prelude::Just("€ 1,5 million par jour. ".to_string()),
        proptest::prelude::Just("Articles 5(1)(e), L. 34-5 and 82 of the law ".to_string()),
        proptest::prelude::Just("Délibération SAN-2020-001 du 1er juillet 2020\n".to_string()),
        "\\PC{0,40}",
    ], 0..40)) {
        let text: String = parts.concat();
        let r = extract(&text);
        for spans in r.evidence.values() {
            for s in spans {
                proptest::prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end) && s.start <= s.end);
            }
        }
        for s in &r.outline {
            proptest::prop_assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
        }
    }
}

#[test]
fn french_public_body_named_in_lower_case() {
    // Invented.
    let text = "Délibération de la formation restreinte n° SAN-2024-090 du 5 mars 2024 concernant le ministère de l'Exemple\n\nPAR CES MOTIFS\n\nLa formation restreinte, après en avoir délibéré, décide :\n\n- prononcer à l'encontre du ministère de l'Exemple un rappel à l'ordre pour manquement à l'article 5-1-e) du RGPD ;\n- rendre publique sa délibération.\n";
    let r = extract(text);
    assert_eq!(r.facts.respondent.as_deref(), Some("ministère de l'Exemple"));
    assert_eq!(r.facts.respondent_kind, Some(RespondentKind::PublicBody));
    assert_eq!(r.facts.sector.as_deref(), Some("Public Sector and Education"));
    assert_eq!(r.facts.measures, [Measure::Reprimand, Measure::Publication]);
    assert_eq!(r.facts.breached, ["GDPR:5"]);
}

#[test]
fn penalty_named_before_its_sum() {
    // Invented operative lines.
    for (line, fine, penalty) in [
        ("- enjoindre à la société X de supprimer les données, sous astreinte journalière de 1 000 euros ;", None, Some(1_000)),
        ("- impose a fine of 20,000 euros and an injunction with a periodic penalty payment of EUR 500 for each day of delay;", Some(20_000), Some(500)),
    ] {
        let text = format!("Délibération SAN-2024-001 du 2 mai 2024\n\nPAR CES MOTIFS\n\n{line}\n");
        let r = extract(&text);
        assert_eq!((r.facts.fine_eur, r.facts.penalty_per_day_eur), (fine, penalty), "{line}");
    }
}

/// Invented, in the form of a French original copied out of a PDF: a running header on every
/// page, a page break (number and header) inside the clause that states the fine, a total for
/// all the breaches broken down per group of provisions, and a respondent whose own business
/// (loyalty programmes for retailers) is not that of its customers (banks, insurers).
const FR_PDF_BREAKDOWN: &str = "Délibération de la formation restreinte n° SAN-2024-101 du 14 novembre 2024 concernant la société EXEMPLE FIDÉLITÉ

CNIL – Formation restreinte – SAN-2024-101

Vu le règlement (UE) 2016/679 du 27 avril 2016 ;

Vu le code des postes et des communications électroniques ;

I. Faits et procédure

1. La société EXEMPLE FIDÉLITÉ (ci-après « la société ») a pour activité la commercialisation de programmes de fidélité pour des enseignes de la grande distribution. Elle emploie une centaine de salariés.

2. Ses partenaires sont des banques, des assureurs et des établissements de crédit, dont les clients reçoivent des offres ; la banque partenaire gère les cartes de fidélité, et l'assurance des porteurs de carte.

2

CNIL – Formation restreinte – SAN-2024-101

II. Motifs de la décision

A. Sur le manquement à l'obligation d'informer les personnes

3. La formation restreinte considère que le manquement aux articles 12 et 13 du RGPD est constitué.

B. Sur le manquement relatif à la prospection par voie électronique

4. La formation restreinte considère que la société a méconnu les obligations de l'article L. 34-5 du code des postes et des communications électroniques.

PAR CES MOTIFS

Après en avoir délibéré, la formation restreinte décide de :

- prononcer à l'encontre de la société EXEMPLE FIDÉLITÉ une amende administrative d'un montant global de

3

CNIL – Formation restreinte – SAN-2024-101

450 000 (quatre cent cinquante mille) euros pour l'ensemble des manquements constatés, qui se décompose comme suit :

o 150 000 (cent cinquante mille) euros au titre des articles 12.1 et 13 du RGPD ;

o 300 000 (trois cent mille) euros au titre de l'article L. 34-5 du code des postes et des communications électroniques ;

- rendre publique, sur le site de la CNIL et sur le site de Légifrance, sa délibération.

La présidente

Marie EXEMPLE
";

#[test]
fn french_pdf_copy_with_a_total_broken_down() {
    let r = extract(FR_PDF_BREAKDOWN);
    assert_eq!(r.facts.number.as_deref(), Some("SAN-2024-101"));
    assert_eq!(r.facts.date, chrono::NaiveDate::from_ymd_opt(2024, 11, 14));
    assert_eq!(r.facts.fine_eur, Some(450_000), "the total, not the total plus its parts");
    assert!(r.facts.fines.is_empty());
    assert_eq!(r.facts.breached, ["CPCE:L34-5", "GDPR:12", "GDPR:13"]);
    assert_eq!(r.facts.public, Some(true));
    assert_eq!(r.facts.injunction, Some(false));
    assert_eq!(r.facts.sector.as_deref(), Some("Industry and Commerce"), "the respondent's own business, not its partners'");
    // Evidence points into the text as given, across the page break.
    let fine = quote(&r, Fact::Fine);
    assert!(fine[0].contains("d'un montant global de\n\n3\n\n") && fine[0].contains("450 000"), "{fine:?}");
    assert!(quote(&r, Fact::Sector)[0].contains("a pour activité la commercialisation"));
}

/// Invented: a header lost in the copy (the title comes after the preamble), the loi
/// Informatique et Libertés and the CPCE written in full, and a breach concluded in its
/// section that the operative part does not list.
const FR_GARBLED_HEADER: &str = "La CNIL, siégeant en formation restreinte ;

Vu le règlement (UE) 2016/679 du 27 avril 2016 ;

Vu la loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés ;

Vu le décret n° 2019-536 du 29 mai 2019 ;

Délibération de la formation restreinte n° SAN-2023-140 du 3 octobre 2023 concernant la société EXEMPLE VOYAGES

I. Faits et procédure

1. La société EXEMPLE VOYAGES exploite un réseau d'hôtels et de résidences de tourisme. Elle propose à ses clients le paiement en ligne par carte bancaire.

II. Motifs de la décision

A. Sur le manquement relatif aux traceurs

2. La formation restreinte considère que le manquement à l'article 82 de la loi du 6 janvier 1978 est constitué.

B. Sur le manquement relatif à la prospection commerciale

3. La formation restreinte retient un manquement à l'article L. 34-5 du code des postes et des communications électroniques.

PAR CES MOTIFS

La formation restreinte, après en avoir délibéré, décide de :

- prononcer à l'encontre de la société EXEMPLE VOYAGES une amende de 80 000 (quatre-vingt mille) euros pour manquement à l'article 82 de la loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés ;

- enjoindre à la société de cesser toute prospection sans consentement, sous astreinte de 1 000 (mille) euros par jour de retard à l'issue d'un délai de trois mois ;

- rendre publique sa délibération.

Le président
";

#[test]
fn french_garbled_header_and_provisions_in_full() {
    let r = extract(FR_GARBLED_HEADER);
    assert_eq!(r.facts.number.as_deref(), Some("SAN-2023-140"), "not the decree of the preamble");
    assert_eq!(r.facts.date, chrono::NaiveDate::from_ymd_opt(2023, 10, 3));
    assert_eq!(r.facts.fine_eur, Some(80_000));
    assert_eq!((r.facts.injunction, r.facts.penalty_per_day_eur), (Some(true), Some(1_000)));
    assert_eq!(r.facts.breached, ["CPCE:L34-5", "LIL:82"]);
    assert_eq!(r.facts.sector.as_deref(), Some("Accommodation and Hospitality"));
}

/// Invented English translation forms of the same: a total for all the shortcomings and its
/// breakdown in one clause, paragraph suffixes, and a presentation with "(hereinafter …)".
const EN_BREAKDOWN: &str = "Deliberation of the restricted committee No. SAN-2024-120 of 5 December 2024 concerning the company EXAMPLE ENERGY SERVICES

I. Facts and procedure

1. Founded in 2001, EXAMPLE ENERGY SERVICES (hereinafter \"the company\") supplies electricity and natural gas to households. Its customers pay by direct debit through their bank.

2. The company uses a call centre to canvass prospects; the call centre is operated by a subcontractor specialising in telemarketing.

II. Reasons for the decision

A. On the breach of the obligation to inform

3. The restricted committee considers that the breach of Articles 12 and 13 of the GDPR is established.

B. On the breach of the right of access

4. The restricted committee therefore considers that the company failed to comply with its obligations under Article 15 of the GDPR.

FOR THESE REASONS

The restricted committee, after having deliberated, decides to:

impose on EXAMPLE ENERGY SERVICES an administrative fine of EUR 1,000,000 (one million euros) for all of the shortcomings, broken down as follows: EUR 400,000 for Articles 12.1 and 13 of the GDPR, EUR 100,000 for Article 15.1 of the GDPR and EUR 500,000 for Article L. 34-5 of the Postal and Electronic Communications Code;

make this decision public on the websites of the CNIL and Légifrance.

The President
";

#[test]
fn english_total_for_all_the_shortcomings() {
    let r = extract(EN_BREAKDOWN);
    assert_eq!(r.facts.fine_eur, Some(1_000_000));
    assert_eq!(r.facts.breached, ["CPCE:L34-5", "GDPR:12", "GDPR:13", "GDPR:15"]);
    assert_eq!(r.facts.sector.as_deref(), Some("Transportation and Energy"));
    assert_eq!(r.facts.measures, [Measure::Fine, Measure::Publication]);
}
