//! The answer of the text index to one full-text term: which entries match, and for
//! relevance order how well.

/// A set of corpus entry indices, with their BM25 scores when they were asked for.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// One bit per entry of the corpus.
    bits: Vec<u64>,
    count: usize,
    /// (entry, BM25), sorted by entry; empty unless scores were asked for.
    scored: Vec<(u32, f32)>,
}

/// BM25 scores are small reals (a few units); the query's scores are integers on the scale
/// of the fuzzy subject scorer's (tens to hundreds), so a text hit weighs like a subject hit.
const SCORE_SCALE: f32 = 100.0;

impl Hits {
    /// The hits among `entries` corpus entries; `scored` is (entry, BM25) in any order, or
    /// empty when scores were not asked for. Entries out of range are dropped.
    pub fn new(
        entries: usize,
        matched: impl IntoIterator<Item = u32>,
        scored: Vec<(u32, f32)>,
    ) -> Hits {
        let mut bits = vec![0u64; entries.div_ceil(64)];
        let mut count = 0;
        for i in matched {
            if let Some(w) = bits.get_mut(i as usize / 64) {
                let bit = 1u64 << (i % 64);
                if *w & bit == 0 {
                    *w |= bit;
                    count += 1;
                }
            }
        }
        let mut scored: Vec<(u32, f32)> = scored
            .into_iter()
            .filter(|&(i, _)| (i as usize) < entries)
            .collect();
        scored.sort_unstable_by_key(|&(i, _)| i);
        scored.dedup_by_key(|&mut (i, _)| i);
        Hits {
            bits,
            count,
            scored,
        }
    }

    pub fn contains(&self, entry: u32) -> bool {
        self.bits
            .get(entry as usize / 64)
            .is_some_and(|w| w & (1 << (entry % 64)) != 0)
    }

    /// How many entries match.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The matching entries, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.bits.iter().enumerate().flat_map(|(w, &word)| {
            (0..64u32)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w as u32 * 64 + b)
        })
    }

    /// The entry's BM25 score, when scores were asked for and it matches.
    pub fn score(&self, entry: u32) -> Option<f32> {
        self.scored
            .binary_search_by_key(&entry, |&(i, _)| i)
            .ok()
            .map(|at| self.scored[at].1)
    }

    /// The score a matching entry adds to the query's (0 without scores).
    pub fn rank_score(&self, entry: u32) -> i64 {
        self.score(entry)
            .map_or(0, |s| (s * SCORE_SCALE).round() as i64)
    }
}

/// The candidates that can still match `query` given its answered full-text terms: those in
/// the hits of every group that is one positive full-text term, in candidate order. Filtering
/// these instead of every candidate costs a bit test per candidate plus the full evaluation
/// of the few left; the result of the filter is the same.
pub fn narrow(query: &crate::corpus::query::Query, candidates: &[u32]) -> Vec<u32> {
    use crate::corpus::query::TermKind;
    let required: Vec<&Hits> = query
        .groups
        .iter()
        .filter_map(|g| match g.terms.as_slice() {
            [t] if !t.negated => match &t.kind {
                TermKind::FullText(f) => f.hits.as_deref(),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if required.is_empty() {
        return candidates.to_vec();
    }
    candidates
        .iter()
        .copied()
        .filter(|&i| required.iter().all(|h| h.contains(i)))
        .collect()
}
