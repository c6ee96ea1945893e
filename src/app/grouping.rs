//! Grouping the table by thread, like mail threads: each thread's earliest cable first, its
//! followers indented under it, threads ordered by the table's sort applied to their latest
//! cable. With a filter, every thread holding a match is shown whole, its other cables as
//! context (drawn dimmed). A folded thread shows its first row alone, with its row count.
//! Part of [`App::update`].
//!
//! The rows shown are computed from `table.listed` by [`App::regroup`], the one place they
//! are set, so sorting, filtering, loading and records changing all keep the grouping.
//! Folds are kept by thread number; while the graph is rebuilt (files read again) they are
//! kept by the id of each thread's first cable, and each goes back to that cable's thread.

use std::sync::Arc;

use super::{Action, App, Level, plural};
use crate::corpus::graph::RefGraph;

impl App {
    /// Shows `table.listed`: as it is, or grouped by thread when grouping is on and the
    /// graph is built. A cursor's cable folded away gives way to its thread's first row.
    pub(super) fn regroup(&mut self) {
        let graph = self
            .indexes
            .as_ref()
            .filter(|_| self.table.grouping.on)
            .map(|ix| Arc::clone(&ix.graph));
        let Some(graph) = graph else {
            self.table.set_shown(self.table.listed.clone());
            self.table.grouping.rows = Vec::new();
            self.table.grouping.threads = 0;
            return;
        };
        // A thread's place: the table's sort applied to its latest cable.
        let mut rank = vec![u32::MAX; self.corpus.len()];
        for (position, &entry) in self.table.order.iter().enumerate() {
            if let Some(r) = rank.get_mut(entry as usize) {
                *r = position as u32;
            }
        }
        let grouping = &self.table.grouping;
        let rows = graph.threads.group(
            &self.table.listed,
            &|entry| rank.get(entry as usize).copied().unwrap_or(u32::MAX),
            &|thread| grouping.is_folded(thread),
            self.filter.is_active(),
        );
        self.table.set_shown(rows.iter().map(|r| r.entry).collect());
        self.table.grouping.threads = rows.iter().filter(|r| r.thread_rows > 0).count();
        self.table.grouping.rows = rows;
        if let Some(selected) = self.table.selected
            && let Some(head) = thread_head(&graph, selected)
            && head != selected
            && !self.table.shown.contains(&selected)
            && self.table.shown.contains(&head)
        {
            self.table.selected = Some(head);
        }
    }

    /// [`App::regroup`], then the cursor back on its cable.
    pub(super) fn show_listed(&mut self) {
        self.regroup();
        let rows = self.table_rows();
        self.table.follow_selection(rows);
    }

    /// The grouping actions of the table.
    pub(super) fn act_grouping(&mut self, action: Action) {
        // Acting places the cursor: it keeps its cable from now on.
        self.table.placed = true;
        match action {
            Action::ToggleThreads => self.toggle_threads(),
            Action::FoldThread => self.fold_thread(true),
            Action::UnfoldThread => self.fold_thread(false),
            Action::FoldAllThreads => self.fold_all_threads(true),
            Action::UnfoldAllThreads => self.fold_all_threads(false),
            _ => {}
        }
    }

    fn toggle_threads(&mut self) {
        let grouping = &self.table.grouping;
        if grouping.applied() && grouping.row(self.table.cursor).is_some_and(|r| !r.matched) {
            // A context row is not listed without threads: the nearest match of the list
            // above it (else below) takes the cursor.
            let rows = &grouping.rows;
            let cursor = self.table.cursor;
            let above = rows[..cursor].iter().rev().find(|r| r.matched);
            let below = rows[cursor..].iter().find(|r| r.matched);
            if let Some(r) = above.or(below) {
                self.table.selected = Some(r.entry);
            }
        }
        self.table.grouping.on = !self.table.grouping.on;
        self.show_listed();
        let text = if !self.table.grouping.on {
            "rows no longer grouped by thread".to_string()
        } else if self.graph().is_none() {
            "rows are grouped by thread once the reference graph is built".to_string()
        } else {
            let n = self.table.grouping.threads;
            format!("grouped by thread: {n} thread{}", plural(n))
        };
        self.say(text, Level::Info);
    }

    /// Why the rows cannot be folded now, if they cannot.
    fn cannot_fold(&self) -> Option<&'static str> {
        if !self.table.grouping.on {
            Some("rows are not grouped by thread: toggle-threads groups them")
        } else if self.graph().is_none() {
            Some("threads can be folded once the reference graph is built")
        } else {
            None
        }
    }

    fn fold_thread(&mut self, fold: bool) {
        if let Some(why) = self.cannot_fold() {
            self.say(why, Level::Info);
            return;
        }
        let Some(graph) = self.indexes.as_ref().map(|ix| Arc::clone(&ix.graph)) else {
            return;
        };
        let Some(entry) = self.table.current() else {
            return;
        };
        let Some(thread) = graph.threads.thread_of(entry) else {
            self.say("this cable is in no thread yet", Level::Info);
            return;
        };
        let members = graph.threads.members(thread);
        if members.len() < 2 {
            self.say("this cable is alone in its thread", Level::Info);
            return;
        }
        let grouping = &mut self.table.grouping;
        if grouping.is_folded(thread) == fold {
            let already = if fold { "folded" } else { "unfolded" };
            self.say(format!("this thread is already {already}"), Level::Info);
            return;
        }
        if !grouping.toggled.remove(&thread) {
            grouping.toggled.insert(thread);
        }
        if fold {
            self.table.selected = members.first().copied();
        }
        self.show_listed();
    }

    fn fold_all_threads(&mut self, fold: bool) {
        if let Some(why) = self.cannot_fold() {
            self.say(why, Level::Info);
            return;
        }
        let grouping = &mut self.table.grouping;
        grouping.all_folded = fold;
        grouping.toggled.clear();
        self.show_listed();
        let n = self.table.grouping.threads;
        let done = if fold { "folded" } else { "unfolded" };
        self.say(format!("{n} thread{} {done}", plural(n)), Level::Info);
    }

    /// Before the graph goes: the folded threads by the id of their first cable.
    pub(super) fn park_folds(&mut self) {
        let Some(graph) = self.graph() else {
            return;
        };
        let ids: Vec<Box<str>> = (self.table.grouping.toggled.iter())
            .filter_map(|&t| graph.threads.members(t).first())
            .filter_map(|&head| self.corpus.get(head))
            .map(|e| e.id.clone())
            .collect();
        self.table.grouping.toggled_ids.extend(ids);
        self.table.grouping.toggled.clear();
    }

    /// A new graph is in: the folds parked by id go back to their cables' threads, and the
    /// rows are grouped anew.
    pub(super) fn graph_changed(&mut self) {
        let ids = std::mem::take(&mut self.table.grouping.toggled_ids);
        if let Some(graph) = self.graph() {
            let threads: Vec<u32> = (ids.iter())
                .filter_map(|id| self.corpus.find_id(id))
                .filter_map(|entry| graph.threads.thread_of(entry))
                .collect();
            self.table.grouping.toggled.extend(threads);
        }
        if self.table.grouping.on {
            self.show_listed();
        }
    }
}

/// The first cable of an entry's thread.
fn thread_head(graph: &RefGraph, entry: u32) -> Option<u32> {
    let thread = graph.threads.thread_of(entry)?;
    graph.threads.members(thread).first().copied()
}
