//! The outbox: messages the sweep queued (reminders, urgings,
//! escalations), waiting to be sent by e-mail or webhook, and the sweep's
//! candidate query.
//!
//! - A message's `key` is unique: [`Store::enqueue`] inserts with
//!   `ON CONFLICT (key) DO NOTHING`, so queueing the same situation again,
//!   from any server, adds nothing.
//! - Servers take messages with [`Store::claim`]: unsent, due, not given up,
//!   and not claimed by anyone whose lease still runs. On PostgreSQL the
//!   candidates are locked `FOR UPDATE SKIP LOCKED` in a transaction that
//!   does not take the event log's writer lock, so servers claim side by
//!   side without waiting for each other or for business writes; SQLite has
//!   one writer and takes its write lock.
//! - [`Store::mark_sent`] and [`Store::mark_failed`] act only on a message
//!   the calling server still holds. A failure is retried after an
//!   exponential back-off ([`backoff`]: 1, 2, 4 … minutes, at most an hour);
//!   after [`MAX_ATTEMPTS`] attempts, or a permanent refusal, the message is
//!   given up and stays in the table as failed with its last error.
//!
//! Delivery is at least once: a server that sends and then dies before
//! marking leaves the message to be claimed again when its lease runs out.
//! Keep the lease well above the time a batch takes to send.
//!
//! The outbox is not business data: nothing here appends to the event log.

use crate::db::{Pool, Row, Tx};
use crate::{args, from_micros, micros, Error, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::matter::{MatterType, TrackId};
use duban_domain::workflow::Track;
use serde::Serialize;
use std::time::Duration;

/// Attempts after which a message is given up.
pub const MAX_ATTEMPTS: i64 = 10;

/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// The wait before the next attempt after `attempts` failed ones: 1 minute
/// after the first failure, then twice as long each time, at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 32) - 1).unwrap_or(31);
    Duration::from_secs(60u64.saturating_mul(1u64 << exp.min(31))).min(MAX_BACKOFF)
}

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMessage {
    /// Unique forever: a second message with the same key is not queued.
    pub key: String,
    /// What it is: `remind`, `urge`, `escalate`.
    pub kind: String,
    /// How it goes: `email` or `webhook`.
    pub channel: String,
    /// An e-mail address for `email`; the configured robot for `webhook`.
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub id: i64,
    pub key: String,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Failed attempts so far.
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl Message {
    /// Given up: not sent and no more attempts will be made.
    pub fn failed(&self) -> bool {
        self.sent_at.is_none() && self.attempts >= MAX_ATTEMPTS
    }
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Tried again at this time.
    Retry(DateTime<Utc>),
    /// Given up (too many attempts, or a permanent refusal).
    GaveUp,
    /// The message was not this server's to mark (sent already, or its
    /// lease ran out and another server claimed it).
    NotHeld,
}

/// The outbox in numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxStatus {
    /// Not sent and still to be tried (including those waiting to retry).
    pub pending: i64,
    /// Pending messages that failed at least once.
    pub retrying: i64,
    /// Pending messages a server holds right now.
    pub claimed: i64,
    pub sent: i64,
    /// Given up.
    pub failed: i64,
}

/// An open track the sweep looks at, with what its texts need.
#[derive(Debug, Clone)]
pub struct SweepCandidate {
    pub track: Track,
    pub next_due: NaiveDate,
    pub title: String,
    pub matter_type: MatterType,
    pub unit_name: String,
    /// Some later limit could not be computed (a calendar year missing);
    /// [`Store::sweep_blocked`] counts it already.
    pub due_error: bool,
}

/// Where a page of [`Store::sweep_candidates`] ends; pass it back for the
/// next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepCursor {
    next_due: Option<NaiveDate>,
    id: TrackId,
}

const MESSAGE_COLUMNS: &str = "id, key, kind, channel, recipient, subject, body, created_at, attempts, next_attempt_at, claimed_by, claimed_until, sent_at, last_error";

fn message(r: &Row) -> Result<Message> {
    Ok(Message {
        id: r.i64("id")?,
        key: r.str("key")?,
        kind: r.str("kind")?,
        channel: r.str("channel")?,
        recipient: r.str("recipient")?,
        subject: r.str("subject")?,
        body: r.str("body")?,
        created_at: from_micros(r.i64("created_at")?),
        attempts: r.i64("attempts")?,
        next_attempt_at: from_micros(r.i64("next_attempt_at")?),
        claimed_by: r.opt_str("claimed_by")?,
        claimed_until: r.opt_i64("claimed_until")?.map(from_micros),
        sent_at: r.opt_i64("sent_at")?.map(from_micros),
        last_error: r.opt_str("last_error")?,
    })
}

fn lease_micros(lease: Duration) -> i64 {
    i64::try_from(lease.as_micros()).unwrap_or(i64::MAX / 2)
}

/// An error text short enough to store.
fn clip(s: &str) -> String {
    const MAX: usize = 2000;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

impl Store {
    /// A transaction for the outbox's own rows. On PostgreSQL it does not
    /// take the event log's writer lock (row locks and `SKIP LOCKED` are
    /// enough); on SQLite it is the one writer's transaction.
    async fn outbox_tx(&self) -> Result<Tx> {
        match &self.pool {
            Pool::Postgres(p) => Ok(Tx::Postgres(p.begin().await?)),
            Pool::Sqlite(..) => self.pool.begin().await,
        }
    }

    /// Queues messages, skipping any whose key is already in the outbox
    /// (sent or not); returns how many were added.
    pub async fn enqueue(&self, items: &[NewMessage], now: DateTime<Utc>) -> Result<u64> {
        Ok(self.enqueue_new(items, now).await?.len() as u64)
    }

    /// Queues messages in one transaction, all or none, and returns the keys
    /// that were new. Items are inserted in key order, so concurrent
    /// batches from several servers lock keys in the same order.
    pub async fn enqueue_new(
        &self,
        items: &[NewMessage],
        now: DateTime<Utc>,
    ) -> Result<Vec<String>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let mut sorted: Vec<&NewMessage> = items.iter().collect();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        sorted.dedup_by(|a, b| a.key == b.key);
        for m in &sorted {
            if m.key.is_empty() || m.channel.is_empty() {
                return Err(Error::Invalid(format!("待发消息缺少键或渠道：{:?}", m.key)));
            }
        }
        let at = micros(now);
        let mut tx = self.pool.begin().await?;
        let mut added = Vec::new();
        for m in sorted {
            let rows = tx
                .fetch(
                    "INSERT INTO outbox (key, kind, channel, recipient, subject, body, created_at, attempts, next_attempt_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7) ON CONFLICT (key) DO NOTHING RETURNING key",
                    args![
                        m.key.clone(),
                        m.kind.clone(),
                        m.channel.clone(),
                        m.recipient.clone(),
                        m.subject.clone(),
                        m.body.clone(),
                        at
                    ],
                )
                .await?;
            for r in rows {
                added.push(r.str("key")?);
            }
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Claims up to `max` messages for `server` until `now + lease`: unsent,
    /// due (`next_attempt_at <= now`), not given up, and unclaimed or with
    /// an expired lease. `channels` empty means every channel. Oldest due
    /// first. No two servers get the same message while a lease runs.
    pub async fn claim(
        &self,
        server: &str,
        channels: &[&str],
        max: i64,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<Message>> {
        if server.is_empty() {
            return Err(Error::Invalid("服务器名称不能为空".into()));
        }
        let now_us = micros(now);
        let until = now_us.saturating_add(lease_micros(lease));
        let mut a = args![server, until, now_us, MAX_ATTEMPTS];
        let mut filter = String::new();
        if !channels.is_empty() {
            let mut marks = Vec::new();
            for c in channels {
                a.push((*c).into());
                marks.push(format!("${}", a.len()));
            }
            filter = format!(" AND channel IN ({})", marks.join(", "));
        }
        a.push(max.max(1).into());
        let limit = format!("${}", a.len());
        let lock = match self.pool.backend() {
            crate::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            crate::Backend::Sqlite => "",
        };
        // The candidates are picked once, in a CTE: a `LIMIT … FOR UPDATE`
        // subquery inside `UPDATE … WHERE id IN (…)` may be run again by
        // PostgreSQL and then pick more rows than the limit. The conditions
        // are repeated on the UPDATE, which PostgreSQL re-checks against the
        // latest row version, so a row a concurrent claim took first is
        // left alone.
        let claimable = "sent_at IS NULL AND attempts < $4 AND next_attempt_at <= $3 \
                         AND (claimed_until IS NULL OR claimed_until <= $3)";
        let sql = format!(
            "WITH picked AS MATERIALIZED (\
               SELECT id FROM outbox WHERE {claimable}{filter} \
               ORDER BY next_attempt_at, id LIMIT {limit}{lock}) \
             UPDATE outbox SET claimed_by = $1, claimed_until = $2 \
             WHERE id IN (SELECT id FROM picked) AND {claimable} \
             RETURNING {MESSAGE_COLUMNS}"
        );
        let mut tx = self.outbox_tx().await?;
        let rows = tx.fetch(&sql, a).await?;
        tx.commit().await?;
        let mut out = rows.iter().map(message).collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|m| (m.next_attempt_at, m.id));
        Ok(out)
    }

    /// Records that `server` sent message `id`. False when the message was
    /// not this server's to mark (already sent, or claimed by another
    /// server after this one's lease ran out).
    pub async fn mark_sent(&self, id: i64, server: &str, now: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.outbox_tx().await?;
        let n = tx
            .exec(
                "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL \
                 WHERE id = $2 AND claimed_by = $3 AND sent_at IS NULL",
                args![micros(now), id, server],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Records a failed attempt of `server` on message `id`: retried after
    /// [`backoff`], or given up after [`MAX_ATTEMPTS`] attempts or when
    /// `permanent` (the recipient was refused for good). The claim is
    /// released either way.
    pub async fn mark_failed(
        &self,
        id: i64,
        server: &str,
        error: &str,
        now: DateTime<Utc>,
        permanent: bool,
    ) -> Result<Failure> {
        let mut tx = self.outbox_tx().await?;
        let Some(r) = tx
            .fetch_opt(
                "SELECT attempts FROM outbox WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL",
                args![id, server],
            )
            .await?
        else {
            return Ok(Failure::NotHeld);
        };
        let attempts = r.i64("attempts")?.saturating_add(1);
        let (attempts, next, outcome) = if permanent || attempts >= MAX_ATTEMPTS {
            (attempts.max(MAX_ATTEMPTS), micros(now), Failure::GaveUp)
        } else {
            let at = now
                + chrono::Duration::from_std(backoff(attempts))
                    .unwrap_or_else(|_| chrono::Duration::hours(1));
            (attempts, micros(at), Failure::Retry(at))
        };
        let n = tx
            .exec(
                "UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3, claimed_by = NULL, claimed_until = NULL \
                 WHERE id = $4 AND claimed_by = $5 AND sent_at IS NULL",
                args![attempts, next, clip(error), id, server],
            )
            .await?;
        tx.commit().await?;
        Ok(if n == 1 { outcome } else { Failure::NotHeld })
    }

    /// Gives a message that was given up another round of attempts.
    pub async fn retry_message(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.outbox_tx().await?;
        let n = tx
            .exec(
                "UPDATE outbox SET attempts = 0, next_attempt_at = $1, claimed_by = NULL, claimed_until = NULL \
                 WHERE id = $2 AND sent_at IS NULL AND attempts >= $3",
                args![micros(now), id, MAX_ATTEMPTS],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Counts of the outbox, as of `now` (for the claimed count).
    pub async fn outbox_status(&self, now: DateTime<Utc>) -> Result<OutboxStatus> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT \
                   COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts < $1 THEN 1 ELSE 0 END), 0) AS pending, \
                   COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts < $1 AND attempts > 0 THEN 1 ELSE 0 END), 0) AS retrying, \
                   COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts < $1 AND claimed_until > $2 THEN 1 ELSE 0 END), 0) AS claimed, \
                   COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent, \
                   COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts >= $1 THEN 1 ELSE 0 END), 0) AS failed \
                 FROM outbox",
                args![MAX_ATTEMPTS, micros(now)],
            )
            .await?
            .unwrap_or_default();
        // PostgreSQL's SUM over BIGINT is NUMERIC, read back as text.
        let n = |c: &str| -> Result<i64> {
            match r.opt_i64(c) {
                Ok(v) => Ok(v.unwrap_or(0)),
                Err(_) => r
                    .str(c)?
                    .parse()
                    .map_err(|e| Error::Corrupt(format!("{c}: {e}"))),
            }
        };
        Ok(OutboxStatus {
            pending: n("pending")?,
            retrying: n("retrying")?,
            claimed: n("claimed")?,
            sent: n("sent")?,
            failed: n("failed")?,
        })
    }

    /// Messages by id, from `after_id` on (exclusive), at most `limit`.
    pub async fn outbox_messages(&self, after_id: i64, limit: i64) -> Result<Vec<Message>> {
        let rows = self
            .pool
            .fetch(
                &format!("SELECT {MESSAGE_COLUMNS} FROM outbox WHERE id > $1 ORDER BY id LIMIT $2"),
                args![after_id, limit.max(1)],
            )
            .await?;
        rows.iter().map(message).collect()
    }

    /// The message with this key, if queued.
    pub async fn outbox_message(&self, key: &str) -> Result<Option<Message>> {
        self.pool
            .fetch_opt(
                &format!("SELECT {MESSAGE_COLUMNS} FROM outbox WHERE key = $1"),
                args![key],
            )
            .await?
            .as_ref()
            .map(message)
            .transpose()
    }

    /// One page of the sweep's candidates: open tracks whose next limit is
    /// on or before `due_by`, in (next limit, id) order after `after`
    /// (start with [`SweepCursor::default`]). Returns the page and the
    /// cursor for the next one, `None` after the last. Each page is one
    /// index range scan, so a sweep over a million matters reads them a
    /// page at a time.
    pub async fn sweep_candidates(
        &self,
        due_by: NaiveDate,
        after: SweepCursor,
        limit: i64,
    ) -> Result<(Vec<SweepCandidate>, Option<SweepCursor>)> {
        let limit = limit.max(1);
        let from = after
            .next_due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "0000-00-00".to_string());
        let rows = self
            .pool
            .fetch(
                "SELECT t.id, t.data, t.next_due, t.due_error, m.title, m.matter_type, u.name AS unit_name \
                 FROM tracks t JOIN matters m ON m.id = t.matter_id JOIN units u ON u.id = t.unit_id \
                 WHERE t.next_due IS NOT NULL AND t.next_due <= $1 AND t.state NOT IN ('closed', 'withdrawn') \
                   AND t.next_due >= $2 AND (t.next_due > $2 OR t.id > $3) \
                 ORDER BY t.next_due, t.id LIMIT $4",
                args![due_by.to_string(), from, after.id, limit],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let next_due: NaiveDate = r
                .str("next_due")?
                .parse()
                .map_err(|e| Error::Corrupt(format!("next_due: {e}")))?;
            out.push(SweepCandidate {
                track: r.json("data")?,
                next_due,
                title: r.str("title")?,
                matter_type: r.json("matter_type")?,
                unit_name: r.str("unit_name")?,
                due_error: r.opt_str("due_error")?.is_some(),
            });
        }
        let next = if (out.len() as i64) < limit {
            None
        } else {
            out.last().map(|c| SweepCursor {
                next_due: Some(c.next_due),
                id: c.track.id,
            })
        };
        Ok((out, next))
    }
}

impl Store {
    /// Open tracks whose limits could not be computed (`due_error`: a
    /// calendar year nobody entered yet), which the sweep cannot decide
    /// on: how many, and the first `limit` of them as
    /// `(track, unit name, matter title, reason)`.
    pub async fn sweep_blocked(
        &self,
        limit: i64,
    ) -> Result<(i64, Vec<(TrackId, String, String, String)>)> {
        let count = self
            .pool
            .fetch_opt(
                "SELECT COUNT(*) AS n FROM tracks WHERE due_error IS NOT NULL AND state NOT IN ('closed', 'withdrawn')",
                args![],
            )
            .await?
            .map(|r| r.i64("n"))
            .transpose()?
            .unwrap_or(0);
        if count == 0 {
            return Ok((0, Vec::new()));
        }
        let rows = self
            .pool
            .fetch(
                "SELECT t.id, u.name AS unit_name, m.title, t.due_error \
                 FROM tracks t JOIN matters m ON m.id = t.matter_id JOIN units u ON u.id = t.unit_id \
                 WHERE t.due_error IS NOT NULL AND t.state NOT IN ('closed', 'withdrawn') ORDER BY t.id LIMIT $1",
                args![limit.max(1)],
            )
            .await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok((
                    r.i64("id")?,
                    r.str("unit_name")?,
                    r.str("title")?,
                    r.str("due_error")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((count, list))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let mins: Vec<u64> = (1..=10).map(|a| backoff(a).as_secs() / 60).collect();
        assert_eq!(mins, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
        assert_eq!(backoff(0), Duration::from_secs(60));
        assert_eq!(backoff(i64::MAX), MAX_BACKOFF);
    }

    #[test]
    fn long_errors_are_clipped_on_a_char_boundary() {
        let s = "错".repeat(1000);
        let c = clip(&s);
        assert!(c.len() <= 2000 + "…".len());
        assert!(c.ends_with('…'));
        assert_eq!(clip("short"), "short");
    }
}
