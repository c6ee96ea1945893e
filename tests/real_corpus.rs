//! The parser against real cables in `../shared/corpus/` (skipped when it is absent):
//! every Cablegate page must parse and agree with what the page states (`expected.jsonl`)
//! field by field for at least 99% of pages; the text versions must agree with their pages;
//! both rows of the real `cables.csv` sample must read with every field right.
//! `CORPUS_VERBOSE=1` prints each disagreement.

mod common;

use std::collections::HashMap;
use std::path::Path;

use cabletriage::cable::{Cable, Precedence};
use cabletriage::read::{self, Event, ReadOptions};

fn parse_one(path: &Path) -> Result<Cable, String> {
    let mut found = None;
    let mut problems = Vec::new();
    read::read_file(path, &ReadOptions::default(), &mut |e| match e {
        Event::Cable(raw) => found = Some(Cable::from_raw(&raw)),
        Event::Problem(p) => problems.push(p.to_string()),
    });
    found.ok_or_else(|| problems.join("; "))
}

fn parse_all(path: &Path) -> Vec<Cable> {
    let mut out = Vec::new();
    read::read_file(path, &ReadOptions::default(), &mut |e| {
        if let Event::Cable(raw) = e {
            out.push(Cable::from_raw(&raw));
        }
    });
    out
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Letters and digits only: compares tag lists whatever their splitting into words.
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A subject or page title as text: Cablegate's titles lose the `(` of a leading portion
/// mark (`S) SUBJECT`) and leading quotes and brackets, so both sides drop them.
fn title_text(s: &str) -> String {
    let s = squeeze(s);
    let mut t = s.as_str();
    if let Some(close) = t.find(") ") {
        let mark = t[..close].trim_start_matches('(');
        if (1..=5).contains(&mark.len())
            && mark.chars().all(|c| c.is_ascii_alphabetic() || c == '/')
        {
            t = &t[close + 2..];
        }
    }
    t.trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

fn dedup(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in v {
        if !out.contains(t) {
            out.push(t.clone());
        }
    }
    out
}

/// Field-by-field tallies with the disagreements kept for the report.
#[derive(Default)]
struct Tally {
    fields: Vec<(&'static str, usize, usize, Vec<String>)>,
}

impl Tally {
    fn check(&mut self, field: &'static str, ok: bool, detail: impl FnOnce() -> String) {
        let i = match self.fields.iter().position(|f| f.0 == field) {
            Some(i) => i,
            None => {
                self.fields.push((field, 0, 0, Vec::new()));
                self.fields.len() - 1
            }
        };
        let f = &mut self.fields[i];
        f.2 += 1;
        if ok {
            f.1 += 1;
        } else {
            f.3.push(detail());
        }
    }

    fn report(&self, title: &str, min_rate: f64) -> Vec<String> {
        let verbose = std::env::var_os("CORPUS_VERBOSE").is_some();
        let mut below = Vec::new();
        println!("{title}");
        for (field, ok, n, misses) in &self.fields {
            let rate = *ok as f64 / (*n).max(1) as f64;
            println!("  {field:<16} {ok:>4}/{n:<4} {:>6.2}%", rate * 100.0);
            if verbose {
                for m in misses {
                    println!("    {m}");
                }
            }
            if rate < min_rate {
                below.push(format!("{title} {field}: {:.2}% ({ok}/{n})", rate * 100.0));
            }
        }
        below
    }
}

#[test]
fn cablegate_pages_agree_with_what_they_state() {
    let Some(shared) = common::shared_dir("cablegate_pages_agree_with_what_they_state") else {
        return;
    };
    let root = shared.join("corpus/cablegate");
    let expected = common::read_jsonl(&root.join("expected.jsonl"));
    assert!(expected.len() > 500);
    let mut tally = Tally::default();
    let mut unparsed = Vec::new();
    let mut pages_without_tag_links = 0;
    for e in &expected {
        let file = e["file"].as_str().unwrap_or_default();
        let cable = match parse_one(&root.join(file)) {
            Ok(c) => c,
            Err(why) => {
                unparsed.push(format!("{file}: {why}"));
                continue;
            }
        };
        let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
        let id = s("id");
        tally.check("id", cable.id == id, || format!("{id}: got {}", cable.id));
        tally.check(
            "classification",
            cable.classification.to_string() == s("classification"),
            || {
                format!(
                    "{id}: want {} got {}",
                    s("classification"),
                    cable.classification
                )
            },
        );
        tally.check("origin", cable.origin == s("origin"), || {
            format!("{id}: want {} got {}", s("origin"), cable.origin)
        });
        let hour = cable
            .date
            .map(|d| d.format("%Y-%m-%dT%H").to_string())
            .unwrap_or_default();
        tally.check("hour", hour == s("date_hour"), || {
            format!("{id}: want {} got {hour}", s("date_hour"))
        });
        let want_tags: Vec<String> = serde_json::from_value(e["tags"].clone()).unwrap_or_default();
        let want_tags = dedup(&want_tags);
        // The page links the tags of the TAGS line's first line only, and splits multi-word
        // tags into one link a word: what it states must open what we read.
        if want_tags.is_empty() {
            pages_without_tag_links += 1;
        } else {
            let ours = letters(&cable.tags.join(""));
            let linked = letters(&want_tags.join(""));
            tally.check(
                "tags",
                !ours.is_empty() && ours.starts_with(&linked),
                || format!("{id}: want {want_tags:?} got {:?}", cable.tags),
            );
        }
        if let Some(letter) = e["precedence_letter"].as_str() {
            let want = Precedence::from_word(letter);
            // The page states the prosign letter; NIACT raises IMMEDIATE.
            let got = match cable.precedence {
                Precedence::NiactImmediate => Precedence::Immediate,
                p => p,
            };
            tally.check("precedence", Some(got) == want, || {
                format!("{id}: want {letter} got {}", cable.precedence)
            });
        }
        let prefix = title_text(&s("title_prefix"));
        let subject = title_text(&cable.subject);
        // The page title can run on into the next field when it shares the subject's line.
        let ran_on = |rest: &str| {
            rest.starts_with(" REF") || rest.to_ascii_uppercase().starts_with(" CLASSIFIED BY")
        };
        let agrees = subject.starts_with(&prefix)
            || (!subject.is_empty() && prefix.strip_prefix(subject.as_str()).is_some_and(ran_on));
        tally.check("subject start", agrees, || {
            format!("{id}: want {prefix:?} got {subject:?}")
        });
    }
    println!(
        "{} pages, {} parsed; {pages_without_tag_links} state no TAGS links (not compared)",
        expected.len(),
        expected.len() - unparsed.len()
    );
    let below = tally.report("cablegate pages vs expected.jsonl", 0.99);
    assert!(
        unparsed.is_empty(),
        "pages that did not parse: {unparsed:#?}"
    );
    assert!(below.is_empty(), "fields below 99%: {below:#?}");
}

#[test]
fn text_cables_agree_with_their_pages() {
    let Some(shared) = common::shared_dir("text_cables_agree_with_their_pages") else {
        return;
    };
    let pages: HashMap<String, String> =
        common::read_jsonl(&shared.join("corpus/cablegate/expected.jsonl"))
            .iter()
            .filter_map(|e| {
                Some((
                    e["id"].as_str()?.to_string(),
                    e["file"].as_str()?.to_string(),
                ))
            })
            .collect();
    let index = common::read_jsonl(&shared.join("corpus/text/index.jsonl"));
    let mut tally = Tally::default();
    let mut compared = 0;
    for entry in &index {
        let (Some(id), Some(file)) = (entry["reference_id"].as_str(), entry["file"].as_str())
        else {
            continue;
        };
        let Some(page_file) = pages.get(id) else {
            continue;
        };
        let text = parse_one(&shared.join("corpus/text").join(file));
        let page = parse_one(&shared.join("corpus/cablegate").join(page_file));
        let (Ok(text), Ok(page)) = (text, page) else {
            tally.check("parses", false, || {
                format!("{id}: text or page did not parse")
            });
            continue;
        };
        compared += 1;
        tally.check("id", text.id == page.id, || {
            format!("{id}: text {} page {}", text.id, page.id)
        });
        tally.check("tags", text.tags == page.tags, || {
            format!("{id}: text {:?} page {:?}", text.tags, page.tags)
        });
        tally.check(
            "subject",
            squeeze(&text.subject) == squeeze(&page.subject),
            || format!("{id}: text {:?} page {:?}", text.subject, page.subject),
        );
        tally.check(
            "classification",
            text.classification.level == page.classification.level,
            || {
                format!(
                    "{id}: text {} page {}",
                    text.classification, page.classification
                )
            },
        );
        tally.check("references", text.references == page.references, || {
            format!(
                "{id}: text {:?} page {:?}",
                text.references, page.references
            )
        });
        tally.check(
            "paragraphs",
            text.paragraphs.len() == page.paragraphs.len(),
            || {
                format!(
                    "{id}: text {} page {}",
                    text.paragraphs.len(),
                    page.paragraphs.len()
                )
            },
        );
    }
    println!("{compared} text cables compared with their pages");
    assert!(
        compared >= 150,
        "only {compared} text cables matched a page"
    );
    let below = tally.report("text cables vs their pages", 0.95);
    assert!(below.is_empty(), "fields below 95%: {below:#?}");
}

#[test]
fn both_rows_of_the_real_csv_sample() {
    let Some(shared) = common::shared_dir("both_rows_of_the_real_csv_sample") else {
        return;
    };
    let cables = parse_all(&shared.join("corpus/csv/cables_sample.csv"));
    assert_eq!(cables.len(), 2);
    let (a, b) = (&cables[0], &cables[1]);
    assert_eq!(a.id, "66BUENOSAIRES2481");
    assert_eq!(
        a.date.map(|d| d.to_rfc3339()).as_deref(),
        Some("1966-12-28T18:48:00+00:00")
    );
    assert_eq!(a.precedence, Precedence::Priority);
    assert_eq!(a.classification.to_string(), "UNCLASSIFIED");
    assert_eq!(a.origin, "Embassy Buenos Aires");
    assert_eq!(a.from, "AMEMBASSY BUENOS AIRES");
    assert_eq!(a.tags, ["EFIS", "PBTS", "AR"]);
    assert_eq!(a.subject, "EXTENDED NATIONAL JURISDICTIONS OVER HIGH SEAS");
    assert_eq!(a.references, ["66STATE106206"]);
    assert_eq!(a.to.len(), 1);
    assert_eq!(a.to[0].name, "SECSTATE WASHDC");
    assert_eq!(a.to[0].precedence.as_deref(), Some("PRIORITY"));
    assert!(a.info.len() >= 10, "{:?}", a.info);
    assert_eq!(a.source.row, Some(1));
    assert_eq!(a.source.offset, Some(0));
    assert!(a.paragraphs.len() >= 4);
    assert_eq!(b.id, "72TEHRAN1164");
    assert_eq!(
        b.date.map(|d| d.to_rfc3339()).as_deref(),
        Some("1972-02-25T09:30:00+00:00")
    );
    assert_eq!(b.precedence, Precedence::Routine);
    assert_eq!(b.origin, "Embassy Tehran");
    assert_eq!(b.tags, ["MASS", "MARR", "IR"]);
    assert_eq!(b.subject, "ACCELERATION OF F-4ES FOR IRAN");
    assert_eq!(b.source.row, Some(2));
    // The offset points at the row, so the body can be read again lazily.
    let (Some(offset), Some(row)) = (b.source.offset, b.source.row) else {
        panic!("no offset");
    };
    let again =
        read::csv_dump::read_row_at(&shared.join("corpus/csv/cables_sample.csv"), offset, row)
            .unwrap()
            .unwrap();
    assert_eq!(again.fields[2], b"72TEHRAN1164");
    assert_eq!(again.row, 2);
}

/// The index reading of every real page and text cable equals the full reading's entry.
#[test]
fn index_reading_agrees_on_real_cables() {
    use cabletriage::corpus::{Entry, Location};
    let Some(shared) = common::shared_dir("index_reading_agrees_on_real_cables") else {
        return;
    };
    let mut compared = 0;
    for dir in ["corpus/cablegate", "corpus/text"] {
        read::read_paths(&[shared.join(dir)], &ReadOptions::default(), &mut |e| {
            if let Event::Cable(raw) = e {
                let full = Entry::from_cable(&Cable::from_raw(&raw), Location::NOWHERE);
                let index = Entry::from_cable(&Cable::for_index(&raw), Location::NOWHERE);
                assert_eq!(full, index, "{}", raw.source.path);
                compared += 1;
            }
        });
    }
    assert!(compared >= 780, "{compared}");
}
