//! The SQLite schema and its versions.
//!
//! A cabletriage store is marked twice: `PRAGMA application_id` = [`APPLICATION_ID`] says the
//! file is ours (so no other database is ever touched), and `PRAGMA user_version` says which
//! schema it has. [`MIGRATIONS`] holds one step per version: step `i` takes a store from
//! version `i` to `i + 1` (step 0 creates the tables in a new, empty database). Opening runs
//! the missing steps in one `BEGIN IMMEDIATE` transaction, so a store is either at its old
//! version or the new one, never between; a store newer than [`SCHEMA_VERSION`] is refused
//! before anything is written.
//!
//! Tables (version 1):
//! - `records`: one row per cable id that anyone ever changed; `revision` is the store
//!   revision of its last change (indexed, for "what changed since");
//! - `record_tags`: the analyst's tags, one row per (id, tag), indexed by tag for completion;
//! - `history`: append-only (triggers refuse UPDATE and DELETE), one row per field change;
//! - `counters`: the store revision, bumped once per committed action.
//!
//! Version 2 adds `records.assignee`: the analyst the cable is assigned to (NULL: nobody).

use rusqlite::{Connection, Transaction};

/// "CTRG" in ASCII: the `application_id` of every cabletriage store.
pub const APPLICATION_ID: i32 = 0x4354_5247;

/// The schema this build writes and reads.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// One step per version; never edit a released step, add one.
pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    r#"
    CREATE TABLE records (
        id          TEXT PRIMARY KEY NOT NULL,
        disposition TEXT NOT NULL DEFAULT 'untriaged'
                    CHECK (disposition IN
                        ('untriaged', 'actioned', 'follow-up', 'forwarded', 'no-action')),
        note        TEXT,
        seen        INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1)),
        changed_by  TEXT NOT NULL,
        changed_at  INTEGER NOT NULL, -- milliseconds since the Unix epoch, UTC
        revision    INTEGER NOT NULL
    );
    CREATE INDEX records_revision ON records (revision);

    CREATE TABLE record_tags (
        id  TEXT NOT NULL REFERENCES records (id),
        tag TEXT NOT NULL,
        PRIMARY KEY (id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX record_tags_tag ON record_tags (tag);

    CREATE TABLE history (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        at       INTEGER NOT NULL, -- milliseconds since the Unix epoch, UTC
        analyst  TEXT NOT NULL,
        cable_id TEXT NOT NULL,
        field    TEXT NOT NULL,
        old      TEXT,
        new      TEXT,
        revision INTEGER NOT NULL
    );
    CREATE INDEX history_cable ON history (cable_id, seq);
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
    CREATE TRIGGER history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;

    CREATE TABLE counters (
        name  TEXT PRIMARY KEY NOT NULL,
        value INTEGER NOT NULL
    );
    INSERT INTO counters (name, value) VALUES ('revision', 0);
    "#,
    // 1 -> 2: assignment (NULL: nobody).
    r#"
    ALTER TABLE records ADD COLUMN assignee TEXT;
    "#,
];

/// The marks of a database, read before deciding whether to touch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marks {
    pub application_id: i32,
    pub user_version: i32,
    /// Tables, indexes, triggers, views: 0 for a brand-new database.
    pub objects: i64,
}

impl Marks {
    pub fn read(conn: &Connection) -> rusqlite::Result<Marks> {
        Ok(Marks {
            application_id: conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
            user_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            objects: conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?,
        })
    }

    /// Ours, or empty and so free to become ours.
    pub fn is_ours_or_empty(&self) -> bool {
        self.application_id == APPLICATION_ID || (self.application_id == 0 && self.objects == 0)
    }
}

/// What [`migrate`] found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migration {
    UpToDate,
    Migrated { from: i32, to: i32 },
}

/// Why [`migrate`] would not touch a database.
#[derive(Debug)]
pub enum Refusal {
    Foreign { application_id: i32 },
    TooNew { found: i32 },
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Self {
        Refusal::Sqlite(e)
    }
}

/// Brings the database of `tx` to the last of `steps`, inside the caller's transaction
/// (which the caller commits; dropping it rolls every step back). The marks are read again
/// here, under the write lock, because another process may have created or migrated the
/// store since they were first looked at.
pub fn migrate(tx: &Transaction<'_>, steps: &[&str]) -> Result<Migration, Refusal> {
    let marks = Marks::read(tx)?;
    if !marks.is_ours_or_empty() {
        return Err(Refusal::Foreign {
            application_id: marks.application_id,
        });
    }
    let target = steps.len() as i32;
    let from = marks.user_version;
    if from > target {
        return Err(Refusal::TooNew { found: from });
    }
    if from == target && marks.application_id == APPLICATION_ID {
        return Ok(Migration::UpToDate);
    }
    for step in &steps[from.max(0) as usize..] {
        tx.execute_batch(step)?;
    }
    // PRAGMAs take no parameters; both values are integers we control.
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {target};"
    ))?;
    Ok(Migration::Migrated { from, to: target })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::TransactionBehavior;

    fn memory() -> Connection {
        Connection::open_in_memory().unwrap()
    }

    #[test]
    fn a_new_database_is_created_at_the_current_version() {
        let mut conn = memory();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        assert_eq!(
            migrate(&tx, MIGRATIONS).unwrap(),
            Migration::Migrated {
                from: 0,
                to: SCHEMA_VERSION
            }
        );
        tx.commit().unwrap();
        let marks = Marks::read(&conn).unwrap();
        assert_eq!(marks.application_id, APPLICATION_ID);
        assert_eq!(marks.user_version, SCHEMA_VERSION);
        let tx = conn.transaction().unwrap();
        assert_eq!(migrate(&tx, MIGRATIONS).unwrap(), Migration::UpToDate);
    }

    #[test]
    fn later_steps_run_on_an_older_store_and_keep_its_rows() {
        let mut conn = memory();
        let tx = conn.transaction().unwrap();
        migrate(&tx, MIGRATIONS).unwrap();
        tx.execute(
            "INSERT INTO records (id, changed_by, changed_at, revision) VALUES ('A', 'x', 0, 1)",
            [],
        )
        .unwrap();
        tx.commit().unwrap();
        let mut steps = MIGRATIONS.to_vec();
        steps.push("ALTER TABLE records ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;");
        let tx = conn.transaction().unwrap();
        assert_eq!(
            migrate(&tx, &steps).unwrap(),
            Migration::Migrated {
                from: SCHEMA_VERSION,
                to: SCHEMA_VERSION + 1
            }
        );
        tx.commit().unwrap();
        let p: i64 = conn
            .query_row("SELECT priority FROM records WHERE id = 'A'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(p, 0);
    }

    #[test]
    fn a_failing_step_leaves_the_store_at_its_version() {
        let mut conn = memory();
        let tx = conn.transaction().unwrap();
        migrate(&tx, MIGRATIONS).unwrap();
        tx.commit().unwrap();
        let mut steps = MIGRATIONS.to_vec();
        steps.push("CREATE TABLE extra (x); THIS IS NOT SQL;");
        {
            let tx = conn.transaction().unwrap();
            assert!(matches!(migrate(&tx, &steps), Err(Refusal::Sqlite(_))));
            // Dropped without commit: rolled back.
        }
        let marks = Marks::read(&conn).unwrap();
        assert_eq!(marks.user_version, SCHEMA_VERSION);
        let extra: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'extra'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(extra, 0);
    }

    #[test]
    fn newer_and_foreign_databases_are_refused() {
        let mut conn = memory();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 99;"
        ))
        .unwrap();
        let tx = conn.transaction().unwrap();
        assert!(matches!(
            migrate(&tx, MIGRATIONS),
            Err(Refusal::TooNew { found: 99 })
        ));
        drop(tx);

        let mut other = memory();
        other.execute_batch("CREATE TABLE t (x);").unwrap();
        let tx = other.transaction().unwrap();
        assert!(matches!(
            migrate(&tx, MIGRATIONS),
            Err(Refusal::Foreign { application_id: 0 })
        ));
    }

    #[test]
    fn the_history_is_append_only() {
        let mut conn = memory();
        let tx = conn.transaction().unwrap();
        migrate(&tx, MIGRATIONS).unwrap();
        tx.commit().unwrap();
        conn.execute(
            "INSERT INTO history (at, analyst, cable_id, field, revision) VALUES (0, 'a', 'A', 'seen', 1)",
            [],
        )
        .unwrap();
        assert!(conn.execute("DELETE FROM history", []).is_err());
        assert!(
            conn.execute("UPDATE history SET analyst = 'b'", [])
                .is_err()
        );
    }
}
