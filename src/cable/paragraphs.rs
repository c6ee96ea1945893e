//! The body as the analyst reads it: numbered paragraphs with their portion marks.
//!
//! Telegram bodies carry transmission furniture between the paragraphs (page-break lines such
//! as `MOSCOW 00001052  002 OF 003`, old `PAGE 02 ...` headers, repeated classification
//! banners, `SIPDIS`), which is taken out of the reading text. Hard-wrapped lines are joined so
//! the view can wrap to the terminal, while bullet lines keep their own line. The `11.` artefact
//! of pages copied from the web (a paragraph anchor turned into a leading `1`) is repaired.
//! The signature block (`BURNS`) and the trailer lines below it are not reading text: the
//! signature is shown as its own field (see [`super::signed_by`]).

use super::clean;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// One paragraph of the reading text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub number: Option<u32>,
    /// Portion mark as written without parentheses: `C`, `S/NF`, `SBU`.
    pub portion: Option<String>,
    /// The text with hard wraps joined; `\n` only before bullet and list lines.
    pub text: String,
}

static PAGE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Z .'-]{1,40}?\s+\d{4,8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}$")
        .expect("static regex")
});
static OLD_PAGE_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^PAGE\s+\d{2,3}\s+[A-Z].*?\d{6}Z(?:\s+|$)").expect("static regex")
});
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:C O N F I D E N T I A L|S E C R E T|U N C L A S S I F I E D|CONFIDENTIAL|SECRET|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE)(?:\s+SECTION\s+\d+\s+OF\s+\d+\s+[A-Z][A-Z ]*\d+)?(?:\s+PTQ\d+)?$",
    )
    .expect("static regex")
});
static PREAMBLE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:SUBJECT|SUBJ|TAGS?|E\.?\s?O\.?\s*1\d{4}|REFS?|REFTEL|CLASSIFIED\s+BY|DERIVED\s+FROM|REASONS?)\b",
    )
    .expect("static regex")
});
/// `1. (C) `, `1.(S/NF) `, `2. C) ` (a malformed mark), `3. ` - but not `1.4 (b)`.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{1,3})\.(?:\s*\(\s*([A-Za-z]{1,4}(?:\s*/{1,2}\s*[A-Za-z][A-Za-z ]{0,15})?)\s*\)\s*|\s*([A-Z]{1,4}(?:/[A-Z]{1,4})?)\)\s*|\s+|$)",
    )
    .expect("static regex")
});
static LATER_SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"SECTION\s+0*([2-9]|\d{2,})\s+OF\b").expect("static regex"));

/// Splits a normalised body into reading paragraphs.
pub fn split(body: &str) -> Vec<Paragraph> {
    let signature = super::signed_by::parse_signed_by(body, false).pop();
    split_signed(body, signature.as_deref())
}

/// [`split`] for a caller that has read the signature already (as
/// [`super::signed_by::parse_signed_by`] gives it without `c14n`): it is not read twice.
pub fn split_signed(body: &str, signature: Option<&str>) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = split_into(body, signature);
    let later_section = body
        .get(..body.len().min(600))
        .or(Some(body))
        .is_some_and(|head| LATER_SECTION.is_match(head));
    if !later_section {
        repair_anchor_numbers(&mut paragraphs);
    }
    paragraphs
}

/// How many paragraphs [`split_signed`] gives, without keeping their text: a record that
/// prints only the count (`parse`) spares a string per paragraph. (Repairing anchor numbers
/// changes numbers, never which paragraphs have one, so the count does not need it.)
pub fn count_signed(body: &str, signature: Option<&str>) -> usize {
    split_into::<Shape>(body, signature).len()
}

/// What the split keeps of a paragraph: the whole of it ([`Paragraph`]), or only what the
/// later steps look at ([`Shape`]), for a count.
trait Kept: Sized {
    fn new(number: Option<u32>, portion: Option<&str>, text: &str) -> Self;
    fn number(&self) -> Option<u32>;
    /// Whether the text ends a sentence, so that a block in lower case does not continue it.
    fn ends_sentence(&self) -> bool;
    /// Appends `text` after `separator` (a blank or a line end).
    fn append(&mut self, separator: char, text: &str);
    /// Whether this is the signature block of `name` ([`drop_signature`]).
    fn signs(&self, name: &str) -> bool;
}

const SENTENCE_ENDS: [char; 5] = ['.', ':', '?', '!', '"'];

impl Kept for Paragraph {
    fn new(number: Option<u32>, portion: Option<&str>, text: &str) -> Self {
        Paragraph {
            number,
            portion: portion.map(str::to_ascii_uppercase),
            text: text.to_string(),
        }
    }
    fn number(&self) -> Option<u32> {
        self.number
    }
    fn ends_sentence(&self) -> bool {
        self.text.ends_with(SENTENCE_ENDS)
    }
    fn append(&mut self, separator: char, text: &str) {
        self.text.push(separator);
        self.text.push_str(text);
    }
    fn signs(&self, name: &str) -> bool {
        is_signature_block(&self.text, name)
            && (self.number.is_none() || self.text.len() == name.len())
    }
}

/// A paragraph as a count needs it: whether it is numbered, its length and last character,
/// and its text only while it is short enough to be a signature block.
struct Shape {
    numbered: bool,
    len: usize,
    last: Option<char>,
    short: Option<String>,
}

impl Shape {
    /// The text, if [`is_signature_block`] could accept it: at most 40 bytes once its end is
    /// trimmed. A longer one stays too long whatever is appended, as what is appended starts
    /// with a character the trim keeps.
    fn short_text(text: &str) -> Option<String> {
        (signature_trimmed(text).len() <= SIGNATURE_MAX).then(|| text.to_string())
    }
}

impl Kept for Shape {
    fn new(number: Option<u32>, _portion: Option<&str>, text: &str) -> Self {
        Shape {
            numbered: number.is_some(),
            len: text.len(),
            last: text.chars().next_back(),
            short: Shape::short_text(text),
        }
    }
    fn number(&self) -> Option<u32> {
        // Only whether there is one matters to a count.
        self.numbered.then_some(0)
    }
    fn ends_sentence(&self) -> bool {
        self.last.is_some_and(|c| SENTENCE_ENDS.contains(&c))
    }
    fn append(&mut self, separator: char, text: &str) {
        self.len += separator.len_utf8() + text.len();
        self.last = text.chars().next_back().or(Some(separator));
        if let Some(short) = &mut self.short {
            short.push(separator);
            short.push_str(text);
            if signature_trimmed(short).len() > SIGNATURE_MAX {
                self.short = None;
            }
        }
    }
    fn signs(&self, name: &str) -> bool {
        self.short
            .as_deref()
            .is_some_and(|text| is_signature_block(text, name))
            && (!self.numbered || self.len == name.len())
    }
}

/// The paragraphs of a normalised body, the signature block dropped, numbers as written.
fn split_into<K: Kept>(body: &str, signature: Option<&str>) -> Vec<K> {
    let lines = reading_lines(body);
    let start = reading_start(&lines);
    let mut paragraphs: Vec<K> = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    // Sized for most paragraphs at once.
    let mut text = String::with_capacity(1024);
    let mut last_number = 0;
    for line in lines.iter().skip(start) {
        let t = clean::trim(line);
        if t.is_empty() || is_rule(t) {
            flush(&mut block, &mut paragraphs, &mut text);
            continue;
        }
        // The next numbered paragraph can follow a heading or text without a blank line.
        if let Some(n) = paragraph_number(t) {
            if n == last_number + 1 || block.is_empty() {
                flush(&mut block, &mut paragraphs, &mut text);
                last_number = n;
            }
        }
        block.push(line);
    }
    flush(&mut block, &mut paragraphs, &mut text);
    if let Some(name) = signature {
        drop_signature(&mut paragraphs, name);
    }
    paragraphs
}

/// How far from the end the signature block may sit: below it come at most trailer
/// blocks (release stamps, `End Cable Text`), which go with it.
const SIGNATURE_FROM_END: usize = 3;

/// Removes the signature block and whatever follows it. The block is a short unnumbered one
/// ending with the name that signs the cable: `BURNS`, `Clinton`, `GP-3 SACCIO`,
/// `END OF TEXT. BAKER`; or the name alone after an empty number (`18.`). Some copies sign
/// twice. A signature glued to the last paragraph's text stays there.
fn drop_signature<K: Kept>(paragraphs: &mut Vec<K>, name: &str) {
    loop {
        let tail_start = paragraphs.len().saturating_sub(SIGNATURE_FROM_END);
        let Some(offset) = paragraphs[tail_start..].iter().rposition(|p| p.signs(name)) else {
            return;
        };
        let at = tail_start + offset;
        if !paragraphs[at + 1..].iter().all(|p| p.number().is_none()) {
            return;
        }
        paragraphs.truncate(at);
    }
}

/// The longest signature block, its end trimmed.
const SIGNATURE_MAX: usize = 40;

fn signature_trimmed(text: &str) -> &str {
    text.trim_end_matches(['.', '#', ',', '\\', '>', ' ', '\n'])
}

fn is_signature_block(text: &str, name: &str) -> bool {
    let t = signature_trimmed(text);
    let Some(split) = t.len().checked_sub(name.len()) else {
        return false;
    };
    let (before, last) = (t.get(..split), t.get(split..));
    let (Some(before), Some(last)) = (before, last) else {
        return false;
    };
    let name_ends_it = last.eq_ignore_ascii_case(name)
        && (before.is_empty() || before.ends_with(|c: char| c.is_whitespace() || c == '.'));
    name_ends_it && t.len() <= SIGNATURE_MAX && t.split_whitespace().count() <= 4
}

/// The body's lines without transmission furniture.
fn reading_lines(body: &str) -> Vec<&str> {
    // Lines are rarely shorter than this: the vector grows once at most.
    let mut out = Vec::with_capacity(body.len() / 32 + 1);
    for (i, raw) in clean::split_lines(body).enumerate() {
        let line = clean::trim_end(raw);
        let t = clean::trim_start(line);
        // All furniture starts with a capital: most lines are settled by one byte.
        if !t.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push(line);
            continue;
        }
        if t == "SIPDIS" || t == "BT" || t == "NNNN" {
            continue;
        }
        if t.ends_with(|c: char| c.is_ascii_digit()) && t.contains(" OF ") && PAGE_BREAK.is_match(t)
        {
            continue;
        }
        // The caption line opens the body; later banners are page furniture.
        if i > 0 && could_be_banner(t) && BANNER.is_match(t) {
            continue;
        }
        if t.starts_with("PAGE ") {
            if let Some(m) = OLD_PAGE_HEADER.find(t) {
                let rest = &t[m.end()..];
                if !rest.is_empty() {
                    out.push(rest);
                }
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// Index of the first line of the reading text: after the block holding the last preamble
/// field (SUBJECT, REF, Classified By, ...) that comes before the first numbered paragraph.
fn reading_start(lines: &[&str]) -> usize {
    let first_numbered = lines
        .iter()
        .position(|l| {
            paragraph_number(clean::trim_start(l)).is_some() && clean::trim_start(l).len() > 3
        })
        .unwrap_or(lines.len());
    let last_field = lines[..first_numbered].iter().rposition(|l| {
        let t = clean::trim_start(l);
        t.starts_with(['S', 's', 'T', 't', 'E', 'e', 'R', 'r', 'C', 'c', 'D', 'd'])
            && PREAMBLE_FIELD.is_match(t)
    });
    match last_field {
        Some(i) => {
            let mut j = i;
            while j < first_numbered && !clean::trim(lines[j]).is_empty() {
                j += 1;
            }
            j
        }
        None if first_numbered < lines.len() => first_numbered,
        // No field and no numbered paragraph: skip the caption line only.
        None => lines
            .iter()
            .position(|l| !clean::trim(l).is_empty())
            .map_or(0, |first| {
                if BANNER.is_match(clean::trim(lines[first])) || is_caption(lines[first]) {
                    first + 1
                } else {
                    first
                }
            }),
    }
}

/// The number opening a paragraph line: what [`NUMBERED`] accepts, decided without it
/// (this runs on every line that starts with a digit).
fn paragraph_number(line: &str) -> Option<u32> {
    if !could_be_numbered(line) {
        return None;
    }
    let dot = line.find('.')?;
    let after = line[dot + 1..].chars().next();
    let opens = match after {
        None => true,
        Some(c) => c.is_whitespace() || c == '(' || c.is_ascii_uppercase(),
    };
    if !opens {
        return None;
    }
    // `2.C) ` and `3. (C) ` need the full rule to tell a portion mark from a word.
    if after.is_some_and(|c| c.is_ascii_uppercase()) && numbered_prefix(line).is_none() {
        return None;
    }
    line[..dot].parse().ok()
}

/// What [`NUMBERED`] captures at the start of a line.
#[derive(Debug, PartialEq, Eq)]
struct Numbered<'a> {
    number: Option<u32>,
    portion: Option<&'a str>,
    /// Where the paragraph's text starts.
    end: usize,
}

fn numbered_prefix(line: &str) -> Option<Numbered<'_>> {
    match numbered_prefix_ascii(line) {
        Some(decided) => decided,
        None => numbered_prefix_by_regex(line),
    }
}

fn numbered_prefix_by_regex(line: &str) -> Option<Numbered<'_>> {
    let c = NUMBERED.captures(line)?;
    Some(Numbered {
        number: c.get(1).and_then(|m| m.as_str().parse().ok()),
        portion: c.get(2).or(c.get(3)).map(|m| m.as_str()),
        end: c.get(0).map_or(0, |m| m.end()),
    })
}

/// [`NUMBERED`] decided by hand for the plain forms nearly every paragraph has (`1. `,
/// `2. (C) `, `3.(S//NF) `, `4. C) `): its captures cost more than the rest of the
/// paragraph split. `None` leaves the line to the regex (blanks inside the parentheses,
/// non-ASCII blanks, ...); a property test holds the two equal.
fn numbered_prefix_ascii(line: &str) -> Option<Option<Numbered<'_>>> {
    // What `\s` matches in ASCII.
    fn blank(b: u8) -> bool {
        matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
    }
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=3).contains(&digits) || bytes.get(digits) != Some(&b'.') {
        return Some(None);
    }
    let number = line[..digits].parse().ok();
    let blanks_from = |at: usize| at + bytes[at..].iter().take_while(|&&b| blank(b)).count();
    // After ASCII blanks, a non-ASCII character may be a blank the regex also takes.
    let decided_at = |at: usize| bytes.get(at).is_none_or(u8::is_ascii);
    let letters_from = |at: usize, upper_only: bool| {
        bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_uppercase() || (!upper_only && b.is_ascii_lowercase()))
            .count()
    };
    let dot = digits + 1;
    let mark = blanks_from(dot);
    if !decided_at(mark) {
        return None;
    }
    let found = |portion: Option<&'static str>, at: usize| Numbered {
        number,
        portion,
        end: at,
    };
    match bytes.get(mark) {
        Some(b'(') => {
            // `(C)`, `(SBU)`, `(S/NF)`, `(S//NF)`: no blanks inside.
            let first = letters_from(mark + 1, false);
            let mut close = mark + 1 + first;
            if !(1..=4).contains(&first) {
                return None;
            }
            if bytes.get(close) == Some(&b'/') {
                close += 1 + usize::from(bytes.get(close + 1) == Some(&b'/'));
                let second = letters_from(close, false);
                if !(1..=16).contains(&second) {
                    return None;
                }
                close += second;
            }
            if bytes.get(close) != Some(&b')') {
                return None;
            }
            let end = blanks_from(close + 1);
            decided_at(end).then(|| {
                Some(Numbered {
                    portion: line.get(mark + 1..close),
                    ..found(None, end)
                })
            })
        }
        Some(b) if b.is_ascii_uppercase() => {
            // `C) `, `S/NF) `: a portion mark that lost its opening parenthesis.
            let first = letters_from(mark, true);
            let mut close = mark + first;
            if first <= 4 && bytes.get(close) == Some(&b'/') {
                let second = letters_from(close + 1, true);
                if (1..=4).contains(&second) {
                    close += 1 + second;
                }
            }
            if first <= 4 && bytes.get(close) == Some(&b')') {
                let end = blanks_from(close + 1);
                return decided_at(end).then(|| {
                    Some(Numbered {
                        portion: line.get(mark..close),
                        ..found(None, end)
                    })
                });
            }
            Some((mark > dot).then(|| found(None, mark)))
        }
        None => Some(Some(found(None, mark))),
        Some(_) => Some((mark > dot).then(|| found(None, mark))),
    }
}

/// A cheap test before [`BANNER`], which would otherwise run on most lines.
fn could_be_banner(t: &str) -> bool {
    const OPENINGS: [&str; 7] = [
        "C O N",
        "S E C",
        "U N C",
        "CONFIDENTIAL",
        "SECRET",
        "UNCLAS",
        "LIMITED",
    ];
    t.len() < 90 && OPENINGS.iter().any(|o| t.starts_with(o))
}

/// A cheap test before the regex: one to three digits and a period.
fn could_be_numbered(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && line.as_bytes().get(digits) == Some(&b'.')
}

/// `-------`, `=====`, `___`: rules under headings.
fn is_rule(line: &str) -> bool {
    line.len() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '-' | '=' | '_' | '\u{2010}' | ' '))
}

fn is_caption(line: &str) -> bool {
    let t = clean::trim(line);
    t.starts_with("C O N F I D E N T I A L")
        || t.starts_with("S E C R E T")
        || t.starts_with("UNCLAS ")
        || t.starts_with("CONFIDENTIAL ")
        || t.starts_with("SECRET ")
        || t.starts_with("UNCLASSIFIED ")
}

fn is_bullet(line: &str) -> bool {
    let t = clean::trim_start(line);
    t.starts_with('-')
        || t.starts_with('*')
        || t.starts_with("o ")
        || t.starts_with('(') && t.get(2..3) == Some(")")
        || t.len() > 2
            && t.as_bytes()[0].is_ascii_alphabetic()
            && t.get(1..3) == Some(". ")
            && t.as_bytes()[0].is_ascii_uppercase()
        || t.len() > 2 && t.as_bytes()[0].is_ascii_lowercase() && t.get(1..3) == Some(") ")
}

/// Makes the block one paragraph of `out` (or part of the last one), built in `text`, which
/// is kept from block to block so that a count makes no string per paragraph.
fn flush<K: Kept>(block: &mut Vec<&str>, out: &mut Vec<K>, text: &mut String) {
    if block.is_empty() {
        return;
    }
    let first = clean::trim_start(block[0]);
    let numbered = if could_be_numbered(first) {
        numbered_prefix(first)
    } else {
        None
    };
    let (number, portion, first_rest) = match numbered {
        Some(n) => (n.number, n.portion, first.get(n.end..).unwrap_or("")),
        None => (None, None, first),
    };
    text.clear();
    text.push_str(clean::trim_end(first_rest));
    for line in &block[1..] {
        let t = clean::trim(line);
        if is_bullet(line) {
            text.push('\n');
        } else if text.ends_with('-')
            && text[..text.len() - 1].ends_with(|c: char| c.is_alphabetic())
            && t.starts_with(|c: char| c.is_alphabetic())
        {
            // A word hyphenated at the line end: keep the hyphen, drop the break.
        } else if !text.is_empty() && !text.ends_with('\n') {
            text.push(' ');
        }
        text.push_str(t);
    }
    block.clear();
    // `HEADING ----------` on one line: the rule is underlining, not text.
    let kept = text.trim_end_matches(['-', '=']).trim_end().len();
    if kept + 5 <= text.len() && text[kept..].trim_start().len() >= 5 {
        text.truncate(kept);
    }
    // A block that starts in the middle of a sentence continues the previous paragraph
    // (a page break copied as a blank line).
    if number.is_none()
        && text.starts_with(|c: char| c.is_lowercase())
        && let Some(prev) = out.last_mut()
        && !prev.ends_sentence()
    {
        prev.append(' ', text);
        return;
    }
    // A bullet list set off by blank lines belongs to the paragraph that introduces it.
    if number.is_none()
        && text.starts_with(['-', '*'])
        && let Some(prev) = out.last_mut()
    {
        prev.append('\n', text);
        return;
    }
    if number.is_none() && text.is_empty() {
        return;
    }
    out.push(K::new(number, portion, text));
}

/// `11.`, `12.`, ... `110.` for `1.`, `2.`, ... `10.`: every number carries a leading `1`
/// from a paragraph anchor. Repaired when stripping that `1` gives a run starting at 1.
fn repair_anchor_numbers(paragraphs: &mut [Paragraph]) {
    let numbers: Vec<u32> = paragraphs.iter().filter_map(|p| p.number).collect();
    if numbers.first() != Some(&11) {
        return;
    }
    let stripped: Option<Vec<u32>> = numbers
        .iter()
        .map(|n| {
            let s = n.to_string();
            s.strip_prefix('1')
                .and_then(|rest| rest.parse::<u32>().ok())
        })
        .collect();
    let Some(stripped) = stripped else {
        return;
    };
    if stripped.windows(2).all(|w| w[1] > w[0]) {
        let mut it = stripped.into_iter();
        for p in paragraphs.iter_mut().filter(|p| p.number.is_some()) {
            p.number = it.next();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn numbered_prefixes_read_what_the_regex_reads(
            line in "[0-9]{1,4}\\.[ \t\u{a0}]{0,2}[(]?[ ]?[A-Za-z]{0,5}(/{0,2}[ ]?[A-Za-z ]{0,17})?[ ]?[)]?[ \u{a0}]{0,2}[A-Za-z.]{0,3}"
        ) {
            prop_assert_eq!(numbered_prefix(&line), numbered_prefix_by_regex(&line));
        }
    }

    proptest! {
        #[test]
        fn a_count_is_the_split_s_length(
            lines in proptest::collection::vec(prop_oneof![
                Just(""), Just("1. (C) One."), Just("2. Two"), Just("3.(S/NF) Three:"),
                Just("and more text"), Just("- a bullet"), Just("* star"), Just("DOE"),
                Just("Doe."), Just("END OF TEXT. DOE"), Just("GP-3"), Just("HEADING ------"),
                Just("x"), Just("Text ends here."), Just("-----"), Just("  DOE ...."),
                Just("some words to make this a longer line than forty bytes, DOE"),
            ], 0..14),
        ) {
            let body = format!("SUBJECT: X\n\n{}", lines.join("\n"));
            for signature in [None, Some("DOE")] {
                prop_assert_eq!(count_signed(&body, signature), split_signed(&body, signature).len());
            }
        }
    }

    const BODY: &str = "C O N F I D E N T I A L STATION 000042\n\nSIPDIS\n\nE.O. 12958: DECL: 01/02/2019\nTAGS: PREL, XX\nSUBJECT: A TEST\nOF SUBJECTS\n\nREF: STATE 1\n\nClassified By: Someone. Reasons 1.4 (b).\n\n1. (C) Summary. First line\nwrapped here. End Summary.\n\n2. (S/NF) Second:\n- one\n- two\nSTATION 00000042  002 OF 003\n\n3. Third is cut by a page\n\nbreak in the middle.\n\nNAME\n";

    #[test]
    fn numbered_paragraphs_with_portion_marks() {
        let ps = split(BODY);
        assert_eq!(ps.len(), 3, "{ps:#?}");
        assert_eq!(ps[0].number, Some(1));
        assert_eq!(ps[0].portion.as_deref(), Some("C"));
        assert_eq!(ps[0].text, "Summary. First line wrapped here. End Summary.");
        assert_eq!(ps[1].portion.as_deref(), Some("S/NF"));
        assert_eq!(ps[1].text, "Second:\n- one\n- two");
        assert_eq!(ps[2].text, "Third is cut by a page break in the middle.");
    }

    #[test]
    fn the_signature_is_not_a_paragraph() {
        let count = |body: &str| {
            let signature = super::super::signed_by::parse_signed_by(body, false).pop();
            let counted = count_signed(body, signature.as_deref());
            let split = split(body).len();
            assert_eq!(counted, split, "{body:?}");
            split
        };
        // Numbered body, signature after the last paragraph, trailers below it.
        let numbered = "SUBJECT: X\n\n1. (C) One.\n\n2. (C) Two.\n\nDOE\n";
        assert_eq!(count(numbered), 2);
        let stamped = format!(
            "{numbered}\nDeclassified/Released US Department of State EO Systematic\nReview 30 JUN 2006\n"
        );
        assert_eq!(count(&stamped), 2);
        assert_eq!(count("SUBJECT: X\n\n1. One.\n\nEND OF TEXT. DOE\n"), 1);
        assert_eq!(count("SUBJECT: X\n\n1. One.\n\nGP-3\nDOE\n"), 1);
        assert_eq!(count("SUBJECT: X\n\n1. One.\n\nDOE\n\nDOE\n"), 1);
        assert_eq!(count("SUBJECT: X\n\n1. One.\n\n2.\nDoe\n"), 1);
        assert_eq!(count("SUBJECT: X\n\n1. One.\n\nMcDoe\n"), 1);
        // Unnumbered body: every block but the signature counts.
        let plain = "UNCLAS STATION 1\n\nFirst block.\n\nSecond block.\n\nDOE\n";
        assert_eq!(count(plain), 2);
        // Glued to the last paragraph, the name stays in its text.
        let glued = split("SUBJECT: X\n\n1. One.\nDOE\n");
        assert_eq!(glued.len(), 1);
        assert_eq!(glued[0].text, "One. DOE");
        // No signature: a closing heading-like block stays.
        assert_eq!(count("SUBJECT: X\n\n1. One.\n\nEND TEXT.\n"), 2);
        // A list that ends with the name is text, not a signature block.
        assert_eq!(
            count("SUBJECT: X\n\n1. One.\n\nAlpha, Beta, Gamma, Delta and others. DOE\n"),
            2
        );
    }

    #[test]
    fn headings_and_paragraphs_without_blank_lines() {
        let body =
            "SUBJECT: X\n\n1. (C) One.\n\nBackground\n----------\n2. (C) Two\n3.(S/NF) Three.\n";
        let ps = split(body);
        let got: Vec<_> = ps.iter().map(|p| (p.number, p.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(1), "One."),
                (None, "Background"),
                (Some(2), "Two"),
                (Some(3), "Three.")
            ]
        );
        assert_eq!(paragraph_number("1.4 (b) and (d)"), None);
        let ps = split("SUBJECT: X\n\n1. One.\n\nOFF ON THE RIGHT FOOT -------------\n\n2. Two.\n");
        assert_eq!(ps[1].text, "OFF ON THE RIGHT FOOT");
    }

    #[test]
    fn anchor_artefact_is_repaired() {
        let body = "SUBJECT: X\n\n11. (C) One.\n\n12. (C) Two.\n\n13. Three.\n";
        let n: Vec<_> = split(body).iter().map(|p| p.number).collect();
        assert_eq!(n, vec![Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn later_sections_keep_their_numbers() {
        let body = "SECRET SECTION 02 OF 03 STATION 000042\n\n11. (S) One.\n\n12. (S) Two.\n";
        let n: Vec<_> = split(body).iter().map(|p| p.number).collect();
        assert_eq!(n, vec![Some(11), Some(12)]);
    }

    #[test]
    fn unnumbered_body_and_junk() {
        assert!(split("").is_empty());
        let ps = split("UNCLAS STATION 1\n\nJust text.\n");
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].text, "Just text.");
        let _ = split("\u{0}\u{1}1.\n(\n1. (");
    }
}
