//! French and English labels of the web pages, and the number and date formats of each.

use axum::http::{header, HeaderMap};
use chrono::{Datelike, NaiveDate};

use crate::record::decision::Basis;
use crate::record::{Check, Language, Measure, RespondentKind, SECTORS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The language of texts written in this page language.
    pub fn language(self) -> Language {
        match self {
            Lang::Fr => Language::Fr,
            Lang::En => Language::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    fn parse(s: &str) -> Option<Lang> {
        match s.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// `?lang=` first (the switch), then the `lang` cookie it sets, then the first of
    /// Accept-Language's languages we have (by quality), else French.
    pub fn negotiate(explicit: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(l) = explicit.and_then(Lang::parse) {
            return l;
        }
        let cookie = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';'));
        for c in cookie {
            if let Some(l) = c.trim().strip_prefix("lang=").and_then(Lang::parse) {
                return l;
            }
        }
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut best: Option<(f32, Lang)> = None;
        for item in accept.split(',').take(32) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else { continue };
            let q = parts.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Fr, |(_, l)| l)
    }

    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }

    /// `50 000 000 €` / `€50,000,000`.
    pub fn money(self, eur: u64) -> String {
        let digits = eur.to_string();
        let sep = match self {
            Lang::Fr => '\u{202f}',
            Lang::En => ',',
        };
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(c);
        }
        match self {
            Lang::Fr => format!("{grouped}\u{a0}€"),
            Lang::En => format!("€{grouped}"),
        }
    }

    /// `21 janvier 2019` / `21 January 2019`.
    pub fn date(self, d: NaiveDate) -> String {
        const FR_MONTHS: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        const EN_MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let m = d.month0() as usize;
        match self {
            Lang::Fr if d.day() == 1 => format!("1er {} {}", FR_MONTHS[m], d.year()),
            Lang::Fr => format!("{} {} {}", d.day(), FR_MONTHS[m], d.year()),
            Lang::En => format!("{} {} {}", d.day(), EN_MONTHS[m], d.year()),
        }
    }

    pub fn measure(self, m: Measure) -> &'static str {
        let l = self.labels();
        match m {
            Measure::Fine => l.m_fine,
            Measure::Injunction => l.m_injunction,
            Measure::Penalty => l.m_penalty,
            Measure::Reprimand => l.m_reprimand,
            Measure::Publication => l.m_publication,
        }
    }

    pub fn check(self, c: Check) -> &'static str {
        let l = self.labels();
        match c {
            Check::Online => l.c_online,
            Check::OnSite => l.c_on_site,
            Check::Documentary => l.c_documentary,
            Check::Hearing => l.c_hearing,
        }
    }

    /// "1 match of the query terms" / "3 occurrences des termes recherchés".
    pub fn hits(self, n: &usize) -> String {
        let n = *n;
        let l = self.labels();
        format!("{n} {}", if n == 1 { l.hit_one } else { l.hits_many })
    }

    /// A ratio to one decimal: `×2,5` / `×2.5`.
    pub fn ratio(self, r: f64) -> String {
        let s = format!("×{r:.1}");
        match self {
            Lang::Fr => s.replace('.', ","),
            Lang::En => s,
        }
    }

    /// "1 décision" / "12 decisions".
    pub fn count(self, n: u64) -> String {
        let l = self.labels();
        format!("{n} {}", if n == 1 { l.decision } else { l.decisions })
    }

    /// A sector of the taxonomy ([`SECTORS`], either spelling) in this language; another
    /// value as it is.
    pub fn sector(self, name: &str) -> &str {
        const FR: [&str; SECTORS.len()] = [
            "Hébergement et restauration",
            "Emploi",
            "Finance, assurance et conseil",
            "Santé",
            "Particuliers et associations privées",
            "Industrie et commerce",
            "Médias, télécommunications et audiovisuel",
            "Secteur public et éducation",
            "Immobilier",
            "Transports et énergie",
            "Non attribué",
        ];
        // Facet values are lower-cased by the index.
        let Some(i) = SECTORS.iter().position(|s| s.eq_ignore_ascii_case(name.trim()))
            .or_else(|| crate::record::parse_sector(name).and_then(|s| SECTORS.iter().position(|x| *x == s)))
        else {
            return name;
        };
        match self {
            Lang::Fr => FR[i],
            Lang::En => SECTORS[i],
        }
    }

    pub fn respondent_kind(self, kind: RespondentKind) -> &'static str {
        let l = self.labels();
        match kind {
            RespondentKind::Company => l.rk_company,
            RespondentKind::Individual => l.rk_individual,
            RespondentKind::PublicBody => l.rk_public_body,
            RespondentKind::Association => l.rk_association,
        }
    }

    /// A respondent kind as the index spells it (`public_body`), in this language.
    pub fn respondent_kind_name(self, name: &str) -> String {
        name.parse::<RespondentKind>().map_or_else(|_| name.to_string(), |k| self.respondent_kind(k).to_string())
    }

    pub fn basis(self, basis: Basis) -> &'static str {
        let l = self.labels();
        match basis {
            Basis::Curated => l.basis_curated,
            Basis::OriginalText => l.basis_original,
            Basis::Translation => l.basis_translation,
            Basis::Claim => l.basis_claim,
        }
    }

    /// What the site covers: "63 décisions, de 2019 au 18 avril 2025 ; mise à jour le
    /// 1er décembre 2026".
    pub fn coverage(self, decisions: u64, first_year: Option<i32>, last: Option<NaiveDate>, updated: Option<NaiveDate>) -> String {
        let mut out = self.count(decisions);
        if let (Some(first), Some(last)) = (first_year, last) {
            out.push_str(&match self {
                Lang::Fr => format!(", de {first} au {}", self.date(last)),
                Lang::En => format!(", from {first} to {}", self.date(last)),
            });
        }
        if let Some(u) = updated {
            out.push_str(&match self {
                Lang::Fr => format!(" ; mise à jour le {}", self.date(u)),
                Lang::En => format!("; last updated {}", self.date(u)),
            });
        }
        out
    }

    /// An error shown on a page: the API's codes, in this language. `parameter` names the
    /// parameter refused, when one was.
    pub fn error(self, code: &str, parameter: Option<&str>) -> String {
        let l = self.labels();
        match (code, parameter) {
            ("not_found", _) => l.err_not_found.to_string(),
            ("invalid_parameter", Some(p)) => format!("{}{}{p}", l.err_parameter, l.colon),
            ("invalid_parameter", None) | ("bad_request", _) => l.err_request.to_string(),
            ("invalid_query", _) => l.err_query.to_string(),
            ("overloaded", _) => l.err_busy.to_string(),
            _ => l.err_internal.to_string(),
        }
    }
}

/// Every label of the pages, one instance per language.
pub struct Labels {
    pub tagline: &'static str,
    pub skip: &'static str,
    pub nav_search: &'static str,
    pub nav_articles: &'static str,
    pub nav_stats: &'static str,
    pub nav_glossary: &'static str,
    pub switch_to: &'static str,
    pub query_label: &'static str,
    pub submit: &'static str,
    pub syntax: &'static str,
    pub syntax_help: [(&'static str, &'static str); 8],
    pub sort: &'static str,
    pub sort_relevance: &'static str,
    pub sort_date: &'static str,
    pub sort_fine: &'static str,
    pub sort_modified: &'static str,
    pub filters: &'static str,
    pub apply: &'static str,
    pub clear: &'static str,
    pub no_results: &'static str,
    pub prev: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    pub export_csv: &'static str,
    pub export_jsonl: &'static str,
    pub feed: &'static str,
    pub decision: &'static str,
    pub decisions: &'static str,
    pub number: &'static str,
    pub date: &'static str,
    pub nature: &'static str,
    pub year: &'static str,
    pub respondent: &'static str,
    pub respondent_kind: &'static str,
    pub sector: &'static str,
    pub fine: &'static str,
    pub no_fine: &'static str,
    pub measures: &'static str,
    pub breached: &'static str,
    pub penalty: &'static str,
    pub per_day: &'static str,
    pub facts: &'static str,
    pub see_evidence: &'static str,
    pub summary: &'static str,
    pub outline: &'static str,
    pub hit_one: &'static str,
    pub hits_many: &'static str,
    pub colon: &'static str,
    pub next_hit: &'static str,
    pub prev_hit: &'static str,
    pub similar: &'static str,
    pub fine_comparison: &'static str,
    pub comparison_note: &'static str,
    pub median_fine: &'static str,
    pub fined_decisions: &'static str,
    pub citation: &'static str,
    pub citation_fr: &'static str,
    pub citation_en: &'static str,
    pub legifrance: &'static str,
    pub article: &'static str,
    pub articles_title: &'static str,
    pub chapter: &'static str,
    pub breaching: &'static str,
    pub fines_total: &'static str,
    pub stats_title: &'static str,
    pub fines_per_year: &'static str,
    pub by_provision: &'static str,
    pub by_sector: &'static str,
    pub decisions_per_year: &'static str,
    pub error_title: &'static str,
    pub back_home: &'static str,
    pub m_fine: &'static str,
    pub m_injunction: &'static str,
    pub m_penalty: &'static str,
    pub m_reprimand: &'static str,
    pub m_publication: &'static str,
    pub checks: &'static str,
    pub c_online: &'static str,
    pub c_on_site: &'static str,
    pub c_documentary: &'static str,
    pub c_hearing: &'static str,
    pub original_text: &'static str,
    pub translation: &'static str,
    pub machine_translation: &'static str,
    pub published_by: &'static str,
    pub summary_only: &'static str,
    pub summary_by: &'static str,
    pub source: &'static str,
    pub provenance: &'static str,
    pub basis_curated: &'static str,
    pub basis_original: &'static str,
    pub basis_translation: &'static str,
    pub basis_claim: &'static str,
    pub disagreements: &'static str,
    pub shown_value: &'static str,
    pub back_to_results: &'static str,
    pub ratio: &'static str,
    pub ratio_note: &'static str,
    pub stats_note: &'static str,
    pub glossary_title: &'static str,
    pub glossary_intro: &'static str,
    pub glossary_filter: &'static str,
    pub rk_company: &'static str,
    pub rk_individual: &'static str,
    pub rk_public_body: &'static str,
    pub rk_association: &'static str,
    pub err_not_found: &'static str,
    pub err_parameter: &'static str,
    pub err_request: &'static str,
    pub err_query: &'static str,
    pub err_busy: &'static str,
    pub err_internal: &'static str,
    pub f_injunction: &'static str,
    pub f_public: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub lang_fr: &'static str,
    pub lang_en: &'static str,
    pub sanctions: &'static str,
    // The search page's own labels.
    pub search_title: &'static str,
    pub skip_results: &'static str,
    pub selected_filters: &'static str,
    pub remove_filter: &'static str,
    pub fine_range: &'static str,
    pub date_range: &'static str,
    pub range_min: &'static str,
    pub range_max: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    pub did_you_mean: &'static str,
    pub sanctions_only: &'static str,
    pub sanctions_note: &'static str,
    pub include_all: &'static str,
    pub all_natures: &'static str,
    pub sanctions_back: &'static str,
    pub more_passages: &'static str,
}

static FR: Labels = Labels {
    tagline: "Décisions de sanction de la CNIL",
    skip: "Aller au contenu",
    nav_search: "Recherche",
    nav_articles: "Articles du RGPD",
    nav_stats: "Statistiques",
    nav_glossary: "Lexique",
    switch_to: "English",
    query_label: "Rechercher dans les décisions",
    submit: "Rechercher",
    syntax: "Syntaxe de recherche",
    syntax_help: [
        ("cookies consentement", "toutes les décisions contenant les deux mots"),
        ("\"données de santé\"", "l'expression exacte"),
        ("cookies OR traceurs, -publicité", "l'un ou l'autre ; exclure un mot"),
        ("article:32", "manquement à l'article 32 du RGPD"),
        ("sector:\"Health Care\"", "secteur (nomenclature CMS Enforcement Tracker)"),
        ("year:2021", "année de la décision"),
        ("fine>=100000", "amende d'au moins 100 000 €"),
        ("SAN-2020-014", "une décision par son numéro"),
    ],
    sort: "Trier par",
    sort_relevance: "pertinence",
    sort_date: "date",
    sort_fine: "montant de l'amende",
    sort_modified: "dernière modification ici",
    filters: "Filtres",
    apply: "Appliquer",
    clear: "Effacer les filtres",
    no_results: "Aucune décision ne correspond à cette recherche.",
    prev: "Page précédente",
    next: "Page suivante",
    page: "Page",
    export_csv: "Exporter (CSV)",
    export_jsonl: "Exporter (JSON Lines)",
    feed: "Flux Atom de cette recherche",
    decision: "décision",
    decisions: "décisions",
    number: "Numéro",
    date: "Date",
    nature: "Nature",
    year: "Année",
    respondent: "Mis en cause",
    respondent_kind: "Type de mis en cause",
    sector: "Secteur",
    fine: "Amende",
    no_fine: "aucune",
    measures: "Mesures",
    breached: "Manquements retenus",
    penalty: "Astreinte",
    per_day: "par jour",
    facts: "Faits essentiels",
    see_evidence: "voir dans le texte",
    summary: "Résumé",
    outline: "Plan",
    hit_one: "occurrence des termes recherchés",
    hits_many: "occurrences des termes recherchés",
    colon: "\u{a0}: ",
    next_hit: "occurrence suivante",
    prev_hit: "occurrence précédente",
    similar: "Décisions similaires",
    fine_comparison: "L'amende comparée",
    comparison_note: "Amende médiane des sanctions retenant le même manquement (cette décision exclue)",
    median_fine: "amende médiane",
    fined_decisions: "sanctions avec amende",
    citation: "Citer cette décision",
    citation_fr: "Citation (français)",
    citation_en: "Citation (anglais)",
    legifrance: "Lire sur Légifrance",
    article: "Article",
    articles_title: "Articles du RGPD et décisions",
    chapter: "Chapitre",
    breaching: "Sanctions retenant un manquement à cet article",
    fines_total: "Total des amendes",
    stats_title: "Statistiques",
    fines_per_year: "Amendes par année",
    by_provision: "Par disposition",
    by_sector: "Par secteur",
    decisions_per_year: "Sanctions par année",
    error_title: "Erreur",
    back_home: "Retour à la recherche",
    m_fine: "amende",
    m_injunction: "injonction",
    m_penalty: "astreinte",
    m_reprimand: "rappel à l'ordre",
    m_publication: "publication",
    checks: "Contrôles de la CNIL",
    c_online: "contrôle en ligne",
    c_on_site: "contrôle sur place",
    c_documentary: "contrôle sur pièces",
    c_hearing: "contrôle sur audition",
    original_text: "Texte original",
    translation: "Traduction",
    machine_translation: "traduction automatique non officielle",
    published_by: "publiée par",
    summary_only: "Seul le résumé de cette décision est disponible ici ; le texte est sur Légifrance.",
    summary_by: "Résumé publié par",
    source: "Source",
    provenance: "Provenance",
    basis_curated: "fiche vérifiée",
    basis_original: "lu dans le texte original",
    basis_translation: "lu dans la traduction",
    basis_claim: "déclaré par la source",
    disagreements: "Divergences entre les sources",
    shown_value: "valeur retenue",
    back_to_results: "Retour aux résultats",
    ratio: "Rapport",
    ratio_note: "Rapport : l'amende de cette décision divisée par l'amende médiane.",
    stats_note: "Amendes, manquements et secteurs : sanctions seulement.",
    glossary_title: "Lexique français – anglais",
    glossary_intro: "Les notions que recueil tient pour une seule dans les deux langues : une recherche en français trouve aussi les décisions rédigées ou traduites en anglais, et l'inverse. Chaque nom mène à sa recherche.",
    glossary_filter: "Filtrer les notions",
    rk_company: "société",
    rk_individual: "personne physique",
    rk_public_body: "organisme public",
    rk_association: "association",
    err_not_found: "Cette page n'existe pas, ou aucune décision ne porte ce nom.",
    err_parameter: "Paramètre invalide",
    err_request: "Paramètre inconnu ou requête mal formée.",
    err_query: "Cette recherche ne peut pas être lue ; voir la syntaxe de recherche.",
    err_busy: "Le serveur est occupé ; réessayez dans un instant.",
    err_internal: "Erreur interne du serveur.",
    f_injunction: "Injonction",
    f_public: "Publication ordonnée",
    yes: "oui",
    no: "non",
    lang_fr: "français",
    lang_en: "anglais",
    sanctions: "sanctions",
    search_title: "Rechercher dans les décisions de la CNIL",
    skip_results: "Aller aux résultats",
    selected_filters: "Filtres choisis",
    remove_filter: "Retirer le filtre",
    fine_range: "Montant de l'amende (€)",
    date_range: "Date de la décision",
    range_min: "au moins",
    range_max: "au plus",
    date_from: "du",
    date_to: "au",
    did_you_mean: "Vouliez-vous dire",
    sanctions_only: "Sanctions uniquement",
    sanctions_note: "Seules les sanctions sont affichées ; les autres décisions (autorisations de recherche, avis, méthodologies…) sont écartées.",
    include_all: "Inclure les autres décisions",
    all_natures: "Toutes les natures de décision sont affichées.",
    sanctions_back: "N'afficher que les sanctions",
    more_passages: "autres passages",
};

static EN: Labels = Labels {
    tagline: "CNIL sanction decisions",
    skip: "Skip to content",
    nav_search: "Search",
    nav_articles: "GDPR articles",
    nav_stats: "Statistics",
    nav_glossary: "Glossary",
    switch_to: "Français",
    query_label: "Search the decisions",
    submit: "Search",
    syntax: "Query syntax",
    syntax_help: [
        ("cookies consent", "decisions containing both words"),
        ("\"health data\"", "the exact phrase"),
        ("cookies OR trackers, -advertising", "either word; exclude a word"),
        ("article:32", "breach of GDPR Article 32"),
        ("sector:\"Health Care\"", "sector (CMS Enforcement Tracker taxonomy)"),
        ("year:2021", "year of the decision"),
        ("fine>=100000", "fine of at least €100,000"),
        ("SAN-2020-014", "one decision by its number"),
    ],
    sort: "Sort by",
    sort_relevance: "relevance",
    sort_date: "date",
    sort_fine: "fine amount",
    sort_modified: "last change here",
    filters: "Filters",
    apply: "Apply",
    clear: "Clear filters",
    no_results: "No decision matches this search.",
    prev: "Previous page",
    next: "Next page",
    page: "Page",
    export_csv: "Export (CSV)",
    export_jsonl: "Export (JSON Lines)",
    feed: "Atom feed of this search",
    decision: "decision",
    decisions: "decisions",
    number: "Number",
    date: "Date",
    nature: "Nature",
    year: "Year",
    respondent: "Respondent",
    respondent_kind: "Kind of respondent",
    sector: "Sector",
    fine: "Fine",
    no_fine: "none",
    measures: "Measures",
    breached: "Breaches found",
    penalty: "Penalty",
    per_day: "per day",
    facts: "Key facts",
    see_evidence: "see in the text",
    summary: "Summary",
    outline: "Outline",
    hit_one: "match of the query terms",
    hits_many: "matches of the query terms",
    colon: ": ",
    next_hit: "next match",
    prev_hit: "previous match",
    similar: "Similar decisions",
    fine_comparison: "The fine in context",
    comparison_note: "Median fine of the sanctions finding the same breach (this decision left out)",
    median_fine: "median fine",
    fined_decisions: "sanctions with a fine",
    citation: "Cite this decision",
    citation_fr: "Citation (French)",
    citation_en: "Citation (English)",
    legifrance: "Read on Légifrance",
    article: "Article",
    articles_title: "GDPR articles and decisions",
    chapter: "Chapter",
    breaching: "Sanctions finding a breach of this article",
    fines_total: "Total fines",
    stats_title: "Statistics",
    fines_per_year: "Fines per year",
    by_provision: "By provision",
    by_sector: "By sector",
    decisions_per_year: "Sanctions per year",
    error_title: "Error",
    back_home: "Back to search",
    m_fine: "fine",
    m_injunction: "injunction",
    m_penalty: "penalty payment",
    m_reprimand: "reprimand",
    m_publication: "publication",
    checks: "CNIL checks",
    c_online: "online check",
    c_on_site: "on-site inspection",
    c_documentary: "documentary check",
    c_hearing: "hearing check",
    original_text: "Original text",
    translation: "Translation",
    machine_translation: "unofficial machine translation",
    published_by: "published by",
    summary_only: "Only the summary of this decision is available here; the text is on Légifrance.",
    summary_by: "Summary published by",
    source: "Source",
    provenance: "Provenance",
    basis_curated: "checked record",
    basis_original: "read in the original text",
    basis_translation: "read in the translation",
    basis_claim: "stated by the source",
    disagreements: "Where the sources disagree",
    shown_value: "value shown",
    back_to_results: "Back to the results",
    ratio: "Ratio",
    ratio_note: "Ratio: this decision's fine divided by the median fine.",
    stats_note: "Fines, breaches and sectors: sanctions only.",
    glossary_title: "French – English glossary",
    glossary_intro: "The concepts recueil treats as one in both languages: a search in English also finds the decisions written in French, and the reverse. Each name leads to its search.",
    glossary_filter: "Filter the concepts",
    rk_company: "company",
    rk_individual: "individual",
    rk_public_body: "public body",
    rk_association: "association",
    err_not_found: "No such page or decision.",
    err_parameter: "Invalid parameter",
    err_request: "Unknown parameter or malformed request.",
    err_query: "This search cannot be read; see the query syntax.",
    err_busy: "The server is busy; try again in a moment.",
    err_internal: "Internal server error.",
    f_injunction: "Injunction",
    f_public: "Publication ordered",
    yes: "yes",
    no: "no",
    lang_fr: "French",
    lang_en: "English",
    sanctions: "sanctions",
    search_title: "Search CNIL decisions",
    skip_results: "Skip to results",
    selected_filters: "Selected filters",
    remove_filter: "Remove filter",
    fine_range: "Fine amount (€)",
    date_range: "Decision date",
    range_min: "at least",
    range_max: "at most",
    date_from: "from",
    date_to: "to",
    did_you_mean: "Did you mean",
    sanctions_only: "Sanctions only",
    sanctions_note: "Only sanctions are shown; other decisions (research authorisations, opinions, methodologies…) are left out.",
    include_all: "Include the other decisions",
    all_natures: "Decisions of every nature are shown.",
    sanctions_back: "Show sanctions only",
    more_passages: "more passages",
};

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn negotiation_order_is_switch_cookie_accept_language() {
        let accept_en = headers(&[(header::ACCEPT_LANGUAGE, "de-DE, en-GB;q=0.8, fr;q=0.5")]);
        assert_eq!(Lang::negotiate(None, &accept_en), Lang::En);
        assert_eq!(Lang::negotiate(Some("fr"), &accept_en), Lang::Fr);
        let with_cookie = headers(&[(header::ACCEPT_LANGUAGE, "en"), (header::COOKIE, "a=b; lang=fr")]);
        assert_eq!(Lang::negotiate(None, &with_cookie), Lang::Fr);
        assert_eq!(Lang::negotiate(None, &HeaderMap::new()), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("xx"), &headers(&[(header::ACCEPT_LANGUAGE, "fr;q=0, en;q=0.1")])), Lang::En);
    }

    #[test]
    fn money_and_dates_follow_each_language() {
        assert_eq!(Lang::En.money(50_000_000), "€50,000,000");
        assert_eq!(Lang::Fr.money(3000), "3\u{202f}000\u{a0}€");
        assert_eq!(Lang::En.money(0), "€0");
        let d = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        assert_eq!(Lang::Fr.date(d), "1er janvier 2019");
        assert_eq!(Lang::En.date(d), "1 January 2019");
        assert_eq!((Lang::Fr.ratio(2.5), Lang::En.ratio(2.5)), ("×2,5".to_string(), "×2.5".to_string()));
    }

    #[test]
    fn sectors_kinds_and_errors_in_each_language() {
        assert_eq!(Lang::Fr.sector("Health Care"), "Santé");
        assert_eq!(Lang::Fr.sector("health care"), "Santé", "facet values are lower-cased");
        assert_eq!(Lang::En.sector("Accomodation and Hospitalty"), "Accommodation and Hospitality");
        assert_eq!(Lang::Fr.sector("Accomodation and Hospitalty"), "Hébergement et restauration");
        assert_eq!(Lang::Fr.sector("Other"), "Other");
        assert_eq!(Lang::Fr.respondent_kind_name("public_body"), "organisme public");
        assert_eq!(Lang::En.respondent_kind_name("public_body"), "public body");
        assert_eq!(Lang::Fr.error("invalid_parameter", Some("page")), "Paramètre invalide\u{a0}: page");
        assert_eq!(Lang::En.error("not_found", None), "No such page or decision.");
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        assert_eq!(
            Lang::Fr.coverage(63, Some(2019), Some(d(4, 18)), Some(d(12, 1))),
            "63 décisions, de 2019 au 18 avril 2025 ; mise à jour le 1er décembre 2025"
        );
        assert_eq!(Lang::En.coverage(1, None, None, Some(d(12, 1))), "1 decision; last updated 1 December 2025");
    }
}
