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
    // clap refuses it, listing the formats.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid value 'pdf'") && err.contains("auto, text, html, csv"),
        "{err}"
    );
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A generated Cablegate page and the cable it holds.
fn page() -> (Vec<u8>, cabletriage::synth::SynthCable) {
    let cable = cabletriage::synth::Generator::new(7).next_cable();
    let mut page = Vec::new();
    cabletriage::synth::write_html(&mut page, &cable).unwrap();
    (page, cable)
}

#[test]
fn a_fragment_named_on_its_own_prints_what_was_found() {
    let fragment = b"Classified By: Ambassador John Doe for reasons 1.4 (b) and (d)\n";
    let out = parse(&["--year", "2008", "-"], Some(fragment));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cables = lines(&out);
    assert_eq!(cables.len(), 1);
    assert_eq!(cables[0]["id"], serde_json::Value::Null);
    assert_eq!(cables[0]["classified_by"], serde_json::json!(["John Doe"]));
    assert_eq!(
        cables[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        KEYS
    );
    // The same as a single file named on the command line.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fragment.txt");
    std::fs::write(&file, fragment).unwrap();
    let out = parse(&[file.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lines(&out)[0]["classified_by"],
        serde_json::json!(["John Doe"])
    );
    // Walking a folder still skips it: it is not a cable.
    let out = parse(&[dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("fragment.txt: no cable found"),
        "{}",
        stderr(&out)
    );
    // Empty input named on its own is still refused.
    let out = parse(&["-"], Some(b"  \n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("-: empty file"), "{}", stderr(&out));
}

#[test]
fn a_cable_without_an_id_is_a_problem_unless_named_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "SUBJECT: A MEETING WITH NOBODY\n\n1. Text.\n").unwrap();
    std::fs::copy(fixture("web_copy.txt"), dir.path().join("web_copy.txt")).unwrap();
    let out = parse(&[dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let cables = lines(&out);
    assert_eq!(cables.len(), 1);
    assert_eq!(cables[0]["id"], "09OSLO123");
    assert_eq!(
        stderr(&out).trim_end(),
        format!(
            "{}: no reference id (no caption or DE line, and the file name is not an id)",
            notes.display()
        )
    );
    // Among several files named, the same.
    let out = parse(
        &[
            notes.to_str().unwrap(),
            fixture("web_copy.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 1);
    // Named on its own, it is a fragment: printed, `id` null, exit 0.
    let out = parse(&[notes.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = &lines(&out)[0];
    assert_eq!(c["id"], serde_json::Value::Null);
    assert_eq!(c["subject"], "A MEETING WITH NOBODY");
}

#[cfg(unix)]
#[test]
fn a_dump_from_a_pipe_is_read_whole() {
    // `/dev/stdin` on a pipe is what `<(cat cables.csv)` names: a path that reads once.
    let dump = cabletriage::synth::demo_csv(25, 4);
    let out = parse(&["/dev/stdin"], Some(&dump));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 25);
    assert_eq!(lines(&out)[24]["source"]["row"], 25);
}

#[test]
fn standard_input_follows_format_and_content() {
    let dump = cabletriage::synth::demo_csv(12, 5);
    for args in [&["--format", "csv", "-"][..], &["-"][..]] {
        let out = parse(args, Some(&dump));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let cables = lines(&out);
        assert_eq!(cables.len(), 12, "{args:?}");
        assert!(
            cables
                .iter()
                .all(|c| c["id"].as_str().is_some_and(|id| !id.is_empty()))
        );
    }
    let (page, cable) = page();
    let out = parse(&["-"], Some(&page));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out)[0]["id"], cable.id.as_str());
    assert!(lines(&out)[0]["date"].is_string());
}

#[test]
fn a_txt_file_is_told_by_its_content() {
    let (page, cable) = page();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), &page).unwrap();
    let out = parse(&[dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = &lines(&out)[0];
    assert_eq!(c["id"], cable.id.as_str());
    assert!(c["date"].is_string(), "{c}");
    assert_eq!(c["subject"], cable.subject.as_str());

    let named = dir.path().join("06PARIS2069.TXT");
    std::fs::write(&named, &page).unwrap();
    let out = parse(&[named.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = &lines(&out)[0];
    assert_eq!(c["id"], cable.id.as_str());
    assert!(c["date"].is_string(), "{c}");

    let dump = dir.path().join("x.txt");
    std::fs::write(&dump, cabletriage::synth::demo_csv(9, 6)).unwrap();
    let out = parse(&[dump.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 9);
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded() {
    let text = std::fs::read_to_string(fixture("web_copy.txt")).unwrap();
    let utf8 = lines(&parse(&[fixture("web_copy.txt").to_str().unwrap()], None));
    let dir = tempfile::tempdir().unwrap();
    let le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("le.txt", le), ("be.txt", be)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        // Among several inputs, so that it must be recognised as a cable, not taken as a fragment.
        let out = parse(
            &[
                fixture("dump.csv").to_str().unwrap(),
                path.to_str().unwrap(),
            ],
            None,
        );
        assert!(!stderr(&out).contains(name), "{name}: {}", stderr(&out));
        let mut got = lines(&out).pop().unwrap();
        assert_eq!(got["source"]["path"], path.to_str().unwrap());
        got["source"] = utf8[0]["source"].clone();
        assert_eq!(got, utf8[0], "{name}");
    }
}

// Issue 9, item 8: a file named to retitle the terminal, in a folder given to `parse`, is
// named in the problem line without its escape sequence reaching the terminal.
#[test]
fn problem_lines_never_write_a_file_names_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let nasty = dir.path().join("\u{1b}]0;PWNED\u{7}\u{202e}junk.txt");
    std::fs::write(&nasty, "hello world").unwrap();
    let out = parse(&[dir.path().to_str().unwrap()], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PWNED"), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
}
