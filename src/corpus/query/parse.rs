//! Text typed in the filter bar to a [`Query`].
//!
//! The syntax is fzf's extended search, plus field terms:
//! - terms are separated by spaces and ANDed; `\ ` is a literal space inside a term;
//! - `a | b` (a `|` standing alone between terms) ORs its neighbours: `x a | b y` is
//!   `x AND (a OR b) AND y`;
//! - `word` is a fuzzy match on the subject, `'word` a substring, `^word` a prefix, `word$` a
//!   suffix, `^word$` the whole subject;
//! - `!` negates any term. As in fzf, a negated plain word is a substring test (`!word` = the
//!   subject does not contain `word`), because "does not fuzzy-match" rejects nearly
//!   everything; `!'word` asks for that fuzzy negation explicitly;
//! - `"oil prices"` is one term, spaces, `|` and colons included (`!"a b"` negates it): short
//!   for `text:"oil prices"`, the words in that order in the subject or the body; inside a
//!   term, quotes keep spaces in a value (`note:"gas talks"`); `\"` is a literal quote. A `"`
//!   left open is an error, not a search for the quote character;
//! - full-text terms, answered by the text index ([`crate::search`]): `text:word`,
//!   `text:"a phrase"`, `text:pre*` (subject or body), `body:…` (body only), `like:ID`;
//! - graph terms, answered by the reference graph ([`super::graph`]): `cites:ID`,
//!   `citedby:ID`, `thread:ID`, and the counts `citers:>N`, `refs:>N` (`<`, `<=`, `=`, `>=`,
//!   `>` or a bare number for `=`);
//! - smart case: a text term with an upper-case letter compares case-sensitively;
//! - `name:value` is a field term (see [`Field`]); the store terms `is:`, `mytag:`, `note:`,
//!   `by:`, `assignee:` are answered by the caller (see [`StoreTerm`]), but an `is:` value is checked
//!   here, so a typo is shown rather than silently matching nothing; `noforn` alone is a
//!   field term.
//!   To search the subject for text with a colon, quote it: `'iraq:`.
//!
//! A term that cannot be read yields a [`QueryError`] with its byte span and is left out of
//! the query, so the rest still filters while the user fixes it. Empty terms (a lone `!`,
//! `'` or `^`) are what the user is about to type and are ignored without error.

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;

use super::term::{
    ClassTest, Cmp, DateRange, Field, FullTextKind, FullTextTerm, GraphKind, GraphTerm, Group,
    Query, StoreKind, StoreTerm, Term, TermKind, TextMode, TextScope, TextTerm,
};
use crate::cable::Precedence;
use crate::cable::classification::Level;
use crate::search::words;

/// A term that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The term as typed.
    pub term: String,
    /// Byte offsets of the term in the input; always on char boundaries.
    pub span: Range<usize>,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.term, self.message)
    }
}

impl std::error::Error for QueryError {}

/// Parses a query. Never fails as a whole: the terms that cannot be read are returned as
/// errors and left out.
pub fn parse(input: &str) -> (Query, Vec<QueryError>) {
    let mut errors = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    // Whether the last group may still take an alternative (a `|` followed it), and where
    // that `|` was, to report it if nothing follows.
    let mut open_or: Option<Range<usize>> = None;
    // Whether the previous token was a term (even an unreadable one), so that `|` has a left
    // neighbour; and whether that term's group exists (it may have been unreadable).
    let mut prev_term = false;
    let mut prev_group_live = false;

    for token in tokenize(input) {
        if token.text == "|" && !token.escaped && !token.quoted {
            if !prev_term {
                errors.push(error(
                    input,
                    token.span.clone(),
                    "`|` needs a term before it",
                ));
            } else {
                open_or = Some(token.span);
            }
            prev_term = false;
            continue;
        }
        let joins = open_or.take().is_some();
        let parsed = if token.unclosed {
            Err(
                "`\"` is not closed: end the phrase with `\"`, or type `\\\"` to search for a \
                 quote"
                    .to_string(),
            )
        } else {
            parse_term(&token.text, token.span.clone(), token.phrase, token.quoted)
        };
        let term = match parsed {
            Ok(Some(term)) => Some(term),
            Ok(None) => None,
            Err(message) => {
                errors.push(error(input, token.span.clone(), &message));
                None
            }
        };
        match (term, joins && prev_group_live) {
            (Some(term), true) => {
                if let Some(group) = groups.last_mut() {
                    group.terms.push(term);
                }
            }
            (Some(term), false) => {
                groups.push(Group { terms: vec![term] });
                prev_group_live = true;
            }
            // An unreadable alternative leaves its group as it was.
            (None, true) => {}
            (None, false) => prev_group_live = false,
        }
        prev_term = true;
    }
    if let Some(span) = open_or {
        errors.push(error(input, span, "`|` needs a term after it"));
    }
    // Cheapest first; stable, so equal costs keep the typed order.
    groups.sort_by_key(Group::cost);
    (Query { groups }, errors)
}

fn error(input: &str, span: Range<usize>, message: &str) -> QueryError {
    QueryError {
        term: input.get(span.clone()).unwrap_or_default().to_string(),
        span,
        message: message.to_string(),
    }
}

struct Token {
    /// Escapes resolved.
    text: String,
    span: Range<usize>,
    /// Had a backslash escape, so `\|` is a text term, not the OR operator.
    escaped: bool,
    /// Had a `"`, so a `"|"` is a text term too.
    quoted: bool,
    /// Opens with a `"` (after an optional `!`, then removed from `text` and given here as
    /// `Some(true)`): a phrase, read as text whatever it holds, so `"!x"` is not negated.
    phrase: Option<bool>,
    /// A `"` opened in it is never closed.
    unclosed: bool,
}

/// Splits on whitespace outside quotes; a backslash before a whitespace character, `|` or
/// `"` keeps it in the term as typed.
fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current: Option<Token> = None;
    let mut in_quote = false;
    let mut chars = input.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() && !in_quote {
            if let Some(t) = current.take() {
                tokens.push(t);
            }
            continue;
        }
        let token = current.get_or_insert_with(|| Token {
            text: String::new(),
            span: i..i,
            escaped: false,
            quoted: false,
            phrase: None,
            unclosed: false,
        });
        let mut end = i + c.len_utf8();
        match (c, chars.peek()) {
            ('\\', Some(&(j, next))) if next.is_whitespace() || next == '|' || next == '"' => {
                token.text.push(next);
                token.escaped = true;
                end = j + next.len_utf8();
                chars.next();
            }
            ('"', _) => {
                if !in_quote && !token.quoted && (token.text.is_empty() || token.text == "!") {
                    token.phrase = Some(token.text == "!");
                    token.text.clear();
                }
                in_quote = !in_quote;
                token.quoted = true;
            }
            _ => token.text.push(c),
        }
        token.span.end = end;
    }
    if let Some(mut t) = current {
        t.unclosed = in_quote;
        tokens.push(t);
    }
    tokens
}

/// One term; `Ok(None)` for an empty one. A phrase (`Some(negated)`) is short for
/// `text:"…"`: its words, in order, in the subject or the body.
fn parse_term(
    text: &str,
    span: Range<usize>,
    phrase: Option<bool>,
    quoted: bool,
) -> Result<Option<Term>, String> {
    if let Some(negated) = phrase {
        if text.is_empty() {
            return Ok(None);
        }
        return Ok(Some(Term {
            negated,
            kind: TermKind::FullText(full_text(TextScope::SubjectOrBody, text, true)?),
            span,
        }));
    }
    let (negated, rest) = match text.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let kind = if rest.eq_ignore_ascii_case("noforn") {
        TermKind::Field(Field::Noforn)
    } else if let Some((name, value)) = field_parts(rest) {
        parse_field(name, value, quoted)?
    } else {
        match parse_text(rest, negated) {
            Some(t) => TermKind::Text(t),
            None => return Ok(None),
        }
    };
    Ok(Some(Term {
        negated,
        kind,
        span,
    }))
}

/// `name:value` when `name` is a word of ASCII letters: anything else with a colon (`12:30`,
/// `'iraq:`) is text.
fn field_parts(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once(':')?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic())).then_some((name, value))
}

fn parse_text(text: &str, negated: bool) -> Option<TextTerm> {
    let mut t = text;
    let mut suffix = false;
    if t != "$" {
        if let Some(rest) = t.strip_suffix('$') {
            suffix = true;
            t = rest;
        }
    }
    let mode = if let Some(rest) = t.strip_prefix('\'') {
        t = rest;
        match (suffix, negated) {
            (true, _) => TextMode::Suffix,
            // fzf flips exactness: `'x` is exact, `!'x` (whose default is exact) is fuzzy.
            (false, false) => TextMode::Exact,
            (false, true) => TextMode::Fuzzy,
        }
    } else if let Some(rest) = t.strip_prefix('^') {
        t = rest;
        if suffix {
            TextMode::Whole
        } else {
            TextMode::Prefix
        }
    } else if suffix {
        TextMode::Suffix
    } else if negated {
        TextMode::Exact
    } else {
        TextMode::Fuzzy
    };
    (!t.is_empty()).then(|| TextTerm::new(mode, t.to_string()))
}

/// A `text:`/`body:` value (or a bare phrase, `quoted`): one word, several words (a phrase),
/// or, unquoted, a word and `*` (a prefix). Words are as [`words`] makes them.
fn full_text(scope: TextScope, value: &str, quoted: bool) -> Result<FullTextTerm, String> {
    let no_words = || {
        let longest = value
            .split(|c: char| !c.is_alphanumeric())
            .map(str::len)
            .max()
            .unwrap_or(0);
        if longest > crate::search::words::MAX_WORD_BYTES {
            // Not the whole word again: the reason must fit beside it in the filter bar.
            let start: String = value.chars().take(12).collect();
            format!(
                "`{start}…` has no word to search: a word is at most {} bytes long",
                crate::search::words::MAX_WORD_BYTES
            )
        } else {
            format!("`{value}` has no word to search: words are letters and digits")
        }
    };
    let kind = match value.strip_suffix('*').filter(|_| !quoted) {
        Some(prefix) => match words(prefix).as_slice() {
            [word] if prefix.chars().all(char::is_alphanumeric) => {
                FullTextKind::Prefix(word.clone())
            }
            [] => return Err(no_words()),
            _ => {
                return Err(format!(
                    "`{value}`: a prefix is one word of letters and digits, then `*`"
                ));
            }
        },
        None => {
            let w = words(value);
            if w.is_empty() {
                return Err(no_words());
            }
            FullTextKind::Words(w)
        }
    };
    Ok(FullTextTerm {
        scope,
        kind,
        hits: None,
    })
}

fn parse_field(name: &str, value: &str, quoted: bool) -> Result<TermKind, String> {
    let name_lc = name.to_ascii_lowercase();
    match name_lc.as_str() {
        "text" | "body" if value.is_empty() => {
            return Err(format!(
                "`{name}:` needs a word, a \"phrase\" or a prefix*, e.g. `{name}:sanctions`"
            ));
        }
        "text" => {
            return Ok(TermKind::FullText(full_text(
                TextScope::SubjectOrBody,
                value,
                quoted,
            )?));
        }
        "body" => {
            return Ok(TermKind::FullText(full_text(
                TextScope::Body,
                value,
                quoted,
            )?));
        }
        "like" => {
            let id = value.trim();
            if id.is_empty() {
                return Err("`like:` needs a cable id, e.g. `like:08MOSCOW1234`".into());
            }
            return Ok(TermKind::FullText(FullTextTerm {
                scope: TextScope::SubjectOrBody,
                kind: FullTextKind::Like(id.to_string()),
                hits: None,
            }));
        }
        "cites" | "citedby" | "thread" => {
            let id = value.trim();
            if id.is_empty() {
                return Err(format!(
                    "`{name}:` needs a cable id, e.g. `{name}:08MOSCOW1234`"
                ));
            }
            let id = id.to_string();
            let kind = match name_lc.as_str() {
                "cites" => GraphKind::Cites(id),
                "citedby" => GraphKind::CitedBy(id),
                _ => GraphKind::Thread(id),
            };
            return Ok(TermKind::Graph(GraphTerm::new(kind)));
        }
        "citers" | "refs" => {
            let (cmp, number) = comparison(value);
            let count = number.parse::<u32>().map_err(|_| {
                let what = if number.is_empty() {
                    "needs".to_string()
                } else {
                    format!("cannot read `{number}`: it needs")
                };
                format!("`{name}:` {what} a count, e.g. `{name}:>5` or `{name}:0`")
            })?;
            return Ok(TermKind::Graph(GraphTerm::new(if name_lc == "citers" {
                GraphKind::Citers(cmp, count)
            } else {
                GraphKind::Refs(cmp, count)
            })));
        }
        _ => {}
    }
    let store = |kind| -> Result<TermKind, String> {
        if value.is_empty() {
            return Err(format!("`{name}:` needs a value"));
        }
        Ok(TermKind::Store(StoreTerm {
            kind,
            value: value.to_string(),
        }))
    };
    let nonempty = |what: &str| -> Result<(), String> {
        if value.is_empty() {
            Err(format!("`{name}:` needs {what}"))
        } else {
            Ok(())
        }
    };
    let field = match name_lc.as_str() {
        "tag" => {
            nonempty("a tag, e.g. `tag:PREL`")?;
            Field::Tag(value.to_ascii_lowercase())
        }
        "prec" => {
            let (cmp, word) = comparison(value);
            if word.is_empty() {
                return Err("`prec:` needs a precedence, e.g. `prec:flash`".into());
            }
            let prec = Precedence::from_word(word).ok_or_else(|| {
                format!("unknown precedence `{word}` (flash, niact, immediate, priority, routine)")
            })?;
            Field::Prec(cmp, prec)
        }
        "from" => {
            nonempty("part of an origin, e.g. `from:moscow`")?;
            Field::From(value.to_lowercase())
        }
        "class" => {
            let (cmp, word) = comparison(value);
            if word.is_empty() {
                return Err("`class:` needs a level, e.g. `class:secret`".into());
            }
            Field::Class(class_test(cmp, word)?)
        }
        "ref" => {
            nonempty("a cable id, e.g. `ref:08STATE39114`")?;
            Field::Ref(value.to_ascii_lowercase())
        }
        "date" => {
            let (cmp, when) = comparison(value);
            if when.is_empty() {
                return Err("`date:` needs a date: 2008, 2008-04 or 2008-04-15".into());
            }
            Field::Date(cmp, date_range(when)?)
        }
        "id" => {
            nonempty("the start of an id, e.g. `id:08MOSCOW`")?;
            Field::Id(value.to_ascii_lowercase())
        }
        "is" => {
            if !value.is_empty() {
                crate::store::matching::check_is_value(value)?;
            }
            return store(StoreKind::Is);
        }
        "mytag" => return store(StoreKind::MyTag),
        "note" => return store(StoreKind::Note),
        "by" => return store(StoreKind::By),
        "assignee" => {
            if value.is_empty() {
                return Err(
                    "`assignee:` needs an analyst, e.g. `assignee:jsmith` (or `is:unassigned`)"
                        .into(),
                );
            }
            return store(StoreKind::Assignee);
        }
        _ => {
            return Err(format!(
                "unknown field `{name}` (tag, prec, from, class, ref, date, id, is, mytag, \
                 note, by, assignee, text, body, like, cites, citedby, thread, citers, refs); to search \
                 subjects for it, quote it: '{name}:{value}"
            ));
        }
    };
    Ok(TermKind::Field(field))
}

/// Splits a leading `<`, `<=`, `=`, `>=`, `>` off a field value.
fn comparison(value: &str) -> (Cmp, &str) {
    for (op, cmp) in [
        (">=", Cmp::Ge),
        ("<=", Cmp::Le),
        (">", Cmp::Gt),
        ("<", Cmp::Lt),
        ("=", Cmp::Eq),
    ] {
        if let Some(rest) = value.strip_prefix(op) {
            return (cmp, rest);
        }
    }
    (Cmp::Eq, value)
}

fn class_test(cmp: Cmp, word: &str) -> Result<ClassTest, String> {
    let w: String = word
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_lowercase();
    let level = match w.as_str() {
        "u" | "unclas" | "unclass" | "unclassified" => Level::Unclassified,
        "c" | "conf" | "confidential" => Level::Confidential,
        "s" | "secret" => Level::Secret,
        "ts" | "topsecret" => Level::TopSecret,
        "unknown" => Level::Unknown,
        "noforn" | "nf" | "fouo" | "sbu" => {
            if cmp != Cmp::Eq {
                return Err(format!("`{word}` is a marking and takes no comparison"));
            }
            return Ok(if w == "noforn" || w == "nf" {
                ClassTest::Noforn
            } else {
                ClassTest::Fouo
            });
        }
        _ => {
            return Err(format!(
                "unknown classification `{word}` (unclassified, confidential, secret, \
                 topsecret, noforn, fouo)"
            ));
        }
    };
    Ok(ClassTest::Level(cmp, level))
}

/// `2008`, `2008-04`, `2008-04-15` as the span of time they name.
fn date_range(text: &str) -> Result<DateRange, String> {
    let bad = || format!("cannot read date `{text}`: use 2008, 2008-04 or 2008-04-15");
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| -> Option<u32> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let year = parts.first().and_then(|y| number(y, 4)).ok_or_else(bad)? as i32;
    let day_start = |y: i32, m: u32, d: u32| -> Option<i64> {
        Some(
            NaiveDate::from_ymd_opt(y, m, d)?
                .and_hms_opt(0, 0, 0)?
                .and_utc()
                .timestamp(),
        )
    };
    let (start, end) = match parts.as_slice() {
        [_] => (day_start(year, 1, 1), day_start(year + 1, 1, 1)),
        [_, m] => {
            let m = number(m, 2)
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(bad)?;
            let (ny, nm) = if m == 12 {
                (year + 1, 1)
            } else {
                (year, m + 1)
            };
            (day_start(year, m, 1), day_start(ny, nm, 1))
        }
        [_, m, d] => {
            let m = number(m, 2).ok_or_else(bad)?;
            let d = number(d, 2).ok_or_else(bad)?;
            let start = day_start(year, m, d).ok_or_else(|| format!("no such day `{text}`"))?;
            (Some(start), Some(start + 86_400))
        }
        _ => return Err(bad()),
    };
    match (start, end) {
        (Some(start), Some(end)) => Ok(DateRange { start, end }),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Query {
        let (q, errors) = parse(input);
        assert!(errors.is_empty(), "{input}: {errors:?}");
        q
    }

    fn one(input: &str) -> Term {
        let q = ok(input);
        assert_eq!(q.groups.len(), 1, "{input}");
        assert_eq!(q.groups[0].terms.len(), 1, "{input}");
        q.groups[0].terms[0].clone()
    }

    fn text(input: &str) -> (bool, TextMode, String, bool) {
        match one(input) {
            Term {
                negated,
                kind: TermKind::Text(t),
                ..
            } => (negated, t.mode, t.pattern, t.case_sensitive),
            other => panic!("{input}: {other:?}"),
        }
    }

    fn field(input: &str) -> (bool, Field) {
        match one(input) {
            Term {
                negated,
                kind: TermKind::Field(f),
                ..
            } => (negated, f),
            other => panic!("{input}: {other:?}"),
        }
    }

    fn err(input: &str) -> Vec<QueryError> {
        let (_, errors) = parse(input);
        assert!(!errors.is_empty(), "{input} should not parse");
        errors
    }

    fn day(y: i32, m: u32, d: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc().timestamp())
            .unwrap_or_default()
    }

    #[test]
    fn empty_input_is_an_empty_query() {
        assert!(ok("").is_empty());
        assert!(ok("   \t ").is_empty());
        // What the user is about to type: no terms, no errors.
        assert!(ok("! ' ^ !'").is_empty());
    }

    #[test]
    fn text_modes_follow_fzf() {
        use TextMode::*;
        let s = |x: &str| x.to_string();
        assert_eq!(text("mosc"), (false, Fuzzy, s("mosc"), false));
        assert_eq!(text("'mosc"), (false, Exact, s("mosc"), false));
        assert_eq!(text("^iraq"), (false, Prefix, s("iraq"), false));
        assert_eq!(text("update$"), (false, Suffix, s("update"), false));
        assert_eq!(text(r"^iraq:\ the$"), (false, Whole, s("iraq: the"), false));
        assert_eq!(text("!iraq"), (true, Exact, s("iraq"), false));
        assert_eq!(text("!'iraq"), (true, Fuzzy, s("iraq"), false));
        assert_eq!(text("!^iraq"), (true, Prefix, s("iraq"), false));
        assert_eq!(text("!update$"), (true, Suffix, s("update"), false));
        assert_eq!(text("'update$"), (false, Suffix, s("update"), false));
        // A lone `$` is the character itself.
        assert_eq!(text("$"), (false, Fuzzy, s("$"), false));
        // Colons without a field name are text.
        assert_eq!(text("12:30"), (false, Fuzzy, s("12:30"), false));
        assert_eq!(text("'iraq:"), (false, Exact, s("iraq:"), false));
    }

    #[test]
    fn whole_subject_mode() {
        let q = ok("^iraq$");
        assert!(matches!(
            &q.groups[0].terms[0].kind,
            TermKind::Text(t) if t.mode == TextMode::Whole && t.pattern == "iraq"
        ));
    }

    #[test]
    fn smart_case() {
        assert!(!text("moscow").3);
        assert!(text("Moscow").3);
        assert!(text("'IRAQ").3);
        // Only ASCII capitals count, as in SkimMatcherV2.
        assert!(!text("élan").3);
        let TermKind::Text(t) = one("MoS").kind else {
            panic!()
        };
        assert_eq!(&*t.folded, b"MoS");
        let TermKind::Text(t) = one("mos").kind else {
            panic!()
        };
        assert_eq!(&*t.folded, b"mos");
    }

    #[test]
    fn escaped_space_stays_in_the_term() {
        assert_eq!(text(r"'foreign\ minister").2, "foreign minister");
        let q = ok(r"a\ b c");
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.groups[0].terms[0].span, 0..4);
        // `\|` is a term, not the operator.
        assert_eq!(text(r"'\|").2, "|");
    }

    #[test]
    fn field_terms() {
        assert_eq!(field("tag:PREL"), (false, Field::Tag("prel".into())));
        assert_eq!(field("TAG:prel"), (false, Field::Tag("prel".into())));
        assert_eq!(
            field("prec:flash"),
            (false, Field::Prec(Cmp::Eq, Precedence::Flash))
        );
        assert_eq!(
            field("prec:>=immed").1,
            Field::Prec(Cmp::Ge, Precedence::Immediate)
        );
        assert_eq!(
            field("prec:<prior").1,
            Field::Prec(Cmp::Lt, Precedence::Priority)
        );
        assert_eq!(
            field("prec:<=rout").1,
            Field::Prec(Cmp::Le, Precedence::Routine)
        );
        assert_eq!(
            field("prec:>niact").1,
            Field::Prec(Cmp::Gt, Precedence::NiactImmediate)
        );
        assert_eq!(field("from:Moscow").1, Field::From("moscow".into()));
        assert_eq!(
            field("class:secret").1,
            Field::Class(ClassTest::Level(Cmp::Eq, Level::Secret))
        );
        assert_eq!(
            field("class:>=confidential").1,
            Field::Class(ClassTest::Level(Cmp::Ge, Level::Confidential))
        );
        assert_eq!(
            field("class:top-secret").1,
            Field::Class(ClassTest::Level(Cmp::Eq, Level::TopSecret))
        );
        assert_eq!(
            field("class:u").1,
            Field::Class(ClassTest::Level(Cmp::Eq, Level::Unclassified))
        );
        assert_eq!(field("class:noforn").1, Field::Class(ClassTest::Noforn));
        assert_eq!(field("class:fouo").1, Field::Class(ClassTest::Fouo));
        assert_eq!(field("noforn"), (false, Field::Noforn));
        assert_eq!(field("!NOFORN"), (true, Field::Noforn));
        assert_eq!(
            field("ref:08STATE39114").1,
            Field::Ref("08state39114".into())
        );
        assert_eq!(field("id:08moscow").1, Field::Id("08moscow".into()));
        assert_eq!(field("!tag:PGOV"), (true, Field::Tag("pgov".into())));
    }

    #[test]
    fn date_terms() {
        let range = |a: i64, b: i64| DateRange { start: a, end: b };
        assert_eq!(
            field("date:2008").1,
            Field::Date(Cmp::Eq, range(day(2008, 1, 1), day(2009, 1, 1)))
        );
        assert_eq!(
            field("date:2008-04").1,
            Field::Date(Cmp::Eq, range(day(2008, 4, 1), day(2008, 5, 1)))
        );
        assert_eq!(
            field("date:2008-12").1,
            Field::Date(Cmp::Eq, range(day(2008, 12, 1), day(2009, 1, 1)))
        );
        assert_eq!(
            field("date:2008-02-29").1,
            Field::Date(Cmp::Eq, range(day(2008, 2, 29), day(2008, 3, 1)))
        );
        assert_eq!(
            field("date:>2008-01-01").1,
            Field::Date(Cmp::Gt, range(day(2008, 1, 1), day(2008, 1, 2)))
        );
        assert_eq!(
            field("date:<=2009").1,
            Field::Date(Cmp::Le, range(day(2009, 1, 1), day(2010, 1, 1)))
        );
        for bad in [
            "date:yesterday",
            "date:08",
            "date:2008-13",
            "date:2009-02-29",
            "date:2008-4",
            "date:2008-04-01-01",
            "date:>",
            "date:",
            "date:2008-",
        ] {
            let e = err(bad);
            assert_eq!(e.len(), 1, "{bad}");
            assert_eq!(e[0].span, 0..bad.len(), "{bad}");
        }
    }

    /// The kind and value of each term of `q`, all store terms.
    fn store_kinds(q: &Query) -> Vec<(StoreKind, &str)> {
        q.terms()
            .map(|t| match &t.kind {
                TermKind::Store(s) => (s.kind, s.value.as_str()),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn store_terms() {
        let q = ok("is:unread mytag:followup note:oil by:jsmith");
        let kinds = store_kinds(&q);
        assert_eq!(
            kinds,
            [
                (StoreKind::Is, "unread"),
                (StoreKind::MyTag, "followup"),
                (StoreKind::Note, "oil"),
                (StoreKind::By, "jsmith"),
            ]
        );
        assert_eq!(err("is:")[0].span, 0..3);
    }

    #[test]
    fn assignment_terms() {
        let q = ok("is:mine is:unassigned assignee:jsmith");
        let kinds = store_kinds(&q);
        assert_eq!(
            kinds,
            [
                (StoreKind::Is, "mine"),
                (StoreKind::Is, "unassigned"),
                (StoreKind::Assignee, "jsmith"),
            ]
        );
        assert!(q.uses_store());
        let e = err("assignee:");
        assert!(
            e[0].message.contains("needs an analyst"),
            "{}",
            e[0].message
        );
        let e = err("is:mien");
        assert!(
            e[0].message.contains("did you mean `is:mine`?"),
            "{}",
            e[0].message
        );
        let e = err("asignee:bob");
        assert!(e[0].message.contains("assignee"), "{}", e[0].message);
    }

    #[test]
    fn errors_carry_spans_and_the_rest_still_filters() {
        let input = "iraq prec:soon tag:PREL date:yesterday foo:bar tag: class:>noforn";
        let (q, errors) = parse(input);
        let spans: Vec<&str> = errors.iter().map(|e| &input[e.span.clone()]).collect();
        assert_eq!(
            spans,
            [
                "prec:soon",
                "date:yesterday",
                "foo:bar",
                "tag:",
                "class:>noforn"
            ]
        );
        for e in &errors {
            assert_eq!(e.term, &input[e.span.clone()]);
            assert!(!e.message.is_empty());
        }
        assert!(errors[0].message.contains("soon"));
        assert!(errors[2].message.contains("unknown field `foo`"));
        // The readable terms remain, field first.
        assert_eq!(q.groups.len(), 2);
        assert!(matches!(
            q.groups[0].terms[0].kind,
            TermKind::Field(Field::Tag(_))
        ));
        assert!(matches!(q.groups[1].terms[0].kind, TermKind::Text(_)));
    }

    #[test]
    fn spans_are_byte_offsets_with_multibyte_text() {
        let input = "élan  prec:bientôt";
        let errors = err(input);
        assert_eq!(&input[errors[0].span.clone()], "prec:bientôt");
        assert_eq!(errors[0].span, 7..input.len());
    }

    #[test]
    fn or_groups() {
        let q = ok("iraq tag:PREL | tag:PGOV !noforn");
        assert_eq!(q.groups.len(), 3);
        // Field groups first, the fuzzy term last.
        assert_eq!(q.groups[0].terms.len(), 2);
        assert_eq!(q.groups[0].terms[0].span, 5..13);
        assert_eq!(q.groups[0].terms[1].span, 16..24);
        assert!(q.groups[1].terms[0].negated);
        assert!(matches!(q.groups[2].terms[0].kind, TermKind::Text(_)));

        let q = ok("a | b | c d");
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.groups[0].terms.len(), 3);

        // An unreadable alternative drops out of its group only.
        let (q, errors) = parse("tag:PREL | prec:soon | tag:PGOV");
        assert_eq!(errors.len(), 1);
        assert_eq!(q.groups.len(), 1);
        assert_eq!(q.groups[0].terms.len(), 2);

        // An unreadable first alternative: the next one starts the group.
        let (q, errors) = parse("prec:soon | tag:PGOV x");
        assert_eq!(errors.len(), 1);
        assert_eq!(q.groups.len(), 2);
    }

    #[test]
    fn dangling_or_is_reported() {
        let e = err("tag:PREL |");
        assert_eq!(e[0].span, 9..10);
        assert!(e[0].message.contains("after"));
        let e = err("| tag:PREL");
        assert_eq!(e[0].span, 0..1);
        let (q, e) = parse("a | | b");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].span, 4..5);
        // The first `|` still joins a and b.
        assert_eq!(q.groups.len(), 1);
        assert_eq!(q.groups[0].terms.len(), 2);
    }

    #[test]
    fn unknown_is_values_are_errors_with_the_nearest_value() {
        let input = "iraq is:bogus";
        let (q, e) = parse(input);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].span, 5..input.len());
        assert!(e[0].message.contains("`bogus`"), "{}", e[0].message);
        assert!(
            e[0].message.contains("untriaged, actioned"),
            "{}",
            e[0].message
        );
        // The rest still filters.
        assert_eq!(q.groups.len(), 1);
        let e = err("!is:folow-up");
        assert!(
            e[0].message.contains("did you mean `is:follow-up`?"),
            "{}",
            e[0].message
        );
        for good in [
            "is:untriaged",
            "is:Actioned",
            "is:follow-up",
            "is:followup",
            "is:forwarded",
            "is:no-action",
            "is:seen",
            "is:unseen",
            "is:unread",
        ] {
            ok(good);
        }
    }

    fn full(input: &str) -> (bool, TextScope, FullTextKind) {
        match one(input) {
            Term {
                negated,
                kind: TermKind::FullText(f),
                ..
            } => (negated, f.scope, f.kind),
            other => panic!("{input}: not a full-text term: {other:?}"),
        }
    }

    fn phrase(words: &[&str]) -> FullTextKind {
        FullTextKind::Words(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn quotes_make_a_phrase_of_the_text() {
        use TextScope::SubjectOrBody;
        assert_eq!(
            full("\"oil prices\""),
            (false, SubjectOrBody, phrase(&["oil", "prices"]))
        );
        assert_eq!(
            full("!\"oil | gas\""),
            (true, SubjectOrBody, phrase(&["oil", "gas"]))
        );
        // Inside a phrase, `!` and colons are text, and words are folded.
        assert_eq!(
            full("\"!Iraq: Café\""),
            (false, SubjectOrBody, phrase(&["iraq", "cafe"]))
        );
        let q = ok("note:\"gas talks\" x");
        assert!(q.terms().any(|t| matches!(
            &t.kind,
            TermKind::Store(s) if s.value == "gas talks"
        )));
        assert_eq!(
            text("say\\\"hi"),
            (false, TextMode::Fuzzy, "say\"hi".into(), false)
        );
        // Empty quotes are what the user is about to type.
        assert!(ok("\"\"").is_empty());
        // Quotes with no word in them cannot be searched.
        assert!(err("\"--\"")[0].message.contains("no word"));
    }

    #[test]
    fn text_terms_of_every_kind() {
        use TextScope::{Body, SubjectOrBody};
        assert_eq!(full("text:Iran"), (false, SubjectOrBody, phrase(&["iran"])));
        assert_eq!(
            full("text:\"prime minister\""),
            (false, SubjectOrBody, phrase(&["prime", "minister"]))
        );
        assert_eq!(
            full("text:sanc*"),
            (false, SubjectOrBody, FullTextKind::Prefix("sanc".into()))
        );
        // Quoted, a star is not a prefix.
        assert_eq!(
            full("text:\"sanc*\""),
            (false, SubjectOrBody, phrase(&["sanc"]))
        );
        assert_eq!(full("!body:oil"), (true, Body, phrase(&["oil"])));
        // A word with inner punctuation is the phrase of its words, as in the text.
        assert_eq!(
            full("text:U.S."),
            (false, SubjectOrBody, phrase(&["u", "s"]))
        );
        assert_eq!(
            full("like:08MOSCOW1"),
            (false, SubjectOrBody, FullTextKind::Like("08MOSCOW1".into()))
        );
        for bad in ["text:", "body:", "like:", "text:--", "text:u.s*", "text:*"] {
            err(bad);
        }
        // Combined with the rest of the language.
        let q = ok("tag:PREL text:oil | body:gas !\"a b\" is:followup");
        assert_eq!(q.groups.len(), 4);
        assert!(q.uses_full_text() && q.waits_for_text());
    }

    #[test]
    fn an_unclosed_quote_is_an_error_with_its_span() {
        let input = "tag:PREL \"oil prices";
        let (q, e) = parse(input);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].span, 9..input.len());
        assert!(e[0].message.contains("not closed"), "{}", e[0].message);
        assert_eq!(q.groups.len(), 1);
        assert_eq!(err("a\"b")[0].span, 0..3);
    }

    #[test]
    fn a_word_too_long_to_index_is_called_so() {
        let long = format!("text:{}", "x".repeat(70));
        let e = err(&long);
        assert!(
            e[0].message.contains("at most 64 bytes"),
            "{}",
            e[0].message
        );
        assert!(err("text:--")[0].message.contains("letters and digits"));
    }

    #[test]
    fn unknown_field_suggests_quoting() {
        let e = err("iraq:");
        assert!(e[0].message.contains("'iraq:"), "{}", e[0].message);
    }

    fn graph(input: &str) -> (bool, GraphKind) {
        match one(input) {
            Term {
                negated,
                kind: TermKind::Graph(g),
                ..
            } => (negated, g.kind),
            other => panic!("{input}: not a graph term: {other:?}"),
        }
    }

    #[test]
    fn graph_terms() {
        use GraphKind::*;
        assert_eq!(
            graph("cites:08moscow1052"),
            (false, Cites("08moscow1052".into()))
        );
        assert_eq!(
            graph("CitedBy:08STATE39114"),
            (false, CitedBy("08STATE39114".into()))
        );
        assert_eq!(graph("!thread:08A1"), (true, Thread("08A1".into())));
        assert_eq!(graph("citers:>5"), (false, Citers(Cmp::Gt, 5)));
        assert_eq!(graph("citers:5"), (false, Citers(Cmp::Eq, 5)));
        assert_eq!(graph("citers:<=0"), (false, Citers(Cmp::Le, 0)));
        assert_eq!(graph("refs:>=2"), (false, Refs(Cmp::Ge, 2)));
        assert_eq!(graph("refs:<3"), (false, Refs(Cmp::Lt, 3)));
        assert_eq!(graph("refs:=1"), (false, Refs(Cmp::Eq, 1)));
        let q = ok("tag:PREL cites:08A1 | text:oil !refs:0");
        assert!(q.uses_graph() && q.waits_for_graph() && q.uses_full_text());
    }

    #[test]
    fn graph_terms_report_what_they_need_with_spans() {
        let input = "iran citers:>x cites: refs: thread:  refs:-1";
        let (q, errors) = parse(input);
        let spans: Vec<&str> = errors.iter().map(|e| &input[e.span.clone()]).collect();
        assert_eq!(
            spans,
            ["citers:>x", "cites:", "refs:", "thread:", "refs:-1"]
        );
        assert!(errors[0].message.contains("`x`"), "{}", errors[0].message);
        assert!(
            errors[0].message.contains("citers:>5"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[1].message.contains("cable id"),
            "{}",
            errors[1].message
        );
        assert!(
            errors[2].message.contains("needs a count"),
            "{}",
            errors[2].message
        );
        assert_eq!(errors[0].span, 5..14);
        // The rest still filters.
        assert_eq!(q.groups.len(), 1);
        assert!(!q.uses_graph());
    }

    #[test]
    fn marking_takes_no_comparison() {
        err("class:>=noforn");
        err("class:purple");
        err("class:");
        err("prec:");
        err("from:");
        err("ref:");
        err("id:");
    }
}
