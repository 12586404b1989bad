//! The baseline users would build themselves: SQLite FTS5 over the same records, ranked by
//! bm25, with the same filters as SQL `WHERE` clauses and, for the faceted classes, the same
//! facet counts and fine statistics that recueil returns.
//!
//! The tokenizer is `unicode61 remove_diacritics 2` (accents folded, no stemming): the usual
//! French-friendly FTS5 setup, since FTS5 ships no French stemmer.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection};

use super::queries::Query;
use crate::record::{Provision, Record};
use crate::{Error, Result};

/// Bulk load settings: durability is not what is measured, search speed is; the cache and
/// mmap sizes give SQLite the same room the OS page cache gives tantivy.
fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(sql_err)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -262144;
         PRAGMA mmap_size = 4294967296;",
    )
    .map_err(sql_err)?;
    Ok(conn)
}

fn sql_err(e: rusqlite::Error) -> Error {
    Error::Index(format!("sqlite fts5: {}", e.to_string().to_lowercase()))
}

pub struct Fts5 {
    conn: Connection,
}

/// What one search returned; the benchmark keeps it so that no work can be optimised away
/// and so that the two engines' totals can be compared.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FtsAnswer {
    pub total: usize,
    pub hits: usize,
    pub facet_values: usize,
    pub snippet_bytes: usize,
}

impl Fts5 {
    /// Creates the database at `path` (which must not exist) and loads `records` in one
    /// transaction, then merges the FTS segments as a real deployment would.
    pub fn build(path: &Path, records: impl IntoIterator<Item = Record>) -> Result<Fts5> {
        if path.exists() {
            return Err(Error::InvalidParameter { name: "sqlite path", reason: format!("{} exists", path.display()) });
        }
        let mut conn = connect(path)?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
             CREATE TABLE meta(id INTEGER PRIMARY KEY, number TEXT, title TEXT, date TEXT, year INTEGER,
                               sector TEXT, fine INTEGER, breached TEXT NOT NULL);
             CREATE TABLE breached(doc INTEGER NOT NULL, provision TEXT NOT NULL);",
        )
        .map_err(sql_err)?;
        let tx = conn.transaction().map_err(sql_err)?;
        {
            let mut doc = tx.prepare("INSERT INTO docs(rowid, title, body) VALUES (?1, ?2, ?3)").map_err(sql_err)?;
            let mut meta = tx
                .prepare("INSERT INTO meta(id, number, title, date, year, sector, fine, breached) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)")
                .map_err(sql_err)?;
            let mut prov = tx.prepare("INSERT INTO breached(doc, provision) VALUES (?1, ?2)").map_err(sql_err)?;
            for (i, r) in records.into_iter().enumerate() {
                let id = i as i64 + 1;
                doc.execute(params![id, r.title, r.text]).map_err(sql_err)?;
                meta.execute(params![
                    id,
                    r.facts.number,
                    r.title,
                    r.facts.date.map(|d| d.to_string()),
                    r.facts.year(),
                    r.facts.sector,
                    r.facts.fine_eur.map(|f| f as i64),
                    r.facts.breached.join(","),
                ])
                .map_err(sql_err)?;
                for p in &r.facts.breached {
                    prov.execute(params![id, p]).map_err(sql_err)?;
                }
            }
        }
        tx.commit().map_err(sql_err)?;
        conn.execute_batch(
            "INSERT INTO docs(docs) VALUES ('optimize');
             CREATE INDEX meta_sector ON meta(sector);
             CREATE INDEX meta_year ON meta(year);
             CREATE INDEX meta_fine ON meta(fine);
             CREATE INDEX breached_provision ON breached(provision, doc);
             ANALYZE;",
        )
        .map_err(sql_err)?;
        Ok(Fts5 { conn })
    }

    /// The database a previous [`Fts5::build`] left at `path`.
    pub fn open(path: &Path) -> Result<Fts5> {
        if !path.is_file() {
            return Err(Error::InvalidParameter { name: "sqlite path", reason: format!("no database at {}", path.display()) });
        }
        Ok(Fts5 { conn: connect(path)? })
    }

    /// Runs `q`: the bm25 top 10 (with number, title, date, sector, fine and provisions, plus
    /// snippets when the class asks) and the total; for the faceted classes also the counts
    /// per sector, year and provision and the fine statistics over every match.
    pub fn search(&self, q: &Query) -> Result<FtsAnswer> {
        let (filter_sql, mut args) = where_clause(q);
        args.insert(0, Value::Text(q.fts5()));
        let from = format!("FROM docs JOIN meta m ON m.id = docs.rowid WHERE docs MATCH ?1{filter_sql}");
        let mut answer = FtsAnswer::default();

        if q.class.facets() {
            // One pass over every match for the aggregates, as a hand-written service would
            // do it, rather than one GROUP BY per facet re-running the MATCH each time.
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT m.sector, m.year, m.fine, m.breached {from}"))
                .map_err(sql_err)?;
            let mut rows = stmt.query(params_from_iter(args.iter())).map_err(sql_err)?;
            let mut facets: HashMap<String, u64> = HashMap::new();
            let mut fines = Vec::new();
            while let Some(row) = rows.next().map_err(sql_err)? {
                answer.total += 1;
                let sector: Option<String> = row.get(0).map_err(sql_err)?;
                let year: Option<i64> = row.get(1).map_err(sql_err)?;
                let fine: Option<i64> = row.get(2).map_err(sql_err)?;
                let breached: String = row.get(3).map_err(sql_err)?;
                if let Some(s) = sector {
                    *facets.entry(format!("s:{s}")).or_default() += 1;
                }
                if let Some(y) = year {
                    *facets.entry(format!("y:{y}")).or_default() += 1;
                }
                for p in breached.split(',').filter(|p| !p.is_empty()) {
                    *facets.entry(format!("b:{p}")).or_default() += 1;
                }
                fines.extend(fine);
            }
            fines.sort_unstable();
            answer.facet_values = facets.len() + usize::from(!fines.is_empty());
        } else {
            let mut stmt = self.conn.prepare_cached(&format!("SELECT count(*) {from}")).map_err(sql_err)?;
            let n: i64 = stmt.query_row(params_from_iter(args.iter()), |r| r.get(0)).map_err(sql_err)?;
            answer.total = n as usize;
        }

        let snippet = if q.class.snippets() { "snippet(docs, 1, '<b>', '</b>', '…', 32)" } else { "''" };
        let sql = format!(
            "SELECT m.number, m.title, m.date, m.sector, m.fine, m.breached, {snippet} {from} ORDER BY docs.rank LIMIT 10"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(sql_err)?;
        let mut rows = stmt.query(params_from_iter(args.iter())).map_err(sql_err)?;
        while let Some(row) = rows.next().map_err(sql_err)? {
            answer.hits += 1;
            let snippet: String = row.get(6).map_err(sql_err)?;
            answer.snippet_bytes += snippet.len();
        }
        Ok(answer)
    }

    pub fn size_bytes(&self) -> Result<u64> {
        let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0)).map_err(sql_err)?;
        let size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0)).map_err(sql_err)?;
        Ok((pages * size) as u64)
    }
}

/// The filters of `q` as ` AND …` clauses and their arguments (numbered from ?2, since ?1 is
/// the MATCH expression).
fn where_clause(q: &Query) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    let f = &q.filter;
    // Each clause has one `?`, numbered here after the arguments before it.
    let mut add = |clause: &str, v: Value| {
        args.push(v);
        sql.push_str(" AND ");
        sql.push_str(&clause.replace('?', &format!("?{}", args.len() + 1)));
    };
    if let Some(s) = f.sector {
        add("m.sector = ?", Value::Text(s.into()));
    }
    if let Some(y) = f.year {
        add("m.year = ?", Value::Integer(y.into()));
    }
    if let Some(a) = f.article {
        add("m.id IN (SELECT doc FROM breached WHERE provision = ?)", Value::Text(Provision::gdpr(a).to_string()));
    }
    if let Some(m) = f.fine_min {
        add("m.fine >= ?", Value::Integer(m as i64));
    }
    (sql, args)
}

#[cfg(test)]
mod tests {
    use super::super::queries::{Class, Filter, Words};
    use super::*;

    /// Invented records: three short decisions with known words and facts.
    fn records() -> Vec<Record> {
        let mk = |n: &str, text: &str, sector: &str, year: i32, fine: Option<u64>, breached: &[&str]| Record {
            id: n.into(),
            facts: crate::record::Facts {
                number: Some(n.into()),
                date: chrono::NaiveDate::from_ymd_opt(year, 3, 1),
                sector: Some(sector.into()),
                fine_eur: fine,
                breached: breached.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            title: Some(format!("décision {n}")),
            text: text.into(),
            ..Record::default()
        };
        vec![
            mk(
                "A",
                "La sécurité des données de santé était insuffisante.",
                "Health Care",
                2021,
                Some(50_000),
                &["GDPR:32"],
            ),
            mk("B", "Security of personal data and password rules.", "Health Care", 2020, None, &["GDPR:32", "GDPR:5"]),
            mk(
                "C",
                "Cookies déposés sans consentement; securite ignorée.",
                "Industry and Commerce",
                2021,
                Some(1_000),
                &["CPCE:L34-5"],
            ),
        ]
    }

    #[test]
    fn filters_and_folding_match_what_the_sql_says() {
        let dir = tempfile::tempdir().unwrap();
        let db = Fts5::build(&dir.path().join("b.sqlite"), records()).unwrap();
        let q = |class, words, filter| db.search(&Query { class, words, filter }).unwrap();
        // "securite" meets "sécurité" (diacritics removed) but not "security" (no stemming).
        assert_eq!(q(Class::Term, Words::Term("securite"), Filter::default()).total, 2);
        let health = Filter { sector: Some("Health Care"), ..Filter::default() };
        assert_eq!(q(Class::Term, Words::Term("securite"), health.clone()).total, 1);
        let art32 = Filter { article: Some(32), year: Some(2020), ..Filter::default() };
        let a = q(Class::FilteredFacets, Words::Or("security", "securite"), art32);
        assert_eq!((a.total, a.hits), (1, 1));
        // sector, year, two provisions, fine statistics
        assert_eq!(a.facet_values, 4);
        let s = q(Class::Snippets, Words::Phrase("personal data"), Filter { fine_min: None, ..health });
        assert!(s.snippet_bytes > 0 && s.hits == 1);
        let rich = Filter { fine_min: Some(10_000), ..Filter::default() };
        assert_eq!(q(Class::FilteredFacets, Words::Term("securite"), rich).total, 1);
    }
}
