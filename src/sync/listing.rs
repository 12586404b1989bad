//! DILA's Apache-style directory index: which archives exist, and which of them a sync applies.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};

use crate::ingest::check_html_nesting;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `Freemium_cnil_global_<stamp>.tar.gz`: the whole stock at `stamp`.
    Global,
    /// `CNIL_<stamp>.tar.gz`: what changed since the previous archive.
    Increment,
}

/// One archive named by the listing. `stamp` is DILA's `YYYYMMDD-HHMMSS`: fixed width, so
/// comparing stamps as strings compares them in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub kind: Kind,
    pub stamp: String,
}

impl Entry {
    /// Classifies a file name; `None` for anything that is not a CNIL archive of DILA's naming.
    pub fn from_name(name: &str) -> Option<Entry> {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| {
            Regex::new(r"^(?:(Freemium_cnil_global)|CNIL)_(\d{8}-\d{6})\.tar\.gz$").expect("static regex")
        });
        let caps = re.captures(name)?;
        let stamp = caps.get(2)?.as_str();
        // The regex accepts 99999999-999999; only a real instant orders meaningfully.
        chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
        let kind = if caps.get(1).is_some() { Kind::Global } else { Kind::Increment };
        Some(Entry { name: name.to_string(), kind, stamp: stamp.to_string() })
    }
}

/// The archives linked from a directory index page, oldest first (a global archive before an
/// increment of the same stamp), each name once. Sort links (`?C=N;O=D`), the parent link,
/// sub-folders and links elsewhere are ignored: only plain file names are candidates, which
/// also keeps every name safe to use as a file name under the sync folder. A page nested too
/// deep for the HTML parser to read in time is refused, as ingest refuses such a page.
pub fn parse_listing(html: &str) -> Result<Vec<Entry>> {
    check_html_nesting(html).map_err(|reason| Error::Rejected { path: "listing".into(), reason })?;
    let doc = Html::parse_document(html);
    let anchors = Selector::parse("a[href]").expect("static selector");
    let mut found: BTreeMap<(String, Kind, String), ()> = BTreeMap::new();
    for a in doc.select(&anchors) {
        let Some(href) = a.attr("href") else { continue };
        // Queries are sort links; a scheme points to another host.
        if href.contains(['?', '#', ':']) {
            continue;
        }
        // Some servers prefix the folder path ("/OPENDATA/CNIL/CNIL_…"). Archives are always
        // fetched as `<listing URL><name>`, so only the last segment matters.
        let name = href.trim().rsplit('/').next().unwrap_or_default();
        if let Some(e) = Entry::from_name(name) {
            found.insert((e.stamp.clone(), e.kind, e.name.clone()), ());
        }
    }
    Ok(found.into_keys().map(|(stamp, kind, name)| Entry { name, kind, stamp }).collect())
}

/// What to apply, in order. On the first run (`last_stamp` is `None`) that is the newest
/// global archive and every increment after it; later, every increment newer than the last
/// archive applied. Newer global archives are not re-applied: the increments carry the same
/// changes at a fraction of the size. DILA removes old archives from the server, though: when
/// nothing listed reaches back to `last_stamp`, increments after it may be gone, so the plan
/// catches up from the newest global archive as on a first run.
pub fn plan(entries: &[Entry], last_stamp: Option<&str>) -> Result<Vec<Entry>> {
    let last_stamp = last_stamp.filter(|s| entries.iter().any(|e| e.stamp.as_str() <= *s));
    let (mut out, since) = match last_stamp {
        Some(s) => (Vec::new(), s.to_string()),
        None => {
            let global = entries
                .iter()
                .filter(|e| e.kind == Kind::Global)
                .max_by(|a, b| a.stamp.cmp(&b.stamp))
                .ok_or_else(|| Error::NotFound("no global archive in the listing".into()))?;
            (vec![global.clone()], global.stamp.clone())
        }
    };
    let mut incs: Vec<&Entry> =
        entries.iter().filter(|e| e.kind == Kind::Increment && e.stamp.as_str() > since.as_str()).collect();
    incs.sort_by(|a, b| a.stamp.cmp(&b.stamp));
    out.extend(incs.into_iter().cloned());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Invented page in the shape of Apache's mod_autoindex output.
    const PAGE: &str = r#"<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html><head><title>Index of /OPENDATA/CNIL</title></head><body>
<h1>Index of /OPENDATA/CNIL</h1>
<table><tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th></tr>
<tr><td><a href="/OPENDATA/">Parent Directory</a></td></tr>
<tr><td><a href="CNIL_20250705-213012.tar.gz">CNIL_20250705-213012.tar.gz</a></td><td>2025-07-05 21:30</td></tr>
<tr><td><a href="CNIL_20250712-000000.tar.gz">CNIL_20250712-000000.tar.gz</a></td></tr>
<tr><td><a href="/OPENDATA/CNIL/CNIL_20250719-101500.tar.gz">CNIL_20250719-101500.tar.gz</a></td></tr>
<tr><td><a href="Freemium_cnil_global_20250101-120000.tar.gz">old global</a></td></tr>
<tr><td><a href="Freemium_cnil_global_20250706-140000.tar.gz">Freemium_cnil_global_20250706-140000.tar.gz</a></td></tr>
<tr><td><a href="CNIL_20250712-000000.tar.gz">duplicate link</a></td></tr>
<tr><td><a href="CNIL_20251399-000000.tar.gz">impossible date</a></td></tr>
<tr><td><a href="CNIL_20250801-000000.tar.gz.md5">checksum</a></td></tr>
<tr><td><a href="https://elsewhere.example/CNIL_20250901-000000.tar.gz">elsewhere</a></td></tr>
<tr><td><a href="JORF_20250712-000000.tar.gz">other fund</a></td></tr>
<tr><td><a href="archives/">archives/</a></td></tr>
</table></body></html>"#;

    fn names(es: &[Entry]) -> Vec<&str> {
        es.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn listing_keeps_only_cnil_archives_in_time_order() {
        let es = parse_listing(PAGE).unwrap();
        assert_eq!(
            names(&es),
            [
                "Freemium_cnil_global_20250101-120000.tar.gz",
                "CNIL_20250705-213012.tar.gz",
                "Freemium_cnil_global_20250706-140000.tar.gz",
                "CNIL_20250712-000000.tar.gz",
                "CNIL_20250719-101500.tar.gz",
            ]
        );
        assert_eq!(es[0].kind, Kind::Global);
        assert_eq!(es[1].kind, Kind::Increment);
        assert_eq!(es[1].stamp, "20250705-213012");
    }

    #[test]
    fn first_plan_is_newest_global_then_later_increments() {
        let es = parse_listing(PAGE).unwrap();
        let p = plan(&es, None).unwrap();
        assert_eq!(
            names(&p),
            [
                "Freemium_cnil_global_20250706-140000.tar.gz",
                "CNIL_20250712-000000.tar.gz",
                "CNIL_20250719-101500.tar.gz"
            ]
        );
    }

    #[test]
    fn later_plan_is_increments_after_last_stamp_only() {
        let es = parse_listing(PAGE).unwrap();
        assert_eq!(names(&plan(&es, Some("20250712-000000")).unwrap()), ["CNIL_20250719-101500.tar.gz"]);
        assert!(plan(&es, Some("20250719-101500")).unwrap().is_empty());
    }

    #[test]
    fn plan_catches_up_from_global_when_the_listing_no_longer_reaches_back() {
        let es = parse_listing(PAGE).unwrap();
        // The oldest listed archive is of 20250101: from 20241231 on, a gap is possible.
        assert_eq!(plan(&es, Some("20241231-000000")).unwrap(), plan(&es, None).unwrap());
        assert_eq!(
            names(&plan(&es, Some("20250101-120000")).unwrap()),
            ["CNIL_20250705-213012.tar.gz", "CNIL_20250712-000000.tar.gz", "CNIL_20250719-101500.tar.gz"]
        );
    }

    #[test]
    fn first_plan_without_global_is_an_error() {
        let es = parse_listing(r#"<a href="CNIL_20250712-000000.tar.gz">x</a>"#).unwrap();
        assert!(matches!(plan(&es, None), Err(Error::NotFound(_))));
    }

    proptest::proptest! {
        #[test]
        fn plan_is_ordered_and_only_newer(
            stamps in proptest::collection::vec((2000u32..2100, 1u32..13, 1u32..29, 0u32..24, proptest::bool::ANY), 0..30),
            last in proptest::option::of(2000u32..2100),
        ) {
            let page: String = stamps
                .iter()
                .map(|(y, m, d, h, global)| {
                    let prefix = if *global { "Freemium_cnil_global" } else { "CNIL" };
                    format!("<a href=\"{prefix}_{y}{m:02}{d:02}-{h:02}0000.tar.gz\">x</a>\n")
                })
                .collect();
            let entries = parse_listing(&page).unwrap();
            let asked = last.map(|y| format!("{y}0101-000000"));
            let result = plan(&entries, asked.as_deref());
            // A last stamp older than everything listed counts as no last stamp.
            let last = asked.filter(|s| entries.iter().any(|e| &e.stamp <= s));
            match result {
                Ok(p) => {
                    let start = if last.is_none() { 1 } else { 0 };
                    if last.is_none() {
                        let newest = entries.iter().filter(|e| e.kind == Kind::Global).map(|e| &e.stamp).max();
                        proptest::prop_assert_eq!(Some(&p[0].stamp), newest);
                    }
                    let floor = last.clone().unwrap_or_else(|| p[0].stamp.clone());
                    proptest::prop_assert!(p[start..].iter().all(|e| e.kind == Kind::Increment && e.stamp > floor));
                    proptest::prop_assert!(p[start..].windows(2).all(|w| w[0].stamp < w[1].stamp));
                    let expected = entries.iter().filter(|e| e.kind == Kind::Increment && e.stamp > floor).count();
                    proptest::prop_assert_eq!(p.len() - start, expected);
                }
                Err(_) => proptest::prop_assert!(last.is_none() && entries.iter().all(|e| e.kind == Kind::Increment)),
            }
        }

        #[test]
        fn arbitrary_pages_do_not_panic(page in ".{0,400}") {
            let _ = parse_listing(&page);
        }
    }

    #[test]
    fn hostile_listing_does_not_panic() {
        assert!(parse_listing("").unwrap().is_empty());
        assert!(parse_listing(&"<div>".repeat(200)).unwrap().is_empty());
        assert!(parse_listing(r#"<a href="../../CNIL_20250712-000000.tar.gz?x">"#).unwrap().is_empty());
        // The probe's 240 KB listing that took the parser 5 s, and what html5ever nests.
        for deep in ["<div>".repeat(48_000), "<div/>".repeat(40_000), "<div></i>".repeat(20_000)] {
            assert!(matches!(parse_listing(&deep), Err(Error::Rejected { .. })));
        }
    }
}
