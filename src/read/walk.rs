//! Expands the paths a user gives into the files to read.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

use super::Problem;

/// Extensions read when walking a folder with format detection on; other files (an
/// `expected.jsonl` beside the pages, a README) are passed over silently.
const CABLE_EXTENSIONS: [&str; 4] = ["txt", "html", "htm", "csv"];

/// Calls `found` for every file under `path`, in name order, or with a problem for what
/// cannot be walked (unreadable folders, symlink loops, missing paths).
pub fn files(path: &Path, only_cable_files: bool, found: &mut dyn FnMut(Result<PathBuf, Problem>)) {
    let problem = |path: &Path, message: String| Problem {
        path: path.display().to_string(),
        row: None,
        message,
        skipped: true,
    };
    match std::fs::metadata(path) {
        Err(e) => return found(Err(problem(path, format!("cannot read: {e}")))),
        Ok(m) if !m.is_dir() => return found(Ok(path.to_path_buf())),
        Ok(_) => {}
    }
    let walker = WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
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
            Ok(e) if e.file_type().is_file() => {
                let wanted = !only_cable_files
                    || e.path()
                        .extension()
                        .and_then(|x| x.to_str())
                        .is_none_or(|x| CABLE_EXTENSIONS.iter().any(|c| x.eq_ignore_ascii_case(c)));
                if wanted {
                    found(Ok(e.into_path()));
                }
            }
            Ok(_) => {}
        }
    }
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
        let mut missing = Vec::new();
        files(&root.join("nope"), true, &mut |f| missing.push(f));
        assert!(matches!(&missing[..], [Err(p)] if p.message.starts_with("cannot read")));
    }
}
