//! What the security admin (安全管理员) owns in the database: the security
//! settings (password and lock-out rules, the second factor for admins,
//! the write rate), unlocking an account, and each user's TOTP secret
//! with the last time step used. 三员分立 is kept here too: one person
//! (the same name or e-mail address among active users) holds at most one
//! of the three admin roles. Every change is an event in the chain; a
//! secret never is.

use crate::events::{append, new_event, EventKind};
use crate::org::enum_str;
use crate::{args, Error, Result, Store};
use duban_domain::org::{Role, UserId};
use serde_json::{json, Value};

/// A user's second factor as stored.
#[derive(Debug, Clone, Default)]
pub struct Totp {
    /// The confirmed secret (base32); `None`: not enabled.
    pub secret: Option<String>,
    /// The secret being enrolled, until a code confirms it.
    pub pending: Option<String>,
    /// The last time step a code was accepted for (each is good once).
    pub last_step: i64,
}

impl Store {
    /// A security setting as stored, `None` when never set.
    pub async fn security_setting(&self, key: &str) -> Result<Option<Value>> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT value FROM security_settings WHERE key = $1",
                args![key],
            )
            .await?;
        r.map(|r| r.json("value")).transpose()
    }

    /// Stores a security setting; the change (before and after) is an
    /// event, so the trail shows who changed which rule.
    pub async fn set_security_setting(
        &self,
        actor: Option<UserId>,
        key: &str,
        value: Value,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let before = tx
            .fetch_opt(
                "SELECT value FROM security_settings WHERE key = $1",
                args![key],
            )
            .await?
            .map(|r| r.json::<Value>("value"))
            .transpose()?
            .unwrap_or(Value::Null);
        tx.exec(
            "INSERT INTO security_settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            args![key, value.to_string()],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::SettingsSecurity,
                "settings",
                0,
                before,
                json!({ "key": key, "value": value }),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// 三员分立: refuses `role` (one of the three admin roles) for the
    /// person called `name` (or with `email`) when an active account of
    /// theirs holds another of the three.
    pub async fn check_three_admins(
        &self,
        name: &str,
        email: Option<&str>,
        role: Role,
    ) -> Result<()> {
        if !role.is_one_of_three_admins() {
            return Ok(());
        }
        let rows = self
            .pool
            .fetch(
                "SELECT login, role FROM users WHERE active <> 0 \
                 AND role IN ('admin', 'security', 'auditor') AND role <> $1 \
                 AND (name = $2 OR (email IS NOT NULL AND email = $3))",
                args![enum_str(&role), name, email.unwrap_or("")],
            )
            .await?;
        if let Some(r) = rows.first() {
            let held: Role = crate::org::enum_from(&r.str("role")?)?;
            return Err(Error::Invalid(format!(
                "三员分立：{name}（账号 {}）已是{}，不能再担任{}；系统管理员、安全管理员、审计管理员须由不同的人担任",
                r.str("login")?,
                held.label(),
                role.label()
            )));
        }
        Ok(())
    }

    /// Lifts the lock of `user` and clears the failures counted.
    pub async fn unlock_user(&self, actor: Option<UserId>, user: UserId) -> Result<()> {
        self.account_change(
            actor,
            user,
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            EventKind::UserUnlock,
        )
        .await
    }

    /// Runs `sql` on `user`'s row and records `action` by `actor`.
    async fn account_change(
        &self,
        actor: Option<UserId>,
        user: UserId,
        sql: &str,
        action: EventKind,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        if tx.exec(sql, args![user]).await? == 0 {
            return Err(Error::NotFound(format!("用户 {user} 不存在")));
        }
        append(
            &mut tx,
            new_event(actor, action, "user", user, json!(null), json!(null)),
        )
        .await?;
        tx.commit().await
    }

    /// The second factor of `user`.
    pub async fn totp(&self, user: UserId) -> Result<Totp> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT totp_secret, totp_pending, totp_last_step FROM users WHERE id = $1",
                args![user],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("用户 {user} 不存在")))?;
        Ok(Totp {
            secret: r.opt_str("totp_secret")?,
            pending: r.opt_str("totp_pending")?,
            last_step: r.i64("totp_last_step")?,
        })
    }

    /// Starts an enrolment: `secret` waits for a code to confirm it.
    pub async fn set_totp_pending(&self, user: UserId, secret: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE users SET totp_pending = $1 WHERE id = $2",
            args![secret, user],
        )
        .await?;
        tx.commit().await
    }

    /// Confirms the enrolment: the pending secret becomes the one asked at
    /// log-in, `step` (the confirming code's) used.
    pub async fn enable_totp(&self, user: UserId, step: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let n = tx
            .exec(
                "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 \
                 WHERE id = $2 AND totp_pending IS NOT NULL",
                args![step, user],
            )
            .await?;
        if n == 0 {
            return Err(Error::Conflict("没有待确认的动态口令：请先开始绑定".into()));
        }
        append(
            &mut tx,
            new_event(
                Some(user),
                EventKind::UserTotpEnable,
                "user",
                user,
                json!(null),
                json!(null),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Takes time step `step` for `user`; false when it (or a later one)
    /// was used already, so a code is never accepted twice.
    pub async fn use_totp_step(&self, user: UserId, step: i64) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let n = tx
            .exec(
                "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
                args![step, user],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Removes `user`'s second factor (lost phone): they enrol again.
    pub async fn reset_totp(&self, actor: Option<UserId>, user: UserId) -> Result<()> {
        self.account_change(
            actor,
            user,
            "UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = $1",
            EventKind::UserTotpReset,
        )
        .await
    }
}

/// What the security admin sees of an account.
#[derive(Debug, Clone)]
pub struct AccountState {
    pub user: duban_domain::org::User,
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    pub failed_logins: i64,
    pub totp: bool,
}

impl Store {
    /// Every account's lock and second factor, by id.
    pub async fn account_states(&self) -> Result<Vec<AccountState>> {
        let users = self.users().await?;
        let rows = self
            .pool
            .fetch(
                "SELECT id, locked_until, failed_logins, totp_secret FROM users ORDER BY id",
                args![],
            )
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id = r.i64("id")?;
            let Some(user) = users.iter().find(|u| u.id == id) else {
                continue;
            };
            out.push(AccountState {
                user: user.clone(),
                locked_until: r.opt_i64("locked_until")?.map(crate::from_micros),
                failed_logins: r.i64("failed_logins")?,
                totp: r.opt_str("totp_secret")?.is_some(),
            });
        }
        Ok(out)
    }
}
