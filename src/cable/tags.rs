//! The TAGS line: `TAGS: PREL, AORC`, `TAGS [PREL](#) [AORC](#)`, glued and person tags.
//!
//! A TAGS line mixes three kinds of entries: codes (`PREL`, `KPAO`, org tags like `NATO`,
//! two-letter geo codes like `RS`), person tags (`OVIP (STEINBERG, JAMES B.)` or
//! `OVIP CLINTON HILLARY`) and free-text keywords (`HUMAN RIGHTS`, `GOI EXTERNAL`). Codes
//! stand alone; consecutive plain words form runs that are cut into persons and keywords
//! with the word lists under `data/`. Canonicalizing also splits glued codes
//! (`PHUMBA` → `PHUM`, `BA`) and repairs one-letter typos (`MOPPS` → `MOPS`).

use super::clean::head;
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;

/// TAGS sits in the caption, a few KB in even behind a long INFO list.
const REGION: usize = 16 * 1024;
/// How many lines after the TAGS line may continue it.
const MAX_CONTINUATIONS: usize = 3;

/// `TAGS`/`TAG` with `:`, `;`, `,` or a blank; the misspellings seen in cables need a colon.
static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^A-Za-z0-9])(?:TAGS?(?:[ \t]*[:;,]|[ \t])|(?:TAGES|TAS|TABS|TGS|AGS)[ \t]*[:;])")
        .expect("static regex")
});
/// Where the tags on a line end: the SUBJECT, or page-break junk pasted into the line.
static LINE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)S?UBJ(?:ECT)?\s*:|\bSUBJECT\b|\b(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+PAGE\s+\d",
    )
    .expect("static regex")
});
/// Markdown link targets (`[PREL](#)`) and HTML tags (`<a href=..>PREL</a>`).
static MARKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\([^)]*\)|<[^>]*>").expect("static regex"));
/// Lines that follow TAGS but are never tags.
static NOT_CONTINUATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:S?UBJ|REF|E\.?\s?O\b|EO\b|CLASSIFIED|SIPDIS|NOFORN|PAGE\b|UNCLAS|CONFIDENTIAL|SECRET|LIMITED|SENSITIVE|C O N|S E C|U N C|DECL|PASS|FOR\b)")
        .expect("static regex")
});

fn word_set(text: &'static str) -> FxHashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Subject, program and office codes (`PREL`, `KPAO`, `POL`).
static CODES: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_set(include_str!("../../data/tags_known.txt")));
static ORGS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_set(include_str!("../../data/tags_organizations.txt")));
static GIVEN_NAMES: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_set(include_str!("../../data/tags_given_names.txt")));
/// Keyword phrases keyed by their spelling without spaces, to the spelling to output.
static PHRASES: LazyLock<FxHashMap<String, &'static str>> = LazyLock::new(|| {
    word_set(include_str!("../../data/tags_phrases.txt"))
        .into_iter()
        .map(|p| (p.replace(' ', ""), p))
        .collect()
});
static PERSONS: LazyLock<FxHashMap<&'static str, &'static str>> = LazyLock::new(|| {
    word_set(include_str!("../../data/tags_persons.txt"))
        .into_iter()
        .filter_map(|l| l.split_once('|'))
        .collect()
});

/// Every tag of the cable's TAGS line(s), in order, without duplicates.
/// `canonicalize` also repairs known typos and splits glued tags (cablemap's default).
pub fn parse_tags(content: &str, canonicalize: bool) -> Vec<String> {
    let Some(text) = tags_text(head(content, REGION)) else {
        return Vec::new();
    };
    let items = tokenize(&text);
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Paren(p) => out.push(p),
            Item::Words(words) => interpret(&words, canonicalize, &mut out),
        }
    }
    // A cable has a handful of tags: looking back is cheaper than hashing a copy of each,
    // up to a garbled line of hundreds.
    if out.len() > 32 {
        let mut seen = FxHashSet::default();
        out.retain(|t| !t.is_empty() && seen.insert(t.clone()));
        return out;
    }
    let mut kept: Vec<String> = Vec::with_capacity(out.len());
    for tag in out {
        if !tag.is_empty() && !kept.contains(&tag) {
            kept.push(tag);
        }
    }
    kept
}

/// The raw text of the TAGS entry: the rest of its line plus continuation lines.
fn tags_text(region: &str) -> Option<String> {
    let m = KEYWORD.find(region)?;
    let rest = region.get(m.end()..)?;
    let mut lines = rest.split('\n');
    let first = lines.next().unwrap_or("");
    let (first, mut cut) = cut_line(first);
    let mut text = clean_line(first);
    for _ in 0..MAX_CONTINUATIONS {
        if cut {
            break;
        }
        let Some(next) = lines.next() else { break };
        let (next, next_cut) = cut_line(next);
        let next = clean_line(next);
        let ends_with_comma = super::clean::trim_end(&text).ends_with(',');
        let continues =
            (ends_with_comma && !super::clean::trim(&next).is_empty()) || looks_like_tags(&next);
        if !continues {
            break;
        }
        text.push(' ');
        text.push_str(&next);
        cut = next_cut;
    }
    Some(text)
}

/// The part of a line before SUBJECT or page junk, and whether anything was cut.
fn cut_line(line: &str) -> (&str, bool) {
    match LINE_END.find(line) {
        Some(m) => (line.get(..m.start()).unwrap_or(""), true),
        None => (line, false),
    }
}

/// Drops markup, pilcrows and line-continuation backslashes.
fn clean_line(line: &str) -> String {
    // Nearly every line holds none of it (`¶` starts with `C2`): copied as it is.
    if !line
        .bytes()
        .any(|b| matches!(b, b'[' | b']' | b'<' | b'\\' | b'\r' | 0xc2))
    {
        return line.to_string();
    }
    MARKUP
        .replace_all(line, " ")
        .chars()
        .map(|c| match c {
            '¶' | '[' | ']' | '\\' | '\r' => ' ',
            c => c,
        })
        .collect()
}

/// Whether a line after the TAGS line (not ending in a comma) continues it: upper-case,
/// tag characters only, and a list (a comma), only codes, or a lone word finishing a keyword.
fn looks_like_tags(line: &str) -> bool {
    let t = super::clean::trim(line);
    if t.is_empty() || NOT_CONTINUATION.is_match(t) {
        return false;
    }
    let tag_chars = t.chars().all(|c| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, ' ' | ',' | '/' | '-' | '&')
    });
    if !tag_chars {
        return false;
    }
    let words: Vec<&str> = t
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    t.contains(',') || words.iter().all(|w| is_code(w)) || (words.len() == 1 && t.len() <= 20)
}

/// A group of the TAGS text: a parenthesised person tag or the words between commas.
enum Item {
    Paren(String),
    Words(Vec<String>),
}

fn tokenize(text: &str) -> Vec<Item> {
    let upper = text.to_uppercase();
    let mut items = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut chars = upper.chars();
    let flush_word = |word: &mut String, words: &mut Vec<String>| {
        let w = word.trim_matches(|c: char| matches!(c, '.' | '\'' | '-' | '&'));
        if !w.is_empty() {
            words.push(w.to_string());
        }
        word.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '(' => {
                flush_word(&mut word, &mut words);
                if !words.is_empty() {
                    items.push(Item::Words(std::mem::take(&mut words)));
                }
                let inner: String = chars.by_ref().take_while(|&c| c != ')').collect();
                let inner = inner.split_whitespace().collect::<Vec<_>>().join(" ");
                items.push(Item::Paren(inner.trim_matches(',').trim().to_string()));
            }
            ',' | ';' => {
                flush_word(&mut word, &mut words);
                if !words.is_empty() {
                    items.push(Item::Words(std::mem::take(&mut words)));
                }
            }
            c if c.is_alphanumeric() || matches!(c, '/' | '-' | '_' | '&' | '.' | '\'') => {
                word.push(c)
            }
            _ => flush_word(&mut word, &mut words),
        }
    }
    flush_word(&mut word, &mut words);
    if !words.is_empty() {
        items.push(Item::Words(words));
    }
    items
}

fn is_geo(w: &str) -> bool {
    w.len() == 2 && w.bytes().all(|b| b.is_ascii_uppercase())
}

/// Whether `w` is on the shipped lists of subject, office and organisation codes.
pub fn is_known_code(w: &str) -> bool {
    CODES.contains(w) || ORGS.contains(w)
}

fn is_code(w: &str) -> bool {
    is_geo(w) || CODES.contains(w) || ORGS.contains(w)
}

/// Turns the words between two commas into tags, appending them to `out`.
fn interpret(words: &[String], canonicalize: bool, out: &mut Vec<String>) {
    // SIPDIS is a distribution marker that slips onto the line, never a tag.
    let mut expanded: Vec<String> = Vec::with_capacity(words.len());
    for w in words.iter().filter(|w| w.as_str() != "SIPDIS") {
        match canonicalize.then(|| unglue(w)).flatten() {
            Some(parts) => expanded.extend(parts),
            None => expanded.push(w.clone()),
        }
    }
    // Known keywords and persons first: they may contain a code (`FOREIGN POL`, `DOE JOHN`).
    let mut toks: Vec<Tok> = Vec::with_capacity(expanded.len());
    let mut i = 0;
    while i < expanded.len() {
        if let Some((len, phrase)) = phrase_at(&expanded[i..], canonicalize) {
            toks.push(Tok::Fixed(phrase));
            i += len;
        } else if let Some(person) = person_at(&expanded[i..], canonicalize) {
            toks.push(Tok::Fixed(person));
            i += 2;
        } else {
            toks.push(Tok::Word(std::mem::take(&mut expanded[i])));
            i += 1;
        }
    }
    let plain_word = |t: Option<&Tok>| matches!(t, Some(Tok::Word(w)) if !is_code(w));
    // A two-letter word between two plain words belongs to a keyword (`TIP IN TURKEY`).
    let is_plain: Vec<bool> = (0..toks.len())
        .map(|i| match &toks[i] {
            Tok::Fixed(_) => false,
            Tok::Word(w) => {
                !is_code(w)
                    || (is_geo(w)
                        && i > 0
                        && plain_word(toks.get(i - 1))
                        && plain_word(toks.get(i + 1)))
            }
        })
        .collect();
    let mut i = 0;
    while i < toks.len() {
        if !is_plain[i] {
            let (Tok::Fixed(t) | Tok::Word(t)) = &toks[i];
            out.push(t.clone());
            i += 1;
            continue;
        }
        let start = i;
        let mut run = Vec::new();
        while i < toks.len() && is_plain[i] {
            if let Tok::Word(w) = &toks[i] {
                run.push(w.as_str());
            }
            i += 1;
        }
        debug_assert!(start < i);
        split_run(&run, canonicalize, out);
    }
}

/// A word of the TAGS text, or a tag already settled (a known keyword).
enum Tok {
    Fixed(String),
    Word(String),
}

/// Splits a glued token (`PHUMBA`, `KNNPMNUC`, `RIGHTSPOLMIL`) into known codes.
/// `None` when it is not glued.
fn unglue(w: &str) -> Option<Vec<String>> {
    if is_code(w) || w.len() < 6 || !w.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if let Some(parts) = segment(w) {
        return Some(parts);
    }
    // A keyword with codes glued to its end: peel 3+ letter codes off while a word remains.
    let mut tail = Vec::new();
    let mut rest = w;
    'peel: loop {
        for len in [4, 3] {
            let Some(split) = rest.len().checked_sub(len) else {
                continue;
            };
            let (head, code) = (rest.get(..split)?, rest.get(split..)?);
            if head.len() >= 4 && CODES.contains(code) {
                tail.push(code.to_string());
                rest = head;
                continue 'peel;
            }
        }
        break;
    }
    if tail.is_empty() {
        return None;
    }
    tail.push(rest.to_string());
    tail.reverse();
    Some(tail)
}

/// Cuts `w` entirely into subject codes and geo codes, fewest pieces first; at least one
/// piece must be a subject code so ordinary words are not cut into pairs of letters.
fn segment(w: &str) -> Option<Vec<String>> {
    let n = w.len();
    // best[i]: (pieces, has_code, previous cut) for the prefix of length i.
    let mut best: Vec<Option<(usize, bool, usize)>> = vec![None; n + 1];
    best[0] = Some((0, false, 0));
    for i in 0..n {
        let Some((count, has_code, _)) = best[i] else {
            continue;
        };
        for len in [4, 2] {
            let Some(piece) = w.get(i..i + len) else {
                continue;
            };
            let code = len == 4 && CODES.contains(piece);
            if !(code || (len == 2 && is_geo(piece))) {
                continue;
            }
            let cand = (count + 1, has_code || code, i);
            let better = match best[i + len] {
                None => true,
                Some((c, h, _)) => (cand.0, !cand.1) < (c, !h),
            };
            if better {
                best[i + len] = Some(cand);
            }
        }
    }
    let (_, has_code, _) = best[n]?;
    if !has_code {
        return None;
    }
    // Glued geo codes sit at an end (`VTPREL`, `PHUMBA`); pairs inside are a plain word.
    let mut parts = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, _, start) = best[end]?;
        parts.push(w.get(start..end)?.to_string());
        end = start;
    }
    parts.reverse();
    let geo_inside = parts.len() > 2 && parts[1..parts.len() - 1].iter().any(|p| p.len() == 2);
    let geo_count = parts.iter().filter(|p| p.len() == 2).count();
    (!geo_inside && geo_count <= 2 && parts.len() >= 2).then_some(parts)
}

/// A run of plain words is one keyword; a lone word may be a typo of a code.
fn split_run(run: &[&str], canonicalize: bool, out: &mut Vec<String>) {
    match run {
        [] => {}
        [word] if canonicalize => out.push(fix_typo(word)),
        _ => out.push(run.join(" ")),
    }
}

/// `SURNAME GIVEN` at the start of `words` as the person tag `SURNAME, GIVEN`.
fn person_at(words: &[String], canonicalize: bool) -> Option<String> {
    let [surname, given, ..] = words else {
        return None;
    };
    if !GIVEN_NAMES.contains(given.as_str()) || is_geo(surname) || CODES.contains(surname.as_str())
    {
        return None;
    }
    let name = format!("{surname}, {given}");
    match PERSONS.get(name.as_str()) {
        Some(canon) if canonicalize => Some(canon.to_string()),
        _ => Some(name),
    }
}

/// The longest known keyword of two words or more at the start of `words`, as
/// (words used, tag).
fn phrase_at(words: &[String], canonicalize: bool) -> Option<(usize, String)> {
    let mut joined = String::new();
    let mut found = None;
    for (k, w) in words.iter().enumerate() {
        joined.push_str(w);
        if k == 0 {
            continue;
        }
        if let Some(p) = PHRASES.get(&joined) {
            let spelled = words[..=k].join(" ");
            found = Some((k + 1, if canonicalize { p.to_string() } else { spelled }));
        }
    }
    found
}

/// One-letter typos of a code: a doubled or stray letter (`MOPPS`, `POGOV`, `UNDESCO`).
fn fix_typo(w: &str) -> String {
    if is_code(w) || !(5..=8).contains(&w.len()) || !w.is_ascii() {
        return w.to_string();
    }
    for i in 0..w.len() {
        let (Some(a), Some(b)) = (w.get(..i), w.get(i + 1..)) else {
            continue;
        };
        let cand = format!("{a}{b}");
        if (cand.len() == 4 && CODES.contains(cand.as_str()))
            || (cand.len() >= 5 && ORGS.contains(cand.as_str()))
        {
            return cand;
        }
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<String> {
        parse_tags(s, true)
    }

    #[test]
    fn keyword_variants() {
        assert_eq!(tags("TAGS: PREL, ECON"), ["PREL", "ECON"]);
        assert_eq!(tags("TAGS PREL ECON"), ["PREL", "ECON"]);
        assert_eq!(tags("tags: prel, econ"), ["PREL", "ECON"]);
        assert_eq!(tags("TAG PREL"), ["PREL"]);
        assert_eq!(tags("TAGS; PREL"), ["PREL"]);
        assert_eq!(tags("TAGS, PREL, ECON"), ["PREL", "ECON"]);
        assert_eq!(tags("DECL: X AGS: PREL"), ["PREL"]);
        assert!(tags("nothing here").is_empty());
        assert!(tags("").is_empty());
    }

    #[test]
    fn markdown_and_html_links() {
        assert_eq!(tags("TAGS: [PREL](#) [AORC](#)  \n"), ["PREL", "AORC"]);
        assert_eq!(
            tags("TAGS: <a href='/tag/PREL'>PREL</a> <a href='/tag/FR'>FR</a>"),
            ["PREL", "FR"]
        );
        assert_eq!(tags("TAGS: ¶PREL ECON"), ["PREL", "ECON"]);
    }

    #[test]
    fn stops_at_subject_and_page_junk() {
        assert_eq!(tags("TAGS: PREL, XY SUBJECT: SOME THING"), ["PREL", "XY"]);
        assert_eq!(
            tags("TAGS: PREL, XY      SECRET   PAGE 02   POST 0001  X"),
            ["PREL", "XY"]
        );
    }

    #[test]
    fn continuation_lines() {
        assert_eq!(tags("TAGS: PREL,\nECON"), ["PREL", "ECON"]);
        assert_eq!(
            tags("TAGS: PREL ECON\nPGOV, XY\nSUBJECT: Z"),
            ["PREL", "ECON", "PGOV", "XY"]
        );
        assert_eq!(tags("TAGS: PREL\nEFIN\nSUBJECT: Z"), ["PREL", "EFIN"]);
        assert_eq!(tags("TAGS: PREL\nSUBJECT: Z"), ["PREL"]);
        assert_eq!(tags("TAGS: PREL\nE.O. 12958: N/A"), ["PREL"]);
        assert_eq!(tags("TAGS: prel\nsome prose"), ["PREL"]);
        assert_eq!(tags("TAGS: PREL\n\nECON, PGOV"), ["PREL"]);
    }

    #[test]
    fn dedup_and_sipdis() {
        assert_eq!(tags("TAGS: PREL PREL, ECON PREL SIPDIS"), ["PREL", "ECON"]);
    }

    #[test]
    fn glued_codes() {
        assert_eq!(tags("TAGS: ECONPGOVXY"), ["ECON", "PGOV", "XY"]);
        assert_eq!(tags("TAGS: XYPREL"), ["XY", "PREL"]);
        assert_eq!(parse_tags("TAGS: ECONPGOVXY", false), ["ECONPGOVXY"]);
        // plain words are not cut into letter pairs
        assert_eq!(tags("TAGS: TURKEY"), ["TURKEY"]);
    }

    #[test]
    fn keyword_with_glued_codes() {
        assert_eq!(
            tags("TAGS: XY HUMAN RIGHTSPOLMIL"),
            ["XY", "HUMAN RIGHTS", "POL", "MIL"]
        );
    }

    #[test]
    fn persons() {
        assert_eq!(
            tags("TAGS: OVIP (DOE, JOHN Q.), PREL"),
            ["OVIP", "DOE, JOHN Q.", "PREL"]
        );
        assert_eq!(
            tags("TAGS: OVIP DOE JOHN PREL"),
            ["OVIP", "DOE, JOHN", "PREL"]
        );
        assert_eq!(tags("TAGS: OVIP BUSH GEORGE"), ["OVIP", "BUSH, GEORGE W."]);
    }

    #[test]
    fn keywords() {
        assert_eq!(
            tags("TAGS: PREL SOME LOCAL TOPIC"),
            ["PREL", "SOME LOCAL TOPIC"]
        );
        assert_eq!(
            tags("TAGS: PREL FOO BAR HUMAN RIGHTS"),
            ["PREL", "FOO BAR", "HUMAN RIGHTS"]
        );
        assert_eq!(
            tags("TAGS: PREL COUNTER TERRORISM"),
            ["PREL", "COUNTERTERRORISM"]
        );
        assert_eq!(tags("TAGS: XY TRADE IN GOODS"), ["XY", "TRADE IN GOODS"]);
        assert_eq!(tags("TAGS: PREL, ABCD/E-1"), ["PREL", "ABCD/E-1"]);
    }

    #[test]
    fn typos() {
        assert_eq!(tags("TAGS: PREL, PRELL"), ["PREL"]);
        assert_eq!(parse_tags("TAGS: PREL, PRELL", false), ["PREL", "PRELL"]);
    }

    #[test]
    fn junk_is_safe() {
        let big = "X".repeat(1 << 20);
        assert!(tags(&big).is_empty());
        let big_line = format!("TAGS: {}", "AB".repeat(1 << 16));
        assert!(!tags(&big_line).is_empty());
        let _ = tags("TAGS: \u{0}\u{ffff}é(");
        assert_eq!(
            tags(&format!("{}TAGS: PREL", "é".repeat(9000))),
            Vec::<String>::new()
        );
    }
}
