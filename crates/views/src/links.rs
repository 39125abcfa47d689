//! Possibly duplicate matters (可能重复的事项) and the links between
//! matters (关联事项).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A matter that looks like the same work as the one in hand.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimilarView {
    pub id: i64,
    pub title: String,
    /// Its units' names.
    pub units: Vec<String>,
    /// `open`, `closed`, `withdrawn`.
    pub state: Option<String>,
    pub state_label: &'static str,
    pub deadline: Option<String>,
    /// Text likeness, in [0, 1].
    pub text: f64,
    /// Unit overlap, in [0, 1].
    pub unit_overlap: f64,
    /// The score the candidates are ranked by, in [0, 1].
    pub score: f64,
    /// Its page.
    pub link: String,
}

/// `{"similar": […]}`: the candidates, best first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimilarListView {
    pub similar: Vec<SimilarView>,
}

/// A linked matter as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkView {
    pub id: i64,
    pub title: String,
    /// `open`, `closed`, `withdrawn`.
    pub state: String,
    pub state_label: &'static str,
    /// Why the office linked them.
    pub reason: String,
    pub linked_at: DateTime<Utc>,
    /// `linked_at` in local time.
    pub linked_at_local: String,
    /// Its page.
    pub link: String,
}

/// `{"links": […]}`: what linking or unlinking answers, the matter's
/// links afterwards.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkListView {
    pub links: Vec<LinkView>,
}
