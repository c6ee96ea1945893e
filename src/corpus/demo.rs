//! The demo corpus a new user sees when starting with no files: 2,000 generated cables,
//! made by the deterministic generator (so it is the same everywhere) and written once to the
//! cache folder as a `cables.csv`, so it is read like any dump.

use std::io;
use std::path::PathBuf;

use crate::synth::demo_csv;

pub const DEMO_CABLES: usize = 2_000;
const DEMO_SEED: u64 = 1966;

/// The cache folder: `$CABLETRIAGE_CACHE_DIR`, else the platform's (directories), else the
/// system temporary folder.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CABLETRIAGE_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "cabletriage")
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("cabletriage"))
}

/// The demo dump's path, writing it first if it is not there (or not whole).
pub fn demo_corpus() -> io::Result<PathBuf> {
    let bytes = demo_csv(DEMO_CABLES, DEMO_SEED);
    let mut last_error = None;
    for dir in [cache_dir(), std::env::temp_dir().join("cabletriage")] {
        let path = dir.join(format!("demo-{DEMO_CABLES}-{DEMO_SEED}.csv"));
        if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
            return Ok(path);
        }
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            let tmp = path.with_extension("partial");
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, &path)
        });
        match written {
            Ok(()) => return Ok(path),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no folder to write the demo corpus to")))
}
