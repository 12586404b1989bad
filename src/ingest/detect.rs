//! Which adapter reads a source: by extension, else by content; and the checks every text source
//! passes before its adapter sees it.

use super::{too_big, MAX_FILE_BYTES};

/// Which adapter reads a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Dila,
    Gdprhub,
    GdprhubWikitext,
    Markdown,
    Text,
    TarGz,
}

impl Kind {
    pub(super) fn by_extension(path: &str) -> Option<Kind> {
        let lower = path.to_ascii_lowercase();
        let kind = if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
            Kind::TarGz
        } else if lower.ends_with(".xml") {
            Kind::Dila
        } else if lower.ends_with(".html") || lower.ends_with(".htm") {
            Kind::Gdprhub
        } else if lower.ends_with(".wiki") || lower.ends_with(".wikitext") || lower.ends_with(".mediawiki") {
            Kind::GdprhubWikitext
        } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Kind::Markdown
        } else if lower.ends_with(".txt") {
            Kind::Text
        } else {
            return None;
        };
        Some(kind)
    }

    /// The kind the first bytes announce; `None` for text that could be anything.
    fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            return Some(Kind::TarGz);
        }
        let head = &bytes[..bytes.len().min(1024)];
        let head = String::from_utf8_lossy(head);
        let head = head.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
        if head.starts_with("<?xml") || head.starts_with("<texte_cnil") {
            Some(Kind::Dila)
        } else if head.starts_with("<!doctype html") || head.starts_with("<html") {
            Some(Kind::Gdprhub)
        } else if head.starts_with("{{dpadecisionbox") {
            Some(Kind::GdprhubWikitext)
        } else if head.starts_with("---\n") || head.starts_with("---\r\n") {
            Some(Kind::Markdown)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Dila => "xml",
            Kind::Gdprhub => "html",
            Kind::GdprhubWikitext => "wikitext",
            Kind::Markdown => "markdown",
            Kind::Text => "text",
            Kind::TarGz => "gzip archive",
        }
    }

    /// Extension and content together; a contradiction between them is a rejection.
    pub(super) fn detect(path: &str, bytes: &[u8]) -> std::result::Result<Kind, String> {
        match (Kind::by_extension(path), Kind::sniff(bytes)) {
            // A text may well open with a `---` rule; only Markdown needs it to be front matter.
            (Some(Kind::Text), Some(Kind::Markdown)) => Ok(Kind::Text),
            // A page's source saved as text is still the page.
            (Some(Kind::Text), Some(Kind::GdprhubWikitext)) => Ok(Kind::GdprhubWikitext),
            (Some(ext), Some(content)) if ext != content => {
                Err(format!("extension says {} but the content is {}", ext.name(), content.name()))
            }
            (Some(ext), _) => Ok(ext),
            (None, Some(content)) => Ok(content),
            (None, None) => Err("unrecognised format (expected .xml, .html, .wiki, .md, .txt or .tar.gz)".into()),
        }
    }
}

/// Checks the bytes of a text source and returns them as UTF-8 without a byte-order mark.
pub(super) fn decode(bytes: &[u8]) -> std::result::Result<&str, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file".into());
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err("UTF-16 text (only UTF-8 is read)".into());
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary content (NUL byte at offset {at})"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()))?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}
