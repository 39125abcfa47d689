//! Dates as offices type them into a 完成时限 or 计划竣工时间 column: real
//! Excel dates, `2024-12-31`, `2024.12.31`, `2024年12月底`, `12月底前`
//! (the year from the sheet's title or the import's year), `2024年三季度`,
//! and the words for work without an end (`长期坚持`, `持续推进`, `每月…`).
//! A column is known to hold a time limit, so unlike the reader's deadline
//! scanner a plain date counts without a `前`. What cannot be read is an
//! error saying how to write it; nothing is guessed silently — every
//! assumption (a year added, a serial number read as a date) is a note.

use crate::xlsx::Value;
use chrono::{Duration, NaiveDate};

/// A time limit read from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Nothing written.
    None,
    /// A last day.
    Date(NaiveDate),
    /// Work without an end date (长期坚持, 持续推进, recurring reports).
    Continuing,
}

/// A limit and what was assumed to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadLimit {
    pub limit: Limit,
    /// The cell as printed.
    pub text: String,
    pub note: Option<String>,
}

const HOW: &str = "请写作 2024-12-31、2024年12月底 或 长期坚持 这样的形式，或设为日期格式";

/// Words that mark work without an end date.
const CONTINUING: &[&str] = &[
    "长期",
    "持续",
    "常态",
    "长效",
    "经常性",
    "每月",
    "每季",
    "每周",
    "每年",
    "每半年",
    "逐月",
    "按月",
    "按季",
];

/// Reads a time-limit cell. `year` is used where the text names no year.
pub fn read_limit(v: &Value, year: i32) -> Result<ReadLimit, String> {
    read(v, year, Edge::End)
}

/// Reads a start date (计划开工时间): a month or a year names its first
/// day.
pub fn read_start(v: &Value, year: i32) -> Result<ReadLimit, String> {
    read(v, year, Edge::Start)
}

/// Which day of a month or a year a phrase stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

fn read(v: &Value, year: i32, edge: Edge) -> Result<ReadLimit, String> {
    let text = v.text();
    let ok = |limit, note: Option<String>| {
        Ok(ReadLimit {
            limit,
            text: text.clone(),
            note,
        })
    };
    match v {
        Value::Empty => ok(Limit::None, None),
        Value::Text(t) if t.trim().is_empty() => ok(Limit::None, None),
        Value::Date(d) => ok(Limit::Date(d.date()), None),
        Value::Number(n) => {
            let n = *n;
            if n.fract() == 0.0 && (1990.0..=2100.0).contains(&n) {
                let (m, d, word) = match edge {
                    Edge::Start => (1, 1, "初"),
                    Edge::End => (12, 31, "底"),
                };
                let d = NaiveDate::from_ymd_opt(n as i32, m, d).expect("a year's edge");
                return ok(
                    Limit::Date(d),
                    Some(format!("只写了年份，按{}年{word}计", n as i32)),
                );
            }
            if n.fract() == 0.0 && (32874.0..=73415.0).contains(&n) {
                // A date cell whose format was changed to a number shows
                // Excel's serial day count (1990–2100).
                let d = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch")
                    + Duration::days(n as i64);
                return ok(
                    Limit::Date(d),
                    Some(format!("数字 {} 按 Excel 日期序号读作 {d}", n as i64)),
                );
            }
            if text.ends_with(".1") && text.len() == 6 {
                return Err(format!(
                    "“{text}”是数字，看不出是1月还是10月（2024.10 输入后会变成 2024.1）；{HOW}"
                ));
            }
            parse_edge(&text, year, edge).map(|(limit, note)| ReadLimit { limit, text, note })
        }
        Value::Text(t) => parse_edge(t, year, edge).map(|(limit, note)| ReadLimit {
            limit,
            text: text.clone(),
            note,
        }),
        Value::Bool(_) | Value::Error(_) => Err(format!("“{text}”不是时间；{HOW}")),
    }
}

/// Reads a time limit written as text.
pub fn parse_text(raw: &str, year: i32) -> Result<(Limit, Option<String>), String> {
    parse_edge(raw, year, Edge::End)
}

fn parse_edge(raw: &str, year: i32, edge: Edge) -> Result<(Limit, Option<String>), String> {
    let s: Vec<char> = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' | '–' | '~' | '～' => '-',
            '／' => '/',
            '．' | '。' => '.',
            c => c,
        })
        .collect();
    if s.is_empty() {
        return Ok((Limit::None, None));
    }
    // The whole cell one date, with only 前/以前/完成 around it.
    if let Some(p) = date_at(&s, 0) {
        if is_filler(&s[p.end..]) {
            return finish(p, year, edge, raw, None);
        }
    }
    // Several dates (分阶段): the latest is the limit.
    let mut best: Option<Phrase> = None;
    let mut last_year = None;
    let mut i = 0;
    while i < s.len() {
        match date_at(&s, i) {
            Some(mut p) => {
                i = p.end.max(i + 1);
                // 2024年6月底…，12月底…: a later phrase keeps the year
                // of the one before.
                p.year = p.year.or(last_year);
                last_year = p.year;
                // A limit is the latest day named, a start the earliest.
                let better = best.as_ref().is_none_or(|b| match edge {
                    Edge::End => p.resolve(year) > b.resolve(year),
                    Edge::Start => p.resolve_start(year) < b.resolve_start(year),
                });
                if better {
                    best = Some(p);
                }
            }
            None => i += 1,
        }
    }
    let text: String = s.iter().collect();
    if let Some(p) = best {
        let which = if edge == Edge::End {
            "最晚"
        } else {
            "最早"
        };
        return finish(
            p,
            year,
            edge,
            raw,
            Some(format!("写有多个时间，按{which}的计")),
        );
    }
    if CONTINUING.iter().any(|w| text.contains(w)) {
        return Ok((Limit::Continuing, None));
    }
    Err(format!("无法识别的时间“{}”；{HOW}", raw.trim()))
}

fn finish(
    p: Phrase,
    year: i32,
    edge: Edge,
    raw: &str,
    note: Option<String>,
) -> Result<(Limit, Option<String>), String> {
    let date = match edge {
        Edge::End => p.resolve(year),
        Edge::Start => p.resolve_start(year),
    };
    let Some(date) = date else {
        return Err(format!("“{}”不是有效日期；{HOW}", raw.trim()));
    };
    let year_note = p.year.is_none().then(|| format!("未写年份，按{year}年计"));
    let note = match (note, year_note) {
        (Some(a), Some(b)) => Some(format!("{a}；{b}")),
        (a, b) => a.or(b),
    };
    Ok((Limit::Date(date), note))
}

/// What may stand around a date in a limit cell.
fn is_filler(rest: &[char]) -> bool {
    let t: String = rest.iter().collect();
    let mut t = t.as_str();
    for w in [
        "以前", "之前", "前", "为止", "止", "内", "完成", "完工", "竣工", "办结", "结束", "。",
        ".", "；", ";",
    ] {
        t = t.trim_start_matches(w);
    }
    // Twice, for 前完成 and the like.
    for w in ["以前", "之前", "前", "完成", "。", "."] {
        t = t.trim_start_matches(w);
    }
    t.is_empty()
}

/// A date expression: a year (or none), and the part of it named.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    year: Option<i32>,
    part: Part,
    end: usize,
}

#[derive(Debug, Clone, Copy)]
enum Part {
    /// The whole year (2024年, 2024年底, 年内).
    Year,
    /// A run of months, first and last (12月底 is 12–12, 三季度 7–9,
    /// 上半年 1–6).
    Months(u32, u32),
    /// A day of a month.
    Day(u32, u32),
}

impl Phrase {
    fn resolve(&self, default: i32) -> Option<NaiveDate> {
        let y = self.year.unwrap_or(default);
        match self.part {
            Part::Year => NaiveDate::from_ymd_opt(y, 12, 31),
            Part::Months(_, m) => month_end(y, m),
            Part::Day(m, d) => NaiveDate::from_ymd_opt(y, m, d),
        }
    }

    /// The first day the phrase names: a start (开工 2027年4月) is the
    /// beginning of the month, not its end.
    fn resolve_start(&self, default: i32) -> Option<NaiveDate> {
        let y = self.year.unwrap_or(default);
        match self.part {
            Part::Year => NaiveDate::from_ymd_opt(y, 1, 1),
            Part::Months(from, _) => NaiveDate::from_ymd_opt(y, from, 1),
            Part::Day(m, d) => NaiveDate::from_ymd_opt(y, m, d),
        }
    }
}
fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let first_next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    }?;
    (1..=12)
        .contains(&m)
        .then(|| first_next.pred_opt())
        .flatten()
}

fn digits(s: &[char], i: usize, max: usize) -> Option<(u32, usize)> {
    let n = s[i.min(s.len())..]
        .iter()
        .take(max)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n == 0 {
        return None;
    }
    let v: String = s[i..i + n].iter().collect();
    Some((v.parse().ok()?, i + n))
}

/// A Chinese or Arabic number of 1–12 at `i`.
fn small_number(s: &[char], i: usize) -> Option<(u32, usize)> {
    if let Some(d) = digits(s, i, 2) {
        return Some(d);
    }
    let val = |c: char| "一二三四五六七八九十".find(c).map(|b| b as u32 / 3 + 1);
    let a = val(*s.get(i)?)?;
    match (a, s.get(i + 1).copied().and_then(val)) {
        (10, Some(b)) if b <= 2 => Some((10 + b, i + 2)),
        (a, _) => Some((a, i + 1)),
    }
}

fn starts(s: &[char], i: usize, w: &str) -> bool {
    let w: Vec<char> = w.chars().collect();
    s.len() >= i + w.len() && s[i..i + w.len()] == w[..]
}

/// The part of a year named at `i` after the year (or alone): 年底, 上半年,
/// 三季度, 12月底, 12月31日, …
fn part_at(s: &[char], i: usize) -> Option<(Part, usize)> {
    for (w, part) in [
        ("年底", Part::Year),
        ("年末", Part::Year),
        ("年内", Part::Year),
        ("全年", Part::Year),
        ("底", Part::Year),
        ("末", Part::Year),
        ("上半年", Part::Months(1, 6)),
        ("下半年", Part::Months(7, 12)),
    ] {
        if starts(s, i, w) {
            return Some((part, i + w.chars().count()));
        }
    }
    let mut j = i;
    for w in ["前", "第"] {
        if starts(s, j, w) {
            j += 1;
        }
    }
    if let Some((q, k)) = small_number(s, j) {
        if starts(s, k, "季度") && (1..=4).contains(&q) {
            let mut end = k + 2;
            for w in ["末", "底"] {
                if starts(s, end, w) {
                    end += 1;
                }
            }
            return Some((Part::Months(q * 3 - 2, q * 3), end));
        }
    }
    let (m, k) = small_number(s, i)?;
    // A month out of range is kept, so the cell is refused as an invalid
    // date rather than read as its year.
    if !starts(s, k, "月") {
        return None;
    }
    let k = k + 1;
    if let Some((d, e)) = digits(s, k, 2) {
        if starts(s, e, "日") || starts(s, e, "号") {
            return Some((Part::Day(m, d), e + 1));
        }
        return Some((Part::Day(m, d), e));
    }
    for (w, day) in [
        ("上旬", 10),
        ("中旬", 20),
        ("月初", 10),
        ("初", 10),
        ("中", 15),
    ] {
        if starts(s, k, w) {
            return Some((Part::Day(m, day), k + w.chars().count()));
        }
    }
    for w in ["下旬", "底", "末", "份"] {
        if starts(s, k, w) {
            return Some((Part::Months(m, m), k + w.chars().count()));
        }
    }
    Some((Part::Months(m, m), k))
}

/// A date expression starting at `i`.
fn date_at(s: &[char], i: usize) -> Option<Phrase> {
    if let Some((y, k)) = digits(s, i, 8) {
        let len = k - i;
        if len == 8 {
            // 20241231
            let (m, d) = (y / 100 % 100, y % 100);
            return Some(Phrase {
                year: Some((y / 10000) as i32),
                part: Part::Day(m, d),
                end: k,
            });
        }
        if len != 4 || !(1990..=2100).contains(&y) {
            // 12月底: a month, no year.
            return no_year(s, i);
        }
        let year = Some(y as i32);
        match s.get(k) {
            Some('年') => {
                let k = k + 1 + usize::from(starts(s, k + 1, "度"));
                let (part, end) = part_at(s, k).unwrap_or((Part::Year, k));
                return Some(Phrase { year, part, end });
            }
            Some(sep @ ('-' | '/' | '.')) => {
                let Some((m, e)) = digits(s, k + 1, 2) else {
                    return Some(Phrase {
                        year,
                        part: Part::Year,
                        end: k,
                    });
                };
                if s.get(e) == Some(sep) {
                    if let Some((d, e2)) = digits(s, e + 1, 2) {
                        return Some(Phrase {
                            year,
                            part: Part::Day(m, d),
                            end: e2,
                        });
                    }
                }
                // 2024-2026: a span of years, not a month.
                if m > 12 {
                    return Some(Phrase {
                        year,
                        part: Part::Year,
                        end: k,
                    });
                }
                let mut end = e;
                if starts(s, e, "月") {
                    end += 1;
                }
                return Some(Phrase {
                    year,
                    part: Part::Months(m, m),
                    end,
                });
            }
            _ => {
                let (part, end) = part_at(s, k).unwrap_or((Part::Year, k));
                return Some(Phrase { year, part, end });
            }
        }
    }
    no_year(s, i)
}

/// A date expression without a year at `i`: 12月底前, 年底前, 三季度.
fn no_year(s: &[char], i: usize) -> Option<Phrase> {
    if i > 0 && s[i - 1].is_ascii_digit() {
        return None;
    }
    let (part, end) = part_at(s, i)?;
    // A bare 底 or 末 is no date by itself.
    if end == i + 1 && matches!(s[i], '底' | '末') {
        return None;
    }
    Some(Phrase {
        year: None,
        part,
        end,
    })
}

/// The date a `Limit` ends on, if it has one.
pub fn date_of(l: Limit) -> Option<NaiveDate> {
    match l {
        Limit::Date(d) => Some(d),
        _ => None,
    }
}

/// The first year (1990–2100) a title names (`2024年重点工作任务分解表`).
pub fn year_in(title: &str) -> Option<i32> {
    let s: Vec<char> = title.chars().collect();
    (0..s.len()).find_map(|i| {
        let (y, k) = digits(&s, i, 4)?;
        let whole = (i == 0 || !s[i - 1].is_ascii_digit()) && k - i == 4;
        (whole && s.get(k) == Some(&'年') && (1990..=2100).contains(&y)).then_some(y as i32)
    })
}

/// The years of a span such as `2024-2026` or `2024年—2025年`: the start
/// of the first and the end of the last.
pub fn year_span(raw: &str) -> Option<(NaiveDate, NaiveDate)> {
    let s: Vec<char> = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let years: Vec<i32> = (0..s.len())
        .filter_map(|i| {
            let (y, k) = digits(&s, i, 4)?;
            let whole = (i == 0 || !s[i - 1].is_ascii_digit()) && k - i == 4;
            (whole && (1990..=2100).contains(&y)).then_some(y as i32)
        })
        .collect();
    let (first, last) = (*years.first()?, *years.last()?);
    (years.len() == 2 && first <= last).then(|| {
        (
            NaiveDate::from_ymd_opt(first, 1, 1).expect("a year start"),
            NaiveDate::from_ymd_opt(last, 12, 31).expect("a year end"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn titles_and_spans_give_years() {
        assert_eq!(year_in("2024年重点工作任务分解表"), Some(2024));
        assert_eq!(year_in("重点工作（12024年）"), None);
        assert_eq!(year_in("任务分解表"), None);
        let (a, b) = year_span("2024-2026年").unwrap();
        assert_eq!((a.year(), b.to_string()), (2024, "2026-12-31".to_string()));
        assert_eq!(year_span("2025年"), None);
    }
}
