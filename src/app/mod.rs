//! The app's state and its one mutator.
//!
//! Terminal events pass through the keymap into an [`Action`]; background work reports back as
//! other [`Msg`]s. [`App::update`] is the only place state changes: it takes one message and
//! returns the [`Effect`]s for the runtime to carry out off the UI thread (run a filter job,
//! read a cable's body). Views are pure functions of `&App`. Nothing here draws or reads the
//! terminal, so every behaviour can be tested by feeding messages.
//!
//! `update` is split by concern: `modes.rs` (what each action does in each mode), `rows.rs`
//! (loading, sorting and filtering the table's rows), `grouping.rs` (the rows grouped by
//! thread, folded and unfolded), `triage.rs` (dispositions, tags,
//! selection, undo), `assign.rs` (assignment and take-next), `reading.rs` and `document.rs` (the reading view's state and layout),
//! `text_search.rs` (the text index opened in the background, for the filter's text terms)
//! and `preview.rs` (the snippet line under the table).

pub mod action;
pub mod assign;
pub mod document;
mod grouping;
pub mod mode;
mod modes;
pub mod preview;
pub mod reading;
mod rows;
pub mod table;
pub mod text_input;
pub mod text_search;
pub mod thread;
pub mod triage;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use action::Action;
pub use mode::Mode;

use crate::cable::Cable;
use crate::corpus::cache::{self, CacheKey};
use crate::corpus::graph::RefGraph;
use crate::corpus::load::{LoadEvent, Progress};
use crate::corpus::query::{self, FilterResult, Query, QueryError, SearchIndex, Tier, TierCounts};
use crate::corpus::sort::{SortColumn, SortIndex};
use crate::corpus::{Corpus, Entries, Location};
use crate::read::Problem;
use crate::search::CableText;
use crate::store::{ActionRecord, Applied, Record, TriageStore, store_matches};
use preview::PreviewState;
use reading::Reading;
use table::TableState;
use text_input::TextInput;
use text_search::{TextEvent, TextIndexJob, TextSearch, TextState};

/// Everything that can change the state.
#[derive(Debug)]
pub enum Msg {
    Action(Action),
    /// A printable key typed in a text mode.
    Insert(char),
    /// The terminal's size: the views' areas follow from it.
    Resize {
        width: u16,
        height: u16,
    },
    /// A click on the `n`-th visible table row.
    ClickRow(usize),
    /// A click on a column header.
    ClickColumn(SortColumn),
    /// Mouse wheel: lines, positive downwards.
    Scroll(i32),
    Loaded(LoadEvent),
    Filtered {
        generation: u64,
        result: FilterResult,
    },
    /// A filter job could not resolve its text terms (`like:` an id not in the corpus).
    FilterFailed {
        generation: u64,
        error: String,
    },
    /// The text index job reports (see [`text_search`]).
    TextIndex {
        generation: u64,
        event: TextEvent,
    },
    /// A cable's text, read again for the preview line.
    TextRead {
        entry: u32,
        result: Box<Result<CableText, String>>,
    },
    BodyRead {
        index: u32,
        result: Box<Result<Cable, String>>,
    },
    /// The sort and search indexes of the whole corpus are ready.
    Indexed(Indexes),
    /// The store opened: its records, and why it cannot be written if so.
    StoreOpened {
        records: Vec<Record>,
        read_only: Option<String>,
    },
    /// A write to the store committed, or failed.
    Written {
        write: u64,
        result: Result<Applied, String>,
    },
    /// The store's answer to `take-next`: the cable claimed, or `None` when none was free.
    Taken {
        result: Result<Option<Applied>, String>,
    },
    /// Every analyst the store has seen, for completing a name.
    Analysts(Vec<String>),
    /// Records changed by another instance on the same store.
    StoreChanged {
        records: Vec<Record>,
    },
    /// Another instance committed (a server's notification): ask the store what changed.
    StoreNudged,
    /// The store cannot be reached now, and why (`None`: it can again).
    StoreReachable(Option<String>),
    /// Which cables colleagues read now: (analyst, cable id).
    Presence(Vec<(String, String)>),
    /// Time passes: short-lived messages expire.
    Tick,
    /// The process was asked to end (SIGTERM, or the terminal hung up): finish the queued
    /// writes, then quit without asking.
    Terminate,
}

/// Indexes built once the corpus is read, in the background: they make re-sorting and
/// subject filtering several times faster on big corpora. They cover the first `len` entries.
#[derive(Debug, Clone)]
pub struct Indexes {
    pub len: usize,
    pub sort: Arc<SortIndex>,
    pub search: Arc<SearchIndex>,
    /// Who cites whom: the reading view's "Cited by", the thread view, grouping and the
    /// graph's filter terms.
    pub graph: Arc<RefGraph>,
}

/// Work for the runtime, off the UI thread.
#[derive(Debug)]
pub enum Effect {
    /// Match `query` against `candidates`; a later generation supersedes this one.
    Filter(FilterJob),
    /// Build the sort and search indexes over these entries.
    BuildIndexes(Entries),
    /// Save the index cache of the corpus just read, for the next open.
    SaveCache {
        key: CacheKey,
        files: Vec<PathBuf>,
        entries: Entries,
    },
    /// Apply one triage action to the store, as one transaction.
    Write {
        write: u64,
        action: ActionRecord,
    },
    /// Claim for `analyst` the first of `candidates` nobody has triaged or claimed, in one
    /// transaction (on the store's thread, in order with the writes).
    TakeNext {
        analyst: String,
        candidates: Vec<String>,
    },
    /// Ask the store for every analyst it has seen (on the store's thread).
    ListAnalysts,
    /// Read one cable whole, for the reading view.
    ReadBody {
        index: u32,
        path: PathBuf,
        location: Location,
    },
    /// Open or build the text index, on a thread of its own (it reports as it goes).
    OpenTextIndex(TextIndexJob),
    /// Ask the store's thread what changed, now.
    AskStore,
    /// Read one cable's text, for the preview line.
    ReadText {
        entry: u32,
        corpus: Arc<Corpus>,
    },
    Quit,
}

#[derive(Debug, Clone)]
pub struct FilterJob {
    pub generation: u64,
    pub query: Arc<Query>,
    pub candidates: Arc<Vec<u32>>,
    pub entries: Entries,
    pub search: Option<Arc<SearchIndex>>,
    /// Fuzzy scores are computed only for relevance order.
    pub need_scores: bool,
    /// The analyst's records, for `is:`, `mytag:`, `note:`, `by:` and `assignee:` terms.
    pub records: Arc<HashMap<String, Record>>,
    /// Who `is:mine` means.
    pub analyst: String,
    /// The text index, for `text:`, `body:`, `"phrase"` and `like:` terms; without it they
    /// filter nothing yet.
    pub text: Option<TextSearch>,
    /// The reference graph, for `cites:`, `citedby:`, `thread:`, `citers:` and `refs:`
    /// terms; without it (or when it covers fewer entries) they filter nothing yet.
    pub graph: Option<Arc<RefGraph>>,
}

impl Indexes {
    pub fn build(entries: &Entries) -> Indexes {
        Indexes {
            len: entries.len(),
            sort: Arc::new(SortIndex::new(entries)),
            search: Arc::new(SearchIndex::new(entries)),
            graph: Arc::new(RefGraph::build(entries)),
        }
    }
}

impl Effect {
    /// Does the work of an effect on this thread and returns what it reports. The runtime
    /// calls it on worker threads (a write on the store's thread), [`App::update_now`] in
    /// place: both run this one code. `cancel` says a filter job was superseded; `store` is
    /// where a write goes (none: the write fails, saying so). Quitting is the runtime's.
    pub fn perform(
        self,
        cancel: &dyn Fn() -> bool,
        store: Option<&mut (dyn TriageStore + '_)>,
    ) -> Option<Msg> {
        match self {
            // Only the runtime, which holds the store's thread, can ask it.
            Effect::Quit | Effect::AskStore => None,
            Effect::BuildIndexes(entries) => Some(Msg::Indexed(Indexes::build(&entries))),
            Effect::SaveCache {
                key,
                files,
                entries,
            } => {
                // Best effort: without a cache the next open reads the files again.
                let _ = cache::save(&cache::cache_path(&key.inputs), &key, &files, &entries);
                None
            }
            Effect::Write { write, action } => Some(Msg::Written {
                write,
                result: match store {
                    Some(store) => store.apply(&action).map_err(|e| e.to_string()),
                    None => Err("no store is open".to_string()),
                },
            }),
            Effect::TakeNext {
                analyst,
                candidates,
            } => Some(Msg::Taken {
                result: match store {
                    Some(store) => store
                        .take_next(&analyst, &candidates)
                        .map_err(|e| e.to_string()),
                    None => Err("no store is open".to_string()),
                },
            }),
            // Completion does without them when the store cannot say.
            Effect::ListAnalysts => store.and_then(|s| s.analysts().ok()).map(Msg::Analysts),
            // A job superseded while it waited does not ask the text index.
            Effect::Filter(_) if cancel() => None,
            Effect::Filter(job) => match job.resolved_query() {
                Ok(query) => job.run_query(&query, cancel).map(|result| Msg::Filtered {
                    generation: job.generation,
                    result,
                }),
                Err(error) => Some(Msg::FilterFailed {
                    generation: job.generation,
                    error,
                }),
            },
            // The runtime runs this on a thread of its own, with progress and cancel.
            Effect::OpenTextIndex(job) => {
                Some(job.run(&std::sync::atomic::AtomicBool::new(false), &|_| {}))
            }
            Effect::ReadText { entry, corpus } => Some(Msg::TextRead {
                entry,
                result: Box::new(crate::search::bodies::read_text(&corpus, entry)),
            }),
            Effect::ReadBody {
                index,
                path,
                location,
            } => Some(Msg::BodyRead {
                index,
                result: Box::new(crate::corpus::body::read_cable(&path, &location)),
            }),
        }
    }
}

impl FilterJob {
    /// Runs the job; `None` when `cancel` says it was superseded (or its text terms could
    /// not be resolved).
    pub fn run(&self, cancel: &dyn Fn() -> bool) -> Option<FilterResult> {
        let query = self.resolved_query().ok()?;
        self.run_query(&query, cancel)
    }

    /// The query with the text index's hits attached to its text terms, and the graph's
    /// entries to its graph terms (as it is without them, or when it has none).
    pub fn resolved_query(&self) -> Result<Arc<Query>, String> {
        let text = self
            .text
            .as_ref()
            .filter(|t| self.query.uses_full_text() && t.corpus.len() == self.entries.len());
        let graph = self
            .graph
            .as_deref()
            .filter(|g| self.query.uses_graph() && g.entries() == self.entries.len());
        if text.is_none() && graph.is_none() {
            return Ok(Arc::clone(&self.query));
        }
        let mut query = (*self.query).clone();
        // The graph first: it is quick, and its errors name a term as the index's do.
        if let Some(graph) = graph {
            query::graph::resolve(&mut query, graph, &self.entries)?;
        }
        if let Some(text) = text {
            text.index
                .resolve(&mut query, &text.corpus, self.need_scores)?;
        }
        Ok(Arc::new(query))
    }

    fn run_query(&self, query: &Query, cancel: &dyn Fn() -> bool) -> Option<FilterResult> {
        query::filter_scored(
            &self.entries,
            self.search.as_deref(),
            &self.candidates,
            query,
            &|term, entry| store_matches(term, self.records.get(&*entry.id), &self.analyst),
            cancel,
            self.need_scores,
        )
    }
}

/// The filter bar.
#[derive(Debug, Default)]
pub struct FilterState {
    pub input: TextInput,
    pub query: Arc<Query>,
    pub errors: Vec<QueryError>,
    /// The generation of the newest filter job; results of older ones are dropped.
    pub generation: u64,
    /// A job is running for the current input.
    pub running: bool,
    /// What the last failed job said, while it is shown.
    pub failure: Option<String>,
    /// Order matches by score rather than by the table's sort.
    pub relevance: bool,
    /// Scores of the last result by entry index (0 for entries that did not match).
    pub scores: Vec<i64>,
    /// Tiers of the last result by entry index, empty when its query has no tiers: in the
    /// table's order, close matches come before loose ones.
    pub tiers: Vec<Tier>,
    /// How many matches of the last result are close and how many loose; `None` when its
    /// query has no fuzzy term (no tiers).
    pub tier_counts: Option<TierCounts>,
    /// The input text of the running job, and how many entries the corpus had then.
    running_text: String,
    running_len: usize,
    /// The last result, kept so a query that only narrows it filters these rows alone.
    matched: Option<Matched>,
    /// The cable under the cursor when the filter bar opened: while the analyst types
    /// without moving, the cursor comes back to it whenever it is shown, and `esc` returns
    /// to it.
    pub origin: Option<u32>,
}

#[derive(Debug, Clone)]
pub(crate) struct Matched {
    text: String,
    corpus_len: usize,
    indices: Arc<Vec<u32>>,
}

impl FilterState {
    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }

    /// Drops the last result as a base for narrowing: the records it was matched against
    /// have changed.
    pub(crate) fn forget_matches(&mut self) {
        self.matched = None;
    }
}

/// Whether every cable matching `new` also matches `old`, judged from the text alone:
/// typing on (more letters of a word, another word) only narrows a query. Negation, `|`,
/// a `$` anchor or a field term being extended can widen it, so they do not count.
pub fn narrows(old: &str, new: &str) -> bool {
    let Some(appended) = new.strip_prefix(old) else {
        return false;
    };
    if old.trim().is_empty() || new.contains(['|', '!']) {
        return false;
    }
    let old_last = old.rsplit(' ').next().unwrap_or("");
    let new_term = appended.starts_with(' ');
    if !new_term && (old_last.contains(':') || old_last.ends_with('$') || old_last.ends_with('\\'))
    {
        return false;
    }
    // A word that becomes a field term (`is` → `is:bogus`, `tag` → `tag:PREL`) or a phrase
    // is another test, not a narrower one.
    let extended = appended.split(' ').next().unwrap_or("");
    if !new_term && extended.contains([':', '"']) {
        return false;
    }
    true
}

/// What the help overlay lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpKind {
    Keys,
    Problems,
}

#[derive(Debug)]
pub struct HelpState {
    pub kind: HelpKind,
    /// The mode whose keys are listed (the one help was opened from).
    pub of_mode: Mode,
    pub input: TextInput,
    pub scroll: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Command,
    Search,
    /// A note on the disposition of the targeted cables.
    Note,
    /// Tags of the analyst's own: `name` toggles, `+name` adds, `-name` removes.
    Tag,
    /// The analyst to assign the targeted cables to (empty: me).
    Assign,
    /// A yes/no question ([`App::confirm`]).
    Confirm,
}

#[derive(Debug)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: TextInput,
    /// The mode to return to.
    pub from: Mode,
    /// The cables a note or tag prompt applies to, fixed when it opened.
    pub targets: Vec<String>,
    /// The targets of a note prompt hold different notes (the prompt starts empty).
    pub notes_differ: bool,
    /// The notes of `targets` as the analyst saw them when the prompt opened.
    pub seen_notes: Vec<Option<String>>,
    /// The assignees of `targets` as the analyst saw them when the prompt opened.
    pub seen_assignees: Vec<Option<String>>,
    /// What `tab` found when it could not complete to one: shown above the prompt until
    /// the text changes.
    pub candidates: Vec<String>,
}

/// A question the analyst answers with `y` or `n` (`esc` cancels; `enter` gives the
/// answer the question marks in capitals).
#[derive(Debug)]
pub struct Confirm {
    pub question: String,
    pub yes: Deferred,
    /// `None`: no is the same as cancelling.
    pub no: Option<Deferred>,
    pub enter_means_yes: bool,
}

/// What an answer does.
#[derive(Debug)]
pub enum Deferred {
    /// Runs the action again, with or without the selected cables the filter hides.
    Scoped {
        action: Action,
        include_hidden: bool,
        /// The numbers of shown and hidden targets the question named: if the store changed
        /// them meanwhile, the analyst is asked again.
        asked: (usize, usize),
    },
    /// Sends a prepared action of the analyst's.
    Write {
        action: ActionRecord,
        label: String,
        clear_selection: bool,
    },
    /// Sends the rest of an undo or redo.
    Step {
        action: ActionRecord,
        kind: triage::WriteKind,
        step: triage::Step,
    },
    /// Quits, losing the writes that could not be saved.
    Quit,
    /// Only says something.
    Notice(String),
}

/// Waiting for queued writes before quitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quitting {
    /// Quit once the writes are answered, saved or not (a signal: nobody is there to ask).
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub text: String,
    pub level: Level,
    pub until: Instant,
}

/// The keys bound in each mode, as the help shows them: canonical key notation and actions.
pub type Bindings = HashMap<Mode, Vec<(String, Vec<Action>)>>;

#[derive(Debug, Default)]
pub struct LoadState {
    pub progress: Progress,
    pub started: Option<Instant>,
    /// How long the whole read took, once done.
    pub finished: Option<Duration>,
}

pub struct App {
    pub corpus: Corpus,
    pub problems: Vec<Problem>,
    /// Where and what each problem said: a file read again after a warm open's check
    /// reports what its first reading did (a cable read twice), which is listed once.
    problems_seen: std::collections::HashSet<(String, Option<u64>, String)>,
    pub load: LoadState,
    pub mode: Mode,
    pub table: TableState,
    pub filter: FilterState,
    pub reading: Option<Reading>,
    /// The thread view, while it is open (or under a prompt or help opened from it).
    pub thread: Option<thread::ThreadView>,
    /// Draw trees with ASCII rather than box-drawing characters (a setting, or a locale
    /// that is not UTF-8).
    pub ascii_tree: bool,
    /// Share which cable is read, and show colleagues' (`presence` in the config).
    pub share_presence: bool,
    pub help: Option<HelpState>,
    pub prompt: Option<Prompt>,
    /// The question of a [`PromptKind::Confirm`] prompt.
    pub confirm: Option<Confirm>,
    /// Set when quitting waits for writes to be saved.
    pub quitting: Option<Quitting>,
    pub message: Option<Message>,
    pub bindings: Bindings,
    /// The terminal size.
    pub size: (u16, u16),
    pub quit: bool,
    pub indexes: Option<Indexes>,
    /// The sort keys of a recorded column, kept until the records or the corpus change:
    /// typing a filter re-sorts each result, and each would look every record up again.
    recorded_keys: std::sync::Mutex<Option<rows::RecordedKeys>>,
    pub triage: triage::Triage,
    /// A store written at once by [`App::update_now`] (tests and scripts); the interactive
    /// runtime writes on its own thread instead.
    pub direct_store: Option<Box<dyn TriageStore>>,
    /// Entries loaded but not yet merged into the table's order (merging is throttled).
    pending: Vec<u32>,
    last_merge: Option<Instant>,
    /// What was opened (the text index is cached under their key).
    pub inputs: Vec<PathBuf>,
    pub text: TextState,
    pub preview: PreviewState,
}

const MESSAGE_TIME: Duration = Duration::from_secs(4);
pub(crate) const MERGE_EVERY: Duration = Duration::from_millis(200);

impl App {
    pub fn new(bindings: Bindings) -> App {
        App {
            corpus: Corpus::new(),
            problems: Vec::new(),
            problems_seen: Default::default(),
            load: LoadState {
                started: Some(Instant::now()),
                ..LoadState::default()
            },
            mode: Mode::Table,
            table: TableState::default(),
            filter: FilterState::default(),
            reading: None,
            thread: None,
            ascii_tree: false,
            share_presence: true,
            help: None,
            prompt: None,
            confirm: None,
            quitting: None,
            message: None,
            bindings,
            size: (80, 24),
            quit: false,
            indexes: None,
            recorded_keys: Default::default(),
            triage: triage::Triage::default(),
            direct_store: None,
            pending: Vec::new(),
            last_merge: None,
            inputs: Vec::new(),
            text: TextState::default(),
            preview: PreviewState::default(),
        }
    }

    /// The ids of the cables citing an entry, earliest first; empty until the graph is built.
    pub fn citers_of(&self, index: u32) -> Vec<String> {
        let Some(graph) = self.graph() else {
            return Vec::new();
        };
        let mut citers: Vec<u32> = graph.cited_by(index).to_vec();
        citers.sort_by_key(|&e| (self.corpus.get(e).and_then(|c| c.date), e));
        citers
            .iter()
            .filter_map(|&e| self.corpus.get(e))
            .map(|e| e.id.to_string())
            .collect()
    }

    /// Rows of the table body at the current size (header, status and filter bar excluded).
    /// The reference graph, once the indexes are built.
    pub fn graph(&self) -> Option<&RefGraph> {
        self.indexes.as_ref().map(|ix| &*ix.graph)
    }

    pub fn table_rows(&self) -> usize {
        let preview = usize::from(self.preview.on);
        (self.size.1 as usize).saturating_sub(3 + preview).max(1)
    }

    /// Lines of the reading view's document at the current size: the terminal less the
    /// classification banner, the position line and the status bar.
    pub fn reading_rows(&self) -> usize {
        // The note line, when the cable read has a note (drawn when there is room).
        let note = self
            .reading
            .as_ref()
            .and_then(|r| self.corpus.get(r.index))
            .is_some_and(|e| self.triage.note(&e.id).is_some())
            && self.size.1 >= 6;
        (self.size.1 as usize)
            .saturating_sub(3 + usize::from(note))
            .max(1)
    }

    /// Columns of the reading view's document: the terminal less the scrollbar and a free
    /// column before it, so text never runs into the bar.
    pub fn reading_width(&self) -> u16 {
        self.size.0.saturating_sub(2).max(1)
    }

    /// Makes sure the reading document is laid out for the current width.
    fn lay_out_reading(&mut self) {
        let width = self.reading_width();
        if let Some(r) = self.reading.as_mut() {
            r.lines(width);
        }
    }

    pub fn say(&mut self, text: impl Into<String>, level: Level) {
        self.message = Some(Message {
            text: text.into(),
            level,
            until: Instant::now() + MESSAGE_TIME,
        });
    }

    /// A message about background work: it never hides an error still shown.
    pub fn notify(&mut self, text: impl Into<String>) {
        if self
            .message
            .as_ref()
            .is_some_and(|m| m.level == Level::Error && Instant::now() < m.until)
        {
            return;
        }
        self.say(text, Level::Info);
    }

    /// Opens a yes/no question.
    pub(crate) fn ask(&mut self, confirm: Confirm) {
        self.open_prompt(PromptKind::Confirm);
        self.confirm = Some(confirm);
    }

    /// Quits once every queued write is answered; asks first when some could not be
    /// saved (unless a signal asked to end).
    pub(crate) fn quit_when_saved(&mut self) -> Vec<Effect> {
        let Some(q) = self.quitting else {
            return Vec::new();
        };
        if self.triage.pending_writes() > 0 {
            let n = self.triage.pending_writes();
            self.say(format!("saving {n} change{}…", plural(n)), Level::Info);
            return Vec::new();
        }
        let failed = std::mem::take(&mut self.triage.failed_while_quitting);
        // A failure still on screen may not have been read yet.
        let recent = self
            .triage
            .last_failure
            .is_some_and(|t| t.elapsed() < MESSAGE_TIME);
        if (failed == 0 && !recent) || q.force {
            self.quit = true;
            return vec![Effect::Quit];
        }
        self.quitting = None;
        let n = failed.max(1);
        self.ask(Confirm {
            question: format!(
                "{n} change{} could not be saved and {} not recorded: quit anyway? [y/N]",
                plural(n),
                if n == 1 { "is" } else { "are" }
            ),
            yes: Deferred::Quit,
            no: Some(Deferred::Notice(
                "not quitting: what could not be saved is not recorded; do it again".into(),
            )),
            enter_means_yes: false,
        });
        Vec::new()
    }

    /// The one mutator.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = self.handle(msg);
        // Whatever moved the cursor, the preview line follows it.
        effects.extend(self.preview_reads());
        effects
    }

    fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Action(action) => self.act(action),
            Msg::Insert(c) => self.insert(c),
            Msg::Resize { width, height } => {
                self.size = (width, height);
                let rows = self.table_rows();
                self.table.keep_visible(rows);
                let rows = self.thread_rows();
                if let Some(t) = self.thread.as_mut() {
                    t.keep_visible(rows);
                }
                if let Some(r) = self.reading.as_mut() {
                    r.invalidate_layout();
                }
                self.lay_out_reading();
                // A wider terminal makes the document shorter: a scroll past its new end
                // would leave the screen half blank.
                let rows = self.reading_rows();
                if let Some(r) = self.reading.as_mut() {
                    r.clamp_scroll(rows);
                }
                Vec::new()
            }
            Msg::ClickRow(n) => {
                if self.mode == Mode::Table || self.mode == Mode::Filter {
                    let target = self.table.offset + n;
                    if target < self.table.shown.len() {
                        self.table.set_cursor(target, self.table_rows());
                    }
                }
                Vec::new()
            }
            Msg::ClickColumn(column) => {
                if self.table.sort.column == column {
                    self.table.sort.descending = !self.table.sort.descending;
                } else {
                    self.table.sort.column = column;
                    self.table.sort.descending = false;
                }
                self.resort();
                Vec::new()
            }
            Msg::Scroll(lines) => {
                match self.mode {
                    Mode::Reading => {
                        self.lay_out_reading();
                        let rows = self.reading_rows();
                        if let Some(r) = self.reading.as_mut() {
                            r.scroll_by(lines as isize, rows);
                        }
                    }
                    Mode::Help => {
                        if let Some(h) = self.help.as_mut() {
                            h.scroll = (h.scroll as isize + lines as isize).max(0) as usize;
                        }
                    }
                    _ => {
                        let rows = self.table_rows();
                        self.table.move_by(lines as isize, rows);
                    }
                }
                Vec::new()
            }
            Msg::Loaded(event) => self.loaded(event),
            Msg::Filtered { generation, result } => {
                if generation == self.filter.generation {
                    self.filter.running = false;
                    self.apply_filter_result(result);
                    // A failure of an earlier input (`like:08MADR` while typing) no longer
                    // holds once a later input filtered.
                    if let Some(failure) = self.filter.failure.take()
                        && self.message.as_ref().is_some_and(|m| m.text == failure)
                    {
                        self.message = None;
                    }
                }
                Vec::new()
            }
            Msg::FilterFailed { generation, error } => {
                if generation == self.filter.generation {
                    self.filter.running = false;
                    self.apply_filter_result(FilterResult::default());
                    self.filter.failure = Some(error.clone());
                    self.say(error, Level::Error);
                }
                Vec::new()
            }
            Msg::TextIndex { generation, event } => self.text_event(generation, event),
            Msg::TextRead { entry, result } => {
                self.preview.keep(entry, *result);
                Vec::new()
            }
            Msg::BodyRead { index, result } => {
                if let Some(r) = self.reading.as_mut()
                    && r.index == index
                {
                    r.set_cable(*result);
                    let scroll = r.scroll;
                    self.lay_out_reading();
                    // A scroll restored by go-back must fit the document.
                    let rows = self.reading_rows();
                    if let Some(r) = self.reading.as_mut() {
                        r.scroll = 0;
                        r.scroll_by(scroll as isize, rows);
                    }
                }
                Vec::new()
            }
            Msg::StoreOpened { records, read_only } => {
                self.triage.load(records);
                if let Some(why) = &read_only {
                    self.say(format!("read-only: {why}"), Level::Error);
                }
                self.triage.read_only = read_only;
                self.records_changed()
            }
            Msg::Written { write, result } => self.written(write, result),
            Msg::Taken { result } => self.taken(result),
            Msg::Analysts(names) => {
                self.triage.analysts = names;
                Vec::new()
            }
            Msg::StoreChanged { records } => {
                let n = self.triage.merge(records);
                if n > 0 {
                    self.notify(format!("{n} record{} changed elsewhere", plural(n)));
                }
                self.records_changed()
            }
            Msg::StoreNudged => vec![Effect::AskStore],
            Msg::Presence(others) => {
                self.triage.set_presence(others);
                Vec::new()
            }
            Msg::StoreReachable(why) => {
                match &why {
                    // The status bar says `store: reconnecting…` for as long as it lasts; a
                    // message beside it would squeeze its counts (found in testing).
                    Some(_) => {}
                    None if self.triage.unreachable.is_some() => {
                        self.notify("store: connected again".to_string())
                    }
                    None => {}
                }
                self.triage.unreachable = why;
                Vec::new()
            }
            Msg::Terminate => {
                self.quitting = Some(Quitting { force: true });
                self.quit_when_saved()
            }
            Msg::Indexed(indexes) => {
                if indexes.len != self.corpus.len() {
                    return Vec::new();
                }
                self.park_folds();
                self.indexes = Some(indexes);
                self.graph_changed();
                // The cable being read learns who cites it.
                if let Some(index) = self.reading.as_ref().map(|r| r.index) {
                    let citers = self.citers_of(index);
                    if let Some(r) = self.reading.as_mut() {
                        r.set_citers(citers);
                    }
                    self.lay_out_reading();
                }
                // A graph term typed while the graph was built applies itself now.
                if self.filter.is_active() && self.filter.query.uses_graph() {
                    self.filter.forget_matches();
                    return self.start_filter();
                }
                Vec::new()
            }
            Msg::Tick => {
                if self
                    .message
                    .as_ref()
                    .is_some_and(|m| Instant::now() >= m.until)
                {
                    self.message = None;
                }
                if !self.pending.is_empty() {
                    return self.merge_pending();
                }
                Vec::new()
            }
        }
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        // A message describes the state the last action left; the next action makes a new
        // one. Errors stay their time: they must be read.
        if self
            .message
            .as_ref()
            .is_some_and(|m| m.level == Level::Info)
        {
            self.message = None;
        }
        match action {
            A::NoOp => Vec::new(),
            A::Quit => {
                if self.quitting.is_some() {
                    let n = self.triage.pending_writes();
                    self.say(
                        format!("still saving {n} change{}…", plural(n)),
                        Level::Info,
                    );
                    return Vec::new();
                }
                self.quitting = Some(Quitting { force: false });
                self.quit_when_saved()
            }
            A::Help => {
                if self.mode == Mode::Help {
                    self.close_help();
                } else {
                    self.open_help(HelpKind::Keys);
                }
                Vec::new()
            }
            A::ShowProblems => {
                self.open_help(HelpKind::Problems);
                Vec::new()
            }
            A::CommandLine => {
                self.open_prompt(PromptKind::Command);
                Vec::new()
            }
            _ if matches!(self.mode, Mode::Table | Mode::Reading | Mode::Thread)
                && let Some(effects) = self.act_triage(action) =>
            {
                effects
            }
            _ if matches!(self.mode, Mode::Table | Mode::Reading | Mode::Thread)
                && let Some(effects) = self.act_assign(action) =>
            {
                effects
            }
            _ => match self.mode {
                Mode::Table => self.act_table(action),
                Mode::Filter => self.act_filter(action),
                Mode::Reading => self.act_reading(action),
                Mode::Thread => self.act_thread(action),
                Mode::Help => self.act_help(action),
                Mode::Prompt => self.act_prompt(action),
            },
        }
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Completes the last word of a tag prompt from the tags in use (most used first).
/// The tags in use that the last word of `typed` could complete to (`+` and `-` aside).
pub fn tag_candidates(typed: &str, tags: &[(String, usize)]) -> Vec<String> {
    let start = typed.rfind(' ').map_or(0, |i| i + 1);
    let stem = typed[start..].trim_start_matches(['+', '-']);
    tags.iter()
        .filter(|(t, _)| t.starts_with(stem))
        .map(|(t, _)| t.clone())
        .collect()
}

/// The action names that start with `typed`.
pub fn action_candidates(typed: &str) -> Vec<String> {
    Action::ALL
        .iter()
        .filter(|a| **a != Action::NoOp)
        .map(|a| a.name())
        .filter(|n| n.starts_with(typed))
        .map(str::to_string)
        .collect()
}

pub fn complete_tag(typed: &str, tags: &[(String, usize)]) -> Option<String> {
    let start = typed.rfind(' ').map_or(0, |i| i + 1);
    let word = &typed[start..];
    let (sign, stem) = match word.strip_prefix(['+', '-']) {
        Some(stem) => (&word[..1], stem),
        None => ("", word),
    };
    let found = tags
        .iter()
        .find(|(t, _)| t.starts_with(stem) && t != stem)?;
    Some(format!("{}{sign}{}", &typed[..start], found.0))
}

/// The completion of a partly typed action name: the name itself when one matches, else the
/// longest common prefix of the names that start so.
pub fn complete_action(typed: &str) -> Option<String> {
    let matching: Vec<&str> = Action::ALL
        .iter()
        .map(|a| a.name())
        .filter(|n| n.starts_with(typed))
        .collect();
    let first = matching.first()?;
    let mut common = first.len();
    for m in &matching[1..] {
        common = common.min(
            first
                .bytes()
                .zip(m.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    Some(first[..common].to_string())
}

impl App {
    /// [`App::update`], carrying out the effects at once on this thread: for tests, scripts
    /// and screenshots, where waiting is wanted. The interactive runtime never uses it.
    pub fn update_now(&mut self, msg: Msg) {
        let mut queue = std::collections::VecDeque::from(self.update(msg));
        while let Some(effect) = queue.pop_front() {
            let store = self.direct_store.as_deref_mut();
            if let Some(next) = effect.perform(&|| false, store) {
                queue.extend(self.update(next));
            }
        }
    }

    /// Loads `paths` on this thread, as the background loader would.
    pub fn load_now(&mut self, paths: &[PathBuf]) {
        self.inputs = paths.to_vec();
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let mut events = Vec::new();
        crate::corpus::load::load(paths, &cancel, &mut |e| events.push(e));
        for e in events {
            self.update_now(Msg::Loaded(e));
        }
    }
}
