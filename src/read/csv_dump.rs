//! The `cables.csv` dump: 8 double-quoted columns, no header row, quotes and apostrophes
//! backslash-escaped (`\"`, `\'`), never doubled, fields with literal newlines.
//!
//! The csv crate reads this dialect, but the app also needs each row's byte offset to read a
//! body again later, resynchronisation after a broken row, and exact messages for truncated
//! rows and unterminated quotes; so the dump has its own small streaming scanner. It reads
//! sequentially in large blocks and never holds more than the block and the current row.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use memchr::memchr2;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::cable::{Metadata, RawCable, Source};

/// The dump's columns.
pub const FIELDS: usize = 8;
const BLOCK: usize = 1 << 20;

/// One row as read, fields unescaped but not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpRow {
    /// 1-based row number in the file.
    pub row: u64,
    /// Byte offset of the row's first byte.
    pub offset: u64,
    pub fields: Vec<Vec<u8>>,
}

/// A row that could not be read; the scanner has moved past it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: u64,
    pub offset: u64,
    pub message: String,
}

/// Streams rows out of any reader.
pub struct DumpReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// Start of unread data in `buf`.
    pos: usize,
    /// File offset of `buf[0]`.
    base: u64,
    eof: bool,
    rows: u64,
    /// Where a quoted field is unescaped before it is copied out at its size: built in
    /// place, a body with escapes would grow its vector a dozen times.
    field: Vec<u8>,
}

enum Scan {
    Row(Vec<Vec<u8>>, usize),
    /// The row runs past the buffered data.
    Incomplete,
}

impl<R: Read> DumpReader<R> {
    pub fn new(inner: R) -> Self {
        DumpReader {
            inner,
            buf: Vec::with_capacity(BLOCK),
            pos: 0,
            base: 0,
            eof: false,
            rows: 0,
            field: Vec::new(),
        }
    }

    /// Starts counting rows and offsets from a known position (reading one row again).
    pub fn starting_at(inner: R, offset: u64, row: u64) -> Self {
        let mut r = DumpReader::new(inner);
        r.base = offset;
        r.rows = row.saturating_sub(1);
        r
    }

    /// The next row, a row error, or `None` at the end. I/O errors end the stream.
    pub fn next_row(&mut self) -> Option<io::Result<Result<DumpRow, RowError>>> {
        loop {
            // Rows are separated by line ends; blank lines between rows are not rows.
            while self.pos < self.buf.len() && matches!(self.buf[self.pos], b'\n' | b'\r') {
                self.pos += 1;
            }
            if self.pos >= self.buf.len() {
                if self.eof {
                    return None;
                }
                if let Err(e) = self.fill() {
                    return Some(Err(e));
                }
                continue;
            }
            match scan_row(&self.buf[self.pos..], self.eof, &mut self.field) {
                Scan::Row(fields, used) => {
                    self.rows += 1;
                    let offset = self.base + self.pos as u64;
                    self.pos += used;
                    let row = self.rows;
                    return Some(Ok(if fields.len() == FIELDS {
                        Ok(DumpRow {
                            row,
                            offset,
                            fields,
                        })
                    } else {
                        Err(RowError {
                            row,
                            offset,
                            message: format!(
                                "expected {FIELDS} fields, found {} (truncated or broken row)",
                                fields.len()
                            ),
                        })
                    }));
                }
                Scan::Incomplete if self.eof => {
                    self.rows += 1;
                    let offset = self.base + self.pos as u64;
                    self.pos = self.buf.len();
                    return Some(Ok(Err(RowError {
                        row: self.rows,
                        offset,
                        message: "unterminated quote: the row runs to the end of the file"
                            .to_string(),
                    })));
                }
                Scan::Incomplete => {
                    if let Err(e) = self.fill() {
                        return Some(Err(e));
                    }
                }
            }
        }
    }

    /// Moves unread data to the front and reads another block after it.
    fn fill(&mut self) -> io::Result<()> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        let start = self.buf.len();
        // Grow by at least a block, and geometrically for rows larger than the buffer.
        let want = BLOCK.max(start);
        self.buf.reserve(want);
        // `read_to_end` on a `take` reads into the spare capacity without zeroing it first.
        let read = (&mut self.inner)
            .take(want as u64)
            .read_to_end(&mut self.buf)?;
        if read < want {
            self.eof = true;
        }
        Ok(())
    }
}

impl<R: Read> Iterator for DumpReader<R> {
    type Item = io::Result<Result<DumpRow, RowError>>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_row()
    }
}

/// Scans one row at the start of `data`. A quote not followed by a separator is taken as a
/// literal character, as the dump's writer never doubled quotes.
fn scan_row(data: &[u8], at_eof: bool, field: &mut Vec<u8>) -> Scan {
    let mut fields = Vec::with_capacity(FIELDS);
    let mut i = 0;
    loop {
        if i >= data.len() {
            if at_eof {
                // A trailing separator at the end of the file: an empty last field.
                fields.push(Vec::new());
                return Scan::Row(fields, i);
            }
            return Scan::Incomplete;
        }
        if data[i] == b'"' {
            field.clear();
            let mut j = i + 1;
            loop {
                let Some(k) = memchr2(b'"', b'\\', &data[j..]) else {
                    return Scan::Incomplete;
                };
                field.extend_from_slice(&data[j..j + k]);
                j += k;
                if data[j] == b'\\' {
                    let Some(&next) = data.get(j + 1) else {
                        return Scan::Incomplete;
                    };
                    if !matches!(next, b'"' | b'\'' | b'\\') {
                        field.push(b'\\');
                    }
                    field.push(next);
                    j += 2;
                    continue;
                }
                // A closing quote ends the field only before a separator or the row's end.
                match data.get(j + 1) {
                    None if !at_eof => return Scan::Incomplete,
                    None | Some(b',') | Some(b'\n') | Some(b'\r') => break,
                    Some(_) => {
                        field.push(b'"');
                        j += 1;
                    }
                }
            }
            fields.push(field.as_slice().to_vec());
            i = j + 1;
        } else {
            // Unquoted field (not written by the dump, accepted anyway).
            let end = data[i..]
                .iter()
                .position(|&b| matches!(b, b',' | b'\n' | b'\r'))
                .map(|p| i + p);
            match end {
                Some(e) => {
                    fields.push(data[i..e].to_vec());
                    i = e;
                }
                None if at_eof => {
                    fields.push(data[i..].to_vec());
                    return Scan::Row(fields, data.len());
                }
                None => return Scan::Incomplete,
            }
        }
        match data.get(i) {
            Some(b',') => {
                i += 1;
                if i >= data.len() && !at_eof {
                    return Scan::Incomplete;
                }
            }
            Some(b'\r') => {
                let used = if data.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                return Scan::Row(fields, used);
            }
            Some(b'\n') => return Scan::Row(fields, i + 1),
            None if at_eof => return Scan::Row(fields, i),
            None => return Scan::Incomplete,
            Some(_) => return Scan::Row(fields, i),
        }
    }
}

/// A dump row as a raw cable; `lossy` is set when a field was not valid UTF-8.
pub fn to_raw_cable(row: DumpRow, path: &str) -> (RawCable, bool) {
    let mut lossy = false;
    // Valid UTF-8 (the rule) becomes a String without a copy.
    let mut text = |bytes: Vec<u8>| -> String {
        String::from_utf8(bytes).unwrap_or_else(|e| {
            lossy = true;
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        })
    };
    let mut f = row.fields.into_iter();
    let mut next = || f.next().unwrap_or_default();
    let _row_number = next();
    let date = parse_dump_date(&text(next()));
    let id = text(next());
    let origin = text(next());
    let classification = text(next());
    let references = text(next())
        .split('|')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    let header = text(next());
    let body = text(next());
    let raw = RawCable {
        header,
        body,
        meta: Metadata {
            id: Some(id.trim().to_string()).filter(|s| !s.is_empty()),
            date,
            classification: Some(classification).filter(|s| !s.trim().is_empty()),
            origin: Some(origin.trim().to_string()).filter(|s| !s.is_empty()),
            references,
        },
        source: Source {
            path: path.to_string(),
            row: Some(row.row),
            offset: Some(row.offset),
        },
        default_year: None,
    };
    (raw, lossy)
}

/// `12/28/1966 18:48` (UTC, no zero padding).
pub fn parse_dump_date(s: &str) -> Option<DateTime<Utc>> {
    let (date, time) = s.trim().split_once(' ')?;
    let mut d = date.split('/');
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    let year: i32 = d.next()?.parse().ok()?;
    let (hour, minute) = time.trim().split_once(':')?;
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(
        hour.parse().ok()?,
        minute.parse().ok()?,
        0,
    )?;
    Some(Utc.from_utc_datetime(&naive))
}

/// Reads the one row that starts at `offset` (as recorded in a cable's [`Source`]).
pub fn read_row_at(path: &Path, offset: u64, row: u64) -> io::Result<Result<DumpRow, RowError>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut reader = DumpReader::starting_at(file, offset, row);
    reader.next_row().unwrap_or_else(|| {
        Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "no row at offset",
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[u8]) -> Vec<Result<DumpRow, RowError>> {
        DumpReader::new(data).map(|r| r.unwrap()).collect()
    }

    fn row(n: u32, body: &str) -> String {
        format!(
            "\"{n}\",\"4/16/2008 13:49\",\"08STATION{n}\",\"Embassy Station\",\"SECRET\",\"07STATE1|07STATE2\",\"O 161349Z APR 08\nFM X\",\"{body}\"\n"
        )
    }

    #[test]
    fn reads_rows_with_escapes_and_offsets() {
        let data = format!(
            "{}{}",
            row(1, "SAID \\\"NO\\\", DIDN\\'T.\nEND"),
            row(2, "B")
        );
        let got = rows(data.as_bytes());
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().unwrap();
        assert_eq!(first.fields[7], b"SAID \"NO\", DIDN'T.\nEND");
        assert_eq!(first.offset, 0);
        let second = got[1].as_ref().unwrap();
        assert_eq!(second.row, 2);
        assert_eq!(
            second.offset as usize,
            row(1, "SAID \\\"NO\\\", DIDN\\'T.\nEND").len()
        );
        let (raw, lossy) = to_raw_cable(second.clone(), "d.csv");
        assert!(!lossy);
        assert_eq!(raw.meta.references, vec!["07STATE1", "07STATE2"]);
        assert_eq!(
            raw.meta.date.unwrap().to_rfc3339(),
            "2008-04-16T13:49:00+00:00"
        );
        assert_eq!(raw.source.row, Some(2));
    }

    #[test]
    fn truncated_rows_and_open_quotes_are_errors_not_panics() {
        let data = format!(
            "{}\"3\",\"1/1/2001 0:00\",\"01X1\"\n{}",
            row(1, "A"),
            row(2, "B")
        );
        let got = rows(data.as_bytes());
        assert!(got[0].is_ok());
        assert!(got[1].as_ref().unwrap_err().message.contains("found 3"));
        assert!(got[2].is_ok());
        let open = format!("{}\"2\",\"never closed", row(1, "A"));
        let got = rows(open.as_bytes());
        assert_eq!(got.len(), 2);
        assert!(
            got[1]
                .as_ref()
                .unwrap_err()
                .message
                .contains("unterminated")
        );
        assert!(rows(b"").is_empty());
        assert!(rows(b"\\").iter().all(|r| r.is_err()));
    }

    #[test]
    fn rows_larger_than_a_block_and_crlf() {
        let big = "X".repeat(3 * BLOCK + 17);
        let data = format!("{}{}", row(1, &big), row(2, "B")).replace("\"\n\"2\"", "\"\r\n\"2\"");
        let got = rows(data.as_bytes());
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().unwrap().fields[7].len(), big.len());
        assert_eq!(got[1].as_ref().unwrap().fields[0], b"2");
    }

    #[test]
    fn dates() {
        assert!(parse_dump_date("12/28/1966 18:48").is_some());
        assert!(parse_dump_date("13/28/1966 18:48").is_none());
        assert!(parse_dump_date("garbage").is_none());
    }
}
