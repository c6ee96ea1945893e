//! The modes of the app: each has its own keymap section and view.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// The inbox table.
    Table,
    /// Typing a filter query over the table.
    Filter,
    /// Reading one cable.
    Reading,
    /// The conversation of one cable, as a tree.
    Thread,
    /// The help overlay.
    Help,
    /// A one-line prompt: the `:` command line, a search inside a cable.
    Prompt,
}

impl Mode {
    pub const ALL: [Mode; 6] = [
        Mode::Table,
        Mode::Filter,
        Mode::Reading,
        Mode::Thread,
        Mode::Help,
        Mode::Prompt,
    ];

    /// The keymap section name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Table => "table",
            Mode::Filter => "filter",
            Mode::Reading => "reading",
            Mode::Thread => "thread",
            Mode::Help => "help",
            Mode::Prompt => "prompt",
        }
    }

    /// Modes where an unbound printable key types itself.
    pub fn takes_text(self) -> bool {
        matches!(self, Mode::Filter | Mode::Prompt | Mode::Help)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown mode {s:?}: the modes are table, filter, reading, thread, help, prompt"
                )
            })
    }
}
