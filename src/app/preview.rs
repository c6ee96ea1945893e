//! The preview line under the table: a one-line snippet of the cursor's cable, its hits of
//! the filter's text terms highlighted. Only the cursor's cable is read, off the UI thread
//! (bodies come from files), and the texts read are kept per cable for the next visit.
//! Part of [`App::update`].

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::{App, Effect};
use crate::search::CableText;

/// How many cables' texts are kept: the cursor goes back and forth over a screenful.
const KEPT: usize = 64;

#[derive(Debug, Default)]
pub struct PreviewState {
    /// Shown (toggled by a key).
    pub on: bool,
    texts: HashMap<u32, Arc<Result<CableText, String>>>,
    /// Oldest first, to drop the oldest text beyond [`KEPT`].
    kept: VecDeque<u32>,
    /// The entry whose text is being read.
    asked: Option<u32>,
}

impl PreviewState {
    /// The text of `entry` when it has been read.
    pub fn text(&self, entry: u32) -> Option<&Result<CableText, String>> {
        self.texts.get(&entry).map(|t| &**t)
    }

    pub(super) fn keep(&mut self, entry: u32, text: Result<CableText, String>) {
        if self.asked == Some(entry) {
            self.asked = None;
        }
        if self.texts.insert(entry, Arc::new(text)).is_none() {
            self.kept.push_back(entry);
        }
        while self.kept.len() > KEPT {
            if let Some(old) = self.kept.pop_front() {
                self.texts.remove(&old);
            }
        }
    }

    /// Forgets every text (the corpus changed).
    pub(super) fn clear(&mut self) {
        self.texts.clear();
        self.kept.clear();
        self.asked = None;
    }
}

impl App {
    /// Reads the cursor's cable for the preview when it is shown and not read yet.
    pub(super) fn preview_reads(&mut self) -> Option<Effect> {
        if !self.preview.on || self.reading.is_some() {
            return None;
        }
        let entry = self.table.current()?;
        if self.preview.texts.contains_key(&entry) || self.preview.asked == Some(entry) {
            return None;
        }
        let corpus = self.text.corpus.as_ref()?;
        // The copy is the corpus as it was when read whole; a later load makes a new one.
        if corpus.len() != self.corpus.len() {
            return None;
        }
        self.preview.asked = Some(entry);
        Some(Effect::ReadText {
            entry,
            corpus: Arc::clone(corpus),
        })
    }
}
