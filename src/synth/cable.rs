//! The generated cable, its ground truth, and the [`Generator`] that makes them.
//!
//! Every random choice is drawn from one seeded [`Rng`] stream in a fixed order, so the same
//! seed gives the same cables byte for byte. The ground truth is decided first (id, date,
//! precedence, classification, tags, subject, references) and the telegram text is then
//! written from it, so the text always says what the truth says.

use super::compose::{Composer, pick_country_post, wrap_into};
use super::rng::Rng;
use super::vocabulary::{self as v, Post};
use crate::cable::Precedence;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use std::collections::HashSet;
use std::fmt::Write as _;

/// One generated cable: its ground truth and its telegram text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SynthCable {
    /// Canonical id: two-digit year, station, serial without leading zeros (`08MOSCOW1052`).
    pub id: String,
    /// The date-time group, to the minute, UTC.
    pub date: DateTime<Utc>,
    pub precedence: Precedence,
    /// As the dump states it (`CONFIDENTIAL//NOFORN`).
    pub classification: String,
    /// As the dump names the office (`Embassy Moscow`).
    pub origin: String,
    /// The FM line as written (`AMEMBASSY MOSCOW`).
    pub from: String,
    pub tags: Vec<String>,
    /// The whole subject on one line, words separated by single spaces, without the
    /// portion mark some cables put before it.
    pub subject: String,
    /// Canonical ids of the cables cited on the REF line, in the order cited (the dump's
    /// column lists them sorted; compare as sets).
    pub references: Vec<String>,
    /// Number of numbered paragraphs.
    pub paragraphs: usize,
    /// Routing lines, DTG, FM/TO/INFO (no trailing newline).
    pub header: String,
    /// Caption to signature, ending with a newline.
    pub body: String,
}

/// The six classifications of the dump, with their share of Cablegate in 1/10,000.
pub const CLASSIFICATIONS: [(&str, u32); 6] = [
    ("UNCLASSIFIED", 3000),
    ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", 2300),
    ("CONFIDENTIAL", 3880),
    ("CONFIDENTIAL//NOFORN", 200),
    ("SECRET", 450),
    ("SECRET//NOFORN", 170),
];

/// Precedences with their share in 1/10,000 (a few UNKNOWN cables have no DTG line).
const PRECEDENCES: [(Precedence, u32); 6] = [
    (Precedence::Flash, 20),
    (Precedence::NiactImmediate, 200),
    (Precedence::Immediate, 2200),
    (Precedence::Priority, 4000),
    (Precedence::Routine, 3550),
    (Precedence::Unknown, 30),
];

/// Cables per year in 1/10,000, shaped like Cablegate: a thin tail back to 1966, most in
/// 2005-2009, and only January-February of 2010.
fn year_weight(year: i32) -> u32 {
    match year {
        1966..=1989 => 15,
        1990..=1999 => 30,
        2000 => 40,
        2001 => 60,
        2002 => 140,
        2003 => 180,
        2004 => 320,
        2005 => 1390,
        2006 => 1900,
        2007 => 2150,
        2008 => 1720,
        2009 => 1610,
        2010 => 300,
        _ => 0,
    }
}

/// Hours of the day in Cablegate's proportions (office hours dominate).
const HOUR_WEIGHTS: [u32; 24] = [
    4, 2, 3, 3, 7, 9, 23, 22, 19, 37, 42, 47, 45, 51, 47, 61, 57, 37, 27, 8, 12, 13, 6, 7,
];

/// How the text is laid out, which follows the era.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// 1966-1989: all capitals, no portion marks, wrapped with trailing spaces, no routing.
    Old,
    /// Mixed case wrapped at the given width.
    Wrapped(usize),
    /// Mixed case, one line per paragraph.
    Long,
}

/// A cable the generator has made, kept for later cables to cite.
#[derive(Debug, Clone, Copy)]
struct Made {
    post: usize,
    year: i32,
    serial: u32,
    date: DateTime<Utc>,
}

/// Cables kept for REF lines: recent enough to be plausible, few enough to stay cheap.
const POOL: usize = 2048;

/// Makes a deterministic stream of cables from a seed.
#[derive(Debug)]
pub struct Generator {
    rng: Rng,
    used: HashSet<u64>,
    pool: Vec<Made>,
    pool_next: usize,
    composer: Composer,
    post_weights: Vec<u32>,
    theme_weights: Vec<u32>,
    year_weights: Vec<u32>,
    paras: String,
    para_ends: Vec<usize>,
    line: String,
    refs: Vec<Made>,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            used: HashSet::new(),
            pool: Vec::with_capacity(POOL),
            pool_next: 0,
            composer: Composer::default(),
            post_weights: v::POSTS.iter().map(|p| p.weight).collect(),
            theme_weights: v::THEMES.iter().map(|t| t.weight).collect(),
            year_weights: (1966..=2010).map(year_weight).collect(),
            paras: String::with_capacity(16 * 1024),
            para_ends: Vec::new(),
            line: String::with_capacity(256),
            refs: Vec::new(),
        }
    }

    /// The next cable of the stream.
    pub fn next_cable(&mut self) -> SynthCable {
        let mut c = SynthCable::default();
        self.next_into(&mut c);
        c
    }

    /// The next cable of the stream, written into `c` to reuse its buffers.
    pub fn next_into(&mut self, c: &mut SynthCable) {
        let rng = &mut self.rng;

        // Date.
        let year = 1966 + rng.weighted(&self.year_weights) as i32;
        let days = if year == 2010 {
            59
        } else if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
            366
        } else {
            365
        };
        let ordinal = rng.range(1, days) as u32;
        let hour = rng.weighted(&HOUR_WEIGHTS) as u32;
        let minute = rng.below(60) as u32;
        let date = NaiveDate::from_yo_opt(year, ordinal)
            .and_then(|d| d.and_hms_opt(hour, minute, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default();

        // Origin, respecting the years a post existed.
        let mut post_i = rng.weighted(&self.post_weights);
        for _ in 0..8 {
            let (first, last) = v::POSTS[post_i].years;
            if (first..=last).contains(&year) {
                break;
            }
            post_i = rng.weighted(&self.post_weights);
        }
        let (first, last) = v::POSTS[post_i].years;
        if !(first..=last).contains(&year) {
            post_i = v::STATE;
        }
        let post = &v::POSTS[post_i];

        let weights = CLASSIFICATIONS.map(|(_, w)| w);
        let class_i = rng.weighted(&weights);
        let classification = CLASSIFICATIONS[class_i].0;
        let weights = PRECEDENCES.map(|(_, w)| w);
        let precedence = PRECEDENCES[rng.weighted(&weights)].0;

        // A serial that grows through the year, unique per station and year.
        let per_day = u64::from(post.volume) / 365 + 1;
        let mut serial =
            (u64::from(ordinal - 1) * u64::from(post.volume) / 365 + rng.below(per_day) + 1) as u32;
        while !self
            .used
            .insert(((post_i as u64) << 48) | ((year as u64) << 32) | u64::from(serial))
        {
            serial += 1;
        }

        let style = if year < 1990 {
            Style::Old
        } else if year < 2005 || rng.chance(500) {
            Style::Wrapped(rng.range(60, 70) as usize)
        } else {
            Style::Long
        };

        // What the cable is about.
        let focus = if post.country.is_empty() || post_i == v::STATE {
            pick_country_post(rng)
        } else {
            post_i
        };
        let theme = rng.weighted(&self.theme_weights);
        self.composer
            .start(rng, focus, theme, (year, date.month(), date.day()));

        c.id.clear();
        let _ = write!(c.id, "{:02}{}{}", year % 100, post.station, serial);
        c.date = date;
        c.precedence = precedence;
        c.classification.clear();
        c.classification.push_str(classification);
        c.origin.clear();
        c.origin.push_str(post.origin);
        c.from.clear();
        c.from.push_str(post.from);

        choose_tags(rng, theme, &v::POSTS[focus], &mut c.tags);
        c.subject.clear();
        self.composer.subject(rng, &mut c.subject);

        // References: earlier cables of this generator, dated before this one.
        self.refs.clear();
        let wanted = match rng.below(100) {
            0..=54 => 0,
            55..=79 => 1,
            80..=91 => 2,
            _ => rng.range(3, 5) as usize,
        };
        for _ in 0..wanted * 3 {
            if self.refs.len() >= wanted || self.pool.is_empty() {
                break;
            }
            let m = self.pool[rng.index(self.pool.len())];
            let dup = self
                .refs
                .iter()
                .any(|r| r.post == m.post && r.year == m.year && r.serial == m.serial);
            if m.date < date && !dup {
                self.refs.push(m);
            }
        }
        c.references.clear();
        for r in &self.refs {
            c.references.push(format!(
                "{:02}{}{}",
                r.year % 100,
                v::POSTS[r.post].station,
                r.serial
            ));
        }

        let marks = Marks::new(rng, class_i, style);
        let count = paragraph_count(rng);
        self.write_paragraphs(count, style, &marks);
        c.paragraphs = count;

        let rng = &mut self.rng;
        c.header.clear();
        write_header(
            rng,
            post_i,
            focus,
            precedence,
            class_i,
            serial,
            date,
            style,
            &mut c.header,
        );
        c.body.clear();
        let ctx = BodyContext {
            post,
            post_i,
            class_i,
            serial,
            date,
            style,
            marks: &marks,
        };
        write_front_matter(rng, &ctx, c, &self.refs, &mut self.line);
        write_paragraph_block(
            rng,
            &ctx,
            &self.paras,
            &self.para_ends,
            c.body.len(),
            &mut c.body,
        );
        write_signature(rng, &ctx, &mut c.body);

        let made = Made {
            post: post_i,
            year,
            serial,
            date,
        };
        if self.pool.len() < POOL {
            self.pool.push(made);
        } else {
            self.pool[self.pool_next] = made;
            self.pool_next = (self.pool_next + 1) % POOL;
        }
    }

    /// Writes the numbered paragraphs, laid out, into `self.paras`, recording where each ends.
    fn write_paragraphs(&mut self, count: usize, style: Style, marks: &Marks) {
        self.paras.clear();
        self.para_ends.clear();
        let rng = &mut self.rng;
        let comp = &mut self.composer;
        let headings = style == Style::Long && count >= 8 && rng.chance(200);
        let summary = count >= 4 && rng.chance(850);
        let comment = count >= 5 && rng.chance(500);
        let (width, eol) = match style {
            Style::Old => (rng.range(60, 68) as usize, " \n"),
            Style::Wrapped(w) => (w, "\n"),
            Style::Long => (0, "\n"),
        };
        let mut heading = rng.index(3);
        for n in 1..=count {
            let text = &mut self.line;
            text.clear();
            if headings && n > 2 && heading < v::HEADINGS.len() && rng.chance(150) {
                let h = v::HEADINGS[heading];
                heading += rng.range(1, 3) as usize;
                self.paras.push_str(h);
                self.paras.push('\n');
                for _ in 0..h.len() {
                    self.paras.push('-');
                }
                self.paras.push('\n');
            }
            let _ = write!(text, "{n}.");
            text.push_str(if style == Style::Old { "  " } else { " " });
            if let Some(m) = marks.pick(rng) {
                text.push_str(m);
                text.push(' ');
            }
            let start = text.len();
            if n == 1 && summary {
                text.push_str(if rng.chance(800) {
                    "Summary: "
                } else {
                    "Summary. "
                });
                comp.sentence(rng, v::SUMMARY_OPENERS, text);
                for _ in 0..rng.range(2, 5) {
                    text.push(' ');
                    comp.sentence(rng, v::SENTENCES, text);
                }
                text.push_str(" End Summary.");
            } else if n == count && comment {
                text.push_str("Comment: ");
                comp.sentence(rng, v::COMMENTS, text);
                for _ in 0..rng.range(1, 3) {
                    text.push(' ');
                    comp.sentence(rng, v::COMMENTS, text);
                }
                text.push_str(" End Comment.");
            } else {
                comp.sentence(rng, v::SENTENCES, text);
                for _ in 0..rng.range(1, 6) {
                    text.push(' ');
                    comp.sentence(rng, v::SENTENCES, text);
                }
                if style != Style::Old && rng.chance(120) {
                    text.push_str(" Key points included:");
                    for _ in 0..rng.range(2, 5) {
                        text.push_str("\n-- ");
                        comp.sentence(rng, v::SENTENCES, text);
                    }
                }
            }
            if style == Style::Old {
                text[start..].make_ascii_uppercase();
            }
            wrap_into(text, width, eol, &mut self.paras);
            self.paras
                .push_str(if style == Style::Old { " \n" } else { "\n" });
            self.para_ends.push(self.paras.len());
        }
    }
}

/// 1-40 paragraphs, skewed so that the median cable is about 5 KB.
fn paragraph_count(rng: &mut Rng) -> usize {
    let mut n = 1 + rng.below(5) + rng.below(6);
    if rng.chance(300) {
        n += rng.below(12);
    }
    if rng.chance(70) {
        n += rng.below(24);
    }
    n.min(40) as usize
}

/// 2-12 TAGS: the theme's subject codes, the country, sometimes rarer codes and neighbours.
fn choose_tags(rng: &mut Rng, theme: usize, focus: &Post, tags: &mut Vec<String>) {
    tags.clear();
    let theme_tags = v::THEMES[theme].tags;
    let n = rng.range(1, theme_tags.len().min(4) as u64) as usize;
    let offset = rng.index(theme_tags.len());
    for i in 0..n {
        push_unique(tags, theme_tags[(offset + i) % theme_tags.len()]);
    }
    if rng.chance(250) {
        for _ in 0..rng.range(1, 4) {
            push_unique(tags, rng.pick(v::RARE_TAGS));
        }
    }
    if !focus.country.is_empty() {
        push_unique(tags, focus.country);
    }
    if rng.chance(300) {
        for _ in 0..rng.range(1, 4) {
            push_unique(tags, rng.pick(v::EXTRA_COUNTRY_TAGS));
        }
    }
    if tags.len() < 2 {
        push_unique(
            tags,
            if theme_tags[0] == "PREL" {
                "PGOV"
            } else {
                "PREL"
            },
        );
    }
    tags.truncate(12);
}

fn push_unique(tags: &mut Vec<String>, tag: &str) {
    if !tags.iter().any(|t| t == tag) {
        tags.push(tag.to_string());
    }
}

/// Portion marks for one cable's paragraphs, weighted per classification.
#[derive(Debug)]
struct Marks {
    marks: &'static [(&'static str, u32)],
    weights: Vec<u32>,
}

impl Marks {
    fn new(rng: &mut Rng, class_i: usize, style: Style) -> Marks {
        let marks: &'static [(&'static str, u32)] = if style == Style::Old {
            &[]
        } else {
            match class_i {
                0 if rng.chance(700) => &[],
                0 => &[("(U)", 1)],
                1 => &[("(SBU)", 85), ("(U)", 15)],
                2 => &[("(C)", 80), ("(SBU)", 12), ("(U)", 8)],
                3 => &[("(C/NF)", 50), ("(C)", 40), ("(SBU)", 10)],
                4 => &[("(S)", 60), ("(C)", 30), ("(SBU)", 10)],
                _ => &[("(S/NF)", 60), ("(S)", 25), ("(C)", 15)],
            }
        };
        Marks {
            marks,
            weights: marks.iter().map(|m| m.1).collect(),
        }
    }

    fn pick(&self, rng: &mut Rng) -> Option<&'static str> {
        if self.marks.is_empty() {
            return None;
        }
        Some(self.marks[rng.weighted(&self.weights)].0)
    }

    /// The highest mark, for a subject line's leading portion mark.
    fn top(&self) -> Option<&'static str> {
        self.marks.first().map(|m| m.0)
    }
}

fn precedence_word(p: Precedence) -> &'static str {
    match p {
        Precedence::Flash => "FLASH",
        Precedence::NiactImmediate => "NIACT IMMEDIATE",
        Precedence::Immediate => "IMMEDIATE",
        Precedence::Priority => "PRIORITY",
        Precedence::Routine => "ROUTINE",
        Precedence::Unknown => "",
    }
}

fn prosign(p: Precedence) -> char {
    match p {
        Precedence::Flash => 'Z',
        Precedence::NiactImmediate | Precedence::Immediate => 'O',
        Precedence::Priority => 'P',
        Precedence::Routine | Precedence::Unknown => 'R',
    }
}

/// A precedence for INFO addressees: the same or lower than the action one.
fn info_precedence(rng: &mut Rng, p: Precedence) -> Precedence {
    match p {
        Precedence::Flash | Precedence::NiactImmediate => Precedence::Immediate,
        Precedence::Immediate if rng.chance(500) => Precedence::Priority,
        Precedence::Unknown => Precedence::Routine,
        other if rng.chance(200) => Precedence::Routine.max(other),
        other => other,
    }
}

/// `161349Z APR 08`.
fn write_dtg(date: DateTime<Utc>, out: &mut String) {
    let month = v::MONTHS[date.month0() as usize];
    let _ = write!(
        out,
        "{:02}{:02}{:02}Z {} {:02}",
        date.day(),
        date.hour(),
        date.minute(),
        month,
        date.year() % 100
    );
}

#[allow(clippy::too_many_arguments)]
fn write_header(
    rng: &mut Rng,
    post_i: usize,
    focus: usize,
    precedence: Precedence,
    class_i: usize,
    serial: u32,
    date: DateTime<Utc>,
    style: Style,
    out: &mut String,
) {
    let post = &v::POSTS[post_i];
    let old = style == Style::Old;
    let p = prosign(precedence);
    if !old {
        if rng.chance(700) {
            let _ = writeln!(out, "VZCZCXRO{:04}", rng.below(10_000));
        } else {
            out.push_str("VZCZCXYZ0000\n");
        }
        let _ = write!(out, "{p}{p} {}", rng.pick(v::RELAYS));
        if rng.chance(300) {
            let _ = write!(out, " {}", rng.pick(v::RELAYS));
        }
        let _ = writeln!(
            out,
            "\nDE {} #{:04}/01 {:03}{:02}{:02}",
            post.ri,
            serial % 10_000,
            date.ordinal(),
            date.hour(),
            date.minute()
        );
        out.push_str(match class_i {
            0 | 1 => "ZNR UUUUU ZZH\n",
            2 | 3 => "ZNY CCCCC ZZH\n",
            _ => "ZNY SSSSS ZZH\n",
        });
    }
    if precedence != Precedence::Unknown {
        out.push(p);
        // Old cables often give the info precedence too: `P R 281848Z DEC 66`.
        if (old && rng.chance(400)) || rng.chance(30) {
            let info = prosign(info_precedence(rng, precedence).max(Precedence::Priority));
            out.push(' ');
            out.push(info);
        }
        out.push(' ');
        write_dtg(date, out);
        out.push('\n');
    }
    let _ = writeln!(out, "FM {}", post.from);

    // The action addressee: the Department for posts, a post for the Department.
    let to = if post_i == v::STATE {
        &v::POSTS[focus]
    } else {
        &v::POSTS[v::STATE]
    };
    out.push_str("TO ");
    if !old {
        out.push_str(to.ri);
        out.push('/');
    }
    out.push_str(to.from);
    let word = precedence_word(precedence);
    if !word.is_empty() && (precedence != Precedence::Routine || rng.chance(500)) {
        out.push(' ');
        out.push_str(word);
    }
    let _ = write!(out, " {:04}", rng.range(1, 9999));

    let infos = match rng.below(10) {
        0..=2 => 0,
        3..=7 => rng.range(1, 4),
        _ => rng.range(5, 9),
    };
    for k in 0..infos {
        out.push_str(if k == 0 { "\nINFO " } else { "\n" });
        if old {
            if rng.chance(500) {
                out.push_str(rng.pick(v::OLD_INFO));
            } else {
                out.push_str(v::POSTS[pick_country_post(rng)].from);
            }
            continue;
        }
        let ip = precedence_word(info_precedence(rng, precedence));
        if rng.chance(400) {
            let (ri, name) = rng.pick(v::INFO_COLLECTIVES);
            let _ = write!(out, "{ri}/{name}");
            if !ip.is_empty() {
                let _ = write!(out, " {ip}");
            }
        } else {
            let other = &v::POSTS[pick_country_post(rng)];
            let _ = write!(out, "{}/{}", other.ri, other.from);
            if !ip.is_empty() {
                let _ = write!(out, " {ip}");
            }
            let _ = write!(out, " {:04}", rng.range(1, 9999));
        }
    }
    if !old {
        out.push_str("\nBT");
    }
}

/// What the body writers share about the cable.
struct BodyContext<'a> {
    post: &'a Post,
    post_i: usize,
    class_i: usize,
    serial: u32,
    date: DateTime<Utc>,
    style: Style,
    marks: &'a Marks,
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

/// Caption, handling lines, E.O., TAGS, SUBJECT, REF and Classified By, each as cables
/// write them; the paragraphs follow.
fn write_front_matter(
    rng: &mut Rng,
    ctx: &BodyContext<'_>,
    c: &mut SynthCable,
    refs: &[Made],
    line: &mut String,
) {
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

    if !refs.is_empty() {
        write_refs(rng, ctx, refs, out);
        ctx.blank(out);
    }

    if !old && ctx.class_i >= 2 {
        write_classified_by(rng, ctx, out);
        ctx.blank(out);
    }
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
fn write_paragraph_block(
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

fn write_signature(rng: &mut Rng, ctx: &BodyContext<'_>, out: &mut String) {
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
