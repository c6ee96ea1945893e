//! `cabletriage refs [--id ID]... [--depth N] [--format json|dot] PATH...`: the reference
//! graph of a corpus, for scripts (JSON lines) and for pictures (Graphviz).
//!
//! It reads the corpus as the app does (through the same index cache, on every core) and
//! builds the same [`RefGraph`]. Without `--id`, JSON lists every cable; with ids, those
//! cables and, with `--depth N` (1 by default), every cable within N citation steps of them,
//! either way. A picture (`dot`) of an id is its conversation as the thread view draws it
//! ([`RefGraph::thread_tree`]), or with `--depth` its neighbourhood; without `--id` it is the
//! whole graph's linked cables, refused over [`DOT_WHOLE_MAX`] cables, where it could not be
//! read. Exit codes: 0, or 2 for an unknown id or a corpus that cannot be read.
//!
//! Nothing of a cable reaches the output raw: JSON escapes control characters (and
//! [`json_safe`] the bidirectional ones), and a dot label keeps no control or bidirectional
//! character and escapes quotes and backslashes.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cable::Precedence;
use crate::cli::search::{json_safe, read_corpus};
use crate::corpus::graph::{Node, RefGraph};
use crate::corpus::query::graph::find_node;
use crate::corpus::{Corpus, Entry};
use crate::sanitize::{is_unsafe, safe};

/// Cables a picture of the whole corpus may hold: beyond, Graphviz takes minutes and the
/// picture is a blot.
pub const DOT_WHOLE_MAX: usize = 2_000;

/// Characters of the subject in a dot label.
const LABEL_SUBJECT: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RefsFormat {
    /// One JSON object per line: id, cites, cited_by, missing.
    Json,
    /// A Graphviz graph (render with `dot -Tsvg`).
    Dot,
}

/// `cabletriage refs`
#[derive(Args, Debug, Clone)]
pub struct RefsArgs {
    /// A cable to start from (repeatable); without any, every cable of the corpus.
    #[arg(long = "id", value_name = "ID")]
    pub ids: Vec<String>,
    /// With --id: also the cables within N citation steps, citing or cited (default: 1 for
    /// json; for dot, the conversation as the thread view draws it).
    #[arg(long, value_name = "N", requires = "ids")]
    pub depth: Option<u32>,
    /// What is printed.
    #[arg(long, value_enum, default_value_t = RefsFormat::Json)]
    pub format: RefsFormat,
    /// Corpus files or folders.
    #[arg(required = true, value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,
}

/// The JSON line of one cable.
#[derive(Serialize)]
struct RefsLine<'a> {
    id: &'a str,
    /// Its distinct references in REF order, itself excluded.
    cites: Vec<&'a str>,
    /// The cables citing it, in corpus order.
    cited_by: Vec<&'a str>,
    /// Those of `cites` not in the corpus.
    missing: Vec<&'a str>,
}

pub fn main(args: &RefsArgs) -> i32 {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let code = run(args, &mut out, &mut err);
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            say(&mut err, format!("cannot write output: {e}"));
            2
        }
        _ => code,
    }
}

fn say(err: &mut dyn Write, message: impl std::fmt::Display) {
    let _ = writeln!(err, "cabletriage: refs: {}", safe(&message.to_string()));
}

pub fn run(args: &RefsArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let corpus = read_corpus(&args.paths, err);
    if corpus.is_empty() {
        say(err, "no cable found in the paths given");
        return 2;
    }
    let graph = RefGraph::build(&corpus.entries);
    let mut focus = Vec::new();
    for id in &args.ids {
        match find_node(&graph, &corpus.entries, id) {
            Some(node) => focus.push(node),
            None => {
                say(
                    err,
                    format!("{id}: no cable with this id in the corpus, and none cites it"),
                );
                return 2;
            }
        }
    }
    let written = match args.format {
        RefsFormat::Json => {
            let nodes = if focus.is_empty() {
                first_copies(&graph)
            } else {
                within(&graph, &focus, args.depth.unwrap_or(1))
            };
            write_json(&graph, &corpus, &nodes, out)
        }
        RefsFormat::Dot => {
            let nodes = if !focus.is_empty() {
                match args.depth {
                    Some(depth) => within(&graph, &focus, depth),
                    None => conversations(&graph, &corpus, &focus),
                }
            } else if corpus.len() <= DOT_WHOLE_MAX {
                linked(&graph)
            } else {
                say(
                    err,
                    format!(
                        "the corpus has {} cables: a picture of them all cannot be read (at \
                         most {DOT_WHOLE_MAX}); give --id ID, and --depth N for more than its \
                         conversation",
                        corpus.len()
                    ),
                );
                return 2;
            };
            write_dot(&graph, &corpus, &nodes, &focus, out)
        }
    };
    match written {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            say(err, format!("cannot write output: {e}"));
            2
        }
    }
}

/// Every cable once (the first copy of a cable read twice), in corpus order.
fn first_copies(graph: &RefGraph) -> Vec<Node> {
    (0..graph.entries() as u32)
        .filter(|&e| graph.node_of(e) == Some(e))
        .collect()
}

/// The nodes within `depth` citation steps of `focus`, either way: cables in corpus order,
/// then missing cables in the order they were first cited.
fn within(graph: &RefGraph, focus: &[Node], depth: u32) -> Vec<Node> {
    let mut level = vec![u32::MAX; graph.nodes()];
    let mut queue = VecDeque::new();
    for &node in focus {
        if let Some(l) = level.get_mut(node as usize) {
            *l = 0;
            queue.push_back(node);
        }
    }
    while let Some(node) = queue.pop_front() {
        let next = level[node as usize] + 1;
        if next > depth {
            continue;
        }
        for &other in graph.cites_of_node(node).iter().chain(graph.citers(node)) {
            if let Some(l) = level.get_mut(other as usize)
                && *l == u32::MAX
            {
                *l = next;
                queue.push_back(other);
            }
        }
    }
    (0..graph.nodes() as u32)
        .filter(|&n| level[n as usize] != u32::MAX)
        .collect()
}

/// The cables of each focus's conversation as the thread view draws it; a missing cable's
/// is itself and its citers.
fn conversations(graph: &RefGraph, corpus: &Corpus, focus: &[Node]) -> Vec<Node> {
    let mut wanted = vec![false; graph.nodes()];
    for &node in focus {
        match graph.entry_of(node) {
            Some(entry) => {
                let tree = graph.thread_tree(entry, &corpus.entries);
                for line in &tree.lines {
                    let node = match &line.item {
                        crate::corpus::graph::TreeItem::Cable(e) => graph.node_of(*e),
                        crate::corpus::graph::TreeItem::Missing(id) => {
                            graph.node_of_id(id, &corpus.entries)
                        }
                        crate::corpus::graph::TreeItem::More(_) => None,
                    };
                    if let Some(n) = node {
                        wanted[n as usize] = true;
                    }
                }
            }
            None => {
                for n in within(graph, &[node], 1) {
                    wanted[n as usize] = true;
                }
            }
        }
        wanted[node as usize] = true;
    }
    (0..graph.nodes() as u32)
        .filter(|&n| wanted[n as usize])
        .collect()
}

/// Every node with a link, for the picture of a small corpus.
fn linked(graph: &RefGraph) -> Vec<Node> {
    (0..graph.nodes() as u32)
        .filter(|&n| {
            graph.node_of(n).is_none_or(|c| c == n)
                && (!graph.cites_of_node(n).is_empty() || !graph.citers(n).is_empty())
        })
        .collect()
}

/// The id of a node, a cable's or a missing one's.
fn node_id<'a>(graph: &'a RefGraph, corpus: &'a Corpus, node: Node) -> &'a str {
    match graph.entry_of(node) {
        Some(e) => corpus.get(e).map_or("", |e| &e.id),
        None => graph.missing_id(node).unwrap_or(""),
    }
}

fn write_json(
    graph: &RefGraph,
    corpus: &Corpus,
    nodes: &[Node],
    out: &mut dyn Write,
) -> io::Result<()> {
    for &node in nodes {
        let cites = graph.cites_of_node(node);
        let line = RefsLine {
            id: node_id(graph, corpus, node),
            cites: cites.iter().map(|&n| node_id(graph, corpus, n)).collect(),
            cited_by: graph
                .citers(node)
                .iter()
                .map(|&n| node_id(graph, corpus, n))
                .collect(),
            missing: cites
                .iter()
                .filter(|&&n| graph.entry_of(n).is_none())
                .map(|&n| node_id(graph, corpus, n))
                .collect(),
        };
        let json = serde_json::to_string(&line).map_err(io::Error::other)?;
        writeln!(out, "{}", json_safe(&json))?;
    }
    Ok(())
}

fn write_dot(
    graph: &RefGraph,
    corpus: &Corpus,
    nodes: &[Node],
    focus: &[Node],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut shown = vec![false; graph.nodes()];
    for &n in nodes {
        shown[n as usize] = true;
    }
    let mut dot = String::new();
    dot.push_str("digraph refs {\n");
    dot.push_str("  rankdir=RL;\n");
    dot.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n",
    );
    dot.push_str("  edge [color=\"#555555\", arrowsize=0.7];\n");
    for &node in nodes {
        let id = dot_text(node_id(graph, corpus, node));
        let bold = if focus.contains(&node) {
            ", penwidth=3, fontname=\"Helvetica-Bold\""
        } else {
            ""
        };
        let _ = match graph.entry_of(node).and_then(|e| corpus.get(e)) {
            Some(entry) => writeln!(
                dot,
                "  \"{id}\" [label=\"{}\", fillcolor=\"{}\"{bold}];",
                cable_label(entry),
                fill(entry.precedence),
            ),
            None => writeln!(
                dot,
                "  \"{id}\" [label=\"{id}\\nnot in this corpus\", style=\"rounded,dashed\", \
                 fillcolor=\"white\"{bold}];"
            ),
        };
    }
    for &node in nodes {
        let from = dot_text(node_id(graph, corpus, node));
        for &cited in graph.cites_of_node(node) {
            if shown[cited as usize] {
                let to = dot_text(node_id(graph, corpus, cited));
                let _ = writeln!(dot, "  \"{from}\" -> \"{to}\";");
            }
        }
    }
    dot.push_str("}\n");
    out.write_all(dot.as_bytes())
}

/// A cable's label: id, date, and the start of its subject, one line each.
fn cable_label(entry: &Entry) -> String {
    let date = entry.datetime().map_or_else(
        || "undated".to_string(),
        |d| d.format("%Y-%m-%d").to_string(),
    );
    let mut subject: String = entry.subject.chars().take(LABEL_SUBJECT).collect();
    if entry.subject.chars().count() > LABEL_SUBJECT {
        subject.push('…');
    }
    format!(
        "{}\\n{date}\\n{}",
        dot_text(&entry.id),
        dot_text(subject.trim())
    )
}

/// Text for a quoted dot string: no control or bidirectional character (a newline in a
/// subject is a space), quotes and backslashes escaped.
fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() || is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Fill colour by urgency: FLASH red … ROUTINE grey.
fn fill(precedence: Precedence) -> &'static str {
    match precedence {
        Precedence::Flash => "#f4a6a6",
        Precedence::NiactImmediate => "#f7c08a",
        Precedence::Immediate => "#f9e08b",
        Precedence::Priority => "#b9d7f0",
        Precedence::Routine => "#dddddd",
        Precedence::Unknown => "#ffffff",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_text_keeps_no_control_and_escapes_quotes() {
        assert_eq!(dot_text("A \"B\" \\n C"), "A \\\"B\\\" \\\\n C");
        assert_eq!(dot_text("x\u{1b}[2Jy\u{202e}z\tw\nv"), "x[2Jyz w v");
    }

    #[test]
    fn within_walks_both_ways() {
        let mut a = Entry::blank("A");
        a.references = Box::new([]);
        let mut b = Entry::blank("B");
        b.references = vec!["A".into(), "GONE".into()].into();
        let mut c = Entry::blank("C");
        c.references = vec!["B".into()].into();
        let d = Entry::blank("D");
        let entries = vec![a, b, c, d];
        let graph = RefGraph::build(&entries);
        assert_eq!(within(&graph, &[0], 0), [0]);
        assert_eq!(within(&graph, &[0], 1), [0, 1]);
        // B's neighbours: A, C and the missing GONE (node 4).
        assert_eq!(within(&graph, &[1], 1), [0, 1, 2, 4]);
        assert_eq!(within(&graph, &[0], 2), [0, 1, 2, 4]);
    }
}
