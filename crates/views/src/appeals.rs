//! Problems raised by enterprises and the public (诉求), as their raiser
//! and the office read them.

use super::AnswerView;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A page of appeals: the raiser's own, or all for the office.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealListView {
    pub appeals: Vec<AppealView>,
    /// How many the filter selects, across all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    /// The cursor of the next page (`after=`), none on the last.
    pub next: Option<String>,
}

/// `{"appeal": …}`: an appeal's page, and what raising, accepting or
/// rejecting one answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealWrapper {
    pub appeal: AppealView,
}

/// An appeal, with where its matter stands and, once the matter is closed,
/// the answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealView {
    pub id: i64,
    pub raised_by: i64,
    pub title: String,
    pub content: String,
    pub location: String,
    pub contact: String,
    /// `pending`, `accepted` or `rejected`.
    #[schema(value_type = String, example = "pending")]
    pub status: duban_store::appeals::AppealStatus,
    pub status_label: String,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The matter made of it, once accepted.
    pub matter_id: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_at_local: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_at_local: String,
    /// Send it back when deciding, so no one overwrites another's decision.
    pub version: i64,
    pub matter: Option<AppealMatter>,
    /// Once the matter is closed: what the units answered.
    pub answer: Option<AnswerView>,
}

/// The matter an appeal became.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealMatter {
    pub id: i64,
    pub title: String,
    #[schema(value_type = String, example = "open")]
    pub status: duban_domain::matter::MatterStatus,
    pub status_label: String,
}

/// What accepting an appeal answers: the appeal, and the matter made of
/// it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AcceptedAppealView {
    pub appeal: AppealView,
    pub matter_id: i64,
}
