//! Document metadata: 发文字号, title, issuers, 成文日期, kind and the
//! publication marker, read from a document's header and signature block.

use crate::heading::numeral_value;
use crate::layout::{header_title_line, is_issuer, DocLines, Kind, Line};
use crate::model::Document;
use chrono::NaiveDate;

/// Kinds of document, longest first so that `实施意见` wins over `意见`.
const KINDS: [&str; 19] = [
    "实施意见",
    "实施细则",
    "通知",
    "通报",
    "批复",
    "复函",
    "函",
    "通告",
    "公告",
    "意见",
    "办法",
    "细则",
    "方案",
    "规划",
    "报告",
    "预案",
    "决定",
    "规定",
    "纪要",
];

/// A squeezed line that is only a date: `2023年1月6日`, `二〇二二年三月二十二日`.
pub fn parse_date_line(t: &str) -> Option<NaiveDate> {
    if !t.ends_with('日') || t.len() > 48 || !t.contains('年') {
        return None;
    }
    let chars: Vec<char> = t.chars().collect();
    let (y, rest) = split_num(&chars, '年')?;
    let (m, rest) = split_num(rest, '月')?;
    let (d, rest) = split_num(rest, '日')?;
    if !rest.is_empty() || !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

fn split_num(s: &[char], unit: char) -> Option<(u32, &[char])> {
    let pos = s.iter().position(|&c| c == unit)?;
    let digits = &s[..pos];
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let value = if digits.len() == 4 && !digits.iter().all(|c| c.is_ascii_digit()) {
        // 二〇二二: digit by digit.
        digits
            .iter()
            .try_fold(0u32, |acc, &c| Some(acc * 10 + numeral_value(&[c])?))?
    } else {
        numeral_value(digits)?
    };
    Some((value, &s[pos + 1..]))
}

/// The publication marker of a squeezed line such as `（此件公开发布）`.
pub fn is_publication(t: &str) -> Option<String> {
    let inner = t
        .strip_prefix(['（', '('])
        .and_then(|s| s.strip_suffix(['）', ')']))?;
    let n = inner.chars().count();
    ((4..=14).contains(&n)
        && (inner.contains("公开") || inner.contains("发布") || inner.starts_with("此件")))
    .then(|| inner.to_string())
}

/// The kind of a document from its title.
pub fn kind_of(title: &str, number: Option<&str>) -> Option<String> {
    if title.contains("任免")
        || title.contains("任职")
        || number.is_some_and(|n| n.contains("任字"))
    {
        return Some("任免".to_string());
    }
    let t = title.trim_end_matches(['）', ')']);
    KINDS
        .iter()
        .find(|k| t.ends_with(*k))
        .map(|k| k.to_string())
}

/// Reads the metadata of one document (its spans and tasks are left empty).
pub fn read(lines: &[Line], doc: &DocLines) -> Document {
    let mut meta = Document::default();
    let order = &doc.lines;
    let Some(&first) = order.first() else {
        return meta;
    };
    let mut pos = 0;
    if doc.has_header {
        let t = header_title_line(lines, first).unwrap_or(first);
        // Issuer lines, then the title lines.
        // A number printed above the title (the standard layout).
        let mut number_above = None;
        for &i in order.iter().take_while(|&&i| i != t) {
            if lines[i].number.is_some() {
                number_above = number_above.or_else(|| lines[i].number.clone());
                continue;
            }
            // Joint issuers printed on one line, a space apart.
            let parts: Vec<String> = lines[i]
                .raw
                .split_whitespace()
                .map(crate::normalize::squeeze)
                .collect();
            if parts.len() > 1 && parts.iter().all(|p| is_issuer(p)) {
                meta.issuer.extend(parts);
            } else {
                let t = &lines[i].squeezed;
                // The red header `…人民政府办公室文件` names the issuer.
                meta.issuer
                    .push(t.strip_suffix("文件").unwrap_or(t).to_string());
            }
        }
        let mut title = String::new();
        let head = &lines[t].squeezed;
        // `运城市人民政府 关于…` prints the issuer apart; a title run
        // together with its issuer (`东川市人民政府关于…`) keeps it.
        match crate::layout::title_start(head) {
            Some(p) if p > 0 => {
                if !meta.issuer.iter().any(|i| i == &head[..p]) {
                    meta.issuer.push(head[..p].to_string());
                }
                let raw = lines[t].raw.trim();
                let apart = raw.contains(" 关于") || raw.contains("\u{3000}关于");
                title.push_str(if apart { &head[p..] } else { head });
            }
            _ => title.push_str(head),
        }
        meta.number = number_above;
        pos = order.iter().position(|&i| i == t).map_or(1, |p| p + 1);
        while pos < order.len() && pos < 8 && !title_complete(&title) {
            let l = &lines[order[pos]].squeezed;
            if lines[order[pos]].number.is_some()
                || l.ends_with('：')
                || l.contains('，')
                || l.contains('。')
            {
                break;
            }
            title.push_str(l);
            pos += 1;
        }
        meta.title = Some(title);
    } else if let Some(i) = standalone_title(lines, order) {
        // A document without a gazette header (a 政府工作报告 heading a
        // gazette, a document as an office issues it).
        meta.title = Some(lines[i].squeezed.clone());
    }
    if meta.number.is_none() {
        if let Some(k) = own_number(lines, order, pos) {
            meta.number = lines[order[k]].number.clone();
        }
    }
    // The signature date: the first date line that follows an issuer line
    // (or any date line, failing that).
    let mut fallback = None;
    for (k, &i) in order.iter().enumerate().skip(pos) {
        if let Some(d) = lines[i].date {
            let after_issuer = k > 0 && is_issuer(&lines[order[k - 1]].squeezed);
            if after_issuer {
                meta.date = Some(d);
                break;
            }
            fallback = fallback.or(Some(d));
        }
    }
    meta.date = meta.date.or(fallback).or_else(|| {
        order
            .iter()
            .take(8)
            .find_map(|&i| subtitle_date(&lines[i].squeezed))
    });
    meta.publication = order
        .iter()
        .find_map(|&i| is_publication(&lines[i].squeezed));
    meta.kind = meta
        .title
        .as_deref()
        .and_then(|t| kind_of(t, meta.number.as_deref()));
    meta
}

/// The title of a document printed as offices issue it, without a
/// gazette header: the 版头 (`…文件`) and the 发文字号 come first, then the
/// title, usually `关于…`. The first short line that starts with 关于 among
/// the first few, else the first short line that is neither a 发文字号 nor
/// a 版头.
fn standalone_title(lines: &[Line], order: &[usize]) -> Option<usize> {
    let short = |i: usize| {
        let t = &lines[i].squeezed;
        t.chars().count() <= 40 && !t.contains(['，', '。', '；']) && lines[i].kind == Kind::Text
    };
    let head: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| !lines[i].squeezed.is_empty() && !is_masthead(&lines[i].squeezed))
        .take(6)
        .collect();
    head.iter()
        .copied()
        .find(|&i| {
            short(i) && lines[i].squeezed.starts_with("关于") && !lines[i].squeezed.ends_with('：')
        })
        .or_else(|| {
            head.iter().copied().take(3).find(|&i| {
                short(i) && lines[i].number.is_none() && !lines[i].squeezed.ends_with("文件")
            })
        })
}

/// A gazette's masthead line: `运城市人民政府公报`, `2024年第1期`, `（总第85期）`.
fn is_masthead(t: &str) -> bool {
    let t = t.trim_matches(['（', '）', '(', ')']);
    t.ends_with("公报") || (t.ends_with('期') && t.contains('第') && t.chars().count() <= 14)
}

/// The date of a report's subtitle: `——2024年1月18日在河东市第五届人民代表大会
/// 第四次会议上`.
fn subtitle_date(t: &str) -> Option<NaiveDate> {
    let rest = t.trim_start_matches(['—', '-', '－', '─']);
    if rest.len() == t.len() || !rest.contains('在') || !rest.ends_with('上') {
        return None;
    }
    let end = rest.find('日')? + '日'.len_utf8();
    parse_date_line(&rest[..end])
}

/// Which number line (a position in `order`, from `from` on) is the
/// document's own: the first that does not break into a sentence. A
/// number that stands between an unfinished line and its continuation was
/// printed for another document whose page turned there.
pub fn own_number(lines: &[Line], order: &[usize], from: usize) -> Option<usize> {
    let found: Vec<usize> = (from..order.len().min(from + 60))
        .filter(|&k| lines[order[k]].number.is_some())
        .collect();
    found
        .iter()
        .copied()
        .find(|&k| !interrupts_sentence(lines, order, k))
        .or_else(|| found.first().copied())
}

/// Does the line at `order[k]` stand inside a sentence (the text line
/// before it unfinished)?
pub fn interrupts_sentence(lines: &[Line], order: &[usize], k: usize) -> bool {
    k > 0 && {
        let p = &lines[order[k - 1]];
        !crate::layout::ends_sentence(&p.squeezed)
            && p.date.is_none()
            && p.number.is_none()
            && !p.publication
            && !is_issuer(&p.squeezed)
            && !title_complete(&p.squeezed)
    }
}

/// Does a title end as a complete document title (`…的通知`)?
pub fn title_complete(t: &str) -> bool {
    let t = t.trim_end_matches(['）', ')']);
    t.ends_with("通知")
        || t.ends_with("批复")
        || t.ends_with("意见")
        || t.ends_with("决定")
        || t.ends_with("函")
        || t.ends_with("通报")
        || t.ends_with("通告")
        || t.ends_with("报告")
        || t.ends_with("命令")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_markers() {
        assert_eq!(
            parse_date_line("2023年1月6日"),
            NaiveDate::from_ymd_opt(2023, 1, 6)
        );
        assert_eq!(
            parse_date_line("二〇二二年三月二十二日"),
            NaiveDate::from_ymd_opt(2022, 3, 22)
        );
        assert_eq!(parse_date_line("2023年2月30日"), None);
        assert_eq!(parse_date_line("2023年1月6日在会上"), None);
        assert_eq!(
            subtitle_date("——2024年1月18日在河东市第五届人民代表大会第四次会议上"),
            NaiveDate::from_ymd_opt(2024, 1, 18)
        );
        assert_eq!(subtitle_date("2024年1月18日在会议上"), None);
        assert!(is_masthead("河东市人民政府公报") && is_masthead("2024年第1期"));
        assert_eq!(
            is_publication("（此件公开发布）").as_deref(),
            Some("此件公开发布")
        );
        assert_eq!(is_publication("（市教育局负责）"), None);
        assert_eq!(
            kind_of("关于加强节粮减损工作的实施意见", None).as_deref(),
            Some("实施意见")
        );
        assert_eq!(
            kind_of("关于吕志中等人任免职务的通知", None).as_deref(),
            Some("任免")
        );
    }
}
