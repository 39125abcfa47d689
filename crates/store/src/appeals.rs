//! Problems raised by enterprises and the public (诉求): raised, then
//! accepted by the office — which makes them a matter with
//! [`Source::Appeal`] and `raised_by` set to the raiser, in the same
//! transaction — or rejected with a reason. Nothing is deleted; every step
//! is in the event log.

use crate::db::Row;
use crate::events::{append, new_event, EventKind};
use crate::matters::insert_matter;
use crate::{args, from_micros, micros, Error, MatterRecord, NewMatter, Result, Store};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source, UnitId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub type AppealId = i64;

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    /// 待受理: waiting for the office.
    Pending,
    /// 已受理: a matter was made of it.
    Accepted,
    /// 不予受理, with a reason.
    Rejected,
}

impl AppealStatus {
    pub const ALL: [AppealStatus; 3] = [
        AppealStatus::Pending,
        AppealStatus::Accepted,
        AppealStatus::Rejected,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            AppealStatus::Pending => "待受理",
            AppealStatus::Accepted => "已受理",
            AppealStatus::Rejected => "不予受理",
        }
    }

    /// The code, as stored and as the API takes it.
    pub const fn code(self) -> &'static str {
        match self {
            AppealStatus::Pending => "pending",
            AppealStatus::Accepted => "accepted",
            AppealStatus::Rejected => "rejected",
        }
    }
}

/// A problem to raise.
#[derive(Debug, Clone)]
pub struct NewAppeal {
    /// A short title; the start of `content` when empty.
    pub title: String,
    /// What the problem is.
    pub content: String,
    /// Where it is.
    pub location: String,
    /// How to reach the raiser (a phone number, a name).
    pub contact: String,
}

/// A stored appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appeal {
    pub id: AppealId,
    pub raised_by: UserId,
    pub title: String,
    pub content: String,
    pub location: String,
    pub contact: String,
    pub status: AppealStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The matter made of it, once accepted.
    pub matter_id: Option<i64>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// How the office takes an appeal on: the matter's terms and units.
#[derive(Debug, Clone)]
pub struct Acceptance {
    /// The matter's title; the appeal's when `None`.
    pub title: Option<String>,
    pub matter_type: MatterType,
    pub deadline: Option<NaiveDate>,
    pub lead: Vec<UnitId>,
    pub co: Vec<UnitId>,
}

const COLUMNS: &str = "id, raised_by, title, content, location, contact, status, reason, matter_id, decided_by, decided_at, created_at, version";

/// A page of appeals, newest first.
#[derive(Debug, Clone)]
pub struct AppealPage {
    pub appeals: Vec<Appeal>,
    /// How many the filter selects, across all pages.
    pub total: i64,
    /// Where the next page starts (its `after`): the last appeal of this
    /// page; `None` on the last page.
    pub next: Option<AppealId>,
}

pub(crate) fn appeal(r: &Row) -> Result<Appeal> {
    Ok(Appeal {
        id: r.i64("id")?,
        raised_by: r.i64("raised_by")?,
        title: r.str("title")?,
        content: r.str("content")?,
        location: r.str("location")?,
        contact: r.str("contact")?,
        status: serde_json::from_value(json!(r.str("status")?))
            .map_err(|e| Error::Corrupt(e.to_string()))?,
        reason: r.opt_str("reason")?,
        matter_id: r.opt_i64("matter_id")?,
        decided_by: r.opt_i64("decided_by")?,
        decided_at: r.opt_i64("decided_at")?.map(from_micros),
        created_at: from_micros(r.i64("created_at")?),
        version: r.i64("version")?,
    })
}

/// The message when an appeal was decided already.
fn decided(a: &Appeal) -> Error {
    Error::Invalid(format!(
        "该诉求已{}，不能重复处理；请刷新查看处理结果",
        a.status.label()
    ))
}

impl Store {
    /// Records a problem raised by `raiser`.
    pub async fn create_appeal(&self, raiser: UserId, a: NewAppeal) -> Result<Appeal> {
        let content = a.content.trim().to_string();
        let location = a.location.trim().to_string();
        let contact = a.contact.trim().to_string();
        for (value, what) in [
            (&content, "诉求内容（反映什么问题）"),
            (&location, "问题发生地点"),
            (&contact, "联系方式"),
        ] {
            if value.is_empty() {
                return Err(Error::Invalid(format!("请填写{what}")));
            }
        }
        let title = match a.title.trim() {
            "" => content.chars().take(30).collect(),
            t => t.to_string(),
        };
        let mut tx = self.pool.begin().await?;
        let now = Utc::now();
        let id = tx
            .insert(
                "INSERT INTO appeals (raised_by, title, content, location, contact, status, created_at, version) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, 1) RETURNING id",
                args![raiser, title.clone(), content.clone(), location.clone(), contact.clone(), micros(now)],
            )
            .await?;
        let created = Appeal {
            id,
            raised_by: raiser,
            title,
            content,
            location,
            contact,
            status: AppealStatus::Pending,
            reason: None,
            matter_id: None,
            decided_by: None,
            decided_at: None,
            created_at: from_micros(micros(now)),
            version: 1,
        };
        append(
            &mut tx,
            new_event(
                Some(raiser),
                EventKind::AppealCreate,
                "appeal",
                id,
                json!(null),
                json!(created),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn appeal(&self, id: AppealId) -> Result<Appeal> {
        let r = self
            .pool
            .fetch_opt(
                &format!("SELECT {COLUMNS} FROM appeals WHERE id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("诉求 {id} 不存在")))?;
        appeal(&r)
    }

    /// Appeals, newest first, with how many match in all; `raised_by` keeps
    /// one raiser's. Paged by `offset`, or by keyset: `after` is the
    /// previous page's [`AppealPage::next`] (the page starts with the
    /// appeal before it), so an appeal raised meanwhile shifts nothing.
    pub async fn appeals(
        &self,
        raised_by: Option<UserId>,
        status: Option<AppealStatus>,
        limit: i64,
        offset: i64,
        after: Option<AppealId>,
    ) -> Result<AppealPage> {
        let mut conds = vec!["1 = 1".to_string()];
        let mut a = args![];
        if let Some(u) = raised_by {
            a.push(u.into());
            conds.push(format!("raised_by = ${}", a.len()));
        }
        if let Some(s) = status {
            conds.push(format!("status = '{}'", s.code()));
        }
        let filter = conds.join(" AND ");
        let total = self
            .pool
            .fetch_opt(
                &format!("SELECT COUNT(*) AS n FROM appeals WHERE {filter}"),
                a.clone(),
            )
            .await?
            .map(|r| r.i64("n"))
            .transpose()?
            .unwrap_or(0);
        let mut page = filter;
        if let Some(id) = after {
            a.push(id.into());
            page.push_str(&format!(" AND id < ${}", a.len()));
        }
        let limit = limit.max(1);
        // One more than the page, to know whether another follows.
        a.push((limit + 1).into());
        a.push(offset.max(0).into());
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {COLUMNS} FROM appeals WHERE {page} ORDER BY id DESC LIMIT ${} OFFSET ${}",
                    a.len() - 1,
                    a.len()
                ),
                a,
            )
            .await?;
        let mut appeals = rows.iter().map(appeal).collect::<Result<Vec<_>>>()?;
        let more = appeals.len() as i64 > limit;
        appeals.truncate(limit as usize);
        let next = if more {
            appeals.last().map(|a| a.id)
        } else {
            None
        };
        Ok(AppealPage {
            appeals,
            total,
            next,
        })
    }

    /// Accepts a pending appeal: makes it a matter assigned to the given
    /// units, raised by the appeal's raiser, in one transaction. A limit in
    /// a year the calendar lacks refuses it, as for any matter the office
    /// enters. `version`, when given, must be the appeal's version.
    pub async fn accept_appeal(
        &self,
        actor: Option<UserId>,
        id: AppealId,
        version: Option<i64>,
        acc: Acceptance,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<(Appeal, MatterRecord)> {
        let mut tx = self.pool.begin().await?;
        let before = tx
            .fetch_opt(
                &format!("SELECT {COLUMNS} FROM appeals WHERE id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("诉求 {id} 不存在")))?;
        let before = appeal(&before)?;
        check_version(&before, version)?;
        if before.status != AppealStatus::Pending {
            return Err(decided(&before));
        }
        let raiser = tx
            .fetch_opt(
                "SELECT name FROM users WHERE id = $1",
                args![before.raised_by],
            )
            .await?
            .map(|r| r.str("name"))
            .transpose()?
            .unwrap_or_default();
        let detail = format!(
            "{}\n\n地点：{}\n联系方式：{}",
            before.content, before.location, before.contact
        );
        let title = acc
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| before.title.clone());
        let matter = insert_matter(
            &mut tx,
            actor,
            NewMatter {
                title,
                detail,
                matter_type: acc.matter_type,
                source: Source::Appeal {
                    from: raiser,
                    channel: "网上诉求".into(),
                    reference: Some(format!("诉求{id}")),
                },
                deadline: acc.deadline,
                targets: json!([]),
                lead: acc.lead,
                co: acc.co,
                raised_by: Some(before.raised_by),
            },
            now,
            cal,
            true,
        )
        .await?;
        let at = Utc::now();
        tx.exec(
            "UPDATE appeals SET status = 'accepted', matter_id = $1, decided_by = $2, decided_at = $3, version = version + 1 \
             WHERE id = $4 AND version = $5",
            args![matter.matter.id, actor, micros(at), id, before.version],
        )
        .await?;
        let after = Appeal {
            status: AppealStatus::Accepted,
            matter_id: Some(matter.matter.id),
            decided_by: actor,
            decided_at: Some(from_micros(micros(at))),
            version: before.version + 1,
            ..before.clone()
        };
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::AppealAccept,
                "appeal",
                id,
                json!(before),
                json!(after),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((after, matter))
    }

    /// Rejects a pending appeal with a reason the raiser will read.
    pub async fn reject_appeal(
        &self,
        actor: Option<UserId>,
        id: AppealId,
        version: Option<i64>,
        reason: &str,
    ) -> Result<Appeal> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::Invalid(
                "不予受理须写明理由，诉求人会看到；请填写理由".into(),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let before = tx
            .fetch_opt(
                &format!("SELECT {COLUMNS} FROM appeals WHERE id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("诉求 {id} 不存在")))?;
        let before = appeal(&before)?;
        check_version(&before, version)?;
        if before.status != AppealStatus::Pending {
            return Err(decided(&before));
        }
        let at = Utc::now();
        tx.exec(
            "UPDATE appeals SET status = 'rejected', reason = $1, decided_by = $2, decided_at = $3, version = version + 1 \
             WHERE id = $4 AND version = $5",
            args![reason, actor, micros(at), id, before.version],
        )
        .await?;
        let after = Appeal {
            status: AppealStatus::Rejected,
            reason: Some(reason.to_string()),
            decided_by: actor,
            decided_at: Some(from_micros(micros(at))),
            version: before.version + 1,
            ..before.clone()
        };
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::AppealReject,
                "appeal",
                id,
                json!(before),
                json!(after),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

fn check_version(a: &Appeal, version: Option<i64>) -> Result<()> {
    match version {
        Some(v) if v != a.version => Err(Error::Conflict(format!(
            "该诉求已被他人处理（当前版本 {}，提交的版本 {v}）；请刷新后重新操作",
            a.version
        ))),
        _ => Ok(()),
    }
}
