//! Every performance figure of the big-corpus issue, next to its target and a baseline measured
//! in the same run, through the real app state:
//!
//! ```sh
//! cargo run --release --example bench -- --count 250000
//! ```
//! The corpus is generated once into `target/bench/` and reused.
//!
//! The last two figures are full-text search's (issue 10): frame time while the text index is
//! built in the background, and keystroke to first screen with text terms resolved by it.
//!
//! With `--graph`, only the reference graph's figures (issue 12): building it, its memory,
//! grouping every row by thread (generated in memory, no file).
//!
//! With `--pages DIR` (a folder of Cablegate pages, e.g. from `gencorpus --format html`), the
//! figures of opening such a folder instead: first open, quitting right after it, warm open.

#[path = "support/bench_corpus.rs"]
mod bench_corpus;
#[path = "support/bench_graph.rs"]
mod bench_graph;
use bench_corpus::generated;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Parser;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::{Row, Table};

use cabletriage::app::text_search::{TextStatus, TextStorage};
use cabletriage::app::{Action, App, Effect, Msg};
use cabletriage::cable::Cable;
use cabletriage::corpus::load::{self, LoadEvent};
use cabletriage::read::csv_dump::{DumpReader, to_raw_cable};
use cabletriage::store::{OpenOptions, SqliteStore};
use cabletriage::tui::theme::Theme;
use cabletriage::tui::view;

/// The allocator the app uses (see `src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 250_000)]
    count: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Measure opening this folder of pages instead.
    #[arg(long)]
    pages: Option<PathBuf>,
    /// Only the reference graph's figures.
    #[arg(long)]
    graph: bool,
}

struct Line {
    figure: String,
    measured: String,
    target: String,
    baseline: String,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn p95(times: &mut [Duration]) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * 0.95) as usize]
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(pages) = &args.pages {
        return bench_pages(pages);
    }
    if args.graph {
        let lines = graph_lines(args.count, args.seed);
        print_table(Path::new("generated in memory"), 0.0, &lines);
        return Ok(());
    }
    let path = generated(args.count, args.seed)?;
    let size_mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
    let mut lines = Vec::new();
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(200, 60))?;

    // Baseline: sha1sum over the same file (page cache warm for both).
    let _ = Command::new("cat").arg(&path).output();
    let t = Instant::now();
    Command::new("sha1sum").arg(&path).output()?;
    let sha1 = t.elapsed();

    // The index cache goes to a folder of this run, so the first open is cold.
    let cache_dir = tempfile_dir()?;
    // SAFETY: set before any other thread of this program starts.
    unsafe { std::env::set_var("CABLETRIAGE_CACHE_DIR", &cache_dir) };

    // First open: the loader on its threads, the app taking its batches as the runtime does.
    let Opened {
        mut app,
        first_screen,
        all: all_read,
        effects,
        ..
    } = open(&path, &mut terminal, &theme)?;
    lines.push(Line {
        figure: "first open: first screen".into(),
        measured: ms(first_screen),
        target: "0.3 s".into(),
        baseline: String::new(),
    });
    lines.push(Line {
        figure: format!(
            "first open: all {} cables sortable and filterable",
            app.corpus.len()
        ),
        measured: secs(all_read),
        target: format!("{} (0.75 x sha1sum)", secs(sha1.mul_f64(0.75))),
        baseline: format!(
            "sha1sum {} ({:.0} MB/s)",
            secs(sha1),
            size_mb / sha1.as_secs_f64()
        ),
    });
    // The indexes the runtime builds in the background after reading.
    if let Some(entries) = effects.iter().find_map(|e| match e {
        Effect::BuildIndexes(entries) => Some(entries.clone()),
        _ => None,
    }) {
        let t = Instant::now();
        let built = cabletriage::app::Indexes::build(&entries);
        let took = t.elapsed();
        app.update(Msg::Indexed(built));
        lines.push(Line {
            figure: "sort and search indexes (background, after reading)".into(),
            measured: secs(took),
            target: String::new(),
            baseline: String::new(),
        });
    }
    lines.push(Line {
        figure: "memory: resident with all cables open".into(),
        measured: rss_mb().map_or("-".into(), |m| format!("{m:.0} MB")),
        target: "350 MB".into(),
        baseline: String::new(),
    });

    for effect in effects {
        if let Effect::SaveCache {
            key,
            files,
            entries,
        } = effect
        {
            let t = Instant::now();
            cabletriage::corpus::cache::save(
                &cabletriage::corpus::cache::cache_path(&key.inputs),
                &key,
                &files,
                &entries,
            )?;
            lines.push(Line {
                figure: "index cache saved (background, after reading)".into(),
                measured: ms(t.elapsed()),
                target: String::new(),
                baseline: String::new(),
            });
        }
    }

    // Warm open: the same corpus again, from the index cache.
    let Opened {
        app: _warm,
        first_screen: warm_first,
        all: warm_all,
        ..
    } = open(&path, &mut terminal, &theme)?;
    lines.push(Line {
        figure: "warm open: first screen".into(),
        measured: ms(warm_first),
        target: "0.15 s".into(),
        baseline: String::new(),
    });
    lines.push(Line {
        figure: "warm open: all cables sortable".into(),
        measured: ms(warm_all),
        target: "0.3 s".into(),
        baseline: format!("cold open {}", secs(all_read)),
    });
    drop(_warm);

    // Baseline for reading: a full parse of every field, one thread.
    let t = Instant::now();
    for row in DumpReader::new(std::fs::File::open(&path)?)
        .flatten()
        .flatten()
    {
        std::hint::black_box(Cable::from_raw(&to_raw_cable(row, "b.csv").0));
    }
    let full_parse = t.elapsed();
    lines.push(Line {
        figure: "(baseline) full re-parse of every field, one thread".into(),
        measured: secs(full_parse),
        target: String::new(),
        baseline: format!("{:.0} MB/s", size_mb / full_parse.as_secs_f64()),
    });

    // Filtering: keystroke to the first screen of matches (the full match count is the same
    // job), for fuzzy terms typed from 1 to 12 characters and for field terms.
    let mut fuzzy = Vec::new();
    let mut field = Vec::new();
    for (text, is_field) in [
        ("negotiation", false),
        ("assistancepr", false),
        ("ministry", false),
        ("tag:PREL", true),
        ("prec:>=immediate", true),
        ("from:moscow", true),
        ("date:2008-04", true),
        ("class:secret noforn", true),
    ] {
        app.update(Msg::Action(Action::Filter));
        for c in text.chars() {
            let t = Instant::now();
            for effect in app.update(Msg::Insert(c)) {
                if let Effect::Filter(job) = effect
                    && let Some(result) = job.run(&|| false)
                {
                    app.update(Msg::Filtered {
                        generation: job.generation,
                        result,
                    });
                }
            }
            terminal.draw(|f| view::draw(f, &app, &theme))?;
            if is_field {
                field.push(t.elapsed());
            } else {
                fuzzy.push(t.elapsed());
            }
        }
        app.update(Msg::Action(Action::Cancel));
    }
    let naive = naive_fuzzy(&app, &["n", "neg", "negoti", "negotiation"]);
    let fuzzy_p95 = p95(&mut fuzzy);
    lines.push(Line {
        figure: "filter: keystroke to first screen, fuzzy 1-12 chars (p95)".into(),
        measured: ms(fuzzy_p95),
        target: "50 ms".into(),
        baseline: format!("SkimMatcherV2 on every subject: {} (mean)", ms(naive)),
    });
    lines.push(Line {
        figure: "filter: keystroke to first screen, field terms (p95)".into(),
        measured: ms(p95(&mut field)),
        target: "50 ms".into(),
        baseline: String::new(),
    });

    // Re-sorting, through the app, every column both ways.
    let mut sorts = Vec::new();
    for _ in 0..14 {
        let t = Instant::now();
        app.update(Msg::Action(Action::SortNext));
        sorts.push(t.elapsed());
    }
    let comparator = {
        let mut order: Vec<u32> = (0..app.corpus.len() as u32).collect();
        let entries = &app.corpus.entries;
        let t = Instant::now();
        order.sort_by(|&a, &b| {
            let (x, y) = (&entries[a], &entries[b]);
            x.subject
                .cmp(&y.subject)
                .then(y.date.cmp(&x.date))
                .then(x.id.cmp(&y.id))
        });
        t.elapsed()
    };
    lines.push(Line {
        figure: "re-sort all rows, any column (p95)".into(),
        measured: ms(p95(&mut sorts)),
        target: "20 ms".into(),
        baseline: format!("comparator sort by subject: {}", ms(comparator)),
    });

    // Drawing and moving.
    let mut frames = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        app.update(Msg::Action(Action::Down));
        terminal.draw(|f| view::draw(f, &app, &theme))?;
        frames.push(t.elapsed());
    }
    let whole_table = {
        let t = Instant::now();
        let rows: Vec<Row> = app
            .table
            .shown
            .iter()
            .filter_map(|&i| app.corpus.get(i))
            .map(|e| Row::new(vec![e.id.to_string(), e.subject.to_string()]))
            .collect();
        let table = Table::new(rows, [ratatui::layout::Constraint::Length(20); 2]);
        terminal.draw(|f| f.render_widget(table, f.area()))?;
        t.elapsed()
    };
    let frames_p95 = p95(&mut frames);
    lines.push(Line {
        figure: "cursor move and frame (p95)".into(),
        measured: ms(frames_p95),
        target: "2 ms".into(),
        baseline: format!("a Table of every row: {}", ms(whole_table)),
    });

    // Opening cables: the body read from its dump offset.
    let mut opens = Vec::new();
    for _ in 0..50 {
        app.update(Msg::Action(Action::Down));
        let t = Instant::now();
        app.update_now(Msg::Action(Action::Open));
        terminal.draw(|f| view::draw(f, &app, &theme))?;
        opens.push(t.elapsed());
        app.update(Msg::Action(Action::Back));
    }
    lines.push(Line {
        figure: "open a cable (p95)".into(),
        measured: ms(p95(&mut opens)),
        target: "20 ms".into(),
        baseline: String::new(),
    });

    // Triage through the app: a disposition key to its commit (mirror, one transaction on a
    // real store file with synchronous=FULL, the result back), and a bulk disposition.
    let store_path = cache_dir.join("bench.sqlite");
    let store = SqliteStore::open_with(&store_path, &OpenOptions::default())?;
    app.direct_store = Some(Box::new(store));
    app.triage.analyst = "bench".into();
    let mut disposals = Vec::new();
    for k in 0..500 {
        let action = [
            Action::MarkActioned,
            Action::MarkFollowUp,
            Action::MarkNoAction,
        ][k % 3];
        let t = Instant::now();
        app.update_now(Msg::Action(action));
        disposals.push(t.elapsed());
    }
    let p50 = {
        disposals.sort();
        disposals[disposals.len() / 2]
    };
    lines.push(Line {
        figure: "disposition key to commit (p50 / p95)".into(),
        measured: format!("{} / {}", ms(p50), ms(p95(&mut disposals))),
        target: String::new(),
        baseline: String::new(),
    });
    app.triage.selection = app.table.shown.iter().copied().take(50_000).collect();
    let t = Instant::now();
    app.update_now(Msg::Action(Action::MarkForwarded));
    let bulk = t.elapsed();
    let t = Instant::now();
    app.update_now(Msg::Action(Action::Undo));
    lines.push(Line {
        figure: "bulk disposition of 50,000 selected cables to commit (and its undo)".into(),
        measured: format!("{} ({})", ms(bulk), ms(t.elapsed())),
        target: String::new(),
        baseline: String::new(),
    });

    drop(app);

    // Full-text search (issue 10), on an app that opens the corpus as the runtime does, its
    // text index kept in the cache folder of this run.
    let mut lines_text = text_figures(&path, &mut terminal, &theme, fuzzy_p95, frames_p95)?;
    lines.append(&mut lines_text);
    lines.append(&mut graph_lines(args.count, args.seed));

    print_table(&path, size_mb, &lines);
    let _ = std::fs::remove_dir_all(&cache_dir);
    Ok(())
}

/// Frames are drawn this often while the index is built, as a held arrow key repeats (and
/// as often for the baseline): a frame loop without pauses would only measure how much CPU
/// the UI thread takes from the build.
const FRAME_EVERY: Duration = Duration::from_millis(10);

/// The figures of full-text search: frame time while the text index is built in the
/// background (the job on a thread of its own, lowering its own priority, its reports
/// handled by the app between frames), then keystroke to first screen with text terms,
/// resolved against that index in the filter job.
fn text_figures(
    path: &Path,
    terminal: &mut Terminal<TestBackend>,
    theme: &Theme,
    fuzzy_p95: Duration,
    frames_p95: Duration,
) -> Result<Vec<Line>> {
    let mut lines = Vec::new();
    let Opened {
        mut app, effects, ..
    } = open_with(path, terminal, theme, TextStorage::Cache)?;
    let mut job = None;
    for effect in effects {
        match effect {
            Effect::OpenTextIndex(j) => job = Some(j),
            Effect::BuildIndexes(entries) => {
                app.update(Msg::Indexed(cabletriage::app::Indexes::build(&entries)));
            }
            _ => {}
        }
    }
    let Some(job) = job else {
        anyhow::bail!("reading the corpus did not ask for its text index");
    };

    // One frame: the reports that arrived handled, a cursor move, a draw.
    let frame = |app: &mut App,
                 terminal: &mut Terminal<TestBackend>,
                 reports: Option<&mpsc::Receiver<Msg>>|
     -> Result<Duration> {
        let t = Instant::now();
        if let Some(rx) = reports {
            for msg in rx.try_iter() {
                app.update(msg);
            }
        }
        app.update(Msg::Action(Action::Down));
        terminal.draw(|f| view::draw(f, app, theme))?;
        Ok(t.elapsed())
    };
    let pace = |t: Instant| {
        if let Some(rest) = FRAME_EVERY.checked_sub(t.elapsed()) {
            std::thread::sleep(rest);
        }
    };

    // Baseline: the same frames, paced the same, with no build running.
    let mut idle = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        idle.push(frame(&mut app, terminal, None)?);
        pace(t);
    }

    // The build, as the runtime starts it (see `spawn_text_index`): its own thread, whose
    // priority the build lowers for itself and every thread it makes.
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let builder = std::thread::spawn(move || {
        let cancel = AtomicBool::new(false);
        let last = job.run(&cancel, &|msg| {
            let _ = tx.send(msg);
        });
        let took = started.elapsed();
        let _ = tx.send(last);
        took
    });
    let mut busy = Vec::new();
    while !builder.is_finished() {
        let t = Instant::now();
        busy.push(frame(&mut app, terminal, Some(&rx))?);
        pace(t);
    }
    let build_time = match builder.join() {
        Ok(took) => took,
        Err(_) => anyhow::bail!("the text index job panicked"),
    };
    for msg in rx.try_iter() {
        app.update(msg);
    }
    let TextStatus::Ready(search) = &app.text.status else {
        anyhow::bail!("no text index: {:?}", app.text.status);
    };
    let documents = search.index.documents();
    lines.push(Line {
        figure: "frame time while the text index is built (p95)".into(),
        measured: format!(
            "{} over {} frames (build of {} cables: {})",
            ms(p95(&mut busy)),
            busy.len(),
            documents,
            secs(build_time)
        ),
        target: "16 ms".into(),
        baseline: format!(
            "no build running: {} over {} frames; cursor move and frame above: {}",
            ms(p95(&mut idle)),
            idle.len(),
            ms(frames_p95)
        ),
    });

    // Keystroke to first screen with text terms: each query typed into the filter bar, the
    // filter job of each keystroke run (its text terms resolved by the index) and a frame
    // drawn, as for the fuzzy figure.
    let mut with_text = Vec::new();
    let mut all = Vec::new();
    let mut matched = Vec::new();
    for text in [
        "text:inflation",
        "text:\"central bank\"",
        "text:\"working group\"",
        "text:reconsid*",
        "text:delegation mexico",
        "text:\"prime minister\" minist",
        "body:yilmaz",
    ] {
        app.update(Msg::Action(Action::Filter));
        for c in text.chars() {
            let t = Instant::now();
            // Whether this keystroke's job resolved a text term with the index.
            let mut resolved = false;
            for effect in app.update(Msg::Insert(c)) {
                if let Effect::Filter(job) = effect {
                    resolved |= job.text.is_some() && job.query.uses_full_text();
                    if let Some(result) = job.run(&|| false) {
                        app.update(Msg::Filtered {
                            generation: job.generation,
                            result,
                        });
                    }
                }
            }
            terminal.draw(|f| view::draw(f, &app, theme))?;
            let took = t.elapsed();
            all.push(took);
            if resolved {
                with_text.push(took);
            }
        }
        matched.push(format!("{text} {}", app.table.shown.len()));
        app.update(Msg::Action(Action::Cancel));
    }
    if with_text.is_empty() {
        anyhow::bail!("no keystroke made a text term the index answered");
    }
    lines.push(Line {
        figure: "filter: keystroke to first screen with a text term (p95)".into(),
        measured: format!(
            "{} over {} keystrokes ({} over all {}; matches: {})",
            ms(p95(&mut with_text)),
            with_text.len(),
            ms(p95(&mut all)),
            all.len(),
            matched.join(", ")
        ),
        target: "50 ms".into(),
        baseline: format!("fuzzy keystrokes above: {}", ms(fuzzy_p95)),
    });
    Ok(lines)
}

/// The figures of a folder of pages: first open, quitting right after it, warm open (as is,
/// and after one page changed), each next to sha1sum over the same files in the same run.
fn bench_pages(dir: &Path) -> Result<()> {
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(200, 60))?;
    let mut pages = Vec::new();
    let mut bytes = 0u64;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            bytes += entry.metadata()?.len();
            pages.push(entry.into_path());
        }
    }
    let size_mb = bytes as f64 / 1e6;
    let per_100k = |d: Duration| d.mul_f64(100_000.0 / pages.len().max(1) as f64);
    // sha1sum over every page, page cache warm (a first run warms it).
    let sha1sum = || -> Result<Duration> {
        let t = Instant::now();
        for group in pages.chunks(2000) {
            Command::new("sha1sum").args(group).output()?;
        }
        Ok(t.elapsed())
    };
    // The machine is shared: each figure is the best of a few runs, the baseline too.
    const RUNS: usize = 3;
    sha1sum()?;
    let mut sha1 = Duration::MAX;
    for _ in 0..RUNS {
        sha1 = sha1.min(sha1sum()?);
    }
    let baseline = format!(
        "sha1sum {} ({:.0} MB/s)",
        secs(sha1),
        size_mb / sha1.as_secs_f64()
    );
    let ratio = |d: Duration| {
        format!(
            "{} ({:.2} x sha1sum)",
            secs(d),
            d.as_secs_f64() / sha1.as_secs_f64()
        )
    };
    let cache_dir = tempfile_dir()?;
    // SAFETY: set before any other thread of this program starts.
    unsafe { std::env::set_var("CABLETRIAGE_CACHE_DIR", &cache_dir) };
    let mut lines = Vec::new();

    let inputs = vec![dir.to_path_buf()];
    let cache_file = cabletriage::corpus::cache::cache_path(&inputs);
    let (mut app, mut cold) = (None, Duration::MAX);
    for _ in 0..RUNS {
        let _ = std::fs::remove_file(&cache_file);
        let opened = open(dir, &mut terminal, &theme)?;
        cold = cold.min(opened.all);
        app = Some(opened.app);
    }
    let Some(app) = app else {
        return Ok(());
    };
    lines.push(Line {
        figure: format!("first open: all {} pages read", app.corpus.len()),
        measured: ratio(cold),
        target: "1.0 x sha1sum".into(),
        baseline: baseline.clone(),
    });
    // Quitting right after: the cache must be there already, the app's own save not run.
    let key = cabletriage::corpus::cache::key_for(&inputs)?;
    let saved = cabletriage::corpus::cache::load(&cache_file, &key).is_ok();
    let other = cache_dir.join("again.bin");
    let t = Instant::now();
    cabletriage::corpus::cache::save(&other, &key, &app.corpus.files, &app.corpus.entries)?;
    let save = t.elapsed();
    lines.push(Line {
        figure: "quit right after the first open: index cache there".into(),
        measured: format!(
            "{} (saved before the open is done; a whole save takes {}, {:.2} x sha1sum)",
            if saved { "yes" } else { "NO" },
            ms(save),
            save.as_secs_f64() / sha1.as_secs_f64()
        ),
        target: "always".into(),
        baseline: String::new(),
    });
    let (mut warm_app, mut rows, mut first, mut warm) =
        (None, Duration::MAX, Duration::MAX, Duration::MAX);
    let mut all_rows = Duration::MAX;
    for _ in 0..RUNS {
        let opened = open(dir, &mut terminal, &theme)?;
        rows = rows.min(opened.first_rows);
        all_rows = all_rows.min(opened.all_rows);
        first = first.min(opened.first_screen);
        warm = warm.min(opened.all);
        warm_app = Some(opened.app);
    }
    let warm_app = warm_app.unwrap_or(app);
    lines.push(Line {
        figure: format!(
            "warm open: first rows shown ({} pages)",
            warm_app.corpus.len()
        ),
        measured: format!(
            "{} ({:.3} x sha1sum)",
            ms(rows),
            rows.as_secs_f64() / sha1.as_secs_f64()
        ),
        target: "at once (well under 50 ms)".into(),
        baseline: baseline.clone(),
    });
    lines.push(Line {
        figure: format!("warm open: first screen ({} pages)", warm_app.corpus.len()),
        measured: format!(
            "{} ({:.2} x sha1sum)",
            ms(first),
            first.as_secs_f64() / sha1.as_secs_f64()
        ),
        target: "at once".into(),
        baseline: baseline.clone(),
    });
    lines.push(Line {
        figure: "warm open: every cached row handed over (before the check)".into(),
        measured: format!(
            "{} ({:.2} x sha1sum)",
            ms(all_rows),
            all_rows.as_secs_f64() / sha1.as_secs_f64()
        ),
        target: String::new(),
        baseline: baseline.clone(),
    });
    lines.push(Line {
        figure: "warm open: all pages shown, files checked (load done)".into(),
        measured: format!(
            "{} ({:.2} x sha1sum; {} per 100,000 pages)",
            ms(warm),
            warm.as_secs_f64() / sha1.as_secs_f64(),
            ms(per_100k(warm))
        ),
        target: "0.5 s per 100,000 pages".into(),
        baseline: baseline.clone(),
    });
    let t = Instant::now();
    std::hint::black_box(cabletriage::corpus::cache::key_for(&inputs)?);
    lines.push(Line {
        figure: "warm open: checking every page's stat".into(),
        measured: format!(
            "{} ({} per 100,000 pages)",
            ms(t.elapsed()),
            ms(per_100k(t.elapsed()))
        ),
        target: String::new(),
        baseline: String::new(),
    });
    // One page touched (another each run): the cache no longer matches.
    let mut changed: Option<[Duration; 4]> = None;
    for page in pages.iter().take(RUNS) {
        let file = std::fs::File::options().write(true).open(page)?;
        file.set_modified(std::time::SystemTime::now())?;
        let o = open(dir, &mut terminal, &theme)?;
        let run = [o.first_rows, o.first_screen, o.all, o.replacing];
        changed = Some(match changed {
            Some(best) => std::array::from_fn(|i| best[i].min(run[i])),
            None => run,
        });
    }
    if let Some([rows, screen, all, replacing]) = changed {
        lines.push(Line {
            figure: "open after one page changed: first rows, first screen, all shown".into(),
            measured: format!(
                "{}, {}, {} (its rows replaced in {})",
                ms(rows),
                ms(screen),
                ratio(all),
                ms(replacing)
            ),
            target: "only the changed page read again".into(),
            baseline: baseline.clone(),
        });
    }
    // Every page touched (a copy, a checkout): all read again, the cached rows shown meanwhile.
    let now = std::time::SystemTime::now();
    for page in &pages {
        std::fs::File::options()
            .write(true)
            .open(page)?
            .set_modified(now)?;
    }
    let opened = open(dir, &mut terminal, &theme)?;
    lines.push(Line {
        figure: "open after every page changed: first rows, all read again".into(),
        measured: format!(
            "{}, {} ({} cables; rows replaced in {} on the UI thread)",
            ms(opened.first_rows),
            ratio(opened.all),
            opened.app.corpus.len(),
            ms(opened.replacing)
        ),
        target: "as a first open".into(),
        baseline: baseline.clone(),
    });
    print_table(dir, size_mb, &lines);
    let _ = std::fs::remove_dir_all(&cache_dir);
    Ok(())
}

/// What one open measured.
struct Opened {
    app: App,
    /// From the start to the first batch with entries arriving from the loader.
    first_rows: Duration,
    /// From the start to the first screen with rows drawn.
    first_screen: Duration,
    /// From the start to the last batch arriving (from a cache: every cached row handed
    /// over, before the files are checked; replacements come as other events).
    all_rows: Duration,
    /// From the start to the load done (every cable shown, files checked).
    all: Duration,
    /// Time the app spent replacing the rows of files read again.
    replacing: Duration,
    effects: Vec<Effect>,
}

/// Opens `path` as the runtime does (the cached loader on its threads, batches into the
/// app): the time to the first rows, the first screen, all read, and the effects the app
/// asked for.
fn open(path: &Path, terminal: &mut Terminal<TestBackend>, theme: &Theme) -> Result<Opened> {
    open_with(path, terminal, theme, TextStorage::Off)
}

/// [`open`], the app keeping its text index as `text` says (with it on, the effects hold the
/// job that opens or builds the index, not started).
fn open_with(
    path: &Path,
    terminal: &mut Terminal<TestBackend>,
    theme: &Theme,
    text: TextStorage,
) -> Result<Opened> {
    let mut app = App::new(Default::default());
    app.update(Msg::Resize {
        width: 200,
        height: 60,
    });
    let inputs = vec![path.to_path_buf()];
    if text != TextStorage::Off {
        app.inputs = inputs.clone();
        app.text.storage = text;
    }
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let loader = std::thread::spawn(move || {
        load::load_cached(&inputs, &AtomicBool::new(false), &mut |e| {
            let _ = tx.send(e);
        })
    });
    let (mut first_rows, mut first_screen, mut all_rows) = (None, None, None);
    let mut replacing = Duration::ZERO;
    let mut effects = Vec::new();
    for event in rx {
        let done = matches!(event, LoadEvent::Done { .. });
        if first_rows.is_none()
            && matches!(&event, LoadEvent::Batch { entries, .. } if !entries.is_empty())
        {
            first_rows = Some(started.elapsed());
        }
        let replace = matches!(event, LoadEvent::Replace { .. });
        if let LoadEvent::Batch { .. } = event {
            all_rows = Some(started.elapsed());
        }
        let t = Instant::now();
        effects.extend(app.update(Msg::Loaded(event)));
        if replace {
            replacing += t.elapsed();
        }
        if first_screen.is_none() && !app.table.shown.is_empty() {
            terminal.draw(|f| view::draw(f, &app, theme))?;
            first_screen = Some(started.elapsed());
        }
        if done {
            break;
        }
    }
    let all = started.elapsed();
    let _ = loader.join();
    Ok(Opened {
        app,
        first_rows: first_rows.unwrap_or(all),
        first_screen: first_screen.unwrap_or(all),
        all_rows: all_rows.unwrap_or(all),
        all,
        replacing,
        effects,
    })
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("cabletriage-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// SkimMatcherV2 scoring every subject, one thread: the naive filter.
fn naive_fuzzy(app: &App, terms: &[&str]) -> Duration {
    let matcher = SkimMatcherV2::default().smart_case();
    let t = Instant::now();
    for term in terms {
        let hits = app
            .corpus
            .entries
            .iter()
            .filter(|e| matcher.fuzzy_match(&e.subject, term).is_some())
            .count();
        std::hint::black_box(hits);
    }
    t.elapsed() / terms.len() as u32
}

/// The reference graph's figures, the ratio to each target in the baseline column.
fn graph_lines(count: u64, seed: u64) -> Vec<Line> {
    bench_graph::figures(count, seed)
        .into_iter()
        .map(|f| Line {
            figure: f.figure,
            measured: f.measured,
            target: f.target,
            baseline: f.ratio,
        })
        .collect()
}

/// Resident memory of this process, from `/proc/self/status`.
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn print_table(path: &Path, size_mb: f64, lines: &[Line]) {
    let name: PathBuf = path.file_name().map(PathBuf::from).unwrap_or_default();
    println!(
        "corpus: {} ({size_mb:.0} MB), {} cores",
        name.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| figure | measured | target | baseline (same run) |");
    println!("|---|---|---|---|");
    for l in lines {
        println!(
            "| {} | {} | {} | {} |",
            l.figure, l.measured, l.target, l.baseline
        );
    }
}
