//! `cabletriage keymap check [PATH]`: every problem of a keymap file (and the files it
//! extends) as `file:line:col: message` on standard error.
//!
//! A shipped keymap's name (`default`, `vim`, `emacs`) checks that keymap. Without a path
//! it checks the three shipped keymaps and the user's `keymap.toml` when
//! there is one. Exit status: 0 when there is no error (warnings are printed but allowed),
//! 1 when some keymap has an error, 2 when the file asked for cannot be read.

use std::io::Write;
use std::path::Path;

use crate::keymap::check::check;
use crate::keymap::source::{self, Choice, SHIPPED};
use crate::sanitize::safe;

/// What checking one keymap found.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub unreadable: bool,
}

/// Checks one keymap, writing each problem (sanitised: it quotes the file) to `err`.
pub fn report(choice: &Choice, err: &mut dyn Write) -> Tally {
    let mut tally = Tally::default();
    match check(choice) {
        Ok(problems) => {
            for p in problems {
                if p.is_error() {
                    tally.errors += 1;
                } else {
                    tally.warnings += 1;
                }
                let _ = writeln!(err, "{}", safe(&p.to_string()));
            }
        }
        Err(p) => {
            tally.unreadable = true;
            let _ = writeln!(err, "{}", safe(&p.to_string()));
        }
    }
    tally
}

/// Runs the check and returns the process exit code.
pub fn main(path: Option<&Path>) -> i32 {
    let choices: Vec<Choice> = match path {
        // A shipped keymap by name (`keymap check vim`), as `--keymap vim` takes it.
        Some(path) => vec![match path.to_str() {
            Some(name) => Choice::from_arg(name),
            None => Choice::Path(path.to_path_buf()),
        }],
        None => SHIPPED
            .iter()
            .map(|(name, _)| Choice::Shipped(name))
            .chain(
                source::user_file()
                    .filter(|p| p.is_file())
                    .map(Choice::Path),
            )
            .collect(),
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let (mut errors, mut warnings, mut unreadable) = (0, 0, false);
    for choice in &choices {
        let tally = report(choice, &mut err);
        errors += tally.errors;
        warnings += tally.warnings;
        unreadable |= tally.unreadable;
    }
    if unreadable {
        return 2;
    }
    if errors > 0 {
        let _ = writeln!(
            err,
            "{errors} error{} in {} keymap{} checked",
            plural(errors),
            choices.len(),
            plural(choices.len())
        );
        return 1;
    }
    let note = match warnings {
        0 => String::new(),
        n => format!(" ({n} warning{})", plural(n)),
    };
    println!(
        "ok: {} keymap{} checked{note}",
        choices.len(),
        plural(choices.len())
    );
    0
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
