//! Decision summaries as HTML: Markdown through pulldown-cmark, then ammonia, so that only
//! harmless markup and http(s) links survive. ammonia parses with html5ever, whose cost grows
//! with nesting (a crafted summary took 1.2 s), so each distinct summary is sanitised once and
//! kept, keyed by its content's hash; and markup nested deeper than ingest accepts is shown as
//! plain text instead of being parsed at all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::ingest::check_html_nesting;

use super::api::xml_escape;

/// Bytes of sanitised HTML kept; beyond, the cache starts over (summaries are a few KiB).
const MAX_CACHED_BYTES: usize = 16 << 20;

#[derive(Default)]
pub struct SummaryCache {
    entries: Mutex<Cached>,
}

#[derive(Default)]
struct Cached {
    html: HashMap<[u8; 32], Arc<str>>,
    bytes: usize,
}

impl SummaryCache {
    /// The sanitised HTML of `markdown`, computed on first use.
    pub fn html(&self, markdown: &str) -> String {
        let key: [u8; 32] = Sha256::digest(markdown.as_bytes()).into();
        if let Some(hit) = self.lock().html.get(&key) {
            return hit.to_string();
        }
        let html: Arc<str> = summary_html(markdown).into();
        let mut cached = self.lock();
        if cached.bytes + html.len() > MAX_CACHED_BYTES {
            *cached = Cached::default();
        }
        cached.bytes += html.len();
        cached.html.insert(key, html.clone());
        html.to_string()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cached> {
        // The map is valid after any panic (insertions are whole), so a poisoned lock is usable.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().html.len()
    }
}

/// Images are dropped: a summary has none of its own, and an image is a request to a third
/// party from every reader's browser.
pub fn summary_html(markdown: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(markdown));
    if check_html_nesting(&out).is_err() {
        return format!("<p>{}</p>", xml_escape(markdown));
    }
    ammonia::Builder::default()
        .url_schemes(["http", "https"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .rm_tags(["img"])
        .clean(&out)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_lose_scripts_javascript_links_and_images() {
        let html = summary_html("**Fine** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://cnil.fr) <img src=x onerror=alert(1)> ![t](https://tracker.example/p.gif)");
        assert!(html.contains("<strong>Fine</strong>"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<img") && !html.contains("tracker.example"), "{html}");
        assert!(html.contains("href=\"https://cnil.fr\""), "{html}");
    }

    #[test]
    fn a_deeply_nested_summary_is_shown_as_text_without_parsing() {
        let crafted = format!("{}x", "> ".repeat(5_000));
        let html = summary_html(&crafted);
        assert!(html.starts_with("<p>&gt; &gt; ") && !html.contains("<blockquote"), "{}", &html[..80]);
    }

    #[test]
    fn each_summary_is_sanitised_once() {
        let cache = SummaryCache::default();
        let a = cache.html("**a** <script>x</script>");
        assert_eq!(cache.html("**a** <script>x</script>"), a);
        assert_eq!(cache.len(), 1);
        cache.html("*b*");
        assert_eq!(cache.len(), 2);
    }
}
