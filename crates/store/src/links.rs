//! Matters the office linked as the same work: when a proposal is
//! confirmed or a matter created, the web layer shows existing matters that
//! look alike (`duban-search`'s `similar`), and the office links instead of
//! assigning twice. A link is symmetric and kept once per pair (the smaller
//! id first, migration 0014); unlinking marks it removed, never deletes.
//! Linking and unlinking each append one event per matter (`matter.link`,
//! `matter.unlink`, with the other matter and the reason), so both
//! matters' logs show it.

use crate::db::Tx;
use crate::events::{append, new_event, EventKind};
use crate::{args, from_micros, micros, Error, Result, Store};
use chrono::{DateTime, Utc};
use duban_domain::matter::{MatterId, UserId};
use serde::Serialize;
use serde_json::json;

/// A matter linked to the one asked about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedMatter {
    pub matter_id: MatterId,
    pub title: String,
    /// `open`, `closed`, `withdrawn`.
    pub status: String,
    pub reason: String,
    pub linked_by: Option<UserId>,
    pub linked_at: DateTime<Utc>,
}

fn pair(a: MatterId, b: MatterId) -> (MatterId, MatterId) {
    (a.min(b), a.max(b))
}

async fn must_exist(tx: &mut Tx, id: MatterId) -> Result<()> {
    tx.fetch_opt("SELECT id FROM matters WHERE id = $1", args![id])
        .await?
        .map(|_| ())
        .ok_or_else(|| Error::NotFound(format!("事项 {id} 不存在")))
}

async fn log_both(
    tx: &mut Tx,
    actor: Option<UserId>,
    action: EventKind,
    a: MatterId,
    b: MatterId,
    reason: &str,
) -> Result<()> {
    for (me, other) in [(a, b), (b, a)] {
        append(
            tx,
            new_event(
                actor,
                action,
                "matter",
                me,
                json!(null),
                json!({ "other": other, "reason": reason }),
            ),
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Links matters `a` and `b` as the same work, with an optional reason.
    /// Linking a matter to itself or a pair already linked is refused.
    pub async fn link_matters(
        &self,
        actor: Option<UserId>,
        a: MatterId,
        b: MatterId,
        reason: &str,
    ) -> Result<()> {
        if a == b {
            return Err(Error::Invalid("不能把事项与它自己关联".into()));
        }
        let reason = reason.trim();
        let (lo, hi) = pair(a, b);
        let mut tx = self.pool.begin().await?;
        must_exist(&mut tx, a).await?;
        must_exist(&mut tx, b).await?;
        if tx
            .fetch_opt(
                "SELECT id FROM matter_links WHERE matter_a = $1 AND matter_b = $2 AND removed_at IS NULL",
                args![lo, hi],
            )
            .await?
            .is_some()
        {
            return Err(Error::Conflict(format!(
                "事项 {a} 与事项 {b} 已经关联，无需再次关联"
            )));
        }
        tx.exec(
            "INSERT INTO matter_links (matter_a, matter_b, reason, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
            args![lo, hi, reason, actor, micros(Utc::now())],
        )
        .await?;
        log_both(&mut tx, actor, EventKind::MatterLink, a, b, reason).await?;
        tx.commit().await
    }

    /// Removes the link between `a` and `b` (kept, marked removed).
    pub async fn unlink_matters(
        &self,
        actor: Option<UserId>,
        a: MatterId,
        b: MatterId,
        reason: &str,
    ) -> Result<()> {
        let reason = reason.trim();
        let (lo, hi) = pair(a, b);
        let mut tx = self.pool.begin().await?;
        let n = tx
            .exec(
                "UPDATE matter_links SET removed_at = $1, removed_by = $2 \
                 WHERE matter_a = $3 AND matter_b = $4 AND removed_at IS NULL",
                args![micros(Utc::now()), actor, lo, hi],
            )
            .await?;
        if n == 0 {
            return Err(Error::NotFound(format!(
                "事项 {a} 与事项 {b} 没有关联；请刷新页面查看当前的关联"
            )));
        }
        log_both(&mut tx, actor, EventKind::MatterUnlink, a, b, reason).await?;
        tx.commit().await
    }

    /// The matters linked to `id`, both ways, oldest link first.
    pub async fn matter_links(&self, id: MatterId) -> Result<Vec<LinkedMatter>> {
        let rows = self
            .pool
            .fetch(
                "SELECT l.matter_a, l.matter_b, l.reason, l.created_by, l.created_at, \
                        m.title, m.status \
                 FROM matter_links l \
                 JOIN matters m ON m.id = CASE WHEN l.matter_a = $1 THEN l.matter_b ELSE l.matter_a END \
                 WHERE (l.matter_a = $1 OR l.matter_b = $1) AND l.removed_at IS NULL \
                 ORDER BY l.id",
                args![id],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let (a, b) = (r.i64("matter_a")?, r.i64("matter_b")?);
                Ok(LinkedMatter {
                    matter_id: if a == id { b } else { a },
                    title: r.str("title")?,
                    status: r.str("status")?,
                    reason: r.str("reason")?,
                    linked_by: r.opt_i64("created_by")?,
                    linked_at: from_micros(r.i64("created_at")?),
                })
            })
            .collect()
    }
}
