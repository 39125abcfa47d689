//! The statistics (督查督办统计) the dashboard and the leader's page show.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The statistics within the caller's scope.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsView {
    pub today: NaiveDate,
    pub filter: StatsFilter,
    pub tracks: TrackTotals,
    pub matters: MatterTotals,
    /// Each unit in view, the most overdue first.
    pub units: Vec<UnitStatsView>,
    /// The most overdue open tracks, the earliest limit first.
    pub overdue: Vec<OverdueView>,
    /// The last months, this month included.
    pub trend: Vec<TrendView>,
    /// What each figure means, by key (`light`, `sign_for`, `report`,
    /// `close`, `rates`, `overdue`, `trend`).
    pub definitions: BTreeMap<String, String>,
}

/// The scope the figures cover.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsFilter {
    /// The ids of the units in view; null for all.
    pub units: Option<Vec<i64>>,
    /// The one unit in view, when it is one (a drill-down).
    pub unit: Option<UnitRef>,
    /// The leader whose units are in view.
    pub leader: Option<i64>,
}

/// A unit by id and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
}

/// The tracks in view, in all.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackTotals {
    pub total: i64,
    pub open: i64,
    pub by_state: StateCounts,
    pub by_light: LightCounts,
    pub returns: i64,
    pub sign_for: RatioView,
    pub report: RatioView,
    pub close: RatioView,
}

/// The matters in view, by status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterTotals {
    pub total: i64,
    pub by_status: MatterCounts,
}

/// Matters by status.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct MatterCounts {
    pub open: i64,
    pub closed: i64,
    pub withdrawn: i64,
}

/// Tracks by state.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct StateCounts {
    pub assigned: i64,
    pub signed_for: i64,
    pub close_requested: i64,
    pub returned: i64,
    pub closed: i64,
    pub withdrawn: i64,
}

/// Tracks by light.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct LightCounts {
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub done: i64,
    pub unknown: i64,
}

impl LightCounts {
    /// The count of a light by its code.
    pub fn of(&self, light: super::LightCode) -> i64 {
        use super::LightCode;
        match light {
            LightCode::Green => self.green,
            LightCode::Yellow => self.yellow,
            LightCode::Red => self.red,
            LightCode::Done => self.done,
            LightCode::Unknown => self.unknown,
        }
    }
}

/// An on-time rate: `on_time` of `due`; `rate` null when nothing was due.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct RatioView {
    pub on_time: i64,
    pub due: i64,
    pub rate: Option<f64>,
}

/// One unit's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitStatsView {
    pub unit_id: i64,
    pub unit_name: String,
    pub tracks: i64,
    pub open: i64,
    /// Red tracks.
    pub overdue: i64,
    pub returns: i64,
    pub by_state: StateCounts,
    pub by_light: LightCounts,
    pub sign_for: RatioView,
    pub report: RatioView,
    pub close: RatioView,
}

/// An open track whose earliest unmet limit has passed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueView {
    pub track_id: i64,
    pub matter_id: i64,
    pub title: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// `deploy`, `first_report`, `node`, `resolve`.
    pub limit: String,
    pub limit_label: String,
    pub due: NaiveDate,
    /// Null where the calendar cannot count them.
    pub days_late: Option<u32>,
}

/// One month of the trend.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendView {
    /// `2026-12`.
    pub month: String,
    pub assigned: i64,
    pub closed: i64,
    pub closed_on_time: i64,
}
