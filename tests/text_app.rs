//! Full-text search in the app (issue 10): the text index opened in the background once the
//! corpus is read, text terms that wait for it and then apply themselves, the status bar
//! while it is built, highlights in the reading view, the preview line and "most like this".
//! Real indexes are built, in temporary folders, over small generated corpora. The index job
//! is held back and run by the test where the order of events matters; the real runtime
//! ([`Engine`]) is used for what crosses threads.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use cabletriage::app::text_search::{Building, TextIndexJob, TextStatus, TextStorage};
use cabletriage::app::{Action, App, Effect, Mode, Msg};
use cabletriage::corpus::load;
use cabletriage::keymap::{Key, Keymap};
use cabletriage::search::bodies::read_text;
use cabletriage::search::words;
use cabletriage::store::{OpenOptions, SqliteStore, TriageStore};
use cabletriage::tui::runtime::{Engine, KeyReader};
use cabletriage::tui::theme::Theme;

const COUNT: usize = 120;
const THEME: Theme = Theme::dark();

struct Setup {
    app: App,
    /// The index job, held until the test runs it.
    job: Option<TextIndexJob>,
    _dir: tempfile::TempDir,
    csv: PathBuf,
}

/// An app at 100x24 with a generated corpus read and its index job held back.
fn setup() -> Setup {
    setup_with("demo.csv", cabletriage::synth::demo_csv(COUNT, 7))
}

/// [`setup`] on one file of this name and content.
fn setup_with(name: &str, content: impl AsRef<[u8]>) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join(name);
    std::fs::write(&csv, content).expect("write");
    let mut app = App::new(Keymap::shipped_default().help_bindings());
    app.update(Msg::Resize {
        width: 100,
        height: 24,
    });
    app.text.storage = TextStorage::Dir(dir.path().join("index.text"));
    app.inputs = vec![csv.clone()];
    let store = SqliteStore::open_with(&dir.path().join("t.sqlite"), &OpenOptions::default())
        .expect("store");
    let (records, _) = store.snapshot().expect("records");
    app.update(Msg::StoreOpened {
        records,
        read_only: None,
    });
    app.triage.analyst = "alice".into();
    app.direct_store = Some(Box::new(store));
    let mut events = Vec::new();
    load::load(
        std::slice::from_ref(&csv),
        &AtomicBool::new(false),
        &mut |e| events.push(e),
    );
    let mut s = Setup {
        app,
        job: None,
        _dir: dir,
        csv,
    };
    for e in events {
        s.send(Msg::Loaded(e));
    }
    s.app.load.finished = Some(std::time::Duration::from_millis(420));
    s.app.message = None;
    s
}

impl Setup {
    /// One message through `update`, its effects carried out at once, but the index job's,
    /// which is kept.
    fn send(&mut self, msg: Msg) {
        let mut queue = std::collections::VecDeque::from(self.app.update(msg));
        while let Some(effect) = queue.pop_front() {
            if let Effect::OpenTextIndex(job) = effect {
                self.job = Some(job);
                continue;
            }
            let store = self.app.direct_store.as_deref_mut();
            if let Some(next) = effect.perform(&|| false, store) {
                queue.extend(self.app.update(next));
            }
        }
    }

    /// Runs the held index job to its end and hands its reports to the app.
    fn index_now(&mut self) {
        let job = self.job.take().expect("an index job was asked for");
        let reports = std::sync::Mutex::new(Vec::new());
        let last = job.run(&AtomicBool::new(false), &|m| {
            if let Ok(mut r) = reports.lock() {
                r.push(m);
            }
        });
        for m in reports.into_inner().unwrap_or_default() {
            self.send(m);
        }
        self.send(last);
    }

    fn keys(&mut self, script: &str) {
        let mut reader = KeyReader::new(Arc::new(Keymap::shipped_default()));
        for token in script.split(' ').filter(|t| !t.is_empty()) {
            let key: Key = token.parse().expect("key");
            for msg in reader.key(self.app.mode, key) {
                self.send(msg);
            }
        }
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.send(Msg::Insert(c));
        }
    }
}

/// A word of some cables' bodies but not of most, and the entries whose text holds it.
fn some_word(app: &App) -> (String, BTreeSet<u32>) {
    let texts: Vec<BTreeSet<String>> = (0..app.corpus.len() as u32)
        .map(|i| {
            let t = read_text(&app.corpus, i).expect("text");
            words(&t.subject)
                .into_iter()
                .chain(words(&t.body))
                .collect()
        })
        .collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for t in &texts {
        for w in t {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let (word, _) = counts
        .iter()
        .filter(|(w, n)| w.len() > 4 && w.chars().all(char::is_alphabetic) && **n >= 3)
        .filter(|(_, n)| **n <= COUNT / 4)
        .max_by_key(|(w, n)| (**n, std::cmp::Reverse(**w)))
        .expect("a word of a few cables");
    let matching = (0..texts.len() as u32)
        .filter(|&i| texts[i as usize].contains(*word))
        .collect();
    (word.to_string(), matching)
}

fn shown(app: &App) -> BTreeSet<u32> {
    app.table.shown.iter().copied().collect()
}

#[test]
fn a_text_term_typed_before_the_index_is_ready_applies_itself_when_it_arrives() {
    let mut s = setup();
    assert!(
        s.job.is_some(),
        "reading the corpus asks for its text index"
    );
    assert!(matches!(s.app.text.status, TextStatus::Building(_)));
    let (word, matching) = some_word(&s.app);
    assert!(matching.len() < COUNT);

    // Every keystroke returns its filter job at once: nothing waits on the index.
    s.send(Msg::Action(Action::Filter));
    for c in format!("text:{word} ").chars() {
        let effects = s.app.update(Msg::Insert(c));
        for e in effects {
            assert!(
                matches!(e, Effect::Filter(_)),
                "a keystroke asks for a filter job only, got {e:?}"
            );
            if let Some(next) = e.perform(&|| false, None) {
                s.send(next);
            }
        }
    }
    // The text term waits; the other terms (none here) filter at once.
    assert_eq!(s.app.table.shown.len(), COUNT);
    assert!(support::render(&s.app, &THEME).contains("indexing 0%"));

    s.index_now();
    assert!(s.app.text.ready().is_some());
    assert_eq!(
        shown(&s.app),
        matching,
        "text:{word} once the index is there"
    );

    // With a subject term beside it, both apply.
    let subject_word = s
        .app
        .corpus
        .get(*matching.iter().next().expect("a match"))
        .and_then(|e| {
            e.subject
                .split_whitespace()
                .find(|w| w.len() > 3 && w.chars().all(char::is_alphabetic))
                .map(str::to_lowercase)
        })
        .expect("a subject word");
    s.typed(&format!("'{subject_word}"));
    let both: BTreeSet<u32> = matching
        .iter()
        .copied()
        .filter(|&i| {
            s.app
                .corpus
                .get(i)
                .is_some_and(|e| e.subject.to_lowercase().contains(&subject_word))
        })
        .collect();
    assert_eq!(shown(&s.app), both);
}

#[test]
fn like_an_id_not_in_the_corpus_is_said_and_filters_everything_out() {
    let mut s = setup();
    s.index_now();
    s.send(Msg::Action(Action::Filter));
    s.typed("like:99NOWHERE1");
    assert!(s.app.table.shown.is_empty());
    let said = s.app.message.as_ref().map(|m| m.text.clone());
    assert!(
        said.as_deref().is_some_and(|m| m.contains("99NOWHERE1")),
        "{said:?}"
    );
    // Typed on into a query that filters, the failure of the earlier input goes.
    s.send(Msg::Action(Action::DeleteLine));
    s.typed("prec:routine");
    assert!(
        s.app.message.is_none(),
        "{:?}",
        s.app.message.as_ref().map(|m| &m.text)
    );
}

#[test]
fn relevance_order_ranks_text_matches_by_bm25() {
    let mut s = setup();
    s.index_now();
    let (word, matching) = some_word(&s.app);
    s.send(Msg::Action(Action::Filter));
    s.typed(&format!("text:{word}"));
    s.send(Msg::Action(Action::SortRelevance));
    assert_eq!(shown(&s.app), matching);
    let Some(text) = s.app.text.ready() else {
        panic!("no index");
    };
    let mut q = cabletriage::corpus::query::parse(&format!("text:{word}")).0;
    text.index
        .resolve(&mut q, &text.corpus, true)
        .expect("resolve");
    let scores: Vec<i64> = s
        .app
        .table
        .shown
        .iter()
        .map(|&i| s.app.filter.scores[i as usize])
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|&x| x > 0), "text hits score: {scores:?}");
}

#[test]
fn status_bar_and_filter_bar_while_the_text_is_indexed() {
    let mut s = setup();
    let mut building = Building::default();
    building.fraction = 0.43;
    building.secs_left = Some(12);
    s.app.text.status = TextStatus::Building(building);
    s.send(Msg::Action(Action::Filter));
    s.typed("text:embassy prec:immediate");
    insta::assert_snapshot!("text_indexing_status", support::render(&s.app, &THEME));
}

#[test]
fn reading_view_highlights_text_hits_and_n_goes_through_them() {
    let mut s = setup();
    s.index_now();
    let (word, _) = some_word(&s.app);
    s.send(Msg::Action(Action::Filter));
    s.typed(&format!("text:{word}"));
    s.keys("enter enter");
    assert_eq!(s.app.mode, Mode::Reading);
    let reading = s.app.reading.as_ref().expect("reading");
    assert!(reading.text_query.is_some());
    s.keys("n");
    assert_eq!(
        s.app.reading.as_ref().and_then(|r| r.current_match),
        Some(0)
    );
    let screen = support::render(&s.app, &THEME);
    assert!(screen.contains("text hit 1/"), "{screen}");
    insta::assert_snapshot!("text_reading_highlights", screen);
}

#[test]
fn preview_line_shows_a_snippet_of_the_cursor_cable_with_its_hits() {
    let mut s = setup();
    s.index_now();
    let (word, _) = some_word(&s.app);
    s.send(Msg::Action(Action::Filter));
    s.typed(&format!("text:{word}"));
    s.keys("enter p");
    assert!(s.app.preview.on);
    let Some(entry) = s.app.table.current() else {
        panic!("no cursor");
    };
    assert!(
        matches!(s.app.preview.text(entry), Some(Ok(_))),
        "the cursor's cable was read for the preview"
    );
    let screen = support::render(&s.app, &THEME);
    assert!(screen.contains("› "), "{screen}");
    insta::assert_snapshot!("text_preview_line", screen);
    // Moving the cursor reads the next cable only.
    s.keys("down");
    let Some(next) = s.app.table.current() else {
        panic!("no cursor");
    };
    assert!(matches!(s.app.preview.text(next), Some(Ok(_))));
    // Back on a cable previewed before: its text is kept, nothing is read again.
    let effects = s.app.update(Msg::Action(Action::Up));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::ReadText { .. })),
        "{effects:?}"
    );
    // Only the cursor's cable is read: a page down reads one text, not a page of them.
    let effects = s.app.update(Msg::Action(Action::PageDown));
    let reads = effects
        .iter()
        .filter(|e| matches!(e, Effect::ReadText { .. }))
        .count();
    assert_eq!(reads, 1);
}

#[test]
fn a_cache_folder_that_cannot_be_written_is_said_and_search_runs_from_memory() {
    let mut s = setup();
    // A folder inside a file cannot be made.
    let file = s.csv.with_file_name("not-a-folder");
    std::fs::write(&file, "x").expect("write");
    if let Some(job) = s.job.as_mut() {
        job.storage = TextStorage::Dir(file.join("index.text"));
    }
    s.index_now();
    assert!(s.app.text.ready().is_some());
    let said = s.app.message.as_ref().map(|m| m.text.clone());
    assert!(
        said.as_deref().is_some_and(|m| m.contains("from memory")),
        "{said:?}"
    );
    // Once the message is gone, the status bar still says it, for the whole run.
    s.app.message = None;
    let screen = support::render(&s.app, &THEME);
    assert!(screen.contains("text search in memory"), "{screen}");
}

#[test]
fn a_message_does_not_hide_the_indexing_progress() {
    let mut s = setup();
    let mut building = Building::default();
    building.fraction = 0.43;
    building.secs_left = Some(12);
    s.app.text.status = TextStatus::Building(building);
    s.app
        .notify("589 notices (show-problems lists them)".to_string());
    let screen = support::render(&s.app, &THEME);
    assert!(
        screen.contains("indexing text 43%") && screen.contains("589 notices"),
        "{screen}"
    );
}

#[test]
fn the_like_key_lists_the_cables_most_like_the_one_read_best_first() {
    let mut s = setup();
    s.index_now();
    s.keys("enter");
    let Some(read) = s.app.reading.as_ref().map(|r| r.index) else {
        panic!("not reading");
    };
    let id = s
        .app
        .corpus
        .get(read)
        .map(|e| e.id.to_string())
        .expect("id");
    s.keys("L");
    assert_eq!(s.app.mode, Mode::Table);
    assert_eq!(s.app.filter.input.text(), format!("like:{id}"));
    assert!(s.app.filter.relevance);
    let Some(text) = s.app.text.ready() else {
        panic!("no index");
    };
    let ten: Vec<u32> = text
        .index
        .like(&text.corpus, read, 10)
        .expect("like")
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert!(!ten.is_empty());
    assert_eq!(&s.app.table.shown[..ten.len()], &ten[..]);
    assert!(!s.app.table.shown.contains(&read));
    assert_eq!(s.app.table.cursor, 0);
    // Any of them opens (with nothing to highlight: like: names no words).
    s.keys("down enter");
    assert_eq!(
        s.app.reading.as_ref().map(|r| r.index),
        Some(s.app.table.shown[1])
    );
    assert!(
        s.app
            .reading
            .as_ref()
            .is_some_and(|r| r.text_query.is_none())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_the_runtime_the_index_arrives_as_a_message_and_the_filter_follows() {
    let s = setup();
    let (word, matching) = some_word(&s.app);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new(Keymap::shipped_default().help_bindings());
    app.update(Msg::Resize {
        width: 100,
        height: 24,
    });
    app.text.storage = TextStorage::Dir(dir.path().join("index.text"));
    let mut engine = Engine::start(app, vec![s.csv.clone()], None);
    // Typed as soon as the table is there, whether the index is or not.
    within(&mut engine, |a| a.load.finished.is_some()).await;
    engine.handle(Msg::Action(Action::Filter));
    for c in format!("text:{word}").chars() {
        engine.handle(Msg::Insert(c));
    }
    within(&mut engine, |a| {
        a.text.ready().is_some() && !a.filter.running && shown(a) == matching
    })
    .await;
    let app = engine.stop();
    assert_eq!(shown(&app), matching);
}

/// Handles the work's messages until `done` holds; fails rather than hangs when it never does.
async fn within(engine: &mut Engine, done: impl Fn(&App) -> bool) {
    tokio::time::timeout(std::time::Duration::from_secs(120), engine.until(done))
        .await
        .expect("the app never reached the state waited for");
}

#[test]
fn escape_sequences_in_a_body_never_reach_the_screen_through_hits_or_the_preview() {
    let mut s = setup_with(
        "08MOSCOW1052.txt",
        "UNCLAS MOSCOW 001052\nSUBJECT: A HOSTILE CABLE\n\n1. The embassy \u{1b}]0;PWNED\u{7} said\n\
         \u{1b}[31mthe embassy\u{1b}[0m would \u{202e}reply to the embassy.\n",
    );
    s.index_now();
    s.send(Msg::Action(Action::Filter));
    s.typed("text:embassy");
    assert_eq!(s.app.table.shown.len(), 1);
    s.keys("enter p");
    let hostile = |screen: &str| {
        screen
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
    };
    let table = support::render(&s.app, &THEME);
    assert!(table.contains("embassy"), "{table}");
    assert!(!hostile(&table), "{table:?}");
    s.keys("enter");
    let reading = support::render(&s.app, &THEME);
    assert!(reading.contains("text hit"), "{reading}");
    assert!(!hostile(&reading), "{reading:?}");
}

#[test]
fn every_shipped_keymap_has_keys_for_the_preview_and_more_like_this() {
    use cabletriage::keymap::{Choice, KeySeq, Resolution};
    let seq = |s: &str| match s.parse::<KeySeq>() {
        Ok(seq) => seq.0,
        Err(e) => panic!("{s:?}: {e}"),
    };
    for (name, preview, like) in [
        ("default", "p", "L"),
        ("vim", "P", "g l"),
        ("emacs", "ctrl-x p", "ctrl-x l"),
    ] {
        let (km, warnings) =
            Keymap::load_choice(&Choice::Shipped(name)).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(warnings, [], "{name}");
        assert_eq!(
            km.resolve(Mode::Table, &seq(preview)),
            Resolution::Actions(&[Action::TogglePreview]),
            "{name} {preview}"
        );
        assert_eq!(
            km.resolve(Mode::Reading, &seq(like)),
            Resolution::Actions(&[Action::MoreLikeThis]),
            "{name} {like}"
        );
    }
}
