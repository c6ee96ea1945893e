//! The table's rows, order and cursor. The cursor follows a cable, not a position: across
//! sorting, filtering and loading it stays on the same cable while that cable is shown.

use crate::corpus::sort::Sort;

#[derive(Debug, Default)]
pub struct TableState {
    pub sort: Sort,
    /// Every entry in sort order.
    pub order: Vec<u32>,
    /// The rows shown: `order`, or the matches of the filter.
    pub shown: Vec<u32>,
    /// Position of the cursor in `shown`.
    pub cursor: usize,
    /// The first shown row drawn.
    pub offset: usize,
    /// The entry under the cursor.
    pub selected: Option<u32>,
}

impl TableState {
    /// The entry under the cursor.
    pub fn current(&self) -> Option<u32> {
        self.shown.get(self.cursor).copied()
    }

    pub fn set_cursor(&mut self, position: usize, rows: usize) {
        self.cursor = position.min(self.shown.len().saturating_sub(1));
        self.selected = self.current();
        self.keep_visible(rows);
    }

    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let target = (self.cursor as isize).saturating_add(delta).max(0) as usize;
        self.set_cursor(target, rows);
    }

    /// Scrolls so the cursor is within the `rows` drawn.
    pub fn keep_visible(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + rows {
            self.offset = self.cursor + 1 - rows;
        }
        let max_offset = self.shown.len().saturating_sub(rows);
        self.offset = self.offset.min(max_offset);
    }

    /// After the shown rows changed: the cursor goes back to the selected cable if it is still
    /// shown, else stays at its position (clamped) and selects what is there.
    pub fn follow_selection(&mut self, rows: usize) {
        match self
            .selected
            .and_then(|s| self.shown.iter().position(|&i| i == s))
        {
            Some(position) => self.cursor = position,
            None => {
                self.cursor = self.cursor.min(self.shown.len().saturating_sub(1));
                self.selected = self.current();
            }
        }
        self.keep_visible(rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_follows_the_cable_and_stays_visible() {
        let mut t = TableState {
            shown: (0..100).collect(),
            ..Default::default()
        };
        t.set_cursor(50, 10);
        assert_eq!((t.cursor, t.offset, t.selected), (50, 41, Some(50)));
        t.shown.reverse();
        t.follow_selection(10);
        assert_eq!(t.cursor, 49);
        assert_eq!(t.current(), Some(50));
        t.shown.retain(|&i| i % 2 == 1);
        t.follow_selection(10);
        assert_eq!(t.cursor, 49);
        assert_eq!(t.selected, t.current());
        t.move_by(-1000, 10);
        assert_eq!((t.cursor, t.offset), (0, 0));
        t.move_by(isize::MAX, 10);
        assert_eq!(t.cursor, 49);
        t.shown.clear();
        t.follow_selection(10);
        assert_eq!((t.cursor, t.current()), (0, None));
    }
}
