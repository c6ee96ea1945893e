//! The Cablegate page reader and the interpretation on arbitrary bytes.
#![no_main]

use cabletriage::cable::Cable;
use cabletriage::read::html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Ok(raw) = html::read_html(&s, "fuzz.html") {
        let _ = Cable::from_raw(&raw);
    }
});
