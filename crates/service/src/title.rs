//! The title a proposal is confirmed under unless the office types its
//! own: the task's text without its list number (`9.`, `（一）`, `1、`,
//! `第三条`), cut at the end of its first sentence or, for a long one, at a
//! clause end — never inside a number, a Latin word or a bracket.

/// The longest proposed title, in characters.
pub const MAX: usize = 40;

/// The list number a text starts with, in characters.
fn marker_len(s: &[char]) -> usize {
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let cn = |c: char| "一二三四五六七八九十百零〇".contains(c);
    let mut i = 0;
    // 第三条 / 第3条
    if s.first() == Some(&'第') {
        let mut k = 1;
        while k < s.len() && (digit(s[k]) || cn(s[k])) {
            k += 1;
        }
        if k > 1 && k < s.len() && "条章节部分项".contains(s[k]) {
            return k + 1;
        }
    }
    // （一） (1) 【1】
    if matches!(s.first(), Some('（' | '(' | '【' | '[')) {
        let mut k = 1;
        while k < s.len() && (digit(s[k]) || cn(s[k])) {
            k += 1;
        }
        if k > 1 && k < s.len() && matches!(s[k], '）' | ')' | '】' | ']') {
            return k + 1;
        }
        return 0;
    }
    // ① …
    if s.first().is_some_and(|c| ('①'..='⑳').contains(c)) {
        return 1;
    }
    // 1. 1、 1.2.3 一、
    while i < s.len() && (digit(s[i]) || cn(s[i])) {
        i += 1;
    }
    if i == 0 || i > 6 {
        return 0;
    }
    let mut k = i;
    while k + 1 < s.len() && matches!(s[k], '.' | '．') && digit(s[k + 1]) {
        k += 1;
        while k < s.len() && digit(s[k]) {
            k += 1;
        }
    }
    match s.get(k) {
        Some('.' | '．' | '、' | '，' | ')' | '）') => k + 1,
        Some(' ' | '　') if k > i || s[..i].iter().all(|c| digit(*c)) => k,
        _ => 0,
    }
}

/// The proposed title of a task's text.
pub fn proposed(text: &str) -> String {
    let clean: String = text.replace("**", "");
    let mut s: Vec<char> = clean.trim().chars().collect();
    // A second marker follows the first in some items (`1.（1）`).
    for _ in 0..2 {
        let n = marker_len(&s);
        if n == 0 {
            break;
        }
        s.drain(..n);
        while s.first().is_some_and(|c| c.is_whitespace()) {
            s.remove(0);
        }
    }
    let ends = |c: char| matches!(c, '。' | '；' | '！' | '？' | ';');
    // The first sentence, when it fits.
    if let Some(e) = s.iter().position(|c| ends(*c)) {
        if e <= MAX {
            return s[..e].iter().collect();
        }
    }
    if s.len() <= MAX {
        return s
            .iter()
            .collect::<String>()
            .trim_end_matches(ends)
            .to_string();
    }
    // A clause end within the limit, outside brackets, not too early.
    let mut depth = 0i32;
    let mut best = None;
    for (i, c) in s.iter().take(MAX).enumerate() {
        match c {
            '（' | '(' | '《' | '“' | '【' => depth += 1,
            '）' | ')' | '》' | '”' | '】' => depth -= 1,
            '，' | '、' | '：' | ',' if depth == 0 && i >= 8 => best = Some(i),
            _ => {}
        }
    }
    if let Some(b) = best {
        return s[..b].iter().collect();
    }
    // No clause end: cut before the last bracket, number or Latin word that
    // would be split.
    let mut cut = MAX;
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '%' | '％');
    while cut > 8 && word(s[cut - 1]) && s.get(cut).is_some_and(|c| word(*c)) {
        cut -= 1;
    }
    let open = s[..cut]
        .iter()
        .rposition(|c| matches!(c, '（' | '(' | '《' | '“'));
    let close = s[..cut]
        .iter()
        .rposition(|c| matches!(c, '）' | ')' | '》' | '”'));
    if let Some(o) = open {
        if close.is_none_or(|c| c < o) && o >= 8 {
            cut = o;
        }
    }
    let mut t: String = s[..cut].iter().collect();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_numbers_go_and_titles_end_at_a_clause() {
        let cases = [
            ("9.推进数字政府建设。完善一网通办。", "推进数字政府建设"),
            ("（一）推动科技创新资源开放", "推动科技创新资源开放"),
            ("1、建立台账；按月调度", "建立台账"),
            ("二、 编制过程", "编制过程"),
            ("第三条 本办法自发布之日起施行。", "本办法自发布之日起施行"),
            ("**（三）深化科技社团改革**", "深化科技社团改革"),
            ("2024年完成改造任务", "2024年完成改造任务"),
            ("3.5万户完成改造", "3.5万户完成改造"),
            (
                "优化运营管理和开放共享考核制度，加大重大科技基础设施、大型科学仪器向社会开放力度，建立绿色通道",
                "优化运营管理和开放共享考核制度，加大重大科技基础设施",
            ),
        ];
        for (text, title) in cases {
            assert_eq!(proposed(text), title, "{text}");
        }
        let long = proposed("加快推进城市更新行动中老旧小区改造项目和城市地下管网更新改造工程建设以及配套设施完善提升工作（ABCDEFG）");
        assert!(
            long.ends_with('…') && long.chars().count() <= MAX + 1,
            "{long}"
        );
        assert!(!long.contains('（'), "{long}");
    }
}
