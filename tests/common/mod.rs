//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` beside the project (or `$CABLETRIAGE_SHARED`), when it is there.
/// Tests that need it call this and return early, saying they skipped, when it is absent.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("CABLETRIAGE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("corpus").is_dir() {
        Some(dir)
    } else {
        // Straight to the process's stderr: the test harness hides `eprintln!` of passing tests.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {test} needs ../shared, which is absent"
        );
        None
    }
}

/// Reads a JSON-lines file into values, panicking with the file and line on bad JSON
/// (the file is a test fixture, not user input).
pub fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: bad JSON: {e}", path.display(), i + 1))
        })
        .collect()
}

/// What a run of the binary gave: exit code (-1 for a signal) and both streams as text.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub out: String,
    pub err: String,
}

impl From<std::process::Output> for Run {
    fn from(o: std::process::Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `tmux ARGS` on the server `name`: a server of the test's own, so that no test races
/// another's server shutting down.
pub fn tmux_on(name: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new("tmux")
        .args(["-L", name])
        .args(args)
        .env_remove("TMUX")
        .output()
        .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"))
}

/// Whether tmux is missing here; then the test says it skipped (to the process's stderr, as
/// [`shared_dir`] does) and returns.
pub fn tmux_missing(test: &str) -> bool {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok()
    {
        return false;
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} needs tmux, which is not installed"
    );
    true
}

/// `text` quoted for a POSIX shell.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// One app in a terminal of its own: a tmux server of the test's own with one session,
/// killed when dropped.
pub struct Tmux {
    server: String,
}

impl Tmux {
    /// Starts `command` in a `width` x `height` terminal; `None` (after saying the test
    /// skipped) where tmux is missing.
    pub fn start(test: &str, command: &str, width: u16, height: u16) -> Option<Tmux> {
        if tmux_missing(test) {
            return None;
        }
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let server = format!(
            "ct-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let (w, h) = (width.to_string(), height.to_string());
        let out = tmux_on(
            &server,
            &[
                "new-session",
                "-d",
                "-s",
                "app",
                "-x",
                &w,
                "-y",
                &h,
                command,
            ],
        );
        assert!(out.status.success(), "tmux new-session failed: {out:?}");
        Some(Tmux { server })
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "app"];
        args.extend_from_slice(keys);
        assert!(tmux_on(&self.server, &args).status.success());
    }

    pub fn screen(&self) -> String {
        let out = tmux_on(&self.server, &["capture-pane", "-p", "-t", "app"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `done` holds: the app works in the background, so the test
    /// waits for what it shows, never for a fixed time (at most 20 s).
    pub fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = tmux_on(&self.server, &["kill-server"]);
    }
}
