//! The generated corpus the benchmark examples share: `target/bench/cables-N-S.csv`, written
//! once and reused.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

use cabletriage::synth::{Generator, write_csv_row};

pub fn generated(count: u64, seed: u64) -> anyhow::Result<PathBuf> {
    // The target folder, also where `CARGO_TARGET_DIR` puts it (as in CI).
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("cables-{count}-{seed}.csv"));
    if !path.exists() || !made_by_this_generator(&path, count, seed) {
        let start = Instant::now();
        let tmp = path.with_extension("csv.partial");
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        let mut generator = Generator::new(seed);
        for row in 1..=count {
            write_csv_row(&mut w, row, &generator.next_cable())?;
        }
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(path)
}

/// Whether the corpus at `path` starts as this generator starts it: one written by an older
/// generator (other text, other references) must not be measured as if it were today's.
fn made_by_this_generator(path: &Path, count: u64, seed: u64) -> bool {
    use std::io::Read;
    let head = cabletriage::synth::demo_csv(count.min(200) as usize, seed);
    let mut found = vec![0; head.len()];
    File::open(path).is_ok_and(|mut f| f.read_exact(&mut found).is_ok() && found == head)
}
