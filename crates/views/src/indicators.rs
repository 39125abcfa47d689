//! Indicators (指标): a matter's quantitative targets with their progress,
//! as the list, one indicator's page and a report of a value show them.

use super::UnitRef;
use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::indicator::{Status, TargetKind};
use duban_domain::matter::MatterStatus;
use serde::Serialize;
use utoipa::ToSchema;

/// The indicators in the viewer's scope (`GET /api/v1/indicators`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorListView {
    /// The day progress is judged on.
    pub today: NaiveDate,
    pub total: usize,
    pub indicators: Vec<IndicatorItem>,
    /// How progress is judged, in words (口径说明).
    pub definitions: String,
}

/// One target of a matter as an indicator, with its progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorItem {
    pub matter_id: i64,
    /// The target's place in the matter's `targets`, from 0.
    pub index: usize,
    /// The matter's title.
    pub title: String,
    /// `open`, `closed`, `withdrawn`.
    #[schema(value_type = String, example = "open")]
    pub matter_status: MatterStatus,
    pub matter_status_label: String,
    /// The matter's lead units, in the order assigned.
    pub leads: Vec<UnitRef>,
    /// The target as the document words it.
    pub text: String,
    /// What is measured (地区生产总值增长).
    pub metric: String,
    /// `=`, `>=`, `<=`, `>`, `<`.
    pub op: String,
    pub target: f64,
    /// The target's unit (台, %, …), empty when it has none.
    pub unit: String,
    /// `amount` (总量), `rate` (增长率/比率), `ceiling` (控制上限).
    #[schema(value_type = String, example = "amount")]
    pub kind: TargetKind,
    pub kind_label: String,
    /// The first day of the assessment window.
    pub start: NaiveDate,
    /// The day the target is due.
    pub by: NaiveDate,
    pub progress: ProgressView,
}

/// Where an indicator stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressView {
    /// The value of the latest period, none before the first report.
    pub latest: Option<PeriodValue>,
    /// The day progress is judged at.
    pub as_of: NaiveDate,
    /// The share of the window elapsed at `as_of` (时序进度), 0 to 1.
    pub pace: f64,
    /// The latest value ÷ the target.
    pub ratio_of_target: Option<f64>,
    /// What the pace expects at `as_of` (应达值).
    pub expected_by_now: f64,
    /// How far the latest value is ahead of the pace (negative: behind).
    pub ahead_or_behind: Option<f64>,
    /// `met`, `on_pace`, `behind`, `no_data`.
    #[schema(value_type = String, example = "on_pace")]
    pub status: Status,
    pub status_label: String,
}

/// A period's value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodValue {
    /// `2024-03` or `2024Q1`.
    pub period: String,
    pub value: f64,
}

/// One indicator with every value reported and the pace line
/// (`GET /api/v1/indicators/{matter_id}/{index}`).
///
/// The fields of [`IndicatorItem`], then the values and the pace line (not
/// flattened, so its schema lists every field).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorDetailView {
    pub matter_id: i64,
    pub index: usize,
    pub title: String,
    /// `open`, `closed`, `withdrawn`.
    #[schema(value_type = String, example = "open")]
    pub matter_status: MatterStatus,
    pub matter_status_label: String,
    pub leads: Vec<UnitRef>,
    pub text: String,
    pub metric: String,
    /// `=`, `>=`, `<=`, `>`, `<`.
    pub op: String,
    pub target: f64,
    pub unit: String,
    /// `amount`, `rate`, `ceiling`.
    #[schema(value_type = String, example = "amount")]
    pub kind: TargetKind,
    pub kind_label: String,
    pub start: NaiveDate,
    pub by: NaiveDate,
    pub progress: ProgressView,
    /// Every value reported, the latest first, corrections kept.
    pub values: Vec<IndicatorValueRow>,
    /// The pace line: the expected value at the window's start and at its
    /// end.
    pub pace_line: Vec<PacePoint>,
    /// Whether the viewer may report a value.
    pub can_report: bool,
    pub definitions: String,
}

/// A value reported, as the indicator's page lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorValueRow {
    pub id: i64,
    pub period: String,
    /// The period's last day.
    pub period_end: Option<NaiveDate>,
    pub value: f64,
    /// What the pace expected at the period's end.
    pub expected: Option<f64>,
    pub note: String,
    pub reporter: Option<String>,
    pub unit_name: Option<String>,
    /// 1 for the first report of the period, one more per correction.
    pub version: i64,
    /// Whether it is the period's current value (not corrected since).
    pub current: bool,
    pub superseded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// `created_at` in local time, as people read it.
    pub created_at_local: String,
}

/// A point of the pace line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PacePoint {
    pub date: NaiveDate,
    pub expected: f64,
}

impl IndicatorDetailView {
    /// An indicator of the list with its values, pace line and the
    /// viewer's right to report.
    pub fn of(
        item: IndicatorItem,
        values: Vec<IndicatorValueRow>,
        pace_line: Vec<PacePoint>,
        can_report: bool,
        definitions: String,
    ) -> IndicatorDetailView {
        IndicatorDetailView {
            matter_id: item.matter_id,
            index: item.index,
            title: item.title,
            matter_status: item.matter_status,
            matter_status_label: item.matter_status_label,
            leads: item.leads,
            text: item.text,
            metric: item.metric,
            op: item.op,
            target: item.target,
            unit: item.unit,
            kind: item.kind,
            kind_label: item.kind_label,
            start: item.start,
            by: item.by,
            progress: item.progress,
            values,
            pace_line,
            can_report,
            definitions,
        }
    }
}

/// What reporting a value answers: the value recorded, the one it
/// corrected, and the indicator afterwards.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorRecordView {
    pub value: IndicatorValueView,
    pub replaced: Option<IndicatorValueView>,
    pub indicator: IndicatorDetailView,
}

/// A value as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorValueView {
    pub id: i64,
    pub matter_id: i64,
    pub target_index: i64,
    pub period: String,
    pub value: f64,
    pub note: String,
    pub reported_by: Option<i64>,
    pub reporter: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub version: i64,
    pub superseded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<duban_store::indicators::IndicatorValue> for IndicatorValueView {
    fn from(v: duban_store::indicators::IndicatorValue) -> Self {
        IndicatorValueView {
            id: v.id,
            matter_id: v.matter_id,
            target_index: v.target_index,
            period: v.period,
            value: v.value,
            note: v.note,
            reported_by: v.reported_by,
            reporter: v.reporter,
            unit_id: v.unit_id,
            unit_name: v.unit_name,
            version: v.version,
            superseded_by: v.superseded_by,
            created_at: v.created_at,
        }
    }
}
