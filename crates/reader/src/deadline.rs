//! Deadlines: finds the time limit stated in an item (`2023年底前`,
//! `4月中旬前`, `到2025年`, `每月月底前`, …) and resolves it to a date
//! against the document's own date.
//!
//! The scanner walks the item once over a `Vec<char>` and tries a small
//! hand-written grammar at each position that can start a time phrase. A date
//! only counts as a deadline when the text marks it as a limit: a leading
//! `到`/`至`, a trailing `前`/`以前`/`为止`, or a period end (`底`, `末`, `旬`,
//! `上半年`, `一季度`, `年内`) that is not a reference point (`2021年12月底的`,
//! `截至2021年底`). Bare years (`2022年以来`, `比2020年下降`) never count.
//!
//! When several phrases are found, a recurring rule wins (its date is `None`),
//! then the latest one-off date, then a continuing marker (`持续推进`).

use crate::model::{Deadline, Recurrence};
use chrono::{Datelike, NaiveDate};

/// Characters of which at least one occurs in every phrase the grammar knows;
/// items without any of them are skipped without being scanned.
const ANCHORS: &[char] = &['年', '月', '季', '每', '五', '持', '长'];

/// The deadline an item's text states, if any.
///
/// `doc_date` supplies the year when the text names none (`4月底前`); without
/// it such a deadline keeps its text but has no date.
pub fn find_deadline(text: &str, doc_date: Option<NaiveDate>) -> Option<Deadline> {
    if !text.contains(ANCHORS) {
        return None;
    }
    let s: Vec<char> = text.chars().collect();
    let doc_year = doc_date.map(|d| d.year());

    let mut once: Option<(Option<NaiveDate>, Phrase)> = None;
    let mut continuing: Option<Phrase> = None;
    let mut i = 0;
    while i < s.len() {
        let Some(p) = phrase_at(&s, i) else {
            i += 1;
            continue;
        };
        i = p.end.max(i + 1);
        match p.when {
            When::Recurring(ref rule) => {
                return Some(Deadline {
                    date: None,
                    text: phrase_text(&s, &p),
                    recurring: Some(rule.clone()),
                });
            }
            When::Continuing => {
                continuing.get_or_insert(p);
            }
            When::Date { year, month, day } => {
                let date = resolve(year, month, day, doc_year);
                // A resolved date beats an unresolved one; among resolved
                // dates the latest wins, ties keep the first.
                let better = match &once {
                    None => true,
                    Some((best, _)) => date > *best,
                };
                if better {
                    once = Some((date, p));
                }
            }
        }
    }
    let (date, p) = match once {
        Some((date, p)) => (date, p),
        None => (None, continuing?),
    };
    Some(Deadline {
        date,
        text: phrase_text(&s, &p),
        recurring: None,
    })
}

/// The end (exclusive char index) of a date expression starting at `i`,
/// whether or not it reads as a deadline: `到2025年底`, `2023年`, `年底`,
/// `4月中旬前`. The target scanner uses it to drop leading time phrases.
pub(crate) fn date_phrase_end(s: &[char], i: usize) -> Option<usize> {
    let c = *s.get(i)?;
    let j = if c == '到' || c == '至' {
        skip_ws(s, i + 1)
    } else {
        i
    };
    one_off(s, j, true, true).map(|p| p.end)
}

/// A phrase found at one position.
#[derive(Debug, Clone)]
struct Phrase {
    start: usize,
    end: usize,
    when: When,
}

#[derive(Debug, Clone)]
enum When {
    Date { year: Year, month: u32, day: Day },
    Recurring(Recurrence),
    Continuing,
}

#[derive(Debug, Clone, Copy)]
enum Year {
    Abs(i32),
    /// Years after the document's own year (`今年` 0, `明年` 1).
    Rel(i32),
}

#[derive(Debug, Clone, Copy)]
enum Day {
    Last,
    Nth(u32),
}

/// How strongly a date phrase reads as a limit on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `底`, `末`, `旬`, `上半年`, `一季度`, `年内`: a deadline unless it is a
    /// reference point.
    PeriodEnd,
    /// A bare year, month or day: a deadline only with `到` or `前`.
    Bare,
}

fn phrase_text(s: &[char], p: &Phrase) -> String {
    s[p.start..p.end].iter().filter(|c| !is_ws(**c)).collect()
}

fn resolve(year: Year, month: u32, day: Day, doc_year: Option<i32>) -> Option<NaiveDate> {
    let y = match year {
        Year::Abs(y) => y,
        Year::Rel(off) => doc_year?.checked_add(off)?,
    };
    match day {
        Day::Last => last_day(y, month),
        Day::Nth(d) => NaiveDate::from_ymd_opt(y, month, d),
    }
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    if m == 12 {
        NaiveDate::from_ymd_opt(y, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?.pred_opt()
    }
}

fn phrase_at(s: &[char], i: usize) -> Option<Phrase> {
    match s[i] {
        '每' => recurring(s, i),
        '长' | '持' => continuing(s, i),
        '到' | '至' => {
            // `截至2021年底` is a statistic's reference date, not a limit.
            if s[i] == '至' && prev(s, i) == Some('截') {
                return None;
            }
            let j = skip_ws(s, i + 1);
            let mut p = one_off(s, j, true, false)?;
            p.start = i;
            Some(p)
        }
        _ => one_off(s, i, false, false),
    }
}

fn continuing(s: &[char], i: usize) -> Option<Phrase> {
    ["长期坚持", "长期推进", "持续推进"]
        .iter()
        .find_map(|w| word(s, i, w))
        .map(|end| Phrase {
            start: i,
            end,
            when: When::Continuing,
        })
}

/// A one-off date at `i`. `to` is set when a `到`/`至` precedes it;
/// `lenient` accepts any date expression, limit or not.
fn one_off(s: &[char], i: usize, to: bool, lenient: bool) -> Option<Phrase> {
    let (year, month, day, kind, end) = date_at(s, i, to)?;
    let mut end = end;
    let e = skip_ws(s, end);
    let closer = ["以前", "之前", "为止", "前", "止"]
        .iter()
        .find_map(|w| word(s, e, w))
        // `2020年前后`, `2025年前三季度` are not limits.
        .filter(|&k| {
            s[k - 1] != '前'
                || !matches!(s.get(k), Some(c) if *c == '后' || c.is_ascii_digit() || cn_digit(*c).is_some() || *c == '两' || *c == '几')
        });
    let closed = closer.is_some();
    if let Some(k) = closer {
        end = k;
    }
    let ok = lenient
        || match kind {
            Kind::Bare => to || closed,
            Kind::PeriodEnd => {
                to || closed || (!reference_after(s, end) && !reference_before(s, i))
            }
        };
    ok.then_some(Phrase {
        start: i,
        end,
        when: When::Date { year, month, day },
    })
}

/// Words after a period end that make it a reference point, not a limit.
fn reference_after(s: &[char], end: usize) -> bool {
    let k = skip_ws(s, end);
    [
        "的", "以来", "起", "开始", "至今", "以后", "之后", "后", "是", "同期", "初",
    ]
    .iter()
    .any(|w| word(s, k, w).is_some())
}

/// Words before a date that make it a reference point: `截至2021年底`,
/// `从2022年底`, `比上年末`.
fn reference_before(s: &[char], start: usize) -> bool {
    match prev_idx(s, start) {
        Some(k) => match s[k] {
            '从' | '自' | '比' | '较' | '由' | '去' => true,
            '至' | '止' => prev(s, k) == Some('截'),
            _ => false,
        },
        None => false,
    }
}

type DateParts = (Year, u32, Day, Kind, usize);

/// Year, month and day of a date expression at `i`, how it reads, and where
/// it ends (before any `前`).
fn date_at(s: &[char], i: usize, to: bool) -> Option<DateParts> {
    if i >= s.len() {
        return None;
    }
    if let Some((y, end, bare)) = five_year_plan(s, i) {
        if bare && !to {
            return None;
        }
        return Some((Year::Abs(y), 12, Day::Last, Kind::PeriodEnd, end));
    }
    if let Some((year, j)) = year_at(s, i) {
        let k = skip_ws(s, j);
        for w in ["年底", "年末", "底", "末", "内"] {
            if let Some(end) = word(s, k, w) {
                return Some((year, 12, Day::Last, Kind::PeriodEnd, end));
            }
        }
        if let Some((m, end)) = half_year(s, k) {
            return Some((year, m, Day::Last, Kind::PeriodEnd, end));
        }
        if let Some((m, end)) = quarter(s, k) {
            return Some((year, m, Day::Last, Kind::PeriodEnd, end));
        }
        if let Some((m, day, kind, end)) = month_day(s, k) {
            return Some((year, m, day, kind, end));
        }
        // `今年` alone reads as "within this year" unless it starts a
        // statement (`今年是…`, `今年的…`).
        let kind = if s[i] == '今' {
            Kind::PeriodEnd
        } else {
            Kind::Bare
        };
        return Some((year, 12, Day::Last, kind, j));
    }
    // No year: the document's own.
    let here = Year::Rel(0);
    if s[i] == '年' && bare_year_ok(s, i) {
        let k = skip_ws(s, i + 1);
        for w in ["底", "末", "内"] {
            if let Some(end) = word(s, k, w) {
                return Some((here, 12, Day::Last, Kind::PeriodEnd, end));
            }
        }
        return None;
    }
    if let Some((m, end)) = half_year(s, i) {
        return Some((here, m, Day::Last, Kind::PeriodEnd, end));
    }
    if numeral_start_ok(s, i) {
        if let Some((m, end)) = quarter(s, i) {
            return Some((here, m, Day::Last, Kind::PeriodEnd, end));
        }
        if let Some((m, day, kind, end)) = month_day(s, i) {
            return Some((here, m, day, kind, end));
        }
    }
    None
}

/// `年底`, `年末`, `年内` with no year of their own: not `3年内`, `去年底`,
/// `上年末`, `全年`.
fn bare_year_ok(s: &[char], i: usize) -> bool {
    match prev(s, i) {
        None => true,
        Some(c) => {
            !(c.is_ascii_digit()
                || is_fw_digit(c)
                || cn_digit(c).is_some()
                || "十百千两几去上前半全每当今明次本近年".contains(c))
        }
    }
}

/// A month or quarter numeral must not continue a number (`2023` split
/// badly, `十二` read from its second character) or an ordinal phrase
/// (`前三季度`, `上一季度`).
fn numeral_start_ok(s: &[char], i: usize) -> bool {
    match prev(s, i) {
        None => true,
        Some(c) => {
            !(c.is_ascii_digit()
                || is_fw_digit(c)
                || cn_digit(c).is_some()
                || "十百千两几.．上下本每前后近第个".contains(c))
        }
    }
}

/// A year: `2023年`, `二〇二三年`, `今年`, `明年`. Returns the year and the
/// index after `年`.
fn year_at(s: &[char], i: usize) -> Option<(Year, usize)> {
    for (w, off) in [("今年", 0), ("本年", 0), ("明年", 1), ("次年", 1)] {
        if let Some(end) = word(s, i, w) {
            return Some((Year::Rel(off), after_year(s, end)));
        }
    }
    let c = s[i];
    if c.is_ascii_digit() || is_fw_digit(c) {
        if matches!(prev(s, i), Some(p) if p.is_ascii_digit() || is_fw_digit(p) || p == '.') {
            return None;
        }
        let (v, j, n) = digits(s, i);
        if n != 4 || !(1900..=2100).contains(&v) {
            return None;
        }
        let k = skip_ws(s, j);
        return (s.get(k) == Some(&'年')).then(|| (Year::Abs(v as i32), after_year(s, k + 1)));
    }
    // 二〇二三年: four numeral characters, one per digit.
    let mut v = 0u32;
    for k in 0..4 {
        let d = s.get(i + k).copied().and_then(cn_year_digit)?;
        v = v * 10 + d;
    }
    if !(1900..=2100).contains(&v) || s.get(i + 4) != Some(&'年') {
        return None;
    }
    Some((Year::Abs(v as i32), after_year(s, i + 5)))
}

/// `2023年度`, `本年度`: the `度` belongs to the year.
fn after_year(s: &[char], k: usize) -> usize {
    if s.get(k) == Some(&'度') {
        k + 1
    } else {
        k
    }
}

/// `“十四五”期间`, `十四五末`: the last year of a five-year plan. The flag is
/// set when no period word follows (`到“十四五”`).
fn five_year_plan(s: &[char], i: usize) -> Option<(i32, usize, bool)> {
    let mut k = i;
    if is_open_quote(*s.get(k)?) {
        k = skip_ws(s, k + 1);
    }
    if s.get(k) != Some(&'十') {
        return None;
    }
    k = skip_ws(s, k + 1);
    let n = s.get(k).copied().and_then(cn_digit).filter(|n| *n > 0)?;
    k = skip_ws(s, k + 1);
    if s.get(k) != Some(&'五') {
        return None;
    }
    k += 1;
    let after = skip_ws(s, k);
    if matches!(s.get(after), Some(c) if is_close_quote(*c)) {
        k = after + 1;
    }
    let year = 2025 + 5 * (n as i32 - 4);
    let k2 = skip_ws(s, k);
    for w in ["时期末", "期末", "期间", "末"] {
        if let Some(end) = word(s, k2, w) {
            return Some((year, end, false));
        }
    }
    Some((year, k, true))
}

/// `上半年` (June 30) or `下半年` (December 31).
fn half_year(s: &[char], i: usize) -> Option<(u32, usize)> {
    if let Some(end) = word(s, i, "上半年") {
        return Some((6, end));
    }
    word(s, i, "下半年").map(|end| (12, end))
}

/// `一季度`, `第一季度末`: the quarter's last month.
fn quarter(s: &[char], i: usize) -> Option<(u32, usize)> {
    let mut k = i;
    if s.get(k) == Some(&'第') {
        k = skip_ws(s, k + 1);
    }
    let c = *s.get(k)?;
    let q = cn_digit(c).or_else(|| c.to_digit(10))?;
    if !(1..=4).contains(&q) {
        return None;
    }
    k = skip_ws(s, k + 1);
    // `季` alone is a season (`四季有彩`, `一季一签约`), not a quarter.
    let mut end = word(s, k, "季度")?;
    let e = skip_ws(s, end);
    for w in ["末", "底", "结束"] {
        if let Some(x) = word(s, e, w) {
            end = x;
            break;
        }
    }
    Some((q * 3, end))
}

/// `4月底`, `4月中旬`, `9月30日`, `十二月`, `6月份`: month, day, how it reads
/// and where it ends.
fn month_day(s: &[char], i: usize) -> Option<(u32, Day, Kind, usize)> {
    let (m, j) = small_number(s, i)?;
    if !(1..=12).contains(&m) {
        return None;
    }
    let k = skip_ws(s, j);
    if s.get(k) != Some(&'月') {
        return None;
    }
    let k = skip_ws(s, k + 1);
    for (w, day) in [
        ("底", Day::Last),
        ("末", Day::Last),
        ("上旬", Day::Nth(10)),
        ("上中旬", Day::Nth(20)),
        ("中旬", Day::Nth(20)),
        ("中下旬", Day::Last),
        ("下旬", Day::Last),
    ] {
        if let Some(end) = word(s, k, w) {
            return Some((m, day, Kind::PeriodEnd, end));
        }
    }
    if let Some((d, j)) = small_number(s, k) {
        let e = skip_ws(s, j);
        if (1..=31).contains(&d) && matches!(s.get(e), Some('日' | '号')) {
            return Some((m, Day::Nth(d), Kind::Bare, e + 1));
        }
    }
    if let Some(end) = word(s, k, "份") {
        return Some((m, Day::Last, Kind::Bare, end));
    }
    Some((m, Day::Last, Kind::Bare, k.min(s.len())))
}

/// A recurring rule starting with `每`.
fn recurring(s: &[char], i: usize) -> Option<Phrase> {
    let k = skip_ws(s, i + 1);
    let (rule, end, anchored) = if let Some(k) = word(s, k, "月") {
        month_rule(s, skip_ws(s, k))
    } else if let Some(k) = ["个季度", "季度", "季"].iter().find_map(|w| word(s, k, w)) {
        quarter_rule(s, k)
    } else if let Some(end) = ["半年度", "半年"].iter().find_map(|w| word(s, k, w)) {
        (Recurrence::Halfyear, end, false)
    } else if let Some(k) = ["年度", "年"].iter().find_map(|w| word(s, k, w)) {
        year_rule(s, skip_ws(s, k))
    } else if let Some(end) = ["周", "星期"].iter().find_map(|w| word(s, k, w)) {
        (Recurrence::Week, end, false)
    } else {
        return None;
    };
    if !anchored && !bare_rule_ok(s, i, end) {
        return None;
    }
    let e = skip_ws(s, end);
    let end = ["以前", "之前", "前"]
        .iter()
        .find_map(|w| word(s, e, w))
        .unwrap_or(end);
    Some(Phrase {
        start: i,
        end,
        when: When::Recurring(rule),
    })
}

fn month_rule(s: &[char], k: usize) -> (Recurrence, usize, bool) {
    for (w, day) in [
        ("月底", None),
        ("月末", None),
        ("底", None),
        ("末", None),
        ("上旬", Some(10)),
        ("中旬", Some(20)),
        ("下旬", None),
    ] {
        if let Some(end) = word(s, k, w) {
            return (Recurrence::Month { day }, end, true);
        }
    }
    if let Some((d, j)) = small_number(s, k) {
        let e = skip_ws(s, j);
        if (1..=31).contains(&d) && matches!(s.get(e), Some('日' | '号')) {
            return (Recurrence::Month { day: Some(d) }, e + 1, true);
        }
    }
    (Recurrence::Month { day: None }, k, false)
}

fn quarter_rule(s: &[char], k: usize) -> (Recurrence, usize, bool) {
    let e = skip_ws(s, k);
    if let Some(after) = word(s, e, "结束后").or_else(|| word(s, e, "后")) {
        // `每季度结束后第一个工作周`: look a few characters ahead for the week.
        let limit = (after + 10).min(s.len());
        let mut first = false;
        for j in after..limit {
            match s[j] {
                '第' if word(s, j, "第一").is_some() => first = true,
                '首' => first = true,
                '周' | '星' => {
                    let end = word(s, j, "星期").unwrap_or(j + 1);
                    return (Recurrence::Quarter { week_after: first }, end, true);
                }
                c if is_clause_break(c) => break,
                _ => {}
            }
        }
        return (Recurrence::Quarter { week_after: false }, after, true);
    }
    for w in ["末", "底", "最后"] {
        if let Some(end) = word(s, e, w) {
            return (Recurrence::Quarter { week_after: false }, end, true);
        }
    }
    (Recurrence::Quarter { week_after: false }, k, false)
}

fn year_rule(s: &[char], k: usize) -> (Recurrence, usize, bool) {
    let year_end = Recurrence::Year { month: 12, day: 31 };
    for w in ["年底", "年末", "底", "末"] {
        if let Some(end) = word(s, k, w) {
            return (year_end, end, true);
        }
    }
    if let Some((m, day, _, end)) = month_day(s, k) {
        // A rule has no year: check the day against a leap year so that
        // `2月29日` stays valid, and end February on the 28th.
        let day = match day {
            Day::Nth(d) if NaiveDate::from_ymd_opt(2000, m, d).is_some() => Some(d),
            Day::Nth(_) => None,
            Day::Last => last_day(2001, m).map(|d| d.day()),
        };
        if let Some(day) = day {
            if end > k {
                return (Recurrence::Year { month: m, day }, end, true);
            }
        }
    }
    (year_end, k, false)
}

/// A bare `每月`/`每年`/`每季度`/`每周` is a schedule (`每月调度`,
/// `每季度拨付一次`), not a rate (`每人每月保育费`, `每年600元`,
/// `每年增加20%`).
fn bare_rule_ok(s: &[char], i: usize, end: usize) -> bool {
    let lo = i.saturating_sub(6);
    for j in (lo..i).rev() {
        if is_clause_break(s[j]) {
            break;
        }
        if s[j] == '每' {
            return false;
        }
    }
    let k = skip_ws(s, end);
    match s.get(k) {
        None => true,
        Some(c) if c.is_ascii_digit() || is_fw_digit(*c) => false,
        Some(c) => !"增减降递补收投均".contains(*c),
    }
}

// ---- character helpers -------------------------------------------------

/// Matches `w` at `i`; returns the index after it.
fn word(s: &[char], i: usize, w: &str) -> Option<usize> {
    let mut k = i;
    for c in w.chars() {
        if s.get(k) != Some(&c) {
            return None;
        }
        k += 1;
    }
    Some(k)
}

fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

fn skip_ws(s: &[char], mut i: usize) -> usize {
    while i < s.len() && is_ws(s[i]) {
        i += 1;
    }
    i
}

fn prev_idx(s: &[char], i: usize) -> Option<usize> {
    (0..i.min(s.len())).rev().find(|&k| !is_ws(s[k]))
}

fn prev(s: &[char], i: usize) -> Option<char> {
    prev_idx(s, i).map(|k| s[k])
}

fn is_clause_break(c: char) -> bool {
    "，。；：,;:！？!?\n".contains(c)
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '"' | '「' | '『' | '‘' | '\'')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '"' | '」' | '』' | '’' | '\'')
}

fn is_fw_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn digit(c: char) -> Option<u32> {
    if is_fw_digit(c) {
        Some(c as u32 - '０' as u32)
    } else {
        c.to_digit(10)
    }
}

/// ASCII or full-width digits at `i`: value (saturating), end, digit count.
fn digits(s: &[char], i: usize) -> (u32, usize, usize) {
    let mut v = 0u32;
    let mut k = i;
    while let Some(d) = s.get(k).copied().and_then(digit) {
        v = v.saturating_mul(10).saturating_add(d);
        k += 1;
    }
    (v, k, k - i)
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn cn_year_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '○' | '零' | 'Ｏ' => Some(0),
        _ => cn_digit(c),
    }
}

/// A number below 100 in digits (`23`) or numerals (`二十三`, `十二`, `三十`).
fn small_number(s: &[char], i: usize) -> Option<(u32, usize)> {
    let c = *s.get(i)?;
    if digit(c).is_some() {
        let (v, end, n) = digits(s, i);
        return (n <= 2).then_some((v, end));
    }
    let (tens, k) = match (cn_digit(c), s.get(i + 1)) {
        (Some(d), Some('十')) => (d, i + 2),
        (Some(d), _) => return Some((d, i + 1)),
        (None, _) if c == '十' => (1, i + 1),
        _ => return None,
    };
    match s.get(k).copied().and_then(cn_digit) {
        Some(u) => Some((tens * 10 + u, k + 1)),
        None => Some((tens * 10, k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn leap_february() {
        let got = find_deadline("2月底前完成", d(2024, 1, 5)).unwrap();
        assert_eq!(got.date, d(2024, 2, 29));
        let got = find_deadline("2月底前完成", d(2023, 1, 5)).unwrap();
        assert_eq!(got.date, d(2023, 2, 28));
    }

    #[test]
    fn invalid_day_keeps_text() {
        let got = find_deadline("2023年2月30日前报送", None).unwrap();
        assert_eq!(got.date, None);
        assert_eq!(got.text, "2023年2月30日前");
    }

    #[test]
    fn date_phrase_end_is_lenient() {
        let s: Vec<char> = "到2025年，全区".chars().collect();
        assert_eq!(date_phrase_end(&s, 0), Some(6));
        let s: Vec<char> = "2022年以来".chars().collect();
        assert_eq!(date_phrase_end(&s, 0), Some(5));
        let s: Vec<char> = "全区".chars().collect();
        assert_eq!(date_phrase_end(&s, 0), None);
    }

    #[test]
    fn fuzz_like() {
        let samples = [
            "确保4月底前完成全年造林任务的90%，年底前全面完成创建国家森林城市目标任务。",
            "联络员每月23日前向领导小组办公室及时上报项目进展情况，每季度结束后第一个工作周要分别报送一季度、半年、三季度、全年工作总结",
            "到“十四五”末，打造5个省级专业镇；二〇二三年底前，十二月底前，2023 年 4 月 15 日前，截至2021年底",
            "每人每月保育费收费，每年600元，到2025年，2025年前三季度，十四五期间，长期坚持，持续推进",
            "9月30日前每年12月底前上半年第一季度末一季度年内今年明年3月31日前每周每半年",
        ];
        let date = d(2022, 3, 22);
        for sample in samples {
            let chars: Vec<(usize, char)> = sample.char_indices().collect();
            for &(b, _) in &chars {
                let _ = find_deadline(&sample[b..], date);
                let _ = find_deadline(&sample[..b], date);
                let _ = find_deadline(&sample[..b], None);
                let s: Vec<char> = sample[b..].chars().collect();
                for k in 0..s.len() {
                    let _ = date_phrase_end(&s, k);
                }
            }
            // Odd slices from the middle, too.
            for (n, &(a, _)) in chars.iter().enumerate() {
                if let Some(&(b, _)) = chars.get(n + 7) {
                    let _ = find_deadline(&sample[a..b], date);
                }
            }
        }
        // Degenerate inputs.
        for t in [
            "",
            "年",
            "每",
            "到",
            "十",
            "“",
            "月",
            "99999999999999999999年底前",
            "每月99日前",
            "13月底前",
            "二〇二三",
            "十四",
        ] {
            let _ = find_deadline(t, date);
            let _ = find_deadline(t, Some(NaiveDate::MAX));
            let _ = find_deadline(t, Some(NaiveDate::MIN));
        }
    }
}
