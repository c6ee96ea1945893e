//! The app's state and its one mutator.
//!
//! Terminal events pass through the keymap into an [`Action`]; background work reports back as
//! other [`Msg`]s. [`App::update`] is the only place state changes: it takes one message and
//! returns the [`Effect`]s for the runtime to carry out off the UI thread (run a filter job,
//! read a cable's body). Views are pure functions of `&App`. Nothing here draws or reads the
//! terminal, so every behaviour can be tested by feeding messages.

pub mod action;
pub mod document;
pub mod mode;
pub mod reading;
pub mod table;
pub mod text_input;
pub mod triage;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use action::Action;
pub use mode::Mode;

use crate::cable::Cable;
use crate::corpus::cache::{self, CacheKey};
use crate::corpus::load::{LoadEvent, Progress};
use crate::corpus::query::{self, FilterResult, Query, QueryError, SearchIndex};
use crate::corpus::sort::{Column, SortIndex};
use crate::corpus::{Corpus, Entries, Location};
use crate::read::Problem;
use crate::store::{ActionRecord, Applied, Record, TriageStore, store_matches};
use reading::Reading;
use table::TableState;
use text_input::TextInput;

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
    ClickColumn(Column),
    /// Mouse wheel: lines, positive downwards.
    Scroll(i32),
    Loaded(LoadEvent),
    Filtered {
        generation: u64,
        result: FilterResult,
    },
    BodyRead {
        index: u32,
        result: Box<Result<Cable, String>>,
    },
    /// The sort and search indexes of the whole corpus are ready.
    Indexed(Indexes),
    /// The store opened: its records, its revision, and why it cannot be written if so.
    StoreOpened {
        records: Vec<Record>,
        revision: i64,
        read_only: Option<String>,
    },
    /// A write to the store committed, or failed.
    Written {
        write: u64,
        result: Result<Applied, String>,
    },
    /// Records changed by another instance on the same store.
    StoreChanged {
        records: Vec<Record>,
        revision: i64,
    },
    /// Time passes: short-lived messages expire.
    Tick,
}

/// Indexes built once the corpus is read, in the background: they make re-sorting and
/// subject filtering several times faster on big corpora. They cover the first `len` entries.
#[derive(Debug, Clone)]
pub struct Indexes {
    pub len: usize,
    pub sort: Arc<SortIndex>,
    pub search: Arc<SearchIndex>,
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
    /// Read one cable whole, for the reading view.
    ReadBody {
        index: u32,
        path: PathBuf,
        location: Location,
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
    /// The analyst's records, for `is:`, `mytag:`, `note:` and `by:` terms.
    pub records: Arc<HashMap<String, Record>>,
}

impl Indexes {
    pub fn build(entries: &Entries) -> Indexes {
        Indexes {
            len: entries.len(),
            sort: Arc::new(SortIndex::new(entries)),
            search: Arc::new(SearchIndex::new(entries)),
        }
    }
}

impl FilterJob {
    /// Runs the job; `None` when `cancel` says it was superseded.
    pub fn run(&self, cancel: &dyn Fn() -> bool) -> Option<FilterResult> {
        query::filter_scored(
            &self.entries,
            self.search.as_deref(),
            &self.candidates,
            &self.query,
            &|term, entry| store_matches(term, self.records.get(&*entry.id)),
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
    /// Order matches by score rather than by the table's sort.
    pub relevance: bool,
    /// Scores of the last result by entry index (0 for entries that did not match).
    pub scores: Vec<i64>,
    /// The input text of the running job, and how many entries the corpus had then.
    running_text: String,
    running_len: usize,
    /// The last result, kept so a query that only narrows it filters these rows alone.
    matched: Option<Matched>,
}

#[derive(Debug, Clone)]
struct Matched {
    text: String,
    corpus_len: usize,
    indices: Arc<Vec<u32>>,
}

impl FilterState {
    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
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
}

#[derive(Debug)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: TextInput,
    /// The mode to return to.
    pub from: Mode,
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
    pub load: LoadState,
    pub mode: Mode,
    pub table: TableState,
    pub filter: FilterState,
    pub reading: Option<Reading>,
    pub help: Option<HelpState>,
    pub prompt: Option<Prompt>,
    pub message: Option<Message>,
    pub bindings: Bindings,
    /// The terminal size.
    pub size: (u16, u16),
    pub quit: bool,
    pub indexes: Option<Indexes>,
    pub triage: triage::Triage,
    /// A store written at once by [`App::update_now`] (tests and scripts); the interactive
    /// runtime writes on its own thread instead.
    pub direct_store: Option<Box<dyn TriageStore>>,
    /// Entries loaded but not yet merged into the table's order (merging is throttled).
    pending: Vec<u32>,
    last_merge: Option<Instant>,
}

const MESSAGE_TIME: Duration = Duration::from_secs(4);
const MERGE_EVERY: Duration = Duration::from_millis(200);

impl App {
    pub fn new(bindings: Bindings) -> App {
        App {
            corpus: Corpus::new(),
            problems: Vec::new(),
            load: LoadState {
                started: Some(Instant::now()),
                ..LoadState::default()
            },
            mode: Mode::Table,
            table: TableState::default(),
            filter: FilterState::default(),
            reading: None,
            help: None,
            prompt: None,
            message: None,
            bindings,
            size: (80, 24),
            quit: false,
            indexes: None,
            triage: triage::Triage::default(),
            direct_store: None,
            pending: Vec::new(),
            last_merge: None,
        }
    }

    /// Rows of the table body at the current size (header, status and filter bar excluded).
    pub fn table_rows(&self) -> usize {
        (self.size.1 as usize).saturating_sub(3).max(1)
    }

    /// Lines of the reading view's document at the current size: the terminal less the
    /// classification banner, the position line and the status bar.
    pub fn reading_rows(&self) -> usize {
        (self.size.1 as usize).saturating_sub(3).max(1)
    }

    /// Columns of the reading view's document: the terminal less the scrollbar.
    pub fn reading_width(&self) -> u16 {
        self.size.0.saturating_sub(1).max(1)
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

    /// The one mutator.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Action(action) => self.act(action),
            Msg::Insert(c) => self.insert(c),
            Msg::Resize { width, height } => {
                self.size = (width, height);
                let rows = self.table_rows();
                self.table.keep_visible(rows);
                if let Some(r) = self.reading.as_mut() {
                    r.invalidate_layout();
                }
                self.lay_out_reading();
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
                }
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
            Msg::StoreOpened {
                records,
                revision,
                read_only,
            } => {
                self.triage.load(records, revision);
                if let Some(why) = &read_only {
                    self.say(format!("read-only: {why}"), Level::Error);
                }
                self.triage.read_only = read_only;
                Vec::new()
            }
            Msg::Written { write, result } => {
                self.written(write, result);
                Vec::new()
            }
            Msg::StoreChanged { records, revision } => {
                let n = self.triage.merge(records, revision);
                if n > 0 {
                    self.say(
                        format!("{n} record{} changed elsewhere", plural(n)),
                        Level::Info,
                    );
                }
                Vec::new()
            }
            Msg::Indexed(indexes) => {
                if indexes.len == self.corpus.len() {
                    self.indexes = Some(indexes);
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
        match action {
            A::NoOp => Vec::new(),
            A::Quit => {
                self.quit = true;
                vec![Effect::Quit]
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
            _ if matches!(self.mode, Mode::Table | Mode::Reading)
                && let Some(effects) = self.act_triage(action) =>
            {
                effects
            }
            _ => match self.mode {
                Mode::Table => self.act_table(action),
                Mode::Filter => self.act_filter(action),
                Mode::Reading => self.act_reading(action),
                Mode::Help => self.act_help(action),
                Mode::Prompt => self.act_prompt(action),
            },
        }
    }

    fn act_table(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let rows = self.table_rows();
        match action {
            A::Down => self.table.move_by(1, rows),
            A::Up => self.table.move_by(-1, rows),
            A::HalfPageDown => self.table.move_by((rows / 2).max(1) as isize, rows),
            A::HalfPageUp => self.table.move_by(-((rows / 2).max(1) as isize), rows),
            A::PageDown => self.table.move_by(rows as isize, rows),
            A::PageUp => self.table.move_by(-(rows as isize), rows),
            A::Top => self.table.set_cursor(0, rows),
            A::Bottom => self
                .table
                .set_cursor(self.table.shown.len().saturating_sub(1), rows),
            A::SortNext | A::SortPrevious => {
                let columns = Column::ALL;
                let at = columns
                    .iter()
                    .position(|c| *c == self.table.sort.column)
                    .unwrap_or(0);
                let next = if action == A::SortNext {
                    (at + 1) % columns.len()
                } else {
                    (at + columns.len() - 1) % columns.len()
                };
                self.table.sort.column = columns[next];
                self.table.sort.descending = false;
                self.filter.relevance = false;
                self.resort();
                self.say(format!("sorted by {}", columns[next].name()), Level::Info);
            }
            A::SortReverse => {
                self.table.sort.descending = !self.table.sort.descending;
                self.resort();
            }
            A::SortRelevance => {
                if self.filter.is_active() {
                    self.filter.relevance = !self.filter.relevance;
                    if self.filter.relevance {
                        // The matches so far were not scored: match again, with scores.
                        self.filter.matched = None;
                        self.say("matches ordered by relevance", Level::Info);
                        return self.start_filter();
                    }
                    self.reorder_shown();
                    let how = if self.filter.relevance {
                        "relevance"
                    } else {
                        self.table.sort.column.name()
                    };
                    self.say(format!("matches ordered by {how}"), Level::Info);
                } else {
                    self.say("relevance order needs a filter", Level::Info);
                }
            }
            A::Filter => {
                self.mode = Mode::Filter;
            }
            A::ClearFilter | A::Back => {
                if self.filter.is_active() || !self.filter.input.text().is_empty() {
                    self.filter.input.clear();
                    return self.refilter();
                }
            }
            A::Open => return self.open_cursor(),
            _ => self.not_here(action),
        }
        Vec::new()
    }

    fn act_filter(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let rows = self.table_rows();
        let edit = |f: &mut FilterState, action: Action| match action {
            A::DeleteBack => f.input.delete_back(),
            A::DeleteForward => f.input.delete_forward(),
            A::DeleteWord => f.input.delete_word(),
            A::DeleteLine => f.input.clear(),
            A::CursorLeft => f.input.left(),
            A::CursorRight => f.input.right(),
            A::CursorHome => f.input.home(),
            A::CursorEnd => f.input.end(),
            _ => {}
        };
        match action {
            A::Accept => {
                self.mode = Mode::Table;
                Vec::new()
            }
            A::Cancel | A::Back => {
                self.mode = Mode::Table;
                self.filter.input.clear();
                self.refilter()
            }
            A::Down => {
                self.table.move_by(1, rows);
                Vec::new()
            }
            A::Up => {
                self.table.move_by(-1, rows);
                Vec::new()
            }
            A::PageDown => {
                self.table.move_by(rows as isize, rows);
                Vec::new()
            }
            A::PageUp => {
                self.table.move_by(-(rows as isize), rows);
                Vec::new()
            }
            A::SortRelevance => self.act_table(action),
            A::Open => {
                self.mode = Mode::Table;
                self.open_cursor()
            }
            A::DeleteBack
            | A::DeleteForward
            | A::DeleteWord
            | A::DeleteLine
            | A::CursorLeft
            | A::CursorRight
            | A::CursorHome
            | A::CursorEnd => {
                let before = self.filter.input.text().to_string();
                edit(&mut self.filter, action);
                if before != self.filter.input.text() {
                    self.refilter()
                } else {
                    Vec::new()
                }
            }
            _ => {
                self.not_here(action);
                Vec::new()
            }
        }
    }

    fn act_reading(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        self.lay_out_reading();
        let rows = self.reading_rows();
        let Some(r) = self.reading.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        match action {
            A::Down => r.scroll_by(1, rows),
            A::Up => r.scroll_by(-1, rows),
            A::HalfPageDown => r.scroll_by((rows / 2).max(1) as isize, rows),
            A::HalfPageUp => r.scroll_by(-((rows / 2).max(1) as isize), rows),
            A::PageDown => r.scroll_by(rows.saturating_sub(1).max(1) as isize, rows),
            A::PageUp => r.scroll_by(-(rows.saturating_sub(1).max(1) as isize), rows),
            A::Top => r.scroll = 0,
            A::Bottom => r.scroll_by(isize::MAX / 2, rows),
            A::Back | A::Cancel => {
                self.reading = None;
                self.mode = Mode::Table;
            }
            A::NextCable | A::PreviousCable => {
                let step = if action == A::NextCable { 1 } else { -1 };
                let table_rows = self.table_rows();
                let before = self.table.cursor;
                self.table.move_by(step, table_rows);
                if self.table.cursor == before {
                    let end = if step > 0 { "last" } else { "first" };
                    self.say(format!("this is the {end} cable of the list"), Level::Info);
                    return Vec::new();
                }
                return self.open_cursor();
            }
            A::Search => self.open_prompt(PromptKind::Search),
            A::SearchNext | A::SearchPrevious => {
                let forward = action == A::SearchNext;
                if let Some(found) = r.jump_to_match(forward, rows) {
                    if !found {
                        self.say("no match", Level::Info);
                    }
                } else {
                    self.say("no search: press the search key first", Level::Info);
                }
            }
            A::NextReference => r.select_reference(1),
            A::PreviousReference => r.select_reference(-1),
            A::FollowReference => return self.follow_reference(),
            A::GoBack => return self.go_back(),
            _ => self.not_here(action),
        }
        Vec::new()
    }

    fn act_help(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let Some(h) = self.help.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        let rows = (self.size.1 as usize).saturating_sub(6).max(1);
        match action {
            A::Back | A::Cancel | A::Accept => self.close_help(),
            A::Down => h.scroll += 1,
            A::Up => h.scroll = h.scroll.saturating_sub(1),
            A::PageDown | A::HalfPageDown => h.scroll += rows,
            A::PageUp | A::HalfPageUp => h.scroll = h.scroll.saturating_sub(rows),
            A::Top => h.scroll = 0,
            A::Bottom => h.scroll = usize::MAX / 2,
            A::DeleteBack => h.input.delete_back(),
            A::DeleteWord => h.input.delete_word(),
            A::DeleteLine => h.input.clear(),
            _ => self.not_here(action),
        }
        Vec::new()
    }

    fn act_prompt(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let Some(p) = self.prompt.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        match action {
            A::Accept => {
                let Some(p) = self.prompt.take() else {
                    return Vec::new();
                };
                self.mode = p.from;
                let text = p.input.text().trim().to_string();
                match p.kind {
                    PromptKind::Command => return self.run_command(&text),
                    PromptKind::Note => return self.set_note(&text),
                    PromptKind::Tag => return self.apply_tag_text(&text),
                    PromptKind::Search => {
                        self.lay_out_reading();
                        let rows = self.reading_rows();
                        if let Some(r) = self.reading.as_mut() {
                            r.set_search(&text);
                            if !text.is_empty() && r.jump_to_match(true, rows) == Some(false) {
                                self.say(format!("{text:?} not found in this cable"), Level::Info);
                            }
                        }
                    }
                }
            }
            A::Cancel | A::Back => {
                let from = p.from;
                self.prompt = None;
                self.mode = from;
            }
            A::DeleteBack => p.input.delete_back(),
            A::DeleteForward => p.input.delete_forward(),
            A::DeleteWord => p.input.delete_word(),
            A::DeleteLine => p.input.clear(),
            A::CursorLeft => p.input.left(),
            A::CursorRight => p.input.right(),
            A::CursorHome => p.input.home(),
            A::CursorEnd => p.input.end(),
            A::Complete => {
                let typed = p.input.text().to_string();
                let done = match p.kind {
                    PromptKind::Command => complete_action(&typed),
                    PromptKind::Tag => complete_tag(&typed, &self.triage.tags_in_use),
                    _ => None,
                };
                if let (Some(done), Some(p)) = (done, self.prompt.as_mut()) {
                    p.input = TextInput::with_text(&done);
                }
            }
            _ => self.not_here(action),
        }
        Vec::new()
    }

    /// `:name` runs an action as if its key had been pressed in the mode the prompt came from.
    fn run_command(&mut self, text: &str) -> Vec<Effect> {
        if text.is_empty() {
            return Vec::new();
        }
        match text.parse::<Action>() {
            Ok(action) => self.act(action),
            Err(e) => {
                self.say(e.to_string(), Level::Error);
                Vec::new()
            }
        }
    }

    fn not_here(&mut self, action: Action) {
        self.say(
            format!(
                "{} does nothing in {} mode",
                action.name(),
                self.mode.name()
            ),
            Level::Info,
        );
    }

    fn insert(&mut self, c: char) -> Vec<Effect> {
        match self.mode {
            Mode::Filter => {
                self.filter.input.insert(c);
                self.refilter()
            }
            Mode::Prompt => {
                if let Some(p) = self.prompt.as_mut() {
                    p.input.insert(c);
                }
                Vec::new()
            }
            Mode::Help => {
                if let Some(h) = self.help.as_mut() {
                    h.input.insert(c);
                    h.scroll = 0;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn open_help(&mut self, kind: HelpKind) {
        let of_mode = if self.mode == Mode::Help {
            self.help.as_ref().map_or(Mode::Table, |h| h.of_mode)
        } else {
            self.mode
        };
        self.help = Some(HelpState {
            kind,
            of_mode,
            input: TextInput::default(),
            scroll: 0,
        });
        self.mode = Mode::Help;
    }

    fn close_help(&mut self) {
        if let Some(h) = self.help.take() {
            self.mode = h.of_mode;
        }
        if self.mode == Mode::Help {
            self.mode = Mode::Table;
        }
    }

    pub(crate) fn open_prompt(&mut self, kind: PromptKind) {
        let from = match self.mode {
            Mode::Prompt | Mode::Help => Mode::Table,
            m => m,
        };
        self.prompt = Some(Prompt {
            kind,
            input: TextInput::default(),
            from,
        });
        self.mode = Mode::Prompt;
    }

    /// Opens the cable under the table cursor.
    pub(crate) fn open_cursor(&mut self) -> Vec<Effect> {
        let Some(index) = self.table.current() else {
            self.say("no cable to open", Level::Info);
            return Vec::new();
        };
        let back = self.reading.take().map(|r| r.back).unwrap_or_default();
        self.open_index(index, back)
    }

    fn open_index(&mut self, index: u32, back: Vec<(u32, usize)>) -> Vec<Effect> {
        let Some(entry) = self.corpus.get(index) else {
            return Vec::new();
        };
        let location = entry.location;
        let mut reading = Reading::new(index);
        reading.back = back;
        self.reading = Some(reading);
        self.mode = Mode::Reading;
        let mut effects = match self.corpus.file(&location) {
            Some(path) => vec![Effect::ReadBody {
                index,
                path: path.clone(),
                location,
            }],
            None => {
                if let Some(r) = self.reading.as_mut() {
                    r.set_cable(Err("the cable's file is not known".into()));
                }
                Vec::new()
            }
        };
        // Opening a cable is reading it: it is seen (not done).
        effects.extend(self.mark_seen(index));
        effects
    }

    fn follow_reference(&mut self) -> Vec<Effect> {
        let Some(r) = self.reading.as_ref() else {
            return Vec::new();
        };
        let Some(id) = r.selected_reference(&self.corpus).map(str::to_string) else {
            self.say("this cable cites no other cable", Level::Info);
            return Vec::new();
        };
        match self.corpus.find_id(&id) {
            Some(target) => {
                let mut back = r.back.clone();
                back.push((r.index, r.scroll));
                // Keep the table cursor on the cable being read when it is in the list.
                if let Some(pos) = self.table.shown.iter().position(|&i| i == target) {
                    let rows = self.table_rows();
                    self.table.set_cursor(pos, rows);
                }
                self.open_index(target, back)
            }
            None => {
                self.say(format!("{id} is not in this corpus"), Level::Info);
                Vec::new()
            }
        }
    }

    fn go_back(&mut self) -> Vec<Effect> {
        let Some(mut back) = self.reading.as_ref().map(|r| r.back.clone()) else {
            return Vec::new();
        };
        let Some((index, scroll)) = back.pop() else {
            self.say("nothing to go back to", Level::Info);
            return Vec::new();
        };
        if let Some(pos) = self.table.shown.iter().position(|&i| i == index) {
            let rows = self.table_rows();
            self.table.set_cursor(pos, rows);
        }
        let effects = self.open_index(index, back);
        if let Some(r) = self.reading.as_mut() {
            r.scroll = scroll;
        }
        effects
    }

    fn loaded(&mut self, event: LoadEvent) -> Vec<Effect> {
        match event {
            LoadEvent::Batch {
                files,
                entries,
                progress,
            } => {
                for f in files {
                    self.corpus.add_file(f);
                }
                for e in entries {
                    let i = self.corpus.push(e);
                    self.pending.push(i);
                }
                self.load.progress = progress;
                let due = self.last_merge.is_none_or(|t| t.elapsed() >= MERGE_EVERY);
                if due {
                    return self.merge_pending();
                }
                Vec::new()
            }
            LoadEvent::Problem(p) => {
                self.problems.push(p);
                Vec::new()
            }
            LoadEvent::Done {
                progress,
                elapsed,
                save_as,
            } => {
                self.load.progress = progress;
                self.load.finished = Some(elapsed);
                let mut effects = self.merge_pending();
                if let Some(key) = save_as {
                    effects.push(Effect::SaveCache {
                        key,
                        files: self.corpus.files.clone(),
                        entries: self.corpus.entries.clone(),
                    });
                }
                effects.push(Effect::BuildIndexes(self.corpus.entries.clone()));
                if !self.problems.is_empty() {
                    let n = self.problems.len();
                    self.say(
                        format!("{n} input problem{} (show-problems lists them)", plural(n)),
                        Level::Error,
                    );
                }
                effects
            }
        }
    }

    /// Adds loaded entries to the table's order, keeping the sort and the cursor's cable.
    fn merge_pending(&mut self) -> Vec<Effect> {
        self.last_merge = Some(Instant::now());
        if self.pending.is_empty() {
            return Vec::new();
        }
        let mut new = std::mem::take(&mut self.pending);
        self.table.order.append(&mut new);
        self.resort_order_only();
        if self.filter.is_active() {
            self.start_filter()
        } else {
            self.table.shown = self.table.order.clone();
            self.table.follow_selection(self.table_rows());
            Vec::new()
        }
    }

    fn resort_order_only(&mut self) {
        let mut order = std::mem::take(&mut self.table.order);
        self.sort_rows(&mut order);
        self.table.order = order;
    }

    /// Sorts rows by the table's sort, through the sort index once it covers the corpus.
    fn sort_rows(&self, rows: &mut [u32]) {
        match &self.indexes {
            Some(ix) if ix.len == self.corpus.len() => ix.sort.sort(rows, self.table.sort),
            _ => crate::corpus::sort::sort_indices(&self.corpus.entries, rows, self.table.sort),
        }
    }

    /// Re-sorts after a change of sort: the shown rows are re-sorted in place, so a filter
    /// need not run again.
    fn resort(&mut self) {
        self.resort_order_only();
        if !self.filter.is_active() {
            self.table.shown = self.table.order.clone();
        } else if !self.filter.relevance {
            let mut shown = std::mem::take(&mut self.table.shown);
            self.sort_rows(&mut shown);
            self.table.shown = shown;
        }
        let rows = self.table_rows();
        self.table.follow_selection(rows);
    }

    /// The filter input changed: parse it and start a job (or show everything).
    fn refilter(&mut self) -> Vec<Effect> {
        let (query, errors) = query::parse(self.filter.input.text());
        self.filter.errors = errors;
        if *self.filter.query == query {
            return Vec::new();
        }
        self.filter.query = Arc::new(query);
        if !self.filter.is_active() {
            self.filter.generation += 1;
            self.filter.running = false;
            self.filter.scores.clear();
            self.filter.matched = None;
            self.filter.relevance = false;
            self.table.shown = self.table.order.clone();
            let rows = self.table_rows();
            self.table.follow_selection(rows);
            return Vec::new();
        }
        self.start_filter()
    }

    fn start_filter(&mut self) -> Vec<Effect> {
        self.filter.generation += 1;
        self.filter.running = true;
        let text = self.filter.input.text().to_string();
        let corpus_len = self.corpus.len();
        // Typing on narrows the query: only the rows that matched before can match now.
        let candidates = match &self.filter.matched {
            Some(m) if m.corpus_len == corpus_len && narrows(&m.text, &text) => {
                Arc::clone(&m.indices)
            }
            _ => Arc::new(self.table.order.clone()),
        };
        self.filter.running_text = text;
        self.filter.running_len = corpus_len;
        vec![Effect::Filter(FilterJob {
            generation: self.filter.generation,
            query: Arc::clone(&self.filter.query),
            candidates,
            entries: self.corpus.entries.clone(),
            search: self.indexes.as_ref().map(|ix| Arc::clone(&ix.search)),
            need_scores: self.filter.relevance,
            records: Arc::clone(&self.triage.records),
        })]
    }

    fn apply_filter_result(&mut self, result: FilterResult) {
        let mut scores = vec![0; self.corpus.len()];
        for (&i, &score) in result.indices.iter().zip(&result.scores) {
            if let Some(s) = scores.get_mut(i as usize) {
                *s = score;
            }
        }
        self.filter.scores = scores;
        self.filter.matched = Some(Matched {
            text: self.filter.running_text.clone(),
            corpus_len: self.filter.running_len,
            indices: Arc::new(result.indices.clone()),
        });
        self.table.shown = result.indices;
        self.reorder_shown();
    }

    /// Puts the shown rows in relevance or table order.
    fn reorder_shown(&mut self) {
        if self.filter.relevance {
            let scores = &self.filter.scores;
            // Stable: equal scores keep the table's order.
            self.table
                .shown
                .sort_by_key(|&i| std::cmp::Reverse(scores.get(i as usize).copied().unwrap_or(0)));
        } else if self.filter.is_active() {
            let mut shown = std::mem::take(&mut self.table.shown);
            self.sort_rows(&mut shown);
            self.table.shown = shown;
        }
        let rows = self.table_rows();
        self.table.follow_selection(rows);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Completes the last word of a tag prompt from the tags in use (most used first).
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
            let next = match effect {
                Effect::Quit => continue,
                Effect::BuildIndexes(entries) => Msg::Indexed(Indexes::build(&entries)),
                Effect::SaveCache {
                    key,
                    files,
                    entries,
                } => {
                    let _ = cache::save(&cache::cache_path(&key.inputs), &key, &files, &entries);
                    continue;
                }
                Effect::Write { write, action } => Msg::Written {
                    write,
                    result: match self.direct_store.as_mut() {
                        Some(store) => store.apply(&action).map_err(|e| e.to_string()),
                        None => Err("no store is open".to_string()),
                    },
                },
                Effect::Filter(job) => {
                    let Some(result) = job.run(&|| false) else {
                        continue;
                    };
                    Msg::Filtered {
                        generation: job.generation,
                        result,
                    }
                }
                Effect::ReadBody {
                    index,
                    path,
                    location,
                } => Msg::BodyRead {
                    index,
                    result: Box::new(crate::corpus::body::read_cable(&path, &location)),
                },
            };
            queue.extend(self.update(next));
        }
    }

    /// Loads `paths` on this thread, as the background loader would.
    pub fn load_now(&mut self, paths: &[PathBuf]) {
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let mut events = Vec::new();
        crate::corpus::load::load(paths, &cancel, &mut |e| events.push(e));
        for e in events {
            self.update_now(Msg::Loaded(e));
        }
    }
}
