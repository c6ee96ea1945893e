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
//! corpus read (LoadEvent::Done) ──► effect SpawnTextIndex
//!   on a std::thread of its own (never the UI's):
//!     let key = corpus::cache::key_for(&inputs)?;        // one stat per file
//!     let stamp = CorpusStamp::new(&key, &corpus);        // ~20 ms for 250,000 cables
//!     open_or_build(&corpus, stamp, text_index_dir(&inputs).as_deref(),
//!                   &BuildOptions::default(),             // every core, background priority
//!                   &|p: Progress| send(Msg::TextIndexProgress(p)),  // p.done / p.total cables
//!                   &cancel)                              // AtomicBool: a new corpus, quitting
//!     └─► send(Msg::TextIndexReady(result))               // Ok(Opened { index, origin, notice })
//! App::update(TextIndexProgress(p)) → status bar `indexing text 43% · 12 s left`
//!     (p.fraction(); time left from the rate since the first progress)
//! App::update(TextIndexReady(Ok(o))) → keep Arc::new(o.index); show o.notice if any ("cannot
//!     write the cache folder …: text search runs from memory for this session"); if the
//!     current query.uses_full_text(), run the filter again: the term applies itself
//! filter job (off the UI thread):
//!     let (mut q, errors) = parse(typed);
//!     match &text_index {
//!         Some(ix) => ix.resolve(&mut q, &corpus, relevance)?,   // attaches Hits to terms
//!         None if q.waits_for_text() => { /* show `indexing 43%` on the text terms */ }
//!         None => {}
//!     }
//!     let candidates = narrow(&q, &table_rows);   // only rows in every required hit set
//!     filter_with(&corpus.entries, &candidates, &q, &store, &cancel)
//!     // an unanswered text term filters nothing: the other terms filter at once
//! reading view: bodies::read_text(&corpus, entry) for like:, or the shown text itself:
//!     snippet::hit_spans(&q, shown_text) → byte ranges to highlight, n/N between them
//! preview line: snippet::snippet(&q, &text.body, width) for the cursor's row only
//! "ten most like this": ix.like(&corpus, entry, 10) → (entry, score), best first
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
pub use snippet::{Snippet, hit_spans, hit_spans_where, snippet};
pub use words::{WORD_TOKENIZER, word_spans, words};
