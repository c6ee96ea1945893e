//! Time spent per field extractor over a dump: a diagnostic for tuning the parser
//! (`cargo run --release --example field_timing -- FILE.csv`). `bench_parse` gives the
//! figures that count.

use std::time::Instant;

use cabletriage::cable::{self, Cable, RawCable, clean};
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
    type Step = (&'static str, fn(&RawCable, &str));
    let steps: [Step; 16] = [
        ("whole interpretation", |r, _| sink(Cable::from_raw(r))),
        ("index interpretation", |r, _| sink(Cable::for_index(r))),
        ("index entry", |r, _| {
            sink(cabletriage::corpus::Entry::from_cable(
                &Cable::for_index(r),
                cabletriage::corpus::Location::NOWHERE,
            ))
        }),
        ("normalize body", |r, _| sink(clean::normalize(&r.body))),
        ("paragraphs", |r, _| sink(cable::paragraphs::split(&r.body))),
        ("tags", |_, c| sink(cable::tags::parse_tags(c, true))),
        ("subject", |_, c| {
            sink(cable::subject::parse_subject(c, true))
        }),
        ("references", |_, c| {
            sink(cable::references::parse_references(c, 2008, None))
        }),
        ("classified_by", |_, c| {
            sink(cable::classified_by::parse_classified_by(c, true))
        }),
        ("signed_by", |_, c| {
            sink(cable::signed_by::parse_signed_by(c, true))
        }),
        ("summary", |_, c| sink(cable::summary::parse_summary(c))),
        ("declassify", |_, c| {
            sink(cable::declassify::parse_declassify_on(c))
        }),
        ("to + info", |r, _| {
            sink(cable::recipients::parse_to(&r.header));
            sink(cable::recipients::parse_info(&r.header));
        }),
        ("dtg", |r, _| sink(cable::dtg::find_dtg_line(&r.header))),
        ("caveats", |r, _| sink(cable::caption::caveats(&r.body))),
        ("classification", |r, _| {
            sink(cable::caption::classification_from_text(&r.header, &r.body))
        }),
    ];
    let mut total = None;
    for (name, step) in steps {
        let start = Instant::now();
        for (raw, content) in raws.iter().zip(&contents) {
            step(raw, content);
        }
        let t = start.elapsed().as_secs_f64();
        let whole = *total.get_or_insert(t);
        println!("{name:<22} {:>8.1} ms {:>6.1}%", t * 1e3, t / whole * 100.0);
    }
    Ok(())
}

fn sink<T>(value: T) {
    std::hint::black_box(value);
}
