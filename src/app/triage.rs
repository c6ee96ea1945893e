//! Triage in the app: dispositions, notes, seen marks, the analyst's tags, the selection, and
//! undo/redo.
//!
//! The store is the truth; the app keeps a mirror of its records for drawing and filtering.
//! A triage action changes the mirror at once (so the screen follows the key) and becomes one
//! [`Effect::Write`] for the store's thread; the changed cables show as unsaved until the
//! commit returns. A failed write puts the mirror back and says so: nothing is silently lost.
//! Undo applies the inverse of a committed action as a new action, so the history keeps both.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Action, App, Effect, Level, Mode, PromptKind};
use crate::store::{ActionRecord, Applied, Change, Disposition, Record};

/// Where the cursor goes after a disposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Advance {
    /// The next cable of the list.
    Next,
    /// The next cable of the list that is still untriaged.
    #[default]
    NextUntriaged,
    /// The cursor stays.
    Stay,
}

impl std::fmt::Display for Advance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Advance::Next => "next",
            Advance::NextUntriaged => "next-untriaged",
            Advance::Stay => "stay",
        })
    }
}

impl std::str::FromStr for Advance {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "next" => Ok(Advance::Next),
            "next-untriaged" => Ok(Advance::NextUntriaged),
            "stay" => Ok(Advance::Stay),
            other => Err(format!(
                "unknown cursor move {other:?}: use next, next-untriaged or stay"
            )),
        }
    }
}

/// What a pending write is, for what to do when it commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    Normal,
    Undo,
    Redo,
}

#[derive(Debug)]
struct PendingWrite {
    kind: WriteKind,
    /// The mirror's records of the changed cables before the change, to put back on failure.
    before: Vec<(String, Option<Record>)>,
}

/// The triage side of the state.
#[derive(Debug, Default)]
pub struct Triage {
    /// The store's records by canonical cable id (shared with filter jobs).
    pub records: Arc<HashMap<String, Record>>,
    /// Selected entries.
    pub selection: BTreeSet<u32>,
    /// The entry a range selection extends from.
    pub anchor: Option<u32>,
    pub advance: Advance,
    pub analyst: String,
    /// Cables with a change not yet committed, with how many writes touch them.
    pub unsaved: HashMap<String, usize>,
    writes: HashMap<u64, PendingWrite>,
    next_write: u64,
    undo: Vec<Applied>,
    redo: Vec<Applied>,
    /// The analyst's tags by use, most used first (for completion and quick toggles).
    pub tags_in_use: Vec<(String, usize)>,
    /// Why the store cannot be written, when it cannot (read-only, failed to open).
    pub read_only: Option<String>,
    /// The store's revision the mirror has seen.
    pub revision: i64,
}

impl Triage {
    pub fn record(&self, id: &str) -> Option<&Record> {
        self.records.get(id)
    }

    pub fn disposition(&self, id: &str) -> Disposition {
        self.records
            .get(id)
            .map_or(Disposition::Untriaged, |r| r.disposition)
    }

    pub fn is_seen(&self, id: &str) -> bool {
        self.records.get(id).is_some_and(|r| r.seen)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Replaces the mirror with the store's records (at start-up).
    pub fn load(&mut self, records: Vec<Record>, revision: i64) {
        self.records = Arc::new(records.into_iter().map(|r| (r.id.clone(), r)).collect());
        self.revision = revision;
        self.recount_tags();
    }

    /// Takes records another instance changed; ours still unsaved win until they commit.
    pub fn merge(&mut self, records: Vec<Record>, revision: i64) -> usize {
        let mut changed = 0;
        let map = Arc::make_mut(&mut self.records);
        for r in records {
            if self.unsaved.contains_key(&r.id) {
                continue;
            }
            if map.get(&r.id).is_none_or(|old| !old.same_content(&r)) {
                changed += 1;
            }
            map.insert(r.id.clone(), r);
        }
        self.revision = self.revision.max(revision);
        self.recount_tags();
        changed
    }

    fn recount_tags(&mut self) {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for r in self.records.values() {
            for t in &r.tags {
                *counts.entry(t).or_default() += 1;
            }
        }
        let mut list: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.tags_in_use = list;
    }
}

/// The mirror's view of applying `change` to `record`.
fn applied_locally(record: Option<&Record>, id: &str, change: &Change, analyst: &str) -> Record {
    let mut r = record.cloned().unwrap_or_else(|| Record::blank(id));
    match change {
        Change::SetDisposition { disposition, note } => {
            r.disposition = *disposition;
            r.note = note.clone();
        }
        Change::SetSeen { seen } => r.seen = *seen,
        Change::AddTag { tag } => {
            r.tags.insert(tag.clone());
        }
        Change::RemoveTag { tag } => {
            r.tags.remove(tag);
        }
    }
    r.changed_by = analyst.to_string();
    r.changed_at = chrono::Utc::now();
    r
}

impl App {
    /// The cables an action applies to: the selection, else the cable under the cursor (or
    /// the one being read).
    fn targets(&self) -> Vec<u32> {
        if !self.triage.selection.is_empty() {
            return self.triage.selection.iter().copied().collect();
        }
        let current = match self.mode {
            Mode::Reading => self.reading.as_ref().map(|r| r.index),
            _ => self.table.current(),
        };
        current.into_iter().collect()
    }

    fn target_ids(&self) -> Vec<String> {
        self.targets()
            .into_iter()
            .filter_map(|i| self.corpus.get(i).map(|e| e.id.to_string()))
            .filter(|id| !id.is_empty())
            .collect()
    }

    /// Triage actions: `None` when `action` is not one.
    pub(super) fn act_triage(&mut self, action: Action) -> Option<Vec<Effect>> {
        use Action as A;
        let disposition = match action {
            A::MarkActioned => Some(Disposition::Actioned),
            A::MarkFollowUp => Some(Disposition::FollowUp),
            A::MarkForwarded => Some(Disposition::Forwarded),
            A::MarkNoAction => Some(Disposition::NoAction),
            A::MarkUntriaged => Some(Disposition::Untriaged),
            _ => None,
        };
        if let Some(d) = disposition {
            let ids = self.target_ids();
            let bulk = ids.len() > 1;
            let notes: Vec<Option<String>> = ids
                .iter()
                .map(|id| self.triage.record(id).and_then(|r| r.note.clone()))
                .collect();
            let mut record = ActionRecord::new(self.triage.analyst.clone());
            for (id, note) in ids.iter().zip(notes) {
                // A new disposition keeps a note already written on the cable.
                record = record.with(
                    id.clone(),
                    Change::SetDisposition {
                        disposition: d,
                        note,
                    },
                );
            }
            let effects = self.write(record, WriteKind::Normal);
            if !effects.is_empty() {
                let n = ids.len();
                self.say(
                    format!("{n} cable{} {}", if n == 1 { "" } else { "s" }, d.as_str()),
                    Level::Info,
                );
                if bulk {
                    self.triage.selection.clear();
                } else if self.advance_after_disposition() && self.mode == Mode::Reading {
                    // Reading on: the next cable opens in place.
                    let mut effects = effects;
                    effects.extend(self.open_cursor());
                    return Some(effects);
                }
            }
            return Some(effects);
        }
        let effects = match action {
            A::Note => {
                if self.target_ids().is_empty() {
                    self.say("no cable to write a note on", Level::Info);
                } else {
                    self.open_prompt(PromptKind::Note);
                }
                Vec::new()
            }
            A::Tag => {
                if self.target_ids().is_empty() {
                    self.say("no cable to tag", Level::Info);
                } else {
                    self.open_prompt(PromptKind::Tag);
                }
                Vec::new()
            }
            A::ToggleSeen => {
                let ids = self.target_ids();
                let seen = !ids.iter().all(|id| self.triage.is_seen(id));
                let mut record = ActionRecord::new(self.triage.analyst.clone());
                for id in ids {
                    record = record.with(id, Change::SetSeen { seen });
                }
                self.write(record, WriteKind::Normal)
            }
            A::ToggleTag1 | A::ToggleTag2 | A::ToggleTag3 => {
                let n = match action {
                    A::ToggleTag1 => 0,
                    A::ToggleTag2 => 1,
                    _ => 2,
                };
                match self.triage.tags_in_use.get(n).map(|(t, _)| t.clone()) {
                    Some(tag) => self.toggle_tag(&tag),
                    None => {
                        self.say(
                            format!("you have used fewer than {} tags", n + 1),
                            Level::Info,
                        );
                        Vec::new()
                    }
                }
            }
            A::SelectToggle => {
                if let Some(i) = self.table.current() {
                    if !self.triage.selection.remove(&i) {
                        self.triage.selection.insert(i);
                    }
                    self.triage.anchor = Some(i);
                    let rows = self.table_rows();
                    self.table.move_by(1, rows);
                }
                Vec::new()
            }
            A::SelectExtend => {
                let Some(current) = self.table.current() else {
                    return Some(Vec::new());
                };
                let from = self
                    .triage
                    .anchor
                    .and_then(|a| self.table.shown.iter().position(|&i| i == a))
                    .unwrap_or(self.table.cursor);
                let (lo, hi) = if from <= self.table.cursor {
                    (from, self.table.cursor)
                } else {
                    (self.table.cursor, from)
                };
                self.triage
                    .selection
                    .extend(self.table.shown[lo..=hi].iter().copied());
                self.triage.anchor = Some(current);
                Vec::new()
            }
            A::SelectAll => {
                self.triage
                    .selection
                    .extend(self.table.shown.iter().copied());
                let n = self.triage.selection.len();
                self.say(format!("{n} selected"), Level::Info);
                Vec::new()
            }
            A::SelectNone => {
                self.triage.selection.clear();
                self.triage.anchor = None;
                Vec::new()
            }
            A::Undo => match self.triage.undo.pop() {
                Some(applied) => {
                    let inverse = applied.inverse(self.triage.analyst.clone());
                    let effects = self.write(inverse, WriteKind::Undo);
                    if effects.is_empty() {
                        self.triage.undo.push(applied);
                    }
                    effects
                }
                None => {
                    let why = if self.triage.writes.is_empty() {
                        "nothing to undo"
                    } else {
                        "nothing to undo yet: the last action is still being saved"
                    };
                    self.say(why, Level::Info);
                    Vec::new()
                }
            },
            A::Redo => match self.triage.redo.pop() {
                Some(applied) => {
                    let inverse = applied.inverse(self.triage.analyst.clone());
                    let effects = self.write(inverse, WriteKind::Redo);
                    if effects.is_empty() {
                        self.triage.redo.push(applied);
                    }
                    effects
                }
                None => {
                    self.say("nothing to redo", Level::Info);
                    Vec::new()
                }
            },
            _ => return None,
        };
        Some(effects)
    }

    pub(super) fn toggle_tag(&mut self, tag: &str) -> Vec<Effect> {
        let ids = self.target_ids();
        let all_have = ids
            .iter()
            .all(|id| self.triage.record(id).is_some_and(|r| r.tags.contains(tag)));
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        for id in ids {
            let change = if all_have {
                Change::RemoveTag {
                    tag: tag.to_string(),
                }
            } else {
                Change::AddTag {
                    tag: tag.to_string(),
                }
            };
            record = record.with(id, change);
        }
        self.write(record, WriteKind::Normal)
    }

    /// The note prompt's text: set on the targets, keeping their dispositions.
    pub(super) fn set_note(&mut self, note: &str) -> Vec<Effect> {
        let note = (!note.trim().is_empty()).then(|| note.trim().to_string());
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        for id in self.target_ids() {
            let disposition = self.triage.disposition(&id);
            record = record.with(
                id,
                Change::SetDisposition {
                    disposition,
                    note: note.clone(),
                },
            );
        }
        self.write(record, WriteKind::Normal)
    }

    /// The tag prompt's text: `name` toggles, `+name` adds, `-name` removes; several may be
    /// given, separated by spaces.
    pub(super) fn apply_tag_text(&mut self, text: &str) -> Vec<Effect> {
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        let ids = self.target_ids();
        for word in text.split_whitespace() {
            let (add, tag) = match word.as_bytes()[0] {
                b'+' => (Some(true), &word[1..]),
                b'-' => (Some(false), &word[1..]),
                _ => (None, word),
            };
            if tag.is_empty() {
                continue;
            }
            let add = add.unwrap_or_else(|| {
                !ids.iter()
                    .all(|id| self.triage.record(id).is_some_and(|r| r.tags.contains(tag)))
            });
            for id in &ids {
                let change = if add {
                    Change::AddTag {
                        tag: tag.to_string(),
                    }
                } else {
                    Change::RemoveTag {
                        tag: tag.to_string(),
                    }
                };
                record = record.with(id.clone(), change);
            }
        }
        self.write(record, WriteKind::Normal)
    }

    /// Marks the cable being opened as seen (opening is reading).
    pub(super) fn mark_seen(&mut self, index: u32) -> Vec<Effect> {
        let Some(id) = self.corpus.get(index).map(|e| e.id.to_string()) else {
            return Vec::new();
        };
        if id.is_empty() || self.triage.is_seen(&id) || self.triage.read_only.is_some() {
            return Vec::new();
        }
        let record =
            ActionRecord::new(self.triage.analyst.clone()).with(id, Change::SetSeen { seen: true });
        self.write(record, WriteKind::Normal)
    }

    /// Applies an action to the mirror and sends it to the store.
    fn write(&mut self, action: ActionRecord, kind: WriteKind) -> Vec<Effect> {
        if action.changes.is_empty() {
            self.say("no cable to apply that to", Level::Info);
            return Vec::new();
        }
        if let Some(why) = &self.triage.read_only {
            let why = format!("not recorded: {why}");
            self.say(why, Level::Error);
            return Vec::new();
        }
        let mut before: Vec<(String, Option<Record>)> = Vec::new();
        let mut noted: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let analyst = self.triage.analyst.clone();
        let map = Arc::make_mut(&mut self.triage.records);
        for c in &action.changes {
            if noted.insert(&c.id) {
                before.push((c.id.clone(), map.get(&c.id).cloned()));
            }
            let updated = applied_locally(map.get(&c.id), &c.id, &c.change, &analyst);
            map.insert(c.id.clone(), updated);
        }
        for (id, _) in &before {
            *self.triage.unsaved.entry(id.clone()).or_default() += 1;
        }
        let write = self.triage.next_write;
        self.triage.next_write += 1;
        self.triage
            .writes
            .insert(write, PendingWrite { kind, before });
        if kind == WriteKind::Normal {
            self.triage.redo.clear();
        }
        self.triage.recount_tags();
        vec![Effect::Write { write, action }]
    }

    /// A write came back from the store.
    pub(super) fn written(&mut self, write: u64, result: Result<Applied, String>) {
        let Some(pending) = self.triage.writes.remove(&write) else {
            return;
        };
        for (id, _) in &pending.before {
            if let Some(n) = self.triage.unsaved.get_mut(id) {
                *n -= 1;
                if *n == 0 {
                    self.triage.unsaved.remove(id);
                }
            }
        }
        match result {
            Ok(applied) => {
                self.triage.revision = self.triage.revision.max(applied.revision);
                if applied.is_empty() {
                    return;
                }
                match pending.kind {
                    WriteKind::Normal | WriteKind::Redo => self.triage.undo.push(applied),
                    WriteKind::Undo => self.triage.redo.push(applied),
                }
            }
            Err(e) => {
                // Put the mirror back as the store has it, and say so.
                let map = Arc::make_mut(&mut self.triage.records);
                for (id, old) in pending.before {
                    match old {
                        Some(r) => map.insert(id, r),
                        None => map.remove(&id),
                    };
                }
                self.triage.recount_tags();
                self.say(format!("NOT SAVED: {e}"), Level::Error);
            }
        }
    }

    /// Moves the cursor as the analyst set it; whether it moved.
    fn advance_after_disposition(&mut self) -> bool {
        let rows = self.table_rows();
        let before = self.table.cursor;
        match self.triage.advance {
            Advance::Stay => {}
            Advance::Next => self.table.move_by(1, rows),
            Advance::NextUntriaged => {
                let from = (self.table.cursor + 1).min(self.table.shown.len());
                let next = self.table.shown[from..].iter().position(|&i| {
                    self.corpus
                        .get(i)
                        .is_some_and(|e| self.triage.disposition(&e.id) == Disposition::Untriaged)
                });
                match next {
                    Some(k) => self.table.set_cursor(from + k, rows),
                    None => self.table.move_by(1, rows),
                }
            }
        }
        self.table.cursor != before
    }

    /// Untriaged cables of the corpus: all less those with another disposition, counted
    /// over the records (few) rather than the cables (many).
    pub fn untriaged_count(&self) -> usize {
        let triaged = self
            .triage
            .records
            .values()
            .filter(|r| {
                r.disposition != Disposition::Untriaged && self.corpus.find_id(&r.id).is_some()
            })
            .count();
        self.corpus.len().saturating_sub(triaged)
    }
}
