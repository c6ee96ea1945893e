//! The child process shared by `store_crash.rs` and `store_concurrency.rs` (included by
//! them with `#[path]`; as a test target of its own it holds no tests).
//!
//! The child applies single-cable dispositions and prints `committed <id> <state>` after
//! each commit returns. It is the binary's hidden `cabletriage store-stress` once that is
//! wired, else the `store_stress` example, which `cargo test` builds along with the tests
//! (a filtered run such as `cargo test --test store_crash` does not: build it first with
//! `cargo build --example store_stress`, or the tests skip, saying so).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How to start the child, or `None` (after saying why) when neither is built.
pub fn stress_command(test: &str) -> Option<(PathBuf, Vec<String>)> {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cabletriage"));
    // `--help` would not tell: the app takes unknown words as corpus paths. A real run of
    // zero actions does.
    let probe = tempfile::tempdir().ok();
    let wired = probe.as_ref().is_some_and(|dir| {
        Command::new(&bin)
            .args(["store-stress", "--count", "0", "--store"])
            .arg(dir.path().join("probe.sqlite"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if wired {
        return Some((bin, vec!["store-stress".into()]));
    }
    // target/<profile>/deps/<test> -> target/<profile>/examples/store_stress
    let example = std::env::current_exe().ok().and_then(|exe| {
        let profile_dir = exe.parent()?.parent()?;
        let path = profile_dir
            .join("examples")
            .join(format!("store_stress{}", std::env::consts::EXE_SUFFIX));
        path.is_file().then_some(path)
    });
    match example {
        Some(path) => Some((path, Vec::new())),
        None => {
            eprintln!(
                "skipped: {test} needs the store_stress example (run `cargo test` without a \
                 filter, or `cargo build --example store_stress` first)"
            );
            None
        }
    }
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
