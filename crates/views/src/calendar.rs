//! The working-day calendar (节假日日历): the years in use, one year in
//! full, and the State Council's notice read beside them.

use chrono::NaiveDate;
use duban_domain::calendar::Provenance;
use serde::Serialize;
use utoipa::ToSchema;

/// The years, official and provisional (`GET /api/v1/calendar`), the
/// latest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarListView {
    pub years: Vec<CalendarYearSummary>,
    pub today: NaiveDate,
}

/// One year in the list, with counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarYearSummary {
    pub year: i32,
    /// `official` (正式) or `provisional` (暂定).
    #[schema(value_type = String, example = "official")]
    pub provenance: Provenance,
    pub provenance_label: String,
    /// Whether an admin entered it.
    pub entered: bool,
    /// Whether Duban ships it.
    pub shipped: bool,
    /// The notice it comes from (title and 发文字号).
    pub source: Option<String>,
    /// How many days off and made-up working days it has.
    pub holidays: usize,
    pub workdays: usize,
    /// The days off as runs of days in words (`1月1日；2月10日–17日`).
    pub holiday_runs: String,
    pub workday_runs: String,
}

/// One year's exceptions to the Monday–Friday week.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarDays {
    /// Where the data comes from; absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Days off that would otherwise be working days, in order.
    pub holidays: Vec<NaiveDate>,
    /// Weekend days that are working days (调休), in order.
    pub workdays: Vec<NaiveDate>,
}

impl From<&duban_domain::calendar::Year> for CalendarDays {
    fn from(y: &duban_domain::calendar::Year) -> Self {
        CalendarDays {
            source: y.source.clone(),
            holidays: y.holidays.iter().copied().collect(),
            workdays: y.workdays.iter().copied().collect(),
        }
    }
}

/// How one year's days differ from another's.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarDifferences {
    pub same: bool,
    pub holidays_added: Vec<NaiveDate>,
    pub holidays_removed: Vec<NaiveDate>,
    pub workdays_added: Vec<NaiveDate>,
    pub workdays_removed: Vec<NaiveDate>,
}

impl From<duban_domain::calendar::notice::Differences> for CalendarDifferences {
    fn from(d: duban_domain::calendar::notice::Differences) -> Self {
        CalendarDifferences {
            same: d.same,
            holidays_added: d.holidays_added,
            holidays_removed: d.holidays_removed,
            workdays_added: d.workdays_added,
            workdays_removed: d.workdays_removed,
        }
    }
}

/// One year in full (`GET /api/v1/calendar/{year}`), and the provisional
/// year beside it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarYearView {
    pub year: i32,
    /// `official` (正式) or `provisional` (暂定).
    #[schema(value_type = String, example = "official")]
    pub provenance: Provenance,
    pub provenance_label: String,
    pub entered: bool,
    pub shipped: bool,
    /// The days in use.
    pub data: CalendarDays,
    pub holiday_runs: String,
    pub workday_runs: String,
    /// The year as derived from the holiday rules, where the lunar data
    /// reaches.
    pub provisional: Option<CalendarDays>,
    /// What the days in use change from the provisional year.
    pub differences: Option<CalendarDifferences>,
}

/// What the open limits' recomputation did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecomputedView {
    /// Open tracks looked at.
    pub tracks: u64,
    /// Tracks whose stored limits changed.
    pub updated: u64,
    /// Tracks whose limits moved to another date (their units are told).
    pub moved: u64,
}

impl From<duban_store::calendar::Recomputed> for RecomputedView {
    fn from(r: duban_store::calendar::Recomputed) -> Self {
        RecomputedView {
            tracks: r.tracks,
            updated: r.updated,
            moved: r.moved,
        }
    }
}

/// What entering a whole year answers (`PUT /api/v1/calendar/{year}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarSetView {
    pub year: i32,
    pub data: CalendarDays,
    pub recomputed: RecomputedView,
}

/// What removing an entered year answers (`DELETE
/// /api/v1/calendar/{year}`): where the year comes from now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarRemoveView {
    pub year: i32,
    /// `official` or `provisional`; null where no data reaches the year.
    #[schema(value_type = Option<String>, example = "provisional")]
    pub provenance: Option<Provenance>,
    pub recomputed: RecomputedView,
}

/// A notice read (`POST /api/v1/calendar/notice`): its arrangements, each
/// year it changes beside the year in use, and, when applied, what that
/// did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarNoticeView {
    /// The year the notice arranges.
    pub year: i32,
    /// The notice's title and 发文字号.
    pub source: String,
    pub spans: Vec<CalendarNoticeSpan>,
    pub years: Vec<CalendarNoticeYear>,
    pub applied: bool,
    /// Only when applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recomputed: Option<RecomputedView>,
}

/// One holiday of a notice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarNoticeSpan {
    /// The holiday as the notice names it (春节), empty when it names none.
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The days off in a row.
    pub days: i64,
    /// The working days the notice names with it.
    pub workdays: Vec<NaiveDate>,
    /// The arrangement in words.
    pub text: String,
}

/// A year a notice changes, beside the year in use.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarNoticeYear {
    pub year: i32,
    pub parsed: CalendarDays,
    pub holiday_runs: String,
    pub workday_runs: String,
    /// Where the year in use comes from; null where none is.
    #[schema(value_type = Option<String>, example = "provisional")]
    pub current_provenance: Option<Provenance>,
    pub current_provenance_label: Option<String>,
    pub current_holiday_runs: Option<String>,
    pub current_workday_runs: Option<String>,
    /// What the notice changes from the year in use.
    pub differences: Option<CalendarDifferences>,
}
