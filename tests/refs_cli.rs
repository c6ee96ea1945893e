//! `cabletriage refs`, the real binary on generated corpora and, when ../shared is there, on
//! the 589 real Cablegate pages: its JSON agrees with a naive scan of every cable's
//! references, `--id`/`--depth` pick the cables asked, unknown ids are refused, and the dot
//! picture is one Graphviz accepts (when `dot` is installed), with no control character of
//! a cable in it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::AtomicBool;

use cabletriage::corpus::Entry;
use cabletriage::corpus::load::{LoadEvent, load};

struct Run {
    _home: tempfile::TempDir,
    home: PathBuf,
}

impl Run {
    fn new() -> Run {
        let home = tempfile::tempdir().expect("temp dir");
        let path = home.path().to_path_buf();
        Run {
            _home: home,
            home: path,
        }
    }

    fn refs(&self, args: &[&str]) -> Output {
        self.command("refs", args)
    }

    /// `cabletriage COMMAND ARGS` in this run's own home, config, cache and data folders.
    fn command(&self, command: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cabletriage"))
            .arg(command)
            .args(args)
            .current_dir(&self.home)
            .env("HOME", &self.home)
            .env("CABLETRIAGE_CONFIG_DIR", self.home.join("config"))
            .env("CABLETRIAGE_CACHE_DIR", self.home.join("cache"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .output()
            .unwrap_or_else(|e| panic!("run cabletriage {command}: {e}"))
    }

    fn demo(&self, count: usize, seed: u64) -> PathBuf {
        let path = self.home.join(format!("demo-{count}-{seed}.csv"));
        std::fs::write(&path, cabletriage::synth::demo_csv(count, seed)).expect("write demo");
        path
    }
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Line {
    id: String,
    cites: Vec<String>,
    cited_by: Vec<String>,
    missing: Vec<String>,
}

fn lines(out: &Output) -> Vec<Line> {
    assert!(
        out.status.success(),
        "status {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The corpus's entries, read by the library as the binary reads them.
fn entries(path: &Path) -> Vec<Entry> {
    let mut all = Vec::new();
    load(&[path.to_path_buf()], &AtomicBool::new(false), &mut |e| {
        if let LoadEvent::Batch { entries, .. } = e {
            all.extend(entries);
        }
    });
    all
}

/// What the agreement check counted.
#[derive(Debug, Default)]
struct Agreement {
    cables: usize,
    links: usize,
    links_to_missing: usize,
    cited_cables: usize,
    missing_cited: usize,
    citers_agreeing: usize,
}

/// Checks every line against a naive scan of the entries' references: each cable once in
/// corpus order, `cites` its distinct references but itself, `missing` those not in the
/// corpus, `cited_by` every other cable naming it.
fn check_against_naive_scan(entries: &[Entry], lines: &[Line]) -> Agreement {
    let ids: HashSet<&str> = entries.iter().map(|e| &*e.id).collect();
    let mut first_copies = Vec::new();
    let mut seen = HashSet::new();
    for e in entries {
        if seen.insert(&*e.id) {
            first_copies.push(e);
        }
    }
    let mut naive_citers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in entries {
        for r in e.references.iter() {
            if **r != *e.id {
                naive_citers.entry(r).or_default().insert(&e.id);
            }
        }
    }
    assert_eq!(lines.len(), first_copies.len(), "one line per cable");
    let mut agreement = Agreement {
        cables: lines.len(),
        ..Agreement::default()
    };
    for (line, e) in lines.iter().zip(&first_copies) {
        assert_eq!(line.id, &*e.id, "corpus order");
        let mut cites: Vec<&str> = Vec::new();
        for r in e.references.iter() {
            if **r != *e.id && !cites.contains(&&**r) {
                cites.push(r);
            }
        }
        assert_eq!(line.cites, cites, "{}", e.id);
        let missing: Vec<&str> = cites.iter().copied().filter(|r| !ids.contains(r)).collect();
        assert_eq!(line.missing, missing, "{}", e.id);
        let cited_by: BTreeSet<&str> = line.cited_by.iter().map(String::as_str).collect();
        assert_eq!(cited_by.len(), line.cited_by.len(), "{}: no repeats", e.id);
        let naive = naive_citers.get(&*e.id).cloned().unwrap_or_default();
        assert_eq!(cited_by, naive, "{}: cited_by", e.id);
        agreement.citers_agreeing += 1;
        agreement.links += line.cites.len();
        agreement.links_to_missing += line.missing.len();
        agreement.cited_cables += usize::from(!naive.is_empty());
    }
    agreement.missing_cited = naive_citers.keys().filter(|id| !ids.contains(*id)).count();
    agreement
}

fn dot_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Renders a dot graph with Graphviz, when it is installed; fails the test if it refuses.
fn graphviz_accepts(dot: &[u8]) {
    if !dot_installed() {
        eprintln!("skipped: rendering with Graphviz needs `dot` (apt package graphviz)");
        return;
    }
    use std::io::Write;
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dot");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot)
        .expect("write to dot");
    let out = child.wait_with_output().expect("dot");
    assert!(
        out.status.success() && out.stdout.starts_with(b"<?xml"),
        "dot refused it: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(dot)
    );
}

/// The id of the cable with the most citers (the first such in corpus order).
fn most_cited(lines: &[Line]) -> &Line {
    lines
        .iter()
        .rev()
        .max_by_key(|l| l.cited_by.len())
        .expect("a cable")
}

#[test]
fn json_agrees_with_a_naive_scan_on_a_generated_corpus() {
    let run = Run::new();
    let path = run.demo(600, 12);
    let out = lines(&run.refs(&[path.to_str().expect("utf-8")]));
    let agreement = check_against_naive_scan(&entries(&path), &out);
    assert!(
        agreement.links > 0 && agreement.cited_cables > 0,
        "{agreement:?}"
    );
}

#[test]
fn ids_and_depth_pick_the_cables_around() {
    let run = Run::new();
    let path = run.demo(600, 12);
    let p = path.to_str().expect("utf-8");
    let all = lines(&run.refs(&[p]));
    let hub = most_cited(&all);
    let by_id: BTreeMap<&str, &Line> = all.iter().map(|l| (l.id.as_str(), l)).collect();

    // Depth 1 by default: the cable, what it cites and who cites it.
    let near = lines(&run.refs(&["--id", &hub.id.to_ascii_lowercase(), p]));
    let got: BTreeSet<&str> = near.iter().map(|l| l.id.as_str()).collect();
    let mut want: BTreeSet<&str> = BTreeSet::from([hub.id.as_str()]);
    want.extend(hub.cites.iter().map(String::as_str));
    want.extend(hub.cited_by.iter().map(String::as_str));
    assert_eq!(got, want);
    // Each line as in the full listing (missing cables print with empty cites).
    for l in &near {
        match by_id.get(l.id.as_str()) {
            Some(full) => assert_eq!(l, *full),
            None => {
                assert!(l.cites.is_empty() && l.missing.is_empty(), "{l:?}");
                assert!(!l.cited_by.is_empty(), "{l:?}");
            }
        }
    }
    let only = lines(&run.refs(&["--id", &hub.id, "--depth", "0", p]));
    assert_eq!(only.len(), 1);
    let wider = lines(&run.refs(&["--id", &hub.id, "--depth", "2", p]));
    assert!(wider.len() >= near.len());
    // A depth is around ids: alone it is refused, not ignored.
    assert_eq!(run.refs(&["--depth", "2", p]).status.code(), Some(2));

    // An unknown id is named, exit 2; a cited cable missing from the corpus is known.
    let out = run.refs(&["--id", "99NOWHERE1", p]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("99NOWHERE1"), "{err}");
    if let Some(gone) = all.iter().flat_map(|l| &l.missing).next() {
        let out = lines(&run.refs(&["--id", gone, "--depth", "0", p]));
        assert_eq!(out.len(), 1);
        assert!(out[0].cites.is_empty() && !out[0].cited_by.is_empty());
    }
}

#[test]
fn dot_pictures_a_thread_with_untrusted_subjects_made_safe() {
    let run = Run::new();
    let clean = String::from_utf8(cabletriage::synth::demo_csv(400, 5)).expect("utf-8");
    // Every subject opens with a quote, an escape sequence and a bidirectional override.
    let hostile = clean.replace("SUBJECT: ", "SUBJECT: \\\"Q\u{1b}[2J\u{202e} ");
    let path = run.home.join("hostile.csv");
    std::fs::write(&path, hostile).expect("write");
    let p = path.to_str().expect("utf-8");
    let all = lines(&run.refs(&[p]));
    let hub = most_cited(&all);
    let out = run.refs(&["--format", "dot", "--id", &hub.id, p]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dot = String::from_utf8(out.stdout.clone()).expect("utf-8");
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(
        !dot.contains('\u{1b}') && !dot.contains('\u{202e}'),
        "{dot}"
    );
    assert!(dot.contains("\\\"Q[2J"), "quotes escaped: {dot}");
    let focus = format!("\"{}\" [label=", hub.id);
    let focus_line = dot
        .lines()
        .find(|l| l.contains(&focus))
        .expect("focus node");
    assert!(focus_line.contains("penwidth=3"), "{focus_line}");
    // Edges from citer to cited.
    for citer in hub.cited_by.iter().take(3) {
        let edge = format!("\"{citer}\" -> \"{}\";", hub.id);
        assert!(
            dot.contains(&edge) || !dot.contains(&format!("\"{citer}\" [")),
            "{edge}"
        );
    }
    graphviz_accepts(&out.stdout);

    // With --depth, the neighbourhood; missing cables dashed.
    let out = run.refs(&["--format", "dot", "--id", &hub.id, "--depth", "2", p]);
    assert!(out.status.success());
    graphviz_accepts(&out.stdout);

    // The whole graph of a small corpus; a large one is refused politely.
    let out = run.refs(&["--format", "dot", p]);
    assert!(out.status.success());
    graphviz_accepts(&out.stdout);
    let big = run.demo(2_100, 1);
    let out = run.refs(&["--format", "dot", big.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--id"));
}

#[test]
fn json_agrees_with_a_naive_scan_on_the_real_pages() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cablegate");
    if !pages.is_dir() {
        eprintln!("skipped: the real pages need ../shared (corpus/cablegate)");
        return;
    }
    let run = Run::new();
    let out = lines(&run.refs(&[pages.to_str().expect("utf-8")]));
    let entries = entries(&pages);
    let a = check_against_naive_scan(&entries, &out);
    eprintln!(
        "real pages: {} cables, {} links ({} to cables not in the corpus), {} cited cables, {} \
         missing cited ids, {} citers agreeing with the naive scan",
        a.cables, a.links, a.links_to_missing, a.cited_cables, a.missing_cited, a.citers_agreeing
    );
    assert_eq!(a.cables, 589);
    assert_eq!(a.citers_agreeing, a.cables);
    // A dot picture of the most cited cable renders.
    let hub = most_cited(&out);
    let dot = run.refs(&[
        "--format",
        "dot",
        "--id",
        &hub.id,
        pages.to_str().expect("utf-8"),
    ]);
    assert!(dot.status.success());
    graphviz_accepts(&dot.stdout);
}

#[test]
fn search_answers_graph_terms_as_refs_lists_them() {
    let run = Run::new();
    let path = run.demo(600, 12);
    let p = path.to_str().expect("utf-8");
    let all = lines(&run.refs(&[p]));
    let hub = most_cited(&all);
    let search = |query: &str| run.command("search", &["--format", "ids", query, p]);
    let out = search(&format!("cites:{}", hub.id.to_ascii_lowercase()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let citers: BTreeSet<String> = hub.cited_by.iter().cloned().collect();
    assert_eq!(found, citers);

    let out = search("citedby:99NOWHERE1");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("citedby:99NOWHERE1: no cable"), "{err}");
}
