//! Canonical reference ids: `YY` + station + serial without leading zeros (`08MOSCOW1052`).
//!
//! Stations come from two fact tables shipped as data: `data/stations.txt` (the stations
//! allowed in ids) and `data/stations_aliases.tsv` (abbreviations and misspellings seen in ids,
//! captions and REF lines). Ids that WikiLeaks published in a malformed shape are looked up in
//! `data/ids_malformed.tsv`, which is by nature a table and cannot be derived by rule.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;

static STATIONS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    data_lines(include_str!("../../data/stations.txt"))
        .map(str::trim)
        .collect()
});

static ALIASES: LazyLock<FxHashMap<&'static str, &'static str>> =
    LazyLock::new(|| tsv(include_str!("../../data/stations_aliases.tsv")));

static MALFORMED: LazyLock<FxHashMap<&'static str, &'static str>> =
    LazyLock::new(|| tsv(include_str!("../../data/ids_malformed.tsv")));

/// Non-empty lines that are not `#` comments.
fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .filter(|l| !super::clean::trim(l).is_empty() && !l.starts_with('#'))
}

fn tsv(text: &'static str) -> FxHashMap<&'static str, &'static str> {
    data_lines(text)
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (super::clean::trim(a), super::clean::trim(b)))
        .collect()
}

/// Words that precede a station name in addresses but are not part of it.
const STATION_PREFIXES: &[&str] = &["AMEMBASSY", "EMBASSY", "AMCONSUL", "USMISSION"];

/// Upper case, without the spaces, hyphens, apostrophes and dots of written station names.
fn squash(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `squashed` without a leading `EMBASSY`-style prefix, unless that leaves nothing.
fn strip_prefix(squashed: &str) -> &str {
    for p in STATION_PREFIXES {
        if let Some(rest) = squashed.strip_prefix(p) {
            if !rest.is_empty() {
                return rest;
            }
        }
    }
    squashed
}

/// The canonical station for an already squashed name, if known.
fn lookup(squashed: &str) -> Option<&'static str> {
    let name = strip_prefix(squashed);
    // Aliases first: a few old station names (`TAIPEI`, `PARISFR`) are allowed in ids but
    // stand for a newer canonical one.
    if let Some(s) = ALIASES.get(name) {
        return Some(s);
    }
    if let Some(s) = STATIONS.get(name) {
        return Some(s);
    }
    // Typists wrote the digit zero for the letter O (`0TTAWA`, `SANTIAG0`).
    if name.contains('0') {
        let fixed = name.replace('0', "O");
        return ALIASES
            .get(fixed.as_str())
            .or_else(|| STATIONS.get(fixed.as_str()))
            .copied();
    }
    None
}

/// The canonical form of a reference id as written (`05RIO123` -> `05RIODEJANEIRO123`,
/// malformed ids as published by WikiLeaks -> the correct id).
pub fn canonicalize_id(raw: &str) -> String {
    let id = super::clean::trim(raw).to_ascii_uppercase();
    if let Some(fixed) = MALFORMED.get(id.as_str()) {
        return (*fixed).to_string();
    }
    let bytes = id.as_bytes();
    // A four-digit year (`2008MOSCOW1`) is shortened like a two-digit one.
    let year_len = if bytes.len() > 4
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && (id.starts_with("19") || id.starts_with("20"))
        && !bytes[4].is_ascii_digit()
    {
        4
    } else {
        2
    };
    if bytes.len() <= year_len || !bytes[..year_len].iter().all(u8::is_ascii_digit) {
        return id;
    }
    // The station runs to the last letter; what follows must be the serial.
    let Some(last_letter) = bytes.iter().rposition(u8::is_ascii_alphabetic) else {
        return id;
    };
    if last_letter < year_len {
        return id;
    }
    let (Some(year), Some(station), Some(serial)) = (
        id.get(year_len - 2..year_len),
        id.get(year_len..=last_letter),
        id.get(last_letter + 1..),
    ) else {
        return id;
    };
    if serial.is_empty() || !serial.bytes().all(|b| b.is_ascii_digit()) {
        return id;
    }
    let squashed = squash(station);
    let station = match lookup(&squashed) {
        Some(s) => s.to_string(),
        None => strip_prefix(&squashed).to_string(),
    };
    format!("{year}{station}{}", trim_serial(serial))
}

/// Whether a canonical id (see [`canonicalize_id`]) is shaped like a cable's reference id:
/// a two-digit year, a station of 2 to 24 capital letters and a serial of 1 to 7 digits
/// without leading zeros (`08STATE39114`, `66BUENOSAIRES2481`). The station need not be
/// known: records of cables from stations missing in `data/stations.txt` are kept too.
pub fn is_cable_id(canonical: &str) -> bool {
    let b = canonical.as_bytes();
    let year_ok = b.len() > 2 && b[..2].iter().all(u8::is_ascii_digit);
    if !year_ok {
        return false;
    }
    let rest = &b[2..];
    let station = rest.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let serial = &rest[station..];
    (2..=24).contains(&station)
        && (1..=7).contains(&serial.len())
        && serial.iter().all(u8::is_ascii_digit)
        && serial[0] != b'0'
}

/// The canonical id of an id typed by someone (an argument, a cell of an import), when it is
/// one: letters and digits only (canonicalisation forgives the punctuation of written
/// station names, `07PORT-OF-SPAIN9`, but an id given as such has none, so `08MOS;COW1`
/// and escape sequences are refused) and shaped like a cable id once canonical.
pub fn given_cable_id(raw: &str) -> Option<String> {
    let raw = super::clean::trim(raw);
    if !raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let id = canonicalize_id(raw);
    is_cable_id(&id).then_some(id)
}

/// An id split as [`id_parts`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdParts<'a> {
    /// The full year: cables run from 1966 to 2010, so `66`..`99` are 1966-1999 and `00`..`65`
    /// 2000-2065.
    pub year: u16,
    /// As written (letters only).
    pub station: &'a str,
    /// The serial's digits without leading zeros (`0` stays `0`).
    pub serial: &'a str,
}

/// The year, station and serial of an id shaped `YY` + letters + digits (`08MOSCOW1052`,
/// any case, leading zeros in the serial allowed); `None` for any other shape.
pub fn id_parts(id: &str) -> Option<IdParts<'_>> {
    let b = id.as_bytes();
    let yy = id
        .get(..2)
        .filter(|y| y.bytes().all(|c| c.is_ascii_digit()))?;
    let letters = b[2..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let station = &id[2..2 + letters];
    let serial = &id[2 + letters..];
    if station.is_empty() || serial.is_empty() || !serial.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let yy: u16 = yy.parse().ok()?;
    Some(IdParts {
        year: if yy >= 66 { 1900 + yy } else { 2000 + yy },
        station,
        serial: trim_serial(serial),
    })
}

/// The serial without leading zeros (`0` stays `0`).
fn trim_serial(serial: &str) -> &str {
    let t = serial.trim_start_matches('0');
    if t.is_empty() { "0" } else { t }
}

/// The canonical station name for a station as written in a caption or REF line
/// (`RIO DE JAN` -> `RIODEJANEIRO`, `SECSTATE` -> `STATE`), when it is a known station.
pub fn canonical_station(raw: &str) -> Option<String> {
    // Real station names are short; a long input is not one and is not worth squashing.
    if raw.len() > 64 {
        return None;
    }
    let squashed = squash(raw);
    if squashed.is_empty() {
        return None;
    }
    lookup(&squashed).map(str::to_string)
}

/// The canonical id for a year (`2008` or `08`), a station as written (`MOSCOW`, `RIO DE JAN`)
/// and a serial as written (`001052`), e.g. from a caption line `MOSCOW 001052`.
/// `None` when the year is out of range, the station unknown or the serial not 1 to 7
/// significant digits.
pub fn make_id(year: i32, station: &str, serial: &str) -> Option<String> {
    let yy = match year {
        0..=99 => year,
        1900..=2099 => year % 100,
        _ => return None,
    };
    let station = canonical_station(station)?;
    let serial = super::clean::trim(serial);
    if serial.is_empty() || !serial.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let serial = trim_serial(serial);
    if serial.len() > 7 || serial == "0" {
        return None;
    }
    Some(format!("{yy:02}{station}{serial}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_ids_keep_valid_ids() {
        assert_eq!(canonicalize_id("08MOSCOW1052"), "08MOSCOW1052");
        assert_eq!(canonicalize_id(" 08moscow1052 "), "08MOSCOW1052");
    }

    #[test]
    fn canonical_ids_fix_stations_and_serials() {
        assert_eq!(canonicalize_id("08MOSCOW001052"), "08MOSCOW1052");
        assert_eq!(canonicalize_id("07SECSTATE42"), "07STATE42");
        assert_eq!(canonicalize_id("07RIO9"), "07RIODEJANEIRO9");
        assert_eq!(canonicalize_id("07PORT-OF-SPAIN9"), "07PORTOFSPAIN9");
        assert_eq!(canonicalize_id("07EMBASSYNOWHERE9"), "07NOWHERE9");
        assert_eq!(canonicalize_id("2007MOSCOW9"), "07MOSCOW9");
    }

    #[test]
    fn canonical_ids_leave_junk_alone() {
        assert_eq!(canonicalize_id(""), "");
        assert_eq!(canonicalize_id("MOSCOW"), "MOSCOW");
        assert_eq!(canonicalize_id("08MOSCOW"), "08MOSCOW");
        assert_eq!(canonicalize_id("08MOSCOW12X"), "08MOSCOW12X");
        assert_eq!(canonicalize_id("08Ü1"), "08Ü1");
        assert_eq!(canonicalize_id("12345"), "12345");
    }

    #[test]
    fn cable_id_shapes() {
        for id in [
            "08MOSCOW1052",
            "08STATE39114",
            "10BEIJING231",
            "09HANOI781",
            "05ANKARA1436",
            "66BUENOSAIRES2481",
            "72TEHRAN5055",
            "05RIODEJANEIRO1238",
            "99NOWHERE1",
            "07STATE1234567",
        ] {
            assert!(is_cable_id(id), "{id}");
        }
        for id in [
            "",
            "ACTIONED",
            "URGENT",
            "NOTANID",
            "08MOSCOW",
            "MOSCOW1052",
            "8MOSCOW1052",
            "08M1052",
            "08MOSCOW0",
            "08MOSCOW01",
            "08MOSCOW12345678",
            "08MOSCOW1052;",
            "08MOS;COW1052",
            "08MOSCOW\u{1b}1052",
            "\u{1b}08MOSCOW1052",
            "08MOSCOW 1052",
            "08moscow1052",
            "08MOSCÖW1052",
            "08MOSCOW12X",
        ] {
            assert!(!is_cable_id(id), "{id:?}");
        }
        // What canonicalisation makes of written ids.
        for raw in ["08moscow001052", "2008MOSCOW1052", " 07SECSTATE42 "] {
            assert!(is_cable_id(&canonicalize_id(raw)), "{raw}");
        }
        for raw in [
            "actioned",
            "urgent",
            "08MOSCOW1052;rm",
            "08MOSCOW\u{1b}[31m1",
        ] {
            assert!(!is_cable_id(&canonicalize_id(raw)), "{raw:?}");
        }
    }

    #[test]
    fn malformed_table_is_loaded() {
        assert!(MALFORMED.len() > 100);
        assert!(MALFORMED.keys().all(|k| !k.starts_with('#')));
    }

    #[test]
    fn stations_as_written() {
        assert_eq!(
            canonical_station("RIO DE JAN").as_deref(),
            Some("RIODEJANEIRO")
        );
        assert_eq!(canonical_station("SECSTATE").as_deref(), Some("STATE"));
        assert_eq!(
            canonical_station("USUN NEW YORK").as_deref(),
            Some("USUNNEWYORK")
        );
        assert_eq!(canonical_station("moscow").as_deref(), Some("MOSCOW"));
        assert_eq!(canonical_station("N'DJAMENA").as_deref(), Some("NDJAMENA"));
        assert_eq!(
            canonical_station("AMEMBASSY MOSCOW").as_deref(),
            Some("MOSCOW")
        );
        assert_eq!(canonical_station("0TTAWA").as_deref(), Some("OTTAWA"));
        assert_eq!(canonical_station("SANTIAG0").as_deref(), Some("SANTIAGO"));
        assert_eq!(canonical_station("NOWHERE"), None);
        assert_eq!(canonical_station(""), None);
        assert_eq!(canonical_station(&"A".repeat(100)), None);
    }

    #[test]
    fn ids_from_parts() {
        assert_eq!(
            make_id(2008, "MOSCOW", "001052").as_deref(),
            Some("08MOSCOW1052")
        );
        assert_eq!(
            make_id(8, "RIO DE JAN", "12").as_deref(),
            Some("08RIODEJANEIRO12")
        );
        assert_eq!(make_id(1999, "SECSTATE", "7").as_deref(), Some("99STATE7"));
        assert_eq!(make_id(2008, "NOWHERE", "1"), None);
        assert_eq!(make_id(2008, "MOSCOW", "12A"), None);
        assert_eq!(make_id(2008, "MOSCOW", "000"), None);
        assert_eq!(make_id(2008, "MOSCOW", "12345678"), None);
        assert_eq!(make_id(3000, "MOSCOW", "1"), None);
        assert_eq!(make_id(-1, "MOSCOW", "1"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "(?s).{0,400}") {
            let _ = is_cable_id(&canonicalize_id(&s));
            let _ = canonical_station(&s);
            let _ = make_id(2008, &s, &s);
        }

        #[test]
        fn never_panics_on_field_like_text(s in "(REF|Classified By|TO|INFO|XMT|DECL|[A-Z0-9 ./:;,()'¶\n-]){0,80}") {
            let _ = canonicalize_id(&s);
            let _ = canonical_station(&s);
            let _ = make_id(2008, &s, &s);
        }
    }
}
