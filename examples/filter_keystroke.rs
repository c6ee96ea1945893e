//! The filter keystroke alone, many times over: keystroke to the first screen of matches
//! through the real app state (update, the filter job, its result, a frame), as the `bench`
//! example measures it once per key. Rounds make the figure steady enough on a shared
//! machine to compare two builds run one after the other:
//!
//! ```sh
//! cargo run --release --example bench -- --count 250000     # generates the corpus once
//! cargo run --release --example filter_keystroke -- target/bench/cables-250000-1.csv
//! ```
//!
//! The graph terms (`cites:`, `citedby:`, `thread:` of the most cited cable, `citers:>5`)
//! are measured beside `tag:PREL` typed alone; "last keystroke" is the one that completes
//! the term, when its rows appear.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cabletriage::app::{Action, App, Effect, Msg};
use cabletriage::tui::theme::Theme;
use cabletriage::tui::view;

/// The allocator the app uses (see `src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// A corpus (the `bench` example's generated dump).
    corpus: PathBuf,
    #[arg(long, default_value_t = 10)]
    rounds: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut app = App::new(Default::default());
    app.update(Msg::Resize {
        width: 200,
        height: 60,
    });
    app.load_now(std::slice::from_ref(&args.corpus));
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(200, 60))?;
    println!("{} cables, {} rounds", app.corpus.len(), args.rounds);
    // The graph terms name the most cited cable: the largest set a `cites:` makes.
    let hub = app
        .graph()
        .and_then(|g| (0..app.corpus.len() as u32).max_by_key(|&e| g.cited_by(e).len()))
        .and_then(|e| app.corpus.get(e))
        .map(|e| e.id.to_string())
        .unwrap_or_default();
    let texts = |list: &[&str]| list.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let groups = [
        (
            "fuzzy 1-12 chars".to_string(),
            texts(&["negotiation", "assistancepr", "ministry"]),
        ),
        (
            "field terms".to_string(),
            texts(&[
                "tag:PREL",
                "prec:>=immediate",
                "from:moscow",
                "date:2008-04",
                "class:secret noforn",
            ]),
        ),
        ("tag:PREL".to_string(), texts(&["tag:PREL"])),
        (format!("cites:{hub}"), vec![format!("cites:{hub}")]),
        (format!("citedby:{hub}"), vec![format!("citedby:{hub}")]),
        (format!("thread:{hub}"), vec![format!("thread:{hub}")]),
        ("citers:>5".to_string(), texts(&["citers:>5"])),
    ];
    for (kind, texts) in &groups {
        let mut times = Vec::new();
        // Per keystroke, the least time over the rounds of: the whole keystroke, the filter
        // job (the CPU time of this thread), and taking its result (ordering the rows):
        // least times are what the code costs, with the other work of a shared machine
        // left out.
        let keystrokes: usize = texts.iter().map(|t| t.chars().count()).sum();
        let mut least = vec![[Duration::MAX; 3]; keystrokes];
        let mut matches = 0;
        for _ in 0..args.rounds {
            let mut k = 0;
            for text in texts {
                app.update(Msg::Action(Action::Filter));
                for c in text.chars() {
                    let t = Instant::now();
                    let (mut job_time, mut apply_time) = (Duration::ZERO, Duration::ZERO);
                    for effect in app.update(Msg::Insert(c)) {
                        if let Effect::Filter(job) = effect {
                            let j = thread_cpu_time();
                            let result = job.run(&|| false);
                            job_time += thread_cpu_time().saturating_sub(j);
                            if let Some(result) = result {
                                let a = Instant::now();
                                app.update(Msg::Filtered {
                                    generation: job.generation,
                                    result,
                                });
                                apply_time += a.elapsed();
                            }
                        }
                    }
                    terminal.draw(|f| view::draw(f, &app, &theme))?;
                    let whole = t.elapsed();
                    times.push(whole);
                    for (slot, d) in least[k].iter_mut().zip([whole, job_time, apply_time]) {
                        *slot = (*slot).min(d);
                    }
                    k += 1;
                }
                matches = app.table.shown.len();
                app.update(Msg::Action(Action::Cancel));
            }
        }
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        let sum = |n: usize| least.iter().map(|l| l[n]).sum::<Duration>();
        println!(
            "{kind}: p50 {} p95 {} ({} keystrokes); least per keystroke, summed: whole {} = job {} (CPU) + result {} + rest",
            ms(at(0.5)),
            ms(at(0.95)),
            times.len(),
            ms(sum(0)),
            ms(sum(1)),
            ms(sum(2)),
        );
        let mut worst: Vec<Duration> = least.iter().map(|l| l[0]).collect();
        worst.sort();
        println!(
            "  slowest keystroke (least over rounds): {}; last keystroke {}; {matches} matches",
            ms(worst[worst.len() - 1]),
            ms(least[keystrokes - 1][0]),
        );
    }
    Ok(())
}

/// CPU time of this thread: what the filter job costs, whatever else the machine runs.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write into.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
