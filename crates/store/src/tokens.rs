//! API tokens for integrations: issued by the admin to a user, kept only
//! as a hash (the plain token is the caller's, shown once), listed without
//! it, and revoked, after which the token is refused at its next use. The
//! last use is kept to the minute.

use crate::events::{append, new_event, EventKind};
use crate::{args, from_micros, micros, Error, Result, Store};
use chrono::{DateTime, Utc};
use duban_domain::org::{User, UserId};
use serde::Serialize;
use serde_json::json;

/// An API token as listed: never its hash, never the token.
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub user_id: UserId,
    pub user_login: String,
    pub user_name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// How stale the kept last use may be before a use writes it again.
const LAST_USE_STEP_MICROS: i64 = 60_000_000;

const SELECT: &str = "SELECT t.id, t.name, t.user_id, u.login, u.name AS user_name, \
     t.created_at, t.last_used_at, t.revoked_at \
     FROM api_tokens t JOIN users u ON u.id = t.user_id";

fn token_of(r: &crate::db::Row) -> Result<ApiToken> {
    Ok(ApiToken {
        id: r.i64("id")?,
        name: r.str("name")?,
        user_id: r.i64("user_id")?,
        user_login: r.str("login")?,
        user_name: r.str("user_name")?,
        created_at: from_micros(r.i64("created_at")?),
        last_used_at: r.opt_i64("last_used_at")?.map(from_micros),
        revoked_at: r.opt_i64("revoked_at")?.map(from_micros),
    })
}

impl Store {
    /// Stores a token for `user` by its hash; the event log keeps who
    /// issued it, to whom, and its name.
    pub async fn create_api_token(
        &self,
        actor: Option<UserId>,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> Result<ApiToken> {
        let mut tx = self.pool.begin().await?;
        let id = tx
            .insert(
                "INSERT INTO api_tokens (token_hash, user_id, name, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
                args![token_hash, user, name, micros(Utc::now())],
            )
            .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::TokenCreate,
                "user",
                user,
                json!(null),
                json!({ "token_id": id, "name": name }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.api_token(id).await
    }

    /// One token, by id.
    pub async fn api_token(&self, id: i64) -> Result<ApiToken> {
        let r = self
            .pool
            .fetch_opt(&format!("{SELECT} WHERE t.id = $1"), args![id])
            .await?
            .ok_or_else(|| Error::NotFound(format!("API 令牌 {id} 不存在")))?;
        token_of(&r)
    }

    /// Every token, revoked ones included, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        self.pool
            .fetch(&format!("{SELECT} ORDER BY t.id DESC"), args![])
            .await?
            .iter()
            .map(token_of)
            .collect()
    }

    /// Revokes a token; it is refused from its next use on. Revoking a
    /// revoked token is a conflict, not a second event.
    pub async fn revoke_api_token(&self, actor: Option<UserId>, id: i64) -> Result<ApiToken> {
        let before = self.api_token(id).await?;
        if before.revoked_at.is_some() {
            return Err(Error::Conflict(format!(
                "API 令牌“{}”已经吊销，无需再次吊销",
                before.name
            )));
        }
        let mut tx = self.pool.begin().await?;
        let n = tx
            .exec(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                args![micros(Utc::now()), id],
            )
            .await?;
        if n == 0 {
            return Err(Error::Conflict(format!(
                "API 令牌“{}”已经吊销，无需再次吊销",
                before.name
            )));
        }
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::TokenRevoke,
                "user",
                before.user_id,
                json!({ "token_id": id, "name": before.name }),
                json!(null),
            ),
        )
        .await?;
        tx.commit().await?;
        self.api_token(id).await
    }

    /// The active user behind a live token, its use noted.
    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT id, user_id, last_used_at FROM api_tokens \
                 WHERE token_hash = $1 AND revoked_at IS NULL",
                args![token_hash],
            )
            .await?;
        let Some(r) = r else { return Ok(None) };
        let u = self.user(r.i64("user_id")?).await?;
        if !u.active {
            return Ok(None);
        }
        let now = micros(Utc::now());
        if r.opt_i64("last_used_at")?
            .is_none_or(|t| now - t >= LAST_USE_STEP_MICROS)
        {
            let mut tx = self.pool.begin().await?;
            tx.exec(
                "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
                args![now, r.i64("id")?],
            )
            .await?;
            tx.commit().await?;
        }
        Ok(Some(u))
    }
}
