//! The command line, as one clap definition: the binary parses it, and `completions` and
//! `man` generate from it, so what the shell completes and the man page says cannot drift
//! from what the binary accepts. Every command's help ends with examples.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::builder::{
    PathBufValueParser, PossibleValue, PossibleValuesParser, StringValueParser, TypedValueParser,
};
use clap::{Parser, Subcommand};
use clap_complete::Shell;

use crate::app::triage::Advance;
use crate::cli::{refs, search, triage};
use crate::config::Flags;
use crate::keymap::source::SHIPPED;
use crate::read::Format;

#[derive(Parser, Debug)]
#[command(
    name = "cabletriage",
    version,
    about = "A keyboard-driven terminal inbox for diplomatic cables",
    after_help = "Examples:
  cabletriage                                # the demo corpus: 2,000 generated cables
  cabletriage ~/cablegate/cable              # a folder of Cablegate pages, text files, dumps
  cabletriage cables.csv --keymap vim        # the full dump, with vim keys
  cabletriage --store team.sqlite --analyst jane cables.csv"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Keymap: default, vim, emacs, or a path to a keymap file (default: `keymap` in
    /// config.toml, else the user's keymap.toml in the config folder, else default).
    // No file-path hint: bash's script would then complete neither names nor paths.
    #[arg(long, value_name = "NAME|PATH", value_parser = keymap_names(), hide_possible_values = true)]
    pub keymap: Option<String>,
    /// `--store` and `--analyst`, for the app and every command, before or after its name.
    #[command(flatten)]
    pub global: triage::GlobalArgs,
    /// Where the cursor goes after a disposition: next, next-untriaged (the default) or stay
    /// (default: `after_disposition` in config.toml, else next-untriaged).
    #[arg(long, value_name = "MOVE", value_parser = advance_parser())]
    pub after_disposition: Option<Advance>,
    /// Open the store read-only without asking when it cannot be written.
    #[arg(long)]
    pub read_only: bool,
    /// Theme: dark (the default), light, mono (no colour), or a path to a theme file
    /// (default: $CABLETRIAGE_THEME, else `theme` in config.toml, else the user's theme.toml
    /// in the config folder, else mono when NO_COLOR is set, else dark).
    #[arg(long, value_name = "NAME|PATH", value_parser = theme_names(), hide_possible_values = true)]
    pub theme: Option<String>,
    /// Files and folders of cables (text, Cablegate HTML pages, cables.csv). Without any,
    /// a generated demo corpus of 2,000 cables opens.
    #[arg(value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print every cable as one JSON object per line.
    #[command(after_help = "Examples:
  cabletriage parse ~/cablegate/cable > cables.jsonl
  cabletriage parse --format csv cables.csv | head -1
  cat 08MOSCOW1052.txt | cabletriage parse --year 2008 -")]
    Parse {
        /// Input format; auto picks by extension and content.
        #[arg(long, value_enum, ignore_case = true, default_value_t = InputFormat::Auto)]
        format: InputFormat,
        /// Year for a fragment that states none.
        #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2100))]
        year: Option<i32>,
        /// Files, folders (walked recursively), or - for standard input. One input named on
        /// its own is printed whatever it holds (a fragment: `id` null when it states none).
        #[arg(required = true, value_hint = clap::ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
    },
    /// Work with triage stores: copy one into another (SQLite and PostgreSQL).
    #[command(after_help = "Examples:
  cabletriage store copy ~/.local/share/cabletriage/triage.sqlite postgres://alice@db.example/triage
  cabletriage store copy postgres://alice@db.example/triage backup.sqlite")]
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Work with keymaps.
    #[command(after_help = "Examples:
  cabletriage keymap check
  cabletriage keymap check ~/.config/cabletriage/keymap.toml")]
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
    /// Check, locate and show the settings (config.toml and the files beside it).
    #[command(after_help = "Examples:
  cabletriage config check
  cabletriage config path
  cabletriage --keymap vim config show")]
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Record a disposition: cabletriage dispose ID... STATE [--note TEXT].
    #[command(after_help = "Examples:
  cabletriage dispose 08MOSCOW1052 actioned
  cabletriage dispose 08MOSCOW1052 08STATE39114 follow-up --note \"ask the desk\"
  cabletriage dispose 08MOSCOW1052 no-action --corpus cables.csv
  cabletriage dispose 08MOSCOW1052 actioned --force   # even if another analyst disposed it

Exit status 3: another analyst set a cable's disposition to something else; nothing is
changed.")]
    Dispose(triage::DisposeArgs),
    /// Assign cables to an analyst (or to nobody): cabletriage assign ID... NAME.
    #[command(after_help = "Examples:
  cabletriage assign 08MOSCOW1052 08STATE39114 jsmith
  cabletriage assign 08MOSCOW1052 --unassign
  cabletriage assign 08MOSCOW1052 jsmith --force     # even if another analyst assigned it

Exit status 3: a cable is assigned by another analyst to someone else; nothing is changed.")]
    Assign(triage::AssignArgs),
    /// Add (+TAG) and remove (-TAG) tags of your own: cabletriage tag ID... +TAG -TAG.
    #[command(after_help = "Examples:
  cabletriage tag 08MOSCOW1052 +russia -urgent
  cabletriage tag 08MOSCOW1052 08STATE39114 +energy")]
    Tag(triage::TagArgs),
    /// The history of every change (or of one cable).
    #[command(after_help = "Examples:
  cabletriage history
  cabletriage history 08MOSCOW1052
  cabletriage history --limit 20")]
    History(triage::HistoryArgs),
    /// Export the records, joined with the cables of a corpus, as CSV or JSON.
    #[command(after_help = "Examples:
  cabletriage export > records.csv
  cabletriage export --format csv --filter \"is:follow-up\" cables.csv > follow-up.csv
  cabletriage export --format json cables.csv > records.json")]
    Export(triage::ExportArgs),
    /// Merge an export into the store.
    #[command(after_help = "Examples:
  cabletriage import follow-up.csv
  cabletriage import records.json --store other.sqlite --corpus cables.csv")]
    Import(triage::ImportArgs),
    /// Run a query (the filter bar's language, text terms included) over a corpus.
    #[command(after_help = "Examples:
  cabletriage search 'tag:PREL text:gazprom' cables.csv
  cabletriage search --order table --limit 10 '\"prime minister\"' ~/cablegate/cable
  cabletriage search --format ids 'is:follow-up from:moscow' cables.csv")]
    Search(search::SearchArgs),
    /// Print the reference graph: who cites whom, as JSON lines or a Graphviz picture.
    #[command(after_help = "Examples:
  cabletriage refs cables.csv > refs.jsonl
  cabletriage refs --id 08STATE39114 --depth 2 ~/cablegate/cable
  cabletriage refs --format dot --id 08MOSCOW1052 cables.csv | dot -Tsvg > thread.svg")]
    Refs(refs::RefsArgs),
    /// Print a shell's completion script for cabletriage.
    #[command(after_help = "Examples:
  source <(cabletriage completions bash)                  # bash, this shell only
  cabletriage completions zsh > ~/.zfunc/_cabletriage      # zsh, with ~/.zfunc in fpath
  cabletriage completions fish > ~/.config/fish/completions/cabletriage.fish")]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page, cabletriage.1 (every command and option), or write it to a folder.
    #[command(after_help = "Examples:
  cabletriage man | man -l -
  cabletriage man --out ~/.local/share/man/man1")]
    Man {
        /// Write cabletriage.1, and a page per command (cabletriage-dispose.1, ...), in
        /// this folder instead of printing.
        #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        out: Option<PathBuf>,
    },
    /// For tests: single-cable dispositions in a loop, each reported once committed.
    #[command(hide = true)]
    StoreStress(triage::StressArgs),
}

#[derive(Subcommand, Debug)]
pub enum KeymapCommand {
    /// Report every problem of a keymap file (and the files it extends) with file:line:col;
    /// without a path, the shipped keymaps and the user's keymap.toml.
    #[command(after_help = "Examples:
  cabletriage keymap check                      # default, vim, emacs and your keymap.toml
  cabletriage keymap check vim
  cabletriage keymap check my-keys.toml")]
    Check {
        /// A shipped keymap (default, vim, emacs) or a keymap file.
        #[arg(value_name = "NAME|PATH", value_parser = keymap_paths(), hide_possible_values = true)]
        path: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Report every problem of config.toml with file:line:col (unknown settings, values of
    /// the wrong type or not allowed), then check the keymap it uses (the one `keymap`
    /// names, else the user's keymap.toml when there is one). Exit status: 0 clean, 1 with
    /// problems, 2 when the file cannot be read.
    #[command(after_help = "Examples:
  cabletriage config check
  cabletriage config check ~/team/config.toml")]
    Check {
        /// The settings file to check (default: config.toml in the config folder).
        #[arg(value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
        path: Option<PathBuf>,
    },
    /// Print where each file lives (settings, keymap, store, caches) and whether it exists.
    #[command(after_help = "Examples:
  cabletriage config path
  cabletriage --store team.sqlite config path
  cabletriage config path cables.csv        # with that corpus's index cache and text index")]
    Path {
        /// A corpus (files and folders, as the app takes them): its index cache and text
        /// index are listed too.
        #[arg(value_name = "CORPUS", value_hint = clap::ValueHint::AnyPath)]
        corpus: Vec<PathBuf>,
    },
    /// Print the settings in effect and where each came from: default, config file,
    /// environment or flag.
    #[command(after_help = "Examples:
  cabletriage config show
  CABLETRIAGE_ANALYST=jane cabletriage --keymap vim config show")]
    Show,
}

/// `parse --format`: [`Format`] for clap, so that `--help` lists the values (the reader
/// knows nothing of clap).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum InputFormat {
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
    pub fn flags(&self) -> Flags {
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
    /// `config path` and `config show` take them, since they report their effect.
    pub fn app_options(&self) -> Option<String> {
        let reports_flags = matches!(
            self.command,
            Some(Command::Config {
                command: ConfigCommand::Path { .. } | ConfigCommand::Show
            })
        );
        let mut given = Vec::new();
        if self.keymap.is_some() && !reports_flags {
            given.push("--keymap");
        }
        if self.after_disposition.is_some() && !reports_flags {
            given.push("--after-disposition");
        }
        if self.read_only && !reports_flags {
            given.push("--read-only");
        }
        if self.theme.is_some() && !reports_flags {
            given.push("--theme");
        }
        if !self.paths.is_empty() {
            given.push("corpus paths");
        }
        (!given.is_empty()).then(|| given.join(", "))
    }
}

/// The whole command line as a [`clap::Command`], for completions, the man page and tests.
pub fn command() -> clap::Command {
    <Args as clap::CommandFactory>::command()
}

/// [`command`] without its hidden commands (clap's generators list them), for what users
/// read: completions.
pub fn visible_command() -> clap::Command {
    let full = command();
    let mut visible = clap::Command::new("cabletriage").version(env!("CARGO_PKG_VERSION"));
    if let Some(about) = full.get_about() {
        visible = visible.about(about.clone());
    }
    for arg in full.get_arguments() {
        visible = visible.arg(arg.clone());
    }
    for sub in full.get_subcommands().filter(|s| !s.is_hide_set()) {
        visible = visible.subcommand(sub.clone());
    }
    visible
}

/// A value read by `inner` (so any text, a path, a cable id, is taken) whose usual values
/// shells complete: it only advertises `names`.
#[derive(Clone)]
pub struct Suggesting<P> {
    inner: P,
    names: &'static [&'static str],
}

pub fn suggesting<P>(inner: P, names: &'static [&'static str]) -> Suggesting<P> {
    Suggesting { inner, names }
}

impl<P: TypedValueParser> TypedValueParser for Suggesting<P> {
    type Value = P::Value;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<P::Value, clap::Error> {
        self.inner.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().copied().map(PossibleValue::new)))
    }
}

/// The names of the shipped keymaps, as `--keymap` and `keymap check` take them.
const KEYMAP_NAMES: [&str; SHIPPED.len()] = {
    let mut names = [""; SHIPPED.len()];
    let mut i = 0;
    while i < SHIPPED.len() {
        names[i] = SHIPPED[i].0;
        i += 1;
    }
    names
};

fn keymap_names() -> Suggesting<StringValueParser> {
    suggesting(StringValueParser::new(), &KEYMAP_NAMES)
}

/// The shipped themes, completed after `--theme` (a path to a theme file is taken too).
fn theme_names() -> Suggesting<StringValueParser> {
    suggesting(StringValueParser::new(), &crate::tui::theme::SHIPPED)
}

fn keymap_paths() -> Suggesting<PathBufValueParser> {
    suggesting(PathBufValueParser::new(), &KEYMAP_NAMES)
}

/// The dispositions, completed after the cable ids of `dispose`.
pub const DISPOSITION_NAMES: [&str; 5] = [
    "untriaged",
    "actioned",
    "follow-up",
    "forwarded",
    "no-action",
];

pub fn disposition_names() -> Suggesting<StringValueParser> {
    suggesting(StringValueParser::new(), &DISPOSITION_NAMES)
}

/// `--after-disposition`: only these three, listed by `--help` and completed by shells.
fn advance_parser() -> impl TypedValueParser<Value = Advance> {
    PossibleValuesParser::new(["next", "next-untriaged", "stay"]).try_map(|s| s.parse::<Advance>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn keymap_names_advertise_the_shipped_keymaps_and_take_any_path() {
        assert_eq!(KEYMAP_NAMES, ["default", "vim", "emacs"]);
        let args = Args::try_parse_from(["cabletriage", "--keymap", "./mine.toml"]);
        assert_eq!(
            args.map(|a| a.keymap).ok().flatten().as_deref(),
            Some("./mine.toml")
        );
        let args = Args::try_parse_from(["cabletriage", "--after-disposition", "later"]);
        assert!(args.is_err(), "only the three moves");
        let names = crate::store::Disposition::ALL.map(|d| d.as_str());
        assert_eq!(DISPOSITION_NAMES, names);
    }
}

#[derive(Subcommand, Debug, Clone)]
pub enum StoreCommand {
    /// Copy every record and the whole history of FROM into TO (created when missing), in
    /// batches; safe to run again, and to rerun after an interruption. Ends by reading TO
    /// again and checking it against FROM.
    #[command(after_help = "Examples:
  cabletriage store copy triage.sqlite postgres://alice@db.example/triage
  cabletriage store copy postgres://alice@db.example/triage backup.sqlite")]
    Copy {
        /// The store to copy: a SQLite file or a postgres:// URL (opened read-only).
        #[arg(value_name = "FROM", value_hint = clap::ValueHint::AnyPath)]
        from: PathBuf,
        /// The store to copy into: a SQLite file or a postgres:// URL.
        #[arg(value_name = "TO", value_hint = clap::ValueHint::AnyPath)]
        to: PathBuf,
    },
}
