//! The `cables.csv` scanner on arbitrary bytes: every row is either read or reported, and
//! the scanner always makes progress.
#![no_main]

use cabletriage::cable::Cable;
use cabletriage::read::csv_dump::{DumpReader, to_raw_cable};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut last_offset = None;
    for item in DumpReader::new(data) {
        let Ok(row) = item else { break };
        let offset = match &row {
            Ok(r) => r.offset,
            Err(e) => e.offset,
        };
        assert!(last_offset.is_none_or(|o| offset > o), "no progress");
        assert!(offset <= data.len() as u64);
        last_offset = Some(offset);
        if let Ok(r) = row {
            let _ = Cable::from_raw(&to_raw_cable(r, "fuzz.csv").0);
        }
    }
});
