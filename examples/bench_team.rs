//! The team store's figures, PostgreSQL beside SQLite in the same run (issue 13's table):
//! - one-action commit, p50/p99 (a single-cable disposition, to its commit returning);
//! - change propagation: from one instance's commit returning to the change reaching another
//!   instance's app (its store thread's `StoreChanged`), p50/p95; PostgreSQL's notification
//!   against SQLite's once-a-second poll;
//! - `take-next` with 8 clients (`--clients`) pressing it at once, p50/p95, and that no cable was claimed
//!   twice;
//! - opening a store of N records as the app does (open, then the snapshot of every record);
//! - one bulk disposition of 50,000 cables.
//!
//! ```sh
//! cargo run --release --example bench_team -- --records 250000
//! ```
//! PostgreSQL is a throwaway server started here with fsync on, on a Unix socket; SQLite is a
//! file in the target folder (WAL, `synchronous=FULL`).

#[path = "../tests/support/pg_server.rs"]
mod pg_server;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use clap::Parser;

use cabletriage::app::Msg;
use cabletriage::store::{ActionRecord, Disposition, OpenOptions, TriageStore, open};
use cabletriage::tui::runtime::{StoreRequest, spawn_store};

#[derive(Parser)]
struct Args {
    /// Records in the store that is opened.
    #[arg(long, default_value_t = 250_000)]
    records: usize,
    /// Single-cable actions timed.
    #[arg(long, default_value_t = 2_000)]
    actions: usize,
    /// Commits whose propagation is timed.
    #[arg(long, default_value_t = 100)]
    propagations: usize,
    /// take-next presses per client.
    #[arg(long, default_value_t = 200)]
    takes: usize,
    /// Clients pressing take-next at once.
    #[arg(long, default_value_t = 8)]
    clients: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let server = pg_server::PgServer::start_durable().map_err(|e| anyhow!(e))?;
    let target = std::env::current_exe()?
        .ancestors()
        .nth(3)
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let sqlite = target.join(format!("bench_team-{}.sqlite", std::process::id()));
    let backends = [
        ("SQLite", sqlite.display().to_string()),
        (
            "PostgreSQL",
            server.url(&server.create_database("bench").map_err(|e| anyhow!(e))?),
        ),
    ];
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for (name, location) in &backends {
        println!("== {name}");
        let figures = run(location, &args).with_context(|| name.to_string())?;
        rows.push((name.to_string(), figures));
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", sqlite.display()));
    }
    println!();
    println!("| figure | SQLite | PostgreSQL | target |");
    println!("|---|---|---|---|");
    let names = [
        ("one-action commit, p50 / p99", "p99 ≤ 5 ms"),
        (
            "change propagation to another instance, p50 / p95",
            "p95 ≤ 300 ms",
        ),
        ("take-next, 8 clients at once, p50 / p95", "p95 ≤ 20 ms"),
        (
            "opening a store of the records (open + every record)",
            "≤ 1 s",
        ),
        ("a bulk action on 50,000 cables", "≤ 2 s"),
    ];
    for (i, (figure, goal)) in names.iter().enumerate() {
        println!(
            "| {figure} | {} | {} | {goal} |",
            rows[0].1.get(i).map_or("", String::as_str),
            rows[1].1.get(i).map_or("", String::as_str)
        );
    }
    Ok(())
}

fn store_at(location: &str) -> Result<Box<dyn TriageStore>> {
    Ok(open(
        std::path::Path::new(location),
        &OpenOptions::default(),
    )?)
}

fn run(location: &str, args: &Args) -> Result<Vec<String>> {
    let mut figures = Vec::new();
    let mut store = store_at(location)?;

    // One-action commits.
    let mut times = Vec::with_capacity(args.actions);
    for i in 0..args.actions {
        let id = format!("08MOSCOW{i}");
        let action =
            ActionRecord::dispose_all("bench", [id.as_str()], Disposition::ALL[1 + i % 4], None);
        let started = Instant::now();
        store.apply(&action)?;
        times.push(started.elapsed());
    }
    figures.push(pair(&mut times, 0.50, 0.99));
    println!("one-action commit: {}", figures[0]);

    // Propagation to another instance's store thread (the app's side of it).
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (requests, thread) = spawn_store(store_at(location)?, tx);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let mut next = || -> Result<Msg> {
        rt.block_on(async { tokio::time::timeout(Duration::from_secs(10), rx.recv()).await })?
            .ok_or_else(|| anyhow!("the store thread ended"))
    };
    let _opened = next()?;
    let mut times = Vec::with_capacity(args.propagations);
    for i in 0..args.propagations {
        let id = format!("07PROP{i}");
        store.apply(&ActionRecord::dispose_all(
            "bench",
            [id.as_str()],
            Disposition::Actioned,
            None,
        ))?;
        let committed = Instant::now();
        loop {
            match next()? {
                // What the app does with a nudge: ask the store's thread.
                Msg::StoreNudged => requests.send(StoreRequest::Nudge)?,
                Msg::StoreChanged { records } if records.iter().any(|r| r.id == id) => break,
                _ => {}
            }
        }
        times.push(committed.elapsed());
    }
    drop(requests);
    let _ = thread.join();
    figures.push(pair(&mut times, 0.50, 0.95));
    println!("propagation: {}", figures[1]);

    figures.push(take_next(location, args)?);
    println!("take-next: {}", figures[2]);

    // Fill to the records asked for, then open as the app does.
    let have = store.records()?.len();
    let ids: Vec<String> = (have..args.records).map(|i| format!("06FILL{i}")).collect();
    for chunk in ids.chunks(50_000) {
        store.apply(&ActionRecord::dispose_all(
            "bench",
            chunk.iter().map(String::as_str),
            Disposition::FollowUp,
            Some("to the desk"),
        ))?;
    }
    drop(store);
    let started = Instant::now();
    let opened = store_at(location)?;
    let (records, _) = opened.snapshot()?;
    figures.push(format!(
        "{} ({} records)",
        ms(started.elapsed()),
        thousands(records.len())
    ));
    println!("open: {}", figures[3]);

    let mut store = opened;
    let ids: Vec<String> = (0..50_000).map(|i| format!("09BULK{i}")).collect();
    let bulk = ActionRecord::dispose_all(
        "bench",
        ids.iter().map(String::as_str),
        Disposition::NoAction,
        None,
    );
    let started = Instant::now();
    let applied = store.apply(&bulk)?;
    figures.push(format!(
        "{} ({} changes)",
        ms(started.elapsed()),
        thousands(applied.changes.len())
    ));
    println!("bulk: {}", figures[4]);
    Ok(figures)
}

/// 8 clients pressing take-next at once, each `args.takes` times, over a queue of untriaged
/// cables: the time of each press, and a check that no cable went to two clients. Each
/// press offers the queue as the app would: without the cables its mirror already knows to
/// be taken (the claims the clients made so far, as the live updates bring them).
fn take_next(location: &str, args: &Args) -> Result<String> {
    let clients = args.clients;
    let queue: Vec<String> = (0..clients * args.takes * 2)
        .map(|i| format!("05QUEUE{i}"))
        .collect();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(clients));
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let (location, queue, barrier) = (location.to_string(), queue.clone(), barrier.clone());
            let takes = args.takes;
            std::thread::spawn(move || -> Result<(Vec<Duration>, Vec<String>)> {
                let mut store = store_at(&location)?;
                let analyst = format!("client{c}");
                let (mut times, mut claimed) = (Vec::new(), Vec::new());
                barrier.wait();
                for _ in 0..takes {
                    let started = Instant::now();
                    let taken = store.take_next(&analyst, &queue)?;
                    times.push(started.elapsed());
                    match taken {
                        Some(applied) => {
                            claimed.extend(applied.changes.iter().map(|c| c.id().to_string()))
                        }
                        None => break,
                    }
                }
                Ok((times, claimed))
            })
        })
        .collect();
    let (mut times, mut claimed) = (Vec::new(), Vec::new());
    for w in workers {
        let (t, c) = w.join().map_err(|_| anyhow!("a client panicked"))??;
        times.extend(t);
        claimed.extend(c);
    }
    let total = claimed.len();
    claimed.sort();
    claimed.dedup();
    if claimed.len() != total {
        return Err(anyhow!("{} cables claimed twice", total - claimed.len()));
    }
    Ok(format!(
        "{} ({} claims, none twice)",
        pair(&mut times, 0.50, 0.95),
        thousands(total)
    ))
}

fn pair(times: &mut [Duration], a: f64, b: f64) -> String {
    times.sort_unstable();
    let at = |p: f64| times[((times.len().saturating_sub(1)) as f64 * p).round() as usize];
    if times.is_empty() {
        return "no samples".into();
    }
    format!("{} / {}", ms(at(a)), ms(at(b)))
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
