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

pub mod error;
pub mod export;
pub mod location;
pub mod matching;
pub mod record;
pub mod schema;
pub mod sqlite;
mod sqlite_write;
mod write;

pub use error::{Result, StoreError, StoreErrorKind};
pub use location::{default_analyst, default_store_path};
pub use matching::store_matches;
pub use record::{
    ActionRecord, Applied, CableChange, Change, Conflict, Disposition, Expect, FieldChange,
    HistoryEntry, ImportSummary, Record, UnknownDisposition, check_analyst,
};
pub use sqlite::{OpenOptions, SqliteStore};

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
}

#[cfg(test)]
mod tests;
