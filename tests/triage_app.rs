//! Triage through the real keymap and a real store: dispositions, selection, bulk actions,
//! undo and redo, tags, seen marks, store terms in the filter, failed writes.

mod support;
use support::id_at;

use std::sync::Arc;

use cabletriage::app::{App, Level, Mode};
use cabletriage::keymap::{Key, Keymap};
use cabletriage::store::{Disposition, OpenOptions, SqliteStore};
use cabletriage::tui::runtime::KeyReader;

fn setup(count: usize) -> (App, KeyReader, tempfile::TempDir, tempfile::TempDir) {
    let keymap = Arc::new(Keymap::shipped_default());
    let (mut app, corpus_dir) = support::demo_app(count, 120, 30, keymap.help_bindings());
    let store_dir = tempfile::tempdir().unwrap();
    let store =
        SqliteStore::open_with(&store_dir.path().join("t.db"), &OpenOptions::default()).unwrap();
    app.triage.analyst = "tester".into();
    app.direct_store = Some(Box::new(store));
    (app, KeyReader::new(keymap), corpus_dir, store_dir)
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

fn stored(app: &App, id: &str) -> Disposition {
    let store = app.direct_store.as_ref().unwrap();
    store
        .record(id)
        .unwrap()
        .map_or(Disposition::Untriaged, |r| r.disposition)
}

#[test]
fn a_disposition_is_stored_and_the_cursor_moves_to_the_next_untriaged() {
    let (mut app, mut k, _c, _s) = setup(50);
    let first = id_at(&app, 0);
    let second = id_at(&app, 1);
    keys(&mut app, &mut k, "down 2 home");
    // The second row is follow-up now; from the first, actioning moves past it.
    keys(&mut app, &mut k, "1");
    assert_eq!(stored(&app, &first), Disposition::Actioned);
    assert_eq!(stored(&app, &second), Disposition::FollowUp);
    assert_eq!(app.table.cursor, 2, "skips the triaged second row");
    assert!(app.triage.unsaved.is_empty(), "every commit returned");
    assert_eq!(app.untriaged_count(), 48);
}

#[test]
fn bulk_actions_are_one_step_to_undo_and_redo() {
    let (mut app, mut k, _c, _s) = setup(50);
    keys(&mut app, &mut k, "space space space");
    assert_eq!(app.triage.selection.len(), 3);
    let ids: Vec<String> = (0..3).map(|i| id_at(&app, i)).collect();
    keys(&mut app, &mut k, "3");
    assert!(app.triage.selection.is_empty());
    for id in &ids {
        assert_eq!(stored(&app, id), Disposition::Forwarded);
    }
    keys(&mut app, &mut k, "u");
    for id in &ids {
        assert_eq!(
            stored(&app, id),
            Disposition::Untriaged,
            "one undo undoes the bulk action"
        );
        assert_eq!(app.triage.disposition(id), Disposition::Untriaged);
    }
    keys(&mut app, &mut k, "U");
    for id in &ids {
        assert_eq!(stored(&app, id), Disposition::Forwarded);
    }
    let history = app
        .direct_store
        .as_ref()
        .unwrap()
        .history(None, 100)
        .unwrap();
    assert_eq!(history.len(), 9, "do, undo and redo are all in the history");
    keys(&mut app, &mut k, "ctrl-a");
    assert_eq!(app.triage.selection.len(), 50);
    keys(&mut app, &mut k, "4 ctrl-z");
    assert_eq!(
        stored(&app, &ids[0]),
        Disposition::Forwarded,
        "undo restores each cable's own state"
    );
}

#[test]
fn a_range_selection_extends_from_the_anchor() {
    let (mut app, mut k, _c, _s) = setup(30);
    keys(&mut app, &mut k, "space down down down V");
    assert_eq!(app.triage.selection.len(), 5);
    keys(&mut app, &mut k, "A");
    assert!(app.triage.selection.is_empty());
}

#[test]
fn tags_with_the_prompt_completion_and_quick_toggles() {
    let (mut app, mut k, _c, _s) = setup(20);
    let id = id_at(&app, 0);
    keys(&mut app, &mut k, "t u r g e n t space + d e s k enter");
    assert_eq!(app.mode, Mode::Table);
    let store = app.direct_store.as_ref().unwrap();
    let tags: Vec<String> = store
        .record(&id)
        .unwrap()
        .unwrap()
        .tags
        .into_iter()
        .collect();
    assert_eq!(tags, ["desk", "urgent"]);
    keys(&mut app, &mut k, "down t u r tab enter");
    assert!(
        app.triage
            .record(&id_at(&app, 1))
            .unwrap()
            .tags
            .contains("urgent"),
        "tab completed urgent"
    );
    assert_eq!(app.triage.tags_in_use[0].0, "urgent");
    keys(&mut app, &mut k, "alt-1");
    assert!(
        !app.triage
            .record(&id_at(&app, 1))
            .unwrap()
            .tags
            .contains("urgent"),
        "alt-1 toggles it off"
    );
}

#[test]
fn opening_marks_seen_and_store_terms_filter() {
    let (mut app, mut k, _c, _s) = setup(40);
    let id = id_at(&app, 0);
    assert!(!app.triage.is_seen(&id));
    keys(&mut app, &mut k, "enter esc");
    assert!(app.triage.is_seen(&id), "opening is reading");
    keys(&mut app, &mut k, "m");
    assert!(!app.triage.is_seen(&id), "m marks unseen again");
    keys(&mut app, &mut k, "down 2 down 2");
    keys(&mut app, &mut k, "/ i s : f o l l o w - u p enter");
    assert_eq!(app.table.shown.len(), 2);
    keys(&mut app, &mut k, "esc / i s : u n t r i a g e d enter");
    assert_eq!(app.table.shown.len(), 38);
    assert_eq!(app.untriaged_count(), 38);
}

#[test]
fn a_failed_write_is_said_and_nothing_stays_half_done() {
    let (mut app, mut k, _c, _s) = setup(10);
    app.direct_store = None;
    let id = id_at(&app, 0);
    keys(&mut app, &mut k, "1");
    assert_eq!(
        app.triage.disposition(&id),
        Disposition::Untriaged,
        "the mirror is put back"
    );
    let message = app.message.clone().unwrap();
    assert_eq!(message.level, Level::Error);
    assert!(message.text.starts_with("NOT SAVED"), "{}", message.text);
    assert!(app.triage.unsaved.is_empty());
}

#[test]
fn read_only_stores_refuse_triage_visibly() {
    let (mut app, mut k, _c, _s) = setup(10);
    app.triage.read_only = Some("the folder is read-only".into());
    keys(&mut app, &mut k, "1");
    assert_eq!(
        app.triage.disposition(&id_at(&app, 0)),
        Disposition::Untriaged
    );
    assert!(app.message.clone().unwrap().text.contains("read-only"));
}

#[test]
fn table_with_dispositions_tags_and_selection_snapshot() {
    let (mut app, mut k, _c, _s) = setup(30);
    keys(
        &mut app,
        &mut k,
        "1 2 3 4 t d e s k enter enter esc space space",
    );
    app.message = None;
    insta::assert_snapshot!(support::render(
        &app,
        &cabletriage::tui::theme::Theme::dark()
    ));
}
