//! The triage store's commands: `dispose`, `assign`, `tag`, `history`, `export`, `import`,
//! and the hidden `store-stress` used by the crash and concurrency tests.
//!
//! Each command has a clap [`clap::Args`] struct (so the binary embeds it as a subcommand)
//! and a function returning the exit code: 0 done, 1 done with some input skipped, 2 nothing
//! done (bad arguments, a store that cannot be opened), 3 nothing done because it would
//! overwrite another analyst's disposition or assignment (`--force` writes anyway; see
//! [`overwrites`]). Messages go to standard error as
//! `cabletriage: ...`; errors from the store name its path. The work itself is in
//! [`crate::store`]; this file only reads arguments and prints.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::Args;

use crate::cable::reference_id::{canonicalize_id, given_cable_id};
use crate::config::{Flags, Settings, shown};
use crate::corpus::Entry;
use crate::corpus::load::{LoadEvent, load};
use crate::corpus::query::{self, StoreTerm, TermKind};
use crate::sanitize::safe;
use crate::store::export::{
    ExportFormat, ExportRow, ImportRow, read_export_at, write_csv, write_json,
};
use crate::store::{
    ActionRecord, Change, Conflict, Disposition, Expect, OpenOptions, Record, StoreError,
    TriageStore, store_matches,
};

/// `--store` and `--analyst`: global, so that they may come before or after the command's
/// name (`cabletriage --store s.sqlite history`, `cabletriage history --store s.sqlite`).
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// The triage store, for the app and the commands that read or write records (default:
    /// $CABLETRIAGE_STORE, else `store` in config.toml, else triage.sqlite in the data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Your name in the triage history, for the app and the commands that record (default:
    /// $CABLETRIAGE_ANALYST, else `analyst` in config.toml, else the login name).
    #[arg(long, global = true, value_name = "NAME")]
    pub analyst: Option<String>,
}

/// `cabletriage dispose ID... STATE [--note TEXT] [--corpus PATH]`
#[derive(Args, Debug, Clone)]
pub struct DisposeArgs {
    /// Cable ids, then the disposition: untriaged, actioned, follow-up, forwarded or
    /// no-action.
    // One or more per occurrence, so that options may come between them
    // (`dispose ID --note x actioned`); at least two in all is checked by `dispose`.
    #[arg(required = true, num_args = 1.., value_name = "ID... STATE",
          value_parser = crate::cli::args::disposition_names(), hide_possible_values = true)]
    pub ids_and_state: Vec<String>,
    /// A note to set with the disposition (without one, the note is left as it is); it may
    /// start with `-` (`--note -2`).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Refuse ids of cables not in this corpus (files or folders; may be repeated).
    #[arg(long, value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Change cables whose disposition another analyst set to something else (without it,
    /// nothing is changed and the exit status is 3).
    #[arg(long)]
    pub force: bool,
}

/// `cabletriage assign ID... NAME`, `cabletriage assign ID... --unassign`
#[derive(Args, Debug, Clone)]
pub struct AssignArgs {
    /// Cable ids, then the analyst to assign them to (none with --unassign).
    #[arg(required = true, num_args = 1.., value_name = "ID... NAME")]
    pub ids_and_name: Vec<String>,
    /// Assign the cables to nobody: every argument is a cable id.
    #[arg(long)]
    pub unassign: bool,
    /// Change cables that another analyst assigned to someone else (without it, nothing is
    /// changed and the exit status is 3).
    #[arg(long)]
    pub force: bool,
    /// Refuse ids of cables not in this corpus (files or folders; may be repeated).
    #[arg(long, value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
}

/// `cabletriage tag ID... +TAG -TAG ... [--corpus PATH]`
#[derive(Args, Debug, Clone)]
pub struct TagArgs {
    /// Cable ids and tag changes: +TAG adds the tag, -TAG removes it.
    #[arg(required = true, num_args = 2.., allow_hyphen_values = true, value_name = "ID|+TAG|-TAG")]
    pub items: Vec<String>,
    /// Refuse ids of cables not in this corpus (files or folders; may be repeated).
    #[arg(long, value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
}

/// `cabletriage history [ID]`
#[derive(Args, Debug, Clone)]
pub struct HistoryArgs {
    /// Only this cable's history.
    pub id: Option<String>,
    /// Only the latest N entries.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
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
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Only records whose cable matches this query (the filter bar's language).
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
    /// Corpus files or folders: their cables' id, date, precedence, classification, origin
    /// and subject are exported with the records.
    pub paths: Vec<PathBuf>,
}

/// `cabletriage import FILE`
#[derive(Args, Debug, Clone)]
pub struct ImportArgs {
    /// An export (CSV or JSON, by extension or content).
    pub file: PathBuf,
    /// Refuse records of cables not in this corpus (files or folders; may be repeated).
    #[arg(long, value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
}

/// `cabletriage store-stress --store PATH --count N [--first N]` (hidden: for tests).
#[derive(Args, Debug, Clone)]
pub struct StressArgs {
    // The store is the global `--store` (required by the binary for this command).
    #[arg(long)]
    pub count: u64,
    /// The number of the first cable id (`90STRESS<n>`), so that runs use distinct ids.
    #[arg(long, default_value_t = 0)]
    pub first: u64,
}

/// A command's failure, already worded.
struct Fail(i32);

/// A message on standard error, through the sanitiser: messages quote file names, ids and
/// store errors, all untrusted.
fn say(err: &mut dyn Write, message: impl std::fmt::Display) {
    let _ = writeln!(err, "cabletriage: {}", safe(&message.to_string()));
}

/// The store for a command that only reads it; `None` when the default store is not made
/// yet (no record at all). A store named by a flag, the environment or config.toml must
/// exist: a typo is no store.
fn store_to_read(
    settings: &Settings,
    err: &mut dyn Write,
) -> Result<Option<Box<dyn TriageStore>>, Fail> {
    match crate::store::open_read_only(&settings.store.value) {
        Ok(store) => Ok(Some(store)),
        Err(e)
            if matches!(e.kind, crate::store::StoreErrorKind::Missing)
                && settings.store.source == crate::config::Source::Default =>
        {
            say(
                err,
                format!(
                    "no record yet: the store {} is made at the first record",
                    crate::store::shown_location(&settings.store.value)
                ),
            );
            Ok(None)
        }
        Err(e) => Err(store_failed(err, e)),
    }
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

/// The settings of the command (flags, environment, config.toml), or exit 2 before doing
/// anything when they are wrong.
fn settings(flags: &Flags, err: &mut dyn Write) -> Result<Settings, Fail> {
    Settings::load(flags).map_err(|e| {
        say(err, e);
        Fail(2)
    })
}

/// `cabletriage dispose`: sets the disposition (and note) of the cables, as one action.
pub fn dispose(args: &DisposeArgs, flags: &Flags) -> i32 {
    on_std_streams(|out, err| run_dispose(args, &settings(flags, err)?, out, err))
}

fn run_dispose(
    args: &DisposeArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Fail> {
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
    let ids = canonical_ids("dispose", ids, err)?;
    in_corpus("dispose", &ids, &args.corpus, err)?;
    let me = settings.analyst.value.as_str();
    let mut store = crate::store::open(&settings.store.value, &OpenOptions::default())
        .map_err(|e| store_failed(err, e))?;
    let seen = current_values(store.as_ref(), &ids, "disposition", |r| {
        (r.disposition != Disposition::Untriaged).then(|| r.disposition.as_str().to_string())
    })
    .map_err(|e| store_failed(err, e))?;
    if !args.force {
        refuse_overwrites(
            "dispose",
            store.as_ref(),
            me,
            &seen,
            Some(disposition.as_str()),
            err,
        )?;
    }
    let mut action = ActionRecord::new(me);
    for (id, value) in ids.iter().zip(&seen) {
        let was = value
            .as_deref()
            .map_or(Ok(Disposition::Untriaged), str::parse);
        let expect = match was {
            Ok(d) if !args.force => Expect::Was(d),
            _ => Expect::Any,
        };
        action = action.with(
            id.clone(),
            Change::SetDisposition {
                disposition,
                expect,
            },
        );
        if let Some(note) = &args.note {
            action = action.with(id.clone(), Change::note(Some(note.clone())));
        }
    }
    let applied =
        apply_unless_already_so(store.as_mut(), action).map_err(|e| store_failed(err, e))?;
    conflicts_since("dispose", &applied.conflicts, err)?;
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

/// `cabletriage assign`: assigns the cables to an analyst (or to nobody), as one action.
pub fn assign(args: &AssignArgs, flags: &Flags) -> i32 {
    on_std_streams(|out, err| run_assign(args, &settings(flags, err)?, out, err))
}

fn run_assign(
    args: &AssignArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Fail> {
    let (name, raw_ids) = if args.unassign {
        (None, args.ids_and_name.as_slice())
    } else {
        match args.ids_and_name.split_last() {
            Some((name, ids)) if !ids.is_empty() => (Some(name), ids),
            _ => {
                say(
                    err,
                    "assign: give cable ids, then the analyst (or --unassign)",
                );
                return Err(Fail(2));
            }
        }
    };
    let name = match name {
        None => None,
        Some(n) if given_cable_id(n).is_some() => {
            say(
                err,
                format!(
                    "assign: {} is a cable id: give the analyst last (or --unassign)",
                    shown(n)
                ),
            );
            return Err(Fail(2));
        }
        Some(n) => match crate::store::check_analyst(n) {
            Ok(n) => Some(n.to_string()),
            Err(e) => {
                say(err, format!("assign: {e}"));
                return Err(Fail(2));
            }
        },
    };
    let ids = canonical_ids("assign", raw_ids, err)?;
    in_corpus("assign", &ids, &args.corpus, err)?;
    let me = settings.analyst.value.as_str();
    let mut store = crate::store::open(&settings.store.value, &OpenOptions::default())
        .map_err(|e| store_failed(err, e))?;
    let seen = current_values(store.as_ref(), &ids, "assignee", |r| r.assignee.clone())
        .map_err(|e| store_failed(err, e))?;
    if !args.force {
        refuse_overwrites("assign", store.as_ref(), me, &seen, name.as_deref(), err)?;
    }
    let mut action = ActionRecord::new(me);
    for (id, was) in ids.iter().zip(&seen) {
        let expect = if args.force {
            Expect::Any
        } else {
            Expect::Was(was.value.clone())
        };
        action = action.with(
            id.clone(),
            Change::SetAssignee {
                assignee: name.clone(),
                expect,
            },
        );
    }
    let applied =
        apply_unless_already_so(store.as_mut(), action).map_err(|e| store_failed(err, e))?;
    conflicts_since("assign", &applied.conflicts, err)?;
    let changed = applied.changes.len();
    let to = match &name {
        Some(n) => format!("assigned to {}", safe(n)),
        None => "unassigned".to_string(),
    };
    writeln!(
        out,
        "{changed} of {} cable{} {to}{}",
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        if changed < ids.len() {
            " (the others already were)"
        } else {
            ""
        }
    )
    .map_err(|e| write_failed(err, e))?;
    Ok(0)
}

/// Each cable's value of `field` as the store holds it now (`None`: untriaged, nobody), in
/// the order of `ids`, with the cable's id.
fn current_values(
    store: &dyn TriageStore,
    ids: &[String],
    field: &'static str,
    value: impl Fn(&Record) -> Option<String>,
) -> Result<Vec<CurrentValue>, StoreError> {
    ids.iter()
        .map(|id| {
            Ok(CurrentValue {
                id: id.clone(),
                field,
                value: store.record(id)?.as_ref().and_then(&value),
            })
        })
        .collect()
}

/// A field of a cable as a command found it before changing it.
#[derive(Clone)]
struct CurrentValue {
    id: String,
    field: &'static str,
    value: Option<String>,
}

impl CurrentValue {
    fn as_deref(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// A value another analyst set, which a command would overwrite.
struct Overwrite {
    id: String,
    value: String,
    by: String,
    at: chrono::DateTime<chrono::Utc>,
}

/// The cables a command would change whose field another analyst set to something else
/// than `to`: who set it, to what, and when (from the history; an import counts as the
/// analyst whose export it was). A value this analyst set, or nothing set, is free.
fn overwrites(
    store: &dyn TriageStore,
    me: &str,
    seen: &[CurrentValue],
    to: Option<&str>,
) -> Result<Vec<Overwrite>, StoreError> {
    let mut found = Vec::new();
    for current in seen {
        let Some(value) = current.as_deref() else {
            continue;
        };
        if Some(value) == to {
            continue;
        }
        let history = store.history(Some(&current.id), usize::MAX)?;
        let Some(last) = history.iter().rev().find(|h| h.field == current.field) else {
            continue;
        };
        let by = last
            .analyst
            .strip_prefix("import:")
            .unwrap_or(&last.analyst);
        if by.trim() != me.trim() {
            found.push(Overwrite {
                id: current.id.clone(),
                value: value.to_string(),
                by: by.to_string(),
                at: last.at,
            });
        }
    }
    Ok(found)
}

/// Refuses (exit 3, nothing written) when the command would overwrite another analyst's
/// value, naming each cable, the value, who set it and when.
fn refuse_overwrites(
    command: &str,
    store: &dyn TriageStore,
    me: &str,
    seen: &[CurrentValue],
    to: Option<&str>,
    err: &mut dyn Write,
) -> Result<(), Fail> {
    let found = overwrites(store, me, seen, to).map_err(|e| store_failed(err, e))?;
    if found.is_empty() {
        return Ok(());
    }
    let field = seen.first().map_or("value", |c| c.field);
    for o in &found {
        say(
            err,
            format!(
                "{command}: {} {field} is {}, set by {} at {}",
                o.id,
                o.value,
                o.by,
                o.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        );
    }
    say(
        err,
        format!(
            "{command}: nothing recorded: {} cable{} set by another analyst \
             (--force changes {} anyway)",
            found.len(),
            if found.len() == 1 { " was" } else { "s were" },
            if found.len() == 1 { "it" } else { "them" },
        ),
    );
    Err(Fail(3))
}

/// Applies `action`; when the only conflicts are fields another analyst set meanwhile to
/// exactly what this command asks (found in testing: two `dispose … no-action` at once, the
/// second exited 3 although nothing of its was overwritten), applies it again as a
/// re-run would: those fields already hold the value, so they are left as they are.
fn apply_unless_already_so(
    store: &mut dyn TriageStore,
    action: ActionRecord,
) -> Result<crate::store::Applied, StoreError> {
    let applied = store.apply(&action)?;
    let wanted = |c: &Change| match c {
        Change::SetDisposition { disposition, .. } => Some(disposition.as_str().to_string()),
        Change::SetNote { note, .. } => note.clone(),
        Change::SetAssignee { assignee, .. } => assignee.clone(),
        _ => None,
    };
    let already_so = |k: &Conflict| {
        action
            .changes
            .iter()
            .filter(|c| c.id == k.id && c.change.field() == k.field)
            .all(|c| wanted(&c.change) == k.found)
    };
    if applied.conflicts.is_empty() || !applied.conflicts.iter().all(already_so) {
        return Ok(applied);
    }
    let mut again = action.clone();
    again.changes.retain(|c| {
        !applied
            .conflicts
            .iter()
            .any(|k| k.id == c.id && k.field == c.change.field())
    });
    store.apply(&again)
}

/// Conflicts the store found (another analyst changed a cable between our look and our
/// write): nothing was written; exit 3 as for [`refuse_overwrites`].
fn conflicts_since(command: &str, conflicts: &[Conflict], err: &mut dyn Write) -> Result<(), Fail> {
    if conflicts.is_empty() {
        return Ok(());
    }
    for k in conflicts {
        say(err, format!("{command}: {k}"));
    }
    say(
        err,
        format!("{command}: nothing recorded: changed by another analyst meanwhile"),
    );
    Err(Fail(3))
}

/// Canonical ids, each once, in the order given. Every argument that is not shaped like a
/// cable id is named (sanitised: arguments are untrusted), with a hint when it looks like a
/// misplaced disposition or tag; then nothing is done.
fn canonical_ids(command: &str, raw: &[String], err: &mut dyn Write) -> Result<Vec<String>, Fail> {
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::new();
    let mut bad = 0;
    for r in raw {
        let Some(id) = given_cable_id(r) else {
            let hint = if r.parse::<Disposition>().is_ok() {
                " (give one disposition, last)"
            } else if command == "tag" {
                " (write +TAG to add a tag, -TAG to remove one)"
            } else {
                ""
            };
            say(
                err,
                format!(
                    "{command}: {} is not a cable id such as 08MOSCOW1052{hint}",
                    shown(r)
                ),
            );
            bad += 1;
            continue;
        };
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    if bad > 0 {
        say(err, format!("{command}: nothing recorded"));
        return Err(Fail(2));
    }
    Ok(ids)
}

/// With `--corpus`, refuses ids of cables that are not in it (nothing is recorded).
fn in_corpus(
    command: &str,
    ids: &[String],
    corpus: &[PathBuf],
    err: &mut dyn Write,
) -> Result<(), Fail> {
    if corpus.is_empty() {
        return Ok(());
    }
    let known = corpus_ids(corpus, err)?;
    let missing: Vec<&String> = ids.iter().filter(|id| !known.contains(*id)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    for id in missing {
        say(err, format!("{command}: {id} is not in the corpus given"));
    }
    say(err, format!("{command}: nothing recorded"));
    Err(Fail(2))
}

/// The canonical ids of a corpus given with `--corpus`; a path that does not exist is an
/// error (a typo would otherwise refuse every id).
fn corpus_ids(corpus: &[PathBuf], err: &mut dyn Write) -> Result<HashSet<String>, Fail> {
    for p in corpus {
        if std::fs::metadata(p).is_err() {
            say(
                err,
                format!("--corpus: {}: no such file or folder", p.display()),
            );
            return Err(Fail(2));
        }
    }
    let (cables, _) = read_corpus(corpus, err);
    Ok(cables.into_keys().collect())
}

/// `cabletriage tag`: adds (`+TAG`) and removes (`-TAG`) the analyst's tags, as one action.
pub fn tag(args: &TagArgs, flags: &Flags) -> i32 {
    on_std_streams(|out, err| {
        let (args, flags) = tag_flags(args, flags, err)?;
        run_tag(&args, &settings(&flags, err)?, out, err)
    })
}

/// The flags among `-TAG` items: once clap sees a value starting with `-` among the items
/// it takes everything after as items (it cannot tell `-urgent` from a flag), so `--store`,
/// `--analyst` and `--corpus` written after the items are picked out here.
fn tag_flags(args: &TagArgs, flags: &Flags, err: &mut dyn Write) -> Result<(TagArgs, Flags), Fail> {
    let mut fixed = TagArgs {
        items: Vec::new(),
        ..args.clone()
    };
    let mut flags = flags.clone();
    let mut items = args.items.iter();
    while let Some(item) = items.next() {
        let (flag, inline) = match item.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (item.as_str(), None),
        };
        if !["--store", "--analyst", "--corpus"].contains(&flag) {
            fixed.items.push(item.clone());
            continue;
        }
        let Some(value) = inline.or_else(|| items.next().cloned()) else {
            say(err, format!("tag: {flag} needs a value"));
            return Err(Fail(2));
        };
        match flag {
            "--store" => flags.store = Some(PathBuf::from(value)),
            "--analyst" => flags.analyst = Some(value),
            _ => fixed.corpus.push(PathBuf::from(value)),
        }
    }
    Ok((fixed, flags))
}

fn run_tag(
    args: &TagArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Fail> {
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
    let ids = canonical_ids("tag", &raw_ids, err)?;
    in_corpus("tag", &ids, &args.corpus, err)?;
    let mut action = ActionRecord::new(settings.analyst.value.as_str());
    for id in &ids {
        for op in &ops {
            action = action.with(id.clone(), op.clone());
        }
    }
    let mut store = crate::store::open(&settings.store.value, &OpenOptions::default())
        .map_err(|e| store_failed(err, e))?;
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

/// `cabletriage history`: one line per change, oldest first, in tab-separated columns
/// under a header: `TIME ANALYST CABLE FIELD FROM TO`. A note is quoted (`"-"` is a note,
/// `—` is none); no value is `—`; the changes of one action (one revision: a bulk
/// disposition, a tag change on many cables) are grouped, a blank line between actions.
pub fn history(args: &HistoryArgs, flags: &Flags) -> i32 {
    on_std_streams(|out, err| run_history(args, &settings(flags, err)?, out, err))
}

/// What `history` shows for no value (no note, a tag not present).
const NONE: &str = "—";

fn run_history(
    args: &HistoryArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Fail> {
    let id = args.id.as_deref().map(canonicalize_id);
    let entries = match store_to_read(settings, err)? {
        Some(store) => store
            .history(id.as_deref(), args.limit.unwrap_or(usize::MAX))
            .map_err(|e| store_failed(err, e))?,
        None => Vec::new(),
    };
    let mut lines = String::from("TIME\tANALYST\tCABLE\tFIELD\tFROM\tTO\n");
    // One action: one revision, one time, one analyst. Entries copied from another store
    // (`store copy`) share the copy's revision but keep their own times and analysts.
    let mut action = None;
    for h in entries {
        let this = (h.revision, h.at, h.analyst.clone());
        if action.as_ref().is_some_and(|a| *a != this) {
            lines.push('\n');
        }
        action = Some(this);
        let value = |v: &Option<String>| match v {
            None => NONE.to_string(),
            Some(v) if h.field == "note" => quoted(v),
            Some(v) => safe(v).into_owned(),
        };
        lines.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            h.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            safe(&h.analyst),
            safe(&h.id),
            safe(&h.field),
            value(&h.from),
            value(&h.to),
        ));
    }
    out.write_all(lines.as_bytes())
        .map_err(|e| write_failed(err, e))?;
    Ok(0)
}

/// A note in double quotes, on one line and safe for a terminal: `"` and `\` escaped with a
/// backslash, line breaks and tabs as `\n`, `\r`, `\t`, other controls as `\u{1b}`.
fn quoted(note: &str) -> String {
    let mut q = String::with_capacity(note.len() + 2);
    q.push('"');
    for c in note.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\t' => q.push_str("\\t"),
            c => q.push(c),
        }
    }
    q.push('"');
    safe(&q).into_owned()
}

/// `cabletriage export`: the records (all of them, or those matching `--filter`), joined
/// with the cables of the corpus given, as CSV or one JSON array on standard output.
pub fn export(args: &ExportArgs, flags: &Flags) -> i32 {
    on_std_streams(|out, err| run_export(args, &settings(flags, err)?, out, err))
}

fn run_export(
    args: &ExportArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Fail> {
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
            // Records are matched one at a time, without the reference graph: a graph term
            // would match every record, silently.
            if q.uses_graph() {
                say(
                    err,
                    "--filter: graph terms (cites:, citedby:, thread:, citers:, refs:) are not \
                     taken here: list the cables with `cabletriage search`",
                );
                return Err(Fail(2));
            }
            Some(q)
        }
    };
    if args.paths.is_empty() {
        // Without a corpus only the records are known: a test of the cable's fields would
        // match nothing, silently.
        if let Some((q, text)) = query.as_ref().zip(args.filter.as_deref()) {
            let cable_terms: Vec<&str> = q
                .terms()
                .filter(|t| !matches!(t.kind, TermKind::Store(_)))
                .filter_map(|t| text.get(t.span.clone()))
                .collect();
            if !cable_terms.is_empty() {
                say(
                    err,
                    format!(
                        "--filter: {} test{} the cables, which needs their corpus: give its \
                         files or folders (cabletriage export --filter QUERY PATH...)",
                        cable_terms.join(" "),
                        if cable_terms.len() == 1 { "s" } else { "" },
                    ),
                );
                return Err(Fail(2));
            }
        }
        say(
            err,
            "no corpus given: the cable fields (date, precedence, classification, origin, \
             subject) are left empty; give the corpus's files or folders to fill them",
        );
    }
    let records = match store_to_read(settings, err)? {
        Some(store) => store.records().map_err(|e| store_failed(err, e))?,
        None => Vec::new(),
    };
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
            let eval = |term: &StoreTerm, _: &Entry| {
                store_matches(term, Some(record), &settings.analyst.value)
            };
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
            let _ = writeln!(err, "{}", safe(&p.to_string()));
        }
        LoadEvent::Replace { .. } | LoadEvent::Done { .. } => {}
    });
    (cables, problems)
}

/// What a cable not in the corpus looks like to a query: only its id is known.
fn blank_entry(id: &str) -> Entry {
    Entry::blank(id)
}

/// `cabletriage import`: merges an export into the store, as one action, record by record
/// by `changed_at` (see [`crate::store::TriageStore::import`]: on equal times the store's
/// record is kept). Written records keep their analyst and time, and the history names the
/// analyst `import:<analyst>`. Every row is checked first (cable id, tags, a time not in
/// the future, and with `--corpus` a cable of that corpus); one bad row and nothing is
/// written. An empty file, or one without records, is an error too.
pub fn import(args: &ImportArgs, flags: &Flags) -> i32 {
    on_std_streams(|out, err| run_import(args, &settings(flags, err)?, out, err))
}

fn run_import(
    args: &ImportArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Fail> {
    let file = &args.file;
    // Printed on standard output too (the summary), so sanitised here, not only in `say`.
    let name = safe(&file.display().to_string()).into_owned();
    let bytes = std::fs::read(file).map_err(|e| {
        say(err, format!("{name}: cannot read: {e}"));
        Fail(2)
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        say(err, format!("{name}: the file is empty: nothing imported"));
        return Err(Fail(2));
    }
    let format = ExportFormat::guess(&bytes);
    let rows = read_export_at(&bytes, format, chrono::Utc::now()).map_err(|e| {
        say(err, format!("{name}: {e}; nothing imported"));
        Fail(2)
    })?;
    if rows.is_empty() {
        say(
            err,
            format!("{name}: no records in the file: nothing imported"),
        );
        return Err(Fail(2));
    }
    if !args.corpus.is_empty() {
        let known = corpus_ids(&args.corpus, err)?;
        let missing: Vec<&ImportRow> = rows
            .iter()
            .filter(|r| !known.contains(&r.record.id))
            .collect();
        if !missing.is_empty() {
            for r in missing {
                say(
                    err,
                    format!(
                        "{name}: {}: {} is not in the corpus given",
                        r.at, r.record.id
                    ),
                );
            }
            say(err, format!("{name}: nothing imported"));
            return Err(Fail(2));
        }
    }
    let records: Vec<_> = rows.into_iter().map(|r| r.record).collect();
    let mut store = crate::store::open(&settings.store.value, &OpenOptions::default())
        .map_err(|e| store_failed(err, e))?;
    let summary = store.import(&records).map_err(|e| store_failed(err, e))?;
    writeln!(
        out,
        "{name}: {} record{} written, {} unchanged, {} kept (changed later in the store, or \
         at the same time)",
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
    // The tests run two of these against each other on a loaded machine: a writer may wait
    // on the other's commits far longer than an analyst would, and must still queue.
    let opts = crate::store::OpenOptions {
        busy_timeout: std::time::Duration::from_secs(120),
        ..crate::store::OpenOptions::default()
    };
    let mut store = match crate::store::open(store, &opts) {
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

    #[test]
    fn a_conflict_with_the_value_asked_for_is_no_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let mut bob = crate::store::SqliteStore::open(&path).unwrap();
        let mut me = crate::store::SqliteStore::open(&path).unwrap();
        let set = |who: &str, id: &str, d: Disposition| {
            ActionRecord::new(who).with(
                id,
                Change::SetDisposition {
                    disposition: d,
                    expect: Expect::Was(Disposition::Untriaged),
                },
            )
        };
        bob.apply(&set("bob", "08A1", Disposition::NoAction))
            .unwrap();
        bob.apply(&set("bob", "08A2", Disposition::Actioned))
            .unwrap();
        // What I asked for is what bob set: nothing to refuse.
        let same =
            apply_unless_already_so(&mut me, set("me", "08A1", Disposition::NoAction)).unwrap();
        assert!(
            same.conflicts.is_empty() && same.changes.is_empty(),
            "{same:?}"
        );
        // Something else: still a conflict, nothing written.
        let other =
            apply_unless_already_so(&mut me, set("me", "08A2", Disposition::NoAction)).unwrap();
        assert_eq!(other.conflicts.len(), 1);
        let r = me.record("08A2").unwrap().unwrap();
        assert_eq!(r.disposition, Disposition::Actioned);
    }

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        global: GlobalArgs,
        #[command(subcommand)]
        command: Command,
    }

    struct Parsed {
        command: Command,
        flags: Flags,
    }

    #[derive(clap::Subcommand)]
    enum Command {
        Dispose(DisposeArgs),
        Tag(TagArgs),
        History(HistoryArgs),
        Export(ExportArgs),
        Import(ImportArgs),
    }

    fn parse(args: &[&str]) -> Parsed {
        let cli = Cli::try_parse_from(std::iter::once("cabletriage").chain(args.iter().copied()))
            .unwrap();
        Parsed {
            command: cli.command,
            flags: Flags {
                store: cli.global.store,
                analyst: cli.global.analyst,
                ..Flags::default()
            },
        }
    }

    /// Settings as the commands resolve them, without this process's environment or the
    /// user's config.toml.
    fn settings(flags: &Flags) -> Settings {
        let env = crate::config::Env {
            login: Some("tester".into()),
            default_store: PathBuf::from("/nonexistent/cabletriage-test/triage.sqlite"),
            ..Default::default()
        };
        Settings::resolve(flags, &env, &crate::config::Config::default()).unwrap()
    }

    fn run(parsed: &Parsed) -> (i32, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let s = settings(&parsed.flags);
        let result = match &parsed.command {
            Command::Dispose(a) => run_dispose(a, &s, &mut out, &mut err),
            Command::Tag(a) => tag_flags(a, &parsed.flags, &mut err)
                .and_then(|(a, f)| run_tag(&a, &settings(&f), &mut out, &mut err)),
            Command::History(a) => run_history(a, &s, &mut out, &mut err),
            Command::Export(a) => run_export(a, &s, &mut out, &mut err),
            Command::Import(a) => run_import(a, &s, &mut out, &mut err),
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
        assert_eq!(lines.len(), 6, "{out}");
        assert_eq!(lines[0], "TIME\tANALYST\tCABLE\tFIELD\tFROM\tTO");
        assert!(
            lines[1].ends_with("\talice\t08MOSCOW1052\tdisposition\tuntriaged\tfollow-up"),
            "{out}"
        );
        assert!(lines[2].ends_with("\tnote\t—\t\"=ask\""), "{out}");
        // The tag action is another revision: a blank line before it.
        assert_eq!(lines[3], "", "{out}");
        assert!(
            lines[4].ends_with("\tbob\t08MOSCOW1052\ttag\t—\tenergy"),
            "{out}"
        );

        let (code, csv, err) = run(&parse(&[
            "export",
            "--filter",
            "mytag:energy",
            "--store",
            s,
        ]));
        assert_eq!(code, 0);
        assert!(err.contains("no corpus given"), "{err}");
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
    fn export_without_a_corpus_says_so_and_refuses_cable_terms() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("s.sqlite");
        let s = store.to_str().unwrap();
        run(&parse(&[
            "dispose",
            "08MOSCOW1052",
            "actioned",
            "--store",
            s,
        ]));
        let (code, out, err) = run(&parse(&[
            "export",
            "--filter",
            "prec:flash is:actioned",
            "--store",
            s,
        ]));
        assert_eq!((code, out.as_str()), (2, ""));
        assert!(
            err.contains("prec:flash tests the cables") && err.contains("corpus"),
            "{err}"
        );
        let (code, out, err) = run(&parse(&["export", "--filter", "is:actioned", "--store", s]));
        assert_eq!(code, 0);
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(err.contains("no corpus given: the cable fields"), "{err}");
    }

    #[test]
    fn dispose_options_come_anywhere_and_take_hyphen_values() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("s.sqlite");
        let s = store.to_str().unwrap();
        for args in [
            &[
                "dispose",
                "08MOSCOW1052",
                "--note",
                "-2+3",
                "actioned",
                "--store",
                s,
            ][..],
            &[
                "dispose",
                "08MOSCOW1052",
                "--note",
                "x",
                "follow-up",
                "--store",
                s,
            ],
            &[
                "dispose",
                "--store",
                s,
                "08MOSCOW1052",
                "--note=-",
                "09STATE1",
                "no-action",
            ],
        ] {
            let (code, _, err) = run(&parse(args));
            assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
        }
        let (_, out, _) = run(&parse(&["history", "--store", s]));
        assert!(out.contains("\tnote\t—\t\"-2+3\""), "{out}");
        assert!(out.contains("\tnote\t\"x\"\t\"-\""), "{out}");
        assert!(out.contains("09STATE1\tnote\t—\t\"-\""), "{out}");
    }

    #[test]
    fn history_quotes_notes_and_escapes_what_a_terminal_would_run() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("s.sqlite");
        let s = store.to_str().unwrap();
        let note = "a\u{1b}]52;c;eA==\u{7}\u{1b}[2J\u{202e}b\"\t\n\\";
        run(&parse(&[
            "dispose",
            "08MOSCOW1052",
            "actioned",
            "--note",
            note,
            "--store",
            s,
        ]));
        let (code, out, _) = run(&parse(&["history", "--store", s]));
        assert_eq!(code, 0);
        assert!(
            out.contains("\"a\\u{1b}]52;c;eA==\\u{7}\\u{1b}[2J\\u{202e}b\\\"\\t\\n\\\\\""),
            "{out}"
        );
        assert!(
            !out.chars()
                .any(|c| c != '\n' && c != '\t' && crate::sanitize::is_unsafe(c))
        );
    }

    #[test]
    fn tag_takes_hyphen_values_and_still_flags() {
        let Parsed {
            command: Command::Tag(a),
            flags,
        } = parse(&[
            "tag",
            "A1",
            "-old",
            "+new",
            "--store",
            "x.sqlite",
            "--analyst=bob",
            "--corpus",
            "c.csv",
        ])
        else {
            panic!("not tag");
        };
        let (a, flags) = tag_flags(&a, &flags, &mut Vec::new()).unwrap_or_else(|_| panic!("flags"));
        assert_eq!(a.items, ["A1", "-old", "+new"]);
        assert_eq!(flags.store.as_deref(), Some(Path::new("x.sqlite")));
        assert_eq!(flags.analyst.as_deref(), Some("bob"));
        assert_eq!(a.corpus, [PathBuf::from("c.csv")]);
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
