//! End-to-end runs of the real binary's `parse` command on the project's own fixtures.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const KEYS: [&str; 18] = [
    "id",
    "date",
    "precedence",
    "classification",
    "caveats",
    "origin",
    "from",
    "to",
    "info",
    "tags",
    "subject",
    "references",
    "classified_by",
    "declassify_on",
    "signed_by",
    "summary",
    "paragraphs",
    "source",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn parse(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .arg("parse")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cabletriage");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn text_cable_prints_exactly_the_documented_keys() {
    let out = parse(&[fixture("web_copy.txt").to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cables = lines(&out);
    assert_eq!(cables.len(), 1);
    let c = &cables[0];
    let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, KEYS);
    assert_eq!(c["id"], "09OSLO123");
    assert_eq!(c["date"], "2009-02-14T10:20:00Z");
    assert_eq!(c["precedence"], "PRIORITY");
    assert_eq!(c["classification"], "CONFIDENTIAL");
    assert_eq!(c["origin"], "Embassy Oslo");
    assert_eq!(c["from"], "AMEMBASSY OSLO");
    assert_eq!(c["to"][0]["route"], "RUEHC");
    assert_eq!(c["to"][0]["mcn"], "4512");
    assert_eq!(c["tags"], serde_json::json!(["PREL", "ENRG", "NO"]));
    assert_eq!(
        c["subject"],
        "NORWAY WEIGHS NEW ARCTIC FISHERIES & ENERGY TALKS"
    );
    assert_eq!(
        c["references"],
        serde_json::json!(["09STATE11223", "08OSLO987"])
    );
    assert_eq!(c["declassify_on"], "2019-02-14");
    assert_eq!(c["paragraphs"], 3);
    assert_eq!(c["source"]["row"], serde_json::Value::Null);
}

#[test]
fn dump_rows_skip_the_broken_one_and_exit_1() {
    let path = fixture("dump.csv");
    let out = parse(&[path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let cables = lines(&out);
    assert_eq!(cables.len(), 2);
    assert_eq!(cables[0]["source"]["row"], 1);
    assert_eq!(cables[0]["source"]["offset"], 0);
    assert_eq!(cables[1]["precedence"], "NIACT IMMEDIATE");
    assert_eq!(cables[1]["date"], "2009-03-01T09:05:00Z");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:3: expected 8 fields, found 3", path.display())),
        "{err}"
    );
}

#[test]
fn nothing_readable_exits_2_with_a_message_per_input() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    let binary = dir.path().join("blob.txt");
    std::fs::write(&empty, "").unwrap();
    std::fs::write(&binary, b"\x7fELF\x00\x00\x01\x02").unwrap();
    let missing = dir.path().join("missing.txt");
    let out = parse(
        &[
            empty.to_str().unwrap(),
            binary.to_str().unwrap(),
            missing.to_str().unwrap(),
            fixture("plain.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt: empty file"), "{err}");
    assert!(err.contains("blob.txt: binary file"), "{err}");
    assert!(err.contains("missing.txt: cannot read"), "{err}");
    assert!(err.contains("plain.txt: no cable found"), "{err}");
    assert_eq!(err.lines().count(), 4, "{err}");
}

#[test]
fn stdin_fragment_takes_the_year_given() {
    let fragment =
        b"UNCLAS OSLO 000777\n\nTAGS: PREL\nSUBJECT: A FRAGMENT\n\nREF: OSLO 12\n\n1. Text.\n";
    let out = parse(&["--year", "2007", "-"], Some(fragment));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = &lines(&out)[0];
    assert_eq!(c["id"], "07OSLO777");
    assert_eq!(c["references"], serde_json::json!(["07OSLO12"]));
    assert_eq!(c["source"]["path"], "-");
}

#[test]
fn invalid_utf8_is_decoded_lossily_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.txt");
    let mut bytes = std::fs::read(fixture("web_copy.txt")).unwrap();
    bytes.extend_from_slice(b"\nCAF\xc9 \xff\n");
    std::fs::write(&path, bytes).unwrap();
    let out = parse(&[path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out).len(), 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("latin1.txt: invalid UTF-8, decoded lossily")
    );
}

#[test]
fn folders_are_walked_and_formats_forced() {
    let out = parse(&[fixture("").to_str().unwrap()], None);
    // web_copy.txt, two dump rows; plain.txt and the broken row are skipped.
    assert_eq!(lines(&out).len(), 3);
    assert_eq!(out.status.code(), Some(1));
    let out = parse(
        &[
            "--format",
            "html",
            fixture("web_copy.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no <pre> block"));
    let out = parse(&["--format", "pdf", "x"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format"));
}
