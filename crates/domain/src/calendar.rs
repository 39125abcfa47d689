//! The official working-day calendar of China: weekends, public holidays,
//! and the weekend days made working days (调休), per year, shipped as data
//! and editable by an admin. A year the official data does not have yet is
//! **provisional** (暂定): derived from the holiday law and the State
//! Council's recent practice ([`provisional`]), so limits keep being
//! computed, and every limit that rests on such a year says so
//! ([`Calendar::is_provisional`]). The admin enters the official year by
//! pasting the State Council's notice ([`notice`]). Only a year outside the
//! lunar data (before 1901, after 2099) is refused.
//!
//! The shipped data (`data/holidays.json`) covers 2020–2026, each year taken
//! from the 国务院办公厅 notice 关于20XX年部分节假日安排的通知 named in its
//! `source`. 2027 is not shipped: its notice could not be confirmed, so it
//! is provisional until an admin enters the notice (and any change it makes
//! to late December 2026).
//!
//! # The JSON form
//!
//! The admin edits the calendar as one JSON object keyed by year:
//!
//! ```json
//! {
//!   "2024": {
//!     "source": "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）",
//!     "holidays": ["2024-01-01", "2024-02-10", "2024-02-11"],
//!     "workdays": ["2024-02-04", "2024-02-18"]
//!   }
//! }
//! ```
//!
//! `holidays` lists every day off of each holiday block (the weekend days
//! inside a block too); `workdays` lists the weekend days that are working
//! days. A date is listed under its own calendar year, even when a notice for
//! the next year decides it (2022-12-31 belongs to the 2023 元旦 block and is
//! listed under 2022). [`Calendar::from_json`] checks this.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

pub mod lunar;
pub mod notice;
pub mod provisional;

/// The shipped calendar data.
const OFFICIAL_JSON: &str = include_str!("../data/holidays.json");

/// One year's exceptions to the Monday–Friday week.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Year {
    /// Where the data comes from (the notice and its 发文字号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Days off that would otherwise be working days (and holiday weekends).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休).
    pub workdays: BTreeSet<NaiveDate>,
}

impl Year {
    /// Checks that the data can stand for `year`: every date lies in `year`,
    /// every workday is a Saturday or Sunday, and no date is both a holiday
    /// and a workday.
    pub fn validate(&self, year: i32) -> Result<(), CalendarError> {
        if self.is_empty() {
            return Err(CalendarError::BadData(format!(
                "{year} 年没有任何放假日：一年至少有元旦、春节等法定节假日。要撤销已录入的年份，请删除该年份（删除后按暂定安排计算）"
            )));
        }
        for d in self.holidays.iter().chain(&self.workdays) {
            if d.year() != year {
                return Err(CalendarError::BadData(format!(
                    "{year} 年的数据中有不属于该年的日期 {d}（每个日期应列在它所在的年份下）"
                )));
            }
        }
        if let Some(d) = self.workdays.iter().find(|d| !is_weekend(**d)) {
            return Err(CalendarError::BadData(format!(
                "{d} 不是周末，不能列为调休上班日（workdays 只列周六、周日）"
            )));
        }
        if let Some(d) = self.holidays.intersection(&self.workdays).next() {
            return Err(CalendarError::BadData(format!(
                "{d} 同时列为放假日和调休上班日"
            )));
        }
        Ok(())
    }
}

impl Year {
    /// No holiday and no workday: such a year never counts as entered.
    pub fn is_empty(&self) -> bool {
        self.holidays.is_empty() && self.workdays.is_empty()
    }
}

/// Where a year of the calendar comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Shipped with Duban or entered by an admin from the notice.
    Official,
    /// Derived from the holiday law (暂定) until the notice is entered.
    Provisional,
}

impl Provenance {
    pub fn label(self) -> &'static str {
        match self {
            Provenance::Official => "正式",
            Provenance::Provisional => "暂定",
        }
    }
}

/// The provisional years computed so far, one slot per year of the lunar
/// data; computing one takes some lunar conversions, and the working-day
/// walks ask for a year many times.
static PROVISIONAL: [OnceLock<Option<Year>>; 199] = [const { OnceLock::new() }; 199];

/// The provisional data of `year` (see [`provisional`]); `None` outside the
/// lunar data's years.
pub fn provisional_year(year: i32) -> Option<&'static Year> {
    let i = usize::try_from(year - lunar::YEARS.start()).ok()?;
    PROVISIONAL
        .get(i)?
        .get_or_init(|| provisional::year(year))
        .as_ref()
}

/// The working-day calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
    /// Refuse years without official data instead of using provisional
    /// ones ([`Calendar::strict`]).
    strict: bool,
}

/// Why a working-day computation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CalendarError {
    /// The calendar has no data for this year.
    YearNotCovered(i32),
    /// The calendar data could not be read.
    BadData(String),
    /// A quarter number other than 1–4.
    InvalidQuarter(u32),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::YearNotCovered(y) => {
                write!(
                    f,
                    "节假日日历只能推算 1901 至 2099 年，{y} 年无法按工作日计算时限"
                )
            }
            CalendarError::BadData(m) => write!(f, "节假日日历数据有误：{m}"),
            CalendarError::InvalidQuarter(q) => write!(f, "季度应为 1 至 4，收到的是 {q}"),
        }
    }
}

impl std::error::Error for CalendarError {}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The day after `d`; past the last date chrono knows, the year after is
/// certainly not covered.
fn next_day(d: NaiveDate) -> Result<NaiveDate, CalendarError> {
    d.succ_opt()
        .ok_or(CalendarError::YearNotCovered(d.year().saturating_add(1)))
}

impl Calendar {
    /// The official calendar shipped with Duban (2020–2026; see the module
    /// documentation for why 2027 is not there yet); other years are
    /// provisional.
    pub fn official() -> Calendar {
        static OFFICIAL: OnceLock<Calendar> = OnceLock::new();
        OFFICIAL
            .get_or_init(|| {
                Calendar::from_json(OFFICIAL_JSON).expect("the shipped data/holidays.json is valid")
            })
            .clone()
    }

    /// Reads a calendar from its JSON form (see the module documentation).
    /// Anything that is not that form, or a year whose data fails
    /// [`Year::validate`], gives [`CalendarError::BadData`].
    pub fn from_json(text: &str) -> Result<Calendar, CalendarError> {
        let years: BTreeMap<i32, Year> = serde_json::from_str(text)
            .map_err(|e| CalendarError::BadData(format!("不是有效的日历 JSON：{e}")))?;
        for (year, data) in &years {
            data.validate(*year)?;
        }
        Ok(Calendar {
            years,
            strict: false,
        })
    }

    /// The calendar in its JSON form, for the admin to edit and the store to
    /// keep; [`Calendar::from_json`] reads it back unchanged.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.years).expect("calendar data always serializes")
    }

    /// The years the calendar covers.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Sets (or replaces) one year's official data. The data is taken as
    /// given; use [`Year::validate`] first on data typed in by a person. An
    /// empty year is no data: the year becomes provisional.
    pub fn set_year(&mut self, year: i32, data: Year) {
        if data.is_empty() {
            self.years.remove(&year);
        } else {
            self.years.insert(year, data);
        }
    }

    /// The same calendar refusing every year without official data
    /// ([`CalendarError::YearNotCovered`]) instead of using the provisional
    /// one: for checks that must rest on official data only.
    pub fn strict(mut self) -> Calendar {
        self.strict = true;
        self
    }

    /// Forgets one year's official data: the year becomes provisional.
    pub fn remove_year(&mut self, year: i32) -> Option<Year> {
        self.years.remove(&year)
    }

    /// One year's official data, if entered.
    pub fn year(&self, year: i32) -> Option<&Year> {
        self.years.get(&year)
    }

    /// One year's data as the limits use it: the official data, else the
    /// provisional; `None` only outside the lunar data's years.
    pub fn year_in_use(&self, year: i32) -> Option<(&Year, Provenance)> {
        match self.years.get(&year) {
            Some(y) => Some((y, Provenance::Official)),
            None if self.strict => None,
            None => provisional_year(year).map(|y| (y, Provenance::Provisional)),
        }
    }

    /// Whether `year` is provisional (暂定): no official data, so the limits
    /// in it follow the derived year.
    pub fn is_provisional(&self, year: i32) -> bool {
        !self.strict && !self.years.contains_key(&year) && lunar::YEARS.contains(&year)
    }

    /// Whether a computation from `from` to `to` (either order) walked
    /// through a provisional year.
    pub fn provisional_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        let (a, b) = (from.year().min(to.year()), from.year().max(to.year()));
        (a..=b).any(|y| self.is_provisional(y))
    }

    fn covered(&self, year: i32) -> Result<&Year, CalendarError> {
        self.year_in_use(year)
            .map(|(y, _)| y)
            .ok_or(CalendarError::YearNotCovered(year))
    }

    /// Is `d` a working day? Monday–Friday and not a holiday, or a listed
    /// weekend workday (调休).
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        let y = self.covered(d.year())?;
        Ok(if y.workdays.contains(&d) {
            true
        } else if y.holidays.contains(&d) {
            false
        } else {
            !is_weekend(d)
        })
    }

    /// The `n`-th working day after `from` (`n` = 0: `from` itself if it is a
    /// working day, else the next working day).
    ///
    /// Every year from `from` to the answer must be covered, `from`'s own
    /// year included; walking into an uncovered year gives
    /// [`CalendarError::YearNotCovered`] for that year.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = from;
        if n == 0 {
            while !self.is_working_day(d)? {
                d = next_day(d)?;
            }
            return Ok(d);
        }
        self.covered(from.year())?;
        let mut left = n;
        loop {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                left -= 1;
                if left == 0 {
                    return Ok(d);
                }
            }
        }
    }

    /// `from` plus `n` calendar days, for matter types whose limits count
    /// calendar days. Needs no calendar data; saturates at the last date
    /// chrono can represent.
    pub fn add_calendar_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        from.checked_add_days(Days::new(u64::from(n)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The number of working days in (`a`, `b`]: how many working days late
    /// something done on `b` is against a limit of `a`. 0 when `b` is not
    /// after `a`.
    ///
    /// The years of `a`, `b` and every day between must be covered.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<u32, CalendarError> {
        self.covered(a.year())?;
        self.covered(b.year())?;
        let mut count = 0;
        let mut d = a;
        while d < b {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// The first and last working day of the first working week after `day`
    /// (the report window after a quarter ends, 每季度结束后第一个工作周).
    ///
    /// A working week is five working days: the window runs from the first
    /// working day after `day` to the fifth, so holidays and 调休 days
    /// lengthen or shift it but never shrink it to a day or a weekend. After
    /// 2024-03-31 it is 2024-04-01..2024-04-08 (清明 takes 04-04..06 and
    /// Sunday 04-07 is a 调休 workday); after 2024-09-30 it is
    /// 2024-10-08..2024-10-12.
    ///
    /// The years of `day` and of every day looked at must be covered.
    pub fn first_working_week_after(
        &self,
        day: NaiveDate,
    ) -> Result<(NaiveDate, NaiveDate), CalendarError> {
        self.covered(day.year())?;
        let first = self.add_working_days(day, 1)?;
        let last = self.add_working_days(first, 4)?;
        Ok((first, last))
    }

    /// The report window of a quarter (1–4) of `year`: the first working week
    /// after the quarter's last day, as [`Calendar::first_working_week_after`]
    /// defines it. A quarter outside 1–4 gives
    /// [`CalendarError::InvalidQuarter`].
    pub fn quarter_report_window(
        &self,
        year: i32,
        quarter: u32,
    ) -> Result<(NaiveDate, NaiveDate), CalendarError> {
        let (month, day) = match quarter {
            1 => (3, 31),
            2 => (6, 30),
            3 => (9, 30),
            4 => (12, 31),
            _ => return Err(CalendarError::InvalidQuarter(quarter)),
        };
        let end =
            NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::YearNotCovered(year))?;
        self.first_working_week_after(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn official_covers_2020_to_2026_with_sources() {
        let cal = Calendar::official();
        assert_eq!(
            cal.years().collect::<Vec<_>>(),
            (2020..=2026).collect::<Vec<_>>()
        );
        for y in cal.years() {
            let data = cal.year(y).unwrap();
            let source = data.source.as_deref().unwrap_or_default();
            assert!(
                source.contains(&format!("关于{y}年部分节假日安排的通知")),
                "{y}: {source}"
            );
            data.validate(y).unwrap();
        }
        assert_eq!(cal.year(2027), None);
    }

    /// Holiday weekdays given off, less weekend days worked, equals the
    /// statutory days of the year: each statutory day on a weekend is made up
    /// on a weekday, and each 调休 swap adds one of each. 11 days up to 2024,
    /// 13 from 2025 (除夕 and a second 劳动节 day); 2020 has 2 more from the
    /// COVID extension (Friday 01-31 off, Saturday 02-01 no longer worked).
    #[test]
    fn official_days_off_balance_with_statutory_days() {
        let cal = Calendar::official();
        for y in cal.years() {
            let data = cal.year(y).unwrap();
            let weekdays_off = data.holidays.iter().filter(|d| !is_weekend(**d)).count();
            let net = weekdays_off - data.workdays.len();
            let expected = match y {
                2020 => 13,
                ..=2024 => 11,
                _ => 13,
            };
            assert_eq!(net, expected, "{y}");
        }
    }

    #[test]
    fn json_round_trip() {
        let cal = Calendar::official();
        let text = cal.to_json();
        assert_eq!(Calendar::from_json(&text), Ok(cal.clone()));
        assert_eq!(Calendar::from_json(&text).unwrap().to_json(), text);

        let mut small = Calendar::default();
        small.set_year(
            2030,
            Year {
                source: None,
                holidays: [date("2030-01-01")].into(),
                workdays: BTreeSet::new(),
            },
        );
        let text = small.to_json();
        assert!(!text.contains("source"), "{text}");
        assert_eq!(Calendar::from_json(&text), Ok(small));
    }

    #[test]
    fn set_year_adds_and_replaces() {
        let mut cal = Calendar::official();
        // 2027 is provisional until entered: Monday 01-04 works, 元旦 is off.
        assert!(cal.is_provisional(2027));
        assert_eq!(cal.is_working_day(date("2027-01-04")), Ok(true));
        assert_eq!(cal.is_working_day(date("2027-01-01")), Ok(false));
        let y2027 = Year {
            source: Some("test".into()),
            holidays: [date("2027-01-01"), date("2027-01-04")].into(),
            workdays: [date("2027-01-09")].into(),
        };
        cal.set_year(2027, y2027.clone());
        assert!(!cal.is_provisional(2027));
        assert_eq!(cal.year(2027), Some(&y2027));
        assert_eq!(cal.years().last(), Some(2027));
        assert_eq!(cal.is_working_day(date("2027-01-04")), Ok(false));
        assert_eq!(cal.is_working_day(date("2027-01-09")), Ok(true));
        assert_eq!(cal.is_working_day(date("2027-01-05")), Ok(true));
        assert!(cal.provisional_between(date("2026-12-01"), date("2028-01-05")));
        assert!(!cal.provisional_between(date("2026-12-01"), date("2027-01-05")));

        // An empty year is no year: 2027 goes back to provisional.
        cal.set_year(2027, Year::default());
        assert!(cal.is_provisional(2027));
        assert_eq!(cal.year(2027), None);
        assert_eq!(cal.is_working_day(date("2027-01-04")), Ok(true));
        assert!(Year::default().validate(2027).is_err());

        // Removing an official year makes it provisional.
        cal.remove_year(2024);
        assert!(cal.is_provisional(2024));
        assert_eq!(cal.is_working_day(date("2024-10-02")), Ok(false));
        assert_eq!(cal.years().count(), 6);
        // Outside the lunar data nothing is guessed.
        assert_eq!(
            cal.is_working_day(date("2100-06-01")),
            Err(CalendarError::YearNotCovered(2100))
        );
    }

    #[test]
    fn bad_documents_are_refused() {
        let bad = [
            "",
            "[]",
            "{\"2024\": {\"holidays\": [\"2024-13-01\"], \"workdays\": []}}",
            "{\"2024\": {\"holidays\": [\"2023-10-02\"], \"workdays\": []}}",
            "{\"2024\": {\"holidays\": [], \"workdays\": [\"2024-02-05\"]}}",
            "{\"2024\": {\"holidays\": [\"2024-02-04\"], \"workdays\": [\"2024-02-04\"]}}",
            "{\"2024\": {\"holiday\": [], \"workdays\": []}}",
            "{\"2024\": {\"holidays\": []}}",
            "{\"year 2024\": {\"holidays\": [], \"workdays\": []}}",
        ];
        for doc in bad {
            match Calendar::from_json(doc) {
                Err(CalendarError::BadData(msg)) => assert!(!msg.is_empty()),
                other => panic!("{doc:?} gave {other:?}"),
            }
        }
        assert_eq!(Calendar::from_json("{}"), Ok(Calendar::default()));
    }

    #[test]
    fn errors_read_in_chinese() {
        assert!(CalendarError::YearNotCovered(2100)
            .to_string()
            .contains("2100 年"));
        assert!(CalendarError::InvalidQuarter(5).to_string().contains('5'));
    }
}
