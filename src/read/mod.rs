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
/// (2: files that are not cables are no longer read as blank ones. 3: a `.txt` file is told
/// by its content, so a page or a dump saved as one is read as such; UTF-16 is decoded.)
pub const PARSER_VERSION: u32 = 3;

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
    /// companion such as `expected.jsonl` or a README, a dot file), or a cable read twice
    /// (reported by the corpus loader). Listed like a problem, but not an error: it does not
    /// block the index cache nor change an exit code.
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

/// Bytes looked at to tell a dump, a page and text apart (the README's "first 2 KB" of a page
/// and the binary check's 8 KB both fit).
const SNIFF: usize = 8192;

/// What a one-cable file must hold to be handed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accept {
    /// Only what [`recognise`] calls a cable: files met walking folders, or among several.
    Cables,
    /// Any text: an input the user named on its own (`parse --year 2008 -` on a fragment).
    Fragments,
}

/// Reads every input and hands each cable or problem to `sink` as it is found.
/// `-` reads standard input (a text cable, a page or a dump, by content or `--format`).
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions, sink: &mut dyn FnMut(Event)) {
    for path in paths {
        read_input(path, opts, Accept::Cables, sink);
    }
}

/// Reads one input the user named on its own (`-`, a file or a pipe such as `<(cat x)`) and
/// hands on whatever text it holds, cable or fragment, with the fields found: only empty,
/// binary and unreadable input is refused. A folder is walked as by [`read_paths`].
pub fn read_named(path: &Path, opts: &ReadOptions, sink: &mut dyn FnMut(Event)) {
    let accept = if !path.is_dir() {
        Accept::Fragments
    } else {
        Accept::Cables
    };
    read_input(path, opts, accept, sink);
}

fn read_input(path: &Path, opts: &ReadOptions, accept: Accept, sink: &mut dyn FnMut(Event)) {
    if path.as_os_str() == "-" {
        return read_stream(io::stdin().lock(), None, "-", opts, accept, sink);
    }
    walk::files(
        path,
        opts.format == Format::Auto,
        &mut |found| match found {
            Ok(file) => read_file_as(&file, opts, accept, sink),
            Err(p) => sink(Event::Problem(p)),
        },
    );
}

/// Reads one file with the reader its format calls for.
pub fn read_file(path: &Path, opts: &ReadOptions, sink: &mut dyn FnMut(Event)) {
    read_file_as(path, opts, Accept::Cables, sink);
}

fn read_file_as(path: &Path, opts: &ReadOptions, accept: Accept, sink: &mut dyn FnMut(Event)) {
    let name = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return sink(Event::Problem(problem(
                &name,
                None,
                format!("cannot open: {e}"),
            )));
        }
    };
    // A pipe (`<(cat cables.csv)`) has no length; a regular file's tells early that it is
    // too large to be one cable.
    let len = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let opts = ReadOptions {
        format: match opts.format {
            Format::Auto => guess_format(path),
            f => f,
        },
        ..opts.clone()
    };
    read_stream(file, len, &name, &opts, accept, sink);
}

/// Reads one input from `input`, once and in order, so a pipe reads as well as a file: the
/// first bytes decide the reader (a dump streams on from them), unless `opts.format` says.
fn read_stream(
    mut input: impl Read,
    len: Option<u64>,
    name: &str,
    opts: &ReadOptions,
    accept: Accept,
    sink: &mut dyn FnMut(Event),
) {
    if opts.format == Format::Csv {
        return read_dump(input, name, sink);
    }
    let mut head = Vec::with_capacity(SNIFF);
    if let Err(e) = (&mut input).take(SNIFF as u64).read_to_end(&mut head) {
        return sink(Event::Problem(problem(
            name,
            None,
            format!("cannot read: {e}"),
        )));
    }
    let utf16 = utf16_order(&head);
    if opts.format == Format::Auto && utf16.is_none() && looks_like_dump(&head) {
        return read_dump(io::Cursor::new(head).chain(input), name, sink);
    }
    if let Some(len) = len.filter(|&l| l > MAX_SINGLE_CABLE) {
        let message = format!(
            "{len} bytes is too large for one cable (read it with --format csv if it is a dump)"
        );
        return sink(Event::Problem(problem(name, None, message)));
    }
    let mut bytes = head;
    let room = (MAX_SINGLE_CABLE + 1).saturating_sub(bytes.len() as u64);
    if let Err(e) = input.take(room).read_to_end(&mut bytes) {
        return sink(Event::Problem(problem(
            name,
            None,
            format!("cannot read: {e}"),
        )));
    }
    if bytes.len() as u64 > MAX_SINGLE_CABLE {
        let message = format!(
            "more than {MAX_SINGLE_CABLE} bytes is too large for one cable (read it with --format csv if it is a dump)"
        );
        return sink(Event::Problem(problem(name, None, message)));
    }
    if let Some(order) = utf16 {
        bytes = decode_utf16(&bytes, order, name, sink).into_bytes();
        if opts.format == Format::Auto && looks_like_dump(&bytes) {
            return read_dump(io::Cursor::new(bytes), name, sink);
        }
    }
    match opts.format {
        Format::Html => read_html_bytes(&bytes, name, accept, sink),
        Format::Auto if looks_like_html(&bytes) => read_html_bytes(&bytes, name, accept, sink),
        _ => read_text_bytes(&bytes, name, opts, accept, sink),
    }
}

/// The byte order of a UTF-16 text, by its byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16 {
    Little,
    Big,
}

fn utf16_order(bytes: &[u8]) -> Option<Utf16> {
    match bytes.get(..2)? {
        [0xff, 0xfe] => Some(Utf16::Little),
        [0xfe, 0xff] => Some(Utf16::Big),
        _ => None,
    }
}

/// Decodes UTF-16 after its byte order mark, saying so when some of it was not UTF-16.
fn decode_utf16(bytes: &[u8], order: Utf16, name: &str, sink: &mut dyn FnMut(Event)) -> String {
    let units = bytes[2..].chunks(2).map(|pair| match (order, pair) {
        (Utf16::Little, [lo, hi]) => u16::from_le_bytes([*lo, *hi]),
        (Utf16::Big, [hi, lo]) => u16::from_be_bytes([*hi, *lo]),
        // An odd last byte: not a code unit.
        _ => 0xdc00,
    });
    let mut lossy = false;
    let text = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                lossy = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if lossy {
        sink(Event::Problem(Problem {
            path: name.to_string(),
            row: None,
            message: "invalid UTF-16, decoded lossily".into(),
            skipped: false,
            severity: Severity::Problem,
        }));
    }
    text
}

fn read_text_bytes(
    bytes: &[u8],
    name: &str,
    opts: &ReadOptions,
    accept: Accept,
    sink: &mut dyn FnMut(Event),
) {
    let Some(text) = decode_checked(bytes, name, sink) else {
        return;
    };
    emit(
        text::read_text(&text, name, opts.default_year),
        accept,
        sink,
    );
}

fn read_html_bytes(bytes: &[u8], name: &str, accept: Accept, sink: &mut dyn FnMut(Event)) {
    let Some(page) = decode_checked(bytes, name, sink) else {
        return;
    };
    match html::read_html(&page, name) {
        Ok(raw) => emit(raw, accept, sink),
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

fn read_dump(input: impl Read, name: &str, sink: &mut dyn FnMut(Event)) {
    let mut rows = 0u64;
    for item in csv_dump::DumpReader::new(input) {
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
                emit(raw, Accept::Cables, sink);
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

/// Hands `raw` on as a cable if it is one (or a fragment is welcome), else reports the file
/// (or row) as skipped.
fn emit(raw: RawCable, accept: Accept, sink: &mut dyn FnMut(Event)) {
    if accept == Accept::Fragments || recognise::is_cable(&raw) {
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
        // `.txt` and the rest are told by content: a page or a dump saved as `.txt` is one.
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
        // Told by content, as files without an extension are.
        assert_eq!(guess_format(Path::new("06PARIS2069.TXT")), Format::Auto);
    }

    fn read_bytes(bytes: &[u8], format: Format) -> Vec<Event> {
        let opts = ReadOptions {
            format,
            default_year: None,
        };
        let mut events = Vec::new();
        read_stream(bytes, None, "in", &opts, Accept::Cables, &mut |e| {
            events.push(e)
        });
        events
    }

    #[test]
    fn content_and_format_pick_the_reader() {
        let dump = crate::synth::demo_csv(3, 1);
        assert_eq!(read_bytes(&dump, Format::Auto).len(), 3);
        assert_eq!(read_bytes(&dump, Format::Csv).len(), 3);
        // Forced to text, a dump is one text cable.
        assert!(matches!(
            &read_bytes(&dump, Format::Text)[..],
            [Event::Cable(_)]
        ));
        let page = b"<html><body><pre>UNCLAS OSLO 000001\n\nSUBJECT: X</pre></body></html>";
        let [Event::Cable(raw)] = &read_bytes(page, Format::Auto)[..] else {
            panic!("one cable");
        };
        assert_eq!(raw.body, "UNCLAS OSLO 000001\n\nSUBJECT: X");
    }

    #[test]
    fn utf16_is_decoded_by_its_byte_order_mark() {
        let text = "SUBJECT: CAFÉ ¶1\n";
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            let [Event::Cable(raw)] = &read_bytes(&bytes, Format::Auto)[..] else {
                panic!("one cable");
            };
            assert!(raw.body.starts_with("SUBJECT: CAFÉ"), "{:?}", raw.body);
        }
        // An unpaired surrogate and an odd last byte are said, and replaced.
        let events = read_bytes(&[0xff, 0xfe, 0x00, 0xd8, b'S', 0, b'X'], Format::Text);
        assert!(events.iter().any(
            |e| matches!(e, Event::Problem(p) if p.message == "invalid UTF-16, decoded lossily")
        ));
    }
}
