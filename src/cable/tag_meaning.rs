//! What TAGS codes mean, from tables shipped with the app:
//!
//! - `data/tags.tsv`: subject, program (K-) and office codes (`PREL`: External Political
//!   Relations), compiled from the State Department's TAGS handbook and NARA;
//! - `data/tags_geographic.tsv`: the geographic codes, which are FIPS 10-4 country codes, not
//!   ISO (`RS` Russia, `UK` United Kingdom, `IZ` Iraq), plus former FIPS codes (`UR` Soviet
//!   Union), ISO-style codes some posts used (`RU`) and regional codes (`XF` Middle East);
//! - `data/tags_organizations.tsv`: organisation codes (`UNSC`, `NATO`, `EUN`).
//!
//! A two-letter code is a country before an organisation (`AU` is Austria, not the African
//! Union); a subject code is taken over either.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// `code<TAB>meaning[<TAB>...]` lines after a header line.
fn table(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().skip(1).filter_map(|line| {
        let mut cols = line.split('\t');
        let code = cols.next()?.trim();
        let meaning = cols.next()?.trim();
        (!code.is_empty() && !meaning.is_empty()).then_some((code, meaning))
    })
}

static MEANINGS: LazyLock<FxHashMap<&'static str, &'static str>> = LazyLock::new(|| {
    // Later tables win: organisations, then countries, then subjects.
    table(include_str!("../../data/tags_organizations.tsv"))
        .chain(table(include_str!("../../data/tags_geographic.tsv")))
        .chain(table(include_str!("../../data/tags.tsv")))
        .collect()
});

/// Whether a tag is a code (`PREL`, `RS`, `UNSC`) rather than a person (`DOE, JOHN`) or a
/// free-text keyword (`HUMAN RIGHTS`, `TURKEY`): one word of capitals and digits, of at
/// most four characters (subject, office and geographic codes) or a known longer code.
pub fn is_code(tag: &str) -> bool {
    let tag = super::clean::trim(tag);
    let word = !tag.is_empty()
        && tag
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    word && (tag.len() <= 4 || MEANINGS.contains_key(tag) || super::tags::is_known_code(tag))
}

/// The meaning of a TAGS code, when the tables know it.
pub fn meaning(code: &str) -> Option<&'static str> {
    MEANINGS.get(super::clean::trim(code)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_codes() {
        assert!(meaning("PREL").is_some_and(|m| m.contains("Relations")));
        assert_eq!(meaning("ZZZZ"), None);
    }

    #[test]
    fn the_seed_tags_all_have_meanings() {
        for code in ["PREL", "AORC", "KPAO", "PTER", "UNSC", "UK", "FR", "RS"] {
            assert!(meaning(code).is_some(), "{code}");
        }
    }

    #[test]
    fn subject_codes() {
        assert_eq!(meaning("PTER"), Some("Terrorists and Terrorism"));
        assert_eq!(meaning("PHUM"), Some("Human Rights"));
    }

    #[test]
    fn geographic_codes_are_fips_not_iso() {
        assert_eq!(meaning("UK"), Some("United Kingdom"));
        assert_eq!(meaning("FR"), Some("France"));
        assert_eq!(meaning("RS"), Some("Russia"));
        assert_eq!(meaning("IZ"), Some("Iraq"));
        assert_eq!(meaning("GM"), Some("Germany"));
        // ISO would read these as Serbia, Australia, Spain.
        assert_eq!(meaning("SP"), Some("Spain"));
        assert_eq!(meaning("AS"), Some("Australia"));
        assert_eq!(meaning("AU"), Some("Austria"));
    }

    #[test]
    fn organisation_codes() {
        assert_eq!(meaning("UNSC"), Some("UN Security Council"));
        assert_eq!(meaning("NATO"), Some("North Atlantic Treaty Organization"));
        assert_eq!(meaning("EUN"), Some("European Union"));
    }

    #[test]
    fn codes_persons_and_keywords() {
        for code in ["PREL", "RS", "UNSC", "NATO", "UNESCO", "MTCRE"] {
            assert!(is_code(code), "{code}");
        }
        for other in ["DOE, JOHN", "HUMAN RIGHTS", "TURKEY", "", "prel"] {
            assert!(!is_code(other), "{other}");
        }
    }
}
