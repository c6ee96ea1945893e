//! Non-interactive commands: each reads its inputs, writes to standard output, reports
//! problems on standard error and returns the process exit code.
//!
//! [`args`] is the whole command line, one clap definition: the binary parses it, and
//! [`completions`] and [`man`] are generated from it. The other files are one command (or
//! one family) each; [`config_check`] is the checking behind `config check`, apart from
//! the printing in [`config_cmd`].

pub mod args;
pub mod completions;
pub mod config_check;
pub mod config_cmd;
pub mod keymap_check;
pub mod man;
pub mod parse;
pub mod refs;
pub mod search;
pub mod store_cmd;
pub mod triage;
