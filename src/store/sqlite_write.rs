//! The SQLite side of a write: one `BEGIN IMMEDIATE` transaction ([`SqliteStore::begin`])
//! holding the store's write lock, through which [`super::write`] applies an action or an
//! import.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::Utc;
use rusqlite::{Transaction, TransactionBehavior, params};

use super::error::{Result, StoreError, StoreErrorKind};
use super::record::HistoryEntry;
use super::sqlite::{SqliteStore, parse_disposition};
use super::write::{Row, WriteTx};

/// One open write transaction and what it needs.
pub(super) struct Writer<'a> {
    tx: Transaction<'a>,
    store_path: &'a std::path::Path,
    revision: i64,
    /// Milliseconds since the epoch: the time of every history row of the action.
    now: i64,
    rows: HashMap<String, Option<Row>>,
}

impl SqliteStore {
    pub(super) fn begin(&mut self) -> Result<Writer<'_>> {
        if self.read_only {
            return Err(StoreError::new(
                &self.path,
                StoreErrorKind::ReadOnly {
                    detail: "it was opened read-only".into(),
                },
            ));
        }
        let timeout = self.busy_timeout;
        let path = &self.path;
        let err = |doing, e| StoreError::from_sqlite(path, doing, timeout, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| err("lock the store", e))?;
        let current: i64 = tx
            .query_row(
                "SELECT value FROM counters WHERE name = 'revision'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| err("read the revision", e))?;
        Ok(Writer {
            tx,
            store_path: path,
            revision: current + 1,
            now: Utc::now().timestamp_millis(),
            rows: HashMap::new(),
        })
    }
}

impl Writer<'_> {
    fn err(&self, doing: &'static str, e: rusqlite::Error) -> StoreError {
        // The busy timeout only matters for taking the lock, which is done by now.
        StoreError::from_sqlite(self.store_path, doing, Default::default(), e)
    }
}

impl Writer<'_> {
    fn insert_history(
        &self,
        at: i64,
        analyst: &str,
        id: &str,
        field: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<()> {
        let doing = "write the history";
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO history (at, analyst, cable_id, field, old, new, revision)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(|e| self.err(doing, e))?;
        stmt.execute(params![at, analyst, id, field, from, to, self.revision])
            .map_err(|e| self.err(doing, e))?;
        Ok(())
    }
}

impl WriteTx for Writer<'_> {
    fn now(&self) -> i64 {
        self.now
    }

    fn last_change(&mut self, id: &str) -> Result<Option<(String, i64)>> {
        self.tx
            .query_row(
                "SELECT changed_by, changed_at FROM records WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(|e| self.err("read a record", e))
    }

    fn row(&mut self, id: &str) -> Result<Option<Row>> {
        if let Some(row) = self.rows.get(id) {
            return Ok(row.clone());
        }
        let doing = "read a record";
        let mut stmt = self
            .tx
            .prepare_cached("SELECT disposition, note, seen, assignee FROM records WHERE id = ?1")
            .map_err(|e| self.err(doing, e))?;
        let mut rows = stmt.query([id]).map_err(|e| self.err(doing, e))?;
        let row = match rows.next().map_err(|e| self.err(doing, e))? {
            None => None,
            Some(r) => {
                let text: String = r.get(0).map_err(|e| self.err(doing, e))?;
                Some(Row {
                    disposition: parse_disposition(self.store_path, id, &text)?,
                    note: r.get(1).map_err(|e| self.err(doing, e))?,
                    seen: r.get(2).map_err(|e| self.err(doing, e))?,
                    assignee: r.get(3).map_err(|e| self.err(doing, e))?,
                })
            }
        };
        drop(rows);
        drop(stmt);
        self.rows.insert(id.to_string(), row.clone());
        Ok(row)
    }

    fn has_tag(&mut self, id: &str, tag: &str) -> Result<bool> {
        let doing = "read a tag";
        let mut stmt = self
            .tx
            .prepare_cached("SELECT 1 FROM record_tags WHERE id = ?1 AND tag = ?2")
            .map_err(|e| self.err(doing, e))?;
        stmt.exists(params![id, tag])
            .map_err(|e| self.err(doing, e))
    }

    fn tags(&mut self, id: &str) -> Result<BTreeSet<String>> {
        let doing = "read the tags";
        let mut stmt = self
            .tx
            .prepare_cached("SELECT tag FROM record_tags WHERE id = ?1")
            .map_err(|e| self.err(doing, e))?;
        stmt.query_map([id], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(doing, e))
    }

    fn taken(&mut self, ids: &[String]) -> Result<HashSet<String>> {
        let doing = "look for a free cable";
        // The ids travel as one JSON array: one statement, however many there are.
        let list = serde_json::to_string(ids).map_err(|e| {
            StoreError::new(
                self.store_path,
                StoreErrorKind::Invalid {
                    detail: format!("cannot list the candidates: {e}"),
                },
            )
        })?;
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT r.id FROM records r JOIN json_each(?1) j ON r.id = j.value
                 WHERE r.disposition <> 'untriaged' OR r.assignee IS NOT NULL",
            )
            .map_err(|e| self.err(doing, e))?;
        stmt.query_map([list], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(doing, e))
    }

    /// Writes the record's row as `row`, marked as changed by `by` at `at` in this
    /// revision.
    fn put(&mut self, id: &str, row: Row, by: &str, at: i64) -> Result<()> {
        let doing = "write a record";
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO records
                    (id, disposition, note, seen, changed_by, changed_at, revision, assignee)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET
                    disposition = excluded.disposition, note = excluded.note,
                    seen = excluded.seen, changed_by = excluded.changed_by,
                    changed_at = excluded.changed_at, revision = excluded.revision,
                    assignee = excluded.assignee",
            )
            .map_err(|e| self.err(doing, e))?;
        stmt.execute(params![
            id,
            row.disposition.as_str(),
            row.note,
            row.seen,
            by,
            at,
            self.revision,
            row.assignee
        ])
        .map_err(|e| self.err(doing, e))?;
        drop(stmt);
        self.rows.insert(id.to_string(), Some(row));
        Ok(())
    }

    fn set_tag(&mut self, id: &str, tag: &str, present: bool) -> Result<()> {
        let doing = "write a tag";
        let sql = if present {
            "INSERT OR IGNORE INTO record_tags (id, tag) VALUES (?1, ?2)"
        } else {
            "DELETE FROM record_tags WHERE id = ?1 AND tag = ?2"
        };
        let mut stmt = self
            .tx
            .prepare_cached(sql)
            .map_err(|e| self.err(doing, e))?;
        stmt.execute(params![id, tag])
            .map_err(|e| self.err(doing, e))?;
        Ok(())
    }

    fn history(
        &mut self,
        analyst: &str,
        id: &str,
        field: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<()> {
        self.insert_history(self.now, analyst, id, field, from, to)
    }

    fn copied_history(&mut self, entry: &HistoryEntry) -> Result<()> {
        self.insert_history(
            entry.at.timestamp_millis(),
            &entry.analyst,
            &entry.id,
            &entry.field,
            entry.from.as_deref(),
            entry.to.as_deref(),
        )
    }

    /// Commits when something changed (bumping the revision); otherwise rolls back, so a
    /// no-op leaves the file alone. Returns the store's revision afterwards.
    fn finish(self, changed: bool) -> Result<i64> {
        let doing = "commit";
        if !changed {
            let current = self.revision - 1;
            self.tx.rollback().map_err(|e| {
                StoreError::from_sqlite(self.store_path, doing, Default::default(), e)
            })?;
            return Ok(current);
        }
        self.tx
            .execute(
                "UPDATE counters SET value = ?1 WHERE name = 'revision'",
                [self.revision],
            )
            .map_err(|e| self.err(doing, e))?;
        let revision = self.revision;
        let path = self.store_path;
        self.tx
            .commit()
            .map_err(|e| StoreError::from_sqlite(path, doing, Default::default(), e))?;
        Ok(revision)
    }
}
