//! The respondent's sector, one value of the CMS Enforcement Tracker taxonomy, read from the
//! words that describe its activity.
//!
//! The tracker files a decision under the respondent's own business (its "focal point"), not
//! under the subject the decision discusses or the sector of the respondent's customers. So
//! the respondent's name and the sentences that present it ([`focal`]) decide first; only
//! when they name no activity are the words of the decision's first part counted
//! ([`sector`]), the presentation weighing more than the rest, where other actors
//! (processors, complainants, partners) are discussed.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::record::RespondentKind;

/// (sector, cue words in French and English, lowercase). Cues are word prefixes. Words that
/// name a breach rather than an activity ("prospecting", "bank card", "press release",
/// "subscriber") are left out: every kind of respondent is accused of them.
const CUES: &[(&str, &[&str])] = &[
    ("Accommodation and Hospitality", &["hotel", "hôtel", "hôtellerie", "restaurant", "tourism", "tourisme", "camping", "holiday rental", "location saisonnière"]),
    ("Employment", &["recruitment", "recrutement", "job applicant", "temporary work", "travail temporaire", "intérim", "job board", "candidates for employment"]),
    ("Finance, Insurance and Consulting", &["banque", "electronic money", "monnaie électronique", "payment solution", "solutions de paiement", "banking", "credit institution", "établissement de crédit", "bancaire", "payment service", "services de paiement", "payment institution", "établissement de paiement", "insurance", "assurance", "insurer", "assureur", "loan", "loyalty card", "carte de fidélité", "consulting", "conseil en", "direct debit", "prélèvement", "financial", "financier", "financière", "mutuelle"]),
    ("Health Care", &["patient", "médecin", "doctor", "physician", "medical", "médical", "médicale", "health", "santé", "hospital", "hôpital", "clinic", "clinique", "laborator", "radiolog", "pharmac", "dentist", "dentiste", "care home", "biolog"]),
    ("Individuals and Private Associations", &["association", "non-profit", "but non lucratif"]),
    ("Industry and Commerce", &["mass distribution", "grande distribution", "online sale", "vente en ligne", "e-commerce", "retail", "supermarket", "stores", "magasins", "shops", "hypermarket", "hypermarché", "supermarché", "shop", "boutique", "marketplace", "goods", "marchandises", "catalogue", "manufactur", "fabricant", "industr", "direct marketing", "data broker", "courtier en données", "ready-to-wear", "prêt-à-porter", "shoes", "chaussures", "furniture", "meubles"]),
    ("Media, Telecoms and Broadcasting", &["telecom", "télécom", "electronic communications operator", "opérateur de communications", "mobile operator", "opérateur mobile", "telephony", "téléphonie", "internet access", "accès à internet", "internet service provider", "fournisseur d'accès", "search engine", "moteur de recherche", "television", "télévision", "broadcast", "audiovisu", "chaîne", "video", "vidéo", "newspaper", "mobile communications", "digital content", "contenus numériques", "magazine", "press group", "groupe de presse", "television channel", "chaîne de télévision", "smartphone", "mobile phone", "téléphone mobile", "mobile games", "video games", "telecommunications operator", "publisher of", "éditeur", "video game", "jeux vidéo", "mobile games", "social network", "réseau social", "messaging", "messagerie", "operating system", "système d'exploitation"]),
    ("Public Sector and Education", &["ministry", "ministère", "minister", "municipality", "municipal", "commune", "mairie", "town hall", "city council", "conseil municipal", "public service", "service public", "public authority", "autorité publique", "administration", "school", "école", "collège", "lycée", "university", "université", "education", "éducation", "court regist", "registry", "registries", "official information", "greffe", "prefecture", "préfecture", "police", "gendarmerie", "local authorit", "collectivité", "public body", "établissement public"]),
    ("Real Estate", &["real estate", "immobilier", "immobilière", "property management", "gestion locative", "tenant", "locataire", "landlord", "bailleur", "rental", "housing", "logement", "apartment", "appartement", "co-ownership", "copropriété", "syndic", "letting"]),
    ("Transportation and Energy", &["energy", "énergie", "electricity", "électricité", "gas supplier", "fournisseur de gaz", "natural gas", "gaz naturel", "fuel", "carburant", "transport", "railway", "ferroviaire", "airline", "aérien", "taxi", "vehicle", "véhicule", "mobility", "mobilité", "scooter", "car rental", "location de voiture", "delivery", "livraison"]),
];

/// Cues that say what a business does when the respondent is their subject, but name a breach
/// or another party's business in the rest of a decision (marketing is also what CPCE
/// breaches are about).
const PRESENTATION_CUES: &[(&str, &[&str])] =
    &[("Industry and Commerce", &["marketing", "markets its", "markets an", "markets a", "sells", "commercialis", "commercializ", "vend des", "vend en"])];

static CUE_RE: LazyLock<(Regex, HashMap<String, usize>)> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut alts = Vec::new();
    for (i, (_, cues)) in CUES.iter().enumerate() {
        for cue in cues.iter() {
            map.insert(cue.to_string(), i);
            alts.push(regex::escape(cue));
        }
    }
    // Longest first, so that "mobile games" wins over "games" at the same position.
    alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
    // A plain alternation of literals over an ASCII-lowercased text is searched by
    // Aho-Corasick alone; word starts are checked by hand (see `score`), since a `\b`
    // would add an automaton pass per candidate.
    let re = Regex::new(&alts.join("|")).expect("sector regex");
    (re, map)
});

/// Lower case without French accents, so that a name in capitals ("ELECTRICITÉ DE FRANCE")
/// or a translation that drops accents meets the cue as written.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '’' => '\'',
            c => c,
        })
        .collect()
}

/// The cues folded, for the presentation (see [`fold`]).
static FOLDED_RE: LazyLock<(Regex, HashMap<String, &'static str>)> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut alts = Vec::new();
    for (sector, cues) in CUES.iter().chain(PRESENTATION_CUES) {
        for cue in cues.iter() {
            let folded = fold(cue);
            alts.push(regex::escape(&folded));
            map.insert(folded, *sector);
        }
    }
    alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
    alts.dedup();
    (Regex::new(&alts.join("|")).expect("folded sector regex"), map)
});

/// The sector of the first cue in `text`.
fn first_folded_cue(text: &str) -> Option<&'static str> {
    let (re, map) = &*FOLDED_RE;
    let text = fold(text);
    let bytes = text.as_bytes();
    re.find_iter(&text)
        .filter(|m| m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric())
        .find_map(|m| map.get(m.as_str()).copied())
}

/// The sector the presentation of the respondent names: a cue in its `name`, else the first
/// cue of the presenting `sentences`, taken in order: a presentation states the main activity
/// first ("its main activity is mass distribution, but it has diversified into banking").
/// With it, the index of that sentence (`None` when the name decided). A public body stays in
/// the public sector unless it provides care.
pub fn focal(name: Option<&str>, sentences: &[&str], kind: Option<RespondentKind>) -> Option<(&'static str, Option<usize>)> {
    if kind == Some(RespondentKind::Association) {
        return None;
    }
    let found = name
        .and_then(|n| first_folded_cue(n).map(|c| (c, None)))
        .or_else(|| sentences.iter().enumerate().find_map(|(i, s)| first_folded_cue(s).map(|c| (c, Some(i)))))?;
    let sector = found.0;
    Some(match kind {
        Some(RespondentKind::PublicBody) if sector != "Health Care" => ("Public Sector and Education", found.1),
        _ => (sector, found.1),
    })
}

/// Byte offset of the first cue of `sector` in `text`, to show why it was chosen.
pub fn first_cue(text: &str, sector: &str) -> Option<usize> {
    let (re, map) = &*CUE_RE;
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    re.find_iter(&lower)
        .filter(|m| m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric())
        .find(|m| map.get(m.as_str()).is_some_and(|&i| CUES[i].0 == sector))
        .map(|m| m.start())
}

fn score(text: &str, weight: f64, scores: &mut [f64]) {
    let (re, map) = &*CUE_RE;
    let text = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    for m in re.find_iter(&text) {
        let at_word_start = m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric();
        if let Some(&i) = map.get(m.as_str()).filter(|_| at_word_start) {
            scores[i] += weight;
        }
    }
}

/// The sector of a decision: `presentation` is the title and the first facts, `body` the rest.
/// Public bodies belong to the public sector unless they provide care (a public hospital);
/// associations have their own sector; an individual whose activity is not described falls
/// with private persons.
pub fn sector(presentation: &str, body: &str, kind: Option<RespondentKind>, presentation_weight: f64) -> &'static str {
    if kind == Some(RespondentKind::Association) {
        return "Individuals and Private Associations";
    }
    let mut scores = vec![0.0; CUES.len()];
    score(presentation, presentation_weight, &mut scores);
    score(body, 1.0, &mut scores);
    let best = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .filter(|(_, s)| **s > 0.0)
        .map(|(i, _)| CUES[i].0);
    match (kind, best) {
        (Some(RespondentKind::PublicBody), Some(health @ "Health Care")) => health,
        (Some(RespondentKind::PublicBody), _) => "Public Sector and Education",
        (_, Some(sector)) => sector,
        (Some(RespondentKind::Individual), None) => "Individuals and Private Associations",
        _ => "Not assigned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_from_the_presentation() {
        // Invented presentations in the style of CNIL decisions.
        assert_eq!(
            sector("La société X est un opérateur de téléphonie mobile qui compte des millions d'abonnés.", "", None, 5.0),
            "Media, Telecoms and Broadcasting"
        );
        assert_eq!(
            sector("M. Y est médecin radiologue ; il exerce en cabinet et reçoit des patients.", "", None, 5.0),
            "Health Care"
        );
        assert_eq!(
            sector("The company is a supplier of electricity and natural gas to households.", "", None, 5.0),
            "Transportation and Energy"
        );
        assert_eq!(sector("", "", Some(RespondentKind::PublicBody), 5.0), "Public Sector and Education");
        assert_eq!(sector("", "", Some(RespondentKind::Individual), 5.0), "Individuals and Private Associations");
        assert_eq!(sector("", "", None, 5.0), "Not assigned");
        assert_eq!(
            sector("Le centre hospitalier accueille des patients ; il est un établissement public de santé.", "", Some(RespondentKind::PublicBody), 5.0),
            "Health Care"
        );
    }
}
