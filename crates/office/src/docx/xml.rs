//! The small pieces of WordprocessingML every part is built from: text
//! escaped for XML (and stripped of the characters XML 1.0 cannot carry at
//! all, so a stray control character in a unit name cannot make Word refuse
//! the whole file), runs with their line breaks and tabs, font choices that
//! name the same face for East Asian and Latin text, and the width of a
//! string in character cells, which the layout needs to place the
//! signature and to fit the red header on one line.

/// The WordprocessingML namespace declarations every Word part carries.
pub const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
);

/// The XML declaration every part starts with.
pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Whether XML 1.0 can carry the character at all. Control characters other
/// than tab, line feed and carriage return cannot be written even as
/// character references, so they are dropped rather than escaped.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

/// Text escaped for an XML element or a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// `w:rFonts` naming one face for every script. Word picks the East Asian
/// face for Chinese characters and the ASCII face for digits and Latin
/// letters; official documents set digits in the same face as the text, and
/// LibreOffice reads the ASCII attribute first, so all four are set.
pub fn fonts(face: &str) -> String {
    let f = escape(face);
    format!(
        r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>"#
    )
}

/// `w:sz` and `w:szCs` for a size in half-points.
pub fn size(half_points: u32) -> String {
    format!(r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#)
}

/// The content of one `w:r`'s text: line feeds become `w:br`, tabs `w:tab`,
/// carriage returns are dropped (a `\r\n` is one break).
fn run_content(text: &str) -> String {
    let mut out = String::new();
    let mut chunk = String::new();
    let flush = |chunk: &mut String, out: &mut String| {
        if !chunk.is_empty() {
            out.push_str(r#"<w:t xml:space="preserve">"#);
            out.push_str(&escape(chunk));
            out.push_str("</w:t>");
            chunk.clear();
        }
    };
    for c in text.chars() {
        match c {
            '\n' => {
                flush(&mut chunk, &mut out);
                out.push_str("<w:br/>");
            }
            '\t' => {
                flush(&mut chunk, &mut out);
                out.push_str("<w:tab/>");
            }
            '\r' => {}
            c => chunk.push(c),
        }
    }
    flush(&mut chunk, &mut out);
    out
}

/// A run of text with optional direct run properties (`rpr` is the inside
/// of `w:rPr`, already in schema order).
pub fn run(text: &str, rpr: &str) -> String {
    if rpr.is_empty() {
        format!("<w:r>{}</w:r>", run_content(text))
    } else {
        format!("<w:r><w:rPr>{rpr}</w:rPr>{}</w:r>", run_content(text))
    }
}

/// A paragraph of one style (`ppr_extra` goes after `w:pStyle` inside
/// `w:pPr`, in schema order) holding one run.
pub fn para(style: &str, ppr_extra: &str, text: &str, rpr: &str) -> String {
    let mut out = String::from("<w:p><w:pPr>");
    if !style.is_empty() {
        out.push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
    }
    out.push_str(ppr_extra);
    out.push_str("</w:pPr>");
    if !text.is_empty() {
        out.push_str(&run(text, rpr));
    }
    out.push_str("</w:p>");
    out
}

/// The width of text in half character cells: a Chinese character or
/// full-width sign takes a whole cell, an ASCII digit, letter or space
/// half of one, as they print in the official faces. The longest line
/// counts when the text has line breaks.
pub fn half_cells(s: &str) -> u32 {
    s.split('\n')
        .map(|line| {
            line.chars()
                .filter(|c| !c.is_control())
                .map(|c| if (c as u32) < 0x2000 { 1 } else { 2 })
                .sum::<u32>()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            escape(r#"A&B <c> "d" 'e'"#),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(escape("盐湖区\u{1}督查室\u{FFFF}"), "盐湖区督查室");
        assert_eq!(escape("一\t二\n"), "一\t二\n");
    }

    #[test]
    fn runs_turn_line_feeds_into_breaks() {
        assert_eq!(
            run("甲\r\n乙\t丙", ""),
            concat!(
                r#"<w:r><w:t xml:space="preserve">甲</w:t><w:br/>"#,
                r#"<w:t xml:space="preserve">乙</w:t><w:tab/>"#,
                r#"<w:t xml:space="preserve">丙</w:t></w:r>"#
            )
        );
    }

    #[test]
    fn widths_count_ascii_as_half_a_cell() {
        assert_eq!(half_cells("2024年10月8日"), 13);
        assert_eq!(half_cells("督查室"), 6);
        assert_eq!(half_cells("第一行\n长一点的第二行"), 14);
        assert_eq!(half_cells(""), 0);
    }
}
