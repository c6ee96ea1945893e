//! Exports of the records, and reading them back for `cabletriage import`.
//!
//! One row per record, joined with the cable's own fields when the cable is in the open
//! corpus (empty otherwise: records of cables not open are exported too). Two formats:
//! - CSV, for spreadsheets: columns [`CSV_COLUMNS`]; tags space-separated in one cell; every
//!   cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
//!   tab or a carriage return) is prefixed with `'`, and so is a cell starting with `'` and
//!   then such a character, so that [`unescape_cell`] gives back exactly what was written
//!   and leaves any other leading `'` alone (`'tis the season`). A control character in a
//!   cell other than a line break or a tab (ESC of an escape sequence, a carriage return,
//!   DEL, C1 controls) and a bidirectional control (U+202E, ...) is written escaped, `\x1b`
//!   or `\u{202e}`, so that a CSV shown on a terminal cannot drive it; a backslash that
//!   would read as such an escape is doubled (`\\x41`); [`unescape_controls`] undoes both;
//! - JSON: one array of objects ([`ExportRow`]), one object per line; control characters
//!   (C0, DEL, C1) and bidirectional controls in strings are written as `\uXXXX`. Reading
//!   also accepts JSON lines.
//!
//! Reading decides the format by the content (`[` or `{` first is JSON, else CSV), after a
//! byte order mark if there is one; CSV column names are matched without regard to case.
//!
//! The store-local revision is not exported; who changed a record and when are, so an
//! export imported into an empty store gives the same records.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::record::{Disposition, Record, check_analyst, check_tag};
use crate::cable::reference_id::{canonicalize_id, given_cable_id};
use crate::corpus::Entry;

/// The CSV header, in order.
pub const CSV_COLUMNS: [&str; 13] = [
    "id",
    "date",
    "precedence",
    "classification",
    "origin",
    "subject",
    "disposition",
    "note",
    "seen",
    "tags",
    "changed_by",
    "changed_at",
    // Last, so that a tool reading the columns by position before it existed still works.
    "assignee",
];

/// One exported record: the cable's fields (absent when the cable was not in the corpus
/// given) and the record's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    pub id: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub precedence: Option<String>,
    #[serde(default)]
    pub classification: Option<String>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    pub disposition: Disposition,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub seen: bool,
    #[serde(default)]
    pub tags: BTreeSet<String>,
    pub changed_by: String,
    #[serde(deserialize_with = "changed_at_time")]
    pub changed_at: DateTime<Utc>,
    /// Absent from exports made before assignment existed: nobody.
    #[serde(default)]
    pub assignee: Option<String>,
}

/// `changed_at` as RFC 3339, with a message that says what is expected (chrono alone says
/// "premature end of input" for a date without a time).
fn changed_at_time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(d)?;
    parse_changed_at(&text).map_err(serde::de::Error::custom)
}

/// An RFC 3339 time such as `2024-01-31T09:30:00Z`, or a message naming the text and what
/// is wrong with it.
pub fn parse_changed_at(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            format!(
                "changed_at {} is not a date and time such as 2024-01-31T09:30:00Z \
                 (RFC 3339, with a time zone): {e}",
                crate::config::shown(text)
            )
        })
}

impl ExportRow {
    pub fn new(record: &Record, cable: Option<&Entry>) -> ExportRow {
        ExportRow {
            id: record.id.clone(),
            date: cable.and_then(|c| {
                c.datetime()
                    .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
            }),
            precedence: cable.map(|c| c.precedence.to_string()),
            classification: cable.map(|c| c.classification.to_string()),
            origin: cable.map(|c| c.origin.to_string()),
            subject: cable.map(|c| c.subject.to_string()),
            disposition: record.disposition,
            note: record.note.clone(),
            seen: record.seen,
            tags: record.tags.clone(),
            changed_by: record.changed_by.clone(),
            changed_at: record.changed_at,
            assignee: record.assignee.clone(),
        }
    }

    /// The record again (revision 0: the importing store assigns its own).
    pub fn to_record(&self) -> Record {
        Record {
            id: canonicalize_id(&self.id),
            disposition: self.disposition,
            note: self.note.clone().filter(|n| !n.is_empty()),
            seen: self.seen,
            tags: self.tags.clone(),
            changed_by: self.changed_by.clone(),
            changed_at: self.changed_at,
            assignee: self
                .assignee
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
            revision: 0,
        }
    }

    fn csv_cells(&self) -> [String; 13] {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        [
            self.id.clone(),
            opt(&self.date),
            opt(&self.precedence),
            opt(&self.classification),
            opt(&self.origin),
            opt(&self.subject),
            self.disposition.as_str().to_string(),
            opt(&self.note),
            self.seen.to_string(),
            self.tags.iter().cloned().collect::<Vec<_>>().join(" "),
            self.changed_by.clone(),
            self.changed_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            opt(&self.assignee),
        ]
    }
}

/// How far in the future (by this machine's clock) an imported `changed_at` may be: clocks
/// of two analysts' machines differ a little, but a record dated later than that would win
/// over every change made until then, so it is refused.
pub const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// Whether [`escape_cell`] prefixes the cell: it starts with a character that makes a
/// spreadsheet run it as a formula, or with `'` before such a cell (so that the escape of
/// `'=x` can be undone too).
fn needs_escape(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => true,
        Some('\'') => needs_escape(&cell[1..]),
        _ => false,
    }
}

/// The cell as written to a CSV export: prefixed with `'` when a spreadsheet would read it
/// as a formula.
pub fn escape_cell(cell: &str) -> Cow<'_, str> {
    if needs_escape(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The inverse of [`escape_cell`]: only the `'` that it added is taken off, so a cell that
/// merely begins with one (`'tis the season`) is kept as written.
pub fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_escape(rest) => rest,
        _ => cell,
    }
}

/// Whether a CSV cell writes `c` escaped: every character the terminal guard neutralises,
/// except the line breaks and tabs that CSV quoting carries (and that move no cursor
/// anywhere but to the next line or column).
fn escaped_in_csv(c: char) -> bool {
    crate::sanitize::is_unsafe(c) && !matches!(c, '\n' | '\t')
}

/// A cell with its control characters escaped (`\x1b`, `\u{202e}`), and a backslash doubled
/// where it would otherwise read as the start of an escape.
pub fn escape_controls(cell: &str) -> Cow<'_, str> {
    if !cell.chars().any(|c| escaped_in_csv(c) || c == '\\') {
        return Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len() + 8);
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if chars
                    .peek()
                    .is_some_and(|&n| matches!(n, '\\' | 'x' | 'u') || escaped_in_csv(n))
                {
                    out.push('\\');
                }
            }
            c if escaped_in_csv(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if escaped_in_csv(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The inverse of [`escape_controls`]: `\\` is a backslash, `\xHH` and `\u{H…}` the
/// character; any other backslash is itself.
pub fn unescape_controls(cell: &str) -> Cow<'_, str> {
    if !cell.contains('\\') {
        return Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (decoded, used) = if after.starts_with('\\') {
            (Some('\\'), 1)
        } else if let Some(hex) = after.strip_prefix('x').and_then(|h| h.get(..2)) {
            (hex_char(hex), 3)
        } else if let Some(braced) = after.strip_prefix("u{") {
            match braced.find('}') {
                Some(end) => (hex_char(&braced[..end]), end + 3),
                None => (None, 0),
            }
        } else {
            (None, 0)
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character of 1 to 6 hexadecimal digits.
fn hex_char(hex: &str) -> Option<char> {
    if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}

/// Writes `rows` as CSV with a header.
pub fn write_csv(rows: &[ExportRow], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS).map_err(csv_io)?;
    for row in rows {
        let cells = row.csv_cells();
        w.write_record(
            cells
                .iter()
                .map(|c| escape_cell(&escape_controls(c)).into_owned()),
        )
        .map_err(csv_io)?;
    }
    w.flush()
}

/// Writes `rows` as one JSON array, one object per line.
pub fn write_json(rows: &[ExportRow], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, row) in rows.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let line = serde_json::to_string(row).map_err(io::Error::from)?;
        out.write_all(json_escape_controls(&line).as_bytes())?;
    }
    out.write_all(b"\n]\n")
}

/// serde_json escapes C0 controls only; DEL, C1 and bidirectional controls are written as
/// `\uXXXX` too. Outside strings JSON holds none of them, so replacing them anywhere in the
/// document is replacing them in strings, and the document means the same.
fn json_escape_controls(json: &str) -> Cow<'_, str> {
    if !json.chars().any(crate::sanitize::is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if crate::sanitize::is_unsafe(c) {
            // Every such character is in the Basic Multilingual Plane: one \uXXXX.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The format of an export to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    /// By the content, whatever the file's name says (a file renamed, or saved by a tool
    /// that picks its own extension): JSON when its first character after a byte order mark
    /// is `[` or `{`, else CSV.
    pub fn guess(bytes: &[u8]) -> ExportFormat {
        match without_bom(bytes).iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[' | b'{') => ExportFormat::Json,
            _ => ExportFormat::Csv,
        }
    }
}

/// One record read from an export, with where it was (`row 3`, `record 2`) for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub at: String,
    pub record: Record,
}

/// Reads an export back into records, checked as of this machine's clock (see
/// [`read_export_at`]).
pub fn read_export(bytes: &[u8], format: ExportFormat) -> Result<Vec<Record>, String> {
    Ok(read_export_at(bytes, format, Utc::now())?
        .into_iter()
        .map(|r| r.record)
        .collect())
}

/// Reads an export back into records. Each row is checked, and the first bad one is the
/// error, saying where (`row N` for CSV, `record N` for JSON) and what: an id that is not
/// shaped like a cable id, a bad tag (tags are trimmed first), an empty `changed_by`, a
/// `changed_at` more than [`CLOCK_SKEW_MS`] after `now`.
pub fn read_export_at(
    bytes: &[u8],
    format: ExportFormat,
    now: DateTime<Utc>,
) -> Result<Vec<ImportRow>, String> {
    let bytes = without_bom(bytes);
    let rows = match format {
        ExportFormat::Csv => read_csv(bytes)?,
        ExportFormat::Json => read_json(bytes)?,
    };
    rows.iter()
        .map(|(at, row)| {
            let fail = |e: String| format!("{at}: {e}");
            let mut record = row.to_record();
            if given_cable_id(&row.id).is_none() {
                return Err(fail(format!(
                    "{:?} is not a cable id such as 08MOSCOW1052",
                    // Untrusted text for a terminal: quoted, control characters escaped.
                    row.id.chars().take(80).collect::<String>()
                )));
            }
            record.tags = row
                .tags
                .iter()
                .map(|t| check_tag(t).map(str::to_string).map_err(fail))
                .collect::<Result<_, _>>()?;
            if let Some(name) = &record.assignee {
                check_analyst(name).map_err(|e| fail(format!("{}: {e}", record.id)))?;
            }
            record.changed_by = row.changed_by.trim().to_string();
            if record.changed_by.is_empty() {
                return Err(fail(format!("{}: changed_by is empty", record.id)));
            }
            if record.changed_at.timestamp_millis() > now.timestamp_millis() + CLOCK_SKEW_MS {
                return Err(fail(format!(
                    "{}: changed_at {} is in the future (this machine's clock says {}; \
                     a record dated later than now would win over every change until then)",
                    record.id,
                    record.changed_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                    now.to_rfc3339_opts(SecondsFormat::Secs, true),
                )));
            }
            Ok(ImportRow {
                at: at.clone(),
                record,
            })
        })
        .collect()
}

/// The bytes after a UTF-8 byte order mark (spreadsheets and Windows editors write one).
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

fn read_json(bytes: &[u8]) -> Result<Vec<(String, ExportRow)>, String> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let at = |i: usize| format!("record {}", i + 1);
    if first == Some(&b'[') {
        let rows: Vec<ExportRow> =
            serde_json::from_slice(bytes).map_err(|e| format!("not a JSON export: {e}"))?;
        return Ok(rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (at(i), r))
            .collect());
    }
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<ExportRow>()
        .enumerate()
        .map(|(i, r)| r.map(|r| (at(i), r)).map_err(|e| format!("{}: {e}", at(i))))
        .collect()
}

fn read_csv(bytes: &[u8]) -> Result<Vec<(String, ExportRow)>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let required =
        |name: &str| column(name).ok_or_else(|| format!("the CSV export has no {name:?} column"));
    let (id, disposition, changed_by, changed_at) = (
        required("id")?,
        required("disposition")?,
        required("changed_by")?,
        required("changed_at")?,
    );
    let optional: Vec<Option<usize>> = [
        "date",
        "precedence",
        "classification",
        "origin",
        "subject",
        "note",
        "seen",
        "tags",
        "assignee",
    ]
    .iter()
    .map(|n| column(n))
    .collect();
    let mut rows = Vec::new();
    for (i, result) in reader.records().enumerate() {
        // Row 1 is the header.
        let at = i + 2;
        let record = result.map_err(|e| format!("row {at}: {e}"))?;
        let cell =
            |c: usize| unescape_controls(unescape_cell(record.get(c).unwrap_or(""))).into_owned();
        let opt = |c: Option<usize>| c.map(cell).filter(|s| !s.is_empty());
        let disposition = cell(disposition)
            .parse::<Disposition>()
            .map_err(|e| format!("row {at}: {e}"))?;
        let seen = match opt(optional[6])
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("false" | "0" | "no") => false,
            Some("true" | "1" | "yes") => true,
            Some(other) => return Err(format!("row {at}: seen is {other:?}, not true or false")),
        };
        let changed_at_text = cell(changed_at);
        let changed_at =
            parse_changed_at(&changed_at_text).map_err(|e| format!("row {at}: {e}"))?;
        rows.push((
            format!("row {at}"),
            ExportRow {
                id: cell(id),
                date: opt(optional[0]),
                precedence: opt(optional[1]),
                classification: opt(optional[2]),
                origin: opt(optional[3]),
                subject: opt(optional[4]),
                disposition,
                note: opt(optional[5]),
                seen,
                tags: opt(optional[7])
                    .map(|t| t.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
                changed_by: cell(changed_by),
                changed_at,
                assignee: opt(optional[8]),
            },
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, note: &str) -> Record {
        let mut r = Record::blank(id);
        r.disposition = Disposition::FollowUp;
        r.note = Some(note.to_string());
        r.seen = true;
        r.tags = ["energy".to_string(), "=cmd".to_string()].into();
        r.changed_by = "@jsmith".into();
        r.changed_at = DateTime::from_timestamp_millis(1_700_000_000_123).unwrap();
        r
    }

    #[test]
    fn formula_cells_are_escaped_and_come_back_exactly() {
        for s in [
            "=1+1",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "'quoted",
            "'=x",
            "''=x",
            "plain",
            "",
            "'tis the season",
            "'",
            "''",
        ] {
            let e = escape_cell(s);
            assert!(!e.starts_with(['=', '+', '-', '@', '\t', '\r']), "{e:?}");
            assert_eq!(unescape_cell(&e), s);
        }
    }

    #[test]
    fn only_the_apostrophe_export_added_is_taken_off() {
        // Cells written by hand or by another tool: a leading ' is part of the text unless
        // a formula character follows it.
        assert_eq!(unescape_cell("'tis the season"), "'tis the season");
        assert_eq!(unescape_cell("'quoted'"), "'quoted'");
        assert_eq!(unescape_cell("'=1+1"), "=1+1");
        assert_eq!(unescape_cell("'\rx"), "\rx");
        assert_eq!(unescape_cell("''=x"), "'=x");
        assert_eq!(escape_cell("'tis"), "'tis");
        let csv = "id,disposition,note,changed_by,changed_at\n\
                   08MOSCOW1052,follow-up,'tis the season,'@jane,2024-01-01T00:00:00Z\n";
        let back = read_export(csv.as_bytes(), ExportFormat::Csv).unwrap();
        assert_eq!(back[0].note.as_deref(), Some("'tis the season"));
        assert_eq!(back[0].changed_by, "@jane");
    }

    #[test]
    fn rows_with_bad_ids_future_times_or_bad_tags_are_named() {
        let now = DateTime::parse_from_rfc3339("2024-06-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let csv = |id: &str, tags: &str, at: &str| {
            format!(
                "id,disposition,tags,changed_by,changed_at\n08STATE1,actioned,,x,{at}\n{id},actioned,{tags},x,{at}\n"
            )
        };
        let read = |text: String| read_export_at(text.as_bytes(), ExportFormat::Csv, now);
        let err = read(csv("ACTIONED", "", "2024-01-01T00:00:00Z")).unwrap_err();
        assert!(
            err.starts_with("row 3:") && err.contains("\"ACTIONED\""),
            "{err}"
        );
        let err = read(csv("08MOS;COW1", "", "2024-01-01T00:00:00Z")).unwrap_err();
        assert!(
            err.starts_with("row 3:") && err.contains("MOS;COW"),
            "{err}"
        );
        let err = read(csv("08MOSCOW1\u{1b}[2J", "", "2024-01-01T00:00:00Z")).unwrap_err();
        assert!(
            err.starts_with("row 3:") && !err.contains('\u{1b}'),
            "{err}"
        );
        let err = read(csv("08MOSCOW1", "", "2024-06-01T12:10:00Z")).unwrap_err();
        assert!(err.starts_with("row 2:") && err.contains("future"), "{err}");
        // Within the allowed clock skew.
        assert!(read(csv("08MOSCOW1", "", "2024-06-01T12:04:00Z")).is_ok());
        let rows = read(csv("08moscow001", "a b", "2024-01-01T00:00:00Z")).unwrap();
        assert_eq!(rows[1].record.id, "08MOSCOW1");
        assert_eq!(rows[1].at, "row 3");
        // JSON tags are trimmed (`mytag:` finds them), and refused when empty.
        let json = r#"[{"id":"08MOSCOW1","disposition":"actioned","tags":[" russia "],"changed_by":"x","changed_at":"2024-01-01T00:00:00Z"}]"#;
        let rows = read_export_at(json.as_bytes(), ExportFormat::Json, now).unwrap();
        assert_eq!(rows[0].record.tags, ["russia".to_string()].into());
        let json = json.replace(" russia ", "  ");
        let err = read_export_at(json.as_bytes(), ExportFormat::Json, now).unwrap_err();
        assert!(
            err.starts_with("record 1:") && err.contains("empty"),
            "{err}"
        );
    }

    #[test]
    fn csv_export_escapes_formulas() {
        let rows = [ExportRow::new(
            &record("08MOSCOW1052", "=HYPERLINK(\"x\")"),
            None,
        )];
        let mut out = Vec::new();
        write_csv(&rows, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains(",'@jsmith,"), "{text}");
        assert!(!text.contains(",=") && !text.contains(",@"), "{text}");
    }

    #[test]
    fn csv_and_json_read_back_the_records() {
        let records = vec![
            record("08MOSCOW1052", "-5 barrels, \"quoted\", comma"),
            Record {
                tags: BTreeSet::new(),
                note: None,
                ..record("09STATE1", "")
            },
        ];
        let rows: Vec<_> = records.iter().map(|r| ExportRow::new(r, None)).collect();
        for format in [ExportFormat::Csv, ExportFormat::Json] {
            let mut out = Vec::new();
            match format {
                ExportFormat::Csv => write_csv(&rows, &mut out).unwrap(),
                ExportFormat::Json => write_json(&rows, &mut out).unwrap(),
            }
            assert_eq!(ExportFormat::guess(&out), format);
            let back = read_export(&out, format).unwrap();
            assert_eq!(back, records, "{format:?}");
        }
    }

    #[test]
    fn csv_cells_escape_controls_and_come_back_exactly() {
        for s in [
            "plain",
            "a\u{1b}]52;c;eA==\u{7}b",
            "\u{1b}[2J",
            "line\r\nbreak\ttab",
            "bidi \u{202e}fed\u{202c} \u{2066}x\u{2069}",
            "c1 \u{9b}31m \u{85} del \u{7f}",
            "C:\\users\\x41",
            "\\x1b",
            "\\\u{1b}",
            "\\\\u{202e}",
            "ends with \\",
            "\\u{zz} \\x4",
        ] {
            let e = escape_controls(s);
            assert!(
                !e.chars()
                    .any(|c| c != '\n' && c != '\t' && crate::sanitize::is_unsafe(c)),
                "{e:?}"
            );
            assert_eq!(unescape_controls(&e), s, "{e:?}");
        }
        assert_eq!(escape_controls("a\u{1b}[2J"), "a\\x1b[2J");
        assert_eq!(escape_controls("x\u{202e}"), "x\\u{202e}");
        assert_eq!(escape_controls("a\\b"), "a\\b");
        let rows = [ExportRow::new(
            &record("08MOSCOW1052", "\u{1b}]0;PWNED\u{7}\u{202e}"),
            None,
        )];
        let mut out = Vec::new();
        write_csv(&rows, &mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.contains("\\x1b]0;PWNED\\x07\\u{202e}"), "{text}");
        let back = read_export(&out, ExportFormat::Csv).unwrap();
        assert_eq!(back[0].note.as_deref(), Some("\u{1b}]0;PWNED\u{7}\u{202e}"));
    }

    #[test]
    fn json_escapes_c1_and_bidi_controls_too() {
        let note = "\u{1b}[2J \u{9b}1m \u{7f} \u{202e}x \u{2067}";
        let rows = [ExportRow::new(&record("08MOSCOW1052", note), None)];
        let mut out = Vec::new();
        write_json(&rows, &mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(
            text.chars()
                .all(|c| c == '\n' || !crate::sanitize::is_unsafe(c)),
            "{text}"
        );
        for escaped in ["\\u001b", "\\u009b", "\\u007f", "\\u202e", "\\u2067"] {
            assert!(text.contains(escaped), "{escaped} in {text}");
        }
        let back = read_export(&out, ExportFormat::Json).unwrap();
        assert_eq!(back[0].note.as_deref(), Some(note));
    }

    #[test]
    fn the_content_decides_the_format_after_a_byte_order_mark() {
        let rows = [ExportRow::new(&record("08MOSCOW1052", "n"), None)];
        for (format, write) in [
            (
                ExportFormat::Json,
                write_json as fn(&[ExportRow], &mut dyn Write) -> io::Result<()>,
            ),
            (ExportFormat::Csv, write_csv),
        ] {
            let mut out = b"\xef\xbb\xbf".to_vec();
            write(&rows, &mut out).unwrap();
            assert_eq!(ExportFormat::guess(&out), format);
            assert_eq!(read_export(&out, format).unwrap().len(), 1, "{format:?}");
        }
        let csv = "ID,Disposition,Changed_By,CHANGED_AT,Note\n\
                   08MOSCOW1052,actioned,jane,2024-01-01T00:00:00Z,hello\n";
        let back = read_export(csv.as_bytes(), ExportFormat::Csv).unwrap();
        assert_eq!(back[0].note.as_deref(), Some("hello"));
    }

    #[test]
    fn a_date_without_a_time_is_named_with_what_is_expected() {
        let csv = "id,disposition,changed_by,changed_at\n08MOSCOW1052,actioned,x,2024-01-01\n";
        let err = read_export(csv.as_bytes(), ExportFormat::Csv).unwrap_err();
        assert!(
            err.starts_with("row 2: changed_at \"2024-01-01\"")
                && err.contains("2024-01-31T09:30:00Z"),
            "{err}"
        );
        let json = r#"[{"id":"08MOSCOW1052","disposition":"actioned","changed_by":"x","changed_at":"2024-01-01"}]"#;
        let err = read_export(json.as_bytes(), ExportFormat::Json).unwrap_err();
        assert!(
            err.contains("changed_at \"2024-01-01\"") && err.contains("RFC 3339"),
            "{err}"
        );
    }

    #[test]
    fn json_lines_are_read_too() {
        let row = ExportRow::new(&record("08MOSCOW1052", "n"), None);
        let mut text = serde_json::to_string(&row).unwrap();
        text.push('\n');
        text.push_str(&serde_json::to_string(&row).unwrap());
        let back = read_export(text.as_bytes(), ExportFormat::Json).unwrap();
        assert_eq!(back.len(), 2);
    }

    #[test]
    fn bad_rows_are_reported_with_their_row() {
        let csv = "id,disposition,changed_by,changed_at\nA,later,x,2024-01-01T00:00:00Z\n";
        let err = read_export(csv.as_bytes(), ExportFormat::Csv).unwrap_err();
        assert!(err.starts_with("row 2:") && err.contains("later"), "{err}");
        let err = read_export(b"id\nA\n", ExportFormat::Csv).unwrap_err();
        assert!(err.contains("disposition"), "{err}");
    }
}
