//! The triage store's commands: `dispose`, `tag`, `history`, `export`, `import`, and the
//! hidden `store-stress` used by the crash and concurrency tests.
//!
//! Each command has a clap [`clap::Args`] struct (so the binary embeds it as a subcommand)
//! and a function returning the exit code: 0 done, 1 done with some input skipped, 2 nothing
//! done (bad arguments, a store that cannot be opened). Messages go to standard error as
//! `cabletriage: ...`; errors from the store name its path. The work itself is in
//! [`crate::store`]; this file only reads arguments and prints.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::Args;

use crate::cable::reference_id::canonicalize_id;
use crate::corpus::Entry;
use crate::corpus::load::{LoadEvent, load};
use crate::corpus::query::{self, StoreTerm};
use crate::store::export::{ExportFormat, ExportRow, read_export, write_csv, write_json};
use crate::store::{
    ActionRecord, Change, Disposition, SqliteStore, StoreError, TriageStore, default_analyst,
    default_store_path, store_matches,
};

/// Where the store is and who is working.
#[derive(Args, Debug, Clone, Default)]
pub struct StoreArgs {
    /// The triage store (default: $CABLETRIAGE_STORE, else triage.sqlite in the data
    /// folder).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
}

impl StoreArgs {
    pub fn path(&self) -> PathBuf {
        self.store.clone().unwrap_or_else(default_store_path)
    }
}

/// `cabletriage dispose ID... STATE [--note TEXT]`
#[derive(Args, Debug, Clone)]
pub struct DisposeArgs {
    /// Cable ids, then the disposition: untriaged, actioned, follow-up, forwarded or
    /// no-action.
    #[arg(required = true, num_args = 2.., value_name = "ID... STATE")]
    pub ids_and_state: Vec<String>,
    /// A note kept with the disposition (without one, an earlier note is cleared).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Who is recording this (default: $CABLETRIAGE_ANALYST, else the login name).
    #[arg(long, value_name = "NAME")]
    pub analyst: Option<String>,
}

/// `cabletriage tag ID... +TAG -TAG ...`
#[derive(Args, Debug, Clone)]
pub struct TagArgs {
    /// Cable ids and tag changes: +TAG adds the tag, -TAG removes it.
    #[arg(required = true, num_args = 2.., allow_hyphen_values = true, value_name = "ID|+TAG|-TAG")]
    pub items: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Who is recording this (default: $CABLETRIAGE_ANALYST, else the login name).
    #[arg(long, value_name = "NAME")]
    pub analyst: Option<String>,
}

/// `cabletriage history [ID]`
#[derive(Args, Debug, Clone)]
pub struct HistoryArgs {
    /// Only this cable's history.
    pub id: Option<String>,
    /// Only the latest N entries.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// The formats of `export`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For spreadsheets: formula-like cells are prefixed with '.
    #[default]
    Csv,
    /// One JSON array, one object per line.
    Json,
}

/// `cabletriage export [--format csv|json] [--filter QUERY] [PATH...]`
#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Only records whose cable matches this query (the filter bar's language).
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Corpus files or folders: their cables' id, date, precedence, classification, origin
    /// and subject are exported with the records.
    pub paths: Vec<PathBuf>,
}

/// `cabletriage import FILE`
#[derive(Args, Debug, Clone)]
pub struct ImportArgs {
    /// An export (CSV or JSON, by extension or content).
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `cabletriage store-stress --store PATH --count N [--first N]` (hidden: for tests).
#[derive(Args, Debug, Clone)]
pub struct StressArgs {
    #[arg(long)]
    pub store: PathBuf,
    #[arg(long)]
    pub count: u64,
    /// The number of the first cable id (`90STRESS<n>`), so that runs use distinct ids.
    #[arg(long, default_value_t = 0)]
    pub first: u64,
}

/// A command's failure, already worded.
struct Fail(i32);

fn say(err: &mut dyn Write, message: impl std::fmt::Display) {
    let _ = writeln!(err, "cabletriage: {message}");
}

fn store_failed(err: &mut dyn Write, e: StoreError) -> Fail {
    say(err, e);
    Fail(2)
}

fn write_failed(err: &mut dyn Write, e: io::Error) -> Fail {
    // A closed pipe (`| head`) is the reader's choice, not a failure.
    if e.kind() == io::ErrorKind::BrokenPipe {
        return Fail(0);
    }
    say(err, format!("cannot write output: {e}"));
    Fail(2)
}

/// Runs a command on the process's standard streams.
fn on_std_streams(run: impl FnOnce(&mut dyn Write, &mut dyn Write) -> Result<i32, Fail>) -> i32 {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let code = match run(&mut out, &mut err) {
        Ok(code) => code,
        Err(Fail(code)) => code,
    };
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            say(&mut err, format!("cannot write output: {e}"));
            2
        }
        _ => code,
    }
}

fn analyst(given: Option<&str>) -> String {
    given
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .unwrap_or_else(default_analyst)
}

/// `cabletriage dispose`: sets the disposition (and note) of the cables, as one action.
pub fn dispose(args: &DisposeArgs) -> i32 {
    on_std_streams(|out, err| run_dispose(args, out, err))
}

fn run_dispose(args: &DisposeArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Fail> {
    let Some((state, ids)) = args.ids_and_state.split_last() else {
        say(err, "dispose: give cable ids and a disposition");
        return Err(Fail(2));
    };
    if ids.is_empty() {
        say(
            err,
            "dispose: give at least one cable id before the disposition",
        );
        return Err(Fail(2));
    }
    let disposition: Disposition = state.parse().map_err(|e| {
        say(err, e);
        Fail(2)
    })?;
    let ids = canonical_ids(ids, err)?;
    let action = ActionRecord::dispose_all(
        analyst(args.analyst.as_deref()),
        ids.iter().map(String::as_str),
        disposition,
        args.note.as_deref(),
    );
    let mut store = SqliteStore::open(&args.store.path()).map_err(|e| store_failed(err, e))?;
    let applied = store.apply(&action).map_err(|e| store_failed(err, e))?;
    let changed: std::collections::BTreeSet<&str> =
        applied.changes.iter().map(|c| c.id()).collect();
    writeln!(
        out,
        "{} of {} cable{} set to {disposition}{}",
        changed.len(),
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        if changed.len() < ids.len() {
            " (the others already were)"
        } else {
            ""
        }
    )
    .map_err(|e| write_failed(err, e))?;
    Ok(0)
}

/// Canonical ids, each once, in the order given.
fn canonical_ids(raw: &[String], err: &mut dyn Write) -> Result<Vec<String>, Fail> {
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::new();
    for r in raw {
        let id = canonicalize_id(r);
        if id.is_empty() {
            say(err, format!("{r:?} is not a cable id"));
            return Err(Fail(2));
        }
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// `cabletriage tag`: adds (`+TAG`) and removes (`-TAG`) the analyst's tags, as one action.
pub fn tag(args: &TagArgs) -> i32 {
    on_std_streams(|out, err| run_tag(args, out, err))
}

/// The flags among `-TAG` items: once clap sees a value starting with `-` among the items
/// it takes everything after as items (it cannot tell `-urgent` from a flag), so `--store`
/// and `--analyst` written after the items are picked out here.
fn tag_flags(args: &TagArgs, err: &mut dyn Write) -> Result<TagArgs, Fail> {
    let mut fixed = TagArgs {
        items: Vec::new(),
        ..args.clone()
    };
    let mut items = args.items.iter();
    while let Some(item) = items.next() {
        let (flag, inline) = match item.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (item.as_str(), None),
        };
        if flag != "--store" && flag != "--analyst" {
            fixed.items.push(item.clone());
            continue;
        }
        let Some(value) = inline.or_else(|| items.next().cloned()) else {
            say(err, format!("tag: {flag} needs a value"));
            return Err(Fail(2));
        };
        if flag == "--store" {
            fixed.store.store = Some(PathBuf::from(value));
        } else {
            fixed.analyst = Some(value);
        }
    }
    Ok(fixed)
}

fn run_tag(args: &TagArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Fail> {
    let args = &tag_flags(args, err)?;
    let mut raw_ids = Vec::new();
    let mut ops = Vec::new();
    for item in &args.items {
        if let Some(t) = item.strip_prefix('+') {
            ops.push(Change::AddTag { tag: t.to_string() });
        } else if let Some(t) = item.strip_prefix('-') {
            ops.push(Change::RemoveTag { tag: t.to_string() });
        } else {
            raw_ids.push(item.clone());
        }
    }
    if raw_ids.is_empty() || ops.is_empty() {
        say(
            err,
            "tag: give cable ids and at least one +TAG (add) or -TAG (remove)",
        );
        return Err(Fail(2));
    }
    for op in &ops {
        if let Change::AddTag { tag } | Change::RemoveTag { tag } = op
            && let Err(e) = crate::store::record::check_tag(tag)
        {
            say(err, format!("tag: {e}"));
            return Err(Fail(2));
        }
    }
    let ids = canonical_ids(&raw_ids, err)?;
    let mut action = ActionRecord::new(analyst(args.analyst.as_deref()));
    for id in &ids {
        for op in &ops {
            action = action.with(id.clone(), op.clone());
        }
    }
    let mut store = SqliteStore::open(&args.store.path()).map_err(|e| store_failed(err, e))?;
    let applied = store.apply(&action).map_err(|e| store_failed(err, e))?;
    writeln!(
        out,
        "{} tag change{} on {} cable{}",
        applied.changes.len(),
        if applied.changes.len() == 1 { "" } else { "s" },
        ids.len(),
        if ids.len() == 1 { "" } else { "s" }
    )
    .map_err(|e| write_failed(err, e))?;
    Ok(0)
}

/// `cabletriage history`: one line per change, oldest first:
/// `TIME<TAB>ANALYST<TAB>ID<TAB>FIELD<TAB>FROM → TO`, with `-` for no value.
pub fn history(args: &HistoryArgs) -> i32 {
    on_std_streams(|out, err| run_history(args, out, err))
}

fn run_history(args: &HistoryArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Fail> {
    let store =
        SqliteStore::open_read_only(&args.store.path()).map_err(|e| store_failed(err, e))?;
    let id = args.id.as_deref().map(canonicalize_id);
    let entries = store
        .history(id.as_deref(), args.limit.unwrap_or(usize::MAX))
        .map_err(|e| store_failed(err, e))?;
    for h in entries {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{} → {}",
            h.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            one_line(&h.analyst),
            h.id,
            h.field,
            h.from.as_deref().map_or("-".into(), one_line),
            h.to.as_deref().map_or("-".into(), one_line),
        )
        .map_err(|e| write_failed(err, e))?;
    }
    Ok(0)
}

/// A value on one line: line breaks and tabs as `\n`, `\r`, `\t`.
fn one_line(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// `cabletriage export`: the records (all of them, or those matching `--filter`), joined
/// with the cables of the corpus given, as CSV or one JSON array on standard output.
pub fn export(args: &ExportArgs) -> i32 {
    on_std_streams(|out, err| run_export(args, out, err))
}

fn run_export(args: &ExportArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Fail> {
    let query = match &args.filter {
        None => None,
        Some(text) => {
            let (q, errors) = query::parse(text);
            if !errors.is_empty() {
                for e in errors {
                    say(err, format!("--filter: {e}"));
                }
                return Err(Fail(2));
            }
            Some(q)
        }
    };
    let store =
        SqliteStore::open_read_only(&args.store.path()).map_err(|e| store_failed(err, e))?;
    let records = store.records().map_err(|e| store_failed(err, e))?;
    let (cables, problems) = read_corpus(&args.paths, err);
    let mut rows = Vec::new();
    for record in &records {
        let cable = cables.get(&record.id);
        if let Some(q) = &query {
            let blank;
            let entry = match cable {
                Some(e) => e,
                None => {
                    blank = blank_entry(&record.id);
                    &blank
                }
            };
            let eval = |term: &StoreTerm, _: &Entry| store_matches(term, Some(record));
            if q.matches_with(entry, &eval).is_none() {
                continue;
            }
        }
        rows.push(ExportRow::new(record, cable));
    }
    match args.format {
        Format::Csv => write_csv(&rows, out),
        Format::Json => write_json(&rows, out),
    }
    .map_err(|e| write_failed(err, e))?;
    Ok(if problems > 0 { 1 } else { 0 })
}

/// The corpus's entries by canonical id (the first of duplicates), and how many inputs were
/// skipped; problems are reported on `err`.
fn read_corpus(paths: &[PathBuf], err: &mut dyn Write) -> (HashMap<String, Entry>, u64) {
    let mut cables = HashMap::new();
    let mut problems = 0;
    if paths.is_empty() {
        return (cables, 0);
    }
    let cancel = AtomicBool::new(false);
    load(paths, &cancel, &mut |event| match event {
        LoadEvent::Batch { entries, .. } => {
            for e in entries {
                cables.entry(canonicalize_id(&e.id)).or_insert(e);
            }
        }
        LoadEvent::Problem(p) => {
            if p.skipped {
                problems += 1;
            }
            let _ = writeln!(err, "{p}");
        }
        LoadEvent::Done { .. } => {}
    });
    (cables, problems)
}

/// What a cable not in the corpus looks like to a query: only its id is known.
fn blank_entry(id: &str) -> Entry {
    Entry::blank(id)
}

/// `cabletriage import`: merges an export into the store, as one action. The newer record
/// wins; written records keep their analyst and time, and the history names the analyst
/// `import:<analyst>`.
pub fn import(args: &ImportArgs) -> i32 {
    on_std_streams(|out, err| run_import(args, out, err))
}

fn run_import(args: &ImportArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Fail> {
    let file = &args.file;
    let bytes = std::fs::read(file).map_err(|e| {
        say(err, format!("{}: cannot read: {e}", file.display()));
        Fail(2)
    })?;
    let format = ExportFormat::guess(&file.to_string_lossy(), &bytes);
    let records = read_export(&bytes, format).map_err(|e| {
        say(err, format!("{}: {e}", file.display()));
        Fail(2)
    })?;
    let mut store = SqliteStore::open(&args.store.path()).map_err(|e| store_failed(err, e))?;
    let summary = store.import(&records).map_err(|e| store_failed(err, e))?;
    writeln!(
        out,
        "{}: {} record{} written, {} unchanged, {} kept (changed later in the store)",
        file.display(),
        summary.written,
        if summary.written == 1 { "" } else { "s" },
        summary.unchanged,
        summary.kept_newer
    )
    .map_err(|e| write_failed(err, e))?;
    Ok(0)
}

/// The child of the crash and concurrency tests: `count` single-cable actions on ids
/// `90STRESS<first>`, `90STRESS<first+1>`, ..., each printing `committed <id> <state>` and
/// flushing standard output only after its commit returned.
pub fn stress(store: &Path, count: u64, first: u64) -> i32 {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let mut store = match SqliteStore::open(store) {
        Ok(s) => s,
        Err(e) => return store_failed(&mut err, e).0,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let states = &Disposition::ALL[1..];
    for n in first..first.saturating_add(count) {
        let id = format!("90STRESS{n}");
        let state = states[(n % states.len() as u64) as usize];
        let action = ActionRecord::dispose_all("stress", [id.as_str()], state, None);
        if let Err(e) = store.apply(&action) {
            return store_failed(&mut err, e).0;
        }
        if writeln!(out, "committed {id} {state}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(clap::Subcommand)]
    enum Command {
        Dispose(DisposeArgs),
        Tag(TagArgs),
        History(HistoryArgs),
        Export(ExportArgs),
        Import(ImportArgs),
    }

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("cabletriage").chain(args.iter().copied()))
            .unwrap()
            .command
    }

    fn run(command: &Command) -> (i32, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = match command {
            Command::Dispose(a) => run_dispose(a, &mut out, &mut err),
            Command::Tag(a) => run_tag(a, &mut out, &mut err),
            Command::History(a) => run_history(a, &mut out, &mut err),
            Command::Export(a) => run_export(a, &mut out, &mut err),
            Command::Import(a) => run_import(a, &mut out, &mut err),
        };
        let code = result.unwrap_or_else(|Fail(c)| c);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn dispose_tag_history_export_import() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("s.sqlite");
        let s = store.to_str().unwrap();
        let (code, out, err) = run(&parse(&[
            "dispose",
            "08moscow1052",
            "09STATE7",
            "follow_up",
            "--note",
            "=ask",
            "--store",
            s,
            "--analyst",
            "alice",
        ]));
        assert_eq!((code, err.as_str()), (0, ""));
        assert!(out.starts_with("2 of 2 cables set to follow-up"), "{out}");

        let (code, _, err) = run(&parse(&["dispose", "08MOSCOW1052", "later", "--store", s]));
        assert_eq!(code, 2);
        assert!(
            err.contains("unknown disposition \"later\"") && err.contains("no-action"),
            "{err}"
        );

        let (code, out, err) = run(&parse(&[
            "tag",
            "08MOSCOW1052",
            "+energy",
            "-urgent",
            "+arms",
            "--store",
            s,
            "--analyst",
            "bob",
        ]));
        assert_eq!((code, err.as_str()), (0, ""), "{out}");
        assert!(out.starts_with("2 tag changes on 1 cable"), "{out}");

        let (code, out, _) = run(&parse(&["history", "08MOSCOW1052", "--store", s]));
        assert_eq!(code, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(
            lines[0].ends_with("\talice\t08MOSCOW1052\tdisposition\tuntriaged → follow-up"),
            "{out}"
        );
        assert!(lines[1].ends_with("\tnote\t- → =ask"), "{out}");

        let (code, csv, err) = run(&parse(&[
            "export",
            "--filter",
            "mytag:energy",
            "--store",
            s,
        ]));
        assert_eq!((code, err.as_str()), (0, ""));
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(csv.contains(",'=ask,"), "{csv}");

        let (code, json, _) = run(&parse(&["export", "--format", "json", "--store", s]));
        assert_eq!(code, 0);
        let file = dir.path().join("export.json");
        std::fs::write(&file, &json).unwrap();
        let empty = dir.path().join("empty.sqlite");
        let (code, out, err) = run(&parse(&[
            "import",
            file.to_str().unwrap(),
            "--store",
            empty.to_str().unwrap(),
        ]));
        assert_eq!((code, err.as_str()), (0, ""));
        assert!(out.contains("2 records written"), "{out}");
        let (_, json2, _) = run(&parse(&[
            "export",
            "--format",
            "json",
            "--store",
            empty.to_str().unwrap(),
        ]));
        assert_eq!(json, json2);

        let (code, _, err) = run(&parse(&["export", "--filter", "date:banana", "--store", s]));
        assert_eq!(code, 2);
        assert!(err.contains("--filter"), "{err}");
    }

    #[test]
    fn export_joins_the_corpus_and_keeps_records_of_cables_not_open() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("s.sqlite");
        let s = store.to_str().unwrap();
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let plain = format!("{fixtures}/plain.txt");
        let dump = format!("{fixtures}/dump.csv");
        let (code, _, err) = run(&parse(&[
            "dispose",
            "09OSLO123",
            "09STATE20001",
            "99NOWHERE1",
            "actioned",
            "--store",
            s,
        ]));
        assert_eq!((code, err.as_str()), (0, ""));
        // The fixture dump has a broken row: reported, the rest exported, exit 1.
        let (code, csv, err) = run(&parse(&["export", "--store", s, &plain, &dump]));
        assert_eq!(code, 1);
        assert!(err.contains("dump.csv:3"), "{err}");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert!(
            lines[1]
                .starts_with("09OSLO123,2009-02-14T10:20:00Z,PRIORITY,CONFIDENTIAL,Embassy Oslo,"),
            "{csv}"
        );
        assert!(lines[3].starts_with("99NOWHERE1,,,,,,actioned,"), "{csv}");
        // A field term filters on the cable; a cable not open matches none.
        let (code, csv, _) = run(&parse(&[
            "export",
            "--filter",
            "prec:priority is:actioned",
            "--store",
            s,
            &plain,
            &dump,
        ]));
        assert_eq!(code, 1);
        assert_eq!(csv.lines().count(), 2, "{csv}");
        let (_, csv, _) = run(&parse(&[
            "export",
            "--filter",
            "!from:oslo",
            "--store",
            s,
            &plain,
            &dump,
        ]));
        assert_eq!(csv.lines().count(), 3, "{csv}");
    }

    #[test]
    fn tag_takes_hyphen_values_and_still_flags() {
        let Command::Tag(a) = parse(&[
            "tag",
            "A1",
            "-old",
            "+new",
            "--store",
            "x.sqlite",
            "--analyst=bob",
        ]) else {
            panic!("not tag");
        };
        let a = tag_flags(&a, &mut Vec::new()).unwrap_or_else(|_| panic!("flags"));
        assert_eq!(a.items, ["A1", "-old", "+new"]);
        assert_eq!(a.store.store.as_deref(), Some(Path::new("x.sqlite")));
        assert_eq!(a.analyst.as_deref(), Some("bob"));
    }

    #[test]
    fn reading_commands_do_not_create_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("none.sqlite");
        let (code, _, err) = run(&parse(&["history", "--store", store.to_str().unwrap()]));
        assert_eq!(code, 2);
        assert!(
            err.contains("none.sqlite") && err.contains("no such file"),
            "{err}"
        );
        assert!(!store.exists());
    }
}
