//! PLACEHOLDER until the query module lands: substring match on the subject.

use super::{Entries, Entry};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub term: String,
    pub span: std::ops::Range<usize>,
    pub message: String,
}

pub fn parse(input: &str) -> (Query, Vec<QueryError>) {
    (
        Query {
            text: input.trim().to_lowercase(),
        },
        Vec::new(),
    )
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
    pub fn matches(&self, entry: &Entry) -> Option<i64> {
        entry
            .subject
            .to_lowercase()
            .contains(&self.text)
            .then_some(0)
    }
    pub fn highlight(&self, _subject: &str) -> Vec<usize> {
        Vec::new()
    }
}

#[derive(Debug, Clone, Default)]
pub struct FilterResult {
    pub indices: Vec<u32>,
    pub scores: Vec<i64>,
}

pub fn filter(
    entries: &Entries,
    candidates: &[u32],
    query: &Query,
    cancel: &dyn Fn() -> bool,
) -> Option<FilterResult> {
    let mut out = FilterResult {
        indices: Vec::new(),
        scores: Vec::new(),
    };
    for (n, &i) in candidates.iter().enumerate() {
        if n % 4096 == 0 && cancel() {
            return None;
        }
        if let Some(s) = query.matches(&entries[i]) {
            out.indices.push(i);
            out.scores.push(s);
        }
    }
    Some(out)
}
