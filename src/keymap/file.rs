//! One keymap file, read on its own: TOML with an optional `extends` and one table per mode.
//!
//! ```toml
//! extends = "default"           # a shipped keymap (default, vim, emacs) or a path
//! [table]
//! "j" = "down"
//! "g g" = "top"
//! "x" = ["sort-next", "sort-reverse"]
//! "q" = "no-op"                 # unbinds q
//! ```
//!
//! Everything read keeps its place (line and column) so that every problem, and later every
//! binding of the merged keymap, points back into the file. Reading never stops at the first
//! problem: the user gets them all at once, except after a TOML syntax error, where the rest
//! of the file cannot be trusted. A key (or table) written twice is not such an error: it is
//! reported, its second occurrence set aside, and the rest of the file read as usual.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::check::{Pos, Problem};
use super::key::KeySeq;
use crate::app::{Action, Mode};

/// What one file says, in file order, with places.
#[derive(Debug, Clone, Default)]
pub struct KeymapFile {
    /// The name problems show: the path as given, or `keymaps/NAME.toml` for a shipped one.
    pub path: PathBuf,
    /// The keymap this one extends, and where that is written.
    pub extends: Option<(String, Pos)>,
    pub sections: Vec<Section>,
    /// A TOML syntax error stopped the reading: nothing of the file is known, so what the
    /// keymap lacks is not worth reporting.
    pub unreadable: bool,
}

/// The bindings of one mode.
#[derive(Debug, Clone)]
pub struct Section {
    pub mode: Mode,
    /// Where the `[mode]` header (or `mode = { ... }` key) is.
    pub pos: Pos,
    pub entries: Vec<Entry>,
}

/// One `"keys" = action(s)` line.
#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: KeySeq,
    /// `[Action::NoOp]` unbinds the key.
    pub actions: Vec<Action>,
    pub pos: Pos,
    /// Byte offset of the key in the file: the order bindings were written in.
    pub offset: usize,
}

/// Reads one file's text. Problems come back with what could be read despite them.
pub fn parse(path: &Path, text: &str) -> (KeymapFile, Vec<Problem>) {
    let mut reader = Reader {
        path,
        text,
        problems: Vec::new(),
    };
    let mut file = KeymapFile {
        path: path.to_path_buf(),
        ..KeymapFile::default()
    };
    let Some((readable, set_aside)) = without_duplicates(text, &mut reader) else {
        file.unreadable = true;
        return (file, reader.problems);
    };
    let root = match DeTable::parse(&readable) {
        Ok(root) => root.into_inner(),
        Err(e) => {
            // `without_duplicates` parsed this very text: not expected, but not a panic.
            let offset = e.span().map_or(0, |s| s.start);
            let message = syntax_message(e.message(), e.span(), text);
            reader.error(offset, message);
            file.unreadable = true;
            return (file, reader.problems);
        }
    };
    for (key, value) in in_file_order(&root) {
        let name = key.get_ref().as_ref();
        if set_aside.contains(name) {
            continue;
        }
        match (name, value.get_ref()) {
            ("extends", DeValue::String(s)) => {
                file.extends = Some((s.to_string(), reader.pos(value.span().start)));
            }
            ("extends", other) => reader.error(
                value.span().start,
                format!(
                    "\"extends\" must be a keymap name or a path, not {}",
                    a_type(other)
                ),
            ),
            (_, DeValue::Table(table)) => match name.parse::<Mode>() {
                Ok(mode) => {
                    let section = reader.section(mode, key.span().start, table);
                    file.sections.push(section);
                }
                Err(_) => reader.error(key.span().start, unknown_mode(name)),
            },
            (_, _) => reader.error(
                key.span().start,
                format!(
                    "unknown setting {name:?}: a keymap file has \"extends\" and the tables {}",
                    mode_list()
                ),
            ),
        }
    }
    (file, reader.problems)
}

/// Most duplicates one file can hold before reading gives up (each costs a parse).
const MAX_DUPLICATES: usize = 64;

/// The text with every key written twice set aside, and the names given to tables written
/// twice, or `None` after a syntax error (reported). TOML refuses a whole file for a
/// duplicate; here the duplicate is reported at its place and the file read without it, so
/// its other problems are reported too. Offsets are kept: only ASCII bytes replace bytes.
fn without_duplicates<'t>(
    text: &'t str,
    reader: &mut Reader<'_>,
) -> Option<(Cow<'t, str>, HashSet<String>)> {
    let mut readable = Cow::Borrowed(text);
    let mut set_aside = HashSet::new();
    for _ in 0..=MAX_DUPLICATES {
        let e = match DeTable::parse(&readable) {
            Ok(_) => return Some((readable, set_aside)),
            Err(e) => e,
        };
        let offset = e.span().map_or(0, |s| s.start);
        let (Some(span), "duplicate key") = (e.span(), e.message()) else {
            reader.error(offset, syntax_message(e.message(), e.span(), text));
            return None;
        };
        let mut bytes = readable.into_owned().into_bytes();
        let line_start = bytes[..span.start.min(bytes.len())]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        if bytes.get(line_start..span.start).is_some_and(|before| {
            before.iter().all(|b| b.is_ascii_whitespace() || *b == b'[') && before.contains(&b'[')
        }) {
            // A table header: renamed rather than removed, or its keys would fall into
            // the table above it.
            let name = format!("_{}", set_aside.len());
            let width = span.end - span.start;
            // Exactly as wide as the name it replaces, so that offsets stay.
            let mut placeholder = format!("{name:_<width$}");
            placeholder.truncate(width);
            set_aside.insert(placeholder.clone());
            bytes.splice(span.clone(), placeholder.into_bytes());
            reader.error(
                offset,
                format!(
                    "[{}] is written twice: TOML allows a table only once (the keys under \
                     this one are not read)",
                    text.get(span).unwrap_or_default().trim_matches('"')
                ),
            );
        } else {
            comment_out(&mut bytes, line_start);
            reader.error(offset, syntax_message(e.message(), Some(span), text));
        }
        // Only ASCII bytes were written over whole characters or ASCII ones.
        readable = Cow::Owned(String::from_utf8(bytes).ok()?);
    }
    None
}

/// Makes the key-value line at `line_start` a comment, with the lines its value goes on to
/// when a list or inline table is left open on it.
fn comment_out(bytes: &mut [u8], line_start: usize) {
    let mut depth = 0i32;
    let mut start = line_start;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |n| start + n);
        depth += bracket_balance(&bytes[start..end]);
        // Every byte of the line's first character, so no partial UTF-8 is left.
        let width = char_width(bytes[start]).min(end - start);
        for slot in &mut bytes[start..start + width] {
            *slot = b'#';
        }
        if depth <= 0 {
            return;
        }
        start = end + 1;
    }
}

/// How many more `[`/`{` than `]`/`}` a line opens, outside strings and comments.
fn bracket_balance(line: &[u8]) -> i32 {
    let mut depth = 0;
    let mut quote: Option<u8> = None;
    let mut bytes = line.iter();
    while let Some(&b) = bytes.next() {
        match (quote, b) {
            (Some(b'"'), b'\\') => {
                bytes.next();
            }
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[' | b'{') => depth += 1,
            (None, b']' | b'}') => depth -= 1,
            (None, b'#') => break,
            _ => {}
        }
    }
    depth
}

/// The length of the UTF-8 character a byte starts.
fn char_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn pos(&self, offset: usize) -> Pos {
        Pos::of(self.text, offset)
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let pos = self.pos(offset);
        self.problems.push(Problem::error(self.path, pos, message));
    }

    fn section(&mut self, mode: Mode, offset: usize, table: &DeTable<'_>) -> Section {
        let mut entries: Vec<Entry> = Vec::new();
        // Two spellings of one key (`G`, `shift-g`) are different TOML keys: catch them here.
        let mut seen: HashMap<KeySeq, (String, Pos)> = HashMap::new();
        for (key, value) in in_file_order(table) {
            let written = key.get_ref().as_ref();
            let key_offset = key.span().start;
            let pos = self.pos(key_offset);
            let seq = match written.parse::<KeySeq>() {
                Ok(seq) => seq,
                Err(e) => {
                    self.error(key_offset, format!("cannot read key {written:?}: {e}"));
                    continue;
                }
            };
            let Some(actions) = self.actions(value) else {
                continue;
            };
            if let Some((first, first_pos)) = seen.get(&seq) {
                self.error(
                    key_offset,
                    format!(
                        "{written:?} is bound twice in [{mode}]: {first:?} at line {} is the \
                         same key",
                        first_pos.line
                    ),
                );
                continue;
            }
            seen.insert(seq.clone(), (written.to_string(), pos));
            entries.push(Entry {
                seq,
                actions,
                pos,
                offset: key_offset,
            });
        }
        Section {
            mode,
            pos: self.pos(offset),
            entries,
        }
    }

    /// The actions of a binding: one name or a list of names.
    fn actions(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Vec<Action>> {
        let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::Array(list) => list.iter().collect(),
            _ => vec![value],
        };
        if items.is_empty() {
            self.error(
                value.span().start,
                "an empty list binds nothing (to unbind a key, bind it to \"no-op\")",
            );
            return None;
        }
        let mut actions = Vec::new();
        let mut ok = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(name) => match name.parse::<Action>() {
                    Ok(action) => actions.push(action),
                    Err(e) => {
                        self.error(item.span().start, e.to_string());
                        ok = false;
                    }
                },
                other => {
                    let hint = if matches!(other, DeValue::Table(_)) {
                        " (write a sequence as one key: \"g g\" = \"top\")"
                    } else {
                        ""
                    };
                    self.error(
                        item.span().start,
                        format!(
                            "expected an action name or a list of action names, found {}{hint}",
                            a_type(other)
                        ),
                    );
                    ok = false;
                }
            }
        }
        if ok && actions.len() > 1 && actions.contains(&Action::NoOp) {
            self.error(
                value.span().start,
                "\"no-op\" unbinds a key: it cannot be listed with other actions",
            );
            return None;
        }
        ok.then_some(actions)
    }
}

/// A table's entries in the order they are written (the parsed map is sorted by name).
pub(crate) fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<toml::de::DeString<'i>>,
    &'t Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// The parser's message, with the key named for the one TOML error users meet most here.
fn syntax_message(message: &str, span: Option<Range<usize>>, text: &str) -> String {
    let name = span
        .and_then(|s| text.get(s))
        .map(|s| s.trim_matches(|c| c == '"' || c == '\''))
        .filter(|s| !s.is_empty());
    match (message, name) {
        ("duplicate key", Some(name)) => {
            format!("duplicate key {name:?}: TOML allows a key only once per table")
        }
        _ => format!("TOML syntax: {message}"),
    }
}

fn unknown_mode(name: &str) -> String {
    let nearest = Mode::ALL
        .iter()
        .map(|m| (strsim::damerau_levenshtein(name, m.name()), m.name()))
        .filter(|(d, _)| *d <= 2)
        .min();
    match nearest {
        Some((_, m)) => format!("unknown mode {name:?} (did you mean {m:?}?)"),
        None => format!("unknown mode {name:?} (the modes are {})", mode_list()),
    }
}

fn mode_list() -> String {
    Mode::ALL.map(Mode::name).join(", ")
}

pub(crate) fn a_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        parse(Path::new("k.toml"), text)
            .1
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_bindings_with_places_in_file_order() {
        let text = "extends = \"vim\"\n[table]\nz = \"down\"\n\"g g\" = \"top\"\nx = [\"sort-next\", \"sort-reverse\"]\n";
        let (file, problems) = parse(Path::new("k.toml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(file.extends, Some(("vim".into(), Pos { line: 1, col: 11 })));
        let table = &file.sections[0];
        assert_eq!(table.mode, Mode::Table);
        assert_eq!(table.pos, Pos { line: 2, col: 2 });
        let keys: Vec<String> = table.entries.iter().map(|e| e.seq.to_string()).collect();
        assert_eq!(keys, ["z", "g g", "x"]);
        assert_eq!(table.entries[1].pos, Pos { line: 4, col: 1 });
        assert_eq!(
            table.entries[2].actions,
            [Action::SortNext, Action::SortReverse]
        );
    }

    #[test]
    fn reports_every_problem_not_just_the_first() {
        let text = "[table]\nj = \"dwn\"\n\"pgdown\" = \"down\"\nk = 3\nl = []\n[tabel]\n";
        assert_eq!(
            problems(text),
            [
                "k.toml:2:5: unknown action \"dwn\" (did you mean \"down\"?)",
                "k.toml:3:1: cannot read key \"pgdown\": unknown key \"pgdown\" (did you mean \"pagedown\"?)",
                "k.toml:4:5: expected an action name or a list of action names, found an integer",
                "k.toml:5:5: an empty list binds nothing (to unbind a key, bind it to \"no-op\")",
                "k.toml:6:2: unknown mode \"tabel\" (did you mean \"table\"?)",
            ]
        );
    }

    #[test]
    fn duplicates_are_set_aside_and_places_stay_right() {
        let mut got = problems(
            "[table]\nq = \"quit\"\n[a]\n[a]\n[help]\nj = \"dwn\"\n\"ç\" = \"up\"\n\"ç\" = [\n\"up\"]\nk = 1\n",
        );
        got.sort();
        assert_eq!(
            got,
            [
                "k.toml:10:5: expected an action name or a list of action names, found an integer",
                "k.toml:3:2: unknown mode \"a\" (the modes are table, filter, reading, thread, help, prompt)",
                "k.toml:4:2: [a] is written twice: TOML allows a table only once (the keys under this one are not read)",
                "k.toml:6:5: unknown action \"dwn\" (did you mean \"down\"?)",
                "k.toml:8:1: duplicate key \"ç\": TOML allows a key only once per table",
            ]
        );
    }

    #[test]
    fn nested_tables_and_mixed_no_op_are_refused() {
        assert_eq!(
            problems(
                "size = 1\nextends = 1\n[table]\ng = { g = \"top\" }\nq = [\"quit\", \"no-op\"]\n"
            ),
            [
                "k.toml:1:1: unknown setting \"size\": a keymap file has \"extends\" and the tables table, filter, reading, thread, help, prompt",
                "k.toml:2:11: \"extends\" must be a keymap name or a path, not an integer",
                "k.toml:4:5: expected an action name or a list of action names, found a table (write a sequence as one key: \"g g\" = \"top\")",
                "k.toml:5:5: \"no-op\" unbinds a key: it cannot be listed with other actions",
            ]
        );
    }
}
