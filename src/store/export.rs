//! Exports of the records, and reading them back for `cabletriage import`.
//!
//! One row per record, joined with the cable's own fields when the cable is in the open
//! corpus (empty otherwise: records of cables not open are exported too). Two formats:
//! - CSV, for spreadsheets: columns [`CSV_COLUMNS`]; tags space-separated in one cell; every
//!   cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
//!   tab or a carriage return) is prefixed with `'`, and so is a cell starting with `'`, so
//!   that [`unescape_cell`] gives back exactly what was written;
//! - JSON: one array of objects ([`ExportRow`]), one object per line. Reading also accepts
//!   JSON lines.
//!
//! The store-local revision is not exported; who changed a record and when are, so an
//! export imported into an empty store gives the same records.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::record::{Disposition, Record, check_tag};
use crate::cable::reference_id::canonicalize_id;
use crate::corpus::Entry;

/// The CSV header, in order.
pub const CSV_COLUMNS: [&str; 12] = [
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
    pub changed_at: DateTime<Utc>,
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
            revision: 0,
        }
    }

    fn csv_cells(&self) -> [String; 12] {
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
        ]
    }
}

/// The cell as written to a CSV export: prefixed with `'` when a spreadsheet would read it
/// as a formula (or when it starts with `'` itself, so the escape can be undone exactly).
pub fn escape_cell(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The inverse of [`escape_cell`].
pub fn unescape_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Writes `rows` as CSV with a header.
pub fn write_csv(rows: &[ExportRow], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS).map_err(csv_io)?;
    for row in rows {
        let cells = row.csv_cells();
        w.write_record(cells.iter().map(|c| escape_cell(c).into_owned()))
            .map_err(csv_io)?;
    }
    w.flush()
}

/// Writes `rows` as one JSON array, one object per line.
pub fn write_json(rows: &[ExportRow], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, row) in rows.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, row).map_err(io::Error::from)?;
    }
    out.write_all(b"\n]\n")
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
    /// By the file's extension (`.csv`, `.json`, `.jsonl`, `.ndjson`), else by its first
    /// character (`[` or `{` is JSON).
    pub fn guess(name: &str, bytes: &[u8]) -> ExportFormat {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            return ExportFormat::Csv;
        }
        if [".json", ".jsonl", ".ndjson"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            return ExportFormat::Json;
        }
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[' | b'{') => ExportFormat::Json,
            _ => ExportFormat::Csv,
        }
    }
}

/// Reads an export back into records. Errors say where (`row N` for CSV, `record N` for
/// JSON) and what.
pub fn read_export(bytes: &[u8], format: ExportFormat) -> Result<Vec<Record>, String> {
    let rows = match format {
        ExportFormat::Csv => read_csv(bytes)?,
        ExportFormat::Json => read_json(bytes)?,
    };
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let record = row.to_record();
            for tag in &record.tags {
                check_tag(tag).map_err(|e| format!("record {}: {e}", i + 1))?;
            }
            Ok(record)
        })
        .collect()
}

fn read_json(bytes: &[u8]) -> Result<Vec<ExportRow>, String> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'[') {
        return serde_json::from_slice(bytes).map_err(|e| format!("not a JSON export: {e}"));
    }
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<ExportRow>()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| format!("record {}: {e}", i + 1)))
        .collect()
}

fn read_csv(bytes: &[u8]) -> Result<Vec<ExportRow>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .clone();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
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
    ]
    .iter()
    .map(|n| column(n))
    .collect();
    let mut rows = Vec::new();
    for (i, result) in reader.records().enumerate() {
        // Row 1 is the header.
        let at = i + 2;
        let record = result.map_err(|e| format!("row {at}: {e}"))?;
        let cell = |c: usize| unescape_cell(record.get(c).unwrap_or("")).to_string();
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
        let changed_at = DateTime::parse_from_rfc3339(changed_at_text.trim())
            .map_err(|e| format!("row {at}: changed_at {changed_at_text:?}: {e}"))?
            .with_timezone(&Utc);
        rows.push(ExportRow {
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
        });
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
            "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "'quoted", "'=x", "plain", "",
        ] {
            let e = escape_cell(s);
            assert!(!e.starts_with(['=', '+', '-', '@', '\t', '\r']), "{e:?}");
            assert_eq!(unescape_cell(&e), s);
        }
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
            assert_eq!(ExportFormat::guess("export", &out), format);
            let back = read_export(&out, format).unwrap();
            assert_eq!(back, records, "{format:?}");
        }
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
