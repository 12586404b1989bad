//! Plain text (`.txt`): a decision's text as copied from Légifrance or from a PDF. Metadata is
//! only what the opening lines announce (the decision number, a `CNILTEXT` id); the extractor
//! reads the rest.

use super::{cnil_text_record, number_in_head, TextBuilder, LEGIFRANCE_ID_RE};
use crate::record::{Record, Source};

pub(super) fn parse(input: &str, source: Source) -> Result<Record, String> {
    if let Some(c) = input.chars().find(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) {
        return Err(format!("binary content (control character U+{:04X})", c as u32));
    }
    let mut builder = TextBuilder::default();
    builder.push_plain(input);
    let (text, paragraphs) = builder.finish();
    if text.is_empty() {
        return Err("empty file".into());
    }
    let number = number_in_head(&text);
    let head: String = text.chars().take(2000).collect();
    let legifrance_id = LEGIFRANCE_ID_RE.find(&head).map(|m| m.as_str().to_string());
    let title = text[..paragraphs[0].end].chars().take(300).collect::<String>();
    Ok(Record { title: Some(title), ..cnil_text_record(number, legifrance_id, text, paragraphs, source) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_text() {
        // Invented text, hard-wrapped as a PDF copy would be.
        let input = "Délibération de la formation restreinte n° SAN-2099-012 du 1er mars 2099\r\n\
                     concernant la société EXEMPLE, éditrice d'un site de petites annonces\r\n\r\n\
                     La Commission nationale de l'informatique et des libertés, réunie en sa\r\n\
                     formation restreinte composée de cinq membres inventés pour ce test ;\r\n\
                     Vu le règlement (UE) 2016/679 du Parlement européen et du Conseil ;\r\n";
        let r = parse(input, Source { sha256: "b".repeat(64), ..Source::default() }).unwrap();
        assert_eq!(r.id, "cnil-SAN-2099-012");
        assert_eq!(r.facts.nature.as_deref(), Some("Sanction"));
        assert_eq!(r.paragraphs.len(), 2);
        assert!(r.text.contains("du 1er mars 2099 concernant la société EXEMPLE, éditrice d'un site de petites annonces\n\nLa Commission"));
        assert!(r.title.unwrap().starts_with("Délibération de la formation restreinte"));
    }

    #[test]
    fn control_characters_are_binary() {
        let err = parse("abc\u{1}def", Source::default()).unwrap_err();
        assert!(err.contains("U+0001"));
    }
}
