//! The PostgreSQL store against a real server the tests start themselves (a throwaway
//! `initdb` + `pg_ctl` in a temporary folder; see tests/support/pg_server.rs): clients at
//! once, faults (a client killed mid-action, the server restarted under a running store
//! thread), the messages for a wrong password, an unreachable host and a database that is
//! not a store, the commands on a server URL, and two apps in real terminals on one store.
//! Skipped, saying so, where no server can start; failing then when
//! `CABLETRIAGE_REQUIRE_PG` is set (as `.ci/run` sets it).

mod common;
#[path = "support/pg_server.rs"]
mod pg_server;
#[path = "support/store_child.rs"]
mod store_child;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use cabletriage::app::Msg;
use cabletriage::store::{
    ActionRecord, Change, Disposition, Expect, PgStore, StoreErrorKind, TriageStore,
};
use cabletriage::tui::runtime::{StoreRequest, spawn_store};
use common::{Run, Tmux, shell_quote};
use pg_server::PgServer;

/// A new empty database on the shared server, and its URL; `None` when the test skips.
fn new_store(test: &str) -> Option<(&'static PgServer, String)> {
    let server = pg_server::shared(test)?;
    let db = server.create_database("t").unwrap();
    Some((server, server.url(&db)))
}

/// A server of the test's own (for a test that stops it); `None` when the test skips.
fn own_server(test: &str) -> Option<PgServer> {
    match PgServer::start() {
        Ok(s) => Some(s),
        Err(why) => {
            if pg_server::shared(test).is_some() {
                panic!("a second server does not start: {why}");
            }
            None
        }
    }
}

fn cabletriage(args: &[&str], env: &[(&str, &str)], home: &Path) -> Run {
    Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .args(args)
        .env_remove("CABLETRIAGE_STORE")
        .env_remove("PGPASSWORD")
        .env("HOME", home)
        .env("CABLETRIAGE_CONFIG_DIR", home)
        .env("CABLETRIAGE_CACHE_DIR", home)
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
        .into()
}

fn dispose_over(analyst: &str, id: &str, to: Disposition, was: Disposition) -> ActionRecord {
    ActionRecord::new(analyst).with(
        id,
        Change::SetDisposition {
            disposition: to,
            expect: Expect::Was(was),
        },
    )
}

/// The commands on a server URL, given by the flag, the environment and config.toml.
#[test]
fn the_commands_work_on_a_server_url_from_flag_environment_and_config() {
    let Some((server, url)) = new_store("the_commands_work_on_a_server_url") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let run = cabletriage(
        &[
            "--store",
            &url,
            "--analyst",
            "alice",
            "dispose",
            "08MOSCOW1052",
            "actioned",
            "--note",
            "seen the ambassador",
        ],
        &[],
        home.path(),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let run = cabletriage(
        &["--analyst", "bob", "tag", "08MOSCOW1052", "+energy"],
        &[("CABLETRIAGE_STORE", &url)],
        home.path(),
    );
    assert_eq!(run.code, 0, "{run:?}");
    // Over TCP, with the password in the URL: shown masked.
    let db = url.rsplit('/').next().unwrap_or_default();
    let with_password = server.tcp_url(db, Some(pg_server::PASSWORD));
    std::fs::write(
        home.path().join("config.toml"),
        format!("store = \"{with_password}\"\n"),
    )
    .unwrap();
    let run = cabletriage(&["history"], &[], home.path());
    assert_eq!(run.code, 0, "{run:?}");
    for want in ["alice", "bob", "actioned", "energy", "seen the ambassador"] {
        assert!(run.out.contains(want), "{want} in:\n{}", run.out);
    }
    let run = cabletriage(&["export", "--format", "json"], &[], home.path());
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.out.contains("08MOSCOW1052") && run.out.contains("energy"));
    let run = cabletriage(&["config", "show"], &[], home.path());
    assert!(run.out.contains(":***@127.0.0.1"), "{}", run.out);
    assert!(!run.out.contains(pg_server::PASSWORD), "{}", run.out);
}

/// A wrong password, an unreachable host and a database that is not a store: each message
/// names the server, never the password, and the app offers to go on without the store.
#[test]
fn bad_servers_get_clear_messages_with_the_password_masked() {
    let Some((server, _)) = new_store("bad_servers_get_clear_messages") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let db = server.create_database("t").unwrap();
    let secret = "Wr0ngSecret";
    let wrong = server.tcp_url(&db, Some(secret));
    let unreachable = format!("postgres://alice:{secret}@127.0.0.1:1/triage");
    let foreign_db = server.create_database("t").unwrap();
    server
        .sql(&foreign_db, "CREATE TABLE invoices (id int)")
        .unwrap();
    let foreign = server.url(&foreign_db);
    let cases = [
        (&wrong, "refused the connection"),
        (&unreachable, "cannot reach the server"),
        (&foreign, "not a cabletriage store"),
    ];
    for (url, words) in cases {
        let run = cabletriage(&["--store", url, "history"], &[], home.path());
        assert_ne!(run.code, 0, "{run:?}");
        assert!(run.err.contains(words), "{words}: {}", run.err);
        assert!(!run.err.contains(secret), "the password shown: {}", run.err);
        if url.contains(secret) {
            assert!(run.err.contains(":***@"), "masked: {}", run.err);
        }
        // The app, before taking the screen.
        let run = cabletriage(&["--store", url], &[], home.path());
        assert_ne!(run.code, 0, "{run:?}");
        assert!(run.err.contains(words), "{words}: {}", run.err);
        assert!(
            run.err.contains("--read-only to go on without the store"),
            "{}",
            run.err
        );
        assert!(!run.err.contains(secret), "{}", run.err);
    }
    // The foreign database was left as it was.
    let mut client = postgres::Client::connect(&server.url(&foreign_db), postgres::NoTls).unwrap();
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);
    // The right password works.
    let run = cabletriage(
        &[
            "--store",
            &server.tcp_url(&db, None),
            "dispose",
            "08MOSCOW1052",
            "actioned",
        ],
        &[("PGPASSWORD", pg_server::PASSWORD)],
        home.path(),
    );
    assert_eq!(run.code, 0, "{run:?}");
}

/// 8 clients, 1,000 actions each, on 40 cables, each action conditional on what its client
/// last read: every committed change is in the history, nothing is lost, and a conflict is
/// reported exactly when another client changed the cable in between.
#[test]
fn eight_clients_thousand_actions_each() {
    let Some((_server, url)) = new_store("eight_clients_thousand_actions_each") else {
        return;
    };
    const CLIENTS: usize = 8;
    const ACTIONS: usize = 1000;
    let states = [
        Disposition::Actioned,
        Disposition::FollowUp,
        Disposition::Forwarded,
        Disposition::NoAction,
    ];
    // Opened one after the other: the first creates the schema.
    drop(PgStore::open(&url).unwrap());
    let workers: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = PgStore::open(&url).unwrap();
                let analyst = format!("client{c}");
                let (mut applied, mut conflicts) = (0usize, 0usize);
                for n in 0..ACTIONS {
                    let id = format!("90TEAM{}", (n * 7 + c * 3) % 40);
                    let seen = store
                        .record(&id)
                        .unwrap()
                        .map(|r| r.disposition)
                        .unwrap_or_default();
                    let to = states[(n + c) % states.len()];
                    let to = if to == seen {
                        states[(n + c + 1) % 4]
                    } else {
                        to
                    };
                    let result = store.apply(&dispose_over(&analyst, &id, to, seen)).unwrap();
                    if result.conflicts.is_empty() {
                        assert_eq!(result.changes.len(), 1);
                        applied += 1;
                    } else {
                        // Refused only because someone changed it since this client read it.
                        let k = &result.conflicts[0];
                        assert_ne!(k.found.as_deref(), Some(seen.as_str()), "{k}");
                        assert_ne!(k.current.changed_by, analyst, "{k}");
                        assert!(result.changes.is_empty());
                        conflicts += 1;
                    }
                }
                (applied, conflicts)
            })
        })
        .collect();
    let (mut applied, mut conflicts) = (0, 0);
    for w in workers {
        let (a, k) = w.join().unwrap();
        applied += a;
        conflicts += k;
    }
    assert_eq!(applied + conflicts, CLIENTS * ACTIONS);
    let store = PgStore::open(&url).unwrap();
    let history = store.history(None, usize::MAX).unwrap();
    assert_eq!(
        history.len(),
        applied,
        "one history row per committed change"
    );
    assert_eq!(
        store.revision().unwrap() as usize,
        applied,
        "one revision each"
    );
    // Each cable holds what its last history row says, and each row starts from the one
    // before: no change was made over a value its writer did not see.
    let mut last: HashMap<&str, &str> = HashMap::new();
    for h in &history {
        let before = last.get(h.id.as_str()).copied().unwrap_or("untriaged");
        assert_eq!(h.from.as_deref(), Some(before), "{h:?}");
        last.insert(&h.id, h.to.as_deref().unwrap_or_default());
    }
    for r in store.records().unwrap() {
        assert_eq!(Some(&r.disposition.as_str()), last.get(r.id.as_str()));
    }
    eprintln!(
        "{applied} applied, {conflicts} conflicts, {} cables",
        last.len()
    );
    assert!(
        conflicts > 0,
        "8 clients on 40 cables never met: the test tests nothing"
    );
}

/// A client killed with SIGKILL mid-action loses nothing it reported committed.
#[test]
fn a_client_killed_mid_action_loses_nothing_acknowledged() {
    let Some((_server, url)) = new_store("a_client_killed_mid_action") else {
        return;
    };
    let Some(program) = store_child::stress_command("a_client_killed_mid_action") else {
        return;
    };
    let mut all = Vec::new();
    for run in 0..5u64 {
        let mut child = store_child::child(&program, Path::new(&url), 1_000_000, run * 1_000_000)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut text = String::new();
        // Killed after a different number of commits each run, mid-way through the next.
        for line in lines.by_ref().take(20 + 37 * run as usize) {
            text.push_str(&line.unwrap());
            text.push('\n');
        }
        child.kill().unwrap();
        let _ = child.wait();
        let committed = store_child::committed(&text);
        let store = PgStore::open(&url).unwrap();
        for (id, state) in &committed {
            let record = store
                .record(id)
                .unwrap()
                .unwrap_or_else(|| panic!("run {run}: {id} reported committed, not stored"));
            assert_eq!(record.disposition.as_str(), state, "run {run}: {id}");
        }
        all.extend(committed);
    }
    let store = PgStore::open(&url).unwrap();
    let records = store.records().unwrap();
    for (id, _) in &all {
        assert!(records.iter().any(|r| &r.id == id), "{id} lost");
    }
}

/// Receives the next message within `secs`, or fails naming what was awaited.
fn next_msg(
    rt: &tokio::runtime::Runtime,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>,
    what: &str,
) -> Msg {
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .unwrap_or_else(|_| panic!("no message while waiting for {what}"))
            .unwrap_or_else(|| panic!("the store thread ended while waiting for {what}"))
    })
}

/// Through the real store thread: another analyst's commit arrives by notification; with
/// the server stopped, the thread says so and a write fails visibly; once the server is
/// back, the thread reconnects and catches up with what was committed meanwhile.
#[test]
fn the_store_thread_hears_commits_survives_a_restart_and_catches_up() {
    // A server of its own: this test stops it.
    let Some(server) = own_server("the_store_thread_survives_a_restart") else {
        return;
    };
    let url = server.url(&server.create_database("t").unwrap());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (requests, _thread) = spawn_store(Box::new(PgStore::open(&url).unwrap()), tx);
    assert!(matches!(
        next_msg(&rt, &mut rx, "the records"),
        Msg::StoreOpened { .. }
    ));
    let mut bob = PgStore::open(&url).unwrap();
    bob.apply(&dispose_over(
        "bob",
        "08A1",
        Disposition::Forwarded,
        Disposition::Untriaged,
    ))
    .unwrap();
    // The notification nudges the app, which asks the store's thread (AskStore).
    loop {
        match next_msg(&rt, &mut rx, "the notification") {
            Msg::StoreNudged => break,
            Msg::StoreChanged { .. } => panic!("the poll came before the notification"),
            _ => {}
        }
    }
    requests.send(StoreRequest::Nudge).unwrap();
    match next_msg(&rt, &mut rx, "bob's change") {
        Msg::StoreChanged { records } => assert_eq!(records[0].id, "08A1"),
        other => panic!("{other:?}"),
    }

    server.stop().unwrap();
    requests.send(StoreRequest::Poll).unwrap();
    loop {
        match next_msg(&rt, &mut rx, "the outage to be seen") {
            Msg::StoreReachable(Some(why)) => {
                assert!(why.contains("cannot reach the server"), "{why}");
                break;
            }
            Msg::StoreChanged { .. } | Msg::StoreNudged => {}
            other => panic!("{other:?}"),
        }
    }
    let during = dispose_over(
        "alice",
        "08A2",
        Disposition::Actioned,
        Disposition::Untriaged,
    );
    requests.send(StoreRequest::Write(7, during)).unwrap();
    loop {
        match next_msg(&rt, &mut rx, "the failed write") {
            Msg::Written { write, result } => {
                assert_eq!(write, 7);
                let e = result.expect_err("a write while the server is down fails");
                assert!(e.contains("cannot reach the server"), "{e}");
                break;
            }
            Msg::StoreReachable(_) | Msg::StoreNudged => {}
            other => panic!("{other:?}"),
        }
    }

    server.pg_ctl_start().unwrap();
    let mut bob = PgStore::open(&url).unwrap();
    bob.apply(&dispose_over(
        "bob",
        "08A3",
        Disposition::NoAction,
        Disposition::Untriaged,
    ))
    .unwrap();
    let (mut back, mut caught_up) = (false, false);
    while !(back && caught_up) {
        match next_msg(&rt, &mut rx, "the reconnection and the catch-up") {
            Msg::StoreReachable(None) => back = true,
            Msg::StoreChanged { records } => {
                caught_up |= records.iter().any(|r| r.id == "08A3");
            }
            _ => {}
        }
    }
    let stored = bob.record("08A2").unwrap();
    assert!(
        stored.is_none(),
        "the failed write was not kept: {stored:?}"
    );
    drop(requests);
}

/// Two apps in real terminals on one server store: one disposes a cable and the other shows
/// it without a key pressed; both dispose the same cable at once, and the second is told of
/// the conflict.
#[test]
fn two_apps_in_terminals_on_one_server_store() {
    let Some((server, url)) = new_store("two_apps_in_terminals_on_one_server_store") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("cables.csv");
    std::fs::write(&corpus, cabletriage::synth::demo_csv(300, 77)).unwrap();
    let bin = env!("CARGO_BIN_EXE_cabletriage");
    let app = |analyst: &str| {
        let home = dir.path().join(analyst);
        std::fs::create_dir_all(&home).unwrap();
        let home = shell_quote(&home.display().to_string());
        format!(
            "HOME={home} CABLETRIAGE_CONFIG_DIR={home} CABLETRIAGE_CACHE_DIR={home} \
             CABLETRIAGE_ANALYST={analyst} {} --keymap default --store {} {}; sleep 600",
            shell_quote(bin),
            shell_quote(&url),
            shell_quote(&corpus.display().to_string())
        )
    };
    let Some(alice) = Tmux::start("two_apps_in_terminals", &app("alice"), 120, 20) else {
        return;
    };
    let Some(bob) = Tmux::start("two_apps_in_terminals", &app("bob"), 120, 20) else {
        return;
    };
    let first_row = |s: &str| s.lines().nth(1).unwrap_or_default().to_string();
    alice.wait_for("alice's table", |s| s.contains("300/300 cables"));
    bob.wait_for("bob's table", |s| s.contains("300/300 cables"));
    alice.keys(&["1"]);
    alice.wait_for("alice's disposition", |s| first_row(s).contains("ACT"));
    let seen = bob.wait_for("alice's disposition on bob's screen", |s| {
        first_row(s).contains("ACT")
    });
    assert!(seen.contains("changed elsewhere"), "{seen}");

    // The same cable at once: the test holds the write lock while both press their key, so
    // alice's write is first in line and bob's was made on what he saw before it.
    let mut lock = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let tx = hold_the_write_lock(&mut lock);
    alice.keys(&["Home", "j", "2"]);
    alice.wait_for("alice's write to queue", |s| s.contains("1 unsaved"));
    wait_for_waiters(server, &url, 1);
    bob.keys(&["Home", "j", "3"]);
    bob.wait_for("bob's write to queue", |s| s.contains("1 unsaved"));
    wait_for_waiters(server, &url, 2);
    tx.commit().unwrap();
    let told = bob.wait_for("bob to be told of the conflict", |s| {
        s.contains("changed since you looked") && s.contains("alice")
    });
    assert!(told.contains("follow-up"), "{told}");
    alice.wait_for("alice's write saved", |s| !s.contains("unsaved"));
}

/// Takes the revision counter's row lock, which every write takes first, until the
/// transaction returned ends: writes queue behind it in the order they come.
fn hold_the_write_lock(client: &mut postgres::Client) -> postgres::Transaction<'_> {
    let mut tx = client.transaction().unwrap();
    tx.query(
        "SELECT value FROM counters WHERE name = 'revision' FOR UPDATE",
        &[],
    )
    .unwrap();
    tx
}

/// Waits until `n` sessions of the store's database wait for a lock.
fn wait_for_waiters(server: &PgServer, url: &str, n: i64) {
    let db = url.rsplit('/').next().unwrap_or_default().to_string();
    let mut client = postgres::Client::connect(&server.url("postgres"), postgres::NoTls).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let waiting: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
                &[&db],
            )
            .unwrap()
            .get(0);
        if waiting >= n {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{waiting} of {n} writes waiting for the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_store_refuses_a_newer_schema() {
    let Some((server, url)) = new_store("a_store_refuses_a_newer_schema") else {
        return;
    };
    drop(PgStore::open(&url).unwrap());
    let db = url.rsplit('/').next().unwrap_or_default();
    server
        .sql(
            db,
            "UPDATE cabletriage_meta SET value = '99' WHERE key = 'schema_version'",
        )
        .unwrap();
    let e = PgStore::open(&url).unwrap_err();
    assert!(
        matches!(e.kind, StoreErrorKind::TooNew { found: 99, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("newer cabletriage"), "{e}");
}

/// A store of `records` cables, each disposed of with a note (two history entries each), and
/// a second action re-tagging the first 10.
fn filled_sqlite(path: &Path, records: usize) {
    let mut store = cabletriage::store::SqliteStore::open(path).unwrap();
    let ids: Vec<String> = (0..records).map(|n| format!("90COPY{n}")).collect();
    store
        .apply(&ActionRecord::dispose_all(
            "alice",
            ids.iter().map(String::as_str),
            Disposition::FollowUp,
            Some("ask the desk"),
        ))
        .unwrap();
    let mut tags = ActionRecord::new("bob");
    for id in ids.iter().take(10) {
        tags = tags.with(
            id,
            Change::AddTag {
                tag: "energy".into(),
            },
        );
    }
    store.apply(&tags).unwrap();
}

fn copy_cmd(from: &str, to: &str, home: &Path) -> Run {
    cabletriage(&["store", "copy", from, to], &[], home)
}

/// SQLite to PostgreSQL and back: every record and history entry arrives, a second run
/// changes nothing, and the counts say so.
#[test]
fn store_copy_between_sqlite_and_postgres_is_whole_and_idempotent() {
    let Some((_server, url)) = new_store("store_copy_between_sqlite_and_postgres") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let source = home.path().join("mine.sqlite");
    filled_sqlite(&source, 300);
    let source = source.display().to_string();
    let run = copy_cmd(&source, &url, home.path());
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.out
            .contains("records: 300 (300 written, 0 already there")
            && run
                .out
                .contains("history: 610 entries (610 added, 0 already there)")
            && run.out.contains("checked: every record"),
        "{}",
        run.out
    );
    let again = copy_cmd(&source, &url, home.path());
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        again.out.contains("(0 written, 300 already there")
            && again.out.contains("(0 added, 610 already there)"),
        "{}",
        again.out
    );
    // And back into a new file: the same records and history as the first.
    let back = home.path().join("back.sqlite").display().to_string();
    let run = copy_cmd(&url, &back, home.path());
    assert_eq!(run.code, 0, "{run:?}");
    let a = cabletriage::store::SqliteStore::open(Path::new(&source)).unwrap();
    let b = cabletriage::store::SqliteStore::open(Path::new(&back)).unwrap();
    let (ra, rb) = (a.records().unwrap(), b.records().unwrap());
    assert_eq!(ra.len(), rb.len());
    for (x, y) in ra.iter().zip(&rb) {
        assert!(x.same_content(y), "{x:?} {y:?}");
    }
    let strip = |h: Vec<cabletriage::store::HistoryEntry>| {
        h.into_iter()
            .map(|e| (e.at, e.analyst, e.id, e.field, e.from, e.to))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(a.history(None, usize::MAX).unwrap()),
        strip(b.history(None, usize::MAX).unwrap())
    );
    // And `history` shows them alike, one group per action (found in testing: copied
    // entries were one group).
    let shown = |store: &str| cabletriage(&["--store", store, "history"], &[], home.path()).out;
    let (before, after) = (shown(&source), shown(&back));
    assert_eq!(before.matches("\n\n").count(), 1, "two actions: {before}");
    assert_eq!(before, after);
}

/// The server goes away in the middle of a copy: the copy stops with a clear message, and a
/// rerun completes it.
#[test]
fn a_copy_cut_off_by_the_server_completes_on_a_rerun() {
    let Some(server) = own_server("a_copy_cut_off_by_the_server") else {
        return;
    };
    let url = server.url(&server.create_database("t").unwrap());
    let home = tempfile::tempdir().unwrap();
    let source = home.path().join("mine.sqlite");
    filled_sqlite(&source, 40_000);
    drop(PgStore::open(&url).unwrap());
    let mut child = Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .args(["store", "copy"])
        .arg(&source)
        .arg(&url)
        .env("HOME", home.path())
        .env("CABLETRIAGE_CONFIG_DIR", home.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut progress = BufReader::new(child.stderr.take().unwrap()).lines();
    // After the first batch, the test takes the write lock, so the copy is caught mid-way.
    let first = progress
        .by_ref()
        .map(|l| l.unwrap())
        .find(|l| l.contains("records: "))
        .expect("a progress line");
    assert!(first.contains("records: 5000 of 40000"), "{first}");
    let mut lock = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let tx = hold_the_write_lock(&mut lock);
    wait_for_waiters(&server, &url, 1);
    server.stop().unwrap();
    drop(tx);
    let status = child.wait().unwrap();
    let said: Vec<String> = progress.map(|l| l.unwrap()).collect();
    assert_eq!(status.code(), Some(2), "{said:?}");
    assert!(
        said.iter()
            .any(|l| l.contains("running it again completes it")),
        "{said:?}"
    );

    server.pg_ctl_start().unwrap();
    let run = copy_cmd(&source.display().to_string(), &url, home.path());
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.out.contains("checked: every record"), "{}", run.out);
    assert!(
        !run.out.contains("(40000 written"),
        "the first run's batches were kept: {}",
        run.out
    );
    let copied = PgStore::open(&url).unwrap();
    assert_eq!(copied.records().unwrap().len(), 40_000);
    assert_eq!(copied.history(None, usize::MAX).unwrap().len(), 80_010);
}

/// `sslmode=require` encrypts and checks the server's certificate: trusted through
/// `sslrootcert`, refused without it (a self-signed certificate is no system root).
#[test]
fn tls_with_sslmode_require_verifies_the_server() {
    let Some((server, url)) = new_store("tls_with_sslmode_require_verifies_the_server") else {
        return;
    };
    let ca = server.enable_tls().unwrap();
    let db = url.rsplit('/').next().unwrap_or_default();
    let base = server.tcp_url(db, Some(pg_server::PASSWORD));
    let ca_param: String = ca
        .display()
        .to_string()
        .replace('%', "%25")
        .replace('/', "%2F");
    let trusted = format!("{base}?sslmode=require&sslrootcert={ca_param}");
    // Reloading the configuration takes a moment to reach new connections.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut client = loop {
        let connector =
            cabletriage::store::postgres::connect::Connector::new(&trusted, Path::new("tls test"))
                .unwrap();
        match connector.connect() {
            Ok(c) => break c,
            Err(e) => {
                assert!(std::time::Instant::now() < deadline, "{e:?}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    };
    let encrypted: bool = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(encrypted);
    let home = tempfile::tempdir().unwrap();
    let run = cabletriage(
        &["--store", &trusted, "dispose", "08MOSCOW1052", "actioned"],
        &[],
        home.path(),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let untrusted = format!("{base}?sslmode=require");
    let run = cabletriage(&["--store", &untrusted, "history"], &[], home.path());
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.err.contains("cannot reach the server") && run.err.contains("UnknownIssuer"),
        "{}",
        run.err
    );
    assert!(!run.err.contains(pg_server::PASSWORD), "{}", run.err);
}

/// Presence through the real store threads: what alice reads reaches bob's thread, and is
/// gone when alice stops reading; the heartbeat is a row the server keeps fresh.
#[test]
fn presence_reaches_colleagues_and_leaves_with_the_reader() {
    let Some((_server, url)) = new_store("presence_reaches_colleagues") else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let (alice_tx, mut alice_rx) = tokio::sync::mpsc::unbounded_channel();
    let (alice, _a) = spawn_store(Box::new(PgStore::open(&url).unwrap()), alice_tx);
    let (bob_tx, mut bob_rx) = tokio::sync::mpsc::unbounded_channel();
    let (bob, _b) = spawn_store(Box::new(PgStore::open(&url).unwrap()), bob_tx);
    next_msg(&rt, &mut alice_rx, "alice's records");
    next_msg(&rt, &mut bob_rx, "bob's records");
    bob.send(StoreRequest::Presence {
        analyst: "bob".into(),
        cable: None,
    })
    .unwrap();
    alice
        .send(StoreRequest::Presence {
            analyst: "alice".into(),
            cable: Some("08MOSCOW1052".into()),
        })
        .unwrap();
    loop {
        if let Msg::Presence(others) = next_msg(&rt, &mut bob_rx, "alice's presence") {
            if others.is_empty() {
                continue;
            }
            assert_eq!(others, [("alice".to_string(), "08MOSCOW1052".to_string())]);
            break;
        }
    }
    // Alice quits: her thread clears her presence on the way out.
    drop(alice);
    loop {
        if let Msg::Presence(others) = next_msg(&rt, &mut bob_rx, "alice gone") {
            if others.is_empty() {
                break;
            }
        }
    }
}

/// 8 clients pressing take-next 500 times each on one queue: no cable is claimed twice, and
/// the cables claimed are the first of the queue.
#[test]
fn eight_clients_take_next_never_get_one_cable_twice() {
    let Some((_server, url)) = new_store("eight_clients_take_next") else {
        return;
    };
    const CLIENTS: usize = 8;
    const TAKES: usize = 500;
    let queue: Vec<String> = (0..CLIENTS * TAKES + 100)
        .map(|n| format!("90QUEUE{n}"))
        .collect();
    drop(PgStore::open(&url).unwrap());
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(CLIENTS));
    let workers: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (url, queue, barrier) = (url.clone(), queue.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut store = PgStore::open(&url).unwrap();
                let analyst = format!("client{c}");
                barrier.wait();
                let mut claimed = Vec::new();
                for _ in 0..TAKES {
                    let applied = store.take_next(&analyst, &queue).unwrap().unwrap();
                    assert_eq!(applied.changes.len(), 1);
                    claimed.push(applied.changes[0].id().to_string());
                }
                claimed
            })
        })
        .collect();
    let mut claimed: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let total = claimed.len();
    claimed.sort();
    claimed.dedup();
    assert_eq!(claimed.len(), total, "a cable was claimed twice");
    let mut first: Vec<String> = queue[..CLIENTS * TAKES].to_vec();
    first.sort();
    assert_eq!(claimed, first, "the first of the queue, in order");
    let store = PgStore::open(&url).unwrap();
    let history = store.history(None, usize::MAX).unwrap();
    assert_eq!(history.len(), total);
    assert!(history.iter().all(|h| h.field == "assignee"));
}
