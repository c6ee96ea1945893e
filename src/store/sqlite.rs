//! [`SqliteStore`]: the store in one SQLite file, opened so that nothing is ever lost.
//!
//! Opening is careful about what it touches, in this order:
//! 1. a missing file is created empty with mode `0600` (its folder `0700`);
//! 2. an existing, non-empty file must start with SQLite's header, or it is refused unread
//!    by SQLite (random bytes, a text file);
//! 3. a read-only connection reads the marks (`application_id`, `user_version`) and runs
//!    `quick_check`: another program's database, a newer store or a damaged one is refused
//!    before any write connection exists (a write connection could replay and checkpoint a
//!    foreign write-ahead log into the file);
//! 4. the write connection takes the write lock (`BEGIN IMMEDIATE`, waiting up to the busy
//!    timeout), checks the marks again under the lock and migrates in that transaction;
//! 5. only then is the store switched to WAL, with `synchronous=FULL` so that a commit that
//!    returned is on disk.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction (see [`super::write`]): two processes on
//! one store queue for the lock (up to the busy timeout) instead of failing or losing a
//! write. Reads run in a read transaction so records and their tags come from one snapshot.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};

use super::error::{Result, StoreError, StoreErrorKind};
use super::location::{companions, create_private_file, create_private_folder, make_private};
use super::record::{
    ActionRecord, Applied, Disposition, HistoryEntry, ImportSummary, Record, check_analyst,
};
use super::schema::{self, MIGRATIONS, Marks, Refusal, SCHEMA_VERSION};
use super::{TriageStore, write};

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// How long to wait for another process's write lock before giving up with
    /// [`StoreErrorKind::Locked`].
    pub busy_timeout: Duration,
    /// Never write: no file is created, [`TriageStore::apply`] fails with
    /// [`StoreErrorKind::ReadOnly`].
    pub read_only: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            busy_timeout: Duration::from_secs(5),
            read_only: false,
        }
    }
}

/// The first 16 bytes of every SQLite database.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// A triage store in a SQLite file.
pub struct SqliteStore {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    pub(super) read_only: bool,
    pub(super) busy_timeout: Duration,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl SqliteStore {
    /// Opens the store at `path` for reading and writing, creating it when the file is
    /// missing or empty.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(path, &OpenOptions::default())
    }

    /// Opens an existing store without ever writing to it (for a read-only folder or file,
    /// or a store another process holds locked).
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(
            path,
            &OpenOptions {
                read_only: true,
                ..OpenOptions::default()
            },
        )
    }

    pub fn open_with(path: &Path, opts: &OpenOptions) -> Result<SqliteStore> {
        if opts.read_only {
            open_read_only(path, opts)
        } else {
            open_read_write(path, opts)
        }
    }

    /// What the app does at start: read-write, and when that fails in a way that reading
    /// may survive (a read-only folder or file, a lock held for long), read-only. The
    /// second value is the reason it is read-only, for the app to show.
    pub fn open_for_app(
        path: &Path,
        opts: &OpenOptions,
    ) -> Result<(SqliteStore, Option<StoreError>)> {
        match open_read_write(path, opts) {
            Ok(store) => Ok((store, None)),
            Err(e) if e.read_only_may_help() => {
                let ro = OpenOptions {
                    read_only: true,
                    ..opts.clone()
                };
                match open_read_only(path, &ro) {
                    Ok(store) => Ok((store, Some(e))),
                    Err(_) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The store's revision: the number of actions that changed something.
    pub fn revision(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT value FROM counters WHERE name = 'revision'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sqlite("read the revision", e))
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound file, else SQLite's findings.
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.sqlite("check the file", e))?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.sqlite("check the file", e))?;
        Ok(lines.join("\n"))
    }

    pub(super) fn sqlite(&self, doing: &'static str, e: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, doing, self.busy_timeout, e)
    }

    /// Records matching `filter` (an SQL condition on `r`), with their tags, in one
    /// snapshot, and the revision of that snapshot.
    fn select_records(&self, filter: &str, since: i64) -> Result<(Vec<Record>, i64)> {
        let doing = "read the records";
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(|e| self.sqlite(doing, e))?;
        let revision: i64 = tx
            .query_row(
                "SELECT value FROM counters WHERE name = 'revision'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sqlite(doing, e))?;
        let mut records = Vec::new();
        if revision <= since {
            // Nothing committed since: the app's once-a-second poll stops here.
            tx.commit().map_err(|e| self.sqlite(doing, e))?;
            return Ok((records, revision));
        }
        let mut index = HashMap::new();
        {
            let mut stmt = tx
                .prepare(&format!(
                    "SELECT r.id, r.disposition, r.note, r.seen, r.changed_by, r.changed_at,
                            r.revision, r.assignee
                     FROM records r WHERE {filter}"
                ))
                .map_err(|e| self.sqlite(doing, e))?;
            let mut rows = stmt
                .query(params![since])
                .map_err(|e| self.sqlite(doing, e))?;
            while let Some(row) = rows.next().map_err(|e| self.sqlite(doing, e))? {
                let record = self.record_from_row(row)?;
                index.insert(record.id.clone(), records.len());
                records.push(record);
            }
            let mut stmt = tx
                .prepare(&format!(
                    "SELECT t.id, t.tag FROM record_tags t JOIN records r ON r.id = t.id
                     WHERE {filter}"
                ))
                .map_err(|e| self.sqlite(doing, e))?;
            let mut rows = stmt
                .query(params![since])
                .map_err(|e| self.sqlite(doing, e))?;
            while let Some(row) = rows.next().map_err(|e| self.sqlite(doing, e))? {
                let id: String = row.get(0).map_err(|e| self.sqlite(doing, e))?;
                let tag: String = row.get(1).map_err(|e| self.sqlite(doing, e))?;
                if let Some(&i) = index.get(&id) {
                    records[i].tags.insert(tag);
                }
            }
        }
        tx.commit().map_err(|e| self.sqlite(doing, e))?;
        // Sorted here, not by `ORDER BY id`: with that, SQLite walks the whole table in id
        // order instead of using the revision index, and a poll that finds one change
        // would read every record.
        records.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        Ok((records, revision))
    }

    fn record_from_row(&self, row: &rusqlite::Row<'_>) -> Result<Record> {
        let doing = "read the records";
        let id: String = row.get(0).map_err(|e| self.sqlite(doing, e))?;
        let disposition: String = row.get(1).map_err(|e| self.sqlite(doing, e))?;
        let disposition = parse_disposition(&self.path, &id, &disposition)?;
        let changed_at: i64 = row.get(5).map_err(|e| self.sqlite(doing, e))?;
        Ok(Record {
            disposition,
            note: row.get(2).map_err(|e| self.sqlite(doing, e))?,
            seen: row.get(3).map_err(|e| self.sqlite(doing, e))?,
            changed_by: row.get(4).map_err(|e| self.sqlite(doing, e))?,
            changed_at: from_millis(changed_at),
            revision: row.get(6).map_err(|e| self.sqlite(doing, e))?,
            assignee: row.get(7).map_err(|e| self.sqlite(doing, e))?,
            tags: Default::default(),
            id,
        })
    }
}

pub(super) fn parse_disposition(path: &Path, id: &str, text: &str) -> Result<Disposition> {
    text.parse().map_err(|_| {
        StoreError::new(
            path,
            StoreErrorKind::BadRow {
                detail: format!("cable {id}: unknown disposition {text:?}"),
            },
        )
    })
}

/// Milliseconds since the epoch as a time; out-of-range values (which this code never
/// writes) read as the epoch rather than failing a whole listing.
pub(super) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

impl TriageStore for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn apply(&mut self, action: &ActionRecord) -> Result<Applied> {
        write::check_action(&self.path, action)?;
        write::apply(self.begin()?, action)
    }

    fn import(&mut self, records: &[Record]) -> Result<ImportSummary> {
        let records = write::check_import(&self.path, records)?;
        write::import(self.begin()?, &records)
    }

    fn copy_in(&mut self, records: &[Record], history: &[HistoryEntry]) -> Result<ImportSummary> {
        let records = write::check_import(&self.path, records)?;
        write::copy_in(self.begin()?, &records, history)
    }

    fn take_next(&mut self, analyst: &str, candidates: &[String]) -> Result<Option<Applied>> {
        let analyst = check_analyst(analyst)
            .map_err(|detail| StoreError::new(&self.path, StoreErrorKind::Invalid { detail }))?;
        write::take_next(self.begin()?, analyst, candidates, &[])
    }

    fn analysts(&self) -> Result<Vec<String>> {
        let doing = "read the analysts";
        // Imports are recorded as `import:<analyst>`: the analyst is the one who did it.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT CASE WHEN analyst LIKE 'import:%' THEN substr(analyst, 8)
                                      ELSE analyst END
                 FROM history
                 UNION SELECT assignee FROM records WHERE assignee IS NOT NULL",
            )
            .map_err(|e| self.sqlite(doing, e))?;
        let names: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sqlite(doing, e))?;
        Ok(super::record::analysts_list(names))
    }

    fn records(&self) -> Result<Vec<Record>> {
        Ok(self.snapshot()?.0)
    }

    fn snapshot(&self) -> Result<(Vec<Record>, i64)> {
        self.select_records("?1 = ?1", -1)
    }

    fn record(&self, id: &str) -> Result<Option<Record>> {
        let doing = "read a record";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.id, r.disposition, r.note, r.seen, r.changed_by, r.changed_at,
                        r.revision, r.assignee
                 FROM records r WHERE r.id = ?1",
            )
            .map_err(|e| self.sqlite(doing, e))?;
        let mut rows = stmt.query([id]).map_err(|e| self.sqlite(doing, e))?;
        let Some(row) = rows.next().map_err(|e| self.sqlite(doing, e))? else {
            return Ok(None);
        };
        let mut record = self.record_from_row(row)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag FROM record_tags WHERE id = ?1")
            .map_err(|e| self.sqlite(doing, e))?;
        record.tags = stmt
            .query_map([id], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sqlite(doing, e))?;
        Ok(Some(record))
    }

    fn changes_since(&self, revision: i64) -> Result<(Vec<Record>, i64)> {
        self.select_records("r.revision > ?1", revision)
    }

    fn revision(&self) -> Result<i64> {
        SqliteStore::revision(self)
    }

    fn history(&self, id: Option<&str>, limit: usize) -> Result<Vec<HistoryEntry>> {
        let doing = "read the history";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, at, analyst, cable_id, field, old, new, revision FROM history
                 WHERE ?1 IS NULL OR cable_id = ?1 ORDER BY seq DESC LIMIT ?2",
            )
            .map_err(|e| self.sqlite(doing, e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut entries = stmt
            .query_map(params![id, limit], |r| {
                Ok(HistoryEntry {
                    seq: r.get(0)?,
                    at: from_millis(r.get(1)?),
                    analyst: r.get(2)?,
                    id: r.get(3)?,
                    field: r.get(4)?,
                    from: r.get(5)?,
                    to: r.get(6)?,
                    revision: r.get(7)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.sqlite(doing, e))?;
        entries.reverse();
        Ok(entries)
    }

    fn tags_in_use(&self) -> Result<Vec<(String, usize)>> {
        let doing = "read the tags";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT tag, count(*) FROM record_tags GROUP BY tag
                 ORDER BY count(*) DESC, tag",
            )
            .map_err(|e| self.sqlite(doing, e))?;
        stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sqlite(doing, e))
    }
}

/// What is at `path` before SQLite is let near it.
enum Found {
    Nothing,
    Empty,
    Database,
}

fn look_at(path: &Path) -> Result<Found> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => return Err(StoreError::io(path, "look at the file", e)),
    };
    if meta.is_dir() {
        return Err(StoreError::new(
            path,
            StoreErrorKind::Invalid {
                detail: "is a folder, not a store file".into(),
            },
        ));
    }
    if meta.len() == 0 {
        return Ok(Found::Empty);
    }
    if has_hot_journal(path) {
        // A writer died mid-transaction (perhaps while creating the store): the file may be
        // half written until SQLite rolls the journal back, so its header proves nothing yet.
        return Ok(Found::Database);
    }
    let mut header = [0u8; 16];
    let mut file =
        std::fs::File::open(path).map_err(|e| StoreError::io(path, "read the file", e))?;
    match file.read_exact(&mut header) {
        Ok(()) if &header == SQLITE_MAGIC && meta.len() >= 512 => Ok(Found::Database),
        Ok(()) => Err(StoreError::new(path, StoreErrorKind::NotADatabase)),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err(StoreError::new(path, StoreErrorKind::NotADatabase))
        }
        Err(e) => Err(StoreError::io(path, "read the file", e)),
    }
}

/// Whether a rollback journal beside `path` holds a transaction to roll back: it begins with
/// SQLite's journal magic.
fn has_hot_journal(path: &Path) -> bool {
    const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let mut magic = [0u8; 8];
    std::fs::File::open(&journal)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| magic == JOURNAL_MAGIC)
}

fn connect(path: &Path, flags: OpenFlags, opts: &OpenOptions) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::from_sqlite(path, "open the file", opts.busy_timeout, e))?;
    conn.busy_timeout(opts.busy_timeout)
        .map_err(|e| StoreError::from_sqlite(path, "open the file", opts.busy_timeout, e))?;
    Ok(conn)
}

/// The read-only look of step 3: refuses what is not ours, too new or damaged.
fn inspect(conn: &Connection, path: &Path, opts: &OpenOptions) -> Result<Marks> {
    let err = |e| StoreError::from_sqlite(path, "read the file", opts.busy_timeout, e);
    let marks = Marks::read(conn).map_err(err)?;
    if !marks.is_ours_or_empty() {
        return Err(StoreError::new(
            path,
            StoreErrorKind::Foreign {
                application_id: marks.application_id,
            },
        ));
    }
    if marks.user_version > SCHEMA_VERSION {
        return Err(StoreError::new(
            path,
            StoreErrorKind::TooNew {
                found: marks.user_version,
                supported: SCHEMA_VERSION,
            },
        ));
    }
    let check: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(err)?;
    if check != "ok" {
        return Err(StoreError::new(
            path,
            StoreErrorKind::Corrupt { detail: check },
        ));
    }
    Ok(marks)
}

fn open_read_write(path: &Path, opts: &OpenOptions) -> Result<SqliteStore> {
    let mut found = look_at(path)?;
    if let Found::Nothing = found {
        // Not `StoreError::io`: a store that does not exist cannot be opened read-only
        // either, so a permission error here is not offered as "read-only".
        let cannot = |doing, source| StoreError::new(path, StoreErrorKind::Io { doing, source });
        if let Some(folder) = path.parent() {
            create_private_folder(folder).map_err(|e| cannot("create the store's folder", e))?;
        }
        create_private_file(path).map_err(|e| cannot("create the store", e))?;
        // Another process may have created it meanwhile: look again.
        found = look_at(path)?;
    }
    if let Found::Database = found {
        let probe = connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            opts,
        )?;
        match inspect(&probe, path, opts) {
            Ok(_) => {}
            // A writer killed mid-transaction leaves a hot journal to roll back, or a
            // write-ahead log to recover; a read-only connection can do neither
            // (SQLITE_READONLY_ROLLBACK, _RECOVERY). Both only restore the last committed
            // state, so the look is taken again read-write.
            Err(e) if matches!(e.kind, StoreErrorKind::ReadOnly { .. }) => {
                drop(probe);
                let probe = connect(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    opts,
                )?;
                inspect(&probe, path, opts)?;
            }
            Err(e) => return Err(e),
        }
    }
    let mut conn = connect(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        opts,
    )?;
    let err = |doing, e| StoreError::from_sqlite(path, doing, opts.busy_timeout, e);
    // SQLite quietly opens a file it may not write (an immutable attribute, a read-only
    // mount) read-only; every write would then fail. Say so now, so the app can offer
    // read-only at start rather than fail on the first key.
    if conn
        .is_readonly(rusqlite::MAIN_DB)
        .map_err(|e| err("open the file", e))?
    {
        return Err(StoreError::new(
            path,
            StoreErrorKind::ReadOnly {
                detail: "the file cannot be written (its permissions, attributes or file \
                         system forbid it)"
                    .into(),
            },
        ));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(|e| err("configure the connection", e))?;
    {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| err("lock the store", e))?;
        match schema::migrate(&tx, MIGRATIONS) {
            Ok(_) => {}
            Err(Refusal::Foreign { application_id }) => {
                return Err(StoreError::new(
                    path,
                    StoreErrorKind::Foreign { application_id },
                ));
            }
            Err(Refusal::TooNew { found }) => {
                return Err(StoreError::new(
                    path,
                    StoreErrorKind::TooNew {
                        found,
                        supported: SCHEMA_VERSION,
                    },
                ));
            }
            Err(Refusal::Sqlite(e)) => return Err(err("upgrade the store", e)),
        }
        tx.commit().map_err(|e| err("upgrade the store", e))?;
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| err("switch the store to write-ahead logging", e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::new(
            path,
            StoreErrorKind::Invalid {
                detail: format!(
                    "cannot use write-ahead logging here (the file system gave {mode:?})"
                ),
            },
        ));
    }
    // SQLite creates the companions with the database's mode; make sure anyway.
    for companion in companions(path) {
        if companion.exists() {
            make_private(&companion)
                .map_err(|e| StoreError::io(&companion, "make the file private", e))?;
        }
    }
    Ok(SqliteStore {
        conn,
        path: path.to_path_buf(),
        read_only: false,
        busy_timeout: opts.busy_timeout,
    })
}

fn open_read_only(path: &Path, opts: &OpenOptions) -> Result<SqliteStore> {
    match look_at(path)? {
        Found::Nothing => return Err(StoreError::new(path, StoreErrorKind::Missing)),
        Found::Empty => {
            return Err(StoreError::new(
                path,
                StoreErrorKind::Invalid {
                    detail: "an empty file, not yet a store (open it read-write once)".into(),
                },
            ));
        }
        Found::Database => {}
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match connect(path, flags, opts).and_then(|c| {
        inspect(&c, path, opts)?;
        Ok(c)
    }) {
        Ok(c) => c,
        // A WAL store in a folder we cannot write: SQLite cannot create the `-shm` file
        // it needs to coordinate readers. Nobody can be writing there, so read it as an
        // immutable file.
        Err(e) if matches!(e.kind, StoreErrorKind::ReadOnly { .. }) => {
            let c = connect(
                Path::new(&immutable_uri(path)),
                flags | OpenFlags::SQLITE_OPEN_URI,
                opts,
            )
            .map_err(|_| e)?;
            inspect(&c, path, opts)?;
            c
        }
        Err(e) => return Err(e),
    };
    let marks = Marks::read(&conn)
        .map_err(|e| StoreError::from_sqlite(path, "read the file", opts.busy_timeout, e))?;
    if marks.user_version < SCHEMA_VERSION {
        return Err(StoreError::new(
            path,
            StoreErrorKind::Invalid {
                detail: format!(
                    "schema version {} needs an upgrade to {SCHEMA_VERSION}, which read-only \
                     opening cannot do (open it read-write once)",
                    marks.user_version
                ),
            },
        ));
    }
    Ok(SqliteStore {
        conn,
        path: path.to_path_buf(),
        read_only: true,
        busy_timeout: opts.busy_timeout,
    })
}

/// `file:` URI of `path` with `immutable=1`, with the characters URIs reserve escaped.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}
