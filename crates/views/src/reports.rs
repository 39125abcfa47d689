//! Supervision outputs (通报考核): the bulletin of a period, the red and
//! black lists, the year-end assessment, the rules of a year, and the
//! inspection (督查记录) and summons (约谈) records. The figures are the
//! service's (`duban_service::report`); these are their views.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use duban_domain::assess::{PeriodKind, Ref, Rules};
use duban_service::report;
use duban_store::assess::InspectionKind;
use serde::Serialize;
use utoipa::ToSchema;

/// A month (`2024-09`), a quarter (`2024Q3`) or a year (`2024`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodView {
    /// `month`, `quarter`, `year`.
    #[schema(value_type = String, example = "quarter")]
    pub kind: PeriodKind,
    /// As written in a query: `2024-09`, `2024Q3`, `2024`.
    pub code: String,
    /// 2024年9月, 2024年第三季度, 2024年.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl PeriodView {
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

impl From<duban_domain::assess::Period> for PeriodView {
    fn from(p: duban_domain::assess::Period) -> Self {
        PeriodView {
            kind: p.kind,
            code: p.code,
            label: p.label,
            from: p.from,
            to: p.to,
        }
    }
}

/// A rate of a bulletin: its tracks by bucket, and the rate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulletinRate {
    pub on_time: i64,
    pub late: i64,
    pub missed: i64,
    /// Not yet due.
    pub pending: i64,
    /// Without a limit the calendar can give.
    pub no_limit: i64,
    /// Due in the period: on time, late and missed.
    pub due: i64,
    /// On time ÷ due; null with nothing due.
    pub rate: Option<f64>,
}

impl BulletinRate {
    /// `95.6%`, or `—` with nothing due.
    pub fn percent(&self) -> String {
        match self.rate {
            Some(r) => format!("{:.1}%", r * 100.0),
            None => "—".into(),
        }
    }
}

impl From<report::RateView> for BulletinRate {
    fn from(r: report::RateView) -> Self {
        BulletinRate {
            on_time: r.on_time,
            late: r.late,
            missed: r.missed,
            pending: r.pending,
            no_limit: r.no_limit,
            due: r.due,
            rate: r.rate,
        }
    }
}

/// One unit's row of a bulletin, or the total (`unit_id` 0).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulletinRowView {
    pub unit_id: i64,
    pub unit_name: String,
    pub assigned: i64,
    pub withdrawn: i64,
    pub sign_for: BulletinRate,
    pub report: BulletinRate,
    pub close: BulletinRate,
    pub closed: i64,
    pub overdue: i64,
    /// Close applications returned, counted per return.
    pub returns: i64,
    /// Tracks returned at least once.
    pub returned: i64,
    /// Tracks granted an extension.
    pub extended: i64,
    /// Nothing fell due in the period (无考核事项).
    pub nothing_due: bool,
}

impl From<report::BulletinRow> for BulletinRowView {
    fn from(r: report::BulletinRow) -> Self {
        BulletinRowView {
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            assigned: r.assigned,
            withdrawn: r.withdrawn,
            sign_for: r.sign_for.into(),
            report: r.report.into(),
            close: r.close.into(),
            closed: r.closed,
            overdue: r.overdue,
            returns: r.returns,
            returned: r.returned,
            extended: r.extended,
            nothing_due: r.nothing_due,
        }
    }
}

/// A track in a bulletin's overdue list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulletinOverdueRow {
    pub track_id: i64,
    pub matter_id: i64,
    pub title: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// The limit missed, in words.
    pub limit: String,
    pub due: NaiveDate,
    pub days_late: Option<u32>,
}

impl From<report::OverdueRow> for BulletinOverdueRow {
    fn from(o: report::OverdueRow) -> Self {
        BulletinOverdueRow {
            track_id: o.track_id,
            matter_id: o.matter_id,
            title: o.title,
            unit_id: o.unit_id,
            unit_name: o.unit_name,
            limit: o.limit,
            due: o.due,
            days_late: o.days_late,
        }
    }
}

/// A unit commended or criticised, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamedUnit {
    pub unit_id: i64,
    pub unit_name: String,
    pub reasons: Vec<String>,
}

impl From<report::Named> for NamedUnit {
    fn from(n: report::Named) -> Self {
        NamedUnit {
            unit_id: n.unit_id,
            unit_name: n.unit_name,
            reasons: n.reasons,
        }
    }
}

/// The thresholds of commendation and criticism.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulletinRulesView {
    pub commend_min_tracks: i64,
    pub criticise_overdue_days: u32,
    /// Percent, 0–100.
    pub criticise_close_rate_below: u32,
}

impl From<duban_domain::assess::BulletinRules> for BulletinRulesView {
    fn from(r: duban_domain::assess::BulletinRules) -> Self {
        BulletinRulesView {
            commend_min_tracks: r.commend_min_tracks,
            criticise_overdue_days: r.criticise_overdue_days,
            criticise_close_rate_below: r.criticise_close_rate_below,
        }
    }
}

/// The bulletin (通报) of a period (`GET /api/v1/reports/bulletin`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulletinView {
    pub period: PeriodView,
    /// The day it is judged on.
    pub as_of: NaiveDate,
    /// Whose units, when not all (a leader's name).
    pub scope: Option<String>,
    pub title: String,
    /// Distinct matters assigned in the period.
    pub matters: i64,
    pub total: BulletinRowView,
    /// Every unit in view, by id.
    pub units: Vec<BulletinRowView>,
    /// How many tracks are overdue in all.
    pub overdue_total: usize,
    /// Most overdue first, at most the query's `overdue`.
    pub overdue: Vec<BulletinOverdueRow>,
    pub commended: Vec<NamedUnit>,
    pub criticised: Vec<NamedUnit>,
    pub rules: BulletinRulesView,
}

impl From<report::Bulletin> for BulletinView {
    fn from(b: report::Bulletin) -> Self {
        BulletinView {
            period: b.period.into(),
            as_of: b.as_of,
            scope: b.scope,
            title: b.title,
            matters: b.matters,
            total: b.total.into(),
            units: b.units.into_iter().map(Into::into).collect(),
            overdue_total: b.overdue_total,
            overdue: b.overdue.into_iter().map(Into::into).collect(),
            commended: b.commended.into_iter().map(Into::into).collect(),
            criticised: b.criticised.into_iter().map(Into::into).collect(),
            rules: b.rules.into(),
        }
    }
}

/// What a score line's points came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineRefKind {
    Track,
    Inspection,
    Summons,
}

/// A track, inspection or summons a score line counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineRef {
    pub kind: LineRefKind,
    pub id: i64,
}

impl From<Ref> for LineRef {
    fn from(r: Ref) -> Self {
        let (kind, id) = match r {
            Ref::Track(id) => (LineRefKind::Track, id),
            Ref::Inspection(id) => (LineRefKind::Inspection, id),
            Ref::Summons(id) => (LineRefKind::Summons, id),
        };
        LineRef { kind, id }
    }
}

/// One indicator's or bonus's points for one unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreLine {
    /// The indicator's name.
    pub indicator: String,
    /// The indicator's kind (`sign_for`, …) or `bonus`.
    pub kind: String,
    /// The weight (or a bonus's cap).
    pub max: f64,
    pub points: f64,
    /// The arithmetic, in Chinese.
    pub why: String,
    pub refs: Vec<LineRef>,
}

impl From<duban_domain::assess::Line> for ScoreLine {
    fn from(l: duban_domain::assess::Line) -> Self {
        ScoreLine {
            indicator: l.indicator,
            kind: l.kind,
            max: l.max,
            points: l.points,
            why: l.why,
            refs: l.refs.into_iter().map(Into::into).collect(),
        }
    }
}

/// A unit's line of an assessment or of a red and black list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessedView {
    pub unit_id: i64,
    pub unit_name: String,
    pub total: f64,
    pub rank: usize,
    /// The grade (优秀, 良好, …).
    pub grade: String,
    pub lines: Vec<ScoreLine>,
}

impl From<report::Assessed> for AssessedView {
    fn from(a: report::Assessed) -> Self {
        AssessedView {
            unit_id: a.unit_id,
            unit_name: a.unit_name,
            total: a.total,
            rank: a.rank,
            grade: a.grade,
            lines: a.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// A unit with nothing due in the period (无考核事项): not ranked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnassessedView {
    pub unit_id: i64,
    pub unit_name: String,
}

impl From<report::Unassessed> for UnassessedView {
    fn from(u: report::Unassessed) -> Self {
        UnassessedView {
            unit_id: u.unit_id,
            unit_name: u.unit_name,
        }
    }
}

/// The year-end assessment (`GET /api/v1/reports/assessment`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    pub year: i32,
    pub as_of: NaiveDate,
    /// The year's rules.
    #[schema(value_type = AssessmentRulesView)]
    pub rules: Rules,
    /// Whether the rules were set for the year (the defaults otherwise).
    pub rules_set: bool,
    /// How many units were graded (all with something due).
    pub graded_units: usize,
    /// The units in view, in rank order.
    pub units: Vec<AssessedView>,
    /// The units in view with nothing due in the year.
    pub unassessed: Vec<UnassessedView>,
}

impl From<report::Assessment> for AssessmentView {
    fn from(a: report::Assessment) -> Self {
        AssessmentView {
            year: a.year,
            as_of: a.as_of,
            rules: a.rules,
            rules_set: a.rules_set,
            graded_units: a.graded_units,
            units: a.units.into_iter().map(Into::into).collect(),
            unassessed: a.unassessed.into_iter().map(Into::into).collect(),
        }
    }
}

/// The red and black lists (红黑榜) of a period (`GET
/// /api/v1/reports/redblack`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RedBlackView {
    pub period: PeriodView,
    pub as_of: NaiveDate,
    /// The most units a list names.
    pub n: usize,
    /// Best first.
    pub red: Vec<AssessedView>,
    /// Worst first, none of them on the red list.
    pub black: Vec<AssessedView>,
    /// Units tied where a list would overflow, left off, and why.
    pub notes: Vec<String>,
    /// How many units were ranked.
    pub ranked: usize,
    /// Units in view with nothing due, not ranked.
    pub unassessed: Vec<UnassessedView>,
}

impl From<report::RedBlack> for RedBlackView {
    fn from(r: report::RedBlack) -> Self {
        RedBlackView {
            period: r.period.into(),
            as_of: r.as_of,
            n: r.n,
            red: r.red.into_iter().map(Into::into).collect(),
            black: r.black.into_iter().map(Into::into).collect(),
            notes: r.notes,
            ranked: r.ranked,
            unassessed: r.unassessed.into_iter().map(Into::into).collect(),
        }
    }
}

/// The assessment rules of a year (`GET /api/v1/assessment/rules/{year}`),
/// and what saving them answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesView {
    pub year: i32,
    #[schema(value_type = AssessmentRulesView)]
    pub rules: Rules,
    /// Whether they were set for the year (the defaults otherwise).
    pub set: bool,
}

/// The schema of the assessment rules as sent (the domain's `Rules`,
/// which the pages' rules form reads and writes).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentRulesView {
    /// The full score; the weights add up to it.
    pub total: f64,
    pub indicators: Vec<RulesIndicator>,
    pub bonuses: Vec<RulesBonus>,
    pub grade_values: RulesGradeValues,
    /// `full` or `zero`: how a rate scores with nothing due.
    pub when_nothing_due: String,
    /// Best first; the last has no percent.
    pub grades: Vec<RulesQuota>,
    pub bulletin: BulletinRulesView,
}

/// One weighted indicator of the rules.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesIndicator {
    /// `sign_for`, `report`, `close`, `returns`, `grades`, `inspections`,
    /// `summons`.
    pub kind: String,
    /// The name shown; the kind's label when empty.
    pub label: String,
    pub weight: f64,
    /// Points deducted per event (约谈).
    pub per_event: f64,
}

/// Bonus points of the rules.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesBonus {
    /// `excellent`.
    pub source: String,
    pub label: String,
    pub per: f64,
    pub cap: f64,
}

/// The value of each review grade, as a share of the indicator's weight.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesGradeValues {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
    pub fail: f64,
}

/// An assessment grade and its quota.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesQuota {
    pub name: String,
    /// The most units it may hold, in percent; null for the last grade.
    pub percent: Option<u32>,
    /// The lowest total it accepts.
    pub min_score: Option<f64>,
}

/// An inspection (督查记录) as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionView {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub matter_id: Option<i64>,
    /// `onsite`, `phone`, `unannounced`.
    #[schema(value_type = String, example = "onsite")]
    pub kind: InspectionKind,
    pub kind_label: String,
    pub date: NaiveDate,
    pub finding: String,
    /// Points deducted.
    pub points: f64,
    /// A major problem (its deduction is not capped).
    pub major: bool,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<duban_store::assess::Inspection> for InspectionView {
    fn from(i: duban_store::assess::Inspection) -> Self {
        InspectionView {
            id: i.id,
            unit_id: i.unit_id,
            unit_name: i.unit_name,
            matter_id: i.matter_id,
            kind: i.kind,
            kind_label: i.kind_label.to_string(),
            date: i.date,
            finding: i.finding,
            points: i.points,
            major: i.major,
            created_by: i.created_by,
            created_at: i.created_at,
        }
    }
}

/// The inspections in view, newest first (`GET /api/v1/inspections`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionListView {
    pub inspections: Vec<InspectionView>,
    pub total: usize,
}

/// `{"inspection": …}`: the inspection just recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionWrapper {
    pub inspection: InspectionView,
}

/// A summons (约谈) as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummonsView {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub date: NaiveDate,
    pub reason: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<duban_store::assess::Summons> for SummonsView {
    fn from(s: duban_store::assess::Summons) -> Self {
        SummonsView {
            id: s.id,
            unit_id: s.unit_id,
            unit_name: s.unit_name,
            date: s.date,
            reason: s.reason,
            created_by: s.created_by,
            created_at: s.created_at,
        }
    }
}

/// The summons in view, newest first (`GET /api/v1/summons`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummonsListView {
    pub summons: Vec<SummonsView>,
    pub total: usize,
}

/// `{"summons": …}`: the summons just recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummonsWrapper {
    pub summons: SummonsView,
}
