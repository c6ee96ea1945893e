//! The binary needs nothing from the source tree: keymaps, TAGS meanings and the demo corpus
//! are in it.
//!
//! `cargo install` only copies the binary, so the test does what it does, without the cost
//! of a second release build on every run: the built binary is copied to a temporary folder
//! and run from another folder, with a HOME, config folder and cache folder of its own. Where
//! the test can (as root with `unshare`, as on CI), it runs the copy in a mount namespace
//! where the source tree is covered by an empty folder, so any read of a file of the tree at
//! run time would fail; elsewhere it says so and runs the copy from elsewhere only.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SOURCE_TREE: &str = env!("CARGO_MANIFEST_DIR");

struct Installed {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Runs a command with the source tree hidden, when that can be done here.
    hide: Option<Vec<String>>,
}

#[derive(Debug)]
struct Run {
    code: i32,
    out: String,
    err: String,
}

impl Installed {
    fn new() -> Installed {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for sub in ["bin", "home", "config", "cache", "data", "elsewhere"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap_or_else(|e| panic!("{e}"));
        }
        let bin = dir.path().join("bin/cabletriage");
        std::fs::copy(env!("CARGO_BIN_EXE_cabletriage"), &bin)
            .unwrap_or_else(|e| panic!("copy the binary: {e}"));
        let hide = hiding_prefix();
        if hide.is_none() {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: the source tree cannot be hidden here (needs unshare as root): the \
                 binary runs from another folder only"
            );
        }
        Installed { dir, bin, hide }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.path("home")),
            ("XDG_CONFIG_HOME", self.path("home/.config")),
            ("XDG_DATA_HOME", self.path("data")),
            ("XDG_CACHE_HOME", self.path("home/.cache")),
            ("CABLETRIAGE_CONFIG_DIR", self.path("config")),
            ("CABLETRIAGE_CACHE_DIR", self.path("cache")),
        ]
    }

    fn run(&self, args: &[&str]) -> Run {
        let mut words: Vec<String> = self.hide.clone().unwrap_or_default();
        words.push(self.bin.display().to_string());
        words.extend(args.iter().map(|a| a.to_string()));
        let mut c = Command::new(&words[0]);
        c.args(&words[1..])
            .current_dir(self.path("elsewhere"))
            .stdin(Stdio::null())
            .env_remove("CABLETRIAGE_STORE")
            .env_remove("CABLETRIAGE_ANALYST")
            .env("USER", "tester");
        for (k, v) in self.env() {
            c.env(k, v);
        }
        // A session of its own, without a controlling terminal: the app run without a corpus
        // must not take the terminal `cargo test` may be running in.
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
        let o = c.output().unwrap_or_else(|e| panic!("run {words:?}: {e}"));
        Run {
            code: o.status.code().unwrap_or(-1),
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// `unshare ... sh -c 'mount an empty tmpfs over the tree; exec the command'`, when a
/// trial run shows that the tree is then hidden.
fn hiding_prefix() -> Option<Vec<String>> {
    let prefix: Vec<String> = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        "mount -t tmpfs none \"$0\" && exec \"$@\"",
        SOURCE_TREE,
    ]
    .map(String::from)
    .to_vec();
    let trial = Command::new(&prefix[0])
        .args(&prefix[1..])
        .args(["sh", "-c", "! test -e \"$0/Cargo.toml\"", SOURCE_TREE])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .status();
    (trial.is_ok_and(|s| s.success()) && Path::new(SOURCE_TREE).join("Cargo.toml").exists())
        .then_some(prefix)
}

#[test]
fn the_installed_binary_runs_without_the_source_tree() {
    let inst = Installed::new();

    let r = inst.run(&["--version"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.out.trim(),
        format!("cabletriage {}", env!("CARGO_PKG_VERSION"))
    );

    // The shipped keymaps, all three and one by name.
    let r = inst.run(&["keymap", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("ok: 3 keymaps checked"), "{r:?}");
    let r = inst.run(&["keymap", "check", "vim"]);
    assert_eq!(r.code, 0, "{r:?}");

    // The app with no corpus writes the demo corpus (then finds no terminal).
    let r = inst.run(&[]);
    assert!(r.err.contains("terminal"), "{r:?}");
    let demo = std::fs::read_dir(inst.path("cache"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .unwrap_or_else(|| panic!("no demo corpus in the cache folder: {r:?}"));
    let r = inst.run(&["parse", &demo.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out.lines().count(), 2_000);
    // Parsing uses the embedded station list: every id is read.
    assert!(!r.out.contains("\"id\":null"), "an id was not read");

    let r = inst.run(&["completions", "bash"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("_cabletriage"), "{r:?}");
    let r = inst.run(&["man"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains(".TH cabletriage 1"), "{r:?}");

    let r = inst.run(&["config", "path"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out
            .contains(&inst.path("config/config.toml").display().to_string()),
        "{r:?}"
    );
    let r = inst.run(&["config", "show"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out.contains("keymap") && r.out.contains("default"),
        "{r:?}"
    );
}

/// In a terminal: the demo corpus opens with the shipped keymap, and a cable read shows its
/// TAGS with their meanings, all with the source tree hidden.
#[test]
fn the_installed_app_shows_the_demo_and_tag_meanings() {
    if common::tmux_missing("the_installed_app_shows_the_demo_and_tag_meanings") {
        return;
    }
    let inst = Installed::new();
    let quote = common::shell_quote;
    let mut words: Vec<String> = vec!["env".into(), "-u".into(), "CABLETRIAGE_STORE".into()];
    words.extend(
        inst.env()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", v.display())),
    );
    words.extend(inst.hide.clone().unwrap_or_default());
    words.push(inst.bin.display().to_string());
    let command = format!(
        "cd {} && {}; echo EXITED:$?; sleep 600",
        quote(&inst.path("elsewhere").display().to_string()),
        words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
    );
    let name = format!("cabletriage-install-{}", std::process::id());
    let tmux = |args: &[&str]| common::tmux_on(&name, args);
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        &name,
        "-x",
        "120",
        "-y",
        "40",
        &command,
    ]);
    assert!(started.status.success(), "{started:?}");
    struct Kill<'a>(&'a str);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .args(["-L", self.0, "kill-server"])
                .status();
        }
    }
    let _kill = Kill(&name);
    let wait_for = |what: &str, done: &dyn Fn(&str) -> bool| -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen =
                String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &name]).stdout)
                    .into_owned();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline && !screen.contains("EXITED:"),
                "waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    };
    wait_for("the demo corpus", &|s| {
        s.contains("2,000/2,000") || s.contains("2000/2000")
    });
    tmux(&["send-keys", "-t", &name, "/"]);
    tmux(&["send-keys", "-t", &name, "-l", "tag:PREL"]);
    wait_for("the filter", &|s| {
        s.contains("/tag:PREL") && !s.contains("2,000/2,000")
    });
    tmux(&["send-keys", "-t", &name, "Enter"]);
    tmux(&["send-keys", "-t", &name, "Enter"]);
    let reading = wait_for("the reading view", &|s| s.contains("lines 1-"));
    assert!(
        reading.contains("External Political Relations"),
        "no TAGS meaning:\n{reading}"
    );
    // q leaves the reading view (an escape key followed at once by q would read as alt-q).
    tmux(&["send-keys", "-t", &name, "q"]);
    wait_for("the table again", &|s| {
        !s.contains("lines 1-") && (s.contains("/2,000") || s.contains("/2000"))
    });
    tmux(&["send-keys", "-t", &name, "q"]);
    let after = wait_for("the app to exit", &|s| s.contains("EXITED:"));
    assert!(after.contains("EXITED:0"), "{after}");
}
