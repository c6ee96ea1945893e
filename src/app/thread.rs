//! The thread view's state: the conversation of one cable as a tree
//! ([`crate::corpus::graph::ThreadTree`]), a cursor over its lines, and the mode to return to.
//!
//! Triage keys act on the cable under the cursor; the `mark-thread-*` keys on every cable the
//! tree shows, as one action (one undo step). The tree is what the analyst sees, so nothing
//! cut by its caps is ever touched.

use super::{App, Effect, Level, Mode};
use crate::app::Action;
use crate::corpus::graph::{More, ThreadTree, TreeItem};
use crate::store::Disposition;

#[derive(Debug)]
pub struct ThreadView {
    /// The cable the view was opened for (marked in the tree).
    pub focus: u32,
    pub tree: ThreadTree,
    /// The line under the cursor.
    pub cursor: usize,
    /// The first line drawn.
    pub offset: usize,
    /// Where `back` returns: the table, or the reading view left as it was.
    pub from: Mode,
    /// The reading view the tree was opened from, set aside while a line of the tree is
    /// read (it comes back when the tree closes).
    pub parked: Option<Box<super::reading::Reading>>,
    /// The tree whose line was being read when this one was opened: it comes back when
    /// this one closes, so `q` walks back out through nested trees.
    pub outer: Option<Box<ThreadView>>,
}

impl ThreadView {
    /// The cable under the cursor; `None` on a missing cable or a cut marker.
    pub fn current(&self) -> Option<u32> {
        match self.tree.lines.get(self.cursor)?.item {
            TreeItem::Cable(e) => Some(e),
            _ => None,
        }
    }

    /// The cable a line hangs under (the nearest line above it one level up).
    fn parent_line(&self, line: usize) -> Option<u32> {
        let depth = self.tree.lines.get(line)?.depth.checked_sub(1)?;
        self.tree.lines[..line]
            .iter()
            .rev()
            .find(|l| l.depth == depth)
            .and_then(|l| match l.item {
                TreeItem::Cable(e) => Some(e),
                _ => None,
            })
    }

    fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.tree.lines.len().saturating_sub(1);
        self.cursor = ((self.cursor as isize).saturating_add(delta).max(0) as usize).min(last);
        self.keep_visible(rows);
    }

    pub fn keep_visible(&mut self, rows: usize) {
        self.offset =
            super::table::offset_showing(self.cursor, self.offset, rows, self.tree.lines.len());
    }
}

/// The disposition of a `mark-thread-*` action.
pub fn thread_disposition(action: Action) -> Option<Disposition> {
    match action {
        Action::MarkThreadActioned => Some(Disposition::Actioned),
        Action::MarkThreadFollowUp => Some(Disposition::FollowUp),
        Action::MarkThreadForwarded => Some(Disposition::Forwarded),
        Action::MarkThreadNoAction => Some(Disposition::NoAction),
        Action::MarkThreadUntriaged => Some(Disposition::Untriaged),
        _ => None,
    }
}

impl App {
    /// Rows of the thread view's tree: the screen less its title line and the two bottom
    /// lines.
    pub fn thread_rows(&self) -> usize {
        (self.size.1 as usize).saturating_sub(3).max(1)
    }

    /// Opens the thread view of the cable read, else of the cable under the table cursor.
    pub(super) fn open_thread(&mut self) -> Vec<Effect> {
        use Action as A;
        let entry = match self.mode {
            Mode::Reading => self.reading.as_ref().map(|r| r.index),
            Mode::Thread => self.thread.as_ref().and_then(ThreadView::current),
            _ => self.table.current(),
        };
        let Some(entry) = entry else {
            let what = if self.mode == Mode::Thread {
                "that line is not a cable of this corpus"
            } else {
                "no cable to show the thread of"
            };
            self.say(what, Level::Info);
            return Vec::new();
        };
        let leaves = self.bindings.get(&Mode::Thread).is_some_and(|keys| {
            keys.iter()
                .any(|(_, actions)| actions.iter().any(|a| matches!(a, A::Back | A::Cancel)))
        });
        if !leaves {
            self.say(
                "the keymap has no key to leave the thread view: bind \"back\" in [thread]",
                Level::Error,
            );
            return Vec::new();
        }
        let Some(graph) = self.graph() else {
            self.say(
                "the reference graph is still being built: try again in a moment",
                Level::Info,
            );
            return Vec::new();
        };
        let tree = graph.thread_tree(entry, &self.corpus.entries);
        let from = match self.mode {
            Mode::Thread => self.thread.as_ref().map_or(Mode::Table, |t| t.from),
            mode => mode,
        };
        // Re-centred from a line, the tree keeps the reading view it was first opened from.
        let parked = match self.mode {
            Mode::Thread => self.thread.as_mut().and_then(|t| t.parked.take()),
            _ => None,
        };
        // Opened from a cable read from another tree: that tree waits under this one.
        let outer = match self.mode {
            Mode::Reading if self.reading.as_ref().is_some_and(|r| r.from_thread) => {
                self.thread.take().map(Box::new)
            }
            Mode::Thread => self.thread.as_mut().and_then(|t| t.outer.take()),
            _ => None,
        };
        let mut view = ThreadView {
            focus: entry,
            cursor: tree.focus,
            offset: 0,
            tree,
            from,
            parked,
            outer,
        };
        let rows = self.thread_rows();
        // The focus in the middle of the screen when the tree is taller than it.
        view.offset = view.cursor.saturating_sub(rows / 2);
        view.keep_visible(rows);
        self.thread = Some(view);
        self.mode = Mode::Thread;
        Vec::new()
    }

    pub(super) fn act_thread(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let rows = self.thread_rows();
        let Some(view) = self.thread.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        let page = rows.saturating_sub(1).max(1) as isize;
        match action {
            A::Down => view.move_by(1, rows),
            A::Up => view.move_by(-1, rows),
            A::HalfPageDown => view.move_by(page / 2 + 1, rows),
            A::HalfPageUp => view.move_by(-(page / 2 + 1), rows),
            A::PageDown => view.move_by(page, rows),
            A::PageUp => view.move_by(-page, rows),
            A::Top => view.move_by(isize::MIN / 2, rows),
            A::Bottom => view.move_by(isize::MAX / 2, rows),
            A::Back | A::Cancel => self.close_thread(),
            A::Thread => return self.open_thread(),
            A::Open | A::FollowReference => return self.open_thread_line(),
            _ => self.not_here(action),
        }
        Vec::new()
    }

    /// Leaves the thread view for where it was opened from (a prompt or the help opened
    /// from the thread view stays open, and returns there); an outer tree comes back.
    pub(super) fn close_thread(&mut self) {
        let (from, parked, outer) = self
            .thread
            .take()
            .map_or((Mode::Table, None, None), |t| (t.from, t.parked, t.outer));
        if let Some(reading) = parked {
            self.reading = Some(*reading);
        }
        self.thread = outer.map(|t| *t);
        let back = if from == Mode::Reading && self.reading.is_none() {
            Mode::Table
        } else {
            from
        };
        self.hand_back(back);
    }

    /// The thread view's mode, and a prompt or help opened from it, go to `back`.
    fn hand_back(&mut self, back: Mode) {
        if self.mode == Mode::Thread {
            self.mode = back;
        }
        if let Some(prompt) = self.prompt.as_mut()
            && prompt.from == Mode::Thread
        {
            prompt.from = back;
        }
        if let Some(help) = self.help.as_mut()
            && help.of_mode == Mode::Thread
        {
            help.of_mode = back;
        }
    }

    /// Drops every tree (nested ones and the reading views they set aside too): their
    /// cables are numbered as the corpus was, or the analyst is leaving them all. A mode,
    /// prompt or help that was the tree's goes where the outermost tree came from.
    pub(super) fn drop_threads(&mut self) {
        let mut from = Mode::Table;
        let mut next = self.thread.take();
        while let Some(view) = next {
            from = view.from;
            next = view.outer.map(|t| *t);
        }
        let back = if from == Mode::Reading && self.reading.is_some() {
            Mode::Reading
        } else {
            Mode::Table
        };
        self.hand_back(back);
    }

    /// Reads the cable under the cursor. `back` returns to the tree, its cursor where it was;
    /// `go-back` to the cable read before the tree, if any; `]`/`[` read the tree's next and
    /// previous cables.
    fn open_thread_line(&mut self) -> Vec<Effect> {
        let Some(view) = self.thread.as_mut() else {
            return Vec::new();
        };
        let Some(entry) = view.current() else {
            // A cut or an absent cable: the table lists what the tree could not show.
            let cited = match view.tree.lines.get(view.cursor).map(|l| &l.item) {
                Some(TreeItem::Missing(id)) => Some(id.to_string()),
                Some(TreeItem::More(More::Citers(_))) => view
                    .parent_line(view.cursor)
                    .and_then(|e| self.corpus.get(e))
                    .map(|e| e.id.to_string()),
                _ => None,
            };
            return match cited {
                Some(id) => self.list_citers(&id),
                None => {
                    self.say("nothing to open on this line", Level::Info);
                    Vec::new()
                }
            };
        };
        // The reading view the tree came from waits in the tree; a line read from the tree
        // gives way to the next one.
        let current = self.reading.take();
        let from_tree = current.as_ref().is_some_and(|r| r.from_thread);
        if !from_tree && view.parked.is_none() {
            view.parked = current.map(Box::new);
        }
        let mut back = Vec::new();
        if let Some(r) = view.parked.as_deref() {
            back = r.back.clone();
            back.push((r.index, r.scroll));
        }
        if let Some(pos) = self.table.shown.iter().position(|&i| i == entry) {
            let rows = self.table_rows();
            self.table.set_cursor(pos, rows);
        }
        let effects = self.open_index(entry, back);
        if let Some(r) = self.reading.as_mut() {
            r.from_thread = true;
        }
        effects
    }

    /// Leaves the tree for the table filtered on `cites:ID`: every cable citing `id`, the
    /// ones a cut left out included.
    fn list_citers(&mut self, id: &str) -> Vec<Effect> {
        self.drop_threads();
        self.reading = None;
        self.mode = Mode::Table;
        self.filter.input = super::text_input::TextInput::with_text(&format!("cites:{id}"));
        self.filter.origin = None;
        self.filter.forget_matches();
        self.table.cursor = 0;
        self.table.selected = None;
        self.say(format!("every cable citing {id}"), Level::Info);
        self.refilter()
    }

    /// From a cable read from the tree: back to the tree.
    pub(super) fn back_to_thread(&mut self) -> bool {
        if self.thread.is_none() || !self.reading.as_ref().is_some_and(|r| r.from_thread) {
            return false;
        }
        self.reading = None;
        self.mode = Mode::Thread;
        true
    }

    /// From a cable read from the tree, `]`/`[` read the tree's next (previous) cable.
    pub(super) fn next_in_thread(&mut self, step: isize) -> Option<Vec<Effect>> {
        if !self.reading.as_ref().is_some_and(|r| r.from_thread) {
            return None;
        }
        let rows = self.thread_rows();
        let reading = self.reading.as_ref().map(|r| r.index);
        let view = self.thread.as_mut()?;
        // From the cable on screen when the tree shows it (a reference followed from a line
        // may lead elsewhere in the tree), else from the line last opened.
        let on_screen = view
            .tree
            .lines
            .iter()
            .position(|l| matches!(l.item, TreeItem::Cable(e) if Some(e) == reading));
        let mut at = on_screen.unwrap_or(view.cursor) as isize;
        loop {
            at += step;
            let Some(line) = usize::try_from(at)
                .ok()
                .and_then(|i| view.tree.lines.get(i))
            else {
                let end = if step > 0 { "last" } else { "first" };
                self.say(
                    format!("this is the {end} cable of the thread"),
                    Level::Info,
                );
                return Some(Vec::new());
            };
            if matches!(line.item, TreeItem::Cable(_)) {
                break;
            }
        }
        view.cursor = at as usize;
        view.keep_visible(rows);
        Some(self.open_thread_line())
    }

    /// The cables a `mark-thread-*` action applies to: every cable the tree shows.
    pub(super) fn thread_cables(&self) -> Vec<u32> {
        self.thread
            .as_ref()
            .map(|t| t.tree.cables().collect())
            .unwrap_or_default()
    }
}
