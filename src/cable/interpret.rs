//! Interpretation of a raw cable: every field, stated metadata first, telegram text second.

use regex::Regex;
use std::sync::LazyLock;

use super::caption;
use super::{
    Cable, Classification, Precedence, RawCable, classified_by, clean, declassify, dtg, origin,
    paragraphs, recipients, reference_id, references, routing, signed_by, subject, summary, tags,
};

/// The sender line; read by [`fm_line`], which a property test holds to it.
#[cfg(test)]
static FM_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*FM[ \t]+(\S[^\n]*)").expect("static regex"));
static DE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*DE[ \t]+([A-Z]{4,7})[ \t]*#[ \t]*(\d{1,7})").expect("static regex")
});

/// How much of a cable to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Every field and the body's paragraphs: the reading view.
    Full,
    /// Every field, but the paragraphs only counted ([`Cable::paragraph_count`]), their text
    /// left out: a record of the cable, as `parse` prints it.
    Record,
    /// What the corpus index holds (id, date, precedence, classification, origin, subject,
    /// TAGS, references, caveats), read from the header and the first part of the body
    /// only, where those fields are: several times faster, for opening big corpora.
    Index,
}

/// The fields of the index sit in the header and the first few kilobytes of the body.
const INDEX_HEAD: usize = 16 * 1024;

/// The part of a body before its first numbered paragraph (at most [`INDEX_HEAD`] bytes):
/// caption, caveats, TAGS, SUBJECT, REF and Classified By all stand there.
fn preamble(body: &str) -> &str {
    let head = clean::head(body, INDEX_HEAD);
    let bytes = head.as_bytes();
    let first_paragraph = memchr::memmem::find_iter(bytes, b"1.")
        .filter(|&at| at > 0)
        .find(|&at| {
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            // Only blanks or a pilcrow before it on its line, and a blank or a portion
            // mark after it (so not `1.4(b)`).
            let lead_ok = head[line_start..at]
                .chars()
                .all(|c| c == ' ' || c == '\t' || c == '¶');
            let next = bytes.get(at + 2).copied();
            lead_ok && matches!(next, None | Some(b' ' | b'\t' | b'(' | b'\n'))
        });
    match first_paragraph {
        Some(at) => &head[..at],
        None => head,
    }
}

pub fn interpret(raw: &RawCable) -> Cable {
    interpret_to(raw, Depth::Full)
}

pub fn interpret_to(raw: &RawCable, depth: Depth) -> Cable {
    let full = depth != Depth::Index;
    let header = clean::normalize(&raw.header);
    let body = if full {
        clean::normalize(&raw.body)
    } else {
        clean::normalize(preamble(&raw.body))
    };
    let (header, body) = (header.as_ref(), body.as_ref());
    // The whole text, header and body, made only when a field needs it (the index often
    // does not: its TAGS and SUBJECT come from the body, its id and references from the dump).
    let content_cell = std::cell::OnceCell::new();
    let content = || -> &str {
        content_cell.get_or_init(|| {
            if header.is_empty() {
                body.to_string()
            } else {
                // Sized at once: `format!` grows its string several times for a whole cable.
                let mut text = String::with_capacity(header.len() + 2 + body.len());
                text.push_str(header);
                text.push_str("\n\n");
                text.push_str(body);
                text
            }
        })
    };

    let dtg_line =
        dtg::find_dtg_line(header).or_else(|| dtg::find_dtg_line(clean::head(body, 400)));
    let date = dtg_line.map(|d| d.date).or(raw.meta.date);
    let fm = fm_line(header);
    // The header from its FM line on: distribution lists above it (`INFO LOG-00 NP-00`) are
    // not addressees.
    let addressees = fm.map_or(header, |(start, _)| &header[start..]);
    let prosign = dtg_line.and_then(|d| d.precedence);
    // The index needs the addressees only to see NIACT, or a precedence without a prosign.
    let (to, info) = if full {
        recipients::parse_to_and_info(addressees)
    } else if prosign.is_none() || memchr::memmem::find(addressees.as_bytes(), b"NIACT").is_some() {
        (recipients::parse_to(addressees), Vec::new())
    } else {
        (Vec::new(), Vec::new())
    };
    let from = fm
        .map(|(_, sender)| strip_inline_to(super::clean::trim(sender)))
        .unwrap_or_default();
    let precedence = precedence_of(dtg_line.and_then(|d| d.precedence), &to);
    let classification = raw
        .meta
        .classification
        .as_deref()
        .and_then(Classification::parse)
        .or_else(|| caption::classification_from_text(header, body))
        .unwrap_or_default();
    let year = date
        .map(|d| chrono::Datelike::year(&d))
        .or(raw.default_year)
        .or_else(|| year_of_id(raw.meta.id.as_deref()));
    let id = raw
        .meta
        .id
        .as_deref()
        .map(reference_id::canonicalize_id)
        .filter(|id| !id.is_empty())
        .or_else(|| id_from_text(header, body, year))
        .or_else(|| id_from_path(&raw.source.path))
        .or_else(|| id_from_text(header, body, year_from_declassification(content())))
        .unwrap_or_default();
    let origin = raw
        .meta
        .origin
        .clone()
        .filter(|o| !super::clean::trim(o).is_empty())
        .unwrap_or_else(|| origin::office_name(&from));
    let cited = if raw.meta.references.is_empty() {
        let year = year.or_else(|| year_of_id(Some(&id))).unwrap_or(2010);
        references::parse_references(content(), year, Some(&id))
    } else {
        raw.meta.references.clone()
    };

    // Read once: the paragraphs drop the signature block as it is written.
    let signature = if full {
        signed_by::parse_signed_by(content(), false)
    } else {
        Vec::new()
    };
    let signer = signature.last().map(String::as_str);
    let (paragraphs, paragraph_count) = match depth {
        Depth::Full => {
            let paragraphs = paragraphs::split_signed(body, signer);
            let count = paragraphs.len();
            (paragraphs, count)
        }
        Depth::Record => (Vec::new(), paragraphs::count_signed(body, signer)),
        Depth::Index => (Vec::new(), 0),
    };
    Cable {
        precedence,
        classification,
        caveats: caption::caveats(body),
        origin,
        from,
        to,
        info,
        // TAGS and SUBJECT stand in the body, never among the header's routing lines.
        tags: tags::parse_tags(body, true),
        subject: subject::parse_subject(body, true),
        references: cited,
        classified_by: if full {
            classified_by::parse_classified_by(content(), true)
        } else {
            Vec::new()
        },
        declassify_on: if full {
            declassify::parse_declassify_on(content())
        } else {
            None
        },
        signed_by: signature.iter().map(|n| signed_by::canonical(n)).collect(),
        summary: if full {
            summary::parse_summary(content())
        } else {
            None
        },
        paragraphs,
        paragraph_count,
        source: raw.source.clone(),
        date,
        id,
    }
}

/// The first `FM` line (`^[ \t]*FM[ \t]+(\S[^\n]*)`, multi-line): where its line starts, and
/// the sender after the keyword. Read line by line: the pattern's scan of every header was
/// a tenth of interpreting one.
fn fm_line(header: &str) -> Option<(usize, &str)> {
    let mut start = 0;
    for line in super::clean::split_lines(header) {
        let line_start = start;
        start += line.len() + 1;
        let Some(after) = line.trim_start_matches([' ', '\t']).strip_prefix("FM") else {
            continue;
        };
        let sender = after.trim_start_matches([' ', '\t']);
        let blanks = after.len() - sender.len();
        if blanks > 0 && sender.starts_with(|c: char| !c.is_whitespace()) {
            return Some((line_start, sender));
        }
    }
    None
}

/// `AMEMBASSY HARARE TO SECSTATE WASHDC` (a header flattened onto one line) -> `AMEMBASSY HARARE`.
fn strip_inline_to(from: &str) -> String {
    match from.find(" TO ") {
        Some(at) => from[..at].trim().to_string(),
        None => from.to_string(),
    }
}

/// The prosign's precedence, raised to NIACT IMMEDIATE when the action addressees say so;
/// without a prosign, the first action addressee's precedence.
fn precedence_of(prosign: Option<Precedence>, to: &[recipients::Recipient]) -> Precedence {
    let niact = to.iter().any(|r| {
        r.precedence
            .as_deref()
            .is_some_and(|p| p.to_ascii_uppercase().starts_with("NIACT"))
    });
    match prosign {
        Some(Precedence::Immediate) | None if niact => Precedence::NiactImmediate,
        Some(p) => p,
        None => to
            .iter()
            .find_map(|r| r.precedence.as_deref().and_then(Precedence::from_word))
            .unwrap_or(Precedence::Unknown),
    }
}

/// Partial extracts lack a date-time group; classified cables are mostly declassified ten
/// (or twenty-five) years on, which dates them well enough to name them. Only a last resort
/// for the id.
fn year_from_declassification(content: &str) -> Option<i32> {
    let decl = chrono::Datelike::year(&declassify::parse_declassify_on(content)?);
    // Ten years is the default term; twenty-five the longest common one.
    [decl - 10, decl - 25]
        .into_iter()
        .find(|year| (1966..=2010).contains(year))
}

fn year_of_id(id: Option<&str>) -> Option<i32> {
    let yy: i32 = id?.get(..2)?.parse().ok()?;
    Some(dtg::expand_year(yy))
}

/// The id the text states: station and serial of the caption line, else of the `DE` line,
/// with the year of the date-time group.
fn id_from_text(header: &str, body: &str, year: Option<i32>) -> Option<String> {
    let year = year?;
    if let Some(c) = caption::find_caption(body) {
        if let Some(id) = reference_id::canonical_station(&c.station)
            .and_then(|station| reference_id::make_id(year, &station, &c.serial))
        {
            return Some(id);
        }
    }
    let de = DE_LINE.captures(header)?;
    let station_name = routing::station_of(&de[1])?;
    let place = station_name
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    let station = reference_id::canonical_station(&place)
        .or_else(|| reference_id::canonical_station(station_name))?;
    reference_id::make_id(year, &station, &de[2])
}

/// `cable/2008/04/08MOSCOW1052.html` -> `08MOSCOW1052`, when the file name looks like an id.
fn id_from_path(path: &str) -> Option<String> {
    let stem = std::path::Path::new(path).file_stem()?.to_str()?;
    let looks_like_id = stem.len() > 4
        && stem.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        && stem.as_bytes()[2].is_ascii_alphabetic()
        && stem.ends_with(|c: char| c.is_ascii_digit())
        && stem.chars().all(|c| c.is_ascii_alphanumeric());
    looks_like_id.then(|| reference_id::canonicalize_id(stem))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cable::recipients::Recipient;

    fn to(prec: &str) -> Vec<Recipient> {
        vec![Recipient {
            name: "X".into(),
            precedence: Some(prec.into()),
            ..Default::default()
        }]
    }

    #[test]
    fn niact_raises_immediate() {
        assert_eq!(
            precedence_of(Some(Precedence::Immediate), &to("NIACT IMMEDIATE")),
            Precedence::NiactImmediate
        );
        assert_eq!(
            precedence_of(Some(Precedence::Priority), &to("PRIORITY")),
            Precedence::Priority
        );
        assert_eq!(precedence_of(None, &to("PRIORITY")), Precedence::Priority);
        assert_eq!(precedence_of(None, &[]), Precedence::Unknown);
    }

    proptest::proptest! {
        #[test]
        fn fm_lines_are_what_the_pattern_reads(
            lines in proptest::collection::vec(
                "[ \t]{0,2}(FM|F|FMX|TO)?[ \t\u{a0}\r]{0,2}[A-Z ]{0,6}[\u{a0}\r]?", 0..5),
        ) {
            let header = lines.join("\n");
            let by_pattern = FM_LINE
                .captures(&header)
                .and_then(|c| Some((c.get(0)?.start(), c.get(1)?.as_str())));
            proptest::prop_assert_eq!(fm_line(&header), by_pattern);
        }
    }

    #[test]
    fn ids_from_paths() {
        assert_eq!(
            id_from_path("cable/2008/04/08MOSCOW1052.html").as_deref(),
            Some("08MOSCOW1052")
        );
        assert_eq!(id_from_path("notes.txt"), None);
        assert_eq!(
            strip_inline_to("AMEMBASSY HARARE TO SECSTATE WASHDC"),
            "AMEMBASSY HARARE"
        );
    }
}
