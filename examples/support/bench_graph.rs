//! The reference graph's figures (issue 12), on entries generated in memory (no file to read):
//! building the graph, its memory, grouping every row of the table by thread through the
//! app, as the `toggle-threads` key does, and opening the thread view of cables of the largest
//! cluster, as the `thread` key does.

use std::time::{Duration, Instant};

use cabletriage::app::text_search::TextStorage;
use cabletriage::app::{Action, App, Indexes, Msg};
use cabletriage::corpus::graph::RefGraph;
use cabletriage::corpus::load::{LoadEvent, Progress};
use cabletriage::synth::{Generator, SynthCable};

/// One figure: what, measured, target, and the ratio of measured to target.
pub struct Figure {
    pub figure: String,
    pub measured: String,
    pub target: String,
    pub ratio: String,
}

const GRAPH_BUILD: Duration = Duration::from_millis(500);
const TOGGLE: Duration = Duration::from_millis(100);
const MEMORY_MB: f64 = 40.0;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn ratio(measured: Duration, target: Duration) -> String {
    format!(
        "{:.2} x target",
        measured.as_secs_f64() / target.as_secs_f64()
    )
}

/// The best of `runs` timings of `f`: the least disturbed by the other work of the machine.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

pub fn figures(count: u64, seed: u64) -> Vec<Figure> {
    let mut generator = Generator::new(seed);
    let mut cable = SynthCable::default();
    let entries: Vec<_> = (1..=count)
        .map(|row| {
            generator.next_into(&mut cable);
            cable.entry(row)
        })
        .collect();

    let (build, graph) = best(3, || RefGraph::build(&entries));
    let mb = graph.heap_bytes() as f64 / 1e6;
    let mut out = vec![
        Figure {
            figure: format!(
                "reference graph: build ({} links, {} missing cables, {} threads)",
                graph.stats.links,
                graph.missing_count(),
                graph.threads.count()
            ),
            measured: ms(build),
            target: ms(GRAPH_BUILD),
            ratio: ratio(build, GRAPH_BUILD),
        },
        Figure {
            figure: "reference graph: heap memory".into(),
            measured: format!("{mb:.1} MB"),
            target: format!("{MEMORY_MB:.0} MB"),
            ratio: format!("{:.2} x target", mb / MEMORY_MB),
        },
    ];

    // The grouping function alone, on every row in corpus order.
    let rows: Vec<u32> = (0..entries.len() as u32).collect();
    let (group, grouped) = best(5, || graph.threads.group(&rows, &|e| e, &|_| false, false));
    out.push(Figure {
        figure: format!("Threads::group of all {} rows", grouped.len()),
        measured: ms(group),
        target: String::new(),
        ratio: String::new(),
    });

    // Through the app: the table holds every row, the indexes are in, the key is pressed.
    let mut app = App::new(cabletriage::keymap::Keymap::shipped_default().help_bindings());
    app.text.storage = TextStorage::Off;
    app.update(Msg::Resize {
        width: 200,
        height: 60,
    });
    app.update(Msg::Loaded(LoadEvent::Batch {
        files: Vec::new(),
        entries,
        progress: Progress::default(),
    }));
    // The effects (indexes to build) are carried out here, timed apart.
    let _ = app.update(Msg::Loaded(LoadEvent::Done {
        progress: Progress::default(),
        elapsed: Duration::ZERO,
        save_as: None,
    }));
    let indexes = Indexes::build(&app.corpus.entries);
    app.update(Msg::Indexed(indexes));
    app.update(Msg::Action(Action::Down));
    let mut on = Duration::MAX;
    let mut off = Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        app.update(Msg::Action(Action::ToggleThreads));
        on = on.min(t.elapsed());
        assert!(app.table.grouping.applied(), "grouped");
        let t = Instant::now();
        app.update(Msg::Action(Action::ToggleThreads));
        off = off.min(t.elapsed());
    }
    out.push(Figure {
        figure: format!(
            "toggle-threads on {} rows through App::update (grouping on)",
            app.table.shown.len()
        ),
        measured: ms(on),
        target: ms(TOGGLE),
        ratio: ratio(on, TOGGLE),
    });
    out.push(Figure {
        figure: "toggle-threads, grouping off again".into(),
        measured: ms(off),
        target: ms(TOGGLE),
        ratio: ratio(off, TOGGLE),
    });
    app.update(Msg::Action(Action::ToggleThreads));
    let (fold, _) = best(5, || {
        app.update(Msg::Action(Action::FoldAllThreads));
        app.update(Msg::Action(Action::UnfoldAllThreads))
    });
    out.push(Figure {
        figure: "fold-all-threads then unfold-all-threads".into(),
        measured: ms(fold),
        target: String::new(),
        ratio: String::new(),
    });
    app.update(Msg::Action(Action::ToggleThreads));
    out.extend(thread_view(&mut app, &graph));
    out
}

const THREAD_VIEW: Duration = Duration::from_millis(20);

/// Opening the thread view (the `thread` key, through the app) of the largest cluster's hub
/// (its most cited cable) and of 200 cables spread over the cluster, which must hold 10,000
/// cables or more for the figure to mean what the target asks.
fn thread_view(app: &mut App, graph: &RefGraph) -> Vec<Figure> {
    let threads = &graph.threads;
    let Some((largest, size)) = (0..threads.count() as u32)
        .map(|t| (t, threads.members(t).len()))
        .max_by_key(|&(_, n)| n)
    else {
        return Vec::new();
    };
    let members = threads.members(largest);
    let Some(hub) = members
        .iter()
        .copied()
        .max_by_key(|&e| graph.cited_by(e).len())
    else {
        return Vec::new();
    };
    let mut open = |cable: u32| -> Option<(Duration, usize)> {
        let position = app.table.shown.iter().position(|&i| i == cable)?;
        let rows = app.table_rows();
        app.table.set_cursor(position, rows);
        let t = Instant::now();
        app.update(Msg::Action(Action::Thread));
        let took = t.elapsed();
        let lines = app.thread.as_ref().map_or(0, |v| v.tree.lines.len());
        app.update(Msg::Action(Action::Back));
        Some((took, lines))
    };
    let (hub_time, hub_lines) = open(hub).unwrap_or_default();
    let spread: Vec<(Duration, usize)> = members
        .iter()
        .step_by((members.len() / 200).max(1))
        .take(200)
        .filter_map(|&cable| open(cable))
        .collect();
    if spread.is_empty() {
        return Vec::new();
    }
    let mut times: Vec<Duration> = spread.iter().map(|&(t, _)| t).collect();
    times.sort_unstable();
    let lines = spread.iter().map(|&(_, l)| l).sum::<usize>() / spread.len();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let big = if size >= 10_000 {
        ""
    } else {
        " (under 10,000: not the figure asked for)"
    };
    let mut out = vec![Figure {
        figure: format!(
            "thread view open, the cluster's hub {} (cited by {}, {hub_lines} lines)",
            app.corpus.get(hub).map_or("", |e| &e.id),
            graph.cited_by(hub).len()
        ),
        measured: ms(hub_time),
        target: ms(THREAD_VIEW),
        ratio: ratio(hub_time, THREAD_VIEW),
    }];
    out.extend(["p50", "p95", "max"].iter().zip([pct(0.5), pct(0.95), pct(1.0)]).map(
        |(which, took)| Figure {
            figure: format!(
                "thread view open, {which}, {} cables of the {size}-cable cluster{big} ({lines} lines on average)",
                times.len()
            ),
            measured: ms(took),
            target: ms(THREAD_VIEW),
            ratio: ratio(took, THREAD_VIEW),
        },
    ));
    out
}
