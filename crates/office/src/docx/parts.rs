//! The parts of the package other than the body: the content types and
//! relationships that tie the package together, the styles that carry the
//! GB/T 9704 typography (so a user who edits the bulletin in Word keeps the
//! official look by picking a named style), the settings that switch on
//! different footers for odd and even pages, the font table that tells
//! Word which Chinese face to fall back to when the official faces are not
//! installed, the two footers with the page number, and the document
//! properties. Nothing here reads a clock: the same document gives the
//! same bytes.

use super::layout::{
    font, style_id, BODY_HALF_POINTS, CELL, FOOTER_HALF_POINTS, ISSUER_HALF_POINTS, LINE,
    TABLE_HALF_POINTS, TABLE_LINE, TITLE_HALF_POINTS, TITLE_LINE,
};
use super::xml::{escape, fonts, size, DECL, NS};

/// Letter spacing of the body in twentieths of a point: 442 pt / 28
/// characters is 15.79 pt a character, so 16 pt type is set 0.25 pt
/// tighter.
const CONDENSE: i32 = -5;
use super::OfficialDoc;

/// The parts and their content types, in the order they are written.
pub const PARTS: [(&str, &str); 11] = [
    ("[Content_Types].xml", ""),
    ("_rels/.rels", ""),
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    ("word/_rels/document.xml.rels", ""),
    (
        "word/styles.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    ),
    (
        "word/settings.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    ),
    (
        "word/fontTable.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
    ),
    (
        "word/footer1.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    ),
    (
        "word/footer2.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    ),
    (
        "docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
    ),
    (
        "docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    ),
];

/// Relationship ids of the document's parts; the body's section refers to
/// the footers by these.
pub const RID_FOOTER_ODD: &str = "rId4";
pub const RID_FOOTER_EVEN: &str = "rId5";

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub fn content_types() -> String {
    let mut s = format!(
        "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    for (name, ty) in PARTS.iter().filter(|(_, ty)| !ty.is_empty()) {
        s.push_str(&format!(
            r#"<Override PartName="/{name}" ContentType="{ty}"/>"#
        ));
    }
    s.push_str("</Types>");
    s
}

pub fn root_rels() -> String {
    format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{REL}/extended-properties\" Target=\"docProps/app.xml\"/>\
         </Relationships>"
    )
}

pub fn document_rels() -> String {
    format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{REL}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{REL}/fontTable\" Target=\"fontTable.xml\"/>\
         <Relationship Id=\"{RID_FOOTER_ODD}\" Type=\"{REL}/footer\" Target=\"footer1.xml\"/>\
         <Relationship Id=\"{RID_FOOTER_EVEN}\" Type=\"{REL}/footer\" Target=\"footer2.xml\"/>\
         </Relationships>"
    )
}

/// No indent at all; derived styles must cancel the body's two-character
/// first-line indent in both units, because Word prefers the character
/// count and LibreOffice the twips.
const NO_INDENT: &str = r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#;

/// One paragraph style: `ppr` and `rpr` are the insides of `w:pPr` and
/// `w:rPr`, already in schema order.
fn para_style(id: &str, name: &str, extra: &str, ppr: &str, rpr: &str) -> String {
    format!(
        r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>{extra}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
    )
}

fn exact(twips: u32) -> String {
    format!(r#"<w:spacing w:before="0" w:after="0" w:line="{twips}" w:lineRule="exact"/>"#)
}

pub fn styles() -> String {
    let mut s = format!("{DECL}<w:styles {NS}>");
    // Defaults: the body face and size, Chinese as the East Asian language
    // so Word applies Chinese line breaking rules, and no extra space
    // between Chinese and Latin text or digits (自动调整中西文间距 off), so
    // lines keep the 28 characters of the official grid.
    s.push_str(&format!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val="2"/>{}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts(font::FANGSONG),
        size(BODY_HALF_POINTS)
    ));
    // Normal is the body text: 仿宋 三号, exact line pitch for 22 lines a
    // page, indented two characters, justified, and condensed by a quarter
    // point so 28 characters fill the 156 mm line (GB/T 9704 5.2.2). A
    // character grid would do the same in Word, but LibreOffice reads its
    // pitch differently; letter spacing means the same to both.
    s.push_str(&format!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>{}<w:ind w:firstLineChars="200" w:firstLine="{}"/><w:jc w:val="both"/></w:pPr><w:rPr>{}<w:spacing w:val="{CONDENSE}"/>{}</w:rPr></w:style>"#,
        exact(LINE),
        2 * CELL,
        fonts(font::FANGSONG),
        size(BODY_HALF_POINTS)
    ));
    s.push_str(r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#);
    s.push_str(r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#);
    s.push_str(&format!(
        r#"<w:style w:type="table" w:styleId="{}"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:tblPr><w:tblBorders>{}</w:tblBorders></w:tblPr></w:style>"#,
        style_id::TABLE_GRID,
        super::table::BORDERS
    ));
    // Headings keep Word's built-in names so the navigation pane and a
    // table of contents see the structure.
    s.push_str(&format!(
        r#"<w:style w:type="paragraph" w:styleId="{}"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>{}</w:rPr></w:style>"#,
        style_id::HEADING1,
        fonts(font::HEITI)
    ));
    s.push_str(&format!(
        r#"<w:style w:type="paragraph" w:styleId="{}"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>{}</w:rPr></w:style>"#,
        style_id::HEADING2,
        fonts(font::KAITI)
    ));
    // The 版头: 35 mm from the top of the text block to the red issuer
    // name (GB/T 9704 7.2.3), single spacing off the grid so the large
    // type is not squeezed into one body line.
    s.push_str(&para_style(
        style_id::ISSUER,
        "发文机关标志",
        "<w:qFormat/>",
        &format!(
            r#"<w:snapToGrid w:val="0"/><w:spacing w:before="1984" w:after="0" w:line="240" w:lineRule="auto"/>{NO_INDENT}<w:jc w:val="center"/>"#
        ),
        &format!(
            r#"{}<w:color w:val="FF0000"/>{}"#,
            fonts(font::XIAOBIAOSONG),
            size(ISSUER_HALF_POINTS)
        ),
    ));
    // 文号: two blank lines below the issuer, centred.
    s.push_str(&para_style(
        style_id::NUMBER,
        "发文字号",
        "",
        &format!(
            r#"<w:spacing w:before="{}" w:after="0" w:line="{LINE}" w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>"#,
            2 * LINE
        ),
        "",
    ));
    // The red rule 4 mm below the 文号: the bottom border of an empty
    // paragraph 12 pt high, as wide as the text block.
    s.push_str(&para_style(
        style_id::RULE,
        "版头分隔线",
        "",
        &format!(
            r#"<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="0" w:color="FF0000"/></w:pBdr>{}{NO_INDENT}"#,
            exact(240)
        ),
        &size(4),
    ));
    // Title: two blank lines below the rule, 方正小标宋 二号, centred.
    s.push_str(&para_style(
        style_id::TITLE,
        "公文标题",
        "<w:qFormat/>",
        &format!(
            r#"<w:keepNext/><w:spacing w:before="{}" w:after="0" w:line="{TITLE_LINE}" w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>"#,
            2 * LINE
        ),
        &format!("{}{}", fonts(font::XIAOBIAOSONG), size(TITLE_HALF_POINTS)),
    ));
    // 主送机关: one blank line below the title, flush left.
    s.push_str(&para_style(
        style_id::ADDRESSEE,
        "主送机关",
        "",
        &format!(
            r#"<w:spacing w:before="{LINE}" w:after="0" w:line="{LINE}" w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="left"/>"#
        ),
        "",
    ));
    s.push_str(&para_style(
        style_id::TABLE_CAPTION,
        "表格标题",
        "",
        &format!(
            r#"<w:keepNext/>{}{NO_INDENT}<w:jc w:val="center"/>"#,
            exact(LINE)
        ),
        &fonts(font::HEITI),
    ));
    s.push_str(&para_style(
        style_id::TABLE_HEADER,
        "表格表头",
        "",
        &format!(
            r#"<w:keepNext/><w:snapToGrid w:val="0"/>{}{NO_INDENT}<w:jc w:val="center"/>"#,
            exact(TABLE_LINE)
        ),
        &format!(
            "{}<w:b/><w:bCs/>{}",
            fonts(font::HEITI),
            size(TABLE_HALF_POINTS)
        ),
    ));
    s.push_str(&para_style(
        style_id::TABLE_TEXT,
        "表格正文",
        "",
        &format!(
            r#"<w:snapToGrid w:val="0"/>{}{NO_INDENT}<w:jc w:val="center"/>"#,
            exact(TABLE_LINE)
        ),
        &format!("{}{}", fonts(font::FANGSONG), size(TABLE_HALF_POINTS)),
    ));
    s.push_str(&para_style(
        style_id::SIGNATURE,
        "发文机关署名",
        "",
        &format!(
            r#"<w:keepNext/>{}{NO_INDENT}<w:jc w:val="right"/>"#,
            exact(LINE)
        ),
        "",
    ));
    s.push_str(&para_style(
        style_id::DATE,
        "成文日期",
        "",
        &format!(r#"{}{NO_INDENT}<w:jc w:val="right"/>"#, exact(LINE)),
        "",
    ));
    s.push_str(&para_style(
        style_id::FOOTER,
        "footer",
        r#"<w:uiPriority w:val="99"/><w:unhideWhenUsed/>"#,
        &format!(
            r#"<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>{NO_INDENT}"#
        ),
        &format!("{}{}", fonts(font::SONGTI), size(FOOTER_HALF_POINTS)),
    ));
    s.push_str("</w:styles>");
    s
}

/// Settings. Element order follows the schema, which Word enforces.
/// `evenAndOddHeaders` gives even pages their own footer (page number on
/// the left); punctuation is not compressed, as in printed documents.
pub fn settings() -> String {
    format!(
        "{DECL}<w:settings {NS}>\
         <w:zoom w:percent=\"100\"/>\
         <w:defaultTabStop w:val=\"420\"/>\
         <w:evenAndOddHeaders/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>\
         <w:decimalSymbol w:val=\".\"/><w:listSeparator w:val=\",\"/>\
         </w:settings>"
    )
}

/// The faces used, with the face Windows ships under another name
/// (仿宋_GB2312 is 仿宋 on current Windows) and the GB2312 character set,
/// so a machine without the official faces substitutes a Chinese face of
/// the same kind instead of a Latin one.
pub fn font_table() -> String {
    let mut s = format!("{DECL}<w:fonts {NS}>");
    for (name, alt, family, pitch) in [
        (font::FANGSONG, "仿宋", "modern", "fixed"),
        (font::XIAOBIAOSONG, "宋体", "script", "variable"),
        (font::HEITI, "SimHei", "modern", "fixed"),
        (font::KAITI, "楷体", "modern", "fixed"),
        (font::SONGTI, "SimSun", "auto", "variable"),
    ] {
        s.push_str(&format!(
            r#"<w:font w:name="{}"><w:altName w:val="{}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>"#,
            escape(name),
            escape(alt)
        ));
    }
    s.push_str("</w:fonts>");
    s
}

/// A footer with the page number as `— 1 —` (GB/T 9704 7.5): 宋体 四号,
/// one character in from the right on odd pages and from the left on even
/// pages. The number is a PAGE field; the `1` is only its cached result
/// for readers that do not compute fields.
pub fn footer(odd: bool) -> String {
    // One character of the footer's own size: half-points × 10 twips.
    let one = FOOTER_HALF_POINTS * 10;
    let side = if odd { "right" } else { "left" };
    let ind = format!(r#"<w:ind w:{side}="{one}" w:firstLine="0"/>"#);
    format!(
        "{DECL}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"{}\"/>{ind}<w:jc w:val=\"{side}\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">— </w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
         <w:r><w:t>1</w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         <w:r><w:t xml:space=\"preserve\"> —</w:t></w:r>\
         </w:p></w:ftr>",
        style_id::FOOTER
    )
}

/// Title, author (the issuer) and, when the document is dated, its date
/// as created and modified: a fixed time, never the clock's.
pub fn core(doc: &OfficialDoc) -> String {
    let title: String = doc.title.split(['\r', '\n']).collect();
    let mut s = format!(
        "{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy>",
        escape(&title),
        escape(&doc.issuer),
        escape(&doc.issuer)
    );
    if let Some(d) = doc.date {
        let stamp = d.format("%Y-%m-%dT00:00:00Z");
        s.push_str(&format!(
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created>\
             <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified>"
        ));
    }
    s.push_str("</cp:coreProperties>");
    s
}

pub fn app() -> String {
    format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Application>Duban</Application><DocSecurity>0</DocSecurity><AppVersion>1.0</AppVersion>\
         </Properties>"
    )
}
