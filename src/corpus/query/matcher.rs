//! Evaluating a [`Query`] against one entry, and finding what to highlight in a subject.
//!
//! [`Query::matches`] decides and scores; [`Query::highlight`] finds the matched characters,
//! and is kept apart because only the rows on screen need it and the fuzzy scorer is cheaper
//! without positions. [`crate::corpus::query::filter`] runs the same evaluation over many
//! entries, reusing one scorer.
//!
//! Scoring: a fuzzy subject term scores what SkimMatcherV2 gives it; every other term scores
//! 0; an OR group scores its best matching alternative; the query scores the sum of its
//! groups. Case: a term with an upper-case ASCII letter compares case-sensitively, otherwise
//! ASCII letters compare without case; other characters always compare exactly. This is
//! SkimMatcherV2's own smart case, so the byte scans here agree with its scorer.

use std::cell::RefCell;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::term::{
    ClassTest, Cmp, Field, Group, Query, StoreTerm, Term, TermKind, TextMode, TextTerm,
};
use crate::cable::Precedence;
use crate::cable::classification::Level;
use crate::corpus::Entry;

/// An entry satisfies the query, with this relevance (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub score: i64,
}

/// Answers store terms (`is:`, `mytag:`, `note:`, `by:`) for an entry; the app passes one
/// that looks in its annotation store.
pub type StoreEval<'a> = dyn Fn(&StoreTerm, &Entry) -> bool + 'a;

/// The store evaluator used when there is no store: a store term matches nothing (and so a
/// negated one matches everything).
pub fn match_nothing(_: &StoreTerm, _: &Entry) -> bool {
    false
}

/// The fuzzy scorers. SkimMatcherV2 keeps per-thread scratch buffers inside, so one pair is
/// made per thread and reused rather than made per call.
pub(crate) struct Scorer {
    ignore_case: SkimMatcherV2,
    respect_case: SkimMatcherV2,
}

impl Scorer {
    fn new() -> Scorer {
        Scorer {
            ignore_case: SkimMatcherV2::default().ignore_case(),
            respect_case: SkimMatcherV2::default().respect_case(),
        }
    }

    fn for_term(&self, t: &TextTerm) -> &SkimMatcherV2 {
        if t.case_sensitive {
            &self.respect_case
        } else {
            &self.ignore_case
        }
    }

    /// Runs `f` with this thread's scorer.
    pub(crate) fn with<R>(f: impl FnOnce(&Scorer) -> R) -> R {
        thread_local! {
            static SCORER: RefCell<Option<Scorer>> = const { RefCell::new(None) };
        }
        SCORER.with(|cell| {
            // The scorer is only read while borrowed, so a nested call (a store evaluator
            // that runs a query itself) cannot conflict; it gets a fresh scorer instead.
            match cell.try_borrow_mut() {
                Ok(mut slot) => f(slot.get_or_insert_with(Scorer::new)),
                Err(_) => f(&Scorer::new()),
            }
        })
    }
}

impl Query {
    /// Whether the entry satisfies the query, and how well. Store terms match nothing here;
    /// use [`Query::matches_with`] to answer them.
    pub fn matches(&self, entry: &Entry) -> Option<Match> {
        self.matches_with(entry, &match_nothing)
    }

    /// [`Query::matches`] with the caller's answers to store terms.
    pub fn matches_with(&self, entry: &Entry, store: &StoreEval<'_>) -> Option<Match> {
        Scorer::with(|scorer| self.score(entry, store, scorer)).map(|score| Match { score })
    }

    /// The evaluation proper; groups are already cheapest first, so the first failure
    /// usually comes before any fuzzy scoring.
    pub(crate) fn score(
        &self,
        entry: &Entry,
        store: &StoreEval<'_>,
        scorer: &Scorer,
    ) -> Option<i64> {
        let mut total: i64 = 0;
        for group in &self.groups {
            total = total.saturating_add(group_score(group, entry, store, scorer)?);
        }
        Some(total)
    }

    /// Char indices (not bytes) of the subject's characters matched by the query's positive
    /// subject terms, ascending and without repeats: what to highlight in the row.
    pub fn highlight(&self, subject: &str) -> Vec<usize> {
        let mut out = Vec::new();
        Scorer::with(|scorer| {
            for term in self.terms() {
                let TermKind::Text(t) = &term.kind else {
                    continue;
                };
                if term.negated {
                    continue;
                }
                if t.mode == TextMode::Fuzzy {
                    if let Some((_, idx)) = scorer.for_term(t).fuzzy_indices(subject, &t.pattern) {
                        out.extend(idx);
                    }
                } else if let Some(at) = text_position(t, subject.as_bytes()) {
                    // The match covers whole characters: it equals the pattern byte for byte
                    // except for ASCII case, and the pattern is valid UTF-8.
                    let first = subject.get(..at).map_or(0, |s| s.chars().count());
                    out.extend(first..first + t.pattern.chars().count());
                }
            }
        });
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn group_score(
    group: &Group,
    entry: &Entry,
    store: &StoreEval<'_>,
    scorer: &Scorer,
) -> Option<i64> {
    if let [term] = group.terms.as_slice() {
        return term_score(term, entry, store, scorer);
    }
    // The best alternative, so that the score does not depend on the order typed.
    group
        .terms
        .iter()
        .filter_map(|t| term_score(t, entry, store, scorer))
        .max()
}

fn term_score(term: &Term, entry: &Entry, store: &StoreEval<'_>, scorer: &Scorer) -> Option<i64> {
    let hit = match &term.kind {
        TermKind::Field(f) => field_matches(f, entry),
        TermKind::Store(s) => store(s, entry),
        TermKind::Text(t) if t.mode == TextMode::Fuzzy => {
            if term.negated {
                fuzzy_score(t, &entry.subject, scorer).is_some()
            } else {
                return fuzzy_score(t, &entry.subject, scorer);
            }
        }
        TermKind::Text(t) => text_position(t, entry.subject.as_bytes()).is_some(),
    };
    (hit != term.negated).then_some(0)
}

fn fuzzy_score(t: &TextTerm, subject: &str, scorer: &Scorer) -> Option<i64> {
    // The scorer converts the subject to chars and fills a matrix; this scan costs a few
    // nanoseconds and rejects most subjects for terms of a few letters.
    if !has_subsequence(subject.as_bytes(), &t.folded, t.case_sensitive) {
        return None;
    }
    scorer.for_term(t).fuzzy_match(subject, &t.pattern)
}

/// Whether the needle's bytes occur in order in the haystack (ASCII case folded unless
/// `case_sensitive`; the needle is already folded). A necessary condition for a fuzzy match:
/// characters in order imply their UTF-8 bytes in order.
pub(crate) fn has_subsequence(hay: &[u8], needle: &[u8], case_sensitive: bool) -> bool {
    let mut want = needle.iter();
    let Some(mut next) = want.next() else {
        return true;
    };
    for &b in hay {
        let b = if case_sensitive {
            b
        } else {
            b.to_ascii_lowercase()
        };
        if b == *next {
            match want.next() {
                Some(n) => next = n,
                None => return true,
            }
        }
    }
    false
}

fn bytes_equal(a: &[u8], folded: &[u8], case_sensitive: bool) -> bool {
    if case_sensitive {
        a == folded
    } else {
        a.len() == folded.len()
            && a.iter()
                .zip(folded)
                .all(|(x, y)| x.to_ascii_lowercase() == *y)
    }
}

/// Byte offset where an exact, prefix, suffix or whole text term matches.
fn text_position(t: &TextTerm, hay: &[u8]) -> Option<usize> {
    let p = &*t.folded;
    let cs = t.case_sensitive;
    match t.mode {
        TextMode::Prefix => {
            (hay.len() >= p.len() && bytes_equal(&hay[..p.len()], p, cs)).then_some(0)
        }
        TextMode::Suffix => {
            let at = hay.len().checked_sub(p.len())?;
            bytes_equal(&hay[at..], p, cs).then_some(at)
        }
        TextMode::Whole => bytes_equal(hay, p, cs).then_some(0),
        TextMode::Exact | TextMode::Fuzzy => find(hay, p, cs),
    }
}

/// Substring search; without case, by scanning for the first byte in either case.
fn find(hay: &[u8], folded: &[u8], case_sensitive: bool) -> Option<usize> {
    if case_sensitive {
        return memchr::memmem::find(hay, folded);
    }
    let (&first, rest) = folded.split_first()?;
    let upper = first.to_ascii_uppercase();
    let last_start = hay.len().checked_sub(folded.len())?;
    let mut from = 0;
    while from <= last_start {
        let at = from + memchr::memchr2(first, upper, &hay[from..=last_start])?;
        if bytes_equal(&hay[at + 1..at + folded.len()], rest, false) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Case-insensitive (ASCII) substring test for a lower-cased needle; a needle with other
/// letters falls back to full lower-casing of the haystack.
fn contains_folded(hay: &str, needle_lower: &str) -> bool {
    if needle_lower.is_ascii() {
        find(hay.as_bytes(), needle_lower.as_bytes(), false).is_some()
    } else {
        hay.to_lowercase().contains(needle_lower)
    }
}

fn compare<T: Ord>(cmp: Cmp, value: T, against: T) -> bool {
    match cmp {
        Cmp::Lt => value < against,
        Cmp::Le => value <= against,
        Cmp::Eq => value == against,
        Cmp::Ge => value >= against,
        Cmp::Gt => value > against,
    }
}

fn field_matches(field: &Field, e: &Entry) -> bool {
    match field {
        Field::Tag(tag) => e.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
        Field::Prec(cmp, p) => {
            if e.precedence == Precedence::Unknown {
                return *cmp == Cmp::Eq && *p == Precedence::Unknown;
            }
            // Urgency runs opposite to the enum's order (FLASH is the smallest), so compare
            // the typed value with the entry's.
            compare(*cmp, *p, e.precedence)
        }
        Field::From(s) => contains_folded(&e.origin, s),
        Field::Class(ClassTest::Noforn) => is_noforn(e),
        Field::Class(ClassTest::Fouo) => e.classification.fouo,
        Field::Class(ClassTest::Level(cmp, level)) => {
            let l = e.classification.level;
            if l == Level::Unknown {
                return *cmp == Cmp::Eq && *level == Level::Unknown;
            }
            compare(*cmp, l, *level)
        }
        Field::Noforn => is_noforn(e),
        Field::Ref(r) => e.references.iter().any(|x| x.eq_ignore_ascii_case(r)),
        Field::Date(cmp, range) => match e.date {
            None => false,
            Some(d) => match cmp {
                Cmp::Eq => range.start <= d && d < range.end,
                Cmp::Gt => d >= range.end,
                Cmp::Ge => d >= range.start,
                Cmp::Lt => d < range.start,
                Cmp::Le => d < range.end,
            },
        },
        Field::Id(prefix) => {
            let id = e.id.as_bytes();
            id.len() >= prefix.len() && id[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        }
    }
}

/// NOFORN in the classification line, or as a caveat of the caption.
fn is_noforn(e: &Entry) -> bool {
    e.classification.noforn || e.caveats.iter().any(|c| c.eq_ignore_ascii_case("noforn"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cable::Classification;
    use crate::corpus::Location;
    use crate::corpus::query::parse;
    use chrono::NaiveDate;

    fn ts(y: i32, m: u32, d: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|d| d.and_utc().timestamp())
            .unwrap_or_default()
    }

    fn entry() -> Entry {
        Entry {
            id: "08MOSCOW1052".into(),
            date: Some(ts(2008, 4, 15)),
            precedence: Precedence::Immediate,
            classification: Classification {
                level: Level::Confidential,
                noforn: true,
                fouo: false,
            },
            origin: "Embassy Moscow".into(),
            subject: "RUSSIA: GAS TALKS WITH UKRAINE STALL".into(),
            tags: vec!["PREL".into(), "ENRG".into(), "RS".into()].into(),
            references: vec!["08STATE39114".into()].into(),
            caveats: Box::new([]),
            location: Location {
                file: 0,
                row: 0,
                offset: 0,
            },
        }
    }

    fn hit(q: &str) -> bool {
        let (query, errors) = parse(q);
        assert!(errors.is_empty(), "{q}: {errors:?}");
        query.matches(&entry()).is_some()
    }

    #[test]
    fn empty_query_matches_with_zero_score() {
        let (q, _) = parse("");
        assert_eq!(q.matches(&entry()), Some(Match { score: 0 }));
    }

    #[test]
    fn text_terms() {
        for yes in [
            "gas",
            "rsgs",
            "ukraine stall",
            "'talks with",
            "^russia",
            "stall$",
            "^russia: gas talks with ukraine stall$",
            "GAS",
            "!oil",
            "!^gas",
            "!russia$",
            "!'zzz",
            "'TALKS",
        ] {
            assert!(hit(yes), "{yes}");
        }
        for no in [
            "oil", "'sagt", "^gas", "russia$", "Gas", "'Talks", "!gas", "!'gas", "!^russia",
            "^russia$",
        ] {
            assert!(!hit(no), "{no}");
        }
    }

    #[test]
    fn fuzzy_scores_are_skim_scores() {
        let (q, _) = parse("ukr");
        let skim = SkimMatcherV2::default();
        let want = skim.fuzzy_match(&entry().subject, "ukr");
        assert!(want.is_some());
        assert_eq!(q.matches(&entry()).map(|m| m.score), want);
        // Two terms add up; an exact term adds nothing.
        let (q, _) = parse("ukr 'gas gas");
        let want2 = want.unwrap_or_default()
            + skim
                .fuzzy_match(&entry().subject, "gas")
                .unwrap_or_default();
        assert_eq!(q.matches(&entry()).map(|m| m.score), Some(want2));
    }

    #[test]
    fn field_terms() {
        for yes in [
            "tag:prel",
            "tag:ENRG",
            "prec:immediate",
            "prec:>=immediate",
            "prec:<=immed",
            "prec:>priority",
            "prec:<niact",
            "from:moscow",
            "from:EMBASSY",
            "class:confidential",
            "class:c",
            "class:>=confidential",
            "class:<secret",
            "class:noforn",
            "noforn",
            "ref:08state39114",
            "date:2008",
            "date:2008-04",
            "date:2008-04-15",
            "date:>2007",
            "date:>=2008-04-15",
            "date:<2008-04-16",
            "date:<=2008-04",
            "id:08mos",
            "id:08MOSCOW1052",
            "!tag:PGOV",
            "!class:fouo",
        ] {
            assert!(hit(yes), "{yes}");
        }
        for no in [
            "tag:PR",
            "prec:flash",
            "prec:>immediate",
            "prec:<immediate",
            "prec:>=niact",
            "from:kyiv",
            "class:secret",
            "class:>confidential",
            "class:fouo",
            "!noforn",
            "ref:08STATE3911",
            "date:2009",
            "date:2008-05",
            "date:2008-04-14",
            "date:>2008",
            "date:<2008-04-15",
            "date:<=2008-04-14",
            "id:moscow",
            "!id:08",
            "prec:unknown",
        ] {
            assert!(!hit(no), "{no}");
        }
    }

    #[test]
    fn unknown_values_satisfy_only_equality() {
        let mut e = entry();
        e.precedence = Precedence::Unknown;
        e.classification.level = Level::Unknown;
        e.date = None;
        let m = |q: &str| parse(q).0.matches(&e).is_some();
        assert!(m("prec:unknown"));
        assert!(!m("prec:>=routine") && !m("prec:<=flash"));
        assert!(m("class:unknown"));
        assert!(!m("class:<secret") && !m("class:>=unclassified"));
        assert!(!m("date:>1900") && !m("date:<2100"));
        assert!(m("!date:2008"));
    }

    #[test]
    fn or_groups_take_the_best_alternative() {
        assert!(hit("tag:PGOV | tag:PREL"));
        assert!(!hit("tag:PGOV | tag:PINR"));
        assert!(hit("tag:PGOV | gas"));
        let (q, _) = parse("'russia | ukr");
        let want = SkimMatcherV2::default().fuzzy_match(&entry().subject, "ukr");
        assert_eq!(q.matches(&entry()).map(|m| m.score), want);
    }

    #[test]
    fn store_terms_use_the_callback() {
        let (q, _) = parse("is:flagged");
        assert!(q.matches(&entry()).is_none());
        let flagged = |s: &StoreTerm, e: &Entry| s.value == "flagged" && &*e.id == "08MOSCOW1052";
        assert!(q.matches_with(&entry(), &flagged).is_some());
        let (q, _) = parse("!is:flagged");
        assert!(q.matches(&entry()).is_some());
        assert!(q.matches_with(&entry(), &flagged).is_none());
    }

    #[test]
    fn highlight_positions_are_char_indices() {
        let (q, _) = parse("'gas stall$ ^rus !talks");
        let subject = &*entry().subject;
        let mut want: Vec<usize> = (8..11).chain(31..36).chain(0..3).collect();
        want.sort_unstable();
        assert_eq!(q.highlight(subject), want);

        let (q, _) = parse("ukr");
        let (_, idx) = SkimMatcherV2::default()
            .fuzzy_indices(subject, "ukr")
            .unwrap_or_default();
        assert_eq!(q.highlight(subject), idx);

        // Multi-byte characters before the match count as one each.
        let (q, _) = parse("'café");
        assert_eq!(q.highlight("ÉÉ café"), vec![3, 4, 5, 6]);
        assert!(parse("").0.highlight(subject).is_empty());
    }

    #[test]
    fn subsequence_scan() {
        assert!(has_subsequence(b"RUSSIA GAS", b"rsg", false));
        assert!(!has_subsequence(b"RUSSIA GAS", b"rsg", true));
        assert!(has_subsequence(b"RUSSIA GAS", b"RSG", true));
        assert!(!has_subsequence(b"RUSSIA GAS", b"gr", false));
        assert!(has_subsequence(b"", b"", false));
        assert!(!has_subsequence(b"", b"a", false));
    }

    #[test]
    fn find_without_case() {
        assert_eq!(find(b"abcABC", b"bc", false), Some(1));
        assert_eq!(find(b"xxABC", b"abc", false), Some(2));
        assert_eq!(find(b"ab", b"abc", false), None);
        assert_eq!(find(b"aab", b"ab", false), Some(1));
        assert_eq!(find(b"abc", b"", false), None);
    }
}
