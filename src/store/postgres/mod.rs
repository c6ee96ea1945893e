//! [`PgStore`]: the store in a PostgreSQL database, for a desk of analysts on one queue.
//!
//! The same [`TriageStore`] as SQLite's, written by the same algorithm
//! ([`crate::store::write`]): every action is one transaction, conditional changes are
//! refused when a colleague changed the field since ([`crate::store::Conflict`]), tags are
//! set operations, and the history is append-only. What the server adds:
//! - every commit sends `NOTIFY cabletriage` with its revision; [`PgStore::listener`] opens a
//!   second connection that waits for them, so another analyst's change reaches the app at
//!   once instead of at the next poll;
//! - a lost connection is opened again on the next call ([`PgStore::client`]); what failed
//!   meanwhile is reported as [`StoreErrorKind::Unreachable`], never queued.
//!
//! Parts: [`connect`] (URLs, masked passwords, `.pgpass`, error mapping), [`schema`] (the
//! versioned schema), `write` (the write transaction).

pub mod connect;
pub mod schema;
mod write;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::{Client, IsolationLevel};

use self::connect::{Connector, server_error};
use self::schema::{Found, MIGRATIONS, Refusal, SCHEMA_VERSION};
use self::write::{PgWriter, read_only_error};
use super::error::{Result, StoreError, StoreErrorKind};
use super::record::{
    ActionRecord, Applied, FieldChange, HistoryEntry, ImportSummary, Record, check_analyst,
};
use super::sqlite::{from_millis, parse_disposition};
use super::{ChangeListener, TriageStore, write as algorithm};

/// How many free cables take-next reads ahead of taking the lock: one per analyst pressing
/// it at the same moment, with room.
const LIKELY_FREE: usize = 16;

/// A triage store in a PostgreSQL database.
pub struct PgStore {
    /// `RefCell`: the trait reads through `&self`, and the driver needs `&mut` for every
    /// query. A store is used by one thread at a time (it is `Send`, not `Sync`).
    client: RefCell<Client>,
    connector: Connector,
    /// The URL with its password masked: the only form shown anywhere.
    location: PathBuf,
    read_only: bool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl PgStore {
    /// Opens (creating or migrating its schema when needed) the store at `url`.
    pub fn open(url: &str) -> Result<PgStore> {
        PgStore::open_with(url, false)
    }

    /// Opens an existing store without ever writing to it.
    pub fn open_read_only(url: &str) -> Result<PgStore> {
        PgStore::open_with(url, true)
    }

    pub fn open_with(url: &str, read_only: bool) -> Result<PgStore> {
        let location = PathBuf::from(connect::mask_password(url.trim()));
        let connector = Connector::new(url, &location)?;
        let mut client = connector
            .connect()
            .map_err(|e| server_error(&location, "connect", &e))?;
        prepare_schema(&mut client, &location, read_only)?;
        Ok(PgStore {
            client: RefCell::new(client),
            connector,
            location,
            read_only,
        })
    }

    /// The connection, opened again first when it was lost (the server restarted, the
    /// network dropped): the caller's query then runs on the new one.
    fn client(&self) -> Result<std::cell::RefMut<'_, Client>> {
        let mut client = self.client.try_borrow_mut().map_err(|_| {
            StoreError::new(
                &self.location,
                StoreErrorKind::Invalid {
                    detail: "the connection is already in use".into(),
                },
            )
        })?;
        if client.is_closed() {
            *client = self
                .connector
                .connect()
                .map_err(|e| server_error(&self.location, "reconnect", &e))?;
        }
        Ok(client)
    }

    fn err(&self, doing: &'static str, e: postgres::Error) -> StoreError {
        server_error(&self.location, doing, &e)
    }

    /// A second connection that waits for other commits' notifications.
    pub fn listen(&self) -> Result<Listener> {
        Listener::connect(self.connector.clone(), self.location.clone())
    }

    /// Records matching `filter` (an SQL condition on `r` with `$1` the revision asked
    /// after), with their tags, read in one snapshot, and that snapshot's revision.
    fn select_records(&self, filter: &str, since: i64) -> Result<(Vec<Record>, i64)> {
        let doing = "read the records";
        let mut client = self.client()?;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| self.err(doing, e))?;
        let revision: i64 = tx
            .query_one("SELECT value FROM counters WHERE name = 'revision'", &[])
            .map_err(|e| self.err(doing, e))?
            .get(0);
        let mut records = Vec::new();
        if revision <= since {
            tx.commit().map_err(|e| self.err(doing, e))?;
            return Ok((records, revision));
        }
        let rows = tx
            .query(
                &format!(
                    "SELECT r.id, r.disposition, r.note, r.seen, r.changed_by, r.changed_at,
                            r.revision, r.assignee
                     FROM records r WHERE {filter}"
                ),
                &[&since],
            )
            .map_err(|e| self.err(doing, e))?;
        let mut index = HashMap::with_capacity(rows.len());
        for row in &rows {
            let record = self.record_from_row(row)?;
            index.insert(record.id.clone(), records.len());
            records.push(record);
        }
        let tags = tx
            .query(
                &format!(
                    "SELECT t.id, t.tag FROM record_tags t JOIN records r ON r.id = t.id
                     WHERE {filter}"
                ),
                &[&since],
            )
            .map_err(|e| self.err(doing, e))?;
        for row in &tags {
            let id: &str = row.get(0);
            if let Some(&i) = index.get(id) {
                records[i].tags.insert(row.get(1));
            }
        }
        tx.commit().map_err(|e| self.err(doing, e))?;
        records.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        Ok((records, revision))
    }

    /// Picks the first of `likely` that no other analyst is taking at this moment, and
    /// assigns it to `analyst` in one statement if it is still untriaged and unassigned when
    /// its row is locked: the revision, the record, its history row, the `changes` row and
    /// the notification, as [`algorithm::take_next`] writes them. `None` (and nothing
    /// written) when all were being taken or someone took the pick first.
    ///
    /// The revision's row is locked first, as every write locks it, so writers never wait
    /// for each other in opposite orders.
    fn claim(&self, analyst: &str, likely: &[String]) -> Result<Option<Applied>> {
        let doing = "take the next cable";
        let now = chrono::Utc::now().timestamp_millis();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.err(doing, e))?;
        // In array order, stopping at the first lock got: the others stay free.
        let pick = tx
            .query_opt(
                "SELECT c.id FROM UNNEST($1::text[]) AS c(id)
                 WHERE pg_try_advisory_xact_lock(hashtextextended('cabletriage take ' || c.id, 0))
                 LIMIT 1",
                &[&likely],
            )
            .map_err(|e| self.err(doing, e))?;
        let Some(pick) = pick else {
            tx.rollback().map_err(|e| self.err(doing, e))?;
            return Ok(None);
        };
        let id: String = pick.get(0);
        let row = tx
            .query_opt(
                "WITH counted AS (
                    UPDATE counters SET value = value + 1 WHERE name = 'revision'
                    RETURNING value
                 ), claimed AS (
                    INSERT INTO records
                        (id, disposition, note, seen, assignee, changed_by, changed_at, revision)
                    SELECT $1, 'untriaged', NULL, false, $2, $2, $3, counted.value FROM counted
                    ON CONFLICT (id) DO UPDATE SET assignee = excluded.assignee,
                        changed_by = excluded.changed_by, changed_at = excluded.changed_at,
                        revision = excluded.revision
                    WHERE records.assignee IS NULL AND records.disposition = 'untriaged'
                    RETURNING id, revision
                 ), logged AS (
                    INSERT INTO history (at, analyst, cable_id, field, old, new, revision)
                    SELECT $3, $2, id, 'assignee', NULL, $2, revision FROM claimed
                    RETURNING 1
                 ), noted AS (
                    INSERT INTO changes (revision, at, analyst, cables)
                    SELECT revision, $3, $2, 1 FROM claimed
                    RETURNING 1
                 )
                 SELECT revision, pg_notify($4, revision::text) FROM claimed",
                &[&id, &analyst, &now, &schema::CHANNEL],
            )
            .map_err(|e| self.err(doing, e))?;
        let Some(row) = row else {
            // Taken first: the revision's increment goes with the rest.
            tx.rollback().map_err(|e| self.err(doing, e))?;
            return Ok(None);
        };
        let revision: i64 = row.get(0);
        tx.commit().map_err(|e| self.err(doing, e))?;
        Ok(Some(Applied {
            revision,
            changes: vec![FieldChange::Assignee {
                id,
                before: None,
                after: Some(analyst.to_string()),
            }],
            conflicts: Vec::new(),
        }))
    }

    /// The first `n` of `candidates` (in their order) that are neither triaged nor assigned,
    /// read without the write lock (see [`algorithm::take_next`]).
    fn first_free(&self, candidates: &[String], n: usize) -> Result<Vec<String>> {
        let mut free = Vec::new();
        let mut client = self.client()?;
        for slice in candidates.chunks(5_000) {
            let want = i64::try_from(n - free.len()).unwrap_or(i64::MAX);
            let rows = client
                .query(
                    "SELECT c.id FROM UNNEST($1::text[]) WITH ORDINALITY AS c(id, n)
                     LEFT JOIN records r ON r.id = c.id
                     WHERE btrim(c.id) <> ''
                       AND (r.id IS NULL
                            OR (r.disposition = 'untriaged' AND r.assignee IS NULL))
                     ORDER BY c.n LIMIT $2",
                    &[&slice, &want],
                )
                .map_err(|e| self.err("find the free cables", e))?;
            free.extend(rows.iter().map(|r| r.get::<_, String>(0)));
            if free.len() >= n {
                break;
            }
        }
        Ok(free)
    }

    fn record_from_row(&self, row: &postgres::Row) -> Result<Record> {
        let id: String = row.get(0);
        let disposition: &str = row.get(1);
        Ok(Record {
            disposition: parse_disposition(&self.location, &id, disposition)?,
            note: row.get(2),
            seen: row.get(3),
            changed_by: row.get(4),
            changed_at: from_millis(row.get(5)),
            revision: row.get(6),
            assignee: row.get(7),
            tags: Default::default(),
            id,
        })
    }
}

/// Creates or migrates the schema (read-write), or checks it (read-only).
fn prepare_schema(client: &mut Client, location: &Path, read_only: bool) -> Result<()> {
    let err = |doing, e: postgres::Error| server_error(location, doing, &e);
    let mut tx = client
        .transaction()
        .map_err(|e| err("read the schema", e))?;
    let refusal = if read_only {
        match schema::look(&mut tx).map_err(|e| err("read the schema", e))? {
            Found::Store { version } if version == SCHEMA_VERSION => None,
            Found::Store { version } if version > SCHEMA_VERSION => {
                Some(Refusal::TooNew { found: version })
            }
            Found::Store { version } => {
                return Err(StoreError::new(
                    location,
                    StoreErrorKind::Invalid {
                        detail: format!(
                            "schema version {version} needs an upgrade to {SCHEMA_VERSION}, \
                             which read-only opening cannot do (open it read-write once)"
                        ),
                    },
                ));
            }
            Found::Empty => {
                return Err(StoreError::new(
                    location,
                    StoreErrorKind::Invalid {
                        detail: "an empty database, not yet a store (open it read-write once)"
                            .into(),
                    },
                ));
            }
            Found::Foreign { tables } => Some(Refusal::Foreign { tables }),
        }
    } else {
        schema::migrate(&mut tx, MIGRATIONS).err()
    };
    match refusal {
        None => tx.commit().map_err(|e| err("upgrade the store", e)),
        Some(Refusal::Foreign { tables }) => Err(StoreError::new(
            location,
            StoreErrorKind::NotAStore {
                detail: format!(
                    "a PostgreSQL database with other tables: {}",
                    tables.join(", ")
                ),
            },
        )),
        Some(Refusal::TooNew { found }) => Err(StoreError::new(
            location,
            StoreErrorKind::TooNew {
                found,
                supported: SCHEMA_VERSION,
            },
        )),
        Some(Refusal::Server(e)) => Err(err("upgrade the store", e)),
    }
}

impl TriageStore for PgStore {
    fn location(&self) -> String {
        self.location.display().to_string()
    }

    fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn apply(&mut self, action: &ActionRecord) -> Result<Applied> {
        algorithm::check_action(&self.location, action)?;
        if self.read_only {
            return Err(read_only_error(&self.location));
        }
        let mut client = self.client()?;
        algorithm::apply(PgWriter::begin(&mut client, &self.location)?, action)
    }

    fn import(&mut self, records: &[Record]) -> Result<ImportSummary> {
        let records = algorithm::check_import(&self.location, records)?;
        if self.read_only {
            return Err(read_only_error(&self.location));
        }
        let mut client = self.client()?;
        algorithm::import(PgWriter::begin(&mut client, &self.location)?, &records)
    }

    fn copy_in(&mut self, records: &[Record], history: &[HistoryEntry]) -> Result<ImportSummary> {
        let records = algorithm::check_import(&self.location, records)?;
        if self.read_only {
            return Err(read_only_error(&self.location));
        }
        let mut client = self.client()?;
        algorithm::copy_in(
            PgWriter::begin(&mut client, &self.location)?,
            &records,
            history,
        )
    }

    fn take_next(&mut self, analyst: &str, candidates: &[String]) -> Result<Option<Applied>> {
        let analyst = check_analyst(analyst).map_err(|detail| {
            StoreError::new(&self.location, StoreErrorKind::Invalid { detail })
        })?;
        if self.read_only {
            return Err(read_only_error(&self.location));
        }
        // The likely free cables, read without a lock; one of them claimed by a statement
        // that takes the revision's lock only for its own write and commit. Analysts taking
        // at the same moment skip each other's pick (an advisory lock each, tried, never
        // waited for), as `SELECT … FOR UPDATE SKIP LOCKED` does; the whole search runs
        // under the lock only when the likely ones all went meanwhile.
        for _ in 0..3 {
            let likely = self.first_free(candidates, LIKELY_FREE)?;
            if likely.is_empty() {
                break;
            }
            if let Some(applied) = self.claim(analyst, &likely)? {
                return Ok(Some(applied));
            }
        }
        let mut client = self.client()?;
        algorithm::take_next(
            PgWriter::begin(&mut client, &self.location)?,
            analyst,
            candidates,
            &[],
        )
    }

    fn analysts(&self) -> Result<Vec<String>> {
        let mut client = self.client()?;
        // Imports are recorded as `import:<analyst>`: the analyst is the one who did it.
        let rows = client
            .query(
                "SELECT DISTINCT CASE WHEN analyst LIKE 'import:%' THEN substr(analyst, 8)
                                      ELSE analyst END
                 FROM history
                 UNION SELECT assignee FROM records WHERE assignee IS NOT NULL",
                &[],
            )
            .map_err(|e| self.err("read the analysts", e))?;
        Ok(super::record::analysts_list(
            rows.iter().map(|r| r.get::<_, String>(0)),
        ))
    }

    fn records(&self) -> Result<Vec<Record>> {
        Ok(self.snapshot()?.0)
    }

    fn snapshot(&self) -> Result<(Vec<Record>, i64)> {
        self.select_records("$1::int8 IS NOT NULL", -1)
    }

    fn record(&self, id: &str) -> Result<Option<Record>> {
        let doing = "read a record";
        let mut client = self.client()?;
        let row = client
            .query_opt(
                "SELECT r.id, r.disposition, r.note, r.seen, r.changed_by, r.changed_at,
                        r.revision, r.assignee
                 FROM records r WHERE r.id = $1",
                &[&id],
            )
            .map_err(|e| self.err(doing, e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let tags = client
            .query("SELECT tag FROM record_tags WHERE id = $1", &[&id])
            .map_err(|e| self.err(doing, e))?;
        drop(client);
        let mut record = self.record_from_row(&row)?;
        record.tags = tags.iter().map(|t| t.get(0)).collect();
        Ok(Some(record))
    }

    fn changes_since(&self, revision: i64) -> Result<(Vec<Record>, i64)> {
        self.select_records("r.revision > $1", revision)
    }

    fn revision(&self) -> Result<i64> {
        let mut client = self.client()?;
        client
            .query_one("SELECT value FROM counters WHERE name = 'revision'", &[])
            .map(|r| r.get(0))
            .map_err(|e| self.err("read the revision", e))
    }

    fn history(&self, id: Option<&str>, limit: usize) -> Result<Vec<HistoryEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut client = self.client()?;
        let rows = client
            .query(
                "SELECT seq, at, analyst, cable_id, field, old, new, revision FROM history
                 WHERE $1::text IS NULL OR cable_id = $1 ORDER BY seq DESC LIMIT $2",
                &[&id, &limit],
            )
            .map_err(|e| self.err("read the history", e))?;
        let mut entries: Vec<HistoryEntry> = rows
            .iter()
            .map(|r| HistoryEntry {
                seq: r.get(0),
                at: from_millis(r.get(1)),
                analyst: r.get(2),
                id: r.get(3),
                field: r.get(4),
                from: r.get(5),
                to: r.get(6),
                revision: r.get(7),
            })
            .collect();
        entries.reverse();
        Ok(entries)
    }

    fn tags_in_use(&self) -> Result<Vec<(String, usize)>> {
        let mut client = self.client()?;
        let rows = client
            .query(
                "SELECT tag, count(*) FROM record_tags GROUP BY tag ORDER BY count(*) DESC, tag",
                &[],
            )
            .map_err(|e| self.err("read the tags", e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1).max(0) as usize))
            .collect())
    }

    fn set_presence(&mut self, analyst: &str, cable: Option<&str>) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let now = chrono::Utc::now().timestamp_millis();
        let mut client = self.client()?;
        client
            .execute(
                "INSERT INTO presence (analyst, cable_id, seen_at) VALUES ($1, $2, $3)
                 ON CONFLICT (analyst) DO UPDATE SET cable_id = excluded.cable_id,
                    seen_at = excluded.seen_at",
                &[&analyst, &cable, &now],
            )
            .map(|_| ())
            .map_err(|e| self.err("say which cable is read", e))
    }

    fn presence(&self, except: &str) -> Result<Vec<(String, String)>> {
        let fresh_since = chrono::Utc::now().timestamp_millis()
            - i64::try_from(super::PRESENCE_STALE.as_millis()).unwrap_or(i64::MAX);
        let mut client = self.client()?;
        let rows = client
            .query(
                "SELECT analyst, cable_id FROM presence
                 WHERE analyst <> $1 AND cable_id IS NOT NULL AND seen_at > $2
                 ORDER BY analyst",
                &[&except, &fresh_since],
            )
            .map_err(|e| self.err("read who reads what", e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn listener(&self) -> Option<Box<dyn ChangeListener>> {
        self.listen()
            .ok()
            .map(|l| Box::new(l) as Box<dyn ChangeListener>)
    }
}

impl ChangeListener for Listener {
    fn wait(&mut self, timeout: Duration) -> Result<bool> {
        Ok(matches!(Listener::wait(self, timeout)?, Heard::Commit(_)))
    }
}

/// A connection that `LISTEN`s for commits.
pub struct Listener {
    client: Client,
    connector: Connector,
    location: PathBuf,
}

/// What [`Listener::wait`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// Another commit (its revision, when the payload is one).
    Commit(Option<i64>),
    /// Nothing within the time given.
    Quiet,
}

impl Listener {
    fn connect(connector: Connector, location: PathBuf) -> Result<Listener> {
        let mut client = connector
            .connect()
            .map_err(|e| server_error(&location, "listen for changes", &e))?;
        client
            .batch_execute(&format!("LISTEN {}", schema::CHANNEL))
            .map_err(|e| server_error(&location, "listen for changes", &e))?;
        Ok(Listener {
            client,
            connector,
            location,
        })
    }

    /// Waits up to `timeout` for a notification. A lost connection is an error; the next
    /// call connects again (and the caller should catch up: notifications sent meanwhile
    /// are lost).
    pub fn wait(&mut self, timeout: Duration) -> Result<Heard> {
        if self.client.is_closed() {
            *self = Listener::connect(self.connector.clone(), self.location.clone())?;
        }
        let mut notifications = self.client.notifications();
        let mut heard = notifications.timeout_iter(timeout);
        match fallible_iterator::FallibleIterator::next(&mut heard) {
            Ok(Some(n)) => Ok(Heard::Commit(n.payload().parse().ok())),
            Ok(None) => Ok(Heard::Quiet),
            Err(e) => Err(server_error(&self.location, "listen for changes", &e)),
        }
    }
}
