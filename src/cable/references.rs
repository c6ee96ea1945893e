//! REF lines: `REF: A. STATE 12345 B. 07 MOSCOW 5678`.
//!
//! The REF block sits between the SUBJECT and the `Classified By` line or the first
//! paragraph. Only that block is read: it is found within the first few kilobytes of the
//! text, ends at `Classified By`, at the first paragraph, at two blank lines or after a few
//! kilobytes, and inside it every `[year] STATION serial` whose station is known becomes a
//! canonical id. Page headers and captions that page breaks leave inside the block
//! (`MADRID 00000869 001.2 OF 004`, `PAGE 02 ROME 01196 01 OF 02 082030Z`,
//! `C O N F I D E N T I A L RIGA 000472`) are not references.

use super::clean::head;
use std::sync::LazyLock;

use regex::Regex;

use super::reference_id::canonical_station;

/// How far into the text a REF marker is looked for.
const SEARCH_WINDOW: usize = 8 * 1024;
/// How long a REF block may be at most.
const BLOCK_LIMIT: usize = 3 * 1024;

/// `REF:`, `REFS:`, `Reftel:`, `Ref(s):`, `REF.`; or an upper-case `REF A)` without colon.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:REF(?:ERENCES?|TELS?|S|\(S\))?[ \t]*[:.])|\bREFS?[ \t]+(?:\(?[A-Z][.)]|[A-Z][ \t])",
    )
    .expect("static regex")
});

/// What ends a REF block: `Classified By`, a first paragraph, a summary heading, two blank
/// lines, or a line of spaced-out capitals (`C O N F I D E N T I A L`, `C O R R E C T E D`).
static BLOCK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?i:\bclass[a-z]{0,7}[\t\x20]+by\b)
        | (?:\A|\n)[\t\x20]*(?:¶[\t\x20]*)?1\.[\t\x20]*(?:\(|SUMMARY|Summary|[A-Z][a-z])
        | \n[\t\x20]*(?i:summary)[\t\x20]*\r?\n
        | \n[\t\x20]*\r?\n[\t\x20]*\r?\n
        | \n[\t\x20]*(?:-[\t\x20-]*)?(?i:[A-Z][\t\x20]){5}
        ",
    )
    .expect("static regex")
});

/// The first numbered paragraph: `1. (C)`, `¶1. Summary`, `1.Embassy`.
static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\A|\n)[\t\x20]*(?:¶[\t\x20]*)?1\.[\t\x20]*(?:\(|SUMMARY|Summary|[A-Z][a-z])")
        .expect("static regex")
});

/// `[year] STATION serial [(year)]` in the upper-cased block. The year may be `06`, `2006`,
/// `(06)`, `'06`, glued to the station (`09RIYADH`) or follow the serial in parentheses.
static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?: [(']? \b (?P<y>\d{2,4}) \)? [\s\-]* | \b )
        (?P<st> [A-Z][A-Z'\-]* (?:[\t\x20]+[A-Z][A-Z'\-]*){0,4} )
        [\t\x20]* :? [\s\-]*
        (?P<n>\d{1,7}) \b
        (?: [\t\x20]* \( (?P<y2>\d{2}) \) )?
        ",
    )
    .expect("static regex")
});

/// A further serial of the same station: `STATE 41252 AND 44603`. A bare comma is not
/// enough (`STATE 1, 2`): cablemap's vectors read it as a list of unrelated numbers.
static CONTINUATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*(?:AND\b|&)[ \t]*(\d{1,7})\b").expect("static regex"));

/// What follows a page-header serial: `001.2 OF 004`, `01 OF 02`, a `082030Z` time.
static PAGE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:\d{1,3}(?:\.\d)?\s+OF\s+\d|\d{6}Z\b)").expect("static regex")
});

/// Markdown link targets left by text copied from web pages: `[08STATE1](https://...)`.
static LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\((?:https?://|/)[^)\s]*\)").expect("static regex"));

/// The canonical ids of the cables a cable cites, de-duplicated, in order. `year` is the
/// citing cable's year, used where a reference gives none; `own_id` is never listed.
pub fn parse_references(content: &str, year: i32, own_id: Option<&str>) -> Vec<String> {
    let Some(block) = ref_block(content) else {
        return Vec::new();
    };
    let block = normalize(block);
    let own = own_id.map(super::reference_id::canonicalize_id);
    let default_year = year.rem_euclid(100);
    let mut out: Vec<String> = Vec::new();
    let mut push = |id: String| {
        if own.as_deref() != Some(id.as_str()) && !out.contains(&id) {
            out.push(id);
        }
    };
    let mut pos = 0;
    while let Some(caps) = CANDIDATE.captures_at(&block, pos) {
        let (Some(whole), Some(st), Some(n)) = (caps.get(0), caps.name("st"), caps.name("n"))
        else {
            break;
        };
        let retry = next_char(&block, whole.start());
        let Some((station, offset)) = station_suffix(st.as_str()) else {
            pos = retry;
            continue;
        };
        let full = offset == 0;
        // A station after other words names something else (`INCSR BRAZIL 2008`,
        // `COPY OF PANAMA 1957`); only bullets and the marker may precede it.
        if !only_noise(st.as_str().get(..offset).unwrap_or("")) {
            pos = whole.end();
            continue;
        }
        // A year only counts when it stands right before the station.
        let year_before = caps.name("y").filter(|_| full);
        let yy = match year_before.or(caps.name("y2")) {
            Some(y) => match two_digit_year(y.as_str()) {
                Some(v) => v,
                None => {
                    // Not a year (`UNSCR 1737 ...`): try again from the station.
                    pos = if st.start() > whole.start() {
                        st.start()
                    } else {
                        retry
                    };
                    continue;
                }
            },
            None => default_year,
        };
        let after = block.get(n.end()..).unwrap_or("");
        let before = block.get(..whole.start()).unwrap_or("");
        if !is_serial_end(after) || PAGE_TAIL.is_match(after) || is_caption(before) {
            pos = whole.end();
            continue;
        }
        push(make(yy, &station, n.as_str()));
        pos = whole.end();
        // Further serials of the same station.
        while let Some(c) = block
            .get(pos..)
            .and_then(|rest| CONTINUATION.captures(rest))
        {
            let (Some(all), Some(num)) = (c.get(0), c.get(1)) else {
                break;
            };
            let tail = block.get(pos + num.end()..).unwrap_or("");
            if !is_serial_end(tail) || starts_with_word(tail) {
                break;
            }
            push(make(yy, &station, num.as_str()));
            pos += all.end();
        }
    }
    out
}

/// The text from the first REF marker to the end of the block, if the text has one.
fn ref_block(content: &str) -> Option<&str> {
    let window = head(content, SEARCH_WINDOW);
    let marker = MARKER
        .find_iter(window)
        .find(|m| marker_stands_alone(window, m))?;
    // A REF marker after the first paragraph is prose (`as noted in reftel.`), not a block.
    if PARAGRAPH.is_match(window.get(..marker.start())?) {
        return None;
    }
    let rest = content.get(marker.end()..)?;
    let rest = head(rest, BLOCK_LIMIT);
    let end = BLOCK_END.find(rest).map_or(rest.len(), |m| m.start());
    rest.get(..end)
}

/// `REF` glued to a preceding word only counts in upper case (`...PRIMEREF:`); in mixed
/// case it is part of a word.
fn marker_stands_alone(text: &str, m: &regex::Match<'_>) -> bool {
    let Some(prev) = text.get(..m.start()).and_then(|t| t.chars().next_back()) else {
        return true;
    };
    if !prev.is_alphabetic() {
        return true;
    }
    prev.is_uppercase() && m.as_str().starts_with("REF")
}

/// The block in upper case without pilcrows and link targets, with the letter O and the
/// digit zero put right where typists swapped them (`0TTAWA`, `SANTIAG0 465`, `O4 CHENNAI`).
fn normalize(block: &str) -> String {
    let cleaned = LINK_TARGET.replace_all(block, "]");
    let chars: Vec<char> = cleaned
        .chars()
        .filter(|&c| c != '¶')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut out = String::with_capacity(cleaned.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 {
            chars.get(i - 1).copied()
        } else {
            None
        };
        let next = chars.get(i + 1).copied();
        let prev_letter = prev.is_some_and(|p| p.is_ascii_alphabetic());
        let prev_alnum = prev.is_some_and(|p| p.is_ascii_alphanumeric());
        let next_digit = next.is_some_and(|n| n.is_ascii_digit());
        let next_letter = next.is_some_and(|n| n.is_ascii_alphabetic());
        let fixed = match c {
            '0' if (prev_letter && !next_digit) || (!prev_alnum && next_letter) => 'O',
            'O' if !prev_alnum && next_digit => '0',
            _ => c,
        };
        out.push(fixed);
    }
    out
}

/// The canonical station named by the longest run of trailing words of `words`, and the
/// byte offset where that run starts (`A WELLINGTON` -> `WELLINGTON` at 2).
fn station_suffix(words: &str) -> Option<(String, usize)> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            words
                .char_indices()
                .filter(|&(i, c)| {
                    c.is_ascii_alphabetic()
                        && i > 0
                        && words
                            .as_bytes()
                            .get(i - 1)
                            .is_some_and(|b| *b == b' ' || *b == b'\t')
                })
                .map(|(i, _)| i),
        )
        .collect();
    starts.iter().find_map(|&s| {
        let tail = words.get(s..)?;
        canonical_station(tail).map(|st| (st, s))
    })
}

/// Whether `words` (what precedes the station) are only bullets (`A`), `REF` or `AND`.
fn only_noise(words: &str) -> bool {
    words.split_ascii_whitespace().all(|w| {
        w.len() == 1
            || matches!(
                w,
                "REF" | "REFS" | "REFTEL" | "REFTELS" | "AND" | "SEE" | "ALSO"
            )
    })
}

/// `06` -> 6, `2006` -> 6, `094` -> 94 (a stray leading zero); anything else is not a year.
fn two_digit_year(y: &str) -> Option<i32> {
    let v: i32 = y.parse().ok()?;
    match y.len() {
        2 => Some(v),
        3 if y.starts_with('0') => Some(v),
        4 if (1900..2100).contains(&v) => Some(v % 100),
        _ => None,
    }
}

/// Whether a serial is followed by something that keeps it a serial, not part of a date
/// (`9/28`), a section number (`1.5`) or a range (`12-14`).
fn is_serial_end(after: &str) -> bool {
    let mut it = after.chars();
    match it.next() {
        Some('/') => false,
        Some('.' | ':' | '-' | ',') => !it.next().is_some_and(|c| c.is_ascii_digit()),
        _ => true,
    }
}

/// Whether a continuation number is followed by a word, i.e. is the year of the next
/// reference (`ROME 2543, 03 VAT 4859`), not a further serial. Bullets (`B.`) do not count.
fn starts_with_word(after: &str) -> bool {
    let t = after.trim_start_matches([' ', '\t']);
    let word: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '\'' || *c == '-')
        .collect();
    word.len() >= 2 && word != "AND"
}

/// Whether the candidate follows a classification on its line, i.e. is a page caption
/// (`CONFIDENTIAL RIGA 000472`, `S E C R E T NAIROBI 001938`) or a page header (`PAGE 02`).
fn is_caption(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or("");
    let line = prefix_from_end(line, 80);
    let squashed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    ["CONFIDENTIAL", "SECRET", "UNCLASSIFIED", "UNCLAS", "PAGE"]
        .iter()
        .any(|w| squashed.ends_with(w))
        || super::clean::trim_end(line).ends_with(|c: char| c.is_ascii_digit()) && {
            let t = line
                .trim_end()
                .trim_end_matches(|c: char| c.is_ascii_digit());
            super::clean::trim_end(t).ends_with("PAGE")
        }
}

/// At most the last `max` bytes of `s`, cut at a char boundary.
fn prefix_from_end(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    s.get(start..).unwrap_or("")
}

/// The byte index of the char after the one at `i`.
fn next_char(s: &str, i: usize) -> usize {
    s.get(i..)
        .and_then(|t| t.chars().next())
        .map_or(s.len(), |c| i + c.len_utf8())
}

fn make(yy: i32, station: &str, serial: &str) -> String {
    let serial = serial.trim_start_matches('0');
    let serial = if serial.is_empty() { "0" } else { serial };
    format!("{yy:02}{station}{serial}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str, year: i32) -> Vec<String> {
        parse_references(text, year, None)
    }

    #[test]
    fn lettered_references_with_and_without_years() {
        let text = "SUBJECT: SOMETHING\n\nREF: A. MOSCOW 12 B. 07 STATE 0345 C. (05) PARIS 6\n\n1. (C) Text";
        assert_eq!(refs(text, 2008), ["08MOSCOW12", "07STATE345", "05PARIS6"]);
    }

    #[test]
    fn bullets_in_many_shapes() {
        let text = "REF: (A) LIMA 1, B) LIMA 2; C. 2006 LIMA 3\n     D.) LIMA 4 (07)\n";
        assert_eq!(
            refs(text, 2009),
            ["09LIMA1", "09LIMA2", "06LIMA3", "07LIMA4"]
        );
    }

    #[test]
    fn station_spellings() {
        let text = "Refs: a) Rio de Jan 7; b) SECSTATE 8; c) usun new york 9; d) PORT-AU-PRINCE 10";
        assert_eq!(
            refs(text, 2004),
            [
                "04RIODEJANEIRO7",
                "04STATE8",
                "04USUNNEWYORK9",
                "04PORTAUPRINCE10"
            ]
        );
    }

    #[test]
    fn continuation_serials() {
        let text = "REF: STATE 11 AND 12, B. ROME 5, 06 ROME 6";
        assert_eq!(
            refs(text, 2007),
            ["07STATE11", "07STATE12", "07ROME5", "06ROME6"]
        );
    }

    #[test]
    fn non_cable_references_are_ignored() {
        let text = "REF: A. SMITH-JONES E-MAIL 10/15/07 B. OSC EUP20080101000001 \
                    C. UNSCR 1737 D. TELCON 3/4 E. SECDEF MSG DTG 011200Z JAN 08";
        assert!(refs(text, 2008).is_empty());
    }

    #[test]
    fn stations_inside_other_names_are_not_references() {
        let text = "REF: A. LIMA 1 B. INCSR PERU 2008 C. COPY OF LIMA 7 D. REF D LIMA 2";
        assert_eq!(refs(text, 2009), ["09LIMA1", "09LIMA2"]);
    }

    #[test]
    fn page_breaks_inside_the_block() {
        let text = "REF: A. STATE 1\n CONFIDENTIAL\nPAGE 02 ROME 00123 01 OF 02 011200Z\n\
                    B. ROME 2 C. ROME 00000099 001.2 OF 003 D. ROME 3\n\
                    S E C R E T ROME 000777\n";
        assert_eq!(refs(text, 2002), ["02STATE1", "02ROME2", "02ROME3"]);
    }

    #[test]
    fn block_ends_before_classified_by_and_paragraphs() {
        let text = "REF: MOSCOW 1\nClassified By: Someone, reason 1.4 (b)\n\n1. (C) MOSCOW 2";
        assert_eq!(refs(text, 2008), ["08MOSCOW1"]);
        let text = "REF: MOSCOW 1\n \n \nC O R R E C T E D COPY OF MOSCOW 2";
        assert_eq!(refs(text, 2008), ["08MOSCOW1"]);
    }

    #[test]
    fn own_id_and_duplicates_are_dropped() {
        let text = "REF: A. MOSCOW 5 B. MOSCOW 0005 C. MOSCOW 6";
        assert_eq!(
            parse_references(text, 2008, Some("08MOSCOW6")),
            ["08MOSCOW5"]
        );
    }

    #[test]
    fn glued_years_and_digit_letter_swaps() {
        let text = "REF: A. 09LIMA 1 B. 2005LIMA2 C. 05 0SLO 3 D. O4 LIMA 4";
        assert_eq!(
            refs(text, 2010),
            ["09LIMA1", "05LIMA2", "05OSLO3", "04LIMA4"]
        );
    }

    #[test]
    fn marker_variants() {
        assert_eq!(refs("SUBJECT: TALKSREF: LIMA 1", 2008), ["08LIMA1"]);
        assert_eq!(
            refs("REF A) LIMA 1 B) LIMA 2", 2008),
            ["08LIMA1", "08LIMA2"]
        );
        assert!(refs("the prefix: LIMA 1", 2008).is_empty());
        assert!(refs("1. (C) As noted in reftel. LIMA 1", 2008).is_empty());
    }

    #[test]
    fn no_block_or_junk_input() {
        assert!(refs("", 2008).is_empty());
        assert!(refs("REF:", 2008).is_empty());
        assert!(refs("REF: \u{0}\u{ff}ÄÖÜ ¶¶ 12", 2008).is_empty());
        let long = format!("REF: {}", "X".repeat(5_000_000));
        assert!(refs(&long, 2008).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "(?s).{0,400}") {
            let _ = parse_references(&s, 2008, Some(&s));
        }

        #[test]
        fn never_panics_on_field_like_text(s in "(REF|Classified By|TO|INFO|XMT|DECL|[A-Z0-9 ./:;,()'¶\n-]){0,80}") {
            let _ = parse_references(&s, 2008, Some(&s));
        }
    }
}
