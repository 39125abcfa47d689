//! The 13710 time limits of a unit's track, and its light.
//!
//! Each limit is a date: the action is due by the end of that day, and a
//! limit has passed when today is later. Terms count from the day of
//! assignment (the day itself not counted), in the matter type's counting:
//!
//! - **deploy** (the first "1"): signed for the day of assignment plus
//!   `deploy_days` (0: the same day). Under working-day counting a matter
//!   assigned on a day off is due on the next working day.
//! - **first report** (the "3"): the `report_days`-th day (or working day)
//!   after assignment.
//! - **resolve** (the "7" and the second "1"): a granted extension's date,
//!   else the track's fixed deadline, else the type's term: `n` days (or
//!   working days) after assignment, or `n` months (the same day `n` months
//!   later, or the month's last day). Under working-day counting a month
//!   term ending on a day off moves to the next working day. Continuing
//!   matters without a deadline have no resolve limit.
//! - **nodes** of a continuing matter: quarterly, due on the last working day
//!   of the first working week after the quarter
//!   ([`Calendar::first_working_week_after`], with either counting: the
//!   window is defined by the working calendar); monthly, due on the set
//!   day, which under working-day counting moves to the next working day
//!   when it is a day off (as 民法典 第二百零三条 does for any period ending on
//!   a holiday). A node is owed when its day (the quarter's last day, the
//!   monthly day) falls after the day of assignment.
//!
//! A limit is met by the action, even a late one: sign-for meets deploy, any
//! report or close application meets the first report, a close application
//! meets resolve. A node is met by a report made in its period: after the
//! previous node's due date (a report in a quarter's window belongs to that
//! quarter) and, to be on time, by its own due date. A late report meets the
//! earliest node still open, and each report meets one node only, so a late
//! report for one quarter does not also stand for the next.
//!
//! A limit computed through a provisional (暂定) calendar year says so
//! ([`Due::provisional`]): a working-day term from the assignment, a node's
//! window, whenever a year between the start and the limit has no official
//! data yet. A fixed date (the deadline, an extension) and calendar-day terms
//! never are. Working-day limits in a year the calendar cannot give at all
//! (outside 1901–2099, or a strict calendar) are refused with the
//! [`CalendarError`], never guessed.

use crate::calendar::{Calendar, CalendarError};
use crate::matter::{Counting, MatterType, Schedule, Term};
use crate::workflow::{Track, TrackState};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The status light of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// On time.
    Green,
    /// Within the type's `near_days` of a limit not yet met (临近).
    Yellow,
    /// A limit has passed without the action it asks for (逾期).
    Red,
    /// Closed or withdrawn: nothing more is owed.
    Done,
}

impl Light {
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "绿灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
            Light::Done => "已办结",
        }
    }
}

/// Which limit a date belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// 签收部署.
    Deploy,
    /// 首次反馈.
    FirstReport,
    /// A continuing matter's report for the node of `day` (the quarter's
    /// last day, or the monthly day).
    Node { day: NaiveDate },
    /// 申请办结.
    Resolve,
}

impl Limit {
    pub fn label(self) -> String {
        match self {
            Limit::Deploy => "签收部署".to_string(),
            Limit::FirstReport => "首次反馈".to_string(),
            Limit::Node { day } => format!("{}年{}月节点报送", day.year(), day.month()),
            Limit::Resolve => "申请办结".to_string(),
        }
    }
}

/// A limit not yet met, and its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Due {
    pub limit: Limit,
    pub date: NaiveDate,
    /// Computed through a provisional (暂定) calendar year: the official
    /// notice may still move it.
    #[serde(default)]
    pub provisional: bool,
}

/// One reporting node of a continuing matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Node {
    /// The day the node reports on: the quarter's last day, or the monthly
    /// day.
    pub day: NaiveDate,
    /// The last day to report.
    pub due: NaiveDate,
}

/// `n` days after `from` in the given counting; `n` = 0 under working days is
/// `from` or the next working day.
fn add_days(
    counting: Counting,
    cal: &Calendar,
    from: NaiveDate,
    n: u32,
) -> Result<NaiveDate, CalendarError> {
    match counting {
        Counting::Calendar => Ok(cal.add_calendar_days(from, n)),
        Counting::Working => cal.add_working_days(from, n),
    }
}

/// The days in (`a`, `b`] that count; 0 when `b` is not after `a`.
pub fn days_between(
    counting: Counting,
    cal: &Calendar,
    a: NaiveDate,
    b: NaiveDate,
) -> Result<u32, CalendarError> {
    match counting {
        Counting::Calendar => Ok(u32::try_from((b - a).num_days().max(0)).unwrap_or(u32::MAX)),
        Counting::Working => cal.working_days_between(a, b),
    }
}

/// Moves a date that is a day off to the next working day under working-day
/// counting.
fn on_working_day(
    counting: Counting,
    cal: &Calendar,
    d: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    add_days(counting, cal, d, 0)
}

/// When the unit must have signed for (and deployed) the matter.
pub fn deploy_due(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
) -> Result<NaiveDate, CalendarError> {
    add_days(ty.counting, cal, track.assigned_at.date(), ty.deploy_days)
}

/// When the unit's first progress report is due.
pub fn first_report_due(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
) -> Result<NaiveDate, CalendarError> {
    add_days(ty.counting, cal, track.assigned_at.date(), ty.report_days)
}

/// When the unit must apply to close: the granted extension, else the
/// track's deadline, else the type's term; `None` when there is none.
pub fn resolve_due(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
) -> Result<Option<NaiveDate>, CalendarError> {
    if let Some(d) = track.extended_until.or(track.deadline) {
        return Ok(Some(d));
    }
    let from = track.assigned_at.date();
    match ty.resolve {
        None => Ok(None),
        Some(Term::Days(n)) => add_days(ty.counting, cal, from, n).map(Some),
        Some(Term::Months(n)) => {
            let d = from
                .checked_add_months(Months::new(n))
                .unwrap_or(NaiveDate::MAX);
            on_working_day(ty.counting, cal, d).map(Some)
        }
    }
}

/// The node days of a schedule after `after`, in order.
fn node_days(schedule: Schedule, after: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let first_month = NaiveDate::from_ymd_opt(after.year(), after.month(), 1).unwrap_or(after);
    (0u32..)
        .map_while(move |i| first_month.checked_add_months(Months::new(i)))
        .filter_map(move |month| {
            let last = month
                .checked_add_months(Months::new(1))
                .and_then(|d| d.pred_opt())?;
            match schedule {
                Schedule::Quarterly => (month.month() % 3 == 0).then_some(last),
                Schedule::Monthly { day } => {
                    Some(NaiveDate::from_ymd_opt(month.year(), month.month(), day).unwrap_or(last))
                }
            }
        })
        .filter(move |d| *d > after)
}

/// The node of `day` under the type's schedule and counting.
fn node_of(
    schedule: Schedule,
    counting: Counting,
    cal: &Calendar,
    day: NaiveDate,
) -> Result<Node, CalendarError> {
    let due = match schedule {
        Schedule::Quarterly => cal.first_working_week_after(day)?.1,
        Schedule::Monthly { .. } => on_working_day(counting, cal, day)?,
    };
    Ok(Node { day, due })
}

/// The first node of the type's schedule due on or after `from` (reported
/// on days before `from` included, as a quarter's window opens after the
/// quarter); `None` when the type has no schedule.
pub fn next_node_due(
    ty: &MatterType,
    cal: &Calendar,
    from: NaiveDate,
) -> Result<Option<Node>, CalendarError> {
    let Some(schedule) = ty.schedule else {
        return Ok(None);
    };
    // A node's day is at most a quarter window before its due date.
    let start = from.checked_sub_days(chrono::Days::new(40)).unwrap_or(from);
    for day in node_days(schedule, start) {
        let node = node_of(schedule, ty.counting, cal, day)?;
        if node.due >= from {
            return Ok(Some(node));
        }
    }
    Ok(None)
}

/// The nodes a track owes, from assignment to the first one due on or after
/// `today`, each with whether a report met it.
fn owed_nodes(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Vec<(Node, bool)>, CalendarError> {
    let Some(schedule) = ty.schedule else {
        return Ok(Vec::new());
    };
    let assigned = track.assigned_at.date();
    let mut reports = track.report_times.iter().map(|t| t.date()).peekable();
    // The first node's period opens at the due date of the node before it,
    // which may fall after the assignment (assigned inside a quarter's
    // report window). A due date is never a month after its day, so an
    // older node is not looked up.
    let month_before = assigned
        .checked_sub_months(Months::new(1))
        .unwrap_or(assigned);
    let mut opening: Option<NaiveDate> = match node_days(schedule, month_before)
        .take_while(|d| *d <= assigned)
        .last()
    {
        Some(day) => Some(node_of(schedule, ty.counting, cal, day)?.due),
        None => None,
    };
    let mut out = Vec::new();
    for day in node_days(schedule, assigned) {
        let node = node_of(schedule, ty.counting, cal, day)?;
        // Reports on or before the previous node's due date belong to that
        // node's period: they cannot stand for this node, nor a later one.
        while reports
            .next_if(|r| opening.is_some_and(|o| *r <= o))
            .is_some()
        {}
        let met = reports.next_if(|r| *r <= today).is_some();
        out.push((node, met));
        opening = Some(node.due);
        if node.due >= today {
            break;
        }
    }
    Ok(out)
}

/// Whether the date of `limit` of the track rests on a provisional (暂定)
/// calendar year: a working-day term walked from the assignment, or a
/// node's window, through a year without official data. Fixed dates (the
/// track's deadline, a granted extension) and calendar-day terms never do.
pub fn provisional(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    limit: Limit,
    date: NaiveDate,
) -> bool {
    let working = ty.counting == Counting::Working;
    match limit {
        Limit::Deploy | Limit::FirstReport => {
            working && cal.provisional_between(track.assigned_at.date(), date)
        }
        Limit::Resolve => {
            track.extended_until.or(track.deadline).is_none()
                && working
                && cal.provisional_between(track.assigned_at.date(), date)
        }
        Limit::Node { day } => node_provisional(ty, cal, Node { day, due: date }),
    }
}

/// Whether a node's due date rests on a provisional year (a quarter's
/// window is always laid on the working calendar).
pub fn node_provisional(ty: &MatterType, cal: &Calendar, node: Node) -> bool {
    let uses_calendar =
        ty.counting == Counting::Working || matches!(ty.schedule, Some(Schedule::Quarterly));
    uses_calendar && cal.provisional_between(node.day, node.due)
}

/// The limits of the track not yet met: every one that has passed, and the
/// next one of each kind still ahead, earliest first. Empty for a closed or
/// withdrawn track, and while a close application is under review (the
/// unit has done its part).
pub fn dues(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Vec<Due>, CalendarError> {
    match known_dues(track, ty, cal, today) {
        (out, None) => Ok(out),
        (_, Some(e)) => Err(e),
    }
}

/// The limits of [`dues`] the calendar can compute, and why the others
/// could not be (the first reason). A later limit in a year the calendar
/// lacks (the resolve date or a report window after New Year) does not hide
/// the early ones, which the sweep still reminds of.
pub fn known_dues(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
) -> (Vec<Due>, Option<CalendarError>) {
    let mut out = Vec::new();
    let mut error = None;
    if !matches!(
        track.state,
        TrackState::Assigned | TrackState::SignedFor | TrackState::Returned
    ) {
        return (out, None);
    }
    let mut keep = |limit: Limit, date: Result<Option<NaiveDate>, CalendarError>| match date {
        Ok(Some(date)) => out.push(Due {
            limit,
            date,
            provisional: provisional(track, ty, cal, limit, date),
        }),
        Ok(None) => {}
        Err(e) => {
            error.get_or_insert(e);
        }
    };
    if track.signed_at.is_none() {
        keep(Limit::Deploy, deploy_due(track, ty, cal).map(Some));
    }
    if track.report_times.is_empty() {
        keep(
            Limit::FirstReport,
            first_report_due(track, ty, cal).map(Some),
        );
    }
    match owed_nodes(track, ty, cal, today) {
        Ok(nodes) => {
            for (node, met) in nodes {
                if !met {
                    keep(Limit::Node { day: node.day }, Ok(Some(node.due)));
                }
            }
        }
        Err(e) => keep(Limit::Resolve, Err(e)),
    }
    keep(Limit::Resolve, resolve_due(track, ty, cal));
    out.sort_by_key(|d| d.date);
    (out, error)
}

/// The track's light on `today`: done when closed or withdrawn; red when a
/// limit has passed unmet; yellow when the next unmet limit is at most the
/// type's `near_days` away (counted in its counting); green otherwise,
/// including while a close application is under review.
pub fn light(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Light, CalendarError> {
    if !track.is_open() {
        return Ok(Light::Done);
    }
    light_given(track, ty, cal, today, &dues(track, ty, cal, today))
}

/// [`light`] from the track's [`dues`] on `today`, computed once by the
/// caller for everything it shows.
pub fn light_given(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
    dues: &Result<Vec<Due>, CalendarError>,
) -> Result<Light, CalendarError> {
    if !track.is_open() {
        return Ok(Light::Done);
    }
    let Some(first) = dues.as_ref().map_err(Clone::clone)?.first() else {
        return Ok(Light::Green);
    };
    if first.date < today {
        return Ok(Light::Red);
    }
    if days_between(ty.counting, cal, today, first.date)? <= ty.near_days {
        Ok(Light::Yellow)
    } else {
        Ok(Light::Green)
    }
}

/// How late the track is on `today`: the days (in the type's counting) from
/// the earliest unmet limit that has passed, at least 1 whenever the light
/// is red (a limit missed on Friday is 1 day late on Saturday even under
/// working-day counting); 0 when nothing is overdue.
pub fn overdue_days(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<u32, CalendarError> {
    if !track.is_open() {
        return Ok(0);
    }
    overdue_days_given(track, ty, cal, today, &dues(track, ty, cal, today))
}

/// [`overdue_days`] from the track's [`dues`] on `today`.
pub fn overdue_days_given(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
    dues: &Result<Vec<Due>, CalendarError>,
) -> Result<u32, CalendarError> {
    if !track.is_open() {
        return Ok(0);
    }
    match dues.as_ref().map_err(Clone::clone)?.first() {
        Some(first) if first.date < today => {
            Ok(days_between(ty.counting, cal, first.date, today)?.max(1))
        }
        _ => Ok(0),
    }
}

/// The earliest limit the track has not met: owed on `today`, or, for a
/// continuing matter whose owed nodes are all met, the first node it will
/// owe — so the board and the sweep see the track again before that node
/// falls due, and the light agrees with [`light`] on every day until
/// someone acts. `None` when nothing more is owed (closed, withdrawn, a
/// close application under review, an ordinary matter without a term).
pub fn next_due(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Option<Due>, CalendarError> {
    next_due_given(track, ty, cal, today, &dues(track, ty, cal, today))
}

/// [`next_due`] from the track's [`dues`] on `today`.
pub fn next_due_given(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
    dues_today: &Result<Vec<Due>, CalendarError>,
) -> Result<Option<Due>, CalendarError> {
    if let Some(d) = dues_today.as_ref().map_err(Clone::clone)?.first() {
        return Ok(Some(*d));
    }
    if ty.schedule.is_none() || !track.state.is_carrying_on() {
        return Ok(None);
    }
    // A report may stand for the node ahead (a quarter's report made before
    // its window closes); look node by node for the first one left owed.
    let mut probe = today;
    for _ in 0..24 {
        let Some(node) = next_node_due(ty, cal, probe)? else {
            return Ok(None);
        };
        if let Some(d) = dues(track, ty, cal, node.due)?.first() {
            return Ok(Some(*d));
        }
        probe = match node.due.succ_opt() {
            Some(d) => d,
            None => return Ok(None),
        };
    }
    Ok(None)
}

/// The date of the earliest limit the track has not met ([`next_due`]).
pub fn next_limit(
    track: &Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, CalendarError> {
    Ok(next_due(track, ty, cal, today)?.map(|d| d.date))
}

/// The first day on which a limit due on `due` makes the light yellow: the
/// earliest day from which at most the type's `near_days` remain, counted as
/// [`light`] counts them. The days that qualify form one stretch ending on
/// `due`, since fewer days remain the later it is. Where the calendar runs
/// out the stretch stops, which only makes it shorter.
pub fn yellow_from(due: NaiveDate, ty: &MatterType, cal: &Calendar) -> NaiveDate {
    let mut from = due;
    // The margin is a few days or working days; a year bounds it generously.
    for _ in 0..366 {
        let Some(prev) = from.pred_opt() else { break };
        match days_between(ty.counting, cal, prev, due) {
            Ok(n) if n <= ty.near_days => from = prev,
            _ => break,
        }
    }
    from
}

/// What a track's light turns on, kept beside the track so that a board can
/// tell its light by comparing dates with today: the earliest unmet limit,
/// the day the light turns yellow for it, and, when the calendar lacks a
/// year the limits need, why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueInfo {
    pub next_due: Option<NaiveDate>,
    pub yellow_from: Option<NaiveDate>,
    /// Why the limits could not all be computed (a calendar year missing).
    pub error: Option<CalendarError>,
}

/// The earliest unmet limit on `today` and the day its light turns yellow;
/// or, when the calendar lacks a year, the reason — the sweep and the board
/// report those rather than guess.
pub fn due_info(track: &Track, ty: &MatterType, cal: &Calendar, today: NaiveDate) -> DueInfo {
    match next_limit(track, ty, cal, today) {
        Ok(next_due) => DueInfo {
            next_due,
            yellow_from: next_due.map(|due| yellow_from(due, ty, cal)),
            error: None,
        },
        // A later limit (a report window in a year the calendar lacks) does
        // not hide the early ones: signing for and the first report keep
        // their dates, and the reason is kept beside them.
        Err(e) => {
            let mut early = Vec::new();
            if track.state.is_open() && track.signed_at.is_none() {
                early.extend(deploy_due(track, ty, cal).ok());
            }
            if track.state.is_open() && track.report_times.is_empty() {
                early.extend(first_report_due(track, ty, cal).ok());
            }
            let next_due = early.into_iter().min();
            DueInfo {
                next_due,
                yellow_from: next_due.map(|due| yellow_from(due, ty, cal)),
                error: Some(e),
            }
        }
    }
}

impl DueInfo {
    /// The reason as stored beside the track (`due_error`), in words.
    pub fn error_text(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.to_string())
    }

    /// The year the calendar lacks, when that is why.
    pub fn missing_year(&self) -> Option<i32> {
        match self.error {
            Some(CalendarError::YearNotCovered(y)) => Some(y),
            _ => None,
        }
    }

    /// No limit at all could be computed: a matter assigned, or an action
    /// taken, in a year the calendar lacks.
    pub fn blocked(&self) -> Option<&CalendarError> {
        self.error.as_ref().filter(|_| self.next_due.is_none())
    }

    /// Blocked by a year that has already begun on `today` (or an unreadable
    /// calendar): the action could not be judged at all, so it is refused
    /// until an admin enters the year. A missing year still ahead only
    /// hides the next limit (a report window after New Year); the action is
    /// recorded and the track stays listed for the admin, because refusing
    /// a unit's report for a later year's holidays would lose the report.
    pub fn blocked_now(&self, today: NaiveDate) -> Option<&CalendarError> {
        self.blocked()
            .filter(|_| self.missing_year().is_none_or(|y| y <= today.year()))
    }

    /// Whether the copies kept beside a track (`next_due`, `yellow_from`,
    /// `due_error` as text) are these.
    pub fn same_as_stored(
        &self,
        next_due: Option<NaiveDate>,
        yellow_from: Option<NaiveDate>,
        error: Option<&str>,
    ) -> bool {
        self.next_due == next_due
            && self.yellow_from == yellow_from
            && self.error_text().as_deref() == error
    }
}

/// How far `due` is from `today` in the type's counting: the days left
/// (0 on the day itself) when it is ahead, or the days late as a negative
/// number, at least one day once it has passed (as [`overdue_days`]
/// counts).
pub fn days_to(
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
    due: NaiveDate,
) -> Result<i64, CalendarError> {
    if due >= today {
        Ok(i64::from(days_between(ty.counting, cal, today, due)?))
    } else {
        Ok(-i64::from(
            days_between(ty.counting, cal, due, today)?.max(1),
        ))
    }
}

/// `days_to` in words: 今日到期, 剩3个工作日, 逾期21天.
pub fn days_text(counting: Counting, days: i64) -> String {
    let unit = match counting {
        Counting::Working => "个工作日",
        Counting::Calendar => "天",
    };
    match days {
        0 => "今日到期".to_string(),
        d if d > 0 => format!("剩{d}{unit}"),
        d => format!("逾期{}{unit}", -d),
    }
}
