//! The analyst's record of what was done with each cable, kept durably.
//!
//! This is the one thing cabletriage must never lose, so the layer is small and strict.
//! How the parts fit:
//! - [`record`]: the vocabulary: [`Record`] (disposition, note, seen, the analyst's tags, the
//!   assignee, who and when), [`ActionRecord`] (one user action, many cables), [`Applied`] (what it
//!   changed, before and after, and its [`Applied::inverse`] for undo), [`HistoryEntry`];
//! - [`TriageStore`]: the narrow interface the app and the commands use, so another backend
//!   (PostgreSQL) can be added without touching them;
//! - [`sqlite`]: [`SqliteStore`], the SQLite backend: careful opening (never touching a file
//!   that is not a cabletriage store), WAL with `synchronous=FULL`, one `BEGIN IMMEDIATE`
//!   transaction per action ([`write`]);
//! - [`schema`]: the versioned schema and its forward migrations;
//! - [`error`]: [`StoreError`], whose message names the store and what is wrong;
//! - [`location`]: the default path and analyst, private folders and files;
//! - [`matching`]: the query language's store terms (`is:`, `mytag:`, `note:`, `by:`,
//!   `assignee:`);
//! - [`export`]: CSV and JSON exports (safe for spreadsheets) and reading them back.
//!
//! Records are keyed by the canonical cable id, so a record follows its cable across corpus
//! files and formats, and records of cables that are not open are kept. Nothing here knows
//! about terminals.

pub mod copy;
pub mod error;
pub mod export;
pub mod location;
pub mod matching;
pub mod postgres;
pub mod record;
pub mod schema;
pub mod sqlite;
mod sqlite_write;
mod write;

pub use error::{Result, StoreError, StoreErrorKind};
pub use location::{default_analyst, default_store_path};
pub use matching::store_matches;
pub use postgres::PgStore;
pub use record::{
    ActionRecord, Applied, CableChange, Change, Conflict, Disposition, Expect, FieldChange,
    HistoryEntry, ImportSummary, Record, UnknownDisposition, check_analyst,
};
pub use sqlite::{OpenOptions, SqliteStore};

use std::path::Path;

/// Whether `location` (a `--store` value) names a PostgreSQL server (`postgres://…`) rather
/// than a SQLite file.
pub fn is_server(location: &Path) -> bool {
    location
        .to_str()
        .is_some_and(postgres::connect::is_server_url)
}

/// `location` as it may be shown: a server URL with its password masked, a path as it is.
pub fn shown_location(location: &Path) -> String {
    match location.to_str() {
        Some(url) if postgres::connect::is_server_url(url) => postgres::connect::mask_password(url),
        _ => location.display().to_string(),
    }
}

/// Opens the store at `location` (a server URL or a file path) for reading and writing.
pub fn open(location: &Path, opts: &OpenOptions) -> Result<Box<dyn TriageStore>> {
    match location.to_str() {
        Some(url) if postgres::connect::is_server_url(url) => {
            Ok(Box::new(PgStore::open_with(url, opts.read_only)?))
        }
        _ => Ok(Box::new(SqliteStore::open_with(location, opts)?)),
    }
}

/// Opens the store at `location` without ever writing to it.
pub fn open_read_only(location: &Path) -> Result<Box<dyn TriageStore>> {
    open(
        location,
        &OpenOptions {
            read_only: true,
            ..OpenOptions::default()
        },
    )
}

/// What the app does at start: read-write, and when that fails in a way that reading may
/// survive, read-only, with the reason it is read-only.
pub fn open_for_app(
    location: &Path,
    opts: &OpenOptions,
) -> Result<(Box<dyn TriageStore>, Option<StoreError>)> {
    match location.to_str() {
        Some(url) if postgres::connect::is_server_url(url) => match PgStore::open(url) {
            Ok(store) => Ok((Box::new(store), None)),
            Err(e) if e.read_only_may_help() => match PgStore::open_read_only(url) {
                Ok(store) => Ok((Box::new(store), Some(e))),
                Err(_) => Err(e),
            },
            Err(e) => Err(e),
        },
        _ => {
            let (store, why) = SqliteStore::open_for_app(location, opts)?;
            Ok((Box::new(store), why))
        }
    }
}

/// What the app needs from a store of triage records. Implementations keep every action
/// atomic (all of its changes or none), record each change in an append-only history, and
/// number committed actions with an increasing revision so other processes can catch up.
pub trait TriageStore: Send {
    /// Where the store is, for messages (a path, or a server's address).
    fn location(&self) -> String;

    /// Whether writes are refused (opened read-only).
    fn is_read_only(&self) -> bool;

    /// Applies one user action as one transaction and reports what changed, per cable and
    /// field, before and after. When a conditional change finds its field changed since
    /// ([`Expect`]), nothing is written and the conflicts are reported instead. Undo is
    /// `apply(&applied.inverse(analyst))`, conditional on the fields still holding what the
    /// action wrote.
    fn apply(&mut self, action: &ActionRecord) -> Result<Applied>;

    /// Merges records from an export in one transaction: the newer record wins, and on
    /// equal times the store keeps its own (see `write::import`).
    fn import(&mut self, records: &[Record]) -> Result<ImportSummary>;

    /// Copies records and history entries from another store in one transaction (see
    /// [`copy`]): records merge as in [`TriageStore::import`] but write no history of their
    /// own; the entries are appended with their own times and analysts.
    fn copy_in(&mut self, records: &[Record], history: &[HistoryEntry]) -> Result<ImportSummary>;

    /// Claims for `analyst`, in one transaction, the first of `candidates` (in the given
    /// order: the view's) that is untriaged and unassigned: assigns it to `analyst`, with a
    /// history row, and says so (one [`FieldChange::Assignee`]). `None` when every candidate
    /// is taken. Two analysts taking at once never get the same cable.
    fn take_next(&mut self, analyst: &str, candidates: &[String]) -> Result<Option<Applied>>;

    /// Every analyst seen in the history or as an assignee (for completing a name), sorted.
    fn analysts(&self) -> Result<Vec<String>>;

    /// Every record, sorted by id.
    fn records(&self) -> Result<Vec<Record>>;

    /// One cable's record, if it has one.
    fn record(&self, id: &str) -> Result<Option<Record>>;

    /// The records changed by actions after `revision` (by this process or another), and
    /// the store's revision to ask with next time. Cheap when nothing changed.
    fn changes_since(&self, revision: i64) -> Result<(Vec<Record>, i64)>;

    /// The store's current revision.
    fn revision(&self) -> Result<i64>;

    /// Every record and the revision they are at, read in one transaction, so a commit by
    /// another process between the two reads cannot be missed.
    fn snapshot(&self) -> Result<(Vec<Record>, i64)>;

    /// The latest `limit` history entries (of one cable, or of all), oldest first.
    fn history(&self, id: Option<&str>, limit: usize) -> Result<Vec<HistoryEntry>>;

    /// Every tag the analysts use, with how many cables carry it, most used first.
    fn tags_in_use(&self) -> Result<Vec<(String, usize)>>;

    /// A second connection told of other processes' commits as they happen, where the
    /// backend can do that (PostgreSQL's `LISTEN`); `None` where changes are found by
    /// asking ([`TriageStore::changes_since`]) only.
    fn listener(&self) -> Option<Box<dyn ChangeListener>> {
        None
    }

    /// Says which cable `analyst` reads now (`None`: none), for colleagues' screens. A
    /// heartbeat: said again every [`PRESENCE_HEARTBEAT`]; older ones are ignored after
    /// [`PRESENCE_STALE`]. Nothing where the backend keeps no presence (SQLite).
    fn set_presence(&mut self, analyst: &str, cable: Option<&str>) -> Result<()> {
        let _ = (analyst, cable);
        Ok(())
    }

    /// Who else reads what now: (analyst, cable id), from fresh heartbeats only, sorted.
    fn presence(&self, except: &str) -> Result<Vec<(String, String)>> {
        let _ = except;
        Ok(Vec::new())
    }
}

/// How often an app says again which cable its analyst reads.
pub const PRESENCE_HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(15);
/// After how long without a heartbeat a presence is ignored (an app that died).
pub const PRESENCE_STALE: std::time::Duration = std::time::Duration::from_secs(40);

/// Waits for other processes' commits (see [`TriageStore::listener`]).
pub trait ChangeListener: Send {
    /// Waits up to `timeout`: `Ok(true)` when a commit was announced. After an error the
    /// next call connects again; commits announced meanwhile are missed, so the caller asks
    /// [`TriageStore::changes_since`] then.
    fn wait(&mut self, timeout: std::time::Duration) -> Result<bool>;
}

#[cfg(test)]
mod tests;
