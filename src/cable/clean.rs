//! Normalisation of cable text before any field is read.
//!
//! Cables reach users through web pages and copy-paste, which leave artefacts: markdown links
//! around TAGS (`[PREL](#)`), HTML entities, `¶` paragraph marks, Windows line ends, lines
//! ending in two spaces (markdown line breaks), stray control characters. Every reader passes
//! its text through [`normalize`] so that the field extractors see one shape of text.

use std::borrow::Cow;

/// Returns `text` with line ends unified, control characters removed, markdown links
/// unwrapped, HTML entities decoded and `¶` marks dropped. Borrowed when nothing changes.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let marks = Marks::of(text.as_bytes());
    let blank_ends = memchr::memmem::find(text.as_bytes(), b" \n").is_some() || text.ends_with(' ');
    if !marks.any() && !blank_ends {
        return Cow::Borrowed(text);
    }
    let mut out: Cow<'_, str> = Cow::Borrowed(text);
    if marks.controls && has_controls(&out) {
        out = Cow::Owned(strip_controls(&out));
    }
    // Each step starts from one of the bytes marked: while the text is unchanged, the marks
    // answer for it, and only a step that changed it makes the next look again.
    let holds = |out: &Cow<'_, str>, marked: bool, search: &dyn Fn(&str) -> bool| match out {
        Cow::Borrowed(_) => marked && search(out),
        Cow::Owned(o) => search(o),
    };
    if holds(&out, marks.ampersand, &|t| t.contains('&')) {
        let decoded = html_escape::decode_html_entities(&out);
        if let Cow::Owned(s) = decoded {
            // Entities can encode control characters (`&#x1B;`): clean again.
            out = Cow::Owned(strip_controls(&s));
        }
    }
    if holds(&out, marks.bracket, &|t| t.contains("](")) {
        out = Cow::Owned(unwrap_markdown_links(&out));
    }
    // `¶` is `C2 B6`, which the control mark covers.
    if holds(&out, marks.controls, &|t| t.contains('¶')) {
        out = Cow::Owned(out.replace('¶', ""));
    }
    if holds(&out, blank_ends, &|t| t.contains(" \n") || t.ends_with(' ')) {
        out = Cow::Owned(trim_line_ends(&out));
    }
    out
}

/// The bytes the steps of [`normalize`] start from, found in one branch-free pass that
/// vectorises, where a search per step would take one pass each.
struct Marks {
    /// C0 controls but newline and tab, DEL, and `C2` (which starts the C1 controls and `¶`).
    controls: bool,
    ampersand: bool,
    bracket: bool,
}

impl Marks {
    fn of(bytes: &[u8]) -> Marks {
        // The single bytes are found by `memchr`, which picks the widest vector unit at run
        // time; the C0 range is a comparison the fold below vectorises.
        let c0 = bytes.iter().fold(false, |acc, &b| {
            acc | (b < 0x20) & (b != b'\n') & (b != b'\t')
        });
        Marks {
            controls: c0 || memchr::memchr2(0x7f, 0xc2, bytes).is_some(),
            ampersand: memchr::memchr(b'&', bytes).is_some(),
            bracket: memchr::memchr(b']', bytes).is_some(),
        }
    }

    fn any(&self) -> bool {
        self.controls | self.ampersand | self.bracket
    }
}

/// `text.split('\n')`, found with the vectorised `memchr` rather than `str`'s searcher: the
/// paragraph split walks every line of every body.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        // `\n` is ASCII, so both ends fall on character boundaries.
        let line = text.get(start..end).unwrap_or("");
        start = end + 1;
        line
    })
}

/// `str::trim`, with ASCII blanks taken first: lines are trimmed many times each, and the
/// Unicode-aware trim decodes every character it looks at. Exactly `str::trim`: what is
/// left to a non-ASCII or vertical-tab end goes to it.
pub fn trim(text: &str) -> &str {
    trim_end(trim_start(text))
}

/// `str::trim_start`, ASCII first (see [`trim`]).
pub fn trim_start(text: &str) -> &str {
    let t = text.trim_ascii_start();
    match t.as_bytes().first() {
        Some(&b) if b >= 0x80 || b == 0x0b => t.trim_start(),
        _ => t,
    }
}

/// `str::trim_end`, ASCII first (see [`trim`]).
pub fn trim_end(text: &str) -> &str {
    let t = text.trim_ascii_end();
    match t.as_bytes().last() {
        Some(&b) if b >= 0x80 || b == 0x0b => t.trim_end(),
        _ => t,
    }
}

/// At most the first `max` bytes of `text`, cut at a character boundary: the fields of a
/// cable stand near its top, so extractors look only that far.
pub fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// C0 controls but newline and tab, DEL, and C1 controls (U+0080..U+009F, encoded
/// `C2 80`..`C2 9F`); `C2` is common in accented text, so the byte after it is looked at.
fn has_controls(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\n' && b != b'\t')
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)))
    })
}

/// Drops every control character but newline and tab: no byte from a cable may drive the
/// terminal. `\r\n` and lone `\r` become `\n`; form feeds (page ends) become newlines too.
fn strip_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{c}' => out.push('\n'),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `[PREL](#)` -> `PREL`; `[text](http://x)` -> `text`. Unbalanced brackets are left alone.
fn unwrap_markdown_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let label = &after[..close];
            if label.contains(['[', '\n']) {
                return None;
            }
            let target = &after[close + 2..];
            let end = target.find(')')?;
            if target[..end].contains(['\n', ' ']) {
                return None;
            }
            Some((label, close + 2 + end + 1))
        });
        match link {
            Some((label, consumed)) => {
                out.push_str(&rest[..open]);
                out.push_str(label);
                rest = &after[consumed..];
            }
            None => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`trim_each_line`], copying the text in runs between the lines that end in a blank, found
/// with one vectorised search: most lines need nothing, and a body has a hundred of them.
/// A tab before a line end (rare) takes the line-by-line way.
fn trim_line_ends(text: &str) -> String {
    let bytes = text.as_bytes();
    if text.ends_with('\t') || memchr::memmem::find(bytes, b"\t\n").is_some() {
        return trim_each_line(text);
    }
    let ends_blank = text.ends_with(' ').then(|| text.len() - 1);
    let blanks = memchr::memmem::find_iter(bytes, b" \n").chain(ends_blank);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for blank in blanks {
        let line_end = blank + 1;
        let line_start = memchr::memrchr(b'\n', &bytes[..line_end]).map_or(0, |p| p + 1);
        let line = &text[line_start..line_end];
        if is_wrapped(line) {
            continue;
        }
        let kept = line.trim_end_matches([' ', '\t']).len();
        out.push_str(&text[copied..line_start + kept]);
        copied = line_end;
    }
    out.push_str(&text[copied..]);
    out
}

/// A line of exactly Cablegate's 72-column wrap keeps its one trailing space: it marks a word
/// split across lines (`Hoyt Y` / `ee`), which the name extractors join again.
fn is_wrapped(line: &str) -> bool {
    line.len() >= WRAP_WIDTH
        && line.ends_with(' ')
        && !line.ends_with("  ")
        && line.chars().count() == WRAP_WIDTH
}

fn trim_each_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if is_wrapped(line) {
            out.push_str(line);
        } else {
            out.push_str(line.trim_end_matches([' ', '\t']));
        }
    }
    out
}

/// The column at which Cablegate hard-wrapped lines, leaving a trailing space.
const WRAP_WIDTH: usize = 72;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn trims_as_str_does(text in "[ \t\n\r\u{b}\u{c}\u{a0}\u{2003}\u{3000}a\u{e9}.-]{0,12}") {
            prop_assert_eq!(trim(&text), text.trim());
            prop_assert_eq!(trim_start(&text), text.trim_start());
            prop_assert_eq!(trim_end(&text), text.trim_end());
        }
    }

    proptest! {
        #[test]
        fn line_ends_are_trimmed_as_line_by_line(
            lines in proptest::collection::vec("[a \t]{0,3}(x{70}|x{69}é)?[a \t]{0,3}", 0..6),
        ) {
            let text = lines.join("\n");
            prop_assert_eq!(trim_line_ends(&text), trim_each_line(&text));
        }
    }

    #[test]
    fn split_lines_is_split_on_newlines() {
        for text in ["", "\n", "a", "a\n", "\na\n\nb", "é\nü\n"] {
            assert_eq!(
                split_lines(text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
        }
    }

    proptest! {
        #[test]
        fn marks_are_the_bytes_the_steps_start_from(text in "[a&\\]\n\t\u{7f}\u{1b}\u{80}é¶ ]{0,80}") {
            let bytes = text.as_bytes();
            let marks = Marks::of(bytes);
            let control = |b: &u8| (*b < 0x20 && *b != b'\n' && *b != b'\t') || *b == 0x7f || *b == 0xc2;
            prop_assert_eq!(marks.controls, bytes.iter().any(control));
            prop_assert_eq!(marks.ampersand, bytes.contains(&b'&'));
            prop_assert_eq!(marks.bracket, bytes.contains(&b']'));
        }
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            normalize("TAGS: PREL\nSUBJECT: X\n"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn line_ends_are_trimmed_but_for_the_72_column_wrap() {
        let wrapped = format!("{}Y \nee for reasons", "x".repeat(70));
        assert_eq!(normalize(&wrapped), wrapped);
        assert_eq!(normalize("SUBJECT: X  \nY \n"), "SUBJECT: X\nY\n");
        let two = format!("{}  \nnext", "x".repeat(70));
        assert_eq!(normalize(&two), format!("{}\nnext", "x".repeat(70)));
    }

    #[test]
    fn markdown_links_unwrap() {
        assert_eq!(
            normalize("TAGS: [PREL](#) [AORC](#)  \nSUBJECT: A [B] C"),
            "TAGS: PREL AORC\nSUBJECT: A [B] C"
        );
        assert_eq!(normalize("see [x](http://a.b/c) now"), "see x now");
        assert_eq!(normalize("broken [x](# y"), "broken [x](# y");
    }

    #[test]
    fn controls_and_escapes_never_survive() {
        let dirty = "A\u{1b}[31mRED\r\nB\u{7}\u{9b}C\rD\u{c}E";
        assert_eq!(normalize(dirty), "A[31mRED\nBC\nD\nE");
        assert!(!normalize("x &#x1B;[2J &#27; y").contains('\u{1b}'));
    }

    #[test]
    fn entities_and_pilcrows() {
        assert_eq!(normalize("A&#x000A;B &amp; C"), "A\nB & C");
        assert_eq!(normalize("¶1. (C) Text"), "1. (C) Text");
    }
}
