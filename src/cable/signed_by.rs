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
        r"|(?:SYSTEMATIC[ \t]+)?REVIEW[ \t]+\d{1,2}[ \t]+[A-Z]{3}[ \t]+\d{4}",
        r"|\d{4}[A-Z]+\d+[ \t]+-.*",
        r"|>.*",
        r"|X{4,}",
        r"|.*https?://.*",
        r"|VISIT\b.*|FOR MORE REPORTING\b.*",
        r"|SELECT[ \t]+\*[ \t]+FROM\b.*",
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
/// A line that is a name alone: one or two upper-case words (`DE PREE`), three after a
/// particle (`DE LA CRUZ`); longer lines are text.
static NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:DE|DEL|DI|DA|LA|LE|VAN|VON|ST|MC) +)?[A-Z][A-Z'-]*[A-Z](?: +[A-Z][A-Z'-]*[A-Z])?$",
    )
    .expect("static regex")
});
/// Closing formulas that may share the signature's line: `END TEXT. DOE`,
/// `POST MINIMIZE CONSIDERED. DOE`.
static CLOSING_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:END(?: OF)? (?:TEXT|COMMENT|NOTE|SUMMARY)|(?:[A-Z]+ )*MINIMIZE CONSIDERED)\.?\s+",
    )
    .expect("static regex")
});
/// Later cables sign in title case (`Murphy`, `LeBaron`): one or two capitalised words.
static TITLE_NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Za-z'-]*[a-z][A-Za-z'-]*(?: [A-Z][A-Za-z'-]*[a-z][A-Za-z'-]*)?$")
        .expect("static regex")
});
/// A name closing the last sentence of a line: `END OF TEXT. BAKER`, `... warranted. Doe`.
static NAME_AFTER_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[.!?)\x22\u{201D}][ \t]+([A-Z][A-Za-z'-]*[A-Za-z])$").expect("static regex")
});

/// Upper-case words that close a cable but are not names.
const NOT_NAMES: &[&str] = &[
    "END",
    "TEXT",
    "QUOTE",
    "UNQUOTE",
    "COMMENT",
    "SUMMARY",
    "BT",
    "NNNN",
    "SIPDIS",
    "NOFORN",
    "REGARDS",
    "DRAFT",
    "YYY",
    "XXX",
    "ENDS",
    "THANKS",
    "THANK YOU",
    "BEST",
    "SINCERELY",
    "CITY",
    "BEST REGARDS",
    "CONFIDENTIAL",
    "SECRET",
    "UNCLASSIFIED",
    "END COMMENT",
    "END NOTE",
    "END SUMMARY",
    "END TEXT",
];

/// Words that end a sentence but are not names, for a title-case word closing a line
/// (`... 5.6 percent. The` is cut-off text, `... as warranted. Doe` a signature).
const NOT_TITLE_NAMES: &[&str] = &[
    "THE", "THIS", "THAT", "THESE", "THOSE", "THEY", "THEN", "THERE", "WHEN", "WHAT", "WHILE",
    "WITH", "FROM", "SOME", "MOST", "MANY", "ALSO", "BOTH", "EACH", "SUCH", "THAN", "THUS",
    "HOWEVER", "BUT", "AND", "FOR", "HIS", "HER", "OUR", "WE", "HE", "SHE", "IT", "IN", "ON",
];

/// The names that sign the cable. `c14n` gives canonical upper-case surnames.
pub fn parse_signed_by(content: &str, c14n: bool) -> Vec<String> {
    let mut start = content.len().saturating_sub(TAIL);
    while !content.is_char_boundary(start) {
        start += 1;
    }
    let tail = content.get(start..).unwrap_or("");
    // A trailing backslash is a line-continuation artefact of some copies.
    let mut lines = tail.lines().rev().map(|l| {
        l.replace('¶', "")
            .trim()
            .trim_end_matches('\\')
            .trim()
            .to_string()
    });
    let Some(line) = lines.by_ref().find(|l| !is_trailer(l)) else {
        return Vec::new();
    };
    let previous = lines.next().unwrap_or_default();
    let line = CLOSING_PHRASE.replace(&line, "");
    let bare = line.trim_end_matches(['.', '#', ',', ' ', '\t']);
    let name = if NAME_LINE.is_match(bare) || TITLE_NAME_LINE.is_match(bare) {
        // `TRINIDAD'S\nASSISTANCE.`: the last word of a wrapped sentence, not a signature.
        let wrapped = line.ends_with('.')
            && !previous.is_empty()
            && !previous.ends_with(['.', '!', '?', ':', ')', '"', '\u{201D}']);
        (!wrapped).then_some(bare)
    } else {
        NAME_AFTER_SENTENCE
            .captures(bare)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
            .filter(|n| {
                let upper = n.to_ascii_uppercase();
                *n == upper || (n.len() >= 4 && !NOT_TITLE_NAMES.contains(&upper.as_str()))
            })
    };
    let Some(name) = name else {
        return Vec::new();
    };
    let mut words: Vec<&str> = name.split_whitespace().collect();
    // Some copies print the signature twice on its line (`DOE DOE`).
    words.dedup();
    if NOT_NAMES.contains(&words.join(" ").to_ascii_uppercase().as_str()) {
        return Vec::new();
    }
    let name = if c14n {
        words.join(" ").to_uppercase()
    } else if words.len() < name.split_whitespace().count() {
        words.join(" ")
    } else {
        name.to_string()
    };
    vec![name]
}

/// The signature as [`parse_signed_by`] gives it with `c14n`, from the one it gives without:
/// single blanks, no repeated word, upper case.
pub fn canonical(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    words.dedup();
    words.join(" ").to_uppercase()
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
    fn title_case_names() {
        assert_eq!(signed("Some prose.\n\nMcDoe\n"), ["McDoe"]);
        assert_eq!(parse_signed_by("Some prose.\nMcDoe", true), ["MCDOE"]);
        assert!(signed("Some prose.\n\nRegards\n").is_empty());
        assert!(signed("Some prose.\nfor the record\n").is_empty());
        assert_eq!(
            signed(
                "Text.\n\nVisit Post's Classified Website:\nhttp://example.invalid/\n****\nDoe\n"
            ),
            ["Doe"]
        );
    }

    #[test]
    fn name_after_last_sentence() {
        assert_eq!(signed("Prose ends here. Doefield\n"), ["Doefield"]);
        assert!(signed("Prose ends here. The").is_empty());
        assert_eq!(signed("Prose ends\\\ncomment. \\\nDOE \\\n"), ["DOE"]);
        assert_eq!(signed("Mixed case prose ends here. DOE"), ["DOE"]);
        assert_eq!(signed("5. END OF TEXT. DOE\n\nUNCLASSIFIED\n"), ["DOE"]);
        assert_eq!(signed("MINIMIZE CONSIDERED.  DOE\n"), ["DOE"]);
    }

    #[test]
    fn closing_phrases_and_repeats() {
        assert_eq!(signed("TEXT.\nEND TEXT. DOE\n"), ["DOE"]);
        assert_eq!(signed("TEXT.\nPOST MINIMIZE CONSIDERED DOE\n"), ["DOE"]);
        assert_eq!(signed("TEXT.\nDOE DOE\n"), ["DOE"]);
        assert_eq!(
            signed("TEXT. DOE\nNNNN\nEnd Cable Text\n XXXXXXXX\n"),
            ["DOE"]
        );
    }

    #[test]
    fn wrapped_text_is_no_signature() {
        assert!(signed("WE THANK THE HOST FOR ITS\nASSISTANCE.\n").is_empty());
        assert!(signed("SOME WORDS OF A\nLONG TEXT LINE\n").is_empty());
        assert_eq!(signed("TEXT.\n\nDOE.\n"), ["DOE"]);
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
