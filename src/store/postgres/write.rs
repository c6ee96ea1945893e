//! The PostgreSQL side of a write: one transaction holding the revision counter's row lock,
//! through which [`crate::store::write`] applies an action or an import.
//!
//! A round trip to the server costs far more than a SQLite call, so the transaction reads
//! every record an action names in one query ([`WriteTx::prefetch`]), keeps the changes in
//! memory, and writes them at commit in a few array statements (`UNNEST`): a bulk action on
//! 50,000 cables is a handful of round trips, not 150,000.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::Utc;
use postgres::Transaction;

use super::connect::server_error;
use super::schema::CHANNEL;
use crate::store::error::{Result, StoreError, StoreErrorKind};
use crate::store::record::HistoryEntry;
use crate::store::sqlite::parse_disposition;
use crate::store::write::{Row, WriteTx};

/// What the transaction knows of one record: its row, its tags, who changed it last.
#[derive(Debug, Clone)]
struct Known {
    row: Row,
    tags: BTreeSet<String>,
    last: (String, i64),
}

/// One history row to write.
struct HistoryRow {
    at: i64,
    analyst: String,
    id: String,
    field: String,
    from: Option<String>,
    to: Option<String>,
}

pub(super) struct PgWriter<'a> {
    tx: Transaction<'a>,
    location: &'a Path,
    revision: i64,
    now: i64,
    /// Records read or written in this transaction; `None`: the cable has no record.
    known: HashMap<String, Option<Known>>,
    /// Records to write at commit, by id (the last write of a record wins).
    puts: HashMap<String, (Row, String, i64)>,
    /// Tag changes in order: (id, tag, present).
    tag_changes: Vec<(String, String, bool)>,
    /// History rows in order.
    history: Vec<HistoryRow>,
    /// The analysts of this action, for the `changes` row.
    analysts: BTreeSet<String>,
}

impl<'a> PgWriter<'a> {
    /// Begins the transaction and takes the revision counter's row lock: writers queue here.
    pub(super) fn begin(client: &'a mut postgres::Client, location: &'a Path) -> Result<Self> {
        let err = |e: postgres::Error| server_error(location, "lock the store", &e);
        let mut tx = client.transaction().map_err(err)?;
        let current: i64 = tx
            .query_one(
                "SELECT value FROM counters WHERE name = 'revision' FOR UPDATE",
                &[],
            )
            .map_err(err)?
            .get(0);
        Ok(PgWriter {
            tx,
            location,
            revision: current + 1,
            now: Utc::now().timestamp_millis(),
            known: HashMap::new(),
            puts: HashMap::new(),
            tag_changes: Vec::new(),
            history: Vec::new(),
            analysts: BTreeSet::new(),
        })
    }

    fn err(&self, doing: &'static str, e: postgres::Error) -> StoreError {
        server_error(self.location, doing, &e)
    }

    /// Reads the records of `ids` not known yet, in one query.
    fn load(&mut self, ids: &[&str]) -> Result<()> {
        let missing: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !self.known.contains_key(*id))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let doing = "read the records";
        let rows = self
            .tx
            .query(
                "SELECT r.id, r.disposition, r.note, r.seen, r.changed_by, r.changed_at,
                        COALESCE((SELECT array_agg(t.tag) FROM record_tags t WHERE t.id = r.id),
                                 '{}'),
                        r.assignee
                 FROM records r WHERE r.id = ANY($1)",
                &[&missing],
            )
            .map_err(|e| self.err(doing, e))?;
        for id in &missing {
            self.known.insert((*id).to_string(), None);
        }
        for row in rows {
            let id: String = row.get(0);
            let disposition: String = row.get(1);
            let known = Known {
                row: Row {
                    disposition: parse_disposition(self.location, &id, &disposition)?,
                    note: row.get(2),
                    seen: row.get(3),
                    assignee: row.get(7),
                },
                last: (row.get(4), row.get(5)),
                tags: row.get::<_, Vec<String>>(6).into_iter().collect(),
            };
            self.known.insert(id, Some(known));
        }
        Ok(())
    }

    fn known(&mut self, id: &str) -> Result<Option<&mut Known>> {
        self.load(&[id])?;
        Ok(self.known.get_mut(id).and_then(Option::as_mut))
    }
}

impl WriteTx for PgWriter<'_> {
    fn now(&self) -> i64 {
        self.now
    }

    fn prefetch(&mut self, ids: &[&str]) -> Result<()> {
        // In slices, so one query's parameter stays a reasonable size.
        for chunk in ids.chunks(10_000) {
            self.load(chunk)?;
        }
        Ok(())
    }

    fn taken(&mut self, ids: &[String]) -> Result<HashSet<String>> {
        let is_taken = |row: &Row| {
            row.disposition != crate::store::record::Disposition::Untriaged
                || row.assignee.is_some()
        };
        if ids.len() <= 64 {
            // A few (take-next's likely free ones): read whole, so that claiming one needs
            // no second look-up under the lock.
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            self.load(&refs)?;
            return Ok(ids
                .iter()
                .filter(|id| {
                    self.known
                        .get(id.as_str())
                        .and_then(Option::as_ref)
                        .is_some_and(|k| is_taken(&k.row))
                })
                .cloned()
                .collect());
        }
        // Many: only the ids of those taken come back, not whole records.
        let rows = self
            .tx
            .query(
                "SELECT id FROM records WHERE id = ANY($1)
                   AND (disposition <> 'untriaged' OR assignee IS NOT NULL)",
                &[&ids],
            )
            .map_err(|e| self.err("find the cables taken", e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn row(&mut self, id: &str) -> Result<Option<Row>> {
        Ok(self.known(id)?.map(|k| k.row.clone()))
    }

    fn last_change(&mut self, id: &str) -> Result<Option<(String, i64)>> {
        Ok(self.known(id)?.map(|k| k.last.clone()))
    }

    fn has_tag(&mut self, id: &str, tag: &str) -> Result<bool> {
        Ok(self.known(id)?.is_some_and(|k| k.tags.contains(tag)))
    }

    fn tags(&mut self, id: &str) -> Result<BTreeSet<String>> {
        Ok(self.known(id)?.map(|k| k.tags.clone()).unwrap_or_default())
    }

    fn put(&mut self, id: &str, row: Row, by: &str, at: i64) -> Result<()> {
        self.load(&[id])?;
        let entry = self.known.entry(id.to_string()).or_insert(None);
        match entry {
            Some(known) => {
                known.row = row.clone();
                known.last = (by.to_string(), at);
            }
            None => {
                *entry = Some(Known {
                    row: row.clone(),
                    tags: BTreeSet::new(),
                    last: (by.to_string(), at),
                });
            }
        }
        self.puts.insert(id.to_string(), (row, by.to_string(), at));
        Ok(())
    }

    fn set_tag(&mut self, id: &str, tag: &str, present: bool) -> Result<()> {
        if let Some(known) = self.known(id)? {
            if present {
                known.tags.insert(tag.to_string());
            } else {
                known.tags.remove(tag);
            }
        }
        self.tag_changes
            .push((id.to_string(), tag.to_string(), present));
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
        self.analysts.insert(analyst.to_string());
        self.history.push(HistoryRow {
            at: self.now,
            analyst: analyst.to_string(),
            id: id.to_string(),
            field: field.to_string(),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
        });
        Ok(())
    }

    fn copied_history(&mut self, entry: &HistoryEntry) -> Result<()> {
        self.analysts.insert(entry.analyst.clone());
        self.history.push(HistoryRow {
            at: entry.at.timestamp_millis(),
            analyst: entry.analyst.clone(),
            id: entry.id.clone(),
            field: entry.field.clone(),
            from: entry.from.clone(),
            to: entry.to.clone(),
        });
        Ok(())
    }

    fn finish(mut self, changed: bool) -> Result<i64> {
        let doing = "commit";
        if !changed {
            let current = self.revision - 1;
            self.tx
                .rollback()
                .map_err(|e| server_error(self.location, doing, &e))?;
            return Ok(current);
        }
        let revision = self.revision;
        let location = self.location;
        // Borrowed field by field, so the transaction stays free to run it.
        let statement = WriteAll::of(&self.puts, &self.tag_changes, &self.history, &self.analysts);
        statement
            .run(&mut self.tx, revision, self.now)
            .map_err(|e| server_error(location, "write the action", &e))?;
        self.tx
            .commit()
            .map_err(|e| server_error(location, doing, &e))?;
        Ok(revision)
    }
}

/// Everything an action writes, as the arrays of one statement: records, tags, history,
/// the `changes` row, the revision and the notification go to the server in one round trip
/// (a statement of data-modifying `WITH` clauses), so the revision's lock is held for as
/// short a time as can be.
struct WriteAll<'w> {
    ids: Vec<&'w str>,
    dispositions: Vec<&'static str>,
    notes: Vec<Option<&'w str>>,
    seens: Vec<bool>,
    assignees: Vec<Option<&'w str>>,
    bys: Vec<&'w str>,
    ats: Vec<i64>,
    untag_ids: Vec<&'w str>,
    untag_tags: Vec<&'w str>,
    tag_ids: Vec<&'w str>,
    tag_tags: Vec<&'w str>,
    history_ats: Vec<i64>,
    history_analysts: Vec<&'w str>,
    history_ids: Vec<&'w str>,
    history_fields: Vec<&'w str>,
    history_from: Vec<Option<&'w str>>,
    history_to: Vec<Option<&'w str>>,
    analysts: String,
    cables: i32,
}

impl<'w> WriteAll<'w> {
    fn of(
        puts: &'w HashMap<String, (Row, String, i64)>,
        tag_changes: &'w [(String, String, bool)],
        history: &'w [HistoryRow],
        analysts: &'w BTreeSet<String>,
    ) -> WriteAll<'w> {
        let mut all = WriteAll {
            ids: Vec::new(),
            dispositions: Vec::new(),
            notes: Vec::new(),
            seens: Vec::new(),
            assignees: Vec::new(),
            bys: Vec::new(),
            ats: Vec::new(),
            untag_ids: Vec::new(),
            untag_tags: Vec::new(),
            tag_ids: Vec::new(),
            tag_tags: Vec::new(),
            history_ats: Vec::new(),
            history_analysts: Vec::new(),
            history_ids: Vec::new(),
            history_fields: Vec::new(),
            history_from: Vec::new(),
            history_to: Vec::new(),
            analysts: analysts
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            cables: i32::try_from(puts.len()).unwrap_or(i32::MAX),
        };
        for (id, (row, by, at)) in puts {
            all.ids.push(id);
            all.dispositions.push(row.disposition.as_str());
            all.notes.push(row.note.as_deref());
            all.seens.push(row.seen);
            all.assignees.push(row.assignee.as_deref());
            all.bys.push(by);
            all.ats.push(*at);
        }
        // The last change of each (cable, tag) decides.
        let mut last: HashMap<(&str, &str), bool> = HashMap::new();
        for (id, tag, present) in tag_changes {
            last.insert((id.as_str(), tag.as_str()), *present);
        }
        for ((id, tag), present) in last {
            if present {
                all.tag_ids.push(id);
                all.tag_tags.push(tag);
            } else {
                all.untag_ids.push(id);
                all.untag_tags.push(tag);
            }
        }
        for h in history {
            all.history_ats.push(h.at);
            all.history_analysts.push(&h.analyst);
            all.history_ids.push(&h.id);
            all.history_fields.push(&h.field);
            all.history_from.push(h.from.as_deref());
            all.history_to.push(h.to.as_deref());
        }
        all
    }

    fn run(
        &self,
        tx: &mut Transaction<'_>,
        revision: i64,
        now: i64,
    ) -> std::result::Result<(), postgres::Error> {
        tx.execute(
            "WITH written AS (
                INSERT INTO records
                    (id, disposition, note, seen, assignee, changed_by, changed_at, revision)
                SELECT u.id, u.disposition, u.note, u.seen, u.assignee, u.changed_by,
                       u.changed_at, $8
                FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[],
                            $6::text[], $7::int8[])
                     AS u(id, disposition, note, seen, assignee, changed_by, changed_at)
                ON CONFLICT (id) DO UPDATE SET
                    disposition = excluded.disposition, note = excluded.note,
                    seen = excluded.seen, assignee = excluded.assignee,
                    changed_by = excluded.changed_by, changed_at = excluded.changed_at,
                    revision = excluded.revision
                RETURNING 1
             ), untagged AS (
                DELETE FROM record_tags t USING UNNEST($9::text[], $10::text[]) AS u(id, tag)
                WHERE t.id = u.id AND t.tag = u.tag
                RETURNING 1
             ), tagged AS (
                INSERT INTO record_tags (id, tag)
                SELECT * FROM UNNEST($11::text[], $12::text[]) ON CONFLICT DO NOTHING
                RETURNING 1
             ), logged AS (
                INSERT INTO history (at, analyst, cable_id, field, old, new, revision)
                SELECT h.at, h.analyst, h.cable_id, h.field, h.old, h.new, $8
                FROM UNNEST($13::int8[], $14::text[], $15::text[], $16::text[], $17::text[],
                            $18::text[])
                     WITH ORDINALITY AS h(at, analyst, cable_id, field, old, new, n)
                ORDER BY h.n
                RETURNING 1
             ), noted AS (
                INSERT INTO changes (revision, at, analyst, cables) VALUES ($8, $19, $20, $21)
                RETURNING 1
             ), counted AS (
                UPDATE counters SET value = $8 WHERE name = 'revision'
                RETURNING 1
             )
             -- Delivered to every listener when (and only if) the transaction commits.
             SELECT pg_notify($22, $8::text)",
            &[
                &self.ids,
                &self.dispositions,
                &self.notes,
                &self.seens,
                &self.assignees,
                &self.bys,
                &self.ats,
                &revision,
                &self.untag_ids,
                &self.untag_tags,
                &self.tag_ids,
                &self.tag_tags,
                &self.history_ats,
                &self.history_analysts,
                &self.history_ids,
                &self.history_fields,
                &self.history_from,
                &self.history_to,
                &now,
                &self.analysts,
                &self.cables,
                &CHANNEL,
            ],
        )?;
        Ok(())
    }
}

/// A store opened read-only refuses to begin a write.
pub(super) fn read_only_error(location: &Path) -> StoreError {
    StoreError::new(
        location,
        StoreErrorKind::ReadOnly {
            detail: "it was opened read-only".into(),
        },
    )
}
