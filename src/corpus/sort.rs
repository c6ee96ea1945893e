//! Sorting the table: a view of the corpus is a list of entry indices, ordered here.
//!
//! Every order is total, so the result never depends on the order the indices came in: the
//! chosen column first (ascending or descending), then the date, newest first, then the id,
//! then the entry index (duplicate ids exist). Cables without a date come after dated ones,
//! whatever the direction. String columns compare bytes with ASCII letters folded to lower
//! case; tags compare as a list (first tag, then the second, ...).
//!
//! Speed (the table re-sorts 250,000 rows on a key press): a comparator reaching into
//! `Entry` structs is cache-unfriendly, so each row becomes a `(u64 key, u32 index)` pair and
//! those are sorted as plain integers:
//! - precedence and classification pack the column's rank above the date, so one integer
//!   sort gives the full order;
//! - origin and tags have few distinct values: each distinct value gets a rank (a hash map,
//!   then a sort of the distinct values only), packed above the date the same way;
//! - id and subject are nearly unique: they are sorted by their first 8 bytes as an integer,
//!   then each run of equal prefixes by its next 8 bytes, and so on (a most-significant-digit
//!   radix with 8-byte digits); runs are short after one or two rounds.
//!
//! The few rows whose keys still tie (same column value and same minute) are put in id order
//! by a final pass over the runs of equal keys.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::corpus::Entry;

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// The name used in settings and commands (`sort date`).
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

    /// The column header.
    pub fn title(self) -> &'static str {
        match self {
            Column::Precedence => "Prec",
            Column::Date => "Date",
            Column::Id => "Id",
            Column::Origin => "Origin",
            Column::Classification => "Class",
            Column::Subject => "Subject",
            Column::Tags => "Tags",
        }
    }

    /// A column by name, ignoring case; `prec` and `class` are accepted too.
    pub fn from_name(name: &str) -> Option<Column> {
        let n = name.trim().to_ascii_lowercase();
        match n.as_str() {
            "prec" => return Some(Column::Precedence),
            "class" => return Some(Column::Classification),
            _ => {}
        }
        Column::ALL.into_iter().find(|c| c.name() == n)
    }
}

/// How the table is ordered. Ascending precedence is most urgent first; ascending
/// classification is least restricted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    /// Most urgent first, then newest.
    fn default() -> Self {
        Sort {
            column: Column::Precedence,
            descending: false,
        }
    }
}

/// Bits of a key holding the date; the column's rank sits above them.
const DATE_BITS: u32 = 46;
/// Dates are clamped to ±2^44 seconds (±557,000 years; chrono's range is smaller).
const DATE_OFFSET: i64 = 1 << 44;
/// The date part for "no date": after every real date.
const NO_DATE: u64 = 1 << 45;
/// The most distinct values a rank can number within a 64-bit key.
const MAX_RANKS: usize = 1 << (64 - DATE_BITS);
/// Past this many bytes of equal prefix, the radix gives way to a plain comparison.
const MAX_RADIX_BYTES: usize = 1024;

/// Orders `indices` (into `entries`) by `sort`. Indices outside `entries` go last, in index
/// order.
pub fn sort_indices(entries: &[Entry], indices: &mut [u32], sort: Sort) {
    let mut items: Vec<(u64, u32)> = Vec::with_capacity(indices.len());
    match sort.column {
        Column::Precedence | Column::Classification | Column::Date => {
            items.extend(indices.iter().map(|&i| {
                let key = entries
                    .get(i as usize)
                    .map_or(u64::MAX, |e| packed_key(e, sort));
                (key, i)
            }));
            sort_keys_then_ids(&mut items, entries);
        }
        Column::Origin | Column::Tags => {
            if !sort_by_rank(&mut items, entries, indices, sort) {
                radix_sort(&mut items, entries, indices, sort);
            }
        }
        Column::Id | Column::Subject => radix_sort(&mut items, entries, indices, sort),
    }
    for (slot, item) in indices.iter_mut().zip(&items) {
        *slot = item.1;
    }
}

/// The date part of a key: newest first, undated last.
fn newest_first(date: Option<i64>) -> u64 {
    match date {
        Some(d) => (NO_DATE - 1) - oldest_first_some(d),
        None => NO_DATE,
    }
}

fn oldest_first_some(d: i64) -> u64 {
    (d.clamp(-DATE_OFFSET, DATE_OFFSET - 1) + DATE_OFFSET) as u64
}

fn packed_key(e: &Entry, sort: Sort) -> u64 {
    let (rank, max) = match sort.column {
        Column::Precedence => (e.precedence as u64, 5),
        Column::Classification => {
            let c = e.classification;
            (
                (c.level as u64) << 2 | (c.noforn as u64) << 1 | c.fouo as u64,
                19,
            )
        }
        // The date is the column itself: only undated entries stay last either way.
        _ => {
            return match (e.date, sort.descending) {
                (None, _) => NO_DATE,
                (Some(_), true) => newest_first(e.date),
                (Some(d), false) => oldest_first_some(d),
            };
        }
    };
    let rank = if sort.descending { max - rank } else { rank };
    rank << DATE_BITS | newest_first(e.date)
}

/// Sorts by key, then within runs of equal keys by id, then index.
fn sort_keys_then_ids(items: &mut [(u64, u32)], entries: &[Entry]) {
    // Tuples compare by key, then index, so the integer sort alone is already total; ids
    // only need fixing where keys tie.
    items.sort_unstable();
    for_each_run(items, |run| {
        run.sort_unstable_by(|a, b| {
            id_of(entries, a.1)
                .cmp(id_of(entries, b.1))
                .then(a.1.cmp(&b.1))
        });
    });
}

fn id_of(entries: &[Entry], i: u32) -> &[u8] {
    entries.get(i as usize).map_or(&[], |e| e.id.as_bytes())
}

/// Calls `f` on every run of two or more items with equal keys.
fn for_each_run(items: &mut [(u64, u32)], mut f: impl FnMut(&mut [(u64, u32)])) {
    let mut start = 0;
    while start < items.len() {
        let key = items[start].0;
        let end = start + items[start..].iter().take_while(|x| x.0 == key).count();
        if end - start > 1 {
            f(&mut items[start..end]);
        }
        start = end;
    }
}

/// A string column's value as compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Value<'a> {
    Str(&'a str),
    Tags(&'a [Box<str>]),
}

impl<'a> Value<'a> {
    fn of(e: &'a Entry, column: Column) -> Value<'a> {
        match column {
            Column::Tags => Value::Tags(&e.tags),
            Column::Id => Value::Str(&e.id),
            Column::Origin => Value::Str(&e.origin),
            _ => Value::Str(&e.subject),
        }
    }

    /// The bytes compared: ASCII folded; tags joined by 0x01, which sorts before any
    /// printable byte, so a list that is a prefix of another comes first.
    fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        let (s, tags): (&'a str, &'a [Box<str>]) = match self {
            Value::Str(s) => (s, &[]),
            Value::Tags(t) => ("", t),
        };
        let joined = tags
            .iter()
            .enumerate()
            .flat_map(|(i, t)| (i > 0).then_some(1u8).into_iter().chain(t.bytes()));
        s.bytes().chain(joined).map(|b| b.to_ascii_lowercase())
    }

    fn len(self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::Tags(t) => t
                .iter()
                .map(|t| t.len() + 1)
                .sum::<usize>()
                .saturating_sub(1),
        }
    }

    /// Eight bytes from `offset` as a big-endian integer, zero-padded: integers then compare
    /// as the bytes do.
    fn digit(self, offset: usize) -> u64 {
        let mut buf = [0u8; 8];
        match self {
            Value::Str(s) => {
                let b = s.as_bytes().get(offset..).unwrap_or_default();
                for (slot, &x) in buf.iter_mut().zip(b) {
                    *slot = x.to_ascii_lowercase();
                }
            }
            Value::Tags(_) => {
                for (slot, x) in buf.iter_mut().zip(self.bytes().skip(offset)) {
                    *slot = x;
                }
            }
        }
        u64::from_be_bytes(buf)
    }
}

/// Ranks distinct values and sorts by (rank, date) keys. False (nothing done) when there are
/// too many distinct values for a rank to fit in a key.
fn sort_by_rank(
    items: &mut Vec<(u64, u32)>,
    entries: &[Entry],
    indices: &[u32],
    sort: Sort,
) -> bool {
    let mut distinct: HashMap<Value<'_>, u32, BuildHasherDefault<Fnv>> = HashMap::default();
    let mut slots: Vec<u32> = Vec::with_capacity(indices.len());
    for &i in indices {
        let slot = match entries.get(i as usize) {
            Some(e) => {
                let n = distinct.len() as u32;
                *distinct.entry(Value::of(e, sort.column)).or_insert(n)
            }
            None => u32::MAX,
        };
        if distinct.len() > MAX_RANKS - 2 {
            return false;
        }
        slots.push(slot);
    }
    let mut values: Vec<(Value<'_>, u32)> = distinct.into_iter().collect();
    values.sort_unstable_by(|a, b| a.0.bytes().cmp(b.0.bytes()));
    // Values equal once folded share a rank.
    let mut rank_of_slot = vec![0u64; values.len()];
    let mut rank = 0u64;
    for k in 0..values.len() {
        if k > 0 && values[k - 1].0.bytes().ne(values[k].0.bytes()) {
            rank += 1;
        }
        rank_of_slot[values[k].1 as usize] = rank;
    }
    let top = rank;
    items.extend(indices.iter().zip(&slots).map(|(&i, &slot)| {
        let key = match (entries.get(i as usize), rank_of_slot.get(slot as usize)) {
            (Some(e), Some(&r)) => {
                let r = if sort.descending { top - r } else { r };
                r << DATE_BITS | newest_first(e.date)
            }
            _ => u64::MAX,
        };
        (key, i)
    }));
    sort_keys_then_ids(items, entries);
    true
}

fn radix_sort(items: &mut Vec<(u64, u32)>, entries: &[Entry], indices: &[u32], sort: Sort) {
    items.clear();
    items.extend(indices.iter().map(|&i| (0, i)));
    radix_round(items, entries, sort, 0);
}

/// Sorts `items` (whose values agree on their first `offset` bytes) by the next 8 bytes,
/// then each run that still agrees by the following 8, and the runs whose values are equal
/// by date and id.
fn radix_round(items: &mut [(u64, u32)], entries: &[Entry], sort: Sort, offset: usize) {
    for item in items.iter_mut() {
        item.0 = match entries.get(item.1 as usize) {
            Some(e) => {
                let d = Value::of(e, sort.column).digit(offset);
                if sort.descending { !d } else { d }
            }
            // After everything, whichever the direction.
            None => u64::MAX,
        };
    }
    items.sort_unstable();
    for_each_run(items, |run| {
        let longer = run.iter().any(|x| {
            entries
                .get(x.1 as usize)
                .is_some_and(|e| Value::of(e, sort.column).len() > offset + 8)
        });
        if !longer {
            // Equal values (or all missing): order by date, newest first, then id.
            for item in run.iter_mut() {
                item.0 = entries
                    .get(item.1 as usize)
                    .map_or(u64::MAX, |e| newest_first(e.date));
            }
            sort_keys_then_ids(run, entries);
        } else if offset + 8 >= MAX_RADIX_BYTES {
            compare_sort(run, entries, sort);
        } else {
            radix_round(run, entries, sort, offset + 8);
        }
    });
}

/// The plain comparator sort, for values sharing a very long prefix.
fn compare_sort(items: &mut [(u64, u32)], entries: &[Entry], sort: Sort) {
    items.sort_unstable_by(|a, b| {
        match (entries.get(a.1 as usize), entries.get(b.1 as usize)) {
            (Some(x), Some(y)) => {
                let by_value = Value::of(x, sort.column)
                    .bytes()
                    .cmp(Value::of(y, sort.column).bytes());
                let by_value = if sort.descending {
                    by_value.reverse()
                } else {
                    by_value
                };
                by_value
                    .then(newest_first(x.date).cmp(&newest_first(y.date)))
                    .then(x.id.cmp(&y.id))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(a.1.cmp(&b.1))
    });
}

/// FNV-1a: the distinct-value map hashes short strings a quarter of a million times, where
/// SipHash's DoS resistance buys nothing (the values are the user's own corpus).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cable::classification::Level;
    use crate::cable::{Classification, Precedence};
    use crate::corpus::Location;

    fn e(
        id: &str,
        date: Option<i64>,
        prec: Precedence,
        origin: &str,
        subject: &str,
        tags: &[&str],
    ) -> Entry {
        Entry {
            id: id.into(),
            date,
            precedence: prec,
            classification: Classification::new(Level::Confidential),
            origin: origin.into(),
            subject: subject.into(),
            tags: tags.iter().map(|t| (*t).into()).collect(),
            references: Box::new([]),
            caveats: Box::new([]),
            location: Location {
                file: 0,
                row: 0,
                offset: 0,
            },
        }
    }

    fn ids(entries: &[Entry], sort: Sort) -> Vec<String> {
        let mut idx: Vec<u32> = (0..entries.len() as u32).collect();
        sort_indices(entries, &mut idx, sort);
        // The order must not depend on the order given.
        let mut rev: Vec<u32> = (0..entries.len() as u32).rev().collect();
        sort_indices(entries, &mut rev, sort);
        assert_eq!(idx, rev, "{sort:?}");
        idx.iter()
            .map(|&i| entries[i as usize].id.to_string())
            .collect()
    }

    fn sort(column: Column, descending: bool) -> Sort {
        Sort { column, descending }
    }

    use Precedence::*;

    fn sample() -> Vec<Entry> {
        vec![
            e(
                "A",
                Some(100),
                Routine,
                "Embassy Paris",
                "oil prices",
                &["PREL", "FR"],
            ),
            e(
                "B",
                Some(300),
                Flash,
                "Embassy Moscow",
                "Gas talks",
                &["ENRG"],
            ),
            e(
                "C",
                Some(200),
                Routine,
                "embassy paris",
                "OIL PRICES",
                &["PREL"],
            ),
            e("D", None, Flash, "Embassy Bern", "banks", &[]),
            e(
                "E",
                Some(300),
                Flash,
                "Embassy Bern",
                "banks",
                &["PREL", "FR"],
            ),
            e("F", Some(300), Unknown, "Embassy Bern", "zebra", &["ECON"]),
        ]
    }

    #[test]
    fn default_is_most_urgent_then_newest() {
        assert_eq!(Sort::default(), sort(Column::Precedence, false));
        // B and E tie on precedence and date: id decides. D has no date: last of the FLASH.
        assert_eq!(
            ids(&sample(), Sort::default()),
            ["B", "E", "D", "C", "A", "F"]
        );
    }

    #[test]
    fn descending_reverses_the_column_but_not_the_tie_breaks() {
        assert_eq!(
            ids(&sample(), sort(Column::Precedence, true)),
            ["F", "C", "A", "B", "E", "D"]
        );
    }

    #[test]
    fn date_column_keeps_undated_last() {
        assert_eq!(
            ids(&sample(), sort(Column::Date, false)),
            ["A", "C", "B", "E", "F", "D"]
        );
        assert_eq!(
            ids(&sample(), sort(Column::Date, true)),
            ["B", "E", "F", "C", "A", "D"]
        );
    }

    #[test]
    fn strings_ignore_ascii_case_and_tie_on_date() {
        // "embassy paris" equals "Embassy Paris": C is newer.
        assert_eq!(
            ids(&sample(), sort(Column::Origin, false)),
            ["E", "F", "D", "B", "C", "A"]
        );
        assert_eq!(
            ids(&sample(), sort(Column::Origin, true)),
            ["C", "A", "B", "E", "F", "D"]
        );
        assert_eq!(
            ids(&sample(), sort(Column::Subject, false)),
            ["E", "D", "B", "C", "A", "F"]
        );
        assert_eq!(
            ids(&sample(), sort(Column::Subject, true)),
            ["F", "C", "A", "B", "E", "D"]
        );
        assert_eq!(
            ids(&sample(), sort(Column::Id, true)),
            ["F", "E", "D", "C", "B", "A"]
        );
    }

    #[test]
    fn tags_compare_as_lists() {
        // [] < [ECON] < [ENRG] < [PREL] < [PREL, FR]
        assert_eq!(
            ids(&sample(), sort(Column::Tags, false)),
            ["D", "F", "B", "C", "E", "A"]
        );
        assert_eq!(
            ids(&sample(), sort(Column::Tags, true)),
            ["E", "A", "C", "B", "F", "D"]
        );
    }

    #[test]
    fn classification_orders_level_then_markings() {
        let mut v = sample();
        v[0].classification = Classification::new(Level::Secret);
        v[1].classification.noforn = true;
        v[2].classification = Classification::new(Level::Unclassified);
        assert_eq!(
            ids(&v, sort(Column::Classification, false)),
            ["C", "E", "F", "D", "B", "A"]
        );
        assert_eq!(
            ids(&v, sort(Column::Classification, true)),
            ["A", "B", "E", "F", "D", "C"]
        );
    }

    #[test]
    fn duplicates_fall_back_to_index_and_long_shared_prefixes_sort() {
        let long = "x".repeat(3000);
        let mut v: Vec<Entry> = (0..6)
            .map(|i| {
                e(
                    "SAME",
                    Some(5),
                    Routine,
                    "o",
                    &format!("{long}{}", 5 - i),
                    &[],
                )
            })
            .collect();
        v.push(e("SAME", Some(5), Routine, "o", "a", &[]));
        let mut idx: Vec<u32> = (0..7).rev().collect();
        sort_indices(&v, &mut idx, sort(Column::Subject, false));
        assert_eq!(idx, [6, 5, 4, 3, 2, 1, 0]);
        let mut idx: Vec<u32> = (0..7).rev().collect();
        sort_indices(&v, &mut idx, sort(Column::Origin, false));
        assert_eq!(idx, [0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn out_of_range_indices_go_last() {
        for column in Column::ALL {
            let v = sample();
            let mut idx = vec![99, 0, 42, 1];
            sort_indices(&v, &mut idx, sort(column, false));
            assert_eq!(&idx[2..], [42, 99], "{column:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for c in Column::ALL {
            assert_eq!(Column::from_name(c.name()), Some(c));
            assert_eq!(Column::from_name(&c.name().to_uppercase()), Some(c));
        }
        assert_eq!(Column::from_name("prec"), Some(Column::Precedence));
        assert_eq!(Column::from_name("nope"), None);
    }
}
