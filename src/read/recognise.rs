//! Whether what a reader found is a cable at all: the one rule that the app's loader and
//! `parse` both apply (through [`super::read_paths`]), so a file is a cable for both or for
//! neither.
//!
//! Empty and binary files are refused before this, by the readers (see
//! [`super::read_file`]). What is left is text, and it is a cable when it names one: stated
//! metadata (a page's or a dump row's reference id), or in the telegram text a caption or
//! `DE` line (station and serial: the reference id), a date-time group, or a TAGS or SUBJECT
//! line. A file name that looks like an id is not enough: `08MOSCOW1052.txt` holding
//! `hello world` is not a cable.
//!
//! Only the first kilobytes are looked at, the same regions the field extractors read, so the
//! rule costs little beside interpreting the cable.

use regex::Regex;
use std::sync::LazyLock;

use crate::cable::clean::{head, normalize};
use crate::cable::{RawCable, caption, dtg, subject, tags};

/// The problem reported for text that is not a cable.
pub const NO_CABLE: &str = "no cable found (no reference id, date-time group, TAGS or SUBJECT)";

/// The problem reported for a cable whose id cannot be read (no stated id, caption or `DE`
/// line, nor an id-shaped file name), outside an input named on its own: it could be told
/// from no other, nor keyed in the triage store. Known only once the cable is interpreted.
pub const NO_ID: &str = "no reference id (no caption or DE line, and the file name is not an id)";

/// Bytes of header and body looked at; every sign below stands well within them.
const LOOK: usize = 16 * 1024;
/// Bytes of a body in which a date-time group counts (the interpreter looks as far).
const DTG_IN_BODY: usize = 400;

static DE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*DE[ \t]+[A-Z]{4,7}[ \t]*#[ \t]*\d{1,7}").expect("static regex")
});

/// Whether `raw` names a cable (see the module comment); cheapest signs first.
pub fn is_cable(raw: &RawCable) -> bool {
    if raw
        .meta
        .id
        .as_deref()
        .is_some_and(|id| !id.trim().is_empty())
    {
        return true;
    }
    let header = normalize(head(&raw.header, LOOK));
    let body = normalize(head(&raw.body, LOOK));
    caption::find_caption(&body).is_some()
        || DE_LINE.is_match(&header)
        || dtg::find_dtg_line(&header).is_some()
        || dtg::find_dtg_line(head(&body, DTG_IN_BODY)).is_some()
        || !subject::parse_subject(&body, true).is_empty()
        || !tags::parse_tags(&body, true).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::read_text;

    fn text(s: &str) -> bool {
        is_cable(&read_text(s, "x.txt", None))
    }

    #[test]
    fn text_with_any_sign_of_a_cable_is_one() {
        assert!(text("UNCLAS OSLO 000001\n\nhello"));
        assert!(text("hello\nSUBJECT: A SUBJECT\n"));
        assert!(text("TAGS: PREL, PGOV\n"));
        assert!(text(
            "O 161349Z APR 08\nFM AMEMBASSY MOSCOW\nTO RUEHC/SECSTATE WASHDC\n\nX"
        ));
        assert!(text("DE RUEHMO #1052/01 1071349\nFM AMEMBASSY MOSCOW\n\nX"));
        let mut raw = read_text("hello world", "x.html", None);
        raw.meta.id = Some("08MOSCOW1052".into());
        assert!(is_cable(&raw));
    }

    #[test]
    fn text_without_one_is_not() {
        assert!(!text("hello world"));
        assert!(!text("not a cable at all\n"));
        assert!(!text(""));
        assert!(!text("Dear Sir,\n\nThe subject of this letter is tags.\n"));
        // An id-shaped file name alone does not make a cable.
        assert!(!is_cable(&read_text(
            "hello world",
            "08MOSCOW1052.txt",
            None
        )));
        let mut raw = read_text("hello world", "x.html", None);
        raw.meta.id = Some("  ".into());
        assert!(!is_cable(&raw));
    }
}
