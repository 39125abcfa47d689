//! Who a bulletin commends (通报表扬) and criticises (通报批评), by rule,
//! from the same figures as the assessment:
//!
//! - **criticised** when any track is overdue by more than
//!   `criticise_overdue_days` days on the bulletin's day, or the on-time
//!   close rate is below `criticise_close_rate_below` percent (with
//!   something due);
//! - else **commended** when at least `commend_min_tracks` tracks were
//!   assigned, something was due, every sign-for, first report and close
//!   application that was due was on time, nothing is overdue and nothing
//!   was returned.
//!
//! The two cannot both hold: a criticised unit has something overdue or
//! late, which commendation excludes. A unit with nothing due in the
//! period is neither (无考核事项).

use super::UnitFigures;
use serde::{Deserialize, Serialize};

/// The thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinRules {
    pub commend_min_tracks: i64,
    pub criticise_overdue_days: u32,
    /// Percent, 0–100.
    pub criticise_close_rate_below: u32,
}

impl Default for BulletinRules {
    /// Commended with at least 3 tracks all on time; criticised with a
    /// track more than 10 days overdue or a close rate under 60%.
    fn default() -> BulletinRules {
        BulletinRules {
            commend_min_tracks: 3,
            criticise_overdue_days: 10,
            criticise_close_rate_below: 60,
        }
    }
}

impl BulletinRules {
    pub(super) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.commend_min_tracks < 1 {
            out.push(format!(
                "通报表扬的最少任务数应不少于 1，现为 {}",
                self.commend_min_tracks
            ));
        }
        if self.criticise_close_rate_below > 100 {
            out.push(format!(
                "通报批评的按期办结率界线应在 0 到 100 之间，现为 {}",
                self.criticise_close_rate_below
            ));
        }
        out
    }
}

/// A unit's standing in a bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Commended,
    Criticised,
    Neither,
}

/// A standing and the reasons for it, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub standing: Standing,
    pub reasons: Vec<String>,
}

/// The unit's standing under `rules`.
pub fn verdict(rules: &BulletinRules, f: &UnitFigures) -> Verdict {
    if f.nothing_due() {
        return Verdict {
            standing: Standing::Neither,
            reasons: vec!["无考核事项".into()],
        };
    }
    let mut reasons = Vec::new();
    let limit = rules.criticise_overdue_days;
    let worst = f
        .overdue
        .iter()
        .filter(|o| o.days_late.is_some_and(|d| d > limit))
        .count();
    if worst > 0 {
        reasons.push(format!("{worst} 项任务逾期超过 {limit} 天"));
    }
    if let Some(r) = f.close.rate() {
        if r * 100.0 < f64::from(rules.criticise_close_rate_below) {
            reasons.push(format!(
                "按期办结率 {:.1}% 低于 {}%",
                r * 100.0,
                rules.criticise_close_rate_below
            ));
        }
    }
    if !reasons.is_empty() {
        return Verdict {
            standing: Standing::Criticised,
            reasons,
        };
    }
    let rates = [&f.sign, &f.report, &f.close];
    let due: i64 = rates.iter().map(|r| r.due()).sum();
    let all_on_time = rates
        .iter()
        .all(|r| r.late.is_empty() && r.missed.is_empty());
    if f.assigned >= rules.commend_min_tracks
        && due > 0
        && all_on_time
        && f.overdue.is_empty()
        && f.returns == 0
    {
        return Verdict {
            standing: Standing::Commended,
            reasons: vec![format!(
                "交办 {} 项，签收、反馈、办结全部按时，无逾期、无退回",
                f.assigned
            )],
        };
    }
    Verdict {
        standing: Standing::Neither,
        reasons: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{OverdueItem, RateFigures};
    use super::*;

    fn overdue(days: Option<u32>) -> OverdueItem {
        OverdueItem {
            track_id: 1,
            matter_id: 1,
            title: "事项".into(),
            limit: "申请办结".into(),
            due: chrono::NaiveDate::from_ymd_opt(2024, 9, 1).unwrap(),
            days_late: days,
        }
    }

    fn on_time(n: i64) -> RateFigures {
        RateFigures {
            on_time: n,
            ..RateFigures::default()
        }
    }

    fn clean(assigned: i64) -> UnitFigures {
        UnitFigures {
            assigned,
            sign: on_time(assigned),
            report: on_time(assigned),
            close: on_time(assigned),
            ..UnitFigures::default()
        }
    }

    #[test]
    fn standings_follow_the_rules() {
        let r = BulletinRules::default();
        type Edit = fn(&mut UnitFigures);
        let cases: &[(i64, Edit, Standing, &str)] = &[
            (
                3,
                |_| {},
                Standing::Commended,
                "交办 3 项，签收、反馈、办结全部按时，无逾期、无退回",
            ),
            // Too few tracks to commend.
            (2, |_| {}, Standing::Neither, ""),
            // Nothing due yet: neither, and said so (无考核事项).
            (
                3,
                |f| {
                    f.sign = RateFigures::default();
                    f.report = RateFigures::default();
                    f.close = RateFigures::default();
                },
                Standing::Neither,
                "无考核事项",
            ),
            // One late sign-for spoils it; not criticised either.
            (3, |f| f.sign.late = vec![9], Standing::Neither, ""),
            (3, |f| f.returns = 1, Standing::Neither, ""),
            // Overdue 10 days is not more than 10.
            (
                3,
                |f| f.overdue = vec![overdue(Some(10))],
                Standing::Neither,
                "",
            ),
            (
                3,
                |f| f.overdue = vec![overdue(Some(11)), overdue(Some(30)), overdue(None)],
                Standing::Criticised,
                "2 项任务逾期超过 10 天",
            ),
            // 3 of 5 on time is 60%: not below 60.
            (
                5,
                |f| {
                    f.close = RateFigures {
                        on_time: 3,
                        missed: vec![1, 2],
                        ..RateFigures::default()
                    }
                },
                Standing::Neither,
                "",
            ),
            (
                5,
                |f| {
                    f.close = RateFigures {
                        on_time: 2,
                        late: vec![1],
                        missed: vec![2, 3],
                        ..RateFigures::default()
                    }
                },
                Standing::Criticised,
                "按期办结率 40.0% 低于 60%",
            ),
        ];
        for (assigned, edit, want, reason) in cases {
            let mut f = clean(*assigned);
            edit(&mut f);
            let v = verdict(&r, &f);
            assert_eq!(v.standing, *want, "{reason}");
            assert_eq!(v.reasons.join("；"), *reason);
        }
        // An empty unit is neither.
        assert_eq!(
            verdict(&r, &UnitFigures::default()).standing,
            Standing::Neither
        );
    }
}
