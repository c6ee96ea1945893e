//! The values the store keeps and the changes it accepts.
//!
//! A [`Record`] is what the analyst recorded about one cable, keyed by its canonical id. An
//! [`ActionRecord`] is one user action: an analyst and a list of [`CableChange`]s, applied
//! as one transaction. The store answers with [`Applied`]: every field that really changed,
//! before and after, from which [`Applied::inverse`] builds the action that undoes it. Every
//! change is also one [`HistoryEntry`]. All of these serialise with serde so exports, the
//! app and a future server backend share one vocabulary.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What was done with a cable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disposition {
    /// Nobody has decided yet: every cable without a record is untriaged.
    #[default]
    Untriaged,
    Actioned,
    FollowUp,
    Forwarded,
    NoAction,
}

impl Disposition {
    pub const ALL: [Disposition; 5] = [
        Disposition::Untriaged,
        Disposition::Actioned,
        Disposition::FollowUp,
        Disposition::Forwarded,
        Disposition::NoAction,
    ];

    /// The kebab-case name, as stored, exported and typed in `is:` queries.
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Untriaged => "untriaged",
            Disposition::Actioned => "actioned",
            Disposition::FollowUp => "follow-up",
            Disposition::Forwarded => "forwarded",
            Disposition::NoAction => "no-action",
        }
    }

    /// The names accepted by [`FromStr`], for messages.
    pub fn names() -> String {
        Disposition::ALL
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Disposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the five dispositions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownDisposition(pub String);

impl fmt::Display for UnknownDisposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown disposition {:?}: use one of {}",
            self.0,
            Disposition::names()
        )
    }
}

impl std::error::Error for UnknownDisposition {}

impl FromStr for Disposition {
    type Err = UnknownDisposition;

    /// The kebab-case names, any case, and the spellings people type for them
    /// (`follow_up`, `followup`, `no_action`, `noaction`, `none`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match folded.as_str() {
            "untriaged" => Disposition::Untriaged,
            "actioned" => Disposition::Actioned,
            "follow-up" | "followup" => Disposition::FollowUp,
            "forwarded" => Disposition::Forwarded,
            "no-action" | "noaction" | "none" => Disposition::NoAction,
            _ => return Err(UnknownDisposition(s.to_string())),
        })
    }
}

/// What the analyst recorded about one cable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The canonical cable id (`08MOSCOW1052`).
    pub id: String,
    pub disposition: Disposition,
    /// The note given with the disposition, if any.
    pub note: Option<String>,
    pub seen: bool,
    /// The analyst's own tags, sorted.
    pub tags: BTreeSet<String>,
    /// The analyst the cable is assigned to, if anyone: who works on it. Absent from
    /// exports made before assignment existed.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Who last changed the record, and when.
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
    /// The store's revision of the last change: increases with every committed action, so
    /// [`crate::store::TriageStore::changes_since`] finds what another process changed.
    /// Local to one store (not exported).
    pub revision: i64,
}

impl Record {
    /// The state of a cable nobody has touched.
    pub fn blank(id: &str) -> Record {
        Record {
            id: id.to_string(),
            disposition: Disposition::Untriaged,
            note: None,
            seen: false,
            tags: BTreeSet::new(),
            assignee: None,
            changed_by: String::new(),
            changed_at: DateTime::<Utc>::UNIX_EPOCH,
            revision: 0,
        }
    }

    /// Equal in everything the analyst recorded (not the store-local revision).
    pub fn same_content(&self, other: &Record) -> bool {
        Record {
            revision: 0,
            ..self.clone()
        } == Record {
            revision: 0,
            ..other.clone()
        }
    }

    /// Equal in the fields an analyst sets (disposition, note, seen, tags, assignee),
    /// whoever set them and whenever.
    pub fn same_fields(&self, other: &Record) -> bool {
        self.disposition == other.disposition
            && self.note == other.note
            && self.seen == other.seen
            && self.tags == other.tags
            && self.assignee == other.assignee
    }

    /// Whether someone has claimed the cable or decided it: `take-next` passes it by.
    pub fn is_taken(&self) -> bool {
        self.disposition != Disposition::Untriaged || self.assignee.is_some()
    }
}

/// What a conditional change expects the field to hold before it: the value the analyst saw.
/// The store applies the change only when the field still holds it, so an analyst never
/// overwrites a colleague's change unawares ([`Conflict`]). `Any` is for scripts and imports,
/// which saw nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect<T> {
    #[default]
    Any,
    Was(T),
}

impl<T: PartialEq> Expect<T> {
    /// Whether `found` is what was expected.
    pub fn holds(&self, found: &T) -> bool {
        match self {
            Expect::Any => true,
            Expect::Was(v) => v == found,
        }
    }
}

/// One change to one field of one cable's record. Each field is changed on its own, so an
/// action never rewrites a field the analyst did not touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Change {
    SetDisposition {
        disposition: Disposition,
        #[serde(default)]
        expect: Expect<Disposition>,
    },
    /// Sets or (with `None`) removes the note.
    SetNote {
        note: Option<String>,
        #[serde(default)]
        expect: Expect<Option<String>>,
    },
    SetSeen {
        seen: bool,
        #[serde(default)]
        expect: Expect<bool>,
    },
    AddTag {
        tag: String,
    },
    RemoveTag {
        tag: String,
    },
    /// Assigns the cable to an analyst or (with `None`) to nobody. Conditional like the
    /// other fields, so two analysts assigning one cable on what they saw conflict.
    SetAssignee {
        assignee: Option<String>,
        #[serde(default)]
        expect: Expect<Option<String>>,
    },
}

impl Change {
    /// The field it changes, as the history and conflicts name it.
    pub fn field(&self) -> &'static str {
        match self {
            Change::SetDisposition { .. } => "disposition",
            Change::SetNote { .. } => "note",
            Change::SetSeen { .. } => "seen",
            Change::SetAssignee { .. } => "assignee",
            Change::AddTag { .. } | Change::RemoveTag { .. } => "tag",
        }
    }

    pub fn disposition(disposition: Disposition) -> Change {
        Change::SetDisposition {
            disposition,
            expect: Expect::Any,
        }
    }

    pub fn note(note: Option<String>) -> Change {
        Change::SetNote {
            note,
            expect: Expect::Any,
        }
    }

    pub fn seen(seen: bool) -> Change {
        Change::SetSeen {
            seen,
            expect: Expect::Any,
        }
    }

    pub fn assignee(assignee: Option<String>) -> Change {
        Change::SetAssignee {
            assignee,
            expect: Expect::Any,
        }
    }
}

/// A conditional change the store refused because the field no longer held what the analyst
/// saw: someone changed it since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: String,
    /// `disposition`, `note`, `seen` or `assignee`.
    pub field: String,
    /// What the analyst saw, and what the store holds.
    pub expected: Option<String>,
    pub found: Option<String>,
    /// The cable's record as the store holds it (its last change's analyst and time).
    pub current: Record,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by = if self.current.changed_by.is_empty() {
            "someone".to_string()
        } else {
            self.current.changed_by.clone()
        };
        write!(
            f,
            "{} {} is now {} (changed by {by} at {})",
            self.id,
            self.field,
            self.found.as_deref().unwrap_or("empty"),
            self.current.changed_at.format("%H:%M:%S")
        )
    }
}

/// A change and the cable it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CableChange {
    /// Canonicalised by the caller (`crate::cable::reference_id::canonicalize_id`).
    pub id: String,
    pub change: Change,
}

/// One user action: applied as one transaction, recorded in the history under `analyst`,
/// undone as one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub analyst: String,
    pub changes: Vec<CableChange>,
}

impl ActionRecord {
    pub fn new(analyst: impl Into<String>) -> ActionRecord {
        ActionRecord {
            analyst: analyst.into(),
            changes: Vec::new(),
        }
    }

    /// Adds a change (builder style).
    pub fn with(mut self, id: impl Into<String>, change: Change) -> ActionRecord {
        self.changes.push(CableChange {
            id: id.into(),
            change,
        });
        self
    }

    /// The same disposition for many cables, unconditionally (as a script sets it); with a
    /// note, the note too. Without one, notes are left as they are.
    pub fn dispose_all<'a>(
        analyst: impl Into<String>,
        ids: impl IntoIterator<Item = &'a str>,
        disposition: Disposition,
        note: Option<&str>,
    ) -> ActionRecord {
        ActionRecord {
            analyst: analyst.into(),
            changes: ids
                .into_iter()
                .flat_map(|id| {
                    let set = CableChange {
                        id: id.to_string(),
                        change: Change::disposition(disposition),
                    };
                    let note = note.map(|n| CableChange {
                        id: id.to_string(),
                        change: Change::note(Some(n.to_string())),
                    });
                    std::iter::once(set).chain(note)
                })
                .collect(),
        }
    }
}

/// One field of one record that an action changed, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "kebab-case")]
pub enum FieldChange {
    Disposition {
        id: String,
        before: Disposition,
        after: Disposition,
    },
    Note {
        id: String,
        before: Option<String>,
        after: Option<String>,
    },
    Seen {
        id: String,
        before: bool,
        after: bool,
    },
    /// A tag added (`added: true`) or removed.
    Tag {
        id: String,
        tag: String,
        added: bool,
    },
    Assignee {
        id: String,
        before: Option<String>,
        after: Option<String>,
    },
}

impl FieldChange {
    pub fn id(&self) -> &str {
        match self {
            FieldChange::Disposition { id, .. }
            | FieldChange::Note { id, .. }
            | FieldChange::Seen { id, .. }
            | FieldChange::Tag { id, .. }
            | FieldChange::Assignee { id, .. } => id,
        }
    }

    /// The field's name, as the history and conflicts name it.
    pub fn field(&self) -> &'static str {
        match self {
            FieldChange::Disposition { .. } => "disposition",
            FieldChange::Note { .. } => "note",
            FieldChange::Seen { .. } => "seen",
            FieldChange::Tag { .. } => "tag",
            FieldChange::Assignee { .. } => "assignee",
        }
    }

    /// The change that puts the field back, on the condition that it still holds what this
    /// change wrote: undo never overwrites a later change by someone else.
    fn inverse(&self) -> CableChange {
        let (id, change) = match self {
            FieldChange::Disposition { id, before, after } => (
                id,
                Change::SetDisposition {
                    disposition: *before,
                    expect: Expect::Was(*after),
                },
            ),
            FieldChange::Note { id, before, after } => (
                id,
                Change::SetNote {
                    note: before.clone(),
                    expect: Expect::Was(after.clone()),
                },
            ),
            FieldChange::Seen { id, before, after } => (
                id,
                Change::SetSeen {
                    seen: *before,
                    expect: Expect::Was(*after),
                },
            ),
            FieldChange::Tag { id, tag, added } => (
                id,
                if *added {
                    Change::RemoveTag { tag: tag.clone() }
                } else {
                    Change::AddTag { tag: tag.clone() }
                },
            ),
            FieldChange::Assignee { id, before, after } => (
                id,
                Change::SetAssignee {
                    assignee: before.clone(),
                    expect: Expect::Was(after.clone()),
                },
            ),
        };
        CableChange {
            id: id.clone(),
            change,
        }
    }
}

/// What an action did. Changes that changed nothing (a cable already in that state) are
/// left out, so an empty `changes` means the action was a no-op and no revision was used.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Applied {
    /// The revision the action committed as (the store's revision, unchanged for a no-op).
    pub revision: i64,
    pub changes: Vec<FieldChange>,
    /// Conditional changes whose field no longer held what was expected. When there are
    /// any, nothing of the action was written (`changes` is empty).
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

impl Applied {
    /// The action that undoes this one; applying it is a new action, recorded in the
    /// history like any other. Changes are reversed in reverse order, so a cable changed
    /// twice in one action ends as it began.
    pub fn inverse(&self, analyst: impl Into<String>) -> ActionRecord {
        ActionRecord {
            analyst: analyst.into(),
            changes: self
                .changes
                .iter()
                .rev()
                .map(FieldChange::inverse)
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes of the inverse whose cable and field are not in `conflicts`: what can
    /// still be undone when someone changed some of the fields since.
    pub fn without(&self, conflicts: &[Conflict]) -> Applied {
        Applied {
            revision: self.revision,
            changes: self
                .changes
                .iter()
                .filter(|c| {
                    !conflicts
                        .iter()
                        .any(|k| k.id == c.id() && k.field == c.field())
                })
                .cloned()
                .collect(),
            conflicts: Vec::new(),
        }
    }
}

/// One row of the append-only history: one field of one cable changed by one analyst.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Position in the history (increasing).
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Who made the change; `import:<analyst>` for a change merged from an export made by
    /// that analyst.
    pub analyst: String,
    pub id: String,
    /// `disposition`, `note`, `seen`, `tag` or `assignee`.
    pub field: String,
    /// The value before; `None` when there was none (no note, a tag not yet present).
    pub from: Option<String>,
    pub to: Option<String>,
    /// The action's revision: entries with one revision were one action.
    pub revision: i64,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ImportSummary {
    /// Records written (new, or replacing an older one).
    pub written: usize,
    /// Records already identical in the store.
    pub unchanged: usize,
    /// Records skipped because the store's was changed later than the imported one.
    pub kept_newer: usize,
    pub revision: i64,
}

/// A tag as the analyst typed it, checked: tags are short words so that `mytag:NAME` can
/// name them in a query.
pub fn check_tag(tag: &str) -> Result<&str, String> {
    let t = tag.trim();
    if t.is_empty() {
        Err("a tag cannot be empty".into())
    } else if t.chars().count() > MAX_TAG_CHARS {
        Err(format!(
            "tag {t:?} is longer than {MAX_TAG_CHARS} characters"
        ))
    } else if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(format!("tag {t:?} contains a space or a control character"))
    } else {
        Ok(t)
    }
}

pub const MAX_TAG_CHARS: usize = 64;

/// An analyst's name as typed for an assignment, checked: it is shown in a table column and
/// named by `assignee:NAME`, so it is one short word without control characters.
pub fn check_analyst(name: &str) -> Result<&str, String> {
    let n = name.trim();
    if n.is_empty() {
        Err("an analyst's name cannot be empty".into())
    } else if n.chars().count() > MAX_ANALYST_CHARS {
        Err(format!(
            "analyst {n:?} is longer than {MAX_ANALYST_CHARS} characters"
        ))
    } else if n
        .chars()
        .any(|c| (c.is_whitespace() && c != ' ') || crate::sanitize::is_unsafe(c))
    {
        // Spaces are a name's own (`Jane Doe`); other blanks and controls would disturb
        // the history's columns and terminals.
        Err(format!(
            "analyst {n:?} contains a control character (or another invisible one)"
        ))
    } else {
        Ok(n)
    }
}

pub const MAX_ANALYST_CHARS: usize = 64;

/// Names of analysts as a backend found them (in the history, as assignees), made a
/// completion list: only valid names, trimmed, sorted without regard to case, once each.
pub fn analysts_list(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut list: Vec<String> = names
        .into_iter()
        .filter_map(|n| check_analyst(&n).ok().map(str::to_string))
        .collect();
    list.sort_by(|a, b| {
        a.to_lowercase()
            .cmp(&b.to_lowercase())
            .then_with(|| a.cmp(b))
    });
    list.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_names_and_aliases() {
        for d in Disposition::ALL {
            assert_eq!(d.as_str().parse::<Disposition>(), Ok(d));
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.as_str()));
        }
        for (s, d) in [
            ("follow_up", Disposition::FollowUp),
            ("followup", Disposition::FollowUp),
            ("FOLLOW-UP", Disposition::FollowUp),
            ("no_action", Disposition::NoAction),
            ("none", Disposition::NoAction),
        ] {
            assert_eq!(s.parse::<Disposition>(), Ok(d));
        }
        let err = "later".parse::<Disposition>().unwrap_err().to_string();
        assert!(
            err.contains("later") && err.contains("follow-up, forwarded"),
            "{err}"
        );
    }

    #[test]
    fn inverse_reverses_in_reverse_order() {
        let applied = Applied {
            revision: 3,
            conflicts: Vec::new(),
            changes: vec![
                FieldChange::Seen {
                    id: "A".into(),
                    before: false,
                    after: true,
                },
                FieldChange::Tag {
                    id: "A".into(),
                    tag: "x".into(),
                    added: true,
                },
            ],
        };
        let inv = applied.inverse("me");
        assert_eq!(
            inv.changes,
            vec![
                CableChange {
                    id: "A".into(),
                    change: Change::RemoveTag { tag: "x".into() }
                },
                CableChange {
                    id: "A".into(),
                    change: Change::SetSeen {
                        seen: false,
                        expect: Expect::Was(true)
                    }
                },
            ]
        );
    }

    #[test]
    fn tags_are_short_words() {
        assert_eq!(check_tag(" urgent "), Ok("urgent"));
        assert!(check_tag("").is_err());
        assert!(check_tag("two words").is_err());
        assert!(check_tag(&"x".repeat(65)).is_err());
    }
}
