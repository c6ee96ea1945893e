//! `Classified By: Political Minister-Counselor Alice G. Wells. Reasons 1.4(b) and (d).`
//!
//! The line sits near the top of the body, so only the first kilobytes are read. For each
//! `Classified By` mark the text up to the reasons (`for reasons`, `1.4`, `E.O. 12958`, `per`,
//! `under`, ...) or a blank line is split into comma-separated parts, and in each part the
//! name is the run of name-like words after the last title word (`Ambassador`, `DCM`,
//! `Pol/Econ Counselor`, misspellings within a small edit distance included). Words after
//! `for`/`of`/`to` name an office or a place (`for Central Asia`), so a name after one is cut
//! to its last two words or to the word before its first initial.
//!
//! Cablegate wrapped lines at 72 columns, splitting words (`Hoyt Y` / `ee`); such a split is
//! undone before reading.

use super::clean::head;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

use regex::Regex;

/// How far into the text the mark is looked for.
const SEARCH_WINDOW: usize = 8 * 1024;
/// How much text after a mark can hold the name.
const SEGMENT_LIMIT: usize = 400;
/// The column at which Cablegate hard-wrapped lines (the line keeps a trailing space).
const WRAP_WIDTH: usize = 72;

static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bclass[a-z]{0,7}[ \t]+by\b[ \t]*(:?)").expect("static regex")
});

/// Where the reasons start: the word itself (misspelt too), E.O. 12958, `1.4`, `per`, ...
static REASONS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:\b(?:reasons?|reaons|rasons?|resons?|reas[a-z0]*|rea|rationale)\b)",
        r"|(?i:\b(?:e\.?[ \t]?o\.?[ \t]?12958|12958))",
        r"|\b1[ \t]?[.,][ \t]?[2-6]\b",
        r"|(?i:\b(?:per|under|based[ \t]+(?:[o0]n|upon)|due[ \t]+to)\b)",
        r"|\b(?:[Ff][Oo0][Rr]|FR|fr)[ \t]+(?:[a-z]|\d|E\.?O\b|\()",
    ))
    .expect("static regex")
});

/// A blank line ends the text after a mark.
static BLANK_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\n[ \t]*\r?\n").expect("static regex"));

/// Short parentheticals (`(U)`, `(acting)`, `(CDA)`) and `a.i.` (ad interim) are noise.
static NOISE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\([^()\n]{0,20}\)|(?i:\ba\.?[ \t]?i\.)").expect("static regex"));

/// Title words and office abbreviations, upper case (`data/classified_by_titles.txt`).
static TITLES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/classified_by_titles.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

/// Long title words whose misspellings (`Ambassaor`, `Counsleor`, `Direcotr`) still count.
const FUZZY_TITLES: &[&str] = &[
    "AMBASSADOR",
    "COUNSELOR",
    "COUNSELLOR",
    "DIRECTOR",
    "SECRETARY",
    "MINISTER",
    "ATTACHE",
    "OFFICER",
    "AFFAIRS",
    "AFFAIRES",
    "POLITICAL",
    "ECONOMIC",
    "REPRESENTATIVE",
    "COORDINATOR",
    "ASSISTANT",
    "CHIEF",
    "DEPUTY",
    "ACTING",
    "CHARGE",
];

/// Lower-case particles inside names (`Carol van Voorst`).
const PARTICLES: &[&str] = &[
    "van", "von", "de", "da", "del", "der", "den", "la", "le", "al", "el", "bin", "di", "du",
];

const CONNECTIVES: &[&str] = &[
    "FOR", "FR", "F0R", "OF", "TO", "IN", "AT", "AND", "&", "BY", "ON",
];

/// The names of the classifying officials. `normalize` strips titles and fixes case.
pub fn parse_classified_by(content: &str, normalize: bool) -> Vec<String> {
    let window = head(content, SEARCH_WINDOW);
    // Every mark starts with a `cl` in some case: the search starts at the first one, found
    // by a byte scan far faster than the case-folded pattern's.
    let bytes = window.as_bytes();
    let first_cl = memchr::memchr2_iter(b'l', b'L', bytes)
        .find(|&at| at > 0 && matches!(bytes[at - 1], b'c' | b'C'))
        .map(|at| at - 1);
    if !first_cl.is_some_and(|at| MARK.is_match_at(window, at)) {
        return Vec::new();
    }
    let text = unwrap_lines(window);
    for m in MARK.captures_iter(&text) {
        let (Some(whole), Some(colon)) = (m.get(0), m.get(1)) else {
            continue;
        };
        let rest = text.get(whole.end()..).unwrap_or("");
        let rest = head(rest, SEGMENT_LIMIT);
        let rest = BLANK_LINE
            .find(rest)
            .map_or(rest, |b| rest.get(..b.start()).unwrap_or(""));
        let cut = REASONS.find(rest).map(|r| r.start());
        let segment = rest.get(..cut.unwrap_or(rest.len())).unwrap_or("");
        // `Classified By: Classified by DCM X`, `This message classified by X`.
        let segment = MARK
            .find_iter(segment)
            .last()
            .and_then(|n| segment.get(n.end()..))
            .unwrap_or(segment);
        // A mark in running text without colon or reasons is prose (`CLASSIFIED BY LINE
        // ADDED`), not the classification line.
        let line_start = text
            .get(..whole.start())
            .map_or("", |t| t.rsplit('\n').next().unwrap_or(""));
        if colon.as_str().is_empty() && cut.is_none() && !only_numbering(line_start) {
            continue;
        }
        let names = names_in(segment);
        if !names.is_empty() {
            return if normalize {
                names.iter().map(|n| normalize_name(n)).collect()
            } else {
                names
            };
        }
    }
    Vec::new()
}

/// Whether the text before a mark on its line is only numbering (`1.`, `(U)`, `¶`).
fn only_numbering(before: &str) -> bool {
    before
        .chars()
        .all(|c| c.is_whitespace() || c.is_ascii_digit() || "().¶UCS".contains(c))
}

/// The text with words split by the 72-column wrap joined again: a line of exactly that
/// width ending in a space, followed by a line that starts with a letter, continues a word.
///
/// Only a line ending in a blank can be one, so the text is copied in runs between them.
fn unwrap_lines(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    for blank in memchr::memmem::find_iter(bytes, b" \n") {
        let line_end = blank + 1;
        let line_start = memchr::memrchr(b'\n', &bytes[..line_end]).map_or(0, |p| p + 1);
        let line = &text[line_start..line_end];
        let next = &text[line_end + 1..];
        let wrapped = line.chars().count() == WRAP_WIDTH
            && next.chars().next().is_some_and(|c| !c.is_whitespace());
        if wrapped {
            out.push_str(&text[copied..line_start]);
            out.push_str(line.trim_end_matches(' '));
            copied = line_end + 1;
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// [`unwrap_lines`] line by line, as a property test reads it.
#[cfg(test)]
fn unwrap_each_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = super::clean::split_lines(text).peekable();
    while let Some(line) = lines.next() {
        let Some(next) = lines.peek() else {
            out.push_str(line);
            break;
        };
        let wrapped = line.ends_with(' ')
            && line.chars().count() == WRAP_WIDTH
            && next.chars().next().is_some_and(|c| !c.is_whitespace());
        if wrapped {
            out.push_str(line.trim_end_matches(' '));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[derive(Debug, PartialEq)]
enum Kind {
    Title,
    Connective,
    Initial,
    Suffix,
    /// A name word; `true` when it ends a sentence (`Wells.`).
    Word(bool),
    /// A lower-case name particle (`van`): part of a name inside one, else prose.
    Particle,
    /// Lower-case prose (`polmil officer`, `a.y.`) in mixed text: ends a name, not the part.
    Prose,
    /// Punctuation only: ignored.
    Punct,
    /// Anything else (numbers, junk): ends the part.
    Other,
}

/// The names in the text between a mark and the reasons.
fn names_in(segment: &str) -> Vec<String> {
    let cleaned = NOISE.replace_all(segment, " ").replace(':', " ");
    let mixed = cleaned.chars().any(|c| c.is_ascii_lowercase());
    let mut names: Vec<String> = Vec::new();
    for part in cleaned.split([',', ';']).flat_map(|p| p.split(" - ")) {
        let part = super::clean::trim(part);
        if part.is_empty() {
            continue;
        }
        // `NAME, JR.` / `NAME, III.`: the suffix belongs to the name before.
        if let [only] = part.split_whitespace().collect::<Vec<_>>()[..] {
            if is_suffix(only) {
                if let Some(last) = names.last_mut() {
                    last.push_str(", ");
                    last.push_str(&suffix_form(only));
                }
                continue;
            }
        }
        let (found, stop) = names_in_part(part, mixed, names.is_empty());
        names.extend(found);
        if stop {
            break;
        }
    }
    names
}

/// A run of name words being collected.
#[derive(Default)]
struct Run {
    words: Vec<(String, Kind)>,
    after_connective: bool,
    after_title: bool,
}

/// The names of one part and whether reading should stop (a sentence or junk ended it).
/// `first` is true while no name has been found; later names need a title right before.
fn names_in_part(part: &str, mixed: bool, first: bool) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut run = Run::default();
    let mut prev_title = false;
    let mut after_connective = false;
    // `at_end`: the run ends the part or a sentence; a single word before a connective
    // (`for Afghanistan and ...`) is a place, not a name.
    let finish = |run: &mut Run, out: &mut Vec<String>, at_end: bool| {
        let taken = std::mem::take(run);
        if let Some(name) = name_of(&taken, at_end) {
            let later_ok = taken.after_title && !taken.after_connective && name.contains(' ');
            if (first && out.is_empty()) || later_ok {
                out.push(name);
            }
        }
    };
    let tokens: Vec<&str> = part.split_whitespace().collect();
    for (i, &raw) in tokens.iter().enumerate() {
        let last_token = i + 1 == tokens.len();
        // `DCM/Ted`: the pieces before the last slash are office abbreviations.
        let (head, token) = match raw.rsplit_once('/') {
            Some((h, t)) => (Some(h), t),
            None => (None, raw),
        };
        // Words followed by a title are a place or unit (`PRT Salah Ad Din Leader X`).
        if head.is_some() {
            run = Run::default();
            prev_title = true;
            after_connective = false;
            if token.is_empty() || slash_tail_is_title(token, mixed) {
                continue;
            }
        }
        match classify(token, mixed) {
            Kind::Title => {
                run = Run::default();
                prev_title = true;
                after_connective = false;
            }
            Kind::Connective => {
                // A trailing `FOR` (of `FOR REASONS`) still ends the part.
                finish(&mut run, &mut out, last_token);
                prev_title = false;
                after_connective = true;
            }
            Kind::Punct => {}
            Kind::Prose => {
                finish(&mut run, &mut out, true);
                prev_title = true;
                after_connective = false;
            }
            Kind::Particle if run.words.is_empty() => {
                prev_title = true;
                after_connective = false;
            }
            Kind::Other => {
                finish(&mut run, &mut out, true);
                return (out, true);
            }
            kind => {
                if run.words.is_empty() {
                    run.after_title = prev_title;
                    run.after_connective = after_connective;
                }
                let ends = kind == Kind::Word(true);
                let kind = if kind == Kind::Particle {
                    Kind::Word(false)
                } else {
                    kind
                };
                let word = if ends {
                    token.trim_end_matches('.')
                } else {
                    token
                };
                run.words
                    .push((word.trim_end_matches('-').to_string(), kind));
                if ends {
                    finish(&mut run, &mut out, true);
                    return (out, true);
                }
            }
        }
    }
    finish(&mut run, &mut out, true);
    (out, false)
}

/// The name a run of words spells, if it is one.
fn name_of(run: &Run, at_end: bool) -> Option<String> {
    let words: Vec<&(String, Kind)> = run
        .words
        .iter()
        .skip_while(|(_, k)| *k == Kind::Suffix)
        .collect();
    let body = words.iter().take_while(|(_, k)| *k != Kind::Suffix).count();
    if body == 0 {
        return None;
    }
    let first_initial = words
        .get(..body)?
        .iter()
        .position(|(_, k)| *k == Kind::Initial);
    // Where the name starts: the word before the first initial (`Pakistan Richard C.
    // Holbrooke`), else the last two words after an office (`for Central Asia George Krol`),
    // else at most three words.
    let start = match first_initial {
        Some(i) => i.saturating_sub(1),
        None if run.after_connective => body.saturating_sub(2),
        None => body.saturating_sub(3),
    };
    let name = words.get(start..)?;
    let core = body - start;
    if name
        .iter()
        .all(|(_, k)| matches!(k, Kind::Initial | Kind::Suffix))
    {
        return None;
    }
    if core == 1 && (!run.after_title || run.after_connective || !at_end) {
        return None;
    }
    let mut out = String::new();
    for (w, k) in name {
        if !out.is_empty() {
            out.push(' ');
        }
        if *k == Kind::Suffix {
            out.push_str(&suffix_form(w));
        } else {
            out.push_str(w);
        }
    }
    Some(out)
}

fn classify(token: &str, mixed: bool) -> Kind {
    let bare = token.trim_matches(|c: char| !c.is_alphanumeric());
    if bare.is_empty() {
        return if token.chars().any(|c| c.is_alphanumeric()) {
            Kind::Other
        } else {
            Kind::Punct
        };
    }
    let upper = bare.to_ascii_uppercase();
    if CONNECTIVES.contains(&upper.as_str()) {
        // In mixed case a lower-case word is prose, which the caller treats like a title.
        return Kind::Connective;
    }
    if is_suffix(token) {
        return Kind::Suffix;
    }
    if PARTICLES.contains(&token) {
        return Kind::Particle;
    }
    if is_title(bare, &upper, mixed) {
        return Kind::Title;
    }
    if is_initial(token) {
        return Kind::Initial;
    }
    let name_chars = token
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '0' || "'-.".contains(c));
    let starts_upper = token.starts_with(|c: char| c.is_ascii_uppercase() || c == '0');
    if !name_chars || !bare.chars().any(|c| c.is_ascii_alphabetic()) {
        return Kind::Other;
    }
    if !starts_upper {
        return Kind::Prose;
    }
    Kind::Word(token.ends_with('.'))
}

fn is_title(bare: &str, upper: &str, mixed: bool) -> bool {
    let letters_o: std::borrow::Cow<'_, str> = if upper.contains('0') {
        upper.replace('0', "O").into()
    } else {
        upper.into()
    };
    if TITLES.contains(upper) || (upper.contains('0') && TITLES.contains(&*letters_o)) {
        return true;
    }
    // `Charge d'Affaires`, `d' Affairs`, `de'Affairs`, `d,Affaires`, `D\'AFFAIRES`.
    if letters_o.contains("AFFA") || letters_o.contains("AFAI") {
        return true;
    }
    // The `d'` / `de` of a split `Charge d' Affairs`.
    if bare == "d" || bare == "de" {
        return true;
    }
    // Hyphenated titles: `Minister-Counselor`, `AMBASSADOR-AT-LARGE`, `Pol-Mil`.
    if upper.contains('-')
        && upper
            .split('-')
            .any(|p| TITLES.contains(p) || is_fuzzy_title(p))
    {
        return true;
    }
    // Acronyms in mixed-case text (`PRT`, `ISN`, `DPO`).
    if mixed && bare.len() >= 2 && bare.chars().all(|c| c.is_ascii_uppercase() || c == '&') {
        return true;
    }
    bare.contains('&') || is_fuzzy_title(&letters_o) || is_glued_titles(bare)
}

/// `EconMinCouns`, `PolMC`, `ESTOff`: abbreviations glued in camel case, every piece a title
/// word. Names in camel case (`McDonald`, `LeBaron`) have a piece that is not.
fn is_glued_titles(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let mut pieces: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || (p.is_ascii_uppercase() && next.is_some_and(char::is_ascii_lowercase))
            });
        if boundary && !cur.is_empty() {
            pieces.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_uppercase());
    }
    pieces.push(cur);
    pieces.len() >= 2 && pieces.iter().all(|p| TITLES.contains(p.as_str()))
}

fn is_fuzzy_title(word: &str) -> bool {
    if word.len() < 4 {
        return false;
    }
    let (w0, w1) = (word.as_bytes()[0], word.as_bytes()[1]);
    let letters = letter_set(word);
    FUZZY_TITLE_LETTERS.iter().any(|&(t, title_letters)| {
        let max = if t.len() >= 8 { 2 } else { 1 };
        // Each edit changes at most two letters of the set of letters a word uses (a
        // substitution takes one out and puts one in): a cheap bound before the distance.
        let set_distance = (letters ^ title_letters).count_ones() as usize;
        if set_distance > 2 * max {
            return false;
        }
        // A typo seldom spoils both of the first two letters (a letter put in or left out
        // at the front shifts them by one): skip the distance otherwise.
        let (t0, t1) = (t.as_bytes()[0], t.as_bytes().get(1).copied().unwrap_or(0));
        (w0 == t0 || w1 == t1 || w1 == t0 || w0 == t1)
            && word.len().abs_diff(t.len()) <= max
            && osa_distance(word, t) <= max
    })
}

/// What follows the last slash of `A/DCM`, `Pol/Econ`, `DCM/Ted`: an office unless it
/// reads as a name (capitalised in mixed text, longer than an abbreviation in capitals).
fn slash_tail_is_title(tail: &str, mixed: bool) -> bool {
    let bare = tail.trim_matches(|c: char| !c.is_alphanumeric());
    let upper = bare.to_ascii_uppercase();
    if bare.is_empty() || is_title(bare, &upper, mixed) {
        return true;
    }
    if mixed {
        !bare.chars().any(|c| c.is_ascii_lowercase())
    } else {
        bare.len() <= 3
    }
}

fn is_suffix(token: &str) -> bool {
    let t = token.trim_end_matches([',', '.']).to_ascii_uppercase();
    matches!(t.as_str(), "JR" | "SR" | "II" | "III" | "IV")
}

/// `JR.` keeps its period, roman numerals lose it (`III.` -> `III`).
fn suffix_form(token: &str) -> String {
    let t = token.trim_end_matches(',');
    let bare = t.trim_end_matches('.');
    if matches!(bare.to_ascii_uppercase().as_str(), "JR" | "SR") {
        t.to_string()
    } else {
        bare.to_string()
    }
}

/// `A.`, `0.` (a zero for an O), `S.K.`, or a single capital letter.
fn is_initial(token: &str) -> bool {
    let b = token.as_bytes();
    match b {
        [c] => c.is_ascii_uppercase(),
        [c, b'.'] => c.is_ascii_uppercase() || *c == b'0',
        _ => {
            b.len() >= 4
                && b.len() % 2 == 0
                && b.chunks(2).all(|p| {
                    p.first().is_some_and(u8::is_ascii_uppercase) && p.get(1) == Some(&b'.')
                })
        }
    }
}

/// The set of ASCII letters in `word`, case folded, as bits.
/// [`FUZZY_TITLES`] with their [`letter_set`]s, made once: every name word is compared
/// with each of them.
static FUZZY_TITLE_LETTERS: LazyLock<Vec<(&'static str, u32)>> = LazyLock::new(|| {
    FUZZY_TITLES
        .iter()
        .map(|&title| (title, letter_set(title)))
        .collect()
});

fn letter_set(word: &str) -> u32 {
    word.bytes()
        .filter(u8::is_ascii_alphabetic)
        .fold(0, |set, b| set | 1 << (b.to_ascii_uppercase() - b'A'))
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
fn osa_distance(a: &str, b: &str) -> usize {
    /// Title words are short; longer words take the unbounded form.
    const MAX: usize = 32;
    let (mut ca, mut cb) = (['\0'; MAX], ['\0'; MAX]);
    let (mut n, mut m) = (0, 0);
    for c in a.chars() {
        if n == MAX {
            return osa_distance_unbounded(a, b);
        }
        ca[n] = c;
        n += 1;
    }
    for c in b.chars() {
        if m == MAX {
            return osa_distance_unbounded(a, b);
        }
        cb[m] = c;
        m += 1;
    }
    // Three rolling rows on the stack: this runs for most words near a `Classified By`.
    let (mut before, mut last, mut row) = ([0usize; MAX + 1], [0usize; MAX + 1], [0usize; MAX + 1]);
    for (j, cell) in last.iter_mut().enumerate().take(m + 1) {
        *cell = j;
    }
    for i in 1..=n {
        row[0] = i;
        for j in 1..=m {
            let cost = usize::from(ca[i - 1] != cb[j - 1]);
            let mut v = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && ca[i - 1] == cb[j - 2] && ca[i - 2] == cb[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            row[j] = v;
        }
        before = last;
        last = row;
    }
    last[m]
}

fn osa_distance_unbounded(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    if let Some(first) = d.first_mut() {
        for (j, cell) in first.iter_mut().enumerate() {
            *cell = j;
        }
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// `THOMAS W. SIMONS, JR.` -> `Thomas W. Simons, Jr.`; a zero typed for an O is fixed.
/// Words already in mixed case (`LeBaron`) are kept.
fn normalize_name(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let w = w.replace('0', "O");
            let roman = matches!(w.trim_end_matches(['.', ',']), "II" | "III" | "IV");
            if roman || w.chars().any(|c| c.is_ascii_lowercase()) {
                return w;
            }
            let mut out = String::with_capacity(w.len());
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.push(c.to_ascii_uppercase());
                } else {
                    out.push(c.to_ascii_lowercase());
                }
                start = !c.is_ascii_alphabetic();
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lines_unwrap_as_line_by_line(
            lines in proptest::collection::vec("(x{70}|x{69}é|x{71})?[ a]{0,2}", 0..6),
        ) {
            let text = lines.join("\n");
            prop_assert_eq!(unwrap_lines(&text), unwrap_each_line(&text));
        }
    }

    proptest! {
        #[test]
        fn osa_distance_on_the_stack_is_the_unbounded_one(a in "[A-Dé]{0,36}", b in "[A-Dé]{0,12}") {
            prop_assert_eq!(osa_distance(&a, &b), osa_distance_unbounded(&a, &b));
        }

        /// The bound `is_fuzzy_title` checks before the distance never turns away a word
        /// within the distance.
        #[test]
        fn letter_sets_differ_by_at_most_two_letters_an_edit(a in "[A-HO0é]{0,12}", b in "[A-HO0é]{0,12}") {
            let set_distance = (letter_set(&a) ^ letter_set(&b)).count_ones() as usize;
            prop_assert!(set_distance <= 2 * osa_distance_unbounded(&a, &b));
        }
    }

    fn by(text: &str) -> Vec<String> {
        parse_classified_by(text, false)
    }

    #[test]
    fn title_name_reasons() {
        assert_eq!(
            by("Classified By: Political Counselor Jane Q. Doe for reasons 1.4 (b) and (d)."),
            ["Jane Q. Doe"]
        );
        assert_eq!(
            by("CLASSIFIED BY: DCM JOHN ROE, REASON 1.5 (D)"),
            ["JOHN ROE"]
        );
        assert_eq!(
            by("1. (U) CLASSIFIED BY CHARGE JOHN ROE. REASON: 1.5 (D)."),
            ["JOHN ROE"]
        );
    }

    #[test]
    fn name_before_title_and_suffixes() {
        assert_eq!(
            by("Classified By: Jane Doe, Assistant Secretary, Department of State. Reason: 1.4"),
            ["Jane Doe"]
        );
        assert_eq!(
            by("CLASSIFIED BY JOHN P. ROE, JR., AMBASSADOR. REASON 1.5"),
            ["JOHN P. ROE, JR."]
        );
        assert_eq!(
            by("Classified By: Ambassador John Roe, III. Reasons 1.4"),
            ["John Roe, III"]
        );
    }

    #[test]
    fn misspelt_titles_and_charge() {
        assert_eq!(
            by("Classified By: Ambasador Jane Doe, reasons 1.4 (b)"),
            ["Jane Doe"]
        );
        assert_eq!(
            by("Classified By: Charge d'Affaires, a.i., Jane Doe for reasons 1.4"),
            ["Jane Doe"]
        );
        assert_eq!(
            by("Classified By: Acting DCM/Jo Doe for reasons 1.4"),
            ["Jo Doe"]
        );
    }

    #[test]
    fn offices_after_for_are_not_names() {
        assert_eq!(
            by("Classified By: Special Envoy for Middle Earth Jane Doe\n\n1. (C) Text"),
            ["Jane Doe"]
        );
        assert_eq!(
            by("Classified By: Envoy for Land and Sea Jane X. Doe, reasons 1.4"),
            ["Jane X. Doe"]
        );
    }

    #[test]
    fn wrapped_words_are_joined() {
        let head = "Classified By: Political Counselor Jane Doe for re ";
        let line = format!("{}{head}", " ".repeat(WRAP_WIDTH - head.len()));
        let text = format!("{line}\nasons 1.4 (b)\n");
        assert_eq!(by(&text), ["Jane Doe"]);
        let head = "Classified By: Political Counselor Jane D ";
        let line = format!("{}{head}", " ".repeat(WRAP_WIDTH - head.len()));
        assert_eq!(by(&format!("{line}\noe, reasons 1.4")), ["Jane Doe"]);
    }

    #[test]
    fn nested_marks_and_prose_marks() {
        assert_eq!(
            by("Classified By: Classified by DCM Jo Doe for reasons 1.4"),
            ["Jo Doe"]
        );
        assert_eq!(
            by("COPY - CLASSIFIED BY LINE ADDED\n\nCLASSIFIED BY DCM JDOE PER 1.5 (B)"),
            ["JDOE"]
        );
        assert!(by("CLASSIFIED BY SECTION 1.5 (B) AND (D).").is_empty());
        assert_eq!(
            by("Classified By: AMBASSADOR JDOE FOR REASONS 1.4"),
            ["JDOE"]
        );
        assert!(by("Classified By: PRT Nowhere Section Head, reasons 1.4").is_empty());
        assert_eq!(
            by("Classified By: PRT Far Away Land Leader Jo Doe, reasons 1.4"),
            ["Jo Doe"]
        );
        assert_eq!(
            by("Classified by: Amb. Jo van Doe for reasons 1.4"),
            ["Jo van Doe"]
        );
        assert_eq!(
            by("Classified By: USEU PolMinCouns Jo Doe, reasons 1.4"),
            ["Jo Doe"]
        );
        assert_eq!(by("Classified By: Jo McDoe, reasons 1.4"), ["Jo McDoe"]);
        assert_eq!(
            by("CLASSIFIED BY: Jo Doe, CDA, Embassy Nowhere, Dept of State. REASON: 1.4"),
            ["Jo Doe"]
        );
        assert!(by("Classified By: Derived from Multiple Sources\n\nTEXT").is_empty());
    }

    #[test]
    fn two_officials() {
        assert_eq!(
            by("CLASSIFIED BY AF JOHN ROE, ACTING AND S/CT DAS JANE DOE; E.O. 12958 REASON 1.4"),
            ["JOHN ROE", "JANE DOE"]
        );
    }

    #[test]
    fn normalized_names() {
        assert_eq!(
            parse_classified_by(
                "CLASSIFIED BY JOHN 0. ROE, JR., AMBASSADOR. REASON 1.5",
                true
            ),
            ["John O. Roe, Jr."]
        );
        assert_eq!(
            parse_classified_by("Classified By: Ambassador Jo McDoe, reasons 1.4", true),
            ["Jo McDoe"]
        );
    }

    #[test]
    fn junk_input() {
        assert!(by("").is_empty());
        assert!(by("Classified By:").is_empty());
        assert!(by("Classified By: \u{0}\u{ff} ÄÖÜ 123").is_empty());
        let long = format!("Classified By: {}", "A ".repeat(3_000_000));
        assert!(by(&long).len() <= 1);
    }

    #[test]
    fn edit_distance() {
        assert_eq!(osa_distance("DIRECOTR", "DIRECTOR"), 1);
        assert_eq!(osa_distance("AMBASSAOR", "AMBASSADOR"), 1);
        assert_eq!(osa_distance("", "ABC"), 3);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "(?s).{0,400}") {
            let _ = parse_classified_by(&s, true);
            let _ = parse_classified_by(&s, false);
        }

        #[test]
        fn never_panics_on_field_like_text(s in "(REF|Classified By|TO|INFO|XMT|DECL|[A-Z0-9 ./:;,()'¶\n-]){0,80}") {
            let _ = parse_classified_by(&s, true);
            let _ = parse_classified_by(&s, false);
        }
    }
}
