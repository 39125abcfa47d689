//! Highlighted snippets: the text around the first place the input (or,
//! failing that, one of its words) occurs, read through line breaks, with
//! every occurrence inside marked.

use serde::Serialize;

/// A piece of a snippet; `hit` pieces are what matched.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// Characters shown before the first match.
const BEFORE: usize = 24;
/// Characters shown in all.
const WIDTH: usize = 96;

/// The snippet of `text` for the parts of the input and its words, and the
/// byte offset in `text` of the first match (None: nothing matched, the
/// snippet is the text's start).
pub fn snippet(text: &str, parts: &[String], words: &[String]) -> (Vec<Piece>, Option<usize>) {
    // The text as characters without line breaks, each with its offset.
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| *c != '\n' && *c != '\r')
        .collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|(_, c)| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let find_all = |needle: &str| -> Vec<(usize, usize)> {
        let n: Vec<char> = needle.to_lowercase().chars().collect();
        if n.is_empty() || n.len() > lower.len() {
            return Vec::new();
        }
        (0..=lower.len() - n.len())
            .filter(|&i| lower[i..i + n.len()] == n[..])
            .map(|i| (i, i + n.len()))
            .collect()
    };
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut first = None;
    for p in parts {
        let found = find_all(p);
        if first.is_none() {
            first = found.first().map(|s| s.0);
        }
        spans.extend(found);
    }
    for w in words
        .iter()
        .filter(|w| w.chars().count() > 1 || parts.is_empty())
    {
        let found = find_all(w);
        if first.is_none() {
            first = found.first().map(|s| s.0);
        }
        spans.extend(found);
    }
    let start = first.map_or(0, |f| f.saturating_sub(BEFORE));
    let end = (start + WIDTH).min(chars.len());
    let mut marked = vec![false; end.saturating_sub(start)];
    for (a, b) in spans {
        for i in a.max(start)..b.min(end) {
            marked[i - start] = true;
        }
    }
    let mut pieces: Vec<Piece> = Vec::new();
    if start > 0 {
        pieces.push(Piece {
            text: "…".into(),
            hit: false,
        });
    }
    for (k, &(_, c)) in chars[start..end].iter().enumerate() {
        match pieces.last_mut() {
            Some(p) if p.hit == marked[k] && p.text != "…" => p.text.push(c),
            _ => pieces.push(Piece {
                text: c.to_string(),
                hit: marked[k],
            }),
        }
    }
    if end < chars.len() {
        pieces.push(Piece {
            text: "…".into(),
            hit: false,
        });
    }
    (pieces, first.map(|f| chars[f].0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_a_run_across_a_line_break() {
        let (p, at) = snippet("甲乙\n海绵\n城市建设", &["海绵城市".into()], &[]);
        assert_eq!(at, Some("甲乙\n".len()));
        let hits: Vec<&str> = p
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, ["海绵城市"]);
    }
}
