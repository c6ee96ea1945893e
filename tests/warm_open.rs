//! Opening a corpus a second time: the cables come from the index cache at once, then the
//! files whose `stat` changed are read again and replace their rows without moving the
//! analyst. Every test of this binary shares one cache folder, set for the process once
//! (each corpus has its own cache file in it).

mod support;
use support::id_at;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use cabletriage::app::{App, Msg};
use cabletriage::corpus::cache;
use cabletriage::corpus::load::{LoadEvent, load_cached};
use cabletriage::keymap::{Key, Keymap};
use cabletriage::synth::{Generator, demo_csv, html_path, write_html};
use cabletriage::tui::runtime::{Engine, KeyReader};

/// The process's cache folder, set before any test reads it.
fn use_test_cache() {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: set once, before any test of this binary looks at the environment (each
        // calls this first and waits for it).
        unsafe { std::env::set_var("CABLETRIAGE_CACHE_DIR", dir.path().join("cache")) };
        dir
    });
}

fn new_app() -> App {
    let mut app = App::new(Keymap::shipped_default().help_bindings());
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    app
}

/// Every event of a cached open, in order.
fn load_events(paths: &[PathBuf]) -> Vec<LoadEvent> {
    let mut events = Vec::new();
    load_cached(paths, &AtomicBool::new(false), &mut |e| events.push(e));
    events
}

/// An app that opened `paths` (through the cache), and how many batches and replacements
/// the open sent.
fn open(paths: &[PathBuf]) -> (App, usize, usize) {
    let mut app = new_app();
    let (mut batches, mut replaces) = (0, 0);
    for e in load_events(paths) {
        match e {
            LoadEvent::Batch { .. } => batches += 1,
            LoadEvent::Replace { .. } => replaces += 1,
            _ => {}
        }
        app.update_now(Msg::Loaded(e));
    }
    (app, batches, replaces)
}

#[test]
fn the_second_open_comes_from_the_cache_and_a_change_is_seen() {
    use_test_cache();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("cables.csv");
    std::fs::write(&corpus, demo_csv(5_000, 9)).unwrap();
    let paths = vec![corpus.clone()];

    let (cold, cold_batches, _) = open(&paths);
    assert!(cold_batches > 1, "read from the files in batches");
    assert!(cache::cache_path(&paths).is_file(), "the cache was saved");

    let (warm, warm_batches, replaces) = open(&paths);
    assert_eq!(
        (warm_batches, replaces),
        (1, 0),
        "read from the cache at once"
    );
    assert_eq!(warm.corpus.len(), 5_000);
    let cold_entries: Vec<_> = cold.corpus.entries.iter().cloned().collect();
    let warm_entries: Vec<_> = warm.corpus.entries.iter().cloned().collect();
    assert_eq!(cold_entries, warm_entries);
    assert_eq!(cold.corpus.files, warm.corpus.files);
    assert_eq!(
        cold.table.shown, warm.table.shown,
        "same order in the table"
    );

    // One more cable: the cached cables are shown, then the dump read again replaces them.
    std::fs::write(&corpus, demo_csv(5_001, 9)).unwrap();
    let (changed, batches, replaces) = open(&paths);
    assert_eq!((batches, replaces), (1, 1));
    assert_eq!(changed.corpus.len(), 5_001);
    assert_eq!(changed.table.shown.len(), 5_001);
}

/// A folder of `count` generated pages.
fn pages(root: &Path, count: usize, seed: u64) -> Vec<PathBuf> {
    let mut generator = Generator::new(seed);
    (0..count)
        .map(|_| write_page(root, &mut generator))
        .collect()
}

fn write_page(root: &Path, generator: &mut Generator) -> PathBuf {
    let cable = generator.next_cable();
    let path = root.join(html_path(&cable));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut page = Vec::new();
    write_html(&mut page, &cable).unwrap();
    std::fs::write(&path, page).unwrap();
    path
}

fn file_at(app: &App, position: usize) -> PathBuf {
    let entry = app.corpus.get(app.table.shown[position]).unwrap();
    app.corpus.file(&entry.location).unwrap().clone()
}

fn shown_ids(app: &App) -> Vec<String> {
    (0..app.table.shown.len()).map(|i| id_at(app, i)).collect()
}

fn selected_ids(app: &App) -> Vec<String> {
    app.triage
        .selection
        .iter()
        .map(|&i| app.corpus.get(i).unwrap().id.to_string())
        .collect()
}

/// Presses keys (`j`, `space`, `/` …) in the synchronous app, through the shipped keymap.
fn keys(app: &mut App, script: &str) {
    let mut reader = KeyReader::new(Arc::new(Keymap::shipped_default()));
    for token in script.split(' ').filter(|t| !t.is_empty()) {
        let key: Key = token.parse().unwrap();
        for msg in reader.key(app.mode, key) {
            app.update_now(msg);
        }
    }
}

#[test]
fn replaced_rows_keep_the_cursor_the_selection_and_the_filter() {
    use_test_cache();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cable");
    pages(&root, 40, 3);
    let paths = vec![root.clone()];
    let (cold, ..) = open(&paths);
    assert_eq!(cold.corpus.len(), 40);
    // Above the cursor (row 12): one page edited to hold another cable, one removed.
    let (edited, removed) = (file_at(&cold, 0), file_at(&cold, 3));
    let (edited_id, removed_id) = (id_at(&cold, 0), id_at(&cold, 3));
    let mut generator = Generator::new(77);
    let new_page = write_page(&root, &mut generator);
    std::fs::rename(&new_page, &edited).unwrap();
    std::fs::remove_file(&removed).unwrap();

    let mut events = load_events(&paths).into_iter();
    let mut app = new_app();
    let Some(first @ LoadEvent::Batch { .. }) = events.next() else {
        panic!("the cached cables come first");
    };
    app.update_now(Msg::Loaded(first));
    assert_eq!(app.corpus.len(), 40, "the cache as saved");
    // The rows are there while the files are checked, and the status bar says so.
    let screen = support::render(&app, &cabletriage::tui::theme::Theme::mono());
    assert!(screen.contains("checking 40 files…"), "{screen}");
    insta::assert_snapshot!("warm_open_while_checking", screen);
    // The analyst moves, selects two cables and filters out one of them.
    keys(
        &mut app,
        "down down down down down space down down down down down space",
    );
    // `space` selects and moves on: rows 5 and 11 are selected, the cursor is on row 12.
    let (cursor_id, selected) = (id_at(&app, 12), selected_ids(&app));
    assert_eq!((app.table.cursor, selected.len()), (12, 2));
    let hidden = id_at(&app, 5);
    keys(&mut app, "/ ! i d :");
    for c in hidden.chars() {
        keys(&mut app, &c.to_string());
    }
    keys(&mut app, "enter");
    assert!(!shown_ids(&app).contains(&hidden));
    assert_eq!(id_at(&app, app.table.cursor), cursor_id);

    let rest: Vec<LoadEvent> = events.collect();
    assert!(matches!(rest[0], LoadEvent::Replace { .. }), "{rest:?}");
    for e in rest {
        app.update_now(Msg::Loaded(e));
    }
    assert!(app.load.finished.is_some());
    let shown = shown_ids(&app);
    assert_eq!(
        id_at(&app, app.table.cursor),
        cursor_id,
        "the cursor kept its cable"
    );
    assert_eq!(
        selected_ids(&app),
        selected,
        "the selection kept its cables"
    );
    assert!(!shown.contains(&removed_id) && !shown.contains(&edited_id));
    assert!(!shown.contains(&hidden), "the filter still applies");
    assert_eq!(
        shown.len(),
        40 - 1 - 1,
        "the edited page's new cable shown, one hidden"
    );
    assert_eq!(app.corpus.find_id(&removed_id), None);
    // Sorted as a first open of the folder as it is now sorts it (the filter aside).
    keys(&mut app, "/ esc");
    let (fresh, ..) = {
        let _ = std::fs::remove_file(cache::cache_path(&paths));
        open(&paths)
    };
    assert_eq!(shown_ids(&app), shown_ids(&fresh));
}

/// Through the real runtime: the loader on its thread, the rows replaced while the analyst
/// is on a cable below them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_the_runtime_the_cursor_stays_on_its_cable_when_rows_above_change() {
    use_test_cache();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cable");
    pages(&root, 30, 5);
    let paths = vec![root.clone()];
    let (cold, ..) = open(&paths);
    let edited = file_at(&cold, 1);
    let removed = [file_at(&cold, 0), file_at(&cold, 2)];
    let mut generator = Generator::new(99);
    let new_page = write_page(&root, &mut generator);
    std::fs::rename(&new_page, &edited).unwrap();
    for path in &removed {
        std::fs::remove_file(path).unwrap();
    }

    let mut engine = Engine::start(new_app(), paths, None);
    let within = std::time::Duration::from_secs(60);
    tokio::time::timeout(within, engine.until(|a| !a.table.shown.is_empty()))
        .await
        .expect("no rows shown");
    assert_eq!(
        engine.app.corpus.len(),
        30,
        "the cached cables, before any check"
    );
    assert!(engine.app.load.finished.is_none());
    let mut reader = KeyReader::new(Arc::new(Keymap::shipped_default()));
    for _ in 0..8 {
        for msg in reader.key(engine.app.mode, "down".parse().unwrap()) {
            engine.handle(msg);
        }
    }
    let cursor_id = id_at(&engine.app, 8);
    tokio::time::timeout(within, engine.until(|a| a.load.finished.is_some()))
        .await
        .expect("the load never finished");
    let app = engine.stop();
    assert_eq!(app.corpus.len(), 30 - 2);
    assert_eq!(id_at(&app, app.table.cursor), cursor_id);
    assert!(app.table.cursor < 8, "rows above it went");
}

#[test]
fn the_cable_being_read_is_read_again_or_closed_when_its_file_changes() {
    use_test_cache();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cable");
    pages(&root, 10, 8);
    let paths = vec![root.clone()];
    let (cold, ..) = open(&paths);
    let edited = file_at(&cold, 2);
    // The edited page keeps its cable but with another subject.
    let page = std::fs::read_to_string(&edited).unwrap();
    let subject = cold
        .corpus
        .get(cold.table.shown[2])
        .unwrap()
        .subject
        .to_string();
    std::fs::write(&edited, page.replace(&subject, "A SUBJECT WRITTEN SINCE")).unwrap();

    let read = |position: usize| {
        let mut events = load_events(&paths).into_iter();
        let mut app = new_app();
        if let Some(first) = events.next() {
            app.update_now(Msg::Loaded(first));
        }
        for _ in 0..position {
            keys(&mut app, "down");
        }
        keys(&mut app, "enter");
        assert!(app.reading.is_some());
        for e in events {
            app.update_now(Msg::Loaded(e));
        }
        app
    };
    let app = read(2);
    let reading = app.reading.as_ref().expect("still reading");
    let Some(Ok(cable)) = &reading.cable else {
        panic!("the body was not read again: {:?}", reading.cable);
    };
    assert_eq!(cable.subject, "A SUBJECT WRITTEN SINCE");
    assert_eq!(
        app.corpus.get(reading.index).unwrap().subject.as_ref(),
        "A SUBJECT WRITTEN SINCE"
    );

    // The cache was saved anew; now a page is removed.
    let (warm, ..) = open(&paths);
    let removed_id = id_at(&warm, 4);
    std::fs::remove_file(file_at(&warm, 4)).unwrap();
    let app = read(4);
    assert!(app.reading.is_none(), "its file is gone");
    assert_eq!(app.mode, cabletriage::app::Mode::Table);
    assert!(!shown_ids(&app).contains(&removed_id));
}

#[test]
fn under_a_filter_the_cursor_stays_on_its_cable_when_its_own_file_is_read_again() {
    use_test_cache();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cable");
    pages(&root, 20, 13);
    let paths = vec![root.clone()];
    let (cold, ..) = open(&paths);
    let (cursor_id, cursor_file) = (id_at(&cold, 6), file_at(&cold, 6));
    let hidden = id_at(&cold, 2);
    // The page under the cursor is edited: same cable, another subject.
    let page = std::fs::read_to_string(&cursor_file).unwrap();
    let subject = cold
        .corpus
        .get(cold.table.shown[6])
        .unwrap()
        .subject
        .to_string();
    std::fs::write(&cursor_file, page.replace(&subject, "EDITED SINCE")).unwrap();

    let mut events = load_events(&paths).into_iter();
    let mut app = new_app();
    app.update_now(Msg::Loaded(events.next().unwrap()));
    keys(&mut app, "down down down down down down / ! i d :");
    for c in hidden.chars() {
        keys(&mut app, &c.to_string());
    }
    keys(&mut app, "enter");
    assert_eq!(id_at(&app, app.table.cursor), cursor_id);
    for e in events {
        app.update_now(Msg::Loaded(e));
    }
    let under_cursor = app.corpus.get(app.table.shown[app.table.cursor]).unwrap();
    assert_eq!(&*under_cursor.id, cursor_id);
    assert_eq!(&*under_cursor.subject, "EDITED SINCE");
    assert!(!shown_ids(&app).contains(&hidden));
}
