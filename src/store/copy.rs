//! Moving a store: `cabletriage store copy FROM TO` copies every record and the whole
//! history between any two stores (SQLite to PostgreSQL or back).
//!
//! The copy is safe to run again, and to run after it was cut off (the server went away, the
//! process was killed): it goes in batches, each one transaction of the target
//! ([`TriageStore::copy_in`]); records merge by time as an import's do (a record already
//! there with the same time and content is unchanged), and only the history entries the
//! target lacks are appended: entries are matched by what they say (time, analyst, cable,
//! field, from, to), counted, so an entry made twice is copied twice. At the end the target
//! is read again and checked against the source ([`verify`]).

use std::collections::HashMap;

use super::TriageStore;
use super::error::Result;
use super::record::{HistoryEntry, ImportSummary, Record};

/// Records per transaction.
const RECORD_BATCH: usize = 5_000;
/// History entries per transaction.
const HISTORY_BATCH: usize = 20_000;

/// What a copy did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopySummary {
    /// The source's records, and what became of them in the target.
    pub records: usize,
    pub written: usize,
    pub unchanged: usize,
    pub kept_newer: usize,
    /// The source's history entries: appended now, or already in the target.
    pub history: usize,
    pub history_added: usize,
    pub history_present: usize,
}

/// How far a copy is, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyProgress {
    Records { done: usize, of: usize },
    History { done: usize, of: usize },
}

/// What identifies a history entry across stores (its sequence number and revision are
/// each store's own).
type EntryKey = (i64, String, String, String, Option<String>, Option<String>);

fn key(e: &HistoryEntry) -> EntryKey {
    (
        e.at.timestamp_millis(),
        e.analyst.clone(),
        e.id.clone(),
        e.field.clone(),
        e.from.clone(),
        e.to.clone(),
    )
}

/// Copies `from` into `to`; see the module comment.
pub fn copy(
    from: &dyn TriageStore,
    to: &mut dyn TriageStore,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<CopySummary> {
    let (records, _) = from.snapshot()?;
    let history = from.history(None, usize::MAX)?;
    let mut summary = CopySummary {
        records: records.len(),
        history: history.len(),
        ..CopySummary::default()
    };
    for (n, batch) in records.chunks(RECORD_BATCH).enumerate() {
        let done: ImportSummary = to.copy_in(batch, &[])?;
        summary.written += done.written;
        summary.unchanged += done.unchanged;
        summary.kept_newer += done.kept_newer;
        progress(CopyProgress::Records {
            done: (n * RECORD_BATCH + batch.len()).min(records.len()),
            of: records.len(),
        });
    }
    let missing = missing_entries(&history, &to.history(None, usize::MAX)?);
    summary.history_present = history.len() - missing.len();
    for (n, batch) in missing.chunks(HISTORY_BATCH).enumerate() {
        to.copy_in(&[], batch)?;
        summary.history_added += batch.len();
        progress(CopyProgress::History {
            done: n * HISTORY_BATCH + batch.len(),
            of: missing.len(),
        });
    }
    Ok(summary)
}

/// The entries of `source` that `target` lacks, counting repeats, in the source's order.
fn missing_entries(source: &[HistoryEntry], target: &[HistoryEntry]) -> Vec<HistoryEntry> {
    let mut have: HashMap<EntryKey, usize> = HashMap::new();
    for e in target {
        *have.entry(key(e)).or_default() += 1;
    }
    source
        .iter()
        .filter(|e| match have.get_mut(&key(e)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Records or history entries of the source that the target lacks or holds otherwise.
    pub missing: Vec<String>,
    /// Records the target changed after the source did, kept as the merge keeps them.
    pub kept_newer: Vec<String>,
}

/// Reads both stores again and compares: every record of `from` must be in `to` with the
/// same content (unless the target's is newer), and every history entry too.
pub fn verify(from: &dyn TriageStore, to: &dyn TriageStore) -> Result<Verification> {
    let (source, _) = from.snapshot()?;
    let (target, _) = to.snapshot()?;
    let target: HashMap<&str, &Record> = target.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut found = Verification::default();
    for r in &source {
        match target.get(r.id.as_str()) {
            None => found
                .missing
                .push(format!("{}: no record in the target", r.id)),
            Some(t) if t.same_content(r) => {}
            Some(t) if t.changed_at > r.changed_at => found.kept_newer.push(format!(
                "{}: the target's record is newer ({} by {}) and was kept",
                r.id,
                t.changed_at.to_rfc3339(),
                t.changed_by
            )),
            Some(_) => found
                .missing
                .push(format!("{}: the target's record differs", r.id)),
        }
    }
    let missing = missing_entries(
        &from.history(None, usize::MAX)?,
        &to.history(None, usize::MAX)?,
    );
    if !missing.is_empty() {
        found.missing.push(format!(
            "{} history entries are not in the target",
            missing.len()
        ));
    }
    Ok(found)
}
