//! DILA/Légifrance CNIL XML (`TEXTE_CNIL`), parsed with roxmltree. A DTD is refused (roxmltree's
//! default, kept on purpose): no entity is ever declared, resolved or expanded.

use chrono::NaiveDate;
use roxmltree::{Document, Node, ParsingOptions};

use super::{normalize_number, TextBuilder};
use crate::record::{Facts, Language, Record, Source};

/// Bounds the DOM a 20 MiB file can build (a real text has a few thousand nodes).
const MAX_NODES: u32 = 2_000_000;

pub(super) fn parse(xml: &str, source: Source) -> Result<Record, String> {
    let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(xml, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => "xml with a DTD refused (entities are never resolved)".to_string(),
        e => format!("malformed xml: {e}"),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "TEXTE_CNIL" {
        return Err(format!("root element is <{}>, not <TEXTE_CNIL>", root.tag_name().name()));
    }
    let field = |name: &str| -> Option<String> {
        let node = root.descendants().find(|n| n.has_tag_name(name))?;
        let value: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        (!value.is_empty()).then_some(value)
    };
    let date = |name: &str| -> Result<Option<NaiveDate>, String> {
        match field(name) {
            // DILA writes 2999-01-01 for "no date".
            Some(v) if v.starts_with("2999") => Ok(None),
            Some(v) => NaiveDate::parse_from_str(&v, "%Y-%m-%d").map(Some).map_err(|_| format!("{name} is not a date: {v:.40}")),
            None => Ok(None),
        }
    };

    let legifrance_id = field("ID").filter(|id| super::LEGIFRANCE_ID_RE.is_match(id));
    let Some(legifrance_id) = legifrance_id else {
        return Err("no CNILTEXT identifier in META_COMMUN/ID".into());
    };
    let contenu = root
        .descendants()
        .find(|n| n.has_tag_name("CONTENU") && n.parent().is_some_and(|p| p.has_tag_name("BLOC_TEXTUEL")))
        .ok_or("no BLOC_TEXTUEL/CONTENU element")?;
    let mut builder = TextBuilder::default();
    walk(contenu, &mut builder, 0)?;
    let (text, paragraphs) = builder.finish();
    if text.is_empty() {
        return Err("CONTENU holds no text".into());
    }

    let number = field("NUMERO").and_then(|n| normalize_number(&n));
    Ok(Record {
        id: Record::derive_id("CNIL", Some(&legifrance_id), number.as_deref(), &source.sha256),
        facts: Facts { number, nature: field("NATURE_DELIB"), date: date("DATE_TEXTE")?, ..Facts::default() },
        legifrance_id: Some(legifrance_id),
        authority: "CNIL".into(),
        published: date("DATE_PUBLI")?,
        title: field("TITREFULL").or_else(|| field("TITRE")),
        language: Language::Fr,
        text,
        paragraphs,
        source,
        ..Record::default()
    })
}

/// Deepest element nesting inside CONTENU walked (real texts nest 3 or 4 levels); deeper input
/// is refused rather than risking the stack.
const MAX_CONTENU_DEPTH: usize = 256;

/// Block elements end a paragraph before and after them; a `<br/>` ends one too, since older
/// DILA texts separate paragraphs with `<br/>` only. Table cells of a row are joined by " | ".
fn walk(node: Node<'_, '_>, out: &mut TextBuilder, depth: usize) -> Result<(), String> {
    if depth > MAX_CONTENU_DEPTH {
        return Err(format!("CONTENU nested deeper than {MAX_CONTENU_DEPTH} levels"));
    }
    for child in node.children() {
        if let Some(text) = child.text().filter(|_| child.is_text()) {
            out.push(text);
            continue;
        }
        if !child.is_element() {
            continue;
        }
        match child.tag_name().name().to_ascii_lowercase().as_str() {
            "br" => out.end_paragraph(),
            "td" | "th" => {
                if child.prev_sibling_element().is_some() {
                    out.push(" | ");
                }
                walk(child, out, depth + 1)?;
            }
            "p" | "div" | "li" | "tr" | "table" | "ul" | "ol" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5"
            | "h6" | "pre" | "dl" | "dt" | "dd" => {
                out.end_paragraph();
                walk(child, out, depth + 1)?;
                out.end_paragraph();
            }
            _ => walk(child, out, depth + 1)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Invented fixture: a minimal TEXTE_CNIL whose CONTENU sits directly under the root.
    const INVENTED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TEXTE_CNIL><META><META_COMMUN><ID>CNILTEXT000099999901</ID><NATURE>DELIBERATION</NATURE></META_COMMUN>
<META_SPEC><META_CNIL><TITREFULL>Délibération SAN-2099-001 inventée</TITREFULL><NUMERO>SAN - 2099-1</NUMERO>
<NATURE_DELIB>Sanction</NATURE_DELIB><DATE_TEXTE>2099-03-04</DATE_TEXTE><DATE_PUBLI>2999-01-01</DATE_PUBLI>
</META_CNIL></META_SPEC></META>
<BLOC_TEXTUEL><CONTENU>Premier <strong>paragraphe</strong><br/>second<p>troisième</p>
<table><tr><td>a</td><td>b</td></tr></table></CONTENU></BLOC_TEXTUEL></TEXTE_CNIL>"#;

    fn source() -> Source {
        Source { sha256: "0".repeat(64), ..Source::default() }
    }

    #[test]
    fn invented_contenu_under_root() {
        let r = parse(INVENTED, source()).unwrap();
        assert_eq!(r.id, "CNILTEXT000099999901");
        assert_eq!(r.facts.number.as_deref(), Some("SAN-2099-001"));
        assert_eq!(r.facts.nature.as_deref(), Some("Sanction"));
        assert_eq!(r.facts.date, NaiveDate::from_ymd_opt(2099, 3, 4));
        assert_eq!(r.published, None);
        assert_eq!(r.text, "Premier paragraphe\n\nsecond\n\ntroisième\n\na | b");
        assert_eq!(r.paragraphs.len(), 4);
    }

    #[test]
    fn hostile_xml_is_refused() {
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><TEXTE_CNIL>&e;</TEXTE_CNIL>"#;
        assert!(parse(dtd, source()).unwrap_err().contains("DTD refused"));
        let truncated = &INVENTED[..INVENTED.len() - 30];
        assert!(parse(truncated, source()).unwrap_err().starts_with("malformed xml"));
        let other_root = r#"<?xml version="1.0"?><html/>"#;
        assert!(parse(other_root, source()).unwrap_err().contains("not <TEXTE_CNIL>"));
        let deep = INVENTED.replace("Premier", &format!("{}x{}", "<span>".repeat(100_000), "</span>".repeat(100_000)));
        assert!(parse(&deep, source()).unwrap_err().contains("CONTENU nested deeper than 256 levels"));
        let no_text = INVENTED.replace("<BLOC_TEXTUEL>", "<X>").replace("</BLOC_TEXTUEL>", "</X>");
        assert!(parse(&no_text, source()).unwrap_err().contains("no BLOC_TEXTUEL/CONTENU"));
    }
}
