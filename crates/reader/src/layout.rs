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

use crate::heading::{self, Family};
use crate::normalize::{squeeze, strip_line_markup};
use crate::para::{typical_full_width, width};
use std::collections::{HashMap, HashSet};

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
        let mut squeezed = squeeze(&strip_line_markup(&raw));
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

/// Finds the table of contents (目录) and the cover before it; returns its
/// entries.
fn mark_contents(lines: &mut [Line]) -> Vec<ContentsEntry> {
    let Some(start) = lines
        .iter()
        .take(400)
        .position(|l| l.kind == Kind::Text && l.squeezed == "目录")
    else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    let mut end = start;
    let mut j = start + 1;
    let mut misses = 0;
    while j < lines.len() {
        if lines[j].kind != Kind::Text {
            j += 1;
            continue;
        }
        let t = lines[j]
            .squeezed
            .trim_start_matches(['-', '·', '•'])
            .to_string();
        if let Some(number) = doc_number(&t) {
            // A section label before the title (`市政府文件`) is not part of it.
            let clean = |k: usize| lines[k].squeezed.trim_start_matches(['-', '·', '•']);
            let from = pending
                .iter()
                .rposition(|&k| title_start(clean(k)).is_some())
                .unwrap_or(0);
            let title: String = pending[from..].iter().map(|&k| clean(k)).collect();
            entries.push(ContentsEntry {
                title,
                number,
                line: lines[j].no,
            });
            pending.clear();
            end = j;
            misses = 0;
        } else if pending.len() < 3 && header_apart(lines, j).is_none() {
            pending.push(j);
            misses += 1;
            if misses > 3 {
                break;
            }
        } else {
            break;
        }
        j += 1;
    }
    if entries.is_empty() {
        return entries;
    }
    // Section labels between entries (区政府文件) and the cover above 目录
    // belong to the front matter too.
    for l in lines.iter_mut().take(end + 1) {
        if l.kind == Kind::Text {
            l.kind = Kind::Contents;
        }
    }
    entries
}

/// Marks the lines outside the 目录 that print a title it lists (whole,
/// or as the first of two lines), so a header is found by its title even
/// where its issuer line is missing or its title does not open with 关于.
fn mark_contents_titles(lines: &mut [Line], contents: &[ContentsEntry]) {
    if contents.is_empty() {
        return;
    }
    let titles: HashSet<&str> = contents.iter().map(|e| e.title.as_str()).collect();
    for i in 0..lines.len() {
        if lines[i].kind != Kind::Text || lines[i].squeezed.chars().count() < 6 {
            continue;
        }
        let one = titles.contains(lines[i].squeezed.as_str());
        let two = || {
            next_text(lines, i + 1).is_some_and(|j| {
                j <= i + 2
                    && titles
                        .contains(format!("{}{}", lines[i].squeezed, lines[j].squeezed).as_str())
            })
        };
        if one || two() {
            lines[i].contents_title = true;
        }
    }
}

/// Running titles: a document's (or attachment's) title repeated at a page
/// edge. They are recognised by being the same as a known title and by
/// standing where a page turns (after an unfinished sentence, or just before
/// a page start).
fn mark_running_titles(lines: &mut [Line], contents: &[ContentsEntry]) {
    let mut titles: HashSet<String> = HashSet::new();
    for e in contents {
        titles.insert(e.title.clone());
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in lines.iter().filter(|l| l.kind == Kind::Text) {
        let n = l.squeezed.chars().count();
        if (6..=40).contains(&n) && could_be_title(l) {
            *counts.entry(l.squeezed.as_str()).or_default() += 1;
        }
        // Names in 《》 and the object of 关于印发…的通知.
        let mut rest = l.squeezed.as_str();
        while let Some(a) = rest.find('《') {
            let after = &rest[a + '《'.len_utf8()..];
            let Some(b) = after.find('》') else { break };
            let name = &after[..b];
            if name.chars().count() >= 6 {
                titles.insert(name.to_string());
            }
            rest = &after[b..];
        }
    }
    // A line printed more than once is a running title when it reads as a
    // title (ends with a kind of document) or as a byline (市长 储祥好).
    for (t, n) in counts {
        if n >= 2 && (TITLE_ENDS.iter().any(|e| t.ends_with(e)) || is_byline(t)) {
            titles.insert(t.to_string());
        }
    }
    let titles: HashSet<String> = titles
        .into_iter()
        .filter(|t| t.chars().count() >= 6)
        .collect();
    let n = lines.len();
    let mut i = 0;
    while i < n {
        if lines[i].kind != Kind::Text
            || !could_be_title(&lines[i])
            || lines[i].heading.is_some()
            || header_at(lines, i)
        {
            i += 1;
            continue;
        }
        // One line, or two lines with no blank between them.
        let mut matched = None;
        if titles.contains(&lines[i].squeezed) {
            matched = Some(i);
        } else if i + 1 < n && lines[i + 1].kind == Kind::Text {
            let pair = format!("{}{}", lines[i].squeezed, lines[i + 1].squeezed);
            if titles.contains(&pair) {
                matched = Some(i + 1);
            }
        }
        // A title never seen elsewhere still counts where it stands between
        // a broken-off sentence and a page start.
        let unseen_title = matched.is_none()
            && TITLE_ENDS.iter().any(|e| lines[i].squeezed.ends_with(e))
            && prev_text(lines, i).is_some_and(|p| !ends_sentence(&lines[p].squeezed))
            && next_text(lines, i + 1).is_some_and(|q| lines[q].raw.starts_with([' ', '\u{3000}']));
        if unseen_title {
            matched = Some(i);
        }
        let Some(last) = matched else {
            i += 1;
            continue;
        };
        // A signature (issuer, date, publication marker) ends a block too:
        // the title after it opens the next one.
        let prev_unfinished = prev_text(lines, i).is_some_and(|p| {
            let l = &lines[p];
            !ends_sentence(&l.squeezed)
                && l.date.is_none()
                && !l.publication
                && l.number.is_none()
                && !is_issuer(&l.squeezed)
        });
        let next_is_page = next_text(lines, last + 1).is_some_and(|q| {
            let raw = &lines[q].raw;
            raw.starts_with(' ') || raw.starts_with('\u{3000}') || q == last + 1
        });
        if prev_unfinished || next_is_page {
            for l in &mut lines[i..=last] {
                l.kind = Kind::Furniture;
            }
        }
        i = last + 1;
    }
}

/// Words a document or attachment title ends with.
const TITLE_ENDS: [&str; 16] = [
    "方案",
    "规划",
    "计划",
    "意见",
    "细则",
    "办法",
    "报告",
    "通知",
    "纲要",
    "条例",
    "规定",
    "决定",
    "制度",
    "规则",
    "（试行）",
    "清单",
];

/// Does a line end as a document or attachment title does (`…方案`)?
pub fn ends_like_title(t: &str) -> bool {
    TITLE_ENDS.iter().any(|e| t.ends_with(e))
}

/// `运城市人民政府市长储祥好`: an office ending in 长 and a two- or
/// three-character name.
fn is_byline(t: &str) -> bool {
    let chars: Vec<char> = t.chars().collect();
    let n = chars.len();
    (n >= 6)
        && [2, 3].iter().any(|&k| {
            n > k + 1 && chars[n - k - 1] == '长' && (t.contains("政府") || t.contains("委"))
        })
}

/// Can a line be a (running) title? Not a date, marker, number, issuer,
/// addressee or sentence.
fn could_be_title(l: &Line) -> bool {
    let t = &l.squeezed;
    !t.contains(['，', '。', '；'])
        && !t.ends_with('：')
        && !is_issuer(t)
        && l.date.is_none()
        && !l.publication
        && l.number.is_none()
}

fn mark_page_starts(lines: &mut [Line]) {
    let mut after_furniture = false;
    for l in lines.iter_mut() {
        match l.kind {
            Kind::Blank => {}
            Kind::Furniture | Kind::Contents => after_furniture = true,
            Kind::Text => {
                let leading = l.raw.starts_with(' ') || l.raw.starts_with('\u{3000}');
                l.page_start = leading || after_furniture;
                after_furniture = false;
            }
        }
    }
}

/// Is there a document header (issuer line(s) then a 关于… title, or both
/// on one line) starting at line `i`?
pub fn header_at(lines: &[Line], i: usize) -> bool {
    header_title_line(lines, i).is_some()
}

/// The index of the line where the header's title starts, if a header
/// starts at `i`.
pub fn header_title_line(lines: &[Line], i: usize) -> Option<usize> {
    if lines[i].kind != Kind::Text {
        return None;
    }
    header_apart(lines, i).or_else(|| header_run_together(lines, i))
}

/// A header whose issuer stands apart from its title: on lines of its
/// own, or a space before `关于` on the same line.
fn header_apart(lines: &[Line], i: usize) -> Option<usize> {
    let t = &lines[i].squeezed;
    if lines[i].kind != Kind::Text {
        return None;
    }
    // Issuer and title on one line, a space apart.
    let raw = lines[i].raw.trim();
    if let Some(pos) = raw.find(" 关于").or_else(|| raw.find("\u{3000}关于")) {
        if is_issuer(&squeeze(&raw[..pos])) {
            return Some(i);
        }
    }
    // The number printed above the title, as the standard layout has it:
    // a number line and, next, a title (its issuer run into it or not).
    if lines[i].number.is_some() {
        let j = next_text(lines, i + 1)?;
        let tj = &lines[j].squeezed;
        let titled = lines[j].no <= lines[i].no + 4
            && (title_start(tj) == Some(0)
                || lines[j].contents_title
                || title_start(tj).is_some() && crate::header::title_complete(tj));
        // Where the document under that title prints its own number after
        // its signature (as some gazettes do), this number ended the
        // document before.
        return (titled && !numbered_after_signature(lines, j)).then_some(j);
    }
    if !is_issuer(t) {
        return None;
    }
    let mut j = i;
    for _ in 0..3 {
        j = next_text(lines, j + 1)?;
        if lines[j].no > lines[i].no + 4 {
            return None;
        }
        let tj = &lines[j].squeezed;
        let run_together = || title_start(tj).is_some() && crate::header::title_complete(tj);
        if title_start(tj) == Some(0) || lines[j].contents_title || run_together() {
            return Some(j);
        }
        // More issuers, or the number between the red header and the
        // title.
        if !is_issuer(tj) && lines[j].number.is_none() {
            return None;
        }
    }
    None
}

/// Does the document whose title is at `j` print a number line right after
/// its signature date (and publication marker)?
fn numbered_after_signature(lines: &[Line], j: usize) -> bool {
    let Some(date) = (j + 1..lines.len().min(j + 400)).find(|&k| lines[k].date.is_some()) else {
        return false;
    };
    let mut k = date;
    for _ in 0..3 {
        let Some(n) = next_text(lines, k + 1) else {
            return false;
        };
        if lines[n].number.is_some() {
            return true;
        }
        if !lines[n].publication {
            return false;
        }
        k = n;
    }
    false
}

/// A header line that runs issuer and title together.
fn header_run_together(lines: &[Line], i: usize) -> Option<usize> {
    let t = &lines[i].squeezed;
    // Issuer and title run together, as a web page prints its heading:
    // `东川市人民政府关于印发…的通知`, `东川市人民政府办公室印发…的通知`, a
    // line of its own that reads as a title and follows a finished sentence.
    if let Some(pos) = title_start(t) {
        let title = &t[pos..];
        let after_sentence = || {
            prev_text(lines, i).is_none_or(|p| {
                let l = &lines[p];
                ends_sentence(&l.squeezed) || l.date.is_some() || l.number.is_some()
            })
        };
        if pos > 0
            && crate::header::title_complete(title)
            && is_issuer(&t[..pos])
            && !title.contains(['，', '。', '；', '：'])
            && after_sentence()
        {
            return Some(i);
        }
    }
    None
}

/// Words a document title opens with once its issuer is stripped.
const TITLE_VERBS: [&str; 4] = ["关于", "印发", "转发", "批转"];

/// Where the title starts in a line that may open with its issuer:
/// `关于…` at 0; `东川市人民政府关于…` or `东川市人民政府办公室印发…` after
/// the issuer.
pub fn title_start(t: &str) -> Option<usize> {
    let pos = TITLE_VERBS.iter().filter_map(|v| t.find(v)).min()?;
    (pos == 0 || is_issuer(&t[..pos])).then_some(pos)
}

/// Heading family and ordinal at the start of a line.
fn line_heading(l: &Line) -> Option<(Family, u32)> {
    l.heading
}

struct DocState {
    lines: DocLines,
    last_heading: HashMap<Family, u32>,
    signed: bool,
    closed: bool,
    /// Dates its text mentions in running sentences (a decision taken on
    /// 2022年11月25日 is often signed that day).
    mentioned: Vec<chrono::NaiveDate>,
    /// Short names it defines (`（以下简称市领导小组）`).
    terms: Vec<String>,
    /// Its last line, to catch a definition wrapped over two lines.
    last_text: String,
    /// In a personnel notice, the list it is in: 任命 or 免去.
    list: Option<PersonnelList>,
}

/// Where, inside a chunk bound for document `d`, text carries on after
/// `d`'s publication marker and ends with a signature dated on a day another
/// unfinished, unsigned document names in its text: those lines are that
/// document's last page.
fn after_close_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let closed_at = chunk.iter().position(|&i| lines[i].publication)?;
    let j = closed_at + 1;
    let next = &lines[*chunk.get(j)?];
    if next.number.is_some() || next.squeezed.starts_with("附件") || next.heading.is_some() {
        return None;
    }
    let signed_on: Vec<chrono::NaiveDate> = chunk[j..]
        .iter()
        .take(40)
        .filter_map(|&i| lines[i].date)
        .collect();
    let lo = docs.len().saturating_sub(4);
    (lo..docs.len())
        .rev()
        .find(|&e| {
            e != d
                && !docs[e].closed
                && !docs[e].signed
                && signed_on.iter().any(|s| docs[e].mentioned.contains(s))
        })
        .map(|e| (j, e))
}

/// The two lists of a personnel notice (任免).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PersonnelList {
    Appoint,
    Remove,
}

/// A line that opens a personnel list: `任命：`, `定，任命：`, `免去：`.
fn personnel_label(t: &str) -> Option<PersonnelList> {
    if !t.ends_with('：') || t.chars().count() > 12 {
        return None;
    }
    if t.ends_with("任命：") || t.ends_with("聘任：") {
        Some(PersonnelList::Appoint)
    } else if t.ends_with("免去：") || t.ends_with("解聘：") {
        Some(PersonnelList::Remove)
    } else {
        None
    }
}

/// An appointment item, `卫秀红为运城中学副校长…`: a name and 为 near the start.
fn is_appointment(t: &str) -> bool {
    let head: String = t.chars().take(12).collect();
    head.find('为')
        .is_some_and(|p| p >= 3 * 2 && !head[..p].contains(['，', '。', '：', '（']))
}

/// Where, inside a chunk bound for document `d` that is in its 免去 list,
/// an appointment item appears while another unfinished personnel notice
/// is in its 任命 list: the page is that notice's.
fn personnel_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let mut list = docs[d].list;
    let lo = docs.len().saturating_sub(4);
    for (j, &i) in chunk.iter().enumerate() {
        let t = &lines[i].squeezed;
        if let Some(l) = personnel_label(t) {
            list = Some(l);
            continue;
        }
        if j > 0 && list == Some(PersonnelList::Remove) && is_appointment(t) {
            let other = (lo..docs.len()).rev().find(|&e| {
                e != d
                    && !docs[e].closed
                    && !docs[e].signed
                    && docs[e].list == Some(PersonnelList::Appoint)
            });
            if let Some(e) = other {
                return Some((j, e));
            }
        }
    }
    None
}

/// Short names a text defines: `（以下简称市领导小组）`, `以下简称“工作专班”`.
fn defined_terms(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(p) = rest.find("以下简称") {
        let after = &rest[p + "以下简称".len()..];
        let after = after.trim_start_matches(['“', '"', '：']);
        let term: String = after
            .chars()
            .take_while(|c| !matches!(c, '）' | '”' | '"' | '，' | '。' | '；' | ')'))
            .take(13)
            .collect();
        let n = term.chars().count();
        if (2..=12).contains(&n) {
            out.push(term);
        }
        rest = &rest[p + "以下简称".len()..];
    }
    out
}

/// Where, inside a chunk bound for document `d`, a line uses a short name
/// that another unfinished document defined and `d` did not: that page
/// belongs to the other document.
fn borrowed_term_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let lo = docs.len().saturating_sub(4);
    if (lo..docs.len()).all(|e| e == d || docs[e].terms.is_empty()) {
        return None;
    }
    let mut own: Vec<String> = docs[d].terms.clone();
    let mut prev: &str = &docs[d].last_text;
    for (j, &i) in chunk.iter().enumerate() {
        let t = &lines[i].squeezed;
        if t.contains('简')
            || t.contains('称')
            || prev.contains('简')
            || prev.ends_with(['以', '下'])
        {
            own.extend(defined_terms(&format!("{prev}{t}")));
        }
        if j > 0 {
            for e in (lo..docs.len()).rev().filter(|&e| e != d) {
                let o = &docs[e];
                if o.closed || o.signed {
                    continue;
                }
                let borrowed = o.terms.iter().any(|term| {
                    term.chars().count() >= 4 && !own.contains(term) && t.contains(term.as_str())
                });
                if borrowed {
                    return Some((j, e));
                }
            }
        }
        prev = t;
    }
    None
}

/// Dates written out inside a squeezed line (`…2022年11月25日研究决定`).
fn dates_in(t: &str) -> Vec<chrono::NaiveDate> {
    let chars: Vec<char> = t.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '年' || i < 4 || !chars[i - 4..i].iter().all(char::is_ascii_digit) {
            continue;
        }
        let num = |from: usize| -> (Option<u32>, usize) {
            let n = chars[from..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let v: String = chars[from..from + n].iter().collect();
            (
                if (1..=2).contains(&n) {
                    v.parse().ok()
                } else {
                    None
                },
                from + n,
            )
        };
        let year: i32 = chars[i - 4..i]
            .iter()
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        let (Some(m), j) = num(i + 1) else { continue };
        if chars.get(j) != Some(&'月') {
            continue;
        }
        let (Some(d), k) = num(j + 1) else { continue };
        if chars.get(k) != Some(&'日') {
            continue;
        }
        if let Some(date) = chrono::NaiveDate::from_ymd_opt(year, m, d) {
            out.push(date);
        }
    }
    out
}

/// Splits the text lines into chunks and assigns each chunk to a document.
fn assign(lines: &[Line]) -> Vec<DocLines> {
    let text: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == Kind::Text)
        .collect();
    // Typical full line width, to tell a wrapped line from a paragraph end.
    let full = typical_full_width(text.iter().map(|&i| width(&lines[i].raw)).collect());
    let wrapped = full > 0;

    // Chunk boundaries.
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    // Whether a chunk starts a document: with its header, or (a second
    // addressee line since the last header) without one.
    let mut header_chunk: Vec<bool> = Vec::new();
    let mut headless_chunk: Vec<bool> = Vec::new();
    let mut addressed = false;
    let mut prev: Option<usize> = None;
    let mut k = 0;
    while k < text.len() {
        let i = text[k];
        let header = header_title_line(lines, i);
        let suspicious = wrapped
            && prev.is_some_and(|p| {
                let pl = &lines[p];
                !ends_sentence(&pl.squeezed)
                    && width(&pl.raw) * 100 >= full * 85
                    && line_heading(pl).is_none()
                    && line_heading(&lines[i]).is_some_and(|(f, _)| f != Family::Circled)
            });
        let second_addressee = is_addressee(&lines[i].squeezed) && addressed && header.is_none();
        if header.is_some() {
            addressed = false;
        }
        if is_addressee(&lines[i].squeezed) {
            addressed = true;
        }
        if chunks.is_empty()
            || lines[i].page_start
            || header.is_some()
            || suspicious
            || second_addressee
        {
            chunks.push(Vec::new());
            header_chunk.push(header.is_some());
            headless_chunk.push(second_addressee);
        }
        chunks.last_mut().expect("pushed above").push(i);
        // The lines of a header stay with it.
        if let Some(t) = header {
            while k + 1 < text.len() && text[k + 1] <= t {
                k += 1;
                chunks.last_mut().expect("pushed above").push(text[k]);
            }
        }
        prev = Some(*chunks.last().and_then(|c| c.last()).expect("non-empty"));
        k += 1;
    }

    let mut docs: Vec<DocState> = Vec::new();
    let mut current: Option<usize> = None;
    // A work queue: a chunk split where another document's page begins
    // unmarked puts its rest back, bound for that document.
    let mut queue: std::collections::VecDeque<(Vec<usize>, bool, bool, Option<usize>)> = chunks
        .into_iter()
        .zip(header_chunk.iter().zip(&headless_chunk))
        .map(|(c, (&h, &hl))| (c, h, hl, None))
        .collect();
    while let Some((chunk, is_header, is_headless, forced)) = queue.pop_front() {
        let first = &lines[chunk[0]];
        let starts_mid = line_heading(first).is_none();
        let signature_dates: Vec<chrono::NaiveDate> =
            chunk.iter().filter_map(|&i| lines[i].date).collect();
        let has_signature = !signature_dates.is_empty();
        let chunk_heading = chunk.iter().find_map(|&i| line_heading(&lines[i]));
        let target = if is_header || is_headless || docs.is_empty() {
            None
        } else if forced.is_some() {
            forced
        } else {
            let lo = docs.len().saturating_sub(4);
            let mut best: Option<(f32, usize)> = None;
            for d in lo..docs.len() {
                let st = &docs[d];
                let last = &lines[*st.lines.lines.last().expect("docs are never empty")];
                // A bare heading line ends nothing; a heading with text after
                // it can break off like any other line.
                let bare_heading =
                    line_heading(last).is_some() && !last.squeezed.contains(['，', '。', '；']);
                // A header's number, a signature date or an issuer ends a
                // block as a full stop does.
                let ends_mid = !ends_sentence(&last.squeezed)
                    && !bare_heading
                    && last.number.is_none()
                    && last.date.is_none()
                    && !is_issuer(&last.squeezed);
                let mut score = 0.0f32;
                if ends_mid {
                    score += if starts_mid { 4.0 } else { -3.0 };
                }
                if st.closed {
                    score -= 2.0;
                }
                // A bracket left open at a page end is closed on the page
                // that continues it.
                let open = open_bracket_at_end(lines, &st.lines.lines);
                let closes = closes_first(&first.squeezed);
                score += match (open, closes) {
                    (true, true) => 3.0,
                    (true, false) => -1.0,
                    (false, true) => -3.0,
                    (false, false) => 0.0,
                };
                // An attachment list (附件：1.…（见网络版）) carries on with
                // its next entry or the rest of an entry.
                let in_list =
                    last.squeezed.starts_with("附件") || last.squeezed.ends_with("网络版）");
                if in_list
                    && (first.squeezed.starts_with("（见")
                        || line_heading(first).is_some_and(|(f, _)| f == Family::Arabic))
                {
                    score += 3.0;
                }
                if let Some((fam, ord)) = chunk_heading {
                    match st.last_heading.get(&fam) {
                        Some(&prev) if prev + 1 == ord => score += 2.0,
                        Some(_) if ord != 1 => score -= 1.0,
                        _ => {}
                    }
                }
                if has_signature && !st.signed {
                    // Older unsigned documents first: their signature page
                    // comes before a later document's; surer still when
                    // the document's text names the day it is signed.
                    score += 1.5 + 0.1 * (docs.len() - d) as f32;
                    if signature_dates.iter().any(|s| st.mentioned.contains(s)) {
                        score += 5.0;
                    }
                } else if Some(d) == current {
                    score += 0.5;
                }
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, d));
                }
            }
            best.map(|(_, d)| d)
        };
        let d = match target {
            Some(d) => d,
            None => {
                if is_header || is_headless {
                    adopt_dangling_header(lines, &mut docs);
                }
                docs.push(DocState {
                    lines: DocLines {
                        has_header: is_header,
                        ..DocLines::default()
                    },
                    last_heading: HashMap::new(),
                    signed: false,
                    closed: false,
                    mentioned: Vec::new(),
                    terms: Vec::new(),
                    last_text: String::new(),
                    list: None,
                });
                docs.len() - 1
            }
        };
        let split = unmarked_page_turn(lines, &docs, d, &chunk)
            .or_else(|| borrowed_term_turn(lines, &docs, d, &chunk))
            .or_else(|| personnel_turn(lines, &docs, d, &chunk))
            .or_else(|| after_close_turn(lines, &docs, d, &chunk));
        let chunk = match split {
            Some((at, to)) => {
                queue.push_front((chunk[at..].to_vec(), false, false, Some(to)));
                chunk[..at].to_vec()
            }
            None => chunk,
        };
        let st = &mut docs[d];
        st.lines.chunk_starts.push(st.lines.lines.len());
        for &i in &chunk {
            st.lines.lines.push(i);
            if let Some((fam, ord)) = line_heading(&lines[i]) {
                st.last_heading.insert(fam, ord);
            }
            if lines[i].date.is_some() {
                st.signed = true;
            } else if lines[i].squeezed.contains('年') {
                st.mentioned.extend(dates_in(&lines[i].squeezed));
            }
            // `以下简称` may be wrapped over two lines.
            let t = &lines[i].squeezed;
            if t.contains('简')
                || t.contains('称')
                || st.last_text.contains('简')
                || st.last_text.ends_with(['以', '下'])
            {
                for term in defined_terms(&format!("{}{t}", st.last_text)) {
                    if !st.terms.contains(&term) {
                        st.terms.push(term);
                    }
                }
            }
            st.last_text.clear();
            st.last_text.push_str(t);
            if let Some(l) = personnel_label(&lines[i].squeezed) {
                st.list = Some(l);
            }
        }
        st.closed = lines[*chunk.last().expect("chunks are never empty")].publication;
        current = Some(d);
    }
    adopt_dangling_header(lines, &mut docs);
    docs.into_iter()
        .map(|d| DocLines {
            blank_breaks: !wrapped,
            ..d.lines
        })
        .collect()
}

/// Is a bracket still open at the end of a document's lines so far?
fn open_bracket_at_end(lines: &[Line], order: &[usize]) -> bool {
    let mut depth = 0i32;
    for &i in order.iter().rev().take(8) {
        let t = &lines[i].squeezed;
        if depth != 0 && t.ends_with(['。', '；']) {
            break;
        }
        depth += crate::para::depth_change(t);
        if t.ends_with(['。', '；']) && depth <= 0 {
            break;
        }
        if depth > 0 {
            return true;
        }
    }
    depth > 0
}

/// Does a line close a bracket before it opens one (`责）…`)?
fn closes_first(t: &str) -> bool {
    let mut depth = 0i32;
    for c in t.chars() {
        match c {
            '（' | '(' | '［' | '[' => depth += 1,
            '）' | ')' | '］' | ']' => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Where, inside a chunk bound for document `d`, another document's page
/// begins without any mark: a top-level heading that goes back in `d`'s
/// numbering but continues an unfinished document's. Returns the position
/// in the chunk and that document.
fn unmarked_page_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let mut seen: HashMap<Family, u32> = docs[d].last_heading.clone();
    for (j, &i) in chunk.iter().enumerate() {
        let Some((fam, ord)) = line_heading(&lines[i]) else {
            continue;
        };
        let top = matches!(fam, Family::Chinese | Family::Article | Family::Chapter);
        // Going back in the numbering, jumping ahead of it, or a family
        // this document has not used arriving mid-way (第三条 after 一、).
        let unused = !seen.contains_key(&fam);
        let off_sequence = match seen.get(&fam) {
            Some(&prev) => ord <= prev || ord > prev + 1,
            None => ord > 1 && !ends_sentence(&lines[chunk[j.saturating_sub(1)]].squeezed),
        };
        if j > 0 && top && off_sequence {
            let before = &lines[chunk[j - 1]].squeezed;
            let restart = before.starts_with("附件")
                || could_be_title(&lines[chunk[j - 1]]) && !before.contains('：');
            if !restart {
                let lo = docs.len().saturating_sub(4);
                let fits = (lo..docs.len()).rev().find(|&e| {
                    let o = &docs[e];
                    e != d
                        && !o.closed
                        && (unused || !o.signed)
                        && match o.last_heading.get(&fam) {
                            Some(&p) => p + 1 == ord,
                            None => ord == 1 && seen.get(&fam).is_some_and(|&prev| ord <= prev),
                        }
                });
                if let Some(e) = fits {
                    // The page may begin a line earlier, with the end of the
                    // sentence that document broke off.
                    let target_last = docs[e].lines.lines.last().map(|&i| &lines[i].squeezed);
                    let broke_off = target_last.is_some_and(|t| !ends_sentence(t));
                    let at = if j >= 2
                        && broke_off
                        && ends_sentence(before)
                        && !ends_sentence(&lines[chunk[j - 2]].squeezed)
                    {
                        j - 1
                    } else {
                        j
                    };
                    return Some((at, e));
                }
            }
        }
        seen.insert(fam, ord);
    }
    None
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

/// A header printed after its document's body (issuer, title and number
/// with no text of their own) belongs to the headless document before it.
/// Checked for the last document whenever another one starts.
fn adopt_dangling_header(lines: &[Line], docs: &mut Vec<DocState>) {
    let Some(d) = docs.last() else { return };
    let d = &d.lines;
    let bare = d.has_header
        && d.lines.len() <= 6
        && d.lines.iter().all(|&i| {
            let t = &lines[i].squeezed;
            is_issuer(t) || lines[i].number.is_some() || !t.contains(['，', '。', '：'])
        })
        && d.lines.iter().any(|&i| lines[i].number.is_some());
    let k = docs.len() - 1;
    // A host that opens with a title or an issuer has a header of its own
    // that was not recognised; it must not get a second one.
    let own_head = |h: usize| {
        docs[h].lines.lines.iter().take(3).any(|&i| {
            let t = &lines[i].squeezed;
            is_issuer(t) || crate::header::title_complete(t) || lines[i].number.is_some()
        })
    };
    let Some(h) = (0..k)
        .rev()
        .take(3)
        .find(|&h| !docs[h].lines.has_header && !own_head(h))
    else {
        return;
    };
    if !bare {
        return;
    }
    let dangling = docs.remove(k).lines;
    let host = &mut docs[h].lines;
    let shift = dangling.lines.len();
    host.lines.splice(0..0, dangling.lines);
    host.chunk_starts = std::iter::once(0)
        .chain(host.chunk_starts.iter().map(|c| c + shift))
        .collect();
    host.has_header = true;
}
