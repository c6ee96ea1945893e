//! Colours and emphasis. Named colours only, so the terminal's own palette decides the shades:
//! readable on dark and light backgrounds and with 16 colours. `NO_COLOR` keeps emphasis
//! (bold, reverse, underline) and drops every colour.

use ratatui::style::{Color, Modifier, Style};

use crate::cable::Precedence;
use crate::cable::classification::{Classification, Level};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set (to anything, as no-color.org says).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, style: Style, color: Color) -> Style {
        if self.color { style.fg(color) } else { style }
    }

    fn bg(&self, style: Style, color: Color) -> Style {
        if self.color { style.bg(color) } else { style }
    }

    pub fn precedence(&self, p: Precedence) -> Style {
        let base = Style::default();
        match p {
            Precedence::Flash => self.fg(
                base.add_modifier(Modifier::BOLD | Modifier::REVERSED),
                Color::Red,
            ),
            Precedence::NiactImmediate => {
                self.fg(base.add_modifier(Modifier::BOLD), Color::Magenta)
            }
            Precedence::Immediate => self.fg(base.add_modifier(Modifier::BOLD), Color::Yellow),
            Precedence::Priority => self.fg(base, Color::Cyan),
            Precedence::Routine => base,
            Precedence::Unknown => base.add_modifier(Modifier::DIM),
        }
    }

    /// The classification's conventional colour: green, blue, red, orange.
    pub fn classification(&self, c: &Classification) -> Style {
        let base = if c.noforn {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        match c.level {
            Level::Unknown => base.add_modifier(Modifier::DIM),
            Level::Unclassified => self.fg(base, Color::Green),
            Level::Confidential => self.fg(base, Color::Blue),
            Level::Secret => self.fg(base, Color::Red),
            Level::TopSecret => self.fg(base, Color::LightRed),
        }
    }

    /// The banner across the reading view.
    pub fn banner(&self, c: &Classification) -> Style {
        let base = Style::default().add_modifier(Modifier::BOLD);
        if !self.color {
            return base.add_modifier(Modifier::REVERSED);
        }
        let bg = match c.level {
            Level::Unknown => return base.add_modifier(Modifier::REVERSED),
            Level::Unclassified => Color::Green,
            Level::Confidential => Color::Blue,
            Level::Secret => Color::Red,
            Level::TopSecret => Color::LightRed,
        };
        // Dark text on the light backgrounds, light text on the dark ones.
        let fg = match c.level {
            Level::Unclassified | Level::TopSecret => Color::Black,
            _ => Color::White,
        };
        self.bg(base.fg(fg), bg)
    }

    pub fn disposition(&self, d: crate::store::Disposition) -> Style {
        use crate::store::Disposition as D;
        let base = Style::default().add_modifier(Modifier::BOLD);
        match d {
            D::Untriaged => Style::default(),
            D::Actioned => self.fg(base, Color::Green),
            D::FollowUp => self.fg(base, Color::Yellow),
            D::Forwarded => self.fg(base, Color::Cyan),
            D::NoAction => self.fg(Style::default(), Color::DarkGray),
        }
    }

    pub fn header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn cursor_row(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn matched(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Color::Yellow,
        )
    }

    pub fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    pub fn label(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn heading(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Red)
    }

    pub fn status(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn key(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Yellow)
    }
}
