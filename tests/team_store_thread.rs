//! `take-next` and the analysts' list through the store's own thread
//! (`tui::runtime::spawn_store`), on a real SQLite file.

use cabletriage::app::{Effect, Msg};
use cabletriage::store::{FieldChange, SqliteStore};
use cabletriage::tui::runtime::{StoreRequest, spawn_store};

#[test]
fn take_next_is_answered_in_order_and_our_claim_is_not_news() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (requests, thread) = spawn_store(Box::new(SqliteStore::open(&path).unwrap()), tx);
    assert!(matches!(rx.blocking_recv(), Some(Msg::StoreOpened { .. })));
    let take = Effect::TakeNext {
        analyst: "alice".into(),
        candidates: vec!["08A1".into(), "08A2".into()],
    };
    requests.send(StoreRequest::Team(Box::new(take))).unwrap();
    match rx.blocking_recv() {
        Some(Msg::Taken {
            result: Ok(Some(applied)),
        }) => assert!(matches!(
            applied.changes.as_slice(),
            [FieldChange::Assignee { id, .. }] if id == "08A1"
        )),
        other => panic!("{other:?}"),
    }
    requests.send(StoreRequest::Poll).unwrap();
    match rx.blocking_recv() {
        Some(Msg::StoreChanged { records }) => {
            assert!(records.is_empty(), "our own claim came back: {records:?}")
        }
        other => panic!("{other:?}"),
    }
    requests
        .send(StoreRequest::Team(Box::new(Effect::ListAnalysts)))
        .unwrap();
    match rx.blocking_recv() {
        Some(Msg::Analysts(names)) => assert_eq!(names, ["alice"]),
        other => panic!("{other:?}"),
    }
    drop(requests);
    thread.join().unwrap();
}
