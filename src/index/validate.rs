//! Validation of a built index: its document count and every file's checksum.

use std::path::Path;

use tantivy::index::SegmentComponent;

use crate::{Error, Result};

use super::open;

/// Checks that the index in `dir` opens, holds `expected_docs` documents and that every
/// file's checksum is intact.
pub fn validate(dir: &Path, expected_docs: usize) -> Result<()> {
    validate_except(dir, expected_docs, &std::collections::HashSet::new())
}

/// As [`validate`], but the checksums of the files in `checked` (links to files an earlier
/// generation wrote and checked) are not read again.
pub fn validate_except(dir: &Path, expected_docs: usize, checked: &std::collections::HashSet<std::path::PathBuf>) -> Result<()> {
    let (index, _) = open(dir)?;
    let metas = index.load_metas()?;
    // Every component of every segment is listed, also those a segment may lack: deletes (when
    // it has none) and the store of a segment still being written.
    let optional: std::collections::HashSet<std::path::PathBuf> = metas
        .segments
        .iter()
        .flat_map(|s| {
            let deletes = (!s.has_deletes()).then(|| s.relative_path(SegmentComponent::Delete));
            deletes.into_iter().chain([s.relative_path(SegmentComponent::TempStore)])
        })
        .collect();
    let mut damaged = Vec::new();
    for file in metas.list_segment_files().into_iter().filter(|f| !checked.contains(f)) {
        let path = dir.join(&file);
        let intact = if path.exists() { checksum_matches(&path)? } else { optional.contains(&file) };
        if !intact {
            damaged.push(file.display().to_string());
        }
    }
    if !damaged.is_empty() {
        damaged.sort();
        return Err(Error::Index(format!("damaged index files in {}: {}", dir.display(), damaged.join(", "))));
    }
    // A manual reader spawns no meta.json watcher thread, which would keep the files mapped
    // after this returns (and a file rewritten under a live mapping raises SIGBUS).
    let docs = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?.searcher().num_docs();
    if docs != expected_docs as u64 {
        return Err(Error::Index(format!("index in {} holds {docs} documents, expected {expected_docs}", dir.display())));
    }
    Ok(())
}

/// tantivy's footer: `[body][JSON {version, crc}][u32 JSON length][u32 magic]`, little-endian.
const FOOTER_MAGIC: u32 = 1337;
const FOOTER_MAX_JSON: u64 = 50_000;

/// Whether the crc32 of `path`'s body equals the one its tantivy footer records. The file is
/// read in chunks rather than through tantivy's own check, which maps and reads each file
/// whole: at 100k decisions that put a 400 MB segment file in the serving process's memory
/// at every open.
fn checksum_matches(path: &Path) -> Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    #[derive(serde::Deserialize)]
    struct Footer {
        crc: u32,
    }
    let io = |e| Error::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let Some(json_end) = len.checked_sub(8) else { return Ok(false) };
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::Start(json_end)).map_err(io)?;
    file.read_exact(&mut tail).map_err(io)?;
    let json_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    let magic = u32::from_le_bytes([tail[4], tail[5], tail[6], tail[7]]);
    let Some(body_len) = json_end.checked_sub(json_len).filter(|_| magic == FOOTER_MAGIC && json_len <= FOOTER_MAX_JSON)
    else {
        return Ok(false);
    };
    let mut json = vec![0; json_len as usize];
    file.seek(SeekFrom::Start(body_len)).map_err(io)?;
    file.read_exact(&mut json).map_err(io)?;
    let Ok(footer) = serde_json::from_slice::<Footer>(&json) else { return Ok(false) };
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut hasher = crc32fast::Hasher::new();
    let mut body = file.take(body_len);
    let mut chunk = vec![0; 1 << 20];
    loop {
        let n = body.read(&mut chunk).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&chunk[..n]);
    }
    Ok(hasher.finalize() == footer.crc)
}
