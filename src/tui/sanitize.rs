//! The last guard between cable text and the terminal: no control character (ESC, CSI, BEL,
//! a carriage return that would move the cursor) is ever drawn. The parser already cleans
//! text; stated metadata and future inputs pass here too.

use std::borrow::Cow;

/// `text` with every control character replaced by `�`; tabs become a space.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn controls_never_pass() {
        assert_eq!(super::safe("plain"), "plain");
        assert_eq!(
            super::safe("a\u{1b}[2Jb\u{9b}c\td\r"),
            "a\u{fffd}[2Jb\u{fffd}c d\u{fffd}"
        );
    }
}
