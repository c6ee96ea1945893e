//! REF lines: `REF: A. STATE 12345 B. 07 MOSCOW 5678`.

/// The canonical ids of the cables a cable cites, de-duplicated, in order. `year` is the
/// citing cable's year, used where a reference gives none; `own_id` is never listed.
pub fn parse_references(content: &str, year: i32, own_id: Option<&str>) -> Vec<String> {
    let _ = (content, year, own_id);
    Vec::new()
}
