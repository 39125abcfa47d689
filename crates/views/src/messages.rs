//! The message centre (消息中心) as its owner reads it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A page of the caller's messages, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessagesView {
    /// How many of the newest 100 messages are unread.
    pub unread: i64,
    pub messages: Vec<MessageView>,
    /// The cursor of the next page (`after=`), none on the last.
    pub next: Option<String>,
}

/// One message: an event that concerns the caller, or a limit coming due.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    /// What marks it read (`e<seq>`, `due:<track>:<date>`).
    pub key: String,
    /// The event's kind (`track.assign`, …), or `due_soon`.
    pub kind: String,
    /// The kind in words.
    pub label: String,
    pub at: DateTime<Utc>,
    /// The time in local time, `2026-12-07 09:30`.
    pub at_local: String,
    pub matter_id: Option<i64>,
    pub track_id: Option<i64>,
    /// The matter's title, or what the message is about.
    pub title: String,
    /// Who did it; none for the system.
    pub actor: Option<String>,
    /// What the event recorded (free-form), or the limit for `due_soon`.
    pub detail: serde_json::Value,
    /// The detail in one line of words: a reason, a new limit.
    pub note: String,
    pub read: bool,
}

/// What marking messages read answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnreadView {
    /// How many of the newest 100 messages are still unread.
    pub unread: i64,
}
