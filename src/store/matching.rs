//! Answers the query language's store terms (`is:`, `mytag:`, `note:`, `by:`) from a
//! record, so the filter bar and `cabletriage export --filter` agree on what they mean.
//! A cable without a record is untriaged, unseen, untagged, without a note and handled by
//! nobody.

use crate::corpus::query::{StoreKind, StoreTerm};

use super::record::{Disposition, Record};

/// Whether `record` (the cable's, if it has one) satisfies `term`. Comparisons ignore ASCII
/// case: `is:` takes a disposition name (with the same aliases as the commands), `seen` or
/// `unseen`; `mytag:` one of the analyst's tags; `note:` a substring of the note; `by:` the
/// analyst who last changed the record. Unknown `is:` values match nothing.
pub fn store_matches(term: &StoreTerm, record: Option<&Record>) -> bool {
    let value = term.value.trim();
    match term.kind {
        StoreKind::Is => {
            let seen = record.is_some_and(|r| r.seen);
            match value.to_ascii_lowercase().as_str() {
                "seen" => seen,
                "unseen" | "unread" => !seen,
                _ => value
                    .parse::<Disposition>()
                    .is_ok_and(|d| record.map_or(Disposition::Untriaged, |r| r.disposition) == d),
            }
        }
        StoreKind::MyTag => {
            record.is_some_and(|r| r.tags.iter().any(|t| t.eq_ignore_ascii_case(value)))
        }
        StoreKind::Note => record
            .and_then(|r| r.note.as_deref())
            .is_some_and(|n| contains_ignore_ascii_case(n, value)),
        StoreKind::By => record.is_some_and(|r| r.changed_by.eq_ignore_ascii_case(value)),
    }
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(kind: StoreKind, value: &str) -> StoreTerm {
        StoreTerm {
            kind,
            value: value.into(),
        }
    }

    #[test]
    fn terms_against_a_record_and_against_none() {
        let mut r = Record::blank("08MOSCOW1052");
        r.disposition = Disposition::FollowUp;
        r.note = Some("Ask about the Gas talks".into());
        r.seen = true;
        r.tags.insert("Energy".into());
        r.changed_by = "jsmith".into();
        let r = Some(&r);
        assert!(store_matches(&term(StoreKind::Is, "follow-up"), r));
        assert!(store_matches(&term(StoreKind::Is, "followup"), r));
        assert!(!store_matches(&term(StoreKind::Is, "actioned"), r));
        assert!(store_matches(&term(StoreKind::Is, "seen"), r));
        assert!(!store_matches(&term(StoreKind::Is, "unseen"), r));
        assert!(store_matches(&term(StoreKind::MyTag, "energy"), r));
        assert!(store_matches(&term(StoreKind::Note, "gas"), r));
        assert!(!store_matches(&term(StoreKind::Note, "oil"), r));
        assert!(store_matches(&term(StoreKind::By, "JSmith"), r));

        assert!(store_matches(&term(StoreKind::Is, "untriaged"), None));
        assert!(store_matches(&term(StoreKind::Is, "unseen"), None));
        assert!(!store_matches(&term(StoreKind::Is, "seen"), None));
        assert!(!store_matches(&term(StoreKind::MyTag, "energy"), None));
        assert!(!store_matches(&term(StoreKind::Note, ""), None));
        assert!(!store_matches(&term(StoreKind::Is, "flagged"), None));
    }
}
