//! The two ways a [`SqliteStore`] is changed: an analyst's action ([`apply`]) and the merge
//! of an export ([`import`]). Each is one `BEGIN IMMEDIATE` transaction, however many cables
//! it touches: it takes the store's next revision, updates `records` and `record_tags`,
//! appends one `history` row per field that changed, and commits. Changes that change
//! nothing are skipped, so a no-op action uses no revision and writes no history.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use rusqlite::{Transaction, TransactionBehavior, params};

use super::error::{Result, StoreError, StoreErrorKind};
use super::export::CLOCK_SKEW_MS;
use super::record::{
    ActionRecord, Applied, Change, Conflict, Disposition, Expect, FieldChange, ImportSummary,
    Record, check_tag,
};
use super::sqlite::{SqliteStore, parse_disposition};

/// The fields of a record that `records` holds (tags are looked up per tag).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    disposition: Disposition,
    note: Option<String>,
    seen: bool,
}

/// One open write transaction and what it needs.
struct Writer<'a> {
    tx: Transaction<'a>,
    store_path: &'a std::path::Path,
    revision: i64,
    /// Milliseconds since the epoch: the time of every history row of the action.
    now: i64,
    rows: HashMap<String, Option<Row>>,
}

impl SqliteStore {
    fn begin(&mut self) -> Result<Writer<'_>> {
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

    fn row(&mut self, id: &str) -> Result<Option<Row>> {
        if let Some(row) = self.rows.get(id) {
            return Ok(row.clone());
        }
        let doing = "read a record";
        let mut stmt = self
            .tx
            .prepare_cached("SELECT disposition, note, seen FROM records WHERE id = ?1")
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
                })
            }
        };
        drop(rows);
        drop(stmt);
        self.rows.insert(id.to_string(), row.clone());
        Ok(row)
    }

    fn has_tag(&self, id: &str, tag: &str) -> Result<bool> {
        let doing = "read a tag";
        let mut stmt = self
            .tx
            .prepare_cached("SELECT 1 FROM record_tags WHERE id = ?1 AND tag = ?2")
            .map_err(|e| self.err(doing, e))?;
        stmt.exists(params![id, tag])
            .map_err(|e| self.err(doing, e))
    }

    fn tags(&self, id: &str) -> Result<BTreeSet<String>> {
        let doing = "read the tags";
        let mut stmt = self
            .tx
            .prepare_cached("SELECT tag FROM record_tags WHERE id = ?1")
            .map_err(|e| self.err(doing, e))?;
        stmt.query_map([id], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(doing, e))
    }

    /// A conflict on `field` of `id`, with the cable's record as the store holds it and who
    /// changed it last.
    fn conflict(
        &mut self,
        id: &str,
        field: &str,
        expected: Option<String>,
        found: Option<String>,
    ) -> Result<Conflict> {
        let doing = "read a record";
        let row = self.row(id)?;
        let who: Option<(String, i64)> = self
            .tx
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
            .map_err(|e| self.err(doing, e))?;
        let mut current = Record::blank(id);
        if let Some(row) = row {
            current.disposition = row.disposition;
            current.note = row.note;
            current.seen = row.seen;
            current.tags = self.tags(id)?;
        }
        if let Some((by, at)) = who {
            current.changed_by = by;
            current.changed_at = super::sqlite::from_millis(at);
        }
        Ok(Conflict {
            id: id.to_string(),
            field: field.to_string(),
            expected,
            found,
            current,
        })
    }

    /// Writes the record's row as `row`, marked as changed by `by` at `at` in this
    /// revision.
    fn put(&mut self, id: &str, row: Row, by: &str, at: i64) -> Result<()> {
        let doing = "write a record";
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO records (id, disposition, note, seen, changed_by, changed_at, revision)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET
                    disposition = excluded.disposition, note = excluded.note,
                    seen = excluded.seen, changed_by = excluded.changed_by,
                    changed_at = excluded.changed_at, revision = excluded.revision",
            )
            .map_err(|e| self.err(doing, e))?;
        stmt.execute(params![
            id,
            row.disposition.as_str(),
            row.note,
            row.seen,
            by,
            at,
            self.revision
        ])
        .map_err(|e| self.err(doing, e))?;
        drop(stmt);
        self.rows.insert(id.to_string(), Some(row));
        Ok(())
    }

    fn set_tag(&self, id: &str, tag: &str, present: bool) -> Result<()> {
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
        &self,
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
        stmt.execute(params![
            self.now,
            analyst,
            id,
            field,
            from,
            to,
            self.revision
        ])
        .map_err(|e| self.err(doing, e))?;
        Ok(())
    }

    /// Records one field change in the history.
    fn log(&self, analyst: &str, change: &FieldChange) -> Result<()> {
        match change {
            FieldChange::Disposition { id, before, after } => {
                self.history(
                    analyst,
                    id,
                    "disposition",
                    Some(before.as_str()),
                    Some(after.as_str()),
                )?;
            }
            FieldChange::Note { id, before, after } => {
                self.history(analyst, id, "note", before.as_deref(), after.as_deref())?;
            }
            FieldChange::Seen { id, before, after } => {
                let b = if *before { "true" } else { "false" };
                let a = if *after { "true" } else { "false" };
                self.history(analyst, id, "seen", Some(b), Some(a))?;
            }
            FieldChange::Tag { id, tag, added } => {
                let (from, to) = if *added {
                    (None, Some(tag.as_str()))
                } else {
                    (Some(tag.as_str()), None)
                };
                self.history(analyst, id, "tag", from, to)?;
            }
        }
        Ok(())
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

fn invalid(path: &std::path::Path, detail: String) -> StoreError {
    StoreError::new(path, StoreErrorKind::Invalid { detail })
}

/// Applies one action in one transaction; see the module comment.
pub(super) fn apply(store: &mut SqliteStore, action: &ActionRecord) -> Result<Applied> {
    let analyst = action.analyst.trim();
    if analyst.is_empty() {
        return Err(invalid(&store.path, "the analyst's name is empty".into()));
    }
    for c in &action.changes {
        if c.id.trim().is_empty() {
            return Err(invalid(&store.path, "a cable id is empty".into()));
        }
        if let Change::AddTag { tag } | Change::RemoveTag { tag } = &c.change {
            check_tag(tag).map_err(|detail| invalid(&store.path, detail))?;
        }
    }
    let mut w = store.begin()?;
    let mut changes = Vec::new();
    let mut conflicts = Vec::new();
    let now = w.now;
    for c in &action.changes {
        let id = c.id.as_str();
        let current = w.row(id)?;
        let row = current.clone().unwrap_or(Row {
            disposition: Disposition::Untriaged,
            note: None,
            seen: false,
        });
        let change = match &c.change {
            Change::SetDisposition {
                disposition,
                expect,
            } => {
                if !expect.holds(&row.disposition) {
                    let expected = match expect {
                        Expect::Was(d) => Some(d.as_str().to_string()),
                        Expect::Any => None,
                    };
                    let found = Some(row.disposition.as_str().to_string());
                    conflicts.push(w.conflict(id, "disposition", expected, found)?);
                    continue;
                }
                if row.disposition == *disposition {
                    continue;
                }
                let before = row.disposition;
                w.put(
                    id,
                    Row {
                        disposition: *disposition,
                        ..row
                    },
                    analyst,
                    now,
                )?;
                FieldChange::Disposition {
                    id: id.to_string(),
                    before,
                    after: *disposition,
                }
            }
            Change::SetNote { note, expect } => {
                let note = note.as_ref().filter(|n| !n.trim().is_empty()).cloned();
                let holds = match expect {
                    Expect::Any => true,
                    // An empty note and no note are the same to the analyst.
                    Expect::Was(seen) => {
                        seen.as_ref().filter(|n| !n.trim().is_empty()) == row.note.as_ref()
                    }
                };
                if !holds {
                    let expected = match expect {
                        Expect::Was(n) => n.clone(),
                        Expect::Any => None,
                    };
                    conflicts.push(w.conflict(id, "note", expected, row.note.clone())?);
                    continue;
                }
                if row.note == note {
                    continue;
                }
                let before = row.note.clone();
                w.put(
                    id,
                    Row {
                        note: note.clone(),
                        ..row
                    },
                    analyst,
                    now,
                )?;
                FieldChange::Note {
                    id: id.to_string(),
                    before,
                    after: note,
                }
            }
            Change::SetSeen { seen, expect } => {
                if !expect.holds(&row.seen) {
                    let expected = match expect {
                        Expect::Was(s) => Some(s.to_string()),
                        Expect::Any => None,
                    };
                    conflicts.push(w.conflict(id, "seen", expected, Some(row.seen.to_string()))?);
                    continue;
                }
                if row.seen == *seen {
                    continue;
                }
                let before = row.seen;
                w.put(id, Row { seen: *seen, ..row }, analyst, now)?;
                FieldChange::Seen {
                    id: id.to_string(),
                    before,
                    after: *seen,
                }
            }
            Change::AddTag { tag } | Change::RemoveTag { tag } => {
                let add = matches!(c.change, Change::AddTag { .. });
                let tag = tag.trim();
                if current.is_some() && w.has_tag(id, tag)? == add {
                    continue;
                }
                if current.is_none() && !add {
                    continue;
                }
                // The record row first: tags refer to it.
                w.put(id, row, analyst, now)?;
                w.set_tag(id, tag, add)?;
                FieldChange::Tag {
                    id: id.to_string(),
                    tag: tag.to_string(),
                    added: add,
                }
            }
        };
        w.log(analyst, &change)?;
        changes.push(change);
    }
    if !conflicts.is_empty() {
        // All or nothing: the analyst decides what to do about the fields changed since.
        let revision = w.finish(false)?;
        return Ok(Applied {
            revision,
            changes: Vec::new(),
            conflicts,
        });
    }
    let revision = w.finish(!changes.is_empty())?;
    Ok(Applied {
        revision,
        changes,
        conflicts,
    })
}

/// Merges exported records in one transaction, record by record, by `changed_at`:
/// - the import's record is written when it is newer than the store's (or the store has
///   none);
/// - the store's record is kept when it is newer, and also on a tie: equal times settle
///   nothing, and keeping what is there makes the merge deterministic, so two analysts who
///   swap exports never trade their values and a second import changes nothing;
/// - a tie with the same content (disposition, note, seen, tags) counts as unchanged.
///
/// A written record keeps the exported analyst and time (so an export imported into an
/// empty store gives the same records), and its history rows name the analyst
/// `import:<exported analyst>`, at the time of the import. Records dated more than
/// [`CLOCK_SKEW_MS`] after now are refused (nothing is written): they would win over every
/// change until then. Tags are trimmed.
pub(super) fn import(store: &mut SqliteStore, records: &[Record]) -> Result<ImportSummary> {
    let latest = Utc::now().timestamp_millis() + CLOCK_SKEW_MS;
    let mut records = records.to_vec();
    for r in &mut records {
        if r.id.trim().is_empty() {
            return Err(invalid(
                &store.path,
                "a record has an empty cable id".into(),
            ));
        }
        r.tags = r
            .tags
            .iter()
            .map(|tag| check_tag(tag).map(str::to_string))
            .collect::<std::result::Result<_, _>>()
            .map_err(|detail| invalid(&store.path, format!("{}: {detail}", r.id)))?;
        if r.changed_at.timestamp_millis() > latest {
            return Err(invalid(
                &store.path,
                format!(
                    "{}: changed_at {} is in the future; nothing imported",
                    r.id,
                    r.changed_at.to_rfc3339()
                ),
            ));
        }
    }
    let mut w = store.begin()?;
    let mut summary = ImportSummary::default();
    for r in &records {
        let id = r.id.as_str();
        let current = w.row(id)?;
        let tags = w.tags(id)?;
        let existing_at: Option<i64> = if current.is_some() {
            w.tx.query_row("SELECT changed_at FROM records WHERE id = ?1", [id], |x| {
                x.get(0)
            })
            .map_err(|e| w.err("read a record", e))?
        } else {
            None
        };
        let incoming_at = r.changed_at.timestamp_millis();
        let row = Row {
            disposition: r.disposition,
            note: r.note.clone().filter(|n| !n.trim().is_empty()),
            seen: r.seen,
        };
        let before = current.clone().unwrap_or(Row {
            disposition: Disposition::Untriaged,
            note: None,
            seen: false,
        });
        if existing_at == Some(incoming_at) && before == row && tags == r.tags {
            summary.unchanged += 1;
            continue;
        }
        if existing_at.is_some_and(|at| at >= incoming_at) {
            summary.kept_newer += 1;
            continue;
        }
        let analyst = format!("import:{}", r.changed_by);
        let mut log = Vec::new();
        if before.disposition != row.disposition {
            log.push(FieldChange::Disposition {
                id: id.to_string(),
                before: before.disposition,
                after: row.disposition,
            });
        }
        if before.note != row.note {
            log.push(FieldChange::Note {
                id: id.to_string(),
                before: before.note.clone(),
                after: row.note.clone(),
            });
        }
        if before.seen != row.seen {
            log.push(FieldChange::Seen {
                id: id.to_string(),
                before: before.seen,
                after: row.seen,
            });
        }
        w.put(id, row, &r.changed_by, incoming_at)?;
        for tag in tags.difference(&r.tags) {
            w.set_tag(id, tag, false)?;
            log.push(FieldChange::Tag {
                id: id.to_string(),
                tag: tag.clone(),
                added: false,
            });
        }
        for tag in r.tags.difference(&tags) {
            w.set_tag(id, tag, true)?;
            log.push(FieldChange::Tag {
                id: id.to_string(),
                tag: tag.clone(),
                added: true,
            });
        }
        for change in &log {
            w.log(&analyst, change)?;
        }
        summary.written += 1;
    }
    summary.revision = w.finish(summary.written > 0)?;
    Ok(summary)
}
