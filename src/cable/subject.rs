//! The SUBJECT line, possibly over several lines.
//!
//! The subject starts after `SUBJECT:` (or `SUBJ:`, `SUBJECT`, a clipped `UBJECT:`) in the
//! caption and runs over following lines until something that is plainly not subject text:
//! a blank line, `REF`, `Classified By`, a numbered paragraph, a page header, a dashed rule,
//! a spaced classification banner, `This is an action request`.

use super::clean::head;
use regex::Regex;
use std::sync::LazyLock;

/// The caption sits in the first few KB, behind the header.
const REGION: usize = 16 * 1024;
/// A subject never runs this long; stops a runaway scan of text without terminators.
const MAX_LINES: usize = 12;
const MAX_BYTES: usize = 4096;

/// `SUBJECT:` with a colon, in any case, not inside `(SUBJECT LINE)` or `COPY//SUBJECT`.
static KEYWORD_COLON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^A-Za-z0-9(/])S?UBJ(?:ECT)?[ \t]*:").expect("static regex")
});
/// `SUBJECT TEXT` without a colon: upper case at the start of a line only, so prose such as
/// "subject to approval" is not taken for it. Read by [`bare_keyword_ends`], which a
/// property test holds to it.
#[cfg(test)]
static KEYWORD_BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*S?UBJ(?:ECT)?[ \t]+").expect("static regex"));
/// Where subject text stops inside a line.
static INLINE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)REF(?:S|TELS?|\(S\))?[ \t]*:|REF\(S\)",
        r"|classified[ \t]+by",
        r"|\bsensi?tive[ \t]+but\b",
        r"|C O N F|S E C R|U N C L",
        r"|this is an? action req",
        r"|[ \t]-{4,}",
        r"|[ \t]\d{1,2}\.[ \t]*\([A-Z/ ]{1,10}\)",
    ))
    .expect("static regex")
});
/// Lines that end the subject: a reference list, a numbered paragraph, a page header
/// (`PAGE 02 ...`, `PRETORIA 00000954 001.2 OF 004`) or a rule of dashes.
static LINE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:REF(?:S|TELS?|\(S\))?\b",
        r"|\d{1,2}[ \t]*[.)](?:[ \t]|\(|$)",
        r"|PAGE[ \t]+\d",
        r"|[A-Z][A-Z .'-]*[ \t]+\d{5,}[ \t]+\d{3}(?:\.\d+)?[ \t]+OF[ \t]+\d",
        r"|---|===)",
    ))
    .expect("static regex")
});
/// A portion mark such as `(S)`, `(C/NF)`, `(SBU)`, `(S//REL)`; lower-case in subjects
/// typed in lower case (`(s) further ...`).
static PORTION_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\((?:TS|S|C|U|SBU|LOU|FOUO|CUI)(?:[ \t]*/{1,2}[ \t]*[A-Z]{1,8})*\)[ \t]*")
        .expect("static regex")
});
static TRAILING_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[ \t]+\((?:TS|S|C|U|SBU|LOU)(?:[ \t]*/{1,2}[ \t]*[A-Z]{1,8})*\)$")
        .expect("static regex")
});
/// The first classified paragraph: the caption is over by then.
static FIRST_PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*¶?1\.[ \t]*\(").expect("static regex"));

/// The subject, with lines joined by single spaces. `clean` drops a leading portion
/// mark such as `(S)` or `(SBU)`. Empty when the cable has no subject.
pub fn parse_subject(content: &str, clean: bool) -> String {
    let region = head(content, REGION);
    let region = match FIRST_PARAGRAPH.find(region) {
        Some(m) if m.start() > 0 => region.get(..m.start()).unwrap_or(region),
        _ => region,
    };
    let Some(start) = keyword_end(region) else {
        return String::new();
    };
    let rest = head(content.get(start..).unwrap_or(""), MAX_BYTES);
    let mut subject = collect(rest);
    if subject.contains("&#") || subject.contains("&amp;") {
        subject = html_escape::decode_html_entities(&subject).into_owned();
    }
    if clean {
        subject = PORTION_MARK.replace(&subject, "").into_owned();
        subject = TRAILING_MARK.replace(&subject, "").into_owned();
    }
    subject
}

/// Byte offset just past the first SUBJECT keyword, skipping `SUBJECT LINE` mentions.
fn keyword_end(region: &str) -> Option<usize> {
    let not_a_mention = |&end: &usize| {
        let after = region.get(end..).unwrap_or("").trim_start();
        !after
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("LINE"))
    };
    // Each stream is in increasing order: its first good match is its earliest.
    let colon = KEYWORD_COLON
        .find_iter(region)
        .map(|m| m.end())
        .find(not_a_mention);
    let bare = bare_keyword_ends(region).find(not_a_mention);
    colon.into_iter().chain(bare).min()
}

/// Where each match of [`KEYWORD_BARE`] ends, in order, read line by line: the pattern
/// starts at a line start, where a scan with it has no literal to look for.
fn bare_keyword_ends(region: &str) -> impl Iterator<Item = usize> + '_ {
    let mut start = 0;
    super::clean::split_lines(region).filter_map(move |line| {
        let line_start = start;
        start += line.len() + 1;
        let keyword = line.trim_start_matches([' ', '\t']);
        let after = keyword
            .strip_prefix("SUBJ")
            .or_else(|| keyword.strip_prefix("UBJ"))?;
        // `(?:ECT)?` is taken only when blanks follow it, as the pattern backtracks.
        let after = match after.strip_prefix("ECT") {
            Some(rest) if rest.starts_with([' ', '\t']) => rest,
            _ => after,
        };
        let text = after.trim_start_matches([' ', '\t']);
        (text.len() < after.len()).then(|| line_start + line.len() - text.len())
    })
}

/// The subject text from just after the keyword: lines up to the first terminator,
/// joined with single spaces.
fn collect(rest: &str) -> String {
    let mut out = String::new();
    for (i, raw) in rest.split('\n').enumerate() {
        if i >= MAX_LINES {
            break;
        }
        // A trailing backslash is a line-continuation artefact of some copies.
        let line = super::clean::trim_end(raw)
            .trim_end_matches('\\')
            .replace('¶', "");
        let line = super::clean::trim(&line);
        if line.is_empty() {
            // Blank lines between the keyword and the text are skipped; later they end it.
            if out.is_empty() {
                continue;
            }
            break;
        }
        if i > 0 && LINE_END.is_match(line) {
            break;
        }
        let (text, ended) = match INLINE_END.find(line) {
            Some(m) => (line.get(..m.start()).unwrap_or(""), true),
            None => (line, false),
        };
        push_words(&mut out, text);
        if ended {
            break;
        }
    }
    out
}

/// Appends `text` with single spaces; a line ending in a hyphenated word joins the next
/// without a space (`US-` + `LATIN` = `US-LATIN`).
fn push_words(out: &mut String, text: &str) {
    for word in text.split_whitespace() {
        let glued = out.ends_with('-') && {
            let mut rev = out.chars().rev();
            rev.next();
            rev.next().is_some_and(char::is_alphanumeric)
        };
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subj(s: &str) -> String {
        parse_subject(s, true)
    }

    proptest::proptest! {
        #[test]
        fn bare_keywords_are_what_the_pattern_finds(
            lines in proptest::collection::vec(
                "[ \t]{0,2}S{0,2}(UBJ)?(ECT|EC)?[ \t:]{0,2}[A-Z ]{0,4}", 0..6),
        ) {
            let region = lines.join("\n");
            let by_pattern: Vec<usize> = KEYWORD_BARE.find_iter(&region).map(|m| m.end()).collect();
            proptest::prop_assert_eq!(bare_keyword_ends(&region).collect::<Vec<_>>(), by_pattern);
        }
    }

    #[test]
    fn keyword_forms() {
        assert_eq!(subj("SUBJECT: A B C"), "A B C");
        assert_eq!(subj("SUBJ: A B C\n"), "A B C");
        assert_eq!(subj("Subject: mixed Case"), "mixed Case");
        assert_eq!(subj("SUBJECT:NO SPACE"), "NO SPACE");
        assert_eq!(subj("X\nSUBJECT A B C\n"), "A B C");
        assert_eq!(subj("X\nUBJECT: CLIPPED\n"), "CLIPPED");
        assert_eq!(subj("TAGS: PREL Subject: inline here"), "inline here");
        assert_eq!(subj("no subject at all"), "");
        assert_eq!(subj("this is subject to change"), "");
        assert_eq!(subj(""), "");
    }

    #[test]
    fn skips_subject_line_mentions() {
        assert_eq!(
            subj("COPY//SUBJECT LINE//\nX (SUBJECT LINE)\nSUBJECT: REAL ONE\n"),
            "REAL ONE"
        );
    }

    #[test]
    fn multi_line_and_spacing() {
        assert_eq!(subj("SUBJECT: ONE  \nTWO\n\nMORE"), "ONE TWO");
        assert_eq!(subj("SUBJECT: THE US- \nFOO TIES\n\n"), "THE US-FOO TIES");
        assert_eq!(subj("SUBJECT: A -B\n"), "A -B");
        assert_eq!(subj("SUBJECT:\n\nLATE TEXT\n1.(U) x"), "LATE TEXT");
        assert_eq!(subj("SUBJECT: ONE \\\nTWO \\\n \\\nX"), "ONE TWO");
    }

    #[test]
    fn terminators() {
        assert_eq!(subj("SUBJECT: A\nREF: B"), "A");
        assert_eq!(subj("SUBJECT: A\nREF B"), "A");
        assert_eq!(subj("SUBJECT: A REFS: (A) B"), "A");
        assert_eq!(subj("SUBJECT: AREF: B"), "A");
        assert_eq!(subj("SUBJECT: A Ref(s): B"), "A");
        assert_eq!(subj("SUBJECT: TAX REFORM: NEXT"), "TAX REFORM: NEXT");
        assert_eq!(subj("SUBJECT: A Classified By: X"), "A");
        assert_eq!(subj("SUBJECT: A\n1. (C) Text"), "A");
        assert_eq!(subj("SUBJECT: A\n2. Text"), "A");
        assert_eq!(subj("SUBJECT: A\nNOV 12-16\n\n"), "A NOV 12-16");
        assert_eq!(subj("SUBJECT: A\nPOST 00000123 001.2 OF 004\nB"), "A");
        assert_eq!(subj("SUBJECT: A\nPAGE 02 POST 01 OF 02\nB"), "A");
        assert_eq!(subj("SUBJECT: A\n-------\nB"), "A");
        assert_eq!(subj("SUBJECT: A\nC O N F I D E N T I A L POST"), "A");
        assert_eq!(subj("SUBJECT: A\nThis is an action request."), "A");
        assert_eq!(subj("SUBJECT: A Sensitive but unclassified"), "A");
    }

    #[test]
    fn portion_marks() {
        assert_eq!(subj("SUBJECT: (S) A"), "A");
        assert_eq!(subj("SUBJECT: (C/NF) A"), "A");
        assert_eq!(subj("SUBJECT: (SBU) A (U)"), "A");
        assert_eq!(parse_subject("SUBJECT: (S) A", false), "(S) A");
        assert_eq!(subj("SUBJECT: (EU) A (Iceland)"), "(EU) A (Iceland)");
    }

    #[test]
    fn entities() {
        assert_eq!(subj("SUBJECT: A &#8217; B"), "A \u{2019} B");
    }

    #[test]
    fn junk_is_safe() {
        assert_eq!(subj(&"é".repeat(100_000)), "");
        let long = format!("SUBJECT: {}", "x".repeat(1 << 20));
        assert!(subj(&long).len() <= MAX_BYTES);
        let _ = subj("SUBJECT:\u{0}\u{ffff}\n\n\n");
    }
}
