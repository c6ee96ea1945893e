//! Keys and key sequences: our own small key type, its notation, and the conversion from
//! crossterm's events.
//!
//! Keymap files, the help overlay and the README all speak one notation: `ctrl-d`, `alt-<`,
//! `shift-tab`, `enter`, `space`, `G`, `g g`. [`Key`]'s `FromStr` reads it and `Display` writes
//! its canonical form, so what a user reads in the help can be pasted into a keymap file.
//!
//! A key is kept in one normal form so that two spellings of one key compare equal:
//! - a character never carries `shift`: the shift is in the character (`G`, `?`), so `G`,
//!   `shift-g` and crossterm's `Char('G')` + SHIFT are all the same key;
//! - `shift-tab` is [`KeyCode::BackTab`] without `shift`, as terminals report it.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode as CtCode, KeyEvent, KeyModifiers};

/// A key without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    /// A printable character, as typed (`G`, not `g` with shift).
    Char(char),
    Enter,
    Esc,
    Tab,
    /// `shift-tab`.
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// A function key, `f1` to `f24`.
    F(u8),
    /// A key the notation has no name for (caps lock, media keys, a `super` chord): it comes
    /// from the terminal but no keymap can bind it, so it always resolves to nothing.
    Other,
}

/// The modifiers a keymap can ask for. `super`, `hyper` and `meta` have no notation: keys
/// pressed with them become [`KeyCode::Other`], so `super-q` never triggers `q`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mods {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Mods {
    pub const NONE: Mods = Mods {
        ctrl: false,
        alt: false,
        shift: false,
    };
    pub const CTRL: Mods = Mods {
        ctrl: true,
        alt: false,
        shift: false,
    };
    pub const ALT: Mods = Mods {
        ctrl: false,
        alt: true,
        shift: false,
    };
    pub const SHIFT: Mods = Mods {
        ctrl: false,
        alt: false,
        shift: true,
    };

    pub fn is_empty(self) -> bool {
        self == Mods::NONE
    }
}

/// One key press: a code and its modifiers, in normal form (see the module comment).
///
/// The fields are public for matching; build keys with [`Key::new`] (or parse them) so that
/// they are normalised. [`super::Keymap::resolve`] normalises what it is given anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub mods: Mods,
}

impl Key {
    /// A key in normal form: `Char('g')` with shift becomes `Char('G')`, shift is dropped from
    /// other characters, `Tab` with shift becomes `BackTab`.
    pub fn new(code: KeyCode, mods: Mods) -> Key {
        let mut key = Key { code, mods };
        match code {
            KeyCode::Char(c) => {
                if mods.shift {
                    key.code = KeyCode::Char(upper(c));
                }
                key.mods.shift = false;
            }
            KeyCode::Tab if mods.shift => {
                key.code = KeyCode::BackTab;
                key.mods.shift = false;
            }
            KeyCode::BackTab => key.mods.shift = false,
            _ => {}
        }
        key
    }

    /// A key without modifiers.
    pub fn plain(code: KeyCode) -> Key {
        Key::new(code, Mods::NONE)
    }

    /// A character key, normalised (`Key::char('G')` is `G`, `shift-g`).
    pub fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// `ctrl-` plus a character.
    pub fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), Mods::CTRL)
    }

    /// The same key in normal form.
    pub fn normalized(self) -> Key {
        Key::new(self.code, self.mods)
    }

    /// A character typed without ctrl or alt: in modes that take text such a key types
    /// itself unless the keymap binds it.
    pub fn is_plain_char(self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.mods.ctrl && !self.mods.alt
    }
}

/// The upper case of a letter that has a single-character one; other characters unchanged.
fn upper(c: char) -> char {
    let mut u = c.to_uppercase();
    match (u.next(), u.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

/// Named keys, in the order the suggestions prefer. The first name of a code is canonical.
const NAMES: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    // Characters that a key sequence or the notation itself makes awkward.
    ("space", KeyCode::Char(' ')),
    ("minus", KeyCode::Char('-')),
    // Aliases people write from other tools' habits.
    ("ret", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("escape", KeyCode::Esc),
    ("del", KeyCode::Delete),
    ("ins", KeyCode::Insert),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
];

const MAX_F: u8 = 24;

/// Why a key could not be read. Display gives the message a keymap problem shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    UnknownName {
        name: String,
        nearest: Option<&'static str>,
    },
    UnknownModifier(String),
    RepeatedModifier(String),
    /// `shift-` with a character that has no upper case, like `shift-/`.
    ShiftedSymbol(String),
    ControlCharacter(char),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str("empty key"),
            KeyError::UnknownName { name, nearest } => {
                write!(f, "unknown key {name:?}")?;
                if let Some(n) = nearest {
                    write!(f, " (did you mean {n:?}?)")?;
                }
                Ok(())
            }
            KeyError::UnknownModifier(m) => write!(
                f,
                "unknown modifier {m:?} (the modifiers are ctrl, alt, shift)"
            ),
            KeyError::RepeatedModifier(m) => write!(f, "modifier {m:?} given twice"),
            KeyError::ShiftedSymbol(k) => write!(
                f,
                "cannot read {k:?}: shift goes with letters and named keys; write the character \
                 the shifted key types instead"
            ),
            KeyError::ControlCharacter(c) => write!(
                f,
                "control character {c:?} is not a key: use a name such as \"tab\" or \"enter\""
            ),
        }
    }
}

impl std::error::Error for KeyError {}

impl FromStr for Key {
    type Err = KeyError;

    fn from_str(token: &str) -> Result<Key, KeyError> {
        if token.is_empty() {
            return Err(KeyError::Empty);
        }
        let mut mods = Mods::NONE;
        let mut rest = token;
        // Peel `mod-` prefixes until one character or a name is left; a lone `-` is a key,
        // so `alt--` is alt with minus.
        while rest.chars().nth(1).is_some() {
            let Some((prefix, tail)) = rest.split_once('-') else {
                break;
            };
            if tail.is_empty() {
                break;
            }
            let flag = match prefix.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => &mut mods.ctrl,
                "alt" => &mut mods.alt,
                "shift" => &mut mods.shift,
                // Maybe a misspelt name (`page-down`): the name lookup below says so.
                _ => break,
            };
            if *flag {
                return Err(KeyError::RepeatedModifier(prefix.to_string()));
            }
            *flag = true;
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_control() => return Err(KeyError::ControlCharacter(c)),
            (Some(c), None) => KeyCode::Char(c),
            _ => named(rest).ok_or_else(|| unknown(rest))?,
        };
        if let KeyCode::Char(c) = code {
            // `shift-/` would never arrive: the terminal sends `?`. Saying so beats a binding
            // that silently never fires.
            if mods.shift && upper(c) == c && !c.is_uppercase() {
                return Err(KeyError::ShiftedSymbol(token.to_string()));
            }
        }
        Ok(Key::new(code, mods))
    }
}

fn named(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    if let Some(&(_, code)) = NAMES.iter().find(|(n, _)| *n == lower) {
        return Some(code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=MAX_F).contains(&n).then_some(KeyCode::F(n))
}

/// The error for a token that is neither a character nor a name: a likely misspelt name, else
/// an unknown modifier when it looks like `cmd-x`, else an unknown name.
fn unknown(rest: &str) -> KeyError {
    let nearest = nearest_name(rest);
    match rest.split_once('-') {
        Some((prefix, tail)) if nearest.is_none() && !prefix.is_empty() && !tail.is_empty() => {
            KeyError::UnknownModifier(prefix.to_string())
        }
        _ => KeyError::UnknownName {
            name: rest.to_string(),
            nearest,
        },
    }
}

fn nearest_name(name: &str) -> Option<&'static str> {
    // Jaro-Winkler favours a shared start, which is how names get misspelt (`pgdown`,
    // `entr`); the threshold keeps wild guesses out.
    let lower = name.to_ascii_lowercase();
    NAMES
        .iter()
        .map(|(n, _)| (strsim::jaro_winkler(&lower, n), *n))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.normalized();
        if key.mods.ctrl {
            f.write_str("ctrl-")?;
        }
        if key.mods.alt {
            f.write_str("alt-")?;
        }
        if key.mods.shift {
            f.write_str("shift-")?;
        }
        match key.code {
            KeyCode::Char(' ') => f.write_str("space"),
            // `ctrl--` reads as a typo; a bare `-` is clear.
            KeyCode::Char('-') if !key.mods.is_empty() => f.write_str("minus"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Other => f.write_str("<unnamed key>"),
            code => {
                let name = NAMES
                    .iter()
                    .find(|(_, c)| *c == code)
                    .map_or("<unnamed key>", |(n, _)| n);
                f.write_str(name)
            }
        }
    }
}

impl From<KeyEvent> for Key {
    /// The key of a crossterm event. The event's kind (press, repeat, release) is not looked
    /// at: the event loop decides which kinds to pass on.
    fn from(event: KeyEvent) -> Key {
        let m = event.modifiers;
        if m.intersects(KeyModifiers::SUPER | KeyModifiers::HYPER | KeyModifiers::META) {
            return Key::plain(KeyCode::Other);
        }
        let mods = Mods {
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift: m.contains(KeyModifiers::SHIFT),
        };
        let code = match event.code {
            CtCode::Char(c) => KeyCode::Char(c),
            // Windows reports ctrl-space as Null; unix terminals as ctrl with a space.
            CtCode::Null => return Key::new(KeyCode::Char(' '), Mods { ctrl: true, ..mods }),
            CtCode::Enter => KeyCode::Enter,
            CtCode::Esc => KeyCode::Esc,
            CtCode::Tab => KeyCode::Tab,
            CtCode::BackTab => KeyCode::BackTab,
            CtCode::Backspace => KeyCode::Backspace,
            CtCode::Delete => KeyCode::Delete,
            CtCode::Insert => KeyCode::Insert,
            CtCode::Up => KeyCode::Up,
            CtCode::Down => KeyCode::Down,
            CtCode::Left => KeyCode::Left,
            CtCode::Right => KeyCode::Right,
            CtCode::Home => KeyCode::Home,
            CtCode::End => KeyCode::End,
            CtCode::PageUp => KeyCode::PageUp,
            CtCode::PageDown => KeyCode::PageDown,
            CtCode::F(n) if (1..=MAX_F).contains(&n) => KeyCode::F(n),
            _ => return Key::plain(KeyCode::Other),
        };
        Key::new(code, mods)
    }
}

/// Keys pressed one after the other: `g g`. A single key is a sequence of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySeq(pub Vec<Key>);

impl KeySeq {
    pub fn keys(&self) -> &[Key] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `self` begins with all of `prefix`.
    pub fn starts_with(&self, prefix: &[Key]) -> bool {
        self.0.starts_with(prefix)
    }
}

impl From<Key> for KeySeq {
    fn from(key: Key) -> KeySeq {
        KeySeq(vec![key])
    }
}

impl FromStr for KeySeq {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<KeySeq, KeyError> {
        let keys = s
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<Vec<Key>, _>>()?;
        if keys.is_empty() {
            return Err(KeyError::Empty);
        }
        Ok(KeySeq(keys))
    }
}

impl fmt::Display for KeySeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, key) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{key}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(s: &str) -> Key {
        match s.parse() {
            Ok(k) => k,
            Err(e) => panic!("{s:?}: {e}"),
        }
    }

    #[test]
    fn upper_case_letters_imply_shift() {
        assert_eq!(key("G"), key("shift-g"));
        assert_eq!(key("G"), key("shift-G"));
        assert_eq!(key("ctrl-shift-g"), key("ctrl-G"));
        assert_eq!(key("G").to_string(), "G");
        assert_eq!(key("shift-g").to_string(), "G");
        assert_ne!(key("g"), key("G"));
    }

    #[test]
    fn notation_reads_modifiers_and_names() {
        assert_eq!(key("ctrl-d"), Key::ctrl('d'));
        assert_eq!(
            key("ctrl-alt-x"),
            Key::new(
                KeyCode::Char('x'),
                Mods {
                    ctrl: true,
                    alt: true,
                    shift: false
                }
            )
        );
        assert_eq!(key("alt-ctrl-x"), key("ctrl-alt-x"));
        assert_eq!(key("shift-tab"), Key::plain(KeyCode::BackTab));
        assert_eq!(key("backtab"), Key::plain(KeyCode::BackTab));
        assert_eq!(key("space"), Key::char(' '));
        assert_eq!(key("minus"), Key::char('-'));
        assert_eq!(key("-"), Key::char('-'));
        assert_eq!(key("alt--"), Key::new(KeyCode::Char('-'), Mods::ALT));
        assert_eq!(key("PageDown"), Key::plain(KeyCode::PageDown));
        assert_eq!(key("pgdn"), Key::plain(KeyCode::PageDown));
        assert_eq!(key("f12"), Key::plain(KeyCode::F(12)));
        assert_eq!(key("shift-up"), Key::new(KeyCode::Up, Mods::SHIFT));
        assert_eq!(key("alt-<"), Key::new(KeyCode::Char('<'), Mods::ALT));
        for c in ["/", "?", ":", "[", "]", "!", "<", ">", "\"", "'"] {
            assert_eq!(key(c).to_string(), c);
        }
    }

    #[test]
    fn notation_rejects_what_it_cannot_read() {
        assert_eq!(
            "pgdown".parse::<Key>(),
            Err(KeyError::UnknownName {
                name: "pgdown".into(),
                nearest: Some("pagedown")
            })
        );
        assert_eq!(
            "cmd-x".parse::<Key>(),
            Err(KeyError::UnknownModifier("cmd".into()))
        );
        assert_eq!(
            "ctrl-ctrl-x".parse::<Key>(),
            Err(KeyError::RepeatedModifier("ctrl".into()))
        );
        assert_eq!(
            "shift-/".parse::<Key>(),
            Err(KeyError::ShiftedSymbol("shift-/".into()))
        );
        assert_eq!("".parse::<Key>(), Err(KeyError::Empty));
        assert_eq!("  ".parse::<KeySeq>(), Err(KeyError::Empty));
        assert!("f25".parse::<Key>().is_err());
        assert_eq!("\t".parse::<Key>(), Err(KeyError::ControlCharacter('\t')));
    }

    #[test]
    fn canonical_display() {
        for (written, canonical) in [
            ("ctrl-d", "ctrl-d"),
            ("control-D", "ctrl-D"),
            ("shift-tab", "shift-tab"),
            ("ctrl-shift-tab", "ctrl-shift-tab"),
            ("Enter", "enter"),
            ("escape", "esc"),
            ("pgup", "pageup"),
            ("ctrl-minus", "ctrl-minus"),
            ("ctrl-space", "ctrl-space"),
            ("alt->", "alt->"),
        ] {
            assert_eq!(key(written).to_string(), canonical, "{written}");
        }
        let seq: KeySeq = "g   g".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(seq.to_string(), "g g");
        assert_eq!(seq.len(), 2);
    }

    #[test]
    fn crossterm_events_become_normal_keys() {
        let ev = |code, mods| Key::from(KeyEvent::new(code, mods));
        assert_eq!(ev(CtCode::Char('G'), KeyModifiers::SHIFT), key("G"));
        assert_eq!(ev(CtCode::Char('G'), KeyModifiers::NONE), key("G"));
        assert_eq!(ev(CtCode::Char('g'), KeyModifiers::SHIFT), key("G"));
        assert_eq!(ev(CtCode::Char('?'), KeyModifiers::SHIFT), key("?"));
        assert_eq!(ev(CtCode::Char('c'), KeyModifiers::CONTROL), key("ctrl-c"));
        assert_eq!(
            ev(
                CtCode::Char('C'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            ),
            key("ctrl-C")
        );
        assert_eq!(ev(CtCode::BackTab, KeyModifiers::SHIFT), key("shift-tab"));
        assert_eq!(ev(CtCode::Tab, KeyModifiers::SHIFT), key("shift-tab"));
        assert_eq!(ev(CtCode::Null, KeyModifiers::NONE), key("ctrl-space"));
        assert_eq!(ev(CtCode::Char('<'), KeyModifiers::ALT), key("alt-<"));
        assert_eq!(ev(CtCode::PageDown, KeyModifiers::NONE), key("pagedown"));
        assert_eq!(ev(CtCode::F(1), KeyModifiers::NONE), key("f1"));
        assert_eq!(
            ev(CtCode::Char('q'), KeyModifiers::SUPER).code,
            KeyCode::Other
        );
        assert_eq!(
            ev(CtCode::CapsLock, KeyModifiers::NONE).code,
            KeyCode::Other
        );
    }

    fn any_key() -> impl Strategy<Value = Key> {
        let code = prop_oneof![
            any::<char>()
                .prop_filter("printable", |c| !c.is_control() && !c.is_whitespace())
                .prop_map(KeyCode::Char),
            Just(KeyCode::Char(' ')),
            (1..=MAX_F).prop_map(KeyCode::F),
            proptest::sample::select(NAMES.iter().map(|(_, c)| *c).collect::<Vec<_>>()),
        ];
        (code, any::<(bool, bool, bool)>())
            .prop_map(|(code, (ctrl, alt, shift))| Key::new(code, Mods { ctrl, alt, shift }))
    }

    proptest! {
        #[test]
        fn display_parses_back(keys in proptest::collection::vec(any_key(), 1..4)) {
            let seq = KeySeq(keys);
            prop_assert_eq!(seq.to_string().parse::<KeySeq>(), Ok(seq));
        }
    }
}
