//! Everything that can go wrong with a store, in words an analyst can act on.
//!
//! A [`StoreError`] always names the store's path (or, for a server backend, its address)
//! and says what is wrong: locked by another process, damaged, not a database, a database
//! of another program, made by a newer cabletriage, read-only. The SQLite backend maps its
//! errors here (see [`StoreError::from_sqlite`]), so the app shows one kind of message
//! whatever the backend, and decides by [`StoreErrorKind`] whether to offer read-only use.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What went wrong, without the path.
#[derive(Debug)]
pub enum StoreErrorKind {
    /// Another process held the store's write lock for longer than we wait.
    Locked { waited: Duration },
    /// A SQLite database whose pages are damaged.
    Corrupt { detail: String },
    /// Not a SQLite database at all (random bytes, a text file, a truncated file).
    NotADatabase,
    /// A valid SQLite database that another program made: never touched.
    Foreign { application_id: i32 },
    /// A store written by a newer cabletriage: never rewritten.
    TooNew { found: i32, supported: i32 },
    /// The store (or its folder) cannot be written: the file or folder is read-only, the
    /// disk is full, or the store was opened read-only.
    ReadOnly { detail: String },
    /// A store that must exist does not (read-only opening never creates one).
    Missing,
    /// The file system refused (creating the folder, setting permissions, reading the
    /// header).
    Io {
        doing: &'static str,
        source: std::io::Error,
    },
    /// A value the caller gave that the store cannot keep (an empty tag).
    Invalid { detail: String },
    /// A row with a value this version cannot read (a disposition it does not know).
    BadRow { detail: String },
    /// Anything else SQLite reports.
    Sqlite {
        doing: &'static str,
        source: rusqlite::Error,
    },
    /// A database server that cannot be reached, or whose connection was lost.
    Unreachable { detail: String },
    /// A server that refused who we are (a wrong password, an unknown role).
    Refused { detail: String },
    /// A server database that holds tables but is not a cabletriage store: never touched.
    NotAStore { detail: String },
    /// Anything else a database server reports.
    Server { doing: &'static str, detail: String },
}

/// A store problem: where, and what.
#[derive(Debug)]
pub struct StoreError {
    pub path: PathBuf,
    pub kind: StoreErrorKind,
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    pub fn new(path: &Path, kind: StoreErrorKind) -> StoreError {
        StoreError {
            path: path.to_path_buf(),
            kind,
        }
    }

    pub fn io(path: &Path, doing: &'static str, source: std::io::Error) -> StoreError {
        let kind = match source.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                StoreErrorKind::ReadOnly {
                    detail: format!("{doing}: {source}"),
                }
            }
            _ => StoreErrorKind::Io { doing, source },
        };
        StoreError::new(path, kind)
    }

    /// Classifies a SQLite error by its extended code, so that "locked", "damaged", "not a
    /// database" and "read-only" get their own words.
    pub fn from_sqlite(
        path: &Path,
        doing: &'static str,
        busy_timeout: Duration,
        source: rusqlite::Error,
    ) -> StoreError {
        use rusqlite::ErrorCode as C;
        let kind = match source.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreErrorKind::Locked {
                waited: busy_timeout,
            },
            Some(C::DatabaseCorrupt) => StoreErrorKind::Corrupt {
                detail: source.to_string(),
            },
            Some(C::NotADatabase) => StoreErrorKind::NotADatabase,
            Some(C::ReadOnly) => StoreErrorKind::ReadOnly {
                detail: "the file or its folder is read-only".into(),
            },
            Some(C::PermissionDenied) | Some(C::CannotOpen) => StoreErrorKind::ReadOnly {
                detail: format!("{doing}: {source}"),
            },
            Some(C::DiskFull) => StoreErrorKind::ReadOnly {
                detail: "the disk is full".into(),
            },
            _ => StoreErrorKind::Sqlite { doing, source },
        };
        StoreError::new(path, kind)
    }

    /// Whether opening the same store read-only may still work (the app then offers it).
    pub fn read_only_may_help(&self) -> bool {
        matches!(
            self.kind,
            StoreErrorKind::ReadOnly { .. } | StoreErrorKind::Locked { .. }
        )
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            StoreErrorKind::Locked { waited } => write!(
                f,
                "triage store {path}: locked by another process for more than {:.1} s; \
                 close the other cabletriage or try again",
                waited.as_secs_f64()
            ),
            StoreErrorKind::Corrupt { detail } => write!(
                f,
                "triage store {path}: the file is damaged ({detail}); it was left as it is: \
                 restore it from a backup or move it away to start a new store"
            ),
            StoreErrorKind::NotADatabase => write!(
                f,
                "{path}: not a cabletriage store (not a SQLite database: damaged, or another \
                 kind of file); it was left as it is"
            ),
            StoreErrorKind::Foreign { application_id } => write!(
                f,
                "{path}: not a cabletriage store (a SQLite database of another program, \
                 application id {application_id:#010x}); it was left as it is"
            ),
            StoreErrorKind::TooNew { found, supported } => write!(
                f,
                "triage store {path}: made by a newer cabletriage (schema version {found}, \
                 this version reads up to {supported}); it was left as it is: upgrade \
                 cabletriage to use it"
            ),
            StoreErrorKind::ReadOnly { detail } => write!(
                f,
                "triage store {path}: cannot be written ({detail}); it can be opened read-only"
            ),
            StoreErrorKind::Missing => write!(f, "triage store {path}: no such file"),
            StoreErrorKind::Io { doing, source } => {
                write!(f, "triage store {path}: cannot {doing}: {source}")
            }
            StoreErrorKind::Invalid { detail } => write!(f, "triage store {path}: {detail}"),
            StoreErrorKind::BadRow { detail } => {
                write!(f, "triage store {path}: unreadable record ({detail})")
            }
            StoreErrorKind::Sqlite { doing, source } => {
                write!(f, "triage store {path}: cannot {doing}: {source}")
            }
            StoreErrorKind::Unreachable { detail } => {
                write!(f, "triage store {path}: cannot reach the server ({detail})")
            }
            StoreErrorKind::Refused { detail } => {
                write!(
                    f,
                    "triage store {path}: the server refused the connection ({detail})"
                )
            }
            StoreErrorKind::NotAStore { detail } => write!(
                f,
                "{path}: not a cabletriage store ({detail}); it was left as it is"
            ),
            StoreErrorKind::Server { doing, detail } => {
                write!(f, "triage store {path}: cannot {doing}: {detail}")
            }
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            StoreErrorKind::Io { source, .. } => Some(source),
            StoreErrorKind::Sqlite { source, .. } => Some(source),
            _ => None,
        }
    }
}
