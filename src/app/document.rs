//! The reading view's text laid out for a width: a pure function of a cable, shared by the
//! state (scroll bounds, search matches) and the view (drawing), so both agree on every line.

use crate::cable::Cable;
use crate::corpus::query::Query;
use crate::corpus::query::TextScope;
use crate::search::hit_spans_where;

/// What a piece of a line is, for the view to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Text,
    Heading,
    ParagraphNumber,
    PortionMark,
    Label,
    Value,
    Dim,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub role: Role,
    pub text: String,
}

/// One screen line of the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocLine {
    pub pieces: Vec<Piece>,
}

impl DocLine {
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    fn push(&mut self, role: Role, text: impl Into<String>) {
        self.pieces.push(Piece {
            role,
            text: text.into(),
        });
    }
}

/// The whole document: the header panel (who, when, how urgent and secret, TAGS with their
/// meanings, references and citers with the selected one marked), a rule, then the body.
/// `selected_reference` counts the references, then `citers` (the ids of the cables citing
/// this one).
pub fn layout(
    cable: &Cable,
    width: u16,
    selected_reference: usize,
    citers: &[String],
) -> Vec<DocLine> {
    let mut lines = layout_header(cable, width, selected_reference, citers);
    lines.push(DocLine {
        pieces: vec![Piece {
            role: Role::Dim,
            text: "─".repeat(width.max(1) as usize),
        }],
    });
    lines.extend(layout_body(cable, width));
    lines
}

/// Label column width of the header panel.
const LABEL: usize = 10;

fn labelled(lines: &mut Vec<DocLine>, label: &str, value: &str, width: u16, role: Role) {
    let room = (width as usize).saturating_sub(LABEL).max(10);
    for (i, chunk) in wrap(value, room + LABEL, LABEL, LABEL)
        .into_iter()
        .enumerate()
    {
        let mut line = DocLine::default();
        let head = if i == 0 { label } else { "" };
        line.push(Role::Label, format!("{head:<LABEL$}"));
        line.push(role, chunk);
        lines.push(line);
    }
}

pub fn layout_header(
    cable: &Cable,
    width: u16,
    selected_reference: usize,
    citers: &[String],
) -> Vec<DocLine> {
    let mut lines = Vec::new();
    let mut title = DocLine::default();
    title.push(Role::Heading, cable.id.clone());
    let when = cable.date.map_or_else(
        || "date unknown".to_string(),
        |d| d.format("%Y-%m-%d %H:%MZ").to_string(),
    );
    // The classification is on the banner above: the title keeps to what fits a line.
    title.push(Role::Dim, format!("  {when}  {}", cable.precedence));
    lines.push(title);
    if !cable.subject.is_empty() {
        labelled(&mut lines, "Subject", &cable.subject, width, Role::Heading);
    }
    let from = if cable.origin.is_empty() || cable.from.is_empty() {
        format!("{}{}", cable.from, cable.origin)
    } else {
        format!("{} ({})", cable.from, cable.origin)
    };
    if !from.is_empty() {
        labelled(&mut lines, "From", &from, width, Role::Value);
    }
    let addressees = |list: &[crate::cable::Recipient]| {
        list.iter()
            .map(|r| match &r.precedence {
                Some(p) => format!("{} ({p})", r.name),
                None => r.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !cable.to.is_empty() {
        labelled(&mut lines, "To", &addressees(&cable.to), width, Role::Value);
    }
    if !cable.info.is_empty() {
        labelled(
            &mut lines,
            "Info",
            &addressees(&cable.info),
            width,
            Role::Value,
        );
    }
    for (i, tag) in cable.tags.iter().enumerate() {
        let meaning = crate::cable::tag_meaning::meaning(tag).unwrap_or("");
        let label = if i == 0 { "Tags" } else { "" };
        labelled(
            &mut lines,
            label,
            &format!("{tag:<6} {meaning}"),
            width,
            Role::Value,
        );
    }
    if !cable.caveats.is_empty() {
        labelled(
            &mut lines,
            "Caveats",
            &cable.caveats.join(" "),
            width,
            Role::Value,
        );
    }
    for (i, r) in cable.references.iter().enumerate() {
        let label = if i == 0 { "Refs" } else { "" };
        let marker = if i == selected_reference {
            "▸ "
        } else {
            "  "
        };
        let role = if i == selected_reference {
            Role::Heading
        } else {
            Role::Value
        };
        labelled(&mut lines, label, &format!("{marker}{r}"), width, role);
    }
    cited_by(
        &mut lines,
        citers,
        selected_reference.checked_sub(cable.references.len()),
        width,
    );
    if !cable.classified_by.is_empty() {
        labelled(
            &mut lines,
            "Class. by",
            &cable.classified_by.join("; "),
            width,
            Role::Value,
        );
    }
    if let Some(d) = cable.declassify_on {
        labelled(
            &mut lines,
            "Declass.",
            &d.format("%Y-%m-%d").to_string(),
            width,
            Role::Value,
        );
    }
    if !cable.signed_by.is_empty() {
        labelled(
            &mut lines,
            "Signed",
            &cable.signed_by.join(", "),
            width,
            Role::Value,
        );
    }
    lines
}

/// Citers shown in the header before `… N more`; `tab` reaches the others, and the thread
/// view shows them all.
pub const CITERS_SHOWN: usize = 6;

/// The `Cited by` lines: the count, the first few ids, and the selected one (marked) even
/// when it is further down the list.
fn cited_by(lines: &mut Vec<DocLine>, citers: &[String], selected: Option<usize>, width: u16) {
    if citers.is_empty() {
        return;
    }
    let mut chips: Vec<(String, Role)> = vec![(format!("{}:", citers.len()), Role::Dim)];
    let mut shown: Vec<usize> = (0..citers.len().min(CITERS_SHOWN)).collect();
    if let Some(s) = selected.filter(|&s| s >= CITERS_SHOWN && s < citers.len()) {
        chips.extend(shown.drain(..).map(|i| (citers[i].clone(), Role::Value)));
        chips.push(("…".into(), Role::Dim));
        shown.push(s);
    }
    for i in shown.iter().copied() {
        if Some(i) == selected {
            chips.push((format!("▸ {}", citers[i]), Role::Heading));
        } else {
            chips.push((citers[i].clone(), Role::Value));
        }
    }
    let last_shown = shown.last().copied().unwrap_or(0);
    let rest = citers.len().saturating_sub(last_shown + 1);
    if rest > 0 {
        chips.push((format!("… {rest} more"), Role::Dim));
    }
    let room = (width as usize).saturating_sub(LABEL).max(10);
    let mut line = DocLine::default();
    line.push(Role::Label, format!("{:<LABEL$}", "Cited by"));
    let mut used = 0;
    for (text, role) in chips {
        let w = text.chars().count();
        if used > 0 && used + 1 + w > room {
            lines.push(std::mem::take(&mut line));
            line.push(Role::Label, " ".repeat(LABEL));
            used = 0;
        }
        if used > 0 {
            line.push(Role::Value, " ");
            used += 1;
        }
        line.push(role, text);
        used += w;
    }
    lines.push(line);
}

/// The body laid out in lines of at most `width` columns: paragraphs with their number and
/// portion mark, wrapped with a hanging indent, a blank line between paragraphs.
pub fn layout_body(cable: &Cable, width: u16) -> Vec<DocLine> {
    let width = (width as usize).max(20);
    let mut lines = Vec::new();
    for p in &cable.paragraphs {
        let mut prefix = Vec::new();
        if let Some(n) = p.number {
            prefix.push(Piece {
                role: Role::ParagraphNumber,
                text: format!("{n}. "),
            });
        }
        if let Some(mark) = &p.portion {
            prefix.push(Piece {
                role: Role::PortionMark,
                text: format!("({mark}) "),
            });
        }
        let indent = if p.number.is_some() { 4 } else { 0 };
        let role = if p.number.is_none() && is_heading(&p.text) {
            Role::Heading
        } else {
            Role::Text
        };
        let mut first = true;
        for (k, source_line) in p.text.split('\n').enumerate() {
            let lead = if first {
                prefix.iter().map(|x| x.text.chars().count()).sum::<usize>()
            } else {
                indent
            };
            let wrapped = wrap(source_line, width, lead, indent);
            for (i, chunk) in wrapped.into_iter().enumerate() {
                let mut line = DocLine::default();
                if first && i == 0 && k == 0 {
                    line.pieces.extend(prefix.iter().cloned());
                } else {
                    line.push(Role::Text, " ".repeat(indent));
                }
                line.push(role, chunk);
                lines.push(line);
                first = false;
            }
        }
        lines.push(DocLine::default());
    }
    while lines.last().is_some_and(|l| l.pieces.is_empty()) {
        lines.pop();
    }
    lines
}

fn is_heading(text: &str) -> bool {
    text.len() < 60
        && !text.contains('\n')
        && !text.ends_with('.')
        && text.chars().any(|c| c.is_alphabetic())
}

/// Greedy word wrap: the first line has `first_lead` columns taken, later ones `indent`.
/// Words longer than a line are cut. Widths are display columns, as the terminal draws them
/// (a CJK character or an emoji takes two), so no line is wider than `width` and none is cut
/// off when drawn.
pub fn wrap(text: &str, width: usize, first_lead: usize, indent: usize) -> Vec<String> {
    // Wrapped as it will be drawn: a control character is shown escaped (`\u{202e}`, eight
    // columns), and wrapping the raw one (one column) would push text off the line.
    let text = crate::sanitize::safe(text);
    let columns = |c: &char| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
    let mut out = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut room = width.saturating_sub(first_lead).max(10);
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let need = word.iter().map(columns).sum::<usize>() + usize::from(used > 0);
            if used + need <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(word.iter());
                used += need;
                break;
            }
            if used > 0 {
                out.push(std::mem::take(&mut line));
                used = 0;
                room = width.saturating_sub(indent).max(10);
                continue;
            }
            // A word wider than the line: cut it where the line is full (one character at
            // least, so a line narrower than a wide character still moves on).
            let mut taken = 0;
            let mut cut = 0;
            for c in &word {
                if cut > 0 && taken + columns(c) > room {
                    break;
                }
                taken += columns(c);
                cut += 1;
            }
            let rest = word.split_off(cut);
            line.extend(word.iter());
            out.push(std::mem::take(&mut line));
            room = width.saturating_sub(indent).max(10);
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// A match in the document: its line and its columns there (chars, end excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    /// The rest of a hit wrapped from the line before: drawn, but not counted or stepped
    /// to on its own.
    pub continues: bool,
}

/// The hits that start a match: what is counted and what `n`/`N` step through.
pub fn counted(hits: &[Hit]) -> Vec<Hit> {
    hits.iter().filter(|h| !h.continues).copied().collect()
}

/// The `n`th counted hit (see [`counted`]) with the rest of a phrase wrapped onto the lines
/// below it: all of it is marked as the current one.
pub fn current_parts(hits: &[Hit], n: Option<usize>) -> Vec<Hit> {
    let Some(at) = n.and_then(|n| {
        hits.iter()
            .enumerate()
            .filter(|(_, h)| !h.continues)
            .nth(n)
            .map(|(at, _)| at)
    }) else {
        return Vec::new();
    };
    let rest = hits[at + 1..].iter().take_while(|h| h.continues);
    std::iter::once(&hits[at]).chain(rest).copied().collect()
}

/// Where `pattern` occurs, case-insensitively, as [`Hit`]s. Blanks match any run of blanks,
/// line ends included, so a phrase the window wraps is found: one [`Hit`] per line it is on.
pub fn find_hits(lines: &[DocLine], pattern: &str) -> Vec<Hit> {
    let needle: Vec<char> = collapsed(pattern.chars().flat_map(char::to_lowercase));
    if needle.is_empty() {
        return Vec::new();
    }
    // The document as one text of lower-case characters with blank runs made one space,
    // each character with the line and column it is drawn at.
    let mut hay: Vec<char> = Vec::new();
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if n > 0 && hay.last().is_some_and(|&c| c != ' ') {
            hay.push(' ');
            at.push((n, 0));
        }
        for (col, c) in line.text().chars().enumerate() {
            if c.is_whitespace() {
                if hay.last().is_some_and(|&c| c != ' ') {
                    hay.push(' ');
                    at.push((n, col));
                }
                continue;
            }
            for lower in c.to_lowercase() {
                hay.push(lower);
                at.push((n, col));
            }
        }
    }
    let mut hits = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()] != needle[..] {
            i += 1;
            continue;
        }
        let (first_line, start) = at[i];
        let (last_line, last) = at[i + needle.len() - 1];
        for (line, doc_line) in lines
            .iter()
            .enumerate()
            .take(last_line + 1)
            .skip(first_line)
        {
            let text = doc_line.text();
            let from = if line == first_line {
                start
            } else {
                // The wrapped rest starts at its first word, not at the indent.
                text.chars().take_while(|c| c.is_whitespace()).count()
            };
            let to = if line == last_line {
                last + 1
            } else {
                text.trim_end().chars().count()
            };
            if from < to {
                hits.push(Hit {
                    line,
                    start: from,
                    end: to,
                    continues: line > first_line,
                });
            }
        }
        i += needle.len();
    }
    hits
}

/// `chars` with runs of blanks made one space and no blank at either end.
fn collapsed(chars: impl Iterator<Item = char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in chars {
        if c.is_whitespace() {
            if out.last().is_some_and(|&c| c != ' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    if out.last() == Some(&' ') {
        out.pop();
    }
    out
}

/// Where the query's text terms hit ([`crate::search::hit_spans`]) in what the index holds
/// of a laid-out document: the Subject lines (for `text:` terms) and the body below the
/// rule (for every text term); the other header lines are not searched. Lines without a
/// rule are all body. Each part is taken as one text, so a phrase wrapped onto the next
/// line is found; such a hit is one [`Hit`] per line.
pub fn text_hits(lines: &[DocLine], query: &Query) -> Vec<Hit> {
    let Some(rule) = lines.iter().position(is_rule) else {
        return hits_in(lines, 0, query, |_| true);
    };
    let subject_start = lines[..rule]
        .iter()
        .position(|l| label_of(l) == Some("Subject"));
    let mut hits = match subject_start {
        Some(start) => {
            let len = lines[start + 1..rule]
                .iter()
                .take_while(|l| label_of(l) == Some(""))
                .count();
            hits_in(&lines[start..=start + len], start, query, |scope| {
                scope == TextScope::SubjectOrBody
            })
        }
        None => Vec::new(),
    };
    hits.extend(hits_in(&lines[rule + 1..], rule + 1, query, |_| true));
    hits
}

/// The rule [`layout`] draws between the header panel and the body.
fn is_rule(line: &DocLine) -> bool {
    matches!(line.pieces.as_slice(), [Piece { role: Role::Dim, text }] if !text.is_empty() && text.chars().all(|c| c == '─'))
}

/// The label of a header line (`Subject`, or blank for a continuation), if it has one.
fn label_of(line: &DocLine) -> Option<&str> {
    match line.pieces.first() {
        Some(Piece {
            role: Role::Label,
            text,
        }) => Some(text.trim()),
        _ => None,
    }
}

/// The hits in `lines`, which start at line `offset` of the document.
fn hits_in(
    lines: &[DocLine],
    offset: usize,
    query: &Query,
    searches: impl Fn(TextScope) -> bool,
) -> Vec<Hit> {
    let texts: Vec<String> = lines.iter().map(DocLine::text).collect();
    let joined = texts.join("\n");
    let mut starts = Vec::with_capacity(texts.len());
    let mut at = 0;
    for t in &texts {
        starts.push(at);
        at += t.len() + 1;
    }
    let mut hits = Vec::new();
    for span in hit_spans_where(query, &joined, searches) {
        let first = starts
            .partition_point(|&s| s <= span.start)
            .saturating_sub(1);
        for (line, text) in texts.iter().enumerate().skip(first) {
            let start = starts[line];
            if start >= span.end {
                break;
            }
            let mut from = span.start.saturating_sub(start).min(text.len());
            let continues = line > first;
            if continues {
                // Not the indent the wrapped rest stands after.
                from += text[from..].len() - text[from..].trim_start().len();
            }
            let to = (span.end - start).min(text.len());
            if from >= to || !text.is_char_boundary(from) || !text.is_char_boundary(to) {
                continue;
            }
            let start = text[..from].chars().count();
            hits.push(Hit {
                line: offset + line,
                start,
                end: start + text[from..to].chars().count(),
                continues,
            });
        }
    }
    hits
}

/// Lines (and char column) where `pattern` starts, case-insensitively (see [`find_hits`]).
pub fn find(lines: &[DocLine], pattern: &str) -> Vec<(usize, usize)> {
    counted(&find_hits(lines, pattern))
        .iter()
        .map(|h| (h.line, h.start))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_wrapped_as_drawn_and_no_word_is_lost() {
        let text = "alpha \u{202e}beta gamma delta \u{1b}[31mred epsilon";
        let lines = wrap(text, 14, 0, 0);
        assert!(lines.iter().all(|l| l.chars().count() <= 14), "{lines:?}");
        let joined = lines.join(" ");
        for word in [
            "alpha",
            "\\u{202e}beta",
            "gamma",
            "delta",
            "\\u{1b}[31mred",
            "epsilon",
        ] {
            assert!(joined.contains(word), "{word} lost: {lines:?}");
        }
    }

    #[test]
    fn wide_characters_take_two_columns_and_no_word_is_lost() {
        let columns = |l: &String| unicode_width::UnicodeWidthStr::width(l.as_str());
        let text = format!(
            "{} target word here and 日本語 target again {} END",
            "北京上海广州深圳".repeat(4),
            "😀".repeat(30)
        );
        for width in [20, 40, 60, 80] {
            let lines = wrap(&text, width, 0, 0);
            assert!(
                lines.iter().all(|l| columns(l) <= width),
                "{width}: {lines:?}"
            );
            assert_eq!(
                lines.concat().replace(' ', ""),
                text.replace(' ', ""),
                "{width}: text lost"
            );
        }
    }

    #[test]
    fn wraps_with_hanging_indent_and_cuts_long_words() {
        assert_eq!(wrap("aaa bbb ccc ddd", 12, 4, 4), ["aaa bbb", "ccc ddd"]);
        let long = wrap(&"x".repeat(25), 10, 0, 0);
        assert_eq!(long, vec!["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
        assert_eq!(wrap("", 10, 0, 0), vec![String::new()]);
    }

    /// Only what the index holds is marked: the subject for `text:`, the body for both, and
    /// never the other header lines (From, To, Tags, ...).
    #[test]
    fn text_hits_mark_the_subject_only_for_text_terms_and_never_other_header_lines() {
        let raw = crate::cable::RawCable {
            header: "FM MINISTER OFFICE\nTO SECSTATE WASHDC\n".into(),
            body: "UNCLAS\n\nSUBJECT: THE MINISTER TRAVELS\n\n1. The minister left.\n".into(),
            ..Default::default()
        };
        let cable = crate::cable::Cable::from_raw(&raw);
        let lines = layout(&cable, 80, 0, &[]);
        let line_of = |needle: &str| {
            lines
                .iter()
                .position(|l| l.text().contains(needle))
                .unwrap_or_else(|| panic!("no line with {needle}"))
        };
        let (subject, from, body) = (
            line_of("MINISTER TRAVELS"),
            line_of("MINISTER OFFICE"),
            line_of("The minister left"),
        );
        let marked = |q: &str| {
            let (query, _) = crate::corpus::query::parse(q);
            let mut lines: Vec<usize> = text_hits(&lines, &query).iter().map(|h| h.line).collect();
            lines.dedup();
            lines
        };
        assert_eq!(marked("text:minister"), [subject, body]);
        assert_eq!(marked("body:minister"), [body]);
        assert!(!marked("text:minister").contains(&from));
    }

    #[test]
    fn text_hits_follow_a_phrase_onto_the_next_line() {
        let mut a = DocLine::default();
        a.push(Role::Text, "the prime");
        let mut b = DocLine::default();
        b.push(Role::Text, "    minister said");
        let (query, _) = crate::corpus::query::parse("text:\"prime minister\" text:sai*");
        let hit = |line, start, end, continues| Hit {
            line,
            start,
            end,
            continues,
        };
        let hits = text_hits(&[a, b], &query);
        // The wrapped rest starts at its word, not at the indent, and is not counted again.
        assert_eq!(
            hits,
            [
                hit(0, 4, 9, false),
                hit(1, 4, 12, true),
                hit(1, 13, 17, false)
            ]
        );
        assert_eq!(counted(&hits).len(), 2);
        // The current hit is the whole phrase, on both lines.
        assert_eq!(
            current_parts(&hits, Some(0)),
            [hit(0, 4, 9, false), hit(1, 4, 12, true)]
        );
        assert_eq!(current_parts(&hits, Some(1)), [hit(1, 13, 17, false)]);
        assert_eq!(current_parts(&hits, Some(2)), []);
        assert_eq!(current_parts(&hits, None), []);
    }

    #[test]
    fn search_finds_every_occurrence() {
        let mut a = DocLine::default();
        a.push(Role::Text, "Iran and IRAN");
        let lines = vec![a, DocLine::default()];
        assert_eq!(find(&lines, "iran"), vec![(0, 0), (0, 9)]);
        assert!(find(&lines, "").is_empty());
        assert!(find(&lines, "  ").is_empty());
    }

    #[test]
    fn search_finds_a_phrase_the_window_wraps() {
        let mut a = DocLine::default();
        a.push(Role::Text, "the Prime");
        let mut b = DocLine::default();
        b.push(Role::Text, "    minister  said");
        let hit = |line, start, end, continues| Hit {
            line,
            start,
            end,
            continues,
        };
        assert_eq!(
            find_hits(&[a.clone(), b.clone()], "prime minister"),
            [hit(0, 4, 9, false), hit(1, 4, 12, true)]
        );
        // Blank runs in the text or the pattern match one blank.
        assert_eq!(find_hits(&[a, b], "minister said"), [hit(1, 4, 18, false)]);
    }
}
