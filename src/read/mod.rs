//! The containers cables come in, and the problems met reading them.
//!
//! [`read_paths`] walks files and folders, picks a reader per file ([`text`], [`html`],
//! [`csv_dump`]) and streams out [`Event`]s: a raw cable as soon as it is read, or a
//! [`Problem`] naming the file (and row) and what is wrong. A bad file never stops the rest,
//! and nothing here panics on input. A file a folder's walk passes over by its kind (a `.gz`,
//! an `expected.jsonl`, a README, a dot file) is reported too, as a [`Severity::Notice`]. What is not a cable (an empty, binary or unrelated file)
//! is never handed on as one: [`recognise`] is the rule, for the app and `parse` alike.
//! Interpreting the fields is [`crate::cable`]'s job.

pub mod csv_dump;
pub mod html;
pub mod recognise;
pub mod text;
pub mod walk;

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::cable::RawCable;

/// The version of how cables are read: bump it with every change to what the readers or the
/// interpretation (`read`, `cable`) make of a cable's id or of an indexed field. Index caches
/// record it and one made under another version is not used: ids key the triage store, and a
/// cache keeping ids read the old way would put dispositions on them.
/// (2: files that are not cables are no longer read as blank ones.)
pub const PARSER_VERSION: u32 = 2;

/// [`PARSER_VERSION`] with the crate's version, so that every release also counts as a new
/// reading even if a bump was forgotten.
pub fn reader_version() -> String {
    format!(
        "cabletriage {} parser {PARSER_VERSION}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Which reader to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// By extension (`.csv`, `.html`), else by content.
    #[default]
    Auto,
    Text,
    Html,
    Csv,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" | "txt" => Ok(Format::Text),
            "html" => Ok(Format::Html),
            "csv" => Ok(Format::Csv),
            other => Err(format!(
                "unknown format {other:?}: use auto, text, html or csv"
            )),
        }
    }
}

/// How much a [`Problem`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something wrong with an input: listed, shown as an error, and a corpus with one is
    /// not cached (it is reported again on every open).
    Problem,
    /// A file a folder's walk passed over by its kind (not a cable format, compressed, a
    /// companion such as `expected.jsonl` or a README, a dot file). Listed like a problem,
    /// but not an error: it does not block the index cache nor change an exit code.
    Notice,
}

/// Something wrong with an input, or a file passed over, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    /// The row of a `cables.csv` dump.
    pub row: Option<u64>,
    pub message: String,
    /// Whether a cable (or a whole file) was lost; `false` for a warning such as lossy
    /// decoding, and for every notice.
    pub skipped: bool,
    pub severity: Severity,
}

impl Problem {
    /// A file passed over by its kind: `path: message`.
    pub fn notice(path: &Path, message: String) -> Problem {
        Problem {
            path: path.display().to_string(),
            row: None,
            message,
            skipped: false,
            severity: Severity::Notice,
        }
    }

    pub fn is_notice(&self) -> bool {
        self.severity == Severity::Notice
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "{}:{}: {}", self.path, row, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What reading produces, in order.
#[derive(Debug, Clone)]
pub enum Event {
    Cable(Box<RawCable>),
    Problem(Problem),
}

#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub format: Format,
    /// The year to give to fragments that state none.
    pub default_year: Option<i32>,
}

/// Files at most this large are read whole; larger ones only as a dump (streamed).
const MAX_SINGLE_CABLE: u64 = 256 << 20;

/// Reads every input and hands each cable or problem to `sink` as it is found.
/// `-` reads one text cable from standard input.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions, sink: &mut dyn FnMut(Event)) {
    for path in paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            match io::stdin().lock().read_to_end(&mut bytes) {
                Ok(_) => read_text_bytes(&bytes, "-", opts, sink),
                Err(e) => sink(Event::Problem(problem(
                    "-",
                    None,
                    format!("cannot read: {e}"),
                ))),
            }
            continue;
        }
        walk::files(
            path,
            opts.format == Format::Auto,
            &mut |found| match found {
                Ok(file) => read_file(&file, opts, sink),
                Err(p) => sink(Event::Problem(p)),
            },
        );
    }
}

/// Reads one file with the reader its format calls for.
pub fn read_file(path: &Path, opts: &ReadOptions, sink: &mut dyn FnMut(Event)) {
    let name = path.display().to_string();
    let format = match opts.format {
        Format::Auto => guess_format(path),
        f => f,
    };
    if format == Format::Csv {
        return read_dump(path, &name, sink);
    }
    let bytes = match read_small_file(path) {
        Ok(b) => b,
        Err(e) => return sink(Event::Problem(problem(&name, None, e))),
    };
    if format == Format::Auto && looks_like_dump(&bytes) {
        return read_dump(path, &name, sink);
    }
    match format {
        Format::Html => read_html_bytes(&bytes, &name, sink),
        Format::Auto if looks_like_html(&bytes) => read_html_bytes(&bytes, &name, sink),
        _ => read_text_bytes(&bytes, &name, opts, sink),
    }
}

fn read_small_file(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_SINGLE_CABLE {
        return Err(format!(
            "{len} bytes is too large for one cable (read it with --format csv if it is a dump)"
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_SINGLE_CABLE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(bytes)
}

fn read_text_bytes(bytes: &[u8], name: &str, opts: &ReadOptions, sink: &mut dyn FnMut(Event)) {
    let Some(text) = decode_checked(bytes, name, sink) else {
        return;
    };
    emit(text::read_text(&text, name, opts.default_year), sink);
}

fn read_html_bytes(bytes: &[u8], name: &str, sink: &mut dyn FnMut(Event)) {
    let Some(page) = decode_checked(bytes, name, sink) else {
        return;
    };
    match html::read_html(&page, name) {
        Ok(raw) => emit(raw, sink),
        Err(message) => sink(Event::Problem(problem(name, None, message))),
    }
}

/// Decodes a one-cable file, refusing empty and binary files and warning on invalid UTF-8.
fn decode_checked<'a>(
    bytes: &'a [u8],
    name: &str,
    sink: &mut dyn FnMut(Event),
) -> Option<Cow<'a, str>> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        sink(Event::Problem(problem(name, None, "empty file".into())));
        return None;
    }
    if is_binary(bytes) {
        sink(Event::Problem(problem(
            name,
            None,
            "binary file, not a cable".into(),
        )));
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    if let Cow::Owned(_) = text {
        sink(Event::Problem(Problem {
            path: name.to_string(),
            row: None,
            message: "invalid UTF-8, decoded lossily".into(),
            skipped: false,
            severity: Severity::Problem,
        }));
    }
    Some(text)
}

fn read_dump(path: &Path, name: &str, sink: &mut dyn FnMut(Event)) {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return sink(Event::Problem(problem(
                name,
                None,
                format!("cannot open: {e}"),
            )));
        }
    };
    let mut rows = 0u64;
    for item in csv_dump::DumpReader::new(file) {
        match item {
            Err(e) => {
                sink(Event::Problem(problem(
                    name,
                    None,
                    format!("read error after row {rows}: {e}"),
                )));
                return;
            }
            Ok(Err(bad)) => {
                rows = bad.row;
                sink(Event::Problem(problem(name, Some(bad.row), bad.message)));
            }
            Ok(Ok(row)) => {
                rows = row.row;
                let (raw, lossy) = csv_dump::to_raw_cable(row, name);
                if lossy {
                    sink(Event::Problem(Problem {
                        path: name.to_string(),
                        row: raw.source.row,
                        message: "invalid UTF-8, decoded lossily".into(),
                        skipped: false,
                        severity: Severity::Problem,
                    }));
                }
                emit(raw, sink);
            }
        }
    }
    if rows == 0 {
        sink(Event::Problem(problem(
            name,
            None,
            "no rows: empty dump".into(),
        )));
    }
}

/// Hands `raw` on as a cable if it is one, else reports the file (or row) as skipped.
fn emit(raw: RawCable, sink: &mut dyn FnMut(Event)) {
    if recognise::is_cable(&raw) {
        sink(Event::Cable(Box::new(raw)));
    } else {
        sink(Event::Problem(problem(
            &raw.source.path,
            raw.source.row,
            recognise::NO_CABLE.into(),
        )));
    }
}

fn problem(path: &str, row: Option<u64>, message: String) -> Problem {
    Problem {
        path: path.to_string(),
        row,
        message,
        skipped: true,
        severity: Severity::Problem,
    }
}

pub fn guess_format(path: &Path) -> Format {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Format::Csv,
        Some("html" | "htm") => Format::Html,
        Some("txt") => Format::Text,
        _ => Format::Auto,
    }
}

/// A dump row starts `"1","12/28/1966 18:48",`.
fn looks_like_dump(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.starts_with(b"\"")
        && head.get(1).is_some_and(u8::is_ascii_digit)
        && head.windows(3).any(|w| w == b"\",\"")
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<html"))
        || head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<pre>"))
}

/// NUL bytes, many control bytes, or much invalid UTF-8, in the first 8 KB. A text in
/// Latin-1 has a few invalid bytes (its accented letters) and is decoded lossily instead;
/// a quarter of the bytes is far beyond any text's share.
fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    let invalid: usize = head.utf8_chunks().map(|c| c.invalid().len()).sum();
    head.contains(&0) || controls * 10 > head.len() || invalid * 4 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_file_and_row() {
        let p = problem("a.csv", Some(7), "broken".into());
        assert_eq!(p.to_string(), "a.csv:7: broken");
        assert_eq!(
            problem("b.txt", None, "empty file".into()).to_string(),
            "b.txt: empty file"
        );
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_dump(b"\"1\",\"12/28/1966 18:48\",\"66X1\""));
        assert!(!looks_like_dump(b"UNCLAS X"));
        assert!(is_binary(b"\x7fELF\x00\x01"));
        assert!(!is_binary("¶1. texte accentué".as_bytes()));
        assert!(!is_binary(
            b"CAF\xc9 AU LAIT, TH\xc9 ET CR\xc8ME BR\xdbL\xc9E"
        ));
        // No NUL and no control byte, but not text in any encoding we read.
        let high: Vec<u8> = (0..4096u32).map(|i| 0x80 + (i * 7 % 0x7f) as u8).collect();
        assert!(is_binary(&high));
        assert_eq!(guess_format(Path::new("a/B.HTML")), Format::Html);
    }
}
