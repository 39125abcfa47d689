//! What the daily sweep says about one track: reminders before a limit
//! (临近提醒), urging once a limit has passed unmet (催办), and escalation to
//! the unit's overseeing leaders when it stays unmet (升级督办).
//!
//! [`notices`] is a pure function of the track, its matter, the calendar and
//! the day. Each [`Notice`] carries a **key** that names the situation, not
//! the day it was seen: `KIND:TRACK:LIMIT:DUE`, e.g.
//! `urge:42:first_report:2024-10-08` or `remind:42:node-2024-03-31:2024-04-08`.
//! The same situation gives the same key on any day and on any server, so a
//! queue that refuses a key it already holds sends each reminder, urging and
//! escalation once per limit and due date. A new due date (an extension, a
//! deadline moved) is a new situation with new keys.
//!
//! The rules, on `today`, for every limit [`crate::limits::dues`] lists as
//! unmet (nothing for a closed or withdrawn track, nor while a close
//! application is under review, nor before the day of assignment):
//!
//! - **Remind** when the limit is today or later and at most the matter
//!   type's `near_days` away (counted as the type counts days): the same
//!   window in which the light turns yellow. Each such limit is reminded
//!   once.
//! - **Urge** when the limit has passed (today is later than its date). The
//!   unit is urged once per missed limit.
//! - **Escalate** when the limit passed at least `escalate_after` working
//!   days ago (default 2), whatever the type's counting: the escalation
//!   goes to the unit's overseeing leaders, once per missed limit.
//!
//! A limit computed through a provisional (暂定) calendar year is written
//! with 暂定 after its date and a sentence saying the notice may move it;
//! when the official year moves it, its key changes with its date, so the
//! unit is reminded of the new date.
//!
//! A sweep that did not run for a while catches up: a limit missed long ago
//! is urged and escalated on the first sweep that sees it. Texts are
//! Simplified Chinese; the body of an urging says how late the unit is on
//! the day it was first queued.

use crate::calendar::{Calendar, CalendarError};
use crate::limits::{days_between, known_dues, Limit};
use crate::matter::{Counting, MatterType, TrackId, UnitId};
use crate::workflow::Track;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// What a notice does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 临近提醒: a limit is near.
    Remind,
    /// 催办: a limit has passed unmet.
    Urge,
    /// 升级督办: a limit is still unmet some working days after it passed;
    /// addressed to the unit's overseeing leaders.
    Escalate,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [NoticeKind::Remind, NoticeKind::Urge, NoticeKind::Escalate];

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Remind => "临近提醒",
            NoticeKind::Urge => "催办",
            NoticeKind::Escalate => "升级督办",
        }
    }

    /// The code used in keys and stored messages.
    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Remind => "remind",
            NoticeKind::Urge => "urge",
            NoticeKind::Escalate => "escalate",
        }
    }

    /// Reads [`NoticeKind::code`] back.
    pub fn from_code(code: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the notice goes to the unit's overseeing leaders (escalation)
    /// rather than to the unit itself.
    pub fn to_leaders(self) -> bool {
        self == NoticeKind::Escalate
    }
}

/// How the sweep decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepRules {
    /// Working days after a missed limit before it is escalated to the
    /// overseeing leaders; 0 escalates the first day it is missed.
    pub escalate_after: u32,
}

impl Default for SweepRules {
    fn default() -> Self {
        SweepRules { escalate_after: 2 }
    }
}

/// One message the sweep wants sent about a track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub track: TrackId,
    pub unit: UnitId,
    pub limit: Limit,
    /// The limit's date.
    pub due: NaiveDate,
    /// Remind: days still to go (0: due today); urge and escalate: days
    /// late (working days for escalation, the type's counting for urging).
    pub days: u32,
    /// Unique for the situation (see the module documentation).
    pub key: String,
    pub subject: String,
    pub body: String,
}

/// What the texts say about the track.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    /// The matter's title.
    pub title: &'a str,
    /// The name of the track's unit.
    pub unit_name: &'a str,
}

/// The code of a limit in keys: `deploy`, `first_report`,
/// `node-YYYY-MM-DD` (the node's day), `resolve`.
pub fn limit_code(limit: Limit) -> String {
    match limit {
        Limit::Deploy => "deploy".to_string(),
        Limit::FirstReport => "first_report".to_string(),
        Limit::Node { day } => format!("node-{day}"),
        Limit::Resolve => "resolve".to_string(),
    }
}

/// The key of a notice: `KIND:TRACK:LIMIT:DUE`.
pub fn notice_key(kind: NoticeKind, track: TrackId, limit: Limit, due: NaiveDate) -> String {
    format!("{}:{track}:{}:{due}", kind.code(), limit_code(limit))
}

/// A date as written in Chinese official text: 2024年10月8日.
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// What the unit has to do to meet the limit, as a verb phrase.
fn action(limit: Limit) -> &'static str {
    match limit {
        Limit::Deploy => "签收并报送部署情况",
        Limit::FirstReport => "反馈工作进展",
        Limit::Node { .. } => "报送本期工作进展",
        Limit::Resolve => "申请办结",
    }
}

/// What was not done, for urging and escalation.
fn not_done(limit: Limit) -> &'static str {
    match limit {
        Limit::Deploy => "签收部署",
        Limit::FirstReport => "反馈进展",
        Limit::Node { .. } => "报送节点进展",
        Limit::Resolve => "申请办结",
    }
}

fn day_word(counting: Counting) -> &'static str {
    match counting {
        Counting::Calendar => "天",
        Counting::Working => "个工作日",
    }
}

/// The notices for one track on `today`: reminders, then urgings, then
/// escalations, each kind earliest limit first. A working-day computation
/// the calendar cannot do (a year not covered) is refused, never guessed.
pub fn notices(
    track: &Track,
    ty: &MatterType,
    about: About<'_>,
    cal: &Calendar,
    today: NaiveDate,
    rules: SweepRules,
) -> Result<Vec<Notice>, CalendarError> {
    let mut out = Vec::new();
    if !track.is_open() || today < track.assigned_at.date() {
        return Ok(out);
    }
    let what = format!(
        "督办事项“{}”（{}，{}）",
        about.title,
        ty.name,
        track.role.label()
    );
    let mut late = Vec::new();
    // The limits the calendar can compute are reminded of even when a
    // later one falls in a year it lacks; only a track with none left to
    // compute is refused (and listed for the admin).
    let (dues, uncovered) = known_dues(track, ty, cal, today);
    if let (true, Some(e)) = (dues.is_empty(), uncovered) {
        return Err(e);
    }
    for due in dues {
        let mut date = chinese_date(due.date);
        // A limit resting on a provisional year says so, and why it may move.
        let caveat = if due.provisional {
            date.push_str("（暂定）");
            format!(
                "该时限按暂定节假日安排推算，国务院办公厅公布{}年放假安排后如有变化，将另行通知。",
                due.date.year()
            )
        } else {
            String::new()
        };
        let limit = due.limit.label();
        if due.date >= today {
            let left = days_between(ty.counting, cal, today, due.date)?;
            if left > ty.near_days {
                continue;
            }
            let when = if left == 0 {
                "今日到期".to_string()
            } else {
                format!("还有{left}{}到期", day_word(ty.counting))
            };
            let mut body = format!(
                "{}：\n{what}的{limit}时限为{date}，{when}。",
                about.unit_name
            );
            let _ = write!(body, "请按时{}。", action(due.limit));
            if due.limit == Limit::Resolve {
                body.push_str("确需延期的，请在到期前提出延期申请，并附时间表和工作方案。");
            }
            body.push_str(&caveat);
            out.push(Notice {
                kind: NoticeKind::Remind,
                track: track.id,
                unit: track.unit_id,
                limit: due.limit,
                due: due.date,
                days: left,
                key: notice_key(NoticeKind::Remind, track.id, due.limit, due.date),
                subject: format!("【临近提醒】{}", about.title),
                body,
            });
            continue;
        }
        let over = days_between(ty.counting, cal, due.date, today)?.max(1);
        let body = format!(
            "{}：\n{what}的{limit}时限为{date}，现已逾期{over}{}，尚未{}。请立即{}，并说明逾期原因。逾期仍未办理的，将报请分管领导督办。",
            about.unit_name,
            day_word(ty.counting),
            not_done(due.limit),
            action(due.limit),
        );
        late.push(Notice {
            kind: NoticeKind::Urge,
            track: track.id,
            unit: track.unit_id,
            limit: due.limit,
            due: due.date,
            days: over,
            key: notice_key(NoticeKind::Urge, track.id, due.limit, due.date),
            subject: format!("【催办】{}", about.title),
            body,
        });
        let working_late = cal.working_days_between(due.date, today)?;
        if rules.escalate_after == 0 || working_late >= rules.escalate_after {
            let body = format!(
                "{unit}承办的{what}，{limit}时限为{date}，已逾期{}个工作日，经催办仍未{}。请分管领导督促{unit}抓紧办理。",
                working_late.max(1),
                not_done(due.limit),
                unit = about.unit_name,
            );
            late.push(Notice {
                kind: NoticeKind::Escalate,
                track: track.id,
                unit: track.unit_id,
                limit: due.limit,
                due: due.date,
                days: working_late.max(1),
                key: notice_key(NoticeKind::Escalate, track.id, due.limit, due.date),
                subject: format!("【升级督办】{}：{}", about.unit_name, about.title),
                body,
            });
        }
    }
    out.extend(late);
    // Stable: within a kind, the limits stay in date order.
    out.sort_by_key(|n| n.kind);
    Ok(out)
}

/// A due date as a notice writes it: `2027年1月8日`, with `（暂定）` when it
/// rests on a provisional year.
fn due_text(d: &crate::limits::Due) -> String {
    let mut t = chinese_date(d.date);
    if d.provisional {
        t.push_str("（暂定）");
    }
    t
}

/// What moved between two lists of a track's limits: each limit whose date
/// changed (before, after), and those that appeared or went.
pub fn moved(
    before: &[crate::limits::Due],
    after: &[crate::limits::Due],
) -> Vec<(
    Limit,
    Option<crate::limits::Due>,
    Option<crate::limits::Due>,
)> {
    let mut out = Vec::new();
    for b in before {
        match after.iter().find(|a| a.limit == b.limit) {
            Some(a) if a.date == b.date => {}
            a => out.push((b.limit, Some(*b), a.copied())),
        }
    }
    for a in after {
        if !before.iter().any(|b| b.limit == a.limit) {
            out.push((a.limit, None, Some(*a)));
        }
    }
    out
}

/// The subject and body of the message telling a unit that a change of
/// the holiday calendar moved its limits (`reason`: 国务院办公厅公布了2027年
/// 放假安排); `None` when nothing moved.
pub fn moved_notice(
    about: About<'_>,
    before: &[crate::limits::Due],
    after: &[crate::limits::Due],
    reason: &str,
) -> Option<(String, String)> {
    let changes = moved(before, after);
    if changes.is_empty() {
        return None;
    }
    let mut body = format!(
        "{}：\n因{reason}，督办事项“{}”的办理时限按新的节假日安排重新计算，调整如下：",
        about.unit_name, about.title
    );
    for (limit, b, a) in &changes {
        let line = match (b, a) {
            (Some(b), Some(a)) => format!("由{}调整为{}", due_text(b), due_text(a)),
            (None, Some(a)) => format!("为{}", due_text(a)),
            (Some(b), None) => format!("原为{}，现已不再适用", due_text(b)),
            (None, None) => continue,
        };
        let _ = write!(body, "\n{}：{line}；", limit.label());
    }
    body.push_str("\n请按调整后的时限办理。");
    Some((format!("【时限调整】{}", about.title), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::from_code(k.code()), Some(k));
        }
        assert_eq!(NoticeKind::from_code("other"), None);
        let d = NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
        assert_eq!(
            notice_key(NoticeKind::Remind, 7, Limit::Node { day: d }, d),
            "remind:7:node-2024-03-31:2024-03-31"
        );
        assert_eq!(chinese_date(d), "2024年3月31日");
    }
}
