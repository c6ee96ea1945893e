//! Graph terms answered by the reference graph ([`crate::corpus::graph`]).
//!
//! Before matching, each `cites:`, `citedby:`, `thread:`, `citers:` and `refs:` term of a
//! query is turned into the set of entries that pass it ([`resolve`]), so that matching one
//! entry stays a bit test, whatever the graph. Until then a graph term filters nothing
//! ([`super::Query::waits_for_graph`]), as a full-text term waits for the text index.
//!
//! Ids compare canonical and ignoring ASCII case (`08moscow01052` is `08MOSCOW1052`). Every
//! copy of a cable read twice passes when its first copy does.

use std::sync::Arc;

use super::matcher::compare;
use super::term::{GraphKind, Query};
use crate::cable::reference_id::canonicalize_id;
use crate::corpus::entries::EntrySource;
use crate::corpus::graph::{Node, RefGraph};
use crate::search::Hits;

/// Attaches to every graph term of `query` the entries that pass it. Fails, naming the
/// term, for a `citedby:` or `thread:` of an id that is not a cable of the corpus.
pub fn resolve(
    query: &mut Query,
    graph: &RefGraph,
    entries: &(impl EntrySource + ?Sized),
) -> Result<(), String> {
    for term in query.graph_terms_mut() {
        let hits = passing(&term.kind, graph, entries)?;
        term.hits = Some(Arc::new(hits));
    }
    Ok(())
}

/// The entries passing one graph term.
pub fn passing(
    kind: &GraphKind,
    graph: &RefGraph,
    entries: &(impl EntrySource + ?Sized),
) -> Result<Hits, String> {
    let covered = graph.entries().min(entries.len()) as u32;
    let count = |f: &dyn Fn(u32) -> bool| {
        Hits::new(entries.len(), (0..covered).filter(|&e| f(e)), Vec::new())
    };
    let canonical = match kind {
        GraphKind::Citers(cmp, n) => {
            return Ok(count(&|e| {
                compare(*cmp, graph.cited_by(e).len() as u32, *n)
            }));
        }
        GraphKind::Refs(cmp, n) => {
            return Ok(count(&|e| compare(*cmp, graph.cites(e).len() as u32, *n)));
        }
        // A cable nobody cites, in the corpus or not, has no citers: no error.
        GraphKind::Cites(id) => match find_node(graph, entries, id) {
            Some(node) => graph.citers(node).to_vec(),
            None => Vec::new(),
        },
        GraphKind::CitedBy(id) => {
            let entry = find_cable(graph, entries, "citedby", id)?;
            graph
                .cites(entry)
                .iter()
                .filter_map(|&node| graph.entry_of(node))
                .collect()
        }
        GraphKind::Thread(id) => {
            let entry = find_cable(graph, entries, "thread", id)?;
            graph.thread_tree(entry, entries).cables().collect()
        }
    };
    Ok(with_copies(graph, entries.len(), covered, &canonical))
}

/// The node of a typed id: canonical first (`05PARIS08442` names `05PARIS8442`), else as
/// typed, upper-cased.
pub fn find_node(
    graph: &RefGraph,
    entries: &(impl EntrySource + ?Sized),
    id: &str,
) -> Option<Node> {
    let canonical = canonicalize_id(id);
    graph.node_of_id(&canonical, entries).or_else(|| {
        let upper = id.trim().to_ascii_uppercase();
        (upper != canonical)
            .then(|| graph.node_of_id(&upper, entries))
            .flatten()
    })
}

/// The entry of a typed id that must be a cable of the corpus, else why not.
fn find_cable(
    graph: &RefGraph,
    entries: &(impl EntrySource + ?Sized),
    term: &str,
    id: &str,
) -> Result<u32, String> {
    match find_node(graph, entries, id) {
        Some(node) => graph.entry_of(node).ok_or_else(|| {
            format!("{term}:{id}: only cited, not in the corpus: its own references are unknown")
        }),
        None => Err(format!("{term}:{id}: no cable with this id in the corpus")),
    }
}

/// `canonical` entries (first copies) and every later copy of them.
fn with_copies(graph: &RefGraph, len: usize, covered: u32, canonical: &[u32]) -> Hits {
    let first = Hits::new(len, canonical.iter().copied(), Vec::new());
    Hits::new(
        len,
        (0..covered).filter(|&e| graph.node_of(e).is_some_and(|c| first.contains(c))),
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Entry;
    use crate::corpus::query::{filter, parse};

    fn cable(id: &str, day: i64, refs: &[&str]) -> Entry {
        let mut e = Entry::blank(id);
        e.date = Some(day * 86_400);
        e.subject = format!("SUBJECT OF {id}").into();
        e.references = refs.iter().map(|r| (*r).into()).collect();
        e
    }

    /// 08A1 ← 08B2, 08C3 (both cite 08A1); 08C3 also cites 07GONE9 (not in the corpus);
    /// 08D4 cites itself and 08C3 twice; 08E5 stands alone; 08C3 is read twice.
    fn corpus() -> Vec<Entry> {
        vec![
            cable("08A1", 1, &[]),
            cable("08B2", 2, &["08A1"]),
            cable("08C3", 3, &["08A1", "07GONE9"]),
            cable("08D4", 4, &["08D4", "08C3", "08C3"]),
            cable("08E5", 5, &["07GONE9"]),
            cable("08C3", 3, &["08A1", "07GONE9"]),
        ]
    }

    /// The ids the query keeps, resolved against the corpus's graph.
    fn run<'a>(entries: &'a [Entry], input: &str) -> Result<Vec<&'a str>, String> {
        let (mut q, errors) = parse(input);
        assert!(errors.is_empty(), "{input}: {errors:?}");
        let graph = RefGraph::build(entries);
        resolve(&mut q, &graph, entries)?;
        assert!(!q.waits_for_graph());
        let all: Vec<u32> = (0..entries.len() as u32).collect();
        let r = filter(entries, &all, &q, &|| false).unwrap_or_default();
        Ok(r.indices
            .iter()
            .map(|&i| &*entries[i as usize].id)
            .collect())
    }

    fn ok<'a>(entries: &'a [Entry], input: &str) -> Vec<&'a str> {
        run(entries, input).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    #[test]
    fn cites_lists_the_citers_of_a_cable_in_the_corpus_or_not() {
        let e = corpus();
        assert_eq!(ok(&e, "cites:08A1"), ["08B2", "08C3", "08C3"]);
        // Ignoring case, canonical: `08a01` is `08A1`.
        assert_eq!(ok(&e, "cites:08a01"), ["08B2", "08C3", "08C3"]);
        assert_eq!(ok(&e, "cites:07gone9"), ["08C3", "08E5", "08C3"]);
        // A self-citation is no citation; a repeated one counts once.
        assert_eq!(ok(&e, "cites:08D4"), Vec::<&str>::new());
        assert_eq!(ok(&e, "cites:08C3"), ["08D4"]);
        // Nobody cites it and it is nowhere: no match, and no error.
        assert_eq!(ok(&e, "cites:99NOWHERE1"), Vec::<&str>::new());
    }

    #[test]
    fn citedby_lists_what_a_cable_cites_and_refuses_unknown_ids() {
        let e = corpus();
        assert_eq!(ok(&e, "citedby:08c3"), ["08A1"]);
        assert_eq!(ok(&e, "citedby:08D4"), ["08C3", "08C3"]);
        assert_eq!(ok(&e, "citedby:08A1"), Vec::<&str>::new());
        let why = run(&e, "citedby:99NOWHERE1").err().unwrap_or_default();
        assert!(why.contains("citedby:99NOWHERE1: no cable"), "{why}");
        let why = run(&e, "citedby:07GONE9").err().unwrap_or_default();
        assert!(why.contains("not in the corpus"), "{why}");
        let why = run(&e, "thread:99nowhere1").err().unwrap_or_default();
        assert!(why.contains("thread:99nowhere1: no cable"), "{why}");
    }

    #[test]
    fn thread_is_what_the_thread_view_draws() {
        let e = corpus();
        let graph = RefGraph::build(&e);
        let mut drawn: Vec<&str> = graph
            .thread_tree(1, &e)
            .cables()
            .map(|i| &*e[i as usize].id)
            .collect();
        drawn.push("08C3");
        drawn.sort_unstable();
        let mut matched = ok(&e, "thread:08B2");
        matched.sort_unstable();
        assert_eq!(matched, drawn);
    }

    #[test]
    fn counts_compare_as_other_counts_do() {
        let e = corpus();
        assert_eq!(ok(&e, "citers:>1"), ["08A1"]);
        assert_eq!(ok(&e, "citers:2"), ["08A1"]);
        assert_eq!(ok(&e, "citers:>=1"), ["08A1", "08C3", "08C3"]);
        assert_eq!(ok(&e, "citers:<1"), ["08B2", "08D4", "08E5"]);
        assert_eq!(ok(&e, "citers:<=0"), ["08B2", "08D4", "08E5"]);
        assert_eq!(ok(&e, "refs:0"), ["08A1"]);
        // Itself and a repeat do not count.
        assert_eq!(ok(&e, "refs:=1"), ["08B2", "08D4", "08E5"]);
        assert_eq!(ok(&e, "refs:>1"), ["08C3", "08C3"]);
    }

    #[test]
    fn graph_terms_combine_with_the_rest_of_the_language() {
        let e = corpus();
        assert_eq!(ok(&e, "!cites:08A1"), ["08A1", "08D4", "08E5"]);
        assert_eq!(
            ok(&e, "cites:08A1 | cites:08C3"),
            ["08B2", "08C3", "08D4", "08C3"]
        );
        assert_eq!(ok(&e, "cites:07GONE9 id:08E"), ["08E5"]);
        assert_eq!(ok(&e, "cites:08A1 !'C3"), ["08B2"]);
        assert_eq!(ok(&e, "cites:07GONE9 citers:0"), ["08E5"]);
    }

    #[test]
    fn unresolved_terms_wait_and_filter_nothing() {
        let e = corpus();
        let (q, _) = parse("cites:08A1 id:08B");
        assert!(q.uses_graph() && q.waits_for_graph());
        let all: Vec<u32> = (0..e.len() as u32).collect();
        let r = filter(&e, &all, &q, &|| false).unwrap_or_default();
        assert_eq!(r.indices, [1]);
    }
}
