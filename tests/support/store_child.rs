//! The child process shared by `store_crash.rs` and `store_concurrency.rs` (included by
//! them with `#[path]`).
//!
//! The child, the binary's hidden `cabletriage store-stress`, applies single-cable
//! dispositions and prints `committed <id> <state>` after each commit returns.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How to start the child: the binary's hidden `store-stress` command. Always `Some`; the
/// option is kept so the tests read the same should the child ever be optional.
pub fn stress_command(_test: &str) -> Option<(PathBuf, Vec<String>)> {
    Some((
        PathBuf::from(env!("CARGO_BIN_EXE_cabletriage")),
        vec!["store-stress".into()],
    ))
}

/// The child's command line for `count` actions from id number `first`.
pub fn child(program: &(PathBuf, Vec<String>), store: &Path, count: u64, first: u64) -> Command {
    let mut cmd = Command::new(&program.0);
    cmd.args(&program.1)
        .arg("--store")
        .arg(store)
        .args(["--count", &count.to_string(), "--first", &first.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The `(id, state)` of every complete `committed` line: a line cut off by a kill has no
/// newline and is not counted (its commit may or may not have happened).
pub fn committed(stdout: &str) -> Vec<(String, String)> {
    stdout
        .split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some("committed"), Some(id), Some(state)) => {
                    Some((id.to_string(), state.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}
