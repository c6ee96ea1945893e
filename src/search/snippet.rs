//! Where a query's full-text terms hit in one cable's text, and a one-line snippet around
//! the first hit: for highlights in the reading view and the preview line. Pure functions of
//! the text, so they work on whatever text the view shows, with or without the index.

use std::ops::Range;

use super::words::word_spans;
use crate::corpus::query::{FullTextKind, Query, TextScope};

/// Byte ranges of `text` that the query's positive full-text terms hit (a word, a prefix, or
/// every word of a phrase in order), ascending and not overlapping.
pub fn hit_spans(query: &Query, text: &str) -> Vec<Range<usize>> {
    hit_spans_where(query, text, |_| true)
}

/// [`hit_spans`] of the terms whose scope `searches` accepts: a subject is no body, so a
/// `body:` term never marks it.
pub fn hit_spans_where(
    query: &Query,
    text: &str,
    searches: impl Fn(TextScope) -> bool,
) -> Vec<Range<usize>> {
    let words = word_spans(text);
    let mut spans: Vec<Range<usize>> = Vec::new();
    for term in query.terms().filter(|t| !t.negated) {
        let crate::corpus::query::TermKind::FullText(f) = &term.kind else {
            continue;
        };
        if !searches(f.scope) {
            continue;
        }
        match &f.kind {
            FullTextKind::Words(phrase) => {
                let n = phrase.len();
                if n == 0 || words.len() < n {
                    continue;
                }
                for start in 0..=words.len() - n {
                    if words[start..start + n]
                        .iter()
                        .zip(phrase)
                        .all(|((_, w), p)| w == p)
                    {
                        spans.push(words[start].0.start..words[start + n - 1].0.end);
                    }
                }
            }
            FullTextKind::Prefix(p) => {
                spans.extend(
                    words
                        .iter()
                        .filter(|(_, w)| w.starts_with(p.as_str()))
                        .map(|(r, _)| r.clone()),
                );
            }
            FullTextKind::Like(_) => {}
        }
    }
    spans.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// One line of text around the first hit, and the hits in it (byte ranges of `text`
/// here, the snippet's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Whitespace runs (line breaks included) made one space; at most `width` characters.
    pub text: String,
    pub hits: Vec<Range<usize>>,
}

/// A snippet of at most `width` characters of `text` around its first hit (the start of the
/// text when there is none), with the hits inside it.
pub fn snippet(query: &Query, text: &str, width: usize) -> Snippet {
    // One line: whitespace runs become one space, and hits are found in that line.
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let hits = hit_spans(query, &line);
    let first = hits.first().map_or(0, |h| h.start);
    // Start a little before the first hit, on a character boundary.
    let lead = width / 4;
    let mut start = line[..first]
        .char_indices()
        .rev()
        .nth(lead.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if first == 0 {
        start = 0;
    }
    // Start at a word, not inside one: after the first space of the lead, when it has one.
    if start > 0 && !line[..start].ends_with(' ') {
        if let Some(space) = line[start..first].find(' ') {
            start += space + 1;
        }
    }
    let end = line[start..]
        .char_indices()
        .nth(width)
        .map_or(line.len(), |(i, _)| start + i);
    let hits = hits
        .into_iter()
        .filter(|h| h.start >= start && h.end <= end)
        .map(|h| h.start - start..h.end - start)
        .collect();
    Snippet {
        text: line[start..end].to_string(),
        hits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::query::parse;

    #[test]
    fn hits_are_words_phrases_and_prefixes_not_negated_terms() {
        let (q, _) = parse("text:oil \"prime minister\" text:sanc* !text:the");
        let text = "The Prime\nMinister said: OIL, toil, sanctions; the oil.";
        let spans: Vec<&str> = hit_spans(&q, text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(spans, ["Prime\nMinister", "OIL", "sanctions", "oil"]);
    }

    #[test]
    fn a_snippet_is_one_line_around_the_first_hit() {
        let (q, _) = parse("text:café");
        let text = format!(
            "{}\n\nthe Café  opened. {}",
            "word ".repeat(50),
            "more ".repeat(50)
        );
        let s = snippet(&q, &text, 40);
        assert!(
            s.text.chars().count() <= 40 && !s.text.contains('\n'),
            "{s:?}"
        );
        assert_eq!(s.hits.len(), 1);
        assert_eq!(&s.text[s.hits[0].clone()], "Café");
        assert!(
            s.text.starts_with("word ") || s.text.starts_with("the "),
            "starts inside a word: {s:?}"
        );
        // No hit: the start of the text.
        let none = snippet(&parse("text:zz").0, "a b c", 10);
        assert_eq!((none.text.as_str(), none.hits.len()), ("a b c", 0));
    }
}
