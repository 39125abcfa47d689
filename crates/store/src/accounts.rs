//! Accounts beyond their creation (等保 level 3): failed log-ins and the
//! lock they lead to, password changes with the history that forbids
//! reuse, the forced change of an initial or reset password, disabling a
//! user, and the last use of a session for the idle timeout. The rules
//! (how many failures, how long a lock) are the caller's; this module
//! keeps the facts.

use crate::events::{append, new_event, EventKind};
use crate::{args, from_micros, micros, Error, Result, Store};
use chrono::{DateTime, Utc};
use duban_domain::org::{User, UserId};
use serde_json::json;

/// What a log-in is checked against.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// Locked until then, after too many failures.
    pub locked_until: Option<DateTime<Utc>>,
    /// An initial or reset password, to be changed before anything else.
    pub must_change: bool,
}

impl Store {
    /// A user's credentials, by log-in name.
    pub async fn credentials(&self, login: &str) -> Result<Option<Credentials>> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT id, password_hash, locked_until, must_change_password FROM users WHERE login = $1",
                args![login],
            )
            .await?;
        let Some(r) = r else { return Ok(None) };
        Ok(Some(Credentials {
            user: self.user(r.i64("id")?).await?,
            password_hash: r.str("password_hash")?,
            locked_until: r.opt_i64("locked_until")?.map(from_micros),
            must_change: r.i64("must_change_password")? != 0,
        }))
    }

    /// Counts a failed log-in of `user`; the `max`th failure in a row locks
    /// the account until `lock_until` and starts the count again. Returns
    /// whether this failure locked it.
    pub async fn login_failed(
        &self,
        user: UserId,
        max: i64,
        lock_until: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let r = tx
            .fetch_opt(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
                args![user],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("用户 {user} 不存在")))?;
        let locked = r.i64("failed_logins")? >= max;
        if locked {
            tx.exec(
                "UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                args![micros(lock_until), user],
            )
            .await?;
            append(
                &mut tx,
                new_event(
                    None,
                    EventKind::UserLock,
                    "user",
                    user,
                    json!(null),
                    json!({ "failures": max, "locked_until": lock_until }),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(locked)
    }

    /// A successful log-in clears the failures and any lock.
    pub async fn login_succeeded(&self, user: UserId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            args![user],
        )
        .await?;
        tx.commit().await
    }

    /// The hashes of `user`'s current password and of the `n` before it.
    pub async fn recent_password_hashes(&self, user: UserId, n: i64) -> Result<Vec<String>> {
        let current = self
            .pool
            .fetch_opt("SELECT password_hash FROM users WHERE id = $1", args![user])
            .await?
            .ok_or_else(|| Error::NotFound(format!("用户 {user} 不存在")))?
            .str("password_hash")?;
        let older = self
            .pool
            .fetch(
                "SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
                args![user, n],
            )
            .await?;
        let mut out = vec![current];
        for r in &older {
            out.push(r.str("password_hash")?);
        }
        Ok(out)
    }

    /// Sets `user`'s password (the old one goes to the history); with
    /// `must_change` the user must change it at the next log-in. Other
    /// sessions of the user end, and any lock is lifted.
    pub async fn set_password(
        &self,
        actor: Option<UserId>,
        user: UserId,
        password_hash: &str,
        must_change: bool,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let old = tx
            .fetch_opt("SELECT password_hash FROM users WHERE id = $1", args![user])
            .await?
            .ok_or_else(|| Error::NotFound(format!("用户 {user} 不存在")))?
            .str("password_hash")?;
        let now = micros(Utc::now());
        tx.exec(
            "INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)",
            args![user, old, now],
        )
        .await?;
        tx.exec(
            "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = NULL WHERE id = $3",
            args![password_hash, i64::from(must_change), user],
        )
        .await?;
        let kind = if actor == Some(user) {
            EventKind::UserPasswordChange
        } else {
            EventKind::UserPasswordReset
        };
        append(
            &mut tx,
            new_event(
                actor,
                kind,
                "user",
                user,
                json!(null),
                json!({ "must_change": must_change }),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Marks `user`'s password as one to change at the next log-in.
    pub async fn require_password_change(&self, actor: Option<UserId>, user: UserId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE users SET must_change_password = 1 WHERE id = $1",
            args![user],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::UserMustChangePassword,
                "user",
                user,
                json!(null),
                json!({ "must_change": true }),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Ends every session of `user` but `keep` (a token hash).
    pub async fn end_sessions(&self, user: UserId, keep: Option<&str>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
            args![user, keep.unwrap_or_default()],
        )
        .await?;
        tx.commit().await
    }

    /// Enables or disables a user; a disabled user's sessions end and
    /// their API tokens stop working (checked at every use).
    pub async fn set_user_active(
        &self,
        actor: Option<UserId>,
        user: UserId,
        active: bool,
    ) -> Result<User> {
        let before = self.user(user).await?;
        if active && !before.active {
            self.check_three_admins(&before.name, before.email.as_deref(), before.role)
                .await?;
        }
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE users SET active = $1 WHERE id = $2",
            args![i64::from(active), user],
        )
        .await?;
        if !active {
            tx.exec("DELETE FROM sessions WHERE user_id = $1", args![user])
                .await?;
        }
        append(
            &mut tx,
            new_event(
                actor,
                if active {
                    EventKind::UserEnable
                } else {
                    EventKind::UserDisable
                },
                "user",
                user,
                json!({ "active": before.active }),
                json!({ "active": active }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(User { active, ..before })
    }

    /// Records that a session was used now (for the idle timeout).
    pub async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2",
            args![micros(now), token_hash],
        )
        .await?;
        tx.commit().await
    }
}
