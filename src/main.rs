//! The `cabletriage` binary: the inbox, and the commands scripts use.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

use cabletriage::cli;
use cabletriage::read::{Format, ReadOptions};

#[derive(Parser)]
#[command(
    name = "cabletriage",
    version,
    about = "A keyboard-driven terminal inbox for diplomatic cables"
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files and folders of cables (text, Cablegate HTML pages, cables.csv).
    paths: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Print every cable as one JSON object per line.
    Parse {
        /// Input format; auto picks by extension and content.
        #[arg(long, default_value = "auto", value_parser = parse_format)]
        format: Format,
        /// Year for a fragment that states none.
        #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2100))]
        year: Option<i32>,
        /// Files, folders (walked recursively), or - for one text cable on standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn main() {
    let args = Args::parse();
    let code = match args.command {
        Some(Command::Parse {
            format,
            year,
            paths,
        }) => {
            let opts = ReadOptions {
                format,
                default_year: year,
            };
            cli::parse::main(&paths, &opts)
        }
        None => {
            eprintln!(
                "cabletriage: the interactive inbox is not built yet; try `cabletriage parse PATH`"
            );
            2
        }
    };
    std::process::exit(code);
}
