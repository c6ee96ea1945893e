//! `paragraphs` counts the body's paragraphs, not the signature below them, on real cables.

mod common;

use cabletriage::cable::Cable;
use cabletriage::read::{self, Event, ReadOptions};

#[test]
fn real_cables_count_no_signature() {
    let Some(shared) = common::shared_dir("real_cables_count_no_signature") else {
        return;
    };
    let mut seed = Vec::new();
    read::read_paths(
        &[shared.join("corpus/seed")],
        &ReadOptions::default(),
        &mut |e| {
            if let Event::Cable(raw) = e {
                seed.push(Cable::from_raw(&raw));
            }
        },
    );
    assert_eq!(seed.len(), 1);
    assert_eq!(seed[0].signed_by, ["BURNS"]);
    let numbers: Vec<_> = seed[0].paragraphs.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=8).map(Some).collect::<Vec<_>>());

    let mut cables = 0;
    let mut ending_with_signature = Vec::new();
    let dirs = ["cablegate", "text"].map(|d| shared.join("corpus").join(d));
    read::read_paths(&dirs, &ReadOptions::default(), &mut |e| {
        let Event::Cable(raw) = e else { return };
        let cable = Cable::from_raw(&raw);
        cables += 1;
        let last = cable
            .paragraphs
            .last()
            .map(|p| p.text.trim_end_matches(['.', ' ']));
        if let (Some(last), Some(name)) = (last, cable.signed_by.first())
            && last.eq_ignore_ascii_case(name)
        {
            ending_with_signature.push(raw.source.path.clone());
        }
    });
    assert!(cables >= 790, "only {cables} cables read");
    assert!(
        ending_with_signature.is_empty(),
        "signature counted as a paragraph: {ending_with_signature:?}"
    );
}
