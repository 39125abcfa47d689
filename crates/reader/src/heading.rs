//! Heading markers at the start of a paragraph: `一、` `（一）` `1.` `1、`
//! `（1）` `①` `第X章` `第X节` `第X条` and decimal headings (`4.3.1`), with
//! the care needed not to take `4.4家企业`, `3.0版` or a wrapped `（市、区）`
//! for a heading.

/// The numbering family of a heading; numbers run within a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// 第X章
    Chapter,
    /// 第X节
    Section,
    /// 一、
    Chinese,
    /// （一）
    ParenChinese,
    /// 第X条
    Article,
    /// 1. 1、 1．
    Arabic,
    /// 4.3.1 (depth 2 or more)
    Decimal,
    /// （1）
    ParenArabic,
    /// ① ②
    Circled,
}

/// A heading marker found at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub family: Family,
    /// The ordinal (for decimal headings, the last component).
    pub ordinal: u32,
    /// Decimal depth (`4.3.1` is 3); 1 for every other family.
    pub depth: u8,
    /// The marker as printed, e.g. `（一）`, `1.`, `第三条`.
    pub text: String,
    /// Length of the marker in chars (including a following space).
    pub len: usize,
}

/// Value of a Chinese numeral of up to two digits (一 … 九十九), or of a
/// run of ASCII digits.
pub fn numeral_value(s: &[char]) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.iter().all(|c| c.is_ascii_digit()) {
        if s.len() > 4 {
            return None;
        }
        return s
            .iter()
            .try_fold(0u32, |acc, c| Some(acc * 10 + c.to_digit(10)?));
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total = 0u32;
    let mut current = 0u32;
    for &c in s {
        match c {
            '十' => {
                total += if current == 0 { 10 } else { current * 10 };
                current = 0;
            }
            '百' => {
                total += if current == 0 { 100 } else { current * 100 };
                current = 0;
            }
            _ => current = digit(c)?,
        }
    }
    Some(total + current)
}

fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '〇'
            | '零'
            | '两'
    )
}

/// Measure words and units that follow a number in running text, so that
/// `4.4家企业` and `3.0版` are not read as headings.
fn is_measure(c: char) -> bool {
    "家个万亿元吨米台项座户件次名人年月日天份所条处栋辆套张倍公亩千百平立度版期批代级类号型"
        .contains(c)
}

/// Reads the heading marker at the start of `text`, if there is one.
pub fn parse(text: &[char]) -> Option<Marker> {
    let t = text;
    let first = *t.first()?;
    let mk = |family, ordinal, len: usize, depth| {
        let mut len = len;
        let text: String = t[..len].iter().collect();
        while t.get(len).is_some_and(|c| c.is_whitespace()) {
            len += 1;
        }
        Some(Marker {
            family,
            ordinal,
            depth,
            text,
            len,
        })
    };
    // ① … ⑳
    if ('①'..='⑳').contains(&first) {
        return mk(Family::Circled, first as u32 - '①' as u32 + 1, 1, 1);
    }
    // 第X章 / 第X节 / 第X条
    if first == '第' {
        let n = t[1..]
            .iter()
            .take_while(|&&c| is_cn_numeral(c) || c.is_ascii_digit())
            .count();
        if n > 0 && n <= 4 {
            let fam = match t.get(1 + n) {
                Some('章') => Family::Chapter,
                Some('节') => Family::Section,
                Some('条') => Family::Article,
                _ => return None,
            };
            // `第十四条` must be followed by a space or text, not by `规定` etc.
            let after = t.get(2 + n).copied();
            if fam == Family::Article
                && matches!(
                    after,
                    Some('规' | '的' | '第' | '、' | '，' | '和' | '至' | '中' | '所')
                )
            {
                return None;
            }
            return mk(fam, numeral_value(&t[1..1 + n])?, 2 + n, 1);
        }
        return None;
    }
    // 一、
    if is_cn_numeral(first) {
        let n = t.iter().take_while(|&&c| is_cn_numeral(c)).count();
        if n <= 3 && t.get(n) == Some(&'、') {
            return mk(Family::Chinese, numeral_value(&t[..n])?, n + 1, 1);
        }
        return None;
    }
    // （一） （1）
    if first == '（' || first == '(' {
        let n = t[1..]
            .iter()
            .take_while(|&&c| is_cn_numeral(c) || c.is_ascii_digit())
            .count();
        if n == 0 || n > 3 {
            return None;
        }
        if !matches!(t.get(1 + n), Some('）' | ')')) {
            return None;
        }
        let digits = &t[1..1 + n];
        let fam = if digits.iter().all(|c| c.is_ascii_digit()) {
            Family::ParenArabic
        } else if digits.iter().all(|&c| is_cn_numeral(c)) {
            Family::ParenChinese
        } else {
            return None;
        };
        return mk(fam, numeral_value(digits)?, n + 2, 1);
    }
    // 1. 1、 1． 4.3.1
    if first.is_ascii_digit() {
        let mut comps = 0;
        let mut i = 0;
        let mut last;
        loop {
            let n = t[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 3 {
                return None;
            }
            last = numeral_value(&t[i..i + n])?;
            comps += 1;
            i += n;
            match t.get(i) {
                Some('.' | '．') if t.get(i + 1).is_some_and(|c| c.is_ascii_digit()) => i += 1,
                _ => break,
            }
        }
        let sep = t.get(i).copied();
        if comps >= 2 {
            // 4.3.1 标题 / 4.3 标题: a decimal heading needs a space or
            // a following Chinese word that is not a measure (4.4家企业).
            let (after, len) = match sep {
                Some('.' | '．' | '、') => (t.get(i + 1).copied(), i + 1),
                _ => (sep, i),
            };
            let ok = match after {
                Some(c) if c.is_whitespace() => {
                    comps >= 2 && t.get(len + 1).is_some_and(|c| !c.is_ascii_digit())
                }
                Some(c) => comps >= 3 && !is_measure(c) && !c.is_ascii_alphanumeric() && c != '%',
                None => false,
            };
            return if ok {
                mk(Family::Decimal, last, len, comps)
            } else {
                None
            };
        }
        match sep {
            Some('.' | '．' | '、') => {
                let after = t.get(i + 1).copied();
                // `1.5万亩` is a number, `2.0版` too; `1.推进` is a heading.
                if after.is_some_and(|c| c.is_ascii_digit() || c == '%') {
                    return None;
                }
                return mk(Family::Arabic, last, i + 1, 1);
            }
            _ => return None,
        }
    }
    None
}

/// Inline enumerations inside a paragraph, `一是…二是…三是…` (also
/// `一要…二要…`): the start of each part, in order. Only a run that starts at
/// 一 and counts up without a gap, two parts or more, is returned.
pub fn inline_items(text: &[char]) -> Vec<usize> {
    for verb in ['是', '要'] {
        let mut starts = Vec::new();
        let mut want = 1u32;
        let mut i = 0;
        while i + 1 < text.len() {
            let n = text[i..].iter().take_while(|&&c| is_cn_numeral(c)).count();
            if n > 0 && n <= 2 && text.get(i + n) == Some(&verb) {
                let before = i.checked_sub(1).map(|j| text[j]);
                // A part starts a clause: after punctuation or at the start.
                let at_clause = before.is_none_or(|c| {
                    matches!(c, '。' | '；' | '，' | '：' | '、') || c.is_whitespace()
                });
                if at_clause && numeral_value(&text[i..i + n]) == Some(want) {
                    starts.push(i);
                    want += 1;
                }
                i += n + 1;
                continue;
            }
            i += 1;
        }
        if starts.len() >= 2 {
            return starts;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(Family, u32, String)> {
        let c: Vec<char> = s.chars().collect();
        parse(&c).map(|m| (m.family, m.ordinal, m.text))
    }

    #[test]
    fn markers() {
        use Family::*;
        let yes = [
            ("一、指导思想", Chinese, 1, "一、"),
            ("十二、保障", Chinese, 12, "十二、"),
            ("（一）打造公平", ParenChinese, 1, "（一）"),
            ("（十三）促进", ParenChinese, 13, "（十三）"),
            ("1.破除妨碍", Arabic, 1, "1."),
            ("12、沿线", Arabic, 12, "12、"),
            ("（3）煤矿", ParenArabic, 3, "（3）"),
            ("②加强", Circled, 2, "②"),
            ("第十四条 决策", Article, 14, "第十四条"),
            ("第二章 总则", Chapter, 2, "第二章"),
            ("4.3.1 完善", Decimal, 1, "4.3.1"),
            ("16. 维修", Arabic, 16, "16."),
        ];
        for (s, fam, n, text) in yes {
            assert_eq!(p(s), Some((fam, n, text.to_string())), "{s}");
        }
        for s in [
            "4.4家企业",
            "3.0版",
            "（市、区）人民政府",
            "2023年底前",
            "1.5万亩",
            "第十四条规定",
            "三是加强",
            "一年）；",
        ] {
            assert_eq!(p(s), None, "{s}");
        }
    }

    #[test]
    fn inline_enumerations() {
        let starts = |s: &str| inline_items(&s.chars().collect::<Vec<_>>());
        assert_eq!(
            starts("加强保障。一是保障用地，二是保障用能；三是保障资金。"),
            vec![5, 12, 19]
        );
        assert_eq!(starts("一要理顺属性。二要实施改造。"), vec![0, 7]);
        // One part alone, a gap, or 是 inside a word: no enumeration.
        assert!(starts("一是保障用地。").is_empty());
        assert!(starts("一是保障用地，三是保障资金。").is_empty());
        assert!(starts("这一是非问题，二是").is_empty());
    }
}
