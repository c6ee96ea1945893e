//! Stores that cannot be opened: each gets a message naming the path and what is wrong, and
//! the file's bytes are the same afterwards (the store never deletes, truncates or rewrites
//! a file that is not a sound cabletriage store of its version).

use std::path::Path;
use std::time::{Duration, Instant};

use cabletriage::store::schema::{APPLICATION_ID, SCHEMA_VERSION};
use cabletriage::store::{
    ActionRecord, Disposition, OpenOptions, SqliteStore, StoreError, StoreErrorKind, TriageStore,
};

fn quick() -> OpenOptions {
    OpenOptions {
        busy_timeout: Duration::from_millis(200),
        ..OpenOptions::default()
    }
}

/// Every way of opening fails on `path`, each naming it, and the bytes do not change.
/// Returns the read-write error.
fn refused(path: &Path) -> StoreError {
    let before = std::fs::read(path).unwrap();
    let rw = SqliteStore::open_with(path, &quick()).unwrap_err();
    let ro = SqliteStore::open_read_only(path).unwrap_err();
    let app = SqliteStore::open_for_app(path, &quick()).unwrap_err();
    for e in [&rw, &ro, &app] {
        let text = e.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
    }
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "{} changed",
        path.display()
    );
    rw
}

fn store_with_records(path: &Path, n: usize) {
    let mut store = SqliteStore::open(path).unwrap();
    let ids: Vec<String> = (0..n).map(|i| format!("08MOSCOW{i}")).collect();
    store
        .apply(&ActionRecord::dispose_all(
            "alice",
            ids.iter().map(String::as_str),
            Disposition::Actioned,
            Some("a note long enough to fill some pages of the file"),
        ))
        .unwrap();
}

#[test]
fn random_bytes_are_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&path, &bytes).unwrap();
    let e = refused(&path);
    assert!(matches!(e.kind, StoreErrorKind::NotADatabase), "{e}");
    assert!(e.to_string().contains("not a cabletriage store"), "{e}");
    // A short text file too.
    std::fs::write(&path, "id,disposition\n").unwrap();
    assert!(matches!(refused(&path).kind, StoreErrorKind::NotADatabase));
}

#[test]
fn a_damaged_store_is_reported_not_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    store_with_records(&path, 3_000);
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 64 * 1024, "{}", bytes.len());
    for b in &mut bytes[8 * 1024..48 * 1024] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let e = refused(&path);
    assert!(matches!(e.kind, StoreErrorKind::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn another_programs_database_is_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, app_id, wal) in [
        ("plain.db", 0, false),
        ("other-app.db", 0x1234_5678, false),
        ("wal.db", 0, true),
    ] {
        let path = dir.path().join(name);
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            if wal {
                conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                    .unwrap();
            }
            conn.execute_batch(&format!(
                "PRAGMA application_id = {app_id};
                 CREATE TABLE bookmarks (url TEXT);
                 INSERT INTO bookmarks VALUES ('https://example.org');"
            ))
            .unwrap();
        }
        let e = refused(&path);
        assert!(
            matches!(e.kind, StoreErrorKind::Foreign { application_id } if application_id == app_id),
            "{e}"
        );
        assert!(e.to_string().contains("another program"), "{e}");
        let conn = rusqlite::Connection::open(&path).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM bookmarks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
}

#[test]
fn a_store_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    store_with_records(&path, 10);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 99;").unwrap();
        let id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
    }
    let e = refused(&path);
    assert!(
        matches!(e.kind, StoreErrorKind::TooNew { found: 99, supported } if supported == SCHEMA_VERSION),
        "{e}"
    );
    let text = e.to_string();
    assert!(
        text.contains("schema version 99") && text.contains(&format!("up to {SCHEMA_VERSION}")),
        "{text}"
    );
}

#[test]
fn a_store_locked_past_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    store_with_records(&path, 10);
    let mut writer = SqliteStore::open_with(&path, &quick()).unwrap();
    let before = std::fs::read(&path).unwrap();

    let locker = rusqlite::Connection::open(&path).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE;").unwrap();

    let started = Instant::now();
    let e = SqliteStore::open_with(&path, &quick()).unwrap_err();
    let waited = started.elapsed();
    assert!(matches!(e.kind, StoreErrorKind::Locked { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains(&path.display().to_string()) && text.contains("locked"),
        "{text}"
    );
    assert!(
        waited >= Duration::from_millis(150) && waited < Duration::from_secs(3),
        "{waited:?}"
    );

    // A store already open waits as long, then says the same.
    let e = writer
        .apply(&ActionRecord::dispose_all(
            "bob",
            ["A1"],
            Disposition::Forwarded,
            None,
        ))
        .unwrap_err();
    assert!(matches!(e.kind, StoreErrorKind::Locked { .. }), "{e}");

    // The app opens it read-only meanwhile, and says why.
    let (store, why) = SqliteStore::open_for_app(&path, &quick()).unwrap();
    assert!(store.is_read_only());
    assert!(matches!(
        why.map(|w| w.kind),
        Some(StoreErrorKind::Locked { .. })
    ));
    assert_eq!(store.records().unwrap().len(), 10);

    assert_eq!(std::fs::read(&path).unwrap(), before);
    locker.execute_batch("ROLLBACK;").unwrap();
    writer
        .apply(&ActionRecord::dispose_all(
            "bob",
            ["A1"],
            Disposition::Forwarded,
            None,
        ))
        .unwrap();
}

/// Whether the file system enforces permissions on us (not when running as root).
fn permissions_enforced(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join("probe");
        std::fs::create_dir(&probe).unwrap();
        std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o500)).unwrap();
        let enforced = std::fs::write(probe.join("x"), b"x").is_err();
        std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o700)).unwrap();
        enforced
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

#[test]
fn read_only_opening_never_writes() {
    // This part holds as root too: SQLITE_OPEN_READ_ONLY is enforced by SQLite, not by the
    // file's permissions.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    store_with_records(&path, 10);
    let before = std::fs::read(&path).unwrap();
    let mut ro = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(ro.records().unwrap().len(), 10);
    let e = ro
        .apply(&ActionRecord::dispose_all(
            "bob",
            ["A1"],
            Disposition::Forwarded,
            None,
        ))
        .unwrap_err();
    assert!(matches!(e.kind, StoreErrorKind::ReadOnly { .. }), "{e}");
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    assert!(ro.import(&[]).is_err());
    drop(ro);
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // Read-only opening of a missing store does not create it.
    let missing = dir.path().join("missing.sqlite");
    let e = SqliteStore::open_read_only(&missing).unwrap_err();
    assert!(matches!(e.kind, StoreErrorKind::Missing), "{e}");
    assert!(!missing.exists());
}

#[cfg(unix)]
#[test]
fn a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    if !permissions_enforced(dir.path()) {
        eprintln!(
            "skipped: a_read_only_folder: permissions are not enforced here (running as \
             root?); read_only_opening_never_writes and a_store_locked_past_the_timeout cover \
             read-only opening and the app's fallback"
        );
        return;
    }
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("triage.sqlite");
    store_with_records(&path, 10);
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o500)).unwrap();

    // SQLite cannot create the write-ahead log beside the store: read-write opening fails,
    // naming the store, and the app falls back to reading it.
    let e = SqliteStore::open_with(&path, &quick()).unwrap_err();
    eprintln!("read-only folder: {e}");
    assert!(matches!(e.kind, StoreErrorKind::ReadOnly { .. }), "{e}");
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    let (store, why) = SqliteStore::open_for_app(&path, &quick()).unwrap();
    assert!(store.is_read_only());
    assert!(why.is_some());
    assert_eq!(store.records().unwrap().len(), 10);
    drop(store);
    // A new store cannot be created there, and says where.
    let new = folder.join("new.sqlite");
    let e = SqliteStore::open(&new).unwrap_err();
    assert!(matches!(e.kind, StoreErrorKind::ReadOnly { .. }), "{e}");
    assert!(e.to_string().contains("new.sqlite"), "{e}");

    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn an_empty_file_becomes_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    std::fs::write(&path, b"").unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .apply(&ActionRecord::dispose_all(
            "a",
            ["A1"],
            Disposition::Actioned,
            None,
        ))
        .unwrap();
    assert_eq!(store.records().unwrap().len(), 1);
}

/// Clears the immutable attribute when the test ends, however it ends.
struct Immutable(std::path::PathBuf);

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

// Issue 8, defect 14: a store file that cannot be written is found at start, by the app as
// by the commands, and read-only is offered.
#[test]
fn an_unwritable_store_file_is_noticed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    store_with_records(&path, 3);
    let made = std::process::Command::new("chattr")
        .arg("+i")
        .arg(&path)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: chattr +i needs root and a file system that supports it");
        return;
    }
    let _guard = Immutable(path.clone());
    let e = SqliteStore::open_with(&path, &quick()).unwrap_err();
    assert!(matches!(e.kind, StoreErrorKind::ReadOnly { .. }), "{e}");
    assert!(e.to_string().contains("cannot be written"), "{e}");
    let (store, why) = SqliteStore::open_for_app(&path, &quick()).unwrap();
    assert!(store.is_read_only());
    assert!(why.is_some());
    assert_eq!(
        store.records().unwrap().len(),
        3,
        "its records can still be read"
    );
    // The app says so before taking the screen, and offers read-only.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .arg("--store")
        .arg(&path)
        .env("CABLETRIAGE_CONFIG_DIR", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot be written") && err.contains("--read-only"),
        "{err}"
    );
}

// A process killed while creating the store leaves a hot rollback journal, which a
// read-only look cannot roll back: the store still opens (found by the SIGKILL test, whose
// early kills hit this now and then).
#[test]
fn a_store_left_with_a_journal_to_roll_back_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triage.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 1;
         BEGIN IMMEDIATE;
         CREATE TABLE half (x TEXT);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
         INSERT INTO half SELECT printf('%0500d', i) FROM n;",
    )
    .unwrap();
    // As the killed process left them: the file half written and its journal.
    let crashed = tempfile::tempdir().unwrap();
    let copy = crashed.path().join("triage.sqlite");
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(
        dir.path().join("triage.sqlite-journal"),
        crashed.path().join("triage.sqlite-journal"),
    )
    .unwrap();
    drop(conn);
    let mut store = SqliteStore::open_with(&copy, &quick()).unwrap();
    store
        .apply(&ActionRecord::dispose_all(
            "alice",
            ["08MOSCOW1052"],
            Disposition::FollowUp,
            None,
        ))
        .unwrap();
}
