//! The store contract: every test here runs against each backend through the
//! [`TriageStore`] interface, on a real SQLite file and on a real PostgreSQL server (a
//! throwaway one the tests start; skipped, saying so, where none can start, and failing
//! instead when `CABLETRIAGE_REQUIRE_PG` is set, as in CI).

use super::*;
use crate::store::export::{ExportFormat, ExportRow, read_export, write_csv, write_json};
use crate::store::postgres::PgStore;

#[path = "../../tests/support/pg_server.rs"]
mod pg_server;

/// Where a test's store is, so it can be opened again (as another process would).
enum Place {
    File(tempfile::TempDir),
    Server(String),
}

impl Place {
    fn open(&self) -> Box<dyn TriageStore> {
        match self {
            Place::File(dir) => {
                Box::new(SqliteStore::open(&dir.path().join("triage.sqlite")).unwrap())
            }
            Place::Server(url) => Box::new(PgStore::open(url).unwrap()),
        }
    }

    fn open_read_only(&self) -> Box<dyn TriageStore> {
        match self {
            Place::File(dir) => {
                Box::new(SqliteStore::open_read_only(&dir.path().join("triage.sqlite")).unwrap())
            }
            Place::Server(url) => Box::new(PgStore::open_read_only(url).unwrap()),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// A new, empty store of this backend.
    fn place(self) -> Place {
        match self {
            Backend::Sqlite => Place::File(tempfile::tempdir().unwrap()),
            Backend::Postgres => {
                let server = pg_server::shared("store contract").unwrap();
                Place::Server(server.url(&server.create_database("contract").unwrap()))
            }
        }
    }
}

/// Runs each named contract test once per backend: `sqlite::NAME` and `postgres::NAME`.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(super::Backend::Sqlite) })*
        }
        mod postgres {
            $(#[test] fn $name() {
                if super::pg_server::shared(stringify!($name)).is_some() {
                    super::$name(super::Backend::Postgres)
                }
            })*
        }
    };
}

contract!(
    apply_reports_before_and_after_and_skips_no_ops,
    undo_is_the_inverse_applied_as_a_new_action,
    a_change_made_since_the_analyst_looked_is_not_overwritten,
    undo_does_not_overwrite_a_later_change_by_someone_else,
    a_note_and_a_disposition_are_changed_apart,
    a_snapshot_is_records_and_revision_together,
    history_rows_say_who_what_from_and_to,
    changes_since_sees_another_connection,
    tags_in_use_counts_cables,
    bad_input_is_refused_before_anything_is_written,
    read_only_stores_refuse_writes,
    export_then_import_into_an_empty_store_gives_the_same_records,
    import_keeps_records_changed_later_in_the_store,
    a_bulk_disposition_is_one_revision,
    on_equal_times_the_store_keeps_its_record_so_swapped_exports_settle,
    import_refuses_records_from_the_future_and_trims_tags,
    assignment_is_a_conditional_field_with_history_and_undo,
    take_next_claims_the_first_free_candidate_in_the_given_order,
    analysts_come_from_the_history_and_the_assignees,
    assignees_go_through_exports_and_old_exports_still_import,
);

fn dispose(id: &str, d: Disposition, note: Option<&str>) -> ActionRecord {
    ActionRecord::dispose_all("alice", [id], d, note)
}

fn apply_reports_before_and_after_and_skips_no_ops(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    let applied = store
        .apply(&dispose(
            "08MOSCOW1052",
            Disposition::Actioned,
            Some("done"),
        ))
        .unwrap();
    assert_eq!(applied.revision, 1);
    assert_eq!(
        applied.changes,
        vec![
            FieldChange::Disposition {
                id: "08MOSCOW1052".into(),
                before: Disposition::Untriaged,
                after: Disposition::Actioned,
            },
            FieldChange::Note {
                id: "08MOSCOW1052".into(),
                before: None,
                after: Some("done".into()),
            }
        ]
    );
    // The same again changes nothing and uses no revision.
    let again = store
        .apply(&dispose(
            "08MOSCOW1052",
            Disposition::Actioned,
            Some("done"),
        ))
        .unwrap();
    assert!(again.is_empty());
    assert_eq!(again.revision, 1);
    assert_eq!(store.revision().unwrap(), 1);

    let action = ActionRecord::new("bob")
        .with("08MOSCOW1052", Change::seen(true))
        .with(
            "08MOSCOW1052",
            Change::AddTag {
                tag: "energy".into(),
            },
        )
        .with(
            "08MOSCOW1052",
            Change::AddTag {
                tag: "energy".into(),
            },
        )
        .with(
            "09STATE7",
            Change::RemoveTag {
                tag: "absent".into(),
            },
        );
    let applied = store.apply(&action).unwrap();
    assert_eq!(applied.revision, 2);
    assert_eq!(applied.changes.len(), 2);
    let r = store.record("08MOSCOW1052").unwrap().unwrap();
    assert_eq!(r.disposition, Disposition::Actioned);
    assert_eq!(r.note.as_deref(), Some("done"));
    assert!(r.seen);
    assert_eq!(r.tags.iter().collect::<Vec<_>>(), ["energy"]);
    assert_eq!(r.changed_by, "bob");
    assert_eq!(r.revision, 2);
    // Removing a tag from a cable without a record creates no record.
    assert!(store.record("09STATE7").unwrap().is_none());
}

fn undo_is_the_inverse_applied_as_a_new_action(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&dispose("A1", Disposition::FollowUp, Some("call")))
        .unwrap();
    let before = store.records().unwrap();
    let bulk = ActionRecord::dispose_all("alice", ["A1", "A2", "A3"], Disposition::NoAction, None)
        .with("A2", Change::AddTag { tag: "x".into() })
        .with("A3", Change::seen(true));
    let applied = store.apply(&bulk).unwrap();
    assert_eq!(applied.changes.len(), 5);
    let undone = store.apply(&applied.inverse("alice")).unwrap();
    assert_eq!(undone.changes.len(), 5);
    // Records come back in content; A2 and A3 remain as untriaged records (they were
    // touched), and the history has both the action and its undo.
    let after = store.records().unwrap();
    let a1 = after.iter().find(|r| r.id == "A1").unwrap();
    assert_eq!(a1.disposition, before[0].disposition);
    assert_eq!(a1.note, before[0].note);
    for id in ["A2", "A3"] {
        let r = after.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.disposition, Disposition::Untriaged);
        assert!(!r.seen && r.tags.is_empty());
    }
    // A disposition without a note leaves the note: 2 rows, then 5 and 5.
    assert_eq!(a1.note.as_deref(), Some("call"));
    let history = store.history(None, 100).unwrap();
    assert_eq!(history.len(), 2 + 5 + 5);
    assert_eq!(history.last().unwrap().revision, 3);
}

fn expect_disposition(id: &str, d: Disposition, was: Disposition) -> ActionRecord {
    ActionRecord::new("alice").with(
        id,
        Change::SetDisposition {
            disposition: d,
            expect: Expect::Was(was),
        },
    )
}

fn a_change_made_since_the_analyst_looked_is_not_overwritten(b: Backend) {
    let place = b.place();
    let mut alice = place.open();
    let mut bob = place.open();
    // Both see A1 untriaged; bob forwards it first.
    bob.apply(&ActionRecord::new("bob").with("A1", Change::disposition(Disposition::Forwarded)))
        .unwrap();
    let applied = alice
        .apply(
            &expect_disposition("A1", Disposition::Actioned, Disposition::Untriaged).with(
                "A2",
                Change::SetDisposition {
                    disposition: Disposition::Actioned,
                    expect: Expect::Was(Disposition::Untriaged),
                },
            ),
        )
        .unwrap();
    assert!(applied.changes.is_empty(), "all or nothing");
    assert_eq!(applied.conflicts.len(), 1);
    let k = &applied.conflicts[0];
    assert_eq!((k.id.as_str(), k.field.as_str()), ("A1", "disposition"));
    assert_eq!(k.found.as_deref(), Some("forwarded"));
    assert_eq!(k.current.changed_by, "bob");
    assert!(k.to_string().contains("bob"), "{k}");
    assert_eq!(
        bob.record("A1").unwrap().unwrap().disposition,
        Disposition::Forwarded
    );
    assert!(
        bob.record("A2").unwrap().is_none(),
        "nothing of it was written"
    );
    assert_eq!(alice.revision().unwrap(), 1);
}

fn undo_does_not_overwrite_a_later_change_by_someone_else(b: Backend) {
    let place = b.place();
    let mut alice = place.open();
    let mut bob = place.open();
    let applied = alice
        .apply(&expect_disposition(
            "A1",
            Disposition::Actioned,
            Disposition::Untriaged,
        ))
        .unwrap();
    bob.apply(&expect_disposition(
        "A1",
        Disposition::Forwarded,
        Disposition::Actioned,
    ))
    .unwrap();
    let undo = alice.apply(&applied.inverse("alice")).unwrap();
    assert_eq!(undo.conflicts.len(), 1);
    assert_eq!(
        alice.record("A1").unwrap().unwrap().disposition,
        Disposition::Forwarded,
        "bob's change stands"
    );
    let history = alice.history(Some("A1"), 10).unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
}

fn a_note_and_a_disposition_are_changed_apart(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&dispose("A1", Disposition::FollowUp, Some("ask the desk")))
        .unwrap();
    // A disposition leaves the note; a note leaves the disposition.
    store
        .apply(&expect_disposition(
            "A1",
            Disposition::Actioned,
            Disposition::FollowUp,
        ))
        .unwrap();
    let r = store.record("A1").unwrap().unwrap();
    assert_eq!(
        (r.disposition, r.note.as_deref()),
        (Disposition::Actioned, Some("ask the desk"))
    );
    let stale = ActionRecord::new("alice").with(
        "A1",
        Change::SetNote {
            note: Some("new".into()),
            expect: Expect::Was(None),
        },
    );
    assert_eq!(store.apply(&stale).unwrap().conflicts.len(), 1);
    let fresh = ActionRecord::new("alice").with(
        "A1",
        Change::SetNote {
            note: None,
            expect: Expect::Was(Some("ask the desk".into())),
        },
    );
    let applied = store.apply(&fresh).unwrap();
    assert_eq!(applied.changes.len(), 1);
    let r = store.record("A1").unwrap().unwrap();
    assert_eq!((r.disposition, r.note), (Disposition::Actioned, None));
}

fn a_snapshot_is_records_and_revision_together(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&dispose("A1", Disposition::FollowUp, None))
        .unwrap();
    let (records, revision) = store.snapshot().unwrap();
    assert_eq!((records.len(), revision), (1, 1));
}

fn history_rows_say_who_what_from_and_to(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&dispose("08MOSCOW1052", Disposition::Actioned, Some("n1")))
        .unwrap();
    store
        .apply(
            &ActionRecord::new("bob")
                .with("08MOSCOW1052", Change::AddTag { tag: "t".into() })
                .with("09STATE1", Change::seen(true)),
        )
        .unwrap();
    store
        .apply(
            &ActionRecord::new("bob").with("08MOSCOW1052", Change::RemoveTag { tag: "t".into() }),
        )
        .unwrap();
    let all = store.history(None, 100).unwrap();
    let rows: Vec<_> = all
        .iter()
        .map(|h| {
            (
                h.analyst.as_str(),
                h.id.as_str(),
                h.field.as_str(),
                h.from.as_deref(),
                h.to.as_deref(),
                h.revision,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "alice",
                "08MOSCOW1052",
                "disposition",
                Some("untriaged"),
                Some("actioned"),
                1
            ),
            ("alice", "08MOSCOW1052", "note", None, Some("n1"), 1),
            ("bob", "08MOSCOW1052", "tag", None, Some("t"), 2),
            ("bob", "09STATE1", "seen", Some("false"), Some("true"), 2),
            ("bob", "08MOSCOW1052", "tag", Some("t"), None, 3),
        ]
    );
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    let one = store.history(Some("09STATE1"), 100).unwrap();
    assert_eq!(one.len(), 1);
    let last_two = store.history(None, 2).unwrap();
    assert_eq!(last_two, all[3..].to_vec());
}

fn changes_since_sees_another_connection(b: Backend) {
    let place = b.place();
    let mut writer = place.open();
    let reader = place.open();
    let (records, rev0) = reader.changes_since(0).unwrap();
    assert!(records.is_empty());
    assert_eq!(rev0, 0);
    writer
        .apply(&dispose("A1", Disposition::Forwarded, None))
        .unwrap();
    writer
        .apply(&ActionRecord::new("alice").with("A2", Change::AddTag { tag: "x".into() }))
        .unwrap();
    let (records, rev) = reader.changes_since(rev0).unwrap();
    assert_eq!(rev, 2);
    assert_eq!(
        records.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["A1", "A2"]
    );
    assert!(records[1].tags.contains("x"));
    // Nothing new: nothing returned, same revision.
    assert_eq!(reader.changes_since(rev).unwrap(), (vec![], 2));
    writer
        .apply(&dispose("A1", Disposition::Actioned, None))
        .unwrap();
    let (records, rev) = reader.changes_since(rev).unwrap();
    assert_eq!((records.len(), rev), (1, 3));
    assert_eq!(records[0].disposition, Disposition::Actioned);
    // A read-only connection sees them too.
    let ro = place.open_read_only();
    assert_eq!(ro.changes_since(0).unwrap().0.len(), 2);
}

fn tags_in_use_counts_cables(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    let mut action = ActionRecord::new("alice");
    for id in ["A1", "A2", "A3"] {
        action = action.with(
            id,
            Change::AddTag {
                tag: "energy".into(),
            },
        );
    }
    action = action.with("A1", Change::AddTag { tag: "arms".into() });
    store.apply(&action).unwrap();
    assert_eq!(
        store.tags_in_use().unwrap(),
        [("energy".to_string(), 3), ("arms".to_string(), 1)]
    );
}

fn bad_input_is_refused_before_anything_is_written(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    let action = ActionRecord::new("alice")
        .with("A1", Change::seen(true))
        .with(
            "A1",
            Change::AddTag {
                tag: "two words".into(),
            },
        );
    let err = store.apply(&action).unwrap_err();
    assert!(matches!(err.kind, StoreErrorKind::Invalid { .. }));
    assert!(err.to_string().contains(&store.location()), "{err}");
    assert!(store.records().unwrap().is_empty());
    assert!(
        store
            .apply(&ActionRecord::new(" ").with("A1", Change::seen(true)))
            .is_err()
    );
}

fn read_only_stores_refuse_writes(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&dispose("A1", Disposition::Actioned, None))
        .unwrap();
    let mut ro = place.open_read_only();
    assert!(ro.is_read_only());
    let err = ro
        .apply(&dispose("A2", Disposition::Actioned, None))
        .unwrap_err();
    assert!(matches!(err.kind, StoreErrorKind::ReadOnly { .. }), "{err}");
    assert_eq!(ro.records().unwrap().len(), 1);
}

fn export_then_import_into_an_empty_store_gives_the_same_records(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(
            &ActionRecord::dispose_all(
                "alice",
                ["08MOSCOW1", "08MOSCOW2"],
                Disposition::FollowUp,
                Some("=1+2, \"x\""),
            )
            .with(
                "08MOSCOW2",
                Change::AddTag {
                    tag: "-urgent".into(),
                },
            )
            .with("08MOSCOW3", Change::seen(true)),
        )
        .unwrap();
    store
        .apply(&ActionRecord::new("@bob").with(
            "08MOSCOW1",
            Change::AddTag {
                tag: "energy".into(),
            },
        ))
        .unwrap();
    let records = store.records().unwrap();
    let rows: Vec<_> = records.iter().map(|r| ExportRow::new(r, None)).collect();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let mut out = Vec::new();
        match format {
            ExportFormat::Csv => write_csv(&rows, &mut out).unwrap(),
            ExportFormat::Json => write_json(&rows, &mut out).unwrap(),
        }
        let place = b.place();
        let mut empty = place.open();
        let summary = empty.import(&read_export(&out, format).unwrap()).unwrap();
        assert_eq!(summary.written, 3);
        let back = empty.records().unwrap();
        assert_eq!(back.len(), records.len());
        for (a, b) in records.iter().zip(&back) {
            assert!(a.same_content(b), "{format:?}: {a:?} != {b:?}");
        }
        let history = empty.history(None, 100).unwrap();
        assert!(history.iter().all(|h| h.analyst.starts_with("import:")));
        // Importing again changes nothing.
        let again = empty.import(&read_export(&out, format).unwrap()).unwrap();
        assert_eq!((again.written, again.unchanged), (0, 3));
    }
}

fn import_keeps_records_changed_later_in_the_store(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&dispose("A1", Disposition::Actioned, None))
        .unwrap();
    let mut old = store.record("A1").unwrap().unwrap();
    old.disposition = Disposition::NoAction;
    old.changed_at -= chrono::Duration::days(1);
    let summary = store.import(&[old]).unwrap();
    assert_eq!(summary.kept_newer, 1);
    assert_eq!(
        store.record("A1").unwrap().unwrap().disposition,
        Disposition::Actioned
    );
}

fn a_bulk_disposition_is_one_revision(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    let ids: Vec<String> = (0..5_000).map(|i| format!("08MOSCOW{i}")).collect();
    let applied = store
        .apply(&ActionRecord::dispose_all(
            "alice",
            ids.iter().map(String::as_str),
            Disposition::NoAction,
            None,
        ))
        .unwrap();
    assert_eq!(applied.revision, 1);
    assert_eq!(applied.changes.len(), 5_000);
    assert_eq!(store.records().unwrap().len(), 5_000);
    assert_eq!(store.history(None, usize::MAX).unwrap().len(), 5_000);
}

#[cfg(unix)]
#[test]
fn store_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/folder/triage.sqlite");
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .apply(&dispose("A1", Disposition::Actioned, None))
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&path), 0o600);
    for companion in location::companions(&path) {
        if companion.exists() {
            assert_eq!(mode(&companion), 0o600, "{}", companion.display());
        }
    }
    let journal: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let sync: i64 = store
        .conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
}

/// A record as of `at` milliseconds, for the import rules.
fn at(id: &str, d: Disposition, tags: &[&str], at_ms: i64) -> Record {
    let mut r = Record::blank(id);
    r.disposition = d;
    r.tags = tags.iter().map(|t| t.to_string()).collect();
    r.changed_by = "someone".into();
    r.changed_at = chrono::DateTime::from_timestamp_millis(at_ms).unwrap();
    r
}

fn on_equal_times_the_store_keeps_its_record_so_swapped_exports_settle(backend: Backend) {
    let t = 1_700_000_000_000;
    let (a_place, b_place) = (backend.place(), backend.place());
    let (mut a, mut b) = (a_place.open(), b_place.open());
    let jane = at("08MOSCOW1052", Disposition::Actioned, &["jane"], t);
    let mut john = at("08MOSCOW1052", Disposition::FollowUp, &["john"], t);
    john.changed_by = "john".into();
    a.import(std::slice::from_ref(&jane)).unwrap();
    b.import(std::slice::from_ref(&john)).unwrap();
    // They swap exports: each keeps its own value, and importing again changes nothing.
    for _ in 0..2 {
        let into_a = a.import(std::slice::from_ref(&john)).unwrap();
        let into_b = b.import(std::slice::from_ref(&jane)).unwrap();
        assert_eq!((into_a.written, into_a.kept_newer), (0, 1));
        assert_eq!((into_b.written, into_b.kept_newer), (0, 1));
    }
    let ra = a.record("08MOSCOW1052").unwrap().unwrap();
    let rb = b.record("08MOSCOW1052").unwrap().unwrap();
    assert_eq!(ra.disposition, Disposition::Actioned);
    assert_eq!(rb.disposition, Disposition::FollowUp);
    // A tie on the same content is unchanged, whoever exported it.
    let mut same = jane.clone();
    same.changed_by = "other".into();
    let s = a.import(&[same]).unwrap();
    assert_eq!((s.written, s.unchanged), (0, 1));
    // A later record is written.
    let later = at("08MOSCOW1052", Disposition::NoAction, &[], t + 1);
    assert_eq!(a.import(&[later]).unwrap().written, 1);
}

fn import_refuses_records_from_the_future_and_trims_tags(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    let future = chrono::Utc::now().timestamp_millis() + 3_600_000;
    let ok = at("08MOSCOW1", Disposition::Actioned, &[], 1_700_000_000_000);
    let bad = at("08MOSCOW2", Disposition::Actioned, &[], future);
    let err = store.import(&[ok.clone(), bad]).unwrap_err();
    assert!(
        err.to_string().contains("08MOSCOW2") && err.to_string().contains("future"),
        "{err}"
    );
    assert!(store.records().unwrap().is_empty(), "nothing is written");
    // A little clock skew is allowed.
    let skewed = at(
        "08MOSCOW3",
        Disposition::Actioned,
        &[],
        chrono::Utc::now().timestamp_millis() + 60_000,
    );
    assert_eq!(store.import(&[skewed]).unwrap().written, 1);
    let spaced = at(
        "08MOSCOW4",
        Disposition::Actioned,
        &[" russia ", "energy"],
        1,
    );
    store.import(&[spaced]).unwrap();
    let tags = store.record("08MOSCOW4").unwrap().unwrap().tags;
    assert_eq!(tags, ["energy".to_string(), "russia".to_string()].into());
}

fn assign(analyst: &str, id: &str, to: Option<&str>, was: Option<&str>) -> ActionRecord {
    ActionRecord::new(analyst).with(
        id,
        Change::SetAssignee {
            assignee: to.map(str::to_string),
            expect: Expect::Was(was.map(str::to_string)),
        },
    )
}

fn assignment_is_a_conditional_field_with_history_and_undo(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    let applied = store
        .apply(&assign("alice", "08MOSCOW1052", Some("bob"), None))
        .unwrap();
    assert_eq!(
        applied.changes,
        vec![FieldChange::Assignee {
            id: "08MOSCOW1052".into(),
            before: None,
            after: Some("bob".into()),
        }]
    );
    let record = store.record("08MOSCOW1052").unwrap().unwrap();
    assert_eq!(record.assignee.as_deref(), Some("bob"));
    assert_eq!(record.disposition, Disposition::Untriaged);
    // Carol assigns on what she saw (nobody): Alice's assignment is not overwritten.
    let late = store
        .apply(&assign("carol", "08MOSCOW1052", Some("carol"), None))
        .unwrap();
    assert!(late.is_empty());
    assert_eq!(late.conflicts.len(), 1);
    let k = &late.conflicts[0];
    assert_eq!(
        (k.field.as_str(), k.found.as_deref()),
        ("assignee", Some("bob"))
    );
    assert_eq!(k.current.changed_by, "alice");
    assert!(k.to_string().contains("assignee is now bob"), "{k}");
    let history = store.history(Some("08MOSCOW1052"), 10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].field.as_str(),
            history[0].from.as_deref(),
            history[0].to.as_deref()
        ),
        ("assignee", None, Some("bob"))
    );
    // Undo puts it back to nobody.
    store.apply(&applied.inverse("alice")).unwrap();
    assert_eq!(
        store.record("08MOSCOW1052").unwrap().unwrap().assignee,
        None
    );
    // A name with a space or a control character is refused before anything is written.
    for bad in ["tab\tname", "evil\u{1b}[2J", ""] {
        let e = store
            .apply(&ActionRecord::new("alice").with("08A1", Change::assignee(Some(bad.into()))))
            .unwrap_err();
        assert!(e.to_string().contains("analyst"), "{e}");
    }
    assert_eq!(store.record("08A1").unwrap(), None);
}

fn take_next_claims_the_first_free_candidate_in_the_given_order(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&dispose("08A1", Disposition::Actioned, None))
        .unwrap();
    store
        .apply(&assign("bob", "08A2", Some("bob"), None))
        .unwrap();
    // A seen mark or a tag does not make a cable taken.
    store
        .apply(&ActionRecord::new("bob").with("08A3", Change::seen(true)))
        .unwrap();
    let candidates: Vec<String> = ["08A1", "08A2", "08A3", "08A4"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let first = store.take_next("alice", &candidates).unwrap().unwrap();
    assert_eq!(
        first.changes,
        vec![FieldChange::Assignee {
            id: "08A3".into(),
            before: None,
            after: Some("alice".into()),
        }]
    );
    let record = store.record("08A3").unwrap().unwrap();
    assert_eq!(record.assignee.as_deref(), Some("alice"));
    assert!(record.seen, "the other fields are kept");
    let second = store.take_next("alice", &candidates).unwrap().unwrap();
    assert_eq!(second.changes[0].id(), "08A4");
    let revision = store.revision().unwrap();
    assert_eq!(store.take_next("alice", &candidates).unwrap(), None);
    assert_eq!(
        store.revision().unwrap(),
        revision,
        "nothing free: nothing written"
    );
    let last = store.history(None, 1).unwrap();
    assert_eq!(
        (last[0].analyst.as_str(), last[0].field.as_str()),
        ("alice", "assignee")
    );
    // Undo of a claim is an unassignment.
    store.apply(&second.inverse("alice")).unwrap();
    assert_eq!(store.record("08A4").unwrap().unwrap().assignee, None);
    // More candidates than one look-up takes.
    let many: Vec<String> = (0..2_500).map(|i| format!("09B{i}")).collect();
    let mut action = ActionRecord::new("bob");
    for id in &many[..2_100] {
        action = action.with(id.clone(), Change::disposition(Disposition::NoAction));
    }
    store.apply(&action).unwrap();
    let far = store.take_next("alice", &many).unwrap().unwrap();
    assert_eq!(far.changes[0].id(), "09B2100");
    assert!(store.take_next(" ", &many).is_err(), "an empty analyst");
    let blank = store.take_next("alice", &[" ".into()]).unwrap();
    assert_eq!(blank, None, "a blank id is no cable");
}

fn analysts_come_from_the_history_and_the_assignees(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    assert!(store.analysts().unwrap().is_empty());
    store
        .apply(&assign("carol", "08A1", Some("dave"), None))
        .unwrap();
    store
        .apply(&ActionRecord::dispose_all(
            "Bob",
            ["08A2"],
            Disposition::Actioned,
            None,
        ))
        .unwrap();
    let mut imported = at("08A3", Disposition::Actioned, &[], 1_700_000_000_000);
    imported.changed_by = "erin".into();
    store.import(&[imported]).unwrap();
    assert_eq!(store.analysts().unwrap(), ["Bob", "carol", "dave", "erin"]);
}

fn assignees_go_through_exports_and_old_exports_still_import(b: Backend) {
    let place = b.place();
    let mut store = place.open();
    store
        .apply(&assign("alice", "08MOSCOW1052", Some("bob"), None))
        .unwrap();
    let records = store.records().unwrap();
    let rows: Vec<ExportRow> = records.iter().map(|r| ExportRow::new(r, None)).collect();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let mut out = Vec::new();
        match format {
            ExportFormat::Csv => write_csv(&rows, &mut out).unwrap(),
            ExportFormat::Json => write_json(&rows, &mut out).unwrap(),
        }
        let back = read_export(&out, format).unwrap();
        assert_eq!(back[0].assignee.as_deref(), Some("bob"), "{format:?}");
        let other_place = b.place();
        let mut other = other_place.open();
        other.import(&back).unwrap();
        let r = other.record("08MOSCOW1052").unwrap().unwrap();
        assert!(r.same_content(&records[0]), "{format:?}");
        let h = other.history(None, 10).unwrap();
        assert!(
            h.iter()
                .any(|e| e.field == "assignee" && e.to.as_deref() == Some("bob"))
        );
    }
    // Exports from before assignment: no column, no key.
    let csv = "id,disposition,changed_by,changed_at\n08MOSCOW1,actioned,bob,2024-01-31T09:30:00Z\n";
    let json = r#"[{"id":"08MOSCOW1","disposition":"actioned","changed_by":"bob","changed_at":"2024-01-31T09:30:00Z"}]"#;
    for (text, format) in [(csv, ExportFormat::Csv), (json, ExportFormat::Json)] {
        let back = read_export(text.as_bytes(), format).unwrap();
        assert_eq!(back[0].assignee, None);
    }
    // A bad assignee in an export is refused with where it is.
    let bad = "id,disposition,changed_by,changed_at,assignee\n\
               08MOSCOW1,actioned,bob,2024-01-31T09:30:00Z,mal\u{202e}ory\n";
    let e = read_export(bad.as_bytes(), ExportFormat::Csv).unwrap_err();
    assert!(e.contains("row 2") && e.contains("analyst"), "{e}");
}

#[test]
fn a_version_1_store_is_migrated_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        schema::migrate(&tx, &schema::MIGRATIONS[..1]).unwrap();
        tx.execute(
            "INSERT INTO records (id, disposition, changed_by, changed_at, revision)
             VALUES ('08A1', 'actioned', 'bob', 0, 1)",
            [],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    let r = store.record("08A1").unwrap().unwrap();
    assert_eq!((r.disposition, r.assignee), (Disposition::Actioned, None));
    store
        .apply(&assign("alice", "08A1", Some("alice"), None))
        .unwrap();
    assert_eq!(
        store.record("08A1").unwrap().unwrap().assignee.as_deref(),
        Some("alice")
    );
    let version: i32 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
}
