//! Character-level clean-up of repaired text: full-width digits and letters
//! to ASCII, half-width Chinese punctuation and brackets to full width,
//! markdown bold and HTML residue removed, and the letter-spacing that PDF
//! extraction leaves inside Chinese words (`政 府 工 作 报 告`) closed up.
//! Every step keeps the [`Spanned`] line map.

use crate::span::Spanned;

/// Is `c` a CJK ideograph (or the ideographic zero 〇)?
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '〇')
}

/// Is `c` full-width Chinese punctuation or a CJK bracket?
pub fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '（'
            | '）'
            | '［'
            | '］'
            | '〔'
            | '〕'
            | '《'
            | '》'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '【'
            | '】'
            | '—'
            | '…'
            | '·'
    )
}

/// One-for-one character folding: full-width ASCII to ASCII (digits,
/// letters, `%`, `.`), ideographic space to space.
pub fn fold_width(c: char) -> char {
    match c {
        '０'..='９'
        | 'Ａ'..='Ｚ'
        | 'ａ'..='ｚ'
        | '％'
        | '．'
        | '＋'
        | '／'
        | '＝'
        | '＜'
        | '＞' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{a0}' | '\t' => ' ',
        _ => c,
    }
}

/// Cleans one stretch of text in place: folds widths, strips markup,
/// closes up letter-spacing and makes Chinese punctuation full-width.
pub fn clean(s: &mut Spanned) {
    for c in s.chars_mut() {
        *c = fold_width(*c);
    }
    strip_markup(s);
    close_spacing(s);
    full_width_punct(s);
}

/// Removes markdown bold/italic markers and HTML tags and entities.
fn strip_markup(s: &mut Spanned) {
    let chars = s.chars().to_vec();
    if !chars
        .iter()
        .any(|&c| c == '*' || c == '<' || c == '&' || c == '_')
    {
        return;
    }
    let mut drop = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' | '_' if chars.get(i + 1) == Some(&chars[i]) => {
                drop[i] = true;
                drop[i + 1] = true;
                i += 2;
                continue;
            }
            '<' => {
                // An HTML tag: `<` a letter or `/`, up to `>` within 40 chars.
                if let Some(&n) = chars.get(i + 1) {
                    if n.is_ascii_alphabetic() || n == '/' || n == '!' {
                        if let Some(len) = chars[i..].iter().take(40).position(|&c| c == '>') {
                            drop[i..=i + len].iter_mut().for_each(|d| *d = true);
                            i += len + 1;
                            continue;
                        }
                    }
                }
            }
            '&' => {
                if let Some(len) = chars[i..].iter().take(8).position(|&c| c == ';') {
                    let name: String = chars[i + 1..i + len].iter().collect();
                    if matches!(
                        name.as_str(),
                        "nbsp" | "amp" | "lt" | "gt" | "quot" | "ldquo" | "rdquo"
                    ) || name.starts_with('#')
                    {
                        drop[i..=i + len].iter_mut().for_each(|d| *d = true);
                        i += len + 1;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.retain(|i, _| !drop[i]);
}

/// Removes spaces except between two ASCII letters or digits (`GDP 增长`
/// keeps none, `NO. 1` keeps one, `政 府` none).
fn close_spacing(s: &mut Spanned) {
    if !s.chars().iter().any(|c| c.is_whitespace()) {
        return;
    }
    let chars = s.chars().to_vec();
    let mut keep = vec![true; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            let ascii_both = matches!((before, after), (Some(b), Some(a))
                if (b.is_ascii_alphanumeric() || b == '.') && a.is_ascii_alphanumeric());
            for (k, slot) in keep.iter_mut().enumerate().take(i).skip(start) {
                *slot = ascii_both && k == start;
            }
        } else {
            i += 1;
        }
    }
    s.retain(|i, _| keep[i]);
}

/// Half-width punctuation next to Chinese text becomes full width;
/// brackets always do (`(`→`（`, `[`→`［`).
fn full_width_punct(s: &mut Spanned) {
    if !s.chars().iter().any(|c| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '【' | '】' | ',' | ';' | ':' | '?' | '!'
        )
    }) {
        return;
    }
    let n = s.len();
    let chars = s.chars().to_vec();
    let near_cjk = |i: usize| {
        let b = i.checked_sub(1).map(|j| chars[j]);
        let a = chars.get(i + 1).copied();
        b.is_some_and(|c| is_cjk(c) || is_cjk_punct(c))
            || a.is_some_and(|c| is_cjk(c) || is_cjk_punct(c))
    };
    let out = s.chars_mut();
    for i in 0..n {
        out[i] = match chars[i] {
            '(' => '（',
            ')' => '）',
            '[' => '［',
            ']' => '］',
            '【' => '［',
            '】' => '］',
            ',' if near_cjk(i) => '，',
            ';' if near_cjk(i) => '；',
            ':' if near_cjk(i) => '：',
            '?' if near_cjk(i) => '？',
            '!' if near_cjk(i) => '！',
            c => c,
        };
    }
}

/// A line without the markdown a web page's conversion leaves around it:
/// a leading heading mark (`## `) and bold or italic markers (`**…**`).
/// Such marks are never text of an official document.
pub fn strip_line_markup(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    if !b.contains(&b'*') && !b.contains(&b'#') && !b.contains(&b'_') {
        return std::borrow::Cow::Borrowed(s);
    }
    let t = s.trim_start();
    let hashes = t.chars().take_while(|&c| c == '#').count();
    let body = if (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\u{3000}']) {
        &t[hashes..]
    } else {
        s
    };
    if body.contains("**") || body.contains("__") {
        std::borrow::Cow::Owned(body.replace("**", "").replace("__", ""))
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// The text with all whitespace removed (titles, numbers, unit names).
pub fn squeeze(s: &str) -> String {
    if !s.chars().any(char::is_whitespace) {
        return s.to_string();
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> String {
        let mut s = Spanned::from_line(input, 1);
        clean(&mut s);
        s.text()
    }

    #[test]
    fn cleans_text() {
        let cases = [
            ("政 府 工 作 报 告", "政府工作报告"),
            ("陈 杰", "陈杰"),
            ("GDP 增长 8.5%", "GDP增长8.5%"),
            ("NO. 1 智创城", "NO. 1智创城"),
            ("第 18 次常务会议", "第18次常务会议"),
            ("**责任单位**:区发改局", "责任单位：区发改局"),
            ("投资(万元)", "投资（万元）"),
            ("２０２３年ＡＢ", "2023年AB"),
            ("<p>任务</p>&nbsp;分解", "任务分解"),
            ("[牵头单位:市司法局]", "［牵头单位：市司法局］"),
            ("1,285.38 平方米", "1,285.38平方米"),
        ];
        for (input, want) in cases {
            assert_eq!(run(input), want, "input {input:?}");
        }
    }
}
