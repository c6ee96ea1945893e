//! The reading view's state: the cable being read (its body arrives from a background read),
//! the scroll position, the search inside it, the selected reference and the way back.

use std::sync::Arc;

use super::document::{self, DocLine, Hit};
use crate::cable::Cable;
use crate::corpus::Corpus;
use crate::corpus::query::Query;

#[derive(Debug)]
pub struct Reading {
    /// The entry being read.
    pub index: u32,
    /// `None` while the body is read.
    pub cable: Option<Result<Cable, String>>,
    /// The first document line drawn.
    pub scroll: usize,
    pub search: Option<String>,
    /// The filter's text terms when the cable was opened: their hits are highlighted, and
    /// `n`/`N` go through them while there is no search of the analyst's.
    pub text_query: Option<Arc<Query>>,
    /// Which match `n` and `N` are at (an index into [`Reading::hits`]); `None` until the
    /// first jump.
    pub current_match: Option<usize>,
    /// The selected reference: an index into the cable's references, then into `citers`.
    pub reference: usize,
    /// The ids of the cables citing this one, earliest first (empty until the reference
    /// graph is built).
    pub citers: Vec<String>,
    /// Cables read before following references: entry and scroll position.
    pub back: Vec<(u32, usize)>,
    /// Opened from the thread view (or reached from a cable that was): `back` returns there.
    pub from_thread: bool,
    /// The document laid out for a width, kept until the width or the cable changes.
    layout: Option<(u16, Arc<Vec<DocLine>>)>,
}

impl Reading {
    pub fn new(index: u32) -> Reading {
        Reading {
            index,
            cable: None,
            scroll: 0,
            search: None,
            text_query: None,
            current_match: None,
            reference: 0,
            citers: Vec::new(),
            back: Vec::new(),
            from_thread: false,
            layout: None,
        }
    }

    pub fn set_cable(&mut self, cable: Result<Cable, String>) {
        self.cable = Some(cable);
        self.layout = None;
    }

    pub fn invalidate_layout(&mut self) {
        self.layout = None;
    }

    /// The document at `width` columns, laid out once per width.
    pub fn lines(&mut self, width: u16) -> Arc<Vec<DocLine>> {
        if let Some((w, lines)) = &self.layout
            && *w == width
        {
            return Arc::clone(lines);
        }
        let lines = Arc::new(match &self.cable {
            Some(Ok(cable)) => document::layout(cable, width, self.reference, &self.citers),
            _ => Vec::new(),
        });
        self.layout = Some((width, Arc::clone(&lines)));
        lines
    }

    /// The cached layout if it was made for `width` (views cannot lay out into the state).
    pub fn cached_lines(&self, width: u16) -> Option<Arc<Vec<DocLine>>> {
        match &self.layout {
            Some((w, lines)) if *w == width => Some(Arc::clone(lines)),
            _ => None,
        }
    }

    fn line_count(&self) -> usize {
        self.layout.as_ref().map_or(0, |(_, l)| l.len())
    }

    pub fn scroll_by(&mut self, delta: isize, rows: usize) {
        let max = self.line_count().saturating_sub(rows);
        self.scroll = ((self.scroll as isize).saturating_add(delta).max(0) as usize).min(max);
    }

    pub fn set_search(&mut self, pattern: &str) {
        self.search = (!pattern.is_empty()).then(|| pattern.to_string());
        self.current_match = None;
    }

    /// Keeps the scroll within the document laid out for the current size (a wider
    /// terminal makes it shorter).
    pub fn clamp_scroll(&mut self, rows: usize) {
        self.scroll_by(0, rows);
    }

    /// Goes to the next (or previous) match, wrapping around, and scrolls it into view. The
    /// first jump goes to the first match from the top of the view. Matches are counted
    /// one by one, not by line, so `n` reaches every match even on the last page, where the
    /// scroll cannot move. `None` when there is no search, `Some(false)` when nothing
    /// matches.
    pub fn jump_to_match(&mut self, forward: bool, rows: usize) -> Option<bool> {
        if self.search.is_none() && self.text_query.is_none() {
            return None;
        }
        let lines = self.layout.as_ref().map(|(_, l)| Arc::clone(l))?;
        let hits = document::counted(&self.hits(&lines));
        if hits.is_empty() {
            self.current_match = None;
            return Some(false);
        }
        let count = hits.len();
        let next = match self.current_match {
            Some(at) if forward => (at.min(count - 1) + 1) % count,
            Some(at) => (at.min(count - 1) + count - 1) % count,
            None if forward => hits.iter().position(|h| h.line >= self.scroll).unwrap_or(0),
            None => hits
                .iter()
                .rposition(|h| h.line < self.scroll + rows)
                .unwrap_or(count - 1),
        };
        self.current_match = Some(next);
        let line = hits[next].line;
        if line < self.scroll || line >= self.scroll + rows.max(1) {
            self.scroll = line.min(lines.len().saturating_sub(rows));
        }
        Some(true)
    }

    /// What is marked in `lines` (the document as laid out): the analyst's search, else the
    /// hits of the filter's text terms.
    pub fn hits(&self, lines: &[DocLine]) -> Vec<Hit> {
        match (&self.search, &self.text_query) {
            (Some(pattern), _) => document::find_hits(lines, pattern),
            (None, Some(query)) => document::text_hits(lines, query),
            (None, None) => Vec::new(),
        }
    }

    /// Sets the citers (the graph arrived, or the cable was opened).
    pub fn set_citers(&mut self, citers: Vec<String>) {
        if citers != self.citers {
            self.citers = citers;
            self.layout = None;
        }
    }

    fn reference_count(&self) -> usize {
        match &self.cable {
            Some(Ok(c)) => c.references.len(),
            _ => 0,
        }
    }

    /// Moves through the references, then the citers, wrapping around.
    pub fn select_reference(&mut self, step: isize) {
        let count = self.reference_count() + self.citers.len();
        if count == 0 {
            return;
        }
        self.reference = (self.reference as isize + step).rem_euclid(count as isize) as usize;
        self.layout = None;
    }

    /// The id of the selected reference or citer: references from the read cable, else from
    /// the index.
    pub fn selected_reference<'a>(&'a self, corpus: &'a Corpus) -> Option<&'a str> {
        let references: Vec<&str> = match &self.cable {
            Some(Ok(c)) => c.references.iter().map(String::as_str).collect(),
            _ => corpus
                .get(self.index)?
                .references
                .iter()
                .map(|r| &**r)
                .collect(),
        };
        match self.reference.checked_sub(references.len()) {
            None => references.get(self.reference).copied(),
            Some(i) => self.citers.get(i).map(String::as_str),
        }
    }
}
