//! `recueil.toml`: defaults for the flags. A value given on the command line wins over the
//! environment, which wins over the file, which wins over the built-in default; the file's
//! values become clap's defaults, so clap applies that order and checks them like flags.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Error, Result};

pub const FILE_NAME: &str = "recueil.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    index_dir: Option<PathBuf>,
    #[serde(default)]
    serve: Serve,
    #[serde(default)]
    search: Search,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Serve {
    addr: Option<String>,
    engine_queue: Option<u16>,
    public_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Search {
    limit: Option<u16>,
    sort: Option<String>,
}

impl Config {
    /// The file named by `--config`/`RECUEIL_CONFIG` (which must exist), else the first of
    /// `./recueil.toml` and the user's `recueil/recueil.toml` that exists, else no file.
    pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
        if let Some(path) = explicit {
            return Some(path.to_path_buf());
        }
        let user = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .map(|d| d.join("recueil").join(FILE_NAME));
        std::iter::once(PathBuf::from(FILE_NAME)).chain(user).find(|p| p.is_file())
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text).map_err(|reason| Error::InvalidParameter {
            name: "config",
            reason: format!("{}: {reason}", path.display()),
        })
    }

    fn parse(text: &str) -> std::result::Result<Config, String> {
        toml::from_str(text).map_err(|e| e.message().to_lowercase())
    }

    /// `cmd` with this file's values as the defaults of the flags they stand for.
    pub fn apply(&self, mut cmd: clap::Command) -> clap::Command {
        fn set(cmd: clap::Command, sub: Option<&str>, arg: &'static str, value: Option<OsString>) -> clap::Command {
            let Some(value) = value else { return cmd };
            match sub {
                None => cmd.mut_arg(arg, |a| a.default_value(value)),
                Some(sub) => cmd.mut_subcommand(sub, |s| s.mut_arg(arg, |a| a.default_value(value))),
            }
        }
        let text = |v: &Option<String>| v.clone().map(OsString::from);
        let number = |v: Option<u16>| v.map(|n| OsString::from(n.to_string()));
        cmd = set(cmd, None, "index_dir", self.index_dir.clone().map(OsString::from));
        cmd = set(cmd, Some("serve"), "addr", text(&self.serve.addr));
        cmd = set(cmd, Some("serve"), "engine_queue", number(self.serve.engine_queue));
        cmd = set(cmd, Some("serve"), "public_url", text(&self.serve.public_url));
        cmd = set(cmd, Some("search"), "limit", number(self.search.limit));
        set(cmd, Some("search"), "sort", text(&self.search.sort))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_refused() {
        assert!(Config::parse("index_dir = \"x\"\n[serve]\naddr = \"127.0.0.1:1\"\n").is_ok());
        let e = Config::parse("[serve]\nadress = \"x\"\n").unwrap_err();
        assert!(e.contains("unknown field"), "{e}");
        assert!(Config::parse("[search]\nlimit = \"ten\"\n").is_err());
    }
}
