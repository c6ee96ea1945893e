//! The parser against generated cables whose ground truth is known, in all three formats:
//! every field the generator states must be read back exactly. Needs nothing outside the repo.

use std::collections::BTreeSet;

use cabletriage::cable::Cable;
use cabletriage::read::{self, Event, ReadOptions};
use cabletriage::synth::{Generator, SynthCable, html_path, write_csv_row, write_html, write_text};

const COUNT: usize = 400;

fn generated() -> Vec<SynthCable> {
    let mut g = Generator::new(7);
    (0..COUNT).map(|_| g.next_cable()).collect()
}

fn read_all(path: &std::path::Path) -> Vec<Cable> {
    let mut out = Vec::new();
    read::read_paths(
        &[path.to_path_buf()],
        &ReadOptions::default(),
        &mut |e| match e {
            Event::Cable(raw) => out.push(Cable::from_raw(&raw)),
            Event::Problem(p) => panic!("unexpected problem: {p}"),
        },
    );
    out
}

/// Compares field by field; returns the mismatches (at most a few per field).
fn compare(truth: &[SynthCable], got: &[Cable], with_metadata: bool) -> Vec<String> {
    assert_eq!(truth.len(), got.len());
    let mut misses = Vec::new();
    let mut miss = |field: &str, id: &str, want: String, got: String| {
        if misses
            .iter()
            .filter(|m: &&String| m.starts_with(field))
            .count()
            < 3
        {
            misses.push(format!("{field} of {id}: want {want} got {got}"));
        }
    };
    for (t, c) in truth.iter().zip(got) {
        if c.id != t.id {
            miss("id", &t.id, t.id.clone(), c.id.clone());
        }
        // Text files of cables without a DTG line carry no date at all.
        if c.date != Some(t.date) && (with_metadata || c.date.is_some()) {
            miss("date", &t.id, t.date.to_rfc3339(), format!("{:?}", c.date));
        }
        if c.precedence != t.precedence {
            miss(
                "precedence",
                &t.id,
                t.precedence.to_string(),
                c.precedence.to_string(),
            );
        }
        if c.classification.to_string() != t.classification {
            miss(
                "classification",
                &t.id,
                t.classification.clone(),
                c.classification.to_string(),
            );
        }
        if with_metadata && c.origin != t.origin {
            miss("origin", &t.id, t.origin.clone(), c.origin.clone());
        }
        if c.from != t.from {
            miss("from", &t.id, t.from.clone(), c.from.clone());
        }
        if c.tags != t.tags {
            miss(
                "tags",
                &t.id,
                format!("{:?}", t.tags),
                format!("{:?}", c.tags),
            );
        }
        if c.subject != t.subject {
            miss("subject", &t.id, t.subject.clone(), c.subject.clone());
        }
        let want: BTreeSet<_> = t.references.iter().collect();
        let have: BTreeSet<_> = c.references.iter().collect();
        if want != have {
            miss(
                "references",
                &t.id,
                format!("{want:?}"),
                format!("{have:?}"),
            );
        }
        if c.paragraphs.iter().filter(|p| p.number.is_some()).count() != t.paragraphs {
            miss(
                "paragraphs",
                &t.id,
                t.paragraphs.to_string(),
                format!(
                    "{:?}",
                    c.paragraphs.iter().map(|p| p.number).collect::<Vec<_>>()
                ),
            );
        }
    }
    misses
}

#[test]
fn dump_rows_read_back_exactly() {
    let truth = generated();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cables.csv");
    let mut bytes = Vec::new();
    for (i, c) in truth.iter().enumerate() {
        write_csv_row(&mut bytes, i as u64 + 1, c).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    let misses = compare(&truth, &read_all(&path), true);
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn text_files_read_back_exactly() {
    let truth = generated();
    let dir = tempfile::tempdir().unwrap();
    // Names that say nothing, so the id must come from the text.
    for (i, c) in truth.iter().enumerate() {
        let mut bytes = Vec::new();
        write_text(&mut bytes, c).unwrap();
        std::fs::write(dir.path().join(format!("cable{i:05}.txt")), bytes).unwrap();
    }
    let misses = compare(&truth, &read_all(dir.path()), false);
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn cablegate_pages_read_back_exactly() {
    let truth = generated();
    let dir = tempfile::tempdir().unwrap();
    let mut sorted: Vec<&SynthCable> = truth.iter().collect();
    for c in &truth {
        let path = dir.path().join(html_path(c));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        write_html(&mut bytes, c).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    // The walk is in path order.
    sorted.sort_by_key(|c| html_path(c));
    let truth: Vec<SynthCable> = sorted.into_iter().cloned().collect();
    let misses = compare(&truth, &read_all(dir.path()), true);
    assert!(misses.is_empty(), "{misses:#?}");
}

/// Reading only what the index needs gives the same index entry as reading everything.
#[test]
fn index_reading_gives_the_entries_full_reading_gives() {
    use cabletriage::corpus::{Entry, Location};
    use cabletriage::read::csv_dump::{DumpReader, to_raw_cable};
    let truth = generated();
    let mut bytes = Vec::new();
    for (i, c) in truth.iter().enumerate() {
        write_csv_row(&mut bytes, i as u64 + 1, c).unwrap();
    }
    let mut compared = 0;
    for row in DumpReader::new(&bytes[..]).flatten().flatten() {
        let (raw, _) = to_raw_cable(row, "d.csv");
        let full = Entry::from_cable(&Cable::from_raw(&raw), Location::NOWHERE);
        let index = Entry::from_owned(Cable::for_index(&raw), Location::NOWHERE);
        assert_eq!(full, index);
        compared += 1;
    }
    assert_eq!(compared, COUNT);
}
