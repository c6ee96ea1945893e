//! Tests of the generator as a whole: determinism, proportions, sizes, and the three writers.

use super::*;
use crate::cable::Precedence;

fn cables(count: usize, seed: u64) -> Vec<SynthCable> {
    let mut g = Generator::new(seed);
    (0..count).map(|_| g.next_cable()).collect()
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .escape(Some(b'\\'))
        .double_quote(false)
        .from_reader(bytes)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = demo_csv(300, 42);
    assert_eq!(a, demo_csv(300, 42));
    assert_ne!(a, demo_csv(300, 43));
    // next_into reuses buffers but must give exactly what next_cable gives.
    let mut g = Generator::new(42);
    let mut reused = SynthCable::default();
    for c in cables(50, 42) {
        g.next_into(&mut reused);
        assert_eq!(c, reused);
    }
}

#[test]
fn proportions_are_close_to_cablegate() {
    let all = cables(5000, 7);
    let share = |f: &dyn Fn(&SynthCable) -> bool| {
        all.iter().filter(|c| f(c)).count() as f64 / all.len() as f64
    };
    for (class, weight) in CLASSIFICATIONS {
        let got = share(&|c| c.classification == class);
        let want = f64::from(weight) / 10_000.0;
        assert!(
            (got - want).abs() < 0.02 + want * 0.25,
            "{class}: {got} vs {want}"
        );
    }
    let prec = |p: Precedence| share(&|c| c.precedence == p);
    assert!((prec(Precedence::Routine) - 0.355).abs() < 0.03);
    assert!((prec(Precedence::Priority) - 0.40).abs() < 0.03);
    assert!((prec(Precedence::Immediate) - 0.22).abs() < 0.03);
    assert!((0.01..0.03).contains(&prec(Precedence::NiactImmediate)));
    let recent = share(&|c| (2005..=2010).contains(&chrono::Datelike::year(&c.date)));
    assert!(recent > 0.8, "{recent}");
    let old = share(&|c| chrono::Datelike::year(&c.date) < 1990);
    assert!(old > 0.002, "{old}");
}

#[test]
fn median_size_is_about_five_kilobytes() {
    let mut sizes: Vec<usize> = cables(3000, 11)
        .iter()
        .map(|c| c.header.len() + c.body.len())
        .collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!((3000..8000).contains(&median), "median {median}");
}

#[test]
fn cables_are_consistent_with_their_truth() {
    for c in cables(2000, 5) {
        let year = chrono::Datelike::year(&c.date) % 100;
        assert!(c.id.starts_with(&format!("{year:02}")), "{}", c.id);
        assert!(!c.id[2..].starts_with('0'));
        assert!((2..=12).contains(&c.tags.len()), "{:?}", c.tags);
        assert!((1..=40).contains(&c.paragraphs));
        assert!(c.header.contains(&format!("FM {}", c.from)));
        assert!(c.body.contains("TAGS: "));
        let subject_words: Vec<&str> = c.subject.split(' ').collect();
        let body_upper = c.body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            body_upper.contains(&subject_words.join(" ")),
            "{}",
            c.subject
        );
        let last = c.paragraphs.to_string() + ".";
        assert!(c.body.lines().any(|l| l.starts_with(&last)), "{}", c.id);
        if c.precedence != Precedence::Unknown {
            let dtg = format!(
                "{:02}{}Z",
                chrono::Datelike::day(&c.date),
                c.date.format("%H%M")
            );
            assert!(c.header.contains(&dtg), "{}", c.header);
        }
        if c.precedence == Precedence::NiactImmediate {
            assert!(c.header.contains("NIACT IMMEDIATE"));
        }
        for r in &c.references {
            assert!(r.len() > 4 && r != &c.id);
        }
        assert!(!c.body.contains('\0'));
    }
}

#[test]
fn references_cite_earlier_cables_or_cables_never_made() {
    let all = cables(5000, 3);
    let position: std::collections::HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    assert_eq!(position.len(), all.len(), "ids are unique");
    let (mut cited, mut missing) = (0, 0);
    for (i, c) in all.iter().enumerate() {
        let distinct: std::collections::HashSet<&String> = c.references.iter().collect();
        assert_eq!(distinct.len(), c.references.len(), "{} cites twice", c.id);
        for r in &c.references {
            assert_ne!(r, &c.id, "{} cites itself", c.id);
            match position.get(r.as_str()) {
                // A cited cable of the corpus came out of the generator before, dated before.
                Some(&at) => assert!(at < i && all[at].date < c.date, "{} cites {r}", c.id),
                // An id cited as missing was reserved: the generator never made it after.
                None => missing += 1,
            }
            cited += 1;
        }
    }
    assert!(cited > 3000 && missing > 300, "{cited} {missing}");
}

#[test]
fn references_change_nothing_but_the_ref_line() {
    // The demo corpus is drawn in the app's snapshots: choosing other references must leave
    // every other field and line of every cable as it was.
    let mut a = Generator::new(1966);
    let mut b = Generator::with_reference_seed(1966, 7);
    let without_refs = |body: &str| {
        let mut lines = body.lines().peekable();
        let mut kept = Vec::new();
        while let Some(line) = lines.next() {
            if line.starts_with("REF: ") {
                // The REF block runs to the blank line after it, which goes too.
                while lines.next().is_some_and(|l| !l.trim().is_empty()) {}
                continue;
            }
            kept.push(line);
        }
        kept.join("\n")
    };
    let mut differ = 0;
    for _ in 0..2000 {
        let (x, y) = (a.next_cable(), b.next_cable());
        differ += usize::from(x.references != y.references);
        assert_eq!(
            (&x.id, x.date, &x.subject, &x.tags, &x.header),
            (&y.id, y.date, &y.subject, &y.tags, &y.header)
        );
        assert_eq!(without_refs(&x.body), without_refs(&y.body), "{}", x.id);
    }
    assert!(differ > 500, "{differ}");
}

#[test]
fn references_form_threads_hubs_and_missing_citations_like_cablegate() {
    let mut stats = RefStats::default();
    for c in cables(20_000, 12) {
        stats.add(&c.id, c.date.timestamp(), &c.references);
    }
    let s = stats.summary();
    // Cablegate: about half the cables cite nothing, 0.9 references per cable.
    assert!((0.40..0.60).contains(&s.citing_nothing), "{s}");
    assert!((0.7..1.2).contains(&s.mean_references), "{s}");
    assert!((0.15..0.25).contains(&s.missing_share), "{s}");
    // Conversations: chains of 5 and more, never longer than 15 cables.
    assert!(s.chain_ends_5_to_15 > 100, "{s}");
    assert!((5..=15).contains(&s.longest_chain), "{s}");
    // Hubs tie conversations into one large cluster.
    assert!(s.top_hub.1 >= 100, "{s}");
    let cluster = s.largest_cluster as f64 / s.cables as f64;
    assert!((0.15..0.45).contains(&cluster), "{s}");
}

#[test]
fn the_demo_corpus_shows_threads_hubs_and_missing_citations() {
    let mut stats = RefStats::default();
    for c in cables(
        crate::corpus::demo::DEMO_CABLES,
        crate::corpus::demo::DEMO_SEED,
    ) {
        stats.add(&c.id, c.date.timestamp(), &c.references);
    }
    let s = stats.summary();
    assert!(s.chain_ends_5_to_15 >= 3, "{s}");
    assert!(s.top_hub.1 >= 20, "{s}");
    assert!(s.distinct_missing >= 50, "{s}");
}

#[test]
fn csv_rows_escape_with_backslashes_and_have_eight_fields() {
    let bytes = demo_csv(500, 9);
    let text = String::from_utf8(bytes.clone()).unwrap_or_default();
    assert!(
        text.contains("\\\"") && text.contains("\\'"),
        "quotes must occur and be escaped"
    );
    // The only `""` are empty fields (no references), never a doubled quote.
    assert_eq!(text.matches("\"\"").count(), text.matches(",\"\",").count());
    let mut rows = 0;
    let all = cables(500, 9);
    for (i, record) in csv_reader(&bytes).records().enumerate() {
        let record = record.map_err(|e| e.to_string());
        let record = record.as_ref().map_err(String::as_str);
        assert!(record.is_ok(), "row {i}: {record:?}");
        let Ok(record) = record else { continue };
        assert_eq!(record.len(), 8);
        let c = &all[i];
        assert_eq!(&record[0], (i + 1).to_string());
        assert_eq!(&record[2], c.id);
        assert_eq!(&record[4], c.classification);
        assert_eq!(&record[6], c.header);
        assert_eq!(&record[7], c.body);
        let mut refs = c.references.clone();
        refs.sort();
        assert_eq!(&record[5], refs.join("|"));
        rows += 1;
    }
    assert_eq!(rows, 500);
}

#[test]
fn csv_date_is_unpadded_with_two_digit_minutes() {
    let c = SynthCable {
        date: chrono::DateTime::parse_from_rfc3339("2008-04-06T03:05:00Z")
            .map(|d| d.to_utc())
            .unwrap_or_default(),
        id: "08MOSCOW1052".into(),
        body: "He said \"no\" and O'Neil agreed.\n".into(),
        ..SynthCable::default()
    };
    let mut out = Vec::new();
    assert!(write_csv_row(&mut out, 3, &c).is_ok());
    let row = String::from_utf8_lossy(&out);
    assert!(
        row.starts_with("\"3\",\"4/6/2008 3:05\",\"08MOSCOW1052\""),
        "{row}"
    );
    assert!(
        row.ends_with("\"He said \\\"no\\\" and O\\'Neil agreed.\n\"\n"),
        "{row}"
    );
}

#[test]
fn html_page_has_table_pre_blocks_and_known_flaws() {
    for c in cables(1000, 4) {
        let mut out = Vec::new();
        assert!(write_html(&mut out, &c).is_ok());
        let page = String::from_utf8_lossy(&out);
        assert!(page.contains("<table class='cable'>"));
        for th in [
            "Reference ID",
            "Created",
            "Released",
            "Classification",
            "Origin",
        ] {
            assert!(page.contains(&format!("<th>{th}</th>")));
        }
        assert_eq!(page.matches("<code><pre>").count(), 2);
        assert!(page.contains(&format!(">{}</a>", c.id)));
        assert!(page.contains(&format!(">{}</a>", c.classification)));
        // Cablegate's titles are shifted; only SECRET//NOFORN happens to land on itself.
        if c.classification != "SECRET//NOFORN" {
            let own = format!("title='{}'", c.classification.to_lowercase());
            assert!(!page.contains(&own));
        }
        let created = format!(
            "{} {}:{:02}</a>",
            c.date.format("%Y-%m-%d"),
            c.date.format("%H"),
            chrono::Timelike::hour12(&c.date).1
        );
        assert!(page.contains(&created), "{created}");
        assert!(page.contains("<a id='par1' href='#par1'>\u{b6}</a>1."));
        let last = c.paragraphs;
        assert!(page.contains(&format!("<a id='par{last}' href='#par{last}'>")));
        assert_eq!(page.matches("<a id='par").count(), last, "{}", c.id);
        assert!(page.contains(&format!(
            "<a href='/tag/{}_0.html'>{}</a>",
            c.tags[0], c.tags[0]
        )));
        assert!(page.contains("&#x000A;") && !page.contains("<pre>\n"));
        assert!(html_path(&c).starts_with(&format!("cable/{}/", c.date.format("%Y/%m"))));
    }
}

#[test]
fn text_file_is_header_blank_line_body() {
    let c = Generator::new(1).next_cable();
    let mut out = Vec::new();
    assert!(write_text(&mut out, &c).is_ok());
    let text = String::from_utf8_lossy(&out);
    assert_eq!(text, format!("{}\n\n{}", c.header, c.body));
    assert_eq!(text_file_name(&c), format!("{}.txt", c.id));
}

#[test]
fn truth_json_names_precedence_as_cables_do() {
    let mut g = Generator::new(2);
    let c = std::iter::from_fn(|| Some(g.next_cable()))
        .take(2000)
        .find(|c| c.precedence == Precedence::NiactImmediate);
    let Some(c) = c else {
        panic!("no NIACT cable in 2000");
    };
    let mut out = Vec::new();
    assert!(write_truth_json(&mut out, &c).is_ok());
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
    assert_eq!(v["precedence"], "NIACT IMMEDIATE");
    assert_eq!(v["id"], c.id.as_str());
    assert!(v["date"].as_str().is_some_and(|d| d.ends_with('Z')));
}

#[test]
fn subjects_vary() {
    let all = cables(2000, 8);
    let distinct: std::collections::HashSet<&str> =
        all.iter().map(|c| c.subject.as_str()).collect();
    assert!(distinct.len() > 1500, "{}", distinct.len());
}
