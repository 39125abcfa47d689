//! The event log in the database: appended inside the write transaction of
//! the change it records, read back in order, verified as a chain.

use crate::db::{Row, Tx};
use crate::{args, from_micros, micros, Result, Store};
pub(crate) use duban_domain::events::EventKind;
use duban_domain::events::{self, ChainError, ChainHash, Event, NewEvent};

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
    let (last, alg) = chain_end(tx).await?;
    let ev = e.chain_with(alg, last.as_ref());
    insert_chained(tx, std::slice::from_ref(&ev)).await?;
    Ok(ev)
}

/// The chain's last entry and its hash function, for entries chained in
/// memory (with [`NewEvent::chain_with`]) and written by [`insert_chained`]
/// in the same transaction.
pub(crate) async fn chain_end(tx: &mut Tx) -> Result<(Option<Event>, ChainHash)> {
    let last = tx
        .fetch_opt(
            &format!("SELECT {COLUMNS} FROM events ORDER BY seq DESC LIMIT 1"),
            args![],
        )
        .await?;
    let last = last.as_ref().map(event).transpose()?;
    Ok((last, chain_hash_in(tx).await?))
}

/// Writes entries already chained, in order, after the chain's end.
pub(crate) async fn insert_chained(tx: &mut Tx, events: &[Event]) -> Result<()> {
    let rows = events
        .iter()
        .map(|ev| {
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
            ]
        })
        .collect();
    tx.insert_rows(&format!("INSERT INTO events ({COLUMNS})"), rows)
        .await
}

/// The stored key of the chain's hash function among the security settings.
pub(crate) const CHAIN_HASH: &str = "chain_hash";

/// The chain's hash function as stored (SHA-256 when none was chosen).
pub(crate) async fn chain_hash_in(tx: &mut Tx) -> Result<ChainHash> {
    let r = tx
        .fetch_opt(
            "SELECT value FROM security_settings WHERE key = $1",
            args![CHAIN_HASH],
        )
        .await?;
    stored_hash(r.as_ref())
}

fn stored_hash(r: Option<&Row>) -> Result<ChainHash> {
    let Some(r) = r else {
        return Ok(ChainHash::Sha256);
    };
    let name: String = r.json("value")?;
    ChainHash::parse(&name)
        .ok_or_else(|| crate::Error::Corrupt(format!("操作日志的哈希算法“{name}”无法识别")))
}

/// Builds an event for `entity`/`id` by `actor`, now.
pub(crate) fn new_event(
    actor: Option<i64>,
    kind: EventKind,
    entity: &str,
    entity_id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> NewEvent {
    NewEvent {
        at: chrono::Utc::now(),
        actor,
        action: kind.code().to_string(),
        entity: entity.to_string(),
        entity_id,
        before,
        after,
    }
}

impl Store {
    /// The chain's hash function, as chosen when the database was made.
    pub async fn chain_hash(&self) -> Result<ChainHash> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT value FROM security_settings WHERE key = $1",
                args![CHAIN_HASH],
            )
            .await?;
        stored_hash(r.as_ref())
    }

    /// Chooses the chain's hash function for a new database: `wanted` when
    /// the log is still empty, else the one it was made with (SHA-256 for
    /// a log older than the choice). Once stored it never changes; the
    /// function in force is returned, so the caller can say when it is
    /// not the one asked for. The choice is the log's first entry.
    pub async fn install_chain_hash(&self, wanted: ChainHash) -> Result<ChainHash> {
        let mut tx = self.pool.begin().await?;
        let stored = tx
            .fetch_opt(
                "SELECT value FROM security_settings WHERE key = $1",
                args![CHAIN_HASH],
            )
            .await?;
        if stored.is_some() {
            return stored_hash(stored.as_ref());
        }
        let empty = tx
            .fetch_opt("SELECT seq FROM events LIMIT 1", args![])
            .await?
            .is_none();
        let alg = if empty { wanted } else { ChainHash::Sha256 };
        tx.exec(
            "INSERT INTO security_settings (key, value) VALUES ($1, $2)",
            args![CHAIN_HASH, serde_json::json!(alg.name()).to_string()],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                None,
                EventKind::SettingsChainHash,
                "settings",
                0,
                serde_json::Value::Null,
                serde_json::json!({ "chain_hash": alg.name() }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(alg)
    }

    /// Entries about one entity, oldest first.
    pub async fn events_of(&self, entity: &str, entity_id: i64) -> Result<Vec<Event>> {
        self.events_of_many(entity, &[entity_id]).await
    }

    /// A matter's log and its tracks' together, oldest first: one statement.
    pub async fn events_of_matter(&self, matter: i64, tracks: &[i64]) -> Result<Vec<Event>> {
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {COLUMNS} FROM events WHERE (entity = 'matter' AND entity_id = $1) \
                     OR (entity = 'track' AND {}) ORDER BY seq",
                    self.pool.in_ids("entity_id", "$2")
                ),
                vec![matter.into(), self.pool.ids(tracks)],
            )
            .await?;
        rows.iter().map(event).collect()
    }

    /// The log of several records of one kind (a matter's tracks), oldest
    /// first: one statement for any number of them.
    pub async fn events_of_many(&self, entity: &str, ids: &[i64]) -> Result<Vec<Event>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {COLUMNS} FROM events WHERE entity = $1 AND {} ORDER BY seq",
                    self.pool.in_ids("entity_id", "$2")
                ),
                vec![entity.into(), self.pool.ids(ids)],
            )
            .await?;
        rows.iter().map(event).collect()
    }

    /// Checks the whole chain in pages; returns how many entries were checked,
    /// or the first that does not fit.
    pub async fn verify_events(&self) -> Result<Result<u64, ChainError>> {
        let alg = self.chain_hash().await?;
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
            if let Err(e) = events::verify_from_with(alg, prev.as_ref(), &page) {
                return Ok(Err(e));
            }
            checked += page.len() as u64;
            prev = page.last().cloned();
        }
    }
}
