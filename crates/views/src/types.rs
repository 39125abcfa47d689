//! Matter types (事项类型) and their 13710 terms.

use duban_domain::matter::{Counting, MatterKind, Schedule, Term};
use serde::Serialize;
use utoipa::ToSchema;

/// Every type, standard first (`GET /api/v1/matter-types`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterTypeListView {
    pub matter_types: Vec<MatterTypeView>,
}

/// `{"matter_type": …}`: what creating or changing a type answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterTypeWrapper {
    pub matter_type: MatterTypeView,
}

/// A type: its terms, their labels, whether it is standard and offered,
/// and its limits in words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterTypeView {
    /// The name shown to users (普通事项).
    pub name: String,
    /// `ordinary`, `major`, `continuing`, `custom`.
    #[schema(value_type = String, example = "custom")]
    pub kind: MatterKind,
    pub kind_label: String,
    /// `calendar` (自然日) or `working` (工作日).
    #[schema(value_type = String, example = "working")]
    pub counting: Counting,
    pub counting_label: String,
    /// Days to sign for and deploy; 0 is the same day.
    pub deploy_days: u32,
    /// Days to the first progress report.
    pub report_days: u32,
    /// The term to apply to close; null when the matter runs until its
    /// own deadline.
    pub resolve: Option<TypeTerm>,
    /// The reporting nodes of a continuing matter.
    pub schedule: Option<TypeSchedule>,
    /// Days before a limit the light turns yellow.
    pub near_days: u32,
    /// One of the three built-in types (cannot be changed).
    pub standard: bool,
    /// Offered for new matters.
    pub active: bool,
    /// The limits in words.
    pub description: String,
}

/// A resolve term: `{"days": 7}` or `{"months": 1}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeTerm {
    Days(u32),
    Months(u32),
}

impl From<Term> for TypeTerm {
    fn from(t: Term) -> Self {
        match t {
            Term::Days(n) => TypeTerm::Days(n),
            Term::Months(n) => TypeTerm::Months(n),
        }
    }
}

/// When a continuing matter reports: `"quarterly"` or
/// `{"monthly": {"day": 23}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeSchedule {
    Quarterly,
    Monthly { day: u32 },
}

impl From<Schedule> for TypeSchedule {
    fn from(s: Schedule) -> Self {
        match s {
            Schedule::Quarterly => TypeSchedule::Quarterly,
            Schedule::Monthly { day } => TypeSchedule::Monthly { day },
        }
    }
}
