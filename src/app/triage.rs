//! Triage in the app: dispositions, notes, seen marks, the analyst's tags, the selection, and
//! undo/redo.
//!
//! The store is the truth. The app keeps what the store last said (`confirmed`) and, on top
//! of it, the writes not yet committed; the mirror drawn and filtered (`records`) is always
//! the first with the second applied, so a write that fails, a change from another analyst
//! or a reopened store never erases a later pending change.
//!
//! The rules that keep triage where the analyst put it:
//! - an action applies to what the analyst sees: the cable being read, else the selected
//!   cables the filter shows, else the cable under the cursor; selected cables the filter
//!   hides are touched only when the analyst says so;
//! - each change names one field, and carries what the analyst saw in it; the store writes
//!   it only when the field still holds that, and otherwise reports a [`Conflict`] and
//!   writes nothing of the action, so nobody's change is overwritten unawares;
//! - undo and redo are such changes too: they put a field back only when it still holds
//!   what the action wrote, and otherwise say whose change it was and offer the rest;
//! - the last action is an undo step from the key press on, committed or not; seen marks
//!   set by opening a cable are not undo steps.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::{Action, App, Confirm, Deferred, Effect, Level, Mode, PromptKind, plural};
use crate::store::{
    ActionRecord, Applied, Change, Conflict, Disposition, Expect, FieldChange, Record,
};

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

/// What a write is, for what to do when it commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// An analyst's action: one undo step.
    Normal,
    /// The seen mark of opening a cable: not an undo step.
    Seen,
    Undo,
    Redo,
}

/// One action that can be undone: what it changed, field by field, and how to say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub label: String,
    pub changes: Vec<FieldChange>,
    /// The write that carries it while it is not committed yet.
    write: Option<u64>,
}

impl Step {
    /// The action that undoes this step, conditional on each field still holding what the
    /// step wrote.
    fn inverse(&self, analyst: &str) -> ActionRecord {
        Applied {
            revision: 0,
            changes: self.changes.clone(),
            conflicts: Vec::new(),
        }
        .inverse(analyst)
    }
}

#[derive(Debug)]
struct PendingWrite {
    kind: WriteKind,
    action: ActionRecord,
    label: String,
    /// For undo and redo: the step undone or redone.
    step: Option<Step>,
}

/// The triage side of the state.
#[derive(Debug, Default)]
pub struct Triage {
    /// The mirror: the store's records with the pending writes applied, by canonical cable
    /// id (shared with filter jobs).
    pub records: Arc<HashMap<String, Record>>,
    /// The records as the store last reported them.
    confirmed: HashMap<String, Record>,
    /// Selected entries.
    pub selection: BTreeSet<u32>,
    /// The entry a range selection extends from.
    pub anchor: Option<u32>,
    pub advance: Advance,
    pub analyst: String,
    /// Cables with a change not yet committed, with how many writes touch them.
    pub unsaved: HashMap<String, usize>,
    writes: BTreeMap<u64, PendingWrite>,
    next_write: u64,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The analyst's tags by use, most used first (for completion and quick toggles).
    pub tags_in_use: Vec<(String, usize)>,
    /// Every analyst the store has seen (asked when the assign prompt opens).
    pub analysts: Vec<String>,
    /// Why the store cannot be written, when it cannot (read-only, failed to open).
    pub read_only: Option<String>,
    /// Why the store cannot be reached now (a server gone away): writes fail until it is
    /// back, and the store's thread reconnects.
    pub unreachable: Option<String>,
    /// Who else reads which cable now, by canonical cable id (a server store's presence).
    pub presence: HashMap<String, Vec<String>>,
    /// Increases with every change of the mirror: filters that ask about records run again.
    pub version: u64,
    /// The analyst's answer about selected cables the filter hides, for the action being
    /// carried out after asking.
    pub(super) include_hidden: Option<bool>,
    /// Writes that failed while the app was waiting to quit.
    pub(super) failed_while_quitting: usize,
    /// The store has reported its records.
    pub opened: bool,
    /// Some cable has a note (the table then has a note column where there is room).
    has_notes: bool,
    /// Some cable is assigned (the table then has an assignee column where there is room).
    has_assignees: bool,
    /// Each selected cable's record when it was selected: what the analyst last saw of a
    /// selected cable that the filter now hides.
    selected_seen: HashMap<u32, Option<Record>>,
    /// For the action being carried out: the hidden targets' records as the analyst saw
    /// them (the others are as the mirror shows them).
    seen_as: HashMap<String, Option<Record>>,
    /// When a write last failed (a quit soon after asks first).
    pub(super) last_failure: Option<std::time::Instant>,
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

    pub fn note(&self, id: &str) -> Option<&str> {
        self.records.get(id).and_then(|r| r.note.as_deref())
    }

    pub fn is_seen(&self, id: &str) -> bool {
        self.records.get(id).is_some_and(|r| r.seen)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// After the corpus's entries were numbered anew (files read again): the selection
    /// follows its cables to `new_index`; a cable it has none for leaves the selection.
    pub(crate) fn renumber(&mut self, new_index: &dyn Fn(u32) -> Option<u32>) {
        self.selection = self
            .selection
            .iter()
            .filter_map(|&i| new_index(i))
            .collect();
        self.anchor = self.anchor.and_then(new_index);
        self.selected_seen = std::mem::take(&mut self.selected_seen)
            .into_iter()
            .filter_map(|(i, seen)| Some((new_index(i)?, seen)))
            .collect();
    }

    /// The names the assign prompt completes: the analysts the store has seen, those of the
    /// records shown (until the store answers), and this analyst.
    pub fn analysts_known(&self) -> Vec<String> {
        let shown = self
            .records
            .values()
            .flat_map(|r| [Some(r.changed_by.clone()), r.assignee.clone()])
            .flatten();
        crate::store::record::analysts_list(
            self.analysts
                .iter()
                .cloned()
                .chain(shown)
                .chain([self.analyst.clone()]),
        )
    }

    /// A claim the store committed (`take-next`): the mirror shows it, and it is an undo
    /// step like any action.
    pub(super) fn confirm_taken(&mut self, changes: &[FieldChange], label: String) {
        let mut ids = HashSet::new();
        for c in changes {
            if let FieldChange::Assignee { id, after, .. } = c {
                let change = Change::assignee(after.clone());
                let r = applied_locally(self.confirmed.get(id), id, &change, &self.analyst);
                self.confirmed.insert(id.clone(), r);
                ids.insert(id.clone());
            }
        }
        self.rebuild(&ids);
        self.version += 1;
        self.redo.clear();
        self.undo.push(Step {
            label,
            changes: changes.to_vec(),
            write: None,
        });
    }

    /// Writes sent to the store and not yet answered.
    pub fn pending_writes(&self) -> usize {
        self.writes.len()
    }

    /// The label of the step `u` would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// Takes the store's records (at start, or when the store is opened again); writes
    /// still pending stay applied on top.
    pub fn load(&mut self, records: Vec<Record>) {
        self.confirmed = records.into_iter().map(|r| (r.id.clone(), r)).collect();
        let mut mirror = self.confirmed.clone();
        for w in self.writes.values() {
            for c in &w.action.changes {
                let r = applied_locally(mirror.get(&c.id), &c.id, &c.change, &w.action.analyst);
                mirror.insert(c.id.clone(), r);
            }
        }
        self.records = Arc::new(mirror);
        self.version += 1;
        self.opened = true;
        self.recount_tags();
    }

    /// Takes records the store reports changed (by another instance, or by this one);
    /// returns how many now read differently, which only another analyst's change can do.
    pub fn merge(&mut self, records: Vec<Record>) -> usize {
        let mut ids = HashSet::new();
        let mut before = HashMap::new();
        for r in records {
            before.insert(r.id.clone(), self.records.get(&r.id).cloned());
            ids.insert(r.id.clone());
            self.confirmed.insert(r.id.clone(), r);
        }
        self.rebuild(&ids);
        let changed = before
            .iter()
            .filter(|(id, old)| {
                let new = self.records.get(*id);
                match (old, new) {
                    (Some(a), Some(b)) => !a.same_fields(b),
                    (None, Some(b)) => !b.same_fields(&Record::blank(&b.id)),
                    _ => false,
                }
            })
            .count();
        if !ids.is_empty() {
            self.version += 1;
        }
        self.recount_tags();
        changed
    }

    /// Recomputes the mirror of `ids`: the store's record with the pending writes applied
    /// in order. One pass over the pending writes, whatever the number of cables.
    fn rebuild(&mut self, ids: &HashSet<String>) {
        let mut work: HashMap<&str, Option<Record>> = ids
            .iter()
            .map(|id| (id.as_str(), self.confirmed.get(id).cloned()))
            .collect();
        for w in self.writes.values() {
            for c in &w.action.changes {
                if let Some(slot) = work.get_mut(c.id.as_str()) {
                    *slot = Some(applied_locally(
                        slot.as_ref(),
                        &c.id,
                        &c.change,
                        &w.action.analyst,
                    ));
                }
            }
        }
        let map = Arc::make_mut(&mut self.records);
        for (id, r) in work {
            match r {
                Some(r) => map.insert(id.to_string(), r),
                None => map.remove(id),
            };
        }
    }

    /// Recounts what is derived from every record (tags in use, whether any note exists):
    /// once per change of the mirror, not per frame.
    fn recount_tags(&mut self) {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        self.has_notes = self.records.values().any(|r| r.note.is_some());
        self.has_assignees = self.records.values().any(|r| r.assignee.is_some());
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

/// The mirror's view of applying `change` to `record` (expectations are the store's to
/// check).
fn applied_locally(record: Option<&Record>, id: &str, change: &Change, analyst: &str) -> Record {
    let mut r = record.cloned().unwrap_or_else(|| Record::blank(id));
    match change {
        Change::SetDisposition { disposition, .. } => r.disposition = *disposition,
        Change::SetNote { note, .. } => {
            r.note = note.as_ref().filter(|n| !n.trim().is_empty()).cloned();
        }
        Change::SetSeen { seen, .. } => r.seen = *seen,
        Change::AddTag { tag } => {
            r.tags.insert(tag.trim().to_string());
        }
        Change::RemoveTag { tag } => {
            r.tags.remove(tag.trim());
        }
        Change::SetAssignee { assignee, .. } => {
            r.assignee = assignee.as_deref().map(str::trim).map(str::to_string);
        }
    }
    r.changed_by = analyst.to_string();
    r.changed_at = chrono::Utc::now();
    r
}

/// The fields `action` would change on `mirror`, before and after: the undo step of an
/// action not yet committed (equal to what the store reports when it commits, since every
/// change is conditional on what the mirror shows).
fn local_changes(mirror: &HashMap<String, Record>, action: &ActionRecord) -> Vec<FieldChange> {
    let mut work: HashMap<&str, Record> = HashMap::new();
    let mut out = Vec::new();
    for c in &action.changes {
        let id = c.id.as_str();
        let current = work
            .get(id)
            .cloned()
            .or_else(|| mirror.get(id).cloned())
            .unwrap_or_else(|| Record::blank(id));
        let change = match &c.change {
            Change::SetDisposition { disposition, .. } => (current.disposition != *disposition)
                .then(|| FieldChange::Disposition {
                    id: id.to_string(),
                    before: current.disposition,
                    after: *disposition,
                }),
            Change::SetNote { note, .. } => {
                let note = note.as_ref().filter(|n| !n.trim().is_empty()).cloned();
                (current.note != note).then(|| FieldChange::Note {
                    id: id.to_string(),
                    before: current.note.clone(),
                    after: note,
                })
            }
            Change::SetSeen { seen, .. } => (current.seen != *seen).then(|| FieldChange::Seen {
                id: id.to_string(),
                before: current.seen,
                after: *seen,
            }),
            Change::AddTag { tag } | Change::RemoveTag { tag } => {
                let add = matches!(c.change, Change::AddTag { .. });
                let tag = tag.trim();
                (current.tags.contains(tag) != add).then(|| FieldChange::Tag {
                    id: id.to_string(),
                    tag: tag.to_string(),
                    added: add,
                })
            }
            Change::SetAssignee { assignee, .. } => {
                let assignee = assignee.as_deref().map(str::trim).map(str::to_string);
                (current.assignee != assignee).then(|| FieldChange::Assignee {
                    id: id.to_string(),
                    before: current.assignee.clone(),
                    after: assignee,
                })
            }
        };
        work.insert(
            id,
            applied_locally(Some(&current), id, &c.change, &action.analyst),
        );
        out.extend(change);
    }
    out
}

/// A label (`3 cables actioned`, `note on 3 cables`) for `n` cables instead.
fn relabel(label: &str, n: usize) -> String {
    let Some(at) = label.find(" cable") else {
        return label.to_string();
    };
    let start = label[..at]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    if start == at {
        return label.to_string();
    }
    let rest = &label[at + " cable".len()..];
    let rest = rest.strip_prefix('s').unwrap_or(rest);
    format!("{}{n} cable{}{rest}", &label[..start], plural(n))
}

/// `action` again, each conflicting change now conditional on the value the conflict found
/// (what the analyst was just shown), so it still applies only over that.
fn over_what_was_found(action: &ActionRecord, conflicts: &[Conflict]) -> ActionRecord {
    let found: HashMap<(&str, &str), Option<&str>> = conflicts
        .iter()
        .map(|k| ((k.id.as_str(), k.field.as_str()), k.found.as_deref()))
        .collect();
    let mut again = action.clone();
    for c in &mut again.changes {
        let Some(&value) = found.get(&(c.id.as_str(), c.change.field())) else {
            continue;
        };
        match &mut c.change {
            Change::SetDisposition { expect, .. } => {
                if let Some(d) = value.and_then(|v| v.parse().ok()) {
                    *expect = Expect::Was(d);
                }
            }
            Change::SetNote { expect, .. } => *expect = Expect::Was(value.map(str::to_string)),
            Change::SetSeen { expect, .. } => *expect = Expect::Was(value == Some("true")),
            Change::SetAssignee { expect, .. } => *expect = Expect::Was(value.map(str::to_string)),
            Change::AddTag { .. } | Change::RemoveTag { .. } => {}
        }
    }
    again
}

/// `09HANOI781 disposition is now forwarded (changed by bob at 10:02:11)`, and how many more.
fn describe_conflicts(conflicts: &[Conflict]) -> String {
    match conflicts {
        [] => String::new(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first}, and {} more", rest.len()),
    }
}

impl Triage {
    /// Replaces who reads what with the store's latest word.
    pub fn set_presence(&mut self, others: Vec<(String, String)>) {
        self.presence.clear();
        for (analyst, cable) in others {
            self.presence.entry(cable).or_default().push(analyst);
        }
    }
}

impl App {
    /// The id of the cable in the reading view, if one is open (what presence shares).
    pub fn reading_id(&self) -> Option<String> {
        let index = self.reading.as_ref()?.index;
        self.corpus.get(index).map(|e| e.id.to_string())
    }

    /// The entries an action would apply to: those the analyst sees, and the selected ones
    /// the filter hides. In the reading view, the cable being read.
    pub fn target_scope(&self) -> (Vec<u32>, Vec<u32>) {
        self.target_scope_of(None)
    }

    /// [`App::target_scope`] for an action: in the thread view, the cable under the cursor,
    /// or every cable of the tree for a `mark-thread-*` action.
    fn target_scope_of(&self, action: Option<Action>) -> (Vec<u32>, Vec<u32>) {
        if self.in_thread_view() {
            let targets = match action.and_then(super::thread::thread_disposition) {
                Some(_) => self.thread_cables(),
                None => self
                    .thread
                    .as_ref()
                    .and_then(|t| t.current())
                    .into_iter()
                    .collect(),
            };
            return (targets, Vec::new());
        }
        if self.mode == Mode::Reading
            || self
                .prompt
                .as_ref()
                .is_some_and(|p| p.from == Mode::Reading)
        {
            return (self.reading.iter().map(|r| r.index).collect(), Vec::new());
        }
        if self.triage.selection.is_empty() {
            return (self.table.current().into_iter().collect(), Vec::new());
        }
        let mut shown = vec![false; self.corpus.len()];
        for &i in &self.table.shown {
            if let Some(s) = shown.get_mut(i as usize) {
                *s = true;
            }
        }
        self.triage
            .selection
            .iter()
            .partition(|&&i| shown.get(i as usize).copied().unwrap_or(false))
    }

    /// Selects an entry, remembering its record as the analyst sees it now.
    fn select(&mut self, index: u32) {
        if self.triage.selection.insert(index) {
            let seen = self
                .corpus
                .get(index)
                .and_then(|e| self.triage.records.get(&*e.id).cloned());
            self.triage.selected_seen.insert(index, seen);
        }
    }

    /// A cable's record as the analyst last saw it: for a selected cable the filter hides,
    /// when it was selected; otherwise as shown.
    pub(super) fn as_seen(&self, id: &str) -> Option<&Record> {
        match self.triage.seen_as.get(id) {
            Some(snapshot) => snapshot.as_ref(),
            None => self.triage.records.get(id),
        }
    }

    /// How many selected cables the filter hides (for the status bar).
    pub fn hidden_selected(&self) -> usize {
        if self.triage.selection.is_empty()
            || !(self.filter.is_active() || self.table.grouping.applied())
        {
            return 0;
        }
        self.target_scope().1.len()
    }

    /// What hides selected cables from the analyst, for the question asked before acting on
    /// them: the filter, or a folded thread.
    fn hidden_by(&self) -> &'static str {
        let folds =
            self.table.grouping.applied() && self.table.grouping.rows.iter().any(|r| r.folded);
        match (self.filter.is_active(), folds) {
            (_, false) => "by the filter",
            (false, true) => "in a folded thread",
            (true, true) => "by the filter or in a folded thread",
        }
    }

    /// The entries `action` applies to, or `None` when the analyst is first asked whether
    /// to include selected cables that the filter hides (the action runs again once they
    /// answer).
    pub(super) fn resolve_targets(&mut self, action: Action) -> Option<Vec<u32>> {
        let (mut shown, hidden) = self.target_scope_of(Some(action));
        self.triage.seen_as.clear();
        if hidden.is_empty() {
            return Some(shown);
        }
        match self.triage.include_hidden {
            Some(true) => {
                for &i in &hidden {
                    if let (Some(e), Some(seen)) =
                        (self.corpus.get(i), self.triage.selected_seen.get(&i))
                    {
                        self.triage.seen_as.insert(e.id.to_string(), seen.clone());
                    }
                }
                shown.extend(hidden);
                shown.sort_unstable();
                Some(shown)
            }
            // None of the selection is shown: the cable under the cursor, as the analyst sees.
            Some(false) if shown.is_empty() => Some(self.table.current().into_iter().collect()),
            Some(false) => Some(shown),
            None => {
                let n = shown.len() + hidden.len();
                let h = hidden.len();
                let cursor_id = self
                    .table
                    .current()
                    .and_then(|i| self.corpus.get(i))
                    .map(|e| e.id.to_string());
                let by = self.hidden_by();
                let (question, no) = if shown.is_empty() {
                    let all = if n == 1 {
                        "the selected cable is hidden".to_string()
                    } else {
                        format!("the {n} selected cables are all hidden")
                    };
                    match cursor_id {
                        Some(id) => (
                            format!(
                                "{all} {by}: y applies {}, n only to {id} under the cursor, \
                                 esc cancels",
                                if n == 1 { "to it" } else { "to them" }
                            ),
                            Some(Deferred::Scoped {
                                action,
                                include_hidden: false,
                                asked: (0, n),
                            }),
                        ),
                        None => (format!("{all} {by}: apply anyway? [y/N]"), None),
                    }
                } else {
                    (
                        format!(
                            "{h} of the {n} selected cables {} hidden {by}: y all {n}, n only \
                             the {} shown, esc cancels",
                            if h == 1 { "is" } else { "are" },
                            shown.len()
                        ),
                        Some(Deferred::Scoped {
                            action,
                            include_hidden: false,
                            asked: (shown.len(), h),
                        }),
                    )
                };
                self.ask(Confirm {
                    question,
                    yes: Deferred::Scoped {
                        action,
                        include_hidden: true,
                        asked: (shown.len(), h),
                    },
                    no,
                    enter_means_yes: false,
                });
                None
            }
        }
    }

    pub(super) fn ids_of(&self, entries: &[u32]) -> Vec<String> {
        entries
            .iter()
            .filter_map(|&i| self.corpus.get(i).map(|e| e.id.to_string()))
            .filter(|id| !id.is_empty())
            .collect()
    }

    /// Why the filter's rows are not yet its matches: a term waits for the text index or the
    /// reference graph (meanwhile the other terms filter alone).
    pub fn filter_incomplete(&self) -> Option<&'static str> {
        let query = &self.filter.query;
        if !self.filter.is_active() {
            return None;
        }
        if query.uses_full_text() && self.text.ready().is_none() {
            return Some("the text index is being built");
        }
        if query.uses_graph() && self.graph().is_none() {
            return Some("the reference graph is being built");
        }
        None
    }

    /// Whether the targets came from the selection (the selection is cleared after).
    pub(super) fn acting_on_selection(&self) -> bool {
        self.mode != Mode::Reading && !self.in_thread_view() && !self.triage.selection.is_empty()
    }

    /// The thread view, or a prompt opened from it: triage acts on its tree.
    fn in_thread_view(&self) -> bool {
        self.thread.is_some()
            && (self.mode == Mode::Thread
                || self.prompt.as_ref().is_some_and(|p| p.from == Mode::Thread))
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
            return Some(self.dispose(action, d));
        }
        if let Some(d) = super::thread::thread_disposition(action) {
            if self.mode != Mode::Thread {
                self.say(
                    format!("{action} acts on the thread view: open it first"),
                    Level::Info,
                );
                return Some(Vec::new());
            }
            return Some(self.dispose(action, d));
        }
        // The selection belongs to the table: the thread view does not change it.
        if self.mode == Mode::Thread
            && matches!(
                action,
                A::SelectToggle | A::SelectExtend | A::SelectAll | A::SelectNone
            )
        {
            return None;
        }
        let effects = match action {
            A::Note | A::Tag => {
                let Some(targets) = self.resolve_targets(action) else {
                    return Some(Vec::new());
                };
                let ids = self.ids_of(&targets);
                if ids.is_empty() {
                    self.say("no cable to apply that to", Level::Info);
                } else if action == A::Note {
                    self.open_note_prompt(ids);
                } else {
                    self.open_prompt(PromptKind::Tag);
                    if let Some(p) = self.prompt.as_mut() {
                        p.targets = ids;
                    }
                }
                Vec::new()
            }
            A::ToggleSeen => {
                let Some(targets) = self.resolve_targets(action) else {
                    return Some(Vec::new());
                };
                let ids = self.ids_of(&targets);
                let seen = !ids.iter().all(|id| self.triage.is_seen(id));
                let mut record = ActionRecord::new(self.triage.analyst.clone());
                for id in &ids {
                    let was = self.as_seen(id).is_some_and(|r| r.seen);
                    record = record.with(
                        id.clone(),
                        Change::SetSeen {
                            seen,
                            expect: Expect::Was(was),
                        },
                    );
                }
                let n = ids.len();
                let label = format!(
                    "{n} cable{} marked {}",
                    plural(n),
                    if seen { "seen" } else { "unseen" }
                );
                let from_selection = self.acting_on_selection();
                self.send(record, label, from_selection)
            }
            A::ToggleTag1 | A::ToggleTag2 | A::ToggleTag3 => {
                let n = match action {
                    A::ToggleTag1 => 0,
                    A::ToggleTag2 => 1,
                    _ => 2,
                };
                match self.triage.tags_in_use.get(n).map(|(t, _)| t.clone()) {
                    Some(tag) => {
                        let Some(targets) = self.resolve_targets(action) else {
                            return Some(Vec::new());
                        };
                        let ids = self.ids_of(&targets);
                        self.toggle_tag(&tag, ids)
                    }
                    None => {
                        let used = self.triage.tags_in_use.len();
                        let said = if used == 0 {
                            "no tags used yet: tag a cable first".to_string()
                        } else {
                            format!(
                                "no tag {}: only {used} tag{} used so far",
                                n + 1,
                                super::plural(used)
                            )
                        };
                        self.say(said, Level::Info);
                        Vec::new()
                    }
                }
            }
            A::SelectToggle => {
                if let Some(i) = self.table.current() {
                    if self.triage.selection.remove(&i) {
                        self.triage.selected_seen.remove(&i);
                    } else {
                        self.select(i);
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
                for k in lo..=hi {
                    if let Some(&i) = self.table.shown.get(k) {
                        self.select(i);
                    }
                }
                self.triage.anchor = Some(current);
                Vec::new()
            }
            A::SelectAll => {
                // Rows shown while a term waits for its index are the other terms' matches,
                // not the filter's: selecting them all would act on cables it excludes.
                if let Some(why) = self.filter_incomplete() {
                    self.say(
                        format!("not selecting: the filter is not complete yet ({why}); try again when it is"),
                        Level::Error,
                    );
                    return Some(Vec::new());
                }
                // Grouped by thread, the filter's context rows are shown around the matches
                // but are not what was asked for: select-all takes the matches alone.
                let grouping = &self.table.grouping;
                let (matches, context): (Vec<u32>, Vec<u32>) = if grouping.applied() {
                    let rows = self.table.shown.iter().zip(&grouping.rows);
                    let (m, c): (Vec<_>, Vec<_>) = rows.partition(|(_, r)| r.matched);
                    (
                        m.into_iter().map(|(&i, _)| i).collect(),
                        c.into_iter().map(|(&i, _)| i).collect(),
                    )
                } else {
                    (self.table.shown.clone(), Vec::new())
                };
                for i in matches {
                    self.select(i);
                }
                let n = self.triage.selection.len();
                let unselected = context.len();
                if unselected > 0 {
                    self.say(
                        format!(
                            "{n} selected (not the {unselected} context row{} of their threads)",
                            plural(unselected)
                        ),
                        Level::Info,
                    );
                } else {
                    self.say(format!("{n} selected"), Level::Info);
                }
                Vec::new()
            }
            A::SelectNone => {
                self.clear_selection();
                Vec::new()
            }
            A::Undo => self.step_back(WriteKind::Undo),
            A::Redo => self.step_back(WriteKind::Redo),
            _ => return None,
        };
        Some(effects)
    }

    /// Undo (or redo) the last step: its inverse, conditional on each field still holding
    /// what the step wrote. A step that cannot be sent (a read-only store) stays.
    fn step_back(&mut self, kind: WriteKind) -> Vec<Effect> {
        let (stack, doing, none) = match kind {
            WriteKind::Undo => (&mut self.triage.undo, "undoing", "nothing to undo"),
            _ => (&mut self.triage.redo, "redoing", "nothing to redo"),
        };
        let Some(step) = stack.pop() else {
            self.say(none, Level::Info);
            return Vec::new();
        };
        let inverse = step.inverse(&self.triage.analyst);
        let label = step.label.clone();
        match self.write(inverse, kind, label.clone(), Some(step.clone())) {
            Some(effects) => {
                self.say(format!("{doing}: {label}"), Level::Info);
                effects
            }
            None => {
                match kind {
                    WriteKind::Undo => self.triage.undo.push(step),
                    _ => self.triage.redo.push(step),
                }
                Vec::new()
            }
        }
    }

    /// Sends an analyst's action, says what it does, and clears the selection it was
    /// applied to.
    pub(super) fn send(
        &mut self,
        record: ActionRecord,
        label: String,
        clear_selection: bool,
    ) -> Vec<Effect> {
        let effects = self.write(record, WriteKind::Normal, label.clone(), None);
        if effects.is_some() {
            self.say(label, Level::Info);
            if clear_selection {
                self.clear_selection();
            }
        }
        effects.unwrap_or_default()
    }

    pub(super) fn clear_selection(&mut self) {
        self.triage.selection.clear();
        self.triage.selected_seen.clear();
        self.triage.anchor = None;
    }

    /// A disposition key: on the cables the analyst sees, each on the condition that it
    /// still has the disposition shown.
    fn dispose(&mut self, action: Action, d: Disposition) -> Vec<Effect> {
        let Some(targets) = self.resolve_targets(action) else {
            return Vec::new();
        };
        let ids = self.ids_of(&targets);
        let from_selection = self.acting_on_selection();
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        for id in &ids {
            let shown = self
                .as_seen(id)
                .map_or(Disposition::Untriaged, |r| r.disposition);
            record = record.with(
                id.clone(),
                Change::SetDisposition {
                    disposition: d,
                    expect: Expect::Was(shown),
                },
            );
        }
        let n = ids.len();
        let label = format!("{n} cable{} {}", plural(n), d.as_str());
        let Some(mut effects) = self.write(record, WriteKind::Normal, label.clone(), None) else {
            return Vec::new();
        };
        self.say(label, Level::Info);
        if self.mode == Mode::Thread {
            // The tree stays as it is: the analyst sees each disposition land in it.
            return effects;
        }
        self.table.placed = true;
        if from_selection {
            self.clear_selection();
            return effects;
        }
        // Reading on: the next cable opens in place, when the one read is the table's.
        let reading_cursor = self.mode == Mode::Reading
            && self.reading.as_ref().map(|r| r.index) == self.table.current();
        if self.mode == Mode::Reading && !reading_cursor {
            return effects;
        }
        if self.advance_after_disposition() && self.mode == Mode::Reading {
            effects.extend(self.open_cursor());
        }
        effects
    }

    fn open_note_prompt(&mut self, ids: Vec<String>) {
        let seen_notes: Vec<Option<String>> = ids
            .iter()
            .map(|id| self.as_seen(id).and_then(|r| r.note.clone()))
            .collect();
        let notes: BTreeSet<Option<String>> = seen_notes.iter().cloned().collect();
        let text = match notes.iter().next() {
            Some(Some(note)) if notes.len() == 1 => note.to_string(),
            _ => String::new(),
        };
        self.open_prompt(PromptKind::Note);
        if let Some(p) = self.prompt.as_mut() {
            p.input = super::text_input::TextInput::with_text(&text);
            p.notes_differ = notes.len() > 1;
            p.targets = ids;
            p.seen_notes = seen_notes;
        }
    }

    pub(super) fn toggle_tag(&mut self, tag: &str, ids: Vec<String>) -> Vec<Effect> {
        let all_have = ids
            .iter()
            .all(|id| self.triage.record(id).is_some_and(|r| r.tags.contains(tag)));
        let from_selection = self.acting_on_selection();
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        for id in &ids {
            let change = if all_have {
                Change::RemoveTag {
                    tag: tag.to_string(),
                }
            } else {
                Change::AddTag {
                    tag: tag.to_string(),
                }
            };
            record = record.with(id.clone(), change);
        }
        let n = ids.len();
        let label = format!(
            "{tag} {} {n} cable{}",
            if all_have { "removed from" } else { "added to" },
            plural(n)
        );
        self.send(record, label, from_selection)
    }

    /// The note prompt's text, for the cables it was opened on. Emptying a note asks first.
    pub(super) fn set_note(
        &mut self,
        text: &str,
        ids: Vec<String>,
        seen_notes: Vec<Option<String>>,
    ) -> Vec<Effect> {
        let note = (!text.trim().is_empty()).then(|| text.trim().to_string());
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        let mut removing = 0;
        for (i, id) in ids.iter().enumerate() {
            // What the analyst saw when the prompt opened.
            let shown = seen_notes.get(i).cloned().flatten();
            if note.is_none() && shown.is_some() {
                removing += 1;
            }
            record = record.with(
                id.clone(),
                Change::SetNote {
                    note: note.clone(),
                    expect: Expect::Was(shown),
                },
            );
        }
        let n = ids.len();
        let label = match &note {
            Some(_) => format!("note on {n} cable{}", plural(n)),
            None => format!("note removed from {removing} cable{}", plural(removing)),
        };
        if note.is_none() {
            if removing == 0 {
                self.say("no note to remove", Level::Info);
                return Vec::new();
            }
            self.ask(Confirm {
                question: format!(
                    "remove the note of {removing} cable{}? [y/N]",
                    plural(removing)
                ),
                yes: Deferred::Write {
                    action: record,
                    label,
                    clear_selection: self.acting_on_selection(),
                },
                no: None,
                enter_means_yes: false,
            });
            return Vec::new();
        }
        let from_selection = self.acting_on_selection();
        self.send(record, label, from_selection)
    }

    /// The tag prompt's text: `name` toggles, `+name` adds, `-name` removes; several may be
    /// given, separated by spaces.
    pub(super) fn apply_tag_text(&mut self, text: &str, ids: Vec<String>) -> Vec<Effect> {
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        let mut words = Vec::new();
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
            words.push(format!("{}{tag}", if add { '+' } else { '-' }));
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
        let n = ids.len();
        let label = format!("tags {} on {n} cable{}", words.join(" "), plural(n));
        let from_selection = self.acting_on_selection();
        self.send(record, label, from_selection)
    }

    /// Marks the cable being opened as seen (opening is reading; not an undo step).
    pub(super) fn mark_seen(&mut self, index: u32) -> Vec<Effect> {
        let Some(id) = self.corpus.get(index).map(|e| e.id.to_string()) else {
            return Vec::new();
        };
        if id.is_empty() || self.triage.is_seen(&id) || self.triage.read_only.is_some() {
            return Vec::new();
        }
        let record = ActionRecord::new(self.triage.analyst.clone()).with(id, Change::seen(true));
        self.write(record, WriteKind::Seen, String::new(), None)
            .unwrap_or_default()
    }

    /// Applies an action to the mirror and sends it to the store. `None` when it was refused
    /// (nothing to apply it to, a read-only store), with the reason said.
    pub(super) fn write(
        &mut self,
        action: ActionRecord,
        kind: WriteKind,
        label: String,
        step: Option<Step>,
    ) -> Option<Vec<Effect>> {
        if action.changes.is_empty() {
            self.say("no cable to apply that to", Level::Info);
            return None;
        }
        if let Some(why) = &self.triage.read_only {
            let why = format!("not recorded: {why}");
            self.say(why, Level::Error);
            return None;
        }
        let changes = local_changes(&self.triage.records, &action);
        if changes.is_empty() {
            // Every cable already reads so: nothing to write, nothing to undo.
            return Some(Vec::new());
        }
        let write = self.triage.next_write;
        self.triage.next_write += 1;
        let mut ids = HashSet::new();
        for c in &action.changes {
            ids.insert(c.id.clone());
        }
        for id in &ids {
            *self.triage.unsaved.entry(id.clone()).or_default() += 1;
        }
        // The step exists from the key press on, so the next undo or redo acts on it
        // even before the store has answered.
        let step_now = Step {
            label: label.clone(),
            changes,
            write: Some(write),
        };
        match kind {
            WriteKind::Normal => {
                self.triage.redo.clear();
                self.triage.undo.push(step_now);
            }
            WriteKind::Undo => self.triage.redo.push(step_now),
            WriteKind::Redo => self.triage.undo.push(step_now),
            WriteKind::Seen => {}
        }
        self.triage.writes.insert(
            write,
            PendingWrite {
                kind,
                action: action.clone(),
                label,
                step,
            },
        );
        self.triage.rebuild(&ids);
        self.triage.version += 1;
        self.triage.recount_tags();
        let mut effects = vec![Effect::Write { write, action }];
        effects.extend(self.records_changed());
        Some(effects)
    }

    /// A write came back from the store.
    pub(super) fn written(&mut self, write: u64, result: Result<Applied, String>) -> Vec<Effect> {
        let Some(pending) = self.triage.writes.remove(&write) else {
            return Vec::new();
        };
        let ids: HashSet<String> = pending
            .action
            .changes
            .iter()
            .map(|c| c.id.clone())
            .collect();
        for id in &ids {
            if let Some(n) = self.triage.unsaved.get_mut(id) {
                *n -= 1;
                if *n == 0 {
                    self.triage.unsaved.remove(id);
                }
            }
        }
        // The step this write carries: confirmed with what the store did, or dropped when
        // nothing happened.
        let done = match &result {
            Ok(a) if a.conflicts.is_empty() && !a.is_empty() => Some(a.changes.clone()),
            _ => None,
        };
        let stack = match pending.kind {
            WriteKind::Undo => Some(&mut self.triage.redo),
            WriteKind::Normal | WriteKind::Redo => Some(&mut self.triage.undo),
            WriteKind::Seen => None,
        };
        if let Some(stack) = stack {
            match done {
                Some(changes) => {
                    if let Some(s) = stack.iter_mut().find(|s| s.write == Some(write)) {
                        s.write = None;
                        s.changes = changes;
                    }
                }
                None => stack.retain(|s| s.write != Some(write)),
            }
        }
        // A seen mark is not the analyst's decision: losing one is no reason to ask.
        if pending.kind != WriteKind::Seen && !matches!(&result, Ok(a) if a.conflicts.is_empty()) {
            self.triage.last_failure = Some(std::time::Instant::now());
        }
        match result {
            Ok(applied) if applied.conflicts.is_empty() => {
                // The store holds what the action wrote (its changes were conditional on
                // what the mirror showed); other fields reach us by the poll.
                for c in &pending.action.changes {
                    let r = applied_locally(
                        self.triage.confirmed.get(&c.id),
                        &c.id,
                        &c.change,
                        &pending.action.analyst,
                    );
                    self.triage.confirmed.insert(c.id.clone(), r);
                }
                self.triage.rebuild(&ids);
                if matches!(pending.kind, WriteKind::Undo | WriteKind::Redo) {
                    let done = if pending.kind == WriteKind::Undo {
                        "undone"
                    } else {
                        "redone"
                    };
                    self.say(format!("{done}: {}", pending.label), Level::Info);
                }
            }
            Ok(applied) => {
                for k in &applied.conflicts {
                    self.triage
                        .confirmed
                        .insert(k.id.clone(), k.current.clone());
                }
                self.triage.rebuild(&ids);
                self.conflicted(pending, &applied.conflicts);
            }
            Err(e) => {
                // Nothing was written: the mirror shows the store's records again, with
                // the later pending writes still on top.
                self.triage.rebuild(&ids);
                if self.quitting.is_some() {
                    self.triage.failed_while_quitting += 1;
                }
                self.say(format!("NOT SAVED: {e}"), Level::Error);
            }
        }
        self.triage.version += 1;
        self.triage.recount_tags();
        let mut effects = self.records_changed();
        effects.extend(self.quit_when_saved());
        effects
    }

    /// A write whose fields someone changed since the analyst saw them: nothing of it was
    /// written. Say whose change it was and offer to do the rest.
    fn conflicted(&mut self, pending: PendingWrite, conflicts: &[Conflict]) {
        let what = describe_conflicts(conflicts);
        let hit: HashSet<(&str, &str)> = conflicts
            .iter()
            .map(|k| (k.id.as_str(), k.field.as_str()))
            .collect();
        let can_ask = matches!(self.mode, Mode::Table | Mode::Reading | Mode::Thread)
            && self.quitting.is_none();
        match pending.kind {
            WriteKind::Seen => {}
            WriteKind::Normal => {
                let hit_ids: HashSet<&str> = conflicts.iter().map(|k| k.id.as_str()).collect();
                let mut rest = ActionRecord::new(pending.action.analyst.clone());
                rest.changes = pending
                    .action
                    .changes
                    .iter()
                    .filter(|c| !hit_ids.contains(c.id.as_str()))
                    .cloned()
                    .collect();
                let others: HashSet<&str> = rest.changes.iter().map(|c| c.id.as_str()).collect();
                let n = others.len();
                let label = relabel(&pending.label, n);
                // The action was said as done when it was sent: it was not.
                if self
                    .message
                    .as_ref()
                    .is_some_and(|m| m.text == pending.label)
                {
                    self.message = None;
                }
                if !can_ask {
                    self.say(
                        format!("not saved, changed since you looked: {what}"),
                        Level::Error,
                    );
                    return;
                }
                if n == 0 {
                    // Theirs stands unless the analyst, now told what it is, chooses theirs
                    // to be replaced: a new action, conditional on what they were just shown.
                    self.ask(Confirm {
                        question: format!(
                            "not saved, changed since you looked: {what}. Keep theirs (n) or \
                             apply yours over it (y)? [y/N]"
                        ),
                        yes: Deferred::Write {
                            action: over_what_was_found(&pending.action, conflicts),
                            label: pending.label.clone(),
                            clear_selection: false,
                        },
                        no: None,
                        enter_means_yes: false,
                    });
                    return;
                }
                self.ask(Confirm {
                    question: format!(
                        "not saved, changed since you looked: {what}. Apply to the {n} other \
                         cable{}? [y/N]",
                        plural(n)
                    ),
                    yes: Deferred::Write {
                        action: rest,
                        label,
                        clear_selection: false,
                    },
                    no: None,
                    enter_means_yes: false,
                });
            }
            WriteKind::Undo | WriteKind::Redo => {
                let verb = if pending.kind == WriteKind::Undo {
                    "undo"
                } else {
                    "redo"
                };
                let Some(step) = pending.step else {
                    return;
                };
                let mut rest = Step {
                    label: step.label.clone(),
                    changes: step
                        .changes
                        .iter()
                        .filter(|c| !hit.contains(&(c.id(), c.field())))
                        .cloned()
                        .collect(),
                    write: None,
                };
                let cables: HashSet<&str> = rest.changes.iter().map(|c| c.id()).collect();
                rest.label = relabel(&step.label, cables.len());
                if rest.changes.is_empty() || !can_ask {
                    self.say(
                        format!("cannot {verb}, changed since: {what}; left as it is"),
                        Level::Error,
                    );
                    return;
                }
                let inverse = rest.inverse(&self.triage.analyst);
                self.ask(Confirm {
                    question: format!(
                        "cannot {verb} all of it, changed since: {what}. {verb} the rest? [Y/n]"
                    ),
                    yes: Deferred::Step {
                        action: inverse,
                        kind: pending.kind,
                        step: rest,
                    },
                    no: None,
                    enter_means_yes: true,
                });
            }
        }
    }

    /// After the mirror changed: a filter that asks about records runs again, from every
    /// cable, so it never shows what the store has made stale.
    pub(super) fn records_changed(&mut self) -> Vec<Effect> {
        if self.filter.is_active() && self.filter.query.uses_store() {
            self.filter.forget_matches();
            return self.start_filter();
        }
        Vec::new()
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

    /// Whether any cable has a note (the table then has a note column where there is room).
    pub fn any_notes(&self) -> bool {
        self.triage.has_notes
    }

    /// Whether any cable is assigned (the table then has an assignee column where there is
    /// room).
    pub fn any_assignees(&self) -> bool {
        self.triage.has_assignees
    }

    /// Untriaged rows of the corpus: all less those with another disposition, counted over
    /// the records (few) rather than the cables (many).
    pub fn untriaged_count(&self) -> usize {
        // A cable read twice is two rows, and a disposition shows on both.
        let triaged: usize = self
            .triage
            .records
            .values()
            .filter(|r| r.disposition != Disposition::Untriaged)
            .map(|r| self.corpus.copies(&r.id))
            .sum();
        self.corpus.len().saturating_sub(triaged)
    }
}

#[cfg(test)]
mod tests {
    use super::relabel;

    #[test]
    fn labels_follow_the_number_of_cables() {
        assert_eq!(relabel("3 cables actioned", 1), "1 cable actioned");
        assert_eq!(relabel("1 cable no-action", 2), "2 cables no-action");
        assert_eq!(relabel("note on 3 cables", 2), "note on 2 cables");
        assert_eq!(
            relabel("urgent added to 4 cables", 1),
            "urgent added to 1 cable"
        );
        assert_eq!(relabel("no count here", 2), "no count here");
    }
}
