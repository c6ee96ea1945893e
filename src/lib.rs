//! cabletriage: a terminal inbox for diplomatic cables.
//!
//! The crate is layered so that a reader knows from the folder where a line lives:
//! - [`cable`]: the cable model and the extraction of its fields from telegram text;
//! - [`read`]: the three containers cables come in (text files, Cablegate pages, the
//!   `cables.csv` dump), folder walking and input problems;
//! - [`synth`]: a deterministic generator of realistic synthetic cables (tests, benchmarks,
//!   the demo corpus);
//! - [`corpus`]: the open cables as a compact index: sorting, queries, filtering;
//! - [`search`]: the full-text index of every cable's words (tantivy), answering the query
//!   language's text terms;
//! - [`app`]: the app's state, its actions and its one mutator (no terminal);
//! - [`keymap`]: keys, key sequences and the keymap files that bind them to actions;
//! - [`tui`]: the terminal: event loop, drawing, the views;
//! - [`cli`]: the command line and the non-interactive commands (`parse`, `search`,
//!   `keymap check`, `config`, the store's, completions and the man page);
//! - [`sanitize`]: the one guard between untrusted text and a terminal.
//!
//! The domain layers (`cable`, `read`, `synth`, `corpus`, `search`) know nothing of terminals.

pub mod app;
pub mod cable;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod keymap;
pub mod read;
pub mod sanitize;
pub mod search;
pub mod store;
pub mod synth;
pub mod tui;
