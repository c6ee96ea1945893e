//! The draws the first reference generator took from the main stream, replayed.
//!
//! References were once drawn from the main stream: 0-4 random earlier cables of a pool of
//! 2,048, then the REF line's layout. Conversations (`threads.rs`) now draw from a stream of
//! their own, but the main stream still takes those same draws, so that giving the corpus its
//! threads changed nothing else: every id, date, subject and paragraph of the demo corpus,
//! which the app's snapshots and screenshots draw, stayed as it was. Drop this module (and
//! review a new demo corpus) the next time the main stream has to change anyway.

use super::cable::Made;
use super::rng::Rng;
use chrono::{DateTime, Utc};

/// Cables the old generator kept for REF lines.
const POOL: usize = 2048;

#[derive(Debug)]
pub(super) struct LegacyRefDraws {
    pool: Vec<Made>,
    pool_next: usize,
    picked: Vec<Made>,
}

impl LegacyRefDraws {
    pub(super) fn new() -> LegacyRefDraws {
        LegacyRefDraws {
            pool: Vec::with_capacity(POOL),
            pool_next: 0,
            picked: Vec::new(),
        }
    }

    /// Takes from `rng` what choosing the old references took; [`Self::picked`] gives them,
    /// as their REF line's draws and length are replayed too.
    pub(super) fn draw(&mut self, rng: &mut Rng, date: DateTime<Utc>, year: i32) {
        self.picked.clear();
        let wanted = match rng.below(100) {
            0..=54 => 0,
            55..=79 => 1,
            80..=91 => 2,
            _ => rng.range(3, 5) as usize,
        };
        for _ in 0..wanted * 3 {
            if self.picked.len() >= wanted || self.pool.is_empty() {
                break;
            }
            let m = self.pool[rng.index(self.pool.len())];
            let dup = self
                .picked
                .iter()
                .any(|r| r.post == m.post && r.year == m.year && r.serial == m.serial);
            if m.date < date && m.year + 3 >= year && !dup {
                self.picked.push(m);
            }
        }
    }

    pub(super) fn picked(&self) -> &[Made] {
        &self.picked
    }

    pub(super) fn remember(&mut self, made: Made) {
        if self.pool.len() < POOL {
            self.pool.push(made);
        } else {
            self.pool[self.pool_next] = made;
            self.pool_next = (self.pool_next + 1) % POOL;
        }
    }
}
