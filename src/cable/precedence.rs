//! Precedence: how urgently a cable must be handled.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Ordered from most to least urgent, so that sorting ascending puts FLASH first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Precedence {
    Flash,
    #[serde(rename = "NIACT IMMEDIATE")]
    NiactImmediate,
    Immediate,
    Priority,
    Routine,
    #[default]
    Unknown,
}

impl Precedence {
    pub const ALL: [Precedence; 6] = [
        Precedence::Flash,
        Precedence::NiactImmediate,
        Precedence::Immediate,
        Precedence::Priority,
        Precedence::Routine,
        Precedence::Unknown,
    ];

    /// The prosign letter of a date-time-group line (`Z`, `O`, `P`, `R`).
    pub fn from_prosign(letter: char) -> Option<Precedence> {
        match letter {
            'Z' => Some(Precedence::Flash),
            'O' => Some(Precedence::Immediate),
            'P' => Some(Precedence::Priority),
            'R' => Some(Precedence::Routine),
            _ => None,
        }
    }

    /// A precedence as written on an addressee line or typed by a user (case-insensitive;
    /// `NIACT`, `IMMED`, `PRIOR`, `ROUT` abbreviations accepted).
    pub fn from_word(word: &str) -> Option<Precedence> {
        let w = super::clean::trim(word).to_ascii_uppercase();
        let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
        match w.as_str() {
            "FLASH" | "Z" => Some(Precedence::Flash),
            "NIACT IMMEDIATE" | "NIACT" | "NIACT_IMMEDIATE" => Some(Precedence::NiactImmediate),
            "IMMEDIATE" | "IMMED" | "O" => Some(Precedence::Immediate),
            "PRIORITY" | "PRIOR" | "P" => Some(Precedence::Priority),
            "ROUTINE" | "ROUT" | "R" => Some(Precedence::Routine),
            "UNKNOWN" => Some(Precedence::Unknown),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Precedence::Flash => "FLASH",
            Precedence::NiactImmediate => "NIACT IMMEDIATE",
            Precedence::Immediate => "IMMEDIATE",
            Precedence::Priority => "PRIORITY",
            Precedence::Routine => "ROUTINE",
            Precedence::Unknown => "UNKNOWN",
        }
    }

    /// Five-letter form for narrow table columns.
    pub fn short(self) -> &'static str {
        match self {
            Precedence::Flash => "FLASH",
            Precedence::NiactImmediate => "NIACT",
            Precedence::Immediate => "IMMED",
            Precedence::Priority => "PRIOR",
            Precedence::Routine => "ROUT",
            Precedence::Unknown => "-",
        }
    }
}

impl fmt::Display for Precedence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_sorts_first_and_unknown_last() {
        let mut all = Precedence::ALL;
        all.reverse();
        all.sort();
        assert_eq!(all, Precedence::ALL);
        assert!(Precedence::Flash < Precedence::NiactImmediate);
        assert!(Precedence::Routine < Precedence::Unknown);
    }

    #[test]
    fn words_and_prosigns_read() {
        assert_eq!(Precedence::from_prosign('O'), Some(Precedence::Immediate));
        assert_eq!(Precedence::from_prosign('X'), None);
        assert_eq!(
            Precedence::from_word("niact  immediate"),
            Some(Precedence::NiactImmediate)
        );
        assert_eq!(Precedence::from_word("prior"), Some(Precedence::Priority));
        assert_eq!(Precedence::from_word("soon"), None);
    }

    #[test]
    fn serialises_as_written_in_cables() {
        let json = serde_json::to_string(&Precedence::NiactImmediate).unwrap();
        assert_eq!(json, "\"NIACT IMMEDIATE\"");
        assert_eq!(
            serde_json::to_string(&Precedence::Flash).unwrap(),
            "\"FLASH\""
        );
    }
}
