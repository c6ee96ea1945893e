//! An on-disk index cache, so a corpus opened again is ready at once.
//!
//! Reading a 1.6 GB `cables.csv` and interpreting every cable takes seconds; the index it
//! produces (one [`Entry`] per cable and the list of files) is a few tens of megabytes and
//! deserialises in a fraction of that. The app's loading ([`super::load::load_cached`]) does:
//!
//! 1. [`open_saved`]`(&cache_file, &inputs)`, which finds the cache from the inputs alone and
//!    checks everything but the files' stamps, then [`SavedCache::stream`]: the first chunk
//!    of entries is on screen before any input file is looked at;
//! 2. then [`key_and_walk`] (one `stat` per file, as git's index does) and [`changes`]: only
//!    files whose stamps differ, new files and removed ones are read again or dropped, and
//!    the cache is saved anew under the key taken **before** those reads, so a file changed
//!    while it is read makes the next key differ rather than blessing a stale index;
//! 3. on a [`CacheMiss`] it reads the corpus as usual with [`super::load::load`], feeding a
//!    [`CacheWriter`] as entries arrive, and saves it as soon as the last entry is read,
//!    before reporting the load done, so quitting right after an open keeps the cache.
//!    ([`save`] does the same from a whole index, and leaves alone a cache already saved
//!    under the same key.)
//!
//! [`load`] is `load_streaming` collected, for tests and benches. Without a private cache
//! folder, [`cache_file`] is `None` and nothing is cached.
//!
//! The file is `header | key | payload`:
//! - header (44 bytes): magic, format version (u32 LE), a hash of the reader version (see
//!   [`reader_version`]), key length, payload length and a checksum of key + payload (u64 LE
//!   each);
//! - key: postcard of [`CacheKey`];
//! - payload: the files (a length-prefixed postcard `Vec<PathBuf>`), the total entry count,
//!   then the entries in chunks of [`CHUNK`] (count, byte length, then one postcard `Entry`
//!   after another). Chunks let [`load_streaming`] deserialise on every core: allocating the boxed
//!   strings of 250,000 entries is the whole cost of a warm open, and it splits cleanly.
//!
//! Nothing read from the file is trusted: the magic, version, exact lengths and checksum
//! are checked before the key is even decoded, every count is bounded by the bytes that
//! remain before anything is allocated, and every entry's file index must name a file. A
//! damaged cache is a [`CacheMiss::Damaged`], never a panic; the caller rebuilds it.
//!
//! Ids key the triage store, so a cache must never hand over ids other than the reader would
//! read now, nor point body reads at files other than the corpus's: a cache made by another
//! version of the reader is a [`CacheMiss::Reader`]; a cache is read and written only in a
//! private folder ([`super::private`]), never in a shared one such as `/tmp`; and a cache
//! whose file list names a file outside the inputs of its key is refused whole
//! ([`CacheMiss::Untrusted`]). Entries are shown before the stamps are checked, so a file
//! changed since the save shows its cables as this reader read them then, until the check
//! replaces them, a fraction of a second later.

use crate::corpus::entries::EntrySource;
use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Entry;
use super::private;
use crate::read::{Problem, walk};

/// First bytes of every cache file; `\x1a` (EOF in DOS) stops a `type`d file early.
const MAGIC: [u8; 8] = *b"CTINDEX\x1a";
/// Bumped whenever the layout or [`Entry`]'s serialised form changes: an old cache is then
/// a [`CacheMiss::Version`] and rebuilt, instead of being misread. (2: the reader version in
/// the header and the key; 3: files stamped by `stat` alone.)
pub const FORMAT_VERSION: u32 = 3;
const HEADER_LEN: usize = 8 + 4 + 8 + 8 + 8 + 8;
/// Entries per chunk: large enough that per-chunk bookkeeping is nothing, small enough that
/// the chunks divide evenly across threads.
const CHUNK: usize = 8192;
/// No real index is this large (the whole Cablegate dump, 251,287 cables, makes ~40 MB); a
/// bigger file is not read into memory at all.
const MAX_CACHE_BYTES: u64 = 1 << 30;
/// At most this much memory is set aside before reading a cache; more grows as bytes arrive,
/// so a file that claims to be larger than it is costs only what it holds.
const PREALLOCATE: u64 = 64 << 20;

/// What an index was built from: the inputs as the user gave them, and every file the walk
/// found in them with enough about each to notice a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    /// [`reader_version`] when the key was taken: a cache made by another reading of cables
    /// (other ids) is never used.
    pub reader: String,
    pub inputs: Vec<PathBuf>,
    pub files: Vec<FileStamp>,
}

/// One input file as it was when the key was taken: what one `stat` gives, as git's index
/// keeps it, so checking a folder of 250,000 pages reads no file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Canonical path (the path as walked if it cannot be canonicalised).
    pub path: PathBuf,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (negative before it).
    pub mtime_ns: i128,
    /// Status change time, in the same unit. No user can set it, so an edit that kept the
    /// size and restored the mtime (a copy with `cp -p`, a `touch -r`) still changes it.
    /// 0 where the platform has none.
    pub ctime_ns: i128,
    /// Inode number, so a file replaced by another (a rename over it) is seen; 0 where the
    /// platform has none.
    pub inode: u64,
}

/// Why a cache could not be used. Every case means "read the corpus and save a new cache".
#[derive(Debug)]
pub enum CacheMiss {
    /// No cache file.
    Absent,
    /// The cache was built from other inputs or files that have since changed.
    Changed(KeyChange),
    /// Not a whole, intact cache file (truncated, corrupted, not a cache at all).
    Damaged(String),
    /// Written by another format version.
    Version { found: u32 },
    /// Made by another version of the reader, which may read other ids.
    Reader,
    /// Not ours alone (a folder or file others can write), or naming files outside the corpus.
    Untrusted(String),
    /// The cache file exists but cannot be read.
    Unreadable(io::Error),
}

/// The first difference found between the key stored in a cache and the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChange {
    /// Made by another version of the reader.
    Reader,
    /// The user gave another list of inputs.
    Inputs,
    Added(PathBuf),
    Removed(PathBuf),
    /// Size, mtime, ctime or inode differ.
    Modified(PathBuf),
    /// The same files, found in another order (file indices would differ).
    Order,
}

impl fmt::Display for CacheMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CacheMiss::Absent => write!(f, "no index cache"),
            CacheMiss::Changed(KeyChange::Reader) | CacheMiss::Reader => {
                write!(f, "index cache made by another version of cabletriage")
            }
            CacheMiss::Changed(KeyChange::Inputs) => write!(f, "index cache is for other inputs"),
            CacheMiss::Changed(KeyChange::Added(p)) => write!(f, "file added: {}", p.display()),
            CacheMiss::Changed(KeyChange::Removed(p)) => write!(f, "file removed: {}", p.display()),
            CacheMiss::Changed(KeyChange::Modified(p)) => {
                write!(f, "file changed: {}", p.display())
            }
            CacheMiss::Changed(KeyChange::Order) => write!(f, "files found in another order"),
            CacheMiss::Damaged(why) => write!(f, "index cache damaged: {why}"),
            CacheMiss::Version { found } => {
                write!(f, "index cache format {found}, expected {FORMAT_VERSION}")
            }
            CacheMiss::Unreadable(e) => write!(f, "cannot read index cache: {e}"),
            CacheMiss::Untrusted(why) => write!(f, "index cache not used: {why}"),
        }
    }
}

impl std::error::Error for CacheMiss {}

impl CacheKey {
    /// What changed from `self` (the stored key) to `now`; `None` if they are equal.
    pub fn change_to(&self, now: &CacheKey) -> Option<KeyChange> {
        if self == now {
            return None;
        }
        if self.reader != now.reader {
            return Some(KeyChange::Reader);
        }
        if self.inputs != now.inputs {
            return Some(KeyChange::Inputs);
        }
        let before: HashMap<&Path, &FileStamp> =
            self.files.iter().map(|s| (s.path.as_path(), s)).collect();
        let after: HashMap<&Path, &FileStamp> =
            now.files.iter().map(|s| (s.path.as_path(), s)).collect();
        for stamp in &now.files {
            match before.get(stamp.path.as_path()) {
                None => return Some(KeyChange::Added(stamp.path.clone())),
                Some(old) if *old != stamp => return Some(KeyChange::Modified(stamp.path.clone())),
                Some(_) => {}
            }
        }
        for stamp in &self.files {
            if !after.contains_key(stamp.path.as_path()) {
                return Some(KeyChange::Removed(stamp.path.clone()));
            }
        }
        Some(KeyChange::Order)
    }
}

/// The key for `inputs` as they are now: the files found exactly as the loader walks them
/// (`walk::files(path, true, ..)`, name order), skipping what cannot be walked or read
/// (the loader reports those and reads nothing from them either). Files the walk passes
/// over (notices: an `expected.jsonl`, a README) are not part of the key, as nothing is read
/// from them; the loader reports them again on every open by walking the inputs.
///
/// Cost per file: one `stat` (beside the walk's own); no file is opened. Paths are made
/// canonical once per folder, not once per file, as a folder of pages holds thousands.
/// Errors are skipped, so this returns `Ok` today; the `Result` leaves room for failing on
/// the inputs themselves.
pub fn key_for(inputs: &[PathBuf]) -> io::Result<CacheKey> {
    key_and_walk(inputs).map(|walked| walked.key)
}

/// The files of inputs as walked now: the key, the path of each of its files as the walk
/// gave it (as the loader names files), and what the walk passed over or could not walk.
#[derive(Debug)]
pub struct Walked {
    pub key: CacheKey,
    pub paths: Vec<PathBuf>,
    pub problems: Vec<Problem>,
}

/// [`key_for`], with the walked paths of its files and the walk's problems and notices.
pub fn key_and_walk(inputs: &[PathBuf]) -> io::Result<Walked> {
    // The walk (which reads folders and stats what it meets) and the stamping of the files
    // it finds run on two threads, in order: together they are a warm open's check.
    let (found_tx, found_rx) = std::sync::mpsc::sync_channel::<Vec<PathBuf>>(16);
    let mut problems = Vec::new();
    let (files, paths) = std::thread::scope(|scope| {
        let stamper = scope.spawn(move || {
            let mut files = Vec::new();
            let mut walked = Vec::new();
            let mut folder: Option<(PathBuf, PathBuf)> = None;
            for paths in found_rx {
                for path in paths {
                    if let Ok(stamp) = stamp(&path, &mut folder) {
                        files.push(stamp);
                        walked.push(path);
                    }
                }
            }
            (files, walked)
        });
        let mut batch = Vec::with_capacity(256);
        for input in inputs {
            walk::files(input, true, &mut |found| match found {
                Ok(path) => {
                    batch.push(path);
                    if batch.len() == 256 {
                        let _ =
                            found_tx.send(std::mem::replace(&mut batch, Vec::with_capacity(256)));
                    }
                }
                Err(problem) => problems.push(problem),
            });
        }
        let _ = found_tx.send(batch);
        drop(found_tx);
        stamper
            .join()
            .map_err(|_| io::Error::other("stamping thread panicked"))
    })?;
    let key = CacheKey {
        reader: reader_version(),
        inputs: inputs.to_vec(),
        files,
    };
    Ok(Walked {
        key,
        paths,
        problems,
    })
}

/// The files to read again after a cache saved under `saved` was handed over: what
/// changed between the files it was made from and the files found now, as `stat` tells.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileChanges {
    /// Files found now whose stamp differs from the saved one, or that have none (new), in
    /// walking order, by their walked path.
    pub reread: Vec<PathBuf>,
    /// Files the cache holds cables of that the walk no longer finds.
    pub removed: Vec<PathBuf>,
}

impl FileChanges {
    pub fn is_empty(&self) -> bool {
        self.reread.is_empty() && self.removed.is_empty()
    }
}

/// What changed since the cache saved under `saved`, whose entries name the files
/// `cached` (walked paths, as the cache's file list holds them), to the inputs as `now`
/// walked them. No file is read: stamps are compared by canonical path, as [`CacheKey`]
/// keeps them.
pub fn changes(saved: &CacheKey, cached: &[PathBuf], now: &Walked) -> FileChanges {
    let mut stamps = InStep::new(&saved.files, |s| s.path.as_path());
    let reread = now
        .paths
        .iter()
        .zip(&now.key.files)
        .filter(|(_, stamp)| stamps.find(&stamp.path).map(|i| &saved.files[i]) != Some(stamp))
        .map(|(path, _)| path.clone())
        .collect();
    let mut files = InStep::new(cached, PathBuf::as_path);
    let mut found = vec![false; cached.len()];
    for path in &now.paths {
        if let Some(i) = files.find(path) {
            found[i] = true;
        }
    }
    let removed = cached
        .iter()
        .zip(found)
        .filter(|(_, found)| !found)
        .map(|(path, _)| path.clone())
        .collect();
    FileChanges { reread, removed }
}

/// Finds the items of a list by path, for a walk that meets them in the list's order but for
/// a few added or removed: the item after the last one found is tried first, then the list
/// is scanned, and a map of every path is made only once the walk and the list have parted
/// often. Checking 100,000 unchanged files so hashes no path.
pub struct InStep<'a, T> {
    items: &'a [T],
    path: fn(&T) -> &Path,
    next: usize,
    missed: usize,
    by_path: Option<HashMap<&'a Path, usize>>,
}

impl<'a, T> InStep<'a, T> {
    /// Past this many misses, paths are found through a map.
    const SCANS: usize = 16;

    pub fn new(items: &'a [T], path: fn(&T) -> &Path) -> Self {
        InStep {
            items,
            path,
            next: 0,
            missed: 0,
            by_path: None,
        }
    }

    /// The index of the item with this path (paths compared as bytes).
    pub fn find(&mut self, path: &Path) -> Option<usize> {
        let item_path = self.path;
        let same = |item: &T| item_path(item).as_os_str() == path.as_os_str();
        if self.items.get(self.next).is_some_and(same) {
            self.next += 1;
            return Some(self.next - 1);
        }
        self.missed += 1;
        let found = if self.missed <= Self::SCANS {
            self.items.iter().position(same)
        } else {
            let items = self.items;
            let by_path = self.by_path.get_or_insert_with(|| {
                let mut map = HashMap::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    map.entry(item_path(item)).or_insert(i);
                }
                map
            });
            by_path.get(path).copied()
        };
        if let Some(i) = found {
            self.next = i + 1;
        }
        found
    }
}

/// The version of what a cache holds: the reader's ([`crate::read::reader_version`], which
/// follows the crate's version) and the file format's.
pub fn reader_version() -> String {
    format!("{} format {FORMAT_VERSION}", crate::read::reader_version())
}

/// What the header holds of a key's reader version, so another version is refused before
/// the key is even decoded.
fn reader_stamp(reader: &str) -> u64 {
    hash64(0, reader.as_bytes())
}

/// `path`'s stamp; `folder` remembers the last folder made canonical (as walked, canonical).
fn stamp(path: &Path, folder: &mut Option<(PathBuf, PathBuf)>) -> io::Result<FileStamp> {
    let link = fs::symlink_metadata(path)?;
    let is_link = link.file_type().is_symlink();
    let meta = if is_link { fs::metadata(path)? } else { link };
    let nanos = |t: io::Result<SystemTime>| match t {
        Ok(t) => match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        },
        // No such time on this platform: the other fields still count.
        Err(_) => 0,
    };
    let (ctime_ns, inode) = change_time_and_inode(&meta);
    Ok(FileStamp {
        path: canonical(path, is_link, folder),
        size: meta.len(),
        mtime_ns: nanos(meta.modified()),
        ctime_ns,
        inode,
    })
}

/// The canonical form of `path`: its folder's (made canonical once for all its files) joined
/// with its name, unless the file itself is a link, which is followed.
fn canonical(path: &Path, is_link: bool, folder: &mut Option<(PathBuf, PathBuf)>) -> PathBuf {
    let whole = || fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return whole();
    };
    if is_link || parent.as_os_str().is_empty() {
        return whole();
    }
    match folder {
        Some((walked, canonical)) if walked == parent => canonical.join(name),
        _ => match fs::canonicalize(parent) {
            Ok(canonical) => {
                let joined = canonical.join(name);
                *folder = Some((parent.to_path_buf(), canonical));
                joined
            }
            Err(_) => whole(),
        },
    }
}

#[cfg(unix)]
fn change_time_and_inode(meta: &fs::Metadata) -> (i128, u64) {
    use std::os::unix::fs::MetadataExt;
    let ctime = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
    (ctime, meta.ino())
}

#[cfg(not(unix))]
fn change_time_and_inode(_meta: &fs::Metadata) -> (i128, u64) {
    (0, 0)
}

/// [`cache_file`], or an empty path when there is no private cache folder; [`save`] refuses
/// an empty path and [`load`] finds nothing there, so nothing is cached.
pub fn cache_path(inputs: &[PathBuf]) -> PathBuf {
    cache_file(inputs).unwrap_or_default()
}

/// Where the cache for `inputs` lives: in [`super::demo::cache_dir`], named by a hash of
/// the canonicalised inputs in order (order matters: it numbers the files). Inputs that
/// cannot be canonicalised (missing) are hashed as given. `None` without a cache folder of
/// the user's own (no shared folder is ever used instead). Whether the folder is private is
/// checked when the cache is read or written.
pub fn cache_file(inputs: &[PathBuf]) -> Option<PathBuf> {
    let mut h = hash64(inputs.len() as u64, &[]);
    for input in inputs {
        let canonical = fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        let bytes = path_bytes(&canonical);
        // The length first, so ["ab", "c"] and ["a", "bc"] differ.
        h = hash64(hash64(h, &(bytes.len() as u64).to_le_bytes()), &bytes);
    }
    Some(super::demo::cache_dir()?.join(format!("index-{h:016x}.bin")))
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().as_bytes().to_vec()
}

/// Writes the index for `key` to `path`, atomically: a temporary file beside it (mode 0600,
/// as cables may be classified) renamed over it, so a reader sees the old cache or the new
/// one, never half of one. Fails (leaving any old cache) if a path is not valid UTF-8,
/// which postcard cannot store, and writes nothing unless the folder is private (made 0700
/// if missing; see [`private::ensure_dir`]). Temporaries that interrupted saves left in the
/// folder more than [`private::STALE_AFTER`] ago are removed first.
///
/// There is no fsync: after a power cut the renamed file may be empty or torn, and the
/// checksum makes that a [`CacheMiss::Damaged`], so the only cost is one rebuild; syncing
/// tens of megabytes on every save would cost more than that.
///
/// A cache already saved under exactly this key (by the loader, as it read) is left as it is.
pub fn save(
    path: &Path,
    key: &CacheKey,
    files: &[PathBuf],
    entries: &(impl EntrySource + ?Sized),
) -> io::Result<()> {
    let Some(key_bytes) = prepare(path, key)? else {
        return Ok(());
    };
    let mut writer = CacheWriter::new();
    writer.add(files, entries.iter())?;
    writer.write(path, key, &key_bytes)
}

/// Checks that `path` can hold a cache (a private folder, made if missing; stale temporaries
/// removed) and returns the key's bytes, or `None` if a cache for `key` is there already.
fn prepare(path: &Path, key: &CacheKey) -> io::Result<Option<Vec<u8>>> {
    prepare_folder(path)?;
    if already_saved(path, key) {
        return Ok(None);
    }
    postcard::to_stdvec(key).map(Some).map_err(invalid_data)
}

/// Checks that `path` can hold a cache: a private folder, made if missing, its stale
/// temporaries removed.
fn prepare_folder(path: &Path) -> io::Result<()> {
    if path.as_os_str().is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no private cache folder: the index is not cached",
        ));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    private::ensure_dir(dir)?;
    private::remove_stale_temporaries(dir, private::STALE_AFTER);
    Ok(())
}

/// Builds a cache as the entries arrive, so the loader can save it the moment the last one
/// is read (serialising as it goes costs little beside reading; nothing is cloned), and
/// a user who quits right after an open still finds it next time.
#[derive(Debug)]
pub struct CacheWriter {
    files: Vec<PathBuf>,
    /// The chunks so far; the last one is open if `in_chunk > 0`.
    chunks: Vec<u8>,
    in_chunk: usize,
    chunk_at: usize,
    total: u64,
}

impl Default for CacheWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CacheWriter {
    pub fn new() -> Self {
        CacheWriter {
            files: Vec::new(),
            chunks: Vec::new(),
            in_chunk: 0,
            chunk_at: 0,
            total: 0,
        }
    }

    /// Adds files (numbered after those added before) and entries, in the loader's order.
    pub fn add<'e>(
        &mut self,
        files: &[PathBuf],
        entries: impl IntoIterator<Item = &'e Entry>,
    ) -> io::Result<()> {
        self.files.extend_from_slice(files);
        for entry in entries {
            if self.in_chunk == 0 {
                self.chunk_at = self.chunks.len();
                // Count and byte length, filled in when the chunk closes.
                self.chunks.extend_from_slice(&[0; 8]);
            }
            self.chunks = postcard::to_extend(entry, std::mem::take(&mut self.chunks))
                .map_err(invalid_data)?;
            self.in_chunk += 1;
            self.total += 1;
            if self.in_chunk == CHUNK {
                self.close_chunk()?;
            }
        }
        Ok(())
    }

    fn close_chunk(&mut self) -> io::Result<()> {
        if self.in_chunk == 0 {
            return Ok(());
        }
        let at = self.chunk_at;
        let len = u32::try_from(self.chunks.len() - at - 8)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "chunk over 4 GB"))?;
        self.chunks[at..at + 4].copy_from_slice(&(self.in_chunk as u32).to_le_bytes());
        self.chunks[at + 4..at + 8].copy_from_slice(&len.to_le_bytes());
        self.in_chunk = 0;
        Ok(())
    }

    /// Writes the cache to `path` under `key`, as [`save`] does.
    pub fn save(self, path: &Path, key: &CacheKey) -> io::Result<()> {
        match prepare(path, key)? {
            Some(key_bytes) => self.write(path, key, &key_bytes),
            None => Ok(()),
        }
    }

    /// [`CacheWriter::save`] over a cache known to be saved under another key (the one
    /// just checked against the files), which is not read again to find that out.
    pub fn save_over(self, path: &Path, key: &CacheKey) -> io::Result<()> {
        prepare_folder(path)?;
        let key_bytes = postcard::to_stdvec(key).map_err(invalid_data)?;
        self.write(path, key, &key_bytes)
    }

    fn write(mut self, path: &Path, key: &CacheKey, key_bytes: &[u8]) -> io::Result<()> {
        self.close_chunk()?;
        let bytes = self.encode(key, key_bytes)?;
        let tmp = temp_path(path);
        let written = write_private(&tmp, &bytes).and_then(|()| fs::rename(&tmp, path));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written
    }

    fn encode(&self, key: &CacheKey, key_bytes: &[u8]) -> io::Result<Vec<u8>> {
        let files_bytes = postcard::to_stdvec(&self.files).map_err(invalid_data)?;
        let mut out = Vec::with_capacity(
            HEADER_LEN + key_bytes.len() + 16 + files_bytes.len() + self.chunks.len(),
        );
        out.resize(HEADER_LEN, 0);
        out.extend_from_slice(key_bytes);
        let payload_start = out.len();
        out.extend_from_slice(&(files_bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(&files_bytes);
        out.extend_from_slice(&self.total.to_le_bytes());
        out.extend_from_slice(&self.chunks);
        let payload_len = (out.len() - payload_start) as u64;
        let checksum = hash64(0, &out[HEADER_LEN..]);
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(&MAGIC);
        header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        header.extend_from_slice(&reader_stamp(&key.reader).to_le_bytes());
        header.extend_from_slice(&(key_bytes.len() as u64).to_le_bytes());
        header.extend_from_slice(&payload_len.to_le_bytes());
        header.extend_from_slice(&checksum.to_le_bytes());
        out[..HEADER_LEN].copy_from_slice(&header);
        Ok(out)
    }
}

fn invalid_data(e: postcard::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Whether `path` holds a cache that [`load`] would use for `key`: intact, trusted, saved
/// under exactly this key. The index is a function of the key (the reader's version and
/// every file's stamp), so it need not be written again.
fn already_saved(path: &Path, key: &CacheKey) -> bool {
    open_checked(path, key).is_ok_and(|checked| checked.payload().is_ok())
}

#[cfg(test)]
fn encode(
    key: &CacheKey,
    files: &[PathBuf],
    entries: &(impl EntrySource + ?Sized),
) -> io::Result<Vec<u8>> {
    let mut writer = CacheWriter::new();
    writer.add(files, entries.iter())?;
    writer.close_chunk()?;
    writer.encode(key, &postcard::to_stdvec(key).map_err(invalid_data)?)
}

fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    // Unique per process and call, so two saves racing never write the same temp file; the
    // mark lets a later save recognise it if this one is interrupted.
    name.push(format!("{}{}.{n}", private::TEMP_MARK, std::process::id()));
    path.with_file_name(name)
}

fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)
}

/// Reads the index at `path` if it was saved with a key equal to `key`: the files (as the
/// loader numbered them) and the entries, exactly as given to [`save`]. [`load_streaming`]
/// (the app's path) collected whole, for tests and benches.
pub fn load(path: &Path, key: &CacheKey) -> Result<(Vec<PathBuf>, Vec<Entry>), CacheMiss> {
    let mut all = (Vec::new(), Vec::new());
    load_streaming(path, key, &mut |files, entries| {
        all.0.extend(files);
        all.1.extend(entries);
    })?;
    Ok(all)
}

/// A cache file read whole, whose frame and key are checked.
struct Checked {
    bytes: Vec<u8>,
    key_len: usize,
    inputs: Vec<PathBuf>,
}

impl Checked {
    /// The payload, split, with its file list checked against the key's inputs.
    fn payload(&self) -> Result<Payload<'_>, CacheMiss> {
        let p = split_payload(&self.bytes[HEADER_LEN + self.key_len..])?;
        check_files(&p.files, &self.inputs)?;
        Ok(p)
    }
}

/// Reads the cache at `path` and checks it for `key`: a private folder and file, the frame
/// (magic, versions, lengths, checksum) and the stored key.
fn open_checked(path: &Path, key: &CacheKey) -> Result<Checked, CacheMiss> {
    let bytes = read_bounded(path, reader_stamp(&key.reader))?;
    let (key_bytes, _) = check_frame(&bytes, reader_stamp(&key.reader))?;
    let stored: CacheKey =
        postcard::from_bytes(key_bytes).map_err(|e| CacheMiss::Damaged(format!("key: {e}")))?;
    if let Some(change) = stored.change_to(key) {
        return Err(CacheMiss::Changed(change));
    }
    Ok(Checked {
        key_len: key_bytes.len(),
        bytes,
        inputs: stored.inputs,
    })
}

/// A cache for the inputs given, read whole and checked in all but its stamps: ours alone,
/// intact, made by this reader, for these inputs, naming no file outside them. What it
/// holds is what the files held when it was saved; [`changes`] says which to read again.
pub struct SavedCache {
    bytes: Vec<u8>,
    key_len: usize,
    /// The files its entries name, checked.
    files: Vec<PathBuf>,
    /// Where the entries' chunks start in `bytes`, and how many entries they hold.
    chunks_at: usize,
    total: u64,
}

/// The start of a [`CacheKey`] as postcard lays it out (fields in order): enough to refuse a
/// cache for another reader or other inputs without decoding a stamp per file.
#[derive(Deserialize)]
struct KeyHead {
    reader: String,
    inputs: Vec<PathBuf>,
}

/// Opens the cache at `path` for `inputs` without looking at any input file, so its
/// entries can be shown before the inputs are walked. A cache of another reader is a
/// [`CacheMiss::Reader`], one for other inputs a [`CacheMiss::Changed`]`(`[`KeyChange::Inputs`]`)`,
/// one naming a file outside the inputs [`CacheMiss::Untrusted`].
pub fn open_saved(path: &Path, inputs: &[PathBuf]) -> Result<SavedCache, CacheMiss> {
    let reader = reader_version();
    let bytes = read_bounded(path, reader_stamp(&reader))?;
    let (key_bytes, payload) = check_frame(&bytes, reader_stamp(&reader))?;
    // The stamps (most of the key) are decoded later, when the files are checked.
    let (head, _) = postcard::take_from_bytes::<KeyHead>(key_bytes)
        .map_err(|e| CacheMiss::Damaged(format!("key: {e}")))?;
    if head.reader != reader {
        return Err(CacheMiss::Reader);
    }
    if head.inputs != inputs {
        return Err(CacheMiss::Changed(KeyChange::Inputs));
    }
    let (files, total, chunks) = split_files(payload)?;
    // Refused whole before anything is handed over.
    split_chunks(chunks, total)?;
    check_files(&files, &head.inputs)?;
    Ok(SavedCache {
        key_len: key_bytes.len(),
        chunks_at: bytes.len() - chunks.len(),
        bytes,
        files,
        total,
    })
}

impl SavedCache {
    /// The files its entries name, as the loader named them.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The key the cache was saved under: the stamps of the files as they were then.
    pub fn key(&self) -> Result<CacheKey, CacheMiss> {
        let key_bytes = &self.bytes[HEADER_LEN..HEADER_LEN + self.key_len];
        postcard::from_bytes(key_bytes).map_err(|e| CacheMiss::Damaged(format!("key: {e}")))
    }

    /// Hands the files and entries over as [`load_streaming`] does, the first chunk at once.
    pub fn stream(&self, batch: &mut dyn FnMut(Vec<PathBuf>, Vec<Entry>)) -> Result<(), CacheMiss> {
        let chunks = split_chunks(&self.bytes[self.chunks_at..], self.total)?;
        decode_streaming(&self.files, &chunks, batch)
    }

    /// The entries again, in the cache's order (reading order: each file's together), for
    /// saving a cache anew once some files were read again.
    pub fn entries(&self) -> Result<Vec<Entry>, CacheMiss> {
        let chunks = split_chunks(&self.bytes[self.chunks_at..], self.total)?;
        let parts = decode_chunks(&chunks, self.files.len())?;
        Ok(parts.into_iter().flatten().collect())
    }
}

/// Every file of the index must be one of the inputs or under an input folder, by its path
/// (no `..`): a planted or stale index must not send body reads anywhere else.
fn check_files(files: &[PathBuf], inputs: &[PathBuf]) -> Result<(), CacheMiss> {
    let inside = |file: &Path| {
        inputs.iter().any(|input| {
            file.strip_prefix(input)
                .is_ok_and(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))))
        })
    };
    // Files come folder by folder: a folder found inside once, each of its files need only
    // be a plain name in it (a file named `..` has no file name and is checked whole).
    let mut inside_folder: Option<&Path> = None;
    let outside = files.iter().find(|file| {
        if let (Some(folder), Some(parent), Some(_)) =
            (inside_folder, file.parent(), file.file_name())
            // As bytes: comparing paths component by component costs more than the rest.
            && folder.as_os_str() == parent.as_os_str()
        {
            return false;
        }
        if !inside(file) {
            return true;
        }
        inside_folder = file.parent().filter(|parent| inside(parent));
        false
    });
    match outside {
        None => Ok(()),
        Some(outside) => Err(CacheMiss::Untrusted(format!(
            "it names {}, which is not in the corpus",
            outside.display()
        ))),
    }
}

/// Reads a cache file after checking that it is ours alone and that its header is one of
/// ours, for this reader, claiming exactly the file's size (at most [`MAX_CACHE_BYTES`]).
/// Memory is set aside for at most [`PREALLOCATE`] bytes before reading, whatever the size.
fn read_bounded(path: &Path, stamp: u64) -> Result<Vec<u8>, CacheMiss> {
    // An empty path is `cache_path`'s answer when there is no private folder.
    let Some(dir) = path.parent() else {
        return Err(CacheMiss::Absent);
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let untrusted = |e: io::Error| CacheMiss::Untrusted(e.to_string());
    match private::check_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(CacheMiss::Absent),
        checked => checked.map_err(untrusted)?,
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(CacheMiss::Absent),
        Err(e) => return Err(CacheMiss::Unreadable(e)),
    };
    // The open file's own metadata, so what is checked is what is read.
    let meta = file.metadata().map_err(CacheMiss::Unreadable)?;
    private::check_file(path, &meta).map_err(untrusted)?;
    let mut header = [0u8; HEADER_LEN];
    match file.read_exact(&mut header) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            return Err(CacheMiss::Damaged("shorter than a header".into()));
        }
        read => read.map_err(CacheMiss::Unreadable)?,
    }
    let (key_len, payload_len, _) = check_header(&header, stamp)?;
    let claimed = key_len
        .checked_add(payload_len)
        .and_then(|n| n.checked_add(HEADER_LEN as u64));
    let len = meta.len();
    if claimed != Some(len) {
        return Err(CacheMiss::Damaged(format!(
            "{len} bytes, the header says {}",
            HEADER_LEN as u128 + key_len as u128 + payload_len as u128
        )));
    }
    if len > MAX_CACHE_BYTES {
        return Err(CacheMiss::Damaged(format!("{len} bytes is too large")));
    }
    let mut bytes = Vec::with_capacity(len.min(PREALLOCATE) as usize);
    bytes.extend_from_slice(&header);
    // One byte more than claimed, so a file that grew while being read is seen (the frame
    // check refuses it) without reading on without end.
    (&mut file)
        .take(len - HEADER_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(CacheMiss::Unreadable)?;
    Ok(bytes)
}

/// Checks magic, format version and reader stamp; returns the key length, payload length
/// and checksum the header states.
fn check_header(header: &[u8], stamp: u64) -> Result<(u64, u64, u64), CacheMiss> {
    let damaged = |why: &str| CacheMiss::Damaged(why.to_string());
    let mut r = Reader(header);
    if r.take(8).ok_or_else(|| damaged("shorter than a header"))? != MAGIC {
        return Err(damaged("not an index cache (wrong magic)"));
    }
    let version = r.u32().ok_or_else(|| damaged("shorter than a header"))?;
    if version != FORMAT_VERSION {
        return Err(CacheMiss::Version { found: version });
    }
    let found = r.u64().ok_or_else(|| damaged("shorter than a header"))?;
    if found != stamp {
        return Err(CacheMiss::Reader);
    }
    let (Some(key_len), Some(payload_len), Some(checksum)) = (r.u64(), r.u64(), r.u64()) else {
        return Err(damaged("shorter than a header"));
    };
    Ok((key_len, payload_len, checksum))
}

/// Checks magic, versions, lengths and checksum; returns the key and payload bytes.
fn check_frame(bytes: &[u8], stamp: u64) -> Result<(&[u8], &[u8]), CacheMiss> {
    if bytes.len() < HEADER_LEN {
        // Still through check_header, so a short file of another version says so.
        check_header(bytes, stamp)?;
        return Err(CacheMiss::Damaged("shorter than a header".into()));
    }
    let (header, body) = bytes.split_at(HEADER_LEN);
    let (key_len, payload_len, checksum) = check_header(header, stamp)?;
    let expected = key_len.checked_add(payload_len);
    if expected != Some(body.len() as u64) {
        return Err(CacheMiss::Damaged(format!(
            "{} bytes after the header, the header says {}",
            body.len(),
            key_len as u128 + payload_len as u128
        )));
    }
    if hash64(0, body) != checksum {
        return Err(CacheMiss::Damaged("checksum mismatch".into()));
    }
    Ok(body.split_at(key_len as usize))
}

/// A checked payload: the file list and the chunks of entries, not yet decoded.
struct Payload<'a> {
    files: Vec<PathBuf>,
    chunks: Vec<(usize, &'a [u8])>,
}

#[cfg(test)]
fn decode_payload(payload: &[u8]) -> Result<(Vec<PathBuf>, Vec<Entry>), CacheMiss> {
    let mut all = (Vec::new(), Vec::new());
    let p = split_payload(payload)?;
    decode_streaming(&p.files, &p.chunks, &mut |files, entries| {
        all.0.extend(files);
        all.1.extend(entries);
    })?;
    Ok(all)
}

/// [`load`], handing the entries over as they are decoded: the first chunk at once (so a
/// table can show before the whole index is decoded), then the rest. `batch` receives the
/// files with the first entries. The checksum of the whole file is checked before any entry
/// is handed over; a decoding error after that (which the checksum makes all but
/// impossible) is returned after the entries already handed over.
pub fn load_streaming(
    path: &Path,
    key: &CacheKey,
    batch: &mut dyn FnMut(Vec<PathBuf>, Vec<Entry>),
) -> Result<(), CacheMiss> {
    let checked = open_checked(path, key)?;
    let p = checked.payload()?;
    decode_streaming(&p.files, &p.chunks, batch)
}

/// Decodes checked chunks, handing the first chunk's entries over at once, then the rest,
/// decoded on every core. Each batch brings the files its entries name that no batch before
/// did (the last one every file left), so the first costs no more than its chunk.
fn decode_streaming(
    files: &[PathBuf],
    chunks: &[(usize, &[u8])],
    batch: &mut dyn FnMut(Vec<PathBuf>, Vec<Entry>),
) -> Result<(), CacheMiss> {
    let file_count = files.len();
    let mut sent = 0;
    let mut hand = |entries: Vec<Entry>, last: bool| {
        let named = entries.iter().map(|e| e.location.file as usize + 1).max();
        let upto = match last {
            true => file_count,
            false => named.unwrap_or(0).clamp(sent, file_count),
        };
        if entries.is_empty() && upto == sent {
            return;
        }
        batch(files[sent..upto].to_vec(), entries);
        sent = upto;
    };
    let (first, rest) = chunks.split_at(chunks.len().min(1));
    hand(decode_run(first, file_count)?, rest.is_empty());
    if rest.is_empty() {
        return Ok(());
    }
    let mut parts: Vec<Vec<Entry>> = decode_chunks(rest, file_count)?
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
    let last = parts.pop();
    for part in parts {
        hand(part, false);
    }
    hand(last.unwrap_or_default(), true);
    Ok(())
}

fn split_payload(payload: &[u8]) -> Result<Payload<'_>, CacheMiss> {
    let (files, total, rest) = split_files(payload)?;
    let chunks = split_chunks(rest, total)?;
    Ok(Payload { files, chunks })
}

/// The file list of a payload, its entry count and the bytes of its chunks.
fn split_files(payload: &[u8]) -> Result<(Vec<PathBuf>, u64, &[u8]), CacheMiss> {
    let damaged = |why: String| CacheMiss::Damaged(why);
    let mut r = Reader(payload);
    let files_len = r.u64().ok_or_else(|| damaged("no file list".into()))?;
    let files_bytes = r
        .take(usize::try_from(files_len).unwrap_or(usize::MAX))
        .ok_or_else(|| damaged("file list truncated".into()))?;
    let files: Vec<PathBuf> =
        postcard::from_bytes(files_bytes).map_err(|e| damaged(format!("file list: {e}")))?;
    let total = r.u64().ok_or_else(|| damaged("no entry count".into()))?;
    Ok((files, total, r.0))
}

/// The chunks of `total` entries that `bytes` holds, each checked against its header.
fn split_chunks(bytes: &[u8], total: u64) -> Result<Vec<(usize, &[u8])>, CacheMiss> {
    let damaged = |why: String| CacheMiss::Damaged(why);
    let mut r = Reader(bytes);
    // Every entry takes at least one byte, so a count above the bytes left is a lie; this
    // bounds the allocation below by the file size.
    if total > r.0.len() as u64 {
        return Err(damaged(format!("{total} entries in {} bytes", r.0.len())));
    }
    let mut chunks = Vec::new();
    let mut counted = 0u64;
    while !r.0.is_empty() {
        let (Some(count), Some(len)) = (r.u32(), r.u32()) else {
            return Err(damaged("chunk header truncated".into()));
        };
        let data = r
            .take(len as usize)
            .ok_or_else(|| damaged("chunk truncated".into()))?;
        if count as usize > data.len() {
            return Err(damaged(format!(
                "{count} entries in a chunk of {len} bytes"
            )));
        }
        counted += u64::from(count);
        chunks.push((count as usize, data));
    }
    if counted != total {
        return Err(damaged(format!(
            "{counted} entries in chunks, {total} expected"
        )));
    }
    Ok(chunks)
}

/// Deserialises the chunks, split into contiguous runs over the available cores; the parts
/// come back in order.
fn decode_chunks(
    chunks: &[(usize, &[u8])],
    file_count: usize,
) -> Result<Vec<Vec<Entry>>, CacheMiss> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
        .min(chunks.len().max(1));
    let per = chunks.len().div_ceil(threads).max(1);
    if threads <= 1 {
        return Ok(vec![decode_run(chunks, file_count)?]);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .chunks(per)
            .map(|run| scope.spawn(move || decode_run(run, file_count)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| CacheMiss::Damaged("decoding thread panicked".into()))?
            })
            .collect()
    })
}

fn decode_run(run: &[(usize, &[u8])], file_count: usize) -> Result<Vec<Entry>, CacheMiss> {
    let mut out = Vec::with_capacity(run.iter().map(|(count, _)| count).sum());
    for &(count, mut data) in run {
        for _ in 0..count {
            let (entry, rest) = postcard::take_from_bytes::<Entry>(data)
                .map_err(|e| CacheMiss::Damaged(format!("entry: {e}")))?;
            if entry.location.file as usize >= file_count {
                return Err(CacheMiss::Damaged(format!(
                    "entry {} names file {} of {file_count}",
                    entry.id, entry.location.file
                )));
            }
            out.push(entry);
            data = rest;
        }
        if !data.is_empty() {
            return Err(CacheMiss::Damaged("bytes left over in a chunk".into()));
        }
    }
    Ok(out)
}

/// A cursor over bytes whose reads return `None` past the end instead of panicking.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }
}

/// A fast, stable, non-cryptographic 64-bit hash, for cache names and the checksum.
///
/// Written here rather than `std`'s `DefaultHasher` because that one's algorithm may change
/// between Rust releases (caches and their names must stay valid across toolchains) and, as
/// SipHash, hashes a few times slower. Four independent lanes of xor-multiply-rotate over
/// 8-byte words run at several GB/s, so checking a 40 MB cache costs milliseconds. Every step
/// is a bijection of the lane for a fixed word, so any change confined to one 8-byte word
/// always changes the hash (a flipped byte or bit is always caught). It is not made to resist
/// a deliberate forgery, which does not matter for the user's own cache.
pub fn hash64(seed: u64, bytes: &[u8]) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let mut lanes = [
        seed ^ P1,
        seed ^ P2,
        seed.rotate_left(17) ^ P1,
        seed.rotate_left(41) ^ P2,
    ];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let w = word.try_into().map(u64::from_le_bytes).unwrap_or(0);
            *lane = (*lane ^ w).wrapping_mul(P1).rotate_left(31);
        }
    }
    let mut h = lanes.iter().fold(bytes.len() as u64 ^ P2, |h, &l| {
        (h ^ l).wrapping_mul(P2).rotate_left(27)
    });
    for &b in blocks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(P1).rotate_left(11);
    }
    // Final avalanche, so nearby inputs give unrelated file names.
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P1);
    h ^ (h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, file: u32) -> Entry {
        let mut e = Entry::blank(id);
        e.subject = format!("subject of {id}").into();
        e.tags = vec!["PREL".into(), "PGOV".into()].into_boxed_slice();
        e.location.file = file;
        e
    }

    fn key() -> CacheKey {
        CacheKey {
            reader: reader_version(),
            inputs: vec![PathBuf::from("/corpus")],
            files: vec![FileStamp {
                path: PathBuf::from("/corpus/a.csv"),
                size: 10,
                mtime_ns: 5,
                ctime_ns: 6,
                inode: 7,
            }],
        }
    }

    fn reader() -> u64 {
        reader_stamp(&reader_version())
    }

    fn sample() -> (Vec<PathBuf>, Vec<Entry>) {
        let files = vec![
            PathBuf::from("/corpus/a.csv"),
            PathBuf::from("/corpus/b.txt"),
        ];
        let entries = (0..CHUNK * 2 + 17)
            .map(|i| entry(&format!("09CABLE{i}"), (i % 2) as u32))
            .collect();
        (files, entries)
    }

    #[test]
    fn encode_then_decode_round_trips_across_chunks() {
        let (files, entries) = sample();
        let bytes = encode(&key(), &files, &entries).unwrap();
        let (key_bytes, payload) = check_frame(&bytes, reader()).unwrap();
        assert_eq!(postcard::from_bytes::<CacheKey>(key_bytes).unwrap(), key());
        let (f, e) = decode_payload(payload).unwrap();
        assert_eq!(f, files);
        assert_eq!(e, entries);
    }

    #[test]
    fn empty_index_round_trips() {
        let bytes = encode(&key(), &[], &Vec::<Entry>::new()).unwrap();
        let (_, payload) = check_frame(&bytes, reader()).unwrap();
        let (f, e) = decode_payload(payload).unwrap();
        assert!(f.is_empty() && e.is_empty());
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_damage() {
        let files = vec![PathBuf::from("a.csv")];
        let entries: Vec<Entry> = (0..40).map(|i| entry(&format!("X{i}"), 0)).collect();
        let bytes = encode(&key(), &files, &entries).unwrap();
        for len in 0..bytes.len() {
            assert!(
                matches!(
                    check_frame(&bytes[..len], reader()),
                    Err(CacheMiss::Damaged(_))
                ),
                "{len}"
            );
        }
        for at in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[at] ^= 0x20;
            match check_frame(&bad, reader()) {
                Err(CacheMiss::Damaged(_)) => {}
                // The version bytes: an unknown version, also refused.
                Err(CacheMiss::Version { .. }) if (8..12).contains(&at) => {}
                Err(CacheMiss::Reader) if (12..20).contains(&at) => {}
                other => panic!("byte {at}: {:?}", other.map(|_| ())),
            }
        }
    }

    #[test]
    fn lying_counts_are_refused_before_allocating() {
        // A payload whose entry count claims far more entries than bytes exist.
        let mut payload = Vec::new();
        let files = postcard::to_stdvec(&Vec::<PathBuf>::new()).unwrap();
        payload.extend_from_slice(&(files.len() as u64).to_le_bytes());
        payload.extend_from_slice(&files);
        payload.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(
            decode_payload(&payload),
            Err(CacheMiss::Damaged(_))
        ));
        // A chunk claiming u32::MAX entries in 3 bytes.
        let mut payload = payload[..payload.len() - 8].to_vec();
        payload.extend_from_slice(&1u64.to_le_bytes());
        payload.extend_from_slice(&u32::MAX.to_le_bytes());
        payload.extend_from_slice(&3u32.to_le_bytes());
        payload.extend_from_slice(&[0, 0, 0]);
        assert!(matches!(
            decode_payload(&payload),
            Err(CacheMiss::Damaged(_))
        ));
    }

    #[test]
    fn an_entry_naming_a_missing_file_is_damage() {
        let bytes = encode(&key(), &[PathBuf::from("a")], &vec![entry("X", 3)]).unwrap();
        let (_, payload) = check_frame(&bytes, reader()).unwrap();
        assert!(matches!(
            decode_payload(payload),
            Err(CacheMiss::Damaged(_))
        ));
    }

    #[test]
    fn a_file_outside_the_inputs_is_refused_among_files_of_one_folder() {
        let inputs = [PathBuf::from("/corpus")];
        let folder = |names: &[&str]| -> Vec<PathBuf> {
            names
                .iter()
                .map(|n| PathBuf::from("/corpus/a").join(n))
                .collect()
        };
        assert!(check_files(&folder(&["x.html", "y.html", "z.html"]), &inputs).is_ok());
        for planted in [
            "..",
            "../../etc/passwd",
            "b/../../../etc/passwd",
            "/etc/passwd",
        ] {
            let files = folder(&["x.html", planted, "z.html"]);
            assert!(
                matches!(check_files(&files, &inputs), Err(CacheMiss::Untrusted(_))),
                "{planted}"
            );
        }
        let mut files = folder(&["x.html"]);
        files.push(PathBuf::from("/corpus-other/a/y.html"));
        assert!(check_files(&files, &inputs).is_err());
    }

    #[test]
    fn in_step_finds_every_path_however_the_walk_parts_from_the_list() {
        let list: Vec<PathBuf> = (0..100)
            .map(|i| PathBuf::from(format!("/c/{i:03}")))
            .collect();
        // The walk as the list, one removed, one added, then in reverse (many misses: a map).
        let mut walk: Vec<PathBuf> = list.clone();
        walk.remove(10);
        walk.insert(20, PathBuf::from("/c/new"));
        walk.extend(list.iter().rev().cloned());
        let mut step = InStep::new(&list, PathBuf::as_path);
        for path in &walk {
            let expected = list.iter().position(|p| p == path);
            assert_eq!(step.find(path), expected, "{}", path.display());
        }
        assert!(step.by_path.is_some());
    }

    #[test]
    fn key_changes_are_named() {
        let old = key();
        assert_eq!(old.change_to(&old), None);
        let mut now = key();
        now.inputs.push("/other".into());
        assert_eq!(old.change_to(&now), Some(KeyChange::Inputs));
        let mut now = key();
        now.files[0].ctime_ns = 8;
        assert_eq!(
            old.change_to(&now),
            Some(KeyChange::Modified("/corpus/a.csv".into()))
        );
        let mut now = key();
        now.files.push(FileStamp {
            path: "/corpus/b.csv".into(),
            ..old.files[0].clone()
        });
        assert_eq!(
            old.change_to(&now),
            Some(KeyChange::Added("/corpus/b.csv".into()))
        );
        assert_eq!(
            now.change_to(&old),
            Some(KeyChange::Removed("/corpus/b.csv".into()))
        );
        let mut swapped = now.clone();
        swapped.files.reverse();
        assert_eq!(now.change_to(&swapped), Some(KeyChange::Order));
    }

    #[test]
    fn hash_sees_every_single_bit_flip_and_is_stable() {
        let data: Vec<u8> = (0..100u8).collect();
        let base = hash64(0, &data);
        for at in 0..data.len() {
            for bit in 0..8 {
                let mut d = data.clone();
                d[at] ^= 1 << bit;
                assert_ne!(hash64(0, &d), base, "byte {at} bit {bit}");
            }
        }
        assert_ne!(hash64(0, &data), hash64(1, &data));
        assert_ne!(hash64(0, b""), hash64(0, b"\0"));
        // Pinned: cache names and checksums must not change between builds.
        assert_eq!(hash64(0, b"cabletriage"), 0x7fc1_22e8_7f55_18e8);
    }

    #[cfg(unix)]
    #[test]
    fn saved_file_is_private_and_no_temp_file_is_left() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("index.bin");
        let (files, entries) = sample();
        save(&path, &key(), &files, &entries).unwrap();
        save(&path, &key(), &files, &entries).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
        let (f, e) = load(&path, &key()).unwrap();
        assert_eq!((f, e), (files, entries));
    }

    #[test]
    fn stamps_see_an_edit_that_keeps_size_and_mtime_and_read_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        fs::write(&path, "abc").unwrap();
        let mut folder = None;
        let first = stamp(&path, &mut folder).unwrap();
        let mtime = fs::metadata(&path).unwrap().modified().unwrap();
        fs::write(&path, "abd").unwrap();
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let second = stamp(&path, &mut folder).unwrap();
        assert_eq!((first.size, first.mtime_ns), (second.size, second.mtime_ns));
        assert_ne!(first, second, "the ctime changed");
        assert_eq!(second.path, fs::canonicalize(&path).unwrap());
        // Unreadable files are stamped all the same: only `stat` is asked.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
            assert!(stamp(&path, &mut folder).is_ok());
        }
    }

    #[test]
    fn a_writer_fed_in_batches_encodes_as_a_whole_save() {
        let (files, entries) = sample();
        let mut writer = CacheWriter::new();
        writer.add(&files[..1], &entries[..100]).unwrap();
        writer.add(&files[1..], &entries[100..CHUNK + 5]).unwrap();
        writer.add(&[], &entries[CHUNK + 5..]).unwrap();
        writer.close_chunk().unwrap();
        let key_bytes = postcard::to_stdvec(&key()).unwrap();
        assert_eq!(
            writer.encode(&key(), &key_bytes).unwrap(),
            encode(&key(), &files, &entries).unwrap()
        );
    }
}
