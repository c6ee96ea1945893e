//! What counts as a word: a run of letters and digits (Unicode's `is_alphanumeric`), split on
//! anything else, lower-cased, with accents folded to ASCII (`Café` is `cafe`), and at most
//! [`MAX_WORD_BYTES`] long (longer runs, such as encoded blobs, are not words). No stemming:
//! `sanction` does not find `sanctions` (use `sanction*`).
//!
//! One analyzer makes the words of the index, of a query and of a highlight, so they agree.

use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream,
};

/// The name the tokenizer is registered under in the index's schema.
pub const WORD_TOKENIZER: &str = "cable_words";

/// Longer runs of letters and digits are not indexed.
pub const MAX_WORD_BYTES: usize = 64;

/// The analyzer behind [`words`]; the index registers the same one under [`WORD_TOKENIZER`].
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        // tantivy's limit is exclusive.
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1))
        // Folded before lower-cased: `İ` lower-cases to `i` and a combining dot, which no
        // folding takes off, while folded first it is `I`, then `i`.
        .filter(AsciiFoldingFilter)
        .filter(LowerCaser)
        .build()
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    word_spans(text).into_iter().map(|(_, w)| w).collect()
}

/// The words of `text` with the byte range each came from.
pub fn word_spans(text: &str) -> Vec<(Range<usize>, String)> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.offset_from..t.offset_to, t.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dotted_capital_i_folds_to_i() {
        assert_eq!(words("İstanbul ISTANBUL istanbul"), ["istanbul"; 3]);
    }

    #[test]
    fn words_are_letters_and_digits_lower_cased_and_folded() {
        assert_eq!(
            words("The U.S. Embassy's café, 08STATE39114; Ålesund—x"),
            [
                "the",
                "u",
                "s",
                "embassy",
                "s",
                "cafe",
                "08state39114",
                "alesund",
                "x"
            ]
        );
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        assert_eq!(words(&format!("ok {long} fine")), ["ok", "fine"]);
        let spans = word_spans("Oil  prices");
        assert_eq!(spans[1].0, 5..11);
    }
}
