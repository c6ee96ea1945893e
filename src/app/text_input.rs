//! A one-line text field: the filter bar, the `:` command line, the search prompt.

/// Text and a cursor counted in characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    cursor: usize,
}

impl TextInput {
    pub fn with_text(text: &str) -> Self {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor as a character index.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(b, _)| b)
    }

    pub fn insert(&mut self, c: char) {
        // Control and bidi characters never enter a field (a pasted escape sequence
        // included): what is typed is what is shown, and the cursor stays where it is drawn.
        if c.is_control() || crate::sanitize::is_unsafe(c) {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn delete_back(&mut self) {
        if self.cursor == 0 {
            return;
        }
        let at = self.byte_at(self.cursor - 1);
        self.text.remove(at);
        self.cursor -= 1;
    }

    pub fn delete_forward(&mut self) {
        let at = self.byte_at(self.cursor);
        if at < self.text.len() {
            self.text.remove(at);
        }
    }

    /// Deletes back to the start of the word before the cursor (and the spaces after it).
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(from..to, "");
        self.cursor = start;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing() {
        let mut t = TextInput::default();
        for c in "tag:PREL iran".chars() {
            t.insert(c);
        }
        t.delete_word();
        assert_eq!(t.text(), "tag:PREL ");
        t.home();
        t.insert('!');
        assert_eq!(t.text(), "!tag:PREL ");
        t.end();
        t.delete_back();
        t.left();
        t.delete_forward();
        assert_eq!(t.text(), "!tag:PRE");
        t.insert('\u{1b}');
        t.insert('\u{202e}');
        assert_eq!(
            t.text(),
            "!tag:PRE",
            "control and bidi characters never enter"
        );
        t.clear();
        t.delete_back();
        t.delete_word();
        assert_eq!((t.text(), t.cursor()), ("", 0));
        let mut u = TextInput::with_text("é à");
        u.delete_back();
        assert_eq!(u.text(), "é ");
    }
}
