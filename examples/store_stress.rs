//! The child process of `tests/store_crash.rs` and `tests/store_concurrency.rs`, until the
//! binary has its hidden `store-stress` subcommand: applies `--count` single-cable
//! dispositions to `--store`, printing `committed <id> <state>` after each commit returns.
//!
//! `cargo run --example store_stress -- --store PATH --count N [--first N]`

use std::path::PathBuf;

fn main() {
    let mut store = None;
    let mut count = None;
    let mut first = 0u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--store", Some(v)) => store = Some(PathBuf::from(v)),
            ("--count", Some(v)) => count = v.parse::<u64>().ok(),
            ("--first", Some(v)) => first = v.parse::<u64>().unwrap_or(0),
            _ => {
                eprintln!("usage: store_stress --store PATH --count N [--first N]");
                std::process::exit(2);
            }
        }
    }
    let (Some(store), Some(count)) = (store, count) else {
        eprintln!("usage: store_stress --store PATH --count N [--first N]");
        std::process::exit(2);
    };
    std::process::exit(cabletriage::cli::triage::stress(&store, count, first));
}
