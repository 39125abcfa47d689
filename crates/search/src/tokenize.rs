//! The two analyses of Chinese text the index keeps: words (jieba's search
//! mode over its built-in dictionary) for relevance, and character bigrams
//! for exact matching of any run of characters (a unit name, a place, a
//! 发文字号) whatever the segmenter makes of it.
//!
//! Both read through line breaks: a word a source wraps across two lines is
//! one word. Offsets point into the original text, so a hit maps back to
//! its line.

use jieba_rs::Jieba;
use std::sync::OnceLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name of the word analyser in the index.
pub const WORDS: &str = "duban_words";
/// The name of the bigram analyser in the index.
pub const GRAMS: &str = "duban_grams";

fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(Jieba::new)
}

/// `text` without line breaks, and for every byte of it the byte offset
/// in `text`.
fn unwrap_lines(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\r' {
            continue;
        }
        for k in 0..c.len_utf8() {
            map.push(i + k);
        }
        out.push(c);
    }
    map.push(text.len());
    (out, map)
}

/// Whether a character is part of what is searched (letters, digits, CJK);
/// punctuation and spaces separate but are never searched.
fn searched(c: char) -> bool {
    c.is_alphanumeric()
}

/// Words of `text` (jieba's search mode, lower case), with byte offsets in
/// `text`.
pub fn words(text: &str) -> Vec<(String, usize, usize)> {
    let (flat, map) = unwrap_lines(text);
    jieba()
        .cut_for_search(&flat, true)
        .into_iter()
        .filter(|t| t.word.chars().any(searched))
        .map(|t| {
            (
                t.word.to_lowercase(),
                map[t.byte_start],
                // The last byte of the word maps to the last byte of its
                // last character in `text`.
                map[t.byte_end - 1] + 1,
            )
        })
        .collect()
}

/// Words of a query as typed (jieba's precise mode): fewer, longer words,
/// each of which a matching text must contain.
pub fn query_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = jieba()
        .cut(text, true)
        .into_iter()
        .filter(|w| w.word.chars().any(searched))
        .map(|w| w.word.trim().to_lowercase())
        .collect();
    out.dedup();
    out
}

/// Bytes of the character starting at byte `i` past its first.
fn last_char_extra(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(0, |c| c.len_utf8() - 1)
}

/// Character bigrams of the searched characters of `text`, in order,
/// with byte offsets; a text of one searched character gives it alone.
pub fn grams(text: &str) -> Vec<(String, usize, usize)> {
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| searched(*c))
        .flat_map(|(i, c)| c.to_lowercase().map(move |l| (i, l)))
        .collect();
    if chars.len() == 1 {
        let (i, c) = chars[0];
        return vec![(c.to_string(), i, i + last_char_extra(text, i) + 1)];
    }
    chars
        .windows(2)
        .map(|w| {
            let (a, ca) = w[0];
            let (b, cb) = w[1];
            (format!("{ca}{cb}"), a, b + last_char_extra(text, b) + 1)
        })
        .collect()
}

/// A token stream over tokens computed up front.
pub struct Tokens {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokens {
    fn new(list: Vec<(String, usize, usize)>) -> Tokens {
        let tokens = list
            .into_iter()
            .enumerate()
            .map(|(position, (text, from, to))| Token {
                offset_from: from,
                offset_to: to,
                position,
                text,
                position_length: 1,
            })
            .collect();
        Tokens { tokens, at: 0 }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

/// [`words`] as a tantivy tokenizer.
#[derive(Clone, Default)]
pub struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens::new(words(text))
    }
}

/// [`grams`] as a tantivy tokenizer.
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens::new(grams(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_wrapped_across_lines_is_one_word() {
        let text = "推进海\n绵城市建设";
        let ws = words(text);
        let (_, a, b) = ws.iter().find(|(w, ..)| w == "海绵").expect("joined");
        assert_eq!(&text[*a..*b], "海\n绵");
    }

    #[test]
    fn grams_skip_punctuation_and_keep_offsets() {
        let text = "〔2024〕5号";
        let g: Vec<String> = grams(text).into_iter().map(|g| g.0).collect();
        assert_eq!(g, ["20", "02", "24", "45", "5号"]);
        let (_, a, b) = grams(text).last().cloned().unwrap();
        assert_eq!(&text[a..b], "5号");
        assert_eq!(grams("局")[0].0, "局");
    }
}
