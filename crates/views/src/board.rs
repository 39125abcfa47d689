//! The matters board (督办事项看板).

use super::MatterView;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// A page of the board: the matters in view, each with its tracks, its
/// light, its completion limit and its next limit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardView {
    pub matters: Vec<MatterView>,
    /// How many matters the filters select, across all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    /// The cursor of the next page (`after=`), none on the last.
    pub next: Option<String>,
    /// The day the lights are computed on.
    pub today: NaiveDate,
}
