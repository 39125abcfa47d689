//! Matters (督办事项) and their per-unit tracks: assignment, every workflow
//! action through the domain's state machine, optimistic versions, and the
//! queries of the board and the sweep.

use crate::db::{Row, Tx};
use crate::events::{append, new_event};
use crate::{args, micros, Error, Result, Store};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use duban_domain::calendar::Calendar;
use duban_domain::limits;
use duban_domain::matter::{
    Matter, MatterId, MatterStatus, MatterType, Role, Source, TrackId, UnitId, UserId,
};
use duban_domain::workflow::{self, Action, Track, TrackState};
use serde::Serialize;
use serde_json::json;

/// A matter to create and assign.
#[derive(Debug, Clone)]
pub struct NewMatter {
    pub title: String,
    pub detail: String,
    pub matter_type: MatterType,
    pub source: Source,
    pub deadline: Option<NaiveDate>,
    pub targets: serde_json::Value,
    pub lead: Vec<UnitId>,
    pub co: Vec<UnitId>,
    /// The enterprise or member of the public who raised it, if any.
    pub raised_by: Option<UserId>,
}

/// A stored track with its version and next limit.
#[derive(Debug, Clone, Serialize)]
pub struct TrackRecord {
    #[serde(flatten)]
    pub track: Track,
    pub version: i64,
    pub next_due: Option<NaiveDate>,
}

/// A stored matter with its version, targets and tracks.
#[derive(Debug, Clone, Serialize)]
pub struct MatterRecord {
    #[serde(flatten)]
    pub matter: Matter,
    pub version: i64,
    pub targets: serde_json::Value,
    pub raised_by: Option<UserId>,
    pub tracks: Vec<TrackRecord>,
}

/// What the board and the sweep filter tracks by.
#[derive(Debug, Clone, Default)]
pub struct TrackFilter {
    /// Only tracks of these units.
    pub units: Option<Vec<UnitId>>,
    pub matter: Option<MatterId>,
    /// Only open tracks (neither closed nor withdrawn).
    pub open_only: bool,
    /// Only tracks whose next limit is on or before this day.
    pub due_by: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

fn state_code(s: TrackState) -> &'static str {
    match s {
        TrackState::Assigned => "assigned",
        TrackState::SignedFor => "signed_for",
        TrackState::CloseRequested => "close_requested",
        TrackState::Returned => "returned",
        TrackState::Closed { .. } => "closed",
        TrackState::Withdrawn => "withdrawn",
    }
}

fn status_code(s: MatterStatus) -> &'static str {
    match s {
        MatterStatus::Open => "open",
        MatterStatus::Closed => "closed",
        MatterStatus::Withdrawn => "withdrawn",
    }
}

fn role_code(r: Role) -> &'static str {
    match r {
        Role::Lead => "lead",
        Role::Co => "co",
    }
}

/// The earliest limit still unmet, or `None` (closed, under review, or a
/// calendar year missing — the sweep reports those).
fn next_due(track: &Track, ty: &MatterType, cal: &Calendar, today: NaiveDate) -> Option<NaiveDate> {
    limits::dues(track, ty, cal, today)
        .ok()
        .and_then(|d| d.first().map(|d| d.date))
}

fn track_record(r: &Row) -> Result<TrackRecord> {
    Ok(TrackRecord {
        track: r.json("data")?,
        version: r.i64("version")?,
        next_due: r.opt_str("next_due")?.and_then(|s| s.parse().ok()),
    })
}

fn matter_from(r: &Row) -> Result<(Matter, i64, serde_json::Value, Option<UserId>)> {
    let created: NaiveDateTime = r.json("created_local")?;
    Ok((
        Matter {
            id: r.i64("id")?,
            title: r.str("title")?,
            detail: r.str("body")?,
            matter_type: r.json("matter_type")?,
            source: r.json("source")?,
            deadline: r.opt_str("deadline")?.and_then(|s| s.parse().ok()),
            status: serde_json::from_value(json!(r.str("status")?))
                .map_err(|e| Error::Corrupt(e.to_string()))?,
            created_at: created,
        },
        r.i64("version")?,
        r.json("targets")?,
        r.opt_i64("raised_by")?,
    ))
}

const MATTER_COLUMNS: &str =
    "id, title, body, source, matter_type, deadline, targets, status, raised_by, version, created_local";

impl Store {
    /// Creates a matter and assigns it: one track per lead and co-operating
    /// unit, each recorded in the event log.
    pub async fn create_matter(
        &self,
        actor: Option<UserId>,
        m: NewMatter,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<MatterRecord> {
        if m.title.trim().is_empty() {
            return Err(Error::Invalid("事项标题不能为空".into()));
        }
        if m.lead.is_empty() {
            return Err(Error::Invalid("至少需要一个牵头（责任）单位".into()));
        }
        if let Some(u) = m.co.iter().find(|u| m.lead.contains(u)) {
            return Err(Error::Invalid(format!(
                "单位 {u} 不能既是牵头单位又是配合单位"
            )));
        }
        m.matter_type.validate().map_err(Error::Invalid)?;
        let mut tx = self.pool.begin().await?;
        for &u in m.lead.iter().chain(&m.co) {
            if tx
                .fetch_opt("SELECT id FROM units WHERE id = $1", args![u])
                .await?
                .is_none()
            {
                return Err(Error::Invalid(format!(
                    "单位 {u} 不存在；请先在单位名录中添加或选择已有单位"
                )));
            }
        }
        let source_kind = serde_json::to_value(&m.source)
            .ok()
            .and_then(|v| {
                v.as_object()
                    .and_then(|o| o.keys().next().cloned())
                    .or_else(|| v.as_str().map(String::from))
            })
            .unwrap_or_default();
        let id = tx
            .insert(
                "INSERT INTO matters (title, body, source, source_kind, matter_type, deadline, targets, status, created_by, raised_by, created_at, updated_at, version, created_local) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $10, 1, $11) RETURNING id",
                args![
                    m.title.clone(),
                    m.detail.clone(),
                    serde_json::to_string(&m.source).unwrap_or_default(),
                    source_kind,
                    serde_json::to_string(&m.matter_type).unwrap_or_default(),
                    m.deadline.map(|d| d.to_string()),
                    m.targets.to_string(),
                    actor,
                    m.raised_by,
                    micros(Utc::now()),
                    serde_json::to_string(&now).unwrap_or_default()
                ],
            )
            .await?;
        let matter = Matter {
            id,
            title: m.title,
            detail: m.detail,
            matter_type: m.matter_type,
            source: m.source,
            deadline: m.deadline,
            status: MatterStatus::Open,
            created_at: now,
        };
        append(
            &mut tx,
            new_event(
                actor,
                "matter.create",
                "matter",
                id,
                json!(null),
                json!(matter),
            ),
        )
        .await?;
        let mut tracks = Vec::new();
        for (unit, role) in m
            .lead
            .iter()
            .map(|&u| (u, Role::Lead))
            .chain(m.co.iter().map(|&u| (u, Role::Co)))
        {
            let t = Track::new(0, id, unit, role, now).with_deadline(matter.deadline);
            tracks.push(insert_track(&mut tx, actor, t, &matter.matter_type, cal).await?);
        }
        tx.commit().await?;
        Ok(MatterRecord {
            matter,
            version: 1,
            targets: m.targets,
            raised_by: m.raised_by,
            tracks,
        })
    }

    pub async fn matter(&self, id: MatterId) -> Result<MatterRecord> {
        let r = self
            .pool
            .fetch_opt(
                &format!("SELECT {MATTER_COLUMNS} FROM matters WHERE id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("事项 {id} 不存在")))?;
        let (matter, version, targets, raised_by) = matter_from(&r)?;
        let tracks = self
            .tracks(&TrackFilter {
                matter: Some(id),
                limit: 10_000,
                ..TrackFilter::default()
            })
            .await?;
        Ok(MatterRecord {
            matter,
            version,
            targets,
            raised_by,
            tracks,
        })
    }

    /// Matters, newest first; `raised_by` keeps only those a user raised.
    pub async fn matters(
        &self,
        raised_by: Option<UserId>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(Matter, i64)>> {
        let rows = match raised_by {
            Some(u) => {
                self.pool
                    .fetch(
                        &format!("SELECT {MATTER_COLUMNS} FROM matters WHERE raised_by = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"),
                        args![u, limit, offset],
                    )
                    .await?
            }
            None => {
                self.pool
                    .fetch(&format!("SELECT {MATTER_COLUMNS} FROM matters ORDER BY id DESC LIMIT $1 OFFSET $2"), args![limit, offset])
                    .await?
            }
        };
        rows.iter()
            .map(|r| matter_from(r).map(|(m, v, _, _)| (m, v)))
            .collect()
    }

    pub async fn track(&self, id: TrackId) -> Result<TrackRecord> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT data, version, next_due FROM tracks WHERE id = $1",
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("办理记录 {id} 不存在")))?;
        track_record(&r)
    }

    /// Tracks matching a filter, by next limit then id.
    pub async fn tracks(&self, f: &TrackFilter) -> Result<Vec<TrackRecord>> {
        let mut sql = String::from("SELECT data, version, next_due FROM tracks WHERE 1 = 1");
        let mut a = args![];
        if let Some(units) = &f.units {
            if units.is_empty() {
                return Ok(Vec::new());
            }
            let list: Vec<String> = units.iter().map(|u| u.to_string()).collect();
            sql.push_str(&format!(" AND unit_id IN ({})", list.join(",")));
        }
        if let Some(m) = f.matter {
            a.push(m.into());
            sql.push_str(&format!(" AND matter_id = ${}", a.len()));
        }
        if f.open_only {
            sql.push_str(" AND state NOT IN ('closed', 'withdrawn')");
        }
        if let Some(d) = f.due_by {
            a.push(d.to_string().into());
            sql.push_str(&format!(
                " AND next_due IS NOT NULL AND next_due <= ${}",
                a.len()
            ));
        }
        a.push(f.limit.max(1).into());
        a.push(f.offset.max(0).into());
        sql.push_str(&format!(
            " ORDER BY next_due IS NULL, next_due, id LIMIT ${} OFFSET ${}",
            a.len() - 1,
            a.len()
        ));
        let rows = self.pool.fetch(&sql, a).await?;
        rows.iter().map(track_record).collect()
    }

    /// Carries out a workflow action on a track, if `version` is still the
    /// track's version. `text` (a report, a reason, a plan) is kept with the
    /// track's reports.
    pub async fn act(
        &self,
        actor: Option<UserId>,
        track_id: TrackId,
        version: i64,
        action: &Action,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<TrackRecord> {
        let mut tx = self.pool.begin().await?;
        let r = tx
            .fetch_opt(
                "SELECT t.data, t.version, t.next_due, m.matter_type FROM tracks t JOIN matters m ON m.id = t.matter_id WHERE t.id = $1",
                args![track_id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("办理记录 {track_id} 不存在")))?;
        let current = track_record(&r)?;
        let ty: MatterType = r.json("matter_type")?;
        if current.version != version {
            return Err(Error::Conflict(format!(
                "该办理记录已被他人更新（当前版本 {}，提交的版本 {version}）；请刷新后重新操作",
                current.version
            )));
        }
        let next =
            workflow::apply(&current.track, action, now).map_err(|e| Error::Invalid(e.message))?;
        let due = next_due(&next, &ty, cal, now.date());
        let new_version = version + 1;
        tx.exec(
            "UPDATE tracks SET data = $1, state = $2, next_due = $3, version = $4, updated_at = $5 WHERE id = $6 AND version = $7",
            args![
                serde_json::to_string(&next).unwrap_or_default(),
                state_code(next.state),
                due.map(|d| d.to_string()),
                new_version,
                micros(Utc::now()),
                track_id,
                version
            ],
        )
        .await?;
        if let Some((kind, body)) = report_text(action) {
            tx.exec(
                "INSERT INTO reports (track_id, kind, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                args![track_id, kind, body, actor, micros(Utc::now())],
            )
            .await?;
        }
        let kind = format!(
            "track.{}",
            serde_json::to_value(action.kind())
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        );
        append(
            &mut tx,
            new_event(
                actor,
                &kind,
                "track",
                track_id,
                json!(current.track),
                json!(next),
            ),
        )
        .await?;
        update_matter_status(&mut tx, actor, next.matter_id).await?;
        tx.commit().await?;
        Ok(TrackRecord {
            track: next,
            version: new_version,
            next_due: due,
        })
    }

    /// The texts units and the office wrote on a track, oldest first.
    pub async fn reports_of(
        &self,
        track_id: TrackId,
    ) -> Result<Vec<(String, String, Option<UserId>, i64)>> {
        let rows = self
            .pool
            .fetch("SELECT kind, body, author_id, created_at FROM reports WHERE track_id = $1 ORDER BY id", args![track_id])
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.str("kind")?,
                    r.str("body")?,
                    r.opt_i64("author_id")?,
                    r.i64("created_at")?,
                ))
            })
            .collect()
    }

    /// Recomputes `next_due` of open tracks whose stored limit is on or
    /// before `day` (continuing matters move from node to node).
    pub async fn refresh_due(&self, day: NaiveDate, cal: &Calendar, batch: i64) -> Result<u64> {
        let rows = self
            .pool
            .fetch(
                "SELECT t.id, t.data, t.version, t.next_due, m.matter_type FROM tracks t JOIN matters m ON m.id = t.matter_id \
                 WHERE t.next_due IS NOT NULL AND t.next_due < $1 AND t.state NOT IN ('closed', 'withdrawn') LIMIT $2",
                args![day.to_string(), batch],
            )
            .await?;
        let mut changed = 0;
        let mut tx = self.pool.begin().await?;
        for r in &rows {
            let t = track_record(r)?;
            let ty: MatterType = r.json("matter_type")?;
            let due = next_due(&t.track, &ty, cal, day);
            if due != t.next_due {
                tx.exec(
                    "UPDATE tracks SET next_due = $1 WHERE id = $2",
                    args![due.map(|d| d.to_string()), r.i64("id")?],
                )
                .await?;
                changed += 1;
            }
        }
        tx.commit().await?;
        Ok(changed)
    }
}

/// The text an action leaves on the record, with its kind.
fn report_text(action: &Action) -> Option<(&'static str, String)> {
    match action {
        Action::Report { text } => Some(("report", text.clone())),
        Action::ApplyToClose { text } => Some(("close_application", text.clone())),
        Action::Return { reason } => Some(("return", reason.clone())),
        Action::Close { grade, reason } => {
            Some(("close", format!("{}：{}", grade.label(), reason)))
        }
        Action::RequestExtension { until, plan } => {
            Some(("extension_request", format!("申请延期至 {until}：{plan}")))
        }
        Action::RefuseExtension { reason } => Some(("extension_refused", reason.clone())),
        _ => None,
    }
}

async fn insert_track(
    tx: &mut Tx,
    actor: Option<UserId>,
    t: Track,
    ty: &MatterType,
    cal: &Calendar,
) -> Result<TrackRecord> {
    let due = next_due(&t, ty, cal, t.assigned_at.date());
    let id = tx
        .insert(
            "INSERT INTO tracks (matter_id, unit_id, role, state, next_due, data, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, '{}', 1, $6) RETURNING id",
            args![t.matter_id, t.unit_id, role_code(t.role), state_code(t.state), due.map(|d| d.to_string()), micros(Utc::now())],
        )
        .await?;
    let t = Track { id, ..t };
    tx.exec(
        "UPDATE tracks SET data = $1 WHERE id = $2",
        args![serde_json::to_string(&t).unwrap_or_default(), id],
    )
    .await?;
    append(
        tx,
        new_event(actor, "track.assign", "track", id, json!(null), json!(t)),
    )
    .await?;
    Ok(TrackRecord {
        track: t,
        version: 1,
        next_due: due,
    })
}

/// Closes the matter when all its lead tracks are closed.
async fn update_matter_status(tx: &mut Tx, actor: Option<UserId>, matter: MatterId) -> Result<()> {
    let rows = tx
        .fetch(
            "SELECT data, version, next_due FROM tracks WHERE matter_id = $1",
            args![matter],
        )
        .await?;
    let tracks: Vec<Track> = rows
        .iter()
        .map(|r| track_record(r).map(|t| t.track))
        .collect::<Result<_>>()?;
    let status = workflow::matter_status(&tracks);
    let old = tx
        .fetch_opt("SELECT status FROM matters WHERE id = $1", args![matter])
        .await?
        .map(|r| r.str("status"))
        .transpose()?
        .unwrap_or_default();
    if old != status_code(status) {
        tx.exec(
            "UPDATE matters SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3",
            args![status_code(status), micros(Utc::now()), matter],
        )
        .await?;
        append(
            tx,
            new_event(
                actor,
                "matter.status",
                "matter",
                matter,
                json!(old),
                json!(status_code(status)),
            ),
        )
        .await?;
    }
    Ok(())
}
