//! Two processes on one store at once: each writes 1,000 single-cable actions (different
//! ids); `BEGIN IMMEDIATE` with a busy timeout makes them queue, so all 2,000 are in the
//! store and in the history, none lost and none failed.

#[path = "support/store_child.rs"]
mod store_child;

use std::io::Read;

use cabletriage::store::{SqliteStore, TriageStore};

#[test]
fn two_writers_lose_nothing() {
    let Some(program) = store_child::stress_command("two_writers_lose_nothing") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("triage.sqlite");
    // Created first, so both children open an existing store (creation races are the crash
    // test's business).
    drop(SqliteStore::open(&store_path).unwrap());
    let children: Vec<_> = [0u64, 1_000_000]
        .iter()
        .map(|&first| {
            store_child::child(&program, &store_path, 1_000, first)
                .spawn()
                .unwrap()
        })
        .collect();
    let mut reported = Vec::new();
    for mut child in children {
        let mut out = String::new();
        let mut err = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "a writer failed: {err}");
        let committed = store_child::committed(&out);
        assert_eq!(committed.len(), 1_000, "{err}");
        reported.extend(committed);
    }
    let store = SqliteStore::open(&store_path).unwrap();
    let records = store.records().unwrap();
    assert_eq!(records.len(), 2_000);
    for (id, state) in &reported {
        let r = records.iter().find(|r| &r.id == id).unwrap();
        assert_eq!(r.disposition.as_str(), state, "{id}");
    }
    let history = store.history(None, usize::MAX).unwrap();
    assert_eq!(history.len(), 2_000);
    let mut ids: Vec<&str> = history.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 2_000);
    // One revision per action, none shared.
    let mut revisions: Vec<i64> = history.iter().map(|h| h.revision).collect();
    revisions.dedup();
    assert_eq!(revisions.len(), 2_000);
    assert_eq!(store.revision().unwrap(), 2_000);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// Eight analysts press `take-next` 50 times each at once, each through its own connection
/// to one store file, over the same candidates in the same order (the worst case): no cable
/// is claimed twice, and every claim is in the store and in the history.
#[test]
fn take_next_never_gives_one_cable_twice() {
    use cabletriage::store::{FieldChange, OpenOptions};
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("triage.sqlite");
    drop(SqliteStore::open(&store_path).unwrap());
    let candidates: Vec<String> = (0..1_000).map(|n| format!("90TAKE{n}")).collect();
    let (analysts, presses) = (8, 50);
    let claims: Vec<Vec<(String, String)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..analysts)
            .map(|a| {
                let (store_path, candidates) = (&store_path, &candidates);
                scope.spawn(move || {
                    // A loaded machine: a press may wait on the others' commits long.
                    let opts = OpenOptions {
                        busy_timeout: std::time::Duration::from_secs(120),
                        ..OpenOptions::default()
                    };
                    let mut store = SqliteStore::open_with(store_path, &opts).unwrap();
                    let analyst = format!("analyst{a}");
                    (0..presses)
                        .map(|_| {
                            let applied = store.take_next(&analyst, candidates).unwrap().unwrap();
                            match applied.changes.as_slice() {
                                [FieldChange::Assignee { id, after, .. }] => {
                                    assert_eq!(after.as_deref(), Some(analyst.as_str()));
                                    (id.clone(), analyst.clone())
                                }
                                other => panic!("a claim is one assignment: {other:?}"),
                            }
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let all: Vec<&(String, String)> = claims.iter().flatten().collect();
    let mut ids: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), analysts * presses, "a cable was claimed twice");
    // Claimed in the view's order: exactly the first 400 candidates.
    let mut expected: Vec<&str> = candidates[..analysts * presses]
        .iter()
        .map(String::as_str)
        .collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    let store = SqliteStore::open(&store_path).unwrap();
    for (id, analyst) in &all {
        let r = store.record(id).unwrap().unwrap();
        assert_eq!(r.assignee.as_ref(), Some(analyst), "{id}");
    }
    let history = store.history(None, usize::MAX).unwrap();
    assert_eq!(history.len(), analysts * presses);
    assert!(history.iter().all(|h| h.field == "assignee"));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
