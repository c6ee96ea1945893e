//! TO and INFO addressees of the header: `TO RUEHC/SECSTATE WASHDC IMMEDIATE 7626`.

use serde::Serialize;

/// One addressee line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Recipient {
    /// Routing indicator (`RUEHC`), when the line has one.
    pub route: Option<String>,
    pub name: String,
    /// `FLASH`, `NIACT IMMEDIATE`, `IMMEDIATE`, `PRIORITY`, `ROUTINE` as written on the line.
    pub precedence: Option<String>,
    /// Message control number (serial) at the end of the line.
    pub mcn: Option<String>,
    /// Posts excluded with `(BT)`-style exclusions, as written.
    #[serde(skip)]
    pub excluded: Vec<String>,
}

/// The addressees of the TO line(s) of a header.
pub fn parse_to(header: &str) -> Vec<Recipient> {
    let _ = header;
    Vec::new()
}

/// The addressees of the INFO line(s) of a header.
pub fn parse_info(header: &str) -> Vec<Recipient> {
    let _ = header;
    Vec::new()
}
