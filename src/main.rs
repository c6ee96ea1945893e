//! The `cabletriage` binary: the inbox, and the commands scripts use.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

use cabletriage::app::App;
use cabletriage::app::triage::Advance;
use cabletriage::cli;
use cabletriage::cli::triage;
use cabletriage::config::Config;
use cabletriage::keymap::Keymap;
use cabletriage::read::{Format, ReadOptions};
use cabletriage::store::{self, OpenOptions, SqliteStore, TriageStore};
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
    /// The triage store (default: `$CABLETRIAGE_STORE`, else the data folder).
    #[arg(long, value_name = "PATH")]
    store: Option<PathBuf>,
    /// Your name in the triage history (default: `$CABLETRIAGE_ANALYST`, else the login name).
    #[arg(long)]
    analyst: Option<String>,
    /// Where the cursor goes after a disposition: next, next-untriaged (the default) or stay.
    #[arg(long, value_name = "MOVE")]
    after_disposition: Option<Advance>,
    /// Open the store read-only without asking when it cannot be written.
    #[arg(long)]
    read_only: bool,
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
    /// Record a disposition: cabletriage dispose ID... STATE [--note TEXT].
    Dispose(triage::DisposeArgs),
    /// Add (+TAG) and remove (-TAG) tags of your own: cabletriage tag ID... +TAG -TAG.
    Tag(triage::TagArgs),
    /// The history of every change (or of one cable).
    History(triage::HistoryArgs),
    /// Export the records, joined with the cables of a corpus, as CSV or JSON.
    Export(triage::ExportArgs),
    /// Merge an export into the store.
    Import(triage::ImportArgs),
    /// For tests: single-cable dispositions in a loop, each reported once committed.
    #[command(hide = true)]
    StoreStress(triage::StressArgs),
}

#[derive(Subcommand)]
enum KeymapCommand {
    /// Report every problem of a keymap file (and the files it extends) with file:line:col;
    /// without a path, the shipped keymaps and the user's keymap.toml.
    Check { path: Option<PathBuf> },
}

/// mimalloc: reading a big corpus allocates on several threads at once, where it is about a
/// sixth faster than the system allocator (measured with `examples/load_timing.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Some(Command::Dispose(a)) => triage::dispose(&a),
        Some(Command::Tag(a)) => triage::tag(&a),
        Some(Command::History(a)) => triage::history(&a),
        Some(Command::Export(a)) => triage::export(&a),
        Some(Command::Import(a)) => triage::import(&a),
        Some(Command::StoreStress(a)) => triage::stress(&a.store, a.count, a.first),
        None => run_app(&args),
    };
    std::process::exit(code);
}

/// Everything that can go wrong before the screen is taken is reported here, on the normal
/// terminal: keymap errors, missing inputs.
fn run_app(args: &Args) -> i32 {
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("cabletriage: fix the settings file (or move it away) and start again");
            return 1;
        }
    };
    let paths = args.paths.clone();
    let keymap_choice = args.keymap.clone().or(config.keymap.clone());
    let keymap = match Keymap::load(keymap_choice.as_deref()) {
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
    let Some(store) = open_store(args, &config) else {
        return 1;
    };
    let mut app = App::new(keymap.help_bindings());
    app.triage.analyst = args
        .analyst
        .clone()
        .or_else(|| {
            std::env::var("CABLETRIAGE_ANALYST")
                .ok()
                .filter(|a| !a.is_empty())
        })
        .or(config.analyst.clone())
        .unwrap_or_else(store::default_analyst);
    app.triage.advance = args
        .after_disposition
        .or(config.advance())
        .unwrap_or_default();
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
        store,
        Theme::from_env(),
    )) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("cabletriage: terminal error: {e}");
            1
        }
    }
}

/// Opens the triage store before the screen is taken. When it cannot be written, or not
/// opened at all, the analyst is told why and asked whether to go on read-only; the file is
/// never touched. `Some(None)`: go on without a store. `None`: stop.
fn open_store(args: &Args, config: &Config) -> Option<Option<Box<dyn TriageStore>>> {
    let from_env = std::env::var_os("CABLETRIAGE_STORE").map(PathBuf::from);
    let path = args
        .store
        .clone()
        .or(from_env)
        .or(config.store.clone())
        .unwrap_or_else(store::default_store_path);
    match SqliteStore::open_for_app(&path, &OpenOptions::default()) {
        Ok((store, None)) => Some(Some(Box::new(store))),
        Ok((store, Some(why))) => {
            eprintln!("cabletriage: {why}");
            ask_read_only(
                args,
                "open the store read-only (triage is shown, not recorded)",
            )
            .then(|| Some(Box::new(store) as Box<dyn TriageStore>))
        }
        Err(e) => {
            eprintln!("cabletriage: {e}");
            ask_read_only(
                args,
                "go on without the store (nothing you record will be kept)",
            )
            .then_some(None)
        }
    }
}

/// `--read-only` answers yes; otherwise a question on the terminal, no when there is none.
fn ask_read_only(args: &Args, offer: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if args.read_only {
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("cabletriage: run with --read-only to {offer}");
        return false;
    }
    eprint!("cabletriage: {offer}? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}
