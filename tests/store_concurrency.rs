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
