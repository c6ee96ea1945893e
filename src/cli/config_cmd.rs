//! `cabletriage config check|path|show`: the settings explained.
//!
//! - `check [PATH]`: every problem of `config.toml` with file:line:col ([`super::config_check`]),
//!   then the keymap the settings use, checked as `keymap check` does. Exit status: 0 clean
//!   (warnings allowed), 1 with problems, 2 when the file cannot be read.
//! - `path [CORPUS...]`: where each file lives and whether it is there.
//! - `show`: each setting in effect and where it came from, from [`Settings::resolve`], the
//!   resolver the app and the commands use.
//!
//! Paths and values come from files and the environment: everything goes through the
//! sanitiser before it is printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{Config, Flags, Settings, Source, config_path, names_a_file};
use crate::keymap::source::{Choice, user_file};
use crate::sanitize::safe;

/// `config check [PATH]`: returns the exit code.
pub fn check(path: Option<&Path>) -> i32 {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let Some(config) = path.map(Path::to_path_buf).or_else(config_path) else {
        let _ = writeln!(
            err,
            "cabletriage: config check: no config folder is known (set $CABLETRIAGE_CONFIG_DIR or HOME)"
        );
        return 2;
    };
    let shown_config = safe(&config.display().to_string()).into_owned();
    let text = match std::fs::read_to_string(&config) {
        Ok(text) => Some(text),
        // The default file may well be absent: the defaults are used then.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.is_none() => None,
        Err(e) => {
            let _ = writeln!(err, "{shown_config}: cannot read: {e}");
            return 2;
        }
    };
    let mut report = Vec::new();
    let mut errors = 0;
    let mut keymap = None;
    let mut theme = None;
    match &text {
        Some(text) => {
            for problem in super::config_check::check(&config, text) {
                errors += 1;
                let _ = writeln!(err, "{}", safe(&problem.to_string()));
            }
            report.push(format!("{shown_config} checked"));
            // Paths in the file as the settings read them: `~/`, and relative to its folder.
            if let Ok(file) = Config::load_from(&config) {
                let named =
                    |value: &Option<String>, what: &str| -> Option<Result<String, String>> {
                        let value = value.as_ref()?;
                        if !names_a_file(value) {
                            return Some(Ok(value.clone()));
                        }
                        Some(
                            file.path_of(Path::new(value), what)
                                .map(|p| p.to_string_lossy().into_owned()),
                        )
                    };
                for (value, slot, what) in [
                    (&file.keymap, &mut keymap, "keymap in the config file"),
                    (&file.theme, &mut theme, "theme in the config file"),
                ] {
                    match named(value, what) {
                        Some(Ok(v)) => *slot = Some(v),
                        Some(Err(e)) => {
                            errors += 1;
                            let _ = writeln!(err, "{}", safe(&e));
                        }
                        None => {}
                    }
                }
            }
        }
        None => report.push(format!("no {shown_config}: the defaults are used")),
    }
    // The keymap these settings pick: the one named in the file, else the user's file.
    let keymap = match keymap {
        Some(name) => Some(Choice::from_arg(&name)),
        None => user_file().filter(|p| p.is_file()).map(Choice::Path),
    };
    let mut unreadable = false;
    if let Some(choice) = keymap {
        let tally = super::keymap_check::report(&choice, &mut err);
        unreadable |= tally.unreadable;
        errors += tally.errors;
        let note = match tally.warnings {
            0 => String::new(),
            n => format!(" ({n} warning{})", plural(n)),
        };
        report.push(format!(
            "the keymap {} checked too{note}",
            safe(&choice.label())
        ));
    }
    // The theme file these settings pick: one named in the file, else the user's file.
    let theme_file = match theme {
        Some(name) if crate::tui::theme::SHIPPED.contains(&name.as_str()) => None,
        Some(path) => Some(PathBuf::from(path)),
        None => crate::tui::theme::user_file().filter(|p| p.is_file()),
    };
    if let Some(file) = theme_file {
        let problems = crate::tui::theme::check(&file);
        errors += problems.len();
        for p in &problems {
            let _ = writeln!(err, "{}", safe(&p.to_string()));
        }
        report.push(format!(
            "the theme {} checked too",
            safe(&file.display().to_string())
        ));
    }
    let summary = report.join("; ");
    if errors > 0 || unreadable {
        let _ = writeln!(err, "{errors} problem{} found: {summary}", plural(errors));
        return 1;
    }
    println!("ok: {summary}");
    0
}

/// `config path [CORPUS...]`: returns the exit code.
pub fn path(flags: &Flags, corpus: &[PathBuf]) -> i32 {
    let mut code = 0;
    let settings = Settings::load(flags);
    let mut lines = vec![(
        "config",
        located(config_path(), "absent: the defaults are used"),
    )];
    // The keymap the app would use: one named by a setting, else the user's file.
    let named = settings.as_ref().ok().and_then(|s| {
        let name = s.keymap.value.as_deref()?;
        Some((Choice::from_arg(name), s.keymap.source))
    });
    lines.push(match named {
        Some((Choice::Shipped(name), source)) => {
            ("keymap", format!("{name} (built in; set by {source})"))
        }
        Some((Choice::Path(path), source)) => (
            "keymap",
            format!("{}; set by {source}", located(Some(path), "absent")),
        ),
        None => (
            "keymap",
            located(user_file(), "absent: the shipped default is used"),
        ),
    });
    lines.push(match settings.as_ref().ok().map(|s| &s.theme) {
        Some(theme) if crate::tui::theme::SHIPPED.contains(&theme.value.as_str()) => (
            "theme",
            format!("{} (built in; set by {})", theme.value, theme.source),
        ),
        Some(theme) => (
            "theme",
            format!(
                "{}; set by {}",
                located(Some(PathBuf::from(&theme.value)), "absent"),
                theme.source
            ),
        ),
        None => (
            "theme",
            located(
                crate::tui::theme::user_file(),
                "absent: the shipped dark theme is used",
            ),
        ),
    });
    lines.push(match settings {
        Ok(settings) if crate::store::is_server(&settings.store.value) => (
            "store",
            format!(
                "{} (a PostgreSQL server)",
                crate::store::shown_location(&settings.store.value)
            ),
        ),
        Ok(settings) => (
            "store",
            located(
                Some(settings.store.value),
                "absent: made at the first record",
            ),
        ),
        Err(e) => {
            code = 1;
            ("store", format!("unknown: {e}"))
        }
    });
    lines.push((
        "cache folder",
        located(
            crate::corpus::demo::cache_dir(),
            "absent: made when first needed",
        ),
    ));
    if !corpus.is_empty() {
        lines.push((
            "index cache",
            located(
                crate::corpus::cache::cache_file(corpus),
                "absent: made at the first open",
            ),
        ));
        lines.push((
            "text index",
            located(
                crate::search::text_index_dir(corpus),
                "absent: built after the first open",
            ),
        ));
    }
    let width = lines.iter().map(|(n, _)| n.len()).max().unwrap_or(0) + 1;
    let mut out = std::io::stdout().lock();
    for (name, text) in lines {
        let _ = writeln!(out, "{:<width$} {}", format!("{name}:"), safe(&text));
    }
    code
}

/// A path and whether it is there.
fn located(path: Option<PathBuf>, absent: &str) -> String {
    match path {
        Some(p) => {
            let state = if p.exists() { "exists" } else { absent };
            format!("{} ({state})", p.display())
        }
        None => "unknown: no home folder".into(),
    }
}

/// `config show`: returns the exit code.
pub fn show(flags: &Flags) -> i32 {
    let settings = match Settings::load(flags) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cabletriage: {}", safe(&e));
            eprintln!(
                "cabletriage: fix the settings (`cabletriage config check` lists every problem)"
            );
            return 2;
        }
    };
    let config = config_path().map_or("config.toml".into(), |p| p.display().to_string());
    let entries: Vec<(&str, String, String)> = settings
        .entries()
        .into_iter()
        .map(|(name, value, source)| {
            let from = match source {
                Source::File => format!("{source} {config}"),
                _ => source.to_string(),
            };
            (name, safe(&value).into_owned(), safe(&from).into_owned())
        })
        .collect();
    let name_width = entries.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
    let value_width = entries
        .iter()
        .map(|(_, v, _)| v.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for (name, value, from) in entries {
        let _ = writeln!(out, "{name:<name_width$}  {value:<value_width$}  ({from})");
    }
    0
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
