//! One row of the corpus index: what the table shows, sorts and filters on, and where the
//! full cable can be read again. Bodies are not kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::cable::{Cable, Classification, Precedence};

/// Where to read a cable again: a file of the corpus, and for a dump its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Index into [`super::Corpus::files`].
    pub file: u32,
    /// 1-based row in a dump; 0 for one-cable files.
    pub row: u64,
    /// Byte offset of the row in a dump; 0 for one-cable files.
    pub offset: u64,
}

/// The indexed fields of one cable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Box<str>,
    /// Seconds since the Unix epoch, UTC.
    pub date: Option<i64>,
    pub precedence: Precedence,
    pub classification: Classification,
    pub origin: Box<str>,
    pub subject: Box<str>,
    pub tags: Box<[Box<str>]>,
    pub references: Box<[Box<str>]>,
    pub caveats: Box<[Box<str>]>,
    pub location: Location,
}

impl Location {
    /// No place: for entries made in memory (tests, records of cables not in the corpus).
    pub const NOWHERE: Location = Location {
        file: 0,
        row: 0,
        offset: 0,
    };
}

impl Entry {
    /// An entry that knows only its id, for a cable not in the corpus; tests fill in the rest.
    pub fn blank(id: &str) -> Entry {
        Entry {
            id: id.into(),
            date: None,
            precedence: Precedence::default(),
            classification: Classification::default(),
            origin: "".into(),
            subject: "".into(),
            tags: Box::new([]),
            references: Box::new([]),
            caveats: Box::new([]),
            location: Location::NOWHERE,
        }
    }

    pub fn from_cable(cable: &Cable, location: Location) -> Entry {
        let boxed = |v: &[String]| v.iter().map(|s| s.as_str().into()).collect();
        Entry {
            id: cable.id.as_str().into(),
            date: cable.date.map(|d| d.timestamp()),
            precedence: cable.precedence,
            classification: cable.classification,
            origin: cable.origin.as_str().into(),
            subject: cable.subject.as_str().into(),
            tags: boxed(&cable.tags),
            references: boxed(&cable.references),
            caveats: boxed(&cable.caveats),
            location,
        }
    }

    /// [`Entry::from_cable`] taking the cable, so its strings move instead of being copied
    /// (the loader makes a quarter million of these).
    pub fn from_owned(cable: Cable, location: Location) -> Entry {
        let boxed = |v: Vec<String>| v.into_iter().map(String::into_boxed_str).collect();
        Entry {
            date: cable.date.map(|d| d.timestamp()),
            precedence: cable.precedence,
            classification: cable.classification,
            id: cable.id.into_boxed_str(),
            origin: cable.origin.into_boxed_str(),
            subject: cable.subject.into_boxed_str(),
            tags: boxed(cable.tags),
            references: boxed(cable.references),
            caveats: boxed(cable.caveats),
            location,
        }
    }

    pub fn datetime(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.date?, 0)
    }
}
