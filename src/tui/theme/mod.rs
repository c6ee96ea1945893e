//! Colours and emphasis, by name. Every style the views use has a [`StyleName`]; a [`Theme`]
//! gives each name its style. Three themes are shipped ([`shipped`]): `dark` (the default),
//! `light` and `mono` (no colour: what `NO_COLOR` gives); their colours are the 16 named ANSI
//! ones, so the terminal's palette decides the shades. A user's theme file ([`file`]) starts
//! from a shipped theme and replaces single styles.

pub mod file;
mod names;
pub mod shipped;

use std::path::Path;

use ratatui::style::Style;

use crate::cable::Precedence;
use crate::cable::classification::{Classification, Level};
use crate::keymap::check::Problem;

pub use file::check;
pub use names::StyleName;

/// The shipped themes, by the names `--theme`, `$CABLETRIAGE_THEME`, `theme =` and
/// `extends =` use.
pub const SHIPPED: [&str; 3] = ["dark", "light", "mono"];

/// The user's theme file in the config folder, used when no theme is chosen.
pub const USER_FILE: &str = "theme.toml";

/// Where the user's theme file is (whether or not it exists).
pub fn user_file() -> Option<std::path::PathBuf> {
    crate::keymap::source::config_dir().map(|dir| dir.join(USER_FILE))
}

/// Whether a setting can name a theme: a shipped name, or something that reads as a path
/// (with a `/` or ending in `.toml`), which is only opened when the app starts.
pub fn check_choice(choice: &str) -> Result<(), String> {
    if SHIPPED.contains(&choice) || crate::config::names_a_file(choice) {
        Ok(())
    } else {
        Err(format!(
            "{}: a theme is {} or the path of a theme file",
            file::unknown("theme", choice, SHIPPED.into_iter()),
            SHIPPED.join(", ")
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    styles: [Style; StyleName::COUNT],
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::dark()
    }
}

impl Theme {
    pub const fn dark() -> Theme {
        shipped::DARK
    }

    pub const fn light() -> Theme {
        shipped::LIGHT
    }

    pub const fn mono() -> Theme {
        shipped::MONO
    }

    /// A shipped theme by its name.
    pub fn shipped(name: &str) -> Option<Theme> {
        match name {
            "dark" => Some(Theme::dark()),
            "light" => Some(Theme::light()),
            "mono" => Some(Theme::mono()),
            _ => None,
        }
    }

    /// The theme a setting names: a shipped theme, or a path to a theme file. Every problem
    /// of the file is returned, with its place, so that all can be fixed at once.
    pub fn load(choice: &str) -> Result<Theme, Vec<Problem>> {
        match Theme::shipped(choice) {
            Some(theme) => Ok(theme),
            None => file::load(Path::new(choice)),
        }
    }

    /// Every style plain, to be filled in by `with`.
    const fn from_table(entries: &[(StyleName, Style)]) -> Theme {
        Theme {
            styles: [Style::new(); StyleName::COUNT],
        }
        .with(entries)
    }

    /// This theme with the given styles replaced.
    const fn with(mut self, entries: &[(StyleName, Style)]) -> Theme {
        let mut i = 0;
        while i < entries.len() {
            self.styles[entries[i].0 as usize] = entries[i].1;
            i += 1;
        }
        self
    }

    pub fn style(&self, name: StyleName) -> Style {
        self.styles[name as usize]
    }

    pub fn set(&mut self, name: StyleName, style: Style) {
        self.styles[name as usize] = style;
    }

    pub fn precedence(&self, p: Precedence) -> Style {
        self.style(match p {
            Precedence::Flash => StyleName::Flash,
            Precedence::NiactImmediate => StyleName::NiactImmediate,
            Precedence::Immediate => StyleName::Immediate,
            Precedence::Priority => StyleName::Priority,
            Precedence::Routine => StyleName::Routine,
            Precedence::Unknown => StyleName::PrecedenceUnknown,
        })
    }

    /// The classification's conventional colour (green, blue, red, orange), emphasised when
    /// the cable is NOFORN.
    pub fn classification(&self, c: &Classification) -> Style {
        let level = self.style(match c.level {
            Level::Unknown => StyleName::ClassificationUnknown,
            Level::Unclassified => StyleName::Unclassified,
            Level::Confidential => StyleName::Confidential,
            Level::Secret => StyleName::Secret,
            Level::TopSecret => StyleName::TopSecret,
        });
        if c.noforn {
            level.patch(self.style(StyleName::Noforn))
        } else {
            level
        }
    }

    /// The banner across the reading view.
    pub fn banner(&self, c: &Classification) -> Style {
        self.style(match c.level {
            Level::Unknown => StyleName::BannerUnknown,
            Level::Unclassified => StyleName::BannerUnclassified,
            Level::Confidential => StyleName::BannerConfidential,
            Level::Secret => StyleName::BannerSecret,
            Level::TopSecret => StyleName::BannerTopSecret,
        })
    }

    pub fn disposition(&self, d: crate::store::Disposition) -> Style {
        use crate::store::Disposition as D;
        self.style(match d {
            D::Untriaged => StyleName::Untriaged,
            D::Actioned => StyleName::Actioned,
            D::FollowUp => StyleName::FollowUp,
            D::Forwarded => StyleName::Forwarded,
            D::NoAction => StyleName::NoAction,
        })
    }

    pub fn header(&self) -> Style {
        self.style(StyleName::Header)
    }

    pub fn cursor_row(&self) -> Style {
        self.style(StyleName::Selection)
    }

    pub fn matched(&self) -> Style {
        self.style(StyleName::Match)
    }

    pub fn dim(&self) -> Style {
        self.style(StyleName::Dim)
    }

    pub fn label(&self) -> Style {
        self.style(StyleName::Label)
    }

    pub fn heading(&self) -> Style {
        self.style(StyleName::Heading)
    }

    pub fn error(&self) -> Style {
        self.style(StyleName::Error)
    }

    pub fn status(&self) -> Style {
        self.style(StyleName::Status)
    }

    pub fn key(&self) -> Style {
        self.style(StyleName::Key)
    }
}
