//! The official working-day calendar of China: weekends, public holidays,
//! and the weekend days made working days (调休), per year, shipped as data
//! for 2020–2027 and editable by an admin. A year the calendar does not have
//! is refused, never guessed.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One year's exceptions to the Monday–Friday week.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Year {
    /// Days off that would otherwise be working days (and holiday weekends).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休).
    pub workdays: BTreeSet<NaiveDate>,
}

/// The working-day calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

/// Why a working-day computation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CalendarError {
    /// The calendar has no data for this year.
    YearNotCovered(i32),
    /// The calendar data could not be read.
    BadData(String),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::YearNotCovered(y) => {
                write!(f, "节假日日历中没有 {y} 年的数据，无法按工作日计算时限；请管理员先录入 {y} 年的放假安排")
            }
            CalendarError::BadData(m) => write!(f, "节假日日历数据有误：{m}"),
        }
    }
}

impl std::error::Error for CalendarError {}

impl Calendar {
    /// The official calendar shipped with Duban (2020–2027).
    pub fn official() -> Calendar {
        unimplemented!("calendar data")
    }

    /// The years the calendar covers.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Sets (or replaces) one year's data.
    pub fn set_year(&mut self, year: i32, data: Year) {
        self.years.insert(year, data);
    }

    /// One year's data, if covered.
    pub fn year(&self, year: i32) -> Option<&Year> {
        self.years.get(&year)
    }

    /// Is `d` a working day?
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        let _ = d;
        unimplemented!()
    }

    /// The `n`-th working day after `from` (`n` = 0: `from` itself if it is a
    /// working day, else the next working day).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let _ = (from, n);
        unimplemented!()
    }

    /// The first and last working day of the first working week after `day`
    /// (the report window after a quarter ends, 每季度结束后第一个工作周).
    pub fn first_working_week_after(&self, day: NaiveDate) -> Result<(NaiveDate, NaiveDate), CalendarError> {
        let _ = day;
        unimplemented!()
    }
}
