//! The cable model and the extraction of its fields from telegram text.
//!
//! A cable arrives as text in one of three shapes (a text file, a Cablegate page, a row of the
//! `cables.csv` dump); the readers in [`crate::read`] turn each into a [`RawCable`]: the header
//! block, the body, and whatever metadata the container states. [`Cable::from_raw`] then reads
//! every field from that, preferring stated metadata over what the telegram text says.
//!
//! Each field has its own small module (`dtg.rs`, `tags.rs`, `references.rs`, ...) whose
//! functions take plain text and return plain values, so they can be tested alone against the
//! cablemap conformance vectors. Nothing here knows about terminals or files.

pub mod caption;
pub mod classification;
pub mod classified_by;
pub mod clean;
pub mod declassify;
pub mod dtg;
pub mod interpret;
pub mod origin;
pub mod paragraphs;
pub mod precedence;
pub mod recipients;
pub mod reference_id;
pub mod references;
pub mod routing;
pub mod signed_by;
pub mod subject;
pub mod summary;
pub mod tag_meaning;
pub mod tags;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

pub use classification::Classification;
pub use paragraphs::Paragraph;
pub use precedence::Precedence;
pub use recipients::Recipient;

/// Where a cable was read from, precise enough to read its body again later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Source {
    pub path: String,
    /// 1-based row in a `cables.csv` dump; `None` for one-cable files.
    pub row: Option<u64>,
    /// Byte offset of the row's first byte in the dump; `None` for one-cable files.
    pub offset: Option<u64>,
}

/// What a container (page metadata table, CSV columns) states about a cable, beside its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub id: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub classification: Option<String>,
    pub origin: Option<String>,
    pub references: Vec<String>,
}

/// A cable as a reader found it, before its fields are interpreted.
#[derive(Debug, Clone, Default)]
pub struct RawCable {
    /// The telegram header block (routing lines, DTG, FM/TO/INFO), possibly empty.
    pub header: String,
    /// Everything after the header: caption, TAGS, SUBJECT, REF, paragraphs.
    pub body: String,
    pub meta: Metadata,
    pub source: Source,
    /// The year to assume for a fragment that states none (`parse --year`).
    pub default_year: Option<i32>,
}

/// One cable with every field the app shows, sorts or filters on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cable {
    pub id: String,
    pub date: Option<DateTime<Utc>>,
    pub precedence: Precedence,
    pub classification: Classification,
    pub caveats: Vec<String>,
    pub origin: String,
    pub from: String,
    pub to: Vec<Recipient>,
    pub info: Vec<Recipient>,
    pub tags: Vec<String>,
    pub subject: String,
    pub references: Vec<String>,
    pub classified_by: Vec<String>,
    pub declassify_on: Option<NaiveDate>,
    pub signed_by: Vec<String>,
    pub summary: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    /// How many paragraphs the body has: `paragraphs.len()` when they are read, counted
    /// without their text for a record ([`Cable::for_record`]), 0 for the index.
    pub paragraph_count: usize,
    pub source: Source,
}

impl Cable {
    /// Interprets a raw cable. Never fails: a field that cannot be read is left empty.
    pub fn from_raw(raw: &RawCable) -> Cable {
        interpret::interpret(raw)
    }

    /// Every field but the paragraphs' text, which is only counted: what `parse` prints.
    pub fn for_record(raw: &RawCable) -> Cable {
        interpret::interpret_to(raw, interpret::Depth::Record)
    }

    /// Only the fields the corpus index holds (see [`interpret::Depth::Index`]).
    pub fn for_index(raw: &RawCable) -> Cable {
        interpret::interpret_to(raw, interpret::Depth::Index)
    }
}
