//! The body as numbered paragraphs.

use serde::Serialize;

/// One paragraph of the reading text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub number: Option<u32>,
    /// Portion mark as written without parentheses: `C`, `S/NF`, `SBU`.
    pub portion: Option<String>,
    pub text: String,
}

/// Placeholder: filled in with the body reader.
pub fn split(body: &str) -> Vec<Paragraph> {
    let _ = body;
    Vec::new()
}
