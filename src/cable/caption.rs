//! The caption line that opens a body (`C O N F I D E N T I A L SECTION 01 OF 03 MOSCOW 001052`)
//! and the other classification markings of a telegram.

use super::clean::head;
use regex::Regex;
use std::sync::LazyLock;

use super::classification::{Classification, Level};

static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?mi)^[ \t]*(C[ \t]?O[ \t]?N[ \t]?F[ \t]?I[ \t]?D[ \t]?E[ \t]?N[ \t]?T[ \t]?I[ \t]?A[ \t]?L|S?S[ \t]?E[ \t]?C[ \t]?R[ \t]?E[ \t]?T|UNCLAS(?:SIFIED)?|LIMITED[ \t]+OFFICIAL[ \t]+USE)(?:[ \t]+(?:E[ \t]?F[ \t]?T[ \t]?O|SENSITIVE|NOFORN|FOR[ \t]+OFFICIAL[ \t]+USE[ \t]+ONLY))*(?:[ \t]+SECTION[ \t]+\d+[ \t]+OF[ \t]+\d+)?[ \t]+([A-Z][A-Z .'-]*?)[ \t]+0*(\d{1,7})(?:[ \t]|$)",
    )
    .expect("static regex")
});
static ZNY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*ZN[YR][ \t]+([CSUE])([CSUE])").expect("static regex"));

/// What a caption line states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    pub level: Level,
    /// The station as written (`MOSCOW`, `RIO DE JANEIRO`, `USUN NEW YORK`).
    pub station: String,
    pub serial: String,
}

/// The first caption line of the first lines of `body`.
pub fn find_caption(body: &str) -> Option<Caption> {
    let head = head(body, 3000);
    let caps = CAPTION.captures(head)?;
    let banner: String = caps[1]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    Some(Caption {
        level: banner_level(&banner),
        station: super::clean::trim(&caps[2]).to_ascii_uppercase(),
        serial: caps[3].to_string(),
    })
}

fn banner_level(banner: &str) -> Level {
    if banner.starts_with("CONFIDENTIAL") {
        Level::Confidential
    } else if banner.starts_with("SECRET") || banner.starts_with("SSECRET") {
        Level::Secret
    } else {
        Level::Unclassified
    }
}

/// Classification from the telegram text alone: the caption banner, else the header's
/// `ZNY SSSSS` line, refined by caveat lines (NOFORN, SENSITIVE, FOR OFFICIAL USE ONLY).
pub fn classification_from_text(header: &str, body: &str) -> Option<Classification> {
    let head = head(body, 1500);
    let level = find_caption(body).map(|c| c.level).or_else(|| {
        first_banner_word(head).or_else(|| {
            ZNY.captures(header).map(|c| match &c[1] {
                "C" => Level::Confidential,
                "S" => Level::Secret,
                _ => Level::Unclassified,
            })
        })
    })?;
    let mut c = Classification::new(level);
    let caveat_zone = before_subject(head);
    c.noforn = caveat_zone.contains("NOFORN");
    c.fouo = level == Level::Unclassified
        && (caveat_zone.contains("SENSITIVE")
            || caveat_zone.contains("FOR OFFICIAL USE ONLY")
            || caveat_zone.contains("LIMITED OFFICIAL USE"));
    Some(c)
}

/// A body that opens with a bare banner line (`CONFIDENTIAL`, `S E C R E T`).
fn first_banner_word(head: &str) -> Option<Level> {
    let line = head.lines().find(|l| !super::clean::trim(l).is_empty())?;
    Classification::parse(line).map(|c| c.level)
}

/// The handling caveats, as whole words.
static CAVEAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|ORCON|NOCONTRACT|PROPIN|CHEROKEE|ROGER|DISSENT|SENSITIVE|REL TO)\b",
    )
    .expect("static regex")
});

/// Handling caveats stated before the subject, in order, each once (one pass over the
/// zone, not one per caveat).
pub fn caveats(body: &str) -> Vec<String> {
    let zone = before_subject(head(body, 2000));
    let mut found: Vec<String> = Vec::new();
    for m in CAVEAT.find_iter(zone) {
        if !found.iter().any(|f| f == m.as_str()) {
            found.push(m.as_str().to_string());
        }
    }
    found
}

fn before_subject(head: &str) -> &str {
    let cut = head
        .find("SUBJECT")
        .or_else(|| head.find("SUBJ:"))
        .unwrap_or(head.len());
    &head[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_of_every_kind() {
        let c = find_caption("\nC O N F I D E N T I A L MOSCOW 001052\n\nSIPDIS").unwrap();
        assert_eq!(
            (c.level, c.station.as_str(), c.serial.as_str()),
            (Level::Confidential, "MOSCOW", "1052")
        );
        let c = find_caption("UNCLAS SECTION 01 OF 02 RIO DE JANEIRO 000123 ").unwrap();
        assert_eq!(
            (c.level, c.station.as_str(), c.serial.as_str()),
            (Level::Unclassified, "RIO DE JANEIRO", "123")
        );
        let c = find_caption("S E C R E T STATE 012345").unwrap();
        assert_eq!(c.level, Level::Secret);
        assert!(find_caption("nothing here").is_none());
    }

    #[test]
    fn classification_and_caveats_from_text() {
        let body = "S E C R E T STATE 012345\n\nNOFORN\nSIPDIS\n\nSUBJECT: NOFORN IN SUBJECT\n";
        let c = classification_from_text("", body).unwrap();
        assert_eq!(c.to_string(), "SECRET//NOFORN");
        assert_eq!(caveats(body), vec!["NOFORN", "SIPDIS"]);
        let c =
            classification_from_text("ZNR UUUUU ZZH", "UNCLAS BERN 000001\nSENSITIVE\nSIPDIS\n")
                .unwrap();
        assert_eq!(c.to_string(), "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
        let c = classification_from_text("ZNY SSSSS ZZH", "no caption").unwrap();
        assert_eq!(c.level, Level::Secret);
        assert_eq!(classification_from_text("", "plain"), None);
    }
}
