//! Reading a corpus in the background: inputs are walked, every cable is interpreted and
//! indexed, and the caller receives entries in batches with progress, so a table can fill as
//! cables arrive.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{Entry, Location};
use crate::cable::Cable;
use crate::read::{self, Event, Problem, ReadOptions};

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
}

#[derive(Debug)]
pub enum LoadEvent {
    /// New files (their indices follow the ones sent before) and the entries read from them.
    Batch {
        files: Vec<PathBuf>,
        entries: Vec<Entry>,
        progress: Progress,
    },
    Problem(Problem),
    Done {
        progress: Progress,
        elapsed: Duration,
    },
}

/// Reads every input, sending batches to `sink` until done or `cancel` is set.
pub fn load(paths: &[PathBuf], cancel: &AtomicBool, sink: &mut dyn FnMut(LoadEvent)) {
    let started = Instant::now();
    let mut progress = Progress {
        total_bytes: total_size(paths),
        ..Progress::default()
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut new_files: Vec<PathBuf> = Vec::new();
    let mut entries = Vec::with_capacity(BATCH);
    let mut last_report = Instant::now();
    // Bytes of files finished before the current one.
    let mut done_bytes = 0u64;
    let mut current: Option<(String, u64)> = None;
    let opts = ReadOptions::default();
    let mut stop = false;
    read::read_paths(paths, &opts, &mut |event| {
        if stop || cancel.load(Ordering::Relaxed) {
            stop = true;
            return;
        }
        match event {
            Event::Problem(p) => {
                if p.skipped {
                    progress.problems += 1;
                }
                sink(LoadEvent::Problem(p));
            }
            Event::Cable(raw) => {
                let cable = Cable::from_raw(&raw);
                let path = &raw.source.path;
                if current.as_ref().is_none_or(|(p, _)| p != path) {
                    if let Some((_, size)) = current.take() {
                        done_bytes += size;
                    }
                    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                    current = Some((path.clone(), size));
                    files.push(PathBuf::from(path));
                    new_files.push(PathBuf::from(path));
                }
                let within = raw.source.offset.unwrap_or(0);
                progress.bytes = done_bytes + within;
                progress.cables += 1;
                let location = Location {
                    file: (files.len() - 1) as u32,
                    row: raw.source.row.unwrap_or(0),
                    offset: raw.source.offset.unwrap_or(0),
                };
                entries.push(Entry::from_cable(&cable, location));
                if entries.len() >= BATCH || last_report.elapsed() >= REPORT_EVERY {
                    last_report = Instant::now();
                    sink(LoadEvent::Batch {
                        files: std::mem::take(&mut new_files),
                        entries: std::mem::replace(&mut entries, Vec::with_capacity(BATCH)),
                        progress,
                    });
                }
            }
        }
    });
    if let Some((_, size)) = current {
        done_bytes += size;
    }
    progress.bytes = done_bytes.max(progress.bytes);
    if !entries.is_empty() || !new_files.is_empty() {
        sink(LoadEvent::Batch {
            files: new_files,
            entries,
            progress,
        });
    }
    sink(LoadEvent::Done {
        progress,
        elapsed: started.elapsed(),
    });
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
