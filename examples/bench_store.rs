//! How long the triage store takes to make a disposition durable, on a real file (WAL,
//! `synchronous=FULL`): the time from asking for a single-cable disposition to its commit
//! returning (p50, p99, max over 2,000 actions), and one bulk disposition of 50,000 cables
//! in one transaction, and what the app's polling (`changes_since`) and a full `records()`
//! cost afterwards.
//!
//! `cargo run --release --example bench_store [-- DIR]` (default DIR: the target folder, so
//! the figures are for the disk the project is on, not a RAM-backed /tmp).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cabletriage::store::{ActionRecord, Disposition, SqliteStore, TriageStore};

fn main() -> anyhow::Result<()> {
    let dir = match std::env::args_os().nth(1) {
        Some(d) => PathBuf::from(d),
        None => {
            let exe = std::env::current_exe()?;
            // target/<profile>/examples/bench_store -> target/
            exe.ancestors()
                .nth(3)
                .map(PathBuf::from)
                .unwrap_or_else(std::env::temp_dir)
        }
    };
    let path = dir.join(format!("bench_store-{}.sqlite", std::process::id()));
    let result = run(&path);
    for p in [
        path.clone(),
        PathBuf::from(format!("{}-wal", path.display())),
        PathBuf::from(format!("{}-shm", path.display())),
    ] {
        let _ = std::fs::remove_file(p);
    }
    result
}

fn run(path: &std::path::Path) -> anyhow::Result<()> {
    println!("store: {}", path.display());
    let mut store = SqliteStore::open(path)?;

    let n = 2_000;
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("08MOSCOW{i}");
        let state = Disposition::ALL[1 + i % 4];
        let action = ActionRecord::dispose_all("bench", [id.as_str()], state, Some("checked"));
        let started = Instant::now();
        store.apply(&action)?;
        times.push(started.elapsed());
    }
    times.sort_unstable();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "single-cable disposition to commit ({n} actions): p50 {}, p99 {}, max {}",
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(pct(1.0))
    );

    let ids: Vec<String> = (0..50_000).map(|i| format!("09STATE{i}")).collect();
    let bulk = ActionRecord::dispose_all(
        "bench",
        ids.iter().map(String::as_str),
        Disposition::NoAction,
        None,
    );
    let started = Instant::now();
    let applied = store.apply(&bulk)?;
    println!(
        "bulk disposition of {} cables in one transaction: {}",
        applied.changes.len(),
        ms(started.elapsed())
    );
    let started = Instant::now();
    let undo = store.apply(&applied.inverse("bench"))?;
    println!(
        "its undo ({} changes, one transaction): {}",
        undo.changes.len(),
        ms(started.elapsed())
    );

    let reader = SqliteStore::open_read_only(path)?;
    let revision = reader.revision()?;
    // The first query of a connection reads the schema; the app's poll is the later ones.
    reader.changes_since(revision)?;
    let started = Instant::now();
    let polls = 100;
    for _ in 0..polls {
        reader.changes_since(revision)?;
    }
    println!(
        "changes_since with nothing new (the app's poll): {} each",
        ms(started.elapsed() / polls)
    );
    store.apply(&ActionRecord::dispose_all(
        "bench",
        ["08MOSCOW1"],
        Disposition::Forwarded,
        None,
    ))?;
    let started = Instant::now();
    let (changed, _) = reader.changes_since(revision)?;
    println!(
        "changes_since after another connection's action ({} record): {}",
        changed.len(),
        ms(started.elapsed())
    );
    let started = Instant::now();
    reader.changes_since(revision)?;
    println!(
        "the same query again (nothing new to read from the log): {}",
        ms(started.elapsed())
    );
    let started = Instant::now();
    let all = reader.records()?;
    println!(
        "records(): {} records in {}",
        all.len(),
        ms(started.elapsed())
    );
    let size = std::fs::metadata(path)?.len()
        + std::fs::metadata(format!("{}-wal", path.display()))
            .map(|m| m.len())
            .unwrap_or(0);
    println!("file size with its log: {:.1} MB", size as f64 / 1e6);
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}
