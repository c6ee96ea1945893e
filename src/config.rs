//! The user's settings file, `config.toml` in the config folder (beside `keymap.toml`):
//!
//! ```toml
//! analyst = "Jane Doe"                  # the name in the triage history
//! after_disposition = "next-untriaged"  # or "next", "stay"
//! keymap = "vim"                        # a shipped keymap or a path
//! store = "/srv/triage/triage.sqlite"   # the triage store
//! theme = "light"                       # dark, light, mono, or a path to a theme file
//! tree_glyphs = "ascii"                 # or "unicode"; by default, as the locale allows
//! presence = false                      # do not show colleagues which cable you read
//! ```
//!
//! [`Settings::resolve`] is the one place where the app and every command get their settings:
//! command-line flags win over the environment, which wins over this file, which wins over
//! the defaults. A file that cannot be read is reported with its path, line and column
//! before anything is done.

use serde::{Deserialize, Deserializer};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::app::triage::Advance;

#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, deserialize_with = "analyst_name")]
    pub analyst: Option<String>,
    #[serde(default, deserialize_with = "cursor_move")]
    pub after_disposition: Option<String>,
    #[serde(default, deserialize_with = "keymap_choice")]
    pub keymap: Option<String>,
    #[serde(default, deserialize_with = "store_path")]
    pub store: Option<PathBuf>,
    #[serde(default, deserialize_with = "theme_choice")]
    pub theme: Option<String>,
    /// Open the store read-only (an auditor's settings, a store on a shared folder).
    pub read_only: Option<bool>,
    /// How the thread view draws its branches: `unicode` (`├─`) or `ascii` (`|-`).
    #[serde(default, deserialize_with = "glyphs_choice")]
    pub tree_glyphs: Option<String>,
    /// Whether colleagues on a PostgreSQL store see which cable this analyst reads (and
    /// this analyst theirs); on by default.
    pub presence: Option<bool>,
    /// The folder of the file read: a relative path in it is taken from there, so the
    /// settings mean the same from whatever folder a command runs.
    #[serde(skip)]
    pub folder: Option<PathBuf>,
}

// These checks run inside deserialisation so that toml reports them with line and column.
fn analyst_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(d)?;
    check_analyst(&name)
        .map(|a| Some(a.to_string()))
        .map_err(serde::de::Error::custom)
}

fn cursor_move<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    text.parse::<Advance>().map_err(serde::de::Error::custom)?;
    Ok(Some(text))
}

fn store_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Err(serde::de::Error::custom("the store path is empty"));
    }
    Ok(Some(PathBuf::from(text)))
}

fn keymap_choice<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    let shipped = crate::keymap::source::SHIPPED.map(|(name, _)| name);
    if shipped.contains(&text.as_str()) || names_a_file(&text) {
        return Ok(Some(text));
    }
    Err(serde::de::Error::custom(format!(
        "{}: a keymap is {} or the path of a keymap file",
        crate::tui::theme::file::unknown("keymap", &text, shipped.into_iter()),
        shipped.join(", ")
    )))
}

/// Whether a keymap or theme setting is a file's path rather than a shipped one's name.
pub fn names_a_file(choice: &str) -> bool {
    choice.contains(std::path::MAIN_SEPARATOR) || choice.contains('/') || choice.ends_with(".toml")
}

fn glyphs_choice<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    match text.as_str() {
        "unicode" | "ascii" => Ok(Some(text)),
        _ => Err(serde::de::Error::custom(format!(
            "unknown tree_glyphs {text:?}: use unicode or ascii"
        ))),
    }
}

fn theme_choice<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    crate::tui::theme::check_choice(&text).map_err(serde::de::Error::custom)?;
    Ok(Some(text))
}

impl Config {
    /// The settings file of the config folder; an absent file is an empty configuration.
    pub fn load() -> Result<Config, String> {
        match config_path() {
            Some(path) => Config::load_from(&path),
            None => Ok(Config::default()),
        }
    }

    pub fn load_from(path: &Path) -> Result<Config, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        };
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
            format!(
                "{}:{line}:{col}: {}",
                path.display(),
                e.message().trim_end()
            )
        })?;
        config.folder = path.parent().map(Path::to_path_buf);
        Ok(config)
    }

    pub fn advance(&self) -> Option<Advance> {
        self.after_disposition
            .as_deref()
            .and_then(|a| a.parse().ok())
    }
}

/// Where `config.toml` is (whether or not it exists).
pub fn config_path() -> Option<PathBuf> {
    crate::keymap::source::config_dir().map(|dir| dir.join("config.toml"))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// An analyst's name as given, trimmed; refused when empty (the history must say who) or
/// when it holds control characters (it is printed by `history` and shown by the app).
pub fn check_analyst(name: &str) -> Result<&str, String> {
    let name = name.trim();
    if name.is_empty() {
        Err("the analyst's name is empty".into())
    } else {
        // The store's rule, so that every name that may record may also be assigned.
        crate::store::record::check_analyst(name).map_err(|_| {
            format!(
                "the analyst's name {} holds a control or invisible character, or is longer \
                 than {} characters",
                shown(name),
                crate::store::record::MAX_ANALYST_CHARS
            )
        })
    }
}

/// Text from a file or an argument made safe to echo on a terminal: quoted, control and
/// other invisible characters escaped, cut at 80 characters.
pub fn shown(text: &str) -> String {
    const MAX: usize = 80;
    let cut: String = text.chars().take(MAX).collect();
    let mut s = format!("{cut:?}");
    if text.chars().count() > MAX {
        s.push('…');
    }
    s
}

/// Where a setting's value came from (`config show` reports it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Default,
    File,
    /// The user's own file in the config folder (`theme.toml`, `keymap.toml`), used when no
    /// setting names one.
    UserFile,
    Environment,
    Flag,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::Default => "default",
            Source::File => "config file",
            Source::UserFile => "the user's file in the config folder",
            Source::Environment => "environment",
            Source::Flag => "flag",
        })
    }
}

/// A setting's value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

fn setting<T>(value: T, source: Source) -> Setting<T> {
    Setting { value, source }
}

/// The settings given on the command line (`None`: not given).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub store: Option<PathBuf>,
    pub analyst: Option<String>,
    pub keymap: Option<String>,
    pub after_disposition: Option<Advance>,
    pub read_only: bool,
    pub theme: Option<String>,
}

/// What the environment says, read once so that resolving can be tested without it.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `$CABLETRIAGE_STORE`.
    pub store: Option<OsString>,
    /// `$CABLETRIAGE_ANALYST`.
    pub analyst: Option<OsString>,
    /// The login name (`$USER`, else `$LOGNAME`, else the system's name of this user): the
    /// analyst by default.
    pub login: Option<String>,
    /// The home folder, for `~` in store paths.
    pub home: Option<PathBuf>,
    /// The store by default: `triage.sqlite` in the data folder.
    pub default_store: PathBuf,
    /// `$CABLETRIAGE_THEME`.
    pub theme: Option<OsString>,
    /// `$NO_COLOR` is set and not empty (no-color.org).
    pub no_color: bool,
    /// The user's `theme.toml` in the config folder, when it exists.
    pub user_theme: Option<PathBuf>,
    /// The locale's characters are UTF-8 (`$LC_ALL`, else `$LC_CTYPE`, else `$LANG`).
    pub utf8_locale: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Env {
            store: var("CABLETRIAGE_STORE"),
            analyst: std::env::var_os("CABLETRIAGE_ANALYST"),
            login: crate::store::location::login_name(),
            home: var("HOME")
                .map(PathBuf::from)
                .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())),
            default_store: crate::store::location::data_store_path(),
            theme: var("CABLETRIAGE_THEME"),
            no_color: var("NO_COLOR").is_some(),
            user_theme: crate::tui::theme::user_file().filter(|path| path.exists()),
            utf8_locale: ["LC_ALL", "LC_CTYPE", "LANG"]
                .iter()
                .find_map(|name| var(name))
                .is_some_and(|locale| {
                    let locale = locale.to_string_lossy().to_ascii_lowercase();
                    locale.contains("utf-8") || locale.contains("utf8")
                }),
        }
    }
}

/// Every setting the app and the commands use, resolved once by [`Settings::resolve`]:
/// flags win over the environment, which wins over `config.toml`, which wins over the
/// defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub store: Setting<PathBuf>,
    pub analyst: Setting<String>,
    pub keymap: Setting<Option<String>>,
    pub after_disposition: Setting<Advance>,
    pub read_only: Setting<bool>,
    /// A shipped theme's name or a theme file's path.
    pub theme: Setting<String>,
    /// `unicode` or `ascii`: how trees are drawn.
    pub tree_glyphs: Setting<String>,
    /// Share and show who reads which cable (a server store only).
    pub presence: Setting<bool>,
}

impl Settings {
    /// The settings of this process: `flags`, the environment, and `config.toml` (a file
    /// that cannot be read is an error naming its path, line and column).
    pub fn load(flags: &Flags) -> Result<Settings, String> {
        let file = Config::load()?;
        Settings::resolve(flags, &Env::from_process(), &file)
    }

    pub fn resolve(flags: &Flags, env: &Env, file: &Config) -> Result<Settings, String> {
        let store = if let Some(p) = &flags.store {
            setting(expand_home(p, env, "--store")?, Source::Flag)
        } else if let Some(p) = &env.store {
            let p = PathBuf::from(p);
            setting(
                expand_home(&p, env, "$CABLETRIAGE_STORE")?,
                Source::Environment,
            )
        } else if let Some(p) = &file.store {
            setting(
                file.path_in(p, env, "store in the config file")?,
                Source::File,
            )
        } else {
            setting(env.default_store.clone(), Source::Default)
        };
        if store.value.as_os_str().is_empty() {
            return Err(format!("the store path ({}) is empty", store.source));
        }
        let analyst = if let Some(a) = &flags.analyst {
            setting(
                check_analyst(a).map_err(|e| format!("--analyst: {e}"))?,
                Source::Flag,
            )
        } else if let Some(a) = &env.analyst {
            let a = a
                .to_str()
                .ok_or("$CABLETRIAGE_ANALYST: the analyst's name is not valid UTF-8")?;
            setting(
                check_analyst(a).map_err(|e| format!("$CABLETRIAGE_ANALYST: {e}"))?,
                Source::Environment,
            )
        } else if let Some(a) = &file.analyst {
            setting(
                check_analyst(a).map_err(|e| format!("analyst in the config file: {e}"))?,
                Source::File,
            )
        } else {
            let login = env.login.as_deref().and_then(|l| check_analyst(l).ok());
            setting(login.unwrap_or("analyst"), Source::Default)
        };
        let analyst = setting(analyst.value.to_string(), analyst.source);
        let keymap = match (&flags.keymap, &file.keymap) {
            (Some(k), _) => setting(Some(k.clone()), Source::Flag),
            (None, Some(k)) if names_a_file(k) => {
                let path = file.path_in(Path::new(k), env, "keymap in the config file")?;
                setting(Some(path.to_string_lossy().into_owned()), Source::File)
            }
            (None, Some(k)) => setting(Some(k.clone()), Source::File),
            (None, None) => setting(None, Source::Default),
        };
        let after_disposition = match (flags.after_disposition, &file.after_disposition) {
            (Some(a), _) => setting(a, Source::Flag),
            (None, Some(text)) => setting(
                text.parse()
                    .map_err(|e| format!("after_disposition in the config file: {e}"))?,
                Source::File,
            ),
            (None, None) => setting(Advance::default(), Source::Default),
        };
        let read_only = if flags.read_only {
            setting(true, Source::Flag)
        } else if let Some(read_only) = file.read_only {
            setting(read_only, Source::File)
        } else {
            setting(false, Source::Default)
        };
        let theme = resolve_theme(flags, env, file)?;
        let tree_glyphs = match &file.tree_glyphs {
            Some(g) => setting(g.clone(), Source::File),
            None if env.utf8_locale => setting("unicode".to_string(), Source::Default),
            None => setting("ascii".to_string(), Source::Default),
        };
        let presence = match file.presence {
            Some(p) => setting(p, Source::File),
            None => setting(true, Source::Default),
        };
        Ok(Settings {
            tree_glyphs,
            presence,
            store,
            analyst,
            keymap,
            after_disposition,
            read_only,
            theme,
        })
    }
}

impl Settings {
    /// Every setting, as `config show` lists it: its name (as in `config.toml`), its value
    /// as text, and where it came from. A new setting is one more line here.
    pub fn entries(&self) -> Vec<(&'static str, String, Source)> {
        // Without a keymap setting, the user's keymap.toml when there is one, else default.
        let (keymap, keymap_source) = match &self.keymap.value {
            Some(keymap) => (keymap.clone(), self.keymap.source),
            None => match crate::keymap::source::Choice::user_or_default() {
                user @ crate::keymap::source::Choice::Path(_) => (user.label(), Source::UserFile),
                shipped => (shipped.label(), Source::Default),
            },
        };
        vec![
            self.analyst.entry("analyst"),
            self.after_disposition.entry("after_disposition"),
            ("keymap", keymap, keymap_source),
            (
                "store",
                crate::store::shown_location(&self.store.value),
                self.store.source,
            ),
            self.read_only.entry("read_only"),
            self.theme.entry("theme"),
            self.tree_glyphs.entry("tree_glyphs"),
            self.presence.entry("presence"),
        ]
    }
}

impl<T: std::fmt::Display> Setting<T> {
    /// This setting as [`Settings::entries`] lists it.
    fn entry(&self, name: &'static str) -> (&'static str, String, Source) {
        (name, self.value.to_string(), self.source)
    }
}

/// The theme: `--theme`, else `$CABLETRIAGE_THEME`, else `theme` in config.toml, else the
/// user's theme.toml, else `mono` when `NO_COLOR` is set, else `dark`. As no-color.org asks,
/// a theme the user chose for this program, in any of these places, wins over `NO_COLOR`.
fn resolve_theme(flags: &Flags, env: &Env, file: &Config) -> Result<Setting<String>, String> {
    let chosen = |choice: &str, what: &str, source: Source| {
        crate::tui::theme::check_choice(choice).map_err(|e| format!("{what}: {e}"))?;
        let path = expand_home(Path::new(choice), env, what)?;
        Ok::<_, String>(setting(path.to_string_lossy().into_owned(), source))
    };
    if let Some(t) = &flags.theme {
        chosen(t, "--theme", Source::Flag)
    } else if let Some(t) = &env.theme {
        let t = t
            .to_str()
            .ok_or("$CABLETRIAGE_THEME: the theme is not valid UTF-8")?;
        chosen(t, "$CABLETRIAGE_THEME", Source::Environment)
    } else if let Some(t) = &file.theme {
        crate::tui::theme::check_choice(t).map_err(|e| format!("theme in the config file: {e}"))?;
        if !names_a_file(t) {
            return Ok(setting(t.clone(), Source::File));
        }
        let path = file.path_in(Path::new(t), env, "theme in the config file")?;
        Ok(setting(path.to_string_lossy().into_owned(), Source::File))
    } else if let Some(path) = &env.user_theme {
        Ok(setting(
            path.to_string_lossy().into_owned(),
            Source::UserFile,
        ))
    } else if env.no_color {
        Ok(setting("mono".to_string(), Source::Environment))
    } else {
        Ok(setting("dark".to_string(), Source::Default))
    }
}

impl Config {
    /// A path written in this file: `~/` is the home folder, and a relative path is taken
    /// from the file's folder (callers pass a keymap or theme only when it names a file).
    fn path_in(&self, path: &Path, env: &Env, what: &str) -> Result<PathBuf, String> {
        let path = expand_home(path, env, what)?;
        Ok(match &self.folder {
            // A server URL is not a path relative to the config's folder.
            _ if crate::store::is_server(&path) => path,
            Some(folder) if path.is_relative() => folder.join(path),
            _ => path,
        })
    }

    /// [`Config::path_in`] with this process's environment: for the commands that check
    /// the files a config names.
    pub fn path_of(&self, path: &Path, what: &str) -> Result<PathBuf, String> {
        self.path_in(path, &Env::from_process(), what)
    }
}

/// `~` and `~/rest` as the home folder (as a shell would; a config file and the
/// environment get no shell). `~user` is left alone.
fn expand_home(path: &Path, env: &Env, what: &str) -> Result<PathBuf, String> {
    let Some(text) = path.to_str() else {
        return Ok(path.to_path_buf());
    };
    let rest = if text == "~" {
        ""
    } else if let Some(rest) = text.strip_prefix("~/") {
        rest
    } else {
        return Ok(path.to_path_buf());
    };
    match &env.home {
        Some(home) => Ok(home.join(rest)),
        None => Err(format!(
            "{what}: {} starts with ~ but the home folder is not known",
            shown(text)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_their_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(Config::load_from(&path), Ok(Config::default()));
        std::fs::write(&path, "analyst = \"Jane\"\nafter_disposition = \"stay\"\n").unwrap();
        let c = Config::load_from(&path).unwrap();
        assert_eq!(c.analyst.as_deref(), Some("Jane"));
        assert_eq!(c.advance(), Some(Advance::Stay));
        std::fs::write(&path, "analyst = \"Jane\"\ncolour = true\n").unwrap();
        let e = Config::load_from(&path).unwrap_err();
        assert!(
            e.contains("config.toml:2:1:") && e.contains("colour"),
            "{e}"
        );
        std::fs::write(&path, "analyst = \"Jane\"\nafter_disposition = \"later\"\n").unwrap();
        let e = Config::load_from(&path).unwrap_err();
        assert!(
            e.contains("config.toml:2:21:") && e.contains("unknown cursor move"),
            "{e}"
        );
    }

    #[test]
    fn an_empty_analyst_or_store_in_the_file_is_refused_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "keymap = \"vim\"\nanalyst = \"  \"\n").unwrap();
        let e = Config::load_from(&path).unwrap_err();
        assert!(
            e.contains("config.toml:2:11:") && e.contains("empty"),
            "{e}"
        );
        std::fs::write(&path, "store = \"\"\n").unwrap();
        let e = Config::load_from(&path).unwrap_err();
        assert!(e.contains("config.toml:1:9:") && e.contains("empty"), "{e}");
    }

    fn env() -> Env {
        Env {
            login: Some("login".into()),
            home: Some(PathBuf::from("/home/jane")),
            default_store: PathBuf::from("/data/triage.sqlite"),
            ..Env::default()
        }
    }

    fn file() -> Config {
        Config {
            analyst: Some("file-analyst".into()),
            after_disposition: Some("stay".into()),
            keymap: Some("vim".into()),
            store: Some(PathBuf::from("/srv/team.sqlite")),
            theme: None,
            read_only: None,
            tree_glyphs: None,
            presence: None,
            folder: None,
        }
    }

    #[test]
    fn flags_win_over_the_environment_which_wins_over_the_file() {
        let none = Settings::resolve(&Flags::default(), &env(), &Config::default()).unwrap();
        assert_eq!(
            none.store,
            setting(PathBuf::from("/data/triage.sqlite"), Source::Default)
        );
        assert_eq!(none.analyst, setting("login".to_string(), Source::Default));
        assert_eq!(none.keymap, setting(None, Source::Default));
        assert_eq!(
            none.after_disposition,
            setting(Advance::NextUntriaged, Source::Default)
        );
        assert_eq!(none.read_only, setting(false, Source::Default));

        let from_file = Settings::resolve(&Flags::default(), &env(), &file()).unwrap();
        assert_eq!(
            from_file.store,
            setting(PathBuf::from("/srv/team.sqlite"), Source::File)
        );
        assert_eq!(from_file.analyst.value, "file-analyst");
        assert_eq!(from_file.analyst.source, Source::File);
        assert_eq!(from_file.keymap, setting(Some("vim".into()), Source::File));
        assert_eq!(
            from_file.after_disposition,
            setting(Advance::Stay, Source::File)
        );

        let e = Env {
            store: Some("/env/s.sqlite".into()),
            analyst: Some("env-analyst".into()),
            ..env()
        };
        let from_env = Settings::resolve(&Flags::default(), &e, &file()).unwrap();
        assert_eq!(
            from_env.store,
            setting(PathBuf::from("/env/s.sqlite"), Source::Environment)
        );
        assert_eq!(
            from_env.analyst,
            setting("env-analyst".to_string(), Source::Environment)
        );

        let flags = Flags {
            store: Some("flag.sqlite".into()),
            analyst: Some(" bob ".into()),
            keymap: Some("emacs".into()),
            after_disposition: Some(Advance::Next),
            read_only: true,
            theme: None,
        };
        let from_flags = Settings::resolve(&flags, &e, &file()).unwrap();
        assert_eq!(
            from_flags.store,
            setting(PathBuf::from("flag.sqlite"), Source::Flag)
        );
        assert_eq!(from_flags.analyst, setting("bob".to_string(), Source::Flag));
        assert_eq!(
            from_flags.keymap,
            setting(Some("emacs".into()), Source::Flag)
        );
        assert_eq!(
            from_flags.after_disposition,
            setting(Advance::Next, Source::Flag)
        );
        assert_eq!(from_flags.read_only, setting(true, Source::Flag));
    }

    #[test]
    fn the_theme_comes_from_the_flag_the_environment_the_files_then_no_color() {
        let theme = |flags: &Flags, env: &Env, file: &Config| {
            let s = Settings::resolve(flags, env, file).unwrap().theme;
            (s.value, s.source)
        };
        let none = Flags::default();
        let plain = Config::default();
        assert_eq!(
            theme(&none, &env(), &plain),
            ("dark".into(), Source::Default)
        );
        let no_color = Env {
            no_color: true,
            ..env()
        };
        assert_eq!(
            theme(&none, &no_color, &plain),
            ("mono".into(), Source::Environment)
        );
        let with_user_file = Env {
            user_theme: Some(PathBuf::from("/cfg/theme.toml")),
            ..no_color.clone()
        };
        assert_eq!(
            theme(&none, &with_user_file, &plain),
            ("/cfg/theme.toml".into(), Source::UserFile),
            "the user's theme.toml wins over NO_COLOR"
        );
        let light = Config {
            theme: Some("light".into()),
            ..Config::default()
        };
        assert_eq!(
            theme(&none, &with_user_file, &light),
            ("light".into(), Source::File)
        );
        let env_mono = Env {
            theme: Some("mono".into()),
            ..with_user_file
        };
        assert_eq!(
            theme(&none, &env_mono, &light),
            ("mono".into(), Source::Environment)
        );
        let flag = Flags {
            theme: Some("./mine.toml".into()),
            ..Flags::default()
        };
        assert_eq!(
            theme(&flag, &env_mono, &light),
            ("./mine.toml".into(), Source::Flag)
        );
        let typo = Flags {
            theme: Some("ligth".into()),
            ..Flags::default()
        };
        let e = Settings::resolve(&typo, &env(), &plain).unwrap_err();
        assert!(e.starts_with("--theme:") && e.contains("\"light\""), "{e}");
    }

    #[test]
    fn an_unknown_theme_in_the_file_is_refused_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "keymap = \"vim\"\ntheme = \"drak\"\n").unwrap();
        let e = Config::load_from(&path).unwrap_err();
        assert!(
            e.contains("config.toml:2:9:") && e.contains("did you mean \"dark\""),
            "{e}"
        );
        std::fs::write(&path, "theme = \"~/themes/mine.toml\"\n").unwrap();
        let c = Config::load_from(&path).unwrap();
        assert_eq!(c.theme.as_deref(), Some("~/themes/mine.toml"));
    }

    #[test]
    fn a_leading_tilde_is_the_home_folder() {
        let mut f = Config {
            store: Some(PathBuf::from("~/x.sqlite")),
            ..Config::default()
        };
        let s = Settings::resolve(&Flags::default(), &env(), &f).unwrap();
        assert_eq!(s.store.value, PathBuf::from("/home/jane/x.sqlite"));
        let e = Env {
            store: Some("~/env.sqlite".into()),
            ..env()
        };
        let s = Settings::resolve(&Flags::default(), &e, &f).unwrap();
        assert_eq!(s.store.value, PathBuf::from("/home/jane/env.sqlite"));
        // `~user` and a tilde further on are not the home folder.
        f.store = Some(PathBuf::from("~bob/x.sqlite"));
        let s = Settings::resolve(&Flags::default(), &env(), &f).unwrap();
        assert_eq!(s.store.value, PathBuf::from("~bob/x.sqlite"));
        let homeless = Env {
            home: None,
            ..env()
        };
        f.store = Some(PathBuf::from("~/x.sqlite"));
        let e = Settings::resolve(&Flags::default(), &homeless, &f).unwrap_err();
        assert!(e.contains("home folder"), "{e}");
    }

    #[test]
    fn an_empty_analyst_is_refused_from_any_source() {
        let flags = Flags {
            analyst: Some("  ".into()),
            ..Flags::default()
        };
        let e = Settings::resolve(&flags, &env(), &file()).unwrap_err();
        assert!(e.starts_with("--analyst:") && e.contains("empty"), "{e}");
        let e = Env {
            analyst: Some("".into()),
            ..env()
        };
        let err = Settings::resolve(&Flags::default(), &e, &file()).unwrap_err();
        assert!(err.starts_with("$CABLETRIAGE_ANALYST:"), "{err}");
        let f = Config {
            analyst: Some(" ".into()),
            ..file()
        };
        let err = Settings::resolve(&Flags::default(), &env(), &f).unwrap_err();
        assert!(
            err.contains("config file") && err.contains("empty"),
            "{err}"
        );
        let flags = Flags {
            analyst: Some("a\u{1b}[2J".into()),
            ..Flags::default()
        };
        let err = Settings::resolve(&flags, &env(), &file()).unwrap_err();
        assert!(err.contains("control") && !err.contains('\u{1b}'), "{err}");
    }
}
