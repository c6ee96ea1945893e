//! Classification: level plus the dissemination markings the dump folds into it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Ordered from least to most restricted, so a reverse sort puts SECRET first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Level {
    #[default]
    Unknown,
    Unclassified,
    Confidential,
    Secret,
    TopSecret,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unknown => "UNKNOWN",
            Level::Unclassified => "UNCLASSIFIED",
            Level::Confidential => "CONFIDENTIAL",
            Level::Secret => "SECRET",
            Level::TopSecret => "TOP SECRET",
        }
    }
}

/// `SECRET//NOFORN`, `UNCLASSIFIED//FOR OFFICIAL USE ONLY`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Classification {
    pub level: Level,
    pub noforn: bool,
    /// For official use only (also written `FOUO`, `SBU`, `LIMITED OFFICIAL USE`).
    pub fouo: bool,
}

impl Classification {
    pub const fn new(level: Level) -> Self {
        Classification {
            level,
            noforn: false,
            fouo: false,
        }
    }

    /// Reads a classification as metadata states it (`SECRET//NOFORN`, `unclassified//fouo`,
    /// `LIMITED OFFICIAL USE`). `None` when no level can be recognised.
    pub fn parse(text: &str) -> Option<Classification> {
        let up = super::clean::trim(text).to_ascii_uppercase();
        let squeezed: String = up.chars().filter(|c| !c.is_whitespace()).collect();
        let level = if squeezed.starts_with("TOPSECRET") {
            Level::TopSecret
        } else if squeezed.starts_with("SECRET") {
            Level::Secret
        } else if squeezed.starts_with("CONFIDENTIAL") {
            Level::Confidential
        } else if squeezed.starts_with("UNCLAS")
            || squeezed.starts_with("LIMITEDOFFICIALUSE")
            || squeezed.starts_with("SENSITIVEBUTUNCLASSIFIED")
            || squeezed.starts_with("FOROFFICIALUSEONLY")
        {
            Level::Unclassified
        } else {
            return None;
        };
        let noforn = squeezed.contains("NOFORN");
        let fouo = level == Level::Unclassified
            && (squeezed.contains("FOROFFICIALUSEONLY")
                || squeezed.contains("FOUO")
                || squeezed.contains("LIMITEDOFFICIALUSE")
                || squeezed.contains("SENSITIVE")
                || squeezed.contains("SBU"));
        Some(Classification {
            level,
            noforn,
            fouo,
        })
    }

    /// Short form for narrow columns: `U`, `U//FOUO`, `C`, `C//NF`, `S`, `S//NF`, `TS`.
    pub fn short(&self) -> String {
        let base = match self.level {
            Level::Unknown => "-",
            Level::Unclassified => "U",
            Level::Confidential => "C",
            Level::Secret => "S",
            Level::TopSecret => "TS",
        };
        let mut s = base.to_string();
        if self.fouo {
            s.push_str("//FOUO");
        }
        if self.noforn {
            s.push_str("//NF");
        }
        s
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.level.as_str())?;
        if self.fouo {
            f.write_str("//FOR OFFICIAL USE ONLY")?;
        }
        if self.noforn {
            f.write_str("//NOFORN")?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Classification {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "UNKNOWN" {
            return Ok(Classification::default());
        }
        Classification::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a classification: {text:?}")))
    }
}

impl Serialize for Classification {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_values_round_trip() {
        for v in [
            "UNCLASSIFIED",
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
            "CONFIDENTIAL",
            "CONFIDENTIAL//NOFORN",
            "SECRET",
            "SECRET//NOFORN",
        ] {
            assert_eq!(
                Classification::parse(v).map(|c| c.to_string()).as_deref(),
                Some(v)
            );
        }
    }

    #[test]
    fn variants_and_garbage() {
        let c = Classification::parse("unclassified//fouo").unwrap();
        assert!(c.fouo && c.level == Level::Unclassified);
        assert_eq!(
            Classification::parse("C O N F I D E N T I A L")
                .unwrap()
                .level,
            Level::Confidential
        );
        assert_eq!(Classification::parse("nothing"), None);
        assert!(Level::Secret > Level::Confidential);
        assert_eq!(
            Classification::parse("SECRET//NOFORN").unwrap().short(),
            "S//NF"
        );
    }
}
