//! Reading a corpus in the background: inputs are walked, every cable is interpreted and
//! indexed (on all cores), and the caller receives entries in batches, in reading order, with
//! progress, so a table can fill as cables arrive. From the index cache ([`load_cached`]) the
//! cached entries come first, at once; files changed since follow as [`LoadEvent::Replace`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender, SyncSender};
use std::time::{Duration, Instant};

use super::cache::CacheKey;
use super::{Entry, Location};
use crate::cable::Cable;
use crate::cable::RawCable;
use crate::read::{self, Event, Problem, ReadOptions, Severity};

mod cached;
pub use cached::load_cached;

/// How often, at most, progress is reported while reading.
const REPORT_EVERY: Duration = Duration::from_millis(50);
const BATCH: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub cables: u64,
    pub bytes: u64,
    /// Bytes of all inputs, known after a quick walk before reading.
    pub total_bytes: u64,
    pub problems: u64,
    /// Files whose stamps are being checked against the index cache whose cables were
    /// shown; 0 when no check is under way.
    pub checking: u64,
}

/// The cables one file holds now, for [`LoadEvent::Replace`]; each entry's
/// [`Location::file`] is 0 and means `path`.
#[derive(Debug, Clone, PartialEq)]
pub struct FileCables {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

#[derive(Debug)]
pub enum LoadEvent {
    /// New files (their indices follow the ones sent before) and the entries read from them.
    Batch {
        files: Vec<PathBuf>,
        entries: Vec<Entry>,
        progress: Progress,
    },
    /// After a cache's entries were handed over: files whose `stat` changed since it was
    /// saved, read again, new files and removed ones. Each file's entries replace every
    /// entry held from its path: a new file adds its cables, a removed one (or one with no
    /// cable any more) drops them.
    Replace {
        files: Vec<FileCables>,
        progress: Progress,
    },
    /// A problem with an input, or a notice of a file passed over ([`Problem::is_notice`]).
    Problem(Problem),
    Done {
        progress: Progress,
        elapsed: Duration,
        /// Set when the corpus was read from its files, without problems (notices do not
        /// count), by [`load_cached`]: the key the index cache was saved under, before this
        /// event ([`super::cache::save`] under it again finds it saved and does nothing).
        save_as: Option<CacheKey>,
    },
}

/// Cables handed to a worker at a time.
const WORK: usize = 512;

/// One-cable files (pages, text files) handed to a worker at a time, to read and interpret.
const FILES_WORK: usize = 32;

/// Work for the workers, numbered so results come out in reading order.
struct Work {
    seq: u64,
    job: Job,
    /// Bytes of the inputs read up to the end of this batch.
    bytes: u64,
}

enum Job {
    /// Raw cables the reader split from a dump (or standard input), each with the index of
    /// its file in `files`, the files met in this batch.
    Raws {
        files: Vec<PathBuf>,
        /// `files[0]` is the last file of the batch before (a dump read in several batches).
        continues: bool,
        raws: Vec<(u32, RawCable)>,
    },
    /// One-cable files for the worker to read itself, so that reading and splitting pages,
    /// the larger part of opening a folder of them, is spread over every core too.
    Files(Vec<PathBuf>),
}

enum Done {
    Entries {
        seq: u64,
        /// The files the entries name, by index into this list.
        files: Vec<PathBuf>,
        continues: bool,
        entries: Vec<Entry>,
        bytes: u64,
    },
    Problem(Problem),
}

/// The next piece of work of a queue that several workers share; `None` once the queue is
/// closed (or a worker panicked holding it).
pub(crate) fn next_work<T>(queue: &Mutex<mpsc::Receiver<T>>) -> Option<T> {
    let next = match queue.lock() {
        Ok(rx) => rx.recv(),
        Err(_) => return None,
    };
    next.ok()
}

/// The files and entries of a load's batches, gathered in reading order: what scripts,
/// tests and benches want when they need the whole corpus at once.
pub fn gather(events: impl IntoIterator<Item = LoadEvent>) -> (Vec<PathBuf>, Vec<Entry>) {
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for event in events {
        if let LoadEvent::Batch {
            files: f,
            entries: e,
            ..
        } = event
        {
            files.extend(f);
            entries.extend(e);
        }
    }
    (files, entries)
}

/// Reads every input on this thread's behalf and returns its files and entries.
pub fn read_all(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Entry>) {
    let mut events = Vec::new();
    load(paths, &AtomicBool::new(false), &mut |e| events.push(e));
    gather(events)
}

/// Reads every input, sending batches to `sink` until done or `cancel` is set.
///
/// One thread walks the inputs and splits dumps (sequential reads), the workers read one-cable
/// files and interpret the cables (the costly part, at index depth: see
/// [`Cable::for_index`]), and this thread puts the results back in reading order, numbers
/// the files, and reports them.
pub fn load(paths: &[PathBuf], cancel: &AtomicBool, sink: &mut dyn FnMut(LoadEvent)) {
    load_sized(paths, total_size(paths), cancel, sink)
}

/// [`load`], with the bytes of all inputs known already (from a cache key's stamps), which
/// spares a walk of them.
fn load_sized(
    paths: &[PathBuf],
    total_bytes: u64,
    cancel: &AtomicBool,
    sink: &mut dyn FnMut(LoadEvent),
) {
    // Every way of reading reports a cable read twice.
    let (outer, mut ids) = (sink, IdCheck::default());
    let sink = &mut |event| ids.pass(event, outer);
    let started = Instant::now();
    let mut progress = Progress {
        total_bytes,
        ..Progress::default()
    };
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let (work_tx, work_rx) = mpsc::sync_channel::<Work>(workers * 2);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        let reader_done = done_tx.clone();
        scope.spawn(move || read_inputs(paths, cancel, &work_tx, &reader_done));
        for _ in 0..workers {
            let done = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || {
                while let Some(work) = next_work(work_rx) {
                    let sent = done.send(run_job(work, &done));
                    if sent.is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Results arrive out of order from the workers; they are reported in order.
        let mut waiting: BTreeMap<u64, (Vec<PathBuf>, bool, Vec<Entry>, u64)> = BTreeMap::new();
        let mut next = 0u64;
        let mut file_count = 0u32;
        let mut batch_files = Vec::new();
        let mut batch = Vec::with_capacity(BATCH);
        let mut last_report = Instant::now();
        for done in done_rx {
            match done {
                Done::Problem(p) => {
                    if p.skipped {
                        progress.problems += 1;
                    }
                    sink(LoadEvent::Problem(p));
                }
                Done::Entries {
                    seq,
                    files,
                    continues,
                    entries,
                    bytes,
                } => {
                    waiting.insert(seq, (files, continues, entries, bytes));
                    while let Some((files, continues, mut entries, bytes)) = waiting.remove(&next) {
                        next += 1;
                        // Local file numbers become the corpus's.
                        let first = if continues {
                            file_count.saturating_sub(1)
                        } else {
                            file_count
                        };
                        for entry in &mut entries {
                            entry.location.file += first;
                        }
                        let new = usize::from(continues).min(files.len());
                        file_count += (files.len() - new) as u32;
                        batch_files.extend(files.into_iter().skip(new));
                        progress.cables += entries.len() as u64;
                        progress.bytes = progress.bytes.max(bytes);
                        batch.extend(entries);
                        if batch.len() >= BATCH || last_report.elapsed() >= REPORT_EVERY {
                            last_report = Instant::now();
                            sink(LoadEvent::Batch {
                                files: std::mem::take(&mut batch_files),
                                entries: std::mem::replace(&mut batch, Vec::with_capacity(BATCH)),
                                progress,
                            });
                        }
                    }
                }
            }
        }
        if !batch.is_empty() || !batch_files.is_empty() {
            sink(LoadEvent::Batch {
                files: batch_files,
                entries: batch,
                progress,
            });
        }
    });
    sink(LoadEvent::Done {
        progress,
        elapsed: started.elapsed(),
        save_as: None,
    });
}

/// The ids of the cables read so far, checked as they are handed on. A cable without an id
/// is dropped, as a problem, as `parse` drops it ([`read::recognise::NO_ID`]). A cable read
/// twice (the same id in two files, or twice in one) is reported once, as a notice naming
/// both places: the corpus keeps the first copy read, in walking order, for lookups by id
/// ([`super::Corpus::push`]).
#[derive(Default)]
struct IdCheck {
    files: Vec<PathBuf>,
    /// Where each id was first read, and whether its duplicate was reported.
    first: HashMap<Box<str>, (Location, bool)>,
    /// Cables dropped so far, for the progress counts.
    dropped: u64,
}

impl IdCheck {
    /// Hands `event` on, without its cables that have no id, followed by a problem for each
    /// of those and a notice for each id its entries repeat for the first time.
    fn pass(&mut self, mut event: LoadEvent, sink: &mut dyn FnMut(LoadEvent)) {
        let mut reports = Vec::new();
        match &mut event {
            LoadEvent::Batch {
                files,
                entries,
                progress,
            } => {
                self.files.extend(files.iter().cloned());
                self.drop_without_id(entries, &mut reports);
                self.report_duplicates(entries, &mut reports);
                self.count_dropped(progress);
            }
            LoadEvent::Done { progress, .. } => self.count_dropped(progress),
            LoadEvent::Replace { .. } | LoadEvent::Problem(_) => {}
        }
        sink(event);
        for report in reports {
            sink(LoadEvent::Problem(report));
        }
    }

    fn drop_without_id(&mut self, entries: &mut Vec<Entry>, reports: &mut Vec<Problem>) {
        if entries.iter().all(|e| !e.id.is_empty()) {
            return;
        }
        let before = entries.len();
        entries.retain(|e| {
            if e.id.is_empty() {
                let file = Location {
                    row: 0,
                    ..e.location
                };
                reports.push(Problem {
                    path: place(&self.files, &file),
                    row: Some(e.location.row).filter(|&row| row > 0),
                    message: read::recognise::NO_ID.into(),
                    skipped: true,
                    severity: Severity::Problem,
                });
            }
            !e.id.is_empty()
        });
        self.dropped += (before - entries.len()) as u64;
    }

    fn report_duplicates(&mut self, entries: &[Entry], reports: &mut Vec<Problem>) {
        for entry in entries {
            match self.first.get_mut(&entry.id) {
                None => {
                    self.first.insert(entry.id.clone(), (entry.location, false));
                }
                Some((first, reported @ false)) => {
                    *reported = true;
                    reports.push(Problem {
                        path: place(&self.files, &entry.location),
                        row: None,
                        message: format!(
                            "{} read again, first read from {}: the first copy is kept",
                            entry.id,
                            place(&self.files, first)
                        ),
                        skipped: false,
                        severity: Severity::Notice,
                    });
                }
                Some(_) => {}
            }
        }
    }

    /// Progress counts the cables handed on: the ones dropped are problems.
    fn count_dropped(&self, progress: &mut Progress) {
        progress.cables = progress.cables.saturating_sub(self.dropped);
        progress.problems += self.dropped;
    }
}

/// `path`, or `path:row` in a dump.
fn place(files: &[PathBuf], at: &Location) -> String {
    let path = files
        .get(at.file as usize)
        .map_or_else(|| "?".to_string(), |p| p.display().to_string());
    match at.row {
        0 => path,
        row => format!("{path}:{row}"),
    }
}

/// The reader: walks and reads the inputs in order, in batches for the workers.
fn read_inputs(
    paths: &[PathBuf],
    cancel: &AtomicBool,
    work: &SyncSender<Work>,
    done: &Sender<Done>,
) {
    let mut reader = Reader {
        seq: 0,
        work,
        done,
        bytes: 0,
        raws: Vec::with_capacity(WORK),
        raw_files: Vec::new(),
        continues: false,
        last_path: None,
        current_size: 0,
        files: Vec::new(),
        stop: false,
    };
    let opts = ReadOptions::default();
    for path in paths {
        if reader.stopped(cancel) {
            return;
        }
        if path.as_os_str() == "-" {
            reader.send_files();
            read::read_paths(std::slice::from_ref(path), &opts, &mut |e| {
                reader.event(e, cancel)
            });
            continue;
        }
        read::walk::files(path, true, &mut |found| {
            if reader.stopped(cancel) {
                return;
            }
            match found {
                Err(p) => {
                    let _ = done.send(Done::Problem(p));
                }
                // Dumps are split here, as they come, and their cables shared out.
                Ok(file) if read::guess_format(&file) == read::Format::Csv => {
                    reader.send_files();
                    read::read_file(&file, &opts, &mut |e| reader.event(e, cancel));
                }
                Ok(file) => {
                    reader.send_raws();
                    reader.bytes += size_of(&file);
                    reader.files.push(file);
                    if reader.files.len() >= FILES_WORK {
                        reader.send_files();
                    }
                }
            }
        });
    }
    if reader.stopped(cancel) {
        return;
    }
    reader.send_raws();
    reader.send_files();
}

/// The reader's state between files: the batch being filled, of raw cables or of files.
struct Reader<'a> {
    seq: u64,
    work: &'a SyncSender<Work>,
    done: &'a Sender<Done>,
    /// Bytes of the inputs read so far (files handed on count whole).
    bytes: u64,
    raws: Vec<(u32, RawCable)>,
    raw_files: Vec<PathBuf>,
    continues: bool,
    /// The file of the last raw cable, with its size once it is done.
    last_path: Option<String>,
    current_size: u64,
    files: Vec<PathBuf>,
    stop: bool,
}

impl Reader<'_> {
    fn stopped(&mut self, cancel: &AtomicBool) -> bool {
        if cancel.load(Ordering::Relaxed) {
            self.stop = true;
        }
        self.stop
    }

    fn send(&mut self, job: Job, bytes: u64) {
        let work = Work {
            seq: self.seq,
            job,
            bytes,
        };
        self.seq += 1;
        if self.work.send(work).is_err() {
            self.stop = true;
        }
    }

    fn event(&mut self, event: Event, cancel: &AtomicBool) {
        if self.stopped(cancel) {
            return;
        }
        match event {
            Event::Problem(p) => {
                let _ = self.done.send(Done::Problem(p));
            }
            Event::Cable(raw) => {
                let path = &raw.source.path;
                if self.last_path.as_ref() != Some(path) {
                    self.bytes += self.current_size;
                    self.current_size = size_of(Path::new(path));
                    self.last_path = Some(path.clone());
                    self.raw_files.push(PathBuf::from(path));
                } else if self.raw_files.is_empty() {
                    // The file goes on from the batch before.
                    self.continues = true;
                    self.raw_files.push(PathBuf::from(path));
                }
                let at = self.bytes + raw.source.offset.unwrap_or(0);
                self.raws.push(((self.raw_files.len() - 1) as u32, *raw));
                if self.raws.len() >= WORK {
                    self.send_raws_at(at);
                }
            }
        }
    }

    fn send_raws_at(&mut self, bytes: u64) {
        if self.raws.is_empty() {
            return;
        }
        let job = Job::Raws {
            files: std::mem::take(&mut self.raw_files),
            continues: std::mem::take(&mut self.continues),
            raws: std::mem::replace(&mut self.raws, Vec::with_capacity(WORK)),
        };
        self.send(job, bytes);
    }

    /// Sends the raw cables of the dump being read, which ends it.
    fn send_raws(&mut self) {
        self.bytes += std::mem::take(&mut self.current_size);
        self.last_path = None;
        let bytes = self.bytes;
        self.send_raws_at(bytes);
        self.raw_files.clear();
        self.continues = false;
    }

    fn send_files(&mut self) {
        if !self.files.is_empty() {
            let files = std::mem::take(&mut self.files);
            let bytes = self.bytes;
            self.send(Job::Files(files), bytes);
        }
    }
}

/// A worker's part of a [`Work`]: the entries of its cables, with the files they name.
fn run_job(work: Work, done: &Sender<Done>) -> Done {
    let (files, continues, entries) = match work.job {
        Job::Raws {
            files,
            continues,
            raws,
        } => {
            let entries = raws.iter().map(|(file, raw)| entry(raw, *file)).collect();
            (files, continues, entries)
        }
        Job::Files(paths) => {
            let mut files = Vec::new();
            let mut entries = Vec::new();
            for path in paths {
                let mut found = false;
                read::read_file(&path, &ReadOptions::default(), &mut |event| match event {
                    Event::Cable(raw) => {
                        if !found {
                            found = true;
                            files.push(PathBuf::from(&raw.source.path));
                        }
                        entries.push(entry(&raw, (files.len() - 1) as u32));
                    }
                    Event::Problem(p) => {
                        let _ = done.send(Done::Problem(p));
                    }
                });
            }
            (files, false, entries)
        }
    };
    Done::Entries {
        seq: work.seq,
        files,
        continues,
        entries,
        bytes: work.bytes,
    }
}

fn entry(raw: &RawCable, file: u32) -> Entry {
    let location = Location {
        file,
        row: raw.source.row.unwrap_or(0),
        offset: raw.source.offset.unwrap_or(0),
    };
    Entry::from_owned(Cable::for_index(raw), location)
}

/// Sizes of every file the inputs name, for the progress line.
fn total_size(paths: &[PathBuf]) -> u64 {
    let mut total = 0;
    for path in paths {
        read::walk::files(path, true, &mut |found| {
            if let Ok(file) = found {
                total += size_of(&file);
            }
        });
    }
    total
}

fn size_of(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::demo_csv;

    #[test]
    fn batches_cover_every_cable_and_progress_reaches_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.csv");
        std::fs::write(&path, demo_csv(300, 3)).unwrap();
        std::fs::write(dir.path().join("junk.txt"), "").unwrap();
        let mut entries = 0;
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let mut done = None;
        load(
            &[dir.path().to_path_buf()],
            &AtomicBool::new(false),
            &mut |e| match e {
                LoadEvent::Batch {
                    files: f,
                    entries: e,
                    ..
                } => {
                    files.extend(f);
                    entries += e.len();
                }
                LoadEvent::Problem(p) => problems.push(p),
                LoadEvent::Done { progress, .. } => done = Some(progress),
                LoadEvent::Replace { .. } => panic!("a first read replaces nothing"),
            },
        );
        assert_eq!(entries, 300);
        assert_eq!(files, vec![path.clone()]);
        assert_eq!(problems.len(), 1);
        let done = done.unwrap();
        assert_eq!(done.cables, 300);
        assert_eq!(done.bytes, std::fs::metadata(&path).unwrap().len());
        assert_eq!(done.total_bytes, done.bytes);
    }

    #[test]
    fn pages_and_dumps_mixed_keep_reading_order_and_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.csv"), demo_csv(WORK + 100, 3)).unwrap();
        let mut generator = crate::synth::Generator::new(5);
        for _ in 0..(FILES_WORK * 2 + 3) {
            let cable = generator.next_cable();
            let path = root.join("b").join(crate::synth::html_path(&cable));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let mut page = Vec::new();
            crate::synth::write_html(&mut page, &cable).unwrap();
            std::fs::write(path, page).unwrap();
        }
        std::fs::write(root.join("c.txt"), "no cable here").unwrap();
        std::fs::write(root.join("d.csv"), demo_csv(10, 4)).unwrap();
        let paths = vec![root.to_path_buf()];
        let mut expected = Vec::new();
        read::read_paths(&paths, &ReadOptions::default(), &mut |e| {
            if let Event::Cable(raw) = e {
                expected.push((Cable::for_index(&raw).id, raw.source.path.clone()));
            }
        });
        let (mut files, mut entries, mut problems) = (Vec::new(), Vec::new(), 0);
        let mut bytes = 0;
        load(&paths, &AtomicBool::new(false), &mut |e| match e {
            LoadEvent::Batch {
                files: f,
                entries: e,
                ..
            } => {
                files.extend(f);
                entries.extend(e);
            }
            LoadEvent::Problem(_) => problems += 1,
            LoadEvent::Done { progress, .. } => bytes = progress.bytes,
            LoadEvent::Replace { .. } => panic!("a first read replaces nothing"),
        });
        let got: Vec<(String, String)> = entries
            .iter()
            .map(|e: &Entry| {
                let file = files[e.location.file as usize].display().to_string();
                (e.id.to_string(), file)
            })
            .collect();
        assert_eq!(got.len(), WORK + 100 + FILES_WORK * 2 + 3 + 10);
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(id, path)| (id.to_string(), path))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(files.len(), 2 + FILES_WORK * 2 + 3, "each file once");
        assert_eq!(problems, 1, "c.txt");
        assert_eq!(bytes, total_size(&paths));
    }

    #[test]
    fn cancel_stops_reading() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("demo.csv"), demo_csv(50, 3)).unwrap();
        let mut entries = 0;
        load(
            &[dir.path().to_path_buf()],
            &AtomicBool::new(true),
            &mut |e| {
                if let LoadEvent::Batch { entries: e, .. } = e {
                    entries += e.len();
                }
            },
        );
        assert_eq!(entries, 0);
    }
}
