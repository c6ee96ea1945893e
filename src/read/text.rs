//! One cable per text file, in telegram form: header block, then body.
//!
//! Files copied from web pages often lose the exact shape (blank lines inside the header, a
//! disclaimer above it), so the header is found by its content: it ends with the addressee
//! block that follows the `FM` line.

use regex::Regex;
use std::sync::LazyLock;

use crate::cable::{RawCable, Source, clean};

static FM_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*FM[ \t]+\S").expect("static regex"));

/// A fragment that starts with its addressees (`TO ...`, `INFO ...`), without the FM line.
static ADDRESSEES_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\A\n*[ \t]*(TO|INFO)[ \t]+\S").expect("static regex"));

/// How far into a file a header may start.
const HEADER_ZONE: usize = 12_000;

/// Reads a text cable that has already been decoded to a string.
pub fn read_text(text: &str, path: &str, default_year: Option<i32>) -> RawCable {
    let text = clean::normalize(text);
    let (header, body) = split_header(&text);
    RawCable {
        header: header.to_string(),
        body: body.to_string(),
        meta: Default::default(),
        source: Source {
            path: path.to_string(),
            row: None,
            offset: None,
        },
        default_year,
    }
}

/// Splits normalised telegram text into header and body.
pub fn split_header(text: &str) -> (&str, &str) {
    let zone = crate::cable::clean::head(text, HEADER_ZONE);
    let start = match FM_LINE.find(zone) {
        Some(fm) => fm.start(),
        None if ADDRESSEES_FIRST.is_match(zone) => text.len() - text.trim_start_matches('\n').len(),
        None => return ("", text.trim_start_matches('\n')),
    };
    // The addressee block runs from FM to the first blank line or to the caption.
    let mut end = text.len();
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        let t = line.trim();
        let is_caption = at > start && crate::cable::caption::find_caption(t).is_some();
        if t.is_empty() || t == "BT" || is_caption {
            end = at;
            break;
        }
        at += line.len();
    }
    let header = text[..end].trim_matches('\n');
    let rest = &text[end..];
    let rest = rest.strip_prefix("BT\n").unwrap_or(rest);
    (
        header,
        rest.trim_start_matches(['\n', ' '])
            .trim_start_matches("BT\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_inner_blank_lines_and_web_artefacts() {
        let text = "\n\nVZCZCXYZ0000  \nOO RUEHWEB\n\nDE RUEHXX #0042/01 1071349  \nO 161349Z APR 08  \nFM AMEMBASSY STATION\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 7626\nINFO RUEHYY/OTHER POST IMMEDIATE\n\nC O N F I D E N T I A L STATION 000042\n\nTAGS: [PREL](#)\n";
        let raw = read_text(text, "x.txt", None);
        assert!(raw.header.starts_with("VZCZCXYZ0000\n"));
        assert!(raw.header.ends_with("INFO RUEHYY/OTHER POST IMMEDIATE"));
        assert!(
            raw.body
                .starts_with("C O N F I D E N T I A L STATION 000042")
        );
        assert!(raw.body.contains("TAGS: PREL"));
    }

    #[test]
    fn no_header() {
        let (h, b) = split_header("\nUNCLAS STATION 000001\n\nSUBJECT: X\n");
        assert_eq!(h, "");
        assert!(b.starts_with("UNCLAS"));
        assert_eq!(split_header(""), ("", ""));
    }

    #[test]
    fn addressees_without_the_fm_line_are_the_header() {
        let (h, b) = split_header("INFO AMEMBASSY PANAMA\n\nUNCLAS X 000001\n");
        assert_eq!((h, b), ("INFO AMEMBASSY PANAMA", "UNCLAS X 000001\n"));
        let (h, b) = split_header("\nTO AMEMBASSY X PRIORITY\nINFO RUEHTH/AMEMBASSY ATHENS 0121");
        assert_eq!(
            (h, b),
            (
                "TO AMEMBASSY X PRIORITY\nINFO RUEHTH/AMEMBASSY ATHENS 0121",
                ""
            )
        );
        // A line that merely starts with the word is prose.
        assert_eq!(split_header("TOMORROW WE MEET\n").0, "");
    }

    #[test]
    fn caption_right_after_addressees() {
        let (h, b) = split_header("FM AMEMBASSY X\nTO SECSTATE WASHDC\nBT\nUNCLAS X 000001\nTEXT");
        assert_eq!(h, "FM AMEMBASSY X\nTO SECSTATE WASHDC");
        assert_eq!(b, "UNCLAS X 000001\nTEXT");
    }
}
