//! The parse benchmark: `cabletriage parse` (the release binary, built first with `cargo build
//! --release`) over a generated cables.csv, next to `cat` and
//! `sha1sum` over the same file in the same run (target: at most 1.5 x sha1sum). Each figure
//! is the best of three runs, as the machine may be shared. The command is also run on one
//! core (`taskset -c 0`, when there is one), which gives the parallel speed-up: a ratio taken
//! while other work runs on the machine says little of a parallel program, so look at
//! `uptime` first.
//!
//! ```sh
//! cargo run --release --example bench_parse -- --count 250000
//! cargo run --release --example bench_parse -- --csv /path/to/cables.csv
//! ```
//! The generated corpus is kept in `target/bench/` and reused by later runs.

#[path = "support/bench_corpus.rs"]
mod bench_corpus;
use bench_corpus::generated;

use anyhow::{Context, Result, bail};
use clap::Parser;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cabletriage::cable::Cable;
use cabletriage::cli::parse;
use cabletriage::read::csv_dump::{DumpReader, to_raw_cable};
use cabletriage::read::{Format, ReadOptions};

#[derive(Parser)]
struct Args {
    /// Cables to generate when no --csv is given.
    #[arg(long, default_value_t = 250_000)]
    count: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// An existing dump to measure instead of a generated one.
    #[arg(long)]
    csv: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let path = match &args.csv {
        Some(p) => p.clone(),
        None => generated(args.count, args.seed)?,
    };
    let bytes = std::fs::metadata(&path)
        .with_context(|| format!("{}", path.display()))?
        .len();
    // Warm the page cache so every step reads from memory, as `cat` will.
    time_cat(&path)?;
    let cat = best(|| time_cat(&path))?;
    let sha1 = best(|| time_sha1sum(&path))?;

    let start = Instant::now();
    let mut rows = 0u64;
    for row in DumpReader::new(File::open(&path)?) {
        if row?.is_ok() {
            rows += 1;
        }
    }
    let scan = start.elapsed();

    let start = Instant::now();
    let mut cables = 0u64;
    for row in DumpReader::new(File::open(&path)?) {
        if let Ok(row) = row? {
            let (raw, _) = to_raw_cable(row, "bench.csv");
            std::hint::black_box(Cable::from_raw(&raw));
            cables += 1;
        }
    }
    let interpret = start.elapsed();

    let opts = ReadOptions {
        format: Format::Csv,
        default_year: None,
    };
    let mut outcome = None;
    let command = best(|| {
        let start = Instant::now();
        let mut out = BufWriter::new(io::sink());
        let mut err = io::sink();
        outcome = Some(parse::run(
            std::slice::from_ref(&path),
            &opts,
            &mut out,
            &mut err,
        )?);
        Ok(start.elapsed())
    })?;
    let outcome = outcome.unwrap_or_default();

    let mb = bytes as f64 / 1e6;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "input: {} ({cables} cables, {mb:.0} MB), {cores} cores",
        path.display()
    );
    println!(
        "{:<44} {:>9} {:>9} {:>12} {:>8} {:>11}",
        "step", "seconds", "MB/s", "cables/s", "vs cat", "vs sha1sum"
    );
    let line = |name: &str, t: Duration, n: u64| {
        let s = t.as_secs_f64();
        println!(
            "{name:<44} {s:>9.2} {:>9.0} {:>12.0} {:>7.2}x {:>10.2}x",
            mb / s,
            n as f64 / s,
            s / cat.as_secs_f64(),
            s / sha1.as_secs_f64()
        );
    };
    line("cat FILE > /dev/null", cat, cables);
    line("sha1sum FILE", sha1, cables);
    line("scan rows (DumpReader, one core)", scan, rows);
    line("read + interpret every field (one core)", interpret, cables);
    line(
        "parse::run in this process (system allocator)",
        command,
        outcome.cables,
    );
    match binary() {
        Some(bin) => {
            let run = best(|| time_binary(&bin, &path, false))?;
            line(
                "cabletriage parse FILE, as run (target 1.5x sha1sum)",
                run,
                outcome.cables,
            );
            if cores > 1 && has_taskset() {
                let one = best(|| time_binary(&bin, &path, true))?;
                line("cabletriage parse FILE on one core", one, outcome.cables);
                println!(
                    "parallel speed-up on {cores} cores: {:.2}",
                    one.as_secs_f64() / run.as_secs_f64()
                );
            }
        }
        None => println!(
            "cabletriage parse FILE: no release binary beside this example; `cargo build --release` first"
        ),
    }
    Ok(())
}

/// The release binary built beside this example (`target/release/cabletriage`): the command
/// as users run it, with its allocator and its settings.
fn binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("cabletriage");
    bin.is_file().then_some(bin)
}

/// Whether `taskset` can pin a command to one core (util-linux, on Linux).
fn has_taskset() -> bool {
    Command::new("taskset")
        .args(["-c", "0", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Times the command, on one core when `one_core` (the workers follow the CPUs it may use).
fn time_binary(bin: &Path, path: &Path, one_core: bool) -> Result<Duration> {
    let mut command = if one_core {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    let start = Instant::now();
    let status = command
        .arg("parse")
        .arg(path)
        .stdout(std::process::Stdio::null())
        .status()?;
    if !status.success() {
        bail!("cabletriage parse failed on {}", path.display());
    }
    Ok(start.elapsed())
}

/// The shortest of three runs of `run`.
fn best(mut run: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        best = best.min(run()?);
    }
    Ok(best)
}

fn time_sha1sum(path: &Path) -> Result<Duration> {
    let start = Instant::now();
    let output = Command::new("sha1sum").arg(path).output()?;
    if !output.status.success() {
        bail!("sha1sum failed on {}", path.display());
    }
    Ok(start.elapsed())
}

fn time_cat(path: &Path) -> Result<Duration> {
    let start = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg("cat \"$1\" > /dev/null")
        .arg("sh")
        .arg(path)
        .status()?;
    if !status.success() {
        bail!("cat failed on {}", path.display());
    }
    Ok(start.elapsed())
}
