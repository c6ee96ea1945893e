//! The `cabletriage` binary: the inbox, and the commands scripts use.

use clap::Parser;
use std::path::PathBuf;
use std::sync::Arc;

use cabletriage::app::App;
use cabletriage::cli;
use cabletriage::cli::args::{Args, Command, ConfigCommand, KeymapCommand, StoreCommand};
use cabletriage::cli::triage;
use cabletriage::config::{Flags, Settings, Source, config_path, shown};
use cabletriage::keymap::Keymap;
use cabletriage::read::ReadOptions;
use cabletriage::sanitize::safe;
use cabletriage::store::{OpenOptions, TriageStore};
use cabletriage::tui::{runtime, theme::Theme};

/// mimalloc: reading a big corpus allocates on several threads at once, where it is about a
/// sixth faster than the system allocator (measured with `examples/load_timing.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Some(Command::Config { command }) => match command {
            ConfigCommand::Check { path } => cli::config_cmd::check(path.as_deref()),
            ConfigCommand::Path { corpus } => cli::config_cmd::path(&flags, &corpus),
            ConfigCommand::Show => cli::config_cmd::show(&flags),
        },
        Some(Command::Store {
            command: StoreCommand::Copy { from, to },
        }) => cli::store_cmd::copy_main(&from, &to),
        Some(Command::Completions { shell }) => cli::completions::main(shell),
        Some(Command::Man { out }) => cli::man::main(out.as_deref()),
        Some(Command::Dispose(a)) => triage::dispose(&a, &flags),
        Some(Command::Assign(a)) => triage::assign(&a, &flags),
        Some(Command::Tag(a)) => triage::tag(&a, &flags),
        Some(Command::History(a)) => triage::history(&a, &flags),
        Some(Command::Export(a)) => triage::export(&a, &flags),
        Some(Command::Import(a)) => triage::import(&a, &flags),
        Some(Command::Search(a)) => cli::search::main(&a, &flags),
        Some(Command::Refs(a)) => cli::refs::main(&a),
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
    app.ascii_tree = settings.tree_glyphs.value == "ascii";
    app.share_presence = settings.presence.value;
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
    match cabletriage::store::open_for_app(&settings.store.value, &OpenOptions::default()) {
        Ok((store, None)) => Some(Some(store)),
        Ok((store, Some(why))) => {
            say(why);
            ask_read_only(
                read_only,
                "open the store read-only (triage is shown, not recorded)",
            )
            .then_some(Some(store))
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
