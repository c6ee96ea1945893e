//! Folders and files only this user controls, for the index cache and the demo corpus.
//!
//! A cache is trusted to say which files hold which cables; if another local user could write
//! it, they could point the app at any file and put triage on ids of their choosing. So a
//! cache is read and written only in a folder owned by the current user that nobody else can
//! write to, and a cache file is read only if it is ours and nobody else can write to it.
//! Shared folders such as `/tmp` are never used for them.

use std::fs::{self, Metadata};
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Marks the name of a file being written, before it is renamed into place; an interrupted
/// save leaves one behind, which [`remove_stale_temporaries`] recognises by it.
pub const TEMP_MARK: &str = ".cabletriage-tmp.";
/// A temporary file untouched this long is from a save that will not finish (a save takes
/// seconds), so it can go.
pub const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// Creates `dir` (and missing parents) with mode 0700 if it is missing, then checks it as
/// [`check_dir`] does. An existing folder keeps its mode: it is refused rather than changed
/// if others can write to it, as it may already hold their files.
pub fn ensure_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    check_dir(dir)
}

/// `Ok` if `dir` is a folder owned by the current user that neither group nor others can
/// write to; otherwise an error saying why, naming the folder.
pub fn check_dir(dir: &Path) -> io::Result<()> {
    let meta = fs::metadata(dir)?;
    if !meta.is_dir() {
        return Err(refused(dir, "not a folder"));
    }
    check_owner_and_mode(dir, &meta)
}

/// `Ok` if `meta` (of an open file, so it cannot be swapped after the check) is of a regular
/// file owned by the current user that neither group nor others can write to.
pub fn check_file(path: &Path, meta: &Metadata) -> io::Result<()> {
    if !meta.is_file() {
        return Err(refused(path, "not a regular file"));
    }
    check_owner_and_mode(path, meta)
}

#[cfg(unix)]
fn check_owner_and_mode(path: &Path, meta: &Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let me = current_uid();
    if meta.uid() != me {
        return Err(refused(
            path,
            &format!("owned by user {}, not by this user ({me})", meta.uid()),
        ));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(refused(
            path,
            &format!("others can write to it (mode {:o})", meta.mode() & 0o777),
        ));
    }
    Ok(())
}

/// Elsewhere there are no Unix owners and modes to check; the platform's per-user cache
/// folder is private by default.
#[cfg(not(unix))]
fn check_owner_and_mode(_path: &Path, _meta: &Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
pub fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions, touches no memory of ours and cannot fail.
    unsafe { libc::geteuid() }
}

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{}: not a private folder or file: {why}", path.display()),
    )
}

/// Removes, in `dir`, the temporary files ([`TEMP_MARK`]) of saves interrupted more than
/// `older_than` ago, when they are ours; returns how many went. Best effort: what cannot be
/// read or removed is left. A younger one may be a save still running in another process.
pub fn remove_stale_temporaries(dir: &Path, older_than: Duration) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().contains(TEMP_MARK) {
            continue;
        }
        let path = entry.path();
        // Not followed: a link is not one of our temporaries.
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let stale = meta
            .modified()
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > older_than);
        if stale && check_file(&path, &meta).is_ok() && fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_folder_is_private_and_an_open_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("a").join("b");
        ensure_dir(&new).unwrap();
        let mode = fs::metadata(&new).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        // Readable by others is fine (an older cache folder was made 0755): only writing
        // would let them plant files.
        fs::set_permissions(&new, fs::Permissions::from_mode(0o755)).unwrap();
        check_dir(&new).unwrap();
        for mode in [0o777, 0o770, 0o1777] {
            fs::set_permissions(&new, fs::Permissions::from_mode(mode)).unwrap();
            let e = ensure_dir(&new).unwrap_err();
            assert!(e.to_string().contains("others can write"), "{e}");
        }
        let file = dir.path().join("f");
        fs::write(&file, "x").unwrap();
        assert!(check_dir(&file).is_err());
    }

    #[test]
    fn a_folder_of_another_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("theirs");
        fs::create_dir(&theirs).unwrap();
        if current_uid() != 0 {
            // Only root can give a folder away; anyone else tests with one root owns.
            assert!(check_dir(Path::new("/")).is_err());
            return;
        }
        std::os::unix::fs::chown(&theirs, Some(65534), None).unwrap();
        let e = check_dir(&theirs).unwrap_err();
        assert!(e.to_string().contains("owned by user 65534"), "{e}");
        assert!(e.to_string().contains("theirs"), "{e}");
    }
}
