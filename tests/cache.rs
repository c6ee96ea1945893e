//! The index cache against real loads: a round trip gives back exactly what the loader
//! produced, any change to the inputs is a miss with its reason, and a damaged cache file is
//! a miss, never a panic. Every cache is written in a temporary folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use cabletriage::corpus::Entry;
use cabletriage::corpus::cache::{self, CacheMiss, KeyChange};
use cabletriage::synth::demo_csv;

fn read_corpus(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Entry>) {
    cabletriage::corpus::load::read_all(inputs)
}

/// A folder with a 20,000-cable dump, its cache saved beside it.
struct Fixture {
    dir: tempfile::TempDir,
    csv: PathBuf,
    inputs: Vec<PathBuf>,
    cache: PathBuf,
    files: Vec<PathBuf>,
    entries: Vec<Entry>,
}

fn fixture(input_is_folder: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    let csv = corpus.join("cables.csv");
    fs::write(&csv, demo_csv(20_000, 11)).unwrap();
    let inputs = vec![if input_is_folder { corpus } else { csv.clone() }];
    let key = cache::key_for(&inputs).unwrap();
    let (files, entries) = read_corpus(&inputs);
    assert_eq!(entries.len(), 20_000);
    let cache = dir.path().join("cache").join("index.bin");
    cache::save(&cache, &key, &files, &entries).unwrap();
    Fixture {
        dir,
        csv,
        inputs,
        cache,
        files,
        entries,
    }
}

fn miss(f: &Fixture) -> CacheMiss {
    let key = cache::key_for(&f.inputs).unwrap();
    match cache::load(&f.cache, &key) {
        Ok(_) => panic!("cache used though it should miss"),
        Err(why) => why,
    }
}

fn modified(f: &Fixture) -> bool {
    let canonical = fs::canonicalize(&f.csv).unwrap();
    matches!(miss(f), CacheMiss::Changed(KeyChange::Modified(p)) if p == canonical)
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

fn set_mtime(path: &Path, t: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn save_then_load_gives_the_same_files_and_entries() {
    let f = fixture(false);
    let key = cache::key_for(&f.inputs).unwrap();
    let (files, entries) = cache::load(&f.cache, &key).unwrap();
    assert_eq!(files, f.files);
    assert_eq!(entries, f.entries);
}

#[test]
fn a_missing_cache_is_absent() {
    let f = fixture(false);
    fs::remove_file(&f.cache).unwrap();
    assert!(matches!(miss(&f), CacheMiss::Absent));
}

#[test]
fn changing_one_byte_with_the_same_size_and_mtime_is_a_change() {
    let f = fixture(false);
    let before = mtime(&f.csv);
    let mut bytes = fs::read(&f.csv).unwrap();
    // The size and mtime are restored; the ctime, which no user can set, still changes.
    bytes[1000] ^= 0x01;
    fs::write(&f.csv, &bytes).unwrap();
    set_mtime(&f.csv, before);
    assert!(modified(&f));
}

#[test]
fn appending_is_a_change() {
    let f = fixture(false);
    let mut file = fs::OpenOptions::new().append(true).open(&f.csv).unwrap();
    std::io::Write::write_all(&mut file, b"\n").unwrap();
    drop(file);
    assert!(modified(&f));
}

#[test]
fn a_new_mtime_alone_is_a_change() {
    let f = fixture(false);
    set_mtime(&f.csv, mtime(&f.csv) + Duration::from_secs(5));
    assert!(modified(&f));
}

#[test]
fn adding_or_removing_a_file_in_a_folder_is_a_change() {
    let f = fixture(true);
    let extra = f.inputs[0].join("more.txt");
    fs::write(&extra, "hello").unwrap();
    let canonical = fs::canonicalize(&extra).unwrap();
    assert!(matches!(miss(&f), CacheMiss::Changed(KeyChange::Added(p)) if p == canonical));
    fs::remove_file(&extra).unwrap();
    // Back as it was: the cache is good again.
    let key = cache::key_for(&f.inputs).unwrap();
    assert!(cache::load(&f.cache, &key).is_ok());
    let canonical = fs::canonicalize(&f.csv).unwrap();
    fs::remove_file(&f.csv).unwrap();
    assert!(matches!(miss(&f), CacheMiss::Changed(KeyChange::Removed(p)) if p == canonical));
}

#[test]
fn other_inputs_are_a_change() {
    let f = fixture(false);
    let other = vec![f.csv.clone(), f.dir.path().join("nothing-here")];
    let key = cache::key_for(&other).unwrap();
    assert!(matches!(
        cache::load(&f.cache, &key),
        Err(CacheMiss::Changed(KeyChange::Inputs))
    ));
}

fn damaged(f: &Fixture, bytes: &[u8]) -> bool {
    fs::write(&f.cache, bytes).unwrap();
    matches!(miss(f), CacheMiss::Damaged(_))
}

#[test]
fn corrupted_or_truncated_caches_are_damaged() {
    let f = fixture(false);
    let good = fs::read(&f.cache).unwrap();
    let n = good.len();
    // Bytes flipped in the middle, in the key, near the end.
    for at in [n / 2, n / 3, 40, 100, n - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0xff;
        assert!(damaged(&f, &bad), "flipped at {at}");
    }
    for len in [0, 7, 20, 36, 37, n / 2, n - 1] {
        assert!(damaged(&f, &good[..len]), "truncated to {len}");
    }
    let mut grown = good.clone();
    grown.extend_from_slice(b"junk");
    assert!(damaged(&f, &grown));
    // Random bytes, with and without a valid-looking header in front.
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut random = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    };
    for len in [1, 36, 1000, 100_000] {
        assert!(damaged(&f, &random(len)));
        let mut headed = good[..36].to_vec();
        headed.extend(random(len));
        assert!(damaged(&f, &headed));
    }
}

#[test]
fn another_format_version_is_refused() {
    let f = fixture(false);
    let mut bytes = fs::read(&f.cache).unwrap();
    bytes[8..12].copy_from_slice(&99u32.to_le_bytes());
    fs::write(&f.cache, &bytes).unwrap();
    assert!(matches!(miss(&f), CacheMiss::Version { found: 99 }));
}

#[test]
fn different_inputs_get_different_cache_paths() {
    let dir = tempfile::tempdir().unwrap();
    // Only this test reads the variable, and it sets the same value each time it runs.
    unsafe { std::env::set_var("CABLETRIAGE_CACHE_DIR", dir.path()) };
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    fs::write(&a, "").unwrap();
    fs::write(&b, "").unwrap();
    let pa = cache::cache_path(std::slice::from_ref(&a));
    let pb = cache::cache_path(std::slice::from_ref(&b));
    let pab = cache::cache_path(&[a.clone(), b.clone()]);
    let pba = cache::cache_path(&[b.clone(), a.clone()]);
    let all = [&pa, &pb, &pab, &pba];
    for (i, x) in all.iter().enumerate() {
        assert!(x.starts_with(dir.path()), "{}", x.display());
        for y in &all[i + 1..] {
            assert_ne!(x, y);
        }
    }
    // The same input spelt differently is the same corpus.
    let dotted = dir.path().join(".").join("a.csv");
    assert_eq!(cache::cache_path(&[dotted]), pa);
}

/// One-off measurement on a big dump (`cargo run --release --example gencorpus -- --count
/// 250000 --format csv --out /tmp/c250.csv`), run with
/// `cargo test --release --test cache -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_big_corpus() {
    let csv = std::env::var_os("CABLETRIAGE_BIG_CSV")
        .map_or_else(|| PathBuf::from("/tmp/c250.csv"), PathBuf::from);
    let inputs = vec![csv];
    let started = Instant::now();
    let (files, entries) = read_corpus(&inputs);
    eprintln!(
        "read corpus: {} entries in {:?}",
        entries.len(),
        started.elapsed()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.bin");
    for _ in 0..3 {
        let t = Instant::now();
        let key = cache::key_for(&inputs).unwrap();
        let key_time = t.elapsed();
        let t = Instant::now();
        cache::save(&path, &key, &files, &entries).unwrap();
        let save_time = t.elapsed();
        let t = Instant::now();
        let (f, e) = cache::load(&path, &key).unwrap();
        let load_time = t.elapsed();
        let t = Instant::now();
        drop((f, e));
        let drop_time = t.elapsed();
        eprintln!(
            "cache {} bytes: key {key_time:?}, save {save_time:?}, load {load_time:?} (drop {drop_time:?})",
            fs::metadata(&path).unwrap().len()
        );
    }
    let key = cache::key_for(&inputs).unwrap();
    let (f, e) = cache::load(&path, &key).unwrap();
    assert_eq!(f, files);
    assert!(e == entries);
}
