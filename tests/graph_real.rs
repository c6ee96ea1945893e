//! The reference graph on the real Cablegate pages of `../shared`: who cites whom agrees with
//! a naive scan of every cable's references, and the thread view of every cable is a tree
//! that holds it. Skips, saying so, without `../shared`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use cabletriage::corpus::graph::{RefGraph, TreeItem};
use cabletriage::corpus::load::read_all;

#[test]
fn cited_by_on_the_real_pages_agrees_with_a_naive_scan() {
    let Some(shared) = common::shared_dir("cited_by_on_the_real_pages_agrees_with_a_naive_scan")
    else {
        return;
    };
    let (_, entries) = read_all(&[shared.join("corpus/cablegate")]);
    assert!(entries.len() >= 580, "{} pages read", entries.len());
    let graph = RefGraph::build(&entries[..]);

    // The naive scan: every reference of every cable but itself, by id.
    let mut naive: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut references = 0;
    for e in &entries {
        for r in e.references.iter() {
            references += 1;
            if **r != *e.id {
                naive.entry(r).or_default().insert(&e.id);
            }
        }
    }
    let mut from_graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for node in 0..graph.nodes() as u32 {
        let id = match graph.entry_of(node) {
            Some(e) => &*entries[e as usize].id,
            None => graph.missing_id(node).unwrap_or("?"),
        };
        for &c in graph.citers(node) {
            from_graph
                .entry(id)
                .or_default()
                .insert(&entries[c as usize].id);
        }
    }
    assert_eq!(from_graph, naive);

    let in_corpus = naive
        .keys()
        .filter(|id| entries.iter().any(|e| &*e.id == **id))
        .count();
    let links: usize = naive.values().map(BTreeSet::len).sum();
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "real pages: {} cables, {references} references, {links} links, {} cited ids ({in_corpus} in the corpus, {} missing), {} self-citations, {} threads",
        entries.len(),
        naive.len(),
        graph.missing_count(),
        graph.stats.self_citations,
        graph.threads.count()
    );
    assert_eq!(graph.stats.links, links);
    assert_eq!(naive.len() - in_corpus, graph.missing_count());

    // Every cable's thread view holds it, marked, and draws each cable once.
    for e in 0..entries.len() as u32 {
        let tree = graph.thread_tree(e, &entries[..]);
        let focus = &tree.lines[tree.focus].item;
        let canonical = graph.node_of(e).unwrap();
        assert_eq!(*focus, TreeItem::Cable(canonical));
        let cables: Vec<u32> = tree.cables().collect();
        let unique: BTreeSet<u32> = cables.iter().copied().collect();
        assert_eq!(
            unique.len(),
            cables.len(),
            "a cable drawn twice in {e}'s thread"
        );
    }
}
