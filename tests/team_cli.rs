//! The team commands through the real binary: `assign` (and `--unassign`), and "no silent
//! overwrites": `dispose` and `assign` refuse to change what another analyst set to
//! something else (exit 3, naming who, what and when), unless `--force`. Every run has its
//! own HOME and config folder.

mod common;

use common::Run;

use std::path::PathBuf;
use std::process::Command;

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["home", "config", "cache"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("sandbox folder");
        }
        Sandbox { dir }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("team.sqlite")
    }

    /// `cabletriage ARGS` as `analyst`, on the sandbox's store.
    fn run(&self, analyst: &str, args: &[&str]) -> Run {
        let path = |rel: &str| self.dir.path().join(rel);
        let output = Command::new(env!("CARGO_BIN_EXE_cabletriage"))
            .args(args)
            .arg("--store")
            .arg(self.store())
            .args(["--analyst", analyst])
            .env("HOME", path("home"))
            .env("XDG_CONFIG_HOME", path("home/.config"))
            .env("XDG_DATA_HOME", path("home/.local/share"))
            .env("CABLETRIAGE_CONFIG_DIR", path("config"))
            .env("CABLETRIAGE_CACHE_DIR", path("cache"))
            .env_remove("CABLETRIAGE_STORE")
            .env_remove("CABLETRIAGE_ANALYST")
            .output()
            .expect("run cabletriage");
        Run::from(output)
    }

    /// The history as `history` prints it.
    fn history(&self) -> String {
        self.run("anyone", &["history"]).out
    }
}

#[test]
fn dispose_refuses_to_overwrite_another_analysts_disposition() {
    let sb = Sandbox::new();
    assert_eq!(
        sb.run("bob", &["dispose", "08MOSCOW1", "follow-up"]).code,
        0
    );
    // Alice would change Bob's follow-up: nothing is written, not even her other cable.
    let r = sb.run("alice", &["dispose", "08MOSCOW1", "08MOSCOW2", "actioned"]);
    assert_eq!(r.code, 3, "{}", r.err);
    assert!(
        r.err
            .contains("08MOSCOW1 disposition is follow-up, set by bob at 20"),
        "{}",
        r.err
    );
    assert!(r.err.contains("--force"), "{}", r.err);
    assert!(!sb.history().contains("actioned"));
    // The same value, and a cable she disposed herself, are no overwrite.
    assert_eq!(
        sb.run("alice", &["dispose", "08MOSCOW1", "follow-up"]).code,
        0
    );
    assert_eq!(
        sb.run("alice", &["dispose", "08MOSCOW2", "actioned"]).code,
        0
    );
    assert_eq!(
        sb.run("alice", &["dispose", "08MOSCOW2", "no-action"]).code,
        0
    );
    // Untriaged is nothing to overwrite; a tag by another analyst does not make it theirs.
    assert_eq!(sb.run("bob", &["tag", "08MOSCOW2", "+energy"]).code, 0);
    assert_eq!(
        sb.run("alice", &["dispose", "08MOSCOW2", "forwarded"]).code,
        0
    );
    // --force applies anyway.
    let r = sb.run("alice", &["dispose", "08MOSCOW1", "actioned", "--force"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(sb.history().contains("follow-up\tactioned"));
    // Tags are set operations: no check.
    assert_eq!(
        sb.run("carol", &["tag", "08MOSCOW1", "-energy", "+oil"])
            .code,
        0
    );
}

#[test]
fn assign_and_unassign_with_the_same_guard() {
    let sb = Sandbox::new();
    let r = sb.run("bob", &["assign", "08MOSCOW1", "08MOSCOW2", "bob"]);
    assert_eq!(
        (r.code, r.out.trim()),
        (0, "2 of 2 cables assigned to bob"),
        "{}",
        r.err
    );
    let r = sb.run("alice", &["assign", "08MOSCOW1", "alice"]);
    assert_eq!(r.code, 3, "{}", r.err);
    assert!(
        r.err
            .contains("08MOSCOW1 assignee is bob, set by bob at 20"),
        "{}",
        r.err
    );
    let r = sb.run("alice", &["assign", "08MOSCOW1", "--unassign"]);
    assert_eq!(r.code, 3, "{}", r.err);
    let r = sb.run("alice", &["assign", "08MOSCOW1", "alice", "--force"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let history = sb.history();
    assert!(
        history.contains("alice\t08MOSCOW1\tassignee\tbob\talice"),
        "{history}"
    );
    // Bob may change what he set himself.
    let r = sb.run("bob", &["assign", "08MOSCOW2", "--unassign"]);
    assert_eq!(
        (r.code, r.out.trim()),
        (0, "1 of 1 cable unassigned"),
        "{}",
        r.err
    );
    // The export carries the assignee.
    let export = sb.run("bob", &["export"]).out;
    assert!(
        export.lines().next().unwrap().ends_with(",assignee"),
        "{export}"
    );
    assert!(
        export.contains("08MOSCOW1,") && export.contains(",alice\n"),
        "{export}"
    );
}

#[test]
fn assign_refuses_bad_arguments_before_writing() {
    let sb = Sandbox::new();
    for (args, says) in [
        (
            &["assign", "08MOSCOW1"][..],
            "give cable ids, then the analyst",
        ),
        (&["assign", "08MOSCOW1", "08MOSCOW2"][..], "is a cable id"),
        (
            &["assign", "08MOSCOW1", "bob\u{1b}[2J"][..],
            "control character",
        ),
        (&["assign", "banana", "bob"][..], "not a cable id"),
    ] {
        let r = sb.run("alice", args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.err);
        assert!(r.err.contains(says), "{args:?}: {}", r.err);
        assert!(!r.err.contains('\u{1b}'), "escape reached the terminal");
    }
    assert!(!sb.store().exists(), "nothing was written");
}

#[test]
fn export_filters_by_assignment_for_the_analyst_running_it() {
    let sb = Sandbox::new();
    assert_eq!(sb.run("bob", &["assign", "08MOSCOW1", "bob"]).code, 0);
    assert_eq!(sb.run("bob", &["assign", "08MOSCOW2", "carol"]).code, 0);
    assert_eq!(sb.run("bob", &["dispose", "08MOSCOW3", "actioned"]).code, 0);
    let ids = |analyst: &str, filter: &str| -> Vec<String> {
        let r = sb.run(analyst, &["export", "--filter", filter]);
        assert_eq!(r.code, 0, "{filter}: {}", r.err);
        r.out
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next().map(str::to_string))
            .collect()
    };
    assert_eq!(ids("bob", "is:mine"), ["08MOSCOW1"]);
    assert_eq!(ids("carol", "is:mine"), ["08MOSCOW2"]);
    assert_eq!(ids("bob", "assignee:CAROL"), ["08MOSCOW2"]);
    assert_eq!(ids("bob", "is:unassigned"), ["08MOSCOW3"]);
    let r = sb.run("bob", &["export", "--filter", "is:mien"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("did you mean `is:mine`?"), "{}", r.err);
}
