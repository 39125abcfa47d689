//! Units, users, leaders' oversight and sessions (API tokens: [`crate::tokens`]).

use crate::db::Row;
use crate::events::{append, new_event, EventKind};
use crate::{args, micros, Error, Result, Store};
use chrono::{DateTime, Utc};
use duban_domain::org::{Level, Role, Unit, UnitId, UnitKind, User, UserId};
use serde_json::json;

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub name: String,
    pub aliases: Vec<String>,
    pub parent: Option<UnitId>,
    pub level: Level,
    pub kind: UnitKind,
}

/// A user to create; the password arrives hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub email: Option<String>,
    pub password_hash: String,
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
    /// When the session was last used (the idle timeout counts from it).
    pub last_seen: DateTime<Utc>,
    /// The user must change an initial or reset password first.
    pub must_change: bool,
    /// The registry's version when the session was read (see
    /// [`Store::registry_at`]): a request that prints units or limits
    /// needs no read of its own for it.
    pub registry_version: i64,
}

pub(crate) fn enum_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

pub(crate) fn enum_from<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(json!(s)).map_err(|e| Error::Corrupt(format!("{s}: {e}")))
}

pub(crate) fn unit_row(r: &Row) -> Result<Unit> {
    Ok(Unit {
        id: r.i64("id")?,
        name: r.str("name")?,
        aliases: r.json("aliases")?,
        parent: r.opt_i64("parent_id")?,
        level: enum_from(&r.str("level")?)?,
        kind: enum_from(&r.str("kind")?)?,
    })
}

const USER_COLUMNS: &str = "id, login, name, role, unit_id, email, active";

/// [`USER_COLUMNS`] of the table named `alias` in a join.
fn user_columns_of(alias: &str) -> String {
    USER_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn user(r: &Row) -> Result<User> {
    Ok(User {
        id: r.i64("id")?,
        login: r.str("login")?,
        name: r.str("name")?,
        role: enum_from(&r.str("role")?)?,
        unit_id: r.opt_i64("unit_id")?,
        email: r.opt_str("email")?,
        active: r.i64("active")? != 0,
    })
}

impl Store {
    pub async fn create_unit(&self, actor: Option<UserId>, u: NewUnit) -> Result<Unit> {
        let mut tx = self.pool.begin().await?;
        let id = tx
            .insert(
                "INSERT INTO units (name, aliases, parent_id, level, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                args![
                    u.name.clone(),
                    serde_json::to_string(&u.aliases).unwrap_or_default(),
                    u.parent,
                    enum_str(&u.level),
                    enum_str(&u.kind),
                    micros(Utc::now())
                ],
            )
            .await
            .map_err(|e| match e {
                Error::Duplicate(_) => Error::Duplicate(format!("单位“{}”已存在", u.name)),
                e => e,
            })?;
        let created = Unit {
            id,
            name: u.name,
            aliases: u.aliases,
            parent: u.parent,
            level: u.level,
            kind: u.kind,
        };
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::UnitCreate,
                "unit",
                id,
                json!(null),
                json!(created),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Every unit, read from the table ([`Store::units`] keeps a copy).
    pub(crate) async fn read_units(&self) -> Result<Vec<Unit>> {
        let rows = self
            .pool
            .fetch("SELECT * FROM units ORDER BY id", args![])
            .await?;
        rows.iter().map(unit_row).collect()
    }

    pub async fn unit(&self, id: UnitId) -> Result<Unit> {
        let r = self
            .pool
            .fetch_opt("SELECT * FROM units WHERE id = $1", args![id])
            .await?;
        r.as_ref()
            .map(unit_row)
            .transpose()?
            .ok_or_else(|| Error::NotFound(format!("单位 {id} 不存在")))
    }

    pub async fn create_user(&self, actor: Option<UserId>, u: NewUser) -> Result<User> {
        if u.role.is_unit_role() != u.unit_id.is_some() {
            return Err(Error::Invalid(format!(
                "角色“{}”{}；请检查所属单位",
                u.role.label(),
                if u.role.is_unit_role() {
                    "必须属于一个单位"
                } else {
                    "不属于任何单位"
                }
            )));
        }
        self.check_three_admins(&u.name, u.email.as_deref(), u.role)
            .await?;
        let mut tx = self.pool.begin().await?;
        let id = tx
            .insert(
                "INSERT INTO users (login, name, role, unit_id, email, password_hash, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
                args![
                    u.login.clone(),
                    u.name.clone(),
                    enum_str(&u.role),
                    u.unit_id,
                    u.email.clone(),
                    u.password_hash,
                    micros(Utc::now())
                ],
            )
            .await
            .map_err(|e| match e {
                Error::Duplicate(_) => Error::Duplicate(format!("登录名“{}”已被使用", u.login)),
                e => e,
            })?;
        let created = User {
            id,
            login: u.login,
            name: u.name,
            role: u.role,
            unit_id: u.unit_id,
            email: u.email,
            active: true,
        };
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::UserCreate,
                "user",
                id,
                json!(null),
                json!(created),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        let r = self
            .pool
            .fetch_opt(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"),
                args![id],
            )
            .await?;
        r.as_ref()
            .map(user)
            .transpose()?
            .ok_or_else(|| Error::NotFound(format!("用户 {id} 不存在")))
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = self
            .pool
            .fetch(
                &format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"),
                args![],
            )
            .await?;
        rows.iter().map(user).collect()
    }

    /// The names of some users, by id (the authors and actors of a page),
    /// without reading every user.
    pub async fn user_names(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT id, name FROM users WHERE {}",
                    self.pool.in_ids("id", "$1")
                ),
                vec![self.pool.ids(ids)],
            )
            .await?;
        rows.iter()
            .map(|r| Ok((r.i64("id")?, r.str("name")?)))
            .collect()
    }

    /// A user and their password hash, by login name.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<(User, String)>> {
        let r = self
            .pool
            .fetch_opt(
                &format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE login = $1"),
                args![login],
            )
            .await?;
        match r {
            Some(r) => Ok(Some((user(&r)?, r.str("password_hash")?))),
            None => Ok(None),
        }
    }

    /// Sets the units a leader oversees (分管), replacing the old set.
    pub async fn set_leader_units(
        &self,
        actor: Option<UserId>,
        leader: UserId,
        units: &[UnitId],
    ) -> Result<()> {
        let l = self.user(leader).await?;
        if l.role != Role::Leader {
            return Err(Error::Invalid(format!(
                "“{}”不是领导账号，不能设置分管单位",
                l.name
            )));
        }
        let before = self.leader_units(leader).await?;
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "DELETE FROM leader_units WHERE leader_id = $1",
            args![leader],
        )
        .await?;
        for &u in units {
            tx.exec(
                "INSERT INTO leader_units (leader_id, unit_id) VALUES ($1, $2)",
                args![leader, u],
            )
            .await?;
        }
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::LeaderOversee,
                "user",
                leader,
                json!(before),
                json!(units),
            ),
        )
        .await?;
        tx.commit().await
    }

    pub async fn leader_units(&self, leader: UserId) -> Result<Vec<UnitId>> {
        let rows = self
            .pool
            .fetch(
                "SELECT unit_id FROM leader_units WHERE leader_id = $1 ORDER BY unit_id",
                args![leader],
            )
            .await?;
        rows.iter().map(|r| r.i64("unit_id")).collect()
    }

    /// The leaders who oversee a unit (the escalation targets).
    pub async fn leaders_of(&self, unit: UnitId) -> Result<Vec<User>> {
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {} FROM users u JOIN leader_units l ON l.leader_id = u.id WHERE l.unit_id = $1 ORDER BY u.id",
                    user_columns_of("u")
                ),
                args![unit],
            )
            .await?;
        rows.iter().map(user).collect()
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "INSERT INTO sessions (token_hash, user_id, csrf, expires_at, created_at, last_seen) VALUES ($1, $2, $3, $4, $5, $6)",
            args![token_hash, user, csrf, micros(expires_at), micros(Utc::now()), micros(Utc::now())],
        )
        .await?;
        tx.commit().await
    }

    /// The live session of a token, if any.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        // The session and its user in one statement, its text made once:
        // every request reads it.
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT {}, s.csrf, s.expires_at, COALESCE(s.last_seen, s.created_at) AS last_seen, \
                 u.must_change_password, \
                 (SELECT v FROM registry_version WHERE id = 1) AS registry_version \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2",
                user_columns_of("u")
            )
        });
        let r = self
            .pool
            .fetch_opt(&SQL, args![token_hash, micros(Utc::now())])
            .await?;
        let Some(r) = r else { return Ok(None) };
        let user = user(&r)?;
        if !user.active {
            return Ok(None);
        }
        Ok(Some(Session {
            user,
            csrf: r.str("csrf")?,
            expires_at: crate::from_micros(r.i64("expires_at")?),
            last_seen: crate::from_micros(r.i64("last_seen")?),
            must_change: r.i64("must_change_password")? != 0,
            registry_version: r.opt_i64("registry_version")?.unwrap_or(0),
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "DELETE FROM sessions WHERE token_hash = $1",
            args![token_hash],
        )
        .await?;
        tx.commit().await
    }
}

impl Store {
    /// Replaces a unit's aliases.
    pub async fn set_unit_aliases(
        &self,
        actor: Option<UserId>,
        id: UnitId,
        aliases: &[String],
    ) -> Result<Unit> {
        let before = self.unit(id).await?;
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE units SET aliases = $1 WHERE id = $2",
            args![serde_json::to_string(aliases).unwrap_or_default(), id],
        )
        .await?;
        let after = Unit {
            aliases: aliases.to_vec(),
            ..before.clone()
        };
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::UnitAliases,
                "unit",
                id,
                json!(before.aliases),
                json!(aliases),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
