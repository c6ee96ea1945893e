//! Reading one cable again, whole, from where the index says it is: its own file, or its row
//! of a dump (a seek to the row's offset, not a scan).

use std::path::Path;

use super::Location;
use crate::cable::Cable;
use crate::read::{self, Event, ReadOptions, csv_dump};

/// The cable at `location` in `path`, with every field and the body.
pub fn read_cable(path: &Path, location: &Location) -> Result<Cable, String> {
    let name = path.display().to_string();
    check_location(path, location).map_err(|why| format!("{name}: {why}"))?;
    if location.row > 0 {
        let row = csv_dump::read_row_at(path, location.offset, location.row)
            .map_err(|e| format!("{name}: cannot read: {e}"))?
            .map_err(|e| format!("{name}:{}: {}", e.row, e.message))?;
        let (raw, _) = csv_dump::to_raw_cable(row, &name);
        return Ok(Cable::from_raw(&raw));
    }
    let mut found = None;
    let mut problem = None;
    read::read_file(path, &ReadOptions::default(), &mut |event| match event {
        Event::Cable(raw) => found = Some(Cable::from_raw(&raw)),
        Event::Problem(p) if p.skipped => problem = Some(p.to_string()),
        Event::Problem(_) => {}
    });
    found.ok_or_else(|| problem.unwrap_or_else(|| format!("{name}: no cable found")))
}

/// Refuses a location that cannot be in its file: a row said to start at or past the end of
/// the file, or an offset for a one-cable file. Such a location comes from a file changed
/// since it was indexed, or from an index that was not ours; either way nothing is read.
fn check_location(path: &Path, location: &Location) -> Result<(), String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if location.row == 0 && location.offset != 0 {
        return Err(format!(
            "the index places a cable at byte {} of a one-cable file; open the corpus again",
            location.offset
        ));
    }
    if location.row > 0 && location.offset >= size {
        return Err(format!(
            "row {} is said to start at byte {}, past the end of the file ({size} bytes): \
             the file changed since it was indexed; open the corpus again",
            location.row, location.offset
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::demo_csv;

    #[test]
    fn rows_and_files_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("d.csv");
        std::fs::write(&dump, demo_csv(20, 5)).unwrap();
        let mut rows = Vec::new();
        for row in csv_dump::DumpReader::new(std::fs::File::open(&dump).unwrap()) {
            rows.push(row.unwrap().unwrap());
        }
        let last = rows.last().unwrap();
        let cable = read_cable(
            &dump,
            &Location {
                file: 0,
                row: last.row,
                offset: last.offset,
            },
        )
        .unwrap();
        assert_eq!(cable.id.as_bytes(), &last.fields[2][..]);
        assert!(!cable.paragraphs.is_empty());
        let missing = read_cable(
            &dir.path().join("gone.txt"),
            &Location {
                file: 0,
                row: 0,
                offset: 0,
            },
        );
        assert!(missing.unwrap_err().contains("gone.txt"));
        // A row past the end of the file is refused, naming the file, rather than read.
        let size = std::fs::metadata(&dump).unwrap().len();
        for offset in [size, size + 1, u64::MAX] {
            let past = read_cable(
                &dump,
                &Location {
                    file: 0,
                    row: 7,
                    offset,
                },
            )
            .unwrap_err();
            assert!(
                past.contains("d.csv") && past.contains("past the end"),
                "{past}"
            );
        }
        let one = dir.path().join("one.txt");
        std::fs::write(&one, "UNCLAS OSLO 000001\n\nSUBJECT: X\n").unwrap();
        let at = Location {
            file: 0,
            row: 0,
            offset: 5,
        };
        assert!(read_cable(&one, &at).unwrap_err().contains("one.txt"));
        // An offset that is not a row start (a file changed since indexing) must not panic.
        let _ = read_cable(
            &dump,
            &Location {
                file: 0,
                row: 3,
                offset: 1,
            },
        );
    }
}
