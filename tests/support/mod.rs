//! Helpers shared by the view and key-script tests.
#![allow(dead_code)]

use std::fmt::Write;
use std::path::PathBuf;
use std::time::Duration;

use cabletriage::app::{App, Msg};
use cabletriage::synth::demo_csv;
use cabletriage::tui::theme::Theme;
use cabletriage::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

/// An app with `count` generated cables loaded, at `width`x`height`, with a fixed load time
/// so that snapshots do not depend on the clock.
pub fn demo_app(
    count: usize,
    width: u16,
    height: u16,
    bindings: cabletriage::app::Bindings,
) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("demo.csv");
    std::fs::write(&path, demo_csv(count, 2026)).expect("write demo");
    let mut app = App::new(bindings);
    app.update(Msg::Resize { width, height });
    app.load_now(&[path]);
    app.load.finished = Some(Duration::from_millis(420));
    app.message = None;
    (app, dir)
}

/// Draws the app and returns the screen as text followed by its styles, one line per run of
/// equally styled cells: `row:col-col fg bg modifiers`. ratatui's plain text drops colours;
/// this keeps them, so a snapshot fails when a colour changes.
pub fn render(app: &App, theme: &Theme) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| view::draw(f, app, theme)).expect("draw");
    describe(terminal.backend().buffer())
}

pub fn describe(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let line: String = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push_str("--- styles\n");
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let style = cell_style(buffer, x, y);
            let start = x;
            while x < area.width && cell_style(buffer, x, y) == style {
                x += 1;
            }
            if style != Style::default()
                && style != Style::default().fg(Color::Reset).bg(Color::Reset)
            {
                let _ = writeln!(out, "{y}:{start}-{} {}", x - 1, style_name(style));
            }
        }
    }
    out
}

fn cell_style(buffer: &Buffer, x: u16, y: u16) -> Style {
    let c = &buffer[(x, y)];
    Style::default().fg(c.fg).bg(c.bg).add_modifier(c.modifier)
}

fn style_name(style: Style) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = style.fg.filter(|c| *c != Color::Reset) {
        parts.push(format!("fg={fg:?}"));
    }
    if let Some(bg) = style.bg.filter(|c| *c != Color::Reset) {
        parts.push(format!("bg={bg:?}"));
    }
    let m = style.add_modifier;
    for (flag, name) in [
        (Modifier::BOLD, "bold"),
        (Modifier::DIM, "dim"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::REVERSED, "reversed"),
    ] {
        if m.contains(flag) {
            parts.push(name.to_string());
        }
    }
    parts.join(" ")
}

/// Types `script` (space-separated keys in keymap notation) into the app.
pub fn type_keys(app: &mut App, reader: &mut cabletriage::tui::runtime::KeyReader, script: &str) {
    for token in script.split(' ').filter(|t| !t.is_empty()) {
        let key: cabletriage::keymap::Key = token
            .parse()
            .unwrap_or_else(|e| panic!("bad key {token:?} in script: {e}"));
        for msg in reader.key(app.mode, key) {
            app.update_now(msg);
        }
    }
}

/// The id of the cable at `position` in the table as shown.
pub fn id_at(app: &App, position: usize) -> String {
    app.corpus
        .get(app.table.shown[position])
        .unwrap()
        .id
        .to_string()
}
