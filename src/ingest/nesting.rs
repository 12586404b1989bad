//! How deep html5ever will nest a page, measured on the raw bytes before it runs. Its tree
//! builder walks the stack of open elements for many tokens (scope checks, end tags), so a
//! deep stack makes parsing quadratic: 40,000 `<div/>` took 6.2 s, 80,000 took 30 s.
//!
//! The scan replays the tree builder's rules where they decide the depth: `<div/>` opens a
//! `div` (the slash only closes elements inside SVG and MathML); an end tag closes only an
//! element it names, and not past a special element (`</i>` inside `<div>` closes nothing);
//! void elements and those that close their own kind (`p`, `li`, `td`…) do not nest; raw text
//! (`script`, `style`, `textarea`…) and comments hold no tags. Where a rule is too intricate to
//! replay (misnested formatting elements, tables), the scan counts deeper, never shallower.
//! Besides the depth, it bounds the work: the open elements summed over every tag.

use super::MAX_HTML_DEPTH;

/// Never pushed: void elements, and those whose start tag closes the previous one of their
/// kind, so that they do not nest without a counted element between them.
const NO_NEST: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "tbody",
    "thead", "tfoot", "html", "head", "body", "colgroup",
];

/// html5ever's special elements (an end tag walking down the stack stops at them), and the
/// SVG and MathML integration points, which stop it as well.
const SPECIAL: &[&str] = &[
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br",
    "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed",
    "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
    "head", "header", "hgroup", "hr", "html", "iframe", "img", "input", "isindex", "li", "link", "listing", "main",
    "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext",
    "pre", "script", "section", "select", "source", "style", "summary", "table", "tbody", "td", "template",
    "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp", "foreignobject", "desc", "mi",
    "mo", "mn", "ms", "mtext", "annotation-xml",
];

/// Text until their own end tag (scraper parses with scripting on, so `noscript` is one).
const RAW_TEXT: &[&str] = &["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"];

/// Inside SVG or MathML, these start tags leave foreign content first (html5ever pops to the
/// nearest HTML element); `font` is left out, since it breaks out only with some attributes.
const BREAKOUT: &[&str] = &[
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
    "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
];

/// Elements of foreign content under which start tags are HTML again.
const INTEGRATION: &[&str] = &["foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"];

/// Work allowed per byte of input, in open elements passed over; real pages use about one.
const WORK_PER_BYTE: usize = 32;
/// Work allowed beyond that, for a page that opens deep at once (512 nested `<div>` need 131k).
const WORK_ALLOWANCE: usize = 1 << 20;

/// Refuses `html` when html5ever would nest it more than [`MAX_HTML_DEPTH`] elements deep, or
/// when its tags would make the tree builder walk too many open elements in all.
pub fn check_html_nesting(html: &str) -> Result<(), String> {
    let max_depth = MAX_HTML_DEPTH;
    let bytes = html.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let (mut i, mut work) = (0usize, 0usize);
    while let Some(off) = find_byte(b'<', &bytes[i..]) {
        i += off + 1;
        let Some(&next) = bytes.get(i) else { break };
        work += stack.len() + 1;
        // Against the bytes read so far, so that a hostile page is refused at once, not after
        // the scan has itself walked the whole budget of a 20 MiB page.
        if work > WORK_PER_BYTE.saturating_mul(i).saturating_add(WORK_ALLOWANCE) {
            return Err(format!("html too misnested to parse: over {WORK_PER_BYTE} open elements walked per byte"));
        }
        if bytes[i..].starts_with(b"!--") {
            // `<!-->` and `<!--->` are whole comments too.
            i = find(bytes, i + 1, b"-->").unwrap_or(bytes.len());
            continue;
        }
        if matches!(next, b'!' | b'?') || (next == b'/' && !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)) {
            // Doctype, bogus comment, `</>`: up to the next `>`.
            i = find_byte(b'>', &bytes[i..]).map_or(bytes.len(), |p| i + p + 1);
            continue;
        }
        let closing = next == b'/';
        let start = if closing { i + 1 } else { i };
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue; // a `<` in text
        }
        let end = start + bytes[start..].iter().position(|b| is_space(*b) || *b == b'/' || *b == b'>').unwrap_or(bytes.len() - start);
        let Some((tag_end, self_closing)) = tag_end(bytes, end) else { break };
        let name = Name::of(&bytes[start..end]);
        i = tag_end;
        let foreign = stack.last().is_some_and(|o| o.foreign && !o.integration);
        if closing {
            close(&mut stack, bytes, &bytes[start..end], &name);
            continue;
        }
        if foreign && name.is_in(BREAKOUT) {
            while stack.last().is_some_and(|o| o.foreign && !o.integration) {
                stack.pop();
            }
        } else if foreign {
            if !self_closing {
                stack.push(Open { start, end, special: false, foreign: true, integration: name.is_in(INTEGRATION) });
            }
            if stack.len() > max_depth {
                return Err(too_deep(max_depth));
            }
            continue;
        }
        if name.is_in(NO_NEST) {
            continue;
        }
        if name.is("plaintext") {
            break; // the rest of the page is text
        }
        if !foreign && name.is_in(RAW_TEXT) {
            i = raw_text_end(bytes, i, &bytes[start..end]);
            continue;
        }
        let enters_foreign = name.is("svg") || name.is("math");
        if enters_foreign && self_closing {
            continue;
        }
        stack.push(Open { start, end, special: name.is_in(SPECIAL), foreign: enters_foreign, integration: false });
        if stack.len() > max_depth {
            return Err(too_deep(max_depth));
        }
    }
    Ok(())
}

fn too_deep(max_depth: usize) -> String {
    format!("html nested more than {max_depth} levels deep, over the limit")
}

/// An element on the stack: where its name lies in the input, and what kind it is.
struct Open {
    start: usize,
    end: usize,
    special: bool,
    foreign: bool,
    integration: bool,
}

/// A tag name, lower-cased when short enough to be one of the names the scan knows.
struct Name([u8; 16], usize);

impl Name {
    fn of(raw: &[u8]) -> Name {
        let mut buf = [0u8; 16];
        if raw.len() <= buf.len() {
            for (d, s) in buf.iter_mut().zip(raw) {
                *d = s.to_ascii_lowercase();
            }
            return Name(buf, raw.len());
        }
        Name(buf, usize::MAX)
    }

    fn is(&self, known: &str) -> bool {
        self.0.get(..self.1).is_some_and(|n| n == known.as_bytes())
    }

    fn is_in(&self, set: &[&str]) -> bool {
        set.iter().any(|k| self.is(k))
    }
}

/// An end tag closes the nearest open element of its name, with everything above it, unless a
/// special element lies in between; `</form>` only removes the form (its children stay open),
/// so it is never counted as closing anything.
fn close(stack: &mut Vec<Open>, bytes: &[u8], raw: &[u8], name: &Name) {
    if name.is("form") || name.is_in(NO_NEST) {
        return;
    }
    for k in (0..stack.len()).rev() {
        let o = &stack[k];
        if bytes[o.start..o.end].eq_ignore_ascii_case(raw) {
            stack.truncate(k);
            return;
        }
        if o.special || o.integration {
            return;
        }
    }
}

/// From the end of a tag name, the position after the tag's `>` and whether it ended in `/>`;
/// quoted attribute values may hold `>`. `None` when the input ends inside the tag.
fn tag_end(bytes: &[u8], mut i: usize) -> Option<(usize, bool)> {
    loop {
        while bytes.get(i).is_some_and(|b| is_space(*b)) {
            i += 1;
        }
        match *bytes.get(i)? {
            b'>' => return Some((i + 1, false)),
            b'/' => {
                if bytes.get(i + 1) == Some(&b'>') {
                    return Some((i + 2, true));
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // An attribute name (its first character may be `=`), then maybe `=` and a value.
        i += 1;
        while bytes.get(i).is_some_and(|b| !is_space(*b) && !matches!(b, b'/' | b'>' | b'=')) {
            i += 1;
        }
        while bytes.get(i).is_some_and(|b| is_space(*b)) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(|b| is_space(*b)) {
            i += 1;
        }
        match *bytes.get(i)? {
            q @ (b'"' | b'\'') => i += 1 + find_byte(q, &bytes[i + 1..])? + 1,
            _ => {
                while bytes.get(i).is_some_and(|b| !is_space(*b) && *b != b'>') {
                    i += 1;
                }
            }
        }
    }
}

/// Where the raw text of element `name` ends: at `</name` followed by a space, `/` or `>`.
/// Script data has html5ever's escapes: after `<!--`, a `<script` makes the next `</script`
/// end only the escape, until `-->`.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let tag_at = |at: usize, closing: bool| {
        let rest = &bytes[at..];
        let skip = if closing { 2 } else { 1 };
        rest.starts_with(if closing { b"</" } else { b"<" })
            && rest.len() >= skip + name.len()
            && rest[skip..skip + name.len()].eq_ignore_ascii_case(name)
            && rest.get(skip + name.len()).is_none_or(|b| is_space(*b) || matches!(b, b'/' | b'>'))
    };
    let script = name.eq_ignore_ascii_case(b"script");
    // 0: data, 1: escaped (after `<!--`), 2: double escaped (after `<script` inside an escape).
    let (mut state, mut j) = (0u8, from);
    while j < bytes.len() {
        let rest = &bytes[j..];
        match state {
            0 if script && rest.starts_with(b"<!--") => {
                state = 1;
                j += 2;
                continue;
            }
            1 | 2 if rest.starts_with(b"-->") => {
                state = 0;
                j += 3;
                continue;
            }
            0 | 1 if tag_at(j, true) => return j,
            1 if tag_at(j, false) => state = 2,
            2 if tag_at(j, true) => state = 1,
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Position after the first `needle` at or after `from`.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(html: &str) -> bool {
        check_html_nesting(html).is_ok()
    }

    /// `n` repetitions of `unit`, just past the limit and far past it.
    fn refused(unit: &str) -> bool {
        [MAX_HTML_DEPTH + 1, 40_000].iter().all(|n| !ok(&unit.repeat(*n)))
    }

    #[test]
    fn real_shapes_pass() {
        assert!(ok("<html><body><div><div><p>x<p>y</div></div></body></html>"));
        assert!(ok("<div><br/><img src=x><script>if (a<b) {}</script><!-- <div> --></div>"));
        assert!(ok(&"<div>".repeat(MAX_HTML_DEPTH)));
        assert!(ok(&"<span>a</span>".repeat(50_000)));
        assert!(ok(&"<li>item<p>para".repeat(50_000)));
        assert!(ok(&"<svg><path d='M0 0'/><g/></svg>".repeat(10_000)));
        assert!(ok(&format!("<table>{}</table>", "<tr><td>x</td></tr>".repeat(10_000))));
    }

    #[test]
    fn what_html5ever_nests_is_counted() {
        // `/>` does not close a non-void HTML element.
        assert!(refused("<div/>"));
        // A stray end tag closes nothing, and not past a special element.
        assert!(refused("<div></i>"));
        assert!(refused("<span><div></span>"));
        // A quoted `>` does not end the tag, nor hide an end tag in the attribute.
        assert!(refused("<span title=\"></span>\">"));
        // The whole tag name counts: `</span>` does not close `<span-x>`.
        assert!(refused("<span-x></span>"));
        // `</form>` removes only the form.
        assert!(refused("<form><b></form>"));
        // Raw text ends at its own end tag only; an escaped script hides `</script>`.
        assert!(refused("<div><script></scriptx></div></script>"));
        assert!(refused("<div><script><!--<script></script></div>--></script>"));
        assert!(refused("<div><noscript></div></noscript>"));
        // Inside SVG, `<style>` is not raw text and `<td>` nests.
        assert!(!ok(&format!("<svg><style>{}", "<div>".repeat(MAX_HTML_DEPTH + 1))));
        assert!(!ok(&format!("<svg>{}", "<td>".repeat(MAX_HTML_DEPTH + 1))));
        // An integration point stops an end tag as a special element does.
        assert!(refused("<span><svg><foreignObject><b></span>"));
    }

    #[test]
    fn work_is_bounded() {
        // Just under the depth limit, then end tags that walk the whole stack for nothing.
        let html = format!("<div>{}{}", "<span>".repeat(MAX_HTML_DEPTH - 2), "</x>".repeat(100_000));
        assert!(check_html_nesting(&html).unwrap_err().contains("misnested"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(html in "(<[a-zA-Z/!-]{0,6}|>|/>|['\"=]| |[a-z]{1,3}){0,200}") {
            let _ = check_html_nesting(&html);
        }
    }
}
