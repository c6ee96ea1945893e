//! Criterion benchmarks of the parser on generated cables: the dump scanner alone, and
//! reading plus interpreting every field. `cargo bench --bench parse`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use cabletriage::cable::Cable;
use cabletriage::read::csv_dump::{DumpReader, to_raw_cable};
use cabletriage::synth::demo_csv;

fn dump(c: &mut Criterion) {
    let bytes = demo_csv(2_000, 1);
    let mut group = c.benchmark_group("dump");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(20);
    group.bench_function("scan 2000 rows", |b| {
        b.iter(|| {
            DumpReader::new(&bytes[..])
                .filter(|r| matches!(r, Ok(Ok(_))))
                .count()
        })
    });
    group.bench_function("read and interpret 2000 cables", |b| {
        b.iter(|| {
            for row in DumpReader::new(&bytes[..]).flatten().flatten() {
                black_box(Cable::from_raw(&to_raw_cable(row, "bench.csv").0));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, dump);
criterion_main!(benches);
