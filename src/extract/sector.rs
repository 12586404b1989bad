//! The respondent's sector, one value of the CMS Enforcement Tracker taxonomy, read from the
//! words that describe its activity. The presentation of the respondent (title and first
//! paragraphs of the facts) weighs more than the rest of the decision, where other actors
//! (processors, complainants, partners) are discussed.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// (sector, cue words in French and English, lowercase). Cues are word prefixes.
const CUES: &[(&str, &[&str])] = &[
    ("Accomodation and Hospitalty", &["hotel", "hôtel", "hôtellerie", "restaurant", "tourism", "tourisme", "camping", "holiday rental", "location saisonnière"]),
    ("Employment", &["recruitment", "recrutement", "job applicant", "temporary work", "travail temporaire", "intérim", "job board", "candidates for employment"]),
    ("Finance, Insurance and Consulting", &["bank", "banque", "bancaire", "payment service", "services de paiement", "payment institution", "établissement de paiement", "insurance", "assurance", "insurer", "assureur", "credit", "crédit", "loan", "loyalty card", "carte de fidélité", "consulting", "conseil en", "direct debit", "prélèvement", "financial", "financier", "financière", "mutuelle"]),
    ("Health Care", &["patient", "médecin", "doctor", "physician", "medical", "médical", "médicale", "health", "santé", "hospital", "hôpital", "clinic", "clinique", "laborator", "radiolog", "pharmac", "dentist", "dentiste", "care home", "biolog"]),
    ("Individuals and Private Associations", &["association", "directory", "annuaire", "private individual", "particulier", "non-profit", "but non lucratif"]),
    ("Industry and Commerce", &["online sale", "vente en ligne", "e-commerce", "retail", "distribution", "supermarket", "hypermarket", "hypermarché", "supermarché", "store", "magasin", "shop", "boutique", "marketplace", "goods", "marchandises", "catalogue", "manufactur", "fabricant", "industr", "direct marketing", "prospecting", "prospection", "data broker", "courtier en données", "ready-to-wear", "prêt-à-porter", "shoes", "chaussures", "furniture", "meubles"]),
    ("Media, Telecoms and Broadcasting", &["telecom", "télécom", "electronic communications operator", "opérateur de communications", "mobile operator", "opérateur mobile", "telephony", "téléphonie", "internet access", "accès à internet", "internet service provider", "fournisseur d'accès", "subscriber", "abonné", "search engine", "moteur de recherche", "television", "télévision", "broadcast", "audiovisu", "channel", "chaîne", "video", "vidéo", "newspaper", "journal", "press", "presse", "media", "média", "publisher of", "éditeur", "video game", "jeux vidéo", "mobile games", "games", "social network", "réseau social", "messaging", "messagerie", "operating system", "système d'exploitation", "web portal", "portail"]),
    ("Public Sector and Education", &["ministry", "ministère", "minister", "municipality", "municipal", "commune", "mairie", "town hall", "city council", "conseil municipal", "public service", "service public", "public authority", "autorité publique", "administration", "school", "école", "collège", "lycée", "university", "université", "education", "éducation", "court regist", "greffe", "prefecture", "préfecture", "police", "gendarmerie", "local authorit", "collectivité", "public body", "établissement public"]),
    ("Real Estate", &["real estate", "immobilier", "immobilière", "property management", "gestion locative", "tenant", "locataire", "landlord", "bailleur", "rental", "housing", "logement", "apartment", "appartement", "co-ownership", "copropriété", "syndic", "letting"]),
    ("Transportation and Energy", &["energy", "énergie", "electricity", "électricité", "gas supplier", "fournisseur de gaz", "natural gas", "gaz naturel", "fuel", "carburant", "transport", "railway", "ferroviaire", "airline", "aérien", "taxi", "vehicle", "véhicule", "mobility", "mobilité", "scooter", "car rental", "location de voiture", "delivery", "livraison"]),
];

static CUE_RE: LazyLock<(Regex, HashMap<String, usize>)> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut alts = Vec::new();
    for (i, (_, cues)) in CUES.iter().enumerate() {
        for cue in cues.iter() {
            map.insert(cue.to_string(), i);
            // ASCII word boundaries keep the regex crate on its lazy DFA over non-ASCII text;
            // a cue that starts with an accented letter goes without one.
            let bound = if cue.starts_with(|c: char| c.is_ascii_alphanumeric()) { r"(?-u:\b)" } else { "" };
            alts.push(format!("{bound}{}", regex::escape(cue)));
        }
    }
    // Longest first, so that "mobile games" wins over "games" at the same position.
    alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
    // Case-sensitive over an ASCII-lowercased text: a plain alternation of literals is
    // searched with Aho-Corasick, several times faster than a case-insensitive automaton.
    let re = Regex::new(&format!(r"(?:{})", alts.join("|"))).expect("sector regex");
    (re, map)
});

fn score(text: &str, weight: f64, scores: &mut [f64]) {
    let (re, map) = &*CUE_RE;
    let text = text.to_ascii_lowercase();
    for m in re.find_iter(&text) {
        if let Some(&i) = map.get(m.as_str()) {
            scores[i] += weight;
        }
    }
}

/// The sector of a decision: `presentation` is the title and the first facts, `body` the rest.
/// `public_body` respondents belong to the public sector whatever they do.
pub fn sector(presentation: &str, body: &str, public_body: bool) -> &'static str {
    if public_body {
        return "Public Sector and Education";
    }
    let mut scores = vec![0.0; CUES.len()];
    score(presentation, 5.0, &mut scores);
    score(body, 1.0, &mut scores);
    let best = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .filter(|(_, s)| **s > 0.0);
    match best {
        Some((i, _)) => CUES[i].0,
        None => "Not assigned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_from_the_presentation() {
        // Invented presentations in the style of CNIL decisions.
        assert_eq!(
            sector("La société X est un opérateur de téléphonie mobile qui compte des millions d'abonnés.", "", false),
            "Media, Telecoms and Broadcasting"
        );
        assert_eq!(
            sector("M. Y est médecin radiologue ; il exerce en cabinet et reçoit des patients.", "", false),
            "Health Care"
        );
        assert_eq!(
            sector("The company is a supplier of electricity and natural gas to households.", "", false),
            "Transportation and Energy"
        );
        assert_eq!(sector("", "", true), "Public Sector and Education");
        assert_eq!(sector("", "", false), "Not assigned");
    }
}
