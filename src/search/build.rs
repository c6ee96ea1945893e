//! Building a text index: every cable's text read again ([`super::bodies`]) and indexed by
//! tantivy on every core, at background priority, within a memory budget.
//!
//! Priority: on Linux a thread's nice value is its own and is inherited by the threads it
//! creates. The build runs on a thread of its own whose niceness is raised by
//! [`BACKGROUND_NICENESS`] (`setpriority(PRIO_PROCESS, gettid)`) before it creates the
//! reader threads and tantivy's writer (whose indexing and merging threads it spawns), so
//! all of the build yields the CPU to the UI and to filter jobs; the UI's threads keep
//! their priority. Elsewhere the priority is left as it is.
//!
//! Memory: tantivy's writer buffers at most [`BuildOptions::memory_budget`] of postings
//! across its threads before it writes a segment; bodies are read one at a time per reader
//! thread and dropped once indexed. The segments are merged into one at the end, so queries
//! read one term dictionary.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tantivy::{Index, IndexWriter, TantivyDocument};

use super::bodies::{self, CableText};
use super::cache::{CorpusStamp, IndexMiss, Meta, Storage};
use super::index::{TextIndex, register_tokenizer, schema};
use crate::corpus::{Corpus, private};

/// How much nicer than the UI the build runs (Linux).
pub const BACKGROUND_NICENESS: i32 = 10;

/// How a build runs.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Threads for tantivy's writer and for reading bodies; 0 for every core.
    pub threads: usize,
    /// Bytes tantivy may buffer across its threads before writing a segment.
    pub memory_budget: usize,
    /// Lower the build's priority below the UI's (see the module comment).
    pub background: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            threads: 0,
            memory_budget: 256 << 20,
            background: true,
        }
    }
}

/// How far a build has come: cables indexed of all. Reported every few hundred cables, from
/// any of the build's threads, always forward; the last report has `done == total` (the
/// merge that follows takes a few seconds more on 250,000 cables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl Progress {
    /// From 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

/// Whether an opened index was found in the cache or built now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Cached,
    /// Built now; the miss says why the cache was not used.
    Built(IndexMiss),
}

/// An index ready to answer, where it came from, and something to tell the user (the cache
/// could not be written, so search runs from memory; the disk is full; a file could not be
/// read again).
#[derive(Debug)]
pub struct Opened {
    pub index: TextIndex,
    pub origin: Origin,
    pub notice: Option<String>,
}

/// Why no index came out of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    Cancelled,
    Failed(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Cancelled => write!(f, "text indexing cancelled"),
            BuildError::Failed(why) => write!(f, "text indexing failed: {why}"),
        }
    }
}

/// The cached index in `dir` if it fits the corpus, else a new one built there (or in memory
/// when `dir` is `None` or cannot be written). Blocks until done: call it from a thread of
/// its own. `progress` is called from the build's threads; `cancel` stops it promptly.
pub fn open_or_build(
    corpus: &Corpus,
    stamp: CorpusStamp,
    dir: Option<&Path>,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Opened, BuildError> {
    let miss = match dir {
        Some(dir) => match TextIndex::open(dir, stamp, corpus) {
            Ok(index) => {
                return Ok(Opened {
                    index,
                    origin: Origin::Cached,
                    notice: None,
                });
            }
            Err(miss) => miss,
        },
        None => IndexMiss::Absent,
    };
    let mut opened = build(corpus, stamp, dir, options, progress, cancel)?;
    opened.origin = Origin::Built(miss);
    Ok(opened)
}

/// Builds the index of `corpus` in `dir` (replacing what is there), or in memory when `dir`
/// is `None` or cannot be written, saying so in [`Opened::notice`].
pub fn build(
    corpus: &Corpus,
    stamp: CorpusStamp,
    dir: Option<&Path>,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Opened, BuildError> {
    let problems = std::sync::Mutex::new(Vec::<String>::new());
    let mut opened = build_with(corpus, stamp, dir, options, progress, cancel, &problems)?;
    let problems = problems.into_inner().unwrap_or_default();
    if let Some(first) = problems.first() {
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let said = format!("{first}{more}");
        opened.notice = Some(match opened.notice.take() {
            Some(n) => format!("{n}; {said}"),
            None => said,
        });
    }
    Ok(opened)
}

fn build_with(
    corpus: &Corpus,
    stamp: CorpusStamp,
    dir: Option<&Path>,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
    problems: &std::sync::Mutex<Vec<String>>,
) -> Result<Opened, BuildError> {
    let run = |target: Target| -> Result<Index, BuildError> {
        if let Ok(mut p) = problems.lock() {
            p.clear();
        }
        std::thread::scope(|s| {
            s.spawn(|| {
                if options.background {
                    lower_priority();
                }
                index_all(corpus, target, options, progress, cancel, problems)
            })
            .join()
            .unwrap_or_else(|_| Err(BuildError::Failed("the indexing thread panicked".into())))
        })
    };
    let Some(dir) = dir else {
        let index = run(Target::Memory)?;
        return in_memory(index, corpus, "no cache folder".into());
    };
    let building = match prepare(dir) {
        Ok(path) => path,
        Err(why) => {
            let index = run(Target::Memory)?;
            return in_memory(index, corpus, why);
        }
    };
    match run(Target::Disk(&building)) {
        Ok(index) => {
            drop(index);
            match finish(&building, dir, stamp, corpus.len() as u64) {
                Ok(()) => {
                    let index = TextIndex::open(dir, stamp, corpus)
                        .map_err(|m| BuildError::Failed(m.to_string()))?;
                    Ok(Opened {
                        index,
                        origin: Origin::Built(IndexMiss::Absent),
                        notice: None,
                    })
                }
                Err(why) => {
                    let _ = fs::remove_dir_all(&building);
                    let index = run(Target::Memory)?;
                    in_memory(index, corpus, why)
                }
            }
        }
        Err(BuildError::Failed(why)) => {
            let _ = fs::remove_dir_all(&building);
            let index = run(Target::Memory)?;
            in_memory(index, corpus, why)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&building);
            Err(e)
        }
    }
}

fn in_memory(index: Index, corpus: &Corpus, why: String) -> Result<Opened, BuildError> {
    let notice = format!("{why}: text search runs from memory for this session");
    let index = TextIndex::from_index(index, corpus.len(), Storage::Memory(why))
        .map_err(|e| BuildError::Failed(e.to_string()))?;
    Ok(Opened {
        index,
        origin: Origin::Built(IndexMiss::Absent),
        notice: Some(notice),
    })
}

#[derive(Clone, Copy)]
enum Target<'a> {
    Memory,
    Disk(&'a Path),
}

/// Makes the cache folder (private) and a fresh folder to build in beside `dir`; the reason
/// in words when it cannot.
fn prepare(dir: &Path) -> Result<PathBuf, String> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let explain = |e: std::io::Error| describe_io(parent, &e.to_string());
    private::ensure_dir(parent).map_err(explain)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale_builds(parent, &name);
    let building = parent.join(format!(
        "{name}{}{}",
        private::TEMP_MARK,
        std::process::id()
    ));
    if building.exists() {
        fs::remove_dir_all(&building).map_err(explain)?;
    }
    fs::create_dir(&building).map_err(explain)?;
    Ok(building)
}

/// Removes the folders of builds of `name` that were interrupted (a crash, a kill, an app
/// quitting mid-build): those whose process is gone, and any older than
/// [`private::STALE_AFTER`]; a younger one may be a build still running elsewhere.
fn remove_stale_builds(parent: &Path, name: &str) {
    let Ok(items) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!("{name}{}", private::TEMP_MARK);
    for item in items.flatten() {
        if !item.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        // A build cut short by its app quitting leaves its folder: its process is gone.
        let owner_gone = item
            .file_name()
            .to_string_lossy()
            .get(prefix.len()..)
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(process_gone);
        // Not followed: a link is not one of our folders.
        let stale = fs::symlink_metadata(item.path()).is_ok_and(|m| {
            m.is_dir()
                && (owner_gone
                    || m.modified()
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > private::STALE_AFTER))
        });
        if stale {
            let _ = fs::remove_dir_all(item.path());
        }
    }
}

/// Whether no process `pid` runs, where `/proc` tells (elsewhere: not known, so `false`).
fn process_gone(pid: u32) -> bool {
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Writes the meta file and moves the built folder into place.
fn finish(building: &Path, dir: &Path, stamp: CorpusStamp, documents: u64) -> Result<(), String> {
    let explain = |e: std::io::Error| describe_io(dir, &e.to_string());
    Meta::of(building, stamp, documents)
        .and_then(|m| m.write(building))
        .map_err(explain)?;
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(explain)?;
    }
    fs::rename(building, dir).map_err(explain)
}

/// An I/O failure in the cache folder, in words, saying "the disk is full" when it is.
fn describe_io(path: &Path, error: &str) -> String {
    if error.contains("No space left") || error.contains("os error 28") {
        format!("the disk is full ({})", path.display())
    } else {
        format!("cannot write the cache folder {}: {error}", path.display())
    }
}

fn index_all(
    corpus: &Corpus,
    target: Target<'_>,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
    problems: &std::sync::Mutex<Vec<String>>,
) -> Result<Index, BuildError> {
    let failed = |e: tantivy::TantivyError| {
        BuildError::Failed(match target {
            Target::Disk(path) => describe_io(path, &e.to_string()),
            Target::Memory => e.to_string(),
        })
    };
    let (schema, fields) = schema();
    let index = match target {
        Target::Memory => Index::create_in_ram(schema),
        Target::Disk(path) => Index::create_in_dir(path, schema).map_err(failed)?,
    };
    register_tokenizer(&index);
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(8);
    // tantivy refuses less than 15 MB a thread.
    let per_thread = (options.memory_budget / threads).max(15 << 20);
    let mut writer: IndexWriter = index
        .writer_with_num_threads(threads, per_thread * threads)
        .map_err(failed)?;
    // No merging while indexing: the segments are merged once, at the end, so every byte is
    // merged once rather than again at each level of tantivy's log merge policy.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let total = corpus.len() as u64;
    let done = AtomicU64::new(0);
    let reported = std::sync::Mutex::new(0u64);
    let error: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    // Set when tantivy refuses a document (a full disk): the readers stop too.
    let stopped = AtomicBool::new(false);
    let stop = || stopped.load(Ordering::Relaxed) || cancel.load(Ordering::Relaxed);
    progress(Progress { done: 0, total });
    let add = |entry: u32, text: CableText| {
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.entry, u64::from(entry));
        doc.add_text(fields.subject, &text.subject);
        doc.add_text(fields.body, &text.body);
        if let Err(e) = writer.add_document(doc) {
            if let Ok(mut slot) = error.lock() {
                slot.get_or_insert(e.to_string());
            }
            stopped.store(true, Ordering::Relaxed);
        }
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if n % 512 == 0 || n == total {
            // Under the lock, and only forward: two threads may reach here out of order.
            if let Ok(mut last) = reported.lock() {
                if n > *last {
                    *last = n;
                    progress(Progress { done: n, total });
                }
            }
        }
    };
    let problem = |p: String| {
        if let Ok(mut list) = problems.lock() {
            list.push(p);
        }
    };
    bodies::for_each_text(corpus, threads, &stop, &add, &problem);
    if let Some(why) = error.lock().ok().and_then(|mut e| e.take()) {
        return Err(BuildError::Failed(why));
    }
    if cancel.load(Ordering::Relaxed) {
        let _ = writer.rollback();
        return Err(BuildError::Cancelled);
    }
    writer.commit().map_err(failed)?;
    let segments = index.searchable_segment_ids().map_err(failed)?;
    // The merge takes seconds: a cancel that came meanwhile is heard before it.
    if cancel.load(Ordering::Relaxed) {
        return Err(BuildError::Cancelled);
    }
    if segments.len() > 1 {
        writer.merge(&segments).wait().map_err(failed)?;
    }
    let _ = writer.garbage_collect_files().wait();
    writer.wait_merging_threads().map_err(failed)?;
    Ok(index)
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: plain system calls on this thread's own id; a failure only leaves the priority.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let now = libc::getpriority(libc::PRIO_PROCESS, tid);
        libc::setpriority(
            libc::PRIO_PROCESS,
            tid,
            now.saturating_add(BACKGROUND_NICENESS).min(19),
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_called_so() {
        let full = std::io::Error::from_raw_os_error(libc::ENOSPC).to_string();
        let said = describe_io(Path::new("/cache/index-1.text"), &full);
        assert_eq!(said, "the disk is full (/cache/index-1.text)");
        let denied = std::io::Error::from_raw_os_error(libc::EACCES).to_string();
        let said = describe_io(Path::new("/cache"), &denied);
        assert!(
            said.starts_with("cannot write the cache folder /cache: "),
            "{said}"
        );
    }

    #[test]
    fn a_build_folder_left_by_a_process_that_is_gone_is_removed_at_once() {
        if !Path::new("/proc/self").exists() {
            eprintln!("skipped: no /proc to tell running processes");
            return;
        }
        let parent = tempfile::tempdir().expect("folder");
        let name = "index-1.text";
        let folder = |pid: u32| {
            parent
                .path()
                .join(format!("{name}{}{pid}", private::TEMP_MARK))
        };
        // A process that has exited: its id is no longer in /proc.
        let gone = std::process::Command::new("true")
            .spawn()
            .and_then(|mut c| c.wait().map(|_| c.id()))
            .expect("run true");
        let mine = std::process::id();
        for pid in [gone, mine] {
            fs::create_dir(folder(pid)).expect("build folder");
        }
        remove_stale_builds(parent.path(), name);
        assert!(!folder(gone).exists(), "the gone process's folder stays");
        assert!(
            folder(mine).exists(),
            "a running build's folder was removed"
        );
    }

    fn my_niceness() -> i32 {
        // SAFETY: plain system calls on this thread's own id.
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::getpriority(libc::PRIO_PROCESS, tid)
        }
    }

    #[test]
    fn threads_made_by_a_background_thread_are_background_too() {
        let ui = my_niceness();
        let (builder, child) = std::thread::spawn(|| {
            lower_priority();
            // As tantivy's writer and the readers are spawned from the build's thread.
            let child = std::thread::spawn(my_niceness).join().unwrap_or(i32::MIN);
            (my_niceness(), child)
        })
        .join()
        .unwrap_or((i32::MIN, i32::MIN));
        let expected = (ui + BACKGROUND_NICENESS).min(19);
        assert_eq!((builder, child), (expected, expected));
        // The caller's thread keeps its priority.
        assert_eq!(my_niceness(), ui);
    }
}
