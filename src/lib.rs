//! cabletriage: a terminal inbox for diplomatic cables.
//!
//! The crate is layered so that a reader knows from the folder where a line lives:
//! - [`cable`]: the cable model and the extraction of its fields from telegram text;
//! - [`read`]: the three containers cables come in (text files, Cablegate pages, the
//!   `cables.csv` dump), folder walking and input problems;
//! - [`synth`]: a deterministic generator of realistic synthetic cables (tests, benchmarks,
//!   the demo corpus);
//! - [`cli`]: the non-interactive commands (`parse`).
//!
//! None of the domain layers knows anything of terminals.

pub mod cable;
pub mod cli;
pub mod read;
pub mod synth;
