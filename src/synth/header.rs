//! The telegram header: routing lines, the date-time group, FM, TO and INFO.
//!
//! Cables since the 1990s carry the full routing block (`VZCZC...`, `DE RUEHMO #1052/01 ...`,
//! `ZNY CCCCC ZZH`); old ones start at the DTG line and name addressees without routing
//! indicators. The precedence is written twice, as the prosign and on the TO line, the way
//! parsers find it.

use super::cable::Style;
use super::compose::pick_country_post;
use super::rng::Rng;
use super::vocabulary as v;
use crate::cable::Precedence;
use chrono::{DateTime, Datelike, Timelike, Utc};
use std::fmt::Write as _;

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
pub(super) fn write_header(
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
