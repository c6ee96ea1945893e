//! Append-only storage of entries with cheap snapshots.
//!
//! The corpus grows while it loads, and filter jobs read it on other threads at the same time.
//! Entries live in fixed-size chunks behind `Arc`s: a snapshot clones the chunk list (a few
//! hundred pointers), and appending copies at most the last, partly filled chunk when a job
//! still holds it.

use std::ops::Index;
use std::sync::Arc;

use super::Entry;

const CHUNK: usize = 4096;

/// Read access to entries by index, whatever holds them: a slice (tests, benchmarks) or the
/// corpus's chunked store. Sorting and filtering are written against this.
pub trait EntrySource: Sync {
    fn len(&self) -> usize;
    fn get(&self, index: usize) -> Option<&Entry>;
    fn iter(&self) -> impl Iterator<Item = &Entry>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl EntrySource for [Entry] {
    fn len(&self) -> usize {
        <[Entry]>::len(self)
    }
    fn get(&self, index: usize) -> Option<&Entry> {
        <[Entry]>::get(self, index)
    }
    fn iter(&self) -> impl Iterator<Item = &Entry> {
        <[Entry]>::iter(self)
    }
}

impl EntrySource for Vec<Entry> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, index: usize) -> Option<&Entry> {
        self.as_slice().get(index)
    }
    fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.as_slice().iter()
    }
}

impl EntrySource for Entries {
    fn len(&self) -> usize {
        self.len
    }
    fn get(&self, index: usize) -> Option<&Entry> {
        Entries::get(self, index)
    }
    fn iter(&self) -> impl Iterator<Item = &Entry> {
        Entries::iter(self)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Entries {
    chunks: Vec<Arc<Vec<Entry>>>,
    len: usize,
}

impl Entries {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, entry: Entry) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(entry);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    pub fn get(&self, index: usize) -> Option<&Entry> {
        self.chunks.get(index / CHUNK)?.get(index % CHUNK)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

impl IntoIterator for Entries {
    type Item = Entry;
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Vec<Entry>>>;

    /// The entries themselves: moved, copied only from chunks a snapshot still shares.
    fn into_iter(self) -> Self::IntoIter {
        let chunks: Vec<Vec<Entry>> = self.chunks.into_iter().map(Arc::unwrap_or_clone).collect();
        chunks.into_iter().flatten()
    }
}

impl Index<u32> for Entries {
    type Output = Entry;
    fn index(&self, index: u32) -> &Entry {
        let i = index as usize;
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> Entry {
        Entry::blank(&format!("08X{n}"))
    }

    #[test]
    fn snapshots_do_not_see_later_entries() {
        let mut e = Entries::default();
        for n in 0..CHUNK + 10 {
            e.push(entry(n));
        }
        let snapshot = e.clone();
        e.push(entry(99_999));
        assert_eq!(snapshot.len(), CHUNK + 10);
        assert_eq!(e.len(), CHUNK + 11);
        assert_eq!(&*e[(CHUNK + 10) as u32].id, "08X99999");
        assert_eq!(&*snapshot[CHUNK as u32].id, &*format!("08X{CHUNK}"));
        assert!(snapshot.get(CHUNK + 10).is_none());
        assert_eq!(e.iter().count(), CHUNK + 11);
    }
}
