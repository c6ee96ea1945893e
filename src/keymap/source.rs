//! Where keymaps come from: the three shipped ones (embedded in the binary), files on disk,
//! the user's `keymap.toml`, and the `extends` chain that links them.
//!
//! A name is a shipped keymap when it is one (`default`, `vim`, `emacs`), else a path; a
//! relative `extends` path is taken from the folder of the file that writes it. The chain is
//! read leaf first and returned root first, the order in which its files are merged.

use std::path::{Path, PathBuf};

use super::check::{Pos, Problem};
use super::file::{self, KeymapFile};

/// The keymaps shipped with cabletriage: name, and text.
pub const SHIPPED: [(&str, &str); 3] = [
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
    ("emacs", include_str!("../../keymaps/emacs.toml")),
];

/// The environment variable that replaces the config folder (tests, portable setups).
pub const CONFIG_DIR_ENV: &str = "CABLETRIAGE_CONFIG_DIR";

/// The name of the user's keymap file inside the config folder.
pub const USER_FILE: &str = "keymap.toml";

/// A keymap to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// One of [`SHIPPED`], by name.
    Shipped(&'static str),
    Path(PathBuf),
}

impl Choice {
    /// `--keymap NAME|PATH`: a shipped name, else a path.
    pub fn from_arg(arg: &str) -> Choice {
        match SHIPPED.iter().find(|(name, _)| *name == arg) {
            Some((name, _)) => Choice::Shipped(name),
            None => Choice::Path(PathBuf::from(arg)),
        }
    }

    /// What the app uses without `--keymap`: the user's file when there is one, else default.
    pub fn user_or_default() -> Choice {
        match user_file() {
            Some(path) if path.is_file() => Choice::Path(path),
            _ => Choice::Shipped("default"),
        }
    }

    /// The name a keymap shows in messages: the shipped name or the path.
    pub fn label(&self) -> String {
        match self {
            Choice::Shipped(name) => (*name).to_string(),
            Choice::Path(path) => path.display().to_string(),
        }
    }

    /// The path problems of this keymap carry.
    fn display_path(&self) -> PathBuf {
        match self {
            Choice::Shipped(name) => PathBuf::from(format!("keymaps/{name}.toml")),
            Choice::Path(path) => path.clone(),
        }
    }
}

/// The config folder: `$CABLETRIAGE_CONFIG_DIR`, else the platform's (`~/.config/cabletriage`).
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "cabletriage")
            .map(|dirs| dirs.config_dir().to_path_buf()),
    }
}

/// Where the user's keymap file is (whether or not it exists).
pub fn user_file() -> Option<PathBuf> {
    config_dir().map(|dir| dir.join(USER_FILE))
}

/// A keymap's files, root first, and every problem they have on their own.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub label: String,
    /// Root first: the order of merging. The last file is the one that was asked for.
    pub files: Vec<KeymapFile>,
    pub problems: Vec<Problem>,
}

impl Loaded {
    /// Where a problem about the whole keymap's table mode is best shown: the `[table]` of
    /// the file asked for, else its start.
    pub fn table_anchor(&self) -> (PathBuf, Pos) {
        let Some(leaf) = self.files.last() else {
            return (PathBuf::from(&self.label), Pos::FILE);
        };
        let pos = leaf
            .sections
            .iter()
            .find(|s| s.mode == crate::app::Mode::Table)
            .map_or(Pos::START, |s| s.pos);
        (leaf.path.clone(), pos)
    }
}

/// Reads a keymap and everything it extends. `Err` only when the keymap asked for cannot be
/// read at all; a parent that cannot be read is a problem of the file that extends it.
pub fn read_chain(choice: &Choice) -> Result<Loaded, Problem> {
    let mut loaded = Loaded {
        label: choice.label(),
        ..Loaded::default()
    };
    let text = read(choice).map_err(|e| {
        Problem::error(
            &choice.display_path(),
            Pos::FILE,
            format!("cannot read: {e}"),
        )
    })?;
    let mut current = Some((choice.clone(), text));
    // Identities of the files read so far, to stop at a cycle.
    let mut seen: Vec<PathBuf> = Vec::new();
    while let Some((choice, text)) = current.take() {
        seen.push(identity(&choice));
        let (file, problems) = file::parse(&choice.display_path(), &text);
        loaded.problems.extend(problems);
        if let Some((parent, pos)) = &file.extends {
            let base = match &choice {
                Choice::Path(path) => path.parent().map(Path::to_path_buf),
                Choice::Shipped(_) => None,
            };
            let next = resolve(parent, base.as_deref());
            if seen.contains(&identity(&next)) {
                let chain: Vec<String> = loaded
                    .files
                    .iter()
                    .map(|f| f.path.display().to_string())
                    .chain([
                        file.path.display().to_string(),
                        next.display_path().display().to_string(),
                    ])
                    .collect();
                loaded.problems.push(Problem::error(
                    &file.path,
                    *pos,
                    format!("extends goes round in a cycle: {}", chain.join(" -> ")),
                ));
            } else {
                match read(&next) {
                    Ok(text) => current = Some((next, text)),
                    Err(e) => loaded.problems.push(Problem::error(
                        &file.path,
                        *pos,
                        format!("cannot extend {parent:?}: {e}"),
                    )),
                }
            }
        }
        loaded.files.push(file);
    }
    loaded.files.reverse();
    Ok(loaded)
}

/// An `extends` value: a shipped name, else a path from the extending file's folder.
fn resolve(name: &str, base: Option<&Path>) -> Choice {
    match Choice::from_arg(name) {
        Choice::Path(path) if path.is_relative() => match base {
            Some(base) => Choice::Path(base.join(path)),
            None => Choice::Path(path),
        },
        choice => choice,
    }
}

/// The same file reached by two spellings of its path is one file.
fn identity(choice: &Choice) -> PathBuf {
    match choice {
        Choice::Shipped(name) => PathBuf::from(format!("<shipped>/{name}")),
        Choice::Path(path) => std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()),
    }
}

fn read(choice: &Choice) -> Result<String, String> {
    match choice {
        Choice::Shipped(name) => SHIPPED
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| (*text).to_string())
            .ok_or_else(|| format!("no shipped keymap is called {name:?}")),
        Choice::Path(path) => std::fs::read_to_string(path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound && path.extension().is_none() {
                let names: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
                format!(" (the shipped keymaps are {})", names.join(", "))
            } else {
                String::new()
            };
            format!("{e}{hint}")
        }),
    }
}
