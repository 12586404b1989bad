//! GDPRhub decision pages in their MediaWiki source, as the wiki serves it
//! (`index.php?title=…&action=raw`) and as its API returns it: the parameters of the
//! `{{DPAdecisionBOX …}}` template, the "English Summary" section and the `<pre>` block of the
//! "English Machine Translation of the Decision" section. They are read into a [`Page`] under
//! the labels the rendered page shows, so a page makes the same record in either markup.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::gdprhub_page::{Page, Text};
use super::TextBuilder;
use crate::record::{decision::file_name, Record, Source};

/// The infobox template every GDPRhub decision page opens with.
const TEMPLATE: &str = "{{DPAdecisionBOX";

/// Bytes the template may span: a real one takes a few KiB.
const MAX_TEMPLATE_BYTES: usize = 64 * 1024;

/// Indexed parameters read per kind (`GDPR_Article_1` … `GDPR_Article_40`).
const MAX_INDEX: usize = 40;

/// Template parameters that are one infobox row each, with the row's label.
const ROWS: &[(&str, &str)] = &[
    ("DPA_With_Country", "Authority"),
    ("Jurisdiction", "Jurisdiction"),
    ("Type", "Type"),
    ("Outcome", "Outcome"),
    ("Date_Started", "Started"),
    ("Date_Decided", "Decided"),
    ("Date_Published", "Published"),
    ("Case_Number_Name", "National Case Number/Name"),
    ("ECLI", "European Case Law Identifier"),
    ("Initial_Contributor", "Initial Contributor"),
];

/// The parameters whose values the "Relevant Law" row lists, in its order.
const LAWS: [&str; 3] = ["GDPR_Article", "EU_Law_Name", "National_Law_Name"];

pub(super) fn parse(text: &str, source: Source) -> Result<Record, String> {
    let (params, rest) = template(text)?;
    Page {
        infobox: infobox(&params),
        summary: section(rest, "English Summary", false),
        translation: section(rest, "English Machine Translation of the Decision", true),
        heading: page_name(&source.path),
    }
    .record(source)
}

/// The template's `|Name=value` parameters, and the text after it.
fn template(text: &str) -> Result<(BTreeMap<&str, &str>, &str), String> {
    let start = text.find(TEMPLATE).ok_or("wikitext has no GDPRhub infobox ({{DPAdecisionBOX}})")?;
    let body = &text[start + 2..];
    let mut depth = 1usize;
    let mut end = None;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len().min(MAX_TEMPLATE_BYTES) {
        match &bytes[i..i + 2] {
            b"{{" => {
                depth += 1;
                i += 2;
            }
            b"}}" => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    let end = end.ok_or(format!("the infobox template is not closed within {} KiB", MAX_TEMPLATE_BYTES / 1024))?;
    let params = body[..end]
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix('|')?.split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    Ok((params, &body[end + 2..]))
}

/// The infobox rows the rendered page would show, from the template's parameters.
fn infobox(params: &BTreeMap<&str, &str>) -> BTreeMap<String, (String, Vec<String>)> {
    let mut rows = BTreeMap::new();
    let mut row = |label: &str, text: String, links: Vec<String>| {
        if !text.is_empty() {
            rows.insert(label.to_string(), (text, links));
        }
    };
    for (name, label) in ROWS {
        if let Some(value) = params.get(name) {
            row(label, plain(value), Vec::new());
        }
    }
    let indexed = |kind: &str| -> Vec<String> {
        (1..=MAX_INDEX).filter_map(|n| params.get(format!("{kind}_{n}").as_str()).map(|v| plain(v))).collect()
    };
    let laws: Vec<String> = LAWS.iter().flat_map(|kind| indexed(kind)).collect();
    row("Relevant Law", laws.join(" "), laws);
    row("Parties", indexed("Party_Name").join(", "), Vec::new());
    row("Original Language(s)", indexed("Original_Source_Language").join(", "), Vec::new());
    // The page shows each source's language code after its name: "Legifrance (in FR)".
    let sources: Vec<String> = (1..=MAX_INDEX)
        .filter_map(|n| {
            let name = plain(params.get(format!("Original_Source_Name_{n}").as_str())?);
            Some(match params.get(format!("Original_Source_Language__Code_{n}").as_str()) {
                Some(code) => format!("{name} (in {})", plain(code)),
                None => name,
            })
        })
        .collect();
    row("Original Source", sources.join(", "), indexed("Original_Source_Link"));
    if let Some(fine) = params.get("Fine") {
        let currency = params.get("Currency").copied().unwrap_or("");
        row("Fine", format!("{} {}", thousands(&plain(fine)), plain(currency)).trim().to_string(), Vec::new());
    }
    rows
}

/// An amount of plain digits grouped by thousands, as the page shows it (`12500` → `12,500`).
fn thousands(amount: &str) -> String {
    if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit()) {
        return amount.to_string();
    }
    let mut out = String::with_capacity(amount.len() + amount.len() / 3);
    for (i, c) in amount.chars().enumerate() {
        if i > 0 && (amount.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text of the level-two section titled `title`, up to the next one. `pre_only` keeps only
/// `<pre>` blocks (the translation section also holds a disclaimer).
fn section(text: &str, title: &str, pre_only: bool) -> Text {
    let mut out = TextBuilder::default();
    let mut inside = false;
    let mut pre: Option<String> = None;
    for line in text.lines() {
        if let Some(heading) = heading(line, 2) {
            if pre.is_none() {
                inside = heading == title;
                continue;
            }
        }
        if !inside {
            continue;
        }
        if let Some(block) = pre.as_mut() {
            match line.find("</pre>") {
                Some(at) => {
                    block.push_str(&line[..at]);
                    out.push_plain(&decode_entities(block));
                    pre = None;
                }
                None => {
                    block.push_str(line);
                    block.push('\n');
                }
            }
            continue;
        }
        if let Some(at) = line.find("<pre>") {
            let after = &line[at + "<pre>".len()..];
            match after.find("</pre>") {
                Some(end) => out.push_plain(&decode_entities(&after[..end])),
                None => pre = Some(format!("{after}\n")),
            }
            continue;
        }
        if pre_only {
            continue;
        }
        // Subheadings and list items stand apart, as on the page; lines of a paragraph join.
        let own = heading(line, 3).or_else(|| heading(line, 4)).or_else(|| line.strip_prefix(['*', '#', ':', ';']));
        match own {
            Some(item) => {
                out.end_paragraph();
                out.push(&plain(item.trim_start_matches(['*', '#', ':', ';'])));
                out.end_paragraph();
            }
            None if line.trim().is_empty() => out.end_paragraph(),
            None => {
                out.push(&plain(line));
                out.push(" ");
            }
        }
    }
    // A `<pre>` left open runs to the end of the page.
    if let Some(block) = pre {
        out.push_plain(&decode_entities(&block));
    }
    out.finish()
}

/// The title of a heading line of `level` (`== English Summary ==` is level 2).
fn heading(line: &str, level: usize) -> Option<&str> {
    let marks = "=".repeat(level);
    let inner = line.trim().strip_prefix(marks.as_str())?.strip_suffix(marks.as_str())?;
    (!inner.starts_with('=') && !inner.ends_with('=')).then(|| inner.trim())
}

static REF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<ref[^>/]*>.*?</ref>|<ref[^>]*/>").expect("valid regex"));
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[A-Za-z][^>]*>").expect("valid regex"));
static TEMPLATE_CALL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{\{[^{}]*\}\}").expect("valid regex"));
static WIKI_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]").expect("valid regex"));
static WEB_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[(?:https?:)?//[^\s\]]*\s*([^\]]*)\]").expect("valid regex"));

/// A line of wikitext as the page shows it: references, tags and inline templates dropped,
/// links replaced by their text, bold and italic marks removed, entities decoded.
fn plain(line: &str) -> String {
    let line = REF.replace_all(line, "");
    let line = TEMPLATE_CALL.replace_all(&line, "");
    let line = WIKI_LINK.replace_all(&line, "$1");
    let line = WEB_LINK.replace_all(&line, "$1");
    let line = TAG.replace_all(&line, "");
    decode_entities(&line.replace("'''", "").replace("''", ""))
}

/// The few entities wikitext uses for characters it would otherwise read as markup.
fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", "\u{a0}").replace("&amp;", "&")
}

/// The wiki page a file holds, by its name, underscores for spaces as in the wiki's addresses
/// (`CNIL_(France)_-_SAN-2099-001.wiki` holds the page "CNIL (France) - SAN-2099-001").
fn page_name(path: &str) -> Option<String> {
    let name = file_name(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let title = stem.replace('_', " ");
    (!title.trim().is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parameters_and_the_text_after() {
        let text = "{{DPAdecisionBOX\n|Jurisdiction=France\n|Fine=20000000\n|Currency=EUR\n|Party_Name_1=[[Invented SA]]\n|Empty=\n}}\nAfter.";
        let (params, rest) = template(text).unwrap();
        assert_eq!(params.get("Jurisdiction"), Some(&"France"));
        assert_eq!(params.get("Fine"), Some(&"20000000"));
        assert!(!params.contains_key("Empty"));
        assert_eq!(rest.trim(), "After.");
        // Templates inside the box close before it does.
        let (params, _) = template("{{DPAdecisionBOX\n|Type={{tpl|x}}\n|Outcome=Violation Found\n}}").unwrap();
        assert_eq!(params.get("Outcome"), Some(&"Violation Found"));
        assert!(template("no box here").unwrap_err().contains("no GDPRhub infobox"));
        assert!(template("{{DPAdecisionBOX\n|Type=x\n").unwrap_err().contains("not closed"));
    }

    #[test]
    fn rows_carry_the_rendered_page_labels() {
        let (params, _) = template(
            "{{DPAdecisionBOX\n|Case_Number_Name=SAN-2099-001\n|Date_Decided=05.01.2099\n|Fine=150000\n|Currency=EUR\n\
             |GDPR_Article_1=Article 32 GDPR\n|GDPR_Article_Link_1=Article 32 GDPR\n|National_Law_Name_1=Article 82 loi Informatique et Libertés\n\
             |Party_Name_1=Invented SA\n|Party_Name_2=Other SARL\n|Original_Source_Name_1=Légifrance\n\
             |Original_Source_Link_1=https://www.legifrance.gouv.fr/cnil/id/CNILTEXT000099000001\n}}",
        )
        .unwrap();
        let rows = infobox(&params);
        assert_eq!(rows["National Case Number/Name"].0, "SAN-2099-001");
        assert_eq!(rows["Decided"].0, "05.01.2099");
        assert_eq!(rows["Fine"].0, "150,000 EUR");
        assert_eq!((thousands("1000"), thousands("999"), thousands("20000000"), thousands("n/a")), ("1,000".into(), "999".into(), "20,000,000".into(), "n/a".into()));
        assert_eq!(rows["Relevant Law"].1, ["Article 32 GDPR", "Article 82 loi Informatique et Libertés"]);
        assert_eq!(rows["Parties"].0, "Invented SA, Other SARL");
        assert_eq!(rows["Original Source"].1, ["https://www.legifrance.gouv.fr/cnil/id/CNILTEXT000099000001"]);
    }

    #[test]
    fn sections_by_level_two_heading_and_pre_blocks() {
        let page = "intro\n==English Summary==\n===Facts===\nThe '''invented''' company [[Invented SA|IS]] kept\npasswords in clear.<ref>a note</ref>\n\n\
                    ===Holding===\n* A fine of 150,000 EUR.\n==Comment==\nnot ours\n\
                    == English Machine Translation of the Decision ==\nAn unchecked machine translation follows.\n<pre>\nDeliberation SAN-2099-001\n\nThe restricted committee &amp; its rapporteur.\n</pre>\n";
        let (summary, paragraphs) = section(page, "English Summary", false);
        assert_eq!(summary, "Facts\n\nThe invented company IS kept passwords in clear.\n\nHolding\n\nA fine of 150,000 EUR.");
        assert_eq!(paragraphs.len(), 4);
        let (translation, _) = section(page, "English Machine Translation of the Decision", true);
        assert_eq!(translation, "Deliberation SAN-2099-001\n\nThe restricted committee & its rapporteur.");
        assert_eq!(section(page, "Absent", false).0, "");
    }

    #[test]
    fn markup_reads_as_the_page_shows_it() {
        assert_eq!(plain("see [https://example.org the page] and [[Article 5 GDPR#1a|Article 5(1)(a) GDPR]]"), "see the page and Article 5(1)(a) GDPR");
        assert_eq!(plain("a{{small|b}}c <span class=\"x\">d</span> &lt;e&gt;"), "ac d <e>");
        assert_eq!(heading("== English Summary ==", 2), Some("English Summary"));
        assert_eq!(heading("===Facts===", 2), None);
        assert_eq!(heading("===Facts===", 3), Some("Facts"));
        assert_eq!(page_name("dir/CNIL_(France)_-_SAN-2099-001.wiki").as_deref(), Some("CNIL (France) - SAN-2099-001"));
    }
}
