//! The update function alone: messages in, state and effects out, no terminal.

use std::path::PathBuf;

use cabletriage::app::{Action, App, Effect, Mode, Msg};
use cabletriage::corpus::sort::{Column, SortColumn};
use cabletriage::synth::demo_csv;

/// An app holding `count` generated cables, fully loaded, at 100x30.
fn loaded(count: usize) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("demo.csv");
    std::fs::write(&path, demo_csv(count, 11)).unwrap();
    let mut app = App::new(Default::default());
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    app.load_now(&[path]);
    (app, dir)
}

fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update_now(Msg::Action(*a));
    }
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update_now(Msg::Insert(c));
    }
}

#[test]
fn loading_fills_the_table_in_default_order() {
    let (app, _dir) = loaded(300);
    assert_eq!(app.corpus.len(), 300);
    assert_eq!(app.table.shown.len(), 300);
    assert!(app.load.finished.is_some());
    // Most urgent first, then newest.
    let keys: Vec<_> = app
        .table
        .shown
        .iter()
        .map(|&i| {
            let e = app.corpus.get(i).unwrap();
            (e.precedence, std::cmp::Reverse(e.date))
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn cursor_stays_on_its_cable_across_sorting_and_filtering() {
    let (mut app, _dir) = loaded(300);
    act(&mut app, &[Action::Down, Action::Down, Action::Down]);
    let cable = app.table.current().unwrap();
    act(&mut app, &[Action::SortNext, Action::SortReverse]);
    assert_eq!(app.table.sort.column, SortColumn::Field(Column::Date));
    assert_eq!(app.table.current(), Some(cable));
    let word: String = app
        .corpus
        .get(cable)
        .unwrap()
        .subject
        .split_whitespace()
        .next()
        .unwrap()
        .to_lowercase();
    act(&mut app, &[Action::Filter]);
    assert_eq!(app.mode, Mode::Filter);
    typed(&mut app, &word);
    assert!(app.table.shown.len() < 300);
    assert!(app.table.shown.contains(&cable));
    assert_eq!(app.table.current(), Some(cable));
    act(&mut app, &[Action::Accept]);
    assert_eq!(app.mode, Mode::Table);
    assert!(app.filter.is_active());
    act(&mut app, &[Action::ClearFilter]);
    assert_eq!(app.table.shown.len(), 300);
    assert_eq!(app.table.current(), Some(cable));
}

#[test]
fn each_keystroke_supersedes_the_filter_job_before_it() {
    let (mut app, _dir) = loaded(50);
    act(&mut app, &[Action::Filter]);
    let first = app.update(Msg::Insert('a'));
    let second = app.update(Msg::Insert('b'));
    let generation = |effects: &[Effect]| match effects {
        [Effect::Filter(job)] => job.generation,
        other => panic!("expected one filter job, got {other:?}"),
    };
    let (g1, g2) = (generation(&first), generation(&second));
    assert!(g2 > g1);
    // A late result of the superseded job changes nothing.
    let before = app.table.shown.clone();
    app.update(Msg::Filtered {
        generation: g1,
        result: Default::default(),
    });
    assert_eq!(app.table.shown, before);
}

#[test]
fn reading_view_opens_scrolls_searches_and_moves_between_cables() {
    let (mut app, _dir) = loaded(100);
    act(&mut app, &[Action::Open]);
    assert_eq!(app.mode, Mode::Reading);
    let first = app.reading.as_ref().unwrap().index;
    assert!(matches!(app.reading.as_ref().unwrap().cable, Some(Ok(_))));
    act(&mut app, &[Action::PageDown]);
    assert!(app.reading.as_ref().unwrap().scroll > 0);
    act(&mut app, &[Action::Top, Action::Search]);
    assert_eq!(app.mode, Mode::Prompt);
    typed(&mut app, "the");
    act(&mut app, &[Action::Accept]);
    assert_eq!(app.mode, Mode::Reading);
    let at = app.reading.as_ref().unwrap().current_match;
    assert_eq!(at, Some(0));
    act(&mut app, &[Action::SearchNext]);
    // The next match, scrolled to only when it is off screen.
    assert_eq!(
        app.reading.as_ref().unwrap().current_match,
        Some(1),
        "search-next moves on"
    );
    act(&mut app, &[Action::NextCable]);
    let second = app.reading.as_ref().unwrap().index;
    assert_ne!(first, second);
    assert_eq!(app.table.current(), Some(second));
    act(&mut app, &[Action::PreviousCable]);
    assert_eq!(app.reading.as_ref().unwrap().index, first);
    act(&mut app, &[Action::Back]);
    assert_eq!(app.mode, Mode::Table);
    assert!(app.reading.is_none());
}

#[test]
fn references_are_followed_and_come_back() {
    let (mut app, _dir) = loaded(400);
    // A cable that cites one present in the corpus.
    let (position, target) = app
        .table
        .shown
        .iter()
        .enumerate()
        .find_map(|(pos, &i)| {
            let e = app.corpus.get(i)?;
            e.references
                .iter()
                .find_map(|r| app.corpus.find_id(r))
                .map(|_| (pos, i))
        })
        .expect("the generator cites earlier cables");
    let rows = app.table_rows();
    app.table.set_cursor(position, rows);
    act(&mut app, &[Action::Open]);
    let cited: Vec<String> = match &app.reading.as_ref().unwrap().cable {
        Some(Ok(c)) => c.references.clone(),
        other => panic!("{other:?}"),
    };
    let k = cited
        .iter()
        .position(|r| app.corpus.find_id(r).is_some())
        .unwrap();
    for _ in 0..k {
        act(&mut app, &[Action::NextReference]);
    }
    act(&mut app, &[Action::FollowReference]);
    let now = app.reading.as_ref().unwrap();
    assert_eq!(app.corpus.get(now.index).unwrap().id.as_ref(), cited[k]);
    assert_eq!(now.back.len(), 1);
    act(&mut app, &[Action::GoBack]);
    assert_eq!(app.reading.as_ref().unwrap().index, target);
    assert!(app.reading.as_ref().unwrap().back.is_empty());
}

#[test]
fn a_reference_outside_the_corpus_says_so() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dump.csv");
    let mut app = App::new(Default::default());
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    app.load_now(&[fixture]);
    let position = app
        .table
        .shown
        .iter()
        .position(|&i| &*app.corpus.get(i).unwrap().id == "09OSLO123")
        .unwrap();
    let rows = app.table_rows();
    app.table.set_cursor(position, rows);
    act(&mut app, &[Action::Open, Action::FollowReference]);
    let message = app.message.as_ref().unwrap().text.clone();
    assert_eq!(message, "09STATE11223 is not in this corpus");
    assert!(app.reading.as_ref().unwrap().back.is_empty());
    // The broken third row of the fixture is listed as a problem.
    assert_eq!(app.problems.len(), 1);
}

#[test]
fn help_command_line_and_quit() {
    let (mut app, _dir) = loaded(10);
    act(&mut app, &[Action::Help]);
    assert_eq!(app.mode, Mode::Help);
    typed(&mut app, "sort");
    assert_eq!(app.help.as_ref().unwrap().input.text(), "sort");
    act(&mut app, &[Action::Back]);
    assert_eq!(app.mode, Mode::Table);
    act(&mut app, &[Action::CommandLine]);
    typed(&mut app, "sort-rev");
    act(&mut app, &[Action::Complete]);
    assert_eq!(app.prompt.as_ref().unwrap().input.text(), "sort-reverse");
    act(&mut app, &[Action::Accept]);
    assert!(app.table.sort.descending);
    act(&mut app, &[Action::CommandLine]);
    typed(&mut app, "sortt-next");
    act(&mut app, &[Action::Accept]);
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("did you mean \"sort-next\"")
    );
    let effects = app.update(Msg::Action(Action::Quit));
    assert!(app.quit);
    assert!(matches!(effects[..], [Effect::Quit]));
}

#[test]
fn tiny_terminals_and_empty_corpora_do_not_panic() {
    let mut app = App::new(Default::default());
    for (w, h) in [(1, 1), (0, 0), (2, 3)] {
        app.update_now(Msg::Resize {
            width: w,
            height: h,
        });
        for a in cabletriage::app::Action::ALL {
            if *a != Action::Quit {
                app.update_now(Msg::Action(*a));
            }
        }
        app.update_now(Msg::Scroll(5));
        app.update_now(Msg::ClickRow(3));
    }
}

#[test]
fn narrowing_while_typing_gives_what_a_full_filter_gives() {
    use cabletriage::app::narrows;
    assert!(narrows("iran", "irani"));
    assert!(narrows("iran", "iran nuc"));
    assert!(!narrows("iran", "ira"));
    assert!(!narrows("iran", "iran | iraq"));
    assert!(!narrows("iran", "iran !nuc"));
    assert!(!narrows("date:>2008", "date:>2008-06"));
    assert!(narrows("date:>2008", "date:>2008 iran"));
    assert!(!narrows("oil$", "oil$s"));
    assert!(!narrows("", "iran"));
    // A word turning into a field term or a phrase is another test.
    assert!(!narrows("tag:PREL is", "tag:PREL is:bogus"));
    assert!(!narrows("tag", "tag:PREL"));
    assert!(!narrows("cites:08A1 citers", "cites:08A1 citers:>x"));
    assert!(narrows("tag:PREL", "tag:PREL is:unread"));
    let (mut typed_app, _d1) = loaded(400);
    let (mut fresh_app, _d2) = loaded(400);
    act(&mut typed_app, &[Action::Filter]);
    let mut before = "";
    for query in [
        "m",
        "mi",
        "min",
        "mini",
        "minis",
        "minis t",
        "minis th",
        "minis the",
    ] {
        typed(&mut typed_app, &query[before.len()..]);
        before = query;
        assert_eq!(typed_app.filter.input.text(), query);
        fresh_app.filter.input = cabletriage::app::text_input::TextInput::default();
        act(&mut fresh_app, &[Action::ClearFilter, Action::Filter]);
        typed(&mut fresh_app, query);
        // The fresh app typed the whole query in one go after clearing: compare the rows.
        let mut a = typed_app.table.shown.clone();
        let mut b = fresh_app.table.shown.clone();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "query {query:?}");
        act(&mut fresh_app, &[Action::Cancel]);
    }
}

#[test]
fn mouse_clicks_sort_and_select_and_the_wheel_scrolls() {
    let (mut app, _dir) = loaded(100);
    app.update_now(Msg::ClickColumn(SortColumn::Field(Column::Date)));
    assert_eq!(app.table.sort.column, SortColumn::Field(Column::Date));
    assert!(!app.table.sort.descending);
    app.update_now(Msg::ClickColumn(SortColumn::Field(Column::Date)));
    assert!(app.table.sort.descending, "a second click reverses");
    // Rows are counted from the first one drawn.
    let clicked = app.table.offset + 3;
    app.update_now(Msg::ClickRow(3));
    assert_eq!(app.table.cursor, clicked);
    app.update_now(Msg::Scroll(3));
    assert_eq!(app.table.cursor, clicked + 3);
    app.update_now(Msg::ClickRow(10_000));
    assert_eq!(
        app.table.cursor,
        clicked + 3,
        "a click below the last row changes nothing"
    );
}

#[test]
fn a_problem_reported_again_is_listed_once() {
    use cabletriage::corpus::load::LoadEvent;
    use cabletriage::read::{Problem, Severity};
    let (mut app, _dir) = loaded(10);
    let before = app.problems.len();
    let notice = Problem {
        path: "pages/09ROME97.html".into(),
        row: None,
        message: "09ROME97 read again, first read from pages/a/09ROME97.html".into(),
        skipped: false,
        severity: Severity::Notice,
    };
    // A page read again after a warm open's check says what its first reading said.
    for _ in 0..2 {
        app.update(Msg::Loaded(LoadEvent::Problem(notice.clone())));
    }
    assert_eq!(app.problems.len(), before + 1);
}

/// A term that turns unreadable as it is typed leaves the other terms' result, whatever was
/// typed before it (`tag:PREL is` filters by the fuzzy word `is`; `is:bogus` is unreadable).
#[test]
fn an_unreadable_term_filters_by_the_other_terms_not_by_an_earlier_keystroke() {
    let (mut app, _dir) = loaded(300);
    act(&mut app, &[Action::Filter]);
    typed(&mut app, "tag:PREL");
    let alone = app.table.shown.clone();
    assert!(!alone.is_empty());
    typed(&mut app, " is:bogus");
    assert!(!app.filter.errors.is_empty(), "is:bogus is unreadable");
    assert_eq!(app.table.shown, alone);
    act(&mut app, &[Action::ClearFilter]);
    act(&mut app, &[Action::Filter]);
    typed(&mut app, "tag:PREL date:banana");
    assert_eq!(app.table.shown, alone);
}
