//! Cablegate pages (`cable/YYYY/MM/<ID>.html`), flaws included.
//!
//! The page is cut down to what a reader needs (head, title, metadata table, the two `<pre>`
//! blocks) but keeps Cablegate's markup and its known defects, because the parser must cope
//! with them: the Created column shows the 12-hour clock hour where the minutes should be, and
//! the classification link's `title=` holds a different, shifted classification.

use super::cable::SynthCable;
use super::vocabulary as v;
use chrono::{Datelike, Timelike};
use std::io::{self, Write};

/// `cable/2008/04/08MOSCOW1052.html`.
pub fn html_path(c: &SynthCable) -> String {
    format!(
        "cable/{}/{:02}/{}.html",
        c.date.year(),
        c.date.month(),
        c.id
    )
}

/// Cablegate's classification links: page number and the (wrong) `title=` each one carries.
fn classification_link(classification: &str) -> (u32, &'static str) {
    match classification {
        "CONFIDENTIAL" => (1, "unclassified"),
        "CONFIDENTIAL//NOFORN" => (2, "secret"),
        "SECRET" => (3, "confidential"),
        "SECRET//NOFORN" => (4, "secret//noforn"),
        "UNCLASSIFIED" => (5, "unclassified//fouo"),
        _ => (6, "confidential//noforn"),
    }
}

/// Writes the cable's Cablegate page.
pub fn write_html(w: &mut impl Write, c: &SynthCable) -> io::Result<()> {
    let d = c.date;
    let (class_page, class_title) = classification_link(&c.classification);
    let origin_page = v::POSTS
        .iter()
        .position(|p| p.origin == c.origin)
        .map_or(0, |i| i + 1);
    // Release dates spread over Cablegate's first fortnight, derived from the id so a page
    // always shows the same one.
    let h =
        c.id.bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let rel_day = 28 + h % 13;
    let (rel_month, rel_day) = if rel_day > 30 {
        (12, rel_day - 30)
    } else {
        (11, rel_day)
    };
    let (rel_hour, rel_min) = (h / 13 % 24, h / 312 % 60);

    w.write_all(
        b"<?xml version='1.0' encoding='utf-8' ?>\n\
<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \
\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n\
<html lang='en' xml:lang='en' xmlns='http://www.w3.org/1999/xhtml'>\n\
<head>\n<title>Cable Viewer</title>\n\
<link href='/static/css/cables.css' rel='stylesheet' type='text/css' />\n\
</head>\n<body>\n<div class='main'>\n<div class='pane big'>\n<h3>Viewing cable ",
    )?;
    write!(w, "{}, ", c.id)?;
    write_escaped(w, &c.subject)?;
    w.write_all(b"</h3>\n<table class='cable'>\n<tr>\n<th>Reference ID</th>\n<th>Created</th>\n<th>Released</th>\n<th>Classification</th>\n<th>Origin</th>\n</tr>\n<tr>\n")?;
    writeln!(
        w,
        "<td>\n<a href='/cable/{y}/{m:02}/{id}.html'>{id}</a>\n</td>",
        y = d.year(),
        m = d.month(),
        id = c.id
    )?;
    // The minutes column really holds the hour on a 12-hour clock.
    writeln!(
        w,
        "<td>\n<a href='/date/{y}-{m:02}_0.html'>{y}-{m:02}-{day:02} {hh:02}:{wrong:02}</a>\n</td>",
        y = d.year(),
        m = d.month(),
        day = d.day(),
        hh = d.hour(),
        wrong = d.hour12().1
    )?;
    writeln!(
        w,
        "<td>\n<a href='/reldate/2010-{rel_month}-{rel_day:02}_0.html'>2010-{rel_month}-{rel_day:02} {rel_hour:02}:{rel_min:02}</a>\n</td>"
    )?;
    writeln!(
        w,
        "<td>\n<a href='/classification/{class_page}_0.html' title='{class_title}'>{}</a>\n</td>",
        c.classification
    )?;
    write!(w, "<td>\n<a href='/origin/{origin_page}_0.html'>")?;
    write_escaped(w, &c.origin)?;
    w.write_all(b"</a>\n</td>\n</tr>\n</table>\n<code><pre>")?;
    write_pre(w, &c.header, false)?;
    w.write_all(b"</pre></code>\n<code><pre>")?;
    write_pre(w, &c.body, true)?;
    w.write_all(b"</pre></code>\n</div>\n</div>\n</body>\n</html>\n")
}

/// Text for a `<pre>`: HTML-escaped, newlines as `&#x000A;`; in the body, TAGS become links
/// and numbered paragraphs get their `¶` anchors.
fn write_pre(w: &mut impl Write, text: &str, body: bool) -> io::Result<()> {
    let mut next_par = 1usize;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            w.write_all(b"&#x000A;")?;
        }
        if body {
            if let Some(tags) = line.strip_prefix("TAGS: ") {
                w.write_all(b"TAGS: ")?;
                let codes = tags.split([',', ' ']).filter(|t| !t.is_empty());
                for (k, code) in codes.enumerate() {
                    if k > 0 {
                        w.write_all(b" ")?;
                    }
                    write!(w, "<a href='/tag/{code}_0.html'>{code}</a>")?;
                }
                continue;
            }
            if starts_paragraph(line, next_par) {
                write!(w, "<a id='par{next_par}' href='#par{next_par}'>\u{b6}</a>")?;
                next_par += 1;
            }
        }
        write_escaped(w, line)?;
    }
    Ok(())
}

/// True when `line` opens paragraph `n` (`12. (C) ...`, `3.  OLD STYLE`).
fn starts_paragraph(line: &str, n: usize) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && line[..digits].parse::<usize>().ok() == Some(n)
        && line[digits..].starts_with(". ")
}

fn write_escaped(w: &mut impl Write, s: &str) -> io::Result<()> {
    w.write_all(html_escape::encode_text(s).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_starts_need_the_expected_number() {
        assert!(starts_paragraph("1. (C) Summary", 1));
        assert!(starts_paragraph("12.  TEXT", 12));
        assert!(!starts_paragraph("2007. The", 3));
        assert!(!starts_paragraph("1.5 (b)", 1));
    }
}
