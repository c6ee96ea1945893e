//! The parsed form of a query.
//!
//! A [`Query`] is an AND of [`Group`]s; a group is an OR of [`Term`]s (`tag:PREL | tag:PGOV`);
//! a term is one test, possibly negated. [`crate::corpus::query::parse()`] builds these,
//! [`crate::corpus::query::matcher`] evaluates them. Each text term carries what the matcher
//! needs precomputed (its case folding), so evaluation over many entries does no setup.

use std::ops::Range;

use memchr::memmem::Finder;

use crate::cable::Precedence;
use crate::cable::classification::Level;

/// What the user typed, parsed. No groups means "match everything".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// ANDed. Kept in evaluation order (cheapest first), not in typed order: the matcher
    /// stops at the first group that fails, so cheap field tests reject most entries before
    /// the fuzzy scorer runs.
    pub groups: Vec<Group>,
}

impl Query {
    /// True when the query has no terms and so matches every entry.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Whether any term asks about the analyst's records (`is:`, `mytag:`, `note:`, `by:`):
    /// such a query must run again whenever a record changes.
    pub fn uses_store(&self) -> bool {
        self.terms().any(|t| matches!(t.kind, TermKind::Store(_)))
    }

    /// Every term of every group, in evaluation order.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.groups.iter().flat_map(|g| g.terms.iter())
    }

    /// Whether any term searches the cables' text (`text:`, `body:`, a bare `"phrase"`,
    /// `like:`): such a query needs the text index (see [`crate::search`]).
    pub fn uses_full_text(&self) -> bool {
        self.terms()
            .any(|t| matches!(t.kind, TermKind::FullText(_)))
    }

    /// Whether a full-text term still waits for its hits: until the text index answers it
    /// (see [`crate::search::TextIndex::resolve`]) such a term filters nothing, so the other
    /// terms filter at once and the caller shows "indexing" and runs the query again later.
    pub fn waits_for_text(&self) -> bool {
        self.terms()
            .any(|t| matches!(&t.kind, TermKind::FullText(f) if f.hits.is_none()))
    }

    /// Whether any term asks about the reference graph (`cites:`, `citedby:`, `thread:`,
    /// `citers:`, `refs:`): such a query needs the graph (see [`super::graph`]).
    pub fn uses_graph(&self) -> bool {
        self.terms().any(|t| matches!(t.kind, TermKind::Graph(_)))
    }

    /// Whether a graph term still waits for the graph: until it is resolved such a term
    /// filters nothing, as an unanswered full-text term (see [`Query::waits_for_text`]).
    pub fn waits_for_graph(&self) -> bool {
        self.terms()
            .any(|t| matches!(&t.kind, TermKind::Graph(g) if g.hits.is_none()))
    }

    /// Every graph term, mutably (to attach its entries).
    pub fn graph_terms_mut(&mut self) -> impl Iterator<Item = &mut GraphTerm> {
        self.groups
            .iter_mut()
            .flat_map(|g| g.terms.iter_mut())
            .filter_map(|t| match &mut t.kind {
                TermKind::Graph(g) => Some(g),
                _ => None,
            })
    }

    /// Every full-text term, mutably (to attach its hits).
    pub fn full_text_terms_mut(&mut self) -> impl Iterator<Item = &mut FullTextTerm> {
        self.groups
            .iter_mut()
            .flat_map(|g| g.terms.iter_mut())
            .filter_map(|t| match &mut t.kind {
                TermKind::FullText(f) => Some(f),
                _ => None,
            })
    }
}

/// Terms joined by `|`: the group matches when any of them does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Never empty.
    pub terms: Vec<Term>,
}

impl Group {
    /// A rough relative cost of evaluating the group, used to order groups.
    pub(crate) fn cost(&self) -> u8 {
        self.terms.iter().map(Term::cost).max().unwrap_or(0)
    }
}

/// One test, as typed between spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// `!` in front: the term matches when the test fails.
    pub negated: bool,
    pub kind: TermKind,
    /// Byte offsets of the term in the input (for the filter bar to colour it).
    pub span: Range<usize>,
}

impl Term {
    fn cost(&self) -> u8 {
        match &self.kind {
            TermKind::Field(_) => 0,
            TermKind::Store(_) => 1,
            // A bit test once resolved.
            TermKind::FullText(_) | TermKind::Graph(_) => 1,
            TermKind::Text(t) if t.mode == TextMode::Fuzzy && !self.negated => 3,
            TermKind::Text(_) => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// A test of the subject.
    Text(TextTerm),
    /// A test of an indexed field.
    Field(Field),
    /// A test of what the analyst recorded (dispositions, own tags, notes); answered by the
    /// caller, which owns that store.
    Store(StoreTerm),
    /// A test of the cable's words, subject and body (`text:`, `body:`, `"a phrase"`,
    /// `like:`), answered by the text index ([`crate::search`]).
    FullText(FullTextTerm),
    /// A test of the reference graph (`cites:`, `citedby:`, `thread:`, `citers:`, `refs:`),
    /// answered by [`super::graph::resolve`] before matching.
    Graph(GraphTerm),
}

/// What a graph term asks. Ids are as typed; they are compared canonical, ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphKind {
    /// `cites:ID`: the cables citing ID (which need not be in the corpus).
    Cites(String),
    /// `citedby:ID`: the cables ID cites.
    CitedBy(String),
    /// `thread:ID`: the cables of ID's conversation, as the thread view draws it.
    Thread(String),
    /// `citers:>N`: how many cables cite the cable.
    Citers(Cmp, u32),
    /// `refs:>N`: how many distinct cables the cable cites, itself excluded.
    Refs(Cmp, u32),
}

/// A test of the reference graph. `hits` (the entries that pass) is `None` until the graph
/// has answered it; an unanswered term filters nothing (see [`Query::waits_for_graph`]).
#[derive(Debug, Clone)]
pub struct GraphTerm {
    pub kind: GraphKind,
    pub hits: Option<std::sync::Arc<crate::search::Hits>>,
}

impl GraphTerm {
    pub fn new(kind: GraphKind) -> GraphTerm {
        GraphTerm { kind, hits: None }
    }
}

impl PartialEq for GraphTerm {
    fn eq(&self, other: &Self) -> bool {
        // Hits follow from the kind (and the graph).
        self.kind == other.kind
    }
}

impl Eq for GraphTerm {}

/// Where a full-text term looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextScope {
    /// `text:`, a bare `"phrase"`: the subject or the body.
    SubjectOrBody,
    /// `body:`: the body only.
    Body,
}

/// What a full-text term looks for. Words are as [`crate::search::words`] makes them
/// (lower-cased, accents folded), so they compare with the index's terms directly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FullTextKind {
    /// `text:iran` (one word) or `text:"prime minister"` (these words, in this order, next
    /// to each other). Never empty.
    Words(Vec<String>),
    /// `text:sanct*`: a word starting with this one.
    Prefix(String),
    /// `like:08MOSCOW1234`: the cables whose words are most like this one's (the id as typed).
    Like(String),
}

/// A test of the cable's words. `hits` is `None` until the text index has answered it; an
/// unanswered term filters nothing (see [`Query::waits_for_text`]).
#[derive(Debug, Clone)]
pub struct FullTextTerm {
    pub scope: TextScope,
    pub kind: FullTextKind,
    pub hits: Option<std::sync::Arc<crate::search::Hits>>,
}

impl PartialEq for FullTextTerm {
    fn eq(&self, other: &Self) -> bool {
        // Hits follow from the rest (and the index).
        self.scope == other.scope && self.kind == other.kind
    }
}

impl Eq for FullTextTerm {}

/// How a text term is compared with the subject (fzf's extended search syntax).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    /// `word`: the characters in order, scored by SkimMatcherV2.
    Fuzzy,
    /// `'word` (or `!word`): a substring.
    Exact,
    /// `^word`: the subject starts with it.
    Prefix,
    /// `word$`: the subject ends with it.
    Suffix,
    /// `^word$`: the whole subject.
    Whole,
}

/// A test of the subject.
#[derive(Debug, Clone)]
pub struct TextTerm {
    pub mode: TextMode,
    /// As typed, without the `!`, `'`, `^`, `$` markers, escapes resolved.
    pub pattern: String,
    /// Smart case: the term has an upper-case ASCII letter. Otherwise ASCII letters compare
    /// without case (as SkimMatcherV2 does; other letters always compare exactly).
    pub case_sensitive: bool,
    /// The pattern's bytes, ASCII-lower-cased unless `case_sensitive`: what the byte scans
    /// compare with.
    pub(crate) folded: Box<[u8]>,
    /// A substring searcher for `folded`, built once per query rather than once per entry.
    pub(crate) finder: Box<Finder<'static>>,
}

impl PartialEq for TextTerm {
    fn eq(&self, other: &Self) -> bool {
        // `folded` and `finder` follow from these.
        self.mode == other.mode && self.pattern == other.pattern
    }
}

impl Eq for TextTerm {}

impl TextTerm {
    pub fn new(mode: TextMode, pattern: String) -> TextTerm {
        let case_sensitive = pattern.bytes().any(|b| b.is_ascii_uppercase());
        let folded = if case_sensitive {
            pattern.as_bytes().into()
        } else {
            pattern.to_ascii_lowercase().into_bytes().into()
        };
        let finder = Box::new(Finder::new(&folded).into_owned());
        TextTerm {
            mode,
            pattern,
            case_sensitive,
            folded,
            finder,
        }
    }
}

/// `<`, `<=`, `=`, `>=`, `>` in a field term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

/// A classification test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassTest {
    /// `class:secret`, `class:>=confidential`: compares the level (Unknown < Unclassified <
    /// Confidential < Secret < Top Secret). An unknown level satisfies only `=`.
    Level(Cmp, Level),
    /// `class:noforn`.
    Noforn,
    /// `class:fouo`.
    Fouo,
}

/// A span of time `[start, end)` in Unix seconds, UTC: the year, month or day typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: i64,
    pub end: i64,
}

/// A test of an indexed field. String values are stored as the matcher compares them
/// (ASCII-lower-cased where the comparison ignores case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `tag:PREL`: one of the tags equals it, ignoring ASCII case.
    Tag(String),
    /// `prec:flash`, `prec:>=immediate`. The comparison is by urgency: `>` is "more urgent
    /// than". UNKNOWN precedence satisfies only `prec:unknown`.
    Prec(Cmp, Precedence),
    /// `from:moscow`: the origin contains it, ignoring case (lower-cased here).
    From(String),
    Class(ClassTest),
    /// `noforn`: marked NOFORN.
    Noforn,
    /// `ref:08STATE39114`: one of the references equals it, ignoring ASCII case.
    Ref(String),
    /// `date:2008-04`, `date:>2008-01-01`, `date:<=2009`. `=` is "within the span", `>` "after
    /// it", `>=` "from its start", `<` "before it", `<=` "up to its end". Undated cables never
    /// satisfy a date test.
    Date(Cmp, DateRange),
    /// `id:08MOSCOW`: the id starts with it, ignoring ASCII case.
    Id(String),
}

/// Which store a store term asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// `is:unread`, `is:flagged`, ...: a disposition.
    Is,
    /// `mytag:followup`: a tag the analyst added.
    MyTag,
    /// `note:sanctions`: text in the analyst's notes.
    Note,
    /// `by:jsmith`: who handled it.
    By,
    /// `assignee:jsmith`: who it is assigned to.
    Assignee,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Is => "is",
            StoreKind::MyTag => "mytag",
            StoreKind::Note => "note",
            StoreKind::By => "by",
            StoreKind::Assignee => "assignee",
        }
    }
}

/// A store test, passed to the caller's evaluator as typed (value not case-folded: the store
/// decides how to compare).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoreTerm {
    pub kind: StoreKind,
    pub value: String,
}
