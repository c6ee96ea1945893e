//! A query over many entries: which of the candidate rows match, and how well.
//!
//! The table keeps its rows as indices into the corpus in its current sort order; [`filter`]
//! keeps the matching ones in that order, so filtering never re-sorts. It is meant to run off
//! the UI thread and checks `cancel` every few thousand entries, so a keystroke can abandon a
//! stale query. Speed comes from the evaluation order set when parsing (field terms before
//! text terms before fuzzy terms) and from the byte scan that rejects a subject before the
//! fuzzy scorer runs (see [`super::matcher`]). [`relevance_order`] re-orders a result by
//! score for "best match first" views; [`tier_order`] groups rows by [`Tier`], keeping their
//! order within each tier, for the table's own order.
//!
//! When the user extends a query by typing more (every new result is a subset of the old),
//! the caller can pass the previous result as `candidates` to filter fewer entries.

use super::index::SearchIndex;
use super::matcher::{Ctx, StoreEval, Tier, match_nothing};
use super::term::Query;
use crate::corpus::entries::EntrySource;

/// How many entries are evaluated between two calls to `cancel`: a few hundred
/// microseconds of work at worst, so cancelling is prompt and the check costs nothing.
const CANCEL_EVERY: usize = 4096;

/// The matching rows, their scores and their tiers (same length, same order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterResult {
    /// Indices into the corpus entries, in the order of the candidates given.
    pub indices: Vec<u32>,
    pub scores: Vec<i64>,
    pub tiers: Vec<Tier>,
}

/// How many matches are close and how many loose (see [`Tier::is_close`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TierCounts {
    pub close: usize,
    pub loose: usize,
}

impl FilterResult {
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    pub fn tier_counts(&self) -> TierCounts {
        let close = self.tiers.iter().filter(|t| t.is_close()).count();
        TierCounts {
            close,
            loose: self.tiers.len() - close,
        }
    }
}

/// The candidates that match the query, in candidate order, or `None` if `cancel` returned
/// true. Store terms match nothing (see [`filter_with`]). Candidates that are not valid
/// indices into `entries` are skipped.
pub fn filter(
    entries: &(impl EntrySource + ?Sized),
    candidates: &[u32],
    query: &Query,
    cancel: &dyn Fn() -> bool,
) -> Option<FilterResult> {
    filter_with(entries, candidates, query, &match_nothing, cancel)
}

/// [`filter`] with the caller's answers to store terms.
pub fn filter_with(
    entries: &(impl EntrySource + ?Sized),
    candidates: &[u32],
    query: &Query,
    store: &StoreEval<'_>,
    cancel: &dyn Fn() -> bool,
) -> Option<FilterResult> {
    filter_indexed(entries, None, candidates, query, store, cancel)
}

/// [`filter_with`] reading lower-cased subjects from a [`SearchIndex`] built from the same
/// entries (faster for subject terms: see [`SearchIndex`]). Entries the index does not
/// cover are read directly.
pub fn filter_indexed(
    entries: &(impl EntrySource + ?Sized),
    index: Option<&SearchIndex>,
    candidates: &[u32],
    query: &Query,
    store: &StoreEval<'_>,
    cancel: &dyn Fn() -> bool,
) -> Option<FilterResult> {
    filter_scored(entries, index, candidates, query, store, cancel, true)
}

/// [`filter_indexed`], scoring fuzzy matches only when `need_scores` (for relevance order);
/// without, every match scores 0 and most fuzzy matches are decided by a byte scan alone.
pub fn filter_scored(
    entries: &(impl EntrySource + ?Sized),
    index: Option<&SearchIndex>,
    candidates: &[u32],
    query: &Query,
    store: &StoreEval<'_>,
    cancel: &dyn Fn() -> bool,
    need_scores: bool,
) -> Option<FilterResult> {
    Ctx::with(|ctx| ctx.need_scores = need_scores);
    let result = filter_any(entries, index, candidates, query, store, cancel);
    Ctx::with(|ctx| {
        ctx.need_scores = true;
        ctx.entry_index = None;
    });
    result
}

fn filter_any(
    entries: &(impl EntrySource + ?Sized),
    index: Option<&SearchIndex>,
    candidates: &[u32],
    query: &Query,
    store: &StoreEval<'_>,
    cancel: &dyn Fn() -> bool,
) -> Option<FilterResult> {
    if query.is_empty() {
        if cancel() {
            return None;
        }
        let indices: Vec<u32> = candidates
            .iter()
            .copied()
            .filter(|&i| (i as usize) < entries.len())
            .collect();
        let scores = vec![0; indices.len()];
        let tiers = vec![Tier::Word; indices.len()];
        return Some(FilterResult {
            indices,
            scores,
            tiers,
        });
    }
    // Evaluating in the table's order jumps around memory (an entry and its strings are
    // separate allocations), which costs more than the tests themselves. When the candidates
    // are a good part of the corpus, evaluate in corpus order instead, which is the order
    // the entries and their strings were allocated in, and read the results back in the
    // table's order.
    if candidates.len() >= entries.len() / 8 {
        dense(entries, index, candidates, query, store, cancel)
    } else {
        sparse(entries, index, candidates, query, store, cancel)
    }
}

fn sparse(
    entries: &(impl EntrySource + ?Sized),
    index: Option<&SearchIndex>,
    candidates: &[u32],
    query: &Query,
    store: &StoreEval<'_>,
    cancel: &dyn Fn() -> bool,
) -> Option<FilterResult> {
    let search = index;
    let mut result = FilterResult::default();
    Ctx::with(|ctx| {
        for chunk in candidates.chunks(CANCEL_EVERY) {
            if cancel() {
                return None;
            }
            for &index in chunk {
                let Some(entry) = entries.get(index as usize) else {
                    continue;
                };
                let indexed = search.and_then(|s| s.indexed(index));
                ctx.entry_index = Some(index);
                if let Some(m) = query.score(entry, indexed, store, ctx) {
                    result.indices.push(index);
                    result.scores.push(m.score);
                    result.tiers.push(m.tier);
                }
            }
        }
        Some(())
    })?;
    Some(result)
}

fn dense(
    entries: &(impl EntrySource + ?Sized),
    index: Option<&SearchIndex>,
    candidates: &[u32],
    query: &Query,
    store: &StoreEval<'_>,
    cancel: &dyn Fn() -> bool,
) -> Option<FilterResult> {
    let words = entries.len().div_ceil(64);
    let mut wanted = vec![0u64; words];
    for &i in candidates {
        if let Some(w) = wanted.get_mut(i as usize / 64) {
            *w |= 1 << (i % 64);
        }
    }
    let mut matched = vec![0u64; words];
    // Scores and tiers by entry index, written for matches only.
    let mut scores = vec![0i64; entries.len()];
    let mut tiers = vec![Tier::Word; entries.len()];
    Ctx::with(|ctx| {
        for (i, entry) in entries.iter().enumerate() {
            if i % CANCEL_EVERY == 0 && cancel() {
                return None;
            }
            if wanted[i / 64] & (1 << (i % 64)) == 0 {
                continue;
            }
            let indexed = index.and_then(|s| s.indexed(i as u32));
            ctx.entry_index = Some(i as u32);
            if let Some(m) = query.score(entry, indexed, store, ctx) {
                matched[i / 64] |= 1 << (i % 64);
                scores[i] = m.score;
                tiers[i] = m.tier;
            }
        }
        Some(())
    })?;
    let mut result = FilterResult::default();
    for &index in candidates {
        let i = index as usize;
        // Out-of-range candidates were never marked, so they fail here.
        if matched
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
        {
            result.indices.push(index);
            result.scores.push(scores[i]);
            result.tiers.push(tiers[i]);
        }
    }
    Some(result)
}

/// Orders a result by score, best first; equal scores keep their order (the table's).
pub fn relevance_order(result: &mut FilterResult) {
    let mut order: Vec<(i64, u32, u32)> = result
        .scores
        .iter()
        .zip(&result.indices)
        .enumerate()
        .map(|(pos, (&score, &index))| (score, pos as u32, index))
        .collect();
    // Position as the second key makes an unstable sort keep table order on ties.
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    result.tiers = order
        .iter()
        .map(|o| result.tiers.get(o.1 as usize).copied().unwrap_or_default())
        .collect();
    result.indices = order.iter().map(|o| o.2).collect();
    result.scores = order.iter().map(|o| o.0).collect();
}

/// Groups `rows` by tier, closest first, keeping their order within each tier: the table's
/// order of matches. `tier_of` gives an entry's tier.
pub fn tier_order(rows: &mut Vec<u32>, tier_of: impl Fn(u32) -> Tier) {
    // One pass into buckets rather than a sort: rows are already in table order.
    let mut substring = Vec::new();
    let mut scattered = Vec::new();
    rows.retain(|&i| match tier_of(i) {
        Tier::Word => true,
        Tier::Substring => {
            substring.push(i);
            false
        }
        Tier::Scattered => {
            scattered.push(i);
            false
        }
    });
    rows.append(&mut substring);
    rows.append(&mut scattered);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cable::classification::Level;
    use crate::cable::{Classification, Precedence};
    use crate::corpus::Entry;
    use crate::corpus::Location;
    use crate::corpus::query::parse;
    use std::cell::Cell;

    fn entry(id: &str, subject: &str, tag: &str) -> Entry {
        Entry {
            id: id.into(),
            date: Some(1_200_000_000),
            precedence: Precedence::Routine,
            classification: Classification::new(Level::Unclassified),
            origin: "Embassy Paris".into(),
            subject: subject.into(),
            tags: vec![tag.into()].into(),
            references: Box::new([]),
            caveats: Box::new([]),
            location: Location::NOWHERE,
        }
    }

    fn corpus() -> Vec<Entry> {
        vec![
            entry("A", "FRANCE: OIL PRICES", "PREL"),
            entry("B", "GERMANY: BUDGET", "PGOV"),
            entry("C", "FOREIGN OIL", "PREL"),
            entry("D", "OIL", "ECON"),
        ]
    }

    #[test]
    fn keeps_candidate_order_and_skips_bad_indices() {
        let entries = corpus();
        let (q, _) = parse("oil");
        let r = filter(&entries, &[3, 9, 0, 2, 1], &q, &|| false);
        let r = r.unwrap_or_default();
        assert_eq!(r.indices, [3, 0, 2]);
        assert_eq!(r.scores.len(), 3);
        let (q, _) = parse("");
        let r = filter(&entries, &[3, 9, 0], &q, &|| false).unwrap_or_default();
        assert_eq!(r.indices, [3, 0]);
        assert_eq!(r.scores, [0, 0]);
    }

    #[test]
    fn cancel_stops_the_run() {
        let entries: Vec<Entry> = (0..10_000)
            .map(|i| entry(&i.to_string(), "OIL", "X"))
            .collect();
        let candidates: Vec<u32> = (0..10_000).collect();
        let (q, _) = parse("oil");
        let calls = Cell::new(0);
        let cancel = || {
            calls.set(calls.get() + 1);
            calls.get() > 1
        };
        assert_eq!(filter(&entries, &candidates, &q, &cancel), None);
        assert_eq!(calls.get(), 2);
        assert_eq!(filter(&entries, &candidates, &parse("").0, &|| true), None);
    }

    #[test]
    fn relevance_order_is_score_then_table_order() {
        use Tier::*;
        let mut r = FilterResult {
            indices: vec![10, 11, 12, 13, 14],
            scores: vec![5, 9, 5, 9, 1],
            tiers: vec![Word, Scattered, Substring, Word, Scattered],
        };
        relevance_order(&mut r);
        assert_eq!(r.indices, [11, 13, 10, 12, 14]);
        assert_eq!(r.scores, [9, 9, 5, 5, 1]);
        // Scores alone decide; each row keeps its own tier.
        assert_eq!(r.tiers, [Scattered, Word, Word, Substring, Scattered]);
    }

    #[test]
    fn tier_order_puts_words_then_substrings_then_scattered_letters() {
        // In table order: a scattered match first, as the table would show it today.
        let entries = vec![
            entry("A", "FLASH: FIRST RAIL PLAN", "PREL"),
            entry("B", "VISIT TO TIRANA", "PREL"),
            entry("C", "IRAN: NUCLEAR TALKS", "PREL"),
            entry("D", "UKRAINE RAIL PLANS", "PREL"),
            entry("E", "NON-IRANIAN GROUPS", "PREL"),
            entry("F", "GERMANY: BUDGET", "PREL"),
            entry("G", "TIRANA AGAIN", "PREL"),
        ];
        let table: Vec<u32> = (0..entries.len() as u32).collect();
        let q = parse("iran").0;
        for scored in [false, true] {
            for candidates in [table.clone(), vec![6, 4, 3, 2, 1, 0]] {
                let r = filter_scored(
                    &entries,
                    None,
                    &candidates,
                    &q,
                    &match_nothing,
                    &|| false,
                    scored,
                )
                .unwrap_or_default();
                let mut rows = r.indices.clone();
                rows.sort_unstable();
                let tiers: std::collections::HashMap<u32, Tier> = r
                    .indices
                    .iter()
                    .copied()
                    .zip(r.tiers.iter().copied())
                    .collect();
                tier_order(&mut rows, |i| tiers[&i]);
                let ids: Vec<&str> = rows.iter().map(|&i| &*entries[i as usize].id).collect();
                assert_eq!(ids, ["C", "E", "B", "G", "A", "D"], "scored: {scored}");
                assert_eq!(r.tier_counts(), TierCounts { close: 4, loose: 2 });
            }
        }
    }

    #[test]
    fn store_terms_through_filter_with() {
        let entries = corpus();
        let (q, _) = parse("mytag:watch oil");
        let all: Vec<u32> = (0..4).collect();
        assert!(
            filter(&entries, &all, &q, &|| false)
                .unwrap_or_default()
                .is_empty()
        );
        let watched = |_: &crate::corpus::query::StoreTerm, e: &Entry| &*e.id == "C";
        let r = filter_with(&entries, &all, &q, &watched, &|| false).unwrap_or_default();
        assert_eq!(r.indices, [2]);
    }

    #[test]
    fn unscored_filtering_matches_the_same_rows() {
        let entries = corpus();
        let all: Vec<u32> = (0..entries.len() as u32).collect();
        for text in [
            "a",
            "gas",
            "GAS",
            "ukr gas",
            "'gas",
            "^a",
            "tag:PREL x",
            "!gas",
            "é",
        ] {
            let q = parse(text).0;
            let scored = filter(&entries, &all, &q, &|| false).unwrap_or_default();
            let plain = filter_scored(&entries, None, &all, &q, &match_nothing, &|| false, false)
                .unwrap_or_default();
            assert_eq!(scored.indices, plain.indices, "{text:?}");
        }
    }
}
