//! The user's settings file, `config.toml` in the config folder (beside `keymap.toml`):
//!
//! ```toml
//! analyst = "Jane Doe"                  # the name in the triage history
//! after_disposition = "next-untriaged"  # or "next", "stay"
//! keymap = "vim"                        # a shipped keymap or a path
//! store = "/srv/triage/triage.sqlite"   # the triage store
//! ```
//!
//! Command-line flags win over the environment, which wins over this file. A file that
//! cannot be read is reported with its path, line and column before the screen is taken.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::app::triage::Advance;

#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub analyst: Option<String>,
    pub after_disposition: Option<String>,
    pub keymap: Option<String>,
    pub store: Option<PathBuf>,
}

impl Config {
    /// The settings file of the config folder; an absent file is an empty configuration.
    pub fn load() -> Result<Config, String> {
        match crate::keymap::source::config_dir() {
            Some(dir) => Config::load_from(&dir.join("config.toml")),
            None => Ok(Config::default()),
        }
    }

    pub fn load_from(path: &Path) -> Result<Config, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        };
        let config: Config = toml::from_str(&text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
            format!("{}:{line}:{col}: {}", path.display(), e.message())
        })?;
        if let Some(a) = &config.after_disposition {
            a.parse::<Advance>()
                .map_err(|e| format!("{}: after_disposition: {e}", path.display()))?;
        }
        Ok(config)
    }

    pub fn advance(&self) -> Option<Advance> {
        self.after_disposition
            .as_deref()
            .and_then(|a| a.parse().ok())
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
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
        std::fs::write(&path, "after_disposition = \"later\"\n").unwrap();
        assert!(
            Config::load_from(&path)
                .unwrap_err()
                .contains("unknown cursor move")
        );
    }
}
