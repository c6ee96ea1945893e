//! A subject filter that finds what you mean (issue 10): a plain word stays fuzzy, but the
//! subjects that hold it as typed come first, in the table's order, then the scattered
//! matches; the status bar counts both (`47 close · 332 loose`). Keys go through the real
//! default keymap; the real pages of `../shared` are used when they are there.

mod common;
mod support;
use support::type_keys;

use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;

use cabletriage::app::App;
use cabletriage::corpus::query::Tier;
use cabletriage::keymap::Keymap;
use cabletriage::tui::runtime::KeyReader;
use cabletriage::tui::theme::Theme;

/// `/` then the letters of `text`, as typed.
fn filter_keys(text: &str) -> String {
    let keys: Vec<String> = text
        .chars()
        .map(|c| {
            if c == ' ' {
                "space".into()
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("/ {}", keys.join(" "))
}

fn demo(count: usize, width: u16) -> (App, KeyReader, tempfile::TempDir) {
    let keymap = Keymap::shipped_default();
    let (app, dir) = support::demo_app(count, width, 30, keymap.help_bindings());
    (app, KeyReader::new(Arc::new(keymap)), dir)
}

fn status_line(app: &App) -> String {
    let screen = support::render(app, &Theme::mono());
    let lines: Vec<&str> = screen.lines().collect();
    lines[app.size.1 as usize - 1].to_string()
}

fn subject(app: &App, i: u32) -> String {
    app.corpus
        .get(i)
        .map(|e| e.subject.to_string())
        .unwrap_or_default()
}

fn tier(app: &App, i: u32) -> Tier {
    app.filter
        .tiers
        .get(i as usize)
        .copied()
        .unwrap_or_default()
}

/// The shown rows are close before loose, and in table order within each tier.
fn assert_tiered(app: &App) {
    let tiers: Vec<Tier> = app.table.shown.iter().map(|&i| tier(app, i)).collect();
    assert!(tiers.is_sorted(), "tiers out of order: {tiers:?}");
    let position: std::collections::HashMap<u32, usize> = app
        .table
        .order
        .iter()
        .enumerate()
        .map(|(p, &i)| (i, p))
        .collect();
    for pair in app.table.shown.windows(2) {
        if tier(app, pair[0]) == tier(app, pair[1]) {
            assert!(
                position[&pair[0]] < position[&pair[1]],
                "not in table order within a tier: {} then {}",
                subject(app, pair[0]),
                subject(app, pair[1])
            );
        }
    }
}

#[test]
fn close_matches_come_first_in_table_order_and_the_status_bar_counts_them() {
    let (mut app, mut keys, _d) = demo(300, 140);
    type_keys(&mut app, &mut keys, &filter_keys("iran"));
    let counts = app.filter.tier_counts.expect("a fuzzy term has tiers");
    assert!(counts.close > 0 && counts.loose > 0, "{counts:?}");
    assert_eq!(counts.close + counts.loose, app.table.shown.len());
    let holding = app
        .table
        .shown
        .iter()
        .filter(|&&i| subject(&app, i).to_lowercase().contains("iran"))
        .count();
    assert_eq!(counts.close, holding, "close: the subjects holding `iran`");
    assert_tiered(&app);
    let status = status_line(&app);
    let want = format!("{} close · {} loose", counts.close, counts.loose);
    assert!(status.contains(&want), "{status:?} lacks {want:?}");

    // A re-sort keeps the tiers, both ways.
    for script in ["s", "s", "r"] {
        type_keys(&mut app, &mut keys, &format!("enter {script}"));
        assert_tiered(&app);
    }
    // `R` orders purely by score; the counts stay.
    type_keys(&mut app, &mut keys, "R");
    let scores: Vec<i64> = app
        .table
        .shown
        .iter()
        .map(|&i| app.filter.scores[i as usize])
        .collect();
    assert!(scores.is_sorted_by(|a, b| a >= b), "{scores:?}");
    assert!(status_line(&app).contains(&want));
    // And back to the table's order, in tiers.
    type_keys(&mut app, &mut keys, "R");
    assert_tiered(&app);
}

#[test]
fn exact_and_field_terms_have_no_tiers() {
    let (mut app, mut keys, _d) = demo(300, 140);
    for text in ["'iran", "tag:PREL", "^a", "!iran"] {
        type_keys(
            &mut app,
            &mut keys,
            &format!("esc esc {}", filter_keys(text)),
        );
        assert!(app.filter.is_active(), "{text}");
        assert_eq!(app.filter.tier_counts, None, "{text}");
        let status = status_line(&app);
        assert!(!status.contains("close"), "{text}: {status:?}");
    }
    // A fuzzy term beside them decides the tier alone.
    type_keys(
        &mut app,
        &mut keys,
        &format!("esc esc {}", filter_keys("tag:PREL iran")),
    );
    assert!(app.filter.tier_counts.is_some());
    assert_tiered(&app);
    // No match: nothing to count.
    type_keys(
        &mut app,
        &mut keys,
        &format!("esc esc {}", filter_keys("qqqzzz")),
    );
    assert!(app.table.shown.is_empty());
    assert!(!status_line(&app).contains("close"));
    // Cleared, the counts go.
    type_keys(&mut app, &mut keys, "esc esc");
    assert!(!status_line(&app).contains("close"));
}

#[test]
fn status_bar_with_tiers_snapshot() {
    let (mut app, mut keys, _d) = demo(300, 100);
    type_keys(
        &mut app,
        &mut keys,
        &format!("{} enter", filter_keys("iran")),
    );
    let screen = support::render(&app, &Theme::dark());
    let (text, styles) = screen.split_once("--- styles\n").unwrap_or_default();
    // The filter bar and the status bar, with their styles.
    let rows: Vec<&str> = text.lines().skip(28).collect();
    let status: Vec<&str> = rows
        .into_iter()
        .chain(std::iter::once("--- styles"))
        .chain(
            styles
                .lines()
                .filter(|l| l.starts_with("28:") || l.starts_with("29:")),
        )
        .collect();
    insta::assert_snapshot!(status.join("\n"));
}

/// On the real pages: for a word, every subject that holds it comes before any scattered
/// match, and the close count is exactly the subjects that hold it.
#[test]
fn real_pages_list_every_subject_holding_the_word_first() {
    let Some(shared) = common::shared_dir("real_pages_list_every_subject_holding_the_word_first")
    else {
        return;
    };
    let folder = shared.join("corpus/cablegate/cable");
    let keymap = Keymap::shipped_default();
    let mut app = App::new(keymap.help_bindings());
    let mut keys = KeyReader::new(Arc::new(keymap));
    app.update_now(cabletriage::app::Msg::Resize {
        width: 160,
        height: 40,
    });
    app.load_now(&[folder]);
    assert!(app.corpus.len() >= 500, "{} cables", app.corpus.len());
    let mut report = Vec::new();
    for word in ["iran", "oil", "visa"] {
        type_keys(
            &mut app,
            &mut keys,
            &format!("esc esc {}", filter_keys(word)),
        );
        let holding: HashSet<u32> = app
            .table
            .shown
            .iter()
            .copied()
            .filter(|&i| subject(&app, i).to_lowercase().contains(word))
            .collect();
        let first_loose = app
            .table
            .shown
            .iter()
            .position(|&i| tier(&app, i) == Tier::Scattered)
            .unwrap_or(app.table.shown.len());
        let last_holding = app
            .table
            .shown
            .iter()
            .rposition(|i| holding.contains(i))
            .map_or(0, |p| p + 1);
        assert!(
            last_holding <= first_loose,
            "{word}: a subject holding it at row {last_holding}, after a scattered match at row {first_loose}"
        );
        let counts = app.filter.tier_counts.expect("tiers");
        assert_eq!(counts.close, holding.len(), "{word}");
        assert_tiered(&app);
        let words = app
            .table
            .shown
            .iter()
            .filter(|&&i| tier(&app, i) == Tier::Word)
            .count();
        report.push(format!(
            "{word}: {} matches, {} close ({words} at a word start), {} loose",
            app.table.shown.len(),
            counts.close,
            counts.loose
        ));
    }
    let _ = writeln!(
        std::io::stderr(),
        "{} real pages: {}",
        app.corpus.len(),
        report.join("; ")
    );
}

/// Found in testing: with the cursor on a loose match, the close matches that typing put
/// above it were scrolled out of view. After each key, every row above the cursor that fits
/// is drawn.
#[test]
fn typing_a_filter_keeps_the_rows_above_the_cursor_in_view() {
    let (mut app, mut keys, _d) = demo(2000, 120);
    type_keys(&mut app, &mut keys, "down down");
    type_keys(&mut app, &mut keys, "/");
    for key in ["i", "r", "a", "n"] {
        type_keys(&mut app, &mut keys, key);
        let (cursor, offset) = (app.table.cursor, app.table.offset);
        assert!(offset <= cursor, "{key}: cursor {cursor} offset {offset}");
        // The screen holds more than ten table rows: that many above the cursor are drawn.
        assert!(
            cursor - offset >= cursor.min(10),
            "{key}: cursor {cursor} drawn with only {} rows above it",
            cursor - offset
        );
    }
}
