//! Where the store lives, who is writing to it, and keeping its files private.
//!
//! Cables can be classified, and so can what an analyst wrote about them: the store's
//! folder is created `0700` and its files (the database and SQLite's `-wal` and `-shm`
//! companions) `0600`, set explicitly rather than left to the umask.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file name of the store inside the data folder.
pub const STORE_FILE: &str = "triage.sqlite";

/// The store the app and the commands use when no `--store PATH` is given:
/// `$CABLETRIAGE_STORE` when set and not empty, else `triage.sqlite` in the data folder
/// (`~/.local/share/cabletriage` on Linux, `~/Library/Application Support/cabletriage` on
/// macOS), else, when there is no home folder at all, `triage.sqlite` in the current folder.
pub fn default_store_path() -> PathBuf {
    if let Some(p) = std::env::var_os("CABLETRIAGE_STORE").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    data_store_path()
}

/// `triage.sqlite` in the data folder, whatever the environment says (see
/// [`default_store_path`]).
pub fn data_store_path() -> PathBuf {
    match directories::ProjectDirs::from("", "", "cabletriage") {
        Some(dirs) => dirs.data_dir().join(STORE_FILE),
        None => PathBuf::from(STORE_FILE),
    }
}

/// The analyst's name when no `--analyst` is given: `$CABLETRIAGE_ANALYST`, else the login
/// name (see [`login_name`]), else `analyst`.
pub fn default_analyst() -> String {
    std::env::var("CABLETRIAGE_ANALYST")
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .or_else(login_name)
        .unwrap_or_else(|| "analyst".to_string())
}

/// The login name: `$USER`, else `$LOGNAME`, else the name of this process's user in the
/// system's account database (a cron job or a service may have neither variable).
pub fn login_name() -> Option<String> {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .or_else(account_name)
}

/// The name of the effective user in the account database (`getpwuid_r`).
#[cfg(unix)]
pub fn account_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: `passwd` is plain data (integers and pointers), for which all zeroes is valid.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to a live local of the size given; getpwuid_r writes the
    // entry's strings into `buf` only, and `found` is either null or `&mut entry`.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::geteuid(),
            &mut entry,
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() || entry.pw_name.is_null() {
        return None;
    }
    // SAFETY: on success `pw_name` points to a NUL-terminated string inside `buf`, alive here.
    let name = unsafe { std::ffi::CStr::from_ptr(entry.pw_name) };
    name.to_str()
        .ok()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
}

#[cfg(not(unix))]
pub fn account_name() -> Option<String> {
    None
}

/// The SQLite companions of a database file.
pub fn companions(db: &Path) -> [PathBuf; 2] {
    let with = |suffix: &str| {
        let mut s = db.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    [with("-wal"), with("-shm")]
}

/// Creates `folder` and any missing parents, each `0700`. Folders that already exist keep
/// their permissions: they may be shared ones such as `/tmp`.
pub fn create_private_folder(folder: &Path) -> io::Result<()> {
    if folder.as_os_str().is_empty() || folder.is_dir() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let mut missing = Vec::new();
        let mut at = Some(folder);
        while let Some(p) = at {
            if p.as_os_str().is_empty() || p.exists() {
                break;
            }
            missing.push(p);
            at = p.parent();
        }
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)?;
        // The mode given to mkdir is reduced by the umask; say it again.
        for p in missing {
            fs::set_permissions(p, fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(folder)
    }
}

/// Creates an empty store file readable and writable by its owner only. `Ok(false)` when
/// the file appeared meanwhile (another process created it): the caller then treats it as
/// an existing file.
pub fn create_private_file(path: &Path) -> io::Result<bool> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(file) => {
            drop(file);
            make_private(path)?;
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Sets `0600` on a file (SQLite gives `-wal` and `-shm` the database's mode, but a store
/// made by an older tool or copied in may have looser ones).
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o600 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn folders_and_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        create_private_folder(&folder).unwrap();
        for p in [dir.path().join("a"), folder.clone()] {
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", p.display());
        }
        let file = folder.join("s.sqlite");
        assert!(create_private_file(&file).unwrap());
        assert!(!create_private_file(&file).unwrap());
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn companions_are_named_like_sqlite_names_them() {
        let [wal, shm] = companions(Path::new("/x/triage.sqlite"));
        assert_eq!(wal, Path::new("/x/triage.sqlite-wal"));
        assert_eq!(shm, Path::new("/x/triage.sqlite-shm"));
    }
}
