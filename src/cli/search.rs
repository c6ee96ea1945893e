//! `cabletriage search [--order table|relevance] [--limit N] [--format jsonl|ids] QUERY
//! PATH...`: the filter language, every term, over a corpus, for scripts.
//!
//! It reads the corpus as the app does (through the same index cache) and opens or builds
//! the same text index, in the same cache folder, so a search after the app (or the app
//! after a search) finds it ready. Exit codes: 0 when something matches, 1 when nothing
//! does, 2 when the query cannot be read (naming the term and its position) or the corpus
//! cannot be read at all.

use std::collections::HashMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cable::Precedence;
use crate::cable::reference_id::canonicalize_id;
use crate::config::{Flags, Settings};
use crate::corpus::cache::key_for;
use crate::corpus::graph::RefGraph;
use crate::corpus::load::{LoadEvent, load_cached};
use crate::corpus::query::{self, Query, StoreTerm, filter_scored, relevance_order};
use crate::corpus::sort::{Sort, sort_indices};
use crate::corpus::{Corpus, Entry};
use crate::sanitize::{is_unsafe, safe};
use crate::search::bodies::read_text;
use crate::search::{
    BuildOptions, CorpusStamp, Origin, Progress, TextIndex, open_or_build, snippet, text_index_dir,
};
use crate::store::Record;
use crate::store::matching::store_matches;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Order {
    /// Best first: BM25 of the text terms plus the subject terms' score.
    Relevance,
    /// The app's default sort: most urgent, then newest.
    Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per line: id, date, precedence, subject, score, snippet.
    Jsonl,
    /// One id per line.
    Ids,
}

/// `cabletriage search`
#[derive(Args, Debug, Clone)]
pub struct SearchArgs {
    /// The order of the matches.
    #[arg(long, value_enum, default_value_t = Order::Relevance)]
    pub order: Order,
    /// At most this many matches; 0 for all.
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    /// What is printed of each match.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    pub format: OutputFormat,
    /// The query, in the filter bar's language (quote it for the shell).
    pub query: String,
    /// Corpus files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Characters of the snippet.
const SNIPPET_WIDTH: usize = 160;

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    date: Option<String>,
    precedence: Precedence,
    subject: &'a str,
    score: i64,
    snippet: String,
}

pub fn main(args: &SearchArgs, flags: &Flags) -> i32 {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let code = run(args, flags, &mut out, &mut err, io::stderr().is_terminal());
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            say(&mut err, format!("cannot write output: {e}"));
            2
        }
        _ => code,
    }
}

fn say(err: &mut dyn Write, message: impl std::fmt::Display) {
    let _ = writeln!(err, "cabletriage: search: {}", safe(&message.to_string()));
}

/// The search, writing matches to `out` and messages to `err` (progress only when
/// `progress_shown`, that is when standard error is a terminal).
pub fn run(
    args: &SearchArgs,
    flags: &Flags,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress_shown: bool,
) -> i32 {
    let (mut q, errors) = query::parse(&args.query);
    if !errors.is_empty() {
        for e in errors {
            say(
                err,
                format!(
                    "cannot read the query: `{}` at characters {}..{}: {}",
                    e.term,
                    args.query
                        .get(..e.span.start)
                        .map_or(0, |s| s.chars().count())
                        + 1,
                    args.query
                        .get(..e.span.end)
                        .map_or(0, |s| s.chars().count()),
                    e.message
                ),
            );
        }
        return 2;
    }
    let key = match key_for(&args.paths) {
        Ok(key) => key,
        Err(e) => {
            say(err, format!("cannot read the corpus: {e}"));
            return 2;
        }
    };
    let corpus = read_corpus(&args.paths, err);
    if corpus.is_empty() {
        say(err, "no cable found in the paths given");
        return 2;
    }
    let (records, me) = if q.uses_store() {
        match records(flags) {
            Ok(r) => r,
            Err(e) => {
                say(err, e);
                return 2;
            }
        }
    } else {
        (HashMap::new(), String::new())
    };
    if q.uses_graph() {
        let graph = RefGraph::build(&corpus.entries);
        if let Err(e) = query::graph::resolve(&mut q, &graph, &corpus.entries) {
            say(err, e);
            return 2;
        }
    }
    let relevance = args.order == Order::Relevance;
    if q.uses_full_text() {
        let Some(index) = text_index(&args.paths, &corpus, key, err, progress_shown) else {
            return 2;
        };
        if let Err(e) = index.resolve(&mut q, &corpus, relevance) {
            say(err, e);
            return 2;
        }
    }
    let matches = matching(&corpus, &q, &records, &me, args.order);
    if matches.is_empty() {
        return 1;
    }
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    for (index, score) in matches.into_iter().take(limit) {
        let Some(entry) = corpus.get(index) else {
            continue;
        };
        let written = match args.format {
            OutputFormat::Ids => writeln!(out, "{}", safe(&entry.id)),
            OutputFormat::Jsonl => writeln!(out, "{}", json_line(&corpus, index, entry, score, &q)),
        };
        if let Err(e) = written {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return 0;
            }
            say(err, format!("cannot write output: {e}"));
            return 2;
        }
    }
    0
}

/// The corpus as the app reads it (through the index cache), problems said on `err`.
pub(crate) fn read_corpus(paths: &[PathBuf], err: &mut dyn Write) -> Corpus {
    let mut corpus = Corpus::new();
    load_cached(paths, &AtomicBool::new(false), &mut |event| match event {
        LoadEvent::Batch { files, entries, .. } => {
            for f in files {
                corpus.add_file(f);
            }
            for e in entries {
                corpus.push(e);
            }
        }
        LoadEvent::Problem(p) if !p.is_notice() => {
            let _ = writeln!(err, "{}", safe(&p.to_string()));
        }
        _ => {}
    });
    corpus
}

/// The analyst's records by canonical id, for store terms, and the analyst (for `is:mine`).
fn records(flags: &Flags) -> Result<(HashMap<String, Record>, String), String> {
    let settings = Settings::load(flags).map_err(|e| e.to_string())?;
    let store = match crate::store::open_read_only(&settings.store.value) {
        Ok(store) => store,
        // Nothing recorded yet in the default store: every cable is untriaged. A store
        // named by a flag, the environment or config.toml must exist (a typo is no store).
        Err(e)
            if matches!(e.kind, crate::store::StoreErrorKind::Missing)
                && settings.store.source == crate::config::Source::Default =>
        {
            return Ok((HashMap::new(), settings.analyst.value));
        }
        Err(e) => return Err(e.to_string()),
    };
    let records = store.records().map_err(|e| e.to_string())?;
    let records = records
        .into_iter()
        .map(|r| (canonicalize_id(&r.id), r))
        .collect();
    Ok((records, settings.analyst.value))
}

/// The cached text index, or one built now, saying so on `err`.
fn text_index(
    paths: &[PathBuf],
    corpus: &Corpus,
    key: crate::corpus::cache::CacheKey,
    err: &mut dyn Write,
    progress_shown: bool,
) -> Option<TextIndex> {
    let stamp = CorpusStamp::new(&key, corpus);
    let dir = text_index_dir(paths);
    if let Some(dir) = &dir {
        if let Ok(index) = TextIndex::open(dir, stamp, corpus) {
            return Some(index);
        }
    }
    say(
        err,
        format!(
            "indexing the text of {} cables (once: the index is kept in the cache folder)",
            corpus.len()
        ),
    );
    let shown = std::sync::Mutex::new(-1i64);
    let progress = |p: Progress| {
        if !progress_shown {
            return;
        }
        let percent = (p.fraction() * 100.0) as i64;
        if let Ok(mut last) = shown.lock() {
            if *last != percent {
                *last = percent;
                eprint!("\rindexing text {percent}%");
            }
        }
    };
    let built = open_or_build(
        corpus,
        stamp,
        dir.as_deref(),
        &BuildOptions {
            // Nothing else runs: use the machine.
            background: false,
            ..BuildOptions::default()
        },
        &progress,
        &AtomicBool::new(false),
    );
    if progress_shown {
        eprintln!();
    }
    match built {
        Ok(opened) => {
            if let Some(notice) = &opened.notice {
                say(err, notice);
            }
            if let Origin::Built(_) = opened.origin {
                say(err, "text index ready");
            }
            Some(opened.index)
        }
        Err(e) => {
            say(err, e);
            None
        }
    }
}

/// The matches and their scores, in the order asked.
fn matching(
    corpus: &Corpus,
    q: &Query,
    records: &HashMap<String, Record>,
    me: &str,
    order: Order,
) -> Vec<(u32, i64)> {
    let mut all: Vec<u32> = (0..corpus.len() as u32).collect();
    sort_indices(&corpus.entries, &mut all, Sort::default());
    let store = |term: &StoreTerm, entry: &Entry| {
        store_matches(term, records.get(&canonicalize_id(&entry.id)), me)
    };
    let need_scores = order == Order::Relevance;
    let Some(mut result) = filter_scored(
        &corpus.entries,
        None,
        &all,
        q,
        &store,
        &|| false,
        need_scores,
    ) else {
        return Vec::new();
    };
    if need_scores {
        relevance_order(&mut result);
        return result.indices.into_iter().zip(result.scores).collect();
    }
    // The table's order: close matches first, table order within each tier (a stable sort).
    let mut rows: Vec<(u32, i64, query::Tier)> = result
        .indices
        .into_iter()
        .zip(result.scores)
        .zip(result.tiers)
        .map(|((index, score), tier)| (index, score, tier))
        .collect();
    rows.sort_by_key(|&(_, _, tier)| tier);
    rows.into_iter()
        .map(|(index, score, _)| (index, score))
        .collect()
}

fn json_line(corpus: &Corpus, index: u32, entry: &Entry, score: i64, q: &Query) -> String {
    let snippet = match read_text(corpus, index) {
        Ok(text) => {
            let body = snippet::snippet(q, &text.body, SNIPPET_WIDTH);
            body.text
        }
        Err(_) => String::new(),
    };
    let line = Line {
        id: &entry.id,
        date: entry
            .datetime()
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        precedence: entry.precedence,
        subject: &entry.subject,
        score,
        snippet,
    };
    json_safe(&serde_json::to_string(&line).unwrap_or_default())
}

/// JSON escapes control characters itself; this escapes the rest of what must not reach a
/// terminal as is (bidirectional controls, line separators), still as valid JSON.
pub(crate) fn json_safe(json: &str) -> String {
    if !json.chars().any(is_unsafe) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_carry_no_terminal_controls_and_stay_json() {
        let line = json_safe(&serde_json::to_string("a\u{1b}[2J\u{202e}b").unwrap_or_default());
        assert!(!line.chars().any(is_unsafe), "{line}");
        let back: String = serde_json::from_str(&line).unwrap_or_default();
        assert_eq!(back, "a\u{1b}[2J\u{202e}b");
    }
}
