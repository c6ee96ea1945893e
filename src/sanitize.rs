//! The last guard between untrusted text (cable text, file names, notes, imports, arguments)
//! and a terminal, shared by the views and every command's human-readable output: no control
//! character (ESC of an escape sequence, BEL, a carriage return that moves the cursor, the C1
//! CSI) and no bidirectional control (which reorders what is shown, hiding what a line says)
//! is ever written as is. What is neutralised stays readable: it is shown escaped, as
//! `\u{1b}` or `\u{202e}`, so a reader can see that something was there and what.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is: a C0 or C1 control or DEL, a bidirectional
/// control (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, the marks
/// U+200E, U+200F and U+061C), or a line or paragraph separator (U+2028, U+2029).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `text` safe for a terminal, on one line: a tab becomes a space, a line break is shown as
/// `\n` or `\r`, every other unsafe character (see [`is_unsafe`]) as `\u{…}`.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn controls_never_pass_and_stay_readable() {
        assert_eq!(safe("plain"), "plain");
        assert_eq!(
            safe("a\u{1b}[2Jb\u{9b}c\td\r\ne\u{7f}"),
            "a\\u{1b}[2Jb\\u{9b}c d\\r\\ne\\u{7f}"
        );
        assert_eq!(safe("\u{1b}]52;c;x\u{7}"), "\\u{1b}]52;c;x\\u{7}");
    }

    #[test]
    fn bidi_controls_are_shown_escaped() {
        assert_eq!(safe("abc\u{202e}fed"), "abc\\u{202e}fed");
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}',
            '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}', '\u{85}', '\u{2028}',
        ] {
            let shown = safe(&format!("x{c}y")).into_owned();
            assert!(
                !shown.contains(c) && shown.contains("\\u{"),
                "{c:?}: {shown}"
            );
        }
        // Other right-to-left text is not a control: it is shown as written.
        assert_eq!(safe("שלום"), "שלום");
    }
}
