//! A search index: every subject lower-cased, in one buffer.
//!
//! Reading each entry's subject for a text term is mostly waiting for memory: each subject is
//! its own allocation, so a scan over 250,000 of them is 250,000 cache misses. With the
//! subjects folded into one contiguous buffer, the byte scans that reject most subjects read
//! memory in order; only the subjects that pass reach the fuzzy scorer, which reads the
//! original. Each subject's word initials are kept beside it, so that grading a fuzzy match
//! in tiers rarely scans the subject again. Build it once per corpus (beside
//! [`crate::corpus::sort::SortIndex`]) and pass it to [`super::filter_indexed`]; without it,
//! filtering gives the same results, slower.

use super::matcher::word_initials;
use crate::corpus::Entry;
use crate::corpus::entries::EntrySource;

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Subjects, ASCII-lower-cased, back to back.
    folded: Vec<u8>,
    /// `ends[i]`: where entry `i`'s subject ends in `folded` (it starts at `ends[i - 1]`).
    ends: Vec<usize>,
    /// `initials[i]`: entry `i`'s [`word_initials`].
    initials: Vec<u64>,
}

impl SearchIndex {
    pub fn new(entries: &(impl EntrySource + ?Sized)) -> SearchIndex {
        let mut index = SearchIndex {
            folded: Vec::with_capacity(entries.iter().map(|e| e.subject.len()).sum()),
            ends: Vec::with_capacity(entries.len()),
            initials: Vec::with_capacity(entries.len()),
        };
        for e in entries.iter() {
            index.push(e);
        }
        index
    }

    /// Adds the next entry (the corpus grew).
    pub fn push(&mut self, entry: &Entry) {
        let start = self.folded.len();
        self.folded
            .extend(entry.subject.bytes().map(|b| b.to_ascii_lowercase()));
        self.initials.push(word_initials(&self.folded[start..]));
        self.ends.push(self.folded.len());
    }

    /// How many entries the index covers.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Entry `i`'s subject, lower-cased; `None` past the entries indexed.
    pub fn folded(&self, i: u32) -> Option<&[u8]> {
        let i = i as usize;
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.folded.get(start..end)
    }

    /// Entry `i`'s subject, lower-cased, with its [`word_initials`].
    pub(crate) fn indexed(&self, i: u32) -> Option<(&[u8], u64)> {
        Some((self.folded(i)?, *self.initials.get(i as usize)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::query::{filter, filter_indexed, match_nothing, parse};

    #[test]
    fn folded_subjects_and_same_results() {
        let mut g = crate::synth::Generator::new(3);
        let entries: Vec<Entry> = (0..300)
            .map(|_| {
                let c = g.next_cable();
                let mut e = Entry {
                    id: c.id.as_str().into(),
                    date: Some(c.date.timestamp()),
                    precedence: c.precedence,
                    classification: Default::default(),
                    origin: c.origin.as_str().into(),
                    subject: c.subject.as_str().into(),
                    tags: Box::new([]),
                    references: Box::new([]),
                    caveats: Box::new([]),
                    location: crate::corpus::Location {
                        file: 0,
                        row: 0,
                        offset: 0,
                    },
                };
                e.subject = format!("Ünï {}", e.subject).into();
                e
            })
            .collect();
        let index = SearchIndex::new(&entries[..250]);
        assert_eq!(index.len(), 250);
        assert_eq!(
            index.folded(1),
            Some(entries[1].subject.to_ascii_lowercase().as_bytes())
        );
        assert_eq!(index.folded(250), None);
        let all: Vec<u32> = (0..300).rev().collect();
        let few: Vec<u32> = (0..300).step_by(40).collect();
        for q in [
            "irq",
            "'ünï",
            "^ünï",
            "IRAQ",
            "'the",
            "!the",
            "update$",
            "tag:x | iraq",
            // Tiers: the initials kept in the index settle them as a full scan does.
            "a",
            "t",
            "ira",
            "ünï",
            "nï",
            "Ü",
            "the update",
        ] {
            let (query, _) = parse(q);
            for c in [&all, &few] {
                let plain = filter(&entries, c, &query, &|| false);
                let indexed =
                    filter_indexed(&entries, Some(&index), c, &query, &match_nothing, &|| false);
                assert_eq!(plain, indexed, "{q}");
            }
        }
    }
}
