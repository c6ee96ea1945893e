//! The table's rows as cables arrive, the sort changes and the filter runs: merging loaded
//! entries, re-sorting, starting filter jobs and taking their results. Each of them sets
//! `table.listed` and shows it through [`App::regroup`] (`grouping.rs`), so grouping by
//! thread follows every change. Part of [`App::update`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use super::{App, Effect, FilterJob, Level, MERGE_EVERY, Matched, Mode, narrows, plural};
use crate::corpus::Corpus;
use crate::corpus::load::{FileCables, LoadEvent};
use crate::corpus::query::{self, FilterResult, Tier};
use crate::corpus::sort::{NO_KEY, SortColumn, sort_by_entry_keys, sort_indices};
use crate::store::{Disposition, Record};

/// Sort keys of a recorded column, with what they were computed from.
#[derive(Debug)]
pub(super) struct RecordedKeys {
    /// Column, records version and address, corpus length, index length.
    made_for: (SortColumn, u64, usize, usize, Option<usize>),
    keys: Vec<u32>,
}

/// The analyst's tags of a record as one sortable string.
fn joined_tags(r: &Record) -> String {
    let tags: Vec<String> = r.tags.iter().map(|t| t.to_lowercase()).collect();
    tags.join(" ")
}

impl App {
    pub(super) fn loaded(&mut self, event: LoadEvent) -> Vec<Effect> {
        match event {
            LoadEvent::Batch {
                files,
                entries,
                progress,
            } => {
                for f in files {
                    self.corpus.add_file(f);
                }
                for e in entries {
                    let i = self.corpus.push(e);
                    self.pending.push(i);
                }
                self.load.progress = progress;
                let due = self.last_merge.is_none_or(|t| t.elapsed() >= MERGE_EVERY);
                if due {
                    return self.merge_pending();
                }
                Vec::new()
            }
            LoadEvent::Replace { files, progress } => {
                self.load.progress = progress;
                self.replace_files(files)
            }
            LoadEvent::Problem(p) => {
                if self
                    .problems_seen
                    .insert((p.path.clone(), p.row, p.message.clone()))
                {
                    self.problems.push(p);
                }
                Vec::new()
            }
            LoadEvent::Done {
                progress,
                elapsed,
                save_as,
            } => {
                self.load.progress = progress;
                self.load.finished = Some(elapsed);
                let mut effects = self.merge_pending();
                effects.extend(self.open_text_index(save_as.clone()));
                if let Some(key) = save_as {
                    effects.push(Effect::SaveCache {
                        key,
                        files: self.corpus.files.clone(),
                        entries: self.corpus.entries.clone(),
                    });
                }
                effects.push(Effect::BuildIndexes(self.corpus.entries.clone()));
                // Problems make an error; notices (files passed over, cables read twice) are
                // only counted.
                let notices = self.problems.iter().filter(|p| p.is_notice()).count();
                let problems = self.problems.len() - notices;
                let passed_over = format!("{notices} notice{}", plural(notices));
                match (problems, notices) {
                    (0, 0) => {}
                    (0, _) => self.say(
                        format!("{passed_over} (show-problems lists them)"),
                        Level::Info,
                    ),
                    (n, 0) => self.say(
                        format!("{n} input problem{} (show-problems lists them)", plural(n)),
                        Level::Error,
                    ),
                    (n, _) => self.say(
                        format!(
                            "{n} input problem{}, {passed_over} (show-problems lists them)",
                            plural(n)
                        ),
                        Level::Error,
                    ),
                }
                effects
            }
        }
    }

    /// Files read again after the cache was shown: their entries give way to the ones they
    /// hold now, without moving the analyst. The cursor, the selection, the filter bar's
    /// origin and the cable being read follow their cable by id; a cable whose file is gone
    /// leaves the table (and the reading view); sort and filter apply to the new rows.
    pub(super) fn replace_files(&mut self, changed: Vec<FileCables>) -> Vec<Effect> {
        // Thread numbers change with the graph: folds are kept by cable id meanwhile.
        self.park_folds();
        // Rows not merged yet are renumbered with the others.
        let mut pending = std::mem::take(&mut self.pending);
        self.table.order.append(&mut pending);
        let Renumbered {
            corpus,
            kept,
            added,
            gone,
        } = renumber(std::mem::take(&mut self.corpus), changed);
        // A cable of a file read again is followed to its new entry by id.
        let mut followed = kept.clone();
        for (old_index, id) in &gone {
            followed[*old_index as usize] = corpus.find_id(id);
        }
        self.corpus = corpus;
        let follow = |i: u32| followed.get(i as usize).copied().flatten();
        let kept_only = |i: &u32| kept.get(*i as usize).copied().flatten();
        self.table.order = self.table.order.iter().filter_map(kept_only).collect();
        self.table.order.extend(&added);
        self.table.selected = self.table.selected.and_then(follow);
        self.filter.origin = self.filter.origin.and_then(follow);
        self.triage.renumber(&follow);
        let mut scores = vec![0; self.corpus.len()];
        for (old_index, score) in self.filter.scores.iter().enumerate() {
            if let Some(Some(new)) = kept.get(old_index) {
                scores[*new as usize] = *score;
            }
        }
        self.filter.scores = scores;
        self.filter.forget_matches();
        // Until the filter has run over the new rows, a replaced cable is shown in its old
        // place (so the cursor stays on it), each entry once.
        let mut once = vec![false; self.corpus.len()];
        let listed: Vec<u32> = (self.table.listed.iter())
            .filter_map(|&i| follow(i))
            .filter(|&i| !std::mem::replace(&mut once[i as usize], true))
            .collect();
        let mut effects = self.follow_reading(&follow, &kept);
        // The tree was drawn from the graph of the old entries: it closes rather than show
        // cables under numbers that now name others (`T` opens it again once the graph is
        // rebuilt).
        if self.thread.is_some() {
            let in_thread = self.mode == Mode::Thread;
            self.drop_threads();
            if in_thread {
                self.say("the corpus changed: the thread view closed", Level::Info);
            }
        }
        // Built again once the load is done (the sort keys of recorded columns too).
        self.indexes = None;
        *match self.recorded_keys.lock() {
            Ok(keys) => keys,
            Err(poisoned) => poisoned.into_inner(),
        } = None;
        self.resort_order_only();
        if self.filter.is_active() {
            self.table.listed = listed;
            self.reorder_shown();
            effects.extend(self.start_filter());
        } else {
            self.table.listed = self.table.order.clone();
            self.show_listed();
        }
        effects
    }

    /// The reading view after [`App::replace_files`]: on the new entry of its cable, whose
    /// body is read again if its file changed; closed, saying why, if its cable is gone.
    fn follow_reading(
        &mut self,
        follow: &dyn Fn(u32) -> Option<u32>,
        kept: &[Option<u32>],
    ) -> Vec<Effect> {
        let Some(reading) = self.reading.as_mut() else {
            return Vec::new();
        };
        reading.back = std::mem::take(&mut reading.back)
            .into_iter()
            .filter_map(|(i, scroll)| Some((follow(i)?, scroll)))
            .collect();
        let Some(index) = follow(reading.index) else {
            self.reading = None;
            if self.mode == Mode::Reading {
                self.mode = Mode::Table;
            }
            if let Some(prompt) = self.prompt.as_mut()
                && prompt.from == Mode::Reading
            {
                prompt.from = Mode::Table;
            }
            self.say(
                "the cable being read is no longer in the corpus",
                Level::Info,
            );
            return Vec::new();
        };
        // Read again when its file changed, or when a read under its old number is under
        // way (its answer would not find it).
        let reread = reading.cable.is_none() || kept.get(reading.index as usize) == Some(&None);
        reading.index = index;
        match self.corpus.get(index) {
            Some(entry) if reread => {
                let location = entry.location;
                let path = self.corpus.file(&location).cloned();
                path.map(|path| Effect::ReadBody {
                    index,
                    path,
                    location,
                })
                .into_iter()
                .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Adds loaded entries to the table's order, keeping the sort and the cursor's cable.
    pub(super) fn merge_pending(&mut self) -> Vec<Effect> {
        self.last_merge = Some(Instant::now());
        if self.pending.is_empty() {
            return Vec::new();
        }
        let mut new = std::mem::take(&mut self.pending);
        self.table.order.append(&mut new);
        self.resort_order_only();
        if self.filter.is_active() {
            self.start_filter()
        } else {
            self.table.listed = self.table.order.clone();
            self.show_listed();
            Vec::new()
        }
    }

    pub(super) fn resort_order_only(&mut self) {
        let mut order = std::mem::take(&mut self.table.order);
        self.sort_rows(&mut order);
        self.table.order = order;
    }

    /// Sorts rows by the table's sort, through the sort index once it covers the corpus.
    pub(super) fn sort_rows(&self, rows: &mut [u32]) {
        let sort = self.table.sort;
        match &self.indexes {
            Some(ix) if ix.len == self.corpus.len() => ix.sort.sort(rows, sort.fields()),
            _ => sort_indices(&self.corpus.entries, rows, sort.fields()),
        }
        if matches!(sort.column, SortColumn::Field(_)) {
            return;
        }
        let made_for = (
            sort.column,
            self.triage.version,
            Arc::as_ptr(&self.triage.records) as usize,
            self.corpus.len(),
            self.indexes.as_ref().map(|ix| ix.len),
        );
        let mut cache = match self.recorded_keys.lock() {
            Ok(cache) => cache,
            Err(poisoned) => poisoned.into_inner(),
        };
        if cache.as_ref().is_none_or(|c| c.made_for != made_for) {
            *cache = self
                .recorded_keys(sort.column)
                .map(|keys| RecordedKeys { made_for, keys });
        }
        if let Some(cached) = cache.as_ref() {
            sort_by_entry_keys(rows, &cached.keys, sort.descending);
        }
    }

    /// For a column the analyst records (kept in the store's mirror, not the corpus): a sort
    /// key per entry, [`NO_KEY`] where nothing is recorded. The records are far fewer than
    /// the entries, so each record finds its entries (through the sort index, copies
    /// included) rather than each entry looking up its record.
    fn recorded_keys(&self, column: SortColumn) -> Option<Vec<u32>> {
        let records = &self.triage.records;
        let key: Box<dyn Fn(&Record) -> u32> = match column {
            SortColumn::Field(_) => return None,
            SortColumn::Disposition => Box::new(|r: &Record| match r.disposition {
                Disposition::Untriaged => NO_KEY,
                d => d as u32,
            }),
            SortColumn::Assignee => {
                // Few analysts: rank them once, then look each record's up.
                let mut distinct: Vec<String> = records
                    .values()
                    .filter_map(|r| r.assignee.clone())
                    .collect();
                distinct.sort_unstable_by_key(|a| a.to_lowercase());
                distinct.dedup();
                Box::new(move |r: &Record| {
                    r.assignee.as_ref().map_or(NO_KEY, |a| {
                        distinct
                            .iter()
                            .position(|d| d == a)
                            .map_or(NO_KEY, |rank| rank as u32)
                    })
                })
            }
            SortColumn::MyTags => {
                // Few distinct tag lists: rank them once, then look each record's up.
                let mut distinct: Vec<String> = records
                    .values()
                    .filter(|r| !r.tags.is_empty())
                    .map(joined_tags)
                    .collect();
                distinct.sort_unstable();
                distinct.dedup();
                Box::new(move |r: &Record| {
                    if r.tags.is_empty() {
                        return NO_KEY;
                    }
                    distinct
                        .binary_search(&joined_tags(r))
                        .map_or(NO_KEY, |rank| rank as u32)
                })
            }
        };
        if records.is_empty() {
            return Some(Vec::new());
        }
        let entries = &self.corpus.entries;
        match &self.indexes {
            Some(ix) if ix.len == self.corpus.len() => {
                let mut keys = vec![NO_KEY; self.corpus.len()];
                for record in records.values() {
                    let k = key(record);
                    if k == NO_KEY {
                        continue;
                    }
                    let Some(first) = self.corpus.find_id(&record.id) else {
                        continue;
                    };
                    if ix.sort.has_copies() && self.corpus.copies(&record.id) > 1 {
                        for i in ix.sort.same_id(first, entries) {
                            keys[i as usize] = k;
                        }
                    } else {
                        keys[first as usize] = k;
                    }
                }
                Some(keys)
            }
            // While the index is built: one lookup per entry.
            _ => Some(
                entries
                    .iter()
                    .map(|e| records.get(&*e.id).map_or(NO_KEY, &key))
                    .collect(),
            ),
        }
    }

    /// Re-sorts after a change of sort: the shown rows are re-sorted in place, so a filter
    /// need not run again.
    pub(super) fn resort(&mut self) {
        self.resort_order_only();
        if !self.filter.is_active() {
            self.table.listed = self.table.order.clone();
        } else if !self.filter.relevance {
            self.sort_matches();
        }
        // Threads are ordered by the sort too.
        self.show_listed();
    }

    /// The filter input changed: parse it and start a job (or show everything).
    pub(super) fn refilter(&mut self) -> Vec<Effect> {
        let (query, errors) = query::parse(self.filter.input.text());
        self.filter.errors = errors;
        if *self.filter.query == query {
            return Vec::new();
        }
        self.filter.query = Arc::new(query);
        if !self.filter.is_active() {
            self.filter.generation += 1;
            self.filter.running = false;
            self.filter.scores.clear();
            self.filter.tiers.clear();
            self.filter.tier_counts = None;
            self.filter.matched = None;
            self.filter.relevance = false;
            self.table.listed = self.table.order.clone();
            self.regroup();
            self.return_to_origin();
            let rows = self.table_rows();
            self.table.follow_selection(rows);
            return Vec::new();
        }
        self.start_filter()
    }

    pub(super) fn start_filter(&mut self) -> Vec<Effect> {
        self.filter.generation += 1;
        self.filter.running = true;
        let text = self.filter.input.text().to_string();
        let corpus_len = self.corpus.len();
        // Typing on narrows the query: only the rows that matched before can match now.
        let candidates = match &self.filter.matched {
            // A query with an unreadable term filters by its other terms: from every row,
            // never from what an earlier keystroke's query matched.
            Some(m)
                if m.corpus_len == corpus_len
                    && self.filter.errors.is_empty()
                    && narrows(&m.text, &text) =>
            {
                Arc::clone(&m.indices)
            }
            _ => Arc::new(self.table.order.clone()),
        };
        self.filter.running_text = text;
        self.filter.running_len = corpus_len;
        vec![Effect::Filter(FilterJob {
            generation: self.filter.generation,
            query: Arc::clone(&self.filter.query),
            candidates,
            entries: self.corpus.entries.clone(),
            search: self.indexes.as_ref().map(|ix| Arc::clone(&ix.search)),
            need_scores: self.filter.relevance,
            records: Arc::clone(&self.triage.records),
            analyst: self.triage.analyst.clone(),
            text: self.text.ready().cloned(),
            graph: self.indexes.as_ref().map(|ix| Arc::clone(&ix.graph)),
        })]
    }

    pub(super) fn apply_filter_result(&mut self, result: FilterResult) {
        let mut scores = vec![0; self.corpus.len()];
        for (&i, &score) in result.indices.iter().zip(&result.scores) {
            if let Some(s) = scores.get_mut(i as usize) {
                *s = score;
            }
        }
        self.filter.scores = scores;
        if self.filter.query.has_tiers() {
            let mut tiers = vec![Tier::Word; self.corpus.len()];
            for (&i, &tier) in result.indices.iter().zip(&result.tiers) {
                if let Some(t) = tiers.get_mut(i as usize) {
                    *t = tier;
                }
            }
            self.filter.tiers = tiers;
            self.filter.tier_counts = Some(result.tier_counts());
        } else {
            self.filter.tiers.clear();
            self.filter.tier_counts = None;
        }
        self.filter.matched = Some(Matched {
            text: self.filter.running_text.clone(),
            corpus_len: self.filter.running_len,
            indices: Arc::new(result.indices.clone()),
        });
        self.table.listed = result.indices;
        self.reorder_shown();
        // New matches: show as many as fit above the cursor's cable, so the close matches a
        // filter puts first are not scrolled away while the cursor stays on its cable.
        let rows = self.table_rows();
        self.table.show_above(rows);
    }

    /// Puts the shown matches in the table's order: by the sort, close matches first (see
    /// [`query::tier_order`]), so that a re-sort keeps the tiers.
    fn sort_matches(&mut self) {
        let mut listed = std::mem::take(&mut self.table.listed);
        self.sort_rows(&mut listed);
        if !self.filter.tiers.is_empty() {
            let tiers = &self.filter.tiers;
            query::tier_order(&mut listed, |i| {
                tiers.get(i as usize).copied().unwrap_or_default()
            });
        }
        self.table.listed = listed;
    }

    /// While the filter bar is open and the analyst has not moved, the cursor returns to
    /// the cable it was on when the bar opened whenever the rows show it again: a keystroke
    /// that hid it for a moment does not move the analyst for good.
    pub(super) fn return_to_origin(&mut self) {
        if let Some(origin) = self.filter.origin
            && self.table.shown.contains(&origin)
        {
            self.table.selected = Some(origin);
        }
    }

    /// Puts the listed rows in relevance or table order, and shows them.
    pub(super) fn reorder_shown(&mut self) {
        if self.filter.relevance {
            let scores = &self.filter.scores;
            // Stable: equal scores keep the table's order.
            self.table
                .listed
                .sort_by_key(|&i| std::cmp::Reverse(scores.get(i as usize).copied().unwrap_or(0)));
        } else if self.filter.is_active() {
            self.sort_matches();
        }
        self.regroup();
        self.return_to_origin();
        let rows = self.table_rows();
        self.table.follow_selection(rows);
    }
}

/// A corpus with some files' entries replaced: the entry each old one became (`None` for
/// those of a replaced file), the new entries of the replaced files, and the old entries
/// that gave way, with their ids.
struct Renumbered {
    corpus: Corpus,
    kept: Vec<Option<u32>>,
    added: Vec<u32>,
    gone: Vec<(u32, Box<str>)>,
}

/// `old` with the entries of each changed file replaced by the ones it holds now. Files keep
/// their numbers (a removed file's stays, naming no entry); a new file is added. Every
/// other entry keeps its order, so the copy of a cable read twice that lookups find by id
/// stays the same. Entries are moved, not copied: this runs on the UI thread.
fn renumber(old: Corpus, changed: Vec<FileCables>) -> Renumbered {
    let Corpus { entries, files, .. } = old;
    let mut corpus = Corpus::new();
    for path in files {
        corpus.add_file(path);
    }
    // A few files are found by a scan; many through a map of every path.
    let by_path: Option<HashMap<&std::path::Path, u32>> = (changed.len() > 8).then(|| {
        let mut map = HashMap::with_capacity(corpus.files.len());
        for (i, path) in corpus.files.iter().enumerate() {
            map.entry(path.as_path()).or_insert(i as u32);
        }
        map
    });
    let changed: Vec<(Option<u32>, FileCables)> = changed
        .into_iter()
        .map(|file| {
            let index = match &by_path {
                Some(map) => map.get(file.path.as_path()).copied(),
                // As bytes: comparing paths component by component costs far more.
                None => corpus
                    .files
                    .iter()
                    .position(|p| p.as_os_str() == file.path.as_os_str())
                    .map(|i| i as u32),
            };
            (index, file)
        })
        .collect();
    drop(by_path);
    let mut replaced = vec![false; corpus.files.len()];
    for (index, _) in &changed {
        if let Some(i) = index {
            replaced[*i as usize] = true;
        }
    }
    let mut kept = Vec::with_capacity(entries.len());
    let mut gone = Vec::new();
    for (old_index, entry) in entries.into_iter().enumerate() {
        let file = entry.location.file as usize;
        if replaced.get(file).copied().unwrap_or(false) {
            gone.push((old_index as u32, entry.id));
            kept.push(None);
        } else {
            kept.push(Some(corpus.push(entry)));
        }
    }
    let mut added = Vec::new();
    for (index, file) in changed {
        let index = index.unwrap_or_else(|| corpus.add_file(file.path));
        for mut entry in file.entries {
            entry.location.file = index;
            added.push(corpus.push(entry));
        }
    }
    Renumbered {
        corpus,
        kept,
        added,
        gone,
    }
}
