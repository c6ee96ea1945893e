//! The PostgreSQL schema and its versions.
//!
//! A database is a cabletriage store when it has the table `cabletriage_meta` with
//! `application = cabletriage`; its `schema_version` says which schema it has. An empty
//! database (no tables in its schema) becomes a store; a database with other tables is
//! refused untouched. [`MIGRATIONS`] holds one step per version, run in one transaction
//! under an advisory lock, so two analysts opening a new store at once do not both create
//! it, and a store is at its old version or the new one, never between.
//!
//! Tables (version 1) mirror the SQLite store's, plus:
//! - `records.assignee`: who the cable is assigned to;
//! - `changes`: append-only, one row per committed action (its revision, when, who, how
//!   many cables), whose revision a `NOTIFY cabletriage` carries to every listening app;
//! - `presence`: which cable each analyst reads, as heartbeats (unlogged).
//!
//! Every write takes the `revision` counter's row lock first (`SELECT … FOR UPDATE`), so
//! writers queue as SQLite's `BEGIN IMMEDIATE` makes them, revisions are given in commit
//! order, and a reader asking "what changed after revision N" can never miss a commit.

use postgres::Transaction;

/// The schema this build writes and reads.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// What `application` holds in `cabletriage_meta`.
pub const APPLICATION: &str = "cabletriage";

/// The notification channel that carries each committed revision.
pub const CHANNEL: &str = "cabletriage";

/// The key of the advisory lock held while creating or migrating the schema.
const MIGRATION_LOCK: i64 = 0x4354_5247;

/// One step per version; never edit a released step, add one.
pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    r#"
    CREATE TABLE cabletriage_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO cabletriage_meta (key, value) VALUES ('application', 'cabletriage');

    CREATE TABLE records (
        id          TEXT PRIMARY KEY,
        disposition TEXT NOT NULL DEFAULT 'untriaged'
                    CHECK (disposition IN
                        ('untriaged', 'actioned', 'follow-up', 'forwarded', 'no-action')),
        note        TEXT,
        seen        BOOLEAN NOT NULL DEFAULT false,
        assignee    TEXT,
        changed_by  TEXT NOT NULL,
        changed_at  BIGINT NOT NULL, -- milliseconds since the Unix epoch, UTC
        revision    BIGINT NOT NULL
    );
    CREATE INDEX records_revision ON records (revision);

    CREATE TABLE record_tags (
        id  TEXT NOT NULL REFERENCES records (id),
        tag TEXT NOT NULL,
        PRIMARY KEY (id, tag)
    );
    CREATE INDEX record_tags_tag ON record_tags (tag);

    CREATE TABLE history (
        seq      BIGSERIAL PRIMARY KEY,
        at       BIGINT NOT NULL, -- milliseconds since the Unix epoch, UTC
        analyst  TEXT NOT NULL,
        cable_id TEXT NOT NULL,
        field    TEXT NOT NULL,
        old      TEXT,
        new      TEXT,
        revision BIGINT NOT NULL
    );
    CREATE INDEX history_cable ON history (cable_id, seq);

    CREATE TABLE changes (
        revision BIGINT PRIMARY KEY,
        at       BIGINT NOT NULL,
        analyst  TEXT NOT NULL,
        cables   INTEGER NOT NULL
    );

    CREATE FUNCTION cabletriage_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the % table is append-only', TG_TABLE_NAME;
    END
    $$;
    CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
        FOR EACH ROW EXECUTE FUNCTION cabletriage_append_only();
    CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON changes
        FOR EACH ROW EXECUTE FUNCTION cabletriage_append_only();

    CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value BIGINT NOT NULL
    );
    INSERT INTO counters (name, value) VALUES ('revision', 0);

    -- Heartbeats of who reads what: not triage, so not worth a write-ahead log.
    CREATE UNLOGGED TABLE presence (
        analyst TEXT PRIMARY KEY,
        cable_id TEXT,
        seen_at BIGINT NOT NULL -- milliseconds since the Unix epoch, UTC
    );
    "#,
];

/// What a database holds, as far as opening it is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// No tables at all: free to become a store.
    Empty,
    /// A cabletriage store at this schema version.
    Store { version: i32 },
    /// Tables of something else (the first few named).
    Foreign { tables: Vec<String> },
}

/// Looks at the database without changing it.
pub fn look(tx: &mut Transaction<'_>) -> Result<Found, postgres::Error> {
    let has_meta: bool = tx
        .query_one("SELECT to_regclass('cabletriage_meta') IS NOT NULL", &[])?
        .get(0);
    if has_meta {
        let rows = tx.query(
            "SELECT key, value FROM cabletriage_meta WHERE key IN ('application', 'schema_version')",
            &[],
        )?;
        let value = |key: &str| {
            rows.iter()
                .find(|r| r.get::<_, String>(0) == key)
                .map(|r| r.get::<_, String>(1))
        };
        if value("application").as_deref() == Some(APPLICATION) {
            let version = value("schema_version")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            return Ok(Found::Store { version });
        }
    }
    let tables: Vec<String> = tx
        .query(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()
             ORDER BY tablename LIMIT 4",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(if tables.is_empty() {
        Found::Empty
    } else {
        Found::Foreign { tables }
    })
}

/// Why [`migrate`] would not touch a database.
#[derive(Debug)]
pub enum Refusal {
    Foreign { tables: Vec<String> },
    TooNew { found: i32 },
    Server(postgres::Error),
}

impl From<postgres::Error> for Refusal {
    fn from(e: postgres::Error) -> Self {
        Refusal::Server(e)
    }
}

/// Brings the database to the last of `steps` inside the caller's transaction (which the
/// caller commits), under an advisory lock, looking again under the lock.
pub fn migrate(tx: &mut Transaction<'_>, steps: &[&str]) -> Result<(), Refusal> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let from = match look(tx)? {
        Found::Foreign { tables } => return Err(Refusal::Foreign { tables }),
        Found::Empty => 0,
        Found::Store { version } => version,
    };
    let target = steps.len() as i32;
    if from > target {
        return Err(Refusal::TooNew { found: from });
    }
    if from == target {
        return Ok(());
    }
    for step in &steps[from.max(0) as usize..] {
        tx.batch_execute(step)?;
    }
    tx.execute(
        "INSERT INTO cabletriage_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&target.to_string()],
    )?;
    Ok(())
}
