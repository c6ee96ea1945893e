//! `cabletriage parse`: one JSON object per cable, one per line.

use serde::Serialize;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use crate::cable::{Cable, Classification, Precedence, Recipient};
use crate::read::{self, Event, Problem, ReadOptions, Severity};

/// The JSON line of one cable: exactly these keys, in this order.
#[derive(Serialize)]
struct CableLine<'a> {
    /// `null` for a fragment without one (only ever printed for an input named on its own).
    id: Option<&'a str>,
    date: Option<String>,
    precedence: Precedence,
    classification: &'a Classification,
    caveats: &'a [String],
    origin: &'a str,
    from: &'a str,
    to: &'a [Recipient],
    info: &'a [Recipient],
    tags: &'a [String],
    subject: &'a str,
    references: &'a [String],
    classified_by: &'a [String],
    declassify_on: Option<String>,
    signed_by: &'a [String],
    summary: Option<&'a str>,
    paragraphs: usize,
    source: &'a crate::cable::Source,
}

impl<'a> From<&'a Cable> for CableLine<'a> {
    fn from(c: &'a Cable) -> Self {
        CableLine {
            id: Some(c.id.as_str()).filter(|id| !id.is_empty()),
            date: c
                .date
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            precedence: c.precedence,
            classification: &c.classification,
            caveats: &c.caveats,
            origin: &c.origin,
            from: &c.from,
            to: &c.to,
            info: &c.info,
            tags: &c.tags,
            subject: &c.subject,
            references: &c.references,
            classified_by: &c.classified_by,
            declassify_on: c.declassify_on.map(|d| d.format("%Y-%m-%d").to_string()),
            signed_by: &c.signed_by,
            summary: c.summary.as_deref(),
            paragraphs: c.paragraphs.len(),
            source: &c.source,
        }
    }
}

/// Counts of one run, from which the exit code follows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub cables: u64,
    pub skipped: u64,
}

impl Outcome {
    /// 0 when everything parsed, 1 when some input was skipped, 2 when nothing could be read.
    pub fn exit_code(self) -> i32 {
        match (self.cables, self.skipped) {
            (_, 0) if self.cables > 0 => 0,
            (0, _) => 2,
            _ => 1,
        }
    }
}

/// Parses `paths`, writing JSON lines to `out` and problems and notices to `err`.
pub fn run(
    paths: &[PathBuf],
    opts: &ReadOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    let mut outcome = Outcome::default();
    let mut io_error = None;
    let fragments = takes_fragments(paths);
    read_inputs(paths, opts, &mut |event| {
        if io_error.is_some() {
            return;
        }
        let written = match event {
            // What is not a cable gets here only from an input named on its own; otherwise
            // the reader reports it as a problem, by the same rule as for the app
            // (`read::recognise`).
            Event::Cable(raw) => {
                let cable = Cable::from_raw(&raw);
                match without_id(&cable, fragments) {
                    Some(p) => {
                        outcome.skipped += 1;
                        writeln!(err, "{p}")
                    }
                    None => {
                        outcome.cables += 1;
                        serde_json::to_writer(&mut *out, &CableLine::from(&cable))
                            .map_err(io::Error::from)
                            .and_then(|()| out.write_all(b"\n"))
                    }
                }
            }
            // Notices (files a folder's walk passed over) are printed like problems but do
            // not change the exit code.
            Event::Problem(p) => {
                if p.skipped && !p.is_notice() {
                    outcome.skipped += 1;
                }
                writeln!(err, "{p}")
            }
        };
        if let Err(e) = written {
            io_error = Some(e);
        }
    });
    if paths.is_empty() {
        writeln!(err, "no input: give files, folders or - for standard input")?;
    }
    match io_error {
        Some(e) => Err(e),
        None => Ok(outcome),
    }
}

/// Whether the inputs are one input named on its own, `-` or a file (not a folder): then a fragment is
/// printed with the fields found, `id` null when it states none. Otherwise (a folder walked,
/// several inputs) only cables are, and a cable without an id is a problem.
fn takes_fragments(paths: &[PathBuf]) -> bool {
    matches!(paths, [one] if !one.is_dir())
}

/// Reads `paths`, fragments included when [`takes_fragments`] says so.
fn read_inputs(paths: &[PathBuf], opts: &ReadOptions, sink: &mut dyn FnMut(Event)) {
    match paths {
        [one] if takes_fragments(paths) => read::read_named(one, opts, sink),
        _ => read::read_paths(paths, opts, sink),
    }
}

/// The problem of a cable that has no id, unless fragments are welcome: it cannot be told
/// from another, nor keyed in the store.
fn without_id(cable: &Cable, fragments: bool) -> Option<Problem> {
    (cable.id.is_empty() && !fragments).then(|| Problem {
        path: cable.source.path.clone(),
        row: cable.source.row,
        message: read::recognise::NO_ID.into(),
        skipped: true,
        severity: Severity::Problem,
    })
}

/// The `parse` command on the process's standard streams; returns the exit code.
pub fn main(paths: &[PathBuf], opts: &ReadOptions) -> i32 {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let result = run(paths, opts, &mut out, &mut err).and_then(|o| out.flush().map(|()| o));
    match result {
        Ok(outcome) => outcome.exit_code(),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "cabletriage parse: cannot write output: {e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(
            Outcome {
                cables: 3,
                skipped: 0
            }
            .exit_code(),
            0
        );
        assert_eq!(
            Outcome {
                cables: 3,
                skipped: 1
            }
            .exit_code(),
            1
        );
        assert_eq!(
            Outcome {
                cables: 0,
                skipped: 1
            }
            .exit_code(),
            2
        );
        assert_eq!(
            Outcome {
                cables: 0,
                skipped: 0
            }
            .exit_code(),
            2
        );
    }
}
