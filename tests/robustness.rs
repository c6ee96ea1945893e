//! Bad input never panics and never stops the rest: properties over the text reader and
//! the whole interpretation, and the pathological inputs the parse issue names.

use proptest::prelude::*;

use cabletriage::cable::Cable;
use cabletriage::read::{self, Event, ReadOptions, csv_dump, html, text};

/// Pieces of telegram text, so that generated inputs reach deep into the field extractors.
const PIECES: &[&str] = &[
    "VZCZCXYZ0001\n",
    "DE RUEHMO #1052/01 1071349\n",
    "ZNY CCCCC ZZH\n",
    "O 161349Z APR 08\n",
    "P R 281848Z DEC 66\n",
    "FM AMEMBASSY MOSCOW\n",
    "TO RUEHC/SECSTATE WASHDC IMMEDIATE 7626\n",
    "INFO RUEHXX/SOMEWHERE NIACT IMMEDIATE\n",
    "\n",
    "C O N F I D E N T I A L MOSCOW 001052\n",
    "SIPDIS\n",
    "NOFORN\n",
    "E.O. 12958: DECL: 04/16/2018\n",
    "TAGS: [PREL](#) [AORC](#)\n",
    "TAGS PGOV, PREL,\n",
    "SUBJECT: A SUBJECT\n",
    "SUBJECT: (C) ",
    "REF: A. STATE 39114 B. 07 MOSCOW 5678\n",
    "Classified By: Someone Example. Reasons 1.4(b) and (d).\n",
    "11. (C) Summary. Text. End Summary.\n",
    "1. (S/NF) Text\n",
    "- bullet\n",
    "MOSCOW 00001052  002 OF 003\n",
    "PAGE 02 MOSCOW 01052 291400Z ",
    "¶",
    "&#x000A;",
    "&amp;",
    "\u{1b}[31m",
    "\r\n",
    "(",
    ")",
    "[",
    "](",
    "é",
    "\u{0}",
    "12345",
    " ",
    "BURNS\n",
];

fn telegram() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

fn interpret_text(input: &str) -> Cable {
    Cable::from_raw(&text::read_text(input, "prop.txt", Some(2008)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_reader_never_panics_on_any_string(s in any::<String>()) {
        let _ = interpret_text(&s);
    }

    #[test]
    fn text_reader_never_panics_on_telegram_shaped_text(s in telegram()) {
        let cable = interpret_text(&s);
        // No control character from the input survives into what the app shows.
        let shown = [cable.subject.as_str(), cable.origin.as_str(), cable.from.as_str()]
            .into_iter()
            .chain(cable.paragraphs.iter().map(|p| p.text.as_str()))
            .chain(cable.tags.iter().map(String::as_str));
        for text in shown {
            prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{text:?}");
        }
    }

    #[test]
    fn html_and_csv_readers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let s = String::from_utf8_lossy(&bytes);
        if let Ok(raw) = html::read_html(&s, "p.html") {
            let _ = Cable::from_raw(&raw);
        }
        for row in csv_dump::DumpReader::new(&bytes[..]).flatten().flatten() {
            let _ = Cable::from_raw(&csv_dump::to_raw_cable(row, "d.csv").0);
        }
    }
}

#[test]
fn a_50_mb_line_parses() {
    let mut s = String::from("UNCLAS OSLO 000001\n\nTAGS: PREL\nSUBJECT: LONG\n\n1. ");
    s.push_str(&"WORD ".repeat(10 << 20));
    let cable = interpret_text(&s);
    assert_eq!(cable.paragraphs.len(), 1);
}

#[test]
fn a_page_without_pre_and_a_truncated_dump_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    std::fs::write(&page, "<html><body><p>moved</p></body></html>").unwrap();
    let dump = dir.path().join("d.csv");
    std::fs::write(&dump, "\"1\",\"1/2/2003 4:05\",\"03OSLO1\",\"Embassy Oslo\",\"UNCLASSIFIED\",\"\",\"\",\"UNCLAS OSLO 1\nTEXT").unwrap();
    let mut events = Vec::new();
    read::read_paths(&[page, dump], &ReadOptions::default(), &mut |e| {
        events.push(e)
    });
    let messages: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::Problem(p) => p.to_string(),
            Event::Cable(_) => "cable".to_string(),
        })
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].ends_with("p.html: no <pre> block: not a Cablegate cable page"));
    assert!(
        messages[1].contains("d.csv:1: unterminated quote"),
        "{messages:?}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_rest_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("a_locked.txt");
    std::fs::write(&locked, "UNCLAS OSLO 000001\n\nSUBJECT: X\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(
        dir.path().join("b_open.txt"),
        "UNCLAS OSLO 000002\n\nSUBJECT: Y\n",
    )
    .unwrap();
    // Root reads anything: then the file is simply read, which is also fine.
    let root = std::fs::read(&locked).is_ok();
    let mut cables = 0;
    let mut problems = Vec::new();
    read::read_paths(
        &[dir.path().to_path_buf()],
        &ReadOptions::default(),
        &mut |e| match e {
            Event::Cable(_) => cables += 1,
            Event::Problem(p) => problems.push(p.to_string()),
        },
    );
    if root {
        assert_eq!(cables, 2);
    } else {
        assert_eq!(cables, 1);
        assert!(
            problems[0].contains("a_locked.txt: cannot open"),
            "{problems:?}"
        );
    }
}
