//! Generates a synthetic cable corpus: a `cables.csv` dump, a folder of text files, or a
//! folder of Cablegate pages, optionally with a JSON-lines file of ground truth.
//!
//! `cargo run --release --example gencorpus -- --count 250000 --format csv --out /tmp/cables.csv`

use anyhow::{Context, Result, bail};
use cabletriage::synth::{
    Generator, SynthCable, html_path, text_file_name, write_csv_row, write_html, write_text,
    write_truth_json,
};
use clap::{Parser, ValueEnum};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// One `cables.csv` dump file.
    Csv,
    /// A folder of `<ID>.txt` files.
    Text,
    /// A folder of Cablegate pages in `cable/YYYY/MM/<ID>.html`.
    Html,
}

/// Generate a deterministic synthetic cable corpus.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Number of cables to generate.
    #[arg(long)]
    count: u64,
    /// Output container.
    #[arg(long, value_enum)]
    format: Format,
    /// Output file (csv) or folder (text, html).
    #[arg(long)]
    out: PathBuf,
    /// Seed; the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write one JSON line of ground truth per cable to this file.
    #[arg(long)]
    truth: Option<PathBuf>,
}

fn main() {
    // clap prints its own message and exits 2 on bad arguments.
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("gencorpus: error: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<()> {
    if args.count == 0 {
        bail!("--count must be at least 1");
    }
    let started = Instant::now();
    let mut truth = match &args.truth {
        Some(path) => {
            Some(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot create {}", path.display())
            })?))
        }
        None => None,
    };
    let mut generator = Generator::new(args.seed);
    let mut cable = SynthCable::default();
    let mut bytes: u64 = 0;
    let mut sink = Sink::open(args.format, &args.out)?;
    let mut page = Vec::with_capacity(64 * 1024);
    for row in 1..=args.count {
        generator.next_into(&mut cable);
        page.clear();
        match args.format {
            Format::Csv => write_csv_row(&mut page, row, &cable)?,
            Format::Text => write_text(&mut page, &cable)?,
            Format::Html => write_html(&mut page, &cable)?,
        }
        bytes += page.len() as u64;
        sink.put(args.format, &cable, &page)?;
        if let Some(t) = truth.as_mut() {
            write_truth_json(t, &cable).context("cannot write the truth file")?;
        }
    }
    sink.finish()?;
    if let Some(mut t) = truth {
        t.flush().context("cannot write the truth file")?;
    }
    eprintln!(
        "gencorpus: {} cables, {} bytes, {:.2} s -> {}",
        args.count,
        bytes,
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}

/// Where generated cables go: one buffered dump file, or a folder of one file per cable.
enum Sink {
    File(BufWriter<File>, PathBuf),
    Folder(PathBuf),
}

impl Sink {
    fn open(format: Format, out: &Path) -> Result<Sink> {
        match format {
            Format::Csv => {
                if out.is_dir() {
                    bail!(
                        "{} is a folder; csv output needs a file path",
                        out.display()
                    );
                }
                let file = File::create(out)
                    .with_context(|| format!("cannot create {}", out.display()))?;
                Ok(Sink::File(
                    BufWriter::with_capacity(1 << 20, file),
                    out.to_path_buf(),
                ))
            }
            Format::Text | Format::Html => {
                if out.is_file() {
                    bail!(
                        "{} is a file; text and html output need a folder",
                        out.display()
                    );
                }
                fs::create_dir_all(out)
                    .with_context(|| format!("cannot create folder {}", out.display()))?;
                Ok(Sink::Folder(out.to_path_buf()))
            }
        }
    }

    fn put(&mut self, format: Format, cable: &SynthCable, bytes: &[u8]) -> Result<()> {
        match self {
            Sink::File(w, path) => w
                .write_all(bytes)
                .with_context(|| format!("cannot write {}", path.display())),
            Sink::Folder(root) => {
                let path = match format {
                    Format::Html => root.join(html_path(cable)),
                    _ => root.join(text_file_name(cable)),
                };
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create folder {}", dir.display()))?;
                }
                fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
            }
        }
    }

    fn finish(self) -> Result<()> {
        if let Sink::File(mut w, path) = self {
            w.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}
