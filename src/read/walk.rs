//! Expands the paths a user gives into the files to read, reporting every file passed over.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

use super::{Problem, Severity};

/// Extensions read when walking a folder with format detection on (and files without one).
const CABLE_EXTENSIONS: [&str; 4] = ["txt", "html", "htm", "csv"];

/// Compressed files: their cables can be read once they are decompressed.
const COMPRESSED: [&str; 8] = ["gz", "bz2", "xz", "zst", "lz4", "lzma", "z", "br"];

/// Archives: their cables can be read once they are unpacked.
const ARCHIVES: [&str; 7] = ["zip", "tar", "tgz", "tbz2", "txz", "7z", "rar"];

/// Names of the companions a corpus folder may hold beside its cables, whatever their
/// extension (`README`, `README.txt`, `LICENSE`): never read as cables.
const COMPANIONS: [&str; 4] = ["readme", "license", "licence", "copying"];

/// Calls `found` for every file under `path`, in name order, or with a problem for what
/// cannot be walked (unreadable folders, symlink loops, missing paths).
///
/// Every file met in a folder and not handed on is reported too, as a notice
/// ([`Severity::Notice`]) naming it and why: dot files and folders (a dot folder is reported
/// once, not walked), files that are not regular files, and, when `only_cable_files`, the
/// files [`passed_over`] names. A `path` that is a file is handed on whatever its name.
pub fn files(path: &Path, only_cable_files: bool, found: &mut dyn FnMut(Result<PathBuf, Problem>)) {
    let problem = |path: &Path, message: String| Problem {
        path: path.display().to_string(),
        row: None,
        message,
        skipped: true,
        severity: Severity::Problem,
    };
    match std::fs::metadata(path) {
        Err(e) => return found(Err(problem(path, format!("cannot read: {e}")))),
        Ok(m) if !m.is_dir() => return found(Ok(path.to_path_buf())),
        Ok(_) => {}
    }
    let mut walker = WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Err(e) => {
                let at = e.path().unwrap_or(path).to_path_buf();
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop, not followed".to_string()
                } else {
                    match e.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None => e.to_string(),
                    }
                };
                found(Err(problem(&at, message)));
            }
            Ok(e) if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') => {
                let what = if e.file_type().is_dir() {
                    walker.skip_current_dir();
                    "hidden folder"
                } else {
                    "hidden file"
                };
                found(Err(Problem::notice(
                    e.path(),
                    format!("{what}: passed over"),
                )));
            }
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if !e.file_type().is_file() => found(Err(Problem::notice(
                e.path(),
                "not a regular file: passed over".into(),
            ))),
            Ok(e) => match passed_over(e.path()).filter(|_| only_cable_files) {
                Some(why) => found(Err(Problem::notice(e.path(), why))),
                None => found(Ok(e.into_path())),
            },
        }
    }
}

/// Why a file met walking a folder is not read as a cable file, by its name alone: its
/// extension is not a cable format's (`.txt`, `.html`, `.htm`, `.csv`, or none), or it is
/// a README or a licence. `None` for a file to read.
pub fn passed_over(path: &Path) -> Option<String> {
    let extension = path
        .extension()
        .map(|x| x.to_string_lossy().to_ascii_lowercase());
    if let Some(x) = extension.as_deref()
        && !CABLE_EXTENSIONS.contains(&x)
    {
        return Some(if COMPRESSED.contains(&x) {
            format!("compressed file (.{x}): passed over; decompress it first to read it")
        } else if ARCHIVES.contains(&x) {
            format!("archive (.{x}): passed over; unpack it first to read the files in it")
        } else {
            format!("not a cable file (.{x}): passed over")
        });
    }
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    COMPANIONS
        .iter()
        .find(|c| name.starts_with(*c))
        .map(|c| format!("not a cable file ({}): passed over", c.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_skips_other_files_and_reports_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("cable/2008")).unwrap();
        std::fs::write(root.join("cable/2008/B.html"), "x").unwrap();
        std::fs::write(root.join("cable/2008/A.txt"), "x").unwrap();
        std::fs::write(root.join("expected.jsonl"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("cable/loop")).unwrap();
        let mut got = Vec::new();
        files(root, true, &mut |f| got.push(f));
        let names: Vec<String> = got
            .iter()
            .map(|r| match r {
                Ok(p) => p.file_name().unwrap().to_string_lossy().to_string(),
                Err(p) => p.message.clone(),
            })
            .collect();
        assert_eq!(names[..2], ["A.txt".to_string(), "B.html".to_string()]);
        #[cfg(unix)]
        assert!(names.iter().any(|n| n.contains("loop")), "{names:?}");
        let notices: Vec<String> = got
            .iter()
            .filter_map(|r| r.as_ref().err().filter(|p| p.is_notice()))
            .map(|p| p.to_string())
            .collect();
        let jsonl = root.join("expected.jsonl").display().to_string();
        assert_eq!(
            notices,
            [format!("{jsonl}: not a cable file (.jsonl): passed over")]
        );
        let mut missing = Vec::new();
        files(&root.join("nope"), true, &mut |f| missing.push(f));
        assert!(matches!(&missing[..], [Err(p)] if p.message.starts_with("cannot read")));
    }

    #[test]
    fn every_file_passed_over_is_reported_once_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "a.txt",
            "b.gz",
            "c.txt.GZ",
            "d.zip",
            "e.bin",
            "README",
            "README.txt",
            "LICENSE.md",
            "no_extension",
            ".hidden.txt",
            ".git/HEAD",
            ".git/objects/x",
        ] {
            let file = root.join(name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, "x").unwrap();
        }
        let mut got = Vec::new();
        files(root, true, &mut |f| got.push(f));
        let said: Vec<String> = got
            .iter()
            .map(|r| match r {
                Ok(p) => format!("read {}", p.strip_prefix(root).unwrap().display()),
                Err(p) => {
                    assert!(p.is_notice() && !p.skipped, "{p}");
                    p.to_string().replace(&format!("{}/", root.display()), "")
                }
            })
            .collect();
        assert_eq!(
            said,
            [
                ".git: hidden folder: passed over",
                ".hidden.txt: hidden file: passed over",
                "LICENSE.md: not a cable file (.md): passed over",
                "README: not a cable file (README): passed over",
                "README.txt: not a cable file (README): passed over",
                "read a.txt",
                "b.gz: compressed file (.gz): passed over; decompress it first to read it",
                "c.txt.GZ: compressed file (.gz): passed over; decompress it first to read it",
                "d.zip: archive (.zip): passed over; unpack it first to read the files in it",
                "e.bin: not a cable file (.bin): passed over",
                "read no_extension",
            ]
        );
        // With a format given, every file but dot files is read; a file named is read.
        let mut all = Vec::new();
        files(root, false, &mut |f| all.push(f));
        assert_eq!(all.iter().filter(|r| r.is_ok()).count(), 9);
        let mut named = Vec::new();
        files(&root.join("b.gz"), true, &mut |f| named.push(f));
        assert!(matches!(&named[..], [Ok(p)] if p.ends_with("b.gz")));
    }
}
