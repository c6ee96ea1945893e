//! Where a text index is kept and how one that does not fit the corpus is refused.
//!
//! The index of the corpus opened with `inputs` lives in the cache folder beside the corpus
//! index cache, under the same key: `index-<hash>.bin` and `index-<hash>.text/`. The folder
//! follows the corpus cache's rules ([`crate::corpus::private`]): ours alone, or not used.
//!
//! Documents carry their entry's position in the corpus, so an index is only right for the
//! corpus with exactly those entries in that order. A [`CorpusStamp`] hashes what decides
//! that: the corpus cache key (every file's size, times and inode, and the reader's version)
//! and every entry's id and location. When any file changes or is added, the corpus is read
//! again, positions may shift, the stamp differs, and **every** cable is indexed again (not
//! only the changed file's): a rebuild costs about as long as reading the corpus, and a
//! partial update would have to renumber every document after the change anyway.
//!
//! Beside tantivy's files, the folder holds [`META_FILE`], written last: the format version,
//! tantivy's version, the stamp, the document count and every file's size. An index whose
//! meta file is missing, unreadable, of another version or stamp, or whose files are not the
//! sizes listed is an [`IndexMiss`] and is built again; it is never trusted.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::Corpus;
use crate::corpus::cache::{CacheKey, cache_file, hash64};

/// Bumped when the schema, the tokenizer or the meta file change.
pub const FORMAT_VERSION: u32 = 2;
/// Our record of a whole index, written after tantivy's last commit.
pub const META_FILE: &str = "cabletriage-text.json";

/// What an index was built from (see the module comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CorpusStamp(pub u64);

impl CorpusStamp {
    /// The stamp of `corpus` as read under `key` (taken before the corpus was read, as the
    /// corpus cache does, so a file changed while it is read makes the next stamp differ).
    pub fn new(key: &CacheKey, corpus: &Corpus) -> CorpusStamp {
        // The files by their canonical stamps, not by the paths as typed: `w`, `./w` and
        // `/tmp/w` are one corpus, whose index must not be built again for each spelling.
        let files = postcard::to_stdvec(&key.files).unwrap_or_default();
        let mut h = hash64(FORMAT_VERSION as u64, key.reader.as_bytes());
        h = hash64(h, &files);
        h = hash64(h, &(corpus.files.len() as u64).to_le_bytes());
        h = hash64(h, &(corpus.len() as u64).to_le_bytes());
        for e in corpus.entries.iter() {
            h = hash64(h, e.id.as_bytes());
            let l = e.location;
            let mut at = [0u8; 20];
            at[..4].copy_from_slice(&l.file.to_le_bytes());
            at[4..12].copy_from_slice(&l.row.to_le_bytes());
            at[12..].copy_from_slice(&l.offset.to_le_bytes());
            h = hash64(h, &at);
        }
        CorpusStamp(h)
    }
}

/// Where the text index of `inputs` lives; `None` without a cache folder.
pub fn text_index_dir(inputs: &[PathBuf]) -> Option<PathBuf> {
    let file = cache_file(inputs)?;
    Some(file.with_extension("text"))
}

/// Where an opened index lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// In the cache folder: the next open finds it ready.
    Disk(PathBuf),
    /// In memory only, for this run; the reason says why it is not cached (no cache folder,
    /// one that cannot be written, a full disk).
    Memory(String),
}

/// Why a cached text index was not used. Every case means "build it again".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexMiss {
    Absent,
    /// Built by another version of cabletriage.
    Version(String),
    /// Built from another corpus, or from this one before a file changed.
    Stale,
    /// Not whole (a file missing or cut, an unreadable meta file, tantivy refusing it).
    Damaged(String),
    /// In a folder others could write to.
    Untrusted(String),
}

impl std::fmt::Display for IndexMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexMiss::Absent => write!(f, "no text index yet"),
            IndexMiss::Version(v) => write!(f, "the text index was made by another version ({v})"),
            IndexMiss::Stale => write!(f, "the corpus changed since the text index was made"),
            IndexMiss::Damaged(why) => write!(f, "the text index is damaged: {why}"),
            IndexMiss::Untrusted(why) => write!(f, "the text index is not used: {why}"),
        }
    }
}

/// The contents of [`META_FILE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub format: u32,
    pub tantivy: String,
    pub stamp: CorpusStamp,
    pub documents: u64,
    /// Every file of the index folder but this one, with its size.
    pub files: Vec<(String, u64)>,
}

pub(crate) fn tantivy_version() -> String {
    tantivy::version_string().to_string()
}

impl Meta {
    /// The meta of the index folder `dir` as it is now.
    pub(crate) fn of(dir: &Path, stamp: CorpusStamp, documents: u64) -> io::Result<Meta> {
        Ok(Meta {
            format: FORMAT_VERSION,
            tantivy: tantivy_version(),
            stamp,
            documents,
            files: list_files(dir)?,
        })
    }

    pub(crate) fn write(&self, dir: &Path) -> io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(io::Error::other)?;
        fs::write(dir.join(META_FILE), bytes)
    }

    /// Reads and checks the meta of `dir` against `stamp`; `Ok` means the files are there
    /// whole as far as their sizes tell.
    pub(crate) fn check(dir: &Path, stamp: CorpusStamp) -> Result<Meta, IndexMiss> {
        let bytes = match fs::read(dir.join(META_FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(if dir.exists() {
                    IndexMiss::Damaged(format!("{META_FILE} is missing"))
                } else {
                    IndexMiss::Absent
                });
            }
            Err(e) => return Err(IndexMiss::Damaged(format!("{META_FILE}: {e}"))),
        };
        let meta: Meta = serde_json::from_slice(&bytes)
            .map_err(|e| IndexMiss::Damaged(format!("{META_FILE}: {e}")))?;
        if meta.format != FORMAT_VERSION || meta.tantivy != tantivy_version() {
            return Err(IndexMiss::Version(format!(
                "format {}, {}",
                meta.format, meta.tantivy
            )));
        }
        if meta.stamp != stamp {
            return Err(IndexMiss::Stale);
        }
        for (name, size) in &meta.files {
            // Names are ours, but the file is read from disk: no path may leave the folder.
            if name.contains('/') || name.contains('\\') || name.starts_with('.') {
                return Err(IndexMiss::Damaged(format!("unexpected file name {name:?}")));
            }
            match fs::metadata(dir.join(name)) {
                Ok(m) if m.len() == *size => {}
                Ok(m) => {
                    return Err(IndexMiss::Damaged(format!(
                        "{name} is {} bytes, not {size}",
                        m.len()
                    )));
                }
                Err(e) => return Err(IndexMiss::Damaged(format!("{name}: {e}"))),
            }
        }
        Ok(meta)
    }
}

fn list_files(dir: &Path) -> io::Result<Vec<(String, u64)>> {
    let mut files = Vec::new();
    for item in fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().into_owned();
        let meta = item.metadata()?;
        // The lock files tantivy leaves are empty and come and go.
        if name == META_FILE || !meta.is_file() || name.starts_with('.') {
            continue;
        }
        files.push((name, meta.len()));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Entry, Location};

    fn key() -> CacheKey {
        CacheKey {
            reader: "r".into(),
            inputs: vec!["a".into()],
            files: Vec::new(),
        }
    }

    fn corpus(ids: &[&str]) -> Corpus {
        let mut c = Corpus::new();
        c.add_file("a".into());
        for (row, id) in ids.iter().enumerate() {
            let mut e = Entry::blank(id);
            e.location = Location {
                file: 0,
                row: row as u64 + 1,
                offset: row as u64 * 100,
            };
            c.push(e);
        }
        c
    }

    #[test]
    fn the_stamp_follows_the_entries_their_order_and_the_key() {
        let ab = CorpusStamp::new(&key(), &corpus(&["A", "B"]));
        assert_eq!(ab, CorpusStamp::new(&key(), &corpus(&["A", "B"])));
        assert_ne!(ab, CorpusStamp::new(&key(), &corpus(&["B", "A"])));
        assert_ne!(ab, CorpusStamp::new(&key(), &corpus(&["A", "B", "C"])));
        let mut other = key();
        other.reader = "r2".into();
        assert_ne!(ab, CorpusStamp::new(&other, &corpus(&["A", "B"])));
    }
}
