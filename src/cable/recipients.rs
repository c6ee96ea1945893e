//! TO and INFO addressees of the header: `TO RUEHC/SECSTATE WASHDC IMMEDIATE 7626`.
//!
//! The address block follows the `FM` line: a `TO` line, optional continuation lines, then
//! an `INFO` line and its continuations. Each line is `[ROUTE/]NAME [PRECEDENCE] [MCN]`.
//! A page break can leave `PAGE 02  STATE 023763 071504Z` on or between these lines; it is
//! skipped. `XMT` starts a list of posts excluded from the preceding (collective) addressee,
//! which runs to the end of the block. A block ends at the first line that is not an
//! addressee: a blank line, `BT`, a classification caption, a line with lower case or a colon.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// One addressee line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Recipient {
    /// Routing indicator (`RUEHC`), when the line has one.
    pub route: Option<String>,
    pub name: String,
    /// `FLASH`, `NIACT IMMEDIATE`, `IMMEDIATE`, `PRIORITY`, `ROUTINE` as written on the line.
    pub precedence: Option<String>,
    /// Message control number (serial) at the end of the line.
    pub mcn: Option<String>,
    /// Posts excluded with `(BT)`-style exclusions, as written.
    #[serde(skip)]
    pub excluded: Vec<String>,
}

/// Addressee lines are short; a longer line is text, not an address.
const MAX_LINE: usize = 200;

static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(R[A-Z0-9]{3,7})/)?(.+?)(?:\s+(FLASH|NIACT\s+IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE))?(?:\s+(\d{1,6}))?$",
    )
    .expect("static regex")
});

/// `PAGE 02        STATE   023763  071504Z`: a page header, not an addressee.
static PAGE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^PAGE\s+\d+\b").expect("static regex"));

/// `LOG-00   NP-00   AID-00`: the office distribution list that also starts with `INFO`.
static OFFICE_CODES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z]{1,6}-\d{2}\b").expect("static regex"));

/// The addressees of the TO line(s) of a header.
pub fn parse_to(header: &str) -> Vec<Recipient> {
    Addressees::new(header).to()
}

/// The addressees of the INFO line(s) of a header.
pub fn parse_info(header: &str) -> Vec<Recipient> {
    Addressees::new(header).info()
}

/// The TO and INFO addressees, the header's lines read once for both.
pub fn parse_to_and_info(header: &str) -> (Vec<Recipient>, Vec<Recipient>) {
    let addressees = Addressees::new(header);
    (addressees.to(), addressees.info())
}

/// A header's lines, and where its TO block starts.
struct Addressees<'a> {
    lines: Vec<&'a str>,
    after_fm: usize,
    to_line: Option<usize>,
}

impl<'a> Addressees<'a> {
    fn new(header: &'a str) -> Self {
        let lines: Vec<&str> = header.lines().map(clean_line).collect();
        let after_fm = fm_line(&lines).map_or(0, |i| i + 1);
        let to_line = find_block(&lines, after_fm, "TO");
        Addressees {
            lines,
            after_fm,
            to_line,
        }
    }

    fn to(&self) -> Vec<Recipient> {
        match self.to_line {
            Some(start) => read_block(&self.lines, start, "TO"),
            None => Vec::new(),
        }
    }

    fn info(&self) -> Vec<Recipient> {
        let lines = &self.lines;
        let from = self.to_line.map_or(self.after_fm, |i| i + 1);
        let Some(start) = (from..lines.len()).find(|&i| {
            keyword_rest(lines[i], "INFO").is_some_and(|rest| !OFFICE_CODES.is_match(rest))
        }) else {
            return Vec::new();
        };
        read_block(lines, start, "INFO")
    }
}

/// A line without trailing blanks and without the pilcrows of web copies.
fn clean_line(line: &str) -> &str {
    super::clean::trim_end(line).trim_start_matches('¶')
}

fn fm_line(lines: &[&str]) -> Option<usize> {
    lines.iter().position(|l| keyword_rest(l, "FM").is_some())
}

fn find_block(lines: &[&str], from: usize, keyword: &str) -> Option<usize> {
    (from..lines.len()).find(|&i| keyword_rest(lines[i], keyword).is_some())
}

/// What follows `keyword` at the start of `line` (`TO`, `INFO`, `FM`), if it starts so.
fn keyword_rest<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(keyword)?;
    if rest.is_empty() {
        return Some(rest);
    }
    rest.starts_with([' ', '\t'])
        .then(|| super::clean::trim(rest))
}

/// Reads the block whose first line (index `start`) begins with `keyword`.
fn read_block(lines: &[&str], start: usize, keyword: &str) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = Vec::new();
    let mut excluding = false;
    let first = keyword_rest(lines[start], keyword).unwrap_or("");
    let rest = lines.get(start + 1..).unwrap_or(&[]);
    for (i, line) in std::iter::once(first)
        .chain(rest.iter().copied())
        .enumerate()
    {
        let line = super::clean::trim(line);
        if (line.starts_with("PAGE") && PAGE_HEADER.is_match(line)) || (i == 0 && line.is_empty()) {
            continue;
        }
        if ends_block(line) {
            break;
        }
        if let Some(name) = xmt_rest(line) {
            excluding = true;
            if name.is_empty() {
                continue;
            }
            exclude(&mut out, name);
            continue;
        }
        if excluding {
            exclude(&mut out, line);
            continue;
        }
        if let Some(r) = parse_line(line) {
            out.push(r);
        }
    }
    out
}

/// `XMT/AMEMBASSY SOFIA`, `XMT AMEMBASSY SOFIA`: the excluded name, if the line is one.
fn xmt_rest(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("XMT")?;
    if rest.is_empty() {
        return Some(rest);
    }
    rest.starts_with([' ', '\t', '/'])
        .then(|| rest.trim_start_matches([' ', '\t', '/']).trim())
}

fn exclude(out: &mut [Recipient], line: &str) {
    let Some(last) = out.last_mut() else {
        return;
    };
    let name = parse_line(line).map_or_else(|| squeeze(line), |r| r.name);
    if !name.is_empty() && !last.excluded.contains(&name) {
        last.excluded.push(name);
    }
}

/// Whether `line` cannot be an addressee and so ends the block.
fn ends_block(line: &str) -> bool {
    if line.is_empty() || line.len() > MAX_LINE || line == "BT" {
        return true;
    }
    let lower = if line.is_ascii() {
        line.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        line.chars().any(char::is_lowercase)
    };
    if lower || line.contains(':') {
        return true;
    }
    let first = line.split_whitespace().next().unwrap_or("");
    const CAPTIONS: &[&str] = &[
        "UNCLAS",
        "UNCLASSIFIED",
        "CONFIDENTIAL",
        "SECRET",
        "LIMITED",
        "SUBJECT",
        "SUBJ",
        "TAGS",
        "E.O.",
        "EO",
        "REF",
        "SIPDIS",
        "NOFORN",
        "FM",
        "TO",
        "INFO",
        "SECTION",
    ];
    // Spaced-out captions: `C O N F I D E N T I A L`, `S E C R E T`.
    let spaced = line.split(' ').take(4).filter(|w| w.len() == 1).count() == 4;
    CAPTIONS.contains(&first) || spaced
}

fn parse_line(line: &str) -> Option<Recipient> {
    let parts = addressee_parts(line).or_else(|| addressee_parts_by_regex(line))?;
    let name = squeeze(parts.name);
    if name.is_empty() {
        return None;
    }
    Some(Recipient {
        route: parts.route.map(str::to_string),
        name,
        precedence: parts.precedence.map(squeeze),
        mcn: parts.mcn.map(str::to_string),
        excluded: Vec::new(),
    })
}

/// The four parts of an addressee line, as [`ADDRESSEE`] captures them.
#[derive(Debug, PartialEq, Eq)]
struct AddresseeParts<'a> {
    route: Option<&'a str>,
    name: &'a str,
    precedence: Option<&'a str>,
    mcn: Option<&'a str>,
}

fn addressee_parts_by_regex(line: &str) -> Option<AddresseeParts<'_>> {
    let caps = ADDRESSEE.captures(line)?;
    Some(AddresseeParts {
        route: caps.get(1).map(|m| m.as_str()),
        name: caps.get(2)?.as_str(),
        precedence: caps.get(3).map(|m| m.as_str()),
        mcn: caps.get(4).map(|m| m.as_str()),
    })
}

/// [`ADDRESSEE`]'s captures without the regex, for the ASCII lines nearly every header has:
/// the regex's lazy name and captures made it most of the cost of reading a header. `None`
/// for what it does not decide (non-ASCII, an empty name), which the regex then reads; a
/// property test holds the two equal.
fn addressee_parts(line: &str) -> Option<AddresseeParts<'_>> {
    // What `\s` matches in ASCII (`\x0B` included, unlike `is_ascii_whitespace`).
    fn blank(b: u8) -> bool {
        matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
    }
    /// `text` without its trailing blanks, if it has at least one and something before.
    fn before_blanks(text: &str) -> Option<&str> {
        let kept = text.trim_end_matches(|c: char| c.is_ascii() && blank(c as u8));
        (kept.len() < text.len() && !kept.is_empty()).then_some(kept)
    }
    if !line.is_ascii() || line.is_empty() || line.contains('\n') {
        return None;
    }
    let bytes = line.as_bytes();
    let run = bytes
        .iter()
        .skip(1)
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        .count();
    let (route, rest) = if bytes[0] == b'R'
        && (3..=7).contains(&run)
        && bytes.get(1 + run) == Some(&b'/')
        && line.len() > run + 2
    {
        (Some(&line[..1 + run]), &line[run + 2..])
    } else {
        (None, line)
    };
    // A name that starts with blanks may be a blank alone (`  0`): left to the regex. Past
    // this, what stands before a run of blanks is never empty.
    if rest.starts_with(|c: char| blank(c as u8)) {
        return None;
    }
    let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (rest, mcn) = match before_blanks(&rest[..rest.len() - digits]) {
        Some(kept) if (1..=6).contains(&digits) => (kept, Some(&rest[rest.len() - digits..])),
        _ => (rest, None),
    };
    let mut precedence = None;
    let mut name = rest;
    for word in ["FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE"] {
        let Some(kept) = rest.strip_suffix(word).and_then(before_blanks) else {
            continue;
        };
        (name, precedence) = (kept, Some(&rest[kept.len()..]));
        if word == "IMMEDIATE" {
            if let Some(niact) = kept.strip_suffix("NIACT").and_then(before_blanks) {
                (name, precedence) = (niact, Some(&rest[niact.len()..]));
            }
        }
        break;
    }
    // The captured precedence starts at its word, not at the blanks before it.
    let precedence = precedence.map(|p| p.trim_start_matches(|c: char| blank(c as u8)));
    (!name.is_empty()).then_some(AddresseeParts {
        route,
        name,
        precedence,
        mcn,
    })
}

/// `EU MEMBER STATES  ` -> `EU MEMBER STATES`.
fn squeeze(s: &str) -> String {
    // Most names are single-spaced already: copied as they are.
    let mut after_blank = true;
    let single_spaced = s.bytes().all(|b| {
        let blank = b == b' ';
        let fine = b.is_ascii_graphic() || blank && !after_blank;
        after_blank = blank;
        fine
    }) && !s.ends_with(' ');
    if single_spaced {
        return s.to_string();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn addressee_parts_read_what_the_regex_reads(
            line in "(R[A-Z0-9]{2,8}/)?[A-Z0-9 /\t\x0B]{0,12}( {1,2}(NIACT|FLASH|IMMEDIATE|PRIORITY|ROUTINE)){0,3}( {1,2}[0-9]{1,8})?[ A-Z]{0,2}"
        ) {
            if let Some(fast) = addressee_parts(&line) {
                prop_assert_eq!(Some(fast), addressee_parts_by_regex(&line));
            }
        }
    }

    proptest! {
        #[test]
        fn squeeze_joins_words_with_single_blanks(s in "[ A\t\u{a0}\u{2003}é\n]{0,10}") {
            prop_assert_eq!(squeeze(&s), s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    #[test]
    fn addressee_parts_agree_with_the_regex_on_edge_cases() {
        for line in [
            "RUEHC/SECSTATE WASHDC IMMEDIATE 7626",
            "AMCONSUL MU NIACT IMMEDIATE",
            "AMCONSUL MU NIACT  IMMEDIATE 12",
            "NIACT IMMEDIATE",
            "IMMEDIATE 123",
            "X 1234567",
            "RUEHC/",
            "RUEHC/ 123",
            "RUEHC/X",
            "RUEHCXYZ1/X ROUTINE",
            "SECSTATE WASHDCROUTINE",
            "X\x0BPRIORITY",
        ] {
            let fast = addressee_parts(line);
            assert!(
                fast.is_none() || fast == addressee_parts_by_regex(line),
                "{line:?}: {fast:?}"
            );
        }
        assert!(addressee_parts("AMEMBASSY LEMURIA 7").is_some());
    }

    fn r(route: Option<&str>, name: &str, prec: Option<&str>, mcn: Option<&str>) -> Recipient {
        Recipient {
            route: route.map(str::to_string),
            name: name.to_string(),
            precedence: prec.map(str::to_string),
            mcn: mcn.map(str::to_string),
            excluded: Vec::new(),
        }
    }

    const HEADER: &str = "R 010101Z JAN 09\nFM AMEMBASSY ATLANTIS\n\
        TO RUEHC/SECSTATE WASHDC PRIORITY 0042\nRUEHXX/AMEMBASSY LEMURIA 7\n\
        INFO RUEHZZ/ISLAND POSTS COLLECTIVE\nAMCONSUL MU NIACT IMMEDIATE\nBT\nUNCLAS ATLANTIS 000001\n";

    #[test]
    fn to_and_info_blocks() {
        assert_eq!(
            parse_to(HEADER),
            [
                r(
                    Some("RUEHC"),
                    "SECSTATE WASHDC",
                    Some("PRIORITY"),
                    Some("0042")
                ),
                r(Some("RUEHXX"), "AMEMBASSY LEMURIA", None, Some("7")),
            ]
        );
        assert_eq!(
            parse_info(HEADER),
            [
                r(Some("RUEHZZ"), "ISLAND POSTS COLLECTIVE", None, None),
                r(None, "AMCONSUL MU", Some("NIACT IMMEDIATE"), None),
            ]
        );
    }

    #[test]
    fn page_headers_are_skipped() {
        let h = "FM SECSTATE WASHDC\nTO PAGE 02   STATE   000001  010101Z\nAMEMBASSY MU ROUTINE\n\
                 INFO PAGE 03   STATE   000001  010101Z\nAMEMBASSY LEMURIA\n";
        assert_eq!(
            parse_to(h),
            [r(None, "AMEMBASSY MU", Some("ROUTINE"), None)]
        );
        assert_eq!(parse_info(h), [r(None, "AMEMBASSY LEMURIA", None, None)]);
    }

    #[test]
    fn exclusions_attach_to_the_previous_addressee() {
        let h = "TO ISLAND POSTS COLLECTIVE\nXMT/AMEMBASSY MU\nAMEMBASSY LEMURIA\n\nUNCLAS";
        let got = parse_to(h);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].excluded, ["AMEMBASSY MU", "AMEMBASSY LEMURIA"]);
        assert!(parse_info("INFO XMT AMEMBASSY MU").is_empty());
    }

    #[test]
    fn office_distribution_is_not_info() {
        let h = "INFO  LOG-00   NP-00\n      EUR-00\nFM AMEMBASSY MU\nTO SECSTATE WASHDC 1\n\n";
        assert!(parse_info(h).is_empty());
        assert_eq!(parse_to(h), [r(None, "SECSTATE WASHDC", None, Some("1"))]);
    }

    #[test]
    fn blocks_end_at_non_addressees() {
        let h = "TO SECSTATE WASHDC\nC O N F I D E N T I A L MU 000001\nAMEMBASSY MU";
        assert_eq!(parse_to(h).len(), 1);
        let h = "TO SECSTATE WASHDC\nSunday, 1 January 2009\nAMEMBASSY MU";
        assert_eq!(parse_to(h).len(), 1);
    }

    #[test]
    fn junk_input() {
        assert!(parse_to("").is_empty());
        assert!(parse_info("").is_empty());
        assert!(parse_to("TO").is_empty());
        assert!(parse_to("TOKYO\nINFO").is_empty());
        assert!(parse_to("\u{0}\u{1}ÄÖ\nTO \u{fffd}").len() <= 1);
        let long = format!("TO {}", "A".repeat(1_000_000));
        assert!(parse_to(&long).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "(?s).{0,400}") {
            let _ = parse_to(&s);
            let _ = parse_info(&s);
        }

        #[test]
        fn never_panics_on_field_like_text(s in "(REF|Classified By|TO|INFO|XMT|DECL|[A-Z0-9 ./:;,()'¶\n-]){0,80}") {
            let _ = parse_to(&s);
            let _ = parse_info(&s);
        }
    }
}
