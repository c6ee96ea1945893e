//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` beside the project (or `$CABLETRIAGE_SHARED`), when it is there.
/// Tests that need it call this and return early, saying they skipped, when it is absent.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("CABLETRIAGE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("corpus").is_dir() {
        Some(dir)
    } else {
        // Straight to the process's stderr: the test harness hides `eprintln!` of passing tests.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {test} needs ../shared, which is absent"
        );
        None
    }
}

/// Reads a JSON-lines file into values, panicking with the file and line on bad JSON
/// (the file is a test fixture, not user input).
pub fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: bad JSON: {e}", path.display(), i + 1))
        })
        .collect()
}
