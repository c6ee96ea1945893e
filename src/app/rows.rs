//! The table's rows as cables arrive, the sort changes and the filter runs: merging loaded
//! entries, re-sorting, starting filter jobs and taking their results. Part of
//! [`App::update`].

use std::sync::Arc;
use std::time::Instant;

use super::{App, Effect, FilterJob, Level, MERGE_EVERY, Matched, narrows, plural};
use crate::corpus::load::LoadEvent;
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
            LoadEvent::Problem(p) => {
                self.problems.push(p);
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
            self.table.shown = self.table.order.clone();
            self.table.follow_selection(self.table_rows());
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
            self.table.shown = self.table.order.clone();
        } else if !self.filter.relevance {
            self.sort_matches();
        }
        let rows = self.table_rows();
        self.table.follow_selection(rows);
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
            self.table.shown = self.table.order.clone();
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
            Some(m) if m.corpus_len == corpus_len && narrows(&m.text, &text) => {
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
        self.table.shown = result.indices;
        self.reorder_shown();
    }

    /// Puts the shown matches in the table's order: by the sort, close matches first (see
    /// [`query::tier_order`]), so that a re-sort keeps the tiers.
    fn sort_matches(&mut self) {
        let mut shown = std::mem::take(&mut self.table.shown);
        self.sort_rows(&mut shown);
        if !self.filter.tiers.is_empty() {
            let tiers = &self.filter.tiers;
            query::tier_order(&mut shown, |i| {
                tiers.get(i as usize).copied().unwrap_or_default()
            });
        }
        self.table.shown = shown;
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

    /// Puts the shown rows in relevance or table order.
    pub(super) fn reorder_shown(&mut self) {
        if self.filter.relevance {
            let scores = &self.filter.scores;
            // Stable: equal scores keep the table's order.
            self.table
                .shown
                .sort_by_key(|&i| std::cmp::Reverse(scores.get(i as usize).copied().unwrap_or(0)));
        } else if self.filter.is_active() {
            self.sort_matches();
        }
        self.return_to_origin();
        let rows = self.table_rows();
        self.table.follow_selection(rows);
    }
}
