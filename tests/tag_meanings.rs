//! Every TAGS code a real cable carries has a meaning to show in the reading view.
//!
//! Coverage is the share of TAGS code occurrences in `../shared/corpus/` (every Cablegate
//! page, text cable, the seed and the CSV sample, as the app parses them) that
//! [`tag_meaning::meaning`] explains. Person tags (`DOE, JOHN`) and free-text keywords
//! (`HUMAN RIGHTS`, `TURKEY`) are names, not codes, and are left out of the count: see
//! [`tag_meaning::is_code`].

mod common;

use std::collections::BTreeMap;

use cabletriage::cable::{Cable, tag_meaning};
use cabletriage::read::{self, Event, ReadOptions};

#[test]
fn real_corpus_tags_have_meanings() {
    let Some(shared) = common::shared_dir("real_corpus_tags_have_meanings") else {
        return;
    };
    let mut cables = 0;
    let mut codes = 0usize;
    let mut explained = 0usize;
    let mut not_codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    let dirs = ["cablegate", "text", "seed", "csv"].map(|d| shared.join("corpus").join(d));
    read::read_paths(&dirs, &ReadOptions::default(), &mut |e| {
        let Event::Cable(raw) = e else { return };
        cables += 1;
        for tag in Cable::from_raw(&raw).tags {
            if !tag_meaning::is_code(&tag) {
                *not_codes.entry(tag).or_default() += 1;
                continue;
            }
            codes += 1;
            if tag_meaning::meaning(&tag).is_some() {
                explained += 1;
            } else {
                *missing.entry(tag).or_default() += 1;
            }
        }
    });
    let share = explained as f64 / codes.max(1) as f64;
    let mut missing: Vec<_> = missing.into_iter().collect();
    missing.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let not_counted: usize = not_codes.values().sum();
    // Straight to stderr: the harness hides the output of passing tests otherwise.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "TAGS meanings: {explained}/{codes} code occurrences explained ({:.2}%) in {cables} \
         cables; missing: {missing:?}; {not_counted} person or keyword tags not counted: \
         {not_codes:?}",
        share * 100.0
    );
    assert!(cables >= 790, "only {cables} cables read");
    assert!(
        share >= 0.99,
        "{:.2}% of TAGS codes explained; missing: {missing:?}",
        share * 100.0
    );
}
