//! Paragraphs: the lines of a document in reading order, joined where a
//! line was wrapped (mid-word, mid-number, across a page turn) and split
//! where a paragraph really ends or a heading starts.

use crate::layout::{is_issuer, DocLines, Kind, Line};
use crate::normalize;
use crate::span::Spanned;

/// Labels that open an owner line: they always start a paragraph.
pub const OWNER_LABELS: [&str; 15] = [
    "责任单位",
    "牵头单位",
    "配合单位",
    "责任部门",
    "牵头部门",
    "配合部门",
    "主责单位",
    "协办单位",
    "协助单位",
    "参与单位",
    "协同单位",
    "责任主体",
    "责任处室",
    "牵头处室",
    "配合处室",
];

/// Does a squeezed line open with an owner label (`责任单位：`)?
fn starts_with_label(t: &str) -> bool {
    OWNER_LABELS
        .iter()
        .any(|o| t.starts_with(o) && t[o.len()..].starts_with(['：', ':']))
}

fn starts_paragraph(l: &Line) -> bool {
    let t = &l.squeezed;
    l.heading.is_some()
        || starts_with_label(t)
        || t.starts_with("附件")
        || l.date.is_some()
        || l.number.is_some()
        || l.publication
        || l.raw.contains('\t')
}

/// Bracket depth change over a text: `（` opens, `）` closes.
pub fn depth_change(t: &str) -> i32 {
    t.chars().fold(0, |d, c| match c {
        '（' | '(' | '［' | '[' => d + 1,
        '）' | ')' | '］' | ']' => d - 1,
        _ => d,
    })
}

/// Does the paragraph end after line `prev`, given the next line `next`?
/// `so_far` is the paragraph up to and including `prev`; `wrapped` says the
/// text is wrapped at a fixed width.
fn ends_after(p: &Line, n: &Line, depth: i32, short: bool, wrapped: bool, so_far: &[char]) -> bool {
    if starts_paragraph(n) || p.raw.contains('\t') {
        return true;
    }
    let (prev, next) = (p.squeezed.as_str(), n.squeezed.as_str());
    let last = prev.chars().last().unwrap_or(' ');
    match last {
        '。' | '！' | '？' | '；' | '：' | '…' => true,
        // A closing bracket ends a paragraph only where it closes all that
        // was opened and the next line does not carry on the clause.
        // In wrapped text a bracket at the margin is mostly mid-sentence,
        // unless it closes an owner clause.
        '）' | ')' | '］' | ']' | '”' => {
            depth <= 0
                && !next.starts_with(['、', '，', '；', '。', '）', '：', '等', '由'])
                && (!wrapped || short || crate::owner::trailing_clause(so_far).is_some())
        }
        _ => {
            // A heading-only line (a marker and a short title), an issuer or
            // signature line, or a line that stops well short of the margin.
            // Without a fixed width, a marker and a few words with no
            // punctuation is a heading on its own.
            let heading_only = p.heading.is_some()
                && !prev.contains(['，', '。', '；'])
                && (short || !wrapped && prev.chars().count() <= 30);
            heading_only || is_issuer(prev) || short
        }
    }
}

/// Joins a document's lines into paragraphs. `full` is the typical width of
/// a full (wrapped) line in half-width units, 0 where lines are not wrapped.
pub fn paragraphs(lines: &[Line], doc: &DocLines, full: usize) -> Vec<Spanned> {
    let mut out: Vec<Spanned> = Vec::new();
    let mut cur = Spanned::new();
    let mut depth = 0;
    let mut prev: Option<(usize, &Line)> = None;
    for &i in &doc.lines {
        let l = &lines[i];
        if let Some((pi, p)) = prev {
            let short = full > 0 && width(&p.raw) * 100 < full * 80;
            // A short line standing alone between blank lines (a title
            // or heading without a number) ends its paragraph; a long line
            // without final punctuation, a label line or an open bracket is
            // text wrapped where the page or cell ended.
            let blank_between = doc.blank_breaks
                && pi < i
                && depth <= 0
                && p.squeezed.chars().count() <= 40
                && !p.squeezed.ends_with(['、', '，'])
                && !starts_with_label(&p.squeezed)
                && lines[pi + 1..i].iter().any(|b| b.kind == Kind::Blank);
            if blank_between || ends_after(p, l, depth, short, full > 0, cur.chars()) {
                finish(&mut out, &mut cur);
                depth = 0;
            }
        }
        cur.push_str(without_heading_mark(l.raw.trim()), l.no);
        if l.raw.contains('\t') {
            // Keep table cells apart.
            cur.push(' ', l.no);
        }
        depth += depth_change(&l.squeezed);
        prev = Some((i, l));
    }
    finish(&mut out, &mut cur);
    out
}

/// A line without a markdown heading mark (`## 标题`).
fn without_heading_mark(t: &str) -> &str {
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\u{3000}']) {
        t[hashes..].trim_start()
    } else {
        t
    }
}

fn finish(out: &mut Vec<Spanned>, cur: &mut Spanned) {
    if cur.is_empty() {
        return;
    }
    let mut p = std::mem::take(cur);
    normalize::clean(&mut p);
    crate::glyph::fix_glyphs(p.chars_mut());
    if !p.is_empty() {
        out.push(p);
    }
}

/// Display width in half-width units.
pub fn width(raw: &str) -> usize {
    raw.trim_end()
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum()
}

/// The typical width of a full line among `lines`, or 0 if the text is not
/// wrapped at a fixed width.
pub fn full_width(lines: &[Line], doc: &DocLines) -> usize {
    typical_full_width(doc.lines.iter().map(|&i| width(&lines[i].raw)).collect())
}

/// The typical width of a full line among line widths, or 0 if they do not
/// look wrapped at a fixed width.
pub fn typical_full_width(mut widths: Vec<usize>) -> usize {
    if widths.len() < 10 {
        return 0;
    }
    widths.sort_unstable();
    let full = widths[widths.len() * 4 / 5];
    let near = widths
        .iter()
        .filter(|&&w| w * 100 >= full * 85 && w * 100 <= full * 110)
        .count();
    if near * 5 >= widths.len() * 2 && full <= 80 {
        full
    } else {
        0
    }
}
