//! Assignment in the app, through the real keymap and a real store: `assign` (prompt with
//! completion; empty is me), `assign-to-me`, `unassign`, `take-next`, conflicts on what the
//! analyst saw, the `is:mine`, `is:unassigned` and `assignee:` terms, and the ASSIGNEE
//! column.

mod support;
use support::{id_at, render};

use std::sync::Arc;

use cabletriage::app::{App, Mode};
use cabletriage::keymap::{Key, Keymap};
use cabletriage::store::{
    ActionRecord, Change, Disposition, OpenOptions, SqliteStore, TriageStore,
};
use cabletriage::tui::runtime::KeyReader;

/// The app on `count` demo cables with a store of its own, as `tester`; with another
/// connection to the same store, for a colleague.
fn setup(
    keymap: &str,
    count: usize,
    width: u16,
) -> (
    App,
    KeyReader,
    SqliteStore,
    tempfile::TempDir,
    tempfile::TempDir,
) {
    let keymap = match Keymap::load(Some(keymap)) {
        Ok((k, _)) => Arc::new(k),
        Err(problems) => panic!("shipped keymap {keymap} has problems: {problems:?}"),
    };
    let (mut app, corpus_dir) = support::demo_app(count, width, 30, keymap.help_bindings());
    let store_dir = tempfile::tempdir().unwrap();
    let path = store_dir.path().join("team.sqlite");
    let store = SqliteStore::open_with(&path, &OpenOptions::default()).unwrap();
    let colleague = SqliteStore::open(&path).unwrap();
    app.triage.analyst = "tester".into();
    app.direct_store = Some(Box::new(store));
    (
        app,
        KeyReader::new(keymap),
        colleague,
        corpus_dir,
        store_dir,
    )
}

fn keys(app: &mut App, reader: &mut KeyReader, script: &str) {
    for token in script.split(' ').filter(|t| !t.is_empty()) {
        let key: Key = token
            .parse()
            .unwrap_or_else(|e| panic!("bad key {token:?}: {e}"));
        for msg in reader.key(app.mode, key) {
            app.update_now(msg);
        }
    }
}

/// Types `text` into the prompt or filter, a key per character.
fn type_text(app: &mut App, reader: &mut KeyReader, text: &str) {
    let script: Vec<String> = text
        .chars()
        .map(|c| match c {
            ' ' => "space".to_string(),
            c => c.to_string(),
        })
        .collect();
    keys(app, reader, &script.join(" "));
}

fn assignee(app: &App, id: &str) -> Option<String> {
    let store = app.direct_store.as_ref().unwrap();
    store.record(id).unwrap().and_then(|r| r.assignee)
}

fn said(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn assign_to_me_unassign_and_undo_on_the_cursor_and_the_selection() {
    let (mut app, mut k, _colleague, _c, _s) = setup("default", 40, 120);
    let first = id_at(&app, 0);
    keys(&mut app, &mut k, "i");
    assert_eq!(assignee(&app, &first).as_deref(), Some("tester"));
    assert_eq!(said(&app), "1 cable assigned to tester");
    keys(&mut app, &mut k, "alt-a");
    assert_eq!(assignee(&app, &first), None);
    keys(&mut app, &mut k, "u");
    assert_eq!(assignee(&app, &first).as_deref(), Some("tester"), "undo");
    // On the selection: one action, the selection cleared.
    keys(&mut app, &mut k, "down space space");
    let (second, third) = (id_at(&app, 1), id_at(&app, 2));
    keys(&mut app, &mut k, "i");
    assert!(app.triage.selection.is_empty());
    assert_eq!(assignee(&app, &second).as_deref(), Some("tester"));
    assert_eq!(assignee(&app, &third).as_deref(), Some("tester"));
    keys(&mut app, &mut k, "u");
    assert_eq!(assignee(&app, &second), None);
    assert_eq!(assignee(&app, &third), None);
}

#[test]
fn the_assign_prompt_completes_from_the_history_and_empty_means_me() {
    let (mut app, mut k, mut colleague, _c, _s) = setup("default", 40, 120);
    colleague
        .apply(&ActionRecord::dispose_all(
            "alistair",
            ["99NOWHERE1"],
            Disposition::Actioned,
            None,
        ))
        .unwrap();
    let first = id_at(&app, 0);
    keys(&mut app, &mut k, "a");
    assert_eq!(app.mode, Mode::Prompt);
    type_text(&mut app, &mut k, "al");
    keys(&mut app, &mut k, "tab");
    let typed = app.prompt.as_ref().unwrap().input.text().to_string();
    assert_eq!(typed, "alistair", "completed from the store's history");
    keys(&mut app, &mut k, "enter");
    assert_eq!(assignee(&app, &first).as_deref(), Some("alistair"));
    // Empty: to me.
    keys(&mut app, &mut k, "down a enter");
    assert_eq!(assignee(&app, &id_at(&app, 1)).as_deref(), Some("tester"));
    // A name with a space is a name (found in testing: `Jane Doe` could record but not be
    // assigned).
    keys(&mut app, &mut k, "down a");
    type_text(&mut app, &mut k, "Jane Doe");
    keys(&mut app, &mut k, "enter");
    assert_eq!(
        assignee(&app, &id_at(&app, 2)).as_deref(),
        Some("Jane Doe"),
        "{}",
        said(&app)
    );
}

#[test]
fn assigning_on_a_stale_view_conflicts_instead_of_overwriting() {
    let (mut app, mut k, mut colleague, _c, _s) = setup("default", 40, 120);
    let first = id_at(&app, 0);
    // Bob claims it after the app last read the store.
    colleague
        .apply(&ActionRecord::new("bob").with(&first, Change::assignee(Some("bob".into()))))
        .unwrap();
    keys(&mut app, &mut k, "i");
    assert_eq!(
        assignee(&app, &first).as_deref(),
        Some("bob"),
        "not overwritten"
    );
    // Told who and what, and asked: keep theirs or apply mine.
    let question = app
        .confirm
        .as_ref()
        .map(|c| c.question.clone())
        .unwrap_or_default();
    assert!(
        question.contains("assignee is now bob")
            && question.contains("changed by bob")
            && question.contains("apply yours over it"),
        "{question} / {}",
        said(&app)
    );
}

#[test]
fn take_next_claims_the_first_free_cable_in_view_and_opens_it() {
    let (mut app, mut k, mut colleague, _c, _s) = setup("default", 40, 120);
    let (first, second, third) = (id_at(&app, 0), id_at(&app, 1), id_at(&app, 2));
    // The first is triaged, the second claimed by bob behind the app's back: the mirror
    // does not know it yet, the store does.
    keys(&mut app, &mut k, "1");
    colleague
        .apply(&ActionRecord::new("bob").with(&second, Change::assignee(Some("bob".into()))))
        .unwrap();
    keys(&mut app, &mut k, "esc n");
    assert_eq!(assignee(&app, &third).as_deref(), Some("tester"));
    assert_eq!(assignee(&app, &second).as_deref(), Some("bob"));
    assert_eq!(app.mode, Mode::Reading, "the claimed cable is opened");
    assert_eq!(app.table.current(), Some(app.table.shown[2]));
    assert_eq!(said(&app), format!("took {third}: assigned to you"));
    assert_eq!(
        app.triage.record(&third).unwrap().assignee.as_deref(),
        Some("tester")
    );
    // From the reading view too (ctrl-t), and undo gives the claim back.
    keys(&mut app, &mut k, "ctrl-t");
    let fourth = id_at(&app, 3);
    assert_eq!(assignee(&app, &fourth).as_deref(), Some("tester"));
    keys(&mut app, &mut k, "u");
    assert_eq!(assignee(&app, &fourth), None);
    let _ = first;
}

#[test]
fn take_next_says_when_nothing_is_free() {
    let (mut app, mut k, _colleague, _c, _s) = setup("default", 3, 120);
    keys(&mut app, &mut k, "ctrl-a 4");
    keys(&mut app, &mut k, "n");
    assert!(said(&app).starts_with("nothing to take"), "{}", said(&app));
    assert_eq!(app.mode, Mode::Table);
}

#[test]
fn vim_and_emacs_reach_take_next_and_assign_to_me() {
    for (keymap, take, mine) in [("vim", "n", "i"), ("emacs", "ctrl-x n", "ctrl-x m")] {
        let (mut app, mut k, _colleague, _c, _s) = setup(keymap, 10, 120);
        keys(&mut app, &mut k, take);
        assert_eq!(
            assignee(&app, &id_at(&app, 0)).as_deref(),
            Some("tester"),
            "{keymap}"
        );
        keys(&mut app, &mut k, "esc");
        keys(&mut app, &mut k, "down");
        keys(&mut app, &mut k, mine);
        assert_eq!(
            assignee(&app, &id_at(&app, 1)).as_deref(),
            Some("tester"),
            "{keymap}"
        );
    }
}

#[test]
fn filter_terms_for_assignment() {
    let (mut app, mut k, mut colleague, _c, _s) = setup("default", 40, 120);
    let (first, second) = (id_at(&app, 0), id_at(&app, 1));
    keys(&mut app, &mut k, "i");
    colleague
        .apply(&ActionRecord::new("bob").with(&second, Change::assignee(Some("Bob".into()))))
        .unwrap();
    app.update_now(cabletriage::app::Msg::StoreChanged {
        records: colleague.records().unwrap(),
    });
    let shown_ids =
        |app: &App| -> Vec<String> { (0..app.table.shown.len()).map(|i| id_at(app, i)).collect() };
    for (query, want) in [
        ("is:mine", vec![first.clone()]),
        ("assignee:bob", vec![second.clone()]),
    ] {
        keys(&mut app, &mut k, "/");
        type_text(&mut app, &mut k, query);
        keys(&mut app, &mut k, "enter");
        assert_eq!(shown_ids(&app), want, "{query}");
        keys(&mut app, &mut k, "esc");
    }
    keys(&mut app, &mut k, "/");
    type_text(&mut app, &mut k, "is:unassigned");
    keys(&mut app, &mut k, "enter");
    let unassigned = shown_ids(&app);
    assert_eq!(unassigned.len(), 38);
    assert!(!unassigned.contains(&first) && !unassigned.contains(&second));
}

#[test]
fn the_assignee_column_in_the_table() {
    let (mut app, mut k, mut colleague, _c, _s) = setup("default", 12, 160);
    // Nobody assigned: no column.
    assert!(!render(&app, &cabletriage::tui::theme::Theme::mono()).contains("ASSIGNEE"));
    keys(&mut app, &mut k, "i down down");
    let third = id_at(&app, 2);
    colleague
        .apply(&ActionRecord::new("bob").with(&third, Change::assignee(Some("bob".into()))))
        .unwrap();
    app.update_now(cabletriage::app::Msg::StoreChanged {
        records: colleague.records().unwrap(),
    });
    app.message = None;
    insta::assert_snapshot!(render(&app, &cabletriage::tui::theme::Theme::dark()));
    // Sortable: `s` reaches it now, assigned rows first.
    while app.table.sort.column != cabletriage::corpus::sort::SortColumn::Assignee {
        keys(&mut app, &mut k, "s");
    }
    assert_eq!(
        app.triage
            .record(&id_at(&app, 0))
            .unwrap()
            .assignee
            .as_deref(),
        Some("bob")
    );
    assert_eq!(
        app.triage
            .record(&id_at(&app, 1))
            .unwrap()
            .assignee
            .as_deref(),
        Some("tester")
    );
    // Narrow: the column gives way.
    app.update_now(cabletriage::app::Msg::Resize {
        width: 80,
        height: 30,
    });
    assert!(!render(&app, &cabletriage::tui::theme::Theme::mono()).contains("ASSIGNEE"));
}

#[test]
fn the_help_overlay_lists_the_assignment_keys() {
    let (mut app, mut k, _colleague, _c, _s) = setup("default", 10, 160);
    keys(&mut app, &mut k, "?");
    type_text(&mut app, &mut k, "assign");
    let screen = render(&app, &cabletriage::tui::theme::Theme::mono());
    for shown in ["assign-to-me", "unassign", "alt-a"] {
        assert!(screen.contains(shown), "{shown} missing:\n{screen}");
    }
    keys(&mut app, &mut k, "ctrl-u");
    type_text(&mut app, &mut k, "take");
    let screen = render(&app, &cabletriage::tui::theme::Theme::mono());
    assert!(
        screen.contains("take-next") && screen.contains("ctrl-t"),
        "{screen}"
    );
}
