//! The themes that come with the app. Colours are the 16 named ANSI colours only, so the
//! terminal's own palette decides the shades.

use ratatui::style::{Color, Modifier, Style};

use super::{StyleName as N, Theme};

const PLAIN: Style = Style::new();
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);
const REVERSED: Style = Style::new().add_modifier(Modifier::REVERSED);
const BOLD_UNDERLINED: Style =
    Style::new().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED));
const BOLD_REVERSED: Style = Style::new().add_modifier(Modifier::BOLD.union(Modifier::REVERSED));
const DIM: Style = Style::new().add_modifier(Modifier::DIM);

/// Styles every theme shares: emphasis that reads on any background.
const COMMON: &[(N, Style)] = &[
    (N::Routine, PLAIN),
    (N::Noforn, BOLD),
    (N::Untriaged, PLAIN),
    (N::Header, BOLD_UNDERLINED),
    (N::Selection, REVERSED),
    (N::Unread, BOLD),
    (N::Heading, BOLD),
    (N::Status, REVERSED),
    (N::BannerUnknown, BOLD_REVERSED),
    // Banners set both colours, so they read the same on any background: dark text on the
    // light colours, light text on the dark ones.
    (
        N::BannerUnclassified,
        BOLD.fg(Color::Black).bg(Color::Green),
    ),
    (N::BannerConfidential, BOLD.fg(Color::White).bg(Color::Blue)),
    (N::BannerSecret, BOLD.fg(Color::White).bg(Color::Red)),
    (
        N::BannerTopSecret,
        BOLD.fg(Color::Black).bg(Color::LightRed),
    ),
];

/// For dark backgrounds: the default.
pub const DARK: Theme = Theme::from_table(COMMON).with(DARK_OWN);

const DARK_OWN: &[(N, Style)] = &[
    (N::Flash, BOLD_REVERSED.fg(Color::Red)),
    (N::NiactImmediate, BOLD.fg(Color::Magenta)),
    (N::Immediate, BOLD.fg(Color::Yellow)),
    (N::Priority, PLAIN.fg(Color::Cyan)),
    (N::PrecedenceUnknown, DIM),
    (N::Unclassified, PLAIN.fg(Color::Green)),
    (N::Confidential, PLAIN.fg(Color::Blue)),
    (N::Secret, PLAIN.fg(Color::Red)),
    (N::TopSecret, PLAIN.fg(Color::LightRed)),
    (N::ClassificationUnknown, DIM),
    (N::Actioned, BOLD.fg(Color::Green)),
    (N::FollowUp, BOLD.fg(Color::Yellow)),
    (N::Forwarded, BOLD.fg(Color::Cyan)),
    (N::NoAction, PLAIN.fg(Color::DarkGray)),
    (N::Match, BOLD_UNDERLINED.fg(Color::Yellow)),
    (
        N::CurrentMatch,
        BOLD_UNDERLINED
            .fg(Color::Yellow)
            .add_modifier(Modifier::REVERSED),
    ),
    (N::Label, BOLD.fg(Color::Cyan)),
    (N::Key, BOLD.fg(Color::Yellow)),
    (N::Selected, BOLD.fg(Color::Yellow)),
    (N::Dim, DIM),
    (N::Context, DIM),
    (N::Error, BOLD.fg(Color::Red)),
    (N::Unsaved, BOLD.fg(Color::Red)),
];

/// For light backgrounds: no yellow, cyan or bright text, which fade on white; secondary text
/// in grey (bright black) rather than dimmed, which some terminals make too faint on white.
pub const LIGHT: Theme = Theme::from_table(COMMON).with(LIGHT_OWN);

const LIGHT_OWN: &[(N, Style)] = &[
    (N::Flash, BOLD_REVERSED.fg(Color::Red)),
    (N::NiactImmediate, BOLD.fg(Color::Magenta)),
    (N::Immediate, BOLD.fg(Color::Blue)),
    (N::Priority, PLAIN.fg(Color::Green)),
    (N::PrecedenceUnknown, PLAIN.fg(Color::DarkGray)),
    (N::Unclassified, PLAIN.fg(Color::Green)),
    (N::Confidential, PLAIN.fg(Color::Blue)),
    (N::Secret, PLAIN.fg(Color::Red)),
    (N::TopSecret, PLAIN.fg(Color::Magenta)),
    (N::ClassificationUnknown, PLAIN.fg(Color::DarkGray)),
    (N::Actioned, BOLD.fg(Color::Green)),
    (N::FollowUp, BOLD.fg(Color::Magenta)),
    (N::Forwarded, BOLD.fg(Color::Blue)),
    (N::NoAction, PLAIN.fg(Color::DarkGray)),
    (N::Match, BOLD_UNDERLINED.fg(Color::Magenta)),
    (
        N::CurrentMatch,
        BOLD_UNDERLINED
            .fg(Color::Magenta)
            .add_modifier(Modifier::REVERSED),
    ),
    (N::Label, BOLD.fg(Color::Blue)),
    (N::Key, BOLD.fg(Color::Blue)),
    (N::Selected, BOLD.fg(Color::Blue)),
    (N::Dim, PLAIN.fg(Color::DarkGray)),
    (N::Context, PLAIN.fg(Color::DarkGray)),
    (N::Error, BOLD.fg(Color::Red)),
    (N::Unsaved, BOLD.fg(Color::Red)),
];

/// No colour at all: what `NO_COLOR` gives. The text of a cell (FLASH, SECRET, actioned)
/// carries the meaning; emphasis only ranks it.
pub const MONO: Theme = Theme::from_table(COMMON).with(MONO_OWN);

const MONO_OWN: &[(N, Style)] = &[
    (N::Flash, BOLD_REVERSED),
    (N::NiactImmediate, BOLD),
    (N::Immediate, BOLD),
    (N::Priority, PLAIN),
    (N::PrecedenceUnknown, DIM),
    (N::Unclassified, PLAIN),
    (N::Confidential, PLAIN),
    (N::Secret, PLAIN),
    (N::TopSecret, PLAIN),
    (N::ClassificationUnknown, DIM),
    (N::Actioned, BOLD),
    (N::FollowUp, BOLD),
    (N::Forwarded, BOLD),
    (N::NoAction, PLAIN),
    (N::Match, BOLD_UNDERLINED),
    (
        N::CurrentMatch,
        BOLD_UNDERLINED.add_modifier(Modifier::REVERSED),
    ),
    (N::Label, BOLD),
    (N::Key, BOLD),
    (N::Selected, BOLD),
    (N::Dim, DIM),
    (N::Context, DIM),
    (N::Error, BOLD),
    (N::Unsaved, BOLD),
    (N::BannerUnclassified, BOLD_REVERSED),
    (N::BannerConfidential, BOLD_REVERSED),
    (N::BannerSecret, BOLD_REVERSED),
    (N::BannerTopSecret, BOLD_REVERSED),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_gives_every_style() {
        for own in [DARK_OWN, LIGHT_OWN, MONO_OWN] {
            for name in N::ALL {
                assert!(
                    COMMON.iter().chain(own).any(|(n, _)| n == name),
                    "{} is not set",
                    name.name()
                );
            }
        }
    }

    #[test]
    fn mono_has_no_colour() {
        for name in N::ALL {
            let style = MONO.style(*name);
            assert_eq!((style.fg, style.bg), (None, None), "{}", name.name());
        }
    }
}
