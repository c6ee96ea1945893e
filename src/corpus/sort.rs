//! PLACEHOLDER until the sort module lands: a comparator sort.

use super::{Entries, Entry};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Precedence,
    Date,
    Id,
    Origin,
    Classification,
    Subject,
    Tags,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Precedence,
        Column::Date,
        Column::Id,
        Column::Origin,
        Column::Classification,
        Column::Subject,
        Column::Tags,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Column::Precedence => "precedence",
            Column::Date => "date",
            Column::Id => "id",
            Column::Origin => "origin",
            Column::Classification => "classification",
            Column::Subject => "subject",
            Column::Tags => "tags",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: Column::Precedence,
            descending: false,
        }
    }
}

fn primary(a: &Entry, b: &Entry, column: Column) -> Ordering {
    match column {
        Column::Precedence => a.precedence.cmp(&b.precedence),
        Column::Date => b.date.cmp(&a.date),
        Column::Id => a.id.cmp(&b.id),
        Column::Origin => a.origin.cmp(&b.origin),
        Column::Classification => b.classification.cmp(&a.classification),
        Column::Subject => a.subject.cmp(&b.subject),
        Column::Tags => a.tags.cmp(&b.tags),
    }
}

pub fn sort_indices(entries: &Entries, indices: &mut [u32], sort: Sort) {
    indices.sort_by(|&x, &y| {
        let (a, b) = (&entries[x], &entries[y]);
        let p = primary(a, b, sort.column);
        let p = if sort.descending { p.reverse() } else { p };
        p.then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.id.cmp(&b.id))
    });
}
