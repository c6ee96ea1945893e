//! Keymaps end to end: the shipped ones are clean and complete, every kind of problem is
//! reported with its exact `path:line:col: message`, sequences resolve key by key, and the
//! user's file (found through `CABLETRIAGE_CONFIG_DIR`) overrides single keys.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cabletriage::app::{Action, Mode};
use cabletriage::cli::keymap_check;
use cabletriage::keymap::check::check;
use cabletriage::keymap::{
    Choice, Key, KeySeq, Keymap, Problem, Resolution, SHIPPED, markdown_table,
};

/// Tests that read or set `CABLETRIAGE_CONFIG_DIR` take this lock: the environment is shared
/// by the test threads.
static ENV: Mutex<()> = Mutex::new(());

fn with_config_dir<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: every test that touches the environment holds `ENV`, and nothing else in this
    // test binary reads it concurrently.
    unsafe { std::env::set_var("CABLETRIAGE_CONFIG_DIR", dir) };
    let out = f();
    unsafe { std::env::remove_var("CABLETRIAGE_CONFIG_DIR") };
    out
}

fn seq(s: &str) -> Vec<Key> {
    match s.parse::<KeySeq>() {
        Ok(seq) => seq.0,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

fn shipped(name: &str) -> Keymap {
    match Keymap::load(Some(name)) {
        Ok((keymap, warnings)) => {
            assert_eq!(warnings, [], "{name}");
            keymap
        }
        Err(problems) => panic!("{name}: {problems:?}"),
    }
}

/// Writes files into a fresh folder; returns the folder (kept alive) and the first file.
fn files(named: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in named {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    let first = dir.path().join(named[0].0);
    (dir, first)
}

/// Every problem of a keymap file, displayed, with the folder replaced by `DIR`.
fn problems_of(named: &[(&str, &str)]) -> Vec<String> {
    let (dir, path) = files(named);
    let problems: Vec<Problem> = match check(&Choice::Path(path)) {
        Ok(problems) => problems,
        Err(p) => vec![p],
    };
    let dir = dir.path().display().to_string();
    problems
        .iter()
        .map(|p| p.to_string().replace(&dir, "DIR"))
        .collect()
}

const BASE: &str = "[table]\nq = \"quit\"\n\"?\" = \"help\"\n";

/// A way out of every other mode, for files that do not extend a complete keymap: put after
/// the lines a test is about, so that their line numbers stay.
const WAYS_OUT: &str = "[filter]\nesc = \"cancel\"\n[reading]\nesc = \"back\"\n[help]\nesc = \"back\"\n[prompt]\nesc = \"cancel\"\n";

#[test]
fn shipped_keymaps_are_clean() {
    for (name, _) in SHIPPED {
        assert_eq!(check(&Choice::Shipped(name)), Ok(vec![]), "{name}");
    }
}

#[test]
fn shipped_keymaps_can_always_get_back_and_quit() {
    for (name, _) in SHIPPED {
        let km = shipped(name);
        for mode in Mode::ALL {
            assert_eq!(
                km.resolve(mode, &seq("ctrl-c")),
                Resolution::Actions(&[Action::Quit]),
                "{name} {mode}"
            );
            let way_back = match mode {
                Mode::Table => Action::ClearFilter,
                Mode::Reading | Mode::Thread | Mode::Help => Action::Back,
                Mode::Filter | Mode::Prompt => Action::Cancel,
            };
            assert_eq!(
                km.resolve(mode, &seq("esc")),
                Resolution::Actions(&[way_back]),
                "{name} {mode}"
            );
        }
        assert!(km.has_key_for(Mode::Table, Action::Help), "{name}");
    }
}

#[test]
fn the_default_keymap_binds_every_action() {
    let km = shipped("default");
    for action in Action::ALL.iter().filter(|a| **a != Action::NoOp) {
        assert!(
            Mode::ALL.iter().any(|m| km.has_key_for(*m, *action)),
            "nothing runs {action}"
        );
    }
}

#[test]
fn vim_sequences_resolve_key_by_key() {
    let km = shipped("vim");
    assert_eq!(km.resolve(Mode::Table, &seq("g")), Resolution::Pending);
    assert_eq!(
        km.resolve(Mode::Table, &seq("g g")),
        Resolution::Actions(&[Action::Top])
    );
    assert_eq!(km.resolve(Mode::Table, &seq("g x")), Resolution::Unbound);
    assert_eq!(
        km.resolve(Mode::Table, &seq("shift-g")),
        Resolution::Actions(&[Action::Bottom])
    );
    assert_eq!(
        km.resolve(Mode::Reading, &seq("J")),
        Resolution::Actions(&[Action::NextCable])
    );
    // Inherited from the default.
    assert_eq!(
        km.resolve(Mode::Table, &seq("down")),
        Resolution::Actions(&[Action::Down])
    );
    // The vim key is listed first: the file asked for before what it extends.
    let down: Vec<String> = km
        .keys_for(Mode::Table, Action::Down)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(down, ["j", "down"]);
}

#[test]
fn emacs_quits_with_a_two_key_sequence_too() {
    let km = shipped("emacs");
    assert_eq!(km.resolve(Mode::Table, &seq("ctrl-x")), Resolution::Pending);
    assert_eq!(
        km.resolve(Mode::Table, &seq("ctrl-x ctrl-c")),
        Resolution::Actions(&[Action::Quit])
    );
    assert_eq!(
        km.resolve(Mode::Table, &seq("alt->")),
        Resolution::Actions(&[Action::Bottom])
    );
}

#[test]
fn user_file_extends_vim_and_overrides_single_keys() {
    let (dir, _) = files(&[(
        "keymap.toml",
        "extends = \"vim\"\n[table]\nj = \"page-down\"\n\"g g\" = \"no-op\"\nx = [\"sort-next\", \"sort-reverse\"]\n",
    )]);
    let loaded = with_config_dir(dir.path(), || Keymap::load(None));
    let (km, warnings) = loaded.unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(warnings, []);
    assert!(km.label().ends_with("keymap.toml"), "{}", km.label());
    assert_eq!(
        km.resolve(Mode::Table, &seq("j")),
        Resolution::Actions(&[Action::PageDown])
    );
    // Untouched vim and default keys stay.
    assert_eq!(
        km.resolve(Mode::Table, &seq("k")),
        Resolution::Actions(&[Action::Up])
    );
    assert_eq!(
        km.resolve(Mode::Table, &seq("q")),
        Resolution::Actions(&[Action::Quit])
    );
    // `no-op` removed the sequence, and with it the pending prefix.
    assert_eq!(km.resolve(Mode::Table, &seq("g")), Resolution::Unbound);
    assert_eq!(
        km.resolve(Mode::Table, &seq("x")),
        Resolution::Actions(&[Action::SortNext, Action::SortReverse])
    );
}

#[test]
fn without_a_user_file_the_default_is_used() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let loaded = with_config_dir(dir.path(), || Keymap::load(None));
    let (km, _) = loaded.unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(km.label(), "default");
    assert_eq!(km.resolve(Mode::Table, &seq("j")), Resolution::Unbound);
}

#[test]
fn a_broken_user_file_is_reported_not_used() {
    let (dir, _) = files(&[(
        "keymap.toml",
        "extends = \"default\"\n[table]\nq = \"qiut\"\n",
    )]);
    let loaded = with_config_dir(dir.path(), || Keymap::load(None));
    let problems = loaded.err().unwrap_or_default();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let path = dir.path().join("keymap.toml");
    assert_eq!(
        shown,
        [format!(
            "{}:3:5: unknown action \"qiut\" (did you mean \"quit\"?)",
            path.display()
        )]
    );
}

/// `Keymap::load` failing stops the app before the screen is taken: it does not fall back
/// to another keymap.
#[test]
fn the_app_exits_on_a_broken_keymap() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let keymap = dir.path().join("broken.toml");
    std::fs::write(&keymap, "extends = \"default\"\n[table]\nq = \"qiut\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .arg("--keymap")
        .arg(&keymap)
        .arg(dir.path().join("no-such-corpus"))
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("CABLETRIAGE_CONFIG_DIR", dir.path().join("config"))
        .env("CABLETRIAGE_CACHE_DIR", dir.path().join("cache"))
        .env_remove("CABLETRIAGE_STORE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("broken.toml:3:5: unknown action \"qiut\""),
        "{err}"
    );
    assert!(err.contains("cabletriage: fix the keymap"), "{err}");
}

#[test]
fn an_unknown_keymap_name_says_what_exists() {
    let problems = Keymap::load(Some("vimm")).err().unwrap_or_default();
    assert_eq!(problems.len(), 1);
    let shown = problems[0].to_string();
    assert!(shown.starts_with("vimm: cannot read: "), "{shown}");
    assert!(
        shown.ends_with("(the shipped keymaps are default, vim, emacs)"),
        "{shown}"
    );
}

#[test]
fn syntax_errors_have_their_place() {
    assert_eq!(
        problems_of(&[("k.toml", "[table]\nq = \"quit\n")]),
        ["DIR/k.toml:2:10: TOML syntax: invalid basic string, expected `\"`"]
    );
    assert_eq!(
        problems_of(&[(
            "k.toml",
            &format!("[table]\nq = \"quit\"\nq = \"help\"\n\"?\" = \"help\"\n{WAYS_OUT}")
        )]),
        ["DIR/k.toml:3:1: duplicate key \"q\": TOML allows a key only once per table"]
    );
}

#[test]
fn a_duplicate_key_does_not_stop_the_other_checks() {
    let text = "extends = \"default\"\n[table]\nq = \"quit\"\nj = \"dwn\"\n\"q\" = [\n  \"help\",\n]\nk = \"up\"\n[help]\nesc = \"no-op\"\nf1 = \"no-op\"\n[table]\nx = \"quti\"\n[reading]\nq = \"bcak\"\nq = \"back\"\n";
    assert_eq!(
        problems_of(&[("k.toml", text)]),
        [
            "DIR/k.toml:4:5: unknown action \"dwn\" (did you mean \"down\"?)",
            "DIR/k.toml:5:1: duplicate key \"q\": TOML allows a key only once per table",
            "DIR/k.toml:9:2: no key in [help] leaves it: once in [help], the app could never get out; bind one of \"back\", \"cancel\", \"help\", \"accept\"",
            "DIR/k.toml:12:2: [table] is written twice: TOML allows a table only once (the keys under this one are not read)",
            "DIR/k.toml:15:5: unknown action \"bcak\" (did you mean \"back\"?)",
            "DIR/k.toml:16:1: duplicate key \"q\": TOML allows a key only once per table",
        ]
    );
    // The line after the duplicate list was read: `k` is bound.
    let (_dir, path) = files(&[(
        "k.toml",
        "extends = \"default\"\n[table]\nq = \"quit\"\n\"q\" = [\n  \"help\",\n]\nk = \"sort-next\"\n",
    )]);
    let choice = Choice::Path(path);
    let problems = check(&choice).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn every_mode_keeps_a_way_out() {
    // The keymap: help could be opened but never closed (ctrl-c quits the app, it
    // does not close the help).
    assert_eq!(
        problems_of(&[(
            "k.toml",
            "extends = \"default\"\n\n[help]\nesc = \"no-op\"\nf1 = \"no-op\"\n"
        )]),
        [
            "DIR/k.toml:3:2: no key in [help] leaves it: once in [help], the app could never get out; bind one of \"back\", \"cancel\", \"help\", \"accept\"",
        ]
    );
    // Any one way out is enough: help closes with `help` too.
    assert_eq!(
        problems_of(&[(
            "k.toml",
            "extends = \"default\"\n[help]\nesc = \"no-op\"\nf1 = \"help\"\n"
        )]),
        Vec::<String>::new()
    );
    assert_eq!(
        problems_of(&[(
            "k.toml",
            "extends = \"default\"\n[filter]\nesc = \"no-op\"\nenter = \"no-op\"\n[prompt]\nesc = \"no-op\"\nenter = \"no-op\"\n[reading]\nesc = \"no-op\"\nq = \"no-op\"\n"
        )]),
        [
            "DIR/k.toml:2:2: no key in [filter] leaves it: once in [filter], the app could never get out; bind one of \"cancel\", \"accept\", \"back\"",
            "DIR/k.toml:5:2: no key in [prompt] leaves it: once in [prompt], the app could never get out; bind one of \"cancel\", \"accept\", \"back\"",
            "DIR/k.toml:8:2: no key in [reading] leaves it: once in [reading], the app could never get out; bind one of \"back\", \"cancel\"",
        ]
    );
}

#[test]
fn a_missing_quit_is_reported_beside_other_errors() {
    assert_eq!(
        problems_of(&[(
            "k.toml",
            "extends = \"default\"\n[table]\nq = \"no-op\"\n\"ctrl-c\" = \"no-op\"\nj = \"dwn\"\n"
        )]),
        [
            "DIR/k.toml:2:2: no key in [table] runs \"quit\": the keymap must keep one",
            "DIR/k.toml:5:5: unknown action \"dwn\" (did you mean \"down\"?)",
        ]
    );
}

#[test]
fn unknown_modes_actions_and_keys() {
    let text = format!("{BASE}\"x\" = \"pgae-down\"\n\"pgdown\" = \"down\"\n[tabel]\n{WAYS_OUT}");
    assert_eq!(
        problems_of(&[("k.toml", &text)]),
        [
            "DIR/k.toml:4:7: unknown action \"pgae-down\" (did you mean \"page-down\"?)",
            "DIR/k.toml:5:1: cannot read key \"pgdown\": unknown key \"pgdown\" (did you mean \"pagedown\"?)",
            "DIR/k.toml:6:2: unknown mode \"tabel\" (did you mean \"table\"?)",
        ]
    );
}

#[test]
fn two_spellings_of_one_key() {
    let text = format!("{BASE}G = \"bottom\"\n\"shift-g\" = \"top\"\n{WAYS_OUT}");
    assert_eq!(
        problems_of(&[("k.toml", &text)]),
        ["DIR/k.toml:5:1: \"shift-g\" is bound twice in [table]: \"G\" at line 4 is the same key"]
    );
}

#[test]
fn a_key_that_starts_a_sequence() {
    let text = format!("{BASE}g = \"top\"\n\"g g\" = \"top\"\n{WAYS_OUT}");
    assert_eq!(
        problems_of(&[("k.toml", &text)]),
        [
            "DIR/k.toml:5:1: \"g g\" in [table] starts with \"g\", which is bound on its own (line 4): \"g g\" could never be typed"
        ]
    );
    // Across files: the child's key is the one reported.
    assert_eq!(
        problems_of(&[
            (
                "child.toml",
                "extends = \"vim.toml\"\n[table]\ng = \"top\"\n"
            ),
            ("vim.toml", &format!("{BASE}\"g g\" = \"top\"\n{WAYS_OUT}")),
        ]),
        [
            "DIR/child.toml:3:1: \"g\" in [table] is also the start of \"g g\" (DIR/vim.toml:4:1): \"g g\" could never be typed"
        ]
    );
}

#[test]
fn quit_and_help_must_keep_a_key() {
    assert_eq!(
        problems_of(&[(
            "k.toml",
            "extends = \"default\"\n\n[table]\nq = \"no-op\"\n\"ctrl-c\" = \"no-op\"\n\"?\" = \"no-op\"\nf1 = \"no-op\"\n"
        )]),
        [
            "DIR/k.toml:3:2: no key in [table] runs \"quit\": the keymap must keep one",
            "DIR/k.toml:3:2: no key in [table] runs \"help\": the keymap must keep one",
        ]
    );
    assert_eq!(
        problems_of(&[(
            "k.toml",
            "[reading]\nq = \"back\"\n[filter]\nesc = \"cancel\"\n[help]\nesc = \"back\"\n[prompt]\nesc = \"cancel\"\n"
        )]),
        [
            "DIR/k.toml:1:1: no key in [table] runs \"quit\": the keymap must keep one",
            "DIR/k.toml:1:1: no key in [table] runs \"help\": the keymap must keep one",
        ]
    );
}

#[test]
fn extends_chains_cycles_and_missing_parents() {
    assert_eq!(
        problems_of(&[
            ("a.toml", &format!("extends = \"b.toml\"\n{BASE}{WAYS_OUT}")),
            ("b.toml", "extends = \"a.toml\"\n"),
        ]),
        ["DIR/b.toml:1:11: extends goes round in a cycle: DIR/a.toml -> DIR/b.toml -> DIR/a.toml"]
    );
    let missing = problems_of(&[(
        "a.toml",
        &format!("extends = \"nope.toml\"\n{BASE}{WAYS_OUT}"),
    )]);
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0].starts_with("DIR/a.toml:1:11: cannot extend \"nope.toml\": "),
        "{missing:?}"
    );
}

#[test]
fn characters_bound_in_text_modes_are_warnings() {
    let text = format!(
        "{BASE}[filter]\nq = \"cancel\"\n[reading]\nesc = \"back\"\n[help]\nesc = \"back\"\n[prompt]\nesc = \"cancel\"\n"
    );
    let (_dir, path) = files(&[("k.toml", &text)]);
    let (_, warnings) = Keymap::load(path.to_str()).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(warnings.len(), 1);
    assert!(!warnings[0].is_error());
    assert!(
        warnings[0]
            .to_string()
            .ends_with(":5:1: warning: \"q\" in [filter] can no longer be typed: [filter] takes text, so a plain character is better left unbound"),
        "{}",
        warnings[0]
    );
}

#[test]
fn keymap_check_exit_codes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let code = with_config_dir(dir.path(), || keymap_check::main(None));
    assert_eq!(code, 0);
    let (_ok_dir, ok) = files(&[("ok.toml", &format!("{BASE}{WAYS_OUT}"))]);
    assert_eq!(keymap_check::main(Some(&ok)), 0);
    let (_bad_dir, bad) = files(&[("bad.toml", "[table]\nq = \"qiut\"\n")]);
    assert_eq!(keymap_check::main(Some(&bad)), 1);
    assert_eq!(
        keymap_check::main(Some(&dir.path().join("missing.toml"))),
        2
    );
}

#[test]
fn readme_table_lists_keys_by_action() {
    let table = markdown_table(&shipped("default"));
    assert!(table.starts_with("### table\n\n| keys | action | what it does |\n|---|---|---|\n"));
    for row in [
        "| `q`, `ctrl-c` | `quit` | Quit cabletriage |",
        "| `?`, `f1` | `help` | Show the keys of this mode and what they do |",
        "| `S` | `sort-previous` | Sort by the previous column |",
        "| `tab` | `next-reference` | Select the next reference, then the next citing cable |",
        "| `shift-tab` | `previous-reference` | Select the previous reference or citing cable |",
        "| `T` | `thread` | Show the conversation of this cable: what it cites and what cites it |",
    ] {
        assert!(table.contains(row), "{row}\n{table}");
    }
    for mode in Mode::ALL {
        assert!(table.contains(&format!("### {mode}\n")), "{mode}");
    }
}
