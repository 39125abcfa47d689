//! The provisional (暂定) calendar of a year the State Council has not yet
//! published: the statutory holidays the law fixes, laid out in blocks and
//! made-up working days the way the State Council's notices have laid them
//! out in recent years.
//!
//! **The law** (全国年节及纪念日放假办法). As amended in 2024, from 2025:
//! 元旦 1 day, 春节 4 days from 除夕, 清明 1, 劳动节 2 (1–2 May), 端午 1,
//! 中秋 1, 国庆 3 (1–3 October): 13 days. Before 2025 (the 2013 text): 春节 3
//! days from 初一 and 劳动节 1 day: 11 days. A statutory day that falls on a
//! weekend is made up on a working day (补休).
//!
//! **The blocks** (what the notices of 2020–2026 do):
//!
//! - A one-day holiday: on Monday, Saturday or Sunday it joins the weekend
//!   (Saturday to Monday; the Monday makes up a weekend holiday); on Friday,
//!   Friday to Sunday; on Tuesday, Sunday to Tuesday with the Saturday before
//!   worked; on Thursday, Thursday to Saturday with the Sunday after worked;
//!   on Wednesday, the day alone.
//! - 春节: from 除夕, 8 days under the 2024 law, 7 under the old one.
//! - 劳动节: 5 days from 1 May, from the Saturday before when 1 May is a
//!   Sunday or Monday.
//! - 国庆: 1–7 October; when 中秋 falls between 29 September and 8 October
//!   the two make one block of 8 days from the earlier of 中秋 and 1 October.
//! - A block that would begin on a Monday begins on the Sunday before, so
//!   the day before it is never a made-up working day.
//!
//! **The made-up working days** (调休): a block longer than its statutory
//! days plus its weekend days borrows working days, each paid back by working
//! a weekend day near the block. Since 2025 the notices keep every stretch of
//! consecutive working days to at most six, and take the weekend days nearest
//! the block, one on each side when two are needed. That is the rule here:
//! among the free weekend days within two weeks of the block, the
//! combination that keeps stretches to six days or fewer, one each side when
//! two are needed, nearest the block.
//!
//! How well this reproduces the official years 2020–2026 is measured by the
//! tests (`tests/provisional.rs`) and printed in the README; the holidays the
//! law fixes always agree, the block lengths and 调休 days of years before
//! the 2024 rules less so.

use super::lunar;
use super::Year;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// Which text of the holiday law a year follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Law {
    /// The 2013 text, in force until 2024: 11 days.
    Of2013,
    /// The 2024 amendment, from 2025: 13 days.
    Of2024,
}

impl Law {
    pub fn of(year: i32) -> Law {
        if year >= 2025 {
            Law::Of2024
        } else {
            Law::Of2013
        }
    }
}

/// One holiday of the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Festival {
    NewYear,
    SpringFestival,
    Qingming,
    Labour,
    DragonBoat,
    MidAutumn,
    National,
}

impl Festival {
    pub const ALL: [Festival; 7] = [
        Festival::NewYear,
        Festival::SpringFestival,
        Festival::Qingming,
        Festival::Labour,
        Festival::DragonBoat,
        Festival::MidAutumn,
        Festival::National,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Festival::NewYear => "元旦",
            Festival::SpringFestival => "春节",
            Festival::Qingming => "清明节",
            Festival::Labour => "劳动节",
            Festival::DragonBoat => "端午节",
            Festival::MidAutumn => "中秋节",
            Festival::National => "国庆节",
        }
    }
}

/// The statutory days of one festival of `year` under the law in force.
pub fn statutory_days(year: i32, f: Festival) -> Option<Vec<NaiveDate>> {
    let law = Law::of(year);
    let from = |d: NaiveDate, n: u64| (0..n).filter_map(move |i| d.checked_add_days(Days::new(i)));
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    Some(match f {
        Festival::NewYear => vec![ymd(1, 1)?],
        Festival::SpringFestival => match law {
            Law::Of2024 => from(lunar::new_years_eve(year)?, 4).collect(),
            Law::Of2013 => from(lunar::spring_festival(year)?, 3).collect(),
        },
        Festival::Qingming => vec![lunar::qingming(year)?],
        Festival::Labour => match law {
            Law::Of2024 => vec![ymd(5, 1)?, ymd(5, 2)?],
            Law::Of2013 => vec![ymd(5, 1)?],
        },
        Festival::DragonBoat => vec![lunar::dragon_boat(year)?],
        Festival::MidAutumn => vec![lunar::mid_autumn(year)?],
        Festival::National => vec![ymd(10, 1)?, ymd(10, 2)?, ymd(10, 3)?],
    })
}

/// A block of days off and the festivals whose statutory days it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub festivals: Vec<Festival>,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The statutory days inside (each one a paid day off, weekend or not).
    pub statutory: usize,
    /// The weekend days worked to pay for the borrowed days.
    pub workdays: Vec<NaiveDate>,
}

impl Block {
    fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.first.iter_days().take_while(move |d| *d <= self.last)
    }

    /// The name as a notice writes it: 国庆节、中秋节.
    pub fn name(&self) -> String {
        self.festivals
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn add(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(chrono::Duration::days(n)).unwrap_or(d)
}

/// The block of a one-day holiday on `d`, and whether it borrows a day
/// (Tuesday and Thursday: the Monday or Friday between it and the weekend).
fn one_day_block(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    match d.weekday() {
        Weekday::Mon => (add(d, -2), d),
        Weekday::Tue => (add(d, -2), d),
        Weekday::Wed => (d, d),
        Weekday::Thu => (d, add(d, 2)),
        Weekday::Fri => (d, add(d, 2)),
        Weekday::Sat => (d, add(d, 2)),
        Weekday::Sun => (add(d, -1), add(d, 1)),
    }
}

/// The blocks of `year`'s holidays, in order, before the 调休 days are
/// chosen. 元旦's block may begin in December of the year before.
fn blocks_of(year: i32) -> Option<Vec<Block>> {
    let law = Law::of(year);
    let mut out = Vec::new();
    let stat = |f| statutory_days(year, f);
    let block = |festivals: Vec<Festival>, (first, last): (NaiveDate, NaiveDate)| {
        let statutory = festivals
            .iter()
            .filter_map(|f| statutory_days(year, *f))
            .map(|v| v.len())
            .sum();
        Block {
            festivals,
            first,
            last,
            statutory,
            workdays: Vec::new(),
        }
    };
    out.push(block(
        vec![Festival::NewYear],
        one_day_block(stat(Festival::NewYear)?[0]),
    ));
    let eve = lunar::new_years_eve(year)?;
    let length = match law {
        Law::Of2024 => 8,
        Law::Of2013 => 7,
    };
    out.push(block(
        vec![Festival::SpringFestival],
        (eve, add(eve, length - 1)),
    ));
    out.push(block(
        vec![Festival::Qingming],
        one_day_block(stat(Festival::Qingming)?[0]),
    ));
    let may1 = NaiveDate::from_ymd_opt(year, 5, 1)?;
    let labour_first = match may1.weekday() {
        Weekday::Sun => add(may1, -1),
        Weekday::Mon => add(may1, -2),
        _ => may1,
    };
    out.push(block(
        vec![Festival::Labour],
        (labour_first, add(labour_first, 4)),
    ));
    out.push(block(
        vec![Festival::DragonBoat],
        one_day_block(stat(Festival::DragonBoat)?[0]),
    ));
    let mid = stat(Festival::MidAutumn)?[0];
    let oct1 = NaiveDate::from_ymd_opt(year, 10, 1)?;
    if (add(oct1, -2)..=add(oct1, 7)).contains(&mid) {
        let first = mid.min(oct1);
        out.push(block(
            vec![Festival::National, Festival::MidAutumn],
            (first, add(first, 7)),
        ));
    } else {
        out.push(block(vec![Festival::MidAutumn], one_day_block(mid)));
        out.push(block(vec![Festival::National], (oct1, add(oct1, 6))));
    }
    // A block never begins on a Monday: the Sunday before joins it, so the
    // day before the holiday is not worked (春节 2026 is 2月15日至23日).
    for b in &mut out {
        if b.first.weekday() == Weekday::Mon {
            b.first = add(b.first, -1);
        }
    }
    out.sort_by_key(|b| b.first);
    Some(out)
}

/// Days off and weekend workdays laid out so far.
#[derive(Default)]
struct Layout {
    off: BTreeSet<NaiveDate>,
    work: BTreeSet<NaiveDate>,
}

impl Layout {
    fn working(&self, d: NaiveDate) -> bool {
        self.work.contains(&d) || (!is_weekend(d) && !self.off.contains(&d))
    }

    /// The longest run of working days in `from..=to`.
    fn longest_run(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let (mut best, mut run) = (0, 0);
        for d in from.iter_days().take_while(|d| *d <= to) {
            if self.working(d) {
                run += 1;
                best = best.max(run);
            } else {
                run = 0;
            }
        }
        best
    }
}

/// Chooses the weekend days `block` is paid back with, given what is laid
/// out already (the module documentation gives the rule).
fn choose_workdays(block: &Block, layout: &mut Layout) -> Vec<NaiveDate> {
    let weekdays = block.days().filter(|d| !is_weekend(*d)).count();
    let owed = weekdays.saturating_sub(block.statutory);
    if owed == 0 {
        return Vec::new();
    }
    let free =
        |d: &NaiveDate| is_weekend(*d) && !layout.off.contains(d) && !layout.work.contains(d);
    let before: Vec<NaiveDate> = (1..=14)
        .map(|i| add(block.first, -i))
        .filter(free)
        .collect();
    let after: Vec<NaiveDate> = (1..=14).map(|i| add(block.last, i)).filter(free).collect();
    let candidates: Vec<(NaiveDate, i64, bool)> = before
        .iter()
        .map(|d| (*d, (block.first - *d).num_days(), true))
        .chain(
            after
                .iter()
                .map(|d| (*d, (*d - block.last).num_days(), false)),
        )
        .collect();
    let (from, to) = (add(block.first, -21), add(block.last, 21));
    // The best combination so far and its rank: any stretch over six days,
    // not one each side when two are owed, the distance, the longest run.
    type Rank = (bool, bool, i64, u32);
    let mut best: Option<(Rank, Vec<NaiveDate>)> = None;
    for combo in combinations(candidates.len(), owed) {
        let days: Vec<NaiveDate> = combo.iter().map(|i| candidates[*i].0).collect();
        for d in &days {
            layout.work.insert(*d);
        }
        let run = layout.longest_run(from, to);
        for d in &days {
            layout.work.remove(d);
        }
        let sides: BTreeSet<bool> = combo.iter().map(|i| candidates[*i].2).collect();
        let distance: i64 = combo.iter().map(|i| candidates[*i].1).sum();
        let key = (run > 6, owed == 2 && sides.len() < 2, distance, run);
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((key, days));
        }
    }
    let mut days = best.map(|(_, d)| d).unwrap_or_default();
    days.sort();
    days
}

/// The ways to choose `k` of `n` indices, in lexicographic order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            go(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    if k <= n {
        go(0, n, k, &mut Vec::new(), &mut out);
    }
    out
}

/// The blocks of `year` with their 调休 days chosen.
pub fn blocks(year: i32) -> Option<Vec<Block>> {
    if !lunar::YEARS.contains(&year) {
        return None;
    }
    let mut blocks = blocks_of(year)?;
    let mut layout = Layout::default();
    for b in &blocks {
        layout.off.extend(b.days());
    }
    for b in &mut blocks {
        b.workdays = choose_workdays(b, &mut layout);
        layout.work.extend(b.workdays.iter().copied());
    }
    Some(blocks)
}

/// The provisional data of `year`: its own blocks' days in `year`, and the
/// December days of the next year's 元旦 block.
pub fn year(year: i32) -> Option<Year> {
    let mut data = Year {
        source: Some(format!(
            "暂定：按《全国年节及纪念日放假办法》和近年国务院办公厅放假安排的惯例推算，待{year}年放假安排通知发布后以通知为准"
        )),
        ..Year::default()
    };
    let mut put = |b: &Block| {
        for d in b.days().filter(|d| d.year() == year) {
            data.holidays.insert(d);
        }
        for d in b.workdays.iter().filter(|d| d.year() == year) {
            data.workdays.insert(*d);
        }
    };
    for b in blocks(year)? {
        put(&b);
    }
    if let Some(next) = blocks(year + 1) {
        if let Some(b) = next.iter().find(|b| b.festivals == [Festival::NewYear]) {
            put(b);
        }
    }
    Some(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_are_all_there() {
        assert_eq!(combinations(4, 2).len(), 6);
        assert_eq!(combinations(3, 0), vec![Vec::<usize>::new()]);
        assert!(combinations(1, 2).is_empty());
    }

    #[test]
    fn one_day_holidays_join_the_weekend() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Tuesday: Sunday to Tuesday; Thursday: Thursday to Saturday.
        assert_eq!(
            one_day_block(d("2024-09-17")),
            (d("2024-09-15"), d("2024-09-17"))
        );
        assert_eq!(
            one_day_block(d("2024-04-04")),
            (d("2024-04-04"), d("2024-04-06"))
        );
        assert_eq!(
            one_day_block(d("2023-04-05")),
            (d("2023-04-05"), d("2023-04-05"))
        );
        assert_eq!(
            one_day_block(d("2026-04-05")),
            (d("2026-04-04"), d("2026-04-06"))
        );
    }
}
