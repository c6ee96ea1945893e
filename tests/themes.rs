//! Themes: every view readable in each shipped theme (drawn into a TestBackend: no text in
//! the colour of its background, no faint colours on the background a theme is meant for,
//! no colour at all in `mono`), a user's theme.toml, and how the real binary reports a bad
//! theme before it takes the screen.

#[path = "../examples/support/scenes.rs"]
mod scenes;
mod support;
use scenes::{act, typed};

use std::path::Path;
use std::process::Command;

use cabletriage::app::{Action, App};
use cabletriage::tui::theme::{StyleName, Theme};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

/// What a cell's text or background is drawn in: the terminal's own colours, or a named one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ink {
    TerminalText,
    TerminalBackground,
    Named(Color),
}

/// The text's ink and the background's, once reverse video is applied.
fn inks(buffer: &Buffer, x: u16, y: u16) -> (Ink, Ink) {
    let cell = &buffer[(x, y)];
    let ink = |c: Color, default: Ink| {
        if c == Color::Reset {
            default
        } else {
            Ink::Named(c)
        }
    };
    let fg = ink(cell.fg, Ink::TerminalText);
    let bg = ink(cell.bg, Ink::TerminalBackground);
    if cell.modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

/// Colours that fade into a light terminal's background.
const FAINT_ON_LIGHT: [Color; 9] = [
    Color::Yellow,
    Color::LightYellow,
    Color::White,
    Color::Gray,
    Color::Cyan,
    Color::LightCyan,
    Color::LightGreen,
    Color::LightBlue,
    Color::LightMagenta,
];

/// Every cell of text in `buffer` that would not read in `theme_name`.
fn unreadable(buffer: &Buffer, theme_name: &str) -> Vec<String> {
    let mut found = Vec::new();
    let area = buffer.area;
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if theme_name == "mono" && (cell.fg != Color::Reset || cell.bg != Color::Reset) {
                found.push(format!("{x},{y}: colour in mono: {cell:?}"));
            }
            if cell.symbol().trim().is_empty() {
                continue;
            }
            let (text, background) = inks(buffer, x, y);
            let faint = |ink: Ink| match (theme_name, ink) {
                ("light", Ink::Named(c)) => FAINT_ON_LIGHT.contains(&c),
                ("dark", Ink::Named(c)) => c == Color::Black,
                _ => false,
            };
            let terminal_background = |ink: Ink| ink == Ink::TerminalBackground;
            if text == background
                || (terminal_background(background) && faint(text))
                || (terminal_background(text) && faint(background))
            {
                found.push(format!(
                    "{x},{y} {:?}: {text:?} on {background:?}",
                    cell.symbol()
                ));
            }
        }
    }
    found
}

fn shipped() -> [(&'static str, Theme); 3] {
    [
        ("dark", Theme::dark()),
        ("light", Theme::light()),
        ("mono", Theme::mono()),
    ]
}

fn check_all_themes(what: &str, app: &App) {
    for (name, theme) in shipped() {
        let buffer = scenes::draw(app, &theme).expect("draw");
        let bad = unreadable(&buffer, name);
        assert!(
            bad.is_empty(),
            "{what} in {name}: {} cells do not read, first {:?}",
            bad.len(),
            &bad[..bad.len().min(5)]
        );
    }
}

#[test]
fn every_screenshot_scene_reads_in_every_theme() {
    let work = tempfile::tempdir().expect("temp dir");
    let mut seen = Vec::new();
    scenes::each(work.path(), |scene, app| {
        check_all_themes(scene, app);
        seen.push(scene.to_string());
        Ok(())
    })
    .expect("scenes");
    assert_eq!(seen, scenes::NAMES);
}

#[test]
fn the_check_finds_faint_or_invisible_text() {
    let bindings = cabletriage::keymap::Keymap::shipped_default().help_bindings();
    let (app, _d) = support::demo_app(50, 80, 10, bindings);
    let mut yellow = Theme::light();
    yellow.set(StyleName::Key, Theme::dark().style(StyleName::Key));
    let buffer = scenes::draw(&app, &yellow).expect("draw");
    assert!(
        !unreadable(&buffer, "light").is_empty(),
        "dark's yellow keys on white"
    );
    let mut hidden = Theme::dark();
    hidden.set(
        StyleName::Status,
        ratatui::style::Style::new().fg(Color::Blue).bg(Color::Blue),
    );
    let buffer = scenes::draw(&app, &hidden).expect("draw");
    assert!(!unreadable(&buffer, "dark").is_empty(), "blue on blue");
    let buffer = scenes::draw(&app, &Theme::dark()).expect("draw");
    assert!(!unreadable(&buffer, "mono").is_empty(), "colour in mono");
}

#[test]
fn errors_matches_prompts_and_the_current_match_read_in_every_theme() {
    let bindings = || cabletriage::keymap::Keymap::shipped_default().help_bindings();
    let (mut app, _d) = support::demo_app(200, 100, 30, bindings());
    act(&mut app, &[Action::Filter]);
    typed(&mut app, "minist date:banana |");
    check_all_themes("a filter with errors", &app);

    let (mut app, _d) = support::demo_app(200, 100, 30, bindings());
    act(&mut app, &[Action::Down, Action::Open, Action::Search]);
    typed(&mut app, "the");
    act(&mut app, &[Action::Accept, Action::SearchNext]);
    check_all_themes("a search in the reading view", &app);

    let (mut app, _d) = support::demo_app(200, 100, 30, bindings());
    act(&mut app, &[Action::CommandLine]);
    typed(&mut app, "sort");
    check_all_themes("the command line", &app);
}

#[test]
fn light_and_mono_draw_as_intended() {
    let bindings = || cabletriage::keymap::Keymap::shipped_default().help_bindings();
    let (mut app, _d) = support::demo_app(200, 80, 24, bindings());
    act(&mut app, &[Action::Filter]);
    typed(&mut app, "minist");
    insta::assert_snapshot!("filter_light", support::render(&app, &Theme::light()));
    let (mut app, _d) = support::demo_app(200, 80, 24, bindings());
    act(&mut app, &[Action::Open]);
    insta::assert_snapshot!("reading_light", support::render(&app, &Theme::light()));
    insta::assert_snapshot!("reading_mono", support::render(&app, &Theme::mono()));
}

#[test]
fn a_theme_file_restyles_the_view() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("theme.toml");
    std::fs::write(
        &path,
        "extends = \"mono\"\n[styles]\nstatus = { fg = \"white\", bg = \"blue\" }\n",
    )
    .expect("theme.toml");
    let theme = Theme::load(path.to_str().expect("utf-8 path")).expect("a good theme");
    assert_eq!(
        theme.style(StyleName::Status),
        ratatui::style::Style::new()
            .fg(Color::White)
            .bg(Color::Blue)
    );
    let bindings = cabletriage::keymap::Keymap::shipped_default().help_bindings();
    let (app, _d) = support::demo_app(50, 60, 10, bindings);
    let buffer = scenes::draw(&app, &theme).expect("draw");
    let status = &buffer[(0, 9)];
    assert_eq!((status.fg, status.bg), (Color::White, Color::Blue));
    // Mono's other styles stay.
    assert!(
        unreadable(&buffer, "dark").is_empty(),
        "the status bar reads"
    );
}

#[test]
fn the_readme_names_every_style() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    for name in StyleName::ALL {
        assert!(
            readme.contains(&format!("`{}`", name.name())),
            "README.md does not list the style {}",
            name.name()
        );
    }
    // Its example theme file is a good one.
    let section = &readme[readme.find("### Themes").expect("a Themes section")..];
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a theme.toml example");
    let (_, problems) = cabletriage::tui::theme::file::parse(Path::new("README.md"), example);
    assert!(problems.is_empty(), "{problems:?}");
}

/// The binary with a sandboxed home and config folder, and the given theme.toml.
fn cabletriage(config: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cabletriage"));
    c.args(args)
        .env("HOME", config)
        .env("XDG_CONFIG_HOME", config.join("xdg"))
        .env("XDG_DATA_HOME", config.join("data"))
        .env("XDG_CACHE_HOME", config.join("cache"))
        .env("CABLETRIAGE_CONFIG_DIR", config)
        .env("CABLETRIAGE_CACHE_DIR", config.join("cache"))
        .env("CABLETRIAGE_STORE", config.join("triage.sqlite"))
        .env_remove("CABLETRIAGE_THEME")
        .env_remove("NO_COLOR");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run cabletriage")
}

#[test]
fn a_bad_theme_is_reported_with_its_place_before_the_screen_is_taken() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("theme.toml"),
        "extends = \"light\"\n[styles]\nflsh = { bold = true }\nkey = { fg = \"rde\" }\n",
    )
    .expect("theme.toml");
    // NO_COLOR does not hide the user's own theme file (no-color.org: a program's own
    // configuration wins).
    let out = cabletriage(dir.path(), &[], &[("NO_COLOR", "1")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("theme.toml:3:1: unknown style \"flsh\" (did you mean \"flash\"?)")
            && err.contains("theme.toml:4:14: unknown colour \"rde\" (did you mean \"red\"?)"),
        "{err}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains('\u{1b}'),
        "nothing drawn"
    );

    let out = cabletriage(dir.path(), &["--theme", "ligth"], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--theme: unknown theme \"ligth\" (did you mean \"light\"?)"),
        "{err}"
    );

    let out = cabletriage(dir.path(), &[], &[("CABLETRIAGE_THEME", "./gone.toml")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("./gone.toml: no such theme file") && err.contains("by the environment"),
        "{err}"
    );

    std::fs::write(dir.path().join("config.toml"), "theme = \"drak\"\n").expect("config");
    let out = cabletriage(dir.path(), &[], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("config.toml:1:9:") && err.contains("did you mean \"dark\""),
        "{err}"
    );
}
