//! Tables: bordered, as wide as the text block, with a bold header row
//! that repeats on every page, and column widths chosen so that short
//! columns (序号, rates, dates, unit names) do not wrap and long texts
//! (事项内容) take what is left. Widths are fixed in the file (a fixed
//! layout), so Word and LibreOffice break the cells at the same places.

use super::layout::{style_id, TABLE_HALF_POINTS, TEXT_W};
use super::xml::{half_cells, para};

/// Table borders: single 0.5 pt lines all round and inside.
pub const BORDERS: &str = concat!(
    r#"<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
    r#"<w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
    r#"<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
    r#"<w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
    r#"<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
    r#"<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
);

/// Left and right cell margins (the table style's 108 twips each) plus a
/// little slack, so text measured to fit does fit in any face.
const CELL_PADDING: u32 = 2 * 108 + 40;

/// The half cells a cell's text needs on one line: its width plus half a
/// cell for every run of digits or Latin letters, which LibreOffice spaces
/// off from Chinese text (it ignores `autoSpaceDE`) and the fallback faces
/// set wider than half a character.
fn need(s: &str) -> u32 {
    s.lines()
        .map(|line| {
            let runs = line
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|run| !run.is_empty())
                .count() as u32;
            half_cells(line) + runs
        })
        .max()
        .unwrap_or(0)
}

/// The width a column wants, in twips: its longest cell on one line. A
/// header longer than four characters may take two lines, as offices print
/// them (按时/签收率), unless the caller broke it already.
fn desired_width(header: Option<&String>, cells: impl Iterator<Item = u32>) -> u32 {
    let head = header.map_or(0, |h| {
        let w = half_cells(h);
        if w <= 8 || h.contains('\n') {
            w
        } else {
            // Half of it, rounded up to whole characters.
            w.div_ceil(4) * 2
        }
    });
    let half = cells.fold(head, u32::max).max(4);
    // A full character at 小四 is as wide as the type: half-points × 10
    // twips.
    half * TABLE_HALF_POINTS * 5 + CELL_PADDING
}

/// Column widths in twips adding up to the text width. Given widths are
/// proportions. Without usable ones (missing, wrong count, a zero) every
/// column gets the width its text wants when they all fit (spread
/// proportionally over the rest); when they do not, the narrow columns keep
/// theirs and the widest ones share the rest equally and wrap.
pub fn column_widths(
    widths: Option<&[u32]>,
    header: &[String],
    rows: &[Vec<String>],
    n: usize,
) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    if let Some(w) = widths.filter(|w| w.len() == n && w.iter().all(|&x| x > 0)) {
        let total: u64 = w.iter().map(|&x| u64::from(x)).sum();
        let out = w
            .iter()
            .map(|&x| (u64::from(TEXT_W) * u64::from(x) / total) as u32)
            .collect();
        return fill(out, n - 1);
    }
    let desired: Vec<u32> = (0..n)
        .map(|c| {
            desired_width(
                header.get(c),
                rows.iter().filter_map(|r| r.get(c)).map(|s| need(s)),
            )
        })
        .collect();
    let widest = (0..n).max_by_key(|&c| (desired[c], n - c)).unwrap_or(0);
    let sum: u64 = desired.iter().map(|&d| u64::from(d)).sum();
    if sum <= u64::from(TEXT_W) {
        let out = desired
            .iter()
            .map(|&d| (u64::from(TEXT_W) * u64::from(d) / sum) as u32)
            .collect();
        return fill(out, widest);
    }
    // Water-filling: the largest cap such that the columns, each at most
    // the cap, fill the width.
    let mut sorted = desired.clone();
    sorted.sort_unstable();
    let mut remaining = TEXT_W;
    let mut cap = 1;
    for (k, &d) in sorted.iter().enumerate() {
        let left = (n - k) as u32;
        if d * left > remaining {
            cap = (remaining / left).max(1);
            break;
        }
        remaining -= d;
    }
    let out = desired.iter().map(|&d| d.min(cap)).collect();
    fill(out, widest)
}

/// Gives what rounding left over to one column, so the widths add up to
/// the text width exactly.
fn fill(mut out: Vec<u32>, to: usize) -> Vec<u32> {
    let used: u32 = out.iter().sum();
    if let Some(w) = out.get_mut(to) {
        *w += TEXT_W.saturating_sub(used);
    }
    out
}

/// A column of long texts reads better flush left (justified, a wrapped
/// line with a Latin word in it spreads out); short ones (numbers,
/// rates, unit names) are centred.
fn column_is_long(rows: &[Vec<String>], c: usize) -> bool {
    rows.iter()
        .filter_map(|r| r.get(c))
        .any(|s| half_cells(s) > 20)
}

/// The table; empty when there is not a single column. Rows shorter than
/// the widest row or the header are padded with empty cells.
pub fn table(header: &[String], rows: &[Vec<String>], widths: Option<&[u32]>) -> String {
    let n = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    if n == 0 {
        return String::new();
    }
    let cols = column_widths(widths, header, rows, n);
    let mut out = format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="{}"/><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#,
        style_id::TABLE_GRID
    );
    for w in &cols {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    if !header.is_empty() {
        out.push_str(r#"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"#);
        for (c, w) in cols.iter().enumerate() {
            let text = header.get(c).map_or("", String::as_str);
            out.push_str(&cell(*w, style_id::TABLE_HEADER, "", text));
        }
        out.push_str("</w:tr>");
    }
    let long: Vec<bool> = (0..n).map(|c| column_is_long(rows, c)).collect();
    for row in rows {
        out.push_str(r#"<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="425"/></w:trPr>"#);
        for (c, w) in cols.iter().enumerate() {
            let text = row.get(c).map_or("", String::as_str);
            let jc = if long[c] {
                r#"<w:jc w:val="left"/>"#
            } else {
                ""
            };
            out.push_str(&cell(*w, style_id::TABLE_TEXT, jc, text));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

fn cell(width: u32, style: &str, jc: &str, text: &str) -> String {
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
        para(style, jc, text.trim(), "")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_fill_the_text_width() {
        let header = strings(&["序号", "任务内容", "牵头单位"]);
        let rows = vec![vec!["1".into(), "推进".repeat(30), "区发改局".into()]];
        let auto = column_widths(None, &header, &rows, 3);
        assert_eq!(auto.iter().sum::<u32>(), TEXT_W);
        // The short columns keep one line; the long text takes the rest.
        assert_eq!(need("2024年8月31日"), 13 + 3);
        assert_eq!(auto[0], 4 * 120 + CELL_PADDING);
        assert_eq!(auto[2], 8 * 120 + CELL_PADDING);
        assert_eq!(auto[1], TEXT_W - auto[0] - auto[2]);
        let given = column_widths(Some(&[1, 2, 1]), &header, &rows, 3);
        assert_eq!(given.iter().sum::<u32>(), TEXT_W);
        assert!(given[0] == given[1] / 2 && given[2].abs_diff(given[0]) <= 1);
        // A wrong count or a zero falls back to the content.
        assert_eq!(column_widths(Some(&[1, 2]), &header, &rows, 3), auto);
        assert_eq!(column_widths(Some(&[1, 0, 1]), &header, &rows, 3), auto);
    }

    #[test]
    fn a_table_that_fits_is_spread_over_the_width() {
        let header = strings(&["单位", "按时签收率"]);
        let rows = vec![strings(&["区发改局", "100%"])];
        let w = column_widths(None, &header, &rows, 2);
        assert_eq!(w.iter().sum::<u32>(), TEXT_W);
        // 区发改局 (4) against a header of 5 characters that may wrap (3).
        assert!(w[0] > w[1], "{w:?}");
    }

    #[test]
    fn many_columns_share_the_width_without_zeros() {
        let header: Vec<String> = (0..40).map(|i| format!("第{i}列标题很长很长")).collect();
        let w = column_widths(None, &header, &[], 40);
        assert_eq!(w.iter().sum::<u32>(), TEXT_W);
        assert!(w.iter().all(|&x| x > 0));
    }

    #[test]
    fn rows_are_padded_to_the_widest() {
        let xml = table(&strings(&["甲", "乙"]), &[strings(&["1", "2", "3"])], None);
        assert_eq!(xml.matches("<w:gridCol ").count(), 3);
        assert_eq!(xml.matches("<w:tc>").count(), 6);
        assert_eq!(table(&[], &[], None), "");
    }
}
