//! The README's key table, generated from a keymap and the actions' descriptions so that the
//! documentation cannot drift from the keys.

use std::fmt::Write as _;

use super::{KeySeq, Keymap};
use crate::app::{Action, Mode};

/// One `### mode` section per mode with a `| keys | action | what it does |` table: a row per
/// action (or list of actions), its keys in canonical notation joined by `, `.
pub fn markdown_table(keymap: &Keymap) -> String {
    let mut out = String::new();
    for mode in Mode::ALL {
        // Rows in the help's order; keys that run the same actions share a row.
        let mut rows: Vec<(Vec<Action>, Vec<KeySeq>)> = Vec::new();
        for (seq, actions) in keymap.bindings(mode) {
            match rows.iter_mut().find(|(a, _)| *a == actions) {
                Some((_, keys)) => keys.push(seq),
                None => rows.push((actions, vec![seq])),
            }
        }
        if rows.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "### {mode}\n");
        out.push_str("| keys | action | what it does |\n|---|---|---|\n");
        for (actions, keys) in rows {
            let keys: Vec<String> = keys.iter().map(|k| code(&k.to_string())).collect();
            let names: Vec<String> = actions.iter().map(|a| code(a.name())).collect();
            let what: Vec<&str> = actions.iter().map(|a| a.description()).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                keys.join(", "),
                names.join(", "),
                what.join("; then ")
            );
        }
    }
    out
}

/// A code span that survives a table cell: `|` escaped, a backtick fenced by two.
fn code(text: &str) -> String {
    let text = text.replace('|', "\\|");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_tables() {
        assert_eq!(code("ctrl-d"), "`ctrl-d`");
        assert_eq!(code("|"), "`\\|`");
        assert_eq!(code("`"), "`` ` ``");
    }
}
