//! `cabletriage store copy FROM TO`: moves a team's or an analyst's records and history
//! between stores (see [`crate::store::copy`]), reports what it did and checks the result.

use std::io::{self, Write};
use std::path::Path;

use crate::sanitize::safe;
use crate::store::copy::{CopyProgress, copy, verify};
use crate::store::{OpenOptions, shown_location};

/// Exit codes: 0 copied and checked, 1 the check found something missing, 2 a store could
/// not be opened, read or written (a rerun completes an interrupted copy).
pub fn copy_main(from: &Path, to: &Path) -> i32 {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let mut say = |text: String| {
        let _ = writeln!(err, "cabletriage: {}", safe(&text));
    };
    let (from_shown, to_shown) = (shown_location(from), shown_location(to));
    if from_shown == to_shown {
        say(format!("store copy: {from_shown} is both FROM and TO"));
        return 2;
    }
    let source = match crate::store::open_read_only(from) {
        Ok(s) => s,
        Err(e) => {
            say(format!("store copy: {e}"));
            return 2;
        }
    };
    let mut target = match crate::store::open(to, &OpenOptions::default()) {
        Ok(s) => s,
        Err(e) => {
            say(format!("store copy: {e}"));
            return 2;
        }
    };
    say(format!("copying {from_shown} into {to_shown}"));
    let summary = match copy(source.as_ref(), target.as_mut(), &mut |p| match p {
        CopyProgress::Records { done, of } => say(format!("records: {done} of {of}")),
        CopyProgress::History { done, of } => say(format!("history: {done} of {of} added")),
    }) {
        Ok(s) => s,
        Err(e) => {
            say(format!("store copy: {e}"));
            say(
                "store copy: stopped; what was copied stays, and running it again completes it"
                    .into(),
            );
            return 2;
        }
    };
    let checked = match verify(source.as_ref(), target.as_ref()) {
        Ok(v) => v,
        Err(e) => {
            say(format!("store copy: cannot check the copy: {e}"));
            return 2;
        }
    };
    let out = io::stdout();
    let mut out = out.lock();
    let _ = writeln!(
        out,
        "records: {} ({} written, {} already there, {} kept: newer in the target)",
        summary.records, summary.written, summary.unchanged, summary.kept_newer
    );
    let _ = writeln!(
        out,
        "history: {} entries ({} added, {} already there)",
        summary.history, summary.history_added, summary.history_present
    );
    for note in &checked.kept_newer {
        let _ = writeln!(out, "kept: {}", safe(note));
    }
    if checked.missing.is_empty() {
        let _ = writeln!(
            out,
            "checked: every record and history entry of the source is in {}",
            safe(&to_shown)
        );
        0
    } else {
        for problem in &checked.missing {
            let _ = writeln!(out, "missing: {}", safe(problem));
        }
        1
    }
}
