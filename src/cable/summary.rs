//! The cable's summary paragraph (`SUMMARY: ... END SUMMARY`).
//!
//! The summary opens with a marker, inline (`1. (C) Summary:`, `Summary and Comment:`,
//! `BEGIN SUMMARY`) or as a heading line (`------- SUMMARY -------`), and closes with
//! `END SUMMARY` or, failing that, at the end of its paragraph. With an `END SUMMARY` but no
//! opening marker, the summary is the text from paragraph 1 on. Paragraph numbers, portion
//! marks and rules are dropped; paragraphs are joined with single newlines.

use super::clean::head;
use regex::Regex;
use std::sync::LazyLock;

/// Summaries open near the top of the body.
const REGION: usize = 32 * 1024;
/// An `END SUMMARY` further than this from the opening belongs to something else.
const MAX_SUMMARY: usize = 16 * 1024;

static END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bEND[ \t\r\n]+(?:OF[ \t]+)?SUMMARY\b").expect("static regex")
});
/// `Summary:`, `Summary.`, `SUMMARY AND COMMENT:`, `Summary/Comment:`, `BEGIN SUMMARY`.
static INLINE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\bBEGIN[ \t]+SUMMARY\b[ \t]*[:.\-]?",
        r"|\bSUMMARY(?:[ \t]*(?:AND|&|/)[ \t]*[A-Z]+(?:[ \t]+[A-Z]+)?)?[ \t]*[:.\-]",
    ))
    .expect("static regex")
});
/// A heading line: `SUMMARY`, `------- SUMMARY -------`, `SUMMARY AND TABLE OF CONTENTS`.
static HEADING_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*[-=‐–—]*[ \t]*SUMMARY(?:[ \t]*(?:AND|&|/)[ \t]*[A-Z][A-Z ]*?)?[ \t]*[-=‐–—:.]*[ \t]*\r?$")
        .expect("static regex")
});
/// Paragraph 1, where an unmarked summary starts.
static FIRST_PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*¶?1\.").expect("static regex"));
/// Where an unterminated summary paragraph ends.
static PARAGRAPH_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\n[ \t]*\r?\n|-{3,}|\n[ \t]*¶?\d{1,2}\.[ \t(]").expect("static regex")
});
/// Paragraph number and portion mark at the start of a line: `2. (C) `, `¶3.(S//NF) `.
static LINE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:¶?\d{1,2}\.[ \t]*)?(?:\([A-Z]{1,4}(?:/{1,2}[A-Z]{1,8})*\)[ \t]*)?")
        .expect("static regex")
});
/// A repeated marker at the start of the summary text (`1. Summary: ...` under a heading).
static LEADING_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^SUMMARY(?:[ \t]*(?:AND|&|/)[ \t]*[A-Z]+(?:[ \t]+[A-Z]+)?)?[ \t]*[:.\-][ \t]*")
        .expect("static regex")
});

/// Every marker holds the word, folded as the markers fold it: one scan settles the many
/// cables without a summary, where each marker would scan the region again.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)summary").expect("static regex"));

/// The summary text, or `None` when the cable states none.
pub fn parse_summary(content: &str) -> Option<String> {
    let region = head(content, REGION);
    if !WORD.is_match(region) {
        return None;
    }
    let start = start_marker(region);
    let end_after = |from: usize| {
        END.find_at(region, from)
            .filter(|m| m.start() - from <= MAX_SUMMARY)
            .map(|m| m.start())
    };
    let text = match start {
        Some(s) => match end_after(s) {
            Some(e) => region.get(s..e)?,
            None => paragraph(region.get(s..)?),
        },
        None => {
            let e = END.find(region)?.start();
            let s = FIRST_PARAGRAPH.find(region.get(..e)?)?.start();
            region.get(s..e)?
        }
    };
    let summary = normalize(text);
    (!summary.is_empty()).then_some(summary)
}

/// Byte offset just past the first opening marker, if any.
fn start_marker(region: &str) -> Option<usize> {
    let opens = |at: usize| !after_end_word(region, at) && !on_subject_line(region, at);
    let inline = INLINE_START
        .find_iter(region)
        .find(|m| opens(m.start()))
        .map(|m| m.end());
    // Only the earlier marker counts, and a heading is one whole line: past the end of the
    // inline marker's line, a heading could only lose. Cutting there spares the scan of the
    // rest of the region, which for most cables holds no heading at all.
    let heading_zone = match inline {
        Some(end) => {
            let line_end = memchr::memchr(b'\n', &region.as_bytes()[end..])
                .map_or(region.len(), |at| end + at);
            region.get(..line_end).unwrap_or(region)
        }
        None => region,
    };
    let heading = HEADING_START
        .find_iter(heading_zone)
        .find(|m| {
            // The match may start at a blank before the word; test the word itself.
            let word = m
                .as_str()
                .find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(0);
            opens(m.start() + word)
        })
        .map(|m| m.end());
    match (inline, heading) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether the marker at `at` is the `SUMMARY` of an `END SUMMARY`.
fn after_end_word(region: &str, at: usize) -> bool {
    let before = region.get(..at).unwrap_or("").trim_end();
    before.len() >= 3
        && before
            .get(before.len() - 3..)
            .is_some_and(|w| w.eq_ignore_ascii_case("END"))
}

/// Whether `at` lies on the SUBJECT line (`SUBJECT: WEEKLY SUMMARY: ...`).
fn on_subject_line(region: &str, at: usize) -> bool {
    let before = region.get(..at).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("").trim_start();
    line.get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("SUBJ"))
}

/// The summary paragraph when no `END SUMMARY` closes it: up to a blank line, a rule or
/// the next numbered paragraph.
fn paragraph(text: &str) -> &str {
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || "-=‐–—".contains(c));
    match PARAGRAPH_END.find(body) {
        Some(m) => body.get(..m.start()).unwrap_or(body),
        None => body,
    }
}

/// `line` after its paragraph number and portion mark ([`LINE_PREFIX`], which always
/// matches), read by hand for ASCII lines: the pattern's cost on short lines was most of
/// the summary's. Other lines go to the pattern.
fn after_line_prefix(line: &str) -> &str {
    if !line.is_ascii() {
        return LINE_PREFIX
            .find(line)
            .and_then(|m| line.get(m.end()..))
            .unwrap_or(line);
    }
    let bytes = line.as_bytes();
    let run =
        |from: usize, pred: fn(&u8) -> bool| bytes[from..].iter().take_while(|b| pred(b)).count();
    let blanks = |from: usize| from + run(from, |b| matches!(b, b' ' | b'\t'));
    // `\d{1,2}\.[ \t]*`: one or two digits and a period, else nothing.
    let digits = run(0, u8::is_ascii_digit);
    let mut at = if (1..=2).contains(&digits) && bytes.get(digits) == Some(&b'.') {
        blanks(digits + 1)
    } else {
        0
    };
    // `\([A-Z]{1,4}(?:/{1,2}[A-Z]{1,8})*\)[ \t]*`: each run is taken whole, as a shorter
    // one would leave a letter or a slash where the next part cannot start.
    if bytes.get(at) == Some(&b'(') {
        let mut i = at + 1;
        let letters = run(i, u8::is_ascii_uppercase);
        let mut ok = (1..=4).contains(&letters);
        i += letters;
        while ok && bytes.get(i) == Some(&b'/') {
            let slashes = run(i, |b| *b == b'/');
            let letters = run(i + slashes, u8::is_ascii_uppercase);
            ok = slashes <= 2 && (1..=8).contains(&letters);
            i += slashes + letters;
        }
        if ok && bytes.get(i) == Some(&b')') {
            at = blanks(i + 1);
        }
    }
    &line[at..]
}

/// Lines without paragraph numbers, portion marks, rules and blank lines, joined by `\n`.
fn normalize(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for raw in text.lines() {
        let line = super::clean::trim(raw);
        if !line.chars().any(char::is_alphanumeric) && !line.contains("[...]") {
            continue;
        }
        let mut line = after_line_prefix(line);
        if lines.is_empty() {
            // Under a heading, paragraph 1 may open with the marker again.
            if let Some(m) = LEADING_MARKER.find(line) {
                line = line.get(m.end()..).unwrap_or(line);
                line = after_line_prefix(line);
            }
        }
        let line = super::clean::trim(line);
        if !line.is_empty() {
            lines.push(line);
        }
    }
    let joined = lines.join("\n");
    // `(END SUMMARY)` leaves its opening parenthesis behind.
    joined.trim_end_matches(['(', ' ']).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn line_prefixes_are_what_the_pattern_finds(
            line in "[0-9]{0,3}[.]?[ \t]{0,2}[(]?[A-Z]{0,5}(/{0,3}[A-Z]{0,9}){0,2}[)]?[ \t]{0,2}[A-Za-z(]{0,3}",
        ) {
            let by_pattern = LINE_PREFIX.find(&line).map_or(0, |m| m.end());
            proptest::prop_assert_eq!(after_line_prefix(&line), &line[by_pattern..]);
        }
    }

    fn s(text: &str) -> Option<String> {
        parse_summary(text)
    }

    #[test]
    fn inline_markers() {
        assert_eq!(
            s("1. (C) Summary: Foo bar. End Summary."),
            Some("Foo bar.".into())
        );
        assert_eq!(s("SUMMARY: Foo.\nEND SUMMARY\n"), Some("Foo.".into()));
        assert_eq!(
            s("1. Summary and Comment: Foo. End Summary and Comment."),
            Some("Foo.".into())
        );
        assert_eq!(
            s("Summary/Comment: a\nb.  End Summary/Comment.\n"),
            Some("a\nb.".into())
        );
        assert_eq!(s("BEGIN SUMMARY Foo. END SUMMARY"), Some("Foo.".into()));
        assert_eq!(
            s("1. Summary: (SBU) Foo. End\nSummary."),
            Some("Foo.".into())
        );
        assert_eq!(s("Foo (END SUMMARY)"), None);
        assert_eq!(s("1. Summary: Foo (END SUMMARY)"), Some("Foo".into()));
    }

    #[test]
    fn heading_markers() {
        assert_eq!(
            s("SUMMARY\n-------\n\n1. (C) Foo.\nEnd Summary."),
            Some("Foo.".into())
        );
        assert_eq!(
            s("---- SUMMARY ----\n\n1. Summary: Foo. End Summary"),
            Some("Foo.".into())
        );
        assert_eq!(
            s("SUMMARY AND OUTLINE\n\n1. (S/NF) A\n\n2. B\n\nEND SUMMARY.\n3. C"),
            Some("A\nB".into())
        );
    }

    #[test]
    fn multi_paragraph() {
        assert_eq!(
            s("1. (C) SUMMARY: A\n\n2. (C) B\nC\n\n3. (S//NF) D. END SUMMARY."),
            Some("A\nB\nC\nD.".into())
        );
    }

    #[test]
    fn without_end_marker() {
        assert_eq!(s("1. (C) Summary: Foo.\n \nNEXT PART"), Some("Foo.".into()));
        assert_eq!(
            s("1.(C) Summary: Foo. ---- Head ----\n\n2. x"),
            Some("Foo.".into())
        );
        assert_eq!(s("1. (C) Summary: Foo\n2. (C) Bar"), Some("Foo".into()));
    }

    #[test]
    fn without_start_marker() {
        assert_eq!(
            s("Classified By: X 1.4\n(b).\n\n1. (C) Foo. END SUMMARY."),
            Some("Foo.".into())
        );
        assert_eq!(s("no end marker here"), None);
        assert_eq!(s("END SUMMARY"), None);
    }

    #[test]
    fn ignores_subject_and_end_words() {
        assert_eq!(s("SUBJECT: WEEKLY SUMMARY: X\n\n1. Foo"), None);
        assert_eq!(s("text. END SUMMARY. more"), None);
        assert_eq!(
            s("x\n\n1. Foo. End\nSummary.\n\nNEXT\n"),
            Some("Foo.".into())
        );
    }

    #[test]
    fn junk_is_safe() {
        assert_eq!(s(""), None);
        assert_eq!(s(&"é".repeat(100_000)), None);
        let long = format!("SUMMARY: {}", "x".repeat(1 << 20));
        assert!(s(&long).is_some());
        let _ = s("SUMMARY:\u{0}\u{ffff}¶");
    }
}
