//! The signature at the end of the body (`BURNS`, `RICE`).
//!
//! A cable is signed by the surname of the chief of mission (or the Secretary) on the last
//! line of text. Below it may come trailer lines that are not text: classification
//! banners, `SIPDIS`, `NNNN`, page headers, `NOTE BY OC/T`, release stamps. Those are
//! skipped from the end; the first remaining line must be the name alone (`LAINGEN`,
//! `MCNAMARA.`, `GILLESPIE##`) or end a sentence with it (`END OF TEXT. BAKER`).

use regex::Regex;
use std::sync::LazyLock;

/// The signature is within the last few lines; this bounds the scan on huge inputs.
const TAIL: usize = 4096;

/// Trailer lines below the signature.
static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:",
        r"SIPDIS|NNNN|NOFORN|BT|END(?: CABLE)? TEXT\.?|//END//",
        r"|PAGE[ \t]+\d.*",
        r"|[A-Z][A-Z .'-]*[ \t]+\d{5,}[ \t]+\d{3}(?:\.\d+)?[ \t]+OF[ \t]+\d+.*",
        r"|NOTE\b.*",
        r"|DECLASSIFIED/RELEASED\b.*",
        r"|REVIEW[ \t]+\d{1,2}[ \t]+[A-Z]{3}[ \t]+\d{4}",
        r"|\d{4}[A-Z]+\d+[ \t]+-.*",
        r"|>.*",
        r"|.*https?://.*",
        r")$"
    ))
    .expect("static regex")
});
/// A classification banner, possibly letter-spaced or with caveats (`SECRET//NOFORN`);
/// matched against the line with its blanks removed.
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:TOPSECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITEDOFFICIALUSE|SENSITIVEBUTUNCLASSIFIED)(?:/{1,2}[A-Z]+)*$",
    )
    .expect("static regex")
});
/// A line that is a name alone: one to three upper-case words.
static NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Z'-]*[A-Z](?: +[A-Z][A-Z'-]*[A-Z]){0,2}$").expect("static regex")
});
/// A name closing the last sentence of an upper-case line: `END OF TEXT. BAKER`.
static NAME_AFTER_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^a-z]*[.!?)][ \t]+([A-Z][A-Z'-]*[A-Z])$").expect("static regex")
});

/// Upper-case words that close a cable but are not names.
const NOT_NAMES: &[&str] = &[
    "END", "TEXT", "QUOTE", "UNQUOTE", "COMMENT", "SUMMARY", "BT", "NNNN", "SIPDIS", "NOFORN",
    "REGARDS", "DRAFT", "YYY", "XXX", "ENDS",
];

/// The names that sign the cable. `c14n` gives canonical upper-case surnames.
pub fn parse_signed_by(content: &str, c14n: bool) -> Vec<String> {
    let mut start = content.len().saturating_sub(TAIL);
    while !content.is_char_boundary(start) {
        start += 1;
    }
    let tail = content.get(start..).unwrap_or("");
    let Some(line) = tail
        .lines()
        .rev()
        .map(|l| l.replace('¶', ""))
        .map(|l| l.trim().to_string())
        .find(|l| !is_trailer(l))
    else {
        return Vec::new();
    };
    let line = line.trim_end_matches(['.', '#', ',', ' ', '\t']);
    let name = if NAME_LINE.is_match(line) {
        Some(line)
    } else {
        NAME_AFTER_SENTENCE
            .captures(line)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
    };
    match name {
        Some(n) if !NOT_NAMES.contains(&n) => {
            let n = if c14n {
                n.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_uppercase()
            } else {
                n.to_string()
            };
            vec![n]
        }
        _ => Vec::new(),
    }
}

/// Whether a trimmed line is a trailer line, not the text's last line.
fn is_trailer(line: &str) -> bool {
    if !line.chars().any(char::is_alphanumeric) {
        return true;
    }
    if TRAILER.is_match(line) {
        return true;
    }
    let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    BANNER.is_match(&squeezed.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(s: &str) -> Vec<String> {
        parse_signed_by(s, false)
    }

    #[test]
    fn name_on_last_line() {
        assert_eq!(signed("SOME TEXT.\n\nDOE\n"), ["DOE"]);
        assert_eq!(signed("SOME TEXT.\nDOE"), ["DOE"]);
        assert_eq!(signed("TEXT.\n\nVAN DOE\n"), ["VAN DOE"]);
        assert_eq!(signed("TEXT.\n\nO'DOE-SMITH\n"), ["O'DOE-SMITH"]);
        assert_eq!(signed("TEXT.\n\nDOE.\n"), ["DOE"]);
        assert_eq!(signed("TEXT.\n\nDOE##\n"), ["DOE"]);
    }

    #[test]
    fn skips_trailers() {
        let text = "TEXT.\nDOE\n\n  CONFIDENTIAL\n\nSIPDIS\nC O N F I D E N T I A L\n\
                    PAGE 04 POST 01569 04 OF 04 071629Z\nPOST 00000123  003 OF 003\n\
                    NOTE BY OC/T: X.\nSECRET//NOFORN\n.\n-\nNNNN\n";
        assert_eq!(signed(text), ["DOE"]);
        assert_eq!(
            signed(
                "TEXT.\nDOE\nDeclassified/Released US Department of State EO Systematic\nReview 30 JUN 2006\n"
            ),
            ["DOE"]
        );
        assert_eq!(
            signed("TEXT.\nDOE\n\n> \n 2004POST01540 - UNCLASSIFIED"),
            ["DOE"]
        );
    }

    #[test]
    fn name_after_last_sentence() {
        assert_eq!(signed("5. END OF TEXT. DOE\n\nUNCLASSIFIED\n"), ["DOE"]);
        assert_eq!(signed("MINIMIZE CONSIDERED.  DOE\n"), ["DOE"]);
    }

    #[test]
    fn no_signature() {
        assert!(signed("¶57. (U) The rate was 5.6 percent. The").is_empty());
        assert!(signed("the end of some prose.\n").is_empty());
        assert!(signed("TEXT.\nEND TEXT.\n").is_empty());
        assert!(signed("").is_empty());
        assert!(signed("\n\n  \n").is_empty());
    }

    #[test]
    fn canonical_form() {
        assert_eq!(parse_signed_by("TEXT.\n\nVAN  DOE\n", true), ["VAN DOE"]);
        assert_eq!(parse_signed_by("TEXT.\n\nVAN  DOE\n", false), ["VAN  DOE"]);
    }

    #[test]
    fn junk_is_safe() {
        assert!(signed(&"é".repeat(100_000)).is_empty());
        let long = format!("{}\nDOE", "x".repeat(1 << 20));
        assert_eq!(signed(&long), ["DOE"]);
        let _ = signed("\u{0}\u{ffff}\n\u{1}");
    }
}
