//! Timing of filtering and sorting over a large synthetic corpus:
//! `cargo run --release --example query_speed -- [ENTRIES] [SEED]` (default 250,000).
//!
//! Prints the median milliseconds per query for fuzzy terms of 1, 3, 6 and 12 characters
//! (ours: byte-scan prefilter then SkimMatcherV2; naive: SkimMatcherV2 on every subject), for
//! field terms, and per sort column (stateless `sort_indices` and with a `SortIndex`), so a change to `corpus::query` or `corpus::sort` can be
//! judged on numbers.

use std::time::Instant;

use cabletriage::corpus::Entry;
use cabletriage::corpus::query::{
    SearchIndex, filter, filter_indexed, match_nothing, parse, relevance_order,
};
use cabletriage::corpus::sort::{Column, Sort, SortIndex, sort_indices};
use cabletriage::synth::{Generator, SynthCable};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// Median of `runs` timings of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(250_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);

    let start = Instant::now();
    let mut generator = Generator::new(seed);
    let mut cable = SynthCable::default();
    let entries: Vec<Entry> = (0..count as u64)
        .map(|row| {
            generator.next_into(&mut cable);
            cable.entry(row)
        })
        .collect();
    println!(
        "{count} entries generated in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let mut table: Vec<u32> = (0..count as u32).collect();
    sort_indices(&entries, &mut table, Sort::default());
    let runs = 7;
    let never = || false;

    let start = Instant::now();
    let search = SearchIndex::new(&entries);
    println!(
        "SearchIndex::new (once per corpus): {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    println!("\nfiltering (median of {runs} runs, ms; candidates in default sort order)");
    println!(
        "{:<34} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "query", "matches", "filter", "indexed", "naive", "speed-up"
    );
    let indexed_ms = |query: &cabletriage::corpus::query::Query| {
        median_ms(runs, || {
            let r = filter_indexed(
                &entries,
                Some(&search),
                &table,
                query,
                &match_nothing,
                &never,
            );
            std::hint::black_box(r);
        })
    };
    let skim = SkimMatcherV2::default();
    for q in ["i", "irq", "russia", "regionalsecu", "nuclear talks"] {
        let (query, errors) = parse(q);
        assert!(errors.is_empty());
        let mut matches = 0;
        let ours = median_ms(runs, || {
            matches = filter(&entries, &table, &query, &never).map_or(0, |r| r.len());
        });
        let patterns: Vec<&str> = q.split(' ').collect();
        let mut naive_matches = 0;
        let naive = median_ms(runs, || {
            let mut hits: Vec<(u32, i64)> = Vec::new();
            for &i in &table {
                let subject = &entries[i as usize].subject;
                let mut total = 0;
                let all = patterns.iter().all(|p| match skim.fuzzy_match(subject, p) {
                    Some(s) => {
                        total += s;
                        true
                    }
                    None => false,
                });
                if all {
                    hits.push((i, total));
                }
            }
            naive_matches = hits.len();
        });
        assert_eq!(matches, naive_matches, "{q}");
        let indexed = indexed_ms(&query);
        println!(
            "{:<34} {matches:>8} {ours:>9.2} {indexed:>9.2} {naive:>9.2} {:>8.1}x",
            format!("fuzzy {:?} ({} chars)", q, q.len()),
            naive / indexed
        );
    }
    // A reference that some cable of this corpus cites.
    let cited = entries
        .iter()
        .find_map(|e| e.references.first())
        .map_or_else(|| "ref:08STATE39114".to_string(), |r| format!("ref:{r}"));
    for q in [
        "tag:PREL",
        "tag:PREL | tag:PGOV",
        "prec:>=immediate",
        "from:moscow",
        "class:>=secret noforn",
        "date:2008-04",
        "date:>=2009 !tag:PREL",
        "id:08moscow",
        cited.as_str(),
        "'nuclear",
        "^iraq",
        "tag:PREL russia",
        "prec:<=immediate date:2008 iran",
    ] {
        let (query, errors) = parse(q);
        assert!(errors.is_empty(), "{q}: {errors:?}");
        let mut matches = 0;
        let ours = median_ms(runs, || {
            matches = filter(&entries, &table, &query, &never).map_or(0, |r| r.len());
        });
        let indexed = indexed_ms(&query);
        println!("{:<34} {matches:>8} {ours:>9.2} {indexed:>9.2}", q);
    }
    let (query, _) = parse("irq");
    let result = filter(&entries, &table, &query, &never).unwrap_or_default();
    let relevance = median_ms(runs, || {
        let mut r = result.clone();
        relevance_order(&mut r);
    });
    println!(
        "relevance_order of {} matches (incl. clone): {relevance:.2} ms",
        result.len()
    );

    println!("\nsorting {count} rows (median of {runs} runs, ms)");
    let start = Instant::now();
    let index = SortIndex::new(&entries);
    println!(
        "SortIndex::new (once per corpus): {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    println!(
        "{:<16} {:>10} {:>10} {:>12} {:>12} {:>12}",
        "column", "ascending", "descending", "from shuffled", "index asc", "index desc"
    );
    // A fixed shuffle, so the rows start in no particular order.
    let mut shuffled: Vec<u32> = (0..count as u32).collect();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..shuffled.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        shuffled.swap(i, (x % (i as u64 + 1)) as usize);
    }
    for column in Column::ALL {
        let mut times = [0.0; 5];
        for (k, descending) in [false, true].into_iter().enumerate() {
            times[k] = median_ms(runs, || {
                let mut v = table.clone();
                sort_indices(&entries, &mut v, Sort { column, descending });
            });
        }
        times[2] = median_ms(runs, || {
            let mut v = shuffled.clone();
            sort_indices(
                &entries,
                &mut v,
                Sort {
                    column,
                    descending: false,
                },
            );
        });
        for (k, descending) in [false, true].into_iter().enumerate() {
            times[3 + k] = median_ms(runs, || {
                let mut v = table.clone();
                index.sort(&mut v, Sort { column, descending });
            });
        }
        println!(
            "{:<16} {:>10.2} {:>10.2} {:>12.2} {:>12.2} {:>12.2}",
            column.name(),
            times[0],
            times[1],
            times[2],
            times[3],
            times[4]
        );
    }
    let comparator = median_ms(runs, || {
        let mut v = shuffled.clone();
        v.sort_by(|&a, &b| {
            let (x, y) = (&entries[a as usize], &entries[b as usize]);
            x.precedence
                .cmp(&y.precedence)
                .then(y.date.cmp(&x.date))
                .then(x.id.cmp(&y.id))
        });
    });
    println!(
        "baseline: comparator sort_by on precedence/date/id, from shuffled: {comparator:.2} ms"
    );
    let copy = median_ms(runs, || {
        let _ = std::hint::black_box(table.clone());
    });
    println!("(each sort timing includes cloning the index vector: {copy:.2} ms)");
}
