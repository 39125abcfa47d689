//! What the assessment and the bulletins read about one unit in one
//! period: the figures the store gathers ([`UnitFigures`]), with the ids of
//! the tracks and records behind every figure so an explanation can list
//! them; and the periods (month, quarter, year) they are gathered for.
//!
//! The figures cover the unit's tracks **assigned in the period** (withdrawn
//! ones apart: they owe nothing), judged on the day the report is made
//! (`as_of`): an action dated after that day counts as not yet done. Each
//! of the three 13710 limits puts every such track in one bucket of a
//! [`RateFigures`], by the dashboard's rule: on time (done on or before the
//! limit's day), late (done after it), missed (not done, the limit's day
//! before `as_of`), pending (not done, not yet due), or no limit (none set,
//! or the calendar lacks its year). `due` = on time + late + missed.

use crate::matter::{MatterId, TrackId, UnitId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// One limit's buckets over a unit's tracks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateFigures {
    pub on_time: i64,
    /// Done after the limit.
    pub late: Vec<TrackId>,
    /// Not done, and the limit has passed.
    pub missed: Vec<TrackId>,
    /// Not done, not yet due.
    pub pending: i64,
    /// No limit to judge by.
    pub no_limit: i64,
}

impl RateFigures {
    /// Done, or whose limit has passed: the rate's denominator.
    pub fn due(&self) -> i64 {
        self.on_time + self.late.len() as i64 + self.missed.len() as i64
    }

    /// `on_time / due`; `None` when nothing was due.
    pub fn rate(&self) -> Option<f64> {
        let due = self.due();
        (due > 0).then(|| self.on_time as f64 / due as f64)
    }
}

/// Closed tracks by the office's grade.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grades {
    pub excellent: Vec<TrackId>,
    pub good: Vec<TrackId>,
    pub pass: Vec<TrackId>,
    pub fail: Vec<TrackId>,
}

impl Grades {
    pub fn count(&self) -> i64 {
        (self.excellent.len() + self.good.len() + self.pass.len() + self.fail.len()) as i64
    }
}

/// A track overdue on the report's day: the earliest of its limits that
/// passed unmet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueItem {
    pub track_id: TrackId,
    pub matter_id: MatterId,
    pub title: String,
    /// 签收部署, 首次反馈 or 申请办结.
    pub limit: String,
    pub due: NaiveDate,
    /// Days late in the matter type's counting; `None` when the calendar
    /// lacks a year between.
    pub days_late: Option<u32>,
}

/// An inspection record (督查记录) as the assessment counts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionRef {
    pub id: i64,
    pub date: NaiveDate,
    /// 现场督查, 电话督查, 明查暗访.
    pub kind: String,
    pub finding: String,
    /// Points to deduct (0 for an inspection that found nothing).
    pub points: f64,
    /// A major problem: its deduction is not capped.
    pub major: bool,
}

/// A summons record (约谈).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummonsRef {
    pub id: i64,
    pub date: NaiveDate,
    pub reason: String,
}

/// One unit's figures for a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitFigures {
    pub unit_id: UnitId,
    pub unit_name: String,
    /// Tracks assigned in the period, withdrawn ones apart.
    pub assigned: i64,
    /// Tracks assigned in the period and withdrawn since.
    pub withdrawn: i64,
    pub sign: RateFigures,
    pub report: RateFigures,
    pub close: RateFigures,
    /// Closed (销号) by the report's day.
    pub closed: i64,
    /// Close applications made: each returned one plus the one that stands.
    pub applications: i64,
    /// Close applications returned (退回), counted per return.
    pub returns: i64,
    /// The tracks returned at least once.
    pub returned: Vec<TrackId>,
    /// The tracks granted at least one extension (延期).
    pub extended: Vec<TrackId>,
    pub grades: Grades,
    /// Most overdue first.
    pub overdue: Vec<OverdueItem>,
    /// Inspections dated in the period.
    pub inspections: Vec<InspectionRef>,
    /// Summons dated in the period.
    pub summons: Vec<SummonsRef>,
}

impl UnitFigures {
    /// A unit with nothing in the period.
    pub fn empty(unit_id: UnitId, unit_name: &str) -> UnitFigures {
        UnitFigures {
            unit_id,
            unit_name: unit_name.to_string(),
            ..UnitFigures::default()
        }
    }

    /// Whether nothing in the period counts for or against the unit: no
    /// sign-for, report or close limit fell due, nothing is overdue,
    /// graded, returned, inspected or summoned. Such a unit is not ranked,
    /// graded, commended or criticised (无考核事项): a unit is never
    /// placed for having had nothing to do.
    pub fn nothing_due(&self) -> bool {
        self.sign.due() == 0
            && self.report.due() == 0
            && self.close.due() == 0
            && self.overdue.is_empty()
            && self.grades.count() == 0
            && self.returns == 0
            && self.inspections.is_empty()
            && self.summons.is_empty()
    }

    /// Returned ÷ applications; `None` without an application.
    pub fn return_rate(&self) -> Option<f64> {
        (self.applications > 0).then(|| self.returns as f64 / self.applications as f64)
    }
}

/// How long a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

/// A month (`2024-09`), a quarter (`2024Q3`) or a year (`2024`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    /// As written back: `2024-09`, `2024Q3`, `2024`.
    pub code: String,
    /// 2024年9月, 2024年第三季度, 2024年.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

impl Period {
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            kind: PeriodKind::Year,
            code: year.to_string(),
            label: format!("{year}年"),
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        Some(Period {
            kind: PeriodKind::Quarter,
            code: format!("{year}Q{q}"),
            label: format!("{year}年第{}季度", QUARTERS[q as usize - 1]),
            from: NaiveDate::from_ymd_opt(year, q * 3 - 2, 1)?,
            to: last_day_of_month(year, q * 3)?,
        })
    }

    pub fn month(year: i32, m: u32) -> Option<Period> {
        Some(Period {
            kind: PeriodKind::Month,
            code: format!("{year}-{m:02}"),
            label: format!("{year}年{m}月"),
            from: NaiveDate::from_ymd_opt(year, m, 1)?,
            to: last_day_of_month(year, m)?,
        })
    }

    /// The quarter `day` falls in.
    pub fn quarter_of(day: NaiveDate) -> Period {
        Period::quarter(day.year(), (day.month() - 1) / 3 + 1).expect("a valid quarter")
    }

    /// Reads `2024-09`, `2024Q3` (or `2024q3`) or `2024`.
    pub fn parse(text: &str) -> Result<Period, String> {
        let t = text.trim();
        let bad = || format!("期间“{t}”无法识别：请写成月份 2024-09、季度 2024Q3 或年份 2024");
        let year = |s: &str| -> Result<i32, String> {
            match s.parse::<i32>() {
                Ok(y) if s.len() == 4 && (1900..=2999).contains(&y) => Ok(y),
                _ => Err(bad()),
            }
        };
        if let Some((y, q)) = t.split_once(['Q', 'q']) {
            let q: u32 = q.parse().map_err(|_| bad())?;
            return Period::quarter(year(y)?, q).ok_or_else(bad);
        }
        if let Some((y, m)) = t.split_once('-') {
            let m: u32 = m.parse().map_err(|_| bad())?;
            return Period::month(year(y)?, m).ok_or_else(bad);
        }
        Period::year(year(t)?).ok_or_else(bad)
    }

    /// `from`–`to` in Chinese: 7月1日至9月30日.
    pub fn span_label(&self) -> String {
        format!(
            "{}月{}日至{}月{}日",
            self.from.month(),
            self.from.day(),
            self.to.month(),
            self.to.day()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_read_months_quarters_and_years() {
        let cases = [
            (
                "2024-09",
                "2024-09",
                "2024年9月",
                "2024-09-01",
                "2024-09-30",
            ),
            (
                "2024-02",
                "2024-02",
                "2024年2月",
                "2024-02-01",
                "2024-02-29",
            ),
            (
                "2024-12",
                "2024-12",
                "2024年12月",
                "2024-12-01",
                "2024-12-31",
            ),
            (
                "2024Q3",
                "2024Q3",
                "2024年第三季度",
                "2024-07-01",
                "2024-09-30",
            ),
            (
                "2024q1",
                "2024Q1",
                "2024年第一季度",
                "2024-01-01",
                "2024-03-31",
            ),
            (" 2024 ", "2024", "2024年", "2024-01-01", "2024-12-31"),
        ];
        for (text, code, label, from, to) in cases {
            let p = Period::parse(text).unwrap();
            assert_eq!(
                (p.code.as_str(), p.label.as_str(), p.from, p.to),
                (code, label, d(from), d(to)),
                "{text}"
            );
        }
        for bad in ["2024Q5", "2024-13", "24", "2024年", "", "2024-9-1", "Q3"] {
            let e = Period::parse(bad).unwrap_err();
            assert!(e.contains("无法识别"), "{bad}: {e}");
        }
        assert_eq!(Period::quarter_of(d("2024-11-05")).code, "2024Q4");
        assert_eq!(
            Period::parse("2024Q3").unwrap().span_label(),
            "7月1日至9月30日"
        );
    }

    #[test]
    fn a_rate_counts_on_time_late_and_missed() {
        let r = RateFigures {
            on_time: 3,
            late: vec![7],
            missed: vec![8, 9],
            pending: 4,
            no_limit: 1,
        };
        assert_eq!(r.due(), 6);
        assert_eq!(r.rate(), Some(0.5));
        assert_eq!(RateFigures::default().rate(), None);
    }
}
