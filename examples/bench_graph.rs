//! The reference graph at scale: building it, the memory it adds, opening the thread view of
//! a cable in a large cluster, and grouping every row by thread, over generated cables with
//! the generator's threads, hubs and missing citations.
//!
//! `cargo run --release --example bench_graph [-- --count 250000]`
//!
//! Targets (issue 12): build ≤ 0.5 s, thread view of a cable in a cluster of 10,000 or more
//! ≤ 20 ms, grouping all rows ≤ 100 ms, memory ≤ 40 MB. Each figure is printed with its ratio
//! to the target, from this one run (absolute times on a shared machine are noisy).

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use cabletriage::app::{Action, App, Msg};
use cabletriage::corpus::Entry;
use cabletriage::corpus::graph::RefGraph;
use cabletriage::corpus::load::{LoadEvent, Progress};
use cabletriage::keymap::Keymap;
use cabletriage::synth::Generator;

fn main() -> Result<()> {
    let mut count = 250_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--count" => count = args.next().and_then(|n| n.parse().ok()).unwrap_or(count),
            other => bail!("unknown argument {other:?}: use --count N"),
        }
    }
    let mut generator = Generator::new(1966);
    let entries: Vec<Entry> = (0..count as u64)
        .map(|row| generator.next_cable().entry(row))
        .collect();

    // Building: the best of three (the first also warms the allocator).
    let mut builds = Vec::new();
    let mut graph = RefGraph::default();
    for _ in 0..3 {
        let t = Instant::now();
        graph = RefGraph::build(&entries[..]);
        builds.push(t.elapsed());
    }
    let build = builds.iter().copied().min().unwrap_or_default();
    let bytes = graph.heap_bytes();
    let threads = &graph.threads;
    let (largest, largest_size) = (0..threads.count() as u32)
        .map(|t| (t, threads.members(t).len()))
        .max_by_key(|&(_, n)| n)
        .unwrap_or((0, 0));
    println!(
        "{count} cables: {} links, {} missing cited ids, {} self-citations, {} threads, largest {largest_size}",
        graph.stats.links,
        graph.missing_count(),
        graph.stats.self_citations,
        threads.count()
    );
    report("building the graph", build, Duration::from_millis(500));
    println!(
        "{:<44} {:>8.1} MB   {:.2}x of 40 MB",
        "memory the graph adds",
        bytes as f64 / 1e6,
        bytes as f64 / 40e6
    );

    // Grouping every row by thread, in the table's order (here the corpus order).
    let all: Vec<u32> = (0..count as u32).collect();
    let t = Instant::now();
    let rows = threads.group(&all, &|e| e, &|_| false);
    let grouping = t.elapsed();
    assert_eq!(rows.len(), count);
    report(
        "grouping all rows by thread",
        grouping,
        Duration::from_millis(100),
    );

    // The thread view, through the app, of cables of the largest cluster.
    if largest_size < 10_000 {
        println!(
            "no cluster of 10,000 cables or more (largest {largest_size}): thread view not timed"
        );
        return Ok(());
    }
    let mut app = App::new(Keymap::shipped_default().help_bindings());
    app.update(Msg::Resize {
        width: 200,
        height: 60,
    });
    app.update_now(Msg::Loaded(LoadEvent::Batch {
        files: Vec::new(),
        entries,
        progress: Progress::default(),
    }));
    app.update_now(Msg::Loaded(LoadEvent::Done {
        progress: Progress::default(),
        elapsed: Duration::ZERO,
        save_as: None,
    }));
    let members = threads.members(largest);
    let step = (members.len() / 200).max(1);
    let mut times = Vec::new();
    let mut lines = 0;
    for &cable in members.iter().step_by(step).take(200) {
        let Some(position) = app.table.shown.iter().position(|&i| i == cable) else {
            continue;
        };
        let rows = app.table_rows();
        app.table.set_cursor(position, rows);
        let t = Instant::now();
        app.update(Msg::Action(Action::Thread));
        times.push(t.elapsed());
        lines += app.thread.as_ref().map_or(0, |v| v.tree.lines.len());
        app.update(Msg::Action(Action::Back));
    }
    times.sort_unstable();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "thread view of {} cables of the {largest_size}-cable cluster: {} lines on average",
        times.len(),
        lines / times.len().max(1)
    );
    report(
        "opening the thread view (p50)",
        pct(0.5),
        Duration::from_millis(20),
    );
    report(
        "opening the thread view (p95)",
        pct(0.95),
        Duration::from_millis(20),
    );
    report(
        "opening the thread view (max)",
        pct(1.0),
        Duration::from_millis(20),
    );
    Ok(())
}

fn report(what: &str, took: Duration, target: Duration) {
    println!(
        "{what:<44} {:>8.2} ms   {:.2}x of the {} ms target",
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() / target.as_secs_f64(),
        target.as_millis()
    );
}
