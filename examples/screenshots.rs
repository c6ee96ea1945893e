//! Makes the screenshots in `screenshots/` from the real views on the demo corpus:
//! `cargo run --example screenshots`. Writes SVG, and PNG where `rsvg-convert` is installed.
//! Every scene in the default theme, the table and the reading view also in `light` and
//! `mono`. `tests/screenshots.rs` fails when the SVGs here are not what the views draw.

#[path = "support/scenes.rs"]
mod scenes;

use std::path::Path;
use std::process::Command;

use anyhow::Result;

fn main() -> Result<()> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&out)?;
    let work = tempfile::tempdir()?;
    scenes::each(work.path(), |scene, app| {
        for (name, svg) in scenes::pictures(scene, app)? {
            write(&out, &name, &svg)?;
        }
        Ok(())
    })
}

fn write(out: &Path, name: &str, svg: &str) -> Result<()> {
    let svg_path = out.join(format!("{name}.svg"));
    std::fs::write(&svg_path, svg)?;
    let png_path = out.join(format!("{name}.png"));
    match Command::new("rsvg-convert")
        .arg("-o")
        .arg(&png_path)
        .arg(&svg_path)
        .status()
    {
        Ok(s) if s.success() => {
            eprintln!("wrote {} and {}", svg_path.display(), png_path.display())
        }
        _ => eprintln!(
            "wrote {} (no PNG: rsvg-convert is not installed)",
            svg_path.display()
        ),
    }
    Ok(())
}
