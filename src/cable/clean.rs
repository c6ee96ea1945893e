//! Repair of text copied from web pages, before any field is read.

/// Placeholder: filled in with the text reader.
pub fn web_artefacts(text: &str) -> String {
    text.to_string()
}
