//! Keymaps: which keys run which [`Action`]s in each [`Mode`].
//!
//! The parts, from the outside in:
//! - [`key`]: our own [`Key`] and [`KeySeq`], their notation (`ctrl-d`, `G`, `g g`) and the
//!   conversion from crossterm's events;
//! - [`file`]: one TOML keymap file, read with the place of everything in it;
//! - [`source`]: where keymaps come from (shipped, a path, the user's `keymap.toml`) and the
//!   `extends` chain;
//! - this module: the chain merged into a [`Keymap`] (a child overrides single keys of its
//!   parent, `no-op` removes one), and [`Keymap::resolve`], which the event loop asks what a
//!   key (or the keys pressed so far) does;
//! - [`check`]: problems with their `file:line:col`, and the checks of the merged keymap;
//! - [`markdown`]: the README's key table, generated like the help overlay from
//!   [`Keymap::bindings`] and the actions' descriptions.
//!
//! Nothing here draws or reads the terminal; only `key` knows crossterm, for the conversion.

pub mod check;
pub mod file;
pub mod key;
pub mod markdown;
pub mod source;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::app::{Action, Mode};

pub use check::{Pos, Problem, Severity, Warning};
pub use key::{Key, KeyCode, KeyError, KeySeq, Mods};
pub use markdown::markdown_table;
pub use source::{Choice, SHIPPED};

use source::Loaded;

/// A merged keymap: per mode, key sequences and the actions they run.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    label: String,
    modes: BTreeMap<Mode, BTreeMap<KeySeq, Binding>>,
}

/// What a binding runs and where it was written.
#[derive(Debug, Clone)]
struct Binding {
    actions: Vec<Action>,
    origin: Origin,
}

#[derive(Debug, Clone)]
struct Origin {
    path: PathBuf,
    pos: Pos,
    /// Sort key: files nearer the one asked for first, then the order of writing. A vim
    /// user's `j` then shows before the default's `down`.
    rank: (usize, usize),
}

impl Origin {
    /// "line 5" in the same file as `from`, else "path:5:1".
    fn describe_from(&self, from: &Origin) -> String {
        if self.path == from.path {
            format!("line {}", self.pos.line)
        } else {
            format!("{}:{}", self.path.display(), self.pos)
        }
    }
}

/// What the keys pressed so far do in a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// Run these, in order, and forget the pending keys.
    Actions(&'a [Action]),
    /// The keys begin a longer sequence: wait for the next key.
    Pending,
    /// Nothing: in a mode that takes text a plain character types itself.
    Unbound,
}

impl Keymap {
    /// The keymap the app runs with: `choice` is `--keymap NAME|PATH`; without it, the user's
    /// `keymap.toml` in the config folder (or `$CABLETRIAGE_CONFIG_DIR`) when there is one,
    /// else the shipped default.
    ///
    /// `Err` holds every problem (errors and warnings) when any is an error. The app then
    /// does not start: `main` prints them, points to `cabletriage keymap check`, and exits
    /// with status 1 (running with keys other than the ones the user wrote would surprise
    /// more than stopping).
    pub fn load(choice: Option<&str>) -> Result<(Keymap, Vec<Warning>), Vec<Problem>> {
        let choice = choice.map_or_else(Choice::user_or_default, Choice::from_arg);
        Keymap::load_choice(&choice)
    }

    /// [`Keymap::load`] with the choice already made.
    pub fn load_choice(choice: &Choice) -> Result<(Keymap, Vec<Warning>), Vec<Problem>> {
        let loaded = source::read_chain(choice).map_err(|p| vec![p])?;
        let (keymap, problems) = Keymap::merge(&loaded);
        if problems.iter().any(Problem::is_error) {
            Err(problems)
        } else {
            Ok((keymap, problems))
        }
    }

    /// The shipped default. It cannot fail: the shipped keymaps are checked by the tests, and
    /// even a broken one would give the bindings that could be read rather than a panic.
    pub fn shipped_default() -> Keymap {
        match source::read_chain(&Choice::Shipped("default")) {
            Ok(loaded) => Keymap::merge(&loaded).0,
            Err(_) => Keymap::default(),
        }
    }

    /// Merges a chain, root first, and runs the checks of the merged keymap.
    fn merge(loaded: &Loaded) -> (Keymap, Vec<Problem>) {
        let mut keymap = Keymap {
            label: loaded.label.clone(),
            modes: BTreeMap::new(),
        };
        let depth = loaded.files.len();
        for (i, file) in loaded.files.iter().enumerate() {
            for section in &file.sections {
                let bindings = keymap.modes.entry(section.mode).or_default();
                for entry in &section.entries {
                    if entry.actions == [Action::NoOp] {
                        bindings.remove(&entry.seq);
                        continue;
                    }
                    let origin = Origin {
                        path: file.path.clone(),
                        pos: entry.pos,
                        rank: (depth - 1 - i, entry.offset),
                    };
                    let binding = Binding {
                        actions: entry.actions.clone(),
                        origin,
                    };
                    bindings.insert(entry.seq.clone(), binding);
                }
            }
        }
        let mut problems = loaded.problems.clone();
        check::check_resolved(&keymap, loaded, &mut problems);
        check::sort(&mut problems);
        (keymap, problems)
    }

    /// The keymap's name: a shipped name or the path of its file.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// What the keys pressed so far (`pending`, the last one included) do in `mode`.
    pub fn resolve(&self, mode: Mode, pending: &[Key]) -> Resolution<'_> {
        let Some(bindings) = self.modes.get(&mode) else {
            return Resolution::Unbound;
        };
        if pending.is_empty() {
            return Resolution::Unbound;
        }
        let seq = KeySeq(pending.iter().map(|k| k.normalized()).collect());
        // Sequences sort after their prefixes, so the first entry from `seq` on is either
        // `seq` itself or the smallest sequence that continues it.
        match bindings.range(seq.clone()..).next() {
            Some((found, binding)) if *found == seq => Resolution::Actions(&binding.actions),
            Some((found, _)) if found.starts_with(seq.keys()) => Resolution::Pending,
            _ => Resolution::Unbound,
        }
    }

    /// Every binding of a mode, ordered as the help lists them: by the first action's place
    /// in [`Action::ALL`], then with the keys of the file asked for before inherited ones,
    /// in the order they were written.
    pub fn bindings(&self, mode: Mode) -> Vec<(KeySeq, Vec<Action>)> {
        self.sorted(mode)
            .into_iter()
            .map(|(seq, b)| (seq.clone(), b.actions.clone()))
            .collect()
    }

    /// What the help overlay lists for every mode: the keys that run the same actions
    /// joined (`j, down`), in the order of [`Keymap::bindings`].
    pub fn help_bindings(&self) -> crate::app::Bindings {
        Mode::ALL
            .into_iter()
            .map(|mode| {
                let mut grouped: Vec<(String, Vec<Action>)> = Vec::new();
                for (seq, actions) in self.bindings(mode) {
                    if actions == [Action::NoOp] {
                        continue;
                    }
                    match grouped.iter_mut().find(|(_, a)| *a == actions) {
                        Some((keys, _)) => {
                            keys.push_str(", ");
                            keys.push_str(&seq.to_string());
                        }
                        None => grouped.push((seq.to_string(), actions)),
                    }
                }
                (mode, grouped)
            })
            .collect()
    }

    /// The keys that run exactly `action` (and nothing more) in `mode`, the preferred first:
    /// for hints such as "q quit".
    pub fn keys_for(&self, mode: Mode, action: Action) -> Vec<KeySeq> {
        self.sorted(mode)
            .into_iter()
            .filter(|(_, b)| b.actions == [action])
            .map(|(seq, _)| seq.clone())
            .collect()
    }

    /// Whether some key of `mode` runs `action`, alone or in a list.
    pub fn has_key_for(&self, mode: Mode, action: Action) -> bool {
        self.modes
            .get(&mode)
            .is_some_and(|b| b.values().any(|b| b.actions.contains(&action)))
    }

    fn sorted(&self, mode: Mode) -> Vec<(&KeySeq, &Binding)> {
        let mut all: Vec<_> = self.modes.get(&mode).into_iter().flatten().collect();
        all.sort_by_key(|(_, b)| (action_order(&b.actions), b.origin.rank));
        all
    }
}

/// The place of each action of a list in [`Action::ALL`]: the help's order.
fn action_order(actions: &[Action]) -> Vec<usize> {
    actions
        .iter()
        .map(|a| {
            Action::ALL
                .iter()
                .position(|x| x == a)
                .unwrap_or(usize::MAX)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn keymap(text: &str) -> (Keymap, Vec<Problem>) {
        let (file, problems) = file::parse(Path::new("k.toml"), text);
        let loaded = Loaded {
            label: "k".into(),
            files: vec![file],
            problems,
        };
        Keymap::merge(&loaded)
    }

    fn keys(s: &str) -> Vec<Key> {
        s.parse::<KeySeq>().map(|s| s.0).unwrap_or_default()
    }

    #[test]
    fn sequences_resolve_key_by_key() {
        let (km, problems) = keymap(
            "[table]\nq = \"quit\"\n\"?\" = \"help\"\n\"g g\" = \"top\"\n\"g e\" = \"bottom\"\n\
             [filter]\nesc = \"cancel\"\n[reading]\nesc = \"back\"\n[help]\nesc = \"back\"\n\
             [prompt]\nesc = \"cancel\"\n",
        );
        assert_eq!(problems, []);
        assert_eq!(km.resolve(Mode::Table, &keys("g")), Resolution::Pending);
        assert_eq!(
            km.resolve(Mode::Table, &keys("g g")),
            Resolution::Actions(&[Action::Top])
        );
        assert_eq!(
            km.resolve(Mode::Table, &keys("g e")),
            Resolution::Actions(&[Action::Bottom])
        );
        assert_eq!(km.resolve(Mode::Table, &keys("g x")), Resolution::Unbound);
        assert_eq!(km.resolve(Mode::Table, &keys("x")), Resolution::Unbound);
        assert_eq!(km.resolve(Mode::Table, &[]), Resolution::Unbound);
        assert_eq!(km.resolve(Mode::Reading, &keys("q")), Resolution::Unbound);
    }

    #[test]
    fn resolve_normalises_what_it_is_given() {
        let (km, _) = keymap("[table]\nq = \"quit\"\n\"?\" = \"help\"\nG = \"bottom\"\n");
        let shifted_g = Key {
            code: KeyCode::Char('g'),
            mods: Mods::SHIFT,
        };
        assert_eq!(
            km.resolve(Mode::Table, &[shifted_g]),
            Resolution::Actions(&[Action::Bottom])
        );
    }

    #[test]
    fn bindings_follow_the_action_order() {
        let (km, _) = keymap(
            "[table]\nend = \"bottom\"\nq = \"quit\"\n\"ctrl-c\" = \"quit\"\n\"?\" = \"help\"\n",
        );
        let listed: Vec<String> = km
            .bindings(Mode::Table)
            .iter()
            .map(|(k, a)| format!("{k}={}", a[0]))
            .collect();
        assert_eq!(listed, ["q=quit", "ctrl-c=quit", "?=help", "end=bottom"]);
        assert_eq!(
            km.keys_for(Mode::Table, Action::Quit)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["q", "ctrl-c"]
        );
    }
}
