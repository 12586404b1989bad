//! DILA `.tar.gz` archives (`Freemium_cnil_global_*.tar.gz`, `CNIL_YYYYMMDD-HHMMSS.tar.gz`),
//! streamed member by member: nothing is unpacked to disk, and every member is read from
//! memory by the same adapters as a file.
//!
//! The tar crate's `unpack` skips `..` members and re-roots absolute ones without a word; we
//! never unpack, and iterate the entries ourselves so that each refused member is reported.
//! Decompression is bounded per member, per archive and by the compression ratio, so a gzip
//! bomb costs bounded time and memory.

use std::cell::{Cell, RefCell};
use std::io::{self, Read};
use std::rc::Rc;

use flate2::read::GzDecoder;

use super::{too_big, Batch, Kind, Progress, MAX_FILE_BYTES};

/// Largest member, as its header declares it; a bigger one stops the archive (skipping it
/// would still decompress it).
pub const MAX_MEMBER_BYTES: u64 = 64 * 1024 * 1024;
/// Decompressed bytes read from one archive (the full CNIL stock is far below this).
pub const MAX_ARCHIVE_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Largest decompressed/compressed ratio, checked once this many bytes came out.
pub const MAX_RATIO: u64 = 100;
const RATIO_GRACE_BYTES: u64 = 1024 * 1024;

/// Counts the compressed bytes read from the file.
struct CountIn<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for CountIn<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Fails the stream once the archive's caps are exceeded, and remembers why: the tar crate
/// rewraps io errors, so the reason is read back from `tripped`, not from the error.
struct Bounded<R> {
    inner: R,
    compressed: Rc<Cell<u64>>,
    out: u64,
    tripped: Rc<RefCell<Option<String>>>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let reason = if self.out > MAX_ARCHIVE_BYTES {
            Some(format!("decompressed size over the {} MiB archive limit", MAX_ARCHIVE_BYTES >> 20))
        } else if self.out > RATIO_GRACE_BYTES && self.out > MAX_RATIO * self.compressed.get().max(1) {
            Some(format!("compression ratio over {MAX_RATIO}:1 (decompression bomb)"))
        } else {
            None
        };
        if let Some(reason) = reason {
            *self.tripped.borrow_mut() = Some(reason.clone());
            return Err(io::Error::other(reason));
        }
        Ok(n)
    }
}

/// Reads every member of the archive at `shown` into `batch`. Refused members are rejected as
/// `archive!member`; a fault in the archive itself stops it, keeping the members read so far.
pub(super) fn read(shown: &str, file: impl Read, batch: &mut Batch, progress: &dyn Progress) {
    let compressed = Rc::new(Cell::new(0));
    let tripped = Rc::new(RefCell::new(None));
    let stream = Bounded {
        inner: GzDecoder::new(CountIn { inner: io::BufReader::new(file), count: compressed.clone() }),
        compressed,
        out: 0,
        tripped: tripped.clone(),
    };
    let mut archive = tar::Archive::new(stream);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(e) => return batch.reject(shown, format!("not a tar archive: {e}")),
    };
    let mut members = 0usize;
    for entry in entries {
        let fault = |e: io::Error, members: usize| match tripped.borrow().clone() {
            Some(reason) => format!("stopped after {members} members: {reason}"),
            None => format!("truncated or corrupt archive after {members} members: {e}"),
        };
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => return batch.reject(shown, fault(e, members)),
        };
        members += 1;
        let raw_path = entry.path_bytes().into_owned();
        let member = String::from_utf8_lossy(&raw_path).into_owned();
        let path = format!("{shown}!{member}");
        progress.source_read(&path);
        if let Some(reason) = refuse_member(&entry, &raw_path) {
            batch.reject(path, reason);
            continue;
        }
        let size = entry.size();
        if size > MAX_MEMBER_BYTES {
            return batch.reject(
                shown,
                format!("stopped at member {member}: it declares {size} bytes, over the {} MiB member limit", MAX_MEMBER_BYTES >> 20),
            );
        }
        if !is_regular(entry.header().entry_type()) || Kind::by_extension(&member) != Some(Kind::Dila) {
            continue;
        }
        if size > MAX_FILE_BYTES {
            batch.reject(path, too_big(size));
            continue;
        }
        let mut bytes = Vec::with_capacity(size as usize);
        if let Err(e) = (&mut entry).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
            return batch.reject(shown, fault(e, members - 1));
        }
        batch.add_bytes(&path, &path, &bytes);
    }
}

/// Why a member must not be read: an escaping path, a link, a special file.
fn refuse_member<R: Read>(entry: &tar::Entry<'_, R>, raw_path: &[u8]) -> Option<String> {
    let kind = entry.header().entry_type();
    let target = || {
        entry
            .link_name_bytes()
            .map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_default()
    };
    if raw_path.starts_with(b"/") {
        return Some("absolute path refused".into());
    }
    if raw_path.split(|&b| b == b'/' || b == b'\\').any(|part| part == b"..") {
        return Some("path with '..' refused".into());
    }
    if std::str::from_utf8(raw_path).is_err() {
        return Some("member path is not valid UTF-8".into());
    }
    if kind.is_symlink() {
        return Some(format!("symbolic link (to {}) refused", target()));
    }
    if kind.is_hard_link() {
        return Some(format!("hard link (to {}) refused", target()));
    }
    if !(is_regular(kind) || kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions()) {
        return Some(format!("special member (tar type {:?}) refused", kind.as_byte() as char));
    }
    None
}

fn is_regular(kind: tar::EntryType) -> bool {
    kind.is_file() || kind.is_contiguous()
}
