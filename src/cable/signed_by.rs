//! The signature at the end of the body (`BURNS`, `RICE`).

/// The names that sign the cable. `c14n` gives canonical upper-case surnames.
pub fn parse_signed_by(content: &str, c14n: bool) -> Vec<String> {
    let _ = (content, c14n);
    Vec::new()
}
