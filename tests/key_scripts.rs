//! Scripted key sequences through the real shipped keymaps, as a user types them:
//! `"/ i r a n enter j j enter"`. Keys are written in the keymap notation.

mod support;
use support::type_keys;

use cabletriage::app::{App, Mode};
use cabletriage::keymap::Keymap;
use cabletriage::tui::runtime::KeyReader;
use std::sync::Arc;

fn keymap(name: &str) -> Arc<Keymap> {
    match Keymap::load(Some(name)) {
        Ok((k, _)) => Arc::new(k),
        Err(problems) => panic!("shipped keymap {name} has problems: {problems:?}"),
    }
}

fn app_with(keymap_name: &str) -> (App, KeyReader, tempfile::TempDir) {
    let keymap = keymap(keymap_name);
    let (app, dir) = support::demo_app(300, 100, 30, keymap.help_bindings());
    (app, KeyReader::new(keymap), dir)
}

#[test]
fn default_filter_open_and_back() {
    let (mut app, mut keys, _d) = app_with("default");
    type_keys(&mut app, &mut keys, "/ m i n i s t e r");
    assert_eq!(app.mode, Mode::Filter);
    assert_eq!(app.filter.input.text(), "minister");
    let matches = app.table.shown.len();
    assert!(matches > 0 && matches < 300, "{matches}");
    type_keys(&mut app, &mut keys, "enter down down enter");
    assert_eq!(app.mode, Mode::Reading);
    assert_eq!(app.table.cursor, 2);
    let opened = app.reading.as_ref().unwrap().index;
    assert_eq!(Some(opened), app.table.current());
    type_keys(&mut app, &mut keys, "] [ ]");
    assert_eq!(app.table.cursor, 3);
    type_keys(&mut app, &mut keys, "esc");
    assert_eq!(app.mode, Mode::Table);
    type_keys(&mut app, &mut keys, "esc");
    assert_eq!(
        app.table.shown.len(),
        300,
        "esc in the table clears the filter"
    );
}

#[test]
fn vim_sequences_and_counts_of_rows() {
    let (mut app, mut keys, _d) = app_with("vim");
    type_keys(&mut app, &mut keys, "j j j");
    assert_eq!(app.table.cursor, 3);
    type_keys(&mut app, &mut keys, "G");
    assert_eq!(app.table.cursor, 299);
    type_keys(&mut app, &mut keys, "g g");
    assert_eq!(app.table.cursor, 0);
    // A key that breaks a sequence counts on its own.
    type_keys(&mut app, &mut keys, "g j");
    assert_eq!(app.table.cursor, 1);
    type_keys(&mut app, &mut keys, "enter / t h e enter n");
    assert_eq!(app.mode, Mode::Reading);
    assert!(app.reading.as_ref().unwrap().search.is_some());
    type_keys(&mut app, &mut keys, "q q");
    assert!(app.quit, "q leaves the reading view, then quits");
}

#[test]
fn emacs_editing_and_command_line() {
    let (mut app, mut keys, _d) = app_with("emacs");
    type_keys(&mut app, &mut keys, "ctrl-s a b c ctrl-a ctrl-d ctrl-e");
    assert_eq!(app.filter.input.text(), "bc");
    type_keys(&mut app, &mut keys, "ctrl-g");
    assert_eq!(app.mode, Mode::Table);
    assert!(!app.filter.is_active());
    type_keys(&mut app, &mut keys, "alt-x s o r t - r e v tab enter");
    assert!(app.table.sort.descending);
    type_keys(&mut app, &mut keys, "ctrl-x ctrl-c");
    assert!(app.quit);
}

#[test]
fn help_lists_the_active_keymap_and_filters() {
    let (mut app, mut keys, _d) = app_with("vim");
    type_keys(&mut app, &mut keys, "? s o r t");
    assert_eq!(app.mode, Mode::Help);
    let lines = cabletriage::tui::view::help::help_lines(
        &app,
        &cabletriage::tui::theme::Theme::mono(),
        200,
    );
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert!(!text.is_empty());
    assert!(
        text.iter()
            .all(|l| l.to_lowercase().contains("sort") || l.is_empty() || l.starts_with("Without")),
        "{text:#?}"
    );
    type_keys(&mut app, &mut keys, "esc");
    assert_eq!(app.mode, Mode::Table);
}

fn with_store(app: &mut App) -> tempfile::TempDir {
    use cabletriage::store::{OpenOptions, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_with(&dir.path().join("t.db"), &OpenOptions::default()).unwrap();
    app.triage.analyst = "tester".into();
    app.direct_store = Some(Box::new(store));
    dir
}

#[test]
fn s_reaches_disposition_and_my_tags_and_sorts_by_what_was_recorded() {
    use cabletriage::corpus::sort::SortColumn;
    use cabletriage::store::Disposition;
    let (mut app, mut keys, _d) = app_with("default");
    let _store = with_store(&mut app);
    // Rows 5 and 9 get no action, row 7 is actioned (the cursor moves on after each).
    type_keys(&mut app, &mut keys, "down down down down down 4");
    type_keys(
        &mut app,
        &mut keys,
        "home down down down down down down down 1",
    );
    type_keys(
        &mut app,
        &mut keys,
        "home down down down down down down down down down 4",
    );
    type_keys(&mut app, &mut keys, "home down t u r g e n t enter");
    let disposition = |app: &App, row: usize| {
        let id = &app.corpus.get(app.table.shown[row]).unwrap().id;
        app.triage.disposition(id)
    };
    let mut steps = 0;
    while app.table.sort.column != SortColumn::Disposition {
        type_keys(&mut app, &mut keys, "s");
        steps += 1;
        assert!(steps < 10, "s never reaches the disposition");
    }
    assert_eq!(disposition(&app, 0), Disposition::Actioned);
    assert_eq!(disposition(&app, 1), Disposition::NoAction);
    assert_eq!(disposition(&app, 2), Disposition::NoAction);
    assert_eq!(disposition(&app, 3), Disposition::Untriaged);
    // Within a disposition, newest first.
    let date = |app: &App, row: usize| app.corpus.get(app.table.shown[row]).unwrap().date;
    assert!(date(&app, 1) >= date(&app, 2));
    type_keys(&mut app, &mut keys, "r");
    assert_eq!(disposition(&app, 0), Disposition::NoAction);
    assert_eq!(disposition(&app, 2), Disposition::Actioned);
    assert_eq!(
        disposition(&app, 3),
        Disposition::Untriaged,
        "untriaged stay last"
    );
    // A disposition given since is sorted by at the next sort.
    type_keys(&mut app, &mut keys, "home down down down 2 r r");
    let first: Vec<Disposition> = (0..5).map(|r| disposition(&app, r)).collect();
    assert_eq!(
        first,
        [
            Disposition::NoAction,
            Disposition::NoAction,
            Disposition::FollowUp,
            Disposition::Actioned,
            Disposition::Untriaged
        ]
    );
    type_keys(&mut app, &mut keys, "s s");
    assert_eq!(app.table.sort.column, SortColumn::MyTags);
    let first = &app.corpus.get(app.table.shown[0]).unwrap().id;
    assert!(app.triage.record(first).unwrap().tags.contains("urgent"));
    type_keys(&mut app, &mut keys, "S S");
    assert_eq!(app.table.sort.column, SortColumn::Disposition);
}

/// The app a new user starts with: the demo corpus, at `width`x`height`, with the default
/// keymap.
fn demo_corpus_app(width: u16, height: u16) -> (App, KeyReader, tempfile::TempDir) {
    use cabletriage::app::Msg;
    use cabletriage::corpus::demo::DEMO_CABLES;
    let keymap = keymap("default");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.csv");
    std::fs::write(&path, cabletriage::synth::demo_csv(DEMO_CABLES, 1966)).unwrap();
    let mut app = App::new(keymap.help_bindings());
    app.update(Msg::Resize { width, height });
    app.load_now(&[path]);
    (app, KeyReader::new(keymap), dir)
}

fn open_cable(app: &mut App, keys: &mut KeyReader, id: &str) {
    let Some(at) = app
        .table
        .shown
        .iter()
        .position(|&i| &*app.corpus.get(i).unwrap().id == id)
    else {
        panic!("{id} is not in the demo corpus");
    };
    let rows = app.table_rows();
    app.table.set_cursor(at, rows);
    type_keys(app, keys, "enter");
    assert_eq!(app.mode, Mode::Reading);
}

fn screen(app: &App) -> String {
    support::render(app, &cabletriage::tui::theme::Theme::mono())
}

#[test]
fn n_reaches_every_match_in_a_cable_and_wraps() {
    let (mut app, mut keys, _d) = demo_corpus_app(100, 36);
    open_cable(&mut app, &mut keys, "66MOSCOW2003");
    type_keys(&mut app, &mut keys, "/ b o n d a r e n k o enter");
    let rows = app.reading_rows();
    let width = app.reading_width();
    let lines = app.reading.as_mut().unwrap().lines(width);
    let hits = cabletriage::app::document::find(&lines, "bondarenko");
    assert_eq!(hits.len(), 6);
    for step in 0..8 {
        let reading = app.reading.as_ref().unwrap();
        let at = step % 6;
        assert_eq!(reading.current_match, Some(at), "after {step} n");
        let line = hits[at].0;
        assert!(
            (reading.scroll..reading.scroll + rows).contains(&line),
            "match {at} on line {line} is off screen (scroll {})",
            reading.scroll
        );
        assert!(
            screen(&app).contains(&format!("/bondarenko {}/6", at + 1)),
            "{}",
            screen(&app)
        );
        type_keys(&mut app, &mut keys, "n");
    }
    type_keys(&mut app, &mut keys, "N N");
    assert_eq!(app.reading.as_ref().unwrap().current_match, Some(0));
    type_keys(&mut app, &mut keys, "N");
    assert_eq!(app.reading.as_ref().unwrap().current_match, Some(5));
}

#[test]
fn a_prompt_in_the_reading_view_replaces_the_position_line() {
    let (mut app, mut keys, _d) = demo_corpus_app(80, 20);
    open_cable(&mut app, &mut keys, "66MOSCOW2003");
    type_keys(&mut app, &mut keys, "/ z z z z");
    let shown = screen(&app);
    let line = shown.lines().nth(18).unwrap_or_default();
    assert_eq!(line.trim_end(), "search: zzzz", "{shown}");
    type_keys(&mut app, &mut keys, "esc :");
    let shown = screen(&app);
    assert_eq!(shown.lines().nth(18).unwrap_or_default().trim_end(), ":");
}

#[test]
fn tab_on_the_command_line_lists_the_candidates() {
    let (mut app, mut keys, _d) = app_with("default");
    type_keys(&mut app, &mut keys, ": s o r t tab");
    assert_eq!(app.prompt.as_ref().unwrap().input.text(), "sort-");
    let shown = screen(&app);
    let lines: Vec<&str> = shown.lines().collect();
    // Above the prompt line (row 28 of 30), the names it could go on to.
    assert_eq!(lines[28].trim_end(), ":sort-", "{shown}");
    assert!(
        lines[27].contains("sort-next") && lines[27].contains("sort-relevance"),
        "{shown}"
    );
    type_keys(&mut app, &mut keys, "n tab");
    assert_eq!(app.prompt.as_ref().unwrap().input.text(), "sort-next");
    assert!(app.prompt.as_ref().unwrap().candidates.is_empty());
    assert!(!screen(&app).contains("sort-relevance"));
}

#[test]
fn messages_count_in_words_that_read() {
    let (mut app, mut keys, _d) = app_with("default");
    let _store = with_store(&mut app);
    type_keys(&mut app, &mut keys, "alt-1");
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert_eq!(said, "no tags used yet: tag a cable first");
    type_keys(&mut app, &mut keys, "t enter");
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert_eq!(said, "no tag typed: nothing changed");
    type_keys(&mut app, &mut keys, "t a b enter alt-2");
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert_eq!(said, "no tag 2: only 1 tag used so far");
    app.problems.push(cabletriage::read::Problem {
        path: "a.csv".into(),
        row: Some(3),
        message: "bad row".into(),
        skipped: true,
        severity: cabletriage::read::Severity::Problem,
    });
    app.message = None;
    let shown = screen(&app);
    assert!(shown.contains(" · 1 problem "), "{shown}");
    type_keys(&mut app, &mut keys, "!");
    let shown = screen(&app);
    assert!(shown.contains(" 1 input problem "), "{shown}");
    assert!(!shown.contains("0 files"), "{shown}");
}
