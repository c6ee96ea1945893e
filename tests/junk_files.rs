//! Files that are not cables (empty, unrelated text, binary) beside real ones: the app's
//! loader and `parse` skip the same files, each reported with its reason, and list only the
//! cables. Files a folder's walk passes over by their kind (`binary.bin`, `cable.txt.gz`, a
//! README) are reported too, as notices: listed, but neither an error, nor a change of exit
//! code, nor a reason not to cache the corpus. The real corpora in `../shared` still load
//! whole, without a problem, and are cached; their `*.jsonl` files are notices.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use cabletriage::app::{App, Level, Msg};
use cabletriage::corpus::Entry;
use cabletriage::corpus::cache;
use cabletriage::corpus::load::{LoadEvent, Progress, load, load_cached};
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
        // A first read (no cache) replaces nothing.
        LoadEvent::Replace { .. } => {}
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
    // A cable by its SUBJECT, but no id can be read from it, nor from its name.
    std::fs::write(
        dir.path().join("notes.txt"),
        "SUBJECT: A MEETING WITH NOBODY\n\n1. Text.\n",
    )
    .unwrap();
    // No extension, so the walk reads it; NUL bytes as in most binaries.
    std::fs::write(
        dir.path().join("blob"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
    )
    .unwrap();
    // No NUL and no control byte, but nothing like text.
    let high: Vec<u8> = (0..3000u32).map(|i| 0x80 + (i * 13 % 0x7f) as u8).collect();
    std::fs::write(dir.path().join("noise.txt"), high).unwrap();
    passed_over_files(dir.path());
    (dir, cables)
}

/// Writes the files a folder's walk passes over by their kind (see [`expected_notices`]).
fn passed_over_files(dir: &Path) {
    std::fs::write(
        dir.join("binary.bin"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00",
    )
    .unwrap();
    // Pseudo-random bytes (xorshift), the same on every run.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect();
    std::fs::write(dir.join("random.dat"), random).unwrap();
    std::fs::write(
        dir.join("cable.txt.gz"),
        b"\x1f\x8b\x08\x00 not really gzip",
    )
    .unwrap();
    std::fs::write(
        dir.join("README.md"),
        "# Cables\n\nWhat this folder holds.\n",
    )
    .unwrap();
}

/// `file: reason` of every file a folder's walk should pass over, as notices.
fn expected_notices(dir: &Path) -> BTreeSet<String> {
    [
        ("binary.bin", "not a cable file (.bin): passed over"),
        ("random.dat", "not a cable file (.dat): passed over"),
        (
            "cable.txt.gz",
            "compressed file (.gz): passed over; decompress it first to read it",
        ),
        ("README.md", "not a cable file (.md): passed over"),
    ]
    .iter()
    .map(|(file, why)| format!("{}: {why}", dir.join(file).display()))
    .collect()
}

/// Problems and notices apart, each as `path: message`.
fn split(reported: &[Problem]) -> (BTreeSet<String>, BTreeSet<String>) {
    let (notices, problems): (Vec<&Problem>, Vec<&Problem>) =
        reported.iter().partition(|p| p.is_notice());
    let text = |v: Vec<&Problem>| v.iter().map(|p| p.to_string()).collect();
    (text(problems), text(notices))
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
        (
            "notes.txt",
            "no reference id (no caption or DE line, and the file name is not an id)",
        ),
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
    let (problems, notices) = split(&loaded.problems);
    assert_eq!(problems, expected_skips(dir.path()));
    assert_eq!(notices, expected_notices(dir.path()));
    assert_eq!(loaded.problems.len(), 9, "each reported once");
    assert!(loaded.problems.iter().all(|p| p.skipped != p.is_notice()));
    assert_eq!(loaded.progress.problems, 5, "notices are not counted");
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
    let expected: BTreeSet<String> = expected_skips(dir.path())
        .into_iter()
        .chain(expected_notices(dir.path()))
        .collect();
    assert_eq!(reported, expected, "{stderr}");
    assert_eq!(stderr.lines().count(), 9, "{stderr}");
    assert_eq!(out.status.code(), Some(1), "for the five problems");
    // And the loader says exactly the same.
    let loaded = load_all(&[dir.path().to_path_buf()]);
    let from_loader: BTreeSet<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(from_loader, reported);
}

#[test]
fn files_passed_over_do_not_change_the_exit_code_and_named_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut cable = Vec::new();
    write_text(&mut cable, &Generator::new(15).next_cable()).unwrap();
    std::fs::write(dir.path().join("cable.txt"), &cable).unwrap();
    passed_over_files(dir.path());
    let parse = |input: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_cabletriage"))
            .arg("parse")
            .arg(input)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        (
            String::from_utf8_lossy(&out.stdout).lines().count(),
            stderr,
            out.status.code(),
        )
    };
    let (cables, stderr, code) = parse(dir.path());
    assert_eq!(cables, 1, "{stderr}");
    let reported: BTreeSet<String> = stderr.lines().map(str::to_string).collect();
    assert_eq!(reported, expected_notices(dir.path()), "{stderr}");
    assert_eq!(code, Some(0), "notices alone: {stderr}");
    // Named on the command line, a file is read whatever its extension.
    let named = dir.path().join("cable.dat");
    std::fs::write(&named, &cable).unwrap();
    assert_eq!(parse(&named), (1, String::new(), Some(0)));
    let (cables, stderr, code) = parse(&dir.path().join("binary.bin"));
    assert_eq!(cables, 0);
    assert!(
        stderr.ends_with("binary.bin: binary file, not a cable\n"),
        "{stderr}"
    );
    assert_eq!(code, Some(2));
}

/// Sets the process's cache folder, once for every test of this binary (only
/// [`open_cached`] reads it).
fn cache_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: set once, before any test of this binary reads the cache folder.
        unsafe { std::env::set_var("CABLETRIAGE_CACHE_DIR", dir.path()) };
        dir
    })
    .path()
}

/// Where [`open_cached`] keeps the cache for `inputs`.
fn cache_file(inputs: &[PathBuf]) -> PathBuf {
    cache_dir();
    cache::cache_file(inputs).unwrap()
}

/// Opens `inputs` in the app as the terminal does (index cache, saving it when asked);
/// returns the app and whether it was read from the cache: the load did not ask to save
/// it (it does whenever the files were read without a problem).
fn open_cached(inputs: &[PathBuf]) -> (App, bool) {
    cache_dir();
    let mut app = App::new(Default::default());
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    let mut events = Vec::new();
    load_cached(inputs, &AtomicBool::new(false), &mut |e| events.push(e));
    let from_cache = events
        .iter()
        .any(|e| matches!(e, LoadEvent::Done { save_as: None, .. }));
    for e in events {
        app.update_now(Msg::Loaded(e));
    }
    (app, from_cache)
}

#[test]
fn a_folder_with_only_notices_is_cached_and_the_notices_are_listed_again() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("cables.csv"),
        cabletriage::synth::demo_csv(3_000, 5),
    )
    .unwrap();
    passed_over_files(&corpus);
    let inputs = vec![corpus.clone()];
    let cache_file = cache_file(&inputs);
    assert!(!cache_file.exists());
    for (open, from_cache) in [("cold", false), ("warm", true)] {
        let (app, cached) = open_cached(&inputs);
        assert_eq!(app.corpus.len(), 3_000, "{open}");
        assert!(cache_file.exists(), "{open}: the cache was saved");
        assert_eq!(cached, from_cache, "{open}");
        let (problems, notices) = split(&app.problems);
        assert!(problems.is_empty(), "{open}: {problems:?}");
        assert_eq!(notices, expected_notices(&corpus), "{open}");
        let message = app.message.as_ref().expect("a message");
        assert_eq!(
            message.text, "4 notices (show-problems lists them)",
            "{open}"
        );
        assert_eq!(message.level, Level::Info, "{open}: not an error");
    }
}

#[test]
fn the_real_corpora_still_load_whole_without_a_problem() {
    let Some(shared) = common::shared_dir("junk_files: real corpora") else {
        return;
    };
    for (folder, count, companion) in [
        ("corpus/cablegate", 589, "expected.jsonl"),
        ("corpus/text", 205, "index.jsonl"),
    ] {
        let root = shared.join(folder);
        let inputs = vec![root.clone()];
        let loaded = load_all(&inputs);
        let (problems, notices) = split(&loaded.problems);
        assert!(problems.is_empty(), "{folder}: {problems:?}");
        assert_eq!(loaded.entries.len(), count, "{folder}");
        let jsonl = format!(
            "{}: not a cable file (.jsonl): passed over",
            root.join(companion).display()
        );
        assert!(notices.contains(&jsonl), "{folder}: {notices:?}");
        // Opened in the app twice: the second open comes from the cache, and the notices
        // are listed again without turning into problems.
        let cache_file = cache_file(&inputs);
        for (open, from_cache) in [("cold", false), ("warm", true)] {
            let (app, cached) = open_cached(&inputs);
            assert_eq!(app.corpus.len(), count, "{folder} {open}");
            assert!(cache_file.exists(), "{folder} {open}: cached");
            assert_eq!(cached, from_cache, "{folder} {open}");
            let (problems, from_app) = split(&app.problems);
            assert!(problems.is_empty(), "{folder} {open}: {problems:?}");
            assert_eq!(from_app, notices, "{folder} {open}");
            let message = app.message.as_ref().expect("a message");
            assert_eq!(
                message.level,
                Level::Info,
                "{folder} {open}: {}",
                message.text
            );
        }
    }
}

#[test]
fn a_cable_read_twice_is_reported_once_naming_both_files_and_the_first_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // The same cable three times (twice beside a dump of its own), in walking order a, b, c.
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::copy(fixtures.join("web_copy.txt"), corpus.join(name)).unwrap();
    }
    let dump = cabletriage::synth::demo_csv(20, 9);
    std::fs::write(corpus.join("d.csv"), &dump).unwrap();
    std::fs::write(corpus.join("e.csv"), &dump).unwrap();
    let at = |name: &str| corpus.join(name).display().to_string();
    let first_row_id = load_all(&[corpus.join("d.csv")]).entries[0].id.to_string();

    let inputs = vec![corpus.clone()];
    let loaded = load_all(&inputs);
    assert_eq!(loaded.entries.len(), 3 + 40, "every copy is still listed");
    let (problems, notices) = split(&loaded.problems);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(notices.len(), 1 + 20, "one per duplicated id: {notices:#?}");
    assert!(
        notices.contains(&format!(
            "{}: 09OSLO123 read again, first read from {}: the first copy is kept",
            at("b.txt"),
            at("a.txt")
        )),
        "{notices:#?}"
    );
    assert!(
        notices.contains(&format!(
            "{}:1: {first_row_id} read again, first read from {}:1: the first copy is kept",
            at("e.csv"),
            at("d.csv")
        )),
        "{notices:#?}"
    );

    // The app keeps the first copy for lookups by id; from the index cache the duplicates are
    // reported again, and they do not keep the corpus from being cached.
    let cache_file = cache_file(&inputs);
    for (open, from_cache) in [("cold", false), ("warm", true)] {
        let (app, cached) = open_cached(&inputs);
        assert!(cache_file.exists(), "{open}");
        assert_eq!(cached, from_cache, "{open}");
        let (problems, from_app) = split(&app.problems);
        assert!(problems.is_empty(), "{open}: {problems:?}");
        assert_eq!(from_app, notices, "{open}");
        let first = app.corpus.find_id("09OSLO123").unwrap();
        let file = app.corpus.file(&app.corpus.get(first).unwrap().location);
        assert_eq!(file, Some(&corpus.join("a.txt")), "{open}");
    }
}
