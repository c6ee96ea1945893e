//! Evaluating a [`Query`] against one entry, and finding what to highlight in a subject.
//!
//! [`Query::matches`] decides and scores; [`Query::highlight`] finds the matched characters,
//! and is kept apart because only the rows on screen need it and the fuzzy scorer is cheaper
//! without positions. [`crate::corpus::query::filter()`] runs the same evaluation over many
//! entries, reusing one scorer.
//!
//! Scoring: a fuzzy subject term scores what SkimMatcherV2 gives it; every other term scores
//! 0; an OR group scores its best matching alternative; the query scores the sum of its
//! groups.
//!
//! Tiers: a fuzzy match is also graded by how it was found ([`Tier`]), so that the table can
//! list subjects that hold the words typed before those that only hold their letters in
//! order. A positive fuzzy term is a [`Tier::Word`] when it occurs at the start of a word
//! of the subject, a [`Tier::Substring`] when it occurs elsewhere, otherwise
//! [`Tier::Scattered`]; every other term (exact, anchored, field, store, negated) is not
//! graded and counts as a word. An OR group takes its best matching alternative's tier; the
//! query its worst group's, so "close" means every fuzzy term is close. Tiers are found
//! only for subjects that matched, after the byte scan rejected the others.
//!
//! Case: a term with an upper-case ASCII letter compares case-sensitively, otherwise ASCII
//! letters compare without case; other characters always compare exactly. This is
//! SkimMatcherV2's own smart case, so the byte scans here agree with its scorer.

use std::cell::RefCell;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::term::{
    ClassTest, Cmp, Field, FullTextTerm, Group, Query, StoreTerm, Term, TermKind, TextMode,
    TextTerm,
};
use crate::cable::Precedence;
use crate::cable::classification::Level;
use crate::corpus::Entry;

/// An entry satisfies the query, with this relevance (higher is better) and this tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub score: i64,
    pub tier: Tier,
}

impl Match {
    /// A match of a term that is not graded (see [`Tier`]).
    const UNGRADED: Match = Match {
        score: 0,
        tier: Tier::Word,
    };
}

/// How closely a subject holds the query's fuzzy terms, closest first. Only positive fuzzy
/// terms are graded; a query without one has no tiers ([`Query::has_tiers`]) and every
/// match is a `Word`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Every fuzzy term is a word of the subject or the start of one (`iran` in `IRAN'S`,
    /// `NON-IRANIAN`).
    #[default]
    Word,
    /// Every fuzzy term is in the subject as typed, some inside a word (`iran` in `TIRANA`).
    Substring,
    /// Some fuzzy term is there only as letters in order (`iran` in `FIRST RAIL PLAN`).
    Scattered,
}

impl Tier {
    /// Close matches hold every fuzzy term as typed; loose ones only scatter its letters.
    pub fn is_close(self) -> bool {
        self != Tier::Scattered
    }
}

/// Answers store terms (`is:`, `mytag:`, `note:`, `by:`) for an entry; the app passes one
/// that looks in its annotation store.
pub type StoreEval<'a> = dyn Fn(&StoreTerm, &Entry) -> bool + 'a;

/// The store evaluator used when there is no store: a store term matches nothing (and so a
/// negated one matches everything).
pub fn match_nothing(_: &StoreTerm, _: &Entry) -> bool {
    false
}

/// Per-thread evaluation state: the fuzzy scorers (SkimMatcherV2 keeps scratch buffers
/// inside, so they are made once per thread, not per call) and the current entry's subject
/// lower-cased, made on first need and shared by all of the query's case-insensitive terms.
pub(crate) struct Ctx {
    ignore_case: SkimMatcherV2,
    respect_case: SkimMatcherV2,
    folded: Vec<u8>,
    folded_ready: bool,
    /// When false, a fuzzy term on an ASCII subject is decided by the subsequence scan
    /// alone (which is exactly when the scorer matches) and scores 0: the table's own order
    /// needs to know what matches, not how well.
    pub(crate) need_scores: bool,
    /// The current entry's index in the corpus, which full-text hits are keyed by; `None`
    /// when evaluating one entry on its own, where full-text terms filter nothing.
    pub(crate) entry_index: Option<u32>,
}

impl Ctx {
    fn new() -> Ctx {
        Ctx {
            ignore_case: SkimMatcherV2::default().ignore_case(),
            respect_case: SkimMatcherV2::default().respect_case(),
            folded: Vec::with_capacity(256),
            folded_ready: false,
            need_scores: true,
            entry_index: None,
        }
    }

    fn skim(&self, t: &TextTerm) -> &SkimMatcherV2 {
        if t.case_sensitive {
            &self.respect_case
        } else {
            &self.ignore_case
        }
    }

    /// The subject as a term compares it: as is, or ASCII-lower-cased (`folded`, when an
    /// index has it, else made here once per subject).
    fn subject<'a>(
        &'a mut self,
        subject: &'a str,
        folded: Option<&'a [u8]>,
        case_sensitive: bool,
    ) -> &'a [u8] {
        if case_sensitive {
            return subject.as_bytes();
        }
        if let Some(folded) = folded {
            return folded;
        }
        if !self.folded_ready {
            self.folded.clear();
            self.folded
                .extend(subject.bytes().map(|b| b.to_ascii_lowercase()));
            self.folded_ready = true;
        }
        &self.folded
    }

    /// Runs `f` with this thread's context.
    pub(crate) fn with<R>(f: impl FnOnce(&mut Ctx) -> R) -> R {
        thread_local! {
            static CTX: RefCell<Option<Ctx>> = const { RefCell::new(None) };
        }
        CTX.with(|cell| {
            // A nested call (a store evaluator that runs a query itself) finds the context
            // borrowed and gets a fresh one instead.
            match cell.try_borrow_mut() {
                Ok(mut slot) => f(slot.get_or_insert_with(Ctx::new)),
                Err(_) => f(&mut Ctx::new()),
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
        self.matches_at(None, entry, store)
    }

    /// [`Query::matches_with`] for the entry at `index` in the corpus, which full-text hits
    /// are keyed by (without it, full-text terms filter nothing).
    pub fn matches_at(
        &self,
        index: Option<u32>,
        entry: &Entry,
        store: &StoreEval<'_>,
    ) -> Option<Match> {
        Ctx::with(|ctx| {
            ctx.entry_index = index;
            let found = self.score(entry, None, store, ctx);
            ctx.entry_index = None;
            found
        })
    }

    /// Whether matches are graded in tiers: the query has a positive fuzzy term.
    pub fn has_tiers(&self) -> bool {
        self.terms().any(|t| {
            !t.negated && matches!(&t.kind, TermKind::Text(x) if x.mode == TextMode::Fuzzy)
        })
    }

    /// The evaluation proper; groups are already cheapest first, so the first failure
    /// usually comes before any fuzzy scoring. `indexed` is the subject already lower-cased
    /// and its [`word_initials`] (from a [`super::SearchIndex`]), which spares reading the
    /// subject itself for case-insensitive terms, and most of the work of tiers.
    #[inline]
    pub(crate) fn score(
        &self,
        entry: &Entry,
        indexed: Indexed<'_>,
        store: &StoreEval<'_>,
        ctx: &mut Ctx,
    ) -> Option<Match> {
        ctx.folded_ready = false;
        let mut total = Match::UNGRADED;
        for group in &self.groups {
            let m = group_score(group, entry, indexed, store, ctx)?;
            total.score = total.score.saturating_add(m.score);
            total.tier = total.tier.max(m.tier);
        }
        Some(total)
    }

    /// Char indices (not bytes) of the subject's characters matched by the query's positive
    /// subject terms, ascending and without repeats: what to highlight in the row.
    pub fn highlight(&self, subject: &str) -> Vec<usize> {
        let mut out = Vec::new();
        Ctx::with(|ctx| {
            ctx.folded_ready = false;
            for term in self.terms() {
                let TermKind::Text(t) = &term.kind else {
                    continue;
                };
                if term.negated {
                    continue;
                }
                if t.mode == TextMode::Fuzzy {
                    if let Some((_, idx)) = ctx.skim(t).fuzzy_indices(subject, &t.pattern) {
                        out.extend(idx);
                    }
                } else if let Some(at) =
                    text_position(t, ctx.subject(subject, None, t.case_sensitive))
                {
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

#[inline]
fn group_score(
    group: &Group,
    entry: &Entry,
    indexed: Indexed<'_>,
    store: &StoreEval<'_>,
    ctx: &mut Ctx,
) -> Option<Match> {
    if let [term] = group.terms.as_slice() {
        return term_score(term, entry, indexed, store, ctx);
    }
    // The best score and the best tier of the alternatives that match, so that neither
    // depends on the order typed.
    group
        .terms
        .iter()
        .filter_map(|t| term_score(t, entry, indexed, store, ctx))
        .reduce(|a, b| Match {
            score: a.score.max(b.score),
            tier: a.tier.min(b.tier),
        })
}

/// An entry's subject lower-cased, and its [`word_initials`], from a [`super::SearchIndex`].
type Indexed<'a> = Option<(&'a [u8], u64)>;

fn term_score(
    term: &Term,
    entry: &Entry,
    indexed: Indexed<'_>,
    store: &StoreEval<'_>,
    ctx: &mut Ctx,
) -> Option<Match> {
    let hit = match &term.kind {
        TermKind::Field(f) => field_matches(f, entry),
        TermKind::Store(s) => store(s, entry),
        TermKind::Text(t) if t.mode == TextMode::Fuzzy => {
            if term.negated {
                fuzzy_score(t, &entry.subject, indexed, ctx, false).is_some()
            } else {
                return fuzzy_score(t, &entry.subject, indexed, ctx, true);
            }
        }
        TermKind::Text(t) => {
            let folded = indexed.map(|i| i.0);
            text_position(t, ctx.subject(&entry.subject, folded, t.case_sensitive)).is_some()
        }
        TermKind::FullText(f) => return full_text_score(f, term.negated, ctx.entry_index),
        TermKind::Graph(g) => {
            let (Some(hits), Some(entry)) = (&g.hits, ctx.entry_index) else {
                // Unanswered (no graph yet): as an unanswered full-text term.
                return Some(Match::UNGRADED);
            };
            hits.contains(entry)
        }
    };
    (hit != term.negated).then_some(Match::UNGRADED)
}

/// A full-text term from the hits the text index attached to it. Unanswered (no index yet),
/// it matches whatever the other terms match, negated or not, so the caller can filter now
/// and again when the hits arrive.
fn full_text_score(f: &FullTextTerm, negated: bool, entry: Option<u32>) -> Option<Match> {
    let (Some(hits), Some(entry)) = (&f.hits, entry) else {
        return Some(Match::UNGRADED);
    };
    match (hits.contains(entry), negated) {
        (true, false) => Some(Match {
            score: hits.rank_score(entry),
            ..Match::UNGRADED
        }),
        (false, true) => Some(Match::UNGRADED),
        _ => None,
    }
}

/// A fuzzy term against a subject; its tier is found only when `graded`.
fn fuzzy_score(
    t: &TextTerm,
    subject: &str,
    indexed: Indexed<'_>,
    ctx: &mut Ctx,
    graded: bool,
) -> Option<Match> {
    // The scorer converts the subject to chars and fills a matrix; this scan costs a few
    // nanoseconds and rejects most subjects for terms of a few letters.
    let need_scores = ctx.need_scores;
    let initials = indexed.map(|i| i.1);
    let hay = ctx.subject(subject, indexed.map(|i| i.0), t.case_sensitive);
    if !has_subsequence(hay, &t.folded) {
        return None;
    }
    // Only subjects that passed the scan are graded, so most never are.
    let tier = if graded {
        closeness(t, hay, initials)
    } else {
        Tier::Word
    };
    // For ASCII text, case folding is ASCII folding, so the scan decided it exactly.
    if !need_scores && hay.is_ascii() && t.pattern.is_ascii() {
        return Some(Match { score: 0, tier });
    }
    let score = ctx.skim(t).fuzzy_match(subject, &t.pattern)?;
    Some(Match { score, tier })
}

/// The tier of a fuzzy term whose letters `hay` (in the term's case) holds in order.
/// `initials`, the subject's [`word_initials`] when known, settle most subjects without a
/// scan.
fn closeness(t: &TextTerm, hay: &[u8], initials: Option<u64>) -> Tier {
    let Some(&first) = t.folded.first() else {
        return Tier::Word;
    };
    let one_byte = t.folded.len() == 1;
    // A term that starts with a mark (`-iran`, `(c)`) starts a word wherever it is.
    let any_place = if first.is_ascii() {
        !first.is_ascii_alphanumeric()
    } else {
        !t.pattern.chars().next().is_some_and(char::is_alphanumeric)
    };
    if let Some(initials) = initials.filter(|_| !any_place) {
        if initials & initial_bit(first) == 0 {
            // No word starts with the first letter; the letters in order were found, so one
            // letter is in the subject as typed.
            return if one_byte || t.finder.find(hay).is_some() {
                Tier::Substring
            } else {
                Tier::Scattered
            };
        }
        // For an ASCII subject and a letter or digit compared without case, the bit is
        // exact: a word starts with the letter.
        if one_byte && initials & BEYOND_ASCII == 0 && !t.case_sensitive {
            return Tier::Word;
        }
    }
    // The term as typed, each place it is: rarer than its first letter, and memmem's
    // search is quicker than comparing at each of those.
    let mut found = false;
    for at in t.finder.find_iter(hay) {
        if any_place || starts_word(hay, at) {
            return Tier::Word;
        }
        found = true;
    }
    if found {
        Tier::Substring
    } else {
        Tier::Scattered
    }
}

/// The bit of [`word_initials`] for a byte: one per letter (either case) and per digit,
/// the other bytes sharing the rest but the last.
fn initial_bit(b: u8) -> u64 {
    let slot = match b {
        b'a'..=b'z' => b - b'a',
        b'A'..=b'Z' => b - b'A',
        b'0'..=b'9' => 26 + (b - b'0'),
        _ => 36 + b % 27,
    };
    1 << slot
}

/// The bit of [`word_initials`] set for a subject with bytes beyond ASCII.
const BEYOND_ASCII: u64 = 1 << 63;

/// A summary of a subject for tiers: a bit set for the first byte of every word, and for
/// every byte that follows a byte beyond ASCII (whether a character there ends a word is
/// left to the full test, and [`BEYOND_ASCII`] says there are such bytes). A term whose
/// first byte's bit is not set starts no word of the subject, so its tier needs no scan
/// for word starts. Case does not matter.
pub(crate) fn word_initials(subject: &[u8]) -> u64 {
    let mut initials = 0;
    let mut in_word = false;
    for &b in subject {
        if !in_word {
            initials |= initial_bit(b);
        }
        if !b.is_ascii() {
            initials |= BEYOND_ASCII;
        }
        in_word = b.is_ascii_alphanumeric();
    }
    initials
}

/// Whether byte `at` of `hay` (UTF-8, a character boundary) follows no letter or digit.
fn starts_word(hay: &[u8], at: usize) -> bool {
    let before = &hay[..at];
    match before.last() {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => {
            // The last character is several bytes: back to its first byte.
            let start = before.iter().rposition(|b| b & 0xC0 != 0x80).unwrap_or(0);
            std::str::from_utf8(&before[start..])
                .ok()
                .and_then(|s| s.chars().next())
                .is_none_or(|c| !c.is_alphanumeric())
        }
    }
}

/// Whether the needle's bytes occur in order in the haystack (both already in the term's
/// case). A necessary condition for a fuzzy match: characters in order imply their UTF-8
/// bytes in order.
pub(crate) fn has_subsequence(hay: &[u8], needle: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
    true
}

/// Byte offset where an exact, prefix, suffix or whole text term matches `hay`, which is
/// already in the term's case.
fn text_position(t: &TextTerm, hay: &[u8]) -> Option<usize> {
    let p = &*t.folded;
    match t.mode {
        TextMode::Prefix => hay.starts_with(p).then_some(0),
        TextMode::Suffix => hay.ends_with(p).then(|| hay.len() - p.len()),
        TextMode::Whole => (hay == p).then_some(0),
        TextMode::Exact | TextMode::Fuzzy => t.finder.find(hay),
    }
}

fn bytes_equal_folded(a: &[u8], folded: &[u8]) -> bool {
    a.len() == folded.len()
        && a.iter()
            .zip(folded)
            .all(|(x, y)| x.to_ascii_lowercase() == *y)
}

/// Substring search ignoring ASCII case, for a lower-cased needle, by scanning for its first
/// byte in either case (for short haystacks such as origins, where folding a copy first
/// would cost more).
fn find_folded(hay: &[u8], folded: &[u8]) -> Option<usize> {
    let (&first, rest) = folded.split_first()?;
    let upper = first.to_ascii_uppercase();
    let last_start = hay.len().checked_sub(folded.len())?;
    let mut from = 0;
    while from <= last_start {
        let at = from + memchr::memchr2(first, upper, &hay[from..=last_start])?;
        if bytes_equal_folded(&hay[at + 1..at + folded.len()], rest) {
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
        find_folded(hay.as_bytes(), needle_lower.as_bytes()).is_some()
    } else {
        hay.to_lowercase().contains(needle_lower)
    }
}

pub(super) fn compare<T: Ord>(cmp: Cmp, value: T, against: T) -> bool {
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
        assert_eq!(q.matches(&entry()), Some(Match::UNGRADED));
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
        let (q, _) = parse("is:follow-up");
        assert!(q.matches(&entry()).is_none());
        let followed =
            |s: &StoreTerm, e: &Entry| s.value == "follow-up" && &*e.id == "08MOSCOW1052";
        assert!(q.matches_with(&entry(), &followed).is_some());
        let (q, _) = parse("!is:follow-up");
        assert!(q.matches(&entry()).is_some());
        assert!(q.matches_with(&entry(), &followed).is_none());
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

    /// The tier of a subject for a query, the same whether an index gives the subject's
    /// initials or not.
    fn tier_of(q: &str, subject: &str) -> Option<Tier> {
        let mut e = entry();
        e.subject = subject.into();
        let query = parse(q).0;
        let plain = query.matches(&e).map(|m| m.tier);
        let folded = subject.to_ascii_lowercase();
        let indexed = Some((folded.as_bytes(), word_initials(folded.as_bytes())));
        let via_index = Ctx::with(|ctx| query.score(&e, indexed, &match_nothing, ctx));
        assert_eq!(
            via_index.map(|m| m.tier),
            plain,
            "{q:?} in {subject:?}, indexed"
        );
        plain
    }

    #[test]
    fn tiers_grade_how_fuzzy_terms_are_found() {
        use Tier::*;
        for (q, subject, want) in [
            ("iran", "IRAN: NUCLEAR TALKS", Some(Word)),
            ("iran", "VIEWS ON IRAN'S OIL", Some(Word)),
            ("iran", "NON-IRANIAN GROUPS", Some(Word)),
            ("iran", "VISIT TO TIRANA", Some(Substring)),
            ("iran", "FIRST RAIL PLAN", Some(Scattered)),
            ("iran", "GAS", None),
            // The first occurrence inside a word, a later one at a word start.
            ("iran", "TIRANA AND IRAN", Some(Word)),
            // Smart case: an upper-case term compares exactly.
            ("IRAN", "IRAN TALKS", Some(Word)),
            ("IRAN", "Iran and IRAQ NEWS", Some(Scattered)),
            // Several terms: the farthest decides.
            ("iran oil", "IRAN OIL DEAL", Some(Word)),
            ("iran oil", "IRAN SPOILS", Some(Substring)),
            ("iran oil", "IRAN OPEN TO ILLICIT", Some(Scattered)),
            // Only positive fuzzy terms are graded.
            ("'ran", "IRAN TALKS", Some(Word)),
            ("iran 'ran", "TIRANA", Some(Substring)),
            ("iran !zz", "FIRST RAIL PLAN", Some(Scattered)),
            ("tag:PREL", "FIRST RAIL PLAN", Some(Word)),
            // An OR group takes its closest alternative that matches.
            ("iran | rail", "FIRST RAIL PLAN", Some(Word)),
            ("tag:PREL | iran", "FIRST RAIL PLAN", Some(Word)),
            ("tag:PGOV | iran", "FIRST RAIL PLAN", Some(Scattered)),
            // Letters beyond ASCII are letters of the word.
            ("iran", "ÉIRAN", Some(Substring)),
            ("iran", "« IRAN »", Some(Word)),
            // A term that starts with a mark starts a word wherever it is.
            ("-iran", "ANTI-IRANIAN", Some(Word)),
            // One letter: a word starts with it, or it is only inside words.
            ("n", "VIEWS ON IRAN", Some(Substring)),
            ("o", "VIEWS ON IRAN", Some(Word)),
            ("N", "VIEWS ON IRAN", Some(Substring)),
            ("n", "ÉTUDE NORD", Some(Word)),
            ("n", "ÉTUDE SUR", None),
            ("é", "café", Some(Substring)),
            ("é", "« étude »", Some(Word)),
        ] {
            assert_eq!(tier_of(q, subject), want, "{q:?} in {subject:?}");
        }
        assert!(parse("iran").0.has_tiers());
        assert!(parse("tag:PREL | iran").0.has_tiers());
        for q in ["'iran", "^iran", "tag:PREL", "!iran", "is:seen", ""] {
            assert!(!parse(q).0.has_tiers(), "{q}");
        }
    }

    #[test]
    fn tiers_do_not_depend_on_scoring() {
        for (q, subject) in [
            ("iran", "FIRST RAIL PLAN"),
            ("iran", "TIRANA"),
            ("oil", "OIL"),
        ] {
            let mut e = entry();
            e.subject = subject.into();
            let query = parse(q).0;
            let unscored = Ctx::with(|ctx| {
                ctx.need_scores = false;
                let m = query.score(&e, None, &match_nothing, ctx);
                ctx.need_scores = true;
                m
            });
            assert_eq!(
                unscored.map(|m| m.tier),
                query.matches(&e).map(|m| m.tier),
                "{q} {subject}"
            );
        }
    }

    #[test]
    fn word_initials_hold_every_word_start() {
        for subject in [
            "IRAN: NUCLEAR TALKS",
            "« ÉTUDE » 2008-04 (C) NON-IRANIAN",
            "‘QUOTED’ WORDS AND ÜBER",
            "",
            "x",
        ] {
            let folded = subject.to_ascii_lowercase();
            let initials = word_initials(folded.as_bytes());
            for (at, _) in subject.char_indices() {
                if starts_word(subject.as_bytes(), at) {
                    let b = subject.as_bytes()[at];
                    assert_ne!(initials & initial_bit(b), 0, "{subject:?} at {at}");
                }
            }
        }
        // A letter that starts no word has no bit: that is what spares the scan.
        let initials = word_initials(b"views on iran");
        assert_eq!(initials & initial_bit(b'r'), 0);
        assert_ne!(initials & initial_bit(b'I'), 0);
    }

    #[test]
    fn subsequence_scan() {
        assert!(has_subsequence(b"russia gas", b"rsg"));
        assert!(!has_subsequence(b"RUSSIA GAS", b"rsg"));
        assert!(has_subsequence(b"RUSSIA GAS", b"RSG"));
        assert!(!has_subsequence(b"russia gas", b"gr"));
        assert!(has_subsequence(b"", b""));
        assert!(!has_subsequence(b"", b"a"));
    }

    #[test]
    fn find_without_case() {
        assert_eq!(find_folded(b"abcABC", b"bc"), Some(1));
        assert_eq!(find_folded(b"xxABC", b"abc"), Some(2));
        assert_eq!(find_folded(b"ab", b"abc"), None);
        assert_eq!(find_folded(b"aab", b"ab"), Some(1));
        assert_eq!(find_folded(b"abc", b""), None);
    }
}
