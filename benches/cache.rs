//! Criterion benchmarks of the index cache: saving and loading the index of 20,000 cables,
//! and taking the key of their dump. `cargo bench --bench cache`.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use cabletriage::corpus::Entry;
use cabletriage::corpus::cache;
use cabletriage::synth::demo_csv;

fn bench(c: &mut Criterion) {
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("no temporary folder; benchmark skipped");
        return;
    };
    let csv = dir.path().join("cables.csv");
    if let Err(e) = std::fs::write(&csv, demo_csv(20_000, 5)) {
        eprintln!("cannot write the corpus ({e}); benchmark skipped");
        return;
    }
    let inputs = vec![csv];
    let (files, entries): (Vec<PathBuf>, Vec<Entry>) = cabletriage::corpus::load::read_all(&inputs);
    let Ok(key) = cache::key_for(&inputs) else {
        return;
    };
    let path = dir.path().join("index.bin");

    let mut group = c.benchmark_group("cache");
    group.sample_size(20);
    group.throughput(Throughput::Elements(entries.len() as u64));
    group.bench_function("save 20000 entries", |b| {
        b.iter(|| cache::save(&path, &key, &files, &entries).is_ok())
    });
    if cache::save(&path, &key, &files, &entries).is_err() {
        return;
    }
    group.bench_function("load 20000 entries", |b| {
        b.iter(|| black_box(cache::load(&path, &key).map(|(_, e)| e.len()).ok()))
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("key of one dump", |b| {
        b.iter(|| black_box(cache::key_for(&inputs).is_ok()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
