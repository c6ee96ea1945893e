//! What TAGS codes mean (`PREL`: External Political Relations), from a table shipped with the
//! app (`data/tags.tsv`, compiled from the State Department's TAGS handbook and NARA).

use std::collections::HashMap;
use std::sync::LazyLock;

static MEANINGS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../../data/tags.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let code = cols.next()?.trim();
            let meaning = cols.next()?.trim();
            (!code.is_empty() && !meaning.is_empty()).then_some((code, meaning))
        })
        .collect()
});

/// The meaning of a TAGS code, when the table knows it.
pub fn meaning(code: &str) -> Option<&'static str> {
    MEANINGS.get(code.trim()).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_and_unknown_codes() {
        assert!(super::meaning("PREL").is_some_and(|m| m.contains("Relations")));
        assert_eq!(super::meaning("ZZZZ"), None);
    }
}
