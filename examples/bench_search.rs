//! The text index's figures (issue 10), each next to its target and a baseline measured in
//! the same run:
//!
//! ```sh
//! cargo run --release --example bench_search -- --count 250000
//! ```
//! The corpus is generated once into `target/bench/` and reused; the index is built into
//! `target/bench/text-<count>-<seed>/` and removed at the end (`--keep` keeps it).

#[path = "support/bench_corpus.rs"]
mod bench_corpus;
use bench_corpus::generated;

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Parser;

use cabletriage::corpus::Corpus;
use cabletriage::corpus::cache::key_for;
use cabletriage::corpus::query::{self, FullTextKind, TextScope, filter};
use cabletriage::search::bodies::{for_each_text, read_text};
use cabletriage::search::{BuildOptions, CorpusStamp, TextIndex, build, narrow, words};

/// The allocator the app uses (see `src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 250_000)]
    count: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Queries of each kind.
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Keep the built index.
    #[arg(long)]
    keep: bool,
    /// Build at background priority, as the app does. Without it the build runs at the
    /// priority sha1sum runs at, so that on a busy machine the ratio compares like with like.
    #[arg(long)]
    background: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let path = generated(args.count, args.seed)?;
    let size = std::fs::metadata(&path)?.len();
    let inputs = vec![path.clone()];

    // Baseline: sha1sum over the same file, warm (run twice, the second timed).
    let _ = Command::new("sha1sum").arg(&path).output();
    let cpu_children = cpu_seconds(libc::RUSAGE_CHILDREN);
    let t = Instant::now();
    let sha = Command::new("sha1sum").arg(&path).output()?;
    let sha1 = t.elapsed();
    let sha1_cpu = cpu_seconds(libc::RUSAGE_CHILDREN) - cpu_children;
    anyhow::ensure!(sha.status.success(), "sha1sum failed");

    let key = key_for(&inputs)?;
    let (files, entries) = cabletriage::corpus::load::read_all(&inputs);
    let mut corpus = Corpus::new();
    for f in files {
        corpus.add_file(f);
    }
    for e in entries {
        corpus.push(e);
    }
    let stamp = CorpusStamp::new(&key, &corpus);
    let rss_loaded = anon_rss_mb();

    // Text bytes (subject + body), as indexed; and how long reading them again takes alone.
    let t = Instant::now();
    let text_bytes = std::sync::atomic::AtomicU64::new(0);
    for_each_text(
        &corpus,
        2,
        &|| false,
        &|_, t| {
            text_bytes.fetch_add((t.subject.len() + t.body.len()) as u64, Ordering::Relaxed);
        },
        &|_| {},
    );
    let text_bytes = text_bytes.into_inner();
    let read_again = t.elapsed();

    // The build, with anonymous RSS sampled meanwhile.
    let dir = path.with_file_name(format!("text-{}-{}", args.count, args.seed));
    let _ = std::fs::remove_dir_all(&dir);
    let done = AtomicBool::new(false);
    let peak = Mutex::new(0.0f64);
    let cpu_before = cpu_seconds(libc::RUSAGE_SELF);
    let t = Instant::now();
    let built = std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if let (Some(now), Ok(mut p)) = (anon_rss_mb(), peak.lock()) {
                    *p = p.max(now);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let built = build(
            &corpus,
            stamp,
            Some(&dir),
            &BuildOptions {
                background: args.background,
                ..BuildOptions::default()
            },
            &|_| {},
            &AtomicBool::new(false),
        );
        done.store(true, Ordering::Relaxed);
        built
    });
    let build_time = t.elapsed();
    let build_cpu = cpu_seconds(libc::RUSAGE_SELF) - cpu_before;
    let opened = built.map_err(|e| anyhow::anyhow!("{e}"))?;
    let peak = peak.into_inner().unwrap_or(0.0);
    let index_bytes = dir_size(&dir);
    let rss_after = anon_rss_mb();
    anyhow::ensure!(opened.notice.is_none(), "{:?}", opened.notice);
    drop(opened);

    // Warm open.
    let mut opens = Vec::new();
    let mut index = None;
    for _ in 0..20 {
        let t = Instant::now();
        let ix = TextIndex::open(&dir, stamp, &corpus).map_err(|e| anyhow::anyhow!("{e}"))?;
        opens.push(t.elapsed());
        index = Some(ix);
    }
    let index = index.ok_or_else(|| anyhow::anyhow!("no index"))?;
    let t = Instant::now();
    let restamped = CorpusStamp::new(&key_for(&inputs)?, &corpus);
    let stamping = t.elapsed();
    anyhow::ensure!(restamped == stamp, "the corpus changed during the run");

    // Queries from the cables' own words: a cable and a position drawn at random.
    let mut rng = Lcg(args.seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut samples: Vec<Vec<String>> = Vec::new();
    while samples.len() < args.queries {
        let entry = (rng.next() % corpus.len() as u64) as u32;
        let w = words(
            &read_text(&corpus, entry)
                .map_err(|e| anyhow::anyhow!(e))?
                .body,
        );
        if w.len() > 40 {
            let at = (rng.next() % (w.len() as u64 - 8)) as usize;
            samples.push(w[at..at + 4].to_vec());
        }
    }
    let kinds: [(&str, MakeQuery); 5] = [
        ("one word", |w| format!("text:{}", w[0])),
        ("two words", |w| format!("text:{} text:{}", w[0], w[2])),
        ("2-word phrase", |w| format!("\"{} {}\"", w[0], w[1])),
        ("4-word phrase", |w| format!("\"{}\"", w.join(" "))),
        ("prefix", |w| {
            format!("text:{}*", &w[0][..w[0].len().min(3)])
        }),
    ];
    let all: Vec<u32> = (0..corpus.len() as u32).collect();
    let mut lines = vec![
        Line::new(
            "index build, wall clock",
            format!(
                "{:.1} s = {:.1}x sha1sum",
                build_time.as_secs_f64(),
                build_time.as_secs_f64() / sha1.as_secs_f64()
            ),
            "≤ 10x",
            format!(
                "sha1sum {:.2} s; reading the texts alone {:.1} s; {} priority",
                sha1.as_secs_f64(),
                read_again.as_secs_f64(),
                if args.background {
                    "background"
                } else {
                    "normal"
                }
            ),
        ),
        Line::new(
            "index build, CPU time (user + system)",
            format!(
                "{build_cpu:.1} s = {:.1}x sha1sum's",
                build_cpu / sha1_cpu.max(1e-9)
            ),
            "≤ 10x",
            format!("sha1sum {sha1_cpu:.2} s: CPU time does not depend on the other load"),
        ),
        Line::new(
            "index size / text",
            format!("{:.3}", index_bytes as f64 / text_bytes as f64),
            "≤ 0.35",
            format!(
                "{} MB index, {} MB text",
                index_bytes >> 20,
                text_bytes >> 20
            ),
        ),
        Line::new(
            "warm open of the index",
            format!("p50 {}", ms(pct(&mut opens, 50))),
            "≤ 50 ms",
            format!(
                "p95 {}; the corpus's stamp, taken once: {}",
                ms(pct(&mut opens, 95)),
                ms(stamping)
            ),
        ),
    ];
    // Phrases as an analyst types them ("prime minister"): two words side by side, each in
    // fewer than 5% of the cables. Drawn from the cables' text as above.
    let mut df: std::collections::HashMap<String, usize> = Default::default();
    let mut uncommon: Vec<String> = Vec::new();
    let mut tries = 0;
    while uncommon.len() < args.queries && tries < 20 * args.queries {
        tries += 1;
        let entry = (rng.next() % corpus.len() as u64) as u32;
        let w = words(
            &read_text(&corpus, entry)
                .map_err(|e| anyhow::anyhow!(e))?
                .body,
        );
        for pair in w.windows(2) {
            let mut rare = true;
            for word in pair {
                let n = match df.get(word) {
                    Some(&n) => n,
                    None => {
                        let kind = FullTextKind::Words(vec![word.clone()]);
                        let n = index
                            .search(TextScope::SubjectOrBody, &kind, &corpus, false)
                            .map_err(|e| anyhow::anyhow!(e))?
                            .len();
                        df.insert(word.clone(), n);
                        n
                    }
                };
                rare &= n * 20 < corpus.len();
            }
            if rare {
                uncommon.push(format!("\"{} {}\"", pair[0], pair[1]));
                break;
            }
        }
    }
    let mut runs: Vec<(String, Vec<String>)> = kinds
        .iter()
        .map(|(name, make)| (name.to_string(), samples.iter().map(|w| make(w)).collect()))
        .collect();
    runs.push(("2-word phrase, words in < 5% of cables".into(), uncommon));
    for (name, queries) in runs {
        let mut index_times = Vec::new();
        let mut with_filter = Vec::new();
        let mut hits = 0usize;
        for text in &queries {
            let (mut q, errors) = query::parse(text);
            anyhow::ensure!(errors.is_empty(), "{text}: {errors:?}");
            let t = Instant::now();
            index
                .resolve(&mut q, &corpus, false)
                .map_err(|e| anyhow::anyhow!(e))?;
            index_times.push(t.elapsed());
            // As the app would: the candidates narrowed to the hits, then the filter.
            let candidates = narrow(&q, &all);
            let r = filter(&corpus.entries, &candidates, &q, &|| false);
            with_filter.push(t.elapsed());
            hits += r.map_or(0, |r| r.len());
        }
        lines.push(Line::new(
            &format!("query: {name}"),
            format!(
                "p50 {} p95 {}",
                ms(pct(&mut index_times, 50)),
                ms(pct(&mut index_times, 95))
            ),
            "p95 ≤ 10 ms",
            format!(
                "with the filter of the whole table: p95 {}; {} hits a query ({} queries)",
                ms(pct(&mut with_filter, 95)),
                hits / queries.len().max(1),
                queries.len()
            ),
        ));
    }
    let mut likes = Vec::new();
    for _ in 0..args.queries.min(100) {
        let entry = (rng.next() % corpus.len() as u64) as u32;
        let t = Instant::now();
        let found = index
            .like(&corpus, entry, 10)
            .map_err(|e| anyhow::anyhow!(e))?;
        likes.push(t.elapsed());
        std::hint::black_box(found);
    }
    lines.push(Line::new(
        "like:ID",
        format!(
            "p50 {} p95 {}",
            ms(pct(&mut likes, 50)),
            ms(pct(&mut likes, 95))
        ),
        "p95 ≤ 50 ms",
        "reading the cable again from the dump included".into(),
    ));
    lines.push(Line::new(
        "anonymous RSS during indexing",
        format!("{peak:.0} MB peak"),
        "≤ 700 MB",
        format!(
            "{:.0} MB with the corpus loaded, before",
            rss_loaded.unwrap_or(0.0)
        ),
    ));
    lines.push(Line::new(
        "anonymous RSS after indexing",
        format!("{:.0} MB", rss_after.unwrap_or(0.0)),
        "≤ 400 MB",
        format!("{:.0} MB now, index open", anon_rss_mb().unwrap_or(0.0)),
    ));
    println!(
        "corpus: {} cables, {} MB ({}), {} cores",
        corpus.len(),
        size >> 20,
        path.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| figure | measured | target | baseline (same run) |");
    println!("|---|---|---|---|");
    for l in &lines {
        println!(
            "| {} | {} | {} | {} |",
            l.figure, l.measured, l.target, l.baseline
        );
    }
    drop(index);
    if !args.keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// Makes a query from four consecutive words of a cable.
type MakeQuery = fn(&[String]) -> String;

struct Line {
    figure: String,
    measured: String,
    target: &'static str,
    baseline: String,
}

impl Line {
    fn new(figure: &str, measured: String, target: &'static str, baseline: String) -> Line {
        Line {
            figure: figure.to_string(),
            measured,
            target,
            baseline,
        }
    }
}

fn pct(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    times
        .get((times.len().saturating_sub(1)) * p / 100)
        .copied()
        .unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// CPU seconds (user + system) of this process or of its waited-for children.
fn cpu_seconds(who: libc::c_int) -> f64 {
    // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(who, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Memory not backed by files, from `/proc/self/status` (Linux).
fn anon_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A small deterministic generator for picking cables.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}
