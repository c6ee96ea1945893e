//! The parse benchmark: `cabletriage parse` over a generated cables.csv, next to `cat` over
//! the same file in the same run.
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
    let cat = time_cat(&path)?;

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

    let start = Instant::now();
    let opts = ReadOptions {
        format: Format::Csv,
        default_year: None,
    };
    let mut out = BufWriter::new(io::sink());
    let mut err = io::sink();
    let outcome = parse::run(std::slice::from_ref(&path), &opts, &mut out, &mut err)?;
    let command = start.elapsed();

    let mb = bytes as f64 / 1e6;
    println!(
        "input: {} ({cables} cables, {mb:.0} MB), one core",
        path.display()
    );
    println!(
        "{:<40} {:>9} {:>9} {:>12} {:>8}",
        "step", "seconds", "MB/s", "cables/s", "vs cat"
    );
    let line = |name: &str, t: Duration, n: u64| {
        let s = t.as_secs_f64();
        println!(
            "{name:<40} {s:>9.2} {:>9.0} {:>12.0} {:>7.2}x",
            mb / s,
            n as f64 / s,
            s / cat.as_secs_f64()
        );
    };
    line("cat FILE > /dev/null", cat, cables);
    line("scan rows (DumpReader)", scan, rows);
    line("read + interpret every field", interpret, cables);
    line(
        "parse command (JSON lines to a sink)",
        command,
        outcome.cables,
    );
    Ok(())
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
