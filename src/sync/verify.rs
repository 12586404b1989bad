//! Checks a downloaded archive before anything of it is applied: gzip integrity (the CRC at the
//! end of the stream), tar structure, safe member paths, bounded sizes, and the schema of every
//! XML member (a `TEXTE_CNIL` whose `ID` names the file). Reads the deletion list on the way.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Component, Path};
use std::sync::OnceLock;

use flate2::read::GzDecoder;
use regex::Regex;

use super::listing::Kind;
use crate::{Error, Result};

/// DILA's name for the list of texts withdrawn since the previous archive.
pub const DELETION_LIST: &str = "liste_suppression_cnil.dat";
/// Largest member read (engineering notes: XML ≤ 20 MiB each).
const MAX_MEMBER: u64 = 20 << 20;
/// Decompressed bytes allowed per compressed byte (notes: ratio ≤ 100:1); the slack lets tiny
/// archives through, whose 512-byte tar blocks compress far better than text.
const MAX_RATIO: u64 = 100;
const RATIO_SLACK: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// `TEXTE_CNIL` members.
    pub texts: usize,
    /// CNILTEXT ids to remove, in list order, each once.
    pub deletions: Vec<String>,
    /// Non-blank deletion-list lines naming no CNILTEXT id.
    pub unrecognised_deletions: usize,
}

pub fn verify(path: &Path, kind: Kind) -> Result<Verified> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let reject = |reason: String| Error::Rejected { path: name.clone(), reason };
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let compressed = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let cap = compressed.saturating_mul(MAX_RATIO).saturating_add(RATIO_SLACK);
    let decoder = Capped { inner: GzDecoder::new(BufReader::new(file)), left: cap, cap };
    let mut archive = tar::Archive::new(decoder);
    let mut out = Verified { texts: 0, deletions: Vec::new(), unrecognised_deletions: 0 };
    let entries = archive.entries().map_err(|e| reject(format!("corrupt archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| reject(format!("corrupt archive: {e}")))?;
        let member = entry.path().map_err(|e| reject(format!("corrupt archive: {e}")))?.into_owned();
        let shown = member.display().to_string();
        if !member.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
            return Err(reject(format!("unsafe member path {shown}")));
        }
        let etype = entry.header().entry_type();
        if etype.is_dir() {
            continue;
        }
        if !etype.is_file() {
            return Err(reject(format!("{shown}: not a regular file")));
        }
        if entry.size() > MAX_MEMBER {
            return Err(reject(format!("{shown}: {} bytes exceeds the {MAX_MEMBER}-byte member limit", entry.size())));
        }
        let file_name = member.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if file_name.ends_with(".xml") {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).map_err(|e| reject(format!("{shown}: {e}")))?;
            let stem = file_name.trim_end_matches(".xml");
            check_texte_cnil(&xml, stem).map_err(|r| reject(format!("{shown}: {r}")))?;
            out.texts += 1;
        } else if file_name == DELETION_LIST {
            let mut list = String::new();
            entry.read_to_string(&mut list).map_err(|e| reject(format!("{shown}: {e}")))?;
            let (ids, unrecognised) = parse_deletions(&list);
            for id in ids {
                if !out.deletions.contains(&id) {
                    out.deletions.push(id);
                }
            }
            out.unrecognised_deletions += unrecognised;
        }
    }
    // The tar reader stops at the end-of-archive blocks; gzip's CRC and length are only
    // checked once the decoder has read to the end of its stream.
    io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(|e| reject(format!("corrupt archive: {e}")))?;
    if kind == Kind::Global && out.texts == 0 {
        return Err(reject("global archive holds no TEXTE_CNIL member".into()));
    }
    Ok(out)
}

/// `Err(reason)` unless `xml` is a `TEXTE_CNIL` document with a CNILTEXT id equal to `stem`
/// and a text body.
fn check_texte_cnil(xml: &str, stem: &str) -> std::result::Result<(), String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| format!("not well-formed xml: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "TEXTE_CNIL" {
        return Err(format!("root element is <{}>, not <TEXTE_CNIL>", root.tag_name().name()));
    }
    let id = root
        .children()
        .find(|n| n.has_tag_name("META"))
        .and_then(|m| m.children().find(|n| n.has_tag_name("META_COMMUN")))
        .and_then(|m| m.children().find(|n| n.has_tag_name("ID")))
        .and_then(|n| n.text())
        .map(str::trim)
        .ok_or("no META/META_COMMUN/ID")?;
    if !cniltext_re().is_match(id) || id.len() != "CNILTEXT".len() + 12 {
        return Err(format!("id {id:?} is not a CNILTEXT id"));
    }
    if id != stem {
        return Err(format!("id {id} does not match the file name"));
    }
    if !root.descendants().any(|n| n.has_tag_name("CONTENU")) {
        return Err("no BLOC_TEXTUEL/CONTENU".into());
    }
    Ok(())
}

fn cniltext_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"CNILTEXT\d{12}").expect("static regex"))
}

/// Ids named by a deletion list, whose lines are either bare ids or member paths
/// (`cnil/global/CNIL/TEXT/…/CNILTEXT000012345678`, with or without `.xml`); also returns
/// how many non-blank lines named no id.
pub fn parse_deletions(list: &str) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut unrecognised = 0;
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match cniltext_re().find_iter(line).last() {
            Some(m) => ids.push(m.as_str().to_string()),
            None => unrecognised += 1,
        }
    }
    (ids, unrecognised)
}

/// Fails the read once more than `cap` decompressed bytes came out: a gzip bomb stops here.
struct Capped<R> {
    inner: R,
    left: u64,
    cap: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            io::Error::other(format!("decompressed size exceeds {} bytes (100:1 over the archive)", self.cap))
        })?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;

    // Invented TEXTE_CNIL document for these tests.
    fn texte(id: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- invented for recueil tests -->\n<TEXTE_CNIL><META><META_COMMUN><ID>{id}</ID>\
             <NATURE>DELIBERATION</NATURE></META_COMMUN><META_SPEC><META_CNIL><NUMERO>SAN-2099-001</NUMERO>\
             </META_CNIL></META_SPEC></META><BLOC_TEXTUEL><CONTENU><p>Texte inventé.</p></CONTENU></BLOC_TEXTUEL></TEXTE_CNIL>"
        )
    }

    fn tar_gz(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
        for (path, data) in members {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, path, *data).unwrap();
        }
        b.into_inner().unwrap().finish().unwrap()
    }

    fn write(dir: &Path, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.join("CNIL_20250719-000000.tar.gz");
        std::fs::write(&p, bytes).unwrap();
        p
    }

    const ID: &str = "CNILTEXT000099000001";

    #[test]
    fn valid_increment_with_texts_and_deletions() {
        let dir = tempfile::tempdir().unwrap();
        let list = b"CNILTEXT000099000002\n\ncnil/global/CNIL/TEXT/00/00/99/00/00/CNILTEXT000099000003\nCNILTEXT000099000002\ngarbage\n";
        let bytes = tar_gz(&[
            (&format!("20250719-000000/cnil/global/CNIL/TEXT/00/00/99/00/00/{ID}.xml"), texte(ID).as_bytes()),
            ("20250719-000000/liste_suppression_cnil.dat", list),
        ]);
        let v = verify(&write(dir.path(), &bytes), Kind::Increment).unwrap();
        assert_eq!(v.texts, 1);
        assert_eq!(v.deletions, ["CNILTEXT000099000002", "CNILTEXT000099000003"]);
        assert_eq!(v.unrecognised_deletions, 1);
    }

    fn rejection(bytes: &[u8], kind: Kind) -> String {
        let dir = tempfile::tempdir().unwrap();
        match verify(&write(dir.path(), bytes), kind) {
            Err(Error::Rejected { reason, .. }) => reason,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn truncated_and_flipped_archives_are_rejected() {
        let good = tar_gz(&[(&format!("{ID}.xml"), texte(ID).as_bytes())]);
        let truncated = &good[..good.len() - 10];
        assert!(rejection(truncated, Kind::Increment).contains("corrupt archive"));
        let mut flipped = good.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0xff;
        rejection(&flipped, Kind::Increment);
        assert!(rejection(b"not gzip at all", Kind::Increment).contains("corrupt archive"));
    }

    #[test]
    fn schema_violations_are_rejected() {
        let other_root = "<?xml version=\"1.0\"?><TEXTE_JORF><META/></TEXTE_JORF>";
        assert!(rejection(&tar_gz(&[(&format!("{ID}.xml"), other_root.as_bytes())]), Kind::Increment)
            .contains("not <TEXTE_CNIL>"));
        assert!(rejection(&tar_gz(&[("CNILTEXT000099000009.xml", texte(ID).as_bytes())]), Kind::Increment)
            .contains("does not match"));
        let unclosed = &texte(ID)[..200];
        assert!(rejection(&tar_gz(&[(&format!("{ID}.xml"), unclosed.as_bytes())]), Kind::Increment)
            .contains("not well-formed"));
        let dtd = format!("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{}", &texte(ID)[39..]);
        rejection(&tar_gz(&[(&format!("{ID}.xml"), dtd.as_bytes())]), Kind::Increment);
    }

    #[test]
    fn empty_global_is_rejected_but_empty_increment_is_not() {
        let empty = tar_gz(&[("README", b"nothing here")]);
        assert!(rejection(&empty, Kind::Global).contains("no TEXTE_CNIL"));
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(verify(&write(dir.path(), &empty), Kind::Increment).unwrap().texts, 0);
    }

    #[test]
    fn unsafe_paths_and_links_are_rejected() {
        let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, "CNILTEXT000099000001.xml", "/etc/passwd").unwrap();
        let link = b.into_inner().unwrap().finish().unwrap();
        assert!(rejection(&link, Kind::Increment).contains("not a regular file"));

        // tar::Builder refuses `..`, so the header name is written by hand.
        let mut h = tar::Header::new_old();
        h.as_old_mut().name[..14].copy_from_slice(b"../escape.xml\0");
        h.set_size(0);
        h.set_cksum();
        let mut raw = h.as_bytes().to_vec();
        raw.extend_from_slice(&[0u8; 1024]);
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        io::Write::write_all(&mut gz, &raw).unwrap();
        assert!(rejection(&gz.finish().unwrap(), Kind::Increment).contains("unsafe member path"));
    }

    #[test]
    fn gzip_bomb_stops_at_the_ratio_cap() {
        let zeros = vec![0u8; 100 << 20];
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        io::Write::write_all(&mut gz, &zeros).unwrap();
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        assert!(rejection(&bomb, Kind::Increment).contains("decompressed size exceeds"));
    }
}
