//! One cable per text file, and the ground-truth JSON lines that go with a corpus.

use super::cable::SynthCable;
use serde::Serialize;
use std::io::{self, Write};

/// Writes the cable as a text file holds it: header, one blank line, body.
pub fn write_text(w: &mut impl Write, c: &SynthCable) -> io::Result<()> {
    w.write_all(c.header.as_bytes())?;
    w.write_all(b"\n\n")?;
    w.write_all(c.body.as_bytes())
}

/// `08MOSCOW1052.txt`.
pub fn text_file_name(c: &SynthCable) -> String {
    format!("{}.txt", c.id)
}

/// The ground truth of one cable, as tests compare a parser against it.
#[derive(Serialize)]
struct Truth<'a> {
    id: &'a str,
    date: String,
    precedence: crate::cable::Precedence,
    classification: &'a str,
    origin: &'a str,
    from: &'a str,
    tags: &'a [String],
    subject: &'a str,
    references: &'a [String],
    paragraphs: usize,
}

/// Writes one JSON line with the cable's ground truth (date in RFC 3339).
pub fn write_truth_json(w: &mut impl Write, c: &SynthCable) -> io::Result<()> {
    let truth = Truth {
        id: &c.id,
        date: c.date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        precedence: c.precedence,
        classification: &c.classification,
        origin: &c.origin,
        from: &c.from,
        tags: &c.tags,
        subject: &c.subject,
        references: &c.references,
        paragraphs: c.paragraphs,
    };
    serde_json::to_writer(&mut *w, &truth)?;
    w.write_all(b"\n")
}
