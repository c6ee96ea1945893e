//! Filtering and sorting over 20,000 synthetic cables agree with simple, obviously correct
//! implementations written here (SkimMatcherV2 on every subject, plain comparisons, a
//! comparator sort); and the parser never panics and reports spans on char boundaries.

use std::cmp::{Ordering, Reverse};
use std::sync::OnceLock;

use cabletriage::cable::Precedence;
use cabletriage::cable::classification::Level;
use cabletriage::corpus::Entry;
use cabletriage::corpus::query::{
    ClassTest, Cmp, Field, Query, SearchIndex, StoreKind, StoreTerm, TermKind, TextMode, filter,
    filter_indexed, filter_with, parse, relevance_order,
};
use cabletriage::corpus::sort::{Column, Sort, SortIndex, sort_indices};
use cabletriage::synth::{Generator, SynthCable};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use proptest::prelude::*;

const COUNT: usize = 20_000;

/// The corpus, with a few odd entries mixed in: undated, unknown precedence and level,
/// lower-case and accented subjects, duplicate ids, empty subjects and tags.
fn corpus() -> &'static [Entry] {
    static CORPUS: OnceLock<Vec<Entry>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut generator = Generator::new(20_260_401);
        let mut cable = SynthCable::default();
        let mut entries: Vec<Entry> = (0..COUNT as u64)
            .map(|row| {
                generator.next_into(&mut cable);
                cable.entry(row)
            })
            .collect();
        for (k, e) in entries.iter_mut().enumerate().step_by(97) {
            match k % 5 {
                0 => e.date = None,
                1 => {
                    e.precedence = Precedence::Unknown;
                    e.classification.level = Level::Unknown;
                }
                2 => e.subject = e.subject.to_lowercase().replace('e', "é").into(),
                3 => {
                    e.subject = "".into();
                    e.tags = Box::new([]);
                }
                _ => e.id = "08MOSCOW1".into(),
            }
        }
        entries
    })
}

/// What the table would show before any filter: the default sort.
fn table() -> Vec<u32> {
    let entries = corpus();
    let mut idx: Vec<u32> = (0..entries.len() as u32).collect();
    sort_indices(entries, &mut idx, Sort::default());
    idx
}

// ---- the naive evaluation -------------------------------------------------------------

fn urgency(p: Precedence) -> Option<u8> {
    // Higher is more urgent.
    match p {
        Precedence::Flash => Some(4),
        Precedence::NiactImmediate => Some(3),
        Precedence::Immediate => Some(2),
        Precedence::Priority => Some(1),
        Precedence::Routine => Some(0),
        Precedence::Unknown => None,
    }
}

fn holds<T: PartialOrd>(cmp: Cmp, a: T, b: T) -> bool {
    match cmp {
        Cmp::Lt => a < b,
        Cmp::Le => a <= b,
        Cmp::Eq => a == b,
        Cmp::Ge => a >= b,
        Cmp::Gt => a > b,
    }
}

fn lower_ascii(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Term-by-term evaluation of a parsed query in the plainest way.
fn naive_score(q: &Query, e: &Entry, store: &dyn Fn(&StoreTerm, &Entry) -> bool) -> Option<i64> {
    let skim = SkimMatcherV2::default();
    let mut total = 0i64;
    for group in &q.groups {
        let mut best: Option<i64> = None;
        for term in &group.terms {
            let (hit, score) = match &term.kind {
                TermKind::Text(t) => {
                    let (subject, pattern) = if t.case_sensitive {
                        (e.subject.to_string(), t.pattern.clone())
                    } else {
                        (lower_ascii(&e.subject), lower_ascii(&t.pattern))
                    };
                    match t.mode {
                        TextMode::Fuzzy => {
                            let s = skim.fuzzy_match(&e.subject, &t.pattern);
                            (s.is_some(), s.unwrap_or(0))
                        }
                        TextMode::Exact => (subject.contains(&pattern), 0),
                        TextMode::Prefix => (subject.starts_with(&pattern), 0),
                        TextMode::Suffix => (subject.ends_with(&pattern), 0),
                        TextMode::Whole => (subject == pattern, 0),
                    }
                }
                TermKind::Field(f) => {
                    let hit = match f {
                        Field::Tag(t) => e.tags.iter().any(|x| lower_ascii(x) == lower_ascii(t)),
                        Field::Prec(cmp, p) => match (urgency(e.precedence), urgency(*p)) {
                            (Some(a), Some(b)) => holds(*cmp, a, b),
                            (None, None) => *cmp == Cmp::Eq,
                            _ => false,
                        },
                        Field::From(s) => e.origin.to_lowercase().contains(s.as_str()),
                        Field::Class(ClassTest::Noforn) | Field::Noforn => e.classification.noforn,
                        Field::Class(ClassTest::Fouo) => e.classification.fouo,
                        Field::Class(ClassTest::Level(cmp, l)) => {
                            if e.classification.level == Level::Unknown {
                                *cmp == Cmp::Eq && *l == Level::Unknown
                            } else {
                                holds(*cmp, e.classification.level, *l)
                            }
                        }
                        Field::Ref(r) => e
                            .references
                            .iter()
                            .any(|x| lower_ascii(x) == lower_ascii(r)),
                        Field::Date(cmp, range) => match e.date {
                            None => false,
                            Some(d) => match cmp {
                                Cmp::Eq => (range.start..range.end).contains(&d),
                                Cmp::Gt => d >= range.end,
                                Cmp::Ge => d >= range.start,
                                Cmp::Lt => d < range.start,
                                Cmp::Le => d < range.end,
                            },
                        },
                        Field::Id(p) => lower_ascii(&e.id).starts_with(&lower_ascii(p)),
                    };
                    (hit, 0)
                }
                TermKind::Store(s) => (store(s, e), 0),
                // Without the text index, a full-text term filters nothing, negated or not
                // (tests/text_search.rs checks its answers).
                TermKind::FullText(_) => (!term.negated, 0),
                // So does a graph term without the graph (tests/graph_terms.rs and the unit
                // tests of corpus::query::graph check its answers).
                TermKind::Graph(_) => (!term.negated, 0),
            };
            let matched = hit != term.negated;
            if matched {
                let score = if term.negated { 0 } else { score };
                best = Some(best.map_or(score, |b| b.max(score)));
            }
        }
        total += best?;
    }
    Some(total)
}

const QUERIES: &[&str] = &[
    "",
    "i",
    "irq",
    "Iraq",
    "IRAQ",
    "russia",
    "regionalsecu",
    "nuclear talks",
    "'nuclear",
    "'NUCLEAR",
    "^iraq",
    "update$",
    "!^iraq",
    "!the",
    "!'xq",
    "^iraq: the avian influenza outbreak update$",
    "tag:PREL",
    "tag:prel | tag:PGOV",
    "!tag:PREL",
    "prec:flash",
    "prec:>=immediate",
    "prec:<priority",
    "prec:<=routine",
    "prec:unknown",
    "from:moscow",
    "from:EMBASSY",
    "class:secret",
    "class:>=confidential",
    "class:<confidential",
    "class:unknown",
    "class:fouo",
    "noforn",
    "!noforn class:c",
    "date:2008",
    "date:2008-04",
    "date:2008-04-15",
    "date:>2008-01-01",
    "date:<=2009",
    "date:<1990 | date:>=2010",
    "!date:2008",
    "id:08moscow",
    "id:08MOSCOW1",
    "tag:PREL russia",
    "prec:<=immediate date:2008 iran",
    "é",
    "'é",
    "russia | iran | iraq",
    "tag:PREL | irq",
    "is:follow-up",
    "!is:follow-up tag:PREL",
    "mytag:x | tag:ECON",
];

/// A store that has every seventh entry (by row) marked follow-up.
fn store(s: &StoreTerm, e: &Entry) -> bool {
    s.kind == StoreKind::Is && s.value == "follow-up" && e.location.row % 7 == 0
}

#[test]
fn filtering_agrees_with_naive_evaluation() {
    let entries = corpus();
    let table = table();
    let search = &SearchIndex::new(entries);
    // A sparse candidate list (a previous result) takes the other code path.
    let sparse: Vec<u32> = table.iter().copied().filter(|i| i % 11 == 0).collect();
    let mut queries: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    // A reference some cable cites.
    if let Some(r) = entries.iter().find_map(|e| e.references.first()) {
        queries.push(format!("ref:{r}"));
        queries.push(format!("ref:{}", r.to_lowercase()));
    }
    for q in &queries {
        let (query, errors) = parse(q);
        assert!(errors.is_empty(), "{q}: {errors:?}");
        for candidates in [&table, &sparse] {
            let got = filter_with(entries, candidates, &query, &store, &|| false);
            let got = got.unwrap_or_default();
            let mut want = (Vec::new(), Vec::new());
            for &i in candidates {
                if let Some(s) = naive_score(&query, &entries[i as usize], &store) {
                    want.0.push(i);
                    want.1.push(s);
                }
            }
            assert_eq!(got.indices, want.0, "{q}");
            assert_eq!(got.scores, want.1, "{q}");
            let indexed =
                filter_indexed(entries, Some(search), candidates, &query, &store, &|| false);
            assert_eq!(indexed.as_ref(), Some(&got), "{q} with SearchIndex");
            // Query::matches says the same, entry by entry.
            for (&i, &s) in got.indices.iter().zip(&got.scores).take(200) {
                let m = query.matches_with(&entries[i as usize], &store);
                assert_eq!(m.map(|m| m.score), Some(s), "{q}");
            }
        }
    }
}

#[test]
fn field_terms_select_what_they_say() {
    // A few queries checked against predicates written straight from their meaning, not from
    // the parsed query, so a parser mistake cannot hide in both sides.
    let entries = corpus();
    let all: Vec<u32> = (0..entries.len() as u32).collect();
    let ts = |y: i32, m: u32, d: u32| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc().timestamp())
            .unwrap_or_default()
    };
    type Pred = Box<dyn Fn(&Entry) -> bool>;
    let cases: Vec<(&str, Pred)> = vec![
        (
            "prec:>=immediate",
            Box::new(|e| {
                matches!(
                    e.precedence,
                    Precedence::Flash | Precedence::NiactImmediate | Precedence::Immediate
                )
            }),
        ),
        (
            "tag:PREL | tag:PGOV",
            Box::new(|e| e.tags.iter().any(|t| &**t == "PREL" || &**t == "PGOV")),
        ),
        (
            "class:>=confidential",
            Box::new(|e| {
                matches!(
                    e.classification.level,
                    Level::Confidential | Level::Secret | Level::TopSecret
                )
            }),
        ),
        (
            "date:2008-04",
            Box::new(move |e| {
                e.date
                    .is_some_and(|d| d >= ts(2008, 4, 1) && d < ts(2008, 5, 1))
            }),
        ),
        (
            "date:>2008-01-01",
            Box::new(move |e| e.date.is_some_and(|d| d >= ts(2008, 1, 2))),
        ),
        (
            "date:<=2009",
            Box::new(move |e| e.date.is_some_and(|d| d < ts(2010, 1, 1))),
        ),
        ("from:moscow", Box::new(|e| e.origin.contains("Moscow"))),
        ("id:08MOSCOW", Box::new(|e| e.id.starts_with("08MOSCOW"))),
        ("noforn", Box::new(|e| e.classification.noforn)),
        ("'NUCLEAR", Box::new(|e| e.subject.contains("NUCLEAR"))),
    ];
    for (q, pred) in cases {
        let (query, errors) = parse(q);
        assert!(errors.is_empty(), "{q}");
        let got = filter(entries, &all, &query, &|| false).unwrap_or_default();
        let want: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&i| pred(&entries[i as usize]))
            .collect();
        assert!(!want.is_empty(), "{q} selects nothing: a useless check");
        assert_eq!(got.indices, want, "{q}");
    }
}

#[test]
fn relevance_order_sorts_scores_and_keeps_table_order_on_ties() {
    let entries = corpus();
    let (query, _) = parse("irq");
    let got = filter(entries, &table(), &query, &|| false).unwrap_or_default();
    let mut ordered = got.clone();
    relevance_order(&mut ordered);
    let mut want: Vec<(usize, u32, i64)> = got
        .indices
        .iter()
        .zip(&got.scores)
        .enumerate()
        .map(|(pos, (&i, &s))| (pos, i, s))
        .collect();
    want.sort_by_key(|&(pos, _, s)| (Reverse(s), pos));
    assert_eq!(
        ordered.indices,
        want.iter().map(|w| w.1).collect::<Vec<_>>()
    );
    assert_eq!(ordered.scores, want.iter().map(|w| w.2).collect::<Vec<_>>());
}

#[test]
fn highlight_marks_the_fuzzy_positions() {
    let entries = corpus();
    let skim = SkimMatcherV2::default();
    let (query, _) = parse("irq");
    for e in entries.iter().take(2000) {
        let want = skim
            .fuzzy_indices(&e.subject, "irq")
            .map(|(_, idx)| idx)
            .unwrap_or_default();
        assert_eq!(query.highlight(&e.subject), want, "{}", e.subject);
    }
}

// ---- sorting ---------------------------------------------------------------------------

/// How the ID column orders ids, written plainly: `YY` + letters + 1 to 9 digits is a cable
/// id, ordered by year (66-99 are the 1900s), station ignoring case, serial as a number;
/// anything else comes after, as lower-cased text.
fn naive_id_cmp(x: &str, y: &str) -> Ordering {
    fn parts(id: &str) -> Option<(u32, String, u64)> {
        let yy: u32 = id.get(..2)?.parse().ok()?;
        if !id[..2].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let rest = &id[2..];
        let station: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
        let serial = &rest[station.len()..];
        let digits = serial.trim_start_matches('0');
        if station.is_empty()
            || serial.is_empty()
            || digits.len() > 9
            || !serial.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let year = if yy >= 66 { 1900 + yy } else { 2000 + yy };
        Some((
            year,
            station.to_ascii_lowercase(),
            digits.parse().unwrap_or(0),
        ))
    }
    match (parts(x), parts(y)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
    }
}

/// The comparator test below covers the turn of the century: ids of both are in the corpus.
#[test]
fn the_corpus_has_ids_of_both_centuries() {
    let years = |pick: fn(u8) -> bool| {
        corpus()
            .iter()
            .filter(|e| e.id.as_bytes().first().is_some_and(|&b| pick(b)))
            .count()
    };
    assert!(years(|b| (b'6'..=b'9').contains(&b)) > 0);
    assert!(years(|b| b == b'0' || b == b'1') > 0);
}

fn naive_cmp(entries: &[Entry], sort: Sort, a: u32, b: u32) -> Ordering {
    let (x, y) = (&entries[a as usize], &entries[b as usize]);
    let folded = |s: &str| s.to_ascii_lowercase();
    let tags = |e: &Entry| -> Vec<String> { e.tags.iter().map(|t| folded(t)).collect() };
    let by_column = match sort.column {
        Column::Precedence => x.precedence.cmp(&y.precedence),
        Column::Classification => x.classification.cmp(&y.classification),
        Column::Id => naive_id_cmp(&x.id, &y.id),
        Column::Origin => folded(&x.origin).cmp(&folded(&y.origin)),
        Column::Subject => folded(&x.subject).cmp(&folded(&y.subject)),
        Column::Tags => tags(x).cmp(&tags(y)),
        Column::Date => match (x.date, y.date) {
            (Some(p), Some(q)) => {
                let o = p.cmp(&q);
                if sort.descending { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    };
    let by_column = if sort.descending && sort.column != Column::Date {
        by_column.reverse()
    } else {
        by_column
    };
    let newest = match (x.date, y.date) {
        (Some(p), Some(q)) => q.cmp(&p),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_column.then(newest).then(x.id.cmp(&y.id)).then(a.cmp(&b))
}

#[test]
fn sorting_agrees_with_a_comparator_sort() {
    let entries = corpus();
    let index = SortIndex::new(entries);
    let everything: Vec<u32> = (0..entries.len() as u32).rev().collect();
    // A filtered view (sparse) takes the other code path.
    let view: Vec<u32> = everything.iter().copied().filter(|i| i % 13 == 0).collect();
    for column in Column::ALL {
        for descending in [false, true] {
            let sort = Sort { column, descending };
            for start in [&everything, &view] {
                let mut want = start.clone();
                want.sort_by(|&a, &b| naive_cmp(entries, sort, a, b));
                let mut got = start.clone();
                sort_indices(entries, &mut got, sort);
                assert_eq!(got, want, "{sort:?}");
                let mut with_index = start.clone();
                index.sort(&mut with_index, sort);
                assert_eq!(with_index, want, "{sort:?} with SortIndex");
            }
        }
    }
}

// ---- the parser on any input -----------------------------------------------------------

fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("tag:".to_string()),
        Just("prec:".to_string()),
        Just("date:".to_string()),
        Just("class:".to_string()),
        Just("|".to_string()),
        Just("!".to_string()),
        Just("'".to_string()),
        Just("^".to_string()),
        Just("$".to_string()),
        Just("\\".to_string()),
        Just(" ".to_string()),
        Just(">=".to_string()),
        Just("é".to_string()),
        Just("2008-04".to_string()),
        "[a-zA-Z0-9]{0,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn parse_never_panics_and_spans_are_char_boundaries(input in query_text()) {
        let (query, errors) = parse(&input);
        for e in &errors {
            prop_assert!(e.span.start < e.span.end && e.span.end <= input.len());
            prop_assert!(input.is_char_boundary(e.span.start));
            prop_assert!(input.is_char_boundary(e.span.end));
            prop_assert_eq!(&input[e.span.clone()], e.term.as_str());
        }
        for t in query.terms() {
            prop_assert!(input.is_char_boundary(t.span.start) && input.is_char_boundary(t.span.end));
            prop_assert!(t.span.end <= input.len());
        }
        // Evaluating whatever came out never panics either.
        let entries = &corpus()[..50];
        for e in entries {
            let _ = query.matches(e);
            let _ = query.highlight(&e.subject);
        }
    }

    #[test]
    fn parse_never_panics_on_arbitrary_strings(input in any::<String>()) {
        let (_, errors) = parse(&input);
        for e in &errors {
            prop_assert!(input.is_char_boundary(e.span.start) && input.is_char_boundary(e.span.end));
        }
    }
}
