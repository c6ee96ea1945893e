//! The E.O. 12958 declassification date: `E.O. 12958: DECL: 04/16/2018`.
//!
//! The `DECL:` mark sits in the caption block at the top of the body, so only the first
//! kilobytes are searched. Dates come as `MM/DD/YYYY`, `M/D/YY` or `YYYY/MM/DD`; anything
//! else after `DECL:` (`OADR`, `N/A`, a reason code) gives no date.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// How far into the text the mark is looked for.
const SEARCH_WINDOW: usize = 8 * 1024;

static DECL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bDECL(?:ASSIFY(?:[ \t]+ON)?)?[ \t]*:?[ \t]*(?:(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2}))\b",
    )
    .expect("static regex")
});

/// The date after which the cable may be declassified, when it states one.
pub fn parse_declassify_on(content: &str) -> Option<NaiveDate> {
    let mut end = content.len().min(SEARCH_WINDOW);
    while !content.is_char_boundary(end) {
        end -= 1;
    }
    let window = content.get(..end)?;
    DECL.find_iter(window).find_map(|m| read_decl(m.as_str()))
}

/// The date of a match of [`DECL`], read from its text: the pattern's `find` costs a
/// fraction of its `captures`. The keyword (whose `(?i)` lets `ſ` and the Kelvin sign spell
/// it too), blanks and colon come before the first digit and the three numbers are what lies
/// between the separators; a first number of four digits can only be the year-first form.
fn read_decl(matched: &str) -> Option<NaiveDate> {
    let digits_at =
        matched.find(|c: char| !(c.is_alphabetic() || matches!(c, ' ' | '\t' | ':')))?;
    let mut parts = matched[digits_at..].split(['/', '.', '-']);
    let (first, second, third) = (parts.next()?, parts.next()?, parts.next()?);
    let num = |s: &str| s.parse::<u32>().ok();
    let (year, month, day, year_len) = if first.chars().count() == 4 {
        (num(first)?, num(second)?, num(third)?, first.len())
    } else {
        (num(third)?, num(first)?, num(second)?, third.len())
    };
    let year = if year_len == 2 {
        expand_year(year)
    } else {
        year
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// [`parse_declassify_on`] with the pattern's captures, which [`read_decl`] reads.
#[cfg(test)]
fn declassify_by_captures(content: &str) -> Option<NaiveDate> {
    let mut end = content.len().min(SEARCH_WINDOW);
    while !content.is_char_boundary(end) {
        end -= 1;
    }
    let window = content.get(..end)?;
    DECL.captures_iter(window).find_map(|c| {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (year, month, day, year_len) = if let Some(y) = c.get(1) {
            (num(1)?, num(2)?, num(3)?, y.len())
        } else {
            (num(6)?, num(4)?, num(5)?, c.get(6)?.len())
        };
        let year = if year_len == 2 {
            expand_year(year)
        } else {
            year
        };
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    })
}

/// Two-digit years: the cables run from the 1960s to 2010 and are declassified later, so
/// `70`..`99` are 19xx and the rest 20xx.
fn expand_year(yy: u32) -> u32 {
    if yy >= 70 { 1900 + yy } else { 2000 + yy }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_match_is_read_as_the_captures_are(
            text in "[a-z ]{0,3}(DECL|decl|Declassify On|DECLASSIFY)[ \t:]{0,3}([0-9]{1,5}[/.-]){0,3}[0-9٣]{0,5}[ a-z]{0,2}",
        ) {
            proptest::prop_assert_eq!(parse_declassify_on(&text), declassify_by_captures(&text));
        }
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn common_shapes() {
        assert_eq!(
            parse_declassify_on("E.O. 12958: DECL: 04/16/2018"),
            d(2018, 4, 16)
        );
        assert_eq!(
            parse_declassify_on("EO 12958 DECL: 2019/01/02"),
            d(2019, 1, 2)
        );
        assert_eq!(
            parse_declassify_on("e.o. 12958: decl: 3/4/09"),
            d(2009, 3, 4)
        );
        assert_eq!(
            parse_declassify_on("E.O. 12958:DECL:  6/18/2018 TAGS"),
            d(2018, 6, 18)
        );
        assert_eq!(
            parse_declassify_on("DECLASSIFY ON: 12/31/99"),
            d(1999, 12, 31)
        );
    }

    #[test]
    fn no_date() {
        assert_eq!(parse_declassify_on("E.O. 12958: N/A"), None);
        assert_eq!(parse_declassify_on("E.O. 12958: DECL: OADR"), None);
        assert_eq!(parse_declassify_on("DECL: 13/45/2018"), None);
        assert_eq!(parse_declassify_on(""), None);
        assert_eq!(parse_declassify_on("DECL: 04/16/20189"), None);
    }

    #[test]
    fn first_valid_date_wins_and_input_is_bounded() {
        assert_eq!(
            parse_declassify_on("DECL: 99/99/2018 DECL: 01/02/2018"),
            d(2018, 1, 2)
        );
        let big = format!("{}DECL: 01/02/2018", "é".repeat(10_000));
        assert_eq!(parse_declassify_on(&big), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "(?s).{0,400}") {
            let _ = parse_declassify_on(&s);
        }

        #[test]
        fn never_panics_on_field_like_text(s in "(REF|Classified By|TO|INFO|XMT|DECL|[A-Z0-9 ./:;,()'¶\n-]){0,80}") {
            let _ = parse_declassify_on(&s);
        }
    }
}
