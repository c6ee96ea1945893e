//! The text index as the app sees it: opened or built in the background once the corpus is
//! read, its progress for the status bar, and the index kept to answer the filter's text terms
//! (see "How the app drives it" in [`crate::search`]). Part of [`App::update`].
//!
//! The job runs on a thread of its own (it lasts seconds to minutes and lowers its own
//! priority); the runtime cancels it when a newer one starts or the app quits, and never waits
//! for it. Every event carries the job's generation, so a stale job's reports are dropped.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{App, Effect, Level, Msg};
use crate::corpus::Corpus;
use crate::corpus::cache::{CacheKey, key_for};
use crate::search::{
    BuildOptions, CorpusStamp, Progress, Storage, TextIndex, open_or_build, text_index_dir,
};

/// Where the app keeps its text index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TextStorage {
    /// No text index: text terms say search is off (tests that do not need it).
    #[default]
    Off,
    /// In the cache folder, under the corpus cache's key (the app).
    Cache,
    /// In this folder (tests).
    Dir(PathBuf),
    /// In memory, for this run.
    Memory,
}

/// An opened index and the corpus it was built for: text terms are resolved against both.
#[derive(Clone)]
pub struct TextSearch {
    pub index: Arc<TextIndex>,
    pub corpus: Arc<Corpus>,
}

impl std::fmt::Debug for TextSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TextSearch({} documents)", self.index.documents())
    }
}

/// Where the text index stands.
#[derive(Debug, Clone, Default)]
pub enum TextStatus {
    /// Not asked for (search off), or the corpus is still being read.
    #[default]
    Idle,
    /// Being opened or built.
    Building(Building),
    Ready(TextSearch),
    /// It could not be made: why.
    Failed(String),
}

/// A build under way, as the status bar shows it: `indexing text 43% · 12 s left`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Building {
    /// From 0 to 1.
    pub fraction: f64,
    /// From the rate observed since the first report; `None` until there is one.
    pub secs_left: Option<u64>,
    /// The first report: when, and how far the build was then.
    first: Option<(Instant, u64)>,
}

impl Building {
    /// Takes a report received at `now`.
    pub fn observe(&mut self, p: Progress, now: Instant) {
        self.fraction = p.fraction();
        let Some((t0, done0)) = self.first else {
            self.first = Some((now, p.done));
            return;
        };
        let elapsed = now.saturating_duration_since(t0).as_secs_f64();
        let done = p.done.saturating_sub(done0);
        if done > 0 && elapsed > 0.0 {
            let rate = done as f64 / elapsed;
            self.secs_left = Some((p.total.saturating_sub(p.done) as f64 / rate).ceil() as u64);
        }
    }

    /// `43%` or `43% · 12 s left`.
    pub fn describe(&self) -> String {
        let percent = (self.fraction * 100.0).floor() as u32;
        match self.secs_left {
            Some(s) => format!("{percent}% · {s} s left"),
            None => format!("{percent}%"),
        }
    }
}

/// The app's text index state.
#[derive(Debug, Default)]
pub struct TextState {
    pub storage: TextStorage,
    pub status: TextStatus,
    /// The corpus as the index job holds it: readable off the UI thread (preview snippets)
    /// before the index is ready.
    pub corpus: Option<Arc<Corpus>>,
    /// The generation of the newest job; reports of older ones are dropped.
    pub generation: u64,
}

impl TextState {
    /// The index, when ready.
    pub fn ready(&self) -> Option<&TextSearch> {
        match &self.status {
            TextStatus::Ready(t) => Some(t),
            _ => None,
        }
    }

    /// What a text term waiting for the index shows: `indexing 43%`, `text search off`.
    pub fn waiting_note(&self) -> String {
        match &self.status {
            TextStatus::Building(b) => format!("indexing {}%", (b.fraction * 100.0).floor()),
            TextStatus::Failed(_) => "text search unavailable".to_string(),
            TextStatus::Idle if self.storage == TextStorage::Off => "text search off".to_string(),
            _ => "indexing…".to_string(),
        }
    }
}

/// What the index job reports.
pub enum TextEvent {
    /// The corpus it works on, now shared.
    Started(Arc<Corpus>),
    Progress(Progress),
    /// The index, with something to tell the analyst (e.g. it runs from memory); or why
    /// there is none.
    Ready(Result<(TextSearch, Option<String>), String>),
}

impl std::fmt::Debug for TextEvent {
    // Not the corpus's every cable.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextEvent::Started(corpus) => write!(f, "Started({} cables)", corpus.len()),
            TextEvent::Progress(p) => write!(f, "Progress({}/{})", p.done, p.total),
            TextEvent::Ready(Ok((search, notice))) => write!(f, "Ready({search:?}, {notice:?})"),
            TextEvent::Ready(Err(why)) => write!(f, "Ready(Err({why:?}))"),
        }
    }
}

/// Opens or builds the text index of the corpus just read.
pub struct TextIndexJob {
    pub generation: u64,
    /// The corpus as read. Its entries are shared with the app's (their chunks are behind
    /// `Arc`s): only the id map is copied, so the index costs no second copy of the cables.
    pub corpus: Corpus,
    pub inputs: Vec<PathBuf>,
    /// The corpus cache's key when the loader just took it (else it is taken again).
    pub key: Option<CacheKey>,
    pub storage: TextStorage,
    pub options: BuildOptions,
}

impl std::fmt::Debug for TextIndexJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TextIndexJob {{ generation: {}, {} cables, storage: {:?} }}",
            self.generation,
            self.corpus.len(),
            self.storage
        )
    }
}

/// Progress is reported at most this often: each report redraws the screen.
const REPORT_EVERY: Duration = Duration::from_millis(200);

impl TextIndexJob {
    /// Does the job on this thread, reporting through `report`; returns the last report.
    pub fn run(self, cancel: &AtomicBool, report: &(dyn Fn(Msg) + Sync)) -> Msg {
        let generation = self.generation;
        let event = |e: TextEvent| Msg::TextIndex {
            generation,
            event: e,
        };
        let corpus = Arc::new(self.corpus);
        report(event(TextEvent::Started(Arc::clone(&corpus))));
        let dir = match &self.storage {
            TextStorage::Off => return event(TextEvent::Ready(Err("text search is off".into()))),
            TextStorage::Cache => text_index_dir(&self.inputs),
            TextStorage::Dir(d) => Some(d.clone()),
            TextStorage::Memory => None,
        };
        // The stamp ties a cached index to exactly these files; without a key nothing
        // cached can be trusted, so the index is built in memory.
        let key = self.key.or_else(|| key_for(&self.inputs).ok());
        let (stamp, dir) = match key {
            Some(key) => (CorpusStamp::new(&key, &corpus), dir),
            None => (CorpusStamp(0), None),
        };
        let started = Instant::now();
        let last = AtomicU64::new(0);
        let progress = |p: Progress| {
            let now = started.elapsed().as_millis() as u64;
            let before = last.load(Ordering::Relaxed);
            let due = before == 0 || now >= before + REPORT_EVERY.as_millis() as u64;
            if due
                && last
                    .compare_exchange(before, now.max(1), Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok()
            {
                report(event(TextEvent::Progress(p)));
            }
        };
        let result = open_or_build(
            &corpus,
            stamp,
            dir.as_deref(),
            &self.options,
            &progress,
            cancel,
        )
        .map(|opened| {
            let search = TextSearch {
                index: Arc::new(opened.index),
                corpus: Arc::clone(&corpus),
            };
            (search, opened.notice)
        })
        .map_err(|e| e.to_string());
        event(TextEvent::Ready(result))
    }
}

impl App {
    /// The effect that opens the text index of the corpus just read (none when search is off).
    pub(super) fn open_text_index(&mut self, key: Option<CacheKey>) -> Option<Effect> {
        if self.text.storage == TextStorage::Off {
            return None;
        }
        self.text.generation += 1;
        self.text.status = TextStatus::Building(Building::default());
        self.text.corpus = None;
        self.preview.clear();
        Some(Effect::OpenTextIndex(TextIndexJob {
            generation: self.text.generation,
            corpus: self.corpus.clone(),
            inputs: self.inputs.clone(),
            key,
            storage: self.text.storage.clone(),
            options: BuildOptions::default(),
        }))
    }

    pub(super) fn text_event(&mut self, generation: u64, event: TextEvent) -> Vec<Effect> {
        if generation != self.text.generation {
            return Vec::new();
        }
        match event {
            TextEvent::Started(corpus) => {
                self.text.corpus = Some(corpus);
                Vec::new()
            }
            TextEvent::Progress(p) => {
                if let TextStatus::Building(b) = &mut self.text.status {
                    b.observe(p, Instant::now());
                }
                Vec::new()
            }
            TextEvent::Ready(Err(why)) => {
                self.say(format!("no text search: {why}"), Level::Error);
                self.text.status = TextStatus::Failed(why);
                Vec::new()
            }
            TextEvent::Ready(Ok((search, notice))) => {
                if let Some(notice) = notice {
                    self.notify(notice);
                } else if let Storage::Memory(why) = search.index.storage() {
                    self.notify(format!("text search runs from memory: {why}"));
                }
                // Also when the job's first report was not delivered (run in place).
                self.text.corpus = Some(Arc::clone(&search.corpus));
                self.text.status = TextStatus::Ready(search);
                // A text term typed while the index was built applies itself now.
                if self.filter.is_active() && self.filter.query.uses_full_text() {
                    self.filter.forget_matches();
                    return self.start_filter();
                }
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_comes_from_the_rate_since_the_first_report() {
        let t0 = Instant::now();
        let mut b = Building::default();
        b.observe(
            Progress {
                done: 100,
                total: 1000,
            },
            t0,
        );
        assert_eq!(b.describe(), "10%");
        // 200 cables in 2 s: 100 a second, 700 to go.
        b.observe(
            Progress {
                done: 300,
                total: 1000,
            },
            t0 + Duration::from_secs(2),
        );
        assert_eq!(b.describe(), "30% · 7 s left");
    }
}
