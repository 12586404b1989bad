//! What the process and its machine say of themselves: CPU time, load, resident memory, and
//! the files of a directory.

use std::path::Path;

use crate::{Error, Result};

pub(super) fn ensure_empty(dir: &Path) -> Result<()> {
    let mut entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    if entries.next().is_some() {
        return Err(Error::InvalidParameter {
            name: "index-dir",
            reason: format!("{} is not empty; the benchmark writes a fresh store there", dir.display()),
        });
    }
    Ok(())
}

pub(super) fn dir_size(dir: &Path) -> Result<u64> {
    Ok(files_and_bytes(dir)?.1)
}

/// Files under `dir` (recursively) and their total size.
pub(super) fn files_and_bytes(dir: &Path) -> Result<(usize, u64)> {
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let meta = entry.metadata().map_err(|e| Error::io(entry.path(), e))?;
        if meta.is_dir() {
            let (f, b) = files_and_bytes(&entry.path())?;
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += meta.len();
        }
    }
    Ok((files, bytes))
}

/// User + system CPU time of the whole process (every thread), from `/proc/self/stat`,
/// whose times are in USER_HZ ticks, 100 per second on Linux whatever the kernel's HZ.
pub(super) fn cpu_seconds() -> Result<f64> {
    let path = Path::new("/proc/self/stat");
    let stat = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    // The command name (field 2) may hold spaces; the fields after its ')' are 3, 4, … so
    // utime (14) and stime (15) are the 12th and 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
    match (tick(11), tick(12)) {
        (Some(user), Some(system)) => Ok((user + system) as f64 / 100.0),
        _ => Err(Error::NotFound("utime and stime in /proc/self/stat".into())),
    }
}

pub(super) fn load_average() -> Result<f64> {
    let path = Path::new("/proc/loadavg");
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Error::NotFound("load average in /proc/loadavg".into()))
}

/// A `kB` line of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes.
pub(super) fn proc_status_bytes(key: &str) -> Result<u64> {
    let path = Path::new("/proc/self/status");
    let status = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .ok_or_else(|| Error::NotFound(format!("{key} in /proc/self/status")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn reads_its_own_resident_memory() {
        let rss = proc_status_bytes("VmRSS").unwrap();
        assert!(rss > 1 << 20 && rss <= proc_status_bytes("VmHWM").unwrap());
    }

    #[test]
    fn counts_its_own_cpu_time() {
        // Spin until the process has used 50 ms of CPU; on a loaded machine that takes longer
        // than 50 ms of wall time, never 10 s.
        let before = cpu_seconds().unwrap();
        let t = Instant::now();
        let mut x = 0u64;
        while cpu_seconds().unwrap() - before < 0.05 {
            assert!(t.elapsed() < Duration::from_secs(10), "cpu time does not grow");
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
        assert!(cpu_seconds().unwrap() - before < 10.0);
    }

    #[test]
    fn refuses_a_directory_that_holds_something() {
        let dir = tempfile::tempdir().unwrap();
        assert!(ensure_empty(dir.path()).is_ok());
        assert!(ensure_empty(&dir.path().join("missing")).is_ok());
        std::fs::write(dir.path().join("CURRENT"), "gen-1").unwrap();
        assert!(ensure_empty(dir.path()).is_err());
    }

}
