//! Interpretation of a raw cable: every field, metadata first, telegram text second.

use super::{Cable, RawCable};

pub fn interpret(raw: &RawCable) -> Cable {
    Cable {
        id: raw.meta.id.clone().unwrap_or_default(),
        date: raw.meta.date,
        precedence: Default::default(),
        classification: Default::default(),
        caveats: Vec::new(),
        origin: raw.meta.origin.clone().unwrap_or_default(),
        from: String::new(),
        to: Vec::new(),
        info: Vec::new(),
        tags: Vec::new(),
        subject: String::new(),
        references: Vec::new(),
        classified_by: Vec::new(),
        declassify_on: None,
        signed_by: Vec::new(),
        summary: None,
        paragraphs: Vec::new(),
        source: raw.source.clone(),
    }
}
