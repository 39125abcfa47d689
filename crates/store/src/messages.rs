//! The message centre: what is new for a user, read from the record rather
//! than written twice. A message is
//!
//! - an **event** addressed to the user's unit: any event on one of the
//!   unit's tracks (交办, 退回, 催办, a limit moved, …) or on a matter the
//!   unit has a track in (批示, …), done by someone outside the unit (the
//!   office, a leader, the system) — so a new kind of event reaches the
//!   unit without a change here;
//! - an event on the user's own account done by someone else;
//! - for the office, a unit's request: an application to close or for an
//!   extension;
//! - **due soon**: an open track of the unit whose light has turned yellow
//!   (its next limit is near), one message per track and limit.
//!
//! Whether the user opened a message is kept in `message_reads` by its key
//! (`e<seq>`, `due:<track>:<date>`); reading is not business data and adds
//! nothing to the event log.

use crate::db::Row;
use crate::{args, from_micros, micros, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::clock::LocalTime;
use duban_domain::org::{Role, User};
use serde::Serialize;
use std::collections::HashSet;

/// How many messages a user is shown (the newest).
pub const LIMIT: i64 = 100;

/// One message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub key: String,
    /// The event's action (`track.assign`, `track.return`, …), or `due_soon`.
    pub kind: String,
    pub at: DateTime<Utc>,
    pub matter_id: Option<i64>,
    pub track_id: Option<i64>,
    /// The matter's title, or what the event is about.
    pub title: String,
    /// Who did it; `None` for the system.
    pub actor: Option<String>,
    /// The event's recorded detail (a reason, a new limit), or the limit's
    /// date for `due_soon`.
    pub detail: serde_json::Value,
    pub read: bool,
}

fn event_message(r: &Row) -> Result<Message> {
    Ok(Message {
        key: format!("e{}", r.i64("seq")?),
        kind: r.str("action")?,
        at: from_micros(r.i64("at")?),
        matter_id: r.opt_i64("matter_id")?,
        track_id: r.opt_i64("track_id")?,
        title: r.opt_str("title")?.unwrap_or_default(),
        actor: r.opt_str("actor_name")?,
        detail: r.json("after").unwrap_or(serde_json::Value::Null),
        read: false,
    })
}

/// A message's place in the list, newest first (the list is sorted by this,
/// descending): its time, then events before limits coming due, events by
/// number, limits by key.
fn order_of(at: DateTime<Utc>, key: &str) -> (DateTime<Utc>, u8, i64, &str) {
    match key.strip_prefix('e').and_then(|n| n.parse::<i64>().ok()) {
        Some(seq) => (at, 1, seq, ""),
        None => (at, 0, 0, key),
    }
}

/// Where a page of messages ends: the last message's time and key. The
/// next page starts after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageCursor {
    pub at: DateTime<Utc>,
    pub key: String,
}

impl MessageCursor {
    /// The cursor after `m`.
    pub fn after(m: &Message) -> MessageCursor {
        MessageCursor {
            at: m.at,
            key: m.key.clone(),
        }
    }

    /// As written in a link: `<microseconds>.<key>`.
    pub fn encode(&self) -> String {
        format!("{}.{}", micros(self.at), self.key)
    }

    /// A cursor as [`MessageCursor::encode`] wrote it; `None` when it is
    /// not one.
    pub fn decode(s: &str) -> Option<MessageCursor> {
        let (at, key) = s.split_once('.')?;
        let at: i64 = at.parse().ok().filter(|n| *n >= 0)?;
        let event = key
            .strip_prefix('e')
            .is_some_and(|n| n.parse::<u64>().is_ok_and(|n| n > 0));
        let due = key
            .strip_prefix("due:")
            .and_then(|r| r.split_once(':'))
            .is_some_and(|(t, d)| {
                t.parse::<u64>().is_ok_and(|t| t > 0)
                    && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok()
            });
        (event || due).then(|| MessageCursor {
            at: from_micros(at),
            key: key.to_string(),
        })
    }
}

const EVENT_COLUMNS: &str = "e.seq, e.at, e.action, e.after, a.name AS actor_name";

impl Store {
    /// The user's messages on the local day of `now`, newest first, at
    /// most `limit` (at most [`LIMIT`]), after the message `after` in that
    /// order (keyset paging; `None`: from the newest).
    pub async fn messages(
        &self,
        user: &User,
        clock: &LocalTime,
        now: DateTime<Utc>,
        after: Option<&MessageCursor>,
        limit: i64,
    ) -> Result<Vec<Message>> {
        let today = clock.today(now);
        let mut out: Vec<Message> = Vec::new();
        let limit = limit.clamp(1, LIMIT);
        // Events before the cursor in the list's order (see `order_of`): at
        // an earlier time, or at its time with a smaller number; none at its
        // time after a message of a limit coming due.
        let until = after.map_or(i64::MAX, |c| micros(c.at));
        let below = after.map_or(i64::MAX, |c| order_of(c.at, &c.key).2);
        if let (Some(unit), true) = (user.unit_id, user.role.is_unit_role()) {
            let outside =
                "(e.actor IS NULL OR e.actor NOT IN (SELECT id FROM users WHERE unit_id = $1))";
            for (join, what) in [
                ("e.entity = 'track' AND e.entity_id = t.id", "t.id AS track_id"),
                (
                    "e.entity = 'matter' AND e.entity_id = t.matter_id AND e.action NOT IN ('matter.create', 'matter.status')",
                    "NULL AS track_id",
                ),
            ] {
                let sql = format!(
                    "SELECT {EVENT_COLUMNS}, {what}, t.matter_id, m.title FROM tracks t \
                     JOIN events e ON {join} JOIN matters m ON m.id = t.matter_id \
                     LEFT JOIN users a ON a.id = e.actor \
                     WHERE t.unit_id = $1 AND {outside} AND (e.at < $2 OR (e.at = $3 AND e.seq < $4)) ORDER BY e.seq DESC LIMIT {limit}"
                );
                for r in self.pool.fetch(&sql, args![unit, until, until, below]).await? {
                    out.push(event_message(&r)?);
                }
            }
            // Every limit coming due (at most the store's page), whatever the
            // page: which of them fall after the cursor is seen below.
            let rows = self
                .pool
                .fetch(
                    &format!(
                        "SELECT t.id, t.matter_id, t.next_due, m.title FROM tracks t JOIN matters m ON m.id = t.matter_id \
                         WHERE t.unit_id = $1 AND t.state NOT IN ('closed', 'withdrawn') \
                         AND t.yellow_from IS NOT NULL AND t.yellow_from <= $2 AND t.next_due >= $2 \
                         ORDER BY t.next_due, t.id LIMIT {LIMIT}"
                    ),
                    args![unit, today.to_string()],
                )
                .await?;
            for r in rows {
                let due = r.str("next_due")?;
                let track = r.i64("id")?;
                let day = NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap_or(today);
                out.push(Message {
                    key: format!("due:{track}:{due}"),
                    kind: "due_soon".into(),
                    // Shown as of the start (local midnight) of the day it
                    // came due soon: never after what happened since.
                    at: clock.start_of(day.min(today)),
                    matter_id: Some(r.i64("matter_id")?),
                    track_id: Some(track),
                    title: r.str("title")?,
                    actor: None,
                    detail: serde_json::json!({ "due": due }),
                    read: false,
                });
            }
        }
        if matches!(user.role, Role::Office | Role::Admin) {
            // The newest events of the two actions first, by their index
            // (migration 0018), then their tracks: filtered after the join,
            // the planners walked every track event instead.
            let sql = format!(
                "SELECT {EVENT_COLUMNS}, t.id AS track_id, t.matter_id, m.title FROM \
                 (SELECT * FROM events WHERE action IN ('track.apply_to_close', 'track.request_extension') \
                 AND (at < $1 OR (at = $2 AND seq < $3)) ORDER BY seq DESC LIMIT {limit}) e \
                 JOIN tracks t ON e.entity = 'track' AND e.entity_id = t.id JOIN matters m ON m.id = t.matter_id \
                 LEFT JOIN users a ON a.id = e.actor ORDER BY e.seq DESC"
            );
            for r in self.pool.fetch(&sql, args![until, until, below]).await? {
                out.push(event_message(&r)?);
            }
        }
        let sql = format!(
            "SELECT {EVENT_COLUMNS}, NULL AS track_id, NULL AS matter_id, NULL AS title FROM events e \
             LEFT JOIN users a ON a.id = e.actor \
             WHERE e.entity = 'user' AND e.entity_id = $1 AND e.action <> 'user.create' AND (e.actor IS NULL OR e.actor <> $2) \
             AND (e.at < $3 OR (e.at = $4 AND e.seq < $5)) ORDER BY e.seq DESC LIMIT {limit}"
        );
        for r in self
            .pool
            .fetch(&sql, args![user.id, user.id, until, until, below])
            .await?
        {
            let mut m = event_message(&r)?;
            m.title = "我的账号".into();
            out.push(m);
        }
        let read: HashSet<String> = self
            .pool
            .fetch(
                "SELECT key FROM message_reads WHERE user_id = $1",
                args![user.id],
            )
            .await?
            .iter()
            .map(|r| r.str("key"))
            .collect::<Result<_>>()?;
        for m in &mut out {
            m.read = read.contains(&m.key);
        }
        out.sort_by(|a, b| order_of(b.at, &b.key).cmp(&order_of(a.at, &a.key)));
        out.dedup_by(|a, b| a.key == b.key);
        if let Some(c) = after {
            let cursor = order_of(c.at, &c.key);
            out.retain(|m| order_of(m.at, &m.key) < cursor);
        }
        out.truncate(limit as usize);
        Ok(out)
    }

    /// Marks messages read for the user (keys already read are left as
    /// they were).
    pub async fn mark_messages_read(&self, user: i64, keys: &[String]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let now = micros(Utc::now());
        for k in keys {
            tx.exec(
                "INSERT INTO message_reads (user_id, key, read_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, key) DO NOTHING",
                args![user, k.clone(), now],
            )
            .await?;
        }
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_nothing_else() {
        for key in ["e12", "due:7:2026-12-31"] {
            let c = MessageCursor {
                at: from_micros(1_765_000_000_000_000),
                key: key.into(),
            };
            assert_eq!(MessageCursor::decode(&c.encode()), Some(c));
        }
        for bad in [
            "",
            "12",
            "x.e1",
            "-5.e1",
            "12.e0",
            "12.ex",
            "12.due:7",
            "12.due:0:2026-12-31",
            "12.due:7:2026-13-01",
            "12.other",
        ] {
            assert_eq!(MessageCursor::decode(bad), None, "{bad}");
        }
    }
}
