//! The text reader and the whole interpretation on arbitrary bytes.
#![no_main]

use cabletriage::cable::Cable;
use cabletriage::read::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let cable = Cable::from_raw(&text::read_text(&s, "fuzz.txt", Some(2008)));
    for p in &cable.paragraphs {
        assert!(!p.text.contains('\u{1b}'), "escape reached the reading text");
    }
    assert!(!cable.subject.contains('\u{1b}'), "escape reached the subject");
});
