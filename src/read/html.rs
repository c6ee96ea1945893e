//! Cablegate pages (`cable/YYYY/MM/<ID>.html`): a metadata table and one or two `<pre>`
//! blocks (header, body) whose newlines are written `&#x000A;`.
//!
//! The pages are machine-made and regular, so a scanner over their few landmarks is enough;
//! an HTML parser would cost more than the whole field extraction. Known flaws of the pages
//! are handled here: the minutes of Created are wrong (only the hour is kept) and the
//! classification link's `title=` attribute is shifted (the link text is used).

use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};

use crate::cable::{Metadata, RawCable, Source};

/// Reads a page; `Err` says why it is not a cable page.
pub fn read_html(page: &str, path: &str) -> Result<RawCable, String> {
    let blocks = pre_blocks(page);
    if blocks.is_empty() {
        return Err("no <pre> block: not a Cablegate cable page".to_string());
    }
    let meta = metadata(page);
    let (header, body) = if blocks.len() >= 2 {
        (blocks[0].clone(), blocks[1..].join("\n\n"))
    } else {
        let (h, b) = super::text::split_header(&blocks[0]);
        (h.to_string(), b.to_string())
    };
    Ok(RawCable {
        header,
        body,
        meta,
        source: Source {
            path: path.to_string(),
            row: None,
            offset: None,
        },
        default_year: None,
    })
}

/// The text of every `<pre>` block, tags stripped and entities decoded.
fn pre_blocks(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(open) = find_ci(rest, "<pre") {
        let Some(gt) = rest[open..].find('>') else {
            break;
        };
        let inner_start = open + gt + 1;
        let inner_end =
            find_ci(&rest[inner_start..], "</pre>").map_or(rest.len(), |e| inner_start + e);
        out.push(decode(&rest[inner_start..inner_end]));
        rest = &rest[inner_end.min(rest.len())..];
        if rest.len() >= 6 {
            rest = &rest[6..];
        } else {
            break;
        }
    }
    out
}

/// The values of the table under the `Reference ID | Created | Released | Classification |
/// Origin` header row, in that order.
fn metadata(page: &str) -> Metadata {
    let mut meta = Metadata::default();
    let Some(th) = page.find("Reference ID") else {
        return meta;
    };
    let mut rest = &page[th..];
    let Some(row_end) = rest.find("</tr>") else {
        return meta;
    };
    rest = &rest[row_end..];
    let mut cells = Vec::new();
    while cells.len() < 5 {
        let Some(open) = find_ci(rest, "<td") else {
            break;
        };
        let Some(close) = find_ci(&rest[open..], "</td>") else {
            break;
        };
        cells.push(decode(&rest[open..open + close]).trim().to_string());
        rest = &rest[open + close + 5..];
    }
    let cell = |i: usize| cells.get(i).filter(|c| !c.is_empty()).cloned();
    meta.id = cell(0);
    meta.date = cell(1).as_deref().and_then(created_hour);
    meta.classification = cell(3);
    meta.origin = cell(4);
    meta
}

/// `2008-04-16 13:07`, keeping the hour only: the pages' minutes are wrong.
fn created_hour(s: &str) -> Option<DateTime<Utc>> {
    let t = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M").ok()?;
    Some(Utc.from_utc_datetime(&t.with_minute(0)?))
}

/// Strips tags (keeping their text) and decodes entities, in one pass: the pages write every
/// newline as `&#x000A;`, so entities are decoded here as they are met (numeric ones and the
/// common names directly, others by `html_escape`) rather than in a second pass over a copy.
fn decode(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(gt) => {
                    let tag = &rest[..gt];
                    if tag.eq_ignore_ascii_case("<br") || tag.eq_ignore_ascii_case("<br/") {
                        text.push('\n');
                    }
                    rest = &rest[gt + 1..];
                }
                None => rest = "",
            }
        } else {
            rest = entity(rest, &mut text);
        }
    }
    text.push_str(rest);
    text
}

/// Decodes the entity `rest` starts with (at its `&`) onto `text`; returns what follows it.
fn entity<'a>(rest: &'a str, text: &mut String) -> &'a str {
    // Up to the next `&` or `<`: an entity never spans one, and tags are stripped first.
    let end = memchr::memchr2(b'<', b'&', &rest.as_bytes()[1..]).map_or(rest.len(), |e| e + 1);
    let candidate = &rest[..end];
    if let Some(semi) = candidate.find(';') {
        let name = &candidate[1..semi];
        let known = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => n.parse(),
                };
                code.ok().and_then(char::from_u32).filter(|&c| c != '\0')
            }),
        };
        if let Some(c) = known {
            text.push(c);
            return &rest[semi + 1..];
        }
    }
    text.push_str(&html_escape::decode_html_entities(candidate));
    &rest[end..]
}

/// Where `needle` (ASCII) first occurs in `haystack`, ignoring ASCII case. Candidates are
/// found with `memchr` on the first byte, so a page is scanned at memory speed rather than
/// compared window by window.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let Some((&first, rest)) = needle.as_bytes().split_first() else {
        return Some(0);
    };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), h).find(|&i| {
        h.get(i + 1..i + 1 + rest.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><body><table class='cable'><tr><th>Reference ID</th><th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr>\n<tr><td>\n<a href='/cable/2008/04/08STATION42.html'>08STATION42</a>\n</td><td><a href='x'>2008-04-16 13:07</a></td><td><a>2010-11-28 18:06</a></td><td><a href='/c' title='secret'>CONFIDENTIAL</a></td><td><a>Embassy Station</a></td></tr></table>\n<code><pre>O 161349Z APR 08&#x000A;FM AMEMBASSY STATION</pre></code><code><pre>C O N F I D E N T I A L STATION 000042&#x000A;TAGS: <a href='/tag/PREL_0.html'>PREL</a>&#x000A;&#x000A;<a id='par1' href='#par1'>¶</a>1. (C) Text &amp; more.</pre></code></body></html>";

    #[test]
    fn page_metadata_and_blocks() {
        let raw = read_html(PAGE, "p.html").unwrap();
        assert_eq!(raw.meta.id.as_deref(), Some("08STATION42"));
        assert_eq!(raw.meta.classification.as_deref(), Some("CONFIDENTIAL"));
        assert_eq!(raw.meta.origin.as_deref(), Some("Embassy Station"));
        assert_eq!(
            raw.meta.date.unwrap().to_rfc3339(),
            "2008-04-16T13:00:00+00:00"
        );
        assert_eq!(raw.header, "O 161349Z APR 08\nFM AMEMBASSY STATION");
        assert!(raw.body.contains("TAGS: PREL\n\n¶1. (C) Text & more."));
    }

    #[test]
    fn pages_without_pre_or_table() {
        assert!(read_html("<html>nothing</html>", "x").is_err());
        let raw = read_html("<pre>FM AMEMBASSY X\nTO Y\n\nUNCLAS X 1\nBODY", "x").unwrap();
        assert_eq!(raw.meta, Metadata::default());
        assert_eq!(raw.header, "FM AMEMBASSY X\nTO Y");
        let _ = read_html("<pre", "x");
        let _ = read_html("Reference ID</tr><td", "x");
    }

    #[test]
    fn text_is_decoded_as_html_escape_does() {
        for html in [
            "a&#x000A;b&#10;c &amp; &lt;b&gt; &quot;q&quot; &#39;",
            "&eacute;t&eacute; &copy 2008 &nbsp;x &unknown; & alone &#xZZ; &#0; &#x110000;",
            "<a href='x'>PREL</a>&#x000A;<br>line<BR/>&amp<i>&</i>",
            "trailing &",
        ] {
            let stripped: String = {
                let mut t = String::new();
                let mut rest = html;
                while let Some(lt) = rest.find('<') {
                    t.push_str(&rest[..lt]);
                    let gt = rest[lt..].find('>').unwrap();
                    if rest[lt..lt + gt].eq_ignore_ascii_case("<br")
                        || rest[lt..lt + gt].eq_ignore_ascii_case("<br/")
                    {
                        t.push('\n');
                    }
                    rest = &rest[lt + gt + 1..];
                }
                t.push_str(rest);
                t
            };
            assert_eq!(
                decode(html),
                html_escape::decode_html_entities(&stripped),
                "{html}"
            );
        }
    }

    #[test]
    fn landmarks_are_found_in_any_case_and_only_whole() {
        assert_eq!(find_ci("ab<PrE>", "<pre"), Some(2));
        assert_eq!(find_ci("<pr <pre", "<pre"), Some(4));
        assert_eq!(find_ci("x</pr", "</pre>"), None);
        assert_eq!(find_ci("é<pre", "<pre"), Some(2));
        assert_eq!(find_ci("", "<pre"), None);
    }
}
