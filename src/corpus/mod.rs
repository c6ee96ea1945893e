//! The open cables as a compact, searchable index.
//!
//! A [`Corpus`] holds one [`Entry`] per cable (the fields the table shows, sorts and filters
//! on) and the list of files they came from; bodies stay on disk and are read again when a
//! cable is opened. Sorting ([`sort`]) and queries ([`query`]) work on indices into the
//! entries, so a view of the corpus is just a `Vec<u32>`.

pub mod body;
pub mod cache;
pub mod demo;
pub mod entries;
pub mod entry;
pub mod graph;
pub mod load;
pub mod private;
pub mod query;
pub mod sort;

use std::collections::HashMap;
use std::path::PathBuf;

pub use entries::{Entries, EntrySource};
pub use entry::{Entry, Location};

/// Every cable read so far.
#[derive(Debug, Default, Clone)]
pub struct Corpus {
    pub entries: Entries,
    pub files: Vec<PathBuf>,
    by_id: HashMap<Box<str>, u32>,
    /// Ids read more than once (the same cable in two files or formats), with how many
    /// entries beyond the first they have.
    extra_copies: HashMap<Box<str>, u32>,
}

impl Corpus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a file and returns its index for [`Location::file`].
    pub fn add_file(&mut self, path: PathBuf) -> u32 {
        self.files.push(path);
        (self.files.len() - 1) as u32
    }

    /// Adds a cable; a second cable with an id already present replaces nothing and is
    /// still added (duplicates exist in real corpora), but the id keeps naming the first.
    pub fn push(&mut self, entry: Entry) -> u32 {
        let index = self.entries.len() as u32;
        match self.by_id.entry(entry.id.clone()) {
            std::collections::hash_map::Entry::Occupied(_) => {
                *self.extra_copies.entry(entry.id.clone()).or_default() += 1;
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(index);
            }
        }
        self.entries.push(entry);
        index
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, index: u32) -> Option<&Entry> {
        self.entries.get(index as usize)
    }

    pub fn file(&self, location: &Location) -> Option<&PathBuf> {
        self.files.get(location.file as usize)
    }

    /// The index of the cable with this canonical id.
    pub fn find_id(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// How many entries carry `id`: 0 when none, more than 1 for a cable read twice.
    pub fn copies(&self, id: &str) -> usize {
        match self.by_id.get(id) {
            None => 0,
            Some(_) => 1 + self.extra_copies.get(id).copied().unwrap_or(0) as usize,
        }
    }
}
