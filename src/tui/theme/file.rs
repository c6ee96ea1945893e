//! A user's theme file: a shipped theme with single styles replaced.
//!
//! ```toml
//! extends = "light"                          # dark (the default), light or mono
//! [styles]
//! flash = { fg = "red", bold = true }
//! selection = { reverse = true }
//! match = { fg = "black", bg = "yellow" }
//! ```
//!
//! A style given replaces the shipped one whole: what is written is what is drawn. Colours
//! are the ANSI names (`red`, `light_blue`, `dark_gray`, `reset` for the terminal's own),
//! `#rrggbb`, or a palette index `0`–`255`; emphasis is `bold`, `dim`, `italic`,
//! `underline`, `reverse`. Every problem is reported with its line and column, an unknown
//! name with the nearest valid one.

use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{SHIPPED, StyleName, Theme};
use crate::keymap::check::{Pos, Problem};
use crate::keymap::file::{a_type, in_file_order};

const EMPHASIS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underline", Modifier::UNDERLINED),
    ("reverse", Modifier::REVERSED),
];

const COLOURS: [&str; 17] = [
    "reset",
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "dark_gray",
    "light_red",
    "light_green",
    "light_yellow",
    "light_blue",
    "light_magenta",
    "light_cyan",
    "white",
];

/// Every problem of the theme file at `path`: none when it is good. For `config check`.
pub fn check(path: &Path) -> Vec<Problem> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(path, &text).1,
        Err(e) => vec![Problem::error(path, Pos::FILE, format!("cannot read: {e}"))],
    }
}

/// The theme the file at `path` describes, or every problem it has.
pub fn load(path: &Path) -> Result<Theme, Vec<Problem>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "no such theme file, and no shipped theme of that name (shipped: {})",
                SHIPPED.join(", ")
            )
        } else {
            format!("cannot read: {e}")
        };
        vec![Problem::error(path, Pos::FILE, why)]
    })?;
    match parse(path, &text) {
        (theme, problems) if problems.is_empty() => Ok(theme),
        (_, problems) => Err(problems),
    }
}

/// The theme a file's text describes, and its problems (the theme is only for reading
/// when there are none).
pub fn parse(path: &Path, text: &str) -> (Theme, Vec<Problem>) {
    let mut reader = Reader {
        path,
        text,
        problems: Vec::new(),
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            reader.error(at, format!("TOML syntax: {}", e.message().trim_end()));
            return (Theme::default(), reader.problems);
        }
    };
    let mut base = Theme::default();
    let mut overrides = Vec::new();
    for (key, value) in in_file_order(&root) {
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("extends", DeValue::String(name)) => match Theme::shipped(name) {
                Some(theme) => base = theme,
                None => reader.error(
                    value.span().start,
                    unknown("shipped theme", name, SHIPPED.iter().copied()),
                ),
            },
            ("extends", other) => reader.error(
                value.span().start,
                format!(
                    "\"extends\" must be the name of a shipped theme ({}), not {}",
                    SHIPPED.join(", "),
                    a_type(other)
                ),
            ),
            ("styles", DeValue::Table(styles)) => {
                for (name, style) in in_file_order(styles) {
                    if let Some(entry) = reader.style(name, style) {
                        overrides.push(entry);
                    }
                }
            }
            ("styles", other) => reader.error(
                value.span().start,
                format!("[styles] must be a table, not {}", a_type(other)),
            ),
            (name, _) => reader.error(
                key.span().start,
                format!(
                    "{}: a theme file has \"extends\" and the table [styles]",
                    unknown("setting", name, ["extends", "styles"].into_iter())
                ),
            ),
        }
    }
    for (name, style) in overrides {
        base.set(name, style);
    }
    (base, reader.problems)
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.problems.push(Problem::error(
            self.path,
            Pos::of(self.text, offset),
            message,
        ));
    }

    /// One `name = { … }` of `[styles]`.
    fn style(
        &mut self,
        name: &Spanned<toml::de::DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<(StyleName, Style)> {
        let known = StyleName::ALL
            .iter()
            .find(|s| s.name() == name.get_ref().as_ref());
        let Some(&style_name) = known else {
            let names = StyleName::ALL.iter().map(|s| s.name());
            self.error(name.span().start, unknown("style", name.get_ref(), names));
            return None;
        };
        let DeValue::Table(fields) = value.get_ref() else {
            self.error(
                value.span().start,
                format!(
                    "the style {:?} must be a table such as {{ fg = \"red\", bold = true }}, not {}",
                    style_name.name(),
                    a_type(value.get_ref())
                ),
            );
            return None;
        };
        let mut style = Style::new();
        let mut ok = true;
        for (field, value) in in_file_order(fields) {
            let field_name: &str = field.get_ref();
            let emphasis = EMPHASIS.iter().find(|(n, _)| *n == field_name);
            match (field_name, value.get_ref(), emphasis) {
                ("fg" | "bg", DeValue::String(text), _) => match colour(text) {
                    Ok(c) if field_name == "fg" => style = style.fg(c),
                    Ok(c) => style = style.bg(c),
                    Err(e) => {
                        self.error(value.span().start, e);
                        ok = false;
                    }
                },
                ("fg" | "bg", DeValue::Integer(i), _) => {
                    let index = i64::from_str_radix(i.as_str(), i.radix()).unwrap_or(-1);
                    match u8::try_from(index) {
                        Ok(n) if field_name == "fg" => style = style.fg(Color::Indexed(n)),
                        Ok(n) => style = style.bg(Color::Indexed(n)),
                        Err(_) => {
                            self.error(
                                value.span().start,
                                "a palette index is from 0 to 255".to_string(),
                            );
                            ok = false;
                        }
                    }
                }
                ("fg" | "bg", other, _) => {
                    self.error(
                        value.span().start,
                        format!(
                            "{field_name} must be a colour such as \"red\" or \"#d79921\", not {}",
                            a_type(other)
                        ),
                    );
                    ok = false;
                }
                (_, DeValue::Boolean(on), Some((_, m))) => {
                    style = if *on {
                        style.add_modifier(*m)
                    } else {
                        style.remove_modifier(*m)
                    };
                }
                (_, other, Some(_)) => {
                    self.error(
                        value.span().start,
                        format!("{field_name} must be true or false, not {}", a_type(other)),
                    );
                    ok = false;
                }
                (_, _, None) => {
                    let fields = ["fg", "bg"]
                        .into_iter()
                        .chain(EMPHASIS.iter().map(|(n, _)| *n));
                    self.error(
                        field.span().start,
                        format!(
                            "{}: a style has fg, bg, bold, dim, italic, underline, reverse",
                            unknown("style field", field_name, fields)
                        ),
                    );
                    ok = false;
                }
            }
        }
        if let (Some(fg), Some(bg)) = (style.fg, style.bg)
            && fg == bg
            && fg != Color::Reset
        {
            self.error(
                value.span().start,
                format!(
                    "the style {:?} has the same fg and bg: its text could not be read",
                    style_name.name()
                ),
            );
            ok = false;
        }
        ok.then_some((style_name, style))
    }
}

/// A colour by name (`light_blue`, `light-blue` and `lightblue` alike), `#rrggbb` or index.
fn colour(text: &str) -> Result<Color, String> {
    Color::from_str(text).map_err(|_| {
        format!(
            "{}: a colour is one of {}, a \"#rrggbb\", or a palette index 0-255",
            unknown("colour", text, COLOURS.into_iter()),
            COLOURS.join(", ")
        )
    })
}

/// `unknown WHAT "name"`, with the nearest valid name when one is close.
pub fn unknown<'a>(what: &str, name: &str, valid: impl Iterator<Item = &'a str>) -> String {
    // Typos are a letter or two wrong or swapped; the bound keeps wild guesses out of
    // short names.
    let lower = name.to_ascii_lowercase();
    let most = (lower.chars().count() / 2).clamp(1, 2);
    let nearest = valid
        .map(|v| (strsim::damerau_levenshtein(&lower, v), v))
        .filter(|(distance, _)| *distance <= most)
        .min();
    let name = crate::config::shown(name);
    match nearest {
        Some((_, v)) => format!("unknown {what} {name} (did you mean {v:?}?)"),
        None => format!("unknown {what} {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn parsed(text: &str) -> (Theme, Vec<String>) {
        let (theme, problems) = parse(Path::new("theme.toml"), text);
        (theme, problems.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn a_file_replaces_single_styles_of_the_theme_it_extends() {
        let (theme, problems) = parsed(
            "extends = \"light\"\n[styles]\nflash = { fg = \"red\", bold = true }\nselection = { reverse = true, underline = true }\nmatch = { fg = \"#102030\", bg = 17 }\n",
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(
            theme.style(StyleName::Flash),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        );
        assert_eq!(
            theme.style(StyleName::Selection),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        );
        assert_eq!(
            theme.style(StyleName::Match),
            Style::new()
                .fg(Color::Rgb(0x10, 0x20, 0x30))
                .bg(Color::Indexed(17))
        );
        // Everything else is light's.
        assert_eq!(
            theme.style(StyleName::Key),
            Theme::light().style(StyleName::Key)
        );
        let (theme, problems) = parsed("[styles]\ndim = { fg = \"dark-gray\" }\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            theme.style(StyleName::Label),
            Theme::dark().style(StyleName::Label),
            "dark without extends"
        );
        assert_eq!(
            theme.style(StyleName::Dim),
            Style::new().fg(Color::DarkGray)
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_place_and_the_nearest_name() {
        let (_, problems) = parsed(
            "extends = \"ligth\"\ncolours = 1\n[styles]\nflsh = { bold = true }\nkey = { fg = \"rde\", blod = true }\nerror = { bold = \"yes\", bg = 300 }\nstatus = \"reverse\"\ndim = { fg = \"red\", bg = \"red\" }\n",
        );
        let expected = [
            "theme.toml:1:11: unknown shipped theme \"ligth\" (did you mean \"light\"?)",
            "theme.toml:2:1: unknown setting \"colours\"",
            "theme.toml:4:1: unknown style \"flsh\" (did you mean \"flash\"?)",
            "theme.toml:5:14: unknown colour \"rde\" (did you mean \"red\"?)",
            "theme.toml:5:21: unknown style field \"blod\" (did you mean \"bold\"?)",
            "theme.toml:6:18: bold must be true or false, not a string",
            "theme.toml:6:30: a palette index is from 0 to 255",
            "theme.toml:7:10: the style \"status\" must be a table",
            "theme.toml:8:7: the style \"dim\" has the same fg and bg",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (p, e) in problems.iter().zip(expected) {
            assert!(p.starts_with(e), "{problems:#?}\n  expected {e}");
        }
    }

    #[test]
    fn a_syntax_error_is_one_problem_with_its_place() {
        let (_, problems) = parsed("[styles]\nflash = { fg = \"red\"\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("theme.toml:2:") && problems[0].contains("TOML syntax"),
            "{problems:?}"
        );
    }

    #[test]
    fn control_characters_in_a_name_are_not_echoed() {
        let (_, problems) = parsed("[styles]\n\"fl\\u001b[2Jash\" = { bold = true }\n");
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].contains('\u{1b}'), "{problems:?}");
    }

    #[test]
    fn an_absent_file_names_the_shipped_themes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.toml");
        let problems = Theme::load(path.to_str().unwrap()).unwrap_err();
        assert!(problems[0].to_string().contains("dark, light, mono"));
        assert_eq!(check(&path).len(), 1);
        std::fs::write(&path, "extends = \"mono\"\n").unwrap();
        assert_eq!(check(&path), vec![]);
        assert_eq!(Theme::load(path.to_str().unwrap()), Ok(Theme::mono()));
    }
}
