//! `word/document.xml`: the document model laid out in the order GB/T 9704
//! prescribes (版头: issuer, 文号, red rule; 主体: title, addressee, body,
//! signature and date) and the one section that sets the page. Paragraph
//! and character formatting comes from the named styles in `parts`; what
//! is set directly here is only what depends on the text: the issuer's size
//! and squeeze to fit one line, the indents that place the signature over
//! the date, where a long title breaks, and the tables (`table`).

use super::layout::{
    style_id, CELL, FOOTER, HEADER, ISSUER_HALF_POINTS, LINE, MARGIN_BOTTOM, MARGIN_LEFT,
    MARGIN_RIGHT, MARGIN_TOP, PAGE_H, PAGE_W, TEXT_W, TITLE_HALF_POINTS,
};
use super::parts::{RID_FOOTER_EVEN, RID_FOOTER_ODD};
use super::table::table;
use super::xml::{half_cells, para, DECL, NS};
use super::{date_text, Block, OfficialDoc};

/// Half character cells across the text block at body size.
const TEXT_HALF_CELLS: u32 = TEXT_W * 2 / CELL;

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub fn document(doc: &OfficialDoc) -> String {
    let mut out = format!("{DECL}<w:document {NS}><w:body>");
    let issuer = doc.issuer.trim();
    let number = present(&doc.number);
    if !issuer.is_empty() {
        out.push_str(&issuer_para(issuer));
    }
    if let Some(n) = number {
        out.push_str(&para(style_id::NUMBER, "", n, ""));
    }
    if !issuer.is_empty() || number.is_some() {
        out.push_str(&para(style_id::RULE, "", "", ""));
    }
    if !doc.title.trim().is_empty() {
        out.push_str(&para(
            style_id::TITLE,
            "",
            &title_lines(doc.title.trim()),
            "",
        ));
    }
    if let Some(a) = present(&doc.addressee) {
        out.push_str(&para(style_id::ADDRESSEE, "", &addressee_text(a), ""));
    }
    let signed = present(&doc.signature).is_some() || doc.date.is_some();
    for (i, block) in doc.blocks.iter().enumerate() {
        // The last paragraph goes with the signature to the next page
        // rather than leave the signature and date alone on a page.
        let keep = signed && i + 1 == doc.blocks.len();
        out.push_str(&block_xml(block, keep));
        // Two tables in a row would merge into one; an empty paragraph
        // keeps them apart.
        if matches!(block, Block::Table { .. })
            && matches!(doc.blocks.get(i + 1), Some(Block::Table { .. }))
        {
            out.push_str("<w:p/>");
        }
    }
    out.push_str(&closing(present(&doc.signature), doc.date.map(date_text)));
    out.push_str(&section());
    out.push_str("</w:body></w:document>");
    out
}

/// The addressee ends with a full-width colon (GB/T 9704 7.3.2).
pub fn addressee_text(a: &str) -> String {
    if a.ends_with('：') || a.ends_with(':') {
        a.to_string()
    } else {
        format!("{a}：")
    }
}

/// The issuer on one line: 初号 when it fits; otherwise squeezed sideways
/// as printed 版头 are (down to 60%), and only then made smaller.
fn issuer_para(issuer: &str) -> String {
    let (half_points, scale) = issuer_fit(issuer);
    let mut rpr = String::new();
    if scale < 100 {
        rpr.push_str(&format!(r#"<w:w w:val="{scale}"/>"#));
    }
    if half_points != ISSUER_HALF_POINTS {
        rpr.push_str(&format!(
            r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#
        ));
    }
    para(style_id::ISSUER, "", issuer, &rpr)
}

/// Size in half-points and horizontal scale in percent for the issuer.
pub fn issuer_fit(issuer: &str) -> (u32, u32) {
    // Widths in twips: a character cell is as wide as the type is high.
    let cells_x2 = half_cells(issuer).max(1);
    let natural = cells_x2 * ISSUER_HALF_POINTS * 5; // (cells × pt) × 20 twips
    if natural <= TEXT_W {
        return (ISSUER_HALF_POINTS, 100);
    }
    let scale = TEXT_W * 100 / natural;
    if scale >= 60 {
        return (ISSUER_HALF_POINTS, scale);
    }
    // At 60% a character takes 0.6 × its height: cells × pt × 20 × 0.6 ≤
    // TEXT_W, in half-points and half cells.
    let half_points = (TEXT_W / (cells_x2 * 3)).max(2);
    (half_points, 60)
}

fn block_xml(block: &Block, keep_with_next: bool) -> String {
    match block {
        Block::Heading1(t) => para(style_id::HEADING1, "", t.trim(), ""),
        Block::Heading2(t) => para(style_id::HEADING2, "", t.trim(), ""),
        Block::Para(t) => {
            let lines: Vec<&str> = t.lines().collect();
            lines
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    let keep = keep_with_next && i + 1 == lines.len();
                    para("", if keep { "<w:keepNext/>" } else { "" }, line.trim(), "")
                })
                .collect()
        }
        Block::Table {
            caption,
            header,
            rows,
            widths,
        } => {
            let mut out = String::new();
            if let Some(c) = present(caption) {
                out.push_str(&para(style_id::TABLE_CAPTION, "", c, ""));
            }
            out.push_str(&table(header, rows, widths.as_deref()));
            out
        }
    }
}

/// Half character cells a title line holds, less a character of slack:
/// the fallback faces set digits wider than half a character.
const TITLE_HALF_CELLS: u32 = TEXT_W * 2 / (TITLE_HALF_POINTS * 10) - 2;

/// Characters after which a title reads well broken: the end of a year or
/// period, of common nouns ending a phrase (工作, 情况, 任务, 建设, 发展,
/// 管理, 方案, 行动), closing quotes and list punctuation.
const GOOD_BREAK_AFTER: &[char] = &[
    '年', '度', '作', '况', '务', '设', '展', '理', '案', '动', '》', '”', '、', '，',
];

/// A title too long for one line, broken into lines of similar length
/// (GB/T 9704 7.3.1: 回行时要做到词意完整，排列对称). A title the caller
/// broke is left as it is. Without a dictionary the break prefers the
/// characters in [`GOOD_BREAK_AFTER`] near the middle, never splits a
/// number or a Latin word, never starts a line with closing punctuation or
/// ends one with opening punctuation.
pub fn title_lines(title: &str) -> String {
    if title.contains('\n') {
        return title.to_string();
    }
    let chars: Vec<char> = title.chars().collect();
    let width = |cs: &[char]| half_cells(&cs.iter().collect::<String>());
    let mut lines: Vec<String> = Vec::new();
    let mut rest: &[char] = &chars;
    while width(rest) > TITLE_HALF_CELLS {
        let total = width(rest);
        let count = total.div_ceil(TITLE_HALF_CELLS);
        let target = total.div_ceil(count);
        // First a break that leaves the rest for the lines planned; if a
        // number stands in the way, any break that fits (one more line).
        let best = best_break(rest, total, target, count, true)
            .or_else(|| best_break(rest, total, target, count, false));
        let Some(at) = best else { break };
        lines.push(rest[..at].iter().collect());
        rest = &rest[at..];
    }
    lines.push(rest.iter().collect());
    lines.join("\n")
}

/// Where to end the next title line: the index of the first character of
/// the line after, or `None` when no place is allowed.
fn best_break(rest: &[char], total: u32, target: u32, count: u32, plan: bool) -> Option<usize> {
    let mut best: Option<(i64, usize)> = None;
    let mut left = 0;
    for i in 1..rest.len() {
        left += half_cells(&rest[i - 1].to_string());
        if left > TITLE_HALF_CELLS {
            break;
        }
        let (before, after) = (rest[i - 1], rest[i]);
        let splits_word = before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric();
        let bad_punct =
            "，。、；：？！）》」』”’…%％".contains(after) || "（《「『“‘".contains(before);
        if splits_word || bad_punct || (plan && total - left > TITLE_HALF_CELLS * (count - 1)) {
            continue;
        }
        let off = i64::from(left.abs_diff(target));
        let mut cost = off + i64::from(left < target);
        if off <= 6 && GOOD_BREAK_AFTER.contains(&before) {
            cost -= 8;
        }
        match best {
            Some((c, _)) if c <= cost => {}
            _ => best = Some((cost, i)),
        }
    }
    best.map(|(_, i)| i)
}

/// Right indents, in half character cells, of the signature and the date
/// of a document without a seal (GB/T 9704 7.3.5.2): the signature two
/// characters in from the right, the date on the next line starting two
/// characters further right than the signature; when that would push the
/// date closer than two characters to the margin, the date keeps two and
/// the signature moves left by as much.
pub fn closing_indents(signature: Option<&str>, date: Option<&str>) -> (u32, u32) {
    let (sig_ind, date_ind) = match (signature, date) {
        (Some(s), Some(d)) => {
            let (s, d) = (half_cells(s), half_cells(d));
            if s >= d + 4 {
                (4, s - d)
            } else {
                (8 + d - s, 4)
            }
        }
        (Some(_), None) => (4, 0),
        // A date alone sits four characters in from the right.
        (None, _) => (0, 8),
    };
    let fit = |indent: u32, text: Option<&str>| {
        let w = text.map_or(0, half_cells);
        indent.min(TEXT_HALF_CELLS.saturating_sub(w))
    };
    (fit(sig_ind, signature), fit(date_ind, date))
}

/// The signature and the date, one blank line below the body.
fn closing(signature: Option<&str>, date: Option<String>) -> String {
    let (sig_ind, date_ind) = closing_indents(signature, date.as_deref());
    let indent = |half: u32| {
        format!(
            r#"<w:ind w:right="{}" w:firstLineChars="0" w:firstLine="0"/>"#,
            half * CELL / 2
        )
    };
    let space_before = format!(r#"<w:spacing w:before="{LINE}"/>"#);
    let mut out = String::new();
    if let Some(s) = signature {
        out.push_str(&para(
            style_id::SIGNATURE,
            &(space_before.clone() + &indent(sig_ind)),
            s,
            "",
        ));
    }
    if let Some(d) = date {
        let before = if signature.is_none() {
            space_before.as_str()
        } else {
            ""
        };
        out.push_str(&para(
            style_id::DATE,
            &(before.to_string() + &indent(date_ind)),
            &d,
            "",
        ));
    }
    out
}

/// The one section: A4, the official margins, odd and even footers, page
/// numbers from 1, and a line grid of 22 lines.
fn section() -> String {
    format!(
        r#"<w:sectPr><w:footerReference w:type="default" r:id="{RID_FOOTER_ODD}"/><w:footerReference w:type="even" r:id="{RID_FOOTER_EVEN}"/><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/><w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" w:header="{HEADER}" w:footer="{FOOTER}" w:gutter="0"/><w:pgNumType w:start="1"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="{LINE}"/></w:sectPr>"#
    )
}

/// Text of the title and every paragraph, for tests and debugging: what a
/// reader of `document.xml` would see, one entry per paragraph or cell.
#[cfg(test)]
pub fn texts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in xml.split("<w:p>").skip(1) {
        let mut text = String::new();
        for t in p.split("<w:t xml:space=\"preserve\">").skip(1) {
            text.push_str(&t[..t.find("</w:t>").unwrap()]);
        }
        out.push(text);
    }
    out
}
