//! Problems of keymap files and the checks that need the whole resolved keymap.
//!
//! [`super::file`] reports what one file gets wrong on its own (syntax, unknown modes and
//! actions, unreadable keys, a key bound twice); this module adds what only shows once a file
//! is merged over the keymaps it extends (a key that is also the start of a sequence, quit or
//! help left without a key, a mode left without a way out, a character that could no longer
//! be typed) and is the one place that says which problems are errors. [`check`] runs everything, for `keymap check`.

use std::fmt;
use std::path::{Path, PathBuf};

use super::source::{self, Choice, Loaded};
use super::{Binding, Keymap};
use crate::app::{Action, Mode};

/// Errors make a keymap unusable; warnings are shown but the keymap is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong with a keymap file, where it is.
///
/// Displays as `path:line:col: message` (`path: message` when the problem has no place in a
/// file, like a file that cannot be read); warnings say `warning:` before the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based, in characters; 0 when `line` is 0.
    pub col: usize,
    pub message: String,
    pub severity: Severity,
}

/// A problem that does not stop the keymap from being used.
pub type Warning = Problem;

impl Problem {
    pub fn error(path: &Path, pos: Pos, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: pos.line,
            col: pos.col,
            message: message.into(),
            severity: Severity::Error,
        }
    }

    pub fn warning(path: &Path, pos: Pos, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(path, pos, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.path.display())?;
        if self.line > 0 {
            write!(f, "{}:{}:", self.line, self.col)?;
        }
        if self.severity == Severity::Warning {
            f.write_str(" warning:")?;
        }
        write!(f, " {}", self.message)
    }
}

impl std::error::Error for Problem {}

/// A place in a file: 1-based line and column (in characters). `Pos::FILE` is "the whole file".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const FILE: Pos = Pos { line: 0, col: 0 };
    pub const START: Pos = Pos { line: 1, col: 1 };

    /// The line and column of a byte offset into `text` (clamped to the text, and to a
    /// character boundary, since parser spans may point just past the end).
    pub fn of(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos {
            line: before.matches('\n').count() + 1,
            col: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Every problem of a keymap and the chain it extends: errors and warnings, in file order.
/// `Err` when the keymap itself cannot be read (the problem says why).
pub fn check(choice: &Choice) -> Result<Vec<Problem>, Problem> {
    let loaded = source::read_chain(choice)?;
    Ok(Keymap::merge(&loaded).1)
}

/// The checks on a merged keymap, added to the problems the files had on their own.
pub(super) fn check_resolved(keymap: &Keymap, loaded: &Loaded, problems: &mut Vec<Problem>) {
    for (mode, bindings) in &keymap.modes {
        prefixes(*mode, bindings, problems);
        if mode.takes_text() {
            typing_keys(*mode, bindings, problems);
        }
    }
    // Reported even beside other errors (a binding that could not be read is lost all the
    // same, and the user should learn at once what the keymap is left without), but not
    // when a file could not be read at all: then everything would be missing.
    if loaded.files.iter().any(|f| f.unreadable) {
        return;
    }
    for action in [Action::Quit, Action::Help] {
        if !keymap.has_key_for(Mode::Table, action) {
            let (path, pos) = loaded.table_anchor();
            problems.push(Problem::error(
                &path,
                pos,
                format!(
                    "no key in [table] runs {:?}: the keymap must keep one",
                    action.name()
                ),
            ));
        }
    }
    for mode in Mode::ALL {
        let ways = ways_out(mode);
        // The table's way out is quit, reported above.
        if mode == Mode::Table || ways.iter().any(|a| keymap.has_key_for(mode, *a)) {
            continue;
        }
        // A keymap written before the thread view (no [thread] and no key for `thread`) is
        // fine: the app refuses to open the view without a way out of it.
        if mode == Mode::Thread
            && !Mode::ALL
                .iter()
                .any(|&m| keymap.has_key_for(m, Action::Thread))
        {
            continue;
        }
        let names: Vec<String> = ways.iter().map(|a| format!("{:?}", a.name())).collect();
        let (path, pos) = anchor(loaded, mode);
        problems.push(Problem::error(
            &path,
            pos,
            format!(
                "no key in [{mode}] leaves it: once in [{mode}], the app could never get out; \
                 bind one of {}",
                names.join(", ")
            ),
        ));
    }
}

/// The actions that leave a mode, as `App::update` handles them: a mode none of them has a
/// key for can be entered (help from any mode, prompts from commands and questions) but
/// never left.
pub fn ways_out(mode: Mode) -> &'static [Action] {
    match mode {
        Mode::Table => &[Action::Quit],
        Mode::Filter => &[Action::Cancel, Action::Accept, Action::Back],
        Mode::Reading | Mode::Thread => &[Action::Back, Action::Cancel],
        Mode::Help => &[Action::Back, Action::Cancel, Action::Help, Action::Accept],
        Mode::Prompt => &[Action::Cancel, Action::Accept, Action::Back],
    }
}

/// Where a problem about a whole mode is best shown: the mode's table in the file asked for,
/// else that file's start.
fn anchor(loaded: &Loaded, mode: Mode) -> (PathBuf, Pos) {
    let Some(leaf) = loaded.files.last() else {
        return (PathBuf::from(&loaded.label), Pos::FILE);
    };
    let pos = leaf
        .sections
        .iter()
        .find(|s| s.mode == mode)
        .map_or(Pos::START, |s| s.pos);
    (leaf.path.clone(), pos)
}

/// Problems grouped by file (in the order files first appear), then by place: the order a
/// reader fixes them in.
pub(super) fn sort(problems: &mut [Problem]) {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in problems.iter() {
        if !files.contains(&p.path) {
            files.push(p.path.clone());
        }
    }
    problems.sort_by_key(|p| (files.iter().position(|f| *f == p.path), p.line, p.col));
}

/// A key bound alone and as the start of a longer sequence could never reach the sequence.
fn prefixes(
    mode: Mode,
    bindings: &std::collections::BTreeMap<super::KeySeq, Binding>,
    problems: &mut Vec<Problem>,
) {
    for (seq, long) in bindings {
        for n in 1..seq.len() {
            let prefix = super::KeySeq(seq.keys()[..n].to_vec());
            let Some(short) = bindings.get(&prefix) else {
                continue;
            };
            // Report at the binding written last (the file nearer the one asked for, else
            // further down): it is the one that broke the other.
            let written_later = |o: &super::Origin| (std::cmp::Reverse(o.rank.0), o.rank.1);
            let (long_text, short_text) = (seq.to_string(), prefix.to_string());
            let (at, message) = if written_later(&short.origin) > written_later(&long.origin) {
                let message = format!(
                    "{short_text:?} in [{mode}] is also the start of {long_text:?} ({}): \
                     {long_text:?} could never be typed",
                    long.origin.describe_from(&short.origin),
                );
                (short, message)
            } else {
                let message = format!(
                    "{long_text:?} in [{mode}] starts with {short_text:?}, which is bound on its \
                     own ({}): {long_text:?} could never be typed",
                    short.origin.describe_from(&long.origin),
                );
                (long, message)
            };
            problems.push(Problem::error(&at.origin.path, at.origin.pos, message));
        }
    }
}

/// In modes that take text an unbound printable key types itself; binding one takes that
/// character away from the user.
fn typing_keys(
    mode: Mode,
    bindings: &std::collections::BTreeMap<super::KeySeq, Binding>,
    problems: &mut Vec<Problem>,
) {
    for (seq, binding) in bindings {
        if seq.keys().first().is_some_and(|k| k.is_plain_char()) {
            problems.push(Problem::warning(
                &binding.origin.path,
                binding.origin.pos,
                format!(
                    "{:?} in [{mode}] can no longer be typed: [{mode}] takes text, so a plain \
                     character is better left unbound",
                    seq.to_string()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd = 1\n";
        assert_eq!(Pos::of(text, 0), Pos { line: 1, col: 1 });
        assert_eq!(Pos::of(text, 3), Pos { line: 2, col: 1 });
        // `ç` is two bytes but one column.
        assert_eq!(Pos::of(text, 5), Pos { line: 2, col: 2 });
        assert_eq!(Pos::of(text, 4), Pos { line: 2, col: 1 });
        assert_eq!(Pos::of(text, 99), Pos { line: 3, col: 1 });
    }

    #[test]
    fn problems_display_with_their_place() {
        let p = Problem::error(Path::new("k.toml"), Pos { line: 3, col: 7 }, "bad");
        assert_eq!(p.to_string(), "k.toml:3:7: bad");
        let w = Problem::warning(Path::new("k.toml"), Pos { line: 1, col: 1 }, "meh");
        assert_eq!(w.to_string(), "k.toml:1:1: warning: meh");
        let f = Problem::error(Path::new("k.toml"), Pos::FILE, "cannot read");
        assert_eq!(f.to_string(), "k.toml: cannot read");
    }
}
