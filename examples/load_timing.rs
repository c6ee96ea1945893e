//! How long the background loader takes over inputs, and how it spends it: a diagnostic
//! (`cargo run --release --example load_timing -- PATH...`).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use cabletriage::corpus::load::{LoadEvent, load};

/// The allocator the app uses (see `src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let start = Instant::now();
    let mut first = None;
    let mut cables = 0;
    load(&paths, &AtomicBool::new(false), &mut |e| {
        if let LoadEvent::Batch { entries, .. } = e {
            first.get_or_insert_with(|| start.elapsed());
            cables += entries.len();
        }
    });
    println!(
        "{cables} cables in {:.2} s, first batch after {:.3} s",
        start.elapsed().as_secs_f64(),
        first.map_or(0.0, |f| f.as_secs_f64())
    );
}
