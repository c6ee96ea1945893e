//! The screenshots in `screenshots/` (and so the README's pictures) are what the views draw
//! today: every scene is drawn again, as `examples/screenshots.rs` draws it, and each SVG
//! compared with the committed one.

#[path = "../examples/support/scenes.rs"]
mod scenes;

use std::collections::BTreeSet;
use std::path::Path;

const REGENERATE: &str = "regenerate them with `cargo run --example screenshots` \
     (PNGs need rsvg-convert, from librsvg2-bin), look at them, and commit screenshots/";

#[test]
fn the_committed_screenshots_are_what_the_views_draw() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let work = tempfile::tempdir().expect("temp dir");
    let mut problems = Vec::new();
    let mut drawn = BTreeSet::new();
    scenes::each(work.path(), |scene, app| {
        for (name, svg) in scenes::pictures(scene, app)? {
            let file = format!("screenshots/{name}.svg");
            match std::fs::read_to_string(dir.join(format!("{name}.svg"))) {
                Ok(committed) if committed == svg => {}
                Ok(_) => problems.push(format!("{file} is out of date with the views")),
                Err(e) => problems.push(format!("{file} cannot be read: {e}")),
            }
            if !dir.join(format!("{name}.png")).exists() {
                problems.push(format!("screenshots/{name}.png is missing"));
            }
            drawn.insert(format!("{name}.svg"));
        }
        Ok(())
    })
    .expect("drawing the scenes");
    // A picture no scene draws any more would go on showing an old screen.
    for entry in std::fs::read_dir(&dir).expect("screenshots/") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".svg") && !drawn.contains(&name) {
            problems.push(format!(
                "screenshots/{name} is drawn by no scene: remove it (and its PNG)"
            ));
        }
    }
    assert!(problems.is_empty(), "{}\n{REGENERATE}", problems.join("\n"));
}

#[test]
fn drawing_the_screenshots_twice_gives_the_same_pictures() {
    let draw_all = || {
        let work = tempfile::tempdir().expect("temp dir");
        let mut all = Vec::new();
        scenes::each(work.path(), |scene, app| {
            all.extend(scenes::pictures(scene, app)?);
            Ok(())
        })
        .expect("drawing the scenes");
        all
    };
    let first = draw_all();
    let second = draw_all();
    assert_eq!(first.len(), second.len());
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{name}.svg differs between two drawings");
        assert!(
            !a.contains(env!("CARGO_MANIFEST_DIR")) && !a.contains("/tmp"),
            "{name}.svg shows a path of this machine"
        );
    }
}
