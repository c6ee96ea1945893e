//! The README's picture of a thread (`screenshots/thread-graph.png`): `cabletriage refs
//! --format dot` of one cable of the demo corpus, on standard output, to render with
//! Graphviz:
//!
//! ```sh
//! cargo run --release --example thread_graph > /tmp/thread.dot
//! dot -Tsvg /tmp/thread.dot > /tmp/thread.svg
//! rsvg-convert -b white /tmp/thread.svg -o screenshots/thread-graph.png
//! ```
//!
//! The cable is chosen by a rule, so the picture can be made again when the demo changes:
//! the cable with the most citers within two steps (those citing it, and those citing one
//! of them), the first in corpus order on a tie. Its id goes to standard error.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{Context, Result};

use cabletriage::cli::refs::{self, RefsArgs, RefsFormat};
use cabletriage::corpus::demo::demo_corpus;
use cabletriage::corpus::graph::RefGraph;
use cabletriage::corpus::load::{LoadEvent, load};

fn main() -> Result<()> {
    let path = demo_corpus().context("write the demo corpus")?;
    let mut entries = Vec::new();
    load(
        std::slice::from_ref(&path),
        &std::sync::atomic::AtomicBool::new(false),
        &mut |e| {
            if let LoadEvent::Batch { entries: batch, .. } = e {
                entries.extend(batch);
            }
        },
    );
    let graph = RefGraph::build(&entries);
    let within_two = |entry: u32| {
        let mut citers: BTreeSet<u32> = graph.cited_by(entry).iter().copied().collect();
        for &c in graph.cited_by(entry) {
            citers.extend(graph.cited_by(c));
        }
        citers.remove(&entry);
        citers.len()
    };
    let chosen = (0..entries.len() as u32)
        .max_by_key(|&e| (within_two(e), std::cmp::Reverse(e)))
        .and_then(|e| entries.get(e as usize))
        .context("the demo corpus is empty")?;
    eprintln!("{}", chosen.id);
    let args = RefsArgs {
        ids: vec![chosen.id.to_string()],
        depth: None,
        format: RefsFormat::Dot,
        paths: vec![path],
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = refs::run(&args, &mut out, &mut std::io::stderr());
    out.flush()?;
    std::process::exit(code);
}
