//! The gazette's 目录 as a recall check: every number it lists comes out
//! as a document, or a warning says which did not and why. A document
//! whose own number line was not found but whose title the 目录 lists
//! takes the number from there, with a warning saying so.

use crate::layout::{ContentsEntry, Line};
use crate::model::{Document, Warning};
use crate::pairing::same_title;

/// Fills numbers from the 目录 and warns for its entries that did not come
/// out as documents.
pub fn check(
    contents: &[ContentsEntry],
    lines: &[Line],
    docs: &mut [Document],
    warnings: &mut Vec<Warning>,
) {
    for e in contents {
        if docs
            .iter()
            .any(|d| d.number.as_deref() == Some(e.number.as_str()))
        {
            continue;
        }
        let titled = docs.iter_mut().find(|d| {
            d.number.is_none() && d.title.as_deref().is_some_and(|t| same_title(t, &e.title))
        });
        if let Some(d) = titled {
            d.number = Some(e.number.clone());
            warnings.push(Warning {
                line: d.spans.first().map_or(0, |s| s[0]),
                message: format!(
                    "《{}》正文中未找到发文字号，已按目录（第{}行）取为 {}",
                    e.title, e.line, e.number
                ),
            });
            continue;
        }
        let why = match lines.iter().find(|l| {
            l.kind != crate::layout::Kind::Contents && l.squeezed.contains(e.number.as_str())
        }) {
            Some(l) if l.number.is_some() => {
                format!("正文第{}行印有此文号，但未能确定该文件从何处开始", l.no)
            }
            Some(l) => format!("正文第{}行引用了此文号，但未找到该文件本身", l.no),
            None => "正文中未出现此文号，也未找到此标题，可能缺页".to_string(),
        };
        warnings.push(Warning {
            line: e.line,
            message: format!("目录列有 {}《{}》，{}", e.number, e.title, why),
        });
    }
}
