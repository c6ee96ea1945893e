//! The full-text index: every word of every cable's subject and body, so the filter
//! language's text terms (`text:`, `body:`, `"a phrase"`, `like:`) are answered in
//! milliseconds over 250,000 cables.
//!
//! The engine is tantivy, embedded. The index holds words and their positions, not the text:
//! bodies are read again from their source ([`bodies`]) for snippets, highlights and `like:`.
//! Each document carries its entry's index in the corpus as a fast field, so a query maps to
//! corpus positions in O(hits) ([`Hits`]).
//!
//! How the parts fit:
//! - [`words`]: what a word is (the one tokenizer, used for indexing, queries, highlights);
//! - [`bodies`]: the subject and body of every cable, read again from the corpus's files
//!   (a dump sequentially, once);
//! - [`build`]: building the index on every core at background priority, with progress and
//!   cancel; [`cache`]: where it is kept and how a stale, damaged or foreign one is refused;
//! - [`index`]: an opened [`TextIndex`]: answers a query's full-text terms with [`Hits`],
//!   and `like` ([`TextIndex::like`]);
//! - [`snippet`]: the hit spans of a query in one cable's text, and a one-line snippet.
//!
//! # How the app drives it
//!
//! ```text
//! corpus read ──► effect SpawnTextIndex { stamp = CorpusStamp::new(&key, &corpus) }
//!   thread (std::thread, not the UI's):
//!     open_or_build(&corpus, &stamp, text_index_dir(&inputs), &BuildOptions::default(),
//!                   &|p: Progress| send(Msg::TextIndexProgress(p)),   // done/total cables
//!                   &cancel)                                          // AtomicBool
//!     └─► send(Msg::TextIndexReady(Ok(Opened { index, origin, notice })))
//! App::update(TextIndexProgress(p)) → status bar `indexing text 43% · 12 s left`
//!     (p.fraction(), and time left from the rate since the first progress)
//! App::update(TextIndexReady(..))   → keep Arc<TextIndex>; show `notice` if any (e.g. "cache
//!     folder not writable: text search runs from memory"); re-run the filter if
//!     query.uses_full_text()
//! filter job: let mut q = parse(typed).0;
//!     if let Some(ix) = &text_index { ix.resolve(&mut q, &corpus, relevance)?; }
//!     else if q.waits_for_text() { /* show `indexing 43%` beside the term */ }
//!     filter_with(.., &q, ..)            // an unresolved text term filters nothing
//! reading view: bodies::read_text(&corpus, entry) → snippet::hit_spans(&q, &text.body)
//! preview line: snippet::snippet(&q, &text, width) for the cursor's row only
//! "ten most like this": ix.like(&corpus, entry, 10)
//! ```
//!
//! [`TextIndex`] is `Send + Sync`: share it in an `Arc` between the UI and filter jobs.
//! Nothing here knows about terminals.

pub mod bodies;
pub mod build;
pub mod cache;
pub mod hits;
pub mod index;
pub mod snippet;
pub mod words;

pub use bodies::CableText;
pub use build::{BuildError, BuildOptions, Opened, Origin, Progress, build, open_or_build};
pub use cache::{CorpusStamp, IndexMiss, Storage, text_index_dir};
pub use hits::{Hits, narrow};
pub use index::TextIndex;
pub use snippet::{Snippet, hit_spans, snippet};
pub use words::{WORD_TOKENIZER, word_spans, words};
