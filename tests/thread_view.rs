//! The conversation of a cable: "Cited by" in the reading view, the thread view drawn and
//! driven through the real keymap, and disposing of a whole thread as one undo step.

mod support;
use support::{render, type_keys};

use std::sync::Arc;
use std::time::Duration;

use cabletriage::app::{App, Mode, Msg};
use cabletriage::corpus::Entry;
use cabletriage::corpus::load::{LoadEvent, Progress};
use cabletriage::keymap::Keymap;
use cabletriage::store::Disposition;
use cabletriage::tui::runtime::KeyReader;
use cabletriage::tui::theme::Theme;

fn keymap() -> Arc<Keymap> {
    match Keymap::load(Some("default")) {
        Ok((k, _)) => Arc::new(k),
        Err(problems) => panic!("default keymap: {problems:?}"),
    }
}

/// A cable of a hand-made corpus: the view tests must not move when the generator does.
fn cable(id: &str, day: i64, origin: &str, subject: &str, refs: &[&str]) -> Entry {
    let mut e = Entry::blank(id);
    // 2008-01-01 plus `day` days, at noon.
    e.date = Some(1_199_188_800 + day * 86_400);
    e.origin = origin.into();
    e.subject = subject.into();
    e.precedence = match day % 3 {
        0 => cabletriage::cable::Precedence::Immediate,
        1 => cabletriage::cable::Precedence::Priority,
        _ => cabletriage::cable::Precedence::Routine,
    };
    e.references = refs.iter().map(|r| (*r).into()).collect();
    e
}

/// A démarche from State, two embassies answering, follow-ups, a reply citing a cable that
/// is not in the corpus, and a cable outside the thread.
fn corpus() -> Vec<Entry> {
    let mut entries = vec![
        cable(
            "08STATE1000",
            0,
            "Secretary of State",
            "DEMARCHE ON IRAN SANCTIONS",
            &[],
        ),
        cable(
            "08MOSCOW200",
            2,
            "Embassy Moscow",
            "RUSSIA RESPONDS TO IRAN DEMARCHE",
            &["08STATE1000"],
        ),
        cable(
            "08PARIS300",
            3,
            "Embassy Paris",
            "FRANCE SUPPORTS IRAN SANCTIONS",
            &["08STATE1000"],
        ),
        cable(
            "08MOSCOW210",
            5,
            "Embassy Moscow",
            "FOLLOW-UP: RUSSIAN MFA ON SANCTIONS",
            &["08MOSCOW200", "07MOSCOW9999"],
        ),
        cable(
            "08STATE1100",
            7,
            "Secretary of State",
            "GUIDANCE FOR MOSCOW ON SANCTIONS",
            &["08MOSCOW210", "08STATE1000"],
        ),
        cable(
            "08MOSCOW220",
            9,
            "Embassy Moscow",
            "DEMARCHE DELIVERED TO DEPUTY FM",
            &["08STATE1100"],
        ),
        cable("08ROME50", 4, "Embassy Rome", "ITALY ON TRADE TALKS", &[]),
    ];
    for i in 0..14 {
        entries.push(cable(
            &format!("08POST{i}"),
            10 + i,
            "Embassy Somewhere",
            "POST REPLIES TO WORLDWIDE DEMARCHE",
            &["08STATE1000"],
        ));
    }
    entries
}

fn thread_app(width: u16, height: u16) -> App {
    let mut app = App::new(keymap().help_bindings());
    app.update(Msg::Resize { width, height });
    let entries = corpus();
    app.update_now(Msg::Loaded(LoadEvent::Batch {
        files: Vec::new(),
        entries,
        progress: Progress::default(),
    }));
    app.update_now(Msg::Loaded(LoadEvent::Done {
        progress: Progress::default(),
        elapsed: Duration::from_millis(420),
        save_as: None,
    }));
    app.message = None;
    app
}

/// The ids of the cables the thread view shows, in line order.
fn tree_ids(app: &App) -> Vec<String> {
    app.thread
        .as_ref()
        .map(|view| {
            view.tree
                .cables()
                .map(|e| {
                    app.corpus
                        .get(e)
                        .map_or(String::new(), |c| c.id.to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn open_thread_of(app: &mut App, keys: &mut KeyReader, id: &str) {
    let position = app
        .table
        .shown
        .iter()
        .position(|&i| &*app.corpus.get(i).unwrap().id == id)
        .unwrap();
    let rows = app.table_rows();
    app.table.set_cursor(position, rows);
    type_keys(app, keys, "T");
    assert_eq!(app.mode, Mode::Thread, "{:?}", app.message);
}

#[test]
fn thread_view_80x24_and_200x60() {
    for (w, h, ascii) in [(80, 24, false), (200, 60, false), (80, 24, true)] {
        let mut app = thread_app(w, h);
        app.ascii_tree = ascii;
        let mut keys = KeyReader::new(keymap());
        open_thread_of(&mut app, &mut keys, "08MOSCOW210");
        app.message = None;
        let name = format!("thread_view_{w}x{h}{}", if ascii { "_ascii" } else { "" });
        insta::assert_snapshot!(name, render(&app, &Theme::dark()));
    }
}

#[test]
fn the_tree_holds_the_exchange_and_marks_the_focus() {
    let mut app = thread_app(120, 40);
    let mut keys = KeyReader::new(keymap());
    open_thread_of(&mut app, &mut keys, "08MOSCOW210");
    let view = app.thread.as_ref().unwrap();
    let ids: Vec<String> = view
        .tree
        .cables()
        .map(|e| app.corpus.get(e).unwrap().id.to_string())
        .collect();
    for id in [
        "08STATE1000",
        "08MOSCOW200",
        "08MOSCOW210",
        "08STATE1100",
        "08MOSCOW220",
        "08PARIS300",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    assert!(!ids.contains(&"08ROME50".to_string()));
    assert_eq!(
        app.corpus.get(view.current().unwrap()).unwrap().id.as_ref(),
        "08MOSCOW210"
    );
    // Moving and opening a line reads that cable; `]` reads the tree's next cable; back
    // returns to the tree, its cursor on the cable read, then to the table.
    type_keys(&mut app, &mut keys, "home enter");
    assert_eq!(app.mode, Mode::Reading);
    let first = app.reading.as_ref().unwrap().index;
    assert_eq!(&*app.corpus.get(first).unwrap().id, "08STATE1000");
    type_keys(&mut app, &mut keys, "]");
    let second = app.reading.as_ref().unwrap().index;
    assert_eq!(&*app.corpus.get(second).unwrap().id, "08MOSCOW200");
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(app.mode, Mode::Thread);
    assert_eq!(app.thread.as_ref().unwrap().current(), Some(second));
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(app.mode, Mode::Table);
}

#[test]
fn a_keymap_without_thread_keys_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(
        &path,
        "[table]\nq = \"quit\"\n\"?\" = \"help\"\n[filter]\nesc = \"cancel\"\n[reading]\nesc = \"back\"\n\
         [help]\nesc = \"back\"\n[prompt]\nesc = \"cancel\"\n",
    )
    .unwrap();
    let loaded = Keymap::load(Some(path.to_str().unwrap()));
    assert!(loaded.is_ok(), "{:?}", loaded.err());
}

#[test]
fn whole_thread_disposition_is_one_undo_step_through_the_keys() {
    let keymap = keymap();
    let (mut app, _dir) = support::demo_app(300, 100, 30, keymap.help_bindings());
    let mut keys = KeyReader::new(Arc::clone(&keymap));
    let store_dir = tempfile::tempdir().unwrap();
    let store = cabletriage::store::SqliteStore::open_with(
        &store_dir.path().join("t.db"),
        &cabletriage::store::OpenOptions::default(),
    )
    .unwrap();
    app.triage.analyst = "tester".into();
    app.direct_store = Some(Box::new(store));

    // 1. Open a cable that others cite.
    let graph = app.graph().expect("the graph is built with the load");
    let cited = (0..app.corpus.len() as u32)
        .find(|&e| !graph.cited_by(e).is_empty())
        .expect("the demo has citations");
    let citer = app.citers_of(cited)[0].clone();
    let position = app.table.shown.iter().position(|&i| i == cited).unwrap();
    let rows = app.table_rows();
    app.table.set_cursor(position, rows);
    type_keys(&mut app, &mut keys, "enter");
    assert_eq!(app.mode, Mode::Reading);
    let reading = app.reading.as_ref().unwrap();
    assert_eq!(reading.citers.first(), Some(&citer));

    // 2. Go to a citer: tab past the references to the first citing cable, then follow it.
    let references = match &reading.cable {
        Some(Ok(c)) => c.references.len(),
        other => panic!("the cable was not read: {other:?}"),
    };
    for _ in 0..references {
        type_keys(&mut app, &mut keys, "tab");
    }
    type_keys(&mut app, &mut keys, "enter");
    let read = app.reading.as_ref().unwrap().index;
    assert_eq!(&*app.corpus.get(read).unwrap().id, citer.as_str());

    // 3. Open its thread.
    type_keys(&mut app, &mut keys, "T");
    assert_eq!(app.mode, Mode::Thread);
    let thread: Vec<String> = tree_ids(&app);
    assert!(thread.len() >= 2 && thread.contains(&citer));

    // 4. Dispose of the whole thread with one key.
    type_keys(&mut app, &mut keys, "!");
    for id in &thread {
        assert_eq!(app.triage.disposition(id), Disposition::Actioned, "{id}");
    }
    let saved = app.direct_store.as_ref().unwrap().records().unwrap();
    assert_eq!(
        saved
            .iter()
            .filter(|r| r.disposition == Disposition::Actioned)
            .count(),
        thread.len()
    );

    // 5. One undo brings every one back.
    type_keys(&mut app, &mut keys, "u");
    for id in &thread {
        assert_eq!(app.triage.disposition(id), Disposition::Untriaged, "{id}");
    }
    assert_eq!(app.mode, Mode::Thread);
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(app.mode, Mode::Reading);
    // Back in the reading view, backspace returns to the cable first opened.
    type_keys(&mut app, &mut keys, "backspace");
    assert_eq!(app.reading.as_ref().unwrap().index, cited);
}

#[test]
fn a_corpus_change_closes_the_thread_view_rather_than_show_renumbered_cables() {
    let mut app = thread_app(120, 40);
    let mut keys = KeyReader::new(keymap());
    open_thread_of(&mut app, &mut keys, "08MOSCOW210");
    app.update_now(Msg::Loaded(LoadEvent::Replace {
        files: vec![cabletriage::corpus::load::FileCables {
            path: "new.csv".into(),
            entries: vec![cable("08NEW1", 30, "Embassy Oslo", "NEW", &["08MOSCOW210"])],
        }],
        progress: Progress::default(),
    }));
    assert_eq!(app.mode, Mode::Table);
    assert!(app.thread.is_none());
    // Once the graph is built again, the view opens with the new cable in it.
    app.update_now(Msg::Loaded(LoadEvent::Done {
        progress: Progress::default(),
        elapsed: Duration::from_millis(1),
        save_as: None,
    }));
    open_thread_of(&mut app, &mut keys, "08MOSCOW210");
    let ids: Vec<String> = tree_ids(&app);
    assert!(ids.contains(&"08NEW1".to_string()), "{ids:?}");
}

/// The reading view of the most cited cable of the demo: `Cited by` with its count and the
/// first six, then, past them, the selected citer shown after `…` and in the position line.
#[test]
fn reading_view_shows_cited_by_and_selects_citers() {
    let keymap = keymap();
    let (mut app, _dir) = support::demo_app(2_000, 80, 24, keymap.help_bindings());
    let mut keys = KeyReader::new(Arc::clone(&keymap));
    let graph = app.graph().expect("built with the load");
    let most = (0..app.corpus.len() as u32)
        .max_by_key(|&e| (graph.cited_by(e).len(), std::cmp::Reverse(e)))
        .unwrap();
    let citers = graph.cited_by(most).len();
    assert!(citers > 8, "the demo's hub has {citers} citers");
    let position = app.table.shown.iter().position(|&i| i == most).unwrap();
    let rows = app.table_rows();
    app.table.set_cursor(position, rows);
    type_keys(&mut app, &mut keys, "enter");
    app.message = None;
    insta::assert_snapshot!("reading_cited_by", render(&app, &Theme::dark()));
    let references = match &app.reading.as_ref().unwrap().cable {
        Some(Ok(c)) => c.references.len(),
        other => panic!("not read: {other:?}"),
    };
    for _ in 0..references + 7 {
        type_keys(&mut app, &mut keys, "tab");
    }
    app.message = None;
    let screen = render(&app, &Theme::dark());
    let eighth = app.reading.as_ref().unwrap().citers[7].clone();
    assert!(screen.contains(&format!("▸ {eighth}")), "{screen}");
    assert!(screen.contains(&format!("cited by 8/{citers}")), "{screen}");
    insta::assert_snapshot!("reading_cited_by_eighth_selected", screen);
    // Scrolled to the end of the body, `tab` brings the selected citer back into view.
    type_keys(&mut app, &mut keys, "end tab");
    let ninth = app.reading.as_ref().unwrap().citers[8].clone();
    let screen = render(&app, &Theme::dark());
    let body = screen.split("--- styles").next().unwrap_or("");
    assert!(body.contains(&format!("▸ {ninth}")), "{screen}");
}

/// A store on a file, given to the app, and a second handle on it for another analyst.
fn with_store(app: &mut App) -> (tempfile::TempDir, cabletriage::store::SqliteStore) {
    use cabletriage::store::{OpenOptions, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = SqliteStore::open_with(&path, &OpenOptions::default()).unwrap();
    app.triage.analyst = "alice".into();
    app.direct_store = Some(Box::new(store));
    let other = SqliteStore::open(&path).unwrap();
    (dir, other)
}

fn carol_disposes(store: &mut cabletriage::store::SqliteStore, id: &str, d: Disposition) {
    use cabletriage::store::TriageStore;
    let action = cabletriage::store::ActionRecord::dispose_all("carol", [id], d, None);
    assert!(store.apply(&action).unwrap().conflicts.is_empty());
}

/// A whole-thread disposition that meets a colleague's change offers to apply it to the
/// other cables, as a bulk action in the table does; the answer comes back to the tree.
#[test]
fn a_whole_thread_conflict_asks_about_the_other_cables() {
    let mut app = thread_app(120, 40);
    let (_dir, mut carol) = with_store(&mut app);
    let mut keys = KeyReader::new(keymap());
    open_thread_of(&mut app, &mut keys, "08MOSCOW210");
    let thread = tree_ids(&app);
    carol_disposes(&mut carol, "08PARIS300", Disposition::NoAction);
    type_keys(&mut app, &mut keys, "!");
    let question = app.confirm.as_ref().map(|c| c.question.clone());
    assert!(
        question
            .as_deref()
            .is_some_and(|q| q.contains("08PARIS300") && q.contains("Apply to the")),
        "{question:?}"
    );
    type_keys(&mut app, &mut keys, "y");
    assert_eq!(app.mode, Mode::Thread);
    for id in thread.iter().filter(|id| *id != "08PARIS300") {
        assert_eq!(app.triage.disposition(id), Disposition::Actioned, "{id}");
    }
}

/// Undoing a whole-thread disposition after a colleague changed one of its cables offers to
/// undo the rest.
#[test]
fn undoing_a_whole_thread_after_a_colleague_offers_the_rest() {
    let mut app = thread_app(120, 40);
    let (_dir, mut carol) = with_store(&mut app);
    let mut keys = KeyReader::new(keymap());
    open_thread_of(&mut app, &mut keys, "08MOSCOW210");
    let thread = tree_ids(&app);
    type_keys(&mut app, &mut keys, "!");
    carol_disposes(&mut carol, "08PARIS300", Disposition::NoAction);
    type_keys(&mut app, &mut keys, "u");
    let question = app.confirm.as_ref().map(|c| c.question.clone());
    assert!(
        question
            .as_deref()
            .is_some_and(|q| q.contains("undo the rest")),
        "{question:?}"
    );
    type_keys(&mut app, &mut keys, "y");
    assert_eq!(app.mode, Mode::Thread);
    for id in thread.iter().filter(|id| *id != "08PARIS300") {
        assert_eq!(app.triage.disposition(id), Disposition::Untriaged, "{id}");
    }
}

/// A smaller terminal keeps the tree's cursor line on screen.
#[test]
fn resizing_keeps_the_cursor_line_in_view() {
    let mut app = thread_app(120, 40);
    let mut keys = KeyReader::new(keymap());
    open_thread_of(&mut app, &mut keys, "08MOSCOW210");
    type_keys(&mut app, &mut keys, "end");
    app.update(Msg::Resize {
        width: 60,
        height: 10,
    });
    let view = app.thread.as_ref().unwrap();
    let rows = app.thread_rows();
    assert!(
        view.cursor >= view.offset && view.cursor < view.offset + rows,
        "cursor {} offset {} rows {rows}",
        view.cursor,
        view.offset
    );
}

/// Opened from a cable being read, the tree gives that reading view back when it closes,
/// also after reading one of its lines.
#[test]
fn the_reading_view_the_tree_came_from_comes_back() {
    let keymap = keymap();
    let (mut app, _dir) = support::demo_app(300, 100, 30, keymap.help_bindings());
    let mut keys = KeyReader::new(Arc::clone(&keymap));
    let graph = app.graph().expect("built with the load");
    let cited = (0..app.corpus.len() as u32)
        .find(|&e| !graph.cited_by(e).is_empty())
        .expect("a cited cable");
    let position = app.table.shown.iter().position(|&i| i == cited).unwrap();
    let rows = app.table_rows();
    app.table.set_cursor(position, rows);
    type_keys(&mut app, &mut keys, "enter T");
    assert_eq!(app.mode, Mode::Thread);
    let line = app.thread.as_ref().unwrap().tree.focus;
    // A line other than the focus: the first cable line of the tree that is not it.
    let other = app
        .thread
        .as_ref()
        .unwrap()
        .tree
        .lines
        .iter()
        .position(
            |l| matches!(l.item, cabletriage::corpus::graph::TreeItem::Cable(e) if e != cited),
        )
        .expect("another cable in the thread");
    let moves = if other > line { "down " } else { "up " }.repeat(other.abs_diff(line));
    type_keys(&mut app, &mut keys, &format!("{moves}enter"));
    assert_eq!(app.mode, Mode::Reading);
    assert_ne!(app.reading.as_ref().unwrap().index, cited);
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(app.mode, Mode::Thread);
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(app.mode, Mode::Reading);
    assert_eq!(app.reading.as_ref().unwrap().index, cited);
}

/// `enter` on a cut (`… 3 more citers`) or on a cable not in the corpus lists, in the
/// table, every cable citing it: what the tree could not show.
#[test]
fn enter_on_a_cut_or_an_absent_cable_lists_its_citers() {
    use cabletriage::corpus::graph::{More, TreeItem};
    let mut app = thread_app(120, 40);
    let mut keys = KeyReader::new(keymap());
    for (wanted, id) in [("cut", "08STATE1000"), ("absent", "07MOSCOW9999")] {
        open_thread_of(&mut app, &mut keys, "08MOSCOW210");
        let view = app.thread.as_ref().unwrap();
        let line = view
            .tree
            .lines
            .iter()
            .position(|l| {
                matches!(
                    (&l.item, wanted),
                    (TreeItem::More(More::Citers(_)), "cut") | (TreeItem::Missing(_), "absent")
                )
            })
            .unwrap_or_else(|| panic!("a {wanted} line"));
        let moves =
            if line > view.cursor { "down " } else { "up " }.repeat(line.abs_diff(view.cursor));
        type_keys(&mut app, &mut keys, &format!("{moves}enter"));
        assert_eq!(app.mode, Mode::Table, "{wanted}");
        assert_eq!(app.filter.input.text(), format!("cites:{id}"));
        let citers: Vec<String> = app
            .corpus
            .entries
            .iter()
            .filter(|e| e.references.iter().any(|r| &**r == id))
            .map(|e| e.id.to_string())
            .collect();
        let mut shown: Vec<String> = (0..app.table.shown.len())
            .map(|i| support::id_at(&app, i))
            .collect();
        shown.sort();
        let mut citers = citers;
        citers.sort();
        assert_eq!(shown, citers, "{wanted}");
        type_keys(&mut app, &mut keys, "esc");
    }
}

/// Trees opened from a cable read from a tree nest: `q` walks back out through each of
/// them, then to the cable first read, then to the table.
#[test]
fn q_walks_back_out_of_nested_trees() {
    let mut app = thread_app(120, 40);
    let mut keys = KeyReader::new(keymap());
    let position = app
        .table
        .shown
        .iter()
        .position(|&i| &*app.corpus.get(i).unwrap().id == "08MOSCOW210")
        .unwrap();
    let rows = app.table_rows();
    app.table.set_cursor(position, rows);
    let id_read = |app: &App| {
        app.reading
            .as_ref()
            .and_then(|r| app.corpus.get(r.index))
            .map(|e| e.id.to_string())
    };
    let focus = |app: &App| {
        app.thread
            .as_ref()
            .and_then(|t| app.corpus.get(t.focus))
            .map(|e| e.id.to_string())
    };
    type_keys(&mut app, &mut keys, "enter T home enter T");
    assert_eq!(app.mode, Mode::Thread);
    assert_eq!(focus(&app).as_deref(), Some("08STATE1000"));
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(
        (app.mode, id_read(&app).as_deref()),
        (Mode::Reading, Some("08STATE1000"))
    );
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(
        (app.mode, focus(&app).as_deref()),
        (Mode::Thread, Some("08MOSCOW210"))
    );
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(
        (app.mode, id_read(&app).as_deref()),
        (Mode::Reading, Some("08MOSCOW210"))
    );
    type_keys(&mut app, &mut keys, "q");
    assert_eq!(app.mode, Mode::Table);
}

/// After following a reference from a cable read from the tree, `]` goes on from the cable
/// on screen, not from the line first opened.
#[test]
fn next_in_the_tree_goes_on_from_the_cable_on_screen() {
    let mut app = thread_app(120, 40);
    let mut keys = KeyReader::new(keymap());
    open_thread_of(&mut app, &mut keys, "08MOSCOW210");
    let line_of = |app: &App, id: &str| {
        app.thread
            .as_ref()
            .unwrap()
            .tree
            .lines
            .iter()
            .position(|l| {
                matches!(l.item, cabletriage::corpus::graph::TreeItem::Cable(e)
                    if &*app.corpus.get(e).unwrap().id == id)
            })
            .unwrap()
    };
    let from = app.thread.as_ref().unwrap().cursor;
    let to = line_of(&app, "08STATE1100");
    type_keys(&mut app, &mut keys, &"down ".repeat(to - from));
    // 08STATE1100 cites 08MOSCOW210 first: follow it, then the tree's next cable.
    type_keys(&mut app, &mut keys, "enter enter ]");
    let read = app.reading.as_ref().map(|r| r.index).unwrap();
    assert_eq!(&*app.corpus.get(read).unwrap().id, "08STATE1100");
}
