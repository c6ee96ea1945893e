//! What each action does in each mode: the table, the filter bar, the reading view, the help
//! overlay and the prompts. Part of [`App::update`]: the one mutator, split by mode.

use super::reading::Reading;
use super::text_input::TextInput;
use super::{
    Action, App, Deferred, Effect, FilterState, HelpKind, HelpState, Level, Mode, Prompt,
    PromptKind, action_candidates, complete_action, complete_tag, tag_candidates,
};
use crate::corpus::query::{FullTextKind, Query, TermKind};
use crate::corpus::sort::SortColumn;

impl App {
    pub(super) fn act_table(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let rows = self.table_rows();
        match action {
            A::Down => self.table.move_by(1, rows),
            A::Up => self.table.move_by(-1, rows),
            A::HalfPageDown => self.table.move_by((rows / 2).max(1) as isize, rows),
            A::HalfPageUp => self.table.move_by(-((rows / 2).max(1) as isize), rows),
            A::PageDown => self.table.move_by(rows as isize, rows),
            A::PageUp => self.table.move_by(-(rows as isize), rows),
            A::Top => self.table.set_cursor(0, rows),
            A::Bottom => self
                .table
                .set_cursor(self.table.shown.len().saturating_sub(1), rows),
            A::SortNext | A::SortPrevious => {
                // The assignee column is drawn only once some cable is assigned; until then
                // `s` does not stop at it.
                let assignees = self.any_assignees();
                let columns: Vec<SortColumn> = SortColumn::ALL
                    .into_iter()
                    .filter(|c| assignees || *c != SortColumn::Assignee)
                    .collect();
                let at = columns
                    .iter()
                    .position(|c| *c == self.table.sort.column)
                    .unwrap_or(0);
                let next = if action == A::SortNext {
                    (at + 1) % columns.len()
                } else {
                    (at + columns.len() - 1) % columns.len()
                };
                self.table.sort.column = columns[next];
                self.table.sort.descending = false;
                self.filter.relevance = false;
                self.resort();
                self.say(format!("sorted by {}", columns[next].name()), Level::Info);
            }
            A::SortReverse => {
                self.table.sort.descending = !self.table.sort.descending;
                self.resort();
            }
            A::SortRelevance => {
                if self.filter.is_active() {
                    self.filter.relevance = !self.filter.relevance;
                    if self.filter.relevance {
                        // The matches so far were not scored: match again, with scores.
                        self.filter.matched = None;
                        self.say("matches ordered by relevance", Level::Info);
                        return self.start_filter();
                    }
                    self.reorder_shown();
                    let how = if self.filter.relevance {
                        "relevance"
                    } else {
                        self.table.sort.column.name()
                    };
                    self.say(format!("matches ordered by {how}"), Level::Info);
                } else {
                    self.say("relevance order needs a filter", Level::Info);
                }
            }
            A::Filter => {
                self.mode = Mode::Filter;
                self.filter.origin = self.table.selected;
            }
            A::ClearFilter | A::Back => {
                if self.filter.is_active() || !self.filter.input.text().is_empty() {
                    self.filter.input.clear();
                    return self.refilter();
                }
            }
            A::Open => return self.open_cursor(),
            A::Thread => return self.open_thread(),
            A::TogglePreview => {
                self.preview.on = !self.preview.on;
                let rows = self.table_rows();
                self.table.keep_visible(rows);
            }
            A::ToggleThreads
            | A::FoldThread
            | A::UnfoldThread
            | A::FoldAllThreads
            | A::UnfoldAllThreads => self.act_grouping(action),
            _ => self.not_here(action),
        }
        Vec::new()
    }

    pub(super) fn act_filter(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let rows = self.table_rows();
        let edit = |f: &mut FilterState, action: Action| match action {
            A::DeleteBack => f.input.delete_back(),
            A::DeleteForward => f.input.delete_forward(),
            A::DeleteWord => f.input.delete_word(),
            A::DeleteLine => f.input.clear(),
            A::CursorLeft => f.input.left(),
            A::CursorRight => f.input.right(),
            A::CursorHome => f.input.home(),
            A::CursorEnd => f.input.end(),
            _ => {}
        };
        match action {
            A::Accept => {
                self.mode = Mode::Table;
                self.filter.origin = None;
                Vec::new()
            }
            A::Cancel | A::Back => {
                self.mode = Mode::Table;
                self.filter.input.clear();
                let effects = self.refilter();
                // Back to the cable the analyst was on, whatever the typing showed meanwhile.
                if let Some(origin) = self.filter.origin.take()
                    && let Some(at) = self.table.shown.iter().position(|&i| i == origin)
                {
                    self.table.set_cursor(at, rows);
                }
                effects
            }
            A::Down | A::Up | A::PageDown | A::PageUp => {
                let by = match action {
                    A::Down => 1,
                    A::Up => -1,
                    A::PageDown => rows as isize,
                    _ => -(rows as isize),
                };
                // The analyst chose a row: it is no longer the one the filter opened on.
                self.filter.origin = None;
                self.table.move_by(by, rows);
                Vec::new()
            }
            A::SortRelevance => self.act_table(action),
            A::Open => {
                self.mode = Mode::Table;
                self.filter.origin = None;
                self.open_cursor()
            }
            A::DeleteBack
            | A::DeleteForward
            | A::DeleteWord
            | A::DeleteLine
            | A::CursorLeft
            | A::CursorRight
            | A::CursorHome
            | A::CursorEnd => {
                let before = self.filter.input.text().to_string();
                edit(&mut self.filter, action);
                if before != self.filter.input.text() {
                    self.refilter()
                } else {
                    Vec::new()
                }
            }
            _ => {
                self.not_here(action);
                Vec::new()
            }
        }
    }

    pub(super) fn act_reading(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        self.lay_out_reading();
        let rows = self.reading_rows();
        let Some(r) = self.reading.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        match action {
            A::Down => r.scroll_by(1, rows),
            A::Up => r.scroll_by(-1, rows),
            A::HalfPageDown => r.scroll_by((rows / 2).max(1) as isize, rows),
            A::HalfPageUp => r.scroll_by(-((rows / 2).max(1) as isize), rows),
            A::PageDown => r.scroll_by(rows.saturating_sub(1).max(1) as isize, rows),
            A::PageUp => r.scroll_by(-(rows.saturating_sub(1).max(1) as isize), rows),
            A::Top => r.scroll = 0,
            A::Bottom => r.scroll_by(isize::MAX / 2, rows),
            A::Back | A::Cancel => {
                if !self.back_to_thread() {
                    self.reading = None;
                    // A tree left behind (its line read, then the table's next cable) is
                    // not where this goes back to any more.
                    self.thread = None;
                    self.mode = Mode::Table;
                }
            }
            A::NextCable | A::PreviousCable => {
                let step = if action == A::NextCable { 1 } else { -1 };
                if let Some(effects) = self.next_in_thread(step) {
                    return effects;
                }
                let table_rows = self.table_rows();
                let before = self.table.cursor;
                self.table.move_by(step, table_rows);
                if self.table.cursor == before {
                    let end = if step > 0 { "last" } else { "first" };
                    self.say(format!("this is the {end} cable of the list"), Level::Info);
                    return Vec::new();
                }
                return self.open_cursor();
            }
            A::Search => self.open_prompt(PromptKind::Search),
            A::SearchNext | A::SearchPrevious => {
                let forward = action == A::SearchNext;
                if let Some(found) = r.jump_to_match(forward, rows) {
                    if !found {
                        self.say("no match", Level::Info);
                    }
                } else {
                    self.say("no search: press the search key first", Level::Info);
                }
            }
            A::NextReference | A::PreviousReference => {
                r.select_reference(if action == A::NextReference { 1 } else { -1 });
                // The selected reference or citer is scrolled into view: `enter` follows
                // what the analyst sees.
                let width = self.reading_width();
                if let Some(r) = self.reading.as_mut() {
                    let lines = r.lines(width);
                    if let Some(at) = lines
                        .iter()
                        .position(|l| l.pieces.iter().any(|p| p.text.starts_with("▸ ")))
                        && (at < r.scroll || at >= r.scroll + rows)
                    {
                        r.scroll = at.saturating_sub(rows / 2);
                        r.clamp_scroll(rows);
                    }
                }
            }
            A::FollowReference => return self.follow_reference(),
            A::GoBack => return self.go_back(),
            A::MoreLikeThis => return self.more_like_this(),
            A::Thread => return self.open_thread(),
            _ => self.not_here(action),
        }
        Vec::new()
    }

    pub(super) fn act_help(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let Some(h) = self.help.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        let rows = (self.size.1 as usize).saturating_sub(6).max(1);
        match action {
            A::Back | A::Cancel | A::Accept => self.close_help(),
            A::Down => h.scroll += 1,
            A::Up => h.scroll = h.scroll.saturating_sub(1),
            A::PageDown | A::HalfPageDown => h.scroll += rows,
            A::PageUp | A::HalfPageUp => h.scroll = h.scroll.saturating_sub(rows),
            A::Top => h.scroll = 0,
            A::Bottom => h.scroll = usize::MAX / 2,
            A::DeleteBack => h.input.delete_back(),
            A::DeleteWord => h.input.delete_word(),
            A::DeleteLine => h.input.clear(),
            _ => self.not_here(action),
        }
        Vec::new()
    }

    pub(super) fn act_prompt(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let Some(p) = self.prompt.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        if p.kind == PromptKind::Confirm {
            return match action {
                A::Accept => {
                    let yes = self.confirm.as_ref().is_some_and(|c| c.enter_means_yes);
                    self.answer(Some(yes))
                }
                A::Cancel | A::Back => self.answer(None),
                _ => Vec::new(),
            };
        }
        match action {
            A::Accept => {
                let Some(p) = self.prompt.take() else {
                    return Vec::new();
                };
                self.mode = p.from;
                let text = p.input.text().trim().to_string();
                match p.kind {
                    PromptKind::Command => return self.run_command(&text),
                    PromptKind::Note => return self.set_note(&text, p.targets, p.seen_notes),
                    PromptKind::Tag if text.is_empty() => {
                        self.say("no tag typed: nothing changed", Level::Info);
                    }
                    PromptKind::Tag => return self.apply_tag_text(&text, p.targets),
                    PromptKind::Assign => {
                        return self.apply_assign_text(&text, p.targets, p.seen_assignees);
                    }
                    PromptKind::Confirm => {}
                    PromptKind::Search => {
                        self.lay_out_reading();
                        let rows = self.reading_rows();
                        if let Some(r) = self.reading.as_mut() {
                            r.set_search(&text);
                            if !text.is_empty() && r.jump_to_match(true, rows) == Some(false) {
                                self.say(format!("{text:?} not found in this cable"), Level::Info);
                            }
                        }
                    }
                }
            }
            A::Cancel | A::Back => {
                let from = p.from;
                self.prompt = None;
                self.mode = from;
            }
            A::DeleteBack => {
                p.input.delete_back();
                p.candidates.clear();
            }
            A::DeleteForward => {
                p.input.delete_forward();
                p.candidates.clear();
            }
            A::DeleteWord => {
                p.input.delete_word();
                p.candidates.clear();
            }
            A::DeleteLine => {
                p.input.clear();
                p.candidates.clear();
            }
            A::CursorLeft => p.input.left(),
            A::CursorRight => p.input.right(),
            A::CursorHome => p.input.home(),
            A::CursorEnd => p.input.end(),
            A::Complete => {
                let typed = p.input.text().to_string();
                let (done, candidates) = match p.kind {
                    PromptKind::Command => (complete_action(&typed), action_candidates(&typed)),
                    PromptKind::Tag => (
                        complete_tag(&typed, &self.triage.tags_in_use),
                        tag_candidates(&typed, &self.triage.tags_in_use),
                    ),
                    PromptKind::Assign => {
                        let analysts = self.triage.analysts_known();
                        (
                            super::assign::complete_analyst(&typed, &analysts),
                            super::assign::analyst_candidates(&typed, &analysts),
                        )
                    }
                    _ => (None, Vec::new()),
                };
                if let Some(p) = self.prompt.as_mut() {
                    if let Some(done) = done {
                        p.input = TextInput::with_text(&done);
                    }
                    // More than one way on: say which, as a shell does.
                    p.candidates = if candidates.len() > 1 {
                        candidates
                    } else {
                        Vec::new()
                    };
                    if p.candidates.is_empty() && p.kind == PromptKind::Command {
                        let typed = p.input.text().to_string();
                        if action_candidates(&typed).is_empty() {
                            self.say(format!("no action starts with {typed:?}"), Level::Info);
                        }
                    }
                }
            }
            _ => self.not_here(action),
        }
        Vec::new()
    }

    /// `:name` runs an action as if its key had been pressed in the mode the prompt came from.
    pub(super) fn run_command(&mut self, text: &str) -> Vec<Effect> {
        if text.is_empty() {
            return Vec::new();
        }
        match text.parse::<Action>() {
            Ok(action) => self.act(action),
            Err(e) => {
                self.say(e.to_string(), Level::Error);
                Vec::new()
            }
        }
    }

    pub(super) fn not_here(&mut self, action: Action) {
        self.say(
            format!(
                "{} does nothing in {} mode",
                action.name(),
                self.mode.name()
            ),
            Level::Info,
        );
    }

    pub(super) fn insert(&mut self, c: char) -> Vec<Effect> {
        match self.mode {
            Mode::Filter => {
                self.filter.input.insert(c);
                self.refilter()
            }
            Mode::Prompt => {
                if self.confirm.is_some() {
                    return match c {
                        'y' | 'Y' => self.answer(Some(true)),
                        'n' | 'N' => self.answer(Some(false)),
                        _ => Vec::new(),
                    };
                }
                if let Some(p) = self.prompt.as_mut() {
                    p.input.insert(c);
                    p.candidates.clear();
                }
                Vec::new()
            }
            Mode::Help => {
                if let Some(h) = self.help.as_mut() {
                    h.input.insert(c);
                    h.scroll = 0;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn open_help(&mut self, kind: HelpKind) {
        let of_mode = if self.mode == Mode::Help {
            self.help.as_ref().map_or(Mode::Table, |h| h.of_mode)
        } else {
            self.mode
        };
        self.help = Some(HelpState {
            kind,
            of_mode,
            input: TextInput::default(),
            scroll: 0,
        });
        self.mode = Mode::Help;
    }

    pub(super) fn close_help(&mut self) {
        if let Some(h) = self.help.take() {
            self.mode = h.of_mode;
        }
        if self.mode == Mode::Help {
            self.mode = Mode::Table;
        }
    }

    pub(crate) fn open_prompt(&mut self, kind: PromptKind) {
        let from = match self.mode {
            Mode::Prompt | Mode::Help => Mode::Table,
            m => m,
        };
        self.prompt = Some(Prompt {
            kind,
            input: TextInput::default(),
            from,
            targets: Vec::new(),
            notes_differ: false,
            seen_notes: Vec::new(),
            seen_assignees: Vec::new(),
            candidates: Vec::new(),
        });
        self.confirm = None;
        self.mode = Mode::Prompt;
    }

    /// The answer to a yes/no question: yes, no, or `None` to cancel.
    pub(super) fn answer(&mut self, yes: Option<bool>) -> Vec<Effect> {
        let from = self.prompt.take().map_or(Mode::Table, |p| p.from);
        self.mode = from;
        let Some(confirm) = self.confirm.take() else {
            return Vec::new();
        };
        let deferred = match yes {
            Some(true) => Some(confirm.yes),
            Some(false) => confirm.no,
            None => None,
        };
        match deferred {
            None => {
                self.say("cancelled", Level::Info);
                Vec::new()
            }
            Some(d) => self.carry_out(d),
        }
    }

    fn carry_out(&mut self, deferred: Deferred) -> Vec<Effect> {
        match deferred {
            Deferred::Scoped {
                action,
                include_hidden,
                asked,
            } => {
                let (shown, hidden) = self.target_scope();
                if (shown.len(), hidden.len()) != asked {
                    // The selection's cables moved in or out of the filter meanwhile: the
                    // answer was to another question.
                    let effects = self.act(action);
                    if let Some(c) = self.confirm.as_mut() {
                        c.question = format!("changed meanwhile: {}", c.question);
                    }
                    return effects;
                }
                self.triage.include_hidden = Some(include_hidden);
                let effects = self.act(action);
                self.triage.include_hidden = None;
                effects
            }
            Deferred::Write {
                action,
                label,
                clear_selection,
            } => self.send(action, label, clear_selection),
            Deferred::Step { action, kind, step } => {
                let label = step.label.clone();
                self.write(action, kind, label, Some(step))
                    .unwrap_or_default()
            }
            Deferred::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Deferred::Notice(text) => {
                self.say(text, Level::Info);
                Vec::new()
            }
        }
    }

    /// Opens the cable under the table cursor.
    pub(crate) fn open_cursor(&mut self) -> Vec<Effect> {
        let Some(index) = self.table.current() else {
            self.say("no cable to open", Level::Info);
            return Vec::new();
        };
        let back = self.reading.take().map(|r| r.back).unwrap_or_default();
        self.open_index(index, back)
    }

    pub(super) fn open_index(&mut self, index: u32, back: Vec<(u32, usize)>) -> Vec<Effect> {
        let Some(entry) = self.corpus.get(index) else {
            return Vec::new();
        };
        let location = entry.location;
        let mut reading = Reading::new(index);
        reading.back = back;
        // Following a reference or going back stays in what was opened from the tree.
        reading.from_thread = self.reading.as_ref().is_some_and(|r| r.from_thread);
        reading.set_citers(self.citers_of(index));
        if self.filter.is_active() && has_text_hits(&self.filter.query) {
            reading.text_query = Some(std::sync::Arc::clone(&self.filter.query));
        }
        self.reading = Some(reading);
        self.mode = Mode::Reading;
        let mut effects = match self.corpus.file(&location) {
            Some(path) => vec![Effect::ReadBody {
                index,
                path: path.clone(),
                location,
            }],
            None => {
                if let Some(r) = self.reading.as_mut() {
                    r.set_cable(Err("the cable's file is not known".into()));
                }
                Vec::new()
            }
        };
        // Opening a cable is reading it: it is seen (not done).
        effects.extend(self.mark_seen(index));
        effects
    }

    pub(super) fn follow_reference(&mut self) -> Vec<Effect> {
        let Some(r) = self.reading.as_ref() else {
            return Vec::new();
        };
        let Some(id) = r.selected_reference(&self.corpus).map(str::to_string) else {
            self.say("this cable cites no other cable", Level::Info);
            return Vec::new();
        };
        match self.corpus.find_id(&id) {
            Some(target) => {
                let mut back = r.back.clone();
                back.push((r.index, r.scroll));
                // Keep the table cursor on the cable being read when it is in the list.
                if let Some(pos) = self.table.shown.iter().position(|&i| i == target) {
                    let rows = self.table_rows();
                    self.table.set_cursor(pos, rows);
                }
                self.open_index(target, back)
            }
            None => {
                self.say(format!("{id} is not in this corpus"), Level::Info);
                Vec::new()
            }
        }
    }

    /// Lists the cables most like the one being read: the filter becomes `like:ID` in
    /// relevance order, so the ten most alike are the first ten rows (and any can be opened).
    pub(super) fn more_like_this(&mut self) -> Vec<Effect> {
        let Some(id) = self
            .reading
            .as_ref()
            .and_then(|r| self.corpus.get(r.index))
            .map(|e| e.id.to_string())
        else {
            return Vec::new();
        };
        self.reading = None;
        self.mode = Mode::Table;
        self.filter.input = TextInput::with_text(&format!("like:{id}"));
        self.filter.origin = None;
        self.filter.relevance = true;
        self.filter.forget_matches();
        self.table.cursor = 0;
        self.table.selected = None;
        self.say(
            format!("cables most like {id}, most alike first"),
            Level::Info,
        );
        let effects = self.refilter();
        if effects.is_empty() && self.filter.is_active() {
            // The same filter as before: run it again, now scored.
            return self.start_filter();
        }
        effects
    }

    pub(super) fn go_back(&mut self) -> Vec<Effect> {
        let Some(mut back) = self.reading.as_ref().map(|r| r.back.clone()) else {
            return Vec::new();
        };
        let Some((index, scroll)) = back.pop() else {
            self.say("nothing to go back to", Level::Info);
            return Vec::new();
        };
        if let Some(pos) = self.table.shown.iter().position(|&i| i == index) {
            let rows = self.table_rows();
            self.table.set_cursor(pos, rows);
        }
        let effects = self.open_index(index, back);
        if let Some(r) = self.reading.as_mut() {
            r.scroll = scroll;
        }
        effects
    }
}

/// Whether a query has text terms whose hits can be shown in a cable (words, phrases,
/// prefixes; not `like:`, and not negated ones).
fn has_text_hits(query: &Query) -> bool {
    query.terms().any(|t| {
        !t.negated
            && matches!(&t.kind, TermKind::FullText(f) if !matches!(f.kind, FullTextKind::Like(_)))
    })
}
