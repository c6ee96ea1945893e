//! `cabletriage config check|path|show` through the real binary, and the app stopping with a
//! clear message, before the screen changes, on a bad config.toml or a bad keymap. Every run
//! gets its own HOME and folders, so the user's files are never read.

mod common;

use common::Run;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for sub in ["home", "config", "data", "cache", "work"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap_or_else(|e| panic!("{e}"));
        }
        Sandbox { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        path
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cabletriage"));
        c.args(args)
            .current_dir(self.path("work"))
            .stdin(Stdio::null())
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("home/.config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("CABLETRIAGE_CONFIG_DIR", self.path("config"))
            .env("CABLETRIAGE_CACHE_DIR", self.path("cache/ct"))
            .env("USER", "tester")
            .env_remove("LOGNAME")
            .env_remove("CABLETRIAGE_STORE")
            .env_remove("CABLETRIAGE_ANALYST");
        for (k, v) in env {
            c.env(k, v);
        }
        // No controlling terminal: an app that failed to stop could not take the terminal
        // `cargo test` may be running in (it fails to open one instead).
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: setsid is async-signal-safe, as pre_exec requires.
            unsafe {
                c.pre_exec(|| {
                    libc::setsid();
                    Ok(())
                });
            }
        }
        Run::from(
            c.output()
                .unwrap_or_else(|e| panic!("run cabletriage: {e}")),
        )
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }
}

fn s(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("{} is not UTF-8", p.display()))
}

/// Whether text holds a character that could act on a terminal (a line break aside).
fn holds_unsafe(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n') || matches!(c, '\u{200e}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn config_check_reports_every_problem_with_its_place() {
    let sb = Sandbox::new();
    let config = sb.write(
        "config/config.toml",
        "analist = \"Jane\"\nafter_disposition = \"later\"\nkeymap = 5\nstore = \"\"\n",
    );
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 1, "{r:?}");
    let c = s(&config);
    for expected in [
        format!("{c}:1:1: unknown setting `analist` (did you mean `analyst`?)"),
        format!("{c}:2:21: `after_disposition`: unknown cursor move \"later\""),
        format!("{c}:3:10: `keymap`: invalid type: integer `5`, expected a string"),
        format!("{c}:4:9: `store`: the store path is empty"),
    ] {
        assert!(r.err.contains(&expected), "{expected}\n{r:?}");
    }
    assert!(r.err.contains("4 problems found"), "{r:?}");
    assert!(r.out.is_empty(), "{r:?}");
}

#[test]
fn config_check_of_a_clean_or_absent_file_exits_0() {
    let sb = Sandbox::new();
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("the defaults are used"), "{r:?}");
    sb.write(
        "config/config.toml",
        "analyst = \"Jane\"\nkeymap = \"vim\"\n",
    );
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out.starts_with("ok: ") && r.out.contains("the keymap vim checked too"),
        "{r:?}"
    );
    // Another file, named: checked instead of the config folder's.
    let other = sb.write("work/team.toml", "after_disposition = \"stay\"\n");
    let r = sb.run(&["config", "check", s(&other)]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("team.toml checked"), "{r:?}");
}

#[test]
fn config_check_of_an_unreadable_file_exits_2() {
    let sb = Sandbox::new();
    let r = sb.run(&["config", "check", "no-such.toml"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.err.contains("no-such.toml: cannot read"), "{r:?}");
    let r = sb.run(&["config", "check", s(&sb.path("work"))]);
    assert_eq!(r.code, 2, "a folder: {r:?}");
}

#[test]
fn config_check_checks_the_user_keymap_and_says_so() {
    let sb = Sandbox::new();
    let keymap = sb.write(
        "config/keymap.toml",
        "extends = \"default\"\n[table]\nq = \"qiut\"\n",
    );
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.err.contains(&format!(
            "{}:3:5: unknown action \"qiut\" (did you mean \"quit\"?)",
            s(&keymap)
        )),
        "{r:?}"
    );
    assert!(
        r.err
            .contains(&format!("the keymap {} checked too", s(&keymap))),
        "{r:?}"
    );
    std::fs::write(&keymap, "extends = \"default\"\n[table]\nx = \"quit\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("keymap.toml checked too"), "{r:?}");
}

#[test]
fn config_output_is_sanitised() {
    let sb = Sandbox::new();
    let dir = sb.path("\u{1b}]0;x\u{7}conf\u{202e}ig");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("config.toml"),
        "\"\u{1b}[2J\" = 1\nanalyst = \"a\\u001b[31mb\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let env = [("CABLETRIAGE_CONFIG_DIR", s(&dir))];
    let r = sb.run_env(&["config", "check"], &env);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!holds_unsafe(&r.err) && !holds_unsafe(&r.out), "{r:?}");
    assert!(r.err.contains("\\u{1b}[2J"), "{r:?}");
    for command in ["path", "show"] {
        let r = sb.run_env(
            &["config", command],
            &[
                ("CABLETRIAGE_CONFIG_DIR", s(&dir)),
                ("CABLETRIAGE_STORE", "/tmp/\u{1b}[2Jstore.sqlite"),
            ],
        );
        assert!(
            !holds_unsafe(&r.err) && !holds_unsafe(&r.out),
            "{command}: {r:?}"
        );
    }
    std::fs::write(dir.join("config.toml"), "").unwrap_or_else(|e| panic!("{e}"));
    let r = sb.run_env(
        &["config", "show"],
        &[
            ("CABLETRIAGE_CONFIG_DIR", s(&dir)),
            ("CABLETRIAGE_STORE", "/tmp/\u{1b}[2Jstore.sqlite"),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("/tmp/\\u{1b}[2Jstore.sqlite"), "{r:?}");
    assert!(!holds_unsafe(&r.out), "{r:?}");
}

#[test]
fn config_path_says_where_each_file_is_and_whether_it_exists() {
    let sb = Sandbox::new();
    let r = sb.run(&["config", "path"]);
    assert_eq!(r.code, 0, "{r:?}");
    let line = |out: &str, name: &str| -> String {
        out.lines()
            .find(|l| l.starts_with(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name} line in {out}"))
            .to_string()
    };
    let config = sb.path("config/config.toml");
    assert!(
        line(&r.out, "config").contains(&format!("{} (absent", s(&config))),
        "{r:?}"
    );
    assert!(
        line(&r.out, "keymap").contains("keymap.toml (absent"),
        "{r:?}"
    );
    let store = sb.path("data/cabletriage/triage.sqlite");
    assert!(
        line(&r.out, "store").contains(&format!("{} (absent", s(&store))),
        "{r:?}"
    );
    assert!(
        line(&r.out, "cache folder").contains(s(&sb.path("cache/ct"))),
        "{r:?}"
    );
    assert!(
        !r.out.contains("text index"),
        "no corpus, no text index: {r:?}"
    );

    sb.write("config/config.toml", "analyst = \"Jane\"\n");
    sb.write("config/keymap.toml", "extends = \"vim\"\n");
    let other = sb.path("work/s.sqlite");
    let r = sb.run(&["dispose", "08MOSCOW1052", "actioned", "--store", s(&other)]);
    assert_eq!(r.code, 0, "{r:?}");
    let corpus = sb.write("work/cables.txt", "");
    let r = sb.run(&["--store", s(&other), "config", "path", s(&corpus)]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(line(&r.out, "config").ends_with("(exists)"), "{r:?}");
    assert!(line(&r.out, "keymap").ends_with("(exists)"), "{r:?}");
    assert!(
        line(&r.out, "store").contains(&format!("{} (exists)", s(&other))),
        "{r:?}"
    );
    assert!(
        line(&r.out, "index cache").contains(".bin (absent"),
        "{r:?}"
    );
    assert!(
        line(&r.out, "text index").contains(".text (absent"),
        "{r:?}"
    );

    // A keymap named by a setting is the one listed: built in, or a file.
    sb.write("config/config.toml", "keymap = \"emacs\"\n");
    let r = sb.run(&["config", "path"]);
    assert!(
        line(&r.out, "keymap").ends_with(" emacs (built in; set by config file)"),
        "{r:?}"
    );
    let r = sb.run(&["--keymap", "mine.toml", "config", "path"]);
    assert!(
        line(&r.out, "keymap").ends_with(" mine.toml (absent); set by flag"),
        "{r:?}"
    );
}

#[test]
fn config_show_says_where_each_setting_comes_from() {
    let sb = Sandbox::new();
    let setting = |out: &str, name: &str| -> String {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} line in {out}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let r = sb.run(&["config", "show"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(setting(&r.out, "analyst"), "tester (default)");
    assert_eq!(
        setting(&r.out, "after_disposition"),
        "next-untriaged (default)"
    );
    assert_eq!(setting(&r.out, "keymap"), "default (default)");
    assert_eq!(setting(&r.out, "read_only"), "false (default)");
    let store = sb.path("data/cabletriage/triage.sqlite");
    assert_eq!(setting(&r.out, "store"), format!("{} (default)", s(&store)));

    let config = sb.write(
        "config/config.toml",
        "analyst = \"Jane\"\nafter_disposition = \"stay\"\nkeymap = \"emacs\"\n",
    );
    let r = sb.run_env(
        &["--keymap", "vim", "--read-only", "config", "show"],
        &[("CABLETRIAGE_STORE", "/srv/env.sqlite")],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let from_file = format!("(config file {})", s(&config));
    assert_eq!(setting(&r.out, "analyst"), format!("Jane {from_file}"));
    assert_eq!(
        setting(&r.out, "after_disposition"),
        format!("stay {from_file}")
    );
    assert_eq!(setting(&r.out, "keymap"), "vim (flag)");
    assert_eq!(setting(&r.out, "read_only"), "true (flag)");
    assert_eq!(setting(&r.out, "store"), "/srv/env.sqlite (environment)");
    let r = sb.run_env(
        &["config", "show", "--analyst", "bob"],
        &[("CABLETRIAGE_ANALYST", "eve")],
    );
    assert_eq!(setting(&r.out, "analyst"), "bob (flag)");
    let r = sb.run_env(&["config", "show"], &[("CABLETRIAGE_ANALYST", "eve")]);
    assert_eq!(setting(&r.out, "analyst"), "eve (environment)");
    // The user's keymap file, when there is one and nothing names another.
    std::fs::write(&config, "").unwrap_or_else(|e| panic!("{e}"));
    let keymap = sb.write("config/keymap.toml", "extends = \"vim\"\n");
    let r = sb.run(&["config", "show"]);
    assert_eq!(
        setting(&r.out, "keymap"),
        format!("{} (the user's file in the config folder)", s(&keymap))
    );
}

#[test]
fn config_show_with_a_bad_file_says_so() {
    let sb = Sandbox::new();
    let config = sb.write("config/config.toml", "analyst = 5\n");
    let r = sb.run(&["config", "show"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.err.contains(&format!("{}:1:11:", s(&config))), "{r:?}");
    assert!(r.err.contains("config check"), "{r:?}");
}

/// The app, started on a terminal that is not one (standard input closed), stops before
/// taking the screen: a clear message, and not one escape sequence written.
#[test]
fn a_bad_config_or_keymap_stops_the_app_before_the_screen_changes() {
    let sb = Sandbox::new();
    let config = sb.write("config/config.toml", "analyst = \"Jane\"\ncolour = true\n");
    let r = sb.run(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.err.contains(&format!("{}:2:1:", s(&config))), "{r:?}");
    assert!(r.err.contains("colour"), "{r:?}");
    assert!(r.err.contains("fix the settings"), "{r:?}");
    assert!(
        !r.out.contains('\u{1b}') && !r.err.contains('\u{1b}'),
        "{r:?}"
    );

    std::fs::write(&config, "").unwrap_or_else(|e| panic!("{e}"));
    let keymap = sb.write(
        "config/keymap.toml",
        "extends = \"default\"\n[table]\nq = \"qiut\"\n",
    );
    let r = sb.run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.err
            .contains(&format!("{}:3:5: unknown action \"qiut\"", s(&keymap))),
        "{r:?}"
    );
    assert!(r.err.contains("fix the keymap"), "{r:?}");
    assert!(
        !r.out.contains('\u{1b}') && !r.err.contains('\u{1b}'),
        "{r:?}"
    );
}

/// In a real terminal (tmux): the message is on the screen the user is left with, below what
/// was there before, and the shell gets the exit status.
#[test]
fn in_a_terminal_a_bad_config_or_keymap_is_said_on_the_normal_screen() {
    if common::tmux_missing("in_a_terminal_a_bad_config_or_keymap_is_said_on_the_normal_screen") {
        return;
    }
    let sb = Sandbox::new();
    let quote = |p: &Path| common::shell_quote(&p.display().to_string());
    let env = format!(
        "env -u CABLETRIAGE_STORE HOME={} XDG_DATA_HOME={} CABLETRIAGE_CONFIG_DIR={} CABLETRIAGE_CACHE_DIR={}",
        quote(&sb.path("home")),
        quote(&sb.path("data")),
        quote(&sb.path("config")),
        quote(&sb.path("cache/ct")),
    );
    let bin = quote(Path::new(env!("CARGO_BIN_EXE_cabletriage")));
    let cases = [
        (
            "config.toml",
            "colour = true\n",
            "config.toml:1:1:",
            "fix the settings",
            2,
        ),
        (
            "keymap.toml",
            "extends = \"default\"\n[table]\nq = \"qiut\"\n",
            "keymap.toml:3:5: unknown action \"qiut\"",
            "fix the keymap",
            1,
        ),
    ];
    for (file, text, problem, advice, code) in cases {
        let written = sb.write(&format!("config/{file}"), text);
        let name = format!("cabletriage-config-{}-{code}", std::process::id());
        let command = format!("echo BEFORE; {env} {bin}; echo EXITED:$?; sleep 600");
        let tmux = |args: &[&str]| common::tmux_on(&name, args);
        let started = tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "200",
            "-y",
            "20",
            &command,
        ]);
        assert!(started.status.success(), "{started:?}");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let screen = loop {
            let screen =
                String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &name]).stdout)
                    .into_owned();
            if screen.contains("EXITED:") || std::time::Instant::now() > deadline {
                break screen;
            }
            std::thread::sleep(std::time::Duration::from_millis(40));
        };
        let _ = tmux(&["kill-server"]);
        std::fs::remove_file(&written).unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<&str> = screen.lines().collect();
        let at = |needle: &str| {
            lines
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("{needle:?} not on the screen:\n{screen}"))
        };
        assert!(at("BEFORE") < at(problem), "{screen}");
        assert!(at(problem) <= at(advice), "{screen}");
        assert!(at(advice) < at(&format!("EXITED:{code}")), "{screen}");
    }
}

#[test]
fn config_check_and_path_cover_the_theme_file() {
    let sb = Sandbox::new();
    // The user's theme.toml, with a misspelt style: checked without being named.
    let theme = sb.write(
        "config/theme.toml",
        "extends = \"light\"\n[styles]\nflsh = { fg = \"red\" }\n",
    );
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.err.contains(&format!("{}:3:1", s(&theme))), "{}", r.err);
    assert!(r.err.contains("flash"), "the nearest name: {}", r.err);
    assert!(r.err.contains("the theme"), "{}", r.err);
    let r = sb.run(&["config", "path"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out
            .lines()
            .any(|l| l.starts_with("theme") && l.contains(s(&theme))),
        "{}",
        r.out
    );
    // Said to come from the user's own file, not from a config.toml that is not there.
    let r = sb.run(&["config", "show"]);
    assert!(
        r.out
            .lines()
            .any(|l| l.starts_with("theme") && l.contains("the user's file in the config folder")),
        "{}",
        r.out
    );
    // A shipped theme named in config.toml: nothing to check, and path says it is built in.
    sb.write("config/config.toml", "theme = \"mono\"\n");
    std::fs::remove_file(&theme).unwrap_or_else(|e| panic!("{e}"));
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = sb.run(&["config", "path"]);
    assert!(
        r.out
            .lines()
            .any(|l| l.starts_with("theme") && l.contains("mono (built in")),
        "{}",
        r.out
    );
}

/// Found in testing: a relative path in config.toml meant another file in every folder,
/// `~/` was not expanded for the keymap, and a misspelt keymap name had no place.
#[test]
fn paths_in_config_toml_are_taken_from_its_folder_and_keymap_names_are_checked() {
    let sb = Sandbox::new();
    sb.write(
        "config/config.toml",
        "store = \"team.sqlite\"\nkeymap = \"~/k.toml\"\n",
    );
    sb.write("home/k.toml", "extends = \"vim\"\n");
    let store = sb.path("config/team.sqlite");
    let keymap = sb.path("home/k.toml");
    let r = sb.run(&["config", "show"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains(s(&store)), "{}", r.out);
    assert!(r.out.contains(s(&keymap)), "{}", r.out);
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains(s(&keymap)), "{}", r.out);
    sb.write("config/config.toml", "keymap = \"vmi\"\n");
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.err.contains("config.toml:1:10") && r.err.contains("did you mean \"vim\""),
        "{}",
        r.err
    );
}

/// Found in testing: `config show` listed `read_only`, which config.toml refused.
#[test]
fn read_only_is_a_setting_of_config_toml_too() {
    let sb = Sandbox::new();
    sb.write("config/config.toml", "read_only = true\n");
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = sb.run(&["config", "show"]);
    assert!(
        r.out
            .lines()
            .any(|l| l.starts_with("read_only") && l.contains("true") && l.contains("config file")),
        "{}",
        r.out
    );
    sb.write("config/config.toml", "read_only = \"yes\"\n");
    let r = sb.run(&["config", "check"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.err.contains("config.toml:1:13"), "{}", r.err);
}
