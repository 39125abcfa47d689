//! The event log in the database: appended inside the write transaction of
//! the change it records, read back in order, verified as a chain.

use crate::db::{Row, Tx};
use crate::{args, from_micros, micros, Result, Store};
use duban_domain::events::{self, ChainError, Event, NewEvent};

pub(crate) const COLUMNS: &str =
    "seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash";

pub(crate) fn event(r: &Row) -> Result<Event> {
    Ok(Event {
        seq: r.i64("seq")?,
        at: from_micros(r.i64("at")?),
        actor: r.opt_i64("actor")?,
        action: r.str("action")?,
        entity: r.str("entity")?,
        entity_id: r.i64("entity_id")?,
        before: r.json("before")?,
        after: r.json("after")?,
        prev_hash: r.str("prev_hash")?,
        hash: r.str("hash")?,
    })
}

/// Appends an entry, chained to the last one. Must run in the transaction
/// of the change it records.
pub(crate) async fn append(tx: &mut Tx, e: NewEvent) -> Result<Event> {
    let last = tx
        .fetch_opt(
            &format!("SELECT {COLUMNS} FROM events ORDER BY seq DESC LIMIT 1"),
            args![],
        )
        .await?;
    let last = last.as_ref().map(event).transpose()?;
    let ev = e.chain(last.as_ref());
    tx.exec(
        "INSERT INTO events (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![
            ev.seq,
            micros(ev.at),
            ev.actor,
            ev.action.clone(),
            ev.entity.clone(),
            ev.entity_id,
            ev.before.to_string(),
            ev.after.to_string(),
            ev.prev_hash.clone(),
            ev.hash.clone()
        ],
    )
    .await?;
    Ok(ev)
}

/// Builds an event for `entity`/`id` by `actor`, now.
pub(crate) fn new_event(
    actor: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> NewEvent {
    NewEvent {
        at: chrono::Utc::now(),
        actor,
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id,
        before,
        after,
    }
}

impl Store {
    /// Entries about one entity, oldest first.
    pub async fn events_of(&self, entity: &str, entity_id: i64) -> Result<Vec<Event>> {
        let rows = self
            .pool
            .fetch(
                &format!("SELECT {COLUMNS} FROM events WHERE entity = $1 AND entity_id = $2 ORDER BY seq"),
                args![entity, entity_id],
            )
            .await?;
        rows.iter().map(event).collect()
    }

    /// Checks the whole chain in pages; returns how many entries were checked,
    /// or the first that does not fit.
    pub async fn verify_events(&self) -> Result<Result<u64, ChainError>> {
        let mut checked = 0u64;
        let mut prev: Option<Event> = None;
        loop {
            let after = prev.as_ref().map_or(0, |p| p.seq);
            let rows = self
                .pool
                .fetch(
                    &format!("SELECT {COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT 5000"),
                    args![after],
                )
                .await?;
            if rows.is_empty() {
                return Ok(Ok(checked));
            }
            let page: Vec<Event> = rows.iter().map(event).collect::<Result<_>>()?;
            if let Err(e) = events::verify_from(prev.as_ref(), &page) {
                return Ok(Err(e));
            }
            checked += page.len() as u64;
            prev = page.last().cloned();
        }
    }
}
