//! Non-interactive commands: each reads its inputs, writes to standard output, reports
//! problems on standard error and returns the process exit code.

pub mod args;
pub mod completions;
pub mod config_check;
pub mod config_cmd;
pub mod keymap_check;
pub mod man;
pub mod parse;
pub mod search;
pub mod triage;
