//! Date-time groups: `161349Z APR 08` is 16 April 2008, 13:49 UTC.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use regex::Regex;
use std::sync::LazyLock;

use super::precedence::Precedence;

/// A DTG with an optional prosign line prefix: `O 161349Z APR 08`, `P R 281848Z DEC 66`.
static DTG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]*(?:([ZOPR])(?:[ \t]+([ZOPR]))?[ \t]+)?(\d{2})(\d{2})(\d{2})Z[ \t]+([A-Za-z]{3})[A-Za-z]*[ \t]+(\d{2}|\d{4})\b",
    )
    .expect("static regex")
});

/// A bare DTG anywhere in text.
static DTG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{2})(\d{2})(\d{2})Z[ \t]+([A-Za-z]{3})[A-Za-z]*[ \t]+(\d{2}|\d{4})\b")
        .expect("static regex")
});

/// A date-time group line of the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DtgLine {
    /// The action precedence from the prosign (the first letter when there are two).
    pub precedence: Option<Precedence>,
    pub date: DateTime<Utc>,
}

/// The first date-time-group line of a header, with its prosign.
///
/// The pattern has no literal to search for, so a scan of the whole header with it is slow;
/// but a line can only match with a `Z` between a digit and a blank, which a byte scan finds.
/// A match starts at a line start and never spans lines, so reading only those lines, in
/// order, finds the same.
pub fn find_dtg_line(header: &str) -> Option<DtgLine> {
    super::clean::split_lines(header)
        .filter(|line| may_hold_dtg(line))
        .find_map(|line| DTG_LINE.find(line).and_then(|m| read_dtg_line(m.as_str())))
}

/// The fields of a match of [`DTG_LINE`], read from its text: the pattern's `find` costs a
/// fraction of its `captures`. Blanks and prosign letters come before the first digit, and
/// no part holds a character of the next, so the groups are where the parts meet.
fn read_dtg_line(matched: &str) -> Option<DtgLine> {
    let digits_at = matched.find(|c: char| !matches!(c, ' ' | '\t' | 'Z' | 'O' | 'P' | 'R'))?;
    let precedence = matched[..digits_at]
        .trim_start_matches([' ', '\t'])
        .chars()
        .next()
        .and_then(Precedence::from_prosign);
    let rest = &matched[digits_at..];
    let zulu = rest.find('Z')?;
    let group = &rest[..zulu];
    let mut at = group.char_indices().map(|(i, _)| i).chain([group.len()]);
    let (_, hour_at, minute_at) = (at.next()?, at.nth(1)?, at.nth(1)?);
    let after = rest[zulu + 1..].trim_start_matches([' ', '\t']);
    let month_end = after.find([' ', '\t'])?;
    let year = after[month_end..].trim_start_matches([' ', '\t']);
    let date = to_datetime(
        &group[..hour_at],
        &group[hour_at..minute_at],
        &group[minute_at..],
        &after[..month_end],
        year,
    )?;
    Some(DtgLine { precedence, date })
}

/// Whether `line` has a `Z` after a digit (ASCII, or the last byte of another script's)
/// and before a blank, as every date-time group does.
fn may_hold_dtg(line: &str) -> bool {
    let bytes = line.as_bytes();
    memchr::memchr_iter(b'Z', bytes).any(|at| {
        at > 0
            && matches!(bytes.get(at + 1), Some(b' ' | b'\t'))
            && (bytes[at - 1].is_ascii_digit() || bytes[at - 1] >= 0x80)
    })
}

/// [`find_dtg_line`] by the pattern alone, over any text.
#[cfg(test)]
fn dtg_line_by_regex(header: &str) -> Option<DtgLine> {
    for caps in DTG_LINE.captures_iter(header) {
        let precedence = caps
            .get(1)
            .and_then(|m| m.as_str().chars().next())
            .and_then(Precedence::from_prosign);
        if let Some(date) = to_datetime(&caps[3], &caps[4], &caps[5], &caps[6], &caps[7]) {
            return Some(DtgLine { precedence, date });
        }
    }
    None
}

/// The first valid date-time group anywhere in `text`.
pub fn find_dtg(text: &str) -> Option<DateTime<Utc>> {
    DTG.captures_iter(text)
        .find_map(|c| to_datetime(&c[1], &c[2], &c[3], &c[4], &c[5]))
}

/// A two-digit year of the cables' era: 66..=99 is the 1900s, the rest the 2000s.
pub fn expand_year(yy: i32) -> i32 {
    if yy >= 100 {
        yy
    } else if yy >= 66 {
        1900 + yy
    } else {
        2000 + yy
    }
}

pub fn month_number(abbrev: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let up = abbrev.get(..3)?.to_ascii_uppercase();
    MONTHS.iter().position(|m| *m == up).map(|i| i as u32 + 1)
}

fn to_datetime(
    day: &str,
    hour: &str,
    minute: &str,
    month: &str,
    year: &str,
) -> Option<DateTime<Utc>> {
    let day: u32 = day.parse().ok()?;
    let hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    let month = month_number(month)?;
    let year = expand_year(year.parse().ok()?);
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, 0)?;
    Some(Utc.from_utc_datetime(&naive))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_line_scan_finds_what_the_pattern_finds(
            lines in proptest::collection::vec(proptest::prop_oneof![
                proptest::prelude::Just("O 161349Z APR 08".to_string()),
                proptest::prelude::Just("P R 281848Z DEC 66 ".to_string()),
                proptest::prelude::Just("ZNY CCCCC ZZH".to_string()),
                proptest::prelude::Just("  321349Z APR 08".to_string()),
                proptest::prelude::Just("R ١٦١٣٤٩Z APR 08".to_string()),
                "[ZOPR \t]{0,3}[0-9]{5,7}Z[ \t]{0,2}[A-Za-z]{2,5}[ \t]{0,2}[0-9]{1,5}[ A-Z]{0,2}",
                "[A-Z0-9 /#]{0,20}",
            ], 0..6),
        ) {
            let header = lines.join("\n");
            proptest::prop_assert_eq!(find_dtg_line(&header), dtg_line_by_regex(&header));
        }
    }

    #[test]
    fn reads_prosign_and_dtg() {
        let line =
            find_dtg_line("DE RUEHMO #1052/01 1071349\nZNY CCCCC ZZH\nO 161349Z APR 08\nFM X")
                .unwrap();
        assert_eq!(line.precedence, Some(Precedence::Immediate));
        assert_eq!(line.date.to_rfc3339(), "2008-04-16T13:49:00+00:00");
    }

    #[test]
    fn two_prosigns_take_the_first() {
        let line = find_dtg_line("P R 281848Z DEC 66 \nFM AMEMBASSY BUENOS AIRES").unwrap();
        assert_eq!(line.precedence, Some(Precedence::Priority));
        assert_eq!(line.date.to_rfc3339(), "1966-12-28T18:48:00+00:00");
    }

    #[test]
    fn impossible_dates_are_skipped() {
        assert_eq!(find_dtg_line("O 321349Z APR 08"), None);
        assert_eq!(
            find_dtg("dated 291359Z Nov 00")
                .map(|d| d.to_rfc3339())
                .as_deref(),
            Some("2000-11-29T13:59:00+00:00")
        );
        assert_eq!(expand_year(2008), 2008);
        assert_eq!(expand_year(99), 1999);
    }
}
