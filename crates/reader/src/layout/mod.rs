//! Page layout: which input lines are text and which are page furniture,
//! where pages start, where documents start, and the reading order that puts
//! every page back into its own document when pages of two documents
//! interleave.
//!
//! The unit of reordering is a *chunk*: the text lines between two page
//! starts. A chunk that opens with a document header starts a document;
//! every other chunk is given to the open document it continues best: a
//! sentence broken off at a page end continues on the chunk that starts
//! mid-sentence, and heading numbers continue their own sequence.
//!
//! Here: what a line is ([`Line`], issuers, numbers, addressees). The
//! front matter and furniture are in `front`, header starts in `headers`,
//! the chunk assignment in `assign`, unmarked page turns inside a chunk in
//! `turns`; [`crate::pairing`] then pairs headers and bodies by content.

use crate::heading::{self, Family};
use crate::normalize::{squeeze, strip_line_markup};
use crate::para::{typical_full_width, width};
use std::collections::{HashMap, HashSet};

mod assign;
mod front;
mod headers;
mod turns;

use assign::*;
pub use front::ends_like_title;
use front::*;
use headers::*;
pub use headers::{header_at, header_title_line, title_start};
use turns::*;

/// What one input line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Blank,
    /// Page furniture: section tags, page numbers, running titles, the cover.
    Furniture,
    /// The gazette's table of contents.
    Contents,
    Text,
}

/// One input line with what the layout pass learnt about it.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number.
    pub no: u32,
    /// The line without its line ending.
    pub raw: String,
    /// The line with all whitespace removed.
    pub squeezed: String,
    pub kind: Kind,
    /// Starts a new page (leading space, or furniture just before).
    pub page_start: bool,
    /// The heading marker the line starts with.
    pub heading: Option<(Family, u32)>,
    /// The line is only a date (a signature date).
    pub date: Option<chrono::NaiveDate>,
    /// The line is a publication marker (（此件公开发布）).
    pub publication: bool,
    /// The line is only a 发文字号.
    pub number: Option<String>,
    /// The line is (the start of) a title the gazette's 目录 lists.
    pub contents_title: bool,
}

impl Line {
    fn new(no: u32, raw: &str) -> Line {
        let raw = raw.strip_suffix('\r').unwrap_or(raw).to_string();
        let mut squeezed = squeeze(&raw);
        let b = squeezed.as_bytes();
        if b.contains(&b'*') || b.contains(&b'#') || b.contains(&b'_') {
            squeezed = squeeze(&strip_line_markup(&raw));
        }
        // A web page's heading may carry the site's name after `_`
        // (`…的通知_某某委员会`): the title ends before it.
        if raw.trim_start().starts_with('#') {
            if let Some(p) = squeezed.rfind('_') {
                if crate::header::title_complete(&squeezed[..p]) {
                    squeezed.truncate(p);
                }
            }
        }
        let kind = if squeezed.is_empty() {
            Kind::Blank
        } else {
            Kind::Text
        };
        let head: Vec<char> = squeezed.chars().take(12).collect();
        let heading = heading::parse(&head).map(|m| (m.family, m.ordinal));
        let date = crate::header::parse_date_line(&squeezed);
        let publication = crate::header::is_publication(&squeezed).is_some();
        let number = doc_number(&squeezed);
        Line {
            no,
            raw,
            squeezed,
            kind,
            page_start: false,
            heading,
            date,
            publication,
            number,
            contents_title: false,
        }
    }
}

/// An entry of the gazette's table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentsEntry {
    pub title: String,
    pub number: String,
    pub line: u32,
}

/// The text lines of one document, in reading order.
#[derive(Debug, Clone, Default)]
pub struct DocLines {
    /// Indexes into the line table, in reading order.
    pub lines: Vec<usize>,
    /// Positions in `lines` where a new chunk (page) begins.
    pub chunk_starts: Vec<usize>,
    /// Whether the document opened with a header (issuer and title).
    pub has_header: bool,
    /// Blank lines end paragraphs: the input is not wrapped at a fixed
    /// width (a web page or word-processor text, one paragraph a line),
    /// so a blank line is the paragraph break, not spacing.
    pub blank_breaks: bool,
}

/// The whole layout of one input.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub lines: Vec<Line>,
    pub docs: Vec<DocLines>,
    pub contents: Vec<ContentsEntry>,
}

const ISSUER_ENDS: [&str; 10] = [
    "人民政府",
    "办公室",
    "委员会",
    "管委会",
    "政府",
    "局",
    "厅",
    "部",
    "院",
    "会",
];

const TERMINAL: [char; 11] = ['。', '；', '：', '！', '？', '…', '）', '］', '”', ')', ']'];

/// Does a squeezed line look like an issuing organ (运城市人民政府)?
pub fn is_issuer(t: &str) -> bool {
    // A cheap look at the last character first: most lines end otherwise.
    if t.len() > 40 * 3
        || !t.ends_with(['府', '室', '会', '局', '厅', '部', '院', '件', '门', '位'])
    {
        return false;
    }
    // Joint issuers summed up: `运城市财政局等5部门`; the red header of a
    // document, `运城市人民政府办公室文件`.
    let t = strip_joint(t);
    let t = t.strip_suffix("文件").unwrap_or(t);
    if t.len() > 24 * 3 || !ISSUER_ENDS.iter().any(|e| t.ends_with(e)) {
        return false;
    }
    let n = t.chars().count();
    let head: String = t.chars().take(6).collect();
    (4..=24).contains(&n)
        && ISSUER_ENDS.iter().any(|e| t.ends_with(e))
        && t.chars().all(crate::normalize::is_cjk)
        && (head.contains(['市', '区', '县', '省', '州', '盟', '旗', '镇', '乡'])
            || head.contains("街道")
            || head.starts_with("国务院")
            || head.starts_with("国家")
            || head.starts_with("中共"))
}

/// `X等5部门` → `X`: the count of joint issuers after the first.
fn strip_joint(t: &str) -> &str {
    let Some(p) = t.rfind('等') else { return t };
    let tail = &t[p + '等'.len_utf8()..];
    let count = tail
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .count();
    let rest: String = tail.chars().skip(count).collect();
    if count > 0
        && matches!(
            rest.as_str(),
            "部门" | "个部门" | "单位" | "家单位" | "个单位"
        )
    {
        &t[..p]
    } else {
        t
    }
}

/// Does the text end a sentence (so a following line starts afresh)?
pub fn ends_sentence(t: &str) -> bool {
    t.chars().last().is_some_and(|c| TERMINAL.contains(&c))
}

/// A 发文字号 standing alone on a line: `运政发〔2023〕3号`, possibly with a
/// contents page reference `(12)` after it. Returns the normalised number.
pub fn doc_number(t: &str) -> Option<String> {
    if t.len() > 72 || !(t.ends_with('号') || t.ends_with(')') || t.ends_with('）')) {
        return None;
    }
    let chars: Vec<char> = t.chars().collect();
    let open = chars
        .iter()
        .position(|&c| matches!(c, '〔' | '［' | '[' | '（' | '(' | '【'))?;
    if open == 0 || open > 12 || !chars[..open].iter().all(|&c| crate::normalize::is_cjk(c)) {
        return None;
    }
    let year: String = chars[open + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if year.len() != 4 {
        return None;
    }
    let close = open + 5;
    if !matches!(
        chars.get(close),
        Some('〕' | '］' | ']' | '）' | ')' | '】')
    ) {
        return None;
    }
    let num: String = chars[close + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if num.is_empty() || chars.get(close + 1 + num.len()) != Some(&'号') {
        return None;
    }
    let rest: String = chars[close + 2 + num.len()..].iter().collect();
    let rest_ok = rest.is_empty()
        || (rest.starts_with(['(', '（'])
            && rest.ends_with([')', '）'])
            && rest.chars().count() <= 6);
    if !rest_ok {
        return None;
    }
    let prefix: String = chars[..open].iter().collect();
    Some(format!("{prefix}〔{year}〕{num}号"))
}

fn is_section_tag(t: &str) -> bool {
    let n = t.chars().count();
    (t.starts_with('·') && t.ends_with('·') && (3..=16).contains(&n))
        || (t.contains("公报") && t.contains('·') && n <= 30)
}

fn is_page_number(t: &str) -> bool {
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let dashes = t
        .chars()
        .filter(|c| matches!(c, '-' | '—' | '－' | '–'))
        .count();
    (1..=4).contains(&digits) && dashes >= 1 && digits + dashes == t.chars().count()
        || (t.starts_with('第') && t.ends_with('页') && t.chars().count() <= 6)
}

/// Lays out the input lines.
pub fn layout(input: &[&str]) -> Layout {
    let mut lines: Vec<Line> = input
        .iter()
        .enumerate()
        .map(|(i, raw)| Line::new(i as u32 + 1, raw))
        .collect();
    for l in lines.iter_mut() {
        if l.kind == Kind::Text && (is_section_tag(&l.squeezed) || is_page_number(&l.squeezed)) {
            l.kind = Kind::Furniture;
        }
    }
    let contents = mark_contents(&mut lines);
    mark_contents_titles(&mut lines, &contents);
    mark_running_titles(&mut lines, &contents);
    mark_page_starts(&mut lines);
    let mut docs = assign(&lines);
    crate::pairing::merge_repeated_headers(&lines, &mut docs);
    crate::pairing::pair(&lines, &mut docs);
    crate::pairing::match_attachments(&lines, &mut docs);
    crate::pairing::adopt_numbers(&lines, &mut docs);
    Layout {
        lines,
        docs,
        contents,
    }
}

fn next_text(lines: &[Line], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| lines[j].kind == Kind::Text)
}

fn prev_text(lines: &[Line], before: usize) -> Option<usize> {
    (0..before).rev().find(|&j| lines[j].kind == Kind::Text)
}

/// Heading family and ordinal at the start of a line.
fn line_heading(l: &Line) -> Option<(Family, u32)> {
    l.heading
}

/// The addressee line of a notice: `各县（市、区）人民政府，市直各有关单位：`.
pub fn is_addressee(t: &str) -> bool {
    let n = t.chars().count();
    let Some(body) = t.strip_suffix('：') else {
        return false;
    };
    // A list item (`- 发文机构：`) is a label, not an addressee.
    if !body.starts_with(crate::normalize::is_cjk) {
        return false;
    }
    (4..=60).contains(&n)
        && !body.contains(['。', '：', '；'])
        && body.split(['，', '、']).all(|seg| {
            let seg = seg.trim_end_matches(['）', ')']);
            seg.chars().last().is_some_and(crate::owner::unit_suffix)
                || seg.ends_with("单位")
                || seg.ends_with("部门")
        })
        && !body.starts_with('第')
        && heading::parse(&body.chars().take(12).collect::<Vec<_>>()).is_none()
}
