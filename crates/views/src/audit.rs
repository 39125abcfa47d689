//! The audit trail (审计日志) as the audit admin reads it.

use super::EventView;
use serde::Serialize;
use utoipa::ToSchema;

/// A page of the trail, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditView {
    pub entries: Vec<AuditEntryView>,
    /// The cursor of the next page (`before=`, a sequence number), none on
    /// the last.
    pub next_before: Option<i64>,
}

/// An entry of the trail: the chained entry as stored, and the same in
/// words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntryView {
    #[serde(flatten)]
    #[schema(inline)]
    pub event: EventView,
    /// The kind in words (登录, 签收, …); the code itself for a kind this
    /// version does not write.
    pub action_label: String,
    /// What it happened to, in words, and its page where there is one.
    pub object: ObjectRef,
    /// What the entry records, a line per field: what changed (old → new)
    /// or what was recorded.
    pub content: Vec<ContentLine>,
}

/// What an entry happened to: `事项 12`, `用户 4（张三）`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectRef {
    pub label: String,
    /// The object's page, where one exists.
    pub href: Option<String>,
}

/// One field of an entry's content in words.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ContentLine {
    /// The field's name (登录名, 原因, …).
    pub label: String,
    /// Its value, or `old → new` where the entry changed it.
    pub value: String,
}
