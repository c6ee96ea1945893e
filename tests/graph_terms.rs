//! The graph's filter terms in the app (issue 12): `cites:`, `citedby:`, `thread:`, `citers:`
//! and `refs:` typed through the real keymap, answered from the reference graph built in the
//! background, waiting for it (and applying themselves when it comes) rather than showing
//! "no matches" early, and saying why an unknown id matches nothing.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use cabletriage::app::{App, Effect, Mode, Msg};
use cabletriage::corpus::Entries;
use cabletriage::corpus::load;
use cabletriage::keymap::{Key, Keymap};
use cabletriage::tui::runtime::KeyReader;
use cabletriage::tui::theme::Theme;

/// An app at 120x30 with a generated corpus read, its index building held back.
struct Setup {
    app: App,
    /// The sort, search and graph indexes asked for, not built yet.
    held: Option<Entries>,
    reader: KeyReader,
    _dir: tempfile::TempDir,
}

impl Setup {
    fn new(count: usize) -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        let csv = dir.path().join("demo.csv");
        std::fs::write(&csv, cabletriage::synth::demo_csv(count, 2026)).expect("write");
        let mut app = App::new(Keymap::shipped_default().help_bindings());
        app.update(Msg::Resize {
            width: 120,
            height: 30,
        });
        app.inputs = vec![csv.clone()];
        let mut events = Vec::new();
        load::load(
            std::slice::from_ref(&csv),
            &AtomicBool::new(false),
            &mut |e| events.push(e),
        );
        let mut s = Setup {
            app,
            held: None,
            reader: KeyReader::new(Arc::new(Keymap::shipped_default())),
            _dir: dir,
        };
        for e in events {
            s.send(Msg::Loaded(e));
        }
        // Snapshots must not depend on the clock.
        s.app.load.finished = Some(std::time::Duration::from_millis(420));
        s.app.message = None;
        assert!(s.app.graph().is_none(), "the graph is held back");
        s
    }

    /// One message through `update`, its effects carried out at once, but the indexes'
    /// build, which is held, and the text index's, which these tests do not need.
    fn send(&mut self, msg: Msg) {
        let mut queue = std::collections::VecDeque::from(self.app.update(msg));
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::BuildIndexes(entries) => self.held = Some(entries),
                Effect::OpenTextIndex(_) => {}
                effect => {
                    if let Some(next) = effect.perform(&|| false, None) {
                        queue.extend(self.app.update(next));
                    }
                }
            }
        }
    }

    /// Builds the held indexes and hands them to the app.
    fn build_graph(&mut self) {
        let entries = self.held.take().expect("indexes were asked for");
        self.send(
            Effect::BuildIndexes(entries)
                .perform(&|| false, None)
                .expect("indexed"),
        );
        assert!(self.app.graph().is_some());
    }

    /// Keys in keymap notation, through the real keymap; text typed into the filter bar
    /// goes key by key too.
    fn keys(&mut self, script: &str) {
        for token in script.split(' ').filter(|t| !t.is_empty()) {
            let key: Key = token.parse().expect("key");
            for msg in self.reader.key(self.app.mode, key) {
                self.send(msg);
            }
        }
    }

    fn filter(&mut self, text: &str) {
        self.keys("/");
        let keys: Vec<String> = text
            .chars()
            .map(|c| match c {
                ' ' => "space".to_string(),
                c => c.to_string(),
            })
            .collect();
        self.keys(&keys.join(" "));
        assert_eq!(self.app.filter.input.text(), text);
    }

    fn shown(&self) -> BTreeSet<String> {
        self.app
            .table
            .shown
            .iter()
            .map(|&i| self.app.corpus.get(i).expect("row").id.to_string())
            .collect()
    }

    fn screen(&self) -> String {
        support::render(&self.app, &Theme::dark())
    }

    /// The filter bar and the status line with their styles: what these tests change,
    /// without the generated rows above.
    fn bottom_lines(&self) -> String {
        let screen = self.screen();
        let (text, styles) = screen.split_once("--- styles\n").unwrap_or((&screen, ""));
        let rows = self.app.size.1 as usize;
        let lines: Vec<&str> = text.lines().collect();
        let mut out = lines[lines.len().saturating_sub(2)..].join("\n");
        out.push_str("\n--- styles\n");
        for line in styles.lines() {
            let row: usize = line
                .split(':')
                .next()
                .and_then(|r| r.parse().ok())
                .unwrap_or(0);
            if row + 2 >= rows {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// Every citer of every id, the slow way: each reference of each cable, itself excluded.
fn naive_citers(app: &App, id: &str) -> BTreeSet<String> {
    app.corpus
        .entries
        .iter()
        .filter(|e| e.references.iter().any(|r| &**r == id && &*e.id != id))
        .map(|e| e.id.to_string())
        .collect()
}

/// The cable of the corpus with the most citers (the first such in corpus order).
fn most_cited(app: &App) -> String {
    let graph = app.graph().expect("graph");
    (0..app.corpus.len() as u32)
        .max_by_key(|&e| (graph.cited_by(e).len(), std::cmp::Reverse(e)))
        .and_then(|e| app.corpus.get(e))
        .expect("a cable")
        .id
        .to_string()
}

#[test]
fn cites_typed_through_the_keymap_shows_the_citers() {
    let mut s = Setup::new(400);
    s.build_graph();
    let id = most_cited(&s.app);
    let citers = naive_citers(&s.app, &id);
    assert!(citers.len() >= 2, "{id} has {} citers", citers.len());
    s.filter(&format!("cites:{}", id.to_ascii_lowercase()));
    assert!(s.app.filter.errors.is_empty(), "{:?}", s.app.filter.errors);
    assert_eq!(s.shown(), citers);
    s.keys("enter");
    assert_eq!(s.app.mode, Mode::Table);
    assert_eq!(s.shown(), citers);

    // With other terms: the citers the id term keeps, and the others.
    s.keys("esc");
    let first = citers.iter().next().cloned().unwrap_or_default();
    s.filter(&format!("cites:{id} id:{first}"));
    assert_eq!(s.shown(), BTreeSet::from([first.clone()]));
    s.keys("esc");
    s.filter(&format!("!cites:{id}"));
    assert_eq!(s.shown().len(), s.app.corpus.len() - citers.len());
}

#[test]
fn graph_terms_wait_for_the_graph_then_apply_themselves() {
    let mut s = Setup::new(400);
    let entries = s.held.clone().expect("indexes asked for");
    let graph = cabletriage::corpus::graph::RefGraph::build(&entries);
    let id = (0..entries.len() as u32)
        .max_by_key(|&e| (graph.cited_by(e).len(), std::cmp::Reverse(e)))
        .and_then(|e| entries.get(e as usize))
        .expect("a cable")
        .id
        .to_string();
    // Not "no matches": the term waits, the status line says so.
    s.filter("cites:99NOWHERE1");
    assert_eq!(s.shown().len(), s.app.corpus.len());
    insta::assert_snapshot!("graph_term_waiting", s.bottom_lines());
    s.keys("esc");
    s.filter(&format!("cites:{id}"));
    assert_eq!(s.shown().len(), s.app.corpus.len());
    let screen = s.screen();
    assert!(screen.contains("building the reference graph"), "{screen}");
    // The rows shown meanwhile are not the filter's: select-all refuses to take them.
    s.keys("enter ctrl-a");
    assert!(s.app.triage.selection.is_empty());
    let said = s
        .app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("the filter is not complete yet"), "{said}");
    s.build_graph();
    assert_eq!(s.shown(), naive_citers(&s.app, &id));
    assert!(!s.screen().contains("building the reference graph"));
    s.keys("ctrl-a");
    assert_eq!(s.app.triage.selection.len(), s.shown().len());
}

#[test]
fn an_unknown_id_matches_nothing_and_says_why() {
    let mut s = Setup::new(200);
    s.build_graph();
    s.filter("citedby:99NOWHERE1");
    assert!(s.shown().is_empty());
    let screen = s.screen();
    assert!(
        screen.contains("citedby:99NOWHERE1: no cable with this id in the corpus"),
        "{screen}"
    );
    insta::assert_snapshot!("graph_term_unknown_id", s.bottom_lines());
    // `cites:` of a cable nobody cites is no error: it has no citers.
    s.keys("esc");
    s.filter("cites:99NOWHERE1");
    assert!(s.shown().is_empty());
    assert!(!s.screen().contains("no cable with this id"));
}

#[test]
fn counts_and_threads_through_the_app() {
    let mut s = Setup::new(400);
    s.build_graph();
    let graph = s.app.graph().expect("graph");
    let expected: BTreeSet<String> = (0..s.app.corpus.len() as u32)
        .filter(|&e| graph.cited_by(e).len() > 2)
        .map(|e| s.app.corpus.get(e).expect("entry").id.to_string())
        .collect();
    let entry = (0..s.app.corpus.len() as u32)
        .max_by_key(|&e| graph.cited_by(e).len())
        .expect("entry");
    let thread: BTreeSet<String> = graph
        .thread_tree(entry, &s.app.corpus.entries)
        .cables()
        .map(|e| s.app.corpus.get(e).expect("entry").id.to_string())
        .collect();
    let id = s.app.corpus.get(entry).expect("entry").id.to_string();
    s.filter("citers:>2");
    assert_eq!(s.shown(), expected);
    s.keys("esc");
    s.filter(&format!("thread:{id}"));
    assert!(thread.len() > 1);
    assert_eq!(s.shown(), thread);
}
