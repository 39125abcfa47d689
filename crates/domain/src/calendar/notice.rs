//! Reads the State Council's holiday notice (国务院办公厅关于20XX年部分节假日
//! 安排的通知) as an admin pastes it: every holiday span (`1月28日（农历除夕、
//! 周二）至2月4日（农历正月初七、周二）放假调休，共8天`, `6月10日放假，与周末
//! 连休`) and every made-up working day (`1月26日（周日）、2月8日（周六）上
//! 班`), into calendar years.
//!
//! A date without a year belongs to the notice's year (read from its title,
//! or from `现将20XX年…通知如下`); a span's end without a month is in the
//! start's month. What a notice says about itself is checked, so a notice of
//! the wrong year or a typing slip is refused rather than entered: a
//! weekday in brackets must be the date's weekday, `共N天` must be the span's
//! length, and a working day must be a weekend day. A notice extending a
//! holiday (`延长2020年春节假期至2月2日`) extends the span it names and drops
//! the working days inside it, so the 2020 notices pasted together give the
//! year as it was finally kept.

use super::{Calendar, CalendarError, Year};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeMap;

/// One holiday span of the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The holiday as the notice names it (`春节`, `国庆节、中秋节`).
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The working days the notice names with it.
    pub workdays: Vec<NaiveDate>,
}

/// A parsed notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The year the notice arranges.
    pub year: i32,
    /// The title and 发文字号 as found, for the year's `source`.
    pub source: String,
    pub spans: Vec<Span>,
}

impl Notice {
    /// The notice as calendar years: the notice's own year, and the year
    /// before when a span begins in December (元旦 joined with the last
    /// weekend of the year). Each date is under its own year.
    pub fn years(&self) -> BTreeMap<i32, Year> {
        let mut out: BTreeMap<i32, Year> = BTreeMap::new();
        for s in &self.spans {
            for d in s.first.iter_days().take_while(|d| *d <= s.last) {
                out.entry(d.year()).or_default().holidays.insert(d);
            }
            for d in &s.workdays {
                out.entry(d.year()).or_default().workdays.insert(*d);
            }
        }
        for (y, data) in out.iter_mut() {
            data.source = Some(if *y == self.year {
                self.source.clone()
            } else {
                format!("{}（{y}年部分）", self.source)
            });
        }
        out
    }
}

impl Notice {
    /// The years entering the notice changes in `cal`: the notice's own year
    /// as the notice gives it, and the year before with the notice's
    /// December days added to what that year has.
    pub fn changes(&self, cal: &Calendar) -> Vec<(i32, Year)> {
        let mut out = Vec::new();
        for (year, parsed) in self.years() {
            if year == self.year {
                out.push((year, parsed));
                continue;
            }
            let mut data = cal
                .year_in_use(year)
                .map(|(y, _)| y.clone())
                .unwrap_or_default();
            for d in &parsed.holidays {
                data.workdays.remove(d);
                data.holidays.insert(*d);
            }
            for d in &parsed.workdays {
                data.holidays.remove(d);
                data.workdays.insert(*d);
            }
            let note = format!("；{}", parsed.source.clone().unwrap_or_default());
            if !data.source.as_deref().unwrap_or("").contains(&note) {
                data.source = Some(format!("{}{note}", data.source.unwrap_or_default()));
            }
            out.push((year, data));
        }
        out
    }
}

/// How one year's days differ from another's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Differences {
    pub same: bool,
    pub holidays_added: Vec<NaiveDate>,
    pub holidays_removed: Vec<NaiveDate>,
    pub workdays_added: Vec<NaiveDate>,
    pub workdays_removed: Vec<NaiveDate>,
}

/// What changes from `from` to `to`: days added and removed, of each list.
pub fn differences(from: &Year, to: &Year) -> Differences {
    let diff = |a: &std::collections::BTreeSet<NaiveDate>,
                b: &std::collections::BTreeSet<NaiveDate>| {
        b.difference(a).copied().collect::<Vec<_>>()
    };
    let mut d = Differences {
        same: false,
        holidays_added: diff(&from.holidays, &to.holidays),
        holidays_removed: diff(&to.holidays, &from.holidays),
        workdays_added: diff(&from.workdays, &to.workdays),
        workdays_removed: diff(&to.workdays, &from.workdays),
    };
    d.same = d.holidays_added.is_empty()
        && d.holidays_removed.is_empty()
        && d.workdays_added.is_empty()
        && d.workdays_removed.is_empty();
    d
}

fn bad(msg: impl Into<String>) -> CalendarError {
    CalendarError::BadData(msg.into())
}

/// Full-width digits and spaces to ASCII, line breaks kept as spaces.
fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '\u{3000}' | '\u{a0}' | '\r' | '\n' | '\t' => ' ',
            '(' => '（',
            ')' => '）',
            ':' => '：',
            ',' => '，',
            _ => c,
        })
        .collect()
}

/// A number at `i` in `chars`, and where it ends.
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut n: u32 = 0;
    while j < chars.len() && chars[j].is_ascii_digit() {
        n = n.checked_mul(10)?.checked_add(chars[j].to_digit(10)?)?;
        j += 1;
    }
    (j > i).then_some((n, j))
}

/// A date as written: `2022年12月31日`, `12月31日` or `31日`, with the
/// bracket after it (`（周二）`, `（农历除夕、星期日）`) if any.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    year: Option<i32>,
    month: Option<u32>,
    day: u32,
    bracket: Option<String>,
    /// Where the date starts and where it (and its bracket) ends.
    start: usize,
    end: usize,
}

/// Every date written in `chars`, in order.
fn dates(chars: &[char]) -> Vec<Written> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some((n, j)) = number_at(chars, i) else {
            i += 1;
            continue;
        };
        if i > 0 && chars[i - 1].is_ascii_digit() {
            i = j;
            continue;
        }
        let start = i;
        let (mut year, mut month, mut day) = (None, None, None);
        let mut k = j;
        let mut value = n;
        let mut next = chars.get(k).copied();
        if next == Some('年') {
            year = i32::try_from(value).ok();
            match number_at(chars, k + 1) {
                Some((m, e)) => {
                    value = m;
                    k = e;
                    next = chars.get(k).copied();
                }
                None => {
                    i = k + 1;
                    continue;
                }
            }
        }
        if next == Some('月') {
            month = Some(value);
            match number_at(chars, k + 1) {
                Some((d, e)) if chars.get(e) == Some(&'日') => {
                    day = Some(d);
                    k = e + 1;
                }
                _ => {
                    i = k + 1;
                    continue;
                }
            }
        } else if next == Some('日') && year.is_none() {
            day = Some(value);
            k += 1;
        }
        let Some(day) = day else {
            i = k.max(i + 1);
            continue;
        };
        let mut bracket = None;
        if chars.get(k) == Some(&'（') {
            if let Some(close) = chars[k..].iter().position(|c| *c == '）') {
                bracket = Some(chars[k + 1..k + close].iter().collect());
                k += close + 1;
            }
        }
        out.push(Written {
            year,
            month,
            day,
            bracket,
            start,
            end: k,
        });
        i = k;
    }
    out
}

/// The weekday a bracket names (`周二`, `星期日`, `农历除夕、周二`).
fn bracket_weekday(b: &str) -> Option<Weekday> {
    let chars: Vec<char> = b.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let marks_weekday = *c == '周' || (*c == '期' && i > 0 && chars[i - 1] == '星');
        if !marks_weekday {
            continue;
        }
        let after = i + 1;
        let w = match chars.get(after) {
            Some('一') => Weekday::Mon,
            Some('二') => Weekday::Tue,
            Some('三') => Weekday::Wed,
            Some('四') => Weekday::Thu,
            Some('五') => Weekday::Fri,
            Some('六') => Weekday::Sat,
            Some('日') | Some('天') => Weekday::Sun,
            _ => continue,
        };
        return Some(w);
    }
    None
}

fn weekday_label(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// Resolves a written date against the notice year and the month in force.
fn resolve(w: &Written, year: i32, month: Option<u32>) -> Result<NaiveDate, CalendarError> {
    let m = w
        .month
        .or(month)
        .ok_or_else(|| bad(format!("“{}日”前没有写月份", w.day)))?;
    let y = w.year.unwrap_or(year);
    let d = NaiveDate::from_ymd_opt(y, m, w.day)
        .ok_or_else(|| bad(format!("{y}年{m}月{}日不是有效日期", w.day)))?;
    if let Some(expected) = w.bracket.as_deref().and_then(bracket_weekday) {
        if d.weekday() != expected {
            return Err(bad(format!(
                "通知写的是{m}月{}日（{}），但{y}年{m}月{}日是{}；请确认粘贴的是{year}年的通知且日期无误",
                w.day,
                weekday_label(expected),
                w.day,
                weekday_label(d.weekday())
            )));
        }
    }
    Ok(d)
}

/// The year the notice arranges: `关于2025年部分节假日安排` in the title, or
/// `现将2025年…` in its first paragraph.
fn notice_year(text: &str) -> Option<i32> {
    for marker in ["年部分节假日安排", "年元旦"] {
        if let Some(at) = text.find(marker) {
            let before: Vec<char> = text[..at].chars().collect();
            if before.len() >= 4 {
                let digits: String = before[before.len() - 4..].iter().collect();
                if let Ok(y) = digits.parse() {
                    return Some(y);
                }
            }
        }
    }
    None
}

/// The title and 发文字号 (`国办发明电〔2024〕12号`) as found.
fn source_of(text: &str, year: i32) -> String {
    let mut source = format!("国务院办公厅关于{year}年部分节假日安排的通知");
    if let Some(at) = text.find("国办发明电") {
        let number: String = text[at..].chars().take_while(|c| *c != '号').collect();
        if number.chars().count() < 20 {
            source.push_str(&format!("（{number}号）"));
        }
    }
    source
}

/// The holiday named before `at`: the text after the item number (`六、`)
/// and before the colon.
fn holiday_name(chars: &[char], at: usize) -> String {
    let head = &chars[..at];
    let Some(colon) = head.iter().rposition(|c| *c == '：') else {
        return String::new();
    };
    let start = (1..colon)
        .find(|i| head[*i] == '、' && "一二三四五六七八九十".contains(head[*i - 1]))
        .map(|i| i + 1)
        .unwrap_or(0);
    let name: String = head[start..colon]
        .iter()
        .collect::<String>()
        .trim()
        .to_string();
    if name.chars().count() > 12 {
        String::new()
    } else {
        name
    }
}

/// Reads a pasted notice (see the module documentation). Text that is not
/// such a notice, or contradicts itself, gives [`CalendarError::BadData`]
/// with what to fix.
pub fn parse(text: &str) -> Result<Notice, CalendarError> {
    let text = normalise(text);
    let year = notice_year(&text).ok_or_else(|| {
        bad("没有找到通知的年份：请连同标题“国务院办公厅关于20XX年部分节假日安排的通知”一起粘贴")
    })?;
    let mut spans: Vec<Span> = Vec::new();
    let mut extension: Option<(String, NaiveDate)> = None;
    for sentence in text.split(['。', '；', ';']) {
        let chars: Vec<char> = sentence.chars().collect();
        let ds = dates(&chars);
        if ds.is_empty() {
            continue;
        }
        let s: String = chars.iter().collect();
        if s.contains("延长") && s.contains("假期至") {
            // 延长2020年春节假期至2月2日: the date after 至 is the new end.
            let at = s.find("假期至").unwrap_or(0);
            let at_char = s[..at].chars().count();
            let name = s[..at]
                .trim_start_matches(|c: char| !c.is_ascii_digit() && c != '年')
                .rsplit('年')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            if let Some(w) = ds.iter().find(|w| w.start > at_char) {
                extension = Some((name, resolve(w, year, None)?));
            }
            continue;
        }
        let after = |w: &Written| chars[w.end..].iter().collect::<String>();
        if s.contains("放假") {
            let Some(first_w) = ds.first() else { continue };
            // Dates after the word 放假 are not the span (鼓励…在除夕（2月9日）休息).
            let off_at = s
                .find("放假")
                .map(|b| s[..b].chars().count())
                .unwrap_or(chars.len());
            if first_w.start > off_at {
                continue;
            }
            let first = resolve(first_w, year, None)?;
            let joined = after(first_w).trim_start().starts_with('至');
            let last = match ds.get(1).filter(|w| joined && w.start < off_at) {
                Some(w) => resolve(w, first.year(), Some(first.month()))?,
                None => first,
            };
            if last < first {
                return Err(bad(format!("{first} 至 {last}：结束日期早于开始日期")));
            }
            let (mut first, mut last) = (first, last);
            if s.contains("与周末连休") {
                // The weekend the day joins: before a Monday, after a Friday.
                match first.weekday() {
                    Weekday::Mon => first -= chrono::Duration::days(2),
                    Weekday::Fri => last += chrono::Duration::days(2),
                    _ => {}
                }
            }
            if let Some(total) = stated_days(&s) {
                let len = (last - first).num_days() + 1;
                if !s.contains("与周末连休") && i64::from(total) != len {
                    return Err(bad(format!(
                        "{}至{}共{len}天，但通知写“共{total}天”；请核对日期",
                        first, last
                    )));
                }
            }
            let name = holiday_name(&chars, first_w.start);
            spans.push(Span {
                name,
                first,
                last,
                workdays: Vec::new(),
            });
        } else if s.trim_end().ends_with("上班") {
            let Some(span) = spans.last_mut() else {
                return Err(bad(format!("“{}”之前没有放假安排", s.trim())));
            };
            let mut month = None;
            for w in &ds {
                let d = resolve(w, year, month)?;
                month = Some(d.month());
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(bad(format!(
                        "{d}（{}）不是周末，不能是调休上班日",
                        weekday_label(d.weekday())
                    )));
                }
                span.workdays.push(d);
            }
        }
    }
    if let Some((name, until)) = extension {
        let span = spans
            .iter_mut()
            .filter(|s| name.is_empty() || s.name.contains(&name) || name.contains(&s.name))
            .filter(|s| s.first <= until)
            .last()
            .ok_or_else(|| bad(format!("延长的“{name}”假期在通知中没有找到")))?;
        span.last = span.last.max(until);
        let last = span.last;
        let first = span.first;
        span.workdays.retain(|d| *d < first || *d > last);
    }
    if spans.is_empty() {
        return Err(bad(
            "没有识别出放假安排：每项应写成“X月X日至X日放假调休，共X天。X月X日（周X）上班。”",
        ));
    }
    Ok(Notice {
        year,
        source: source_of(&text, year),
        spans,
    })
}

/// `共8天` in a sentence.
fn stated_days(s: &str) -> Option<u32> {
    let at = s.find('共')?;
    let chars: Vec<char> = s[at + '共'.len_utf8()..].chars().collect();
    let (n, end) = number_at(&chars, 0)?;
    (chars.get(end) == Some(&'天')).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_with_and_without_year_and_month() {
        let chars: Vec<char> = "2022年12月31日至2023年1月2日放假".chars().collect();
        let ds = dates(&chars);
        assert_eq!(ds.len(), 2);
        assert_eq!(
            (ds[0].year, ds[0].month, ds[0].day),
            (Some(2022), Some(12), 31)
        );
        let chars: Vec<char> = "1月28日（农历除夕、周二）至2月4日".chars().collect();
        let ds = dates(&chars);
        assert_eq!(ds[0].bracket.as_deref(), Some("农历除夕、周二"));
        assert_eq!(bracket_weekday("农历除夕、周二"), Some(Weekday::Tue));
        assert_eq!(bracket_weekday("星期日"), Some(Weekday::Sun));
        let chars: Vec<char> = "4月4日至6日放假，共3天".chars().collect();
        assert_eq!(dates(&chars)[1].day, 6);
        assert_eq!(stated_days("放假调休，共8天"), Some(8));
    }

    #[test]
    fn a_wrong_weekday_is_refused() {
        let text =
            "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周四）放假，共1天。";
        let e = parse(text).unwrap_err().to_string();
        assert!(e.contains("周五"), "{e}");
    }

    #[test]
    fn joined_with_the_weekend() {
        let text = "国务院办公厅关于2024年部分节假日安排的通知\n一、元旦：1月1日放假，与周末连休。";
        let n = parse(text).unwrap();
        assert_eq!(n.spans[0].first, d("2023-12-30"));
        let years = n.years();
        assert_eq!(years[&2023].holidays.len(), 2);
        assert_eq!(years[&2024].holidays.len(), 1);
    }

    #[test]
    fn no_year_no_notice() {
        assert!(parse("一、元旦：1月1日放假").is_err());
        assert!(parse("国务院办公厅关于2027年部分节假日安排的通知").is_err());
    }
}
