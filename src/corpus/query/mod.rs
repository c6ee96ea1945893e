//! The filter bar's query language: parsing what the user types, deciding whether a cable
//! matches, and filtering a whole corpus quickly.
//!
//! How the parts fit:
//! - [`term`]: the parsed form: a [`Query`] is an AND of [`Group`]s, each an OR of [`Term`]s;
//!   a term is a subject text test (fuzzy, exact, prefix, suffix), a field test (`tag:`,
//!   `prec:`, `date:`, ...), a store test (`is:`, `mytag:`, ...) the caller answers, or a
//!   full-text test (`text:`, `body:`, `"a phrase"`, `like:`) the text index answers
//!   ([`crate::search`]);
//! - [`mod@parse`]: text to [`Query`], with a [`QueryError`] (and its byte span, for highlighting)
//!   for every term it cannot read; unreadable terms are left out so the rest still filters;
//! - [`matcher`]: one entry against a query ([`Query::matches`]) and the characters of a
//!   subject to highlight ([`Query::highlight`]), computed apart because only visible rows
//!   need them;
//! - [`graph`]: graph terms (`cites:`, `citedby:`, `thread:`, `citers:`, `refs:`) turned into
//!   the entries that pass them, from the reference graph, before matching;
//! - [`mod@filter`]: a query over a list of candidate indices, cheap tests first, cancellable;
//!   and the two orders of matches: [`relevance_order`] and [`tier_order`] (close before loose);
//! - [`index`]: the subjects lower-cased in one buffer, so the scans that reject most
//!   subjects read memory in order ([`filter_indexed`]).
//!
//! Nothing here knows about terminals: the table and the filter bar call in with entries and
//! text, and get back indices, scores and spans.

pub mod filter;
pub mod graph;
pub mod index;
pub mod matcher;
pub mod parse;
pub mod term;

pub use filter::{
    FilterResult, TierCounts, filter, filter_indexed, filter_scored, filter_with, relevance_order,
    tier_order,
};
pub use index::SearchIndex;
pub use matcher::{Match, StoreEval, Tier, match_nothing};
pub use parse::{QueryError, parse};
pub use term::{
    ClassTest, Cmp, DateRange, Field, FullTextKind, FullTextTerm, GraphKind, GraphTerm, Group,
    Query, StoreKind, StoreTerm, Term, TermKind, TextMode, TextScope, TextTerm,
};
