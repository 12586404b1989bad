//! GDPRhub decision pages (MediaWiki HTML), parsed with scraper into the parts of a
//! [`Page`]: the infobox rows, the "English Summary" section, the `<pre>` block of the
//! "English Machine Translation of the Decision" section, the page's heading.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::gdprhub_page::Page;
use super::nesting::check_html_nesting;
use super::TextBuilder;
use crate::record::{Record, Source};

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

static INFOBOX: LazyLock<Selector> = LazyLock::new(|| selector("table.wikitable"));
static ROW: LazyLock<Selector> = LazyLock::new(|| selector("tr"));
static CELL: LazyLock<Selector> = LazyLock::new(|| selector("td"));
static LINK: LazyLock<Selector> = LazyLock::new(|| selector("a"));
static HEADING: LazyLock<Selector> = LazyLock::new(|| selector("h1#firstHeading, title"));
static HEADLINE: LazyLock<Selector> = LazyLock::new(|| selector("span.mw-headline"));
static CONTENT: LazyLock<Selector> = LazyLock::new(|| selector("div.mw-parser-output"));

pub(super) fn parse(html: &str, source: Source) -> Result<Record, String> {
    check_html_nesting(html)?;
    let doc = Html::parse_document(html);
    let infobox = doc.select(&INFOBOX).next().ok_or("html page has no GDPRhub infobox (table.wikitable)")?;
    let content = doc.select(&CONTENT).next().ok_or("html page has no article body (div.mw-parser-output)")?;
    Page {
        infobox: infobox_rows(infobox),
        summary: section_text(content, "English_Summary", false),
        translation: section_text(content, "English_Machine_Translation_of_the_Decision", true),
        heading: doc.select(&HEADING).next().map(|h| squash(&h.text().collect::<String>()).trim_end_matches(" - GDPRhub").to_string()),
    }
    .record(source)
}

/// Infobox rows `label:` → (value text, link targets or, for "Relevant Law", link texts).
fn infobox_rows(infobox: ElementRef<'_>) -> BTreeMap<String, (String, Vec<String>)> {
    let mut rows = BTreeMap::new();
    for row in infobox.select(&ROW) {
        let cells: Vec<ElementRef<'_>> = row.select(&CELL).collect();
        let [label, value] = cells.as_slice() else { continue };
        let label = squash(&label.text().collect::<String>());
        let Some(label) = label.strip_suffix(':') else { continue };
        let links: Vec<String> = if label == "Relevant Law" {
            value.select(&LINK).map(|a| squash(&a.text().collect::<String>())).collect()
        } else {
            value.select(&LINK).filter_map(|a| a.value().attr("href").map(String::from)).collect()
        };
        rows.insert(label.to_string(), (squash(&value.text().collect::<String>()), links));
    }
    rows
}

/// Text of the section under the `<h2>` whose headline has `id`, up to the next `<h2>`.
/// `pre_only` keeps only `<pre>` blocks (the translation section also holds a disclaimer).
fn section_text(content: ElementRef<'_>, id: &str, pre_only: bool) -> (String, Vec<crate::record::Span>) {
    let mut out = TextBuilder::default();
    let mut inside = false;
    for child in content.children().filter_map(ElementRef::wrap) {
        let name = child.value().name();
        if name == "h2" {
            inside = child.select(&HEADLINE).any(|s| s.value().id() == Some(id));
            continue;
        }
        if !inside {
            continue;
        }
        match name {
            "pre" => out.push_plain(&child.text().collect::<String>()),
            _ if pre_only => {}
            "h3" | "h4" | "p" | "ul" | "ol" | "blockquote" => {
                for line in child.text().collect::<String>().split('\n') {
                    out.push(line);
                    out.push(" ");
                }
                out.end_paragraph();
            }
            _ => {}
        }
    }
    out.finish()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
