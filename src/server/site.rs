//! Where the server is published: the public origin of absolute links (the Atom feed's ids
//! and links; the Host header is never trusted for them) and the index directory whose
//! `CURRENT` file dates the generation served.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// An `http(s)://host[:port][/prefix]` origin, without a trailing slash, query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let url = s.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or("must start with http:// or https://")?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)) {
            return Err("needs a plain host name (letters, digits, dots, dashes, a port)".into());
        }
        if !path.chars().all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c)) {
            return Err("the path may hold only letters, digits, - . _ ~ and /".into());
        }
        Ok(PublicUrl(url.to_string()))
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone)]
pub struct Site {
    pub public_url: PublicUrl,
    /// The store's directory; without it responses carry no `Last-Modified`.
    pub index_dir: Option<PathBuf>,
}

impl Default for Site {
    /// A site on this machine: what tests and a bare `app(state)` get.
    fn default() -> Self {
        Site { public_url: PublicUrl("http://localhost".into()), index_dir: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_plain_origins() {
        assert_eq!("https://recueil.example/".parse::<PublicUrl>().unwrap().as_str(), "https://recueil.example");
        assert_eq!("http://[::1]:8080/cnil".parse::<PublicUrl>().unwrap().as_str(), "http://[::1]:8080/cnil");
        for bad in ["recueil.example", "ftp://x", "https://", "https://a\"><x", "https://a/b?c=d", "https://a/#x"] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
    }
}
