//! The corpus as mail-like threads, for grouping the table.
//!
//! A thread is a connected cluster of the reference graph (references taken both ways, and a
//! cable absent from the corpus joining the cables that cite it). Inside a thread each cable
//! hangs under the latest earlier cable it cites; a cable citing nothing earlier in the
//! thread starts a branch of its own at the thread's first level, after the thread's first
//! cable, which heads it. Because a parent is always
//! strictly earlier (by date, then by corpus order), cycles of citation cannot make a loop.
//!
//! The order is computed once, with the graph; grouping a list of rows is then one pass over
//! them and a sort of the threads they touch.

use super::{Node, RefGraph, time_key};
use crate::corpus::entries::EntrySource;

/// Threads in tree order.
#[derive(Debug, Default, Clone)]
pub struct Threads {
    /// Every entry, thread after thread, each in tree order (head first).
    order: Vec<u32>,
    /// Per entry: its thread, and its depth below the head.
    thread_of: Vec<u32>,
    depth: Vec<u16>,
    /// Per thread: its range in `order`, and its latest entry.
    spans: Vec<ThreadSpan>,
}

#[derive(Debug, Clone, Copy)]
struct ThreadSpan {
    start: u32,
    len: u32,
    latest: u32,
}

/// One row of the grouped table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupedRow {
    pub entry: u32,
    /// Levels below the thread's first cable.
    pub depth: u16,
    /// The row matches the filter; other rows of a matching thread are its context.
    pub matched: bool,
    /// On a thread's first row: how many rows the thread has in all.
    pub thread_rows: u32,
    /// On the first row of a folded thread: the thread is folded.
    pub folded: bool,
}

impl Threads {
    pub(super) fn build(graph: &RefGraph, entries: &(impl EntrySource + ?Sized)) -> Threads {
        let n = graph.entries();
        let root = union_find_roots(graph);
        let key = |e: u32| time_key(entries, e);

        // Each entry's parent: the latest earlier entry it cites. (A second copy of a cable
        // is in its first copy's thread, but not drawn as its reply: it cites it not.)
        let mut parent: Vec<Option<u32>> = vec![None; n];
        for e in 0..n as u32 {
            let own = key(e);
            parent[e as usize] = graph
                .cites(e)
                .iter()
                .filter_map(|&node| graph.entry_of(node))
                .filter(|&p| key(p) < own)
                .max_by_key(|&p| key(p));
        }

        // Dense thread numbers, in order of each thread's first entry in the corpus.
        let mut thread_of = vec![u32::MAX; n];
        let mut number_of_root: rustc_hash::FxHashMap<u32, u32> = Default::default();
        let mut members: Vec<Vec<u32>> = Vec::new();
        for e in 0..n {
            let r = root[e];
            let t = *number_of_root.entry(r).or_insert_with(|| {
                members.push(Vec::new());
                members.len() as u32 - 1
            });
            thread_of[e] = t;
            members[t as usize].push(e as u32);
        }

        // Children by parent. A cable citing nothing earlier in the thread (joined to it by a
        // later cable, or by an absent cable they both cite) is a root of its own, at the
        // thread's first level: drawing it under the head would show a citation that is not
        // there.
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut order = Vec::with_capacity(n);
        let mut depth = vec![0u16; n];
        let mut spans = Vec::with_capacity(members.len());
        let mut stack: Vec<(u32, u16)> = Vec::new();
        let mut roots: Vec<u32> = Vec::new();
        for m in &mut members {
            m.sort_unstable_by_key(|&e| key(e));
            let head = m[0];
            roots.clear();
            for &e in m.iter() {
                match parent[e as usize] {
                    Some(p) => children[p as usize].push(e),
                    None => roots.push(e),
                }
            }
            let start = order.len() as u32;
            stack.extend(roots.iter().rev().map(|&r| (r, 0)));
            while let Some((e, d)) = stack.pop() {
                order.push(e);
                depth[e as usize] = d;
                // Members were pushed in time order: reversed on the stack, they come out so.
                for &c in children[e as usize].iter().rev() {
                    stack.push((c, d.saturating_add(1)));
                }
            }
            let latest = *m.iter().max_by_key(|&&e| key(e)).unwrap_or(&head);
            spans.push(ThreadSpan {
                start,
                len: m.len() as u32,
                latest,
            });
        }
        Threads {
            order,
            thread_of,
            depth,
            spans,
        }
    }

    pub fn count(&self) -> usize {
        self.spans.len()
    }

    /// The thread of an entry; `None` for an entry the graph does not cover.
    pub fn thread_of(&self, entry: u32) -> Option<u32> {
        self.thread_of.get(entry as usize).copied()
    }

    /// The entries of a thread in tree order.
    pub fn members(&self, thread: u32) -> &[u32] {
        match self.spans.get(thread as usize) {
            Some(s) => &self.order[s.start as usize..(s.start + s.len) as usize],
            None => &[],
        }
    }

    pub fn latest(&self, thread: u32) -> Option<u32> {
        self.spans.get(thread as usize).map(|s| s.latest)
    }

    pub fn depth(&self, entry: u32) -> u16 {
        self.depth.get(entry as usize).copied().unwrap_or(0)
    }

    /// Groups `shown` (the filter's matches) by thread: every thread with a match, whole,
    /// its other rows as context. Threads are ordered by `rank` of their latest entry (its
    /// place in the table's order), and a folded thread (`folded(thread)`) shows its first
    /// row alone; with `keep_matches` (a filter is on), its first row and its matches, so a
    /// fold never hides what was asked for. Entries the graph does not cover (read after it
    /// was built) stand alone, placed by their own rank.
    pub fn group(
        &self,
        shown: &[u32],
        rank: &dyn Fn(u32) -> u32,
        folded: &dyn Fn(u32) -> bool,
        keep_matches: bool,
    ) -> Vec<GroupedRow> {
        let n = self.thread_of.len();
        let mut matched = vec![false; n];
        let mut touched = vec![false; self.spans.len()];
        // (rank, thread or entry): threads and lone entries in one order.
        let mut groups: Vec<(u32, Group)> = Vec::new();
        for &e in shown {
            match self.thread_of(e) {
                Some(t) => {
                    matched[e as usize] = true;
                    if !std::mem::replace(&mut touched[t as usize], true) {
                        groups.push((rank(self.spans[t as usize].latest), Group::Thread(t)));
                    }
                }
                None => groups.push((rank(e), Group::Alone(e))),
            }
        }
        groups.sort_by_key(|&(r, _)| r);
        let mut rows = Vec::with_capacity(shown.len());
        for (_, group) in groups {
            match group {
                Group::Alone(entry) => rows.push(GroupedRow {
                    entry,
                    depth: 0,
                    matched: true,
                    thread_rows: 1,
                    folded: false,
                }),
                Group::Thread(t) => {
                    let members = self.members(t);
                    let is_folded = members.len() > 1 && folded(t);
                    for (i, &entry) in members.iter().enumerate() {
                        if is_folded && i > 0 && !(keep_matches && matched[entry as usize]) {
                            continue;
                        }
                        rows.push(GroupedRow {
                            entry,
                            depth: self.depth(entry),
                            matched: matched[entry as usize],
                            thread_rows: if i == 0 { members.len() as u32 } else { 0 },
                            folded: is_folded,
                        });
                    }
                }
            }
        }
        rows
    }

    pub(super) fn heap_bytes(&self) -> usize {
        (self.order.capacity() + self.thread_of.capacity()) * 4
            + self.depth.capacity() * 2
            + self.spans.capacity() * std::mem::size_of::<ThreadSpan>()
    }
}

#[derive(Debug, Clone, Copy)]
enum Group {
    Thread(u32),
    Alone(u32),
}

/// Each entry's cluster, as the root entry or node of a union-find over every edge (and over
/// copies of one cable).
fn union_find_roots(graph: &RefGraph) -> Vec<u32> {
    let n = graph.entries();
    let mut up: Vec<u32> = (0..graph.nodes() as u32).collect();
    fn find(up: &mut [u32], mut x: u32) -> u32 {
        while up[x as usize] != x {
            let grand = up[up[x as usize] as usize];
            up[x as usize] = grand;
            x = grand;
        }
        x
    }
    let join = |up: &mut Vec<u32>, a: Node, b: Node| {
        let (ra, rb) = (find(up, a), find(up, b));
        if ra != rb {
            // The smaller root wins, so a cluster's root is stable whatever the edge order.
            let (keep, drop) = (ra.min(rb), ra.max(rb));
            up[drop as usize] = keep;
        }
    };
    for e in 0..n as u32 {
        if let Some(c) = graph.node_of(e) {
            join(&mut up, e, c);
        }
        for &node in graph.cites(e) {
            join(&mut up, e, node);
        }
    }
    (0..n as u32).map(|e| find(&mut up, e)).collect()
}
