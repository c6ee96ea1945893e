//! The ways a store is changed: an analyst's action ([`apply`]), the merge of an export
//! ([`import`]) and a claim of the next free cable ([`take_next`]), written once for every
//! backend over [`WriteTx`], one open write transaction. Each is one transaction, however many cables it touches: it takes the
//! store's next revision, updates the records and their tags, appends one history row per
//! field that changed, and commits. Changes that change nothing are skipped, so a no-op
//! action uses no revision and writes no history.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use chrono::Utc;

use super::error::{Result, StoreError, StoreErrorKind};
use super::export::CLOCK_SKEW_MS;
use super::record::{
    ActionRecord, Applied, Change, Conflict, Disposition, Expect, FieldChange, HistoryEntry,
    ImportSummary, Record, check_analyst, check_tag,
};

/// The fields of a record that the records table holds (tags are kept per tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub disposition: Disposition,
    pub note: Option<String>,
    pub seen: bool,
    pub assignee: Option<String>,
}

impl Row {
    /// A cable nobody has touched.
    fn untouched() -> Row {
        Row {
            disposition: Disposition::Untriaged,
            note: None,
            seen: false,
            assignee: None,
        }
    }
}

/// One open write transaction of a backend, holding the store's write lock (so the revision
/// it took is the next one) until [`WriteTx::finish`].
pub(super) trait WriteTx: Sized {
    /// Milliseconds since the epoch: the time of every history row of the action.
    fn now(&self) -> i64;
    /// Reads the records of `ids` ahead, for a backend where each read is a round trip.
    fn prefetch(&mut self, ids: &[&str]) -> Result<()> {
        let _ = ids;
        Ok(())
    }
    fn row(&mut self, id: &str) -> Result<Option<Row>>;
    /// Who changed the record last, and when (milliseconds since the epoch).
    fn last_change(&mut self, id: &str) -> Result<Option<(String, i64)>>;
    fn has_tag(&mut self, id: &str, tag: &str) -> Result<bool>;
    fn tags(&mut self, id: &str) -> Result<BTreeSet<String>>;
    /// Which of `ids` are taken: triaged (a disposition other than untriaged) or assigned.
    /// One query for all of them, so a server answers a view's worth of candidates in one
    /// round trip.
    fn taken(&mut self, ids: &[String]) -> Result<HashSet<String>>;
    /// Writes the record's row as `row`, marked as changed by `by` at `at` in this revision.
    fn put(&mut self, id: &str, row: Row, by: &str, at: i64) -> Result<()>;
    fn set_tag(&mut self, id: &str, tag: &str, present: bool) -> Result<()>;
    fn history(
        &mut self,
        analyst: &str,
        id: &str,
        field: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<()>;
    /// Appends a history entry copied from another store, with its own time and analyst
    /// (and this transaction's revision).
    fn copied_history(&mut self, entry: &HistoryEntry) -> Result<()>;
    /// Commits when something changed (taking the next revision); otherwise rolls back, so
    /// a no-op leaves the store alone. Returns the store's revision afterwards.
    fn finish(self, changed: bool) -> Result<i64>;
}

/// Records one field change in the history.
fn log<W: WriteTx>(w: &mut W, analyst: &str, change: &FieldChange) -> Result<()> {
    match change {
        FieldChange::Disposition { id, before, after } => w.history(
            analyst,
            id,
            "disposition",
            Some(before.as_str()),
            Some(after.as_str()),
        ),
        FieldChange::Note { id, before, after } => {
            w.history(analyst, id, "note", before.as_deref(), after.as_deref())
        }
        FieldChange::Seen { id, before, after } => {
            let b = if *before { "true" } else { "false" };
            let a = if *after { "true" } else { "false" };
            w.history(analyst, id, "seen", Some(b), Some(a))
        }
        FieldChange::Tag { id, tag, added } => {
            let (from, to) = if *added {
                (None, Some(tag.as_str()))
            } else {
                (Some(tag.as_str()), None)
            };
            w.history(analyst, id, "tag", from, to)
        }
        FieldChange::Assignee { id, before, after } => {
            w.history(analyst, id, "assignee", before.as_deref(), after.as_deref())
        }
    }
}

/// A conflict on `field` of `id`, with the cable's record as the store holds it and who
/// changed it last.
fn conflict<W: WriteTx>(
    w: &mut W,
    id: &str,
    field: &str,
    expected: Option<String>,
    found: Option<String>,
) -> Result<Conflict> {
    let mut current = Record::blank(id);
    if let Some(row) = w.row(id)? {
        current.disposition = row.disposition;
        current.note = row.note;
        current.seen = row.seen;
        current.assignee = row.assignee;
        current.tags = w.tags(id)?;
    }
    if let Some((by, at)) = w.last_change(id)? {
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

fn invalid(path: &Path, detail: String) -> StoreError {
    StoreError::new(path, StoreErrorKind::Invalid { detail })
}

/// Refuses what no store can keep (an empty analyst, cable id or tag), before a
/// transaction is begun.
pub(super) fn check_action(location: &Path, action: &ActionRecord) -> Result<()> {
    let analyst = action.analyst.trim();
    if analyst.is_empty() {
        return Err(invalid(location, "the analyst's name is empty".into()));
    }
    for c in &action.changes {
        if c.id.trim().is_empty() {
            return Err(invalid(location, "a cable id is empty".into()));
        }
        match &c.change {
            Change::AddTag { tag } | Change::RemoveTag { tag } => {
                check_tag(tag).map_err(|detail| invalid(location, detail))?;
            }
            Change::SetAssignee {
                assignee: Some(name),
                ..
            } => {
                check_analyst(name).map_err(|detail| invalid(location, detail))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Applies one action (checked with [`check_action`]) in the transaction `w`; see the module
/// comment.
pub(super) fn apply<W: WriteTx>(mut w: W, action: &ActionRecord) -> Result<Applied> {
    let analyst = action.analyst.trim();
    let ids: Vec<&str> = action.changes.iter().map(|c| c.id.as_str()).collect();
    w.prefetch(&ids)?;
    let mut changes = Vec::new();
    let mut conflicts = Vec::new();
    let now = w.now();
    for c in &action.changes {
        let id = c.id.as_str();
        let current = w.row(id)?;
        let row = current.clone().unwrap_or_else(Row::untouched);
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
                    conflicts.push(conflict(&mut w, id, "disposition", expected, found)?);
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
                    conflicts.push(conflict(&mut w, id, "note", expected, row.note.clone())?);
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
                    conflicts.push(conflict(
                        &mut w,
                        id,
                        "seen",
                        expected,
                        Some(row.seen.to_string()),
                    )?);
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
            Change::SetAssignee { assignee, expect } => {
                let assignee = assignee.as_deref().map(str::trim).map(str::to_string);
                let holds = match expect {
                    Expect::Any => true,
                    Expect::Was(seen) => seen.as_deref().map(str::trim) == row.assignee.as_deref(),
                };
                if !holds {
                    let expected = match expect {
                        Expect::Was(a) => a.clone(),
                        Expect::Any => None,
                    };
                    let found = row.assignee.clone();
                    conflicts.push(conflict(&mut w, id, "assignee", expected, found)?);
                    continue;
                }
                if row.assignee == assignee {
                    continue;
                }
                let before = row.assignee.clone();
                w.put(
                    id,
                    Row {
                        assignee: assignee.clone(),
                        ..row
                    },
                    analyst,
                    now,
                )?;
                FieldChange::Assignee {
                    id: id.to_string(),
                    before,
                    after: assignee,
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
        log(&mut w, analyst, &change)?;
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

/// Checks and cleans records to import (see [`import`]), before a transaction is begun.
pub(super) fn check_import(location: &Path, records: &[Record]) -> Result<Vec<Record>> {
    let latest = Utc::now().timestamp_millis() + CLOCK_SKEW_MS;
    let mut records = records.to_vec();
    for r in &mut records {
        if r.id.trim().is_empty() {
            return Err(invalid(location, "a record has an empty cable id".into()));
        }
        r.tags = r
            .tags
            .iter()
            .map(|tag| check_tag(tag).map(str::to_string))
            .collect::<std::result::Result<_, _>>()
            .map_err(|detail| invalid(location, format!("{}: {detail}", r.id)))?;
        r.assignee = match r.assignee.as_deref().map(check_analyst) {
            None => None,
            Some(Ok(name)) => Some(name.to_string()),
            Some(Err(detail)) => return Err(invalid(location, format!("{}: {detail}", r.id))),
        };
        if r.changed_at.timestamp_millis() > latest {
            return Err(invalid(
                location,
                format!(
                    "{}: changed_at {} is in the future; nothing imported",
                    r.id,
                    r.changed_at.to_rfc3339()
                ),
            ));
        }
    }
    Ok(records)
}

/// Merges exported records (checked by [`check_import`]) in the transaction `w`, record by
/// record, by `changed_at`:
/// - the import's record is written when it is newer than the store's (or the store has
///   none);
/// - the store's record is kept when it is newer, and also on a tie: equal times settle
///   nothing, and keeping what is there makes the merge deterministic, so two analysts who
///   swap exports never trade their values and a second import changes nothing;
/// - a tie with the same content (disposition, note, seen, tags, assignee) counts as
///   unchanged.
///
/// A written record keeps the exported analyst and time (so an export imported into an
/// empty store gives the same records), and its history rows name the analyst
/// `import:<exported analyst>`, at the time of the import. Records dated more than
/// [`CLOCK_SKEW_MS`] after now are refused (nothing is written): they would win over every
/// change until then. Tags are trimmed.
pub(super) fn import<W: WriteTx>(mut w: W, records: &[Record]) -> Result<ImportSummary> {
    let mut summary = merge(&mut w, records, true)?;
    summary.revision = w.finish(summary.written > 0)?;
    Ok(summary)
}

/// Copies records (checked by [`check_import`]) and history entries from another store in
/// the transaction `w`: the records merge as an import's do, but without history rows of
/// their own, since the entries that made them are copied with their own times and
/// analysts (the caller gives only those the store lacks).
pub(super) fn copy_in<W: WriteTx>(
    mut w: W,
    records: &[Record],
    history: &[HistoryEntry],
) -> Result<ImportSummary> {
    let mut summary = merge(&mut w, records, false)?;
    for entry in history {
        w.copied_history(entry)?;
    }
    summary.revision = w.finish(summary.written > 0 || !history.is_empty())?;
    Ok(summary)
}

/// The record-by-record merge of [`import`]; `log`: write history rows for what changed.
fn merge<W: WriteTx>(w: &mut W, records: &[Record], log_changes: bool) -> Result<ImportSummary> {
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    w.prefetch(&ids)?;
    let mut summary = ImportSummary::default();
    for r in records {
        let id = r.id.as_str();
        let current = w.row(id)?;
        let tags = w.tags(id)?;
        let existing_at = match current {
            Some(_) => w.last_change(id)?.map(|(_, at)| at),
            None => None,
        };
        let incoming_at = r.changed_at.timestamp_millis();
        let row = Row {
            disposition: r.disposition,
            note: r.note.clone().filter(|n| !n.trim().is_empty()),
            seen: r.seen,
            assignee: r.assignee.clone(),
        };
        let before = current.clone().unwrap_or_else(Row::untouched);
        if existing_at == Some(incoming_at) && before == row && tags == r.tags {
            summary.unchanged += 1;
            continue;
        }
        if existing_at.is_some_and(|at| at >= incoming_at) {
            summary.kept_newer += 1;
            continue;
        }
        let analyst = format!("import:{}", r.changed_by);
        let mut field_changes = Vec::new();
        if before.disposition != row.disposition {
            field_changes.push(FieldChange::Disposition {
                id: id.to_string(),
                before: before.disposition,
                after: row.disposition,
            });
        }
        if before.note != row.note {
            field_changes.push(FieldChange::Note {
                id: id.to_string(),
                before: before.note.clone(),
                after: row.note.clone(),
            });
        }
        if before.seen != row.seen {
            field_changes.push(FieldChange::Seen {
                id: id.to_string(),
                before: before.seen,
                after: row.seen,
            });
        }
        if before.assignee != row.assignee {
            field_changes.push(FieldChange::Assignee {
                id: id.to_string(),
                before: before.assignee.clone(),
                after: row.assignee.clone(),
            });
        }
        w.put(id, row, &r.changed_by, incoming_at)?;
        for tag in tags.difference(&r.tags) {
            w.set_tag(id, tag, false)?;
            field_changes.push(FieldChange::Tag {
                id: id.to_string(),
                tag: tag.clone(),
                added: false,
            });
        }
        for tag in r.tags.difference(&tags) {
            w.set_tag(id, tag, true)?;
            field_changes.push(FieldChange::Tag {
                id: id.to_string(),
                tag: tag.clone(),
                added: true,
            });
        }
        if log_changes {
            for change in &field_changes {
                log(w, &analyst, change)?;
            }
        }
        summary.written += 1;
    }
    Ok(summary)
}

/// Claims for `analyst` the first of `candidates` (in their order: the view's) that is
/// neither triaged nor assigned, in the transaction `w`: one batched look-up of which are
/// taken, then the assignment and its history row. The transaction holds the store's
/// write lock from the look-up to the commit, so two analysts taking at once never get the
/// same cable. `None` (and nothing written) when every candidate is taken.
///
/// `likely_free`: the first free candidates as read just before the transaction (a server
/// backend reads them without holding the lock, while other analysts' takes commit). Under
/// the lock only these are checked, and the first still free is claimed; the whole search
/// runs under the lock only when all of them went meanwhile. A cable freed meanwhile
/// ahead of them waits for the next press.
pub(super) fn take_next<W: WriteTx>(
    mut w: W,
    analyst: &str,
    candidates: &[String],
    likely_free: &[String],
) -> Result<Option<Applied>> {
    let analyst = analyst.trim();
    // Looked up in slices, so a view of 250,000 cables is not one enormous query, and the
    // first free cable is usually in the first slice.
    const SLICE: usize = 1_000;
    // A blank id is no cable (and `apply` refuses one too).
    let candidates: Vec<String> = candidates
        .iter()
        .filter(|id| !id.trim().is_empty())
        .cloned()
        .collect();
    let mut free = None;
    if !likely_free.is_empty() {
        let taken = w.taken(likely_free)?;
        free = likely_free
            .iter()
            .find(|id| !taken.contains(id.as_str()))
            .cloned();
    }
    for slice in candidates.chunks(SLICE).take_while(|_| free.is_none()) {
        let taken = w.taken(slice)?;
        if let Some(id) = slice.iter().find(|id| !taken.contains(id.as_str())) {
            free = Some(id.clone());
            break;
        }
    }
    let Some(id) = free else {
        w.finish(false)?;
        return Ok(None);
    };
    let row = w.row(&id)?.unwrap_or_else(Row::untouched);
    w.put(
        &id,
        Row {
            assignee: Some(analyst.to_string()),
            ..row
        },
        analyst,
        w.now(),
    )?;
    let change = FieldChange::Assignee {
        id,
        before: None,
        after: Some(analyst.to_string()),
    };
    log(&mut w, analyst, &change)?;
    let revision = w.finish(true)?;
    Ok(Some(Applied {
        revision,
        changes: vec![change],
        conflicts: Vec::new(),
    }))
}
