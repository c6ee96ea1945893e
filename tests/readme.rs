//! The README's key table is generated from the default keymap and the action descriptions:
//! this test fails when it is out of date. `UPDATE_README=1 cargo test --test readme`
//! rewrites it.

use cabletriage::keymap::{Keymap, markdown_table};

const START: &str = "<!-- keys:start (generated: UPDATE_README=1 cargo test --test readme) -->";
const END: &str = "<!-- keys:end -->";

#[test]
fn readme_key_table_matches_the_default_keymap() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let table = markdown_table(&Keymap::shipped_default());
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md lacks the markers {START} ... {END}");
    };
    let current = &readme[start + START.len()..end];
    let wanted = format!("\n{}\n", table.trim());
    if current == wanted {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{START}{wanted}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    panic!("the README's key table is out of date: run UPDATE_README=1 cargo test --test readme");
}
