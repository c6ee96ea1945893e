//! A deterministic generator of realistic synthetic cables.
//!
//! [`Generator`] makes a stream of [`SynthCable`]s from a seed: the same seed gives the same
//! bytes on every machine. Each cable carries its ground truth (id, date, precedence,
//! classification, tags, subject, references) beside its telegram text, so a parser can be
//! checked against it. The writers put a cable in each of the three containers the app reads:
//! a `cables.csv` dump row, a text file, a Cablegate page. Nothing here touches the file
//! system; the writers take any [`std::io::Write`].
//!
//! The text is composed from vocabularies and sentence templates (`vocabulary.rs`), never
//! copied from real cables. References follow conversations, hubs and cables missing from the
//! corpus, as Cablegate's do (`threads.rs`); [`RefStats`] measures that shape.

mod body;
mod cable;
mod compose;
mod csv_row;
mod header;
mod html_page;
mod legacy_refs;
mod ref_stats;
mod rng;
mod text_file;
mod threads;
mod vocabulary;

pub use cable::{CLASSIFICATIONS, Generator, SynthCable};
pub use csv_row::{demo_csv, write_csv_row};
pub use html_page::{html_path, write_html};
pub use ref_stats::{RefStats, RefSummary};
pub use text_file::{text_file_name, write_text, write_truth_json};

#[cfg(test)]
mod tests;
