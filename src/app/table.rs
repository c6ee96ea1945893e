//! The table's rows, order and cursor. The cursor follows a cable, not a position: across
//! sorting, filtering, loading and grouping it stays on the same cable while that cable is
//! shown.

use rustc_hash::FxHashSet;

use crate::corpus::graph::GroupedRow;
use crate::corpus::sort::TableSort;

#[derive(Debug, Default)]
pub struct TableState {
    pub sort: TableSort,
    /// Every entry in sort order.
    pub order: Vec<u32>,
    /// The rows listed before grouping: `order`, or the matches of the filter, in the
    /// table's order (or by relevance).
    pub listed: Vec<u32>,
    /// The rows shown: `listed`, or its threads when grouped by thread.
    pub shown: Vec<u32>,
    /// The rows shown before the last change of `shown` ([`TableState::set_shown`]): where
    /// the cursor's cable was, when it is gone, says which row was next.
    previous: Vec<u32>,
    pub grouping: Grouping,
    /// Position of the cursor in `shown`.
    pub cursor: usize,
    /// The first shown row drawn.
    pub offset: usize,
    /// The entry under the cursor.
    pub selected: Option<u32>,
    /// The analyst has moved the cursor or acted. Until then the cursor stays on the first
    /// row while the table fills and sorts, rather than following whichever cable was first
    /// when the first rows arrived.
    pub placed: bool,
}

/// Grouping the rows by thread, like mail threads.
#[derive(Debug, Default)]
pub struct Grouping {
    /// The analyst asked for threads; they show once the reference graph is built.
    pub on: bool,
    /// Per shown row, when the rows are grouped (else empty): its depth in its thread,
    /// whether it matches the filter, its thread's row count on its first row.
    pub rows: Vec<GroupedRow>,
    /// How many threads (a lone cable counts as one) the grouped rows show.
    pub threads: usize,
    /// The default fold of every thread: `fold-all-threads` folds them all at once.
    pub all_folded: bool,
    /// Threads (numbers of the current graph) folded the other way than `all_folded`.
    pub toggled: FxHashSet<u32>,
    /// The same threads by the id of their first cable, while the graph is rebuilt (thread
    /// numbers change with it): each becomes the thread of that cable again.
    pub toggled_ids: Vec<Box<str>>,
}

impl Grouping {
    pub fn is_folded(&self, thread: u32) -> bool {
        self.all_folded != self.toggled.contains(&thread)
    }

    /// Whether the shown rows are grouped (asked for, and the graph is there).
    pub fn applied(&self) -> bool {
        self.on && !self.rows.is_empty()
    }

    /// The grouping of the `position`-th shown row.
    pub fn row(&self, position: usize) -> Option<&GroupedRow> {
        self.rows.get(position)
    }
}

impl TableState {
    /// The entry under the cursor.
    pub fn current(&self) -> Option<u32> {
        self.shown.get(self.cursor).copied()
    }

    pub fn set_cursor(&mut self, position: usize, rows: usize) {
        self.placed = true;
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
        self.offset = offset_showing(self.cursor, self.offset, rows, self.shown.len());
    }

    /// Scrolls to show as many rows above the cursor as the `rows` drawn allow (the cursor
    /// on the last line, or the first row at the top).
    pub fn show_above(&mut self, rows: usize) {
        self.offset = (self.cursor + 1).saturating_sub(rows.max(1));
    }

    /// Shows `rows`, keeping the rows shown until now for [`TableState::follow_selection`].
    pub fn set_shown(&mut self, rows: Vec<u32>) {
        self.previous = std::mem::replace(&mut self.shown, rows);
    }

    /// After the shown rows changed: the cursor goes back to the selected cable if it is still
    /// shown, else to the next row that was after it and still is (found in testing: when
    /// rows above it went too, keeping the position skipped cables), else stays at its
    /// position (clamped) and selects what is there.
    pub fn follow_selection(&mut self, rows: usize) {
        if !self.placed {
            self.cursor = 0;
            self.selected = self.current();
            self.keep_visible(rows);
            return;
        }
        match self
            .selected
            .and_then(|s| self.shown.iter().position(|&i| i == s))
        {
            Some(position) => self.cursor = position,
            None => {
                self.cursor = match self.next_still_shown() {
                    Some(position) => position,
                    None => self.cursor.min(self.shown.len().saturating_sub(1)),
                };
                self.selected = self.current();
            }
        }
        self.keep_visible(rows);
    }
}

impl TableState {
    /// The position in `shown` of the first row that followed the selected cable in the
    /// rows shown before and is shown still.
    fn next_still_shown(&self) -> Option<usize> {
        let selected = self.selected?;
        let was = self.previous.iter().position(|&i| i == selected)?;
        // Entries are numbers below the corpus's size: a flag each is cheaper than a map
        // (this runs on the UI thread, after every disposition in an `is:untriaged` view).
        let mut present = vec![false; self.shown.iter().max().map_or(0, |&m| m as usize + 1)];
        for &i in &self.shown {
            present[i as usize] = true;
        }
        let next = self.previous[was + 1..]
            .iter()
            .find(|&&i| present.get(i as usize).copied().unwrap_or(false))?;
        self.shown.iter().position(|i| i == next)
    }
}

/// The first line drawn, moved as little as possible from `offset`, so that line `cursor` is
/// among the `rows` drawn of a list of `len` lines (and the list's end does not leave the
/// screen half blank).
pub(crate) fn offset_showing(cursor: usize, offset: usize, rows: usize, len: usize) -> usize {
    let rows = rows.max(1);
    let offset = if cursor < offset {
        cursor
    } else if cursor >= offset + rows {
        cursor + 1 - rows
    } else {
        offset
    };
    offset.min(len.saturating_sub(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_placed_the_cursor_stays_on_the_first_row() {
        let mut t = TableState {
            shown: vec![5, 6, 7],
            ..Default::default()
        };
        t.follow_selection(10);
        assert_eq!(t.current(), Some(5));
        // Rows arrive that sort before it: the cursor stays on the first row.
        t.shown = vec![1, 2, 5, 6, 7];
        t.follow_selection(10);
        assert_eq!((t.cursor, t.current()), (0, Some(1)));
        // Once the analyst moved, it keeps its cable.
        t.move_by(1, 10);
        t.shown = vec![0, 1, 2, 5, 6, 7];
        t.follow_selection(10);
        assert_eq!(t.current(), Some(2));
    }

    #[test]
    fn cursor_follows_the_cable_and_stays_visible() {
        let mut t = TableState {
            shown: (0..100).collect(),
            placed: true,
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
