//! The E.O. 12958 declassification date: `E.O. 12958: DECL: 04/16/2018`.

use chrono::NaiveDate;

/// The date after which the cable may be declassified, when it states one.
pub fn parse_declassify_on(content: &str) -> Option<NaiveDate> {
    let _ = content;
    None
}
