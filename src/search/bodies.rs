//! The text of every cable, read again from the corpus's files: the index keeps no text.
//!
//! A cable's text is its subject (as the table shows it) and its body: everything the reader
//! finds after the telegram's header block (caption, TAGS, SUBJECT, REF lines and the
//! paragraphs), as the reading view is made from. A `cables.csv` dump is read once from
//! start to end, not seeked row by row; other files are read whole, one cable each.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Mutex;

use crate::corpus::Corpus;
use crate::read::{self, Event, ReadOptions, csv_dump};

/// One cable's words as indexed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CableText {
    pub subject: String,
    pub body: String,
}

/// The text of the cable at `entry`, for snippets, highlights and `like:`.
pub fn read_text(corpus: &Corpus, entry: u32) -> Result<CableText, String> {
    let e = corpus
        .get(entry)
        .ok_or_else(|| format!("no cable at position {entry}"))?;
    let path = corpus
        .file(&e.location)
        .ok_or_else(|| format!("{}: the index names no file for it", e.id))?;
    let name = path.display().to_string();
    let body = if e.location.row > 0 {
        let row = csv_dump::read_row_at(path, e.location.offset, e.location.row)
            .map_err(|err| format!("{name}: cannot read: {err}"))?
            .map_err(|err| format!("{name}:{}: {}", err.row, err.message))?;
        csv_dump::to_raw_cable(row, &name).0.body
    } else {
        first_body(path).ok_or_else(|| format!("{name}: no cable found"))?
    };
    Ok(CableText {
        subject: e.subject.to_string(),
        body,
    })
}

fn first_body(path: &Path) -> Option<String> {
    let mut found = None;
    read::read_file(path, &ReadOptions::default(), &mut |event| {
        if let Event::Cable(raw) = event {
            if found.is_none() {
                found = Some(raw.body);
            }
        }
    });
    found
}

/// Calls `each(entry, text)` for every cable of the corpus, on `threads` threads (files are
/// shared out; a dump is read by one thread from start to end). Stops early when `stop`
/// says so. A file that cannot be read is reported through `problem` and its cables are
/// indexed by subject alone.
pub fn for_each_text(
    corpus: &Corpus,
    threads: usize,
    stop: &(dyn Fn() -> bool + Sync),
    each: &(dyn Fn(u32, CableText) + Sync),
    problem: &(dyn Fn(String) + Sync),
) {
    // Entries by file, in corpus order.
    let mut by_file: Vec<Vec<u32>> = vec![Vec::new(); corpus.files.len()];
    for (i, e) in corpus.entries.iter().enumerate() {
        if let Some(list) = by_file.get_mut(e.location.file as usize) {
            list.push(i as u32);
        }
    }
    // Big files first, so one dump does not start last.
    let mut order: Vec<usize> = (0..by_file.len())
        .filter(|&f| !by_file[f].is_empty())
        .collect();
    order.sort_by_key(|&f| std::cmp::Reverse(by_file[f].len()));
    let queue = Mutex::new(order.into_iter());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    if stop() {
                        return;
                    }
                    let next = queue.lock().ok().and_then(|mut q| q.next());
                    let Some(file) = next else { return };
                    read_file_texts(corpus, file, &by_file[file], stop, each, problem);
                }
            });
        }
    });
}

fn read_file_texts(
    corpus: &Corpus,
    file: usize,
    entries: &[u32],
    stop: &(dyn Fn() -> bool + Sync),
    each: &(dyn Fn(u32, CableText) + Sync),
    problem: &(dyn Fn(String) + Sync),
) {
    let Some(path) = corpus.files.get(file) else {
        return;
    };
    let name = path.display().to_string();
    let subject = |i: u32| {
        corpus
            .get(i)
            .map(|e| e.subject.to_string())
            .unwrap_or_default()
    };
    let mut seen = vec![false; entries.len()];
    let is_dump = entries
        .iter()
        .any(|&i| corpus.get(i).is_some_and(|e| e.location.row > 0));
    if is_dump {
        let by_row: HashMap<u64, usize> = entries
            .iter()
            .enumerate()
            .filter_map(|(k, &i)| Some((corpus.get(i)?.location.row, k)))
            .collect();
        match File::open(path) {
            Ok(f) => {
                let mut reader =
                    csv_dump::DumpReader::new(std::io::BufReader::with_capacity(1 << 20, f));
                let mut n = 0u32;
                while let Some(row) = reader.next_row() {
                    n += 1;
                    if n % 1024 == 0 && stop() {
                        return;
                    }
                    match row {
                        Ok(Ok(row)) => {
                            if let Some(&k) = by_row.get(&row.row) {
                                if !seen[k] {
                                    seen[k] = true;
                                    let (raw, _) = csv_dump::to_raw_cable(row, &name);
                                    each(
                                        entries[k],
                                        CableText {
                                            subject: subject(entries[k]),
                                            body: raw.body,
                                        },
                                    );
                                }
                            }
                        }
                        Ok(Err(_)) => {}
                        Err(e) => {
                            problem(format!("{name}: cannot read: {e}"));
                            break;
                        }
                    }
                }
            }
            Err(e) => problem(format!("{name}: cannot read: {e}")),
        }
    } else {
        let mut k = 0;
        read::read_file(path, &ReadOptions::default(), &mut |event| {
            if let Event::Cable(raw) = event {
                if let Some(&i) = entries.get(k) {
                    seen[k] = true;
                    each(
                        i,
                        CableText {
                            subject: subject(i),
                            body: raw.body,
                        },
                    );
                }
                k += 1;
            }
        });
    }
    // Cables whose text is gone (a file changed since the corpus was read) keep their
    // subject, so every entry has a document.
    let missing: Vec<u32> = entries
        .iter()
        .zip(&seen)
        .filter(|(_, s)| !**s)
        .map(|(&i, _)| i)
        .collect();
    if !missing.is_empty() {
        problem(format!(
            "{name}: {} cables not found again; their subjects alone are indexed",
            missing.len()
        ));
        for i in missing {
            each(
                i,
                CableText {
                    subject: subject(i),
                    body: String::new(),
                },
            );
        }
    }
}
