//! Filling `{X}` templates and laying text out as a telegram would.
//!
//! A [`Composer`] holds what one cable is about (its country, topics, the officials it
//! quotes) so that every sentence of the cable talks about the same things, which is what
//! makes the text read plausibly and gives fuzzy search something real to match.

use super::rng::Rng;
use super::vocabulary::{self as v, Post};
use std::fmt::Write as _;

/// A local official quoted in a cable: indices into the name and title lists.
#[derive(Debug, Clone, Copy)]
struct Person {
    first: usize,
    last: usize,
    title: usize,
    introduced: bool,
}

/// What the cable being written is about; reused from cable to cable to save allocations.
#[derive(Debug, Default)]
pub struct Composer {
    /// The country the cable is about (the post itself for embassies).
    pub focus: usize,
    /// Another country for `{X}`.
    pub other: usize,
    pub theme: usize,
    /// Expanded topic phrases; `{T}` mostly uses the first.
    pub topics: Vec<String>,
    people: Vec<Person>,
    current: Option<usize>,
    pub year: i32,
    pub month: u32,
    pub day: u32,
    scratch: String,
    /// Templates already used in this cable (bit i = template i), so sentences rarely repeat.
    used: u64,
}

impl Composer {
    /// Prepares for a new cable about `focus` in `theme`, written on the given date.
    pub fn start(
        &mut self,
        rng: &mut Rng,
        focus: usize,
        theme: usize,
        (year, month, day): (i32, u32, u32),
    ) {
        self.focus = focus;
        self.theme = theme;
        self.year = year;
        self.month = month;
        self.day = day;
        self.other = pick_country_post(rng);
        if v::POSTS[self.other].name == v::POSTS[focus].name {
            self.other = pick_country_post(rng);
        }
        self.people.clear();
        for _ in 0..rng.range(2, 4) {
            self.people.push(Person {
                first: rng.index(v::LOCAL_FIRST.len()),
                last: rng.index(v::LOCAL_LAST.len()),
                title: rng.index(v::LOCAL_TITLES.len()),
                introduced: false,
            });
        }
        self.current = None;
        self.used = 0;
        // Topics are expanded once so that the whole cable keeps talking about them.
        let topics = v::THEMES[theme].topics;
        let count = rng.range(1, 2) as usize;
        while self.topics.len() < count {
            self.topics.push(String::new());
        }
        self.topics.truncate(count);
        for i in 0..count {
            let template = rng.pick(topics);
            let mut t = std::mem::take(&mut self.topics[i]);
            t.clear();
            self.expand(rng, template, &mut t);
            self.topics[i] = t;
        }
    }

    fn post(&self) -> &'static Post {
        &v::POSTS[self.focus]
    }

    /// Appends `template` to `out` with every slot filled.
    pub fn expand(&mut self, rng: &mut Rng, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            self.slot(rng, &after[..close], out);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
    }

    fn slot(&mut self, rng: &mut Rng, name: &str, out: &mut String) {
        let post = self.post();
        match name {
            "P" => {
                let i = rng.index(self.people.len().max(1));
                self.person(i, out);
            }
            "L" => {
                let i = match self.current {
                    Some(i) => i,
                    None => rng.index(self.people.len().max(1)),
                };
                self.person(i, out);
            }
            "U" => out.push_str(rng.pick(v::US_ACTORS)),
            "M" => out.push_str(rng.pick(v::MINISTRIES)),
            "G" => out.push_str(post.gov),
            "C" => out.push_str(post.name),
            "A" => out.push_str(post.adj),
            "X" => out.push_str(v::POSTS[self.other].name),
            "T" => {
                // Mostly the main topic; a second one now and then.
                let i = if self.topics.len() > 1 && rng.chance(300) {
                    1
                } else {
                    0
                };
                match self.topics.get(i) {
                    Some(t) => out.push_str(t),
                    None => out.push_str("the issue"),
                }
            }
            "D" => {
                let day = rng.range(1, u64::from(self.day.max(1)));
                let month = v::MONTH_NAMES[(self.month.clamp(1, 12) - 1) as usize];
                let _ = write!(out, "{month} {day}");
            }
            "V" => out.push_str(rng.pick(v::ACTIONS)),
            "K" => out.push_str(rng.pick(v::CONCERNS)),
            "O" => out.push_str(rng.pick(v::ORGANIZATIONS)),
            "S" => out.push_str(rng.pick(v::SOURCES)),
            "E" => out.push_str(rng.pick(v::EVENTS)),
            "Q" => out.push_str(rng.pick(v::QUOTES)),
            "QA" => out.push_str(rng.pick(v::QUOTED_JUDGEMENTS)),
            "NS" => {
                let _ = write!(out, "{}", rng.range(3, 30));
            }
            "PCT" => {
                let _ = write!(out, "{}", rng.range(12, 88));
            }
            "N" => {
                let n = match rng.below(3) {
                    0 => rng.range(2, 40),
                    1 => rng.range(40, 400),
                    _ => rng.range(400, 12_000),
                };
                let _ = write!(out, "{n}");
            }
            "Y" => {
                let _ = write!(out, "{}", self.year + rng.below(2) as i32);
            }
            "R" => {
                let _ = write!(out, "{}", rng.range(1267, 1890));
            }
            "STATUS" => out.push_str(rng.pick(v::STATUS)),
            "PL" => out.push_str(rng.pick(v::PLURAL_ACTORS)),
            "TITLECASE" => out.push_str(rng.pick(v::SUBJECT_ACTORS)),
            "LAST" => out.push_str(rng.pick(v::US_LAST)),
            "CITY" => out.push_str(v::POSTS[self.focus].caption),
            _ => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
    }

    /// Full title and name on first mention, surname afterwards, as cables do.
    fn person(&mut self, i: usize, out: &mut String) {
        self.current = Some(i);
        let Some(p) = self.people.get_mut(i) else {
            out.push_str("the official");
            return;
        };
        if !p.introduced {
            p.introduced = true;
            out.push_str(v::LOCAL_TITLES[p.title]);
            out.push(' ');
            out.push_str(v::LOCAL_FIRST[p.first]);
            out.push(' ');
        }
        out.push_str(v::LOCAL_LAST[p.last]);
    }

    /// Appends one sentence built from `templates`, capitalised, followed by nothing.
    pub fn sentence(&mut self, rng: &mut Rng, templates: &[&str], out: &mut String) {
        let start = out.len();
        let mut i = rng.index(templates.len());
        // Draw again a few times rather than repeat a template; long cables still may.
        for _ in 0..4 {
            if i >= 64 || self.used & (1 << i) == 0 {
                break;
            }
            i = rng.index(templates.len());
        }
        if i < 64 {
            self.used |= 1 << i;
        }
        self.expand(rng, templates[i], out);
        capitalize_at(out, start);
    }

    /// Fills a subject line: theme-specific patterns, sometimes a generic one.
    pub fn subject(&mut self, rng: &mut Rng, out: &mut String) {
        let patterns = v::THEMES[self.theme].subjects;
        let mut s = std::mem::take(&mut self.scratch);
        s.clear();
        let pattern = rng.pick(patterns);
        self.expand(rng, pattern, &mut s);
        // Subjects are upper case and one line; the topic may start with "the ".
        let start = out.len();
        for word in s.split_whitespace() {
            if out.len() > start {
                out.push(' ');
            }
            out.push_str(word);
        }
        out[start..].make_ascii_uppercase();
        self.scratch = s;
    }
}

/// A country post (not the Department, not a multilateral mission).
pub fn pick_country_post(rng: &mut Rng) -> usize {
    for _ in 0..16 {
        let i = rng.range(1, v::POSTS.len() as u64 - 1) as usize;
        if !v::POSTS[i].country.is_empty() {
            return i;
        }
    }
    1
}

/// Upper-cases the ASCII letter at byte `at`, if any (sentence starts like "the GOR").
pub fn capitalize_at(s: &mut str, at: usize) {
    if let Some(c) = s.get(at..).and_then(|t| t.chars().next()) {
        let end = at + c.len_utf8();
        s[at..end].make_ascii_uppercase();
    }
}

/// Appends `text` to `out` wrapped at `width` columns, each line ended by `eol`; lines already
/// in `text` (bullets) are kept. `width == 0` writes the text unwrapped.
pub fn wrap_into(text: &str, width: usize, eol: &str, out: &mut String) {
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push_str(eol);
        }
        if width == 0 || line.len() <= width {
            out.push_str(line);
            continue;
        }
        let mut col = 0;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            if col > 0 && col + 1 + word.len() > width {
                out.push_str(eol);
                col = 0;
            }
            if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += word.len();
        }
    }
    out.push_str(eol);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_width_and_keeps_lines() {
        let mut out = String::new();
        wrap_into("aaa bbb ccc ddd\n-- eee", 7, "\n", &mut out);
        assert_eq!(out, "aaa bbb\nccc ddd\n-- eee\n");
        let mut out = String::new();
        wrap_into("one two", 0, " \n", &mut out);
        assert_eq!(out, "one two \n");
    }

    #[test]
    fn expands_every_slot() {
        let mut rng = Rng::new(3);
        let mut c = Composer::default();
        c.start(&mut rng, 1, 0, (2008, 4, 16));
        for t in v::SENTENCES
            .iter()
            .chain(v::COMMENTS)
            .chain(v::SUMMARY_OPENERS)
        {
            let mut out = String::new();
            c.expand(&mut rng, t, &mut out);
            assert!(!out.contains('{') && !out.contains('}'), "{t} -> {out}");
        }
        for theme in v::THEMES {
            for t in theme.subjects.iter().chain(theme.topics) {
                let mut out = String::new();
                c.expand(&mut rng, t, &mut out);
                assert!(!out.contains('{'), "{t} -> {out}");
            }
        }
    }

    #[test]
    fn first_mention_is_full_then_surname() {
        let mut rng = Rng::new(9);
        let mut c = Composer::default();
        c.start(&mut rng, 1, 0, (2008, 4, 16));
        let mut a = String::new();
        c.expand(&mut rng, "{L}", &mut a);
        let mut b = String::new();
        c.expand(&mut rng, "{L}", &mut b);
        assert!(a.len() > b.len() && a.ends_with(&b), "{a} / {b}");
    }
}
