//! Opening a corpus a second time reads it from the index cache: the same cables, in one
//! batch; a changed file is read again. The only test of this binary, as it sets the cache
//! folder for the process.

use std::sync::atomic::AtomicBool;

use cabletriage::app::{App, Msg};
use cabletriage::corpus::load::{LoadEvent, load_cached};
use cabletriage::synth::demo_csv;

fn open(paths: &[std::path::PathBuf]) -> (App, usize) {
    let mut app = App::new(Default::default());
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    let mut batches = 0;
    let mut events = Vec::new();
    load_cached(paths, &AtomicBool::new(false), &mut |e| events.push(e));
    for e in events {
        if matches!(e, LoadEvent::Batch { .. }) {
            batches += 1;
        }
        app.update_now(Msg::Loaded(e));
    }
    (app, batches)
}

#[test]
fn the_second_open_comes_from_the_cache_and_a_change_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: the only test of this binary; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var("CABLETRIAGE_CACHE_DIR", dir.path().join("cache")) };
    let corpus = dir.path().join("cables.csv");
    std::fs::write(&corpus, demo_csv(5_000, 9)).unwrap();
    let paths = vec![corpus.clone()];

    let (cold, cold_batches) = open(&paths);
    assert!(cold_batches > 1, "read from the files in batches");
    let cache_files: Vec<_> = std::fs::read_dir(dir.path().join("cache"))
        .unwrap()
        .collect();
    assert_eq!(cache_files.len(), 1, "the cache was saved");

    let (warm, warm_batches) = open(&paths);
    assert_eq!(warm_batches, 1, "read from the cache at once");
    assert_eq!(warm.corpus.len(), 5_000);
    let cold_entries: Vec<_> = cold.corpus.entries.iter().cloned().collect();
    let warm_entries: Vec<_> = warm.corpus.entries.iter().cloned().collect();
    assert_eq!(cold_entries, warm_entries);
    assert_eq!(cold.corpus.files, warm.corpus.files);
    assert_eq!(
        cold.table.shown, warm.table.shown,
        "same order in the table"
    );

    // One more cable: the cache no longer matches, the files are read again.
    std::fs::write(&corpus, demo_csv(5_001, 9)).unwrap();
    let (changed, batches) = open(&paths);
    assert!(batches > 1);
    assert_eq!(changed.corpus.len(), 5_001);
}
