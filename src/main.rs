//! The `cabletriage` binary: the inbox, and the commands scripts use.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

use cabletriage::app::App;
use cabletriage::app::triage::Advance;
use cabletriage::cli;
use cabletriage::cli::triage;
use cabletriage::config::{Flags, Settings, Source, config_path, shown};
use cabletriage::keymap::Keymap;
use cabletriage::read::{Format, ReadOptions};
use cabletriage::sanitize::safe;
use cabletriage::store::{OpenOptions, SqliteStore, TriageStore};
use cabletriage::tui::{runtime, theme::Theme};

#[derive(Parser)]
#[command(
    name = "cabletriage",
    version,
    about = "A keyboard-driven terminal inbox for diplomatic cables"
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Keymap: default, vim, emacs, or a path to a keymap file (default: the user's
    /// keymap.toml in the config folder, else default).
    #[arg(long, value_name = "NAME|PATH")]
    keymap: Option<String>,
    /// `--store` and `--analyst`, for the app and every command, before or after its name.
    #[command(flatten)]
    global: triage::GlobalArgs,
    /// Where the cursor goes after a disposition: next, next-untriaged (the default) or stay.
    #[arg(long, value_name = "MOVE")]
    after_disposition: Option<Advance>,
    /// Open the store read-only without asking when it cannot be written.
    #[arg(long)]
    read_only: bool,
    /// Theme: dark (the default), light, mono (no colour), or a path to a theme file
    /// (default: the user's theme.toml in the config folder, else mono when NO_COLOR is
    /// set, else dark).
    #[arg(long, value_name = "NAME|PATH")]
    theme: Option<String>,
    /// Files and folders of cables (text, Cablegate HTML pages, cables.csv). Without any,
    /// a generated demo corpus of 2,000 cables opens.
    paths: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Print every cable as one JSON object per line.
    Parse {
        /// Input format; auto picks by extension and content.
        #[arg(long, value_enum, ignore_case = true, default_value_t = InputFormat::Auto)]
        format: InputFormat,
        /// Year for a fragment that states none.
        #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2100))]
        year: Option<i32>,
        /// Files, folders (walked recursively), or - for standard input. One input named on
        /// its own is printed whatever it holds (a fragment: `id` null when it states none).
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
    /// Run a query (the filter bar's language, text terms included) over a corpus.
    Search(cli::search::SearchArgs),
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

/// `parse --format`: [`Format`] for clap, so that `--help` lists the values (the reader
/// knows nothing of clap).
#[derive(Clone, Copy, clap::ValueEnum)]
enum InputFormat {
    /// By extension (.csv, .html), else by content.
    Auto,
    /// Plain-text telegrams.
    #[value(alias = "txt")]
    Text,
    /// Cablegate HTML pages.
    Html,
    /// The cables.csv dump.
    Csv,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Auto => Format::Auto,
            InputFormat::Text => Format::Text,
            InputFormat::Html => Format::Html,
            InputFormat::Csv => Format::Csv,
        }
    }
}

impl Args {
    fn flags(&self) -> Flags {
        Flags {
            store: self.global.store.clone(),
            analyst: self.global.analyst.clone(),
            keymap: self.keymap.clone(),
            after_disposition: self.after_disposition,
            read_only: self.read_only,
            theme: self.theme.clone(),
        }
    }

    /// The app's own options given with a command: refused rather than silently ignored.
    fn app_options(&self) -> Option<String> {
        let mut given = Vec::new();
        if self.keymap.is_some() {
            given.push("--keymap");
        }
        if self.after_disposition.is_some() {
            given.push("--after-disposition");
        }
        if self.read_only {
            given.push("--read-only");
        }
        if self.theme.is_some() {
            given.push("--theme");
        }
        if !self.paths.is_empty() {
            given.push("corpus paths");
        }
        (!given.is_empty()).then(|| given.join(", "))
    }
}

fn main() {
    let args = Args::parse();
    if args.command.is_some()
        && let Some(given) = args.app_options()
    {
        eprintln!("cabletriage: {given}: only for the app, not with a command (see --help)");
        std::process::exit(2);
    }
    let flags = args.flags();
    let code = match args.command {
        Some(Command::Parse {
            format,
            year,
            paths,
        }) => {
            say_empty_folders("parse: ", &paths);
            cli::parse::main(
                &paths,
                &ReadOptions {
                    format: format.into(),
                    default_year: year,
                },
            )
        }
        Some(Command::Keymap {
            command: KeymapCommand::Check { path },
        }) => cli::keymap_check::main(path.as_deref()),
        Some(Command::Dispose(a)) => triage::dispose(&a, &flags),
        Some(Command::Tag(a)) => triage::tag(&a, &flags),
        Some(Command::History(a)) => triage::history(&a, &flags),
        Some(Command::Export(a)) => triage::export(&a, &flags),
        Some(Command::Import(a)) => triage::import(&a, &flags),
        Some(Command::Search(a)) => cli::search::main(&a, &flags),
        Some(Command::StoreStress(a)) => match &flags.store {
            Some(store) => triage::stress(store, a.count, a.first),
            None => {
                eprintln!("cabletriage: store-stress: give --store PATH");
                2
            }
        },
        None => run_app(&args, &flags),
    };
    std::process::exit(code);
}

/// A message on standard error, through the sanitiser (it may quote paths and file text).
fn say(message: impl std::fmt::Display) {
    eprintln!("cabletriage: {}", safe(&message.to_string()));
}

/// Names each folder given that holds nothing at all: reading it finds no cable and no file
/// to report, so without this the exit status would be the only word about it.
fn say_empty_folders(command: &str, paths: &[PathBuf]) {
    for p in paths {
        if std::fs::read_dir(p).is_ok_and(|mut entries| entries.next().is_none()) {
            say(format!(
                "{command}{}: the folder is empty: no cables",
                p.display()
            ));
        }
    }
}

/// Everything that can go wrong before the screen is taken is reported here, on the normal
/// terminal: keymap errors, missing inputs.
fn run_app(args: &Args, flags: &Flags) -> i32 {
    let settings = match Settings::load(flags) {
        Ok(s) => s,
        Err(e) => {
            say(e);
            eprintln!("cabletriage: fix the settings (or move config.toml away) and start again");
            return 2;
        }
    };
    let paths = args.paths.clone();
    let keymap = match Keymap::load(settings.keymap.value.as_deref()) {
        Ok((keymap, warnings)) => {
            for w in warnings {
                eprintln!("{}", safe(&w.to_string()));
            }
            keymap
        }
        Err(problems) => {
            for p in problems {
                eprintln!("{}", safe(&p.to_string()));
            }
            if let Some(name) = &settings.keymap.value {
                match settings.keymap.source {
                    Source::File => say(format!(
                        "the keymap {} is set by `keymap` in {}",
                        shown(name),
                        config_path().map_or("config.toml".into(), |p| p.display().to_string())
                    )),
                    Source::Flag => say(format!("the keymap {} is given by --keymap", shown(name))),
                    _ => {}
                }
            }
            eprintln!(
                "cabletriage: fix the keymap (`cabletriage keymap check` lists its problems)"
            );
            return 1;
        }
    };
    let theme = match Theme::load(&settings.theme.value) {
        Ok(theme) => theme,
        Err(problems) => {
            for p in problems {
                eprintln!("{}", safe(&p.to_string()));
            }
            say(format!(
                "the theme {} is set by the {}",
                shown(&settings.theme.value),
                settings.theme.source
            ));
            eprintln!("cabletriage: fix the theme file, or choose a shipped theme (--theme dark)");
            return 1;
        }
    };
    let missing: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| std::fs::metadata(p).is_err())
        .collect();
    if !missing.is_empty() {
        for p in missing {
            say(format!("{}: no such file or folder", p.display()));
        }
        return 2;
    }
    let inputs = if paths.is_empty() {
        match cabletriage::corpus::demo::demo_corpus() {
            Ok(path) => vec![path],
            Err(e) => {
                say(format!("cannot write the demo corpus: {e}"));
                return 2;
            }
        }
    } else {
        paths
    };
    let Some(store) = open_store(&settings) else {
        return 1;
    };
    let mut app = App::new(keymap.help_bindings());
    app.triage.analyst = settings.analyst.value.clone();
    app.triage.advance = settings.after_disposition.value;
    app.text.storage = cabletriage::app::text_search::TextStorage::Cache;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            say(format!("cannot start: {e}"));
            return 2;
        }
    };
    match runtime.block_on(runtime::run(app, Arc::new(keymap), inputs, store, theme)) {
        Ok(()) => 0,
        Err(e) => {
            say(format!("terminal error: {e}"));
            1
        }
    }
}

/// Opens the triage store before the screen is taken. When it cannot be written, or not
/// opened at all, the analyst is told why and asked whether to go on read-only; the file is
/// never touched. `Some(None)`: go on without a store. `None`: stop.
fn open_store(settings: &Settings) -> Option<Option<Box<dyn TriageStore>>> {
    let read_only = settings.read_only.value;
    match SqliteStore::open_for_app(&settings.store.value, &OpenOptions::default()) {
        Ok((store, None)) => Some(Some(Box::new(store))),
        Ok((store, Some(why))) => {
            say(why);
            ask_read_only(
                read_only,
                "open the store read-only (triage is shown, not recorded)",
            )
            .then(|| Some(Box::new(store) as Box<dyn TriageStore>))
        }
        Err(e) => {
            say(e);
            ask_read_only(
                read_only,
                "go on without the store (nothing you record will be kept)",
            )
            .then_some(None)
        }
    }
}

/// `--read-only` answers yes; otherwise a question on the terminal, no when there is none.
fn ask_read_only(read_only: bool, offer: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if read_only {
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
