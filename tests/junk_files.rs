//! Files that are not cables (empty, unrelated text, binary) beside real ones: the app's
//! loader and `parse` skip the same files, each reported with its reason, and list only the
//! cables. The real corpora in `../shared` still load whole, without a problem.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use cabletriage::corpus::Entry;
use cabletriage::corpus::load::{LoadEvent, Progress, load};
use cabletriage::read::Problem;
use cabletriage::synth::{Generator, write_text};

struct Loaded {
    entries: Vec<Entry>,
    problems: Vec<Problem>,
    progress: Progress,
}

fn load_all(inputs: &[PathBuf]) -> Loaded {
    let mut loaded = Loaded {
        entries: Vec::new(),
        problems: Vec::new(),
        progress: Progress::default(),
    };
    load(inputs, &AtomicBool::new(false), &mut |event| match event {
        LoadEvent::Batch { entries, .. } => loaded.entries.extend(entries),
        LoadEvent::Problem(p) => loaded.problems.push(p),
        LoadEvent::Done { progress, .. } => loaded.progress = progress,
    });
    loaded
}

/// A folder with the seed cable (when `../shared` is there), a synthetic cable, and four
/// files that are not cables; returns it and how many cables it holds.
fn folder_with_junk() -> (tempfile::TempDir, usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut cables = 0;
    if let Some(shared) = common::shared_dir("junk_files: the seed cable") {
        let seed = shared.join("corpus/seed");
        for file in std::fs::read_dir(&seed).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, dir.path().join(file.file_name().unwrap())).unwrap();
            cables += 1;
        }
    }
    // Not named by its id: its text alone must make it a cable.
    let mut synthetic = Vec::new();
    write_text(&mut synthetic, &Generator::new(15).next_cable()).unwrap();
    std::fs::write(dir.path().join("synthetic.txt"), synthetic).unwrap();
    cables += 1;
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("junk.txt"), "hello world\n").unwrap();
    // No extension, so the walk reads it; NUL bytes as in most binaries.
    std::fs::write(
        dir.path().join("blob"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
    )
    .unwrap();
    // No NUL and no control byte, but nothing like text.
    let high: Vec<u8> = (0..3000u32).map(|i| 0x80 + (i * 13 % 0x7f) as u8).collect();
    std::fs::write(dir.path().join("noise.txt"), high).unwrap();
    (dir, cables)
}

/// `file: reason` of every file a folder's reading should skip, paths as given.
fn expected_skips(dir: &Path) -> BTreeSet<String> {
    [
        ("blob", "binary file, not a cable"),
        ("empty.txt", "empty file"),
        (
            "junk.txt",
            "no cable found (no reference id, date-time group, TAGS or SUBJECT)",
        ),
        ("noise.txt", "binary file, not a cable"),
    ]
    .iter()
    .map(|(file, why)| format!("{}: {why}", dir.join(file).display()))
    .collect()
}

#[test]
fn the_loader_skips_and_reports_every_file_that_is_not_a_cable() {
    let (dir, cables) = folder_with_junk();
    let loaded = load_all(&[dir.path().to_path_buf()]);
    let ids: Vec<&str> = loaded.entries.iter().map(|e| &*e.id).collect();
    assert_eq!(loaded.entries.len(), cables, "{ids:?}");
    assert!(loaded.entries.iter().all(|e| !e.id.is_empty()), "{ids:?}");
    let reported: BTreeSet<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(reported, expected_skips(dir.path()));
    assert!(loaded.problems.iter().all(|p| p.skipped));
    assert_eq!(loaded.progress.problems, 4);
    assert_eq!(loaded.progress.cables, cables as u64);
}

#[test]
fn parse_skips_the_same_files_for_the_same_reasons() {
    let (dir, cables) = folder_with_junk();
    let out = Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .arg("parse")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout.lines().count(), cables, "{stdout}");
    let reported: BTreeSet<String> = stderr.lines().map(str::to_string).collect();
    assert_eq!(reported, expected_skips(dir.path()), "{stderr}");
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
    assert_eq!(out.status.code(), Some(1));
    // And the loader says exactly the same.
    let loaded = load_all(&[dir.path().to_path_buf()]);
    let from_loader: BTreeSet<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(from_loader, reported);
}

#[test]
fn the_real_corpora_still_load_whole_without_a_problem() {
    let Some(shared) = common::shared_dir("junk_files: real corpora") else {
        return;
    };
    for (folder, count) in [("corpus/cablegate", 589), ("corpus/text", 205)] {
        let loaded = load_all(&[shared.join(folder)]);
        let problems: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        assert!(problems.is_empty(), "{folder}: {problems:?}");
        assert_eq!(loaded.entries.len(), count, "{folder}");
    }
}
