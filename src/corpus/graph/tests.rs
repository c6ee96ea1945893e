use std::collections::{BTreeMap, BTreeSet};

use super::tree::{MAX_CHILDREN, MAX_DOWN, MAX_UP};
use super::*;
use crate::corpus::Entry;

/// An entry with an id, a day (for its date) and references.
fn cable(id: &str, day: i64, refs: &[&str]) -> Entry {
    let mut e = Entry::blank(id);
    e.date = Some(day * 86_400);
    e.references = refs.iter().map(|r| (*r).into()).collect();
    e
}

fn ids<'a>(entries: &'a [Entry], list: &[u32]) -> Vec<&'a str> {
    list.iter().map(|&e| &*entries[e as usize].id).collect()
}

/// Every cable's citers found the slow way: each reference of each cable, itself excluded.
fn naive_cited_by(entries: &[Entry]) -> BTreeMap<String, BTreeSet<String>> {
    let mut cited_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in entries {
        for r in e.references.iter() {
            if **r != *e.id {
                cited_by
                    .entry(r.to_string())
                    .or_default()
                    .insert(e.id.to_string());
            }
        }
    }
    cited_by
}

/// The graph's citers of every cited id, as ids.
pub(crate) fn graph_cited_by(
    graph: &RefGraph,
    entries: &[Entry],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for node in 0..graph.nodes() as u32 {
        let citers = graph.citers(node);
        if citers.is_empty() {
            continue;
        }
        let id = match graph.entry_of(node) {
            Some(e) => entries[e as usize].id.to_string(),
            None => graph.missing_id(node).unwrap_or("?").to_string(),
        };
        out.entry(id)
            .or_default()
            .extend(citers.iter().map(|&c| entries[c as usize].id.to_string()));
    }
    out
}

#[test]
fn edges_go_both_ways_and_missing_cables_are_nodes() {
    let entries = vec![
        cable("A", 1, &[]),
        cable("B", 2, &["A", "X"]),
        cable("C", 3, &["B", "A", "X"]),
    ];
    let g = RefGraph::build(&entries[..]);
    assert_eq!(ids(&entries, g.cited_by(0)), ["B", "C"]);
    assert_eq!(ids(&entries, g.cited_by(1)), ["C"]);
    assert!(g.cited_by(2).is_empty());
    assert_eq!(g.missing_count(), 1);
    let x = g.cites(1)[1];
    assert_eq!(g.entry_of(x), None);
    assert_eq!(g.missing_id(x), Some("X"));
    assert_eq!(ids(&entries, g.citers(x)), ["B", "C"]);
    assert_eq!(g.node_of_id("X", &entries[..]), Some(x));
    assert_eq!(g.node_of_id("B", &entries[..]), Some(1));
    assert_eq!(g.stats.links, 5);
}

#[test]
fn self_citations_and_repeats_give_no_extra_edges() {
    let entries = vec![cable("A", 1, &[]), cable("B", 2, &["B", "A", "A"])];
    let g = RefGraph::build(&entries[..]);
    assert_eq!(g.cites(1), &[0]);
    assert_eq!(ids(&entries, g.cited_by(0)), ["B"]);
    assert!(g.cited_by(1).is_empty());
    assert_eq!(g.stats.self_citations, 1);
    assert_eq!(g.stats.repeated, 1);
    assert_eq!(g.stats.links, 1);
}

#[test]
fn a_second_copy_of_a_cable_shares_its_citers_and_cites_once() {
    let entries = vec![
        cable("A", 1, &[]),
        cable("B", 2, &["A"]),
        cable("B", 2, &["A"]),
        cable("C", 3, &["B"]),
    ];
    let g = RefGraph::build(&entries[..]);
    assert_eq!(g.node_of(2), Some(1));
    assert_eq!(ids(&entries, g.cited_by(2)), ["C"]);
    // Grouped, the copy is in its first copy's thread, under what it cites, not under it.
    assert_eq!(g.threads.thread_of(2), g.threads.thread_of(1));
    assert_eq!(g.threads.depth(2), g.threads.depth(1));
    assert_eq!(ids(&entries, g.cited_by(0)), ["B"]);
}

#[test]
fn cited_by_agrees_with_a_naive_scan_of_generated_cables() {
    let mut generator = crate::synth::Generator::new(11);
    let entries: Vec<Entry> = (0..3_000)
        .map(|i| generator.next_cable().entry(i))
        .collect();
    let g = RefGraph::build(&entries[..]);
    let naive = naive_cited_by(&entries);
    assert!(naive.len() > 100, "the generator cites: {}", naive.len());
    assert_eq!(graph_cited_by(&g, &entries), naive);
}

#[test]
fn threads_hang_each_cable_under_the_latest_earlier_one_it_cites() {
    let entries = vec![
        cable("A", 1, &[]),
        cable("LONE", 2, &[]),
        cable("B", 3, &["A"]),
        cable("C", 4, &["A", "B"]),
        cable("D", 5, &["A"]),
    ];
    let g = RefGraph::build(&entries[..]);
    let t = &g.threads;
    assert_eq!(t.count(), 2);
    let thread = t.thread_of(0).unwrap();
    assert_eq!(ids(&entries, t.members(thread)), ["A", "B", "C", "D"]);
    let depths: Vec<u16> = t.members(thread).iter().map(|&e| t.depth(e)).collect();
    assert_eq!(depths, [0, 1, 2, 1]);
    assert_eq!(t.latest(thread), Some(4));
}

#[test]
fn a_cycle_of_citations_still_makes_a_tree() {
    // A and B cite each other; C cites itself and B.
    let entries = vec![
        cable("A", 1, &["B"]),
        cable("B", 2, &["A"]),
        cable("C", 3, &["C", "B"]),
    ];
    let g = RefGraph::build(&entries[..]);
    let t = &g.threads;
    assert_eq!(t.count(), 1);
    assert_eq!(ids(&entries, t.members(0)), ["A", "B", "C"]);
    let tree = g.thread_tree(2, &entries[..]);
    assert_eq!(tree.cables().count(), 3);
    let tree = g.thread_tree(0, &entries[..]);
    assert_eq!(tree.cables().count(), 3);
}

#[test]
fn cables_citing_one_missing_cable_share_a_thread() {
    let entries = [cable("A", 1, &["GONE"]), cable("B", 2, &["GONE"])];
    let g = RefGraph::build(&entries[..]);
    assert_eq!(g.threads.count(), 1);
    // B does not cite A: both start the thread's first level, B not drawn as A's reply.
    assert_eq!((g.threads.depth(0), g.threads.depth(1)), (0, 0));
    assert_eq!(g.threads.members(0), &[0, 1]);
    let tree = g.thread_tree(1, &entries[..]);
    assert_eq!(tree.lines[0].item, TreeItem::Missing("GONE".into()));
    assert_eq!(tree.lines.len(), 3);
    assert_eq!(tree.lines[tree.focus].item, TreeItem::Cable(1));
}

#[test]
fn grouping_shows_whole_threads_with_context_and_folds() {
    let entries = vec![
        cable("A", 1, &[]),
        cable("LONE", 9, &[]),
        cable("B", 3, &["A"]),
        cable("C", 4, &["B"]),
    ];
    let g = RefGraph::build(&entries[..]);
    // Table order: newest first.
    let rank = |e: u32| [3, 0, 2, 1][e as usize];
    let rows = g.threads.group(&[3], &rank, &|_| false, false);
    let shown: Vec<(&str, u16, bool)> = rows
        .iter()
        .map(|r| (&*entries[r.entry as usize].id, r.depth, r.matched))
        .collect();
    assert_eq!(shown, [("A", 0, false), ("B", 1, false), ("C", 2, true)]);
    assert_eq!(rows[0].thread_rows, 3);

    let all = g.threads.group(&[0, 1, 2, 3], &rank, &|_| false, false);
    assert_eq!(
        ids(&entries, &all.iter().map(|r| r.entry).collect::<Vec<_>>()),
        ["LONE", "A", "B", "C"]
    );
    let folded = g.threads.group(
        &[0, 1, 2, 3],
        &rank,
        &|t| t == g.threads.thread_of(0).unwrap(),
        false,
    );
    assert_eq!(folded.len(), 2);
    // With a filter on, a fold keeps the thread's first row and its matches in view.
    let kept = g
        .threads
        .group(&[3], &rank, &|t| t == g.threads.thread_of(0).unwrap(), true);
    let kept: Vec<(&str, bool)> = kept
        .iter()
        .map(|r| (&*entries[r.entry as usize].id, r.matched))
        .collect();
    assert_eq!(kept, [("A", false), ("C", true)]);
    assert!(folded[1].folded);
    assert_eq!(folded[1].thread_rows, 3);
}

#[test]
fn entries_read_after_the_graph_stand_alone() {
    let entries = [cable("A", 1, &[])];
    let g = RefGraph::build(&entries[..]);
    let rows = g.threads.group(&[0, 5], &|e| e, &|_| false, false);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].entry, 5);
    assert_eq!(g.thread_tree(5, &entries[..]).lines.len(), 1);
    assert!(g.cited_by(5).is_empty());
}

#[test]
fn the_tree_shows_ancestors_siblings_and_descendants_with_the_focus_marked() {
    // A <- B <- F <- G <- H ; A <- S (a sibling of B's line); F also cites M (missing).
    let entries = [
        cable("A", 1, &[]),
        cable("B", 2, &["A"]),
        cable("S", 3, &["A"]),
        cable("F", 4, &["B", "M"]),
        cable("G", 5, &["F"]),
        cable("H", 6, &["G"]),
    ];
    let g = RefGraph::build(&entries[..]);
    let tree = g.thread_tree(3, &entries[..]);
    let shown: Vec<(String, usize)> = tree
        .lines
        .iter()
        .map(|l| {
            let name = match &l.item {
                TreeItem::Cable(e) => entries[*e as usize].id.to_string(),
                TreeItem::Missing(id) => format!("?{id}"),
                TreeItem::More(m) => format!("{m:?}"),
            };
            (name, l.depth)
        })
        .collect();
    let expected: Vec<(String, usize)> = [
        ("A", 0),
        ("B", 1),
        ("F", 2),
        ("G", 3),
        ("H", 4),
        ("S", 1),
        ("?M", 0),
    ]
    .iter()
    .map(|(n, d)| (n.to_string(), *d))
    .collect();
    // F hangs under the cable it cites rather than under the missing one, which still shows
    // as a root of its own; the sibling S comes after the focus's line.
    assert_eq!(shown, expected);
    assert_eq!(tree.focus, 2);
    assert_eq!(tree.lines[tree.focus].item, TreeItem::Cable(3));
    assert_eq!(tree.cables().count(), 6);
}

#[test]
fn the_caps_cut_with_counts() {
    // A hub with 30 citers, the focus one of them; a chain of 10 below the focus.
    let mut entries = vec![cable("HUB", 0, &[])];
    for i in 0..30 {
        entries.push(cable(&format!("S{i}"), 1 + i, &["HUB"]));
    }
    let focus = 5u32;
    let mut previous = entries[focus as usize].id.to_string();
    for i in 0..10 {
        let id = format!("D{i}");
        entries.push(cable(&id, 100 + i, &[&previous]));
        previous = id;
    }
    let g = RefGraph::build(&entries[..]);
    let tree = g.thread_tree(focus, &entries[..]);
    let citers_cut: Vec<usize> = tree
        .lines
        .iter()
        .filter_map(|l| match l.item {
            TreeItem::More(More::Citers(n)) => Some(n),
            _ => None,
        })
        .collect();
    // The hub shows MAX_CHILDREN siblings beside the focus; the chain stops MAX_DOWN below.
    assert_eq!(citers_cut, [1, 29 - MAX_CHILDREN]);
    let deepest = tree
        .lines
        .iter()
        .filter(|l| matches!(l.item, TreeItem::Cable(_)))
        .map(|l| l.depth)
        .max();
    assert_eq!(deepest, Some(1 + MAX_DOWN));
    assert_eq!(tree.lines[tree.focus].item, TreeItem::Cable(focus));
}

#[test]
fn ancestors_beyond_the_cap_are_counted() {
    let mut entries = vec![cable("C0", 0, &[])];
    for i in 1..=MAX_UP + 3 {
        entries.push(cable(&format!("C{i}"), i as i64, &[&format!("C{}", i - 1)]));
    }
    let g = RefGraph::build(&entries[..]);
    let last = entries.len() as u32 - 1;
    let tree = g.thread_tree(last, &entries[..]);
    assert_eq!(tree.lines[0].item, TreeItem::More(More::Earlier(1)));
    assert_eq!(tree.cables().count(), MAX_UP + 1);
}

#[test]
fn rails_continue_where_siblings_follow() {
    let entries = [
        cable("A", 1, &[]),
        cable("B", 2, &["A"]),
        cable("C", 3, &["B"]),
        cable("D", 4, &["A"]),
    ];
    let g = RefGraph::build(&entries[..]);
    let tree = g.thread_tree(0, &entries[..]);
    let lines: Vec<(usize, bool, Vec<bool>)> = tree
        .lines
        .iter()
        .map(|l| (l.depth, l.last, l.rails.clone()))
        .collect();
    assert_eq!(
        lines,
        [
            (0, true, vec![]),
            (1, false, vec![false]),
            (2, true, vec![false, true]),
            (1, true, vec![false]),
        ]
    );
}

/// Past the 400-cable cap every cut is said where it happens: for every cable drawn and
/// expanded, its drawn citers plus its `… N more citers` line make all its citers.
#[test]
fn the_line_cap_marks_each_cut_where_it_happens() {
    // A root, 12 citers, 12 citers each, 12 citers each again: 1,885 cables.
    let mut entries = vec![cable("R", 0, &[])];
    let mut level = vec!["R".to_string()];
    for depth in 1..=3 {
        let mut next = Vec::new();
        for parent in &level {
            for i in 0..12 {
                let id = format!("{parent}-{i}");
                entries.push(cable(&id, depth, &[parent.as_str()]));
                next.push(id);
            }
        }
        level = next;
    }
    let g = RefGraph::build(&entries[..]);
    let tree = g.thread_tree(0, &entries[..]);
    assert!(tree.capped);
    assert!(tree.cables().count() >= super::tree::MAX_LINES);
    for (i, line) in tree.lines.iter().enumerate() {
        let TreeItem::Cable(e) = line.item else {
            continue;
        };
        let children = tree.lines[i + 1..]
            .iter()
            .take_while(|l| l.depth > line.depth)
            .filter(|l| l.depth == line.depth + 1);
        let (mut drawn, mut said) = (0, 0);
        for child in children {
            match child.item {
                TreeItem::Cable(_) => drawn += 1,
                TreeItem::More(More::Citers(n)) => said += n,
                _ => {}
            }
        }
        assert_eq!(
            drawn + said,
            g.cited_by(e).len(),
            "{} draws {drawn} and says {said} more",
            entries[e as usize].id
        );
    }
}
