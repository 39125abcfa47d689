//! The numbers of GB/T 9704-2012 (党政机关公文格式) in Word's units, in one
//! place: the A4 page and its margins, the line pitch that gives 22 lines
//! a page, the type sizes by their Chinese names, the faces, and the ids of
//! the styles the body refers to. Lengths are twips (1/20 pt, 1/1440 inch);
//! type sizes are half-points, as Word stores them.

/// Millimetres to twips, rounded.
pub const fn mm(tenths_of_mm: u32) -> u32 {
    // 1 mm = 1440 / 25.4 twips; computed in tenths of a millimetre to keep
    // the constants below exact to the twip.
    (tenths_of_mm * 1440 + 127) / 254
}

/// A4, 210 × 297 mm.
pub const PAGE_W: u32 = mm(2100);
pub const PAGE_H: u32 = mm(2970);
/// 天头 37 mm; the text block is 156 × 225 mm, centred with the binding
/// side 2 mm wider (GB/T 9704 5.2.1).
pub const MARGIN_TOP: u32 = mm(370);
pub const MARGIN_BOTTOM: u32 = mm(350);
pub const MARGIN_LEFT: u32 = mm(280);
pub const MARGIN_RIGHT: u32 = mm(260);
/// The width of the text block: 156 mm.
pub const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// The bottom of the footer from the page's bottom edge. The page number's
/// dash line is 7 mm below the text block (GB/T 9704 7.5), i.e. its top is
/// 28 mm from the bottom edge; a 四号 line is about 6 mm high.
pub const FOOTER: u32 = mm(220);
/// Not used (no running head), but Word wants a value.
pub const HEADER: u32 = mm(150);

/// The exact line pitch of the body: 225 mm over 22 lines is 28.95 pt.
pub const LINE: u32 = 579;
/// Titles run at a wider fixed pitch so a two-line 二号 title is not cramped.
pub const TITLE_LINE: u32 = 700;
/// Table cells: 小四 at 1.5 lines.
pub const TABLE_LINE: u32 = 360;
/// One character cell of body text (三号, 16 pt): indents are counted in
/// these.
pub const CELL: u32 = 320;

/// Type sizes in half-points, by their Chinese names.
pub const SIZE_CHUHAO: u32 = 84; // 初号 42 pt
pub const SIZE_ERHAO: u32 = 44; // 二号 22 pt
pub const SIZE_SANHAO: u32 = 32; // 三号 16 pt
pub const SIZE_SIHAO: u32 = 28; // 四号 14 pt
pub const SIZE_XIAOSI: u32 = 24; // 小四 12 pt

pub const ISSUER_HALF_POINTS: u32 = SIZE_CHUHAO;
pub const TITLE_HALF_POINTS: u32 = SIZE_ERHAO;
pub const BODY_HALF_POINTS: u32 = SIZE_SANHAO;
pub const TABLE_HALF_POINTS: u32 = SIZE_XIAOSI;
pub const FOOTER_HALF_POINTS: u32 = SIZE_SIHAO;

/// The faces, by the names Chinese offices' Word installations know.
pub mod font {
    pub const XIAOBIAOSONG: &str = "方正小标宋简体";
    pub const FANGSONG: &str = "仿宋_GB2312";
    pub const HEITI: &str = "黑体";
    pub const KAITI: &str = "楷体_GB2312";
    pub const SONGTI: &str = "宋体";
}

/// Style ids (the names users see are in Chinese, or Word's built-in
/// names for the headings and footer).
pub mod style_id {
    pub const ISSUER: &str = "DocIssuer";
    pub const NUMBER: &str = "DocNumber";
    pub const RULE: &str = "DocRule";
    pub const TITLE: &str = "DocTitle";
    pub const ADDRESSEE: &str = "Addressee";
    pub const HEADING1: &str = "Heading1";
    pub const HEADING2: &str = "Heading2";
    pub const TABLE_CAPTION: &str = "TableCaption";
    pub const TABLE_HEADER: &str = "TableHeader";
    pub const TABLE_TEXT: &str = "TableText";
    pub const TABLE_GRID: &str = "TableGrid";
    pub const SIGNATURE: &str = "Signature";
    pub const DATE: &str = "DocDate";
    pub const FOOTER: &str = "Footer";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_a4_with_the_official_margins() {
        assert_eq!((PAGE_W, PAGE_H), (11906, 16838));
        assert_eq!(
            (MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT),
            (2098, 1984, 1587, 1474)
        );
        // 22 lines fit the 225 mm text block, 23 do not.
        let text_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM;
        assert!((22 * LINE..23 * LINE).contains(&text_h));
    }
}
