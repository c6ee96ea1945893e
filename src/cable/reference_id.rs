//! Canonical reference ids: `YY` + station + serial without leading zeros (`08MOSCOW1052`).

/// The canonical form of a reference id as written (`05RIO123` -> `05RIODEJANEIRO123`,
/// malformed ids as published by WikiLeaks -> the correct id).
pub fn canonicalize_id(raw: &str) -> String {
    raw.trim().to_ascii_uppercase()
}

/// The canonical station name for a station as written in a caption or REF line
/// (`RIO DE JAN` -> `RIODEJANEIRO`, `SECSTATE` -> `STATE`), when it is a known station.
pub fn canonical_station(raw: &str) -> Option<String> {
    let _ = raw;
    None
}

/// Builds a canonical id from a year (two or four digits), a station and a serial.
pub fn make_id(year: i32, station: &str, serial: &str) -> Option<String> {
    let serial = serial.trim_start_matches('0');
    (!station.is_empty() && !serial.is_empty())
        .then(|| format!("{:02}{station}{serial}", year % 100))
}
