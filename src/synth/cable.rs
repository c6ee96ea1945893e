//! The generated cable, its ground truth, and the [`Generator`] that makes them.
//!
//! Every random choice is drawn from seeded [`Rng`] streams in a fixed order, so the same
//! seed gives the same cables byte for byte: one stream for the cable itself, one for whom it
//! cites (`threads.rs`). The ground truth is decided first (id, date, precedence,
//! classification, tags, subject, references) and the telegram text is then written from it,
//! so the text always says what the truth says.

use super::body::{
    BodyContext, RefLine, write_front_matter, write_paragraph_block, write_signature,
};
use super::compose::{Composer, pick_country_post, wrap_into};
use super::header::write_header;
use super::legacy_refs::LegacyRefDraws;
use super::rng::Rng;
use super::threads::{Citing, Threads, id_key};
use super::vocabulary::{self as v, Post};
use crate::cable::Precedence;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
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
pub(super) enum Style {
    /// 1966-1989: all capitals, no portion marks, wrapped with trailing spaces, no routing.
    Old,
    /// Mixed case wrapped at the given width.
    Wrapped(usize),
    /// Mixed case, one line per paragraph.
    Long,
}

/// A cable the generator has made (or one it cites but never makes), kept for later cables
/// to cite.
#[derive(Debug, Clone, Copy)]
pub(super) struct Made {
    pub(super) post: usize,
    pub(super) year: i32,
    pub(super) serial: u32,
    pub(super) date: DateTime<Utc>,
}

/// Makes a deterministic stream of cables from a seed.
#[derive(Debug)]
pub struct Generator {
    rng: Rng,
    /// Ids made, and ids cited as missing, which must never be made.
    used: HashSet<u64>,
    threads: Threads,
    legacy_refs: LegacyRefDraws,
    composer: Composer,
    post_weights: Vec<u32>,
    theme_weights: Vec<u32>,
    year_weights: Vec<u32>,
    paras: String,
    para_ends: Vec<usize>,
    line: String,
    refs: Vec<Made>,
    legacy_ref_line: String,
}

impl SynthCable {
    /// The index entry the parser reads back from this cable, made straight from the ground
    /// truth: far quicker than writing and re-reading a quarter million cables for tests and
    /// benchmarks of sorting and filtering. `row` goes into the entry's location.
    pub fn entry(&self, row: u64) -> crate::corpus::Entry {
        let strs = |v: &[String]| v.iter().map(|s| s.as_str().into()).collect();
        crate::corpus::Entry {
            id: self.id.as_str().into(),
            date: Some(self.date.timestamp()),
            precedence: self.precedence,
            classification: crate::cable::Classification::parse(&self.classification)
                .unwrap_or_default(),
            origin: self.origin.as_str().into(),
            subject: self.subject.as_str().into(),
            tags: strs(&self.tags),
            references: strs(&self.references),
            caveats: Box::new([]),
            location: crate::corpus::Location {
                file: 0,
                row,
                offset: 0,
            },
        }
    }
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            used: HashSet::new(),
            threads: Threads::new(seed),
            legacy_refs: LegacyRefDraws::new(),
            composer: Composer::default(),
            post_weights: v::POSTS.iter().map(|p| p.weight).collect(),
            theme_weights: v::THEMES.iter().map(|t| t.weight).collect(),
            year_weights: (1966..=2010).map(year_weight).collect(),
            paras: String::with_capacity(16 * 1024),
            para_ends: Vec::new(),
            line: String::with_capacity(256),
            refs: Vec::new(),
            legacy_ref_line: String::new(),
        }
    }

    /// A generator whose reference decisions come from another seed, to show that they
    /// change nothing else.
    #[cfg(test)]
    pub(super) fn with_reference_seed(seed: u64, reference_seed: u64) -> Generator {
        Generator {
            threads: Threads::new(reference_seed),
            ..Generator::new(seed)
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
        while !self.used.insert(id_key(post_i, year, serial)) {
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

        // References: earlier cables of this generator, or cables it never makes.
        self.legacy_refs.draw(rng, date, year);
        let made = Made {
            post: post_i,
            year,
            serial,
            date,
        };
        let citing = Citing { made, focus, theme };
        self.threads.cite(citing, &mut self.used, &mut self.refs);
        c.references.clear();
        for r in &self.refs {
            c.references.push(format!(
                "{:02}{}{}",
                r.year.rem_euclid(100),
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
        let ref_line = RefLine {
            rng: self.threads.rng(),
            refs: &self.refs,
            legacy: self.legacy_refs.picked(),
            scratch: &mut self.legacy_ref_line,
        };
        let laid_out_front_len = write_front_matter(rng, &ctx, c, ref_line, &mut self.line);
        write_paragraph_block(
            rng,
            &ctx,
            &self.paras,
            &self.para_ends,
            laid_out_front_len,
            &mut c.body,
        );
        write_signature(rng, &ctx, &mut c.body);

        self.legacy_refs.remember(made);
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
    let mut n = 2 + rng.below(6) + rng.below(6);
    if rng.chance(350) {
        n += rng.below(14);
    }
    if rng.chance(80) {
        n += rng.below(26);
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
pub(super) struct Marks {
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
    pub(super) fn top(&self) -> Option<&'static str> {
        self.marks.first().map(|m| m.0)
    }
}
