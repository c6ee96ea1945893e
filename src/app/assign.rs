//! Assignment in the app: `assign` (a prompt completing from the analysts seen; empty means
//! me), `assign-to-me`, `unassign`, and `take-next`.
//!
//! `assign`, `assign-to-me` and `unassign` act like the disposition keys: on what the analyst
//! sees (the cable read, else the selection, else the cursor's cable), each change
//! conditional on the assignee shown, so two analysts assigning one cable on what they saw
//! conflict instead of overwriting each other. `take-next` asks the store, in one
//! transaction, for the first cable of the view (in its order) that nobody has triaged or
//! claimed, and opens it.

use super::{Action, App, Effect, Level, PromptKind, plural};
use crate::store::{ActionRecord, Applied, Change, Expect, FieldChange};

/// How many cables of the view `take-next` offers the store: those the mirror shows free,
/// in the view's order. The mirror lags the store by at most a poll, so the first of these
/// is nearly always free, and a view of 250,000 rows does not travel to the store whole.
const TAKE_NEXT_CANDIDATES: usize = 5_000;

impl App {
    /// Assignment actions: `None` when `action` is not one.
    pub(super) fn act_assign(&mut self, action: Action) -> Option<Vec<Effect>> {
        use Action as A;
        let to = match action {
            A::TakeNext => return Some(self.take_next()),
            A::AssignToMe => Some(self.triage.analyst.clone()),
            A::Unassign => None,
            A::Assign => {
                let Some(targets) = self.resolve_targets(action) else {
                    return Some(Vec::new());
                };
                let ids = self.ids_of(&targets);
                if ids.is_empty() {
                    self.say("no cable to assign", Level::Info);
                    return Some(Vec::new());
                }
                let seen = ids
                    .iter()
                    .map(|id| self.as_seen(id).and_then(|r| r.assignee.clone()))
                    .collect();
                self.open_prompt(PromptKind::Assign);
                if let Some(p) = self.prompt.as_mut() {
                    p.targets = ids;
                    p.seen_assignees = seen;
                }
                // The analysts of the whole history, for completion (until they come, those
                // of the records shown).
                return Some(vec![Effect::ListAnalysts]);
            }
            _ => return None,
        };
        let Some(targets) = self.resolve_targets(action) else {
            return Some(Vec::new());
        };
        let ids = self.ids_of(&targets);
        let seen = ids
            .iter()
            .map(|id| self.as_seen(id).and_then(|r| r.assignee.clone()))
            .collect();
        Some(self.assign_ids(ids, seen, to))
    }

    /// The assign prompt's answer: a name, or nothing for me.
    pub(super) fn apply_assign_text(
        &mut self,
        text: &str,
        ids: Vec<String>,
        seen: Vec<Option<String>>,
    ) -> Vec<Effect> {
        let name = if text.trim().is_empty() {
            self.triage.analyst.clone()
        } else {
            match crate::store::check_analyst(text) {
                Ok(name) => name.to_string(),
                Err(e) => {
                    self.say(format!("not assigned: {e}"), Level::Error);
                    return Vec::new();
                }
            }
        };
        self.assign_ids(ids, seen, Some(name))
    }

    /// Assigns `ids` to `to` (nobody for `None`), each on the condition that it is still
    /// assigned as the analyst saw it (`seen`, in the order of `ids`).
    fn assign_ids(
        &mut self,
        ids: Vec<String>,
        seen: Vec<Option<String>>,
        to: Option<String>,
    ) -> Vec<Effect> {
        let from_selection = self.acting_on_selection();
        let mut record = ActionRecord::new(self.triage.analyst.clone());
        for (id, was) in ids.iter().zip(seen) {
            record = record.with(
                id.clone(),
                Change::SetAssignee {
                    assignee: to.clone(),
                    expect: Expect::Was(was),
                },
            );
        }
        let n = ids.len();
        let label = match &to {
            Some(name) => format!("{n} cable{} assigned to {name}", plural(n)),
            None => format!("{n} cable{} unassigned", plural(n)),
        };
        self.send(record, label, from_selection)
    }

    /// Asks the store for the first free cable of the view.
    fn take_next(&mut self) -> Vec<Effect> {
        if let Some(why) = &self.triage.read_only {
            let why = format!("nothing taken: {why}");
            self.say(why, Level::Error);
            return Vec::new();
        }
        let mut seen = std::collections::HashSet::new();
        let candidates: Vec<String> = self
            .table
            .shown
            .iter()
            .filter_map(|&i| self.corpus.get(i))
            .map(|e| e.id.to_string())
            .filter(|id| !id.is_empty())
            .filter(|id| !self.triage.record(id).is_some_and(|r| r.is_taken()))
            .filter(|id| seen.insert(id.clone()))
            .take(TAKE_NEXT_CANDIDATES)
            .collect();
        if candidates.is_empty() {
            self.say(
                "nothing to take: every cable in view is triaged or assigned",
                Level::Info,
            );
            return Vec::new();
        }
        self.say("taking the next free cable…", Level::Info);
        vec![Effect::TakeNext {
            analyst: self.triage.analyst.clone(),
            candidates,
        }]
    }

    /// The store's answer to `take-next`: the claimed cable is opened, and the claim is an
    /// undo step like any action.
    pub(super) fn taken(&mut self, result: Result<Option<Applied>, String>) -> Vec<Effect> {
        let applied = match result {
            Ok(Some(applied)) => applied,
            Ok(None) => {
                self.say(
                    "nothing to take: every cable in view is triaged or assigned",
                    Level::Info,
                );
                return Vec::new();
            }
            Err(e) => {
                self.say(format!("NOT TAKEN: {e}"), Level::Error);
                return Vec::new();
            }
        };
        let Some(FieldChange::Assignee { id, .. }) = applied.changes.first().cloned() else {
            return Vec::new();
        };
        let label = format!("took {id}");
        self.triage.confirm_taken(&applied.changes, label.clone());
        let mut effects = self.records_changed();
        let position = self
            .table
            .shown
            .iter()
            .position(|&i| self.corpus.get(i).is_some_and(|e| *e.id == *id));
        match position {
            Some(k) => {
                let rows = self.table_rows();
                self.table.set_cursor(k, rows);
                effects.extend(self.open_cursor());
                self.say(format!("{label}: assigned to you"), Level::Info);
            }
            None => self.say(
                format!("{label}: assigned to you (not in view any more)"),
                Level::Info,
            ),
        }
        effects
    }
}

/// The analysts whose names start with `typed` (ignoring case), for the assign prompt.
pub fn analyst_candidates(typed: &str, analysts: &[String]) -> Vec<String> {
    let typed = typed.trim().to_lowercase();
    analysts
        .iter()
        .filter(|a| a.to_lowercase().starts_with(&typed))
        .cloned()
        .collect()
}

/// The completion of a partly typed name: the one analyst it can be, else the longest
/// common start of those it can be (`None` when that adds nothing).
pub fn complete_analyst(typed: &str, analysts: &[String]) -> Option<String> {
    let matching = analyst_candidates(typed, analysts);
    let first = matching.first()?;
    let common = matching.iter().skip(1).fold(first.len(), |n, m| {
        first
            .char_indices()
            .zip(m.chars())
            .take_while(|((_, a), b)| a.to_lowercase().eq(b.to_lowercase()))
            .last()
            .map_or(0, |((i, a), _)| (i + a.len_utf8()).min(n))
    });
    let done = &first[..common];
    (done.chars().count() > typed.trim().chars().count()).then(|| done.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_complete_ignoring_case() {
        let analysts: Vec<String> = ["alice", "Alistair", "bob"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(analyst_candidates("AL", &analysts), ["alice", "Alistair"]);
        assert_eq!(complete_analyst("a", &analysts).as_deref(), Some("ali"));
        assert_eq!(complete_analyst("b", &analysts).as_deref(), Some("bob"));
        assert_eq!(complete_analyst("bob", &analysts), None);
        assert_eq!(complete_analyst("z", &analysts), None);
    }
}
