//! What a document says of other documents and of its own life: the
//! documents it cites (`根据《…》（国办发〔2022〕5号）`), repeals
//! (`原《…》（…〔2016〕40号）同时废止`) or amends (`对《…》作如下修改`), and
//! how long it is valid (`自印发之日起施行，有效期5年`, `有效期至2025年12月31日`).
//!
//! A citation is a `《title》`, a 发文字号, or a title with its number in the
//! bracket after it; its relation comes from the sentence holding it: a
//! sentence that says 废止 (or 停止执行, 不再执行) repeals what it names
//! before that word, one that says 作如下修改 (修订) amends it, any other
//! cites it. The document's own number, and the title of what a notice
//! issues (`现将《…》印发给你们`) are not citations.

use crate::header::parse_date_line;
use crate::model::{Citation, Relation, Validity};
use crate::span::{spans_of, Spanned};
use chrono::{Datelike, Days, NaiveDate};

/// The citations and the validity a document's paragraphs state.
/// `own` is the document's own 发文字号, `date` its 成文日期 (the day an
/// `自印发之日起施行` refers to).
pub fn read(
    paras: &[Spanned],
    own: Option<&str>,
    own_title: Option<&str>,
    date: Option<NaiveDate>,
) -> (Vec<Citation>, Option<Validity>) {
    let mut out: Vec<Citation> = Vec::new();
    let mut validity: Option<Validity> = None;
    for p in paras {
        let chars = p.chars();
        for (a, b) in sentences(chars) {
            let s = &chars[a..b];
            for mut c in in_sentence(s, own) {
                // What a notice issues (`关于印发《…》的通知`) is itself.
                if c.number.is_none()
                    && c.title
                        .as_deref()
                        .is_some_and(|t| own_title.is_some_and(|o| o.contains(t)))
                {
                    continue;
                }
                c.spans = spans_of(
                    (a + c.spans[0][0] as usize..a + c.spans[0][1] as usize + 1)
                        .filter_map(|i| p.line_at(i)),
                );
                if !out.iter().any(|o| same(o, &c)) {
                    out.push(c);
                } else if let Some(o) = out.iter_mut().find(|o| same(o, &c)) {
                    // A later sentence may repeal what an earlier one cited.
                    if o.relation == Relation::Cites && c.relation != Relation::Cites {
                        o.relation = c.relation;
                    }
                    if o.title.is_none() {
                        o.title = c.title.clone();
                    }
                }
            }
            if validity.is_none() {
                validity = validity_in(s, date).map(|mut v| {
                    v.spans = spans_of((a..b).filter_map(|i| p.line_at(i)));
                    v
                });
            }
        }
    }
    (out, validity)
}

/// Two citations of one document: the same number, or the same title where
/// either has no number.
fn same(a: &Citation, b: &Citation) -> bool {
    match (&a.number, &b.number) {
        (Some(x), Some(y)) => x == y,
        _ => a.title.is_some() && a.title == b.title,
    }
}

/// Sentence ranges: cut after `。；！？` outside brackets.
fn sentences(s: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut depth) = (0, 0i32);
    for (i, &c) in s.iter().enumerate() {
        match c {
            '《' | '（' | '(' => depth += 1,
            '》' | '）' | ')' => depth = (depth - 1).max(0),
            '。' | '；' | '！' | '？' if depth == 0 => {
                out.push((start, i + 1));
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push((start, s.len()));
    }
    out
}

/// Words a sentence repeals with, and the words that amend.
const REPEALS: [&str; 4] = ["废止", "停止执行", "不再执行", "同时失效"];
const AMENDS: [&str; 6] = [
    "作如下修改",
    "修改如下",
    "作如下修订",
    "修订如下",
    "予以修改",
    "进行修改",
];
/// A notice issuing the document it names: that title is its own attachment.
const ISSUES: [&str; 5] = ["印发给你们", "现印发", "印发你们", "现予印发", "印发给各"];

fn find(s: &[char], w: &str) -> Option<usize> {
    let w: Vec<char> = w.chars().collect();
    s.windows(w.len()).position(|x| x == w.as_slice())
}

/// The citations of one sentence, their spans as char offsets into it
/// (`[first, last]`, mapped to lines by the caller).
fn in_sentence(s: &[char], own: Option<&str>) -> Vec<Citation> {
    let repeal_at = REPEALS.iter().filter_map(|w| find(s, w)).min();
    let amends = AMENDS.iter().any(|w| find(s, w).is_some());
    let issues = ISSUES.iter().any(|w| find(s, w).is_some());
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let (title, number, start, end) = if s[i] == '《' {
            let Some(close) = closing(s, i) else { break };
            let title: String = s[i + 1..close]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            // A number in the bracket right after the title is its number.
            let mut j = skip_ws(s, close + 1);
            let mut number = None;
            let mut end = close;
            if matches!(s.get(j), Some('（' | '(')) {
                j = skip_ws(s, j + 1);
                if let Some((n, e)) = number_at(s, j) {
                    let after = skip_ws(s, e);
                    if matches!(s.get(after), Some('）' | ')')) {
                        number = Some(n);
                        end = after;
                    }
                }
            }
            (Some(title), number, i, end)
        } else if let Some((n, e)) = number_start(s, i) {
            (None, Some(n.1), n.0, e - 1)
        } else {
            i += 1;
            continue;
        };
        i = end + 1;
        if number.as_deref().is_some_and(|n| Some(n) == own) {
            continue;
        }
        if let Some(t) = &title {
            if t.chars().count() < 4 || (number.is_none() && issues) {
                continue;
            }
        }
        let relation = if repeal_at.is_some_and(|r| start < r) {
            Relation::Repeals
        } else if amends {
            Relation::Amends
        } else {
            Relation::Cites
        };
        out.push(Citation {
            relation,
            number,
            title,
            spans: vec![[start as u32, end as u32]],
        });
    }
    out
}

/// The `》` closing the `《` at `i`, nested titles included, within the
/// sentence.
fn closing(s: &[char], i: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, &c) in s.iter().enumerate().skip(i) {
        match c {
            '《' => depth += 1,
            '》' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn skip_ws(s: &[char], mut i: usize) -> usize {
    while s.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// Words that may stand before a 发文字号 in running text without being
/// part of its issuer's abbreviation.
const BEFORE_NUMBER: [&str; 16] = [
    "根据", "按照", "依照", "依据", "参照", "对照", "贯彻", "落实", "执行", "转发", "印发", "原",
    "和", "及", "与", "见",
];

/// A 发文字号 whose issuer abbreviation starts at `i` (`国办发〔2022〕5号`,
/// brackets of any kind, spaces inside): `((start, number), end)`, or
/// `None` when no number starts exactly here. The abbreviation runs from a
/// non-letter (or the start) to the bracket, less the leading words of
/// [`BEFORE_NUMBER`].
fn number_start(s: &[char], i: usize) -> Option<((usize, String), usize)> {
    let is_letter = |c: char| crate::normalize::is_cjk(c) && !"，、：；。（）《》“”".contains(c);
    if !is_letter(s[i]) || (i > 0 && is_letter(s[i - 1])) {
        return None;
    }
    let mut k = i;
    while k < s.len() && is_letter(s[k]) && k - i <= 16 {
        k += 1;
    }
    if !matches!(s.get(k), Some('〔' | '［' | '[' | '【')) {
        return None;
    }
    let mut start = i;
    loop {
        let rest: String = s[start..k].iter().collect();
        match BEFORE_NUMBER.iter().find(|w| rest.starts_with(*w)) {
            Some(w) if rest.chars().count() > w.chars().count() + 1 => start += w.chars().count(),
            _ => break,
        }
    }
    let (n, e) = number_at(s, start)?;
    Some(((start, n), e))
}

/// A 发文字号 starting exactly at `i`: the normalised number and the index
/// after `号`.
fn number_at(s: &[char], i: usize) -> Option<(String, usize)> {
    let mut k = i;
    while k < s.len() && crate::normalize::is_cjk(s[k]) && k - i <= 16 {
        k += 1;
    }
    if k == i || k - i > 16 || !matches!(s.get(k), Some('〔' | '［' | '[' | '【')) {
        return None;
    }
    let prefix: String = s[i..k].iter().collect();
    let mut j = skip_ws(s, k + 1);
    let year: String = s[j..].iter().take_while(|c| c.is_ascii_digit()).collect();
    if year.len() != 4 {
        return None;
    }
    j = skip_ws(s, j + 4);
    if !matches!(s.get(j), Some('〕' | '］' | ']' | '】')) {
        return None;
    }
    j = skip_ws(s, j + 1);
    let num: String = s[j..].iter().take_while(|c| c.is_ascii_digit()).collect();
    if num.is_empty() || num.len() > 5 {
        return None;
    }
    j = skip_ws(s, j + num.len());
    if s.get(j) != Some(&'号') {
        return None;
    }
    Some((format!("{prefix}〔{year}〕{num}号"), j + 1))
}

/// How a document names itself in its closing article.
const SELF: [&str; 18] = [
    "本办法",
    "本方案",
    "本规定",
    "本细则",
    "本意见",
    "本通知",
    "本决定",
    "本规划",
    "本政策",
    "本措施",
    "本制度",
    "本条例",
    "本实施",
    "本文件",
    "本规则",
    "本标准",
    "本指南",
    "本计划",
];

/// The validity a sentence states: `自…起施行` (the day, or the document's
/// date for `自印发之日`/`自公布之日`/`自发布之日`), `有效期N年` from then,
/// `有效期至…`.
fn validity_in(s: &[char], date: Option<NaiveDate>) -> Option<Validity> {
    let text: String = s.iter().filter(|c| !c.is_whitespace()).collect();
    let has_term = text.contains("有效期");
    let effective_at = ["起施行", "起实施", "起执行", "起试行"]
        .iter()
        .filter_map(|w| text.find(w))
        .min();
    if !has_term && effective_at.is_none() {
        return None;
    }
    // A term of something else (`认定后有效期3年`) is not the document's.
    if effective_at.is_none() && !SELF.iter().any(|w| text.contains(w)) {
        return None;
    }
    let effective = effective_at.and_then(|e| {
        let head = &text[..e];
        let from = head.rfind('自')?;
        let what = &head[from + '自'.len_utf8()..];
        if what.ends_with("之日") || what.ends_with('日') && !what.contains('年') {
            date
        } else {
            parse_date_line(what)
        }
    });
    let until = if let Some(k) = text.find("有效期至") {
        let rest = &text[k + "有效期至".len()..];
        let end = rest.find('日').map(|e| e + '日'.len_utf8())?;
        parse_date_line(&rest[..end])
    } else if let Some(k) = text.find("有效期") {
        let rest: Vec<char> = text[k + "有效期".len()..].chars().collect();
        let mut j = 0;
        if rest.first() == Some(&'为') {
            j = 1;
        }
        let digits: String = rest[j..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let (years, used) = if !digits.is_empty() {
            (digits.parse::<u32>().ok(), digits.len())
        } else {
            (
                rest.get(j)
                    .and_then(|c| "一两二三四五六七八九十".find(*c))
                    .map(|p| {
                        // 一 and 两 are one char each in the string of numerals.
                        let idx = "一两二三四五六七八九十"[..p].chars().count() as u32;
                        match idx {
                            0 => 1,
                            1 | 2 => 2,
                            n => n,
                        }
                    }),
                1,
            )
        };
        match (years, rest.get(j + used)) {
            (Some(y), Some('年')) if y > 0 && y <= 50 => {
                let from = effective.or(date)?;
                from.with_year(from.year() + y as i32)
                    .and_then(|d| d.checked_sub_days(Days::new(1)))
            }
            _ => None,
        }
    } else {
        None
    };
    if effective.is_none() && until.is_none() {
        return None;
    }
    Some(Validity {
        effective,
        until,
        text,
        spans: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cites(text: &str) -> Vec<(Relation, Option<String>, Option<String>)> {
        let p = Spanned::from_line(text, 1);
        read(
            &[p],
            Some("示政发〔2024〕1号"),
            Some("关于印发《示范办法》的通知"),
            None,
        )
        .0
        .into_iter()
        .map(|c| (c.relation, c.number, c.title))
        .collect()
    }

    #[test]
    fn numbers_in_running_text_lose_the_words_before_them() {
        assert_eq!(
            cites("根据国办发〔2022〕5 号文件精神，按照示政发〔2024〕1号执行。"),
            [(Relation::Cites, Some("国办发〔2022〕5号".into()), None)]
        );
    }

    #[test]
    fn validity_counts_years_from_the_effective_day() {
        let p = Spanned::from_line("本办法自2024年3月1日起施行，有效期两年。", 7);
        let (_, v) = read(&[p], None, None, NaiveDate::from_ymd_opt(2024, 2, 1));
        let v = v.unwrap();
        assert_eq!(v.effective, NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(v.until, NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(v.spans, [[7, 7]]);
    }
}
