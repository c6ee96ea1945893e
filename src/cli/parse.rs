//! `cabletriage parse`: one JSON object per cable, one per line.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

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
            paragraphs: c.paragraph_count,
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
    let fragments = takes_fragments(paths);
    let read = |sink: &mut dyn FnMut(Event)| read_inputs(paths, opts, sink);
    let (outcome, written) = print_in_order(&read, fragments, out, err);
    if paths.is_empty() {
        writeln!(err, "no input: give files, folders or - for standard input")?;
    }
    written.map(|()| outcome)
}

/// Cables handed to a worker at a time: enough that the channels cost nothing beside the
/// work, few enough that the output starts at once.
const WORK: usize = 256;

/// Reads every input, handing each event to the sink given.
type ReadAll<'a> = dyn Fn(&mut dyn FnMut(Event)) + Sync + 'a;

/// Events read, numbered so that what the workers make of them is printed in reading order.
struct Work {
    seq: u64,
    events: Vec<Event>,
}

/// What a worker made of a [`Work`]: JSON lines, and problems where they were met.
enum Printed {
    Lines { bytes: Vec<u8>, cables: u64 },
    Problem(read::Problem),
}

/// Runs `read`, interpreting and serialising its cables on every core while this thread
/// prints the results in reading order: one thread reads, the workers interpret (the costly
/// part), this thread writes. Stops at the first write error, which it returns.
fn print_in_order(
    read: &ReadAll<'_>,
    fragments: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> (Outcome, io::Result<()>) {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
    let (work_tx, work_rx) = mpsc::sync_channel::<Work>(workers * 2);
    let work_rx = Mutex::new(work_rx);
    // Bounded too, so a slow reader of the output holds back the reading.
    let (done_tx, done_rx) = mpsc::sync_channel::<(u64, Vec<Printed>)>(workers * 4);
    let stop = AtomicBool::new(false);
    let mut outcome = Outcome::default();
    let mut written = Ok(());
    std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            let mut seq = 0;
            let mut events = Vec::with_capacity(WORK);
            read(&mut |event| {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                events.push(event);
                if events.len() >= WORK {
                    let work = Work {
                        seq,
                        events: std::mem::replace(&mut events, Vec::with_capacity(WORK)),
                    };
                    seq += 1;
                    if work_tx.send(work).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            });
            if !events.is_empty() {
                let _ = work_tx.send(Work { seq, events });
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || {
                while let Some(work) = crate::corpus::load::next_work(work_rx) {
                    if done_tx
                        .send((work.seq, print(work.events, fragments)))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut waiting = BTreeMap::new();
        let mut next = 0u64;
        for (seq, printed) in &done_rx {
            waiting.insert(seq, printed);
            while let Some(printed) = waiting.remove(&next) {
                next += 1;
                written = write_printed(printed, &mut outcome, out, err);
                if written.is_err() {
                    break;
                }
            }
            if written.is_err() {
                stop.store(true, Ordering::Relaxed);
                break;
            }
        }
        // Dropping the receiver ends the workers; what the reader still sends is taken and
        // dropped, so it is never left waiting on a full channel.
        drop(done_rx);
        if let Ok(rx) = work_rx.lock() {
            while rx.recv().is_ok() {}
        }
    });
    (outcome, written)
}

/// A worker's part: every cable as its JSON line, problems kept in their place.
fn print(events: Vec<Event>, fragments: bool) -> Vec<Printed> {
    let mut printed = Vec::new();
    let mut bytes = Vec::new();
    let mut cables = 0;
    for event in events {
        match event {
            // What is not a cable gets here only from an input named on its own; otherwise
            // the reader reports it as a problem, by the same rule as for the app
            // (`read::recognise`).
            Event::Cable(raw) => {
                let cable = Cable::for_record(&raw);
                if let Some(p) = without_id(&cable, fragments) {
                    if !bytes.is_empty() {
                        printed.push(Printed::Lines {
                            bytes: std::mem::take(&mut bytes),
                            cables: std::mem::take(&mut cables),
                        });
                    }
                    printed.push(Printed::Problem(p));
                    continue;
                }
                // Writing to a Vec fails only if serialising fails, which these types do not.
                // sonic-rs writes what serde_json writes (`json_lines_are_serde_json_s`).
                if sonic_rs::to_writer(&mut bytes, &CableLine::from(&cable)).is_ok() {
                    bytes.push(b'\n');
                    cables += 1;
                }
            }
            Event::Problem(p) => {
                if !bytes.is_empty() {
                    printed.push(Printed::Lines {
                        bytes: std::mem::take(&mut bytes),
                        cables: std::mem::take(&mut cables),
                    });
                }
                printed.push(Printed::Problem(p));
            }
        }
    }
    if !bytes.is_empty() {
        printed.push(Printed::Lines { bytes, cables });
    }
    printed
}

fn write_printed(
    printed: Vec<Printed>,
    outcome: &mut Outcome,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    for piece in printed {
        match piece {
            Printed::Lines { bytes, cables } => {
                outcome.cables += cables;
                out.write_all(&bytes)?;
            }
            // Notices (files a folder's walk passed over) are printed like problems but do
            // not change the exit code.
            Printed::Problem(p) => {
                if p.skipped && !p.is_notice() {
                    outcome.skipped += 1;
                }
                // A file's name is untrusted: no escape sequence reaches the terminal.
                writeln!(err, "{}", crate::sanitize::safe(&p.to_string()))?;
            }
        }
    }
    Ok(())
}

/// Whether the inputs are one input named on its own, `-` or a file (not a folder): then a
/// fragment is printed with the fields found, `id` null when it states none. Otherwise (a
/// folder walked, several inputs) only cables are, and a cable without an id is a problem.
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

    /// A folder of two dumps of `n` cables each with a file that is no cable between them.
    fn dump(n: usize) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("a.csv"), crate::synth::demo_csv(n, 7)).unwrap();
        std::fs::write(path.join("b.txt"), "no cable here").unwrap();
        std::fs::write(path.join("c.csv"), crate::synth::demo_csv(n, 8)).unwrap();
        (dir, path)
    }

    #[test]
    fn cables_are_printed_in_reading_order_and_problems_counted() {
        let (_dir, path) = dump(WORK * 5 + 17);
        let paths = vec![path];
        let mut expected = Vec::new();
        read::read_paths(&paths, &ReadOptions::default(), &mut |e| {
            if let Event::Cable(raw) = e {
                expected.push(Cable::from_raw(&raw).id);
            }
        });
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = run(&paths, &ReadOptions::default(), &mut out, &mut err).unwrap();
        let ids: Vec<String> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .map(|id| id.trim_matches('"').to_string())
            .collect();
        assert_eq!(ids, expected);
        assert_eq!(outcome.cables as usize, expected.len());
        assert_eq!(outcome.skipped, 1, "{}", String::from_utf8_lossy(&err));
    }

    /// The output of the parallel run, batch after batch, is byte for byte what one thread
    /// makes of the cables in reading order, with every field interpreted in full.
    #[test]
    fn the_parallel_output_is_the_serial_output() {
        let (_dir, path) = dump(WORK * 5 + 17);
        let paths = vec![path];
        let mut expected = String::new();
        read::read_paths(&paths, &ReadOptions::default(), &mut |e| {
            if let Event::Cable(raw) = e {
                let cable = Cable::from_raw(&raw);
                let line = serde_json::to_string(&CableLine::from(&cable)).unwrap();
                expected.push_str(&line);
                expected.push('\n');
            }
        });
        let (mut out, mut err) = (Vec::new(), Vec::new());
        run(&paths, &ReadOptions::default(), &mut out, &mut err).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out.lines().count(), expected.lines().count());
        assert!(
            out == expected,
            "the parallel output differs from the serial one"
        );
    }

    /// Fails after `left` bytes, as a closed pipe does.
    struct Closing {
        left: usize,
    }

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left < buf.len() {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.left -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_output_stops_the_run_with_its_error() {
        let (_dir, path) = dump(WORK * 20);
        let mut out = Closing { left: 10_000 };
        let result = run(&[path], &ReadOptions::default(), &mut out, &mut io::sink());
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }

    /// sonic-rs writes the lines; serde_json is the reference for what they must be, with
    /// every kind of character that needs escaping in the strings.
    #[test]
    fn json_lines_are_serde_json_s() {
        let raw = crate::cable::RawCable {
            header: "FM AMEMBASSY \"QUOTE\" \\ BACK\nTO SECSTATE WASHDC\n".into(),
            body: "UNCLAS\n\nSUBJECT: TABS\tAND \u{7} BELLS, \u{1b}[31m, \u{2028} \u{e9}\u{1F600} \"Q\" \\\n\n1. Summary: a \"b\" \\ c\u{0}d. End summary.\n\nBURNS\n".into(),
            ..Default::default()
        };
        let cable = Cable::from_raw(&raw);
        let line = CableLine::from(&cable);
        let mut fast = Vec::new();
        sonic_rs::to_writer(&mut fast, &line).unwrap();
        let reference = serde_json::to_vec(&line).unwrap();
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            String::from_utf8(reference).unwrap()
        );
        // Strings cannot carry controls through the cleaning above: every ASCII character
        // and a few others, directly.
        let every: String = (0u8..128)
            .map(char::from)
            .chain(['\u{2028}', '\u{e9}', '\u{1F600}'])
            .collect();
        assert_eq!(
            sonic_rs::to_string(&every).unwrap(),
            serde_json::to_string(&every).unwrap()
        );
    }

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
