//! Who cites whom: the conversations, hubs and missing cables behind the REF lines.
//!
//! The generator makes cables in random date order, so a conversation cannot be written
//! front to back. Open conversations wait instead, grouped by the country they are about, for
//! a later cable dated shortly after their last one: a post's follow-up to its own cable, the
//! Department's reply to an embassy, an embassy's answer to an instruction. A follow-up cites
//! the conversation's last cable, sometimes also the one before and the first. Conversations
//! end at a length drawn when they start (2 to 15 cables), or when newer ones push them out.
//!
//! A few Department cables become hubs (a worldwide démarche) that posts answer for a year,
//! which ties many conversations into one large cluster. Some references cite cables the
//! corpus does not hold: sent before its first cable, or never released. Their ids are
//! reserved so that the generator never makes them.
//!
//! Every decision is drawn from a stream of its own: the rest of a cable (id, date, subject,
//! text) does not depend on it, except that the generator skips an id reserved for a missing
//! cable (the next serial is taken). Memory is bounded: a few conversations per country, a
//! few hubs.

use super::cable::Made;
use super::rng::Rng;
use super::vocabulary as v;
use chrono::{DateTime, Datelike, Duration, Utc};
use std::collections::HashSet;

/// Open conversations kept per country; once full, a new one pushes out an older one.
const OPEN_PER_COUNTRY: usize = 48;
/// A follow-up comes at most this long after the cable it answers.
const FOLLOW_UP_DAYS: i64 = 180;
/// Share (per mille) of cables that continue a conversation when one is waiting for them.
const CONTINUE: u64 = 520;
/// Shares (per mille) of follow-ups citing also the cable before the last, the first one,
/// and the last of a related conversation.
const BEFORE_LAST: u64 = 600;
const FIRST: u64 = 450;
const RELATED: u64 = 350;
/// Share (per mille) of the other cables that open a conversation others may continue: few,
/// so that each lives long enough to grow (the rest stand alone).
const OPEN: u64 = 300;
/// Hubs answered at the same time.
const LIVE_HUBS: usize = 6;
/// How long posts answer a hub.
const HUB_DAYS: i64 = 365;
/// Share (per mille) of the posts' cables that answer a hub, when one is live.
const ANSWER_HUB: u64 = 120;
/// Share (per mille) of hub answers that answer a second hub too.
const ANSWER_TWO_HUBS: u64 = 250;
/// Share (per mille) of new conversations whose first cable is not in the corpus.
const MISSING_FIRST: u64 = 150;
/// Share (per mille) of cables citing one more cable that is not in the corpus.
const STRAY_MISSING: u64 = 60;

/// One conversation about a country, as far as the generator has made it.
#[derive(Debug, Clone, Copy)]
struct Conversation {
    first: Made,
    /// The first cable is one the corpus does not hold; follow-ups cite it more often.
    first_missing: bool,
    before_last: Option<Made>,
    last: Made,
    /// Cables of the longest chain ending at `last`.
    depth: u8,
    /// The conversation ends at this depth.
    end_depth: u8,
    theme: u16,
}

/// A Department cable that posts answer for a while.
#[derive(Debug, Clone, Copy)]
struct Hub {
    cable: Made,
    /// Citations left before it is retired.
    quota: u32,
}

/// What the reference decisions need to know of the cable being made.
#[derive(Debug, Clone, Copy)]
pub(super) struct Citing {
    pub(super) made: Made,
    /// The country post the cable is about.
    pub(super) focus: usize,
    pub(super) theme: usize,
}

/// The open conversations and live hubs, and the stream their decisions come from.
#[derive(Debug)]
pub(super) struct Threads {
    rng: Rng,
    /// Per country post, its open conversations.
    open: Vec<Vec<Conversation>>,
    /// Per country post, the slot the next new conversation takes once full.
    next_slot: Vec<usize>,
    hubs: Vec<Hub>,
    next_hub: usize,
}

impl Threads {
    pub(super) fn new(seed: u64) -> Threads {
        Threads {
            // A stream apart from the generator's: "REFERENC" keeps it from the main seed's.
            rng: Rng::new(seed ^ 0x5245_4645_5245_4E43),
            open: vec![Vec::new(); v::POSTS.len()],
            next_slot: vec![0; v::POSTS.len()],
            hubs: Vec::with_capacity(LIVE_HUBS),
            next_hub: 0,
        }
    }

    /// The stream the REF line's layout is drawn from too.
    pub(super) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Chooses the cables `cable` cites, oldest first, into `refs`, and records `cable` for
    /// later cables to cite. `used` holds every id made or reserved; ids of missing cables are
    /// added to it.
    pub(super) fn cite(&mut self, cable: Citing, used: &mut HashSet<u64>, refs: &mut Vec<Made>) {
        refs.clear();
        let this = cable.made;
        let mut depth = 1;

        let joined = self.waiting_conversation(cable, None);
        let joined = joined.filter(|_| self.rng.below(1000) < CONTINUE);
        if let Some(slot) = joined {
            let c = self.open[cable.focus][slot];
            push_new(refs, c.last);
            if let Some(b) = c.before_last {
                if self.rng.chance(BEFORE_LAST) {
                    push_new(refs, b);
                }
            }
            if self.rng.chance(if c.first_missing { 700 } else { FIRST }) {
                push_new(refs, c.first);
            }
            // A related conversation about the same country, no deeper than this one so that
            // chains stay within a conversation's length.
            if self.rng.chance(RELATED) {
                let related = self.waiting_conversation(cable, Some(slot));
                if let Some(r) = related.map(|r| self.open[cable.focus][r]) {
                    if r.depth <= c.depth {
                        push_new(refs, r.last);
                    }
                }
            }
            depth = c.depth + 1;
        }

        if this.post != v::STATE && self.rng.chance(ANSWER_HUB) {
            let hubs = if self.rng.chance(ANSWER_TWO_HUBS) {
                2
            } else {
                1
            };
            for _ in 0..hubs {
                if let Some(hub) = self.answered_hub(this.date) {
                    push_new(refs, hub);
                    depth = depth.max(2);
                }
            }
        }

        let mut missing_first = None;
        if joined.is_none() && self.rng.chance(MISSING_FIRST) {
            let m = self.missing_cable(this, cable.focus, used);
            push_new(refs, m);
            missing_first = Some(m);
        }
        if self.rng.chance(STRAY_MISSING) {
            let m = self.missing_cable(this, cable.focus, used);
            push_new(refs, m);
        }
        refs.sort_by_key(|r| r.date);

        match joined {
            Some(slot) => {
                let open = &mut self.open[cable.focus];
                let c = &mut open[slot];
                c.before_last = Some(c.last);
                c.last = this;
                c.depth = depth;
                if depth >= c.end_depth {
                    open.swap_remove(slot);
                }
            }
            None if this.post == v::STATE && depth == 1 && self.maybe_new_hub(this) => {
                // A hub opens a conversation with the country it addresses too.
                self.open_conversation(cable.focus, fresh(this, depth, 15, cable.theme));
            }
            // A country with few open conversations (a small corpus) gets every one.
            None if self.open[cable.focus].len() < OPEN_PER_COUNTRY / 4
                || self.rng.chance(OPEN) =>
            {
                let end_depth = self.end_depth().max(depth + 1);
                let conversation = Conversation {
                    first: missing_first.unwrap_or(this),
                    first_missing: missing_first.is_some(),
                    before_last: None,
                    last: this,
                    depth,
                    end_depth,
                    theme: cable.theme as u16,
                };
                self.open_conversation(cable.focus, conversation);
            }
            None => {}
        }
    }

    /// An open conversation about the cable's country whose last cable is shortly before it,
    /// preferably on the same theme.
    fn waiting_conversation(&mut self, cable: Citing, other_than: Option<usize>) -> Option<usize> {
        let open = &self.open[cable.focus];
        if open.is_empty() {
            return None;
        }
        let date = cable.made.date;
        let earliest = date - Duration::days(FOLLOW_UP_DAYS);
        let start = self.rng.index(open.len());
        let mut any = None;
        for k in 0..open.len() {
            let i = (start + k) % open.len();
            let c = &open[i];
            if c.last.date >= date || c.last.date < earliest || other_than == Some(i) {
                continue;
            }
            if usize::from(c.theme) == cable.theme {
                return Some(i);
            }
            any = any.or(Some(i));
        }
        any
    }

    fn open_conversation(&mut self, focus: usize, c: Conversation) {
        let open = &mut self.open[focus];
        if open.len() < OPEN_PER_COUNTRY {
            open.push(c);
        } else {
            let slot = self.next_slot[focus] % OPEN_PER_COUNTRY;
            open[slot] = c;
            self.next_slot[focus] = slot + 1;
        }
    }

    /// Conversations end after 2 to 15 cables, most of them short.
    fn end_depth(&mut self) -> u8 {
        let mut n = 2 + self.rng.below(3);
        if self.rng.chance(350) {
            n += self.rng.below(6);
        }
        if self.rng.chance(150) {
            n += self.rng.below(8);
        }
        n.min(15) as u8
    }

    /// A live hub dated before `date` and recent enough to be answered, spending its quota.
    fn answered_hub(&mut self, date: DateTime<Utc>) -> Option<Made> {
        let earliest = date - Duration::days(HUB_DAYS);
        let live = |h: &Hub| h.quota > 0 && h.cable.date < date && h.cable.date >= earliest;
        let count = self.hubs.iter().filter(|h| live(h)).count();
        if count == 0 {
            return None;
        }
        // The longest-standing instruction draws the most answers.
        let pick = if self.rng.chance(400) {
            0
        } else {
            self.rng.index(count)
        };
        let hub = self.hubs.iter_mut().filter(|h| live(h)).nth(pick)?;
        hub.quota -= 1;
        Some(hub.cable)
    }

    /// Makes `cable`, a Department cable citing no cable of the corpus (so that no chain
    /// through a hub grows past a conversation's length), a hub when a hub slot is free or
    /// spent, otherwise rarely. Says whether it did.
    fn maybe_new_hub(&mut self, cable: Made) -> bool {
        // Old cables are too thin on the ground to be answered by many.
        if cable.date.year() < 2003 {
            return false;
        }
        let quota = self.rng.range(150, 1500) as u32;
        let hub = Hub { cable, quota };
        if self.hubs.len() < LIVE_HUBS {
            self.hubs.push(hub);
        } else if let Some(spent) = self.hubs.iter_mut().find(|h| h.quota == 0) {
            *spent = hub;
        } else if self.rng.chance(20) {
            self.hubs[self.next_hub] = hub;
            self.next_hub = (self.next_hub + 1) % LIVE_HUBS;
        } else {
            return false;
        }
        true
    }

    /// A cable the corpus does not hold, shortly before `this`: from the same post, the
    /// Department, or the country's embassy. Its id is reserved in `used`.
    fn missing_cable(&mut self, this: Made, focus: usize, used: &mut HashSet<u64>) -> Made {
        let post = match self.rng.below(3) {
            0 => this.post,
            1 => v::STATE,
            _ => focus,
        };
        let back = Duration::days(self.rng.range(1, 240) as i64)
            + Duration::minutes(self.rng.below(24 * 60) as i64);
        let date = this.date - back;
        let year = date.year();
        let (first, last) = v::POSTS[post].years;
        let post = if (first..=last).contains(&year) {
            post
        } else {
            v::STATE
        };
        let volume = u64::from(v::POSTS[post].volume);
        let per_day = volume / 365 + 1;
        let ordinal = u64::from(date.ordinal());
        let mut serial = ((ordinal - 1) * volume / 365 + self.rng.below(per_day) + 1) as u32;
        while !used.insert(id_key(post, year, serial)) {
            serial += 1;
        }
        Made {
            post,
            year,
            serial,
            date,
        }
    }
}

/// A conversation that `this` opens.
fn fresh(this: Made, depth: u8, end_depth: u8, theme: usize) -> Conversation {
    Conversation {
        first: this,
        first_missing: false,
        before_last: None,
        last: this,
        depth,
        end_depth,
        theme: theme as u16,
    }
}

/// The key of an id in the generator's set of ids made or reserved.
pub(super) fn id_key(post: usize, year: i32, serial: u32) -> u64 {
    ((post as u64) << 48) | ((year as u64) << 32) | u64::from(serial)
}

fn push_new(refs: &mut Vec<Made>, m: Made) {
    let same = |r: &Made| r.post == m.post && r.year == m.year && r.serial == m.serial;
    if !refs.iter().any(same) {
        refs.push(m);
    }
}
