//! Leaders beyond the units they oversee: principal leaders (区长, 常务副区长
//! and whoever the admin marks) see the whole district, and a leader's
//! written instruction (批示) on a matter is kept in the event log, where
//! the units and the office read it.

use crate::events::{append, new_event, EventKind};
use crate::{args, Error, Result, Store};
use duban_domain::events::Event;
use duban_domain::matter::{MatterId, UnitId, UserId};
use serde_json::json;

impl Store {
    /// Whether the user is a principal leader.
    pub async fn is_principal(&self, user: UserId) -> Result<bool> {
        Ok(self
            .pool
            .fetch_opt("SELECT principal FROM users WHERE id = $1", args![user])
            .await?
            .map(|r| r.i64("principal"))
            .transpose()?
            .unwrap_or(0)
            != 0)
    }

    /// The principal leaders' ids.
    pub async fn principal_leaders(&self) -> Result<Vec<UserId>> {
        let rows = self
            .pool
            .fetch(
                "SELECT id FROM users WHERE principal <> 0 ORDER BY id",
                args![],
            )
            .await?;
        rows.iter().map(|r| r.i64("id")).collect()
    }

    /// Marks a leader principal (or not); the log keeps who did it.
    pub async fn set_principal(
        &self,
        actor: Option<UserId>,
        user: UserId,
        principal: bool,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let r = tx
            .fetch_opt(
                "SELECT role, principal FROM users WHERE id = $1",
                args![user],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("用户 {user} 不存在")))?;
        if r.str("role")? != "leader" {
            return Err(Error::Invalid(
                "只有分管领导可以设为主要领导（查看全区）".into(),
            ));
        }
        let before = r.i64("principal")? != 0;
        tx.exec(
            "UPDATE users SET principal = $1 WHERE id = $2",
            args![i64::from(principal), user],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::UserPrincipal,
                "user",
                user,
                json!({ "principal": before }),
                json!({ "principal": principal }),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// The units a leader sees: every unit for a principal leader, else
    /// those they oversee.
    pub async fn leader_scope(&self, leader: UserId) -> Result<Vec<UnitId>> {
        if self.is_principal(leader).await? {
            Ok(self.units().await?.into_iter().map(|u| u.id).collect())
        } else {
            self.leader_units(leader).await
        }
    }

    /// Records a leader's 批示 on a matter.
    pub async fn add_instruction(
        &self,
        actor: UserId,
        matter: MatterId,
        text: &str,
    ) -> Result<Event> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::Invalid("请填写批示内容".into()));
        }
        if text.chars().count() > 2000 {
            return Err(Error::Invalid("批示不超过2000字".into()));
        }
        let mut tx = self.pool.begin().await?;
        if tx
            .fetch_opt("SELECT id FROM matters WHERE id = $1", args![matter])
            .await?
            .is_none()
        {
            return Err(Error::NotFound(format!("事项 {matter} 不存在")));
        }
        let e = append(
            &mut tx,
            new_event(
                Some(actor),
                EventKind::MatterInstruction,
                "matter",
                matter,
                json!(null),
                json!({ "text": text }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(e)
    }
}
