//! Where owner clauses stand in a paragraph: every bracket group at the
//! paragraph's top level (`（）`, `［］`, `〔〕`, `【】`, matched by nesting,
//! not by kind, so a misprinted pair still closes) whose text reads as an
//! owner clause. A bracket left open at the paragraph's end closes there
//! (`（责任单位：〔A、B按职责分工负责〕` as printed). A paragraph may hold
//! several clauses, each owning the text before it.

use crate::owner;

/// The longest bracket text read as a clause, in characters.
const MAX_CLAUSE: usize = 1000;

/// Brackets that may enclose an owner clause.
fn opens_clause(c: char) -> bool {
    matches!(c, '（' | '(' | '［' | '[' | '〔' | '【')
}

fn closes_clause(c: char) -> bool {
    matches!(c, '）' | ')' | '］' | ']' | '〕' | '】')
}

/// One owner clause found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index of the opening bracket.
    pub open: usize,
    /// Index just past the closing bracket (or the paragraph's end).
    pub end: usize,
    /// The text inside the brackets.
    pub inner: String,
}

/// The owner clauses of a paragraph, in order.
pub fn find(chars: &[char]) -> Vec<Found> {
    find_with(chars, false)
}

/// As [`find`]; with `lists`, a bracket that only lists units closing the
/// paragraph is a clause too (the document uses such brackets as its owner
/// clauses).
pub fn find_with(chars: &[char], lists: bool) -> Vec<Found> {
    let mut out = find_clauses(chars);
    if lists && out.last().is_none_or(|f| !is_tail(&chars[f.end..])) {
        if let Some(open) = trailing_list(chars) {
            let mut end = chars.len();
            while end > open && is_tail(&chars[end - 1..end]) {
                end -= 1;
            }
            out.push(Found {
                open,
                end,
                inner: chars[open + 1..end - 1].iter().collect(),
            });
        }
    }
    out
}

/// If `p` ends with a bracket that lists only unit names (no duty word),
/// the index of its opening bracket.
pub fn trailing_list(p: &[char]) -> Option<usize> {
    let (open, end) = trailing_group(p)?;
    if end - open > MAX_CLAUSE || owner::may_be_clause(&p[open + 1..end - 1]) {
        // Duty words or labels: a clause, not a bare list.
        return None;
    }
    let inner: String = p[open + 1..end - 1].iter().collect();
    owner::is_unit_list(&inner).then_some(open)
}

fn find_clauses(chars: &[char]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if opens_clause(c) {
            stack.push(i);
        } else if closes_clause(c) {
            let Some(open) = stack.pop() else { continue };
            // An owner clause is a short aside, never a page of text.
            if stack.is_empty()
                && i - open <= MAX_CLAUSE
                && owner::may_be_clause(&chars[open + 1..i])
            {
                let inner: String = chars[open + 1..i].iter().collect();
                if owner::is_clause(&inner) {
                    out.push(Found {
                        open,
                        end: i + 1,
                        inner,
                    });
                }
            }
        }
    }
    // A bracket never closed: the clause runs to the paragraph's end.
    if let Some(&open) = stack.first() {
        let mut end = chars.len();
        while end > open + 1 && matches!(chars[end - 1], '。' | '；' | '，' | ' ') {
            end -= 1;
        }
        let inner: String = chars[open + 1..end.min(open + 1 + MAX_CLAUSE)]
            .iter()
            .collect();
        if end - open <= MAX_CLAUSE
            && !out.iter().any(|f| f.open > open)
            && owner::may_be_clause(&chars[open + 1..end])
            && owner::is_clause(&inner)
        {
            out.push(Found {
                open,
                end: chars.len(),
                inner,
            });
        }
    }
    out
}

/// Is `k` only closing punctuation and space (nothing a task could say)?
pub fn is_tail(chars: &[char]) -> bool {
    chars
        .iter()
        .all(|c| matches!(c, '。' | '；' | '，' | '、' | ' ' | '！' | '”' | '’'))
}

/// If `p` ends with an owner clause, the index of its opening bracket.
pub fn trailing(p: &[char]) -> Option<usize> {
    let (open, end) = trailing_group(p)?;
    if end - open > MAX_CLAUSE {
        return None;
    }
    let inner = &p[open + 1..end - 1];
    (owner::may_be_clause(inner) && owner::is_clause(&inner.iter().collect::<String>()))
        .then_some(open)
}

/// The last top-level bracket group of `p` when only closing punctuation
/// follows it: (opening bracket, index past the closing one).
fn trailing_group(p: &[char]) -> Option<(usize, usize)> {
    let mut end = p.len();
    while end > 0 && is_tail(&p[end - 1..end]) {
        end -= 1;
    }
    if end == 0 || !closes_clause(p[end - 1]) {
        return None;
    }
    let mut depth = 0;
    let open = (0..end).rev().find(|&i| {
        if closes_clause(p[i]) {
            depth += 1;
        } else if opens_clause(p[i]) {
            depth -= 1;
        }
        depth == 0
    })?;
    Some((open, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        find(&chars).into_iter().map(|f| f.inner).collect()
    }

    #[test]
    fn finds_clauses() {
        assert_eq!(
            clauses("建设基地。（甲局负责）完善机制。（乙局牵头，丙局配合）"),
            ["甲局负责", "乙局牵头，丙局配合"]
        );
        assert_eq!(
            clauses("推进改造。〔责任单位：省发改委（数据局）、工信厅〕"),
            ["责任单位：省发改委（数据局）、工信厅"]
        );
        assert_eq!(clauses("推进改造。【市水务局负责】"), ["市水务局负责"]);
        assert_eq!(
            clauses("推进改造。（责任单位：〔省发改委、文旅厅按职责分工负责〕"),
            ["责任单位：〔省发改委、文旅厅按职责分工负责〕"]
        );
        assert!(clauses("开展试点（2024-2026年），（以下简称试点县）。").is_empty());
        assert!(clauses("（试用期一年）").is_empty());
    }

    #[test]
    fn trailing_clause() {
        let c: Vec<char> = "加强管理。（市教育局负责）。".chars().collect();
        assert_eq!(trailing(&c), Some(5));
        let c: Vec<char> = "（市教育局负责）加强管理。".chars().collect();
        assert_eq!(trailing(&c), None);
    }
}
