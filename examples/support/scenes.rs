//! The screens of the README's screenshots, built from the real app on the demo corpus.
//! Shared by `examples/screenshots.rs`, which draws them, and by the tests that check the
//! pictures are up to date and every theme readable.
//!
//! Everything drawn is fixed: the demo corpus comes from its seed, the load time is set,
//! nothing shows a path of this machine or the clock.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use cabletriage::app::text_search::TextStorage;
use cabletriage::app::{Action, App, Msg};
use cabletriage::corpus::demo::{DEMO_CABLES, DEMO_SEED};
use cabletriage::keymap::Keymap;
use cabletriage::store::{OpenOptions, SqliteStore};
use cabletriage::tui::svg::{self, Palette};
use cabletriage::tui::theme::Theme;
use cabletriage::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub const WIDTH: u16 = 120;
pub const HEIGHT: u16 = 34;

/// The scenes, in order: table, filter, reading, text_search, text_reading, thread, help.
pub const NAMES: [&str; 7] = [
    "table",
    "filter",
    "reading",
    "text_search",
    "text_reading",
    "thread",
    "help",
];

/// Builds every scene, with `work` (an empty folder) for the corpus, the store and the text
/// index, and hands each to `shoot` with its name as soon as it is on screen.
pub fn each(work: &Path, mut shoot: impl FnMut(&str, &App) -> Result<()>) -> Result<()> {
    let corpus = work.join("demo.csv");
    std::fs::write(
        &corpus,
        cabletriage::synth::demo_csv(DEMO_CABLES, DEMO_SEED),
    )
    .context("writing the demo corpus")?;
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

    // The table after some triage: dispositions, a tag of the analyst's, cables read and
    // two selected (a throwaway store, so nothing real is touched).
    let store = SqliteStore::open_with(&work.join("shots.sqlite"), &OpenOptions::default())?;
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
    shoot("table", &table)?;
    drop(table);

    let mut filter = fresh();
    act(&mut filter, &[Action::Filter]);
    typed(&mut filter, "iran minist");
    act(&mut filter, &[Action::Down, Action::Down]);
    shoot("filter", &filter)?;

    let mut reading = fresh();
    act(&mut reading, &[Action::Filter]);
    typed(&mut reading, "iran");
    act(&mut reading, &[Action::Accept, Action::Open]);
    shoot("reading", &reading)?;

    // Full-text search: a phrase in the bodies, the matches by relevance, the preview line
    // under the table; then one of them read, its hits highlighted.
    // Built in a folder as the app does (in memory, the status bar would say so).
    let mut text = fresh_with(TextStorage::Dir(work.join("index.text")));
    act(&mut text, &[Action::Filter]);
    typed(&mut text, "text:\"prime minister\" text:negotiat*");
    act(
        &mut text,
        &[Action::Accept, Action::SortRelevance, Action::TogglePreview],
    );
    text.message = None;
    shoot("text_search", &text)?;
    act(&mut text, &[Action::Open, Action::SearchNext]);
    text.message = None;
    shoot("text_reading", &text)?;

    // The thread view of the cable whose conversation is the largest the tree shows (the
    // rule, not an id, so the scene follows the demo corpus when the generator changes).
    let mut thread = fresh();
    let largest = thread.graph().and_then(|graph| {
        (0..thread.corpus.len() as u32).max_by_key(|&e| {
            let tree = graph.thread_tree(e, &thread.corpus.entries);
            (tree.cables().count(), std::cmp::Reverse(e))
        })
    });
    let position = largest.and_then(|e| thread.table.shown.iter().position(|&i| i == e));
    if let Some(position) = position {
        let rows = thread.table_rows();
        thread.table.set_cursor(position, rows);
    }
    act(&mut thread, &[Action::Thread, Action::Down, Action::Down]);
    thread.message = None;
    shoot("thread", &thread)?;

    let mut help = fresh();
    act(&mut help, &[Action::Help]);
    shoot("help", &help)
}

/// The themes the screenshots show, each on the background it is meant for: `light` on a
/// light terminal, the others on a dark one; file names get the theme after the scene
/// (`table_light.svg`), except for the default `dark`.
pub const THEMES: [(&str, Theme, Palette); 3] = [
    ("dark", Theme::dark(), Palette::DARK),
    ("light", Theme::light(), Palette::LIGHT),
    ("mono", Theme::mono(), Palette::DARK),
];

/// The scenes shown in every theme; the others only in `dark`.
pub const IN_EVERY_THEME: [&str; 2] = ["table", "reading"];

/// The scene drawn as the terminal would show it.
pub fn draw(app: &App, theme: &Theme) -> Result<Buffer> {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|f| view::draw(f, app, theme))?;
    Ok(terminal.backend().buffer().clone())
}

/// The pictures of one scene: file name (without extension) and SVG text.
pub fn pictures(scene: &str, app: &App) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, theme, palette) in &THEMES {
        if *name != "dark" && !IN_EVERY_THEME.contains(&scene) {
            continue;
        }
        let file = if *name == "dark" {
            scene.to_string()
        } else {
            format!("{scene}_{name}")
        };
        out.push((file, svg::to_svg(&draw(app, theme)?, palette)));
    }
    Ok(out)
}

/// Each action through the app's one mutator, its effects run at once.
pub fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update_now(Msg::Action(*a));
    }
}

/// `text` as typed into the input that has the focus.
pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update_now(Msg::Insert(c));
    }
}
