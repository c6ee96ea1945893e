//! The cable's summary paragraph (`SUMMARY: ... END SUMMARY`).

/// The summary text, or `None` when the cable states none.
pub fn parse_summary(content: &str) -> Option<String> {
    let _ = content;
    None
}
