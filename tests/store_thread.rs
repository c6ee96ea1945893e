//! The store's own thread (`tui::runtime::spawn_store`), through the real thread and a real
//! SQLite file, with a second handle on the same file standing for another analyst.

use cabletriage::app::Msg;
use cabletriage::store::{ActionRecord, Change, Disposition, Expect, SqliteStore, TriageStore};
use cabletriage::tui::runtime::{StoreRequest, spawn_store};

fn dispose(analyst: &str, id: &str, to: Disposition, was: Disposition) -> ActionRecord {
    ActionRecord::new(analyst).with(
        id,
        Change::SetDisposition {
            disposition: to,
            expect: Expect::Was(was),
        },
    )
}

type Started = (
    std::sync::mpsc::Sender<StoreRequest>,
    std::thread::JoinHandle<()>,
    tokio::sync::mpsc::UnboundedReceiver<Msg>,
);

/// The store thread on the file at `path`, past its first report (the records).
fn started(path: &std::path::Path) -> Started {
    let mine = SqliteStore::open(path).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (requests, thread) = spawn_store(Box::new(mine), tx);
    assert!(matches!(rx.blocking_recv(), Some(Msg::StoreOpened { .. })));
    (requests, thread, rx)
}

/// Sends alice's disposition of 08A1 (as she saw it, untriaged) and returns the answer.
fn alice_actions_08a1(
    requests: &std::sync::mpsc::Sender<StoreRequest>,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>,
) -> Option<Msg> {
    requests
        .send(StoreRequest::Write(
            1,
            dispose(
                "alice",
                "08A1",
                Disposition::Actioned,
                Disposition::Untriaged,
            ),
        ))
        .unwrap();
    rx.blocking_recv()
}

/// A write refused for a conflict must not count the other analyst's commit as its own: the
/// next poll still reports what they changed, on every cable of their action.
#[test]
fn a_refused_write_does_not_hide_the_commit_it_lost_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    let (requests, thread, mut rx) = started(&path);
    let mut theirs = SqliteStore::open(&path).unwrap();

    // Bob disposes of two cables in one action; one of them is the one I act on.
    let bob = ActionRecord::new("bob")
        .with(
            "08A1",
            Change::SetDisposition {
                disposition: Disposition::NoAction,
                expect: Expect::Was(Disposition::Untriaged),
            },
        )
        .with(
            "08A2",
            Change::SetDisposition {
                disposition: Disposition::NoAction,
                expect: Expect::Was(Disposition::Untriaged),
            },
        );
    assert!(theirs.apply(&bob).unwrap().conflicts.is_empty());

    match alice_actions_08a1(&requests, &mut rx) {
        Some(Msg::Written {
            write: 1,
            result: Ok(applied),
        }) => assert_eq!(applied.conflicts.len(), 1, "{applied:?}"),
        other => panic!("expected the refused write, got {other:?}"),
    }
    requests.send(StoreRequest::Poll).unwrap();
    let changed = loop {
        match rx.blocking_recv() {
            Some(Msg::StoreChanged { records }) => break records,
            Some(_) => continue,
            None => panic!("the store thread ended"),
        }
    };
    let mut ids: Vec<&str> = changed.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["08A1", "08A2"], "bob's whole action is news");

    drop(requests);
    thread.join().unwrap();
}

/// My own commit is not reported back to me as news.
#[test]
fn my_own_commit_is_not_news() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    let (requests, thread, mut rx) = started(&path);
    assert!(matches!(
        alice_actions_08a1(&requests, &mut rx),
        Some(Msg::Written { result: Ok(_), .. })
    ));
    requests.send(StoreRequest::Poll).unwrap();
    match rx.blocking_recv() {
        Some(Msg::StoreChanged { records }) => assert!(records.is_empty(), "{records:?}"),
        other => panic!("expected the poll's answer, got {other:?}"),
    }
    drop(requests);
    thread.join().unwrap();
}
