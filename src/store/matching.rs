//! Answers the query language's store terms (`is:`, `mytag:`, `note:`, `by:`,
//! `assignee:`) from a record, so the filter bar and `cabletriage export --filter` agree on
//! what they mean. A cable without a record is untriaged, unseen, untagged, without a note,
//! handled by nobody and assigned to nobody.

use crate::corpus::query::{StoreKind, StoreTerm};

use super::record::{Disposition, Record};

/// Whether `record` (the cable's, if it has one) satisfies `term`, for the analyst `me`.
/// Comparisons ignore ASCII case: `is:` takes a disposition name (with the same aliases as
/// the commands), `seen`, `unseen`, `mine` (assigned to `me`) or `unassigned`; `mytag:` one
/// of the analyst's tags; `note:` a substring of the note; `by:` the analyst who last changed
/// the record; `assignee:` the analyst it is assigned to. Unknown `is:` values match nothing
/// (the query parser refuses them, see [`check_is_value`]).
pub fn store_matches(term: &StoreTerm, record: Option<&Record>, me: &str) -> bool {
    let value = term.value.trim();
    let assignee = record.and_then(|r| r.assignee.as_deref());
    match term.kind {
        StoreKind::Is => {
            let seen = record.is_some_and(|r| r.seen);
            match read_is_value(value) {
                Some(IsValue::Seen) => seen,
                Some(IsValue::Unseen) => !seen,
                Some(IsValue::Mine) => assignee.is_some_and(|a| a.eq_ignore_ascii_case(me.trim())),
                Some(IsValue::Unassigned) => assignee.is_none(),
                Some(IsValue::Disposition(d)) => {
                    record.map_or(Disposition::Untriaged, |r| r.disposition) == d
                }
                None => false,
            }
        }
        StoreKind::MyTag => {
            record.is_some_and(|r| r.tags.iter().any(|t| t.eq_ignore_ascii_case(value)))
        }
        StoreKind::Note => record
            .and_then(|r| r.note.as_deref())
            .is_some_and(|n| contains_ignore_ascii_case(n, value)),
        StoreKind::By => record.is_some_and(|r| r.changed_by.eq_ignore_ascii_case(value)),
        StoreKind::Assignee => assignee.is_some_and(|a| a.eq_ignore_ascii_case(value)),
    }
}

/// The values `is:` takes, as the README lists them.
pub const IS_VALUES: [&str; 9] = [
    "untriaged",
    "actioned",
    "follow-up",
    "forwarded",
    "no-action",
    "seen",
    "unseen",
    "mine",
    "unassigned",
];

/// What an `is:` value asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IsValue {
    Seen,
    Unseen,
    /// Assigned to the analyst asking.
    Mine,
    Unassigned,
    Disposition(Disposition),
}

/// An `is:` value, any ASCII case, with the disposition aliases of the commands and
/// `unread` for `unseen`.
fn read_is_value(value: &str) -> Option<IsValue> {
    match value.trim().to_ascii_lowercase().as_str() {
        "seen" => Some(IsValue::Seen),
        "unseen" | "unread" => Some(IsValue::Unseen),
        "mine" => Some(IsValue::Mine),
        "unassigned" => Some(IsValue::Unassigned),
        other => other.parse().ok().map(IsValue::Disposition),
    }
}

/// Why the query parser refuses an `is:` value, with the nearest known one suggested: an
/// unknown value would otherwise silently match nothing.
pub fn check_is_value(value: &str) -> Result<(), String> {
    if read_is_value(value).is_some() {
        return Ok(());
    }
    let lower = value.to_ascii_lowercase();
    // The aliases count as spellings of the value they stand for (`unread2` is `unseen`).
    let spellings = IS_VALUES.iter().map(|v| (*v, *v)).chain([
        ("unread", "unseen"),
        ("followup", "follow-up"),
        ("noaction", "no-action"),
    ]);
    let nearest = spellings
        .map(|(spelling, v)| (strsim::jaro_winkler(&lower, spelling), v))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let all = IS_VALUES.join(", ");
    Err(match nearest {
        Some((_, v)) => format!("unknown `is:` value `{value}` (did you mean `is:{v}`? {all})"),
        None => format!("unknown `is:` value `{value}` ({all})"),
    })
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "alice";

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
        assert!(store_matches(&term(StoreKind::Is, "follow-up"), r, ME));
        assert!(store_matches(&term(StoreKind::Is, "followup"), r, ME));
        assert!(!store_matches(&term(StoreKind::Is, "actioned"), r, ME));
        assert!(store_matches(&term(StoreKind::Is, "seen"), r, ME));
        assert!(!store_matches(&term(StoreKind::Is, "unseen"), r, ME));
        assert!(store_matches(&term(StoreKind::MyTag, "energy"), r, ME));
        assert!(store_matches(&term(StoreKind::Note, "gas"), r, ME));
        assert!(!store_matches(&term(StoreKind::Note, "oil"), r, ME));
        assert!(store_matches(&term(StoreKind::By, "JSmith"), r, ME));

        assert!(store_matches(&term(StoreKind::Is, "untriaged"), None, ME));
        assert!(store_matches(&term(StoreKind::Is, "unseen"), None, ME));
        assert!(!store_matches(&term(StoreKind::Is, "seen"), None, ME));
        assert!(!store_matches(&term(StoreKind::MyTag, "energy"), None, ME));
        assert!(!store_matches(&term(StoreKind::Note, ""), None, ME));
        assert!(!store_matches(&term(StoreKind::Is, "flagged"), None, ME));
    }

    #[test]
    fn assignment_terms() {
        let mut mine = Record::blank("08MOSCOW1052");
        mine.assignee = Some("Alice".into());
        let mut bobs = Record::blank("08MOSCOW1053");
        bobs.assignee = Some("bob".into());
        let matches =
            |kind, value: &str, r: Option<&Record>| store_matches(&term(kind, value), r, ME);
        assert!(matches(StoreKind::Is, "mine", Some(&mine)));
        assert!(!matches(StoreKind::Is, "mine", Some(&bobs)));
        assert!(!matches(StoreKind::Is, "mine", None));
        assert!(matches(StoreKind::Is, "unassigned", None));
        assert!(matches(
            StoreKind::Is,
            "unassigned",
            Some(&Record::blank("08A1"))
        ));
        assert!(!matches(StoreKind::Is, "unassigned", Some(&bobs)));
        assert!(matches(StoreKind::Assignee, "BOB", Some(&bobs)));
        assert!(!matches(StoreKind::Assignee, "bob", Some(&mine)));
        assert!(!matches(StoreKind::Assignee, "bob", None));
        assert!(
            check_is_value("unasigned")
                .unwrap_err()
                .contains("did you mean `is:unassigned`?")
        );
    }

    #[test]
    fn every_listed_is_value_and_alias_is_known() {
        for v in IS_VALUES
            .iter()
            .chain(&["UNREAD", "followup", "no_action", "none"])
        {
            assert_eq!(check_is_value(v), Ok(()), "{v}");
        }
    }

    #[test]
    fn unknown_is_values_name_the_nearest() {
        let message = |v: &str| check_is_value(v).err().unwrap_or_default();
        assert!(message("bogus").starts_with("unknown `is:` value `bogus` ("));
        assert!(message("untriged").contains("did you mean `is:untriaged`?"));
        assert!(message("forwarde").contains("did you mean `is:forwarded`?"));
        assert!(message("unsen").contains("did you mean `is:unseen`?"));
        assert!(message("unread2").contains("did you mean `is:unseen`?"));
        assert!(message("zzz").ends_with("unassigned)"));
    }
}
