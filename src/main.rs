//! The `cabletriage` binary: the inbox, and the commands scripts use.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

use cabletriage::app::App;
use cabletriage::cli;
use cabletriage::keymap::Keymap;
use cabletriage::read::{Format, ReadOptions};
use cabletriage::tui::{runtime, theme::Theme};

#[derive(Parser)]
#[command(
    name = "cabletriage",
    version,
    about = "A keyboard-driven terminal inbox for diplomatic cables",
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Keymap: default, vim, emacs, or a path to a keymap file (default: the user's
    /// keymap.toml in the config folder, else default).
    #[arg(long, value_name = "NAME|PATH")]
    keymap: Option<String>,
    /// Files and folders of cables (text, Cablegate HTML pages, cables.csv). Without any,
    /// a generated demo corpus of 2,000 cables opens.
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
    /// Work with keymaps.
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
}

#[derive(Subcommand)]
enum KeymapCommand {
    /// Report every problem of a keymap file (and the files it extends) with file:line:col;
    /// without a path, the shipped keymaps and the user's keymap.toml.
    Check { path: Option<PathBuf> },
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
        }) => cli::parse::main(
            &paths,
            &ReadOptions {
                format,
                default_year: year,
            },
        ),
        Some(Command::Keymap {
            command: KeymapCommand::Check { path },
        }) => cli::keymap_check::main(path.as_deref()),
        None => run_app(args.keymap.as_deref(), args.paths),
    };
    std::process::exit(code);
}

/// Everything that can go wrong before the screen is taken is reported here, on the normal
/// terminal: keymap errors, missing inputs.
fn run_app(keymap: Option<&str>, paths: Vec<PathBuf>) -> i32 {
    let keymap = match Keymap::load(keymap) {
        Ok((keymap, warnings)) => {
            for w in warnings {
                eprintln!("{w}");
            }
            keymap
        }
        Err(problems) => {
            for p in problems {
                eprintln!("{p}");
            }
            eprintln!(
                "cabletriage: fix the keymap (`cabletriage keymap check` lists its problems)"
            );
            return 1;
        }
    };
    let missing: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| std::fs::metadata(p).is_err())
        .collect();
    if !missing.is_empty() {
        for p in missing {
            eprintln!("cabletriage: {}: no such file or folder", p.display());
        }
        return 2;
    }
    let inputs = if paths.is_empty() {
        match cabletriage::corpus::demo::demo_corpus() {
            Ok(path) => vec![path],
            Err(e) => {
                eprintln!("cabletriage: cannot write the demo corpus: {e}");
                return 2;
            }
        }
    } else {
        paths
    };
    let app = App::new(keymap.help_bindings());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cabletriage: cannot start: {e}");
            return 2;
        }
    };
    match runtime.block_on(runtime::run(
        app,
        Arc::new(keymap),
        inputs,
        Theme::from_env(),
    )) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("cabletriage: terminal error: {e}");
            1
        }
    }
}
