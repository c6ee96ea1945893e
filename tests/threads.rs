//! Grouping the table by thread: the rows, folds, the cursor, the filter's context rows,
//! snapshots of the grouped table, and a key script through the real keymap. The corpus is
//! made by hand (not the demo), so the threads stay the same whatever the generator does.

mod support;

use std::time::Duration;

use cabletriage::app::text_search::TextStorage;
use cabletriage::app::{Action, App, Bindings, Msg};
use cabletriage::cable::Precedence;
use cabletriage::corpus::Entry;
use cabletriage::corpus::load::{LoadEvent, Progress};
use cabletriage::corpus::sort::{Column, SortColumn};
use cabletriage::keymap::Keymap;
use cabletriage::tui::runtime::KeyReader;
use cabletriage::tui::theme::Theme;
use std::sync::Arc;
use support::{render, type_keys};

const DAY: i64 = 86_400;
/// 2008-01-01 00:00 UTC.
const YEAR_2008: i64 = 1_199_145_600;

fn cable(id: &str, day: i64, subject: &str, refs: &[&str]) -> Entry {
    let mut e = Entry::blank(id);
    e.date = Some(YEAR_2008 + day * DAY + 9 * 3600);
    e.precedence = Precedence::Routine;
    e.origin = "Secretary of State".into();
    e.subject = subject.into();
    e.references = refs.iter().map(|r| (*r).into()).collect();
    e
}

/// Four threads and two lone cables:
/// - Iran: 08STATE100 heads it; GENEVA200 and LONDON300 cite it, STATE400 cites GENEVA200,
///   PARIS500 cites STATE400;
/// - gas: MOSCOW600, KYIV700 citing it, MINSK800 citing KYIV700;
/// - whaling: TOKYO900 and CANBERRA950 both cite 07TOKYO1, which is not in the corpus;
/// - a chain of ten, each citing the one before (deeper than the indent is drawn);
/// - BERLIN11 and ROME12 alone.
fn corpus() -> Vec<Entry> {
    let mut entries = vec![
        cable("08STATE100", 10, "IRAN: NUCLEAR TALKS IN GENEVA", &[]),
        cable(
            "08GENEVA200",
            12,
            "IRAN: GENEVA ROUND ONE READOUT",
            &["08STATE100"],
        ),
        cable("08LONDON300", 13, "UK VIEWS ON IRAN TALKS", &["08STATE100"]),
        cable(
            "08STATE400",
            15,
            "IRAN: GUIDANCE FOR ROUND TWO",
            &["08GENEVA200"],
        ),
        cable(
            "08PARIS500",
            16,
            "FRANCE ON IRAN ROUND TWO",
            &["08STATE400"],
        ),
        cable("08MOSCOW600", 5, "RUSSIA: GAZPROM PRICES FOR 2008", &[]),
        cable(
            "08KYIV700",
            20,
            "UKRAINE: GAS DISPUTE WITH RUSSIA",
            &["08MOSCOW600"],
        ),
        cable("08MINSK800", 21, "BELARUS: TRANSIT FEES", &["08KYIV700"]),
        cable("08TOKYO900", 8, "JAPAN: WHALING SEASON", &["07TOKYO1"]),
        cable(
            "08CANBERRA950",
            9,
            "AUSTRALIA: WHALING PROTEST",
            &["07TOKYO1"],
        ),
        cable("08BERLIN11", 18, "GERMANY: STATE ELECTIONS", &[]),
        cable("08ROME12", 3, "ITALY: BUDGET DEBATE", &[]),
    ];
    let chain: Vec<String> = (0..10).map(|i| format!("08CHAIN{}", i + 1)).collect();
    for (i, id) in chain.iter().enumerate() {
        let refs: Vec<&str> = if i == 0 { vec![] } else { vec![&chain[i - 1]] };
        let subject = format!("CHAIN LINK {}", i + 1);
        entries.push(cable(id, 30 + i as i64, &subject, &refs));
    }
    entries[3].precedence = Precedence::Immediate;
    entries
}

fn bindings() -> Bindings {
    Keymap::shipped_default().help_bindings()
}

/// An app with [`corpus`] loaded and its indexes (the graph among them) built.
fn thread_app(width: u16, height: u16, bindings: Bindings) -> App {
    let mut app = app_loading(width, height, bindings);
    finish_loading(&mut app);
    app
}

/// An app with the cables in the table, before the indexes are built.
fn app_loading(width: u16, height: u16, bindings: Bindings) -> App {
    let mut app = App::new(bindings);
    app.text.storage = TextStorage::Off;
    app.update(Msg::Resize { width, height });
    app.update_now(Msg::Loaded(LoadEvent::Batch {
        files: Vec::new(),
        entries: corpus(),
        progress: Progress::default(),
    }));
    app
}

fn finish_loading(app: &mut App) {
    app.update_now(Msg::Loaded(LoadEvent::Done {
        progress: Progress::default(),
        elapsed: Duration::from_millis(420),
        save_as: None,
    }));
    assert!(app.graph().is_some(), "the graph is built");
    app.load.finished = Some(Duration::from_millis(420));
    app.message = None;
}

fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update_now(Msg::Action(*a));
    }
}

fn ids(app: &App) -> Vec<String> {
    (app.table.shown.iter())
        .map(|&i| app.corpus.get(i).unwrap().id.to_string())
        .collect()
}

fn current_id(app: &App) -> String {
    let entry = app.table.current().expect("a cursor");
    app.corpus.get(entry).unwrap().id.to_string()
}

fn place_cursor_on(app: &mut App, id: &str) {
    let at = ids(app).iter().position(|i| i == id).expect("shown");
    let rows = app.table_rows();
    app.table.set_cursor(at, rows);
}

fn type_filter(app: &mut App, text: &str) {
    act(app, &[Action::Filter]);
    for c in text.chars() {
        app.update_now(Msg::Insert(c));
    }
    act(app, &[Action::Accept]);
}

const CHAIN: [&str; 10] = [
    "08CHAIN1",
    "08CHAIN2",
    "08CHAIN3",
    "08CHAIN4",
    "08CHAIN5",
    "08CHAIN6",
    "08CHAIN7",
    "08CHAIN8",
    "08CHAIN9",
    "08CHAIN10",
];

#[test]
fn threads_in_tree_order_ordered_by_their_latest_cable() {
    let mut app = thread_app(100, 40, bindings());
    // Newest first, by date alone: the sort the threads follow.
    app.table.sort.column = SortColumn::Field(Column::Date);
    app.table.sort.descending = true;
    act(&mut app, &[Action::SortReverse, Action::SortReverse]);
    act(&mut app, &[Action::ToggleThreads]);
    let mut wanted: Vec<&str> = CHAIN.to_vec();
    wanted.extend([
        // Gas: latest day 21.
        "08MOSCOW600",
        "08KYIV700",
        "08MINSK800",
        "08BERLIN11",
        // Iran: latest day 16; GENEVA200 before LONDON300, its followers under it.
        "08STATE100",
        "08GENEVA200",
        "08STATE400",
        "08PARIS500",
        "08LONDON300",
        // Whaling, joined by the missing cable they both cite.
        "08TOKYO900",
        "08CANBERRA950",
        "08ROME12",
    ]);
    assert_eq!(ids(&app), wanted);
    let g = &app.table.grouping;
    assert!(g.applied());
    assert_eq!(g.threads, 6);
    let depths: Vec<u16> = g.rows.iter().map(|r| r.depth).collect();
    assert_eq!(&depths[..10], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(&depths[14..19], &[0, 1, 2, 3, 1]);
    assert_eq!(g.rows[0].thread_rows, 10);
    assert_eq!(
        g.rows[13].thread_rows, 1,
        "a lone cable is a thread of one row"
    );

    // Oldest first: the threads follow (their latest cable decides), the tree order stays.
    act(&mut app, &[Action::SortReverse]);
    let shown = ids(&app);
    assert_eq!(shown[0], "08ROME12");
    assert_eq!(&shown[1..3], ["08TOKYO900", "08CANBERRA950"]);
    assert_eq!(shown[3], "08STATE100");
    assert_eq!(shown.last().map(String::as_str), Some("08CHAIN10"));

    // Toggled off: the table's own order again.
    act(&mut app, &[Action::ToggleThreads]);
    assert!(app.table.grouping.rows.is_empty());
    assert_eq!(ids(&app)[0], "08ROME12");
    assert_eq!(ids(&app)[1], "08MOSCOW600");
}

#[test]
fn the_cursor_keeps_its_cable_when_grouping_and_folding() {
    let mut app = thread_app(100, 40, bindings());
    place_cursor_on(&mut app, "08STATE400");
    act(&mut app, &[Action::ToggleThreads]);
    assert_eq!(current_id(&app), "08STATE400");
    // Folding its thread: only the first row is left, and the cursor goes to it.
    act(&mut app, &[Action::FoldThread]);
    assert_eq!(current_id(&app), "08STATE100");
    let at = app.table.cursor;
    let row = app.table.grouping.row(at).unwrap();
    assert!(row.folded);
    assert_eq!(row.thread_rows, 5);
    assert!(!ids(&app).contains(&"08PARIS500".to_string()));
    // Unfolding keeps the cursor on the first row.
    act(&mut app, &[Action::UnfoldThread]);
    assert_eq!(current_id(&app), "08STATE100");
    assert!(ids(&app).contains(&"08PARIS500".to_string()));
    // Fold all, from a follower: the cursor goes to its thread's first row.
    place_cursor_on(&mut app, "08MINSK800");
    act(&mut app, &[Action::FoldAllThreads]);
    assert_eq!(current_id(&app), "08MOSCOW600");
    assert_eq!(app.table.shown.len(), 6, "one row a thread");
    // Unfolding one thread while all are folded.
    act(&mut app, &[Action::UnfoldThread]);
    assert_eq!(app.table.shown.len(), 8);
    act(&mut app, &[Action::UnfoldAllThreads]);
    assert_eq!(app.table.shown.len(), 22);
    // Re-sorting keeps the cable and the grouping.
    place_cursor_on(&mut app, "08CANBERRA950");
    act(&mut app, &[Action::SortNext]);
    assert_eq!(current_id(&app), "08CANBERRA950");
    assert!(app.table.grouping.applied());
    assert_eq!(app.table.grouping.rows.len(), app.table.shown.len());
}

#[test]
fn a_filter_shows_whole_threads_with_context_rows() {
    let mut app = thread_app(100, 40, bindings());
    act(&mut app, &[Action::ToggleThreads]);
    type_filter(&mut app, "'ukraine | 'france");
    let shown = ids(&app);
    assert_eq!(shown.len(), 8, "{shown:?}");
    let matched: Vec<(String, bool)> = (shown.iter().cloned())
        .zip(app.table.grouping.rows.iter().map(|r| r.matched))
        .collect();
    for (id, is_match) in &matched {
        assert_eq!(
            *is_match,
            id == "08KYIV700" || id == "08PARIS500",
            "{id}: {matched:?}"
        );
    }
    // Context rows are real rows: the cursor lands on them.
    place_cursor_on(&mut app, "08MOSCOW600");
    assert_eq!(current_id(&app), "08MOSCOW600");
    // Select-all selects the matches, not the context shown around them.
    act(&mut app, &[Action::SelectAll]);
    let mut selected: Vec<String> = (app.triage.selection.iter())
        .map(|&i| app.corpus.get(i).unwrap().id.to_string())
        .collect();
    selected.sort();
    assert_eq!(selected, ["08KYIV700", "08PARIS500"]);
    // Leaving threads from a context row: the nearest match above takes the cursor, when
    // there is one; here the thread's match is below it.
    act(&mut app, &[Action::ToggleThreads]);
    assert_eq!(ids(&app).len(), 2);
    assert_eq!(current_id(&app), "08KYIV700");
}

#[test]
fn a_folded_selection_counts_as_hidden() {
    let mut app = thread_app(100, 40, bindings());
    act(&mut app, &[Action::ToggleThreads]);
    place_cursor_on(&mut app, "08PARIS500");
    act(&mut app, &[Action::SelectToggle]);
    act(&mut app, &[Action::FoldAllThreads]);
    let (shown, hidden) = app.target_scope();
    assert!(shown.is_empty());
    assert_eq!(
        hidden.len(),
        1,
        "a folded cable is not seen: a bulk action asks first"
    );
    assert_eq!(app.hidden_selected(), 1);
}

#[test]
fn grouping_waits_for_the_graph() {
    let mut app = app_loading(100, 40, bindings());
    assert!(app.graph().is_none());
    act(&mut app, &[Action::ToggleThreads]);
    let message = app.message.as_ref().map(|m| m.text.clone());
    assert_eq!(
        message.as_deref(),
        Some("rows are grouped by thread once the reference graph is built")
    );
    assert!(!app.table.grouping.applied());
    assert_eq!(app.table.shown.len(), 22);
    finish_loading(&mut app);
    assert!(app.table.grouping.applied(), "grouped once the graph is in");
    assert_eq!(app.table.grouping.threads, 6);
}

#[test]
fn folds_outlive_a_new_graph_by_the_first_cable_of_their_thread() {
    let mut app = thread_app(100, 40, bindings());
    act(&mut app, &[Action::ToggleThreads]);
    place_cursor_on(&mut app, "08GENEVA200");
    act(&mut app, &[Action::FoldThread]);
    assert_eq!(app.table.shown.len(), 18);
    // The same corpus indexed again (as after files are read again): thread numbers may
    // change, the fold stays on the Iran thread.
    let indexes = cabletriage::app::Indexes::build(&app.corpus.entries);
    app.update_now(Msg::Indexed(indexes));
    assert_eq!(app.table.shown.len(), 18);
    assert_eq!(current_id(&app), "08STATE100");
    let at = app.table.cursor;
    assert!(app.table.grouping.row(at).unwrap().folded);
}

#[test]
fn files_read_again_keep_the_grouping_the_folds_and_the_cursor() {
    let mut app = thread_app(100, 40, bindings());
    act(&mut app, &[Action::ToggleThreads]);
    place_cursor_on(&mut app, "08LONDON300");
    act(&mut app, &[Action::FoldThread]);
    place_cursor_on(&mut app, "08KYIV700");
    assert_eq!(app.table.shown.len(), 18);
    // A new file: the chain grows by one, and ROME12 gets a follower.
    app.update_now(Msg::Loaded(LoadEvent::Replace {
        files: vec![cabletriage::corpus::load::FileCables {
            path: "new.csv".into(),
            entries: vec![
                cable("08CHAIN11", 40, "CHAIN LINK 11", &["08CHAIN10"]),
                cable("08ROME13", 41, "ITALY: BUDGET PASSED", &["08ROME12"]),
            ],
        }],
        progress: Progress::default(),
    }));
    // Until the graph is built again, the rows are not grouped; the cursor stays.
    assert!(app.graph().is_none());
    assert!(!app.table.grouping.applied());
    assert_eq!(app.table.shown.len(), 24);
    assert_eq!(current_id(&app), "08KYIV700");
    finish_loading(&mut app);
    assert!(app.table.grouping.applied());
    assert_eq!(current_id(&app), "08KYIV700");
    let shown = ids(&app);
    // Iran still folded (24 cables, 4 folded away); the chain and Rome threads grew.
    assert_eq!(shown.len(), 20, "{shown:?}");
    assert!(!shown.contains(&"08PARIS500".to_string()));
    let chain = shown.iter().position(|i| i == "08CHAIN1").unwrap();
    assert_eq!(app.table.grouping.rows[chain].thread_rows, 11);
    assert_eq!(
        shown[0], "08ROME12",
        "the newest thread first: Rome, with ROME13 (day 41)"
    );
}

// Snapshots: grouped rows at 80x24 and 200x60, with a filter's context and a folded thread.

const COLOR: Theme = Theme::dark();

#[test]
fn grouped_80x24() {
    let mut app = thread_app(80, 24, bindings());
    act(&mut app, &[Action::ToggleThreads]);
    app.message = None;
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn grouped_200x60_with_context_and_a_folded_thread() {
    let mut app = thread_app(200, 60, bindings());
    act(&mut app, &[Action::ToggleThreads]);
    place_cursor_on(&mut app, "08CHAIN4");
    act(&mut app, &[Action::FoldThread]);
    type_filter(&mut app, "'ukraine | 'france | chain");
    app.message = None;
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn grouped_80x24_filtered() {
    let mut app = thread_app(80, 24, bindings());
    act(&mut app, &[Action::ToggleThreads]);
    type_filter(&mut app, "'ukraine | 'france");
    app.message = None;
    insta::assert_snapshot!(render(&app, &COLOR));
}

// Key scripts through the real keymaps.

fn keyed_app(keymap_name: &str) -> (App, KeyReader) {
    let keymap = match Keymap::load(Some(keymap_name)) {
        Ok((k, _)) => Arc::new(k),
        Err(problems) => panic!("shipped keymap {keymap_name} has problems: {problems:?}"),
    };
    let app = thread_app(100, 40, keymap.help_bindings());
    (app, KeyReader::new(keymap))
}

#[test]
fn default_keys_group_fold_and_unfold_keeping_the_cable() {
    let (mut app, mut keys) = keyed_app("default");
    place_cursor_on(&mut app, "08LONDON300");
    type_keys(&mut app, &mut keys, "=");
    assert!(app.table.grouping.applied());
    assert_eq!(current_id(&app), "08LONDON300");
    type_keys(&mut app, &mut keys, "left");
    assert_eq!(current_id(&app), "08STATE100");
    let folded_rows = app.table.shown.len();
    type_keys(&mut app, &mut keys, "down up");
    assert_eq!(current_id(&app), "08STATE100");
    type_keys(&mut app, &mut keys, "right");
    assert_eq!(app.table.shown.len(), folded_rows + 4);
    type_keys(&mut app, &mut keys, "down");
    assert_eq!(current_id(&app), "08GENEVA200");
    type_keys(&mut app, &mut keys, "- +");
    assert_eq!(current_id(&app), "08STATE100");
    type_keys(&mut app, &mut keys, "down =");
    assert!(!app.table.grouping.on);
    assert_eq!(current_id(&app), "08GENEVA200");
}

#[test]
fn vim_and_emacs_keys_fold_threads() {
    let (mut app, mut keys) = keyed_app("vim");
    place_cursor_on(&mut app, "08KYIV700");
    type_keys(&mut app, &mut keys, "z t");
    assert_eq!(current_id(&app), "08KYIV700");
    type_keys(&mut app, &mut keys, "z c");
    assert_eq!(current_id(&app), "08MOSCOW600");
    type_keys(&mut app, &mut keys, "z o j");
    assert_eq!(current_id(&app), "08KYIV700");
    type_keys(&mut app, &mut keys, "h");
    assert_eq!(current_id(&app), "08MOSCOW600");
    type_keys(&mut app, &mut keys, "z R z M");
    assert_eq!(app.table.shown.len(), 6);
    type_keys(&mut app, &mut keys, "z R z t");
    assert!(!app.table.grouping.on);
    assert_eq!(current_id(&app), "08MOSCOW600");

    let (mut app, mut keys) = keyed_app("emacs");
    place_cursor_on(&mut app, "08KYIV700");
    type_keys(&mut app, &mut keys, "ctrl-x = ctrl-x c");
    assert_eq!(current_id(&app), "08MOSCOW600");
    type_keys(&mut app, &mut keys, "ctrl-x e ctrl-x t");
    assert_eq!(app.table.shown.len(), 6);
    type_keys(&mut app, &mut keys, "ctrl-x a");
    assert_eq!(app.table.shown.len(), 22);
}
