//! Time spent per field extractor over a dump: `cargo run --release --example field_timing -- FILE.csv`.
//! A diagnostic for tuning the parser; `bench_parse` gives the figures that count.

use std::time::{Duration, Instant};

use cabletriage::cable::{self, Cable, clean};
use cabletriage::read::csv_dump::{DumpReader, to_raw_cable};

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: field_timing FILE.csv"))?;
    let mut raws = Vec::new();
    for row in DumpReader::new(std::fs::File::open(&path)?) {
        if let Ok(row) = row? {
            raws.push(to_raw_cable(row, &path).0);
        }
    }
    let contents: Vec<String> = raws
        .iter()
        .map(|r| format!("{}\n\n{}", r.header, r.body))
        .collect();
    let mut times: Vec<(&str, Duration)> = Vec::new();
    let mut time = |name: &'static str, f: &dyn Fn(usize)| {
        let start = Instant::now();
        for i in 0..raws.len() {
            f(i);
        }
        times.push((name, start.elapsed()));
    };
    time("whole interpretation", &|i| {
        std::hint::black_box((Cable::from_raw(&raws[i])))
    });
    time("normalize body", &|i| {
        std::hint::black_box((clean::normalize(&raws[i].body)))
    });
    time("paragraphs", &|i| {
        std::hint::black_box((cable::paragraphs::split(&raws[i].body)))
    });
    time("tags", &|i| {
        std::hint::black_box((cable::tags::parse_tags(&contents[i], true)))
    });
    time("subject", &|i| {
        std::hint::black_box((cable::subject::parse_subject(&contents[i], true)))
    });
    time("references", &|i| {
        std::hint::black_box((cable::references::parse_references(&contents[i], 2008, None)))
    });
    time("classified_by", &|i| {
        std::hint::black_box((cable::classified_by::parse_classified_by(
            &contents[i],
            true,
        ),))
    });
    time("signed_by", &|i| {
        std::hint::black_box((cable::signed_by::parse_signed_by(&contents[i], true)))
    });
    time("summary", &|i| {
        std::hint::black_box((cable::summary::parse_summary(&contents[i])))
    });
    time("declassify", &|i| {
        std::hint::black_box((cable::declassify::parse_declassify_on(&contents[i]),))
    });
    time("to + info", &|i| {
        std::hint::black_box(
            ((
                cable::recipients::parse_to(&raws[i].header),
                cable::recipients::parse_info(&raws[i].header),
            )),
        )
    });
    time("dtg", &|i| {
        std::hint::black_box((cable::dtg::find_dtg_line(&raws[i].header)))
    });
    time("caveats", &|i| {
        std::hint::black_box((cable::caption::caveats(&raws[i].body)))
    });
    time("classification", &|i| {
        std::hint::black_box((cable::caption::classification_from_text(
            &raws[i].header,
            &raws[i].body,
        ),))
    });
    let total = times[0].1.as_secs_f64();
    for (name, t) in &times {
        println!(
            "{name:<22} {:>8.1} ms {:>6.1}%",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() / total * 100.0
        );
    }
    Ok(())
}
