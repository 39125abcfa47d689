//! [`Spanned`]: repaired text that remembers, for every character, the input
//! line it came from. Every repair step works on it, so a task can always
//! point back to its exact source lines.

use crate::model::LineSpan;

/// Text with a 1-based source line for each `char`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spanned {
    chars: Vec<char>,
    lines: Vec<u32>,
}

impl Spanned {
    pub fn new() -> Self {
        Self::default()
    }

    /// Text taken whole from one input line.
    pub fn from_line(text: &str, line: u32) -> Self {
        let mut s = Self::new();
        s.push_str(text, line);
        s
    }

    pub fn push(&mut self, c: char, line: u32) {
        self.chars.push(c);
        self.lines.push(line);
    }

    pub fn push_str(&mut self, text: &str, line: u32) {
        // At most one char per byte; at least a third of the bytes for
        // CJK text, which is most of it: reserving that avoids regrowing
        // both vectors char by char.
        let at_least = text.len() / 3;
        self.chars.reserve(at_least);
        self.lines.reserve(at_least);
        self.chars.extend(text.chars());
        let n = self.chars.len() - self.lines.len();
        self.lines.resize(self.lines.len() + n, line);
    }

    pub fn append(&mut self, other: &Spanned) {
        self.chars.extend_from_slice(&other.chars);
        self.lines.extend_from_slice(&other.lines);
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Characters, for in-place one-for-one replacement (glyph fixes,
    /// width normalisation): the line map stays valid.
    pub fn chars_mut(&mut self) -> &mut [char] {
        &mut self.chars
    }

    pub fn line_at(&self, i: usize) -> Option<u32> {
        self.lines.get(i).copied()
    }

    pub fn first_line(&self) -> Option<u32> {
        self.lines.first().copied()
    }

    pub fn last_line(&self) -> Option<u32> {
        self.lines.last().copied()
    }

    /// The characters in `range`, with their lines.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Spanned {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        Spanned {
            chars: self.chars[start..end].to_vec(),
            lines: self.lines[start..end].to_vec(),
        }
    }

    /// Keeps only the characters for which `keep(index, char)` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(usize, char) -> bool) {
        let mut j = 0;
        for i in 0..self.chars.len() {
            if keep(i, self.chars[i]) {
                self.chars[j] = self.chars[i];
                self.lines[j] = self.lines[i];
                j += 1;
            }
        }
        self.chars.truncate(j);
        self.lines.truncate(j);
    }

    /// The text as a `String`.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// The input lines this text covers, merged into ranges in order of
    /// appearance; consecutive lines (and lines separated only by skipped
    /// lines in `gap`) become one range.
    pub fn spans(&self) -> Vec<LineSpan> {
        spans_of(self.lines.iter().copied())
    }
}

/// Merges a sequence of line numbers into ranges, in order of appearance.
/// A line at most two after the current range's end extends it (the blank
/// line between two text lines belongs to the same stretch of text).
pub fn spans_of(lines: impl IntoIterator<Item = u32>) -> Vec<LineSpan> {
    let mut out: Vec<LineSpan> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(span) if l >= span[0] && l <= span[1] => {}
            Some(span) if l > span[1] && l <= span[1] + 2 => span[1] = l,
            _ => out.push([l, l]),
        }
    }
    out
}

impl std::fmt::Display for Spanned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.chars {
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_merge_neighbouring_lines_and_keep_order() {
        assert_eq!(
            spans_of([3, 3, 5, 7, 20, 22, 9]),
            vec![[3, 7], [20, 22], [9, 9]]
        );
    }

    #[test]
    fn retain_keeps_line_map_aligned() {
        let mut s = Spanned::from_line("ab", 1);
        s.push_str("cd", 3);
        s.retain(|_, c| c != 'b' && c != 'c');
        assert_eq!(s.text(), "ad");
        assert_eq!(s.spans(), vec![[1, 3]]);
    }
}
