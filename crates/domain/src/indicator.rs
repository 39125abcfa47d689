//! Indicators (指标): a quantitative target of a matter (`公共充电桩13502台`,
//! `地区生产总值增长8.5%`, `PM2.5平均浓度控制在63.7微克/立方米以内`) and the
//! actual values its lead unit reports per month or quarter, with progress
//! against the target and the time's pace (时序进度).
//!
//! Kinds, and what a reported value means for each:
//!
//! - **Amount** (总量, e.g. 13502台, 年度计划投资5000万元): higher is better;
//!   a value is **cumulative**, the total reached by the period's end
//!   (累计完成). The pace is linear from 0 at the window's start to the
//!   target at its end; met (达标) as soon as the total reaches the target.
//! - **Rate** (增长率/比率, e.g. 增长8.5%, 绿地率≥40%): higher is better; a
//!   value is **point-in-time**, the rate for the year so far (累计增速) or
//!   the level at the period's end. A rate is a pace in itself, so the
//!   expected value is the target all through; it is met only by a figure
//!   for a period that ends on or after the by-date (the final figure).
//!   A decline target (`下降3%`) is reported as the size of the decline.
//! - **Ceiling** (控制在…以内, 不超过): lower is better; a value is
//!   point-in-time. Expected is the ceiling all through; met by a final
//!   figure within it.
//!
//! The window: a target due in the year it was assigned (or earlier) runs
//! from 1 January of that year, as 时间过半、任务过半 counts; a target due
//! in a later year runs from the day it was assigned. Without a by-date it
//! is due at the end of the year of assignment.
//!
//! Progress is judged at the latest reported period (时序进度 at the end of
//! that period, or today if that is earlier), as progress reports state
//! `1—4月完成X，占年度目标Y%`; with nothing reported it is 无数据, and the
//! expected value is shown as of today.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of target an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Amount,
    Rate,
    Ceiling,
}

impl TargetKind {
    pub fn label(self) -> &'static str {
        match self {
            TargetKind::Amount => "总量（累计值）",
            TargetKind::Rate => "增长率/比率（当期值）",
            TargetKind::Ceiling => "控制上限（当期值）",
        }
    }

    /// The kind a target as the reader prints it (`op`, metric, unit) is.
    pub fn classify(op: &str, metric: &str, unit: &str) -> TargetKind {
        if matches!(op, "<=" | "<") {
            return TargetKind::Ceiling;
        }
        let percent = matches!(unit, "%" | "％" | "‰" | "个百分点" | "百分点");
        let change = ["增长", "增速", "增幅", "降幅", "下降", "提高", "降低"]
            .iter()
            .any(|w| metric.contains(w));
        if percent || (change && unit.is_empty()) {
            TargetKind::Rate
        } else {
            TargetKind::Amount
        }
    }
}

/// A reporting period: a month (`2024-03`) or a quarter (`2024Q1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Month(i32, u32),
    Quarter(i32, u32),
}

impl Period {
    /// Reads `YYYY-MM` or `YYYYQn` (also `YYYYqn`); a message in Chinese
    /// otherwise.
    pub fn parse(s: &str) -> Result<Period, String> {
        let s = s.trim();
        let bad = || format!("期间“{s}”无效：按月填写如 2024-03，按季度填写如 2024Q1");
        let year = |y: &str| {
            (y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
                .then(|| y.parse::<i32>().ok())
                .flatten()
                .filter(|y| (2000..=2100).contains(y))
        };
        if let Some((y, m)) = s.split_once('-') {
            let m: u32 = m.parse().map_err(|_| bad())?;
            match (year(y), m) {
                (Some(y), 1..=12) if s.len() == 7 => Ok(Period::Month(y, m)),
                _ => Err(bad()),
            }
        } else if let Some((y, q)) = s.split_once(['Q', 'q']) {
            match (year(y), q) {
                (Some(y), "1" | "2" | "3" | "4") => Ok(Period::Quarter(y, q.parse().unwrap_or(1))),
                _ => Err(bad()),
            }
        } else {
            Err(bad())
        }
    }

    /// The first day of the period.
    pub fn start(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Month(y, m) => (y, m),
            Period::Quarter(y, q) => (y, q * 3 - 2),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Month(y, m) => (y, m),
            Period::Quarter(y, q) => (y, q * 3),
        };
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
        }
    }
}

/// A target to follow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub kind: TargetKind,
    /// `>=`, `>`, `=`, `<=` or `<`, as the reader gives it.
    pub op: String,
    pub target: f64,
    pub unit: String,
    /// The first day of the pace (see the module's notes).
    pub start: NaiveDate,
    /// When the target is due.
    pub by: NaiveDate,
}

impl Indicator {
    /// An indicator for a target due `by` (none: the end of the year of
    /// assignment) on a matter assigned on `assigned`.
    pub fn new(
        kind: TargetKind,
        op: &str,
        target: f64,
        unit: &str,
        by: Option<NaiveDate>,
        assigned: NaiveDate,
    ) -> Indicator {
        let year_end = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default();
        let by = by.unwrap_or_else(|| year_end(assigned.year()));
        let start = if by.year() <= assigned.year() {
            NaiveDate::from_ymd_opt(by.year(), 1, 1).unwrap_or_default()
        } else {
            assigned
        };
        Indicator {
            kind,
            op: op.to_string(),
            target,
            unit: unit.to_string(),
            start,
            by,
        }
    }

    /// The share of the window elapsed by the end of `day` (0 to 1).
    pub fn pace(&self, day: NaiveDate) -> f64 {
        let total = (self.by - self.start).num_days() + 1;
        let done = (day - self.start).num_days() + 1;
        if total <= 0 {
            return 1.0;
        }
        (done as f64 / total as f64).clamp(0.0, 1.0)
    }

    /// The value the pace expects by the end of `day`.
    pub fn expected_at(&self, day: NaiveDate) -> f64 {
        match self.kind {
            TargetKind::Amount => self.target * self.pace(day),
            TargetKind::Rate | TargetKind::Ceiling => self.target,
        }
    }

    /// Whether `value` meets the target itself.
    fn meets(&self, value: f64) -> bool {
        match self.op.as_str() {
            ">" => value > self.target,
            "<" => value < self.target,
            "<=" => value <= self.target,
            // `=` (达到) and `>=`: reaching the target is meeting it.
            _ if self.kind == TargetKind::Ceiling => value <= self.target,
            _ => value >= self.target,
        }
    }

    /// A period that cannot belong to this target: one ending before the
    /// year its window starts, or starting after it is due.
    pub fn check_period(&self, p: Period) -> Result<(), String> {
        let first = NaiveDate::from_ymd_opt(self.start.year(), 1, 1).unwrap_or_default();
        if p.end() < first || p.start() > self.by {
            return Err(format!(
                "期间 {p} 不在本指标的考核期内（{} 至 {}）",
                first, self.by
            ));
        }
        Ok(())
    }
}

/// One reported value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Actual {
    #[serde(serialize_with = "period_text")]
    pub period: Period,
    pub value: f64,
}

fn period_text<S: serde::Serializer>(p: &Period, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// Where an indicator stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 达标: the target is met.
    Met,
    /// 进度正常: on or ahead of the pace.
    OnPace,
    /// 滞后: behind the pace (or above a ceiling).
    Behind,
    /// 无数据: nothing reported yet.
    NoData,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "达标",
            Status::OnPace => "进度正常",
            Status::Behind => "滞后",
            Status::NoData => "无数据",
        }
    }
}

/// Progress of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// The value of the latest period (by end date; the later in `actuals`
    /// wins a tie).
    pub latest: Option<Actual>,
    /// The day progress is judged at: the latest period's end, or today if
    /// earlier; today with nothing reported.
    pub as_of: NaiveDate,
    /// The share of the window elapsed at `as_of` (时序进度), 0 to 1.
    pub pace: f64,
    /// `latest ÷ target`; `None` without a value or with a target of 0.
    pub ratio_of_target: Option<f64>,
    /// What the pace expects at `as_of`.
    pub expected_by_now: f64,
    /// How far the latest value is ahead of the pace, in the target's
    /// unit; negative when behind (for a ceiling: below it is ahead).
    pub ahead_or_behind: Option<f64>,
    pub status: Status,
}

/// The progress of `ind` given the reported `actuals` (current values
/// only, one per period, in the order recorded), as of `today`.
pub fn progress(ind: &Indicator, actuals: &[Actual], today: NaiveDate) -> Progress {
    let latest = actuals
        .iter()
        .fold(None::<&Actual>, |best, a| match best {
            Some(b) if b.period.end() > a.period.end() => Some(b),
            _ => Some(a),
        })
        .copied();
    let as_of = latest.map_or(today, |a| a.period.end().min(today));
    let expected = ind.expected_at(as_of);
    let Some(l) = latest else {
        return Progress {
            latest: None,
            as_of,
            pace: ind.pace(as_of),
            ratio_of_target: None,
            expected_by_now: expected,
            ahead_or_behind: None,
            status: Status::NoData,
        };
    };
    let margin = match ind.kind {
        TargetKind::Ceiling => expected - l.value,
        _ => l.value - expected,
    };
    let meets = ind.meets(l.value);
    let final_figure = l.period.end() >= ind.by;
    let status = match ind.kind {
        TargetKind::Amount if meets => Status::Met,
        TargetKind::Amount if margin >= 0.0 => Status::OnPace,
        TargetKind::Amount => Status::Behind,
        _ if meets && final_figure => Status::Met,
        _ if meets => Status::OnPace,
        _ => Status::Behind,
    };
    Progress {
        latest,
        as_of,
        pace: ind.pace(as_of),
        ratio_of_target: (ind.target != 0.0).then(|| l.value / ind.target),
        expected_by_now: expected,
        ahead_or_behind: Some(margin),
        status,
    }
}

#[cfg(test)]
mod tests;
