//! The reference graph of the open corpus: who cites whom.
//!
//! Edges come from each entry's canonical `references` (its REF line). A cited id that is
//! in the corpus points at the first entry with that id (as [`super::Corpus::find_id`]
//! does); one that is not becomes a *missing* node, so two cables citing the same absent
//! cable still meet. A cable citing itself or the same cable twice gives no edge or one.
//!
//! Storage is compressed sparse rows in both directions (`cites` and `citers`), a few bytes
//! an edge: the whole Cablegate graph (about 232,000 links) takes a few megabytes. The graph
//! is built from the entries alone, so the index cache, which keeps every entry's
//! references, brings it back on a warm open in the time it takes to build it (see the
//! bench).
//!
//! On top of the edges:
//! - [`threads`]: the connected clusters as mail-like threads, in tree order, for grouping
//!   the table;
//! - [`tree`]: the conversation around one cable, capped, for the thread view.

pub mod threads;
pub mod tree;

use rustc_hash::FxHashMap;

use super::Entry;
use super::entries::EntrySource;

pub use threads::{GroupedRow, Threads};
pub use tree::{More, ThreadTree, TreeItem, TreeLine};

/// A node of the graph: an entry index below [`RefGraph::entries`], else a cited cable that
/// is not in the corpus (`entries + k` for the `k`-th missing id).
pub type Node = u32;

/// What building the graph found beside its edges.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GraphStats {
    /// Edges between distinct cables (in the corpus or not).
    pub links: usize,
    /// References of a cable to itself, dropped.
    pub self_citations: usize,
    /// References repeated on one REF line, counted once.
    pub repeated: usize,
}

#[derive(Debug, Default, Clone)]
pub struct RefGraph {
    entries: u32,
    /// For each entry, the first entry with its id (itself unless it is a second copy).
    canonical: Vec<u32>,
    /// `cites[cites_start[e]..cites_start[e + 1]]`: the nodes entry `e` cites, in REF order.
    cites_start: Vec<u32>,
    cites: Vec<Node>,
    /// `citers[citers_start[n]..citers_start[n + 1]]`: the canonical entries citing node `n`,
    /// in corpus order.
    citers_start: Vec<u32>,
    citers: Vec<u32>,
    missing: Vec<Box<str>>,
    missing_by_id: FxHashMap<Box<str>, u32>,
    pub stats: GraphStats,
    pub threads: Threads,
}

impl RefGraph {
    pub fn build(entries: &(impl EntrySource + ?Sized)) -> RefGraph {
        let n = entries.len();
        let mut by_id: FxHashMap<&str, u32> = FxHashMap::default();
        by_id.reserve(n);
        let mut canonical = Vec::with_capacity(n);
        for (i, e) in entries.iter().enumerate() {
            canonical.push(*by_id.entry(&e.id).or_insert(i as u32));
        }

        let mut stats = GraphStats::default();
        let mut missing: Vec<&str> = Vec::new();
        let mut missing_by_id: FxHashMap<&str, u32> = FxHashMap::default();
        let mut cites_start = Vec::with_capacity(n + 1);
        let mut cites: Vec<Node> = Vec::new();
        cites_start.push(0);
        for (i, e) in entries.iter().enumerate() {
            let own = canonical[i];
            let start = cites.len();
            for r in e.references.iter() {
                let node = match by_id.get(&**r) {
                    Some(&c) => c,
                    None => {
                        let next = missing.len() as u32;
                        let k = *missing_by_id.entry(r).or_insert(next);
                        if k == next {
                            missing.push(r);
                        }
                        n as u32 + k
                    }
                };
                if node == own {
                    stats.self_citations += 1;
                } else if cites[start..].contains(&node) {
                    stats.repeated += 1;
                } else {
                    cites.push(node);
                }
            }
            cites_start.push(cites.len() as u32);
        }

        // Citers by node, each canonical citer once (two copies of a cable cite as one).
        let nodes = n + missing.len();
        let mut pairs: Vec<(Node, u32)> = Vec::with_capacity(cites.len());
        for e in 0..n {
            for &node in &cites[cites_start[e] as usize..cites_start[e + 1] as usize] {
                pairs.push((node, canonical[e]));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        stats.links = pairs.len();
        let mut citers_start = vec![0u32; nodes + 1];
        for &(node, _) in &pairs {
            citers_start[node as usize + 1] += 1;
        }
        for i in 0..nodes {
            citers_start[i + 1] += citers_start[i];
        }
        let citers = pairs.into_iter().map(|(_, citer)| citer).collect();

        let mut graph = RefGraph {
            entries: n as u32,
            canonical,
            cites_start,
            cites,
            citers_start,
            citers,
            missing: missing.iter().map(|&s| s.into()).collect(),
            missing_by_id: missing_by_id
                .into_iter()
                .map(|(id, k)| (id.into(), k))
                .collect(),
            stats,
            threads: Threads::default(),
        };
        graph.threads = Threads::build(&graph, entries);
        graph
    }

    /// How many entries the graph covers (the first ones of the corpus).
    pub fn entries(&self) -> usize {
        self.entries as usize
    }

    /// Entries and missing cables.
    pub fn nodes(&self) -> usize {
        self.entries as usize + self.missing.len()
    }

    pub fn missing_count(&self) -> usize {
        self.missing.len()
    }

    /// The node of an entry: the first entry with its id.
    pub fn node_of(&self, entry: u32) -> Option<Node> {
        self.canonical.get(entry as usize).copied()
    }

    /// The node of an id: its entry, else the missing cable of that id.
    pub fn node_of_id(&self, id: &str, entries: &(impl EntrySource + ?Sized)) -> Option<Node> {
        if let Some(&k) = self.missing_by_id.get(id) {
            return Some(self.entries + k);
        }
        // Ids are few to look up (a term, a command): a scan avoids keeping a second id map.
        entries
            .iter()
            .take(self.entries())
            .position(|e| &*e.id == id)
            .and_then(|i| self.node_of(i as u32))
    }

    /// The entry of a node; `None` for a missing cable.
    pub fn entry_of(&self, node: Node) -> Option<u32> {
        (node < self.entries).then_some(node)
    }

    /// The id of a missing node.
    pub fn missing_id(&self, node: Node) -> Option<&str> {
        let k = node.checked_sub(self.entries)?;
        self.missing.get(k as usize).map(|s| &**s)
    }

    /// The nodes an entry cites, in the order of its REF line, without repeats or itself.
    pub fn cites(&self, entry: u32) -> &[Node] {
        let e = entry as usize;
        match (self.cites_start.get(e), self.cites_start.get(e + 1)) {
            (Some(&a), Some(&b)) => &self.cites[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The nodes a node cites: a missing cable cites nothing we know of; a second copy of a
    /// cable cites what the first does.
    pub fn cites_of_node(&self, node: Node) -> &[Node] {
        match self.entry_of(node) {
            Some(e) => self.cites(e),
            None => &[],
        }
    }

    /// The canonical entries citing a node, in corpus order.
    pub fn citers(&self, node: Node) -> &[u32] {
        let n = node as usize;
        match (self.citers_start.get(n), self.citers_start.get(n + 1)) {
            (Some(&a), Some(&b)) => &self.citers[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The entries citing an entry's cable (its first copy's node).
    pub fn cited_by(&self, entry: u32) -> &[u32] {
        match self.node_of(entry) {
            Some(node) => self.citers(node),
            None => &[],
        }
    }

    /// Heap bytes the graph holds, for the bench.
    pub fn heap_bytes(&self) -> usize {
        let u32s = self.canonical.capacity()
            + self.cites_start.capacity()
            + self.cites.capacity()
            + self.citers_start.capacity()
            + self.citers.capacity();
        let ids: usize = self.missing.iter().map(|s| s.len() + 16).sum();
        // The map's table: key, value and a control byte a slot, at most 8/7 full.
        let map = self.missing_by_id.capacity() * (16 + 4 + 1) + ids;
        u32s * 4 + ids + map + self.threads.heap_bytes()
    }
}

/// An entry's order in time: its date, then its place in the corpus (undated first).
pub(crate) fn time_key(entries: &(impl EntrySource + ?Sized), entry: u32) -> (i64, u32) {
    let date = entries
        .get(entry as usize)
        .and_then(|e: &Entry| e.date)
        .unwrap_or(i64::MIN);
    (date, entry)
}

#[cfg(test)]
mod tests;
