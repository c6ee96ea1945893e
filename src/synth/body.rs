//! The telegram body: caption, handling lines, E.O., TAGS, SUBJECT, REF, Classified By, the
//! numbered paragraphs with page breaks, and the signature.

use super::cable::{Made, Marks, Style, SynthCable};
use super::compose::wrap_into;
use super::rng::Rng;
use super::vocabulary::{self as v, Post};
use chrono::{DateTime, Datelike, Utc};
use std::fmt::Write as _;

/// What the body writers share about the cable.
pub(super) struct BodyContext<'a> {
    pub(super) post: &'a Post,
    pub(super) post_i: usize,
    pub(super) class_i: usize,
    pub(super) serial: u32,
    pub(super) date: DateTime<Utc>,
    pub(super) style: Style,
    pub(super) marks: &'a Marks,
}

impl BodyContext<'_> {
    fn old(&self) -> bool {
        self.style == Style::Old
    }

    /// Ends a line; old cables carry a trailing space on every line.
    fn eol(&self, out: &mut String) {
        out.push_str(if self.old() { " \n" } else { "\n" });
    }

    fn blank(&self, out: &mut String) {
        self.eol(out);
    }

    /// The caption's classification word (`C O N F I D E N T I A L`, `UNCLAS`).
    fn caption_class(&self) -> &'static str {
        match self.class_i {
            0 | 1 if self.old() => "UNCLASSIFIED",
            0 | 1 => "UNCLAS",
            2 | 3 => "C O N F I D E N T I A L",
            _ => "S E C R E T",
        }
    }
}

/// What the REF line is written from.
pub(super) struct RefLine<'a> {
    /// The stream of the reference decisions; the line's layout is one of them.
    pub(super) rng: &'a mut Rng,
    pub(super) refs: &'a [Made],
    /// The old references, whose REF line the main stream still draws (`legacy_refs.rs`).
    pub(super) legacy: &'a [Made],
    pub(super) scratch: &'a mut String,
}

/// Caption, handling lines, E.O., TAGS, SUBJECT, REF and Classified By, each as cables
/// write them; the paragraphs follow. Returns the length the front matter would have with
/// the old REF line, from which the pages are laid out as before.
pub(super) fn write_front_matter(
    rng: &mut Rng,
    ctx: &BodyContext<'_>,
    c: &mut SynthCable,
    ref_line: RefLine<'_>,
    line: &mut String,
) -> usize {
    let out = &mut c.body;
    let year = ctx.date.year();
    let old = ctx.old();
    // Sections are decided later from the paragraph sizes; the caption gets a placeholder
    // that write_paragraph_block fills, so nothing is written twice.
    out.push_str(ctx.caption_class());
    out.push(' ');
    out.push_str(SECTION_SLOT);
    out.push_str(ctx.post.caption);
    if old {
        let _ = write!(out, " {}", ctx.serial);
    } else {
        let _ = write!(out, " {:06}", ctx.serial);
    }
    ctx.eol(out);
    ctx.blank(out);
    match ctx.class_i {
        1 => {
            out.push_str(if rng.chance(700) {
                "SENSITIVE"
            } else {
                "SENSITIVE BUT UNCLASSIFIED"
            });
            ctx.eol(out);
        }
        3 | 5 => {
            out.push_str("NOFORN");
            ctx.eol(out);
        }
        _ => {}
    }
    if year >= 2002 {
        out.push_str("SIPDIS");
        ctx.eol(out);
        ctx.blank(out);
    } else if matches!(ctx.class_i, 1 | 3 | 5) {
        ctx.blank(out);
    }
    if !old && rng.chance(300) {
        let _ = write!(
            out,
            "{} {}/{}",
            if rng.chance(600) {
                "DEPT FOR"
            } else {
                "DEPARTMENT FOR"
            },
            rng.pick(v::BUREAUS),
            rng.pick(v::OFFICES)
        );
        if rng.chance(300) {
            let _ = write!(out, " AND {}", rng.pick(v::BUREAUS));
        }
        ctx.eol(out);
        ctx.blank(out);
    }

    write_eo_line(rng, ctx, out);
    out.push_str("TAGS: ");
    let sep = if rng.chance(500) { ", " } else { " " };
    for (i, t) in c.tags.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(t);
    }
    ctx.eol(out);

    line.clear();
    line.push_str("SUBJECT: ");
    if !old && ctx.class_i >= 1 && rng.chance(250) {
        if let Some(m) = ctx.marks.top() {
            line.push_str(m);
            line.push(' ');
        }
    }
    line.push_str(&c.subject);
    wrap_into(
        line,
        if old { 64 } else { 60 },
        if old { " \n" } else { "\n" },
        out,
    );
    ctx.blank(out);

    let refs_start = out.len();
    if !ref_line.refs.is_empty() {
        write_refs(ref_line.rng, ctx, ref_line.refs, out);
        ctx.blank(out);
    }
    let refs_len = out.len() - refs_start;
    let legacy = ref_line.scratch;
    legacy.clear();
    if !ref_line.legacy.is_empty() {
        write_refs(rng, ctx, ref_line.legacy, legacy);
        ctx.blank(legacy);
    }

    if !old && ctx.class_i >= 2 {
        write_classified_by(rng, ctx, out);
        ctx.blank(out);
    }
    out.len() - refs_len + legacy.len()
}

/// Placeholder in the caption for `SECTION 01 OF 03 ` until the section count is known.
const SECTION_SLOT: &str = "\u{0}";

fn write_eo_line(rng: &mut Rng, ctx: &BodyContext<'_>, out: &mut String) {
    let d = ctx.date;
    let classified = ctx.class_i >= 2;
    let year = d.year();
    let order = match year {
        ..=1977 => "11652",
        1978..=1981 => "12065",
        1982..=1995 => "12356",
        2010 => "13526",
        _ => "12958",
    };
    let _ = write!(out, "E.O. {order}: ");
    if !classified {
        out.push_str("N/A");
    } else if year < 1978 {
        out.push_str("GDS");
    } else if year < 1982 {
        let _ = write!(out, "GDS {}/{}/{:02}", d.month(), d.day(), (year + 6) % 100);
    } else if year < 1996 {
        out.push_str("DECL: OADR");
    } else {
        let years = if ctx.class_i >= 4 && rng.chance(300) {
            25
        } else {
            10
        };
        let _ = write!(
            out,
            "DECL: {:02}/{:02}/{}",
            d.month(),
            d.day(),
            year + years
        );
    }
    ctx.eol(out);
}

/// `REF: A. STATE 39114 B. 07 MOSCOW 5678` and its variants.
fn write_refs(rng: &mut Rng, ctx: &BodyContext<'_>, refs: &[Made], out: &mut String) {
    let year = ctx.date.year();
    let layout = rng.below(3);
    out.push_str("REF: ");
    for (i, r) in refs.iter().enumerate() {
        let letter = (b'A' + (i as u8).min(25)) as char;
        if refs.len() > 1 {
            if i > 0 {
                if layout == 1 {
                    ctx.eol(out);
                    out.push_str("     ");
                } else {
                    out.push(' ');
                }
            }
            if layout == 2 {
                let _ = write!(out, "({letter}) ");
            } else {
                let _ = write!(out, "{letter}. ");
            }
        }
        // The year is given when it differs (and sometimes when it does not).
        if r.year != year || rng.chance(150) {
            let _ = write!(out, "{:02} ", r.year % 100);
        }
        out.push_str(v::POSTS[r.post].caption);
        if rng.chance(150) {
            let _ = write!(out, " {:06}", r.serial);
        } else {
            let _ = write!(out, " {}", r.serial);
        }
    }
    ctx.eol(out);
}

fn write_classified_by(rng: &mut Rng, ctx: &BodyContext<'_>, out: &mut String) {
    let first = rng.pick(v::US_FIRST);
    let initial = (b'A' + rng.below(26) as u8) as char;
    let last = rng.pick(v::US_LAST);
    out.push_str("Classified By: ");
    if ctx.post_i == v::STATE {
        let bureau = rng.pick(v::BUREAUS);
        if rng.chance(500) {
            let _ = write!(out, "{bureau} A/S {first} {initial}. {last}");
        } else {
            let _ = write!(
                out,
                "{bureau}/{} Director {first} {initial}. {last}",
                rng.pick(v::OFFICES)
            );
        }
    } else {
        let _ = write!(
            out,
            "{} {first} {initial}. {last}",
            rng.pick(v::CLASSIFIERS)
        );
    }
    // E.O. 12958 numbered the reasons 1.5 until its 2003 amendment.
    let section = if ctx.date.year() < 2003 { "1.5" } else { "1.4" };
    match rng.below(4) {
        0 => {
            let _ = write!(out, " for reasons {section} (b) and (d)");
        }
        1 => {
            let _ = write!(out, ".\nReasons {section}(b) and (d).");
        }
        2 => {
            let _ = write!(out, ", reasons {section} (b/d)");
        }
        _ => {
            let _ = write!(out, ", for reasons {section} (b), (c) and (d).");
        }
    }
    ctx.eol(out);
}

/// Writes the laid-out paragraphs, breaking pages between paragraphs in long cables, and
/// fills the caption's section placeholder.
pub(super) fn write_paragraph_block(
    rng: &mut Rng,
    ctx: &BodyContext<'_>,
    paras: &str,
    ends: &[usize],
    front_len: usize,
    out: &mut String,
) {
    let total = front_len + paras.len();
    let sections = (1 + total / 9000).min(99);
    let show = sections > 1 || (!ctx.old() && rng.chance(50));
    if let Some(at) = out.find(SECTION_SLOT) {
        let mut s = String::new();
        if show {
            let _ = write!(s, "SECTION {:02} OF {:02} ", 1, sections);
        }
        out.replace_range(at..at + SECTION_SLOT.len(), &s);
    }
    let mut start = 0;
    let mut next_break = 1;
    for &end in ends {
        if next_break < sections && front_len + start >= total * next_break / sections {
            let _ = write!(
                out,
                "{} {:08}  {:03} OF {:03}",
                ctx.post.caption,
                ctx.serial,
                next_break + 1,
                sections
            );
            ctx.eol(out);
            ctx.blank(out);
            next_break += 1;
        }
        out.push_str(&paras[start..end]);
        start = end;
    }
}

pub(super) fn write_signature(rng: &mut Rng, ctx: &BodyContext<'_>, out: &mut String) {
    let year = ctx.date.year();
    if ctx.old() && year < 1973 && rng.chance(600) {
        out.push_str("GP-3");
        ctx.eol(out);
    }
    if ctx.post_i == v::STATE {
        let name = v::SECRETARIES
            .iter()
            .rev()
            .find(|(from, _)| *from <= year)
            .map_or("RICE", |s| s.1);
        out.push_str(name);
    } else {
        // One chief of mission per post and few years, so signatures repeat like real ones.
        let k = (ctx.post_i * 7919 + (year as usize / 3) * 31) % v::US_LAST.len();
        let name = v::US_LAST[k];
        for ch in name.chars() {
            out.push(ch.to_ascii_uppercase());
        }
    }
    ctx.eol(out);
}
