//! Word documents (.docx) as bytes, laid out as an official Chinese
//! document under GB/T 9704-2012 (党政机关公文格式), for the bulletins
//! (通报) Duban produces: a red 版头 with the issuer and 文号 over a red
//! rule, the title in 方正小标宋 二号, the body in 仿宋 三号 on a grid of 22
//! lines, headings in 黑体 and 楷体, bordered tables, the signature and date
//! at the end, and the page number as `— 1 —` in the footer, on the right of
//! odd pages and the left of even ones. The caller gives a plain
//! [`OfficialDoc`]; [`write`] returns the package, written by hand with the
//! `zip` crate so every byte is ours to decide: the same document always
//! gives the same bytes (fixed entry times, no clock), which is what lets
//! tests compare outputs.
//!
//! Text is written as given: headings carry their own numbers (`一、`,
//! `（一）`; [`cn_number`] spells them), a line feed in a paragraph starts
//! a new paragraph, in a title or a cell a new line.

mod body;
pub mod layout;
mod parts;
mod table;
mod xml;

use chrono::{Datelike, NaiveDate};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// An official document to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficialDoc {
    /// The issuer as printed in red at the head (发文机关标志), e.g.
    /// 运城市盐湖区人民政府督查室. Empty: no 版头.
    pub issuer: String,
    /// 发文字号, e.g. 盐政督通〔2024〕3号, centred under the issuer.
    pub number: Option<String>,
    /// 标题; a line feed splits it where the caller wants the break.
    pub title: String,
    /// 主送机关; a full-width colon is added when missing.
    pub addressee: Option<String>,
    pub blocks: Vec<Block>,
    /// 发文机关署名 at the end.
    pub signature: Option<String>,
    /// 成文日期, written as 2024年10月8日.
    pub date: Option<NaiveDate>,
}

/// One piece of the body, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A first-level heading (`一、…`), 黑体.
    Heading1(String),
    /// A second-level heading (`（一）…`), 楷体.
    Heading2(String),
    /// A body paragraph, indented two characters.
    Para(String),
    /// A bordered table across the text width. `header` is bold and repeats
    /// on every page; rows shorter than the widest row are padded with
    /// empty cells. `widths` are proportions of the text width, one per
    /// column; without them columns are sized by their content.
    Table {
        caption: Option<String>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Option<Vec<u32>>,
    },
}

/// The document as a .docx package.
pub fn write(doc: &OfficialDoc) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed time (the format's epoch, 1980-01-01) and fixed permissions
    // make the package a function of the document alone.
    let options = SimpleFileOptions::DEFAULT
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    for (name, _) in parts::PARTS {
        let content = match name {
            "[Content_Types].xml" => parts::content_types(),
            "_rels/.rels" => parts::root_rels(),
            "word/document.xml" => body::document(doc),
            "word/_rels/document.xml.rels" => parts::document_rels(),
            "word/styles.xml" => parts::styles(),
            "word/settings.xml" => parts::settings(),
            "word/fontTable.xml" => parts::font_table(),
            "word/footer1.xml" => parts::footer(true),
            "word/footer2.xml" => parts::footer(false),
            "docProps/core.xml" => parts::core(doc),
            "docProps/app.xml" => parts::app(),
            other => unreachable!("no content for part {other}"),
        };
        // Writing into a Vec cannot fail short of running out of memory.
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(content.as_bytes()).map_err(Into::into))
            .expect("writing a zip entry into memory");
    }
    zip.finish()
        .expect("finishing a zip archive in memory")
        .into_inner()
}

/// A date as official documents write it: 2024年10月8日 (Arabic numerals,
/// no leading zeros, GB/T 9704 7.3.5.1).
pub fn date_text(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A number in Chinese numerals as headings count (一, 十一, 二十三, 一百零五),
/// for numbers from 1 to 9999; 0 and larger numbers in Arabic numerals.
pub fn cn_number(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    if (10..20).contains(&n) {
        // 十一, not 一十一.
        return match n {
            10 => "十".to_string(),
            _ => format!("十{}", cn_number(n - 10)),
        };
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(DIGITS[d as usize]);
        out.push_str(UNITS[i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn sample() -> OfficialDoc {
        OfficialDoc {
            issuer: "盐湖区人民政府督查室".into(),
            number: Some("盐政督通〔2024〕3号".into()),
            title: "关于第三季度督办情况的通报".into(),
            addressee: Some("各乡镇人民政府，区直各单位".into()),
            blocks: vec![
                Block::Para("现将有关情况通报如下。".into()),
                Block::Heading1("一、总体情况".into()),
                Block::Heading2("（一）签收情况".into()),
                Block::Table {
                    caption: Some("表1 签收情况".into()),
                    header: vec!["单位".into(), "按时签收率".into()],
                    rows: vec![
                        vec!["区发改局".into(), "100%".into()],
                        vec!["A&B <公司>".into()],
                    ],
                    widths: None,
                },
                Block::Para("第一段\n第二段".into()),
            ],
            signature: Some("盐湖区人民政府督查室".into()),
            date: NaiveDate::from_ymd_opt(2024, 10, 8),
        }
    }

    fn entries(bytes: &[u8]) -> Vec<(String, String)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut s = String::new();
                f.read_to_string(&mut s).unwrap();
                (f.name().unwrap().to_string(), s)
            })
            .collect()
    }

    fn part(bytes: &[u8], name: &str) -> String {
        entries(bytes)
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no part {name}"))
            .1
    }

    #[test]
    fn the_package_has_the_parts_word_needs() {
        let bytes = write(&sample());
        let names: Vec<String> = entries(&bytes).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "word/document.xml",
                "word/_rels/document.xml.rels",
                "word/styles.xml",
                "word/settings.xml",
                "word/fontTable.xml",
                "word/footer1.xml",
                "word/footer2.xml",
                "docProps/core.xml",
                "docProps/app.xml",
            ]
        );
        let types = part(&bytes, "[Content_Types].xml");
        for name in &names[2..] {
            if !name.ends_with(".rels") {
                assert!(types.contains(&format!("PartName=\"/{name}\"")), "{name}");
            }
        }
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        for target in ["styles.xml", "settings.xml", "footer1.xml", "footer2.xml"] {
            assert!(rels.contains(&format!("Target=\"{target}\"")), "{target}");
        }
        assert!(part(&bytes, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
        assert!(part(&bytes, "word/footer1.xml").contains(" PAGE "));
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        assert_eq!(write(&sample()), write(&sample()));
        let mut other = sample();
        other.title.push('！');
        assert_ne!(write(&sample()), write(&other));
    }

    #[test]
    fn text_is_escaped_in_the_body_and_the_properties() {
        let mut doc = sample();
        doc.issuer = "R&D <督查室>".into();
        let bytes = write(&doc);
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains("R&amp;D &lt;督查室&gt;"));
        assert!(body.contains("A&amp;B &lt;公司&gt;"));
        assert!(!body.contains("A&B"));
        assert!(part(&bytes, "docProps/core.xml").contains("<dc:creator>R&amp;D &lt;督查室&gt;"));
    }

    #[test]
    fn the_body_keeps_the_order_of_the_document() {
        let body = part(&write(&sample()), "word/document.xml");
        assert_eq!(
            body::texts(&body),
            [
                "盐湖区人民政府督查室",
                "盐政督通〔2024〕3号",
                "",
                "关于第三季度督办情况的通报",
                "各乡镇人民政府，区直各单位：",
                "现将有关情况通报如下。",
                "一、总体情况",
                "（一）签收情况",
                "表1 签收情况",
                "单位",
                "按时签收率",
                "区发改局",
                "100%",
                "A&amp;B &lt;公司&gt;",
                "",
                "第一段",
                "第二段",
                "盐湖区人民政府督查室",
                "2024年10月8日",
            ]
        );
        // Each block in its style.
        for style in ["DocIssuer", "DocNumber", "DocRule", "DocTitle", "Addressee"] {
            assert!(
                body.contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
                "{style}"
            );
        }
        assert!(body.contains(
            "<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">一、总体情况"
        ));
        assert!(body.contains(
            "<w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t xml:space=\"preserve\">（一）签收情况"
        ));
        assert_eq!(body.matches("<w:tblHeader/>").count(), 1);
        assert_eq!(body.matches("<w:gridCol ").count(), 2);
        assert!(body.ends_with("</w:sectPr></w:body></w:document>"));
    }

    #[test]
    fn an_empty_document_is_still_a_document() {
        let bytes = write(&OfficialDoc::default());
        let body = part(&bytes, "word/document.xml");
        assert!(body::texts(&body).is_empty());
        assert!(body.contains("<w:sectPr>"));
    }

    #[test]
    fn the_styles_carry_the_official_faces_and_sizes() {
        let styles = parts::styles();
        let style = |id: &str| {
            let start = styles.find(&format!("w:styleId=\"{id}\"")).unwrap();
            let end = styles[start..].find("</w:style>").unwrap();
            styles[start..start + end].to_string()
        };
        assert!(style("Normal").contains("w:eastAsia=\"仿宋_GB2312\""));
        assert!(style("Normal").contains("<w:sz w:val=\"32\"/>"));
        assert!(style("Normal").contains("w:line=\"579\" w:lineRule=\"exact\""));
        assert!(style("DocTitle").contains("w:eastAsia=\"方正小标宋简体\""));
        assert!(style("DocTitle").contains("<w:sz w:val=\"44\"/>"));
        assert!(style("DocIssuer").contains("<w:color w:val=\"FF0000\"/>"));
        assert!(style("DocRule").contains("w:color=\"FF0000\""));
        assert!(style("Heading1").contains("w:ascii=\"黑体\""));
        assert!(style("Heading2").contains("w:eastAsia=\"楷体_GB2312\""));
        assert!(style("TableHeader").contains("<w:b/>"));
        assert!(style("TableText").contains("<w:sz w:val=\"24\"/>"));
        assert!(style("Footer").contains("w:eastAsia=\"宋体\""));
    }

    #[test]
    fn a_long_issuer_is_squeezed_then_shrunk() {
        assert_eq!(body::issuer_fit("盐湖区督查室"), (84, 100));
        // 13 characters at 42 pt are 546 pt on a 442 pt line.
        assert_eq!(body::issuer_fit("运城市盐湖区人民政府督查室"), (84, 80));
        let (size, scale) = body::issuer_fit(&"督".repeat(30));
        assert_eq!(scale, 60);
        assert!(30 * size * 10 * 60 / 100 <= layout::TEXT_W, "{size}");
    }

    #[test]
    fn the_signature_is_placed_over_the_date() {
        // Long signature: two characters in; the date starts two
        // characters right of it.
        let (s, d) =
            body::closing_indents(Some("运城市盐湖区人民政府督查室"), Some("2024年10月8日"));
        assert_eq!((s, d), (4, 26 - 13));
        // Short signature: the date keeps two characters, the signature
        // starts two characters left of the date.
        let (s, d) = body::closing_indents(Some("督查室"), Some("2024年10月8日"));
        assert_eq!((s, d), (8 + 13 - 6, 4));
        assert_eq!(body::closing_indents(None, Some("2024年1月1日")), (0, 8));
    }

    #[test]
    fn long_titles_break_into_balanced_lines() {
        assert_eq!(
            body::title_lines("关于2024年第三季度重点工作督办情况的通报"),
            "关于2024年第三季度\n重点工作督办情况的通报"
        );
        assert_eq!(
            body::title_lines("关于第三季度督办情况的通报"),
            "关于第三季度督办情况的通报"
        );
        assert_eq!(body::title_lines("甲\n乙"), "甲\n乙");
        // No break inside a number, none before a closing bracket, no
        // line over the width, nothing lost.
        let long = format!(
            "关于{}的通报",
            "督".repeat(14) + "（20240101）" + &"办".repeat(12)
        );
        let broken = body::title_lines(&long);
        assert_eq!(broken.replace('\n', ""), long);
        assert!(broken.lines().count() == 3, "{broken}");
        for line in broken.lines() {
            assert!(half_cells_of(line) <= 38, "{line}");
            assert!(!line.starts_with('）') && !line.ends_with('（'), "{line}");
        }
        assert!(broken.lines().any(|l| l.contains("20240101")), "{broken}");
    }

    fn half_cells_of(s: &str) -> u32 {
        s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
    }

    #[test]
    fn numbers_and_dates_are_written_the_chinese_way() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 23, 100, 105, 110, 2024]
            .into_iter()
            .map(cn_number)
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "九",
                "十",
                "十一",
                "二十",
                "二十三",
                "一百",
                "一百零五",
                "一百一十",
                "二千零二十四"
            ]
        );
        assert_eq!(
            date_text(NaiveDate::from_ymd_opt(2024, 1, 5).unwrap()),
            "2024年1月5日"
        );
    }
}
