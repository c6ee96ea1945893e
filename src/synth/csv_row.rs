//! Rows of the `cables.csv` dump: eight double-quoted columns, backslash escapes.
//!
//! The dump does not double quotes as RFC 4180 would: `"` and `'` inside a field are written
//! `\"` and `\'`, and fields hold literal newlines. There is no header row.

use super::cable::{Generator, SynthCable};
use chrono::{Datelike, Timelike};
use std::io::{self, Write};

/// Writes one dump row: row number, date, id, origin, classification, references, header, body.
pub fn write_csv_row(w: &mut impl Write, row_number: u64, c: &SynthCable) -> io::Result<()> {
    let d = c.date;
    // `M/D/YYYY H:MM`: no padding except the minutes.
    write!(
        w,
        "\"{row_number}\",\"{}/{}/{} {}:{:02}\",\"",
        d.month(),
        d.day(),
        d.year(),
        d.hour(),
        d.minute()
    )?;
    write_escaped(w, &c.id)?;
    w.write_all(b"\",\"")?;
    write_escaped(w, &c.origin)?;
    w.write_all(b"\",\"")?;
    write_escaped(w, &c.classification)?;
    w.write_all(b"\",\"")?;
    // The dump lists references sorted; the cable cites them in its own order.
    let mut refs: Vec<&str> = c.references.iter().map(String::as_str).collect();
    refs.sort_unstable();
    for (i, r) in refs.iter().enumerate() {
        if i > 0 {
            w.write_all(b"|")?;
        }
        write_escaped(w, r)?;
    }
    w.write_all(b"\",\"")?;
    write_escaped(w, &c.header)?;
    w.write_all(b"\",\"")?;
    write_escaped(w, &c.body)?;
    w.write_all(b"\"\n")
}

/// Writes `s` with `"` and `'` backslash-escaped, in as few writes as possible.
fn write_escaped(w: &mut impl Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'"', b'\'', bytes) {
        w.write_all(&bytes[start..i])?;
        w.write_all(b"\\")?;
        start = i;
    }
    w.write_all(&bytes[start..])
}

/// A whole dump of `count` generated cables in memory (the app's embedded demo corpus).
pub fn demo_csv(count: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(count * 6 * 1024);
    let mut generator = Generator::new(seed);
    let mut cable = SynthCable::default();
    for row in 1..=count {
        generator.next_into(&mut cable);
        // Writing to a Vec cannot fail; stop rather than panic if it ever did.
        if write_csv_row(&mut out, row as u64, &cable).is_err() {
            break;
        }
    }
    out
}
