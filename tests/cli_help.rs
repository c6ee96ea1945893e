//! The command line as a user meets it: every command's `--help` ends with examples that the
//! binary accepts, the man page covers every command and option (and renders), and each
//! shell's completion script is produced, knows the commands and, for bash, loads.

use std::path::Path;
use std::process::{Command, Output};

use cabletriage::cli::args::{Args, command};
use clap::Parser;

fn run(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .args(args)
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("CABLETRIAGE_CONFIG_DIR", home.path().join("config"))
        .env("CABLETRIAGE_CACHE_DIR", home.path().join("cache"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap_or_else(|e| panic!("run cabletriage {args:?}: {e}"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every visible command's path of names: `[]`, `["dispose"]`, `["keymap", "check"]`, ...
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, all: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name() == "help" {
                continue;
            }
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            walk(sub, p.clone(), all);
            all.push(p);
        }
    }
    let mut all = vec![Vec::new()];
    walk(&command(), Vec::new(), &mut all);
    all
}

/// The example lines of a help text: those under `Examples:`.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// The words after `cabletriage` in an example, as a shell would split them, up to a
/// comment, a pipe, a redirection or a closing parenthesis.
fn example_args(line: &str) -> Option<Vec<String>> {
    let start = line.find("cabletriage")?;
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line[start..].chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '#' | '|' | '>' | ')') => break,
            (None, ' ') => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[test]
fn every_command_has_help_with_examples_the_binary_accepts() {
    let paths = command_paths();
    assert!(paths.len() >= 15, "{paths:?}");
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = run(&args);
        let help = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let examples = examples(&help);
        assert!(!examples.is_empty(), "{args:?} has no example:\n{help}");
        for example in examples {
            let words = example_args(&example)
                .unwrap_or_else(|| panic!("{args:?}: {example:?} does not run cabletriage"));
            let mut rest = words.iter();
            assert!(
                path.iter().all(|name| rest.any(|w| w == name)),
                "{args:?}: {example:?} is not an example of this command"
            );
            if let Err(e) = Args::try_parse_from(&words) {
                panic!("{args:?}: the example {example:?} is refused:\n{e}");
            }
        }
    }
}

#[test]
fn short_help_shows_the_examples_too() {
    let help = stdout(&run(&["dispose", "-h"]));
    assert!(help.contains("Examples:"), "{help}");
}

#[test]
fn the_man_page_covers_every_command_and_option() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    // roff writes a dash as `\-`.
    let page = stdout(&out).replace("\\-", "-");
    assert!(
        page.starts_with(".ie") || page.contains(".TH cabletriage 1"),
        "{page}"
    );
    let mut stack = vec![command()];
    while let Some(cmd) = stack.pop() {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name() != "help" {
                stack.push(sub.clone());
            }
        }
        assert!(page.contains(cmd.get_name()), "{} missing", cmd.get_name());
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                assert!(
                    page.contains(&format!("--{long}")),
                    "--{long} of {} missing",
                    cmd.get_name()
                );
            }
        }
        if let Some(about) = cmd.get_about() {
            let about = about.to_string().replace('\'', "\\*(Aq");
            let first_words: String = about
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                page.replace(['\n', ' '], "")
                    .contains(&first_words.replace(' ', "")),
                "the description of {} missing: {first_words}",
                cmd.get_name()
            );
        }
    }
    for section in [
        "CABLETRIAGE DISPOSE",
        "CABLETRIAGE CONFIG CHECK",
        "EXAMPLES",
        "FILES",
        "ENVIRONMENT",
        "CABLETRIAGE_CONFIG_DIR",
        "CABLETRIAGE_STORE",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    assert!(
        !page.contains("store-stress"),
        "a hidden command is in the page"
    );
}

#[test]
fn the_man_page_renders() {
    let tools = Command::new("sh")
        .args(["-c", "command -v groff && command -v man"])
        .output();
    if !tools.is_ok_and(|o| o.status.success()) {
        println!("skipped: needs groff and man");
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = dir.path().join("cabletriage.1");
    std::fs::write(&page, run(&["man"]).stdout).unwrap_or_else(|e| panic!("{e}"));
    // groff's warnings (-ww) on standard error: a malformed request would be one.
    let groff = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&page)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        groff.status.success() && groff.stderr.is_empty(),
        "{groff:?}"
    );
    let man = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(man.status.success(), "{man:?}");
    for heading in [
        "NAME",
        "SYNOPSIS",
        "CABLETRIAGE DISPOSE",
        "CABLETRIAGE CONFIG SHOW",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    assert!(
        text.contains("cabletriage dispose 08MOSCOW1052 actioned"),
        "{text}"
    );
}

#[test]
fn man_out_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_dir = dir.path().join("man1");
    let out_arg = out_dir.to_string_lossy().into_owned();
    let out = run(&["man", "--out", &out_arg]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    for page in [
        "cabletriage.1",
        "cabletriage-dispose.1",
        "cabletriage-config-check.1",
        "cabletriage-keymap-check.1",
    ] {
        assert!(out_dir.join(page).is_file(), "{page} missing");
    }
    assert!(!out_dir.join("cabletriage-store-stress.1").exists());
    let main_page = std::fs::read(out_dir.join("cabletriage.1")).unwrap_or_default();
    assert_eq!(
        main_page,
        run(&["man"]).stdout,
        "--out writes the page man prints"
    );
}

#[test]
fn every_shell_gets_a_completion_script_that_knows_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        for word in [
            "parse",
            "dispose",
            "tag",
            "history",
            "export",
            "import",
            "search",
            "keymap",
            "config",
            "completions",
            "man",
            "store",
            "analyst",
            "after-disposition",
        ] {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
        assert!(
            !script.contains("store-stress"),
            "{shell}: a hidden command"
        );
        // Values completed by name: the shipped keymaps, search orders, cursor moves and
        // dispositions. clap_complete's fish script completes no positional value, and its
        // elvish and powershell scripts complete only commands and options.
        let values: &[&str] = match shell {
            "bash" | "zsh" => &["vim", "emacs", "relevance", "next-untriaged", "follow-up"],
            "fish" => &["vim", "emacs", "relevance", "next-untriaged"],
            _ => &[],
        };
        for value in values {
            assert!(script.contains(value), "{shell}: {value} missing");
        }
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "an unknown shell is refused");
}

#[test]
fn the_bash_completion_loads_and_completes() {
    if !Path::new("/bin/bash").exists() && !Path::new("/usr/bin/bash").exists() {
        println!("skipped: needs bash");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cabletriage");
    let script = format!(
        "source <('{bin}' completions bash) && complete -p cabletriage && \
         COMP_WORDS=(cabletriage --keymap v) COMP_CWORD=2 COMP_LINE='cabletriage --keymap v' \
         COMP_POINT=22 && _cabletriage cabletriage v --keymap && echo \"${{COMPREPLY[@]}}\" && \
         COMP_WORDS=(cabletriage con) COMP_CWORD=1 && _cabletriage cabletriage con cabletriage && \
         echo \"${{COMPREPLY[@]}}\""
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = stdout(&out);
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "complete -o bashdefault -o default -o nosort -F _cabletriage cabletriage",
            "vim",
            "config"
        ],
        "{out:?}"
    );
}

#[test]
fn every_option_and_argument_is_described() {
    let mut stack = vec![command()];
    while let Some(cmd) = stack.pop() {
        stack.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
        if cmd.get_name() != "cabletriage" {
            assert!(
                cmd.get_about().is_some(),
                "{} has no description",
                cmd.get_name()
            );
        }
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            assert!(
                arg.get_help().is_some(),
                "{} {} has no description",
                cmd.get_name(),
                arg.get_id()
            );
        }
    }
}
