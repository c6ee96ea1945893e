//! `Classified By: Political Minister-Counselor Alice G. Wells. Reasons 1.4(b) and (d).`

/// The names of the classifying officials. `normalize` strips titles and fixes case.
pub fn parse_classified_by(content: &str, normalize: bool) -> Vec<String> {
    let _ = (content, normalize);
    Vec::new()
}
