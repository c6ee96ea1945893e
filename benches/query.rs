//! Criterion benchmarks of filtering and sorting over 20,000 generated cables read by the real
//! parser: `cargo bench --bench query`. The 250,000-cable figures come from the `bench` example.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use cabletriage::cable::Cable;
use cabletriage::corpus::query::{SearchIndex, filter_scored, match_nothing, parse};
use cabletriage::corpus::sort::{Column, Sort, SortIndex, sort_indices};
use cabletriage::corpus::{Entry, Location};
use cabletriage::read::csv_dump::{DumpReader, to_raw_cable};
use cabletriage::synth::demo_csv;

fn entries() -> Vec<Entry> {
    let bytes = demo_csv(20_000, 3);
    DumpReader::new(&bytes[..])
        .flatten()
        .flatten()
        .map(|row| {
            Entry::from_cable(
                &Cable::for_index(&to_raw_cable(row, "b.csv").0),
                Location::NOWHERE,
            )
        })
        .collect()
}

fn filtering(c: &mut Criterion) {
    let entries = entries();
    let index = SearchIndex::new(&entries);
    let all: Vec<u32> = (0..entries.len() as u32).collect();
    let mut group = c.benchmark_group("filter 20k");
    for text in [
        "m",
        "min",
        "minist",
        "ministryplan",
        "tag:PREL",
        "prec:>=immediate from:moscow",
    ] {
        let query = parse(text).0;
        group.bench_function(format!("{text:?} table order"), |b| {
            b.iter(|| {
                filter_scored(
                    &entries,
                    Some(&index),
                    &all,
                    &query,
                    &match_nothing,
                    &|| false,
                    false,
                )
            })
        });
        group.bench_function(format!("{text:?} scored"), |b| {
            b.iter(|| {
                filter_scored(
                    &entries,
                    Some(&index),
                    &all,
                    &query,
                    &match_nothing,
                    &|| false,
                    true,
                )
            })
        });
    }
    group.finish();
}

fn sorting(c: &mut Criterion) {
    let entries = entries();
    let sort_index = SortIndex::new(&entries);
    let mut group = c.benchmark_group("sort 20k");
    for column in [
        Column::Precedence,
        Column::Date,
        Column::Subject,
        Column::Tags,
    ] {
        let sort = Sort {
            column,
            descending: false,
        };
        group.bench_function(format!("{} stateless", column.name()), |b| {
            b.iter(|| {
                let mut rows: Vec<u32> = (0..entries.len() as u32).collect();
                sort_indices(&entries, &mut rows, sort);
                black_box(rows)
            })
        });
        group.bench_function(format!("{} with index", column.name()), |b| {
            b.iter(|| {
                let mut rows: Vec<u32> = (0..entries.len() as u32).collect();
                sort_index.sort(&mut rows, sort);
                black_box(rows)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, filtering, sorting);
criterion_main!(benches);
