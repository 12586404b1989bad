//! Field selection (`fields=number,fine_eur,summary`, as CourtListener's API has it): which
//! keys of a hit a search answer or an export line carries, and which columns a CSV export has.

use serde_json::{Map, Value};

use crate::record::{Language, Summaries};
use crate::search::Hit;
use crate::{Error, Result};

use super::i18n::Lang;

/// One key of a hit, as `fields` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitField {
    Id,
    Number,
    Date,
    Title,
    Nature,
    Respondent,
    RespondentKind,
    Sector,
    FineEur,
    /// Per-respondent fines, when several respondents are fined.
    Fines,
    Breached,
    Measures,
    /// The kinds of check the CNIL carried out before deciding.
    Checks,
    Injunction,
    PenaltyPerDayEur,
    Public,
    Language,
    /// Our summaries, `{en, fr}` (two columns in CSV).
    Summary,
    Added,
    Modified,
    Score,
    Snippet,
    LegifranceUrl,
}

impl HitField {
    pub const ALL: [HitField; 23] = [
        HitField::Id,
        HitField::Number,
        HitField::Date,
        HitField::Title,
        HitField::Nature,
        HitField::Respondent,
        HitField::RespondentKind,
        HitField::Sector,
        HitField::FineEur,
        HitField::Fines,
        HitField::Breached,
        HitField::Measures,
        HitField::Checks,
        HitField::Injunction,
        HitField::PenaltyPerDayEur,
        HitField::Public,
        HitField::Language,
        HitField::Summary,
        HitField::Added,
        HitField::Modified,
        HitField::Score,
        HitField::Snippet,
        HitField::LegifranceUrl,
    ];

    /// The columns of a CSV export without `fields`.
    pub const CSV_DEFAULT: [HitField; 13] = [
        HitField::Id,
        HitField::Number,
        HitField::Date,
        HitField::Nature,
        HitField::Respondent,
        HitField::Sector,
        HitField::FineEur,
        HitField::Breached,
        HitField::Measures,
        HitField::Title,
        HitField::LegifranceUrl,
        HitField::Added,
        HitField::Modified,
    ];

    /// The key in a hit's JSON.
    pub fn name(self) -> &'static str {
        match self {
            HitField::Id => "id",
            HitField::Number => "number",
            HitField::Date => "date",
            HitField::Title => "title",
            HitField::Nature => "nature",
            HitField::Respondent => "respondent",
            HitField::RespondentKind => "respondent_kind",
            HitField::Sector => "sector",
            HitField::FineEur => "fine_eur",
            HitField::Fines => "fines",
            HitField::Breached => "breached",
            HitField::Measures => "measures",
            HitField::Checks => "checks",
            HitField::Injunction => "injunction",
            HitField::PenaltyPerDayEur => "penalty_per_day_eur",
            HitField::Public => "public",
            HitField::Language => "language",
            HitField::Summary => "summary",
            HitField::Added => "added",
            HitField::Modified => "modified",
            HitField::Score => "score",
            HitField::Snippet => "snippet",
            HitField::LegifranceUrl => "legifrance_url",
        }
    }

    /// The names, comma-separated, as a refusal lists them.
    pub fn names() -> String {
        HitField::ALL.map(HitField::name).join(", ")
    }

    fn csv_header(self, out: &mut Vec<&'static str>) {
        match self {
            HitField::Summary => out.extend(["summary_en", "summary_fr"]),
            other => out.push(other.name()),
        }
    }

    /// The CSV cells of this field of `h` (one, or two for the summary).
    fn csv_cells(self, h: &Hit, out: &mut Vec<String>) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let f = &h.facts;
        match self {
            HitField::Id => out.push(h.id.clone()),
            HitField::Number => out.push(text(&f.number)),
            HitField::Date => out.push(cell(f.date)),
            HitField::Title => out.push(text(&h.title)),
            HitField::Nature => out.push(text(&f.nature)),
            HitField::Respondent => out.push(text(&f.respondent)),
            HitField::RespondentKind => out.push(f.respondent_kind.map(|k| Lang::En.respondent_kind(k)).unwrap_or_default().into()),
            HitField::Sector => out.push(text(&f.sector)),
            HitField::FineEur => out.push(cell(f.fine_eur)),
            HitField::Fines => out.push(f.fines.iter().map(|x| format!("{}: {}", x.respondent, x.eur)).collect::<Vec<_>>().join(";")),
            HitField::Breached => out.push(f.breached.join(";")),
            HitField::Measures => out.push(f.measures.iter().map(|m| Lang::En.measure(*m)).collect::<Vec<_>>().join(";")),
            HitField::Checks => out.push(f.checks.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(";")),
            HitField::Injunction => out.push(cell(f.injunction)),
            HitField::PenaltyPerDayEur => out.push(cell(f.penalty_per_day_eur)),
            HitField::Public => out.push(cell(f.public)),
            HitField::Language => out.push(
                match h.language {
                    Language::Fr => "fr",
                    Language::En => "en",
                }
                .into(),
            ),
            HitField::Summary => {
                let Summaries { en, fr } = &h.summary;
                out.extend([text(en), text(fr)]);
            }
            HitField::Added => out.push(h.added.to_rfc3339()),
            HitField::Modified => out.push(h.modified.to_rfc3339()),
            HitField::Score => out.push(h.score.map(|s| s.to_string()).unwrap_or_default()),
            HitField::Snippet => out.push(h.snippet.iter().map(|p| p.text.as_str()).collect()),
            HitField::LegifranceUrl => out.push(text(&h.legifrance_url)),
        }
    }
}

/// A CSV cell: the value, or nothing.
fn cell<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The fields a request selects; `None` (no `fields` parameter) is every key of the hit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection(Option<Vec<HitField>>);

impl Selection {
    /// `fields=a,b,c`: names from [`HitField::ALL`], each once; an unknown name is refused.
    pub fn parse(raw: Option<&str>) -> Result<Selection> {
        let Some(raw) = raw else { return Ok(Selection(None)) };
        let mut chosen = Vec::new();
        for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let field = HitField::ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| Error::InvalidParameter {
                name: "fields",
                reason: format!(
                    "unknown field {:?}; fields are {}",
                    super::params::truncate(name, 40),
                    HitField::names()
                ),
            })?;
            if !chosen.contains(&field) {
                chosen.push(field);
            }
        }
        if chosen.is_empty() {
            return Err(Error::InvalidParameter { name: "fields", reason: "names no field".into() });
        }
        Ok(Selection(Some(chosen)))
    }

    pub fn wants(&self, field: HitField) -> bool {
        self.0.as_ref().is_none_or(|fields| fields.contains(&field))
    }

    /// Whether `fields` names `field` (not merely every field by default).
    pub fn asks_for(&self, field: HitField) -> bool {
        self.0.as_ref().is_some_and(|fields| fields.contains(&field))
    }

    /// The hit as JSON with the selected keys only (and always its `id`, which names it).
    pub fn project(&self, h: &Hit) -> Result<Value> {
        let Value::Object(mut all) = serde_json::to_value(h)? else {
            return Err(Error::Serde("a hit is not a json object".into()));
        };
        let Some(fields) = &self.0 else { return Ok(Value::Object(all)) };
        let mut out = Map::new();
        out.insert("id".into(), all.remove("id").unwrap_or(Value::Null));
        for f in fields {
            if let Some(v) = all.remove(f.name()) {
                out.insert(f.name().into(), v);
            }
        }
        Ok(Value::Object(out))
    }

    /// The CSV columns: the selected fields, else [`HitField::CSV_DEFAULT`].
    fn columns(&self) -> &[HitField] {
        self.0.as_deref().unwrap_or(&HitField::CSV_DEFAULT)
    }

    pub fn csv_header(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for f in self.columns() {
            f.csv_header(&mut names);
        }
        names
    }

    pub fn csv_row(&self, h: &Hit) -> Vec<String> {
        let mut cells = Vec::new();
        for f in self.columns() {
            f.csv_cells(h, &mut cells);
        }
        cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit() -> Hit {
        let head: crate::record::Head = serde_json::from_value(serde_json::json!({
            "id": "cnil-SAN-2099-001", "number": "SAN-2099-001", "date": "2099-01-02", "title": "invented",
            "nature": "sanction", "respondent": "Invented SA", "respondent_kind": "company", "sector": null,
            "fine_eur": 1000, "breached": ["GDPR:32"], "injunction": true, "penalty_per_day_eur": null,
            "public": false, "measures": ["fine"], "language": "fr",
            "summary": {"en": "An invented summary.", "fr": null}, "legifrance_url": null,
            "added": "2099-01-03T00:00:00Z", "modified": "2099-01-04T00:00:00Z"
        }))
        .unwrap();
        Hit { head, score: None, snippet: Vec::new(), passages: Vec::new() }
    }

    #[test]
    fn a_selection_keeps_the_keys_asked_for_and_the_id() {
        let s = Selection::parse(Some("number, fine_eur,summary,number")).unwrap();
        let v = s.project(&hit()).unwrap();
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["fine_eur", "id", "number", "summary"]);
        assert_eq!(v["summary"], serde_json::json!({"en": "An invented summary.", "fr": null}));
        assert_eq!(Selection::parse(None).unwrap().project(&hit()).unwrap()["title"], "invented");
    }

    /// Every fact of a hit can be asked for by its key, in JSON and in CSV.
    #[test]
    fn every_fact_of_a_hit_is_a_field() {
        let all = Selection::parse(None).unwrap().project(&hit()).unwrap();
        for key in ["respondent_kind", "injunction", "penalty_per_day_eur", "public"] {
            assert!(all.get(key).is_some(), "{key}");
            let field = HitField::ALL.into_iter().find(|f| f.name() == key).unwrap();
            assert_eq!(Selection::parse(Some(key)).unwrap().project(&hit()).unwrap()[key], all[key]);
            assert!(HitField::names().contains(key));
            assert!(Selection(Some(vec![field])).csv_header() == [key]);
        }
        let s = Selection::parse(Some("respondent_kind,fines,injunction,penalty_per_day_eur,public")).unwrap();
        assert_eq!(s.csv_row(&hit()), ["company", "", "true", "", "false"]);
        assert!(s.project(&hit()).unwrap().get("fines").is_none(), "no key for one respondent's fine");
    }

    #[test]
    fn unknown_or_empty_selections_are_refused() {
        let e = Selection::parse(Some("number,fine")).unwrap_err().to_string();
        assert!(e.contains("\"fine\"") && e.contains("fine_eur"), "{e}");
        assert!(Selection::parse(Some(" , ")).is_err());
    }

    #[test]
    fn csv_columns_follow_the_selection() {
        let s = Selection::parse(Some("number,summary,legifrance_url")).unwrap();
        assert_eq!(s.csv_header(), ["number", "summary_en", "summary_fr", "legifrance_url"]);
        assert_eq!(s.csv_row(&hit()), ["SAN-2099-001", "An invented summary.", "", ""]);
        let default = Selection::default();
        assert_eq!(default.csv_header().len(), default.csv_row(&hit()).len());
    }
}
