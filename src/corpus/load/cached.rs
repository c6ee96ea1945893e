//! Opening a corpus through its index cache: the cached entries first, at once, before any
//! input file is looked at; then every file's `stat` is checked against the cache's, only the
//! files changed, added or removed are read again (on every core) and sent as
//! [`LoadEvent::Replace`], and the cache is saved anew before the load is reported done.
//! Without a usable cache the files are read whole ([`load`]) and the cache is saved as the
//! last cable is read.

use std::collections::{HashMap, HashSet};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{FileCables, IdCheck, LoadEvent, Progress, load, load_sized};
use crate::corpus::Entry;
use crate::corpus::cache::{self, CacheKey, CacheMiss};
use crate::read::{self, Problem, Severity};

/// [`load`], from the index cache when there is one for these inputs: its entries are
/// handed over at once, before any input is looked at; then the inputs are walked and
/// stat'ed, the files whose stamps changed are read again and sent as
/// [`LoadEvent::Replace`] (removed files too), and the cache is saved anew if anything
/// changed, before [`LoadEvent::Done`]. Without a usable cache, the files are read, with
/// the key to save the cache under given in [`LoadEvent::Done`]. Either way every file
/// passed over is reported, as a notice.
pub fn load_cached(paths: &[PathBuf], cancel: &AtomicBool, sink: &mut dyn FnMut(LoadEvent)) {
    // Without a private cache folder nothing is cached (no key to save under is given).
    match cache::cache_file(paths) {
        Some(cache_file) => load_cached_at(paths, &cache_file, cancel, sink),
        None => load(paths, cancel, sink),
    }
}

/// [`load_cached`] with the cache at `cache_file`.
fn load_cached_at(
    paths: &[PathBuf],
    cache_file: &Path,
    cancel: &AtomicBool,
    sink: &mut dyn FnMut(LoadEvent),
) {
    let started = Instant::now();
    // Standard input has no stamp: what it gave last time says nothing of what it gives now.
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return load(paths, cancel, sink);
    }
    let saved = match cache::open_saved(cache_file, paths) {
        Ok(saved) => saved,
        Err(miss) => return read_whole(paths, cache_file, miss, cancel, sink),
    };
    // What the cache holds for each file, for the counts once some are read again.
    let mut cables_per_file = vec![0u64; saved.files().len()];
    let mut progress = Progress {
        checking: saved.files().len() as u64,
        ..Progress::default()
    };
    let mut shown = false;
    let mut ids = IdCheck::default();
    let streamed = saved.stream(&mut |files, entries| {
        shown = true;
        for entry in &entries {
            if let Some(n) = cables_per_file.get_mut(entry.location.file as usize) {
                *n += 1;
            }
        }
        progress.cables += entries.len() as u64;
        let batch = LoadEvent::Batch {
            files,
            entries,
            progress,
        };
        ids.pass(batch, sink);
    });
    // Only now are the files looked at. (Walking them while the last chunks decode gains
    // nothing on two busy cores: the decoding already takes every core.)
    let walked = match streamed {
        Ok(()) => cache::key_and_walk(paths),
        Err(_) => Err(io::Error::other("not walked")),
    };
    let shown_files = Shown {
        cables_per_file,
        progress,
    };
    match streamed {
        Ok(()) => refresh(
            cache_file,
            &saved,
            shown_files,
            walked,
            started,
            cancel,
            sink,
        ),
        Err(miss) if !shown => read_whole(paths, cache_file, miss, cancel, sink),
        Err(miss) => {
            // Entries were shown already: say what is wrong rather than read them twice, and
            // drop our own cache file so that the next open reads the files and rebuilds it.
            let _ = std::fs::remove_file(cache_file);
            passed_over(paths, sink);
            sink(LoadEvent::Problem(Problem {
                path: cache_file.display().to_string(),
                row: None,
                message: format!(
                    "index cache: {miss}; some cables may be missing until the next open"
                ),
                skipped: true,
                severity: Severity::Problem,
            }));
            sink(LoadEvent::Done {
                progress: Progress {
                    checking: 0,
                    ..progress
                },
                elapsed: started.elapsed(),
                save_as: None,
            });
        }
    }
}

/// What a cache handed over: how many cables of each of its files, and the progress shown.
struct Shown {
    cables_per_file: Vec<u64>,
    progress: Progress,
}

/// Files read again are handed over after this long, then after twice as long each time:
/// the app rebuilds its rows for each [`LoadEvent::Replace`], so a folder whose every file
/// changed shows progress without being rebuilt per batch (a few times in all).
const REPLACE_EVERY: Duration = Duration::from_millis(250);

/// The check after a cache was shown, given the inputs as walked and stat'ed (no file is
/// opened for that): reads again on every core the files whose stamps changed or that are
/// new, hands them over as [`LoadEvent::Replace`] with the files removed, and saves the
/// cache anew, in walking order, if anything changed; then reports the load done.
fn refresh(
    cache_file: &Path,
    saved: &cache::SavedCache,
    shown: Shown,
    walked: io::Result<cache::Walked>,
    started: Instant,
    cancel: &AtomicBool,
    sink: &mut dyn FnMut(LoadEvent),
) {
    let mut progress = shown.progress;
    let done = |progress: Progress, save_as, sink: &mut dyn FnMut(LoadEvent)| {
        sink(LoadEvent::Done {
            progress: Progress {
                checking: 0,
                ..progress
            },
            elapsed: started.elapsed(),
            save_as,
        })
    };
    let Ok(now) = walked else {
        // Nothing could be checked (the stamping failed): the cables stay as cached.
        return done(progress, None, sink);
    };
    // Problems make the corpus not cached again; notices (files passed over) do not.
    let mut problems = 0;
    for p in &now.problems {
        problems += usize::from(!p.is_notice());
        progress.problems += u64::from(p.skipped);
        sink(LoadEvent::Problem(p.clone()));
    }
    let size: u64 = now.key.files.iter().map(|f| f.size).sum();
    progress.bytes = size;
    progress.total_bytes = size;
    // A key that cannot be read (the checksum makes it all but impossible) stamps nothing:
    // every file is read again.
    let saved_key = saved.key().unwrap_or_else(|_| CacheKey {
        files: Vec::new(),
        ..now.key.clone()
    });
    let changes = cache::changes(&saved_key, saved.files(), &now);
    if changes.is_empty() && now.key == saved_key {
        return done(progress, None, sink);
    }
    // Whether each file read again had cables in the cache, and how many.
    let mut in_cache = cache::InStep::new(saved.files(), PathBuf::as_path);
    let cached_count: HashMap<&Path, u64> = changes
        .reread
        .iter()
        .chain(&changes.removed)
        .filter_map(|path| {
            let i = in_cache.find(path)?;
            Some((path.as_path(), shown.cables_per_file.get(i).copied()?))
        })
        .collect();
    // What each file read again now holds, for the cache saved after.
    let mut reread: HashMap<PathBuf, Vec<Entry>> = HashMap::new();
    let mut replace =
        |files: Vec<FileCables>, progress: &mut Progress, sink: &mut dyn FnMut(LoadEvent)| {
            if files.is_empty() {
                return;
            }
            for file in &files {
                let before = cached_count.get(file.path.as_path()).copied().unwrap_or(0);
                progress.cables -= before.min(progress.cables);
                progress.cables += file.entries.len() as u64;
                reread.insert(file.path.clone(), file.entries.clone());
            }
            sink(LoadEvent::Replace {
                files,
                progress: *progress,
            });
        };
    let removed = changes
        .removed
        .iter()
        .map(|path| FileCables {
            path: path.clone(),
            entries: Vec::new(),
        })
        .collect();
    replace(removed, &mut progress, sink);
    if !changes.reread.is_empty() {
        let mut ready = Vec::new();
        let (mut last_sent, mut every) = (Instant::now(), REPLACE_EVERY);
        let mut handed_over = HashSet::new();
        let mut read = ReadAgain::default();
        // Their sizes, from the walk's stamps (in walking order, as they are).
        let mut next_reread = changes.reread.iter().peekable();
        let bytes = (now.paths.iter().zip(&now.key.files))
            .filter(|(path, _)| next_reread.next_if_eq(path).is_some())
            .map(|(_, stamp)| stamp.size)
            .sum();
        load_sized(&changes.reread, bytes, cancel, &mut |event| match event {
            LoadEvent::Batch { files, entries, .. } => {
                ready.extend(read.batch(files, entries));
                if last_sent.elapsed() >= every {
                    last_sent = Instant::now();
                    every *= 2;
                    handed_over.extend(ready.iter().map(|f: &FileCables| f.path.clone()));
                    replace(std::mem::take(&mut ready), &mut progress, sink);
                }
            }
            LoadEvent::Problem(p) => {
                problems += usize::from(!p.is_notice());
                progress.problems += u64::from(p.skipped);
                sink(LoadEvent::Problem(p));
            }
            LoadEvent::Replace { .. } | LoadEvent::Done { .. } => {}
        });
        ready.extend(read.current.take());
        handed_over.extend(ready.iter().map(|f| f.path.clone()));
        // A cached file read again without a cable now (emptied, unreadable) loses its cables.
        for path in &changes.reread {
            if cached_count.contains_key(path.as_path()) && !handed_over.contains(path) {
                ready.push(FileCables {
                    path: path.clone(),
                    entries: Vec::new(),
                });
            }
        }
        replace(ready, &mut progress, sink);
    }
    let complete = problems == 0 && !cancel.load(Ordering::Relaxed);
    // Best effort, as after a first open: without it the next open checks again.
    let save_as = complete
        .then(|| save_anew(cache_file, saved, &now, &changes.reread, reread))
        .flatten()
        .map(|()| now.key);
    done(progress, save_as, sink)
}

/// Saves the cache anew under the key of the files as `now` walked them, in walking order:
/// the entries of the files `reread` (as they hold them now) and the cached entries of the
/// others. `None` if it could not be saved.
fn save_anew(
    cache_file: &Path,
    saved: &cache::SavedCache,
    now: &cache::Walked,
    reread_paths: &[PathBuf],
    mut reread: HashMap<PathBuf, Vec<Entry>>,
) -> Option<()> {
    let mut cached = saved.entries().ok()?;
    let ranges = file_ranges(&cached, saved.files().len())?;
    let mut in_cache = cache::InStep::new(saved.files(), PathBuf::as_path);
    // Files read again come in walking order too.
    let mut next_reread = reread_paths.iter().peekable();
    let mut writer = cache::CacheWriter::new();
    let mut index = 0u32;
    for path in &now.paths {
        let entries: &mut [Entry] = if next_reread.next_if_eq(&path).is_some() {
            match reread.get_mut(path) {
                Some(entries) => entries,
                None => continue,
            }
        } else {
            match in_cache.find(path) {
                Some(i) => &mut cached[ranges[i].clone()],
                None => continue,
            }
        };
        if entries.is_empty() {
            continue;
        }
        for entry in entries.iter_mut() {
            entry.location.file = index;
        }
        index += 1;
        writer.add(std::slice::from_ref(path), &*entries).ok()?;
    }
    writer.save_over(cache_file, &now.key).ok()
}

/// Where each file's entries lie among a cache's (in reading order, each file's together);
/// `None` if some file's are not together.
fn file_ranges(entries: &[Entry], files: usize) -> Option<Vec<Range<usize>>> {
    let mut ranges = vec![0..0; files];
    let mut start = 0;
    for (i, entry) in entries.iter().enumerate() {
        let file = entry.location.file;
        if entries
            .get(i + 1)
            .is_some_and(|next| next.location.file == file)
        {
            continue;
        }
        let range = ranges.get_mut(file as usize)?;
        if range.end != 0 {
            return None;
        }
        *range = start..i + 1;
        start = i + 1;
    }
    Some(ranges)
}

/// The cables of files read again, put together file by file from a load's batches (a dump
/// may come in several): a file is whole once the next one starts.
#[derive(Default)]
struct ReadAgain {
    files: Vec<PathBuf>,
    current: Option<FileCables>,
}

impl ReadAgain {
    /// The files this batch completes.
    fn batch(&mut self, files: Vec<PathBuf>, entries: Vec<Entry>) -> Vec<FileCables> {
        self.files.extend(files);
        let mut whole = Vec::new();
        for mut entry in entries {
            let Some(path) = self.files.get(entry.location.file as usize) else {
                continue;
            };
            entry.location.file = 0;
            match &mut self.current {
                Some(file) if file.path == *path => file.entries.push(entry),
                current => {
                    let next = FileCables {
                        path: path.clone(),
                        entries: vec![entry],
                    };
                    whole.extend(current.replace(next));
                }
            }
        }
        whole
    }
}

/// A first open, or one whose cache cannot be used (`miss` says why): the key is taken
/// (before reading, so a file changed during the read misses next time), the files read,
/// and the cache saved under the key before the load is reported done.
fn read_whole(
    paths: &[PathBuf],
    cache_file: &Path,
    miss: CacheMiss,
    cancel: &AtomicBool,
    sink: &mut dyn FnMut(LoadEvent),
) {
    let Ok(walked) = cache::key_and_walk(paths) else {
        return load(paths, cancel, sink);
    };
    let key = walked.key;
    let bytes: u64 = key.files.iter().map(|f| f.size).sum();
    if let CacheMiss::Untrusted(_) = miss {
        // A cache folder others can write to, or a cache naming files outside the
        // corpus, is the user's to know about; the cables are read all the same.
        sink(LoadEvent::Problem(Problem {
            path: cache_file.display().to_string(),
            row: None,
            message: miss.to_string(),
            skipped: false,
            severity: Severity::Problem,
        }));
    }
    let mut problems = 0;
    // Built as the cables arrive and saved before the load is reported done, so the
    // cache is there even if the user quits at once.
    let mut writer = Some(cache::CacheWriter::new());
    load_sized(paths, bytes, cancel, &mut |event| match event {
        LoadEvent::Done {
            progress, elapsed, ..
        } => {
            // Problems are reported on every open: a corpus with some is not cached.
            // Notices are not kept in the cache either, but found again by a walk.
            let complete = problems == 0 && !cancel.load(Ordering::Relaxed);
            if complete && let Some(writer) = writer.take() {
                // Best effort: without a cache the next open reads the files again.
                let _ = writer.save(cache_file, &key);
            }
            sink(LoadEvent::Done {
                progress,
                elapsed,
                save_as: complete.then(|| key.clone()),
            });
        }
        LoadEvent::Problem(p) => {
            if !p.is_notice() {
                problems += 1;
                writer = None;
            }
            sink(LoadEvent::Problem(p));
        }
        LoadEvent::Batch {
            files,
            entries,
            progress,
        } => {
            if let Some(w) = writer.as_mut()
                && w.add(&files, &entries).is_err()
            {
                writer = None;
            }
            sink(LoadEvent::Batch {
                files,
                entries,
                progress,
            });
        }
        // Only a cached open replaces files.
        LoadEvent::Replace { .. } => {}
    });
}

/// Reports the files a walk of `paths` passes over, as the reader would (in the same words).
fn passed_over(paths: &[PathBuf], sink: &mut dyn FnMut(LoadEvent)) {
    for path in paths {
        read::walk::files(path, true, &mut |found| {
            if let Err(p) = found
                && p.is_notice()
            {
                sink(LoadEvent::Problem(p));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::{BATCH, gather};
    use super::*;
    use crate::cable::{Cable, RawCable};
    use crate::read::{Event, ReadOptions};
    use crate::synth::demo_csv;

    #[cfg(unix)]
    #[test]
    fn an_untrusted_cache_is_reported_and_the_files_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("demo.csv");
        std::fs::write(&csv, demo_csv(40, 3)).unwrap();
        let paths = vec![csv];
        let folder = dir.path().join("cache");
        let cache_file = folder.join("index.bin");
        let mut events = Vec::new();
        load_cached_at(&paths, &cache_file, &AtomicBool::new(false), &mut |e| {
            events.push(e)
        });
        let Some(LoadEvent::Done {
            save_as: Some(key), ..
        }) = events.pop()
        else {
            panic!("no key to save the cache under");
        };
        let (files, entries) = gather(events);
        cache::save(&cache_file, &key, &files, &entries).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
        let mut problems = Vec::new();
        let mut read = 0;
        load_cached_at(
            &paths,
            &cache_file,
            &AtomicBool::new(false),
            &mut |e| match e {
                LoadEvent::Problem(p) => problems.push(p),
                LoadEvent::Batch { entries, .. } => read += entries.len(),
                LoadEvent::Replace { .. } | LoadEvent::Done { .. } => {}
            },
        );
        assert_eq!(read, 40);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(!problems[0].skipped);
        assert!(
            problems[0].to_string().contains("others can write"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn the_cache_is_saved_before_the_load_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("demo.csv");
        std::fs::write(&csv, demo_csv(30, 3)).unwrap();
        let paths = vec![csv];
        let cache_file = dir.path().join("cache").join("index.bin");
        let mut saved_at_done = None;
        load_cached_at(&paths, &cache_file, &AtomicBool::new(false), &mut |e| {
            if let LoadEvent::Done { save_as, .. } = e {
                let key = save_as.expect("read from the files");
                // What a user quitting now (the app's own save never run) finds next time.
                saved_at_done = Some(cache::load(&cache_file, &key).map(|(_, e)| e.len()));
            }
        });
        assert_eq!(saved_at_done.unwrap().unwrap(), 30);
        let mut batches = 0;
        load_cached_at(&paths, &cache_file, &AtomicBool::new(false), &mut |e| {
            if let LoadEvent::Batch { entries, .. } = e {
                batches += 1;
                assert_eq!(entries.len(), 30);
            }
        });
        assert_eq!(batches, 1, "read from the cache");
    }

    /// What an open handed over, applied as the app applies it.
    #[derive(Default)]
    struct Opened {
        batches: usize,
        /// The events in order, named: `batch`, `replace`, `problem`, `done`.
        events: Vec<&'static str>,
        /// Every file's entries as the batches and replacements left them (file index 0).
        by_path: BTreeMap<PathBuf, Vec<Entry>>,
        /// The files of the replacements, in order, with how many cables each holds now.
        replaced: Vec<(PathBuf, usize)>,
        /// The entries of the batches as they came (indices into the batches' files).
        batch_files: Vec<PathBuf>,
        batch_entries: Vec<Entry>,
        problems: Vec<Problem>,
        save_as: Option<CacheKey>,
    }

    fn collect(run: impl FnOnce(&mut dyn FnMut(LoadEvent))) -> Opened {
        let mut o = Opened::default();
        run(&mut |e| match e {
            LoadEvent::Batch { files, entries, .. } => {
                o.batches += 1;
                o.events.push("batch");
                o.batch_files.extend(files);
                for entry in &entries {
                    let path = o.batch_files[entry.location.file as usize].clone();
                    let mut entry = entry.clone();
                    entry.location.file = 0;
                    o.by_path.entry(path).or_default().push(entry);
                }
                o.batch_entries.extend(entries);
            }
            LoadEvent::Replace { files, .. } => {
                o.events.push("replace");
                for file in files {
                    o.replaced.push((file.path.clone(), file.entries.len()));
                    o.by_path.remove(&file.path);
                    if !file.entries.is_empty() {
                        o.by_path.insert(file.path, file.entries);
                    }
                }
            }
            LoadEvent::Problem(p) => {
                o.events.push("problem");
                o.problems.push(p);
            }
            LoadEvent::Done { save_as, .. } => {
                o.events.push("done");
                o.save_as = save_as;
            }
        });
        o
    }

    /// A folder of pages, one cable each, plus a dump large enough to come in several
    /// batches, with its cache opened once (read from the files).
    struct Pages {
        _dir: tempfile::TempDir,
        root: PathBuf,
        cache_file: PathBuf,
        generator: crate::synth::Generator,
    }

    impl Pages {
        fn new(names: &[&str]) -> Pages {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("corpus");
            std::fs::create_dir(&root).unwrap();
            std::fs::write(root.join("a.csv"), demo_csv(BATCH * 2, 3)).unwrap();
            let cache_file = dir.path().join("cache").join("index.bin");
            let mut pages = Pages {
                _dir: dir,
                root,
                cache_file,
                generator: crate::synth::Generator::new(5),
            };
            for name in names {
                pages.write(name);
            }
            let cold = pages.open();
            assert!(cold.batches > 1);
            assert!(cold.save_as.is_some());
            pages
        }

        /// Writes a page holding a new cable; returns its id.
        fn write(&mut self, name: &str) -> String {
            let cable = self.generator.next_cable();
            let mut bytes = Vec::new();
            crate::synth::write_html(&mut bytes, &cable).unwrap();
            std::fs::write(self.root.join(name), bytes).unwrap();
            Cable::for_index(&read_one(&self.root.join(name)))
                .id
                .to_string()
        }

        fn open(&self) -> Opened {
            let paths = vec![self.root.clone()];
            collect(|sink| load_cached_at(&paths, &self.cache_file, &AtomicBool::new(false), sink))
        }

        fn whole(&self) -> Opened {
            collect(|sink| {
                load(
                    std::slice::from_ref(&self.root),
                    &AtomicBool::new(false),
                    sink,
                )
            })
        }

        fn path(&self, name: &str) -> PathBuf {
            self.root.join(name)
        }

        /// The cache as saved now, for the inputs as they are now.
        fn saved(&self) -> (Vec<PathBuf>, Vec<Entry>) {
            let key = cache::key_for(std::slice::from_ref(&self.root)).unwrap();
            cache::load(&self.cache_file, &key).unwrap()
        }
    }

    fn read_one(path: &Path) -> RawCable {
        let mut raws = Vec::new();
        read::read_file(path, &ReadOptions::default(), &mut |e| {
            if let Event::Cable(raw) = e {
                raws.push(*raw);
            }
        });
        raws.pop().unwrap()
    }

    fn ids(entries: &[Entry]) -> Vec<String> {
        entries.iter().map(|e| e.id.to_string()).collect()
    }

    #[test]
    fn after_a_change_only_the_changed_files_are_read_again() {
        let mut pages = Pages::new(&["b.html", "c.html", "d.html"]);
        pages.write("c.html");
        pages.write("e.html");
        std::fs::remove_file(pages.path("b.html")).unwrap();
        let opened = pages.open();
        assert_eq!(opened.batches, 1, "the dump's cables came from the cache");
        assert!(opened.problems.is_empty(), "{:?}", opened.problems);
        let mut replaced = opened.replaced.clone();
        replaced.sort();
        assert_eq!(
            replaced,
            vec![
                (pages.path("b.html"), 0),
                (pages.path("c.html"), 1),
                (pages.path("e.html"), 1)
            ],
            "only the changed files"
        );
        let whole = pages.whole();
        assert_eq!(opened.by_path, whole.by_path);
        // Saved anew, in walking order: the next open is a plain hit, as a first open.
        assert!(opened.save_as.is_some());
        let again = pages.open();
        assert_eq!(again.events, ["batch", "done"]);
        assert_eq!(again.batch_files, whole.batch_files);
        assert_eq!(again.batch_entries, whole.batch_entries);
    }

    #[test]
    fn the_cached_cables_come_before_any_file_is_looked_at() {
        let pages = Pages::new(&["b.html", "c.html"]);
        let b = ids(&pages.open().by_path[&pages.path("b.html")]);
        std::fs::remove_file(pages.path("b.html")).unwrap();
        let opened = pages.open();
        // The first batch still holds the removed page's cable: nothing was stat'ed before.
        assert_eq!(opened.events[0], "batch");
        assert!(ids(&opened.batch_entries).contains(&b[0]));
        assert_eq!(opened.events[1..], ["replace", "done"]);
        assert_eq!(opened.replaced, vec![(pages.path("b.html"), 0)]);
        assert!(!opened.by_path.contains_key(&pages.path("b.html")));
        let (_, saved) = pages.saved();
        assert!(!ids(&saved).contains(&b[0]));
    }

    #[test]
    fn an_edited_file_is_replaced_alone_and_saved() {
        let mut pages = Pages::new(&["b.html", "c.html", "d.html"]);
        let before = pages.open();
        let old_c = ids(&before.by_path[&pages.path("c.html")]);
        let new_c = pages.write("c.html");
        assert_ne!(old_c[0], new_c);
        let opened = pages.open();
        assert_eq!(opened.events, ["batch", "replace", "done"]);
        assert_eq!(opened.replaced, vec![(pages.path("c.html"), 1)]);
        assert_eq!(
            ids(&opened.by_path[&pages.path("c.html")]),
            [new_c.as_str()]
        );
        // The others as they were.
        let mut others = opened.by_path.clone();
        let mut before_others = before.by_path.clone();
        others.remove(&pages.path("c.html"));
        before_others.remove(&pages.path("c.html"));
        assert_eq!(others, before_others);
        let (files, saved) = pages.saved();
        let saved_c: Vec<String> = saved
            .iter()
            .filter(|e| files[e.location.file as usize] == pages.path("c.html"))
            .map(|e| e.id.to_string())
            .collect();
        assert_eq!(saved_c, [new_c]);
        assert!(!ids(&saved).contains(&old_c[0]));
        assert_eq!(pages.open().events, ["batch", "done"]);
    }

    #[test]
    fn a_new_file_is_added_and_an_emptied_one_dropped() {
        let mut pages = Pages::new(&["b.html", "c.html"]);
        let e = pages.write("e.html");
        std::fs::write(pages.path("c.html"), "no cable here any more").unwrap();
        let opened = pages.open();
        assert_eq!(opened.batches, 1);
        let mut replaced = opened.replaced.clone();
        replaced.sort();
        assert_eq!(
            replaced,
            vec![(pages.path("c.html"), 0), (pages.path("e.html"), 1)]
        );
        assert_eq!(ids(&opened.by_path[&pages.path("e.html")]), [e]);
        assert!(!opened.by_path.contains_key(&pages.path("c.html")));
        // Reported as a first open reports it; a corpus with a problem is not cached.
        assert_eq!(opened.problems.len(), 1, "{:?}", opened.problems);
        assert!(opened.save_as.is_none());
        assert_eq!(opened.by_path, pages.whole().by_path);
    }

    #[test]
    fn a_cache_that_cannot_be_trusted_is_not_shown_and_the_files_are_read() {
        let pages = Pages::new(&["b.html", "c.html"]);
        let whole = pages.whole();
        let inputs = vec![pages.root.clone()];
        let key = cache::key_for(&inputs).unwrap();
        let (files, entries) = pages.saved();
        let outside = pages.root.parent().unwrap().join("elsewhere.html");
        let mut planted = files.clone();
        planted[0] = outside.clone();
        let other_reader = CacheKey {
            reader: "another reader".into(),
            ..key.clone()
        };
        let cases: [(&str, &dyn Fn()); 3] = [
            ("names a file outside", &|| {
                cache::save(&pages.cache_file, &key, &planted, &entries).unwrap()
            }),
            ("another reader", &|| {
                cache::save(&pages.cache_file, &other_reader, &files, &entries).unwrap()
            }),
            ("damaged", &|| {
                std::fs::write(&pages.cache_file, b"CTINDEX\x1a garbage").unwrap()
            }),
        ];
        for (case, spoil) in cases {
            let _ = std::fs::remove_file(&pages.cache_file);
            spoil();
            let opened = pages.open();
            assert!(
                opened.replaced.is_empty(),
                "{case}: read whole, nothing replaced"
            );
            assert_eq!(opened.by_path, whole.by_path, "{case}");
            assert!(!opened.batch_files.contains(&outside), "{case}");
            assert!(opened.save_as.is_some(), "{case}: saved anew");
            let untrusted = opened
                .problems
                .iter()
                .any(|p| p.message.contains("not in the corpus"));
            assert_eq!(untrusted, case == "names a file outside", "{case}");
            assert_eq!(
                pages.open().events,
                ["batch", "done"],
                "{case}: a good cache again"
            );
        }
    }
}
