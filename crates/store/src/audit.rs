//! The audit trail (安全审计): log-ins and their failures with the address
//! and user agent, downloads and exports, beside the changes the event log
//! already records (accounts, permissions, configuration). Audit entries
//! are events like any other, so they sit in the same hash chain and
//! `duban verify` covers them; reading the trail is for the audit admin.

use crate::events::{append, new_event, EventKind};
use crate::{args, Result, Store};
use duban_domain::events::Event;
use serde_json::{json, Value};

impl Store {
    /// Records `action` (`audit.login`, `audit.download`, …) by `actor` on
    /// `entity`/`id` with its `detail`.
    pub async fn audit(
        &self,
        actor: Option<i64>,
        action: EventKind,
        entity: &str,
        id: i64,
        detail: Value,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        append(
            &mut tx,
            new_event(actor, action, entity, id, json!(null), detail),
        )
        .await?;
        tx.commit().await
    }

    /// The trail, newest first: `limit` entries before `before` (a
    /// sequence number; `None`: from the newest).
    pub async fn audit_trail(&self, before: Option<i64>, limit: i64) -> Result<Vec<Event>> {
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {} FROM events WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
                    crate::events::COLUMNS
                ),
                args![before.unwrap_or(i64::MAX), limit],
            )
            .await?;
        rows.iter().map(crate::events::event).collect()
    }
}

/// Which entries of the trail to list.
#[derive(Debug, Clone, Default)]
pub struct TrailFilter {
    /// Entries before this sequence number (paging).
    pub before: Option<i64>,
    /// One kind (`audit.login`), or a group of kinds: a prefix ending with
    /// a dot (`user.`).
    pub kind: Option<String>,
    /// By this user.
    pub actor: Option<i64>,
    /// At or after this time.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Before this time.
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    pub limit: i64,
}

impl Store {
    /// The trail, newest first, as `f` narrows it.
    pub async fn audit_search(&self, f: &TrailFilter) -> Result<Vec<Event>> {
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {} FROM events WHERE seq < $1 \
                     AND ($2 = '' OR action = $3 OR action LIKE $4) \
                     AND ($5 = 0 OR actor = $6) \
                     AND at >= $7 AND at < $8 \
                     ORDER BY seq DESC LIMIT $9",
                    crate::events::COLUMNS
                ),
                args![
                    f.before.unwrap_or(i64::MAX),
                    f.kind.clone().unwrap_or_default(),
                    f.kind.clone().unwrap_or_default(),
                    match f.kind.as_deref() {
                        Some(group) if group.ends_with('.') =>
                            format!("{}%", group.replace(['%', '\\'], "")),
                        _ => String::new(),
                    },
                    i64::from(f.actor.is_some()),
                    f.actor.unwrap_or(0),
                    f.from.map(crate::micros).unwrap_or(i64::MIN),
                    f.to.map(crate::micros).unwrap_or(i64::MAX),
                    f.limit
                ],
            )
            .await?;
        rows.iter().map(crate::events::event).collect()
    }
}
