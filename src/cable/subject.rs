//! The SUBJECT line, possibly over several lines.

/// The subject, with lines joined by single spaces. `clean` drops a leading portion
/// mark such as `(S)` or `(SBU)`. Empty when the cable has no subject.
pub fn parse_subject(content: &str, clean: bool) -> String {
    let _ = (content, clean);
    String::new()
}
