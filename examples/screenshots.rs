//! Makes the screenshots in `screenshots/` from the real views on the demo corpus:
//! `cargo run --example screenshots`. Writes SVG, and PNG where `rsvg-convert` is installed.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use cabletriage::app::text_search::TextStorage;
use cabletriage::app::{Action, App, Msg};
use cabletriage::keymap::Keymap;
use cabletriage::store::{OpenOptions, SqliteStore};
use cabletriage::tui::theme::Theme;
use cabletriage::tui::{svg, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 34;

fn main() -> Result<()> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&out)?;
    let corpus = cabletriage::corpus::demo::demo_corpus().context("writing the demo corpus")?;
    let keymap = Keymap::shipped_default();
    let fresh_with = |storage: TextStorage| {
        let mut app = App::new(keymap.help_bindings());
        app.text.storage = storage;
        app.update(Msg::Resize {
            width: WIDTH,
            height: HEIGHT,
        });
        app.load_now(std::slice::from_ref(&corpus));
        app.load.finished = Some(Duration::from_millis(180));
        app.message = None;
        app
    };
    let fresh = || fresh_with(TextStorage::Off);
    let act = |app: &mut App, actions: &[Action]| {
        for a in actions {
            app.update_now(Msg::Action(*a));
        }
    };
    let typed = |app: &mut App, text: &str| {
        for c in text.chars() {
            app.update_now(Msg::Insert(c));
        }
    };

    // The table after some triage: dispositions, a tag of the analyst's, cables read and
    // two selected (a throwaway store, so nothing real is touched).
    let store_dir = std::env::temp_dir().join(format!("cabletriage-shots-{}", std::process::id()));
    let store = SqliteStore::open_with(&store_dir.join("shots.sqlite"), &OpenOptions::default())?;
    let mut table = fresh();
    table.direct_store = Some(Box::new(store));
    table.triage.analyst = "analyst".into();
    table.triage.advance = cabletriage::app::triage::Advance::Next;
    act(
        &mut table,
        &[Action::Open, Action::Back, Action::MarkActioned],
    );
    act(
        &mut table,
        &[
            Action::Open,
            Action::Back,
            Action::MarkFollowUp,
            Action::Tag,
        ],
    );
    typed(&mut table, "urgent");
    act(
        &mut table,
        &[
            Action::Accept,
            Action::MarkForwarded,
            Action::Down,
            Action::MarkNoAction,
        ],
    );
    act(
        &mut table,
        &[
            Action::Open,
            Action::Back,
            Action::SelectToggle,
            Action::SelectToggle,
        ],
    );
    table.message = None;
    shoot(&table, &out, "table")?;
    let _ = std::fs::remove_dir_all(&store_dir);

    let mut filter = fresh();
    act(&mut filter, &[Action::Filter]);
    typed(&mut filter, "iran minist");
    act(&mut filter, &[Action::Down, Action::Down]);
    shoot(&filter, &out, "filter")?;

    let mut reading = fresh();
    act(&mut reading, &[Action::Filter]);
    typed(&mut reading, "iran");
    act(&mut reading, &[Action::Accept, Action::Open]);
    shoot(&reading, &out, "reading")?;

    // Full-text search: a phrase in the bodies, the matches by relevance, the preview line
    // under the table; then one of them read, its hits highlighted.
    // Built in a folder as the app does (in memory, the status bar would say so).
    let index_dir = tempfile::tempdir()?;
    let mut text = fresh_with(TextStorage::Dir(index_dir.path().join("index.text")));
    act(&mut text, &[Action::Filter]);
    typed(&mut text, "text:\"prime minister\" text:negotiat*");
    act(
        &mut text,
        &[Action::Accept, Action::SortRelevance, Action::TogglePreview],
    );
    text.message = None;
    shoot(&text, &out, "text_search")?;
    act(&mut text, &[Action::Open, Action::SearchNext]);
    text.message = None;
    shoot(&text, &out, "text_reading")?;

    let mut help = fresh();
    act(&mut help, &[Action::Help]);
    shoot(&help, &out, "help")?;
    Ok(())
}

fn shoot(app: &App, out: &Path, name: &str) -> Result<()> {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
    terminal.draw(|f| view::draw(f, app, &Theme { color: true }))?;
    let svg_path = out.join(format!("{name}.svg"));
    std::fs::write(&svg_path, svg::to_svg(terminal.backend().buffer()))?;
    let png_path = out.join(format!("{name}.png"));
    match Command::new("rsvg-convert")
        .arg("-o")
        .arg(&png_path)
        .arg(&svg_path)
        .status()
    {
        Ok(s) if s.success() => {
            eprintln!("wrote {} and {}", svg_path.display(), png_path.display())
        }
        _ => eprintln!(
            "wrote {} (no PNG: rsvg-convert is not installed)",
            svg_path.display()
        ),
    }
    Ok(())
}
