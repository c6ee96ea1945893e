//! The inbox on a big corpus, measured through the real app state: keystroke to updated
//! table (filter job included, one frame drawn), re-sorting, drawing a frame, opening a cable.
//!
//! ```sh
//! cargo run --release --example bench_inbox -- --count 250000
//! ```
//! The corpus is generated once into `target/bench/` (shared with `bench_parse`).

#[path = "support/bench_corpus.rs"]
mod bench_corpus;
use bench_corpus::generated;

use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cabletriage::app::{Action, App, Effect, Msg};
use cabletriage::store::{OpenOptions, SqliteStore};
use cabletriage::tui::theme::Theme;
use cabletriage::tui::view;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 250_000)]
    count: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let path = generated(args.count, args.seed)?;
    let mut app = App::new(Default::default());
    app.update(Msg::Resize {
        width: 200,
        height: 60,
    });
    let start = Instant::now();
    app.load_now(std::slice::from_ref(&path));
    println!(
        "{} cables loaded in {:.1} s (one thread, through App::update)",
        app.corpus.len(),
        start.elapsed().as_secs_f64()
    );
    let mut terminal = Terminal::new(TestBackend::new(200, 60))?;
    let theme = Theme { color: true };

    // Drawing a frame.
    let mut draws = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        terminal.draw(|f| view::draw(f, &app, &theme))?;
        draws.push(t.elapsed());
    }
    report("draw a frame (200x60)", &mut draws);

    // Moving the cursor.
    let mut moves = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        app.update(Msg::Action(Action::Down));
        terminal.draw(|f| view::draw(f, &app, &theme))?;
        moves.push(t.elapsed());
    }
    report("cursor down + frame", &mut moves);

    // Re-sorting by each column.
    let mut sorts = Vec::new();
    for _ in 0..14 {
        let t = Instant::now();
        app.update(Msg::Action(Action::SortNext));
        sorts.push(t.elapsed());
    }
    report("re-sort 250k (sort-next, each column twice)", &mut sorts);
    app.update(Msg::Action(Action::SortNext));

    // Typing filters. The UI thread only parses and starts a job, then draws; the job runs on
    // another thread and its result is drawn when it arrives. Measured: the UI thread's part
    // of a keystroke, and the keystroke to the table showing its matches.
    let mut ui = Vec::new();
    for query_text in [
        "minister",
        "iran nuclear",
        "tag:PREL",
        "prec:>=immediate from:moscow",
        "date:2008 class:secret",
    ] {
        let mut keystrokes = Vec::new();
        app.update(Msg::Action(Action::Filter));
        for c in query_text.chars() {
            let t = Instant::now();
            let effects = app.update(Msg::Insert(c));
            terminal.draw(|f| view::draw(f, &app, &theme))?;
            ui.push(t.elapsed());
            for effect in effects {
                if let Effect::Filter(job) = effect {
                    if let Some(result) = job.run(&|| false) {
                        app.update(Msg::Filtered {
                            generation: job.generation,
                            result,
                        });
                    }
                }
            }
            terminal.draw(|f| view::draw(f, &app, &theme))?;
            keystrokes.push(t.elapsed());
        }
        let shown = app.table.shown.len();
        report(
            &format!("keystroke to table, {query_text:?} ({shown} shown)"),
            &mut keystrokes,
        );
        app.update(Msg::Action(Action::Cancel));
    }
    report(
        "UI thread per keystroke (update + frame; matching elsewhere)",
        &mut ui,
    );

    // Opening cables.
    let mut opens = Vec::new();
    for _ in 0..50 {
        app.update(Msg::Action(Action::Down));
        let t = Instant::now();
        app.update_now(Msg::Action(Action::Open));
        terminal.draw(|f| view::draw(f, &app, &theme))?;
        opens.push(t.elapsed());
        app.update(Msg::Action(Action::Back));
    }
    report(
        "open a cable (read from its dump offset) + frame",
        &mut opens,
    );

    // Triage through the app: a disposition key to its commit (mirror, store transaction on
    // a real file with synchronous=FULL, result back), and a bulk disposition.
    let store_path = path.with_extension("bench.sqlite");
    let _ = std::fs::remove_file(&store_path);
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
    report("disposition key to commit (one cable)", &mut disposals);
    app.triage.selection = app.table.shown.iter().copied().take(50_000).collect();
    let t = Instant::now();
    app.update_now(Msg::Action(Action::MarkForwarded));
    let mut bulk = vec![t.elapsed()];
    report(
        "bulk disposition of 50,000 selected cables to commit",
        &mut bulk,
    );
    let t = Instant::now();
    app.update_now(Msg::Action(Action::Undo));
    let mut undo = vec![t.elapsed()];
    report("undo of that bulk disposition to commit", &mut undo);
    let _ = std::fs::remove_file(&store_path);
    Ok(())
}

fn report(name: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "{name:<62} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms",
        ms(p(0.5)),
        ms(p(0.95)),
        ms(p(1.0))
    );
}
