//! Routing indicators (`RUEHMO` -> `AMEMBASSY MOSCOW`), a fact table shipped with the app.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

static TABLE: LazyLock<FxHashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../../data/routing_indicators.csv")
        .lines()
        .filter_map(|line| {
            let (code, name) = line.split_once(',')?;
            Some((
                super::clean::trim(code),
                super::clean::trim(name).trim_matches('"'),
            ))
        })
        .collect()
});

/// The station a routing indicator stands for, as written in the table.
pub fn station_of(indicator: &str) -> Option<&'static str> {
    TABLE.get(super::clean::trim(indicator)).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_and_unknown_indicators() {
        assert_eq!(super::station_of("RUEHMO"), Some("AMEMBASSY MOSCOW"));
        assert_eq!(super::station_of("NOPE"), None);
    }
}
