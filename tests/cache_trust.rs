//! The index cache is used only when it can be trusted to give the ids the reader gives now
//! and to point only at the corpus: a cache from another version of the reader, a cache in
//! a folder others can write, a cache file others can write and a cache naming files outside
//! the corpus are all refused; interrupted saves do not pile up.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cabletriage::corpus::Entry;
use cabletriage::corpus::cache::{self, CacheKey, CacheMiss};
use cabletriage::synth::demo_csv;

/// A corpus folder with a small dump, its key and what the loader read from it.
struct Corpus {
    dir: tempfile::TempDir,
    inputs: Vec<PathBuf>,
    key: CacheKey,
    files: Vec<PathBuf>,
    entries: Vec<Entry>,
}

impl Corpus {
    fn new() -> Corpus {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("corpus");
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("cables.csv"), demo_csv(300, 4)).unwrap();
        let inputs = vec![folder];
        let key = cache::key_for(&inputs).unwrap();
        let (files, entries) = cabletriage::corpus::load::read_all(&inputs);
        assert_eq!(entries.len(), 300);
        Corpus {
            dir,
            inputs,
            key,
            files,
            entries,
        }
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache").join("index.bin")
    }

    fn load(&self) -> Result<(Vec<PathBuf>, Vec<Entry>), CacheMiss> {
        cache::load(&self.cache(), &self.key)
    }

    /// `load_streaming` must refuse the same, before handing anything over.
    fn streamed_nothing(&self) -> bool {
        let mut handed = 0;
        let result =
            cache::load_streaming(&self.cache(), &self.key, &mut |_, e| handed += 1 + e.len());
        result.is_err() && handed == 0
    }
}

fn untrusted(result: Result<(Vec<PathBuf>, Vec<Entry>), CacheMiss>, says: &str) {
    match result {
        Err(CacheMiss::Untrusted(why)) => assert!(why.contains(says), "{why}"),
        Err(other) => panic!("refused for another reason: {other}"),
        Ok(_) => panic!("an untrusted cache was used"),
    }
}

#[test]
fn a_cache_from_another_reader_version_is_not_used() {
    let c = Corpus::new();
    let mut old = c.key.clone();
    // What an earlier release that read ids otherwise would have written.
    old.reader = "cabletriage 0.0.9 parser 1 format 2".into();
    cache::save(&c.cache(), &old, &c.files, &c.entries).unwrap();
    assert!(matches!(c.load(), Err(CacheMiss::Reader)));
    assert!(c.streamed_nothing());
    assert_ne!(c.key.reader, old.reader);
    assert!(c.key.reader.contains(env!("CARGO_PKG_VERSION")));
    // Rewritten by this version, it is used.
    cache::save(&c.cache(), &c.key, &c.files, &c.entries).unwrap();
    assert_eq!(c.load().unwrap(), (c.files.clone(), c.entries.clone()));
}

#[test]
fn a_planted_cache_naming_files_outside_the_corpus_is_refused() {
    let c = Corpus::new();
    let secret = c.dir.path().join("secret.csv");
    fs::write(&secret, demo_csv(3, 1)).unwrap();
    let folder = &c.inputs[0];
    for outside in [
        secret.clone(),
        folder.join("..").join("secret.csv"),
        PathBuf::from("/etc/passwd"),
        // A sibling whose name merely starts with the input's.
        PathBuf::from(format!("{}-other/cables.csv", folder.display())),
    ] {
        let mut files = c.files.clone();
        files.push(outside.clone());
        cache::save(&c.cache(), &c.key, &files, &c.entries).unwrap();
        untrusted(c.load(), "not in the corpus");
        assert!(c.streamed_nothing(), "{}", outside.display());
    }
    // The same cache naming only the corpus's files is used.
    cache::save(&c.cache(), &c.key, &c.files, &c.entries).unwrap();
    assert!(c.load().is_ok());
}

#[cfg(unix)]
#[test]
fn a_cache_folder_or_file_others_can_write_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let c = Corpus::new();
    cache::save(&c.cache(), &c.key, &c.files, &c.entries).unwrap();
    let folder = c.cache().parent().unwrap().to_path_buf();
    assert_eq!(
        fs::metadata(&folder).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let set = |path: &Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&folder, 0o777);
    untrusted(c.load(), "others can write");
    assert!(c.streamed_nothing());
    let refused = cache::save(&c.cache(), &c.key, &c.files, &c.entries).unwrap_err();
    assert!(
        refused.to_string().contains("others can write"),
        "{refused}"
    );
    set(&folder, 0o700);
    assert!(c.load().is_ok());
    set(&c.cache(), 0o666);
    untrusted(c.load(), "others can write");
    set(&c.cache(), 0o600);
    assert!(c.load().is_ok());
}

#[cfg(unix)]
#[test]
fn a_cache_folder_of_another_user_is_not_used() {
    let c = Corpus::new();
    cache::save(&c.cache(), &c.key, &c.files, &c.entries).unwrap();
    let folder = c.cache().parent().unwrap().to_path_buf();
    // Only root can give a folder away.
    if std::os::unix::fs::chown(&folder, Some(65534), None).is_err() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: a_cache_folder_of_another_user_is_not_used needs root"
        );
        return;
    }
    untrusted(c.load(), "owned by user 65534");
    assert!(cache::save(&c.cache(), &c.key, &c.files, &c.entries).is_err());
}

#[test]
fn no_cache_folder_means_no_cache() {
    let c = Corpus::new();
    // What `cache_path` gives without a private folder.
    let nowhere = PathBuf::new();
    assert!(cache::save(&nowhere, &c.key, &c.files, &c.entries).is_err());
    assert!(matches!(
        cache::load(&nowhere, &c.key),
        Err(CacheMiss::Absent)
    ));
}

#[test]
fn temporaries_of_interrupted_saves_are_removed_on_save() {
    let c = Corpus::new();
    let folder = c.cache().parent().unwrap().to_path_buf();
    cache::save(&c.cache(), &c.key, &c.files, &c.entries).unwrap();
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
    let stale = folder.join("index.bin.cabletriage-tmp.4242.0");
    let fresh = folder.join("index.bin.cabletriage-tmp.4242.1");
    let other = folder.join("notes.txt");
    for path in [&stale, &fresh, &other] {
        fs::write(path, b"half a cache").unwrap();
    }
    for path in [&stale, &other] {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    cache::save(&c.cache(), &c.key, &c.files, &c.entries).unwrap();
    assert!(!stale.exists(), "an old temporary is left");
    // A recent one may be a save still running; other files are not ours to remove.
    assert!(fresh.exists() && other.exists());
    let names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}
