//! A matter (督办事项) as the board's row and as its own page.

use super::{LightCode, NextLimit, TrackView};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// The matter's own fields.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterFields {
    pub id: i64,
    pub title: String,
    pub detail: String,
    /// The type's name (普通, 重大, 持续, or a custom type's).
    #[serde(rename = "type")]
    pub type_name: String,
    /// `ordinary`, `major`, `continuing`, `custom`.
    #[schema(value_type = String)]
    pub kind: duban_domain::matter::MatterKind,
    /// The whole type with its limits.
    #[schema(value_type = Object)]
    pub matter_type: duban_domain::matter::MatterType,
    /// Where it came from: `{"type": "document" | "meeting" | "instruction"
    /// | "list" | "appeal", …}`.
    #[schema(value_type = Object)]
    pub source: duban_domain::matter::Source,
    pub source_label: String,
    pub deadline: Option<NaiveDate>,
    /// `open`, `closed`, `withdrawn`.
    #[schema(value_type = String)]
    pub status: duban_domain::matter::MatterStatus,
    pub status_label: String,
    /// Local wall-clock time.
    #[schema(value_type = String, example = "2026-12-07T09:30:00")]
    pub created_at: chrono::NaiveDateTime,
    pub version: i64,
    /// Quantitative targets as the reader found them (free-form objects).
    #[schema(value_type = Vec<Object>)]
    pub targets: serde_json::Value,
    pub raised_by: Option<i64>,
}

/// A matter with its tracks: the board's row, and the core of a matter's
/// page. Its light is the worst of the tracks in view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterView {
    #[serde(flatten)]
    pub fields: MatterFields,
    pub light: LightCode,
    pub light_label: String,
    pub tracks: Vec<TrackView>,
    /// The soonest next limit of the tracks in view (government only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Option<NextLimit>>,
    /// 完成时限 (government only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion: Option<Completion>,
    /// The lead units' results, for the raiser of an appeal (null until
    /// closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<Option<AnswerView>>,
    /// Leaders' 批示 (a matter's page, government only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Vec<InstructionView>>,
    /// The log (a matter's page, government only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventView>>,
    /// The matters linked to this one that the viewer may open (a
    /// matter's page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<crate::LinkView>>,
    /// The zone the `*_local` times are in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// The 督办通知单's number (a matter's page, government only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_number: Option<Option<String>>,
    /// The 催办单 the viewer may read (a matter's page, government only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urgings: Option<Vec<UrgingView>>,
}

/// `{"matter": …}`: a matter's page, and what creating, editing or
/// withdrawing one answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterWrapper {
    pub matter: MatterView,
}

/// The matter's completion limit (完成时限).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Completion {
    pub date: Option<NaiveDate>,
    /// The date, 持续推进, or —.
    pub text: String,
    pub from: Option<CompletionFrom>,
}

/// Where a completion limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompletionFrom {
    /// The matter's own deadline.
    Deadline,
    /// The 13710 term of its tracks.
    Term,
    /// A continuing matter without one (持续推进).
    Continuing,
}

/// What the raiser of an appeal reads once the matter is closed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerView {
    pub text: String,
    pub texts: Vec<String>,
    #[schema(value_type = Option<String>, example = "2026-12-07T09:30:00")]
    pub closed_at: Option<chrono::NaiveDateTime>,
}

/// A leader's 批示.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstructionView {
    pub seq: i64,
    pub leader_id: Option<i64>,
    pub leader_name: String,
    pub text: Option<String>,
    pub at: DateTime<Utc>,
    pub at_local: String,
}

/// An entry of the event log, with who acted and when in local time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<i64>,
    /// e.g. `track.sign_for`.
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    /// What it was before (any JSON value, free-form).
    pub before: serde_json::Value,
    /// What it is after (any JSON value, free-form).
    pub after: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
    pub actor_name: Option<String>,
    pub at_local: String,
}

impl EventView {
    /// The entry `e` of the log, its actor named `actor_name`, its time in
    /// the configured local time.
    pub fn of(
        e: duban_domain::events::Event,
        actor_name: Option<String>,
        clock: &duban_domain::clock::LocalTime,
    ) -> EventView {
        EventView {
            actor_name,
            at_local: clock.show(e.at),
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// A track's matter, in the lists of tracks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterSummary {
    pub id: i64,
    pub title: String,
    #[serde(rename = "type")]
    pub type_name: String,
    #[schema(value_type = String)]
    pub status: duban_domain::matter::MatterStatus,
    pub status_label: String,
}

/// A 催办单: the office's urging of one unit on a matter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UrgingView {
    pub id: i64,
    pub matter_id: i64,
    pub track_id: i64,
    pub unit_id: i64,
    pub unit_name: Option<String>,
    /// 催办〔2026〕3号.
    pub number: String,
    pub text: String,
    /// The unit's next limit when urged (`date`, `label`, `text`), as it
    /// was recorded then (free-form).
    pub due: Option<serde_json::Value>,
    pub author_id: Option<i64>,
    pub at: DateTime<Utc>,
    /// Local time, to the minute.
    pub at_local: String,
}

/// What creating a matter answers: the matter, and matters that may be the
/// same work.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedMatterView {
    pub matter: MatterView,
    /// Matters that may be the same work, to link (not a refusal), as the
    /// similar-matters search lists them, best first.
    pub similar: Vec<super::SimilarView>,
}
