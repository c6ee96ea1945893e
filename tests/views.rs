//! Snapshots of every view drawn into ratatui's TestBackend, with their styles, on a
//! generated corpus: the table at 80x24 and 200x60, the filter with highlights, the reading
//! view, the help overlay, NO_COLOR, and tiny terminals.

mod support;

use cabletriage::app::{Action, Msg};
use cabletriage::tui::theme::Theme;
use support::{demo_app, render};

fn bindings() -> cabletriage::app::Bindings {
    cabletriage::keymap::Keymap::shipped_default().help_bindings()
}

const COLOR: Theme = Theme::dark();
const NO_COLOR: Theme = Theme::mono();

fn act(app: &mut cabletriage::app::App, actions: &[Action]) {
    for a in actions {
        app.update_now(Msg::Action(*a));
    }
}

#[test]
fn table_80x24() {
    let (app, _d) = demo_app(200, 80, 24, bindings());
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn table_200x60() {
    let (mut app, _d) = demo_app(200, 200, 60, bindings());
    act(&mut app, &[Action::Down, Action::Down]);
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn table_without_color() {
    let (app, _d) = demo_app(200, 100, 20, bindings());
    insta::assert_snapshot!(render(&app, &NO_COLOR));
}

#[test]
fn filter_with_highlights() {
    let (mut app, _d) = demo_app(200, 120, 24, bindings());
    act(&mut app, &[Action::Filter]);
    for c in "minist".chars() {
        app.update_now(Msg::Insert(c));
    }
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn reading_view() {
    let (mut app, _d) = demo_app(200, 100, 40, bindings());
    act(&mut app, &[Action::Open]);
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn reading_view_scrolled_with_search() {
    let (mut app, _d) = demo_app(200, 80, 24, bindings());
    act(&mut app, &[Action::Down, Action::Open, Action::Search]);
    for c in "the".chars() {
        app.update_now(Msg::Insert(c));
    }
    act(&mut app, &[Action::Accept]);
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn help_overlay() {
    let (mut app, _d) = demo_app(50, 100, 30, bindings());
    act(&mut app, &[Action::Help]);
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn tiny_terminals_draw_without_panicking() {
    let (mut app, _d) = demo_app(30, 1, 1, bindings());
    for (w, h) in [(1, 1), (2, 2), (10, 3), (20, 5), (0, 0)] {
        app.update_now(Msg::Resize {
            width: w,
            height: h,
        });
        let _ = render(&app, &COLOR);
        act(&mut app, &[Action::Open]);
        let _ = render(&app, &COLOR);
        act(&mut app, &[Action::Help]);
        let _ = render(&app, &COLOR);
        act(&mut app, &[Action::Back, Action::Back]);
    }
}

#[test]
fn table_80x24_sorted_by_date() {
    let (mut app, _d) = demo_app(200, 80, 24, bindings());
    act(&mut app, &[Action::SortNext, Action::SortReverse]);
    insta::assert_snapshot!(render(&app, &COLOR));
}

#[test]
fn status_says_the_sort_when_its_column_is_hidden() {
    let (mut app, _d) = demo_app(50, 80, 8, bindings());
    // Tags, the last column, has no room at 80 columns.
    act(&mut app, &[Action::SortPrevious]);
    app.message = None;
    let screen = render(&app, &NO_COLOR);
    let status = screen.lines().nth(7).unwrap_or_default();
    assert!(status.contains("sort tags ▲ (column hidden)"), "{screen}");
}

#[test]
fn reading_text_keeps_a_free_column_before_the_scrollbar() {
    let (mut app, _d) = demo_app(50, 60, 30, bindings());
    act(&mut app, &[Action::Open]);
    let screen = render(&app, &NO_COLOR);
    // Rows 1 to 26 hold the document (row 0 is the banner, 27 the position line).
    for line in screen.lines().skip(1).take(26) {
        let gap = line.chars().nth(58).unwrap_or(' ');
        assert_eq!(gap, ' ', "text runs into the scrollbar:\n{screen}");
    }
    let text_rows = screen
        .lines()
        .skip(1)
        .take(26)
        .filter(|l| l.chars().take(58).any(|c| c != ' '))
        .count();
    assert!(text_rows > 20, "{screen}");
}

#[test]
fn a_resize_in_the_reading_view_fills_the_screen() {
    let (mut app, _d) = demo_app(50, 70, 20, bindings());
    act(&mut app, &[Action::Open, Action::Bottom]);
    app.update_now(Msg::Resize {
        width: 200,
        height: 50,
    });
    let rows = app.reading_rows();
    let width = app.reading_width();
    let reading = app.reading.as_mut().unwrap();
    let lines = reading.lines(width).len();
    assert!(
        reading.scroll + rows <= lines.max(rows),
        "scroll {} leaves the screen part blank ({lines} lines, {rows} rows)",
        reading.scroll
    );
    insta::assert_snapshot!(render(&app, &NO_COLOR));
}

#[test]
fn help_at_80_columns_wraps_descriptions_and_aligns_keys() {
    let (mut app, _d) = demo_app(50, 80, 24, bindings());
    act(&mut app, &[Action::Open, Action::Help]);
    let screen = render(&app, &NO_COLOR);
    insta::assert_snapshot!(screen);
    // The description goes on under itself rather than being cut at the edge.
    let lines: Vec<&str> = screen.lines().take(24).collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Show the keys of this mode"))
        .unwrap_or_else(|| panic!("{screen}"));
    // Inside the box: between its borders.
    let inside = |l: &str| {
        let from = l.find('│').map_or(0, |i| i + '│'.len_utf8());
        let to = l.rfind('│').unwrap_or(l.len()).max(from);
        l[from..to].to_string()
    };
    let said = format!("{} {}", inside(lines[at]), inside(lines[at + 1]));
    let words: Vec<&str> = said.split_whitespace().collect();
    assert!(words.join(" ").contains("what they do"), "{screen}");
}

#[test]
fn a_long_filter_scrolls_with_its_colours_and_keeps_the_cursor_on_screen() {
    let (mut app, _d) = demo_app(50, 40, 8, bindings());
    act(&mut app, &[Action::Filter]);
    for c in "minister security economy policy russia |".chars() {
        app.update_now(Msg::Insert(c));
    }
    assert!(
        !app.filter.errors.is_empty(),
        "the trailing | is unreadable"
    );
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 8)).unwrap();
    terminal
        .draw(|f| cabletriage::tui::view::draw(f, &app, &COLOR))
        .unwrap();
    let cursor = terminal.get_cursor_position().unwrap();
    assert!(cursor.x < 40 && cursor.y == 6, "cursor at {cursor:?}");
    let screen = render(&app, &COLOR);
    let line = screen.lines().nth(6).unwrap_or_default();
    assert!(line.ends_with("russia |"), "{screen}");
    // The unreadable `|` is still marked while the line is scrolled.
    let buffer = terminal.backend().buffer();
    let bar = (0..40).find(|&x| buffer[(x, 6)].symbol() == "|").unwrap();
    assert_eq!(buffer[(bar, 6)].fg, ratatui::style::Color::Red, "{screen}");
    // Closed, the bar shows the start of the filter, cut with an ellipsis.
    act(&mut app, &[Action::Accept]);
    let screen = render(&app, &COLOR);
    let line = screen.lines().nth(6).unwrap_or_default();
    assert!(
        line.starts_with("/minister") && line.ends_with('…'),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

/// Colleagues reading a cable (a server store's presence) are named on its row: `👁 alice`,
/// or `@alice` where trees are drawn in ASCII.
#[test]
fn presence_markers_on_rows() {
    let (mut app, _d) = demo_app(30, 120, 8, bindings());
    let (first, third) = (support::id_at(&app, 0), support::id_at(&app, 2));
    app.update_now(Msg::Presence(vec![
        ("alice".into(), first.clone()),
        ("bob".into(), third.clone()),
        ("carol".into(), third),
    ]));
    insta::assert_snapshot!(render(&app, &NO_COLOR));
    app.ascii_tree = true;
    let ascii = render(&app, &NO_COLOR);
    assert!(
        ascii.contains("@alice ") && ascii.contains("@bob,carol "),
        "{ascii}"
    );
}
