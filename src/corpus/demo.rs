//! The demo corpus a new user sees when starting with no files: 2,000 generated cables,
//! made by the deterministic generator (so it is the same everywhere) and written once to the
//! cache folder as a `cables.csv`, so it is read like any dump.

use std::io;
use std::path::{Path, PathBuf};

use super::private;
use crate::synth::demo_csv;

pub const DEMO_CABLES: usize = 2_000;
pub const DEMO_SEED: u64 = 1966;

/// The cache folder: `$CABLETRIAGE_CACHE_DIR`, else the platform's per-user one
/// (directories); `None` without either. Never a shared folder such as `/tmp`, where another
/// user could plant files; whether it is private is checked before each use.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CABLETRIAGE_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "cabletriage").map(|d| d.cache_dir().to_path_buf())
}

/// The demo dump's path, writing it first if it is not there (or not whole): in the private
/// cache folder, else in a new private folder of its own in the temporary folder.
pub fn demo_corpus() -> io::Result<PathBuf> {
    let bytes = demo_csv(DEMO_CABLES, DEMO_SEED);
    let name = format!("demo-{DEMO_CABLES}-{DEMO_SEED}.csv");
    let mut last_error = None;
    if let Some(dir) = cache_dir() {
        match write_demo(&dir, &name, &bytes) {
            Ok(path) => return Ok(path),
            Err(e) => last_error = Some(e),
        }
    }
    match fresh_private_dir() {
        Ok(dir) => write_demo(&dir, &name, &bytes),
        Err(e) => Err(last_error.unwrap_or(e)),
    }
}

fn write_demo(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    private::ensure_dir(dir)?;
    let path = dir.join(name);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
        return Ok(path);
    }
    let tmp = dir.join(format!(
        "{name}{}{}",
        private::TEMP_MARK,
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// A folder made now, 0700, under a name nobody had taken: it cannot hold planted files.
fn fresh_private_dir() -> io::Result<PathBuf> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut last_error = None;
    for attempt in 0..16u32 {
        let dir = std::env::temp_dir().join(format!(
            "cabletriage-{}-{nanos:08x}-{attempt}",
            std::process::id()
        ));
        // `create`, not `create_dir_all`: a folder that already exists is someone else's.
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no private folder for the demo corpus")))
}
