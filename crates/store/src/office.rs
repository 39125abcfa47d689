//! The office's actions on a matter besides the workflow: urging units
//! (催办, with a numbered notice per unit and a message for the sweep to
//! send), reassigning the lead and co-operating units (改派), setting a new
//! deadline (调整时限, limits recomputed), editing the title and content,
//! and the numbers of the printed notices (督字〔2026〕12号 when a matter is
//! assigned, 催字〔2026〕3号 per urging), each per year.
//!
//! Every action runs in one write transaction with its entry in the event
//! log, which keeps the reason the office gave.

use crate::db::{Row, Tx};
use crate::events::{append, new_event, EventKind};
use crate::matters::{insert_track, track_record, write_track, write_track_role};
use crate::{args, from_micros, micros, Error, MatterRecord, Result, Store};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use duban_domain::calendar::Calendar;
use duban_domain::limits;
use duban_domain::limits::{due_info, DueInfo};
use duban_domain::matter::{
    self, MatterId, MatterStatus, MatterType, Role, TrackId, UnitId, UserId,
};
use duban_domain::workflow::{self, Action, Track};
use serde::Serialize;
use serde_json::json;

/// A printed notice's number: the year and the place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NoticeNumber {
    pub year: i32,
    pub number: i64,
}

impl NoticeNumber {
    /// The number as printed with its word: 督字〔2026〕12号.
    pub fn text(self, word: &str) -> String {
        format!("{word}〔{}〕{}号", self.year, self.number)
    }
}

/// One unit urged about a matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Urging {
    pub id: i64,
    pub matter_id: MatterId,
    pub track_id: TrackId,
    pub unit_id: UnitId,
    pub number: NoticeNumber,
    pub body: String,
    /// The unit's next limit when urged (date, step, days), if any.
    pub due: Option<serde_json::Value>,
    pub author_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    /// Local (China) time of the urging.
    pub created_local: NaiveDateTime,
}

/// The next free number of a year in a numbered column.
async fn next_number(
    tx: &mut Tx,
    table: &str,
    year_col: &str,
    no_col: &str,
    year: i32,
) -> Result<i64> {
    let r = tx
        .fetch_opt(
            &format!(
                "SELECT COALESCE(MAX({no_col}), 0) + 1 AS n FROM {table} WHERE {year_col} = $1"
            ),
            args![i64::from(year)],
        )
        .await?;
    Ok(r.map(|r| r.i64("n")).transpose()?.unwrap_or(1))
}

/// Gives a matter just assigned on `now` its notice number.
pub(crate) async fn number_matter(tx: &mut Tx, id: MatterId, now: NaiveDateTime) -> Result<()> {
    let year = now.year();
    let n = next_number(tx, "matters", "notice_year", "notice_no", year).await?;
    tx.exec(
        "UPDATE matters SET notice_year = $1, notice_no = $2 WHERE id = $3",
        args![i64::from(year), n, id],
    )
    .await?;
    Ok(())
}

fn urging(r: &Row) -> Result<Urging> {
    let local: String = r.str("created_local")?;
    Ok(Urging {
        id: r.i64("id")?,
        matter_id: r.i64("matter_id")?,
        track_id: r.i64("track_id")?,
        unit_id: r.i64("unit_id")?,
        number: NoticeNumber {
            year: i32::try_from(r.i64("year")?).unwrap_or_default(),
            number: r.i64("number")?,
        },
        body: r.str("body")?,
        due: r
            .opt_str("due")?
            .and_then(|s| serde_json::from_str(&s).ok()),
        author_id: r.opt_i64("author_id")?,
        created_at: from_micros(r.i64("created_at")?),
        created_local: serde_json::from_str(&local)
            .map_err(|e| Error::Corrupt(format!("urging time {local}: {e}")))?,
    })
}

const URGING_COLUMNS: &str =
    "id, matter_id, track_id, unit_id, year, number, body, due, author_id, created_at, created_local";

/// The matter's status and version, refused unless it is open and (when
/// given) at `version`.
async fn open_matter(
    tx: &mut Tx,
    id: MatterId,
    version: Option<i64>,
    what: &'static str,
) -> Result<Row> {
    let m = tx
        .fetch_opt(
            "SELECT status, version, deadline, title, body, matter_type FROM matters WHERE id = $1",
            args![id],
        )
        .await?
        .ok_or_else(|| Error::NotFound(format!("事项 {id} 不存在")))?;
    let current = m.i64("version")?;
    if version.is_some_and(|v| v != current) {
        return Err(Error::Conflict(format!(
            "该事项已被他人更新（当前版本 {current}）；请刷新后重新操作"
        )));
    }
    let status = m.str("status")?;
    let status = MatterStatus::from_code(&status)
        .ok_or_else(|| Error::Corrupt(format!("事项 {id} 的状态“{status}”无法识别")))?;
    matter::check_open(status, what)?;
    Ok(m)
}

fn need_reason(reason: &str, what: &'static str) -> Result<String> {
    Ok(matter::reason_for(what, reason)?.to_string())
}

async fn bump(tx: &mut Tx, id: MatterId) -> Result<()> {
    tx.exec(
        "UPDATE matters SET version = version + 1, updated_at = $1 WHERE id = $2",
        args![micros(Utc::now()), id],
    )
    .await?;
    Ok(())
}

async fn tracks_of(tx: &mut Tx, id: MatterId) -> Result<Vec<crate::TrackRecord>> {
    let rows = tx
        .fetch(
            "SELECT data, version, next_due FROM tracks WHERE matter_id = $1 ORDER BY id",
            args![id],
        )
        .await?;
    rows.iter().map(track_record).collect()
}

impl Store {
    /// Urges the units of the matter's open tracks (`units`, or every open
    /// track when empty): each gets an urging with its own number and the
    /// text, an entry in the event log, and a message the sweep sends on
    /// the configured channels. `subject` and `body_for` word the message
    /// (the store does not know how the office writes).
    #[allow(clippy::too_many_arguments)]
    pub async fn urge_matter(
        &self,
        actor: Option<UserId>,
        id: MatterId,
        units: &[UnitId],
        text: &str,
        now: NaiveDateTime,
        cal: &Calendar,
        message: impl Fn(&Urging) -> (String, String),
    ) -> Result<Vec<Urging>> {
        let text = need_reason(text, "催办")?;
        let mut tx = self.pool.begin().await?;
        let m = open_matter(&mut tx, id, None, "催办").await?;
        let ty: MatterType = m.json("matter_type")?;
        let tracks = tracks_of(&mut tx, id).await?;
        for u in units {
            if !tracks
                .iter()
                .any(|t| t.track.unit_id == *u && t.track.is_open())
            {
                return Err(Error::Invalid(format!(
                    "单位 {u} 在该事项上没有正在办理的任务，不能催办"
                )));
            }
        }
        let mut out = Vec::new();
        for t in tracks
            .iter()
            .filter(|t| t.track.is_open() && (units.is_empty() || units.contains(&t.track.unit_id)))
        {
            let due = limits::next_due(&t.track, &ty, cal, now.date())
                .ok()
                .flatten()
                .map(|d| {
                    let days = limits::days_to(&ty, cal, now.date(), d.date).unwrap_or(0);
                    json!({
                        "date": d.date,
                        "label": d.limit.label(),
                        "days": days,
                        "text": limits::days_text(ty.counting, days),
                    })
                });
            let year = now.year();
            let number = next_number(&mut tx, "urgings", "year", "number", year).await?;
            let created_at = Utc::now();
            let uid = tx
                .insert(
                    "INSERT INTO urgings (matter_id, track_id, unit_id, year, number, body, due, author_id, created_at, created_local) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    args![
                        id,
                        t.track.id,
                        t.track.unit_id,
                        i64::from(year),
                        number,
                        text.clone(),
                        due.as_ref().map(|d| d.to_string()),
                        actor,
                        micros(created_at),
                        serde_json::to_string(&now).unwrap_or_default()
                    ],
                )
                .await?;
            let u = Urging {
                id: uid,
                matter_id: id,
                track_id: t.track.id,
                unit_id: t.track.unit_id,
                number: NoticeNumber { year, number },
                body: text.clone(),
                due,
                author_id: actor,
                created_at,
                created_local: now,
            };
            let event = append(
                &mut tx,
                new_event(
                    actor,
                    EventKind::TrackUrge,
                    "track",
                    t.track.id,
                    json!(null),
                    json!({ "urging": uid, "number": u.number, "text": text, "due": u.due }),
                ),
            )
            .await?;
            let (subject, body) = message(&u);
            tx.exec(
                "INSERT INTO limit_moves (track_id, unit_id, event_seq, subject, body, created_at, kind) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'urge')",
                args![t.track.id, t.track.unit_id, event.seq, subject, body, micros(created_at)],
            )
            .await?;
            out.push(u);
        }
        if out.is_empty() {
            return Err(Error::Invalid(
                "该事项没有正在办理的承办单位，无需催办".into(),
            ));
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The urgings of a matter, oldest first.
    pub async fn urgings_of(&self, matter: MatterId) -> Result<Vec<Urging>> {
        let rows = self
            .pool
            .fetch(
                &format!("SELECT {URGING_COLUMNS} FROM urgings WHERE matter_id = $1 ORDER BY id"),
                args![matter],
            )
            .await?;
        rows.iter().map(urging).collect()
    }

    /// One urging.
    pub async fn urging(&self, id: i64) -> Result<Urging> {
        let r = self
            .pool
            .fetch_opt(
                &format!("SELECT {URGING_COLUMNS} FROM urgings WHERE id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("催办记录 {id} 不存在")))?;
        urging(&r)
    }

    /// Reassigns the matter (改派) to the lead units `lead` and the
    /// co-operating units `co`: a unit no longer named has its open track
    /// withdrawn (the reason kept), a unit named in another role changes
    /// role, a new unit is assigned now with the matter's deadline. The
    /// event log keeps the units before and after and the reason.
    #[allow(clippy::too_many_arguments)]
    pub async fn reassign_matter(
        &self,
        actor: Option<UserId>,
        id: MatterId,
        version: Option<i64>,
        lead: &[UnitId],
        co: &[UnitId],
        reason: &str,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<MatterRecord> {
        let reason = need_reason(reason, "改派")?;
        matter::check_reassignment(lead, co)?;
        let all: Vec<UnitId> = lead.iter().chain(co).copied().collect();
        let mut tx = self.pool.begin().await?;
        for &u in &all {
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
        let m = open_matter(&mut tx, id, version, "改派").await?;
        let ty: MatterType = m.json("matter_type")?;
        let deadline: Option<NaiveDate> = m.opt_str("deadline")?.and_then(|d| d.parse().ok());
        let tracks = tracks_of(&mut tx, id).await?;
        let open: Vec<&crate::TrackRecord> = tracks.iter().filter(|t| t.track.is_open()).collect();
        let units_of = |role: Role| -> Vec<UnitId> {
            open.iter()
                .filter(|t| t.track.role == role)
                .map(|t| t.track.unit_id)
                .collect()
        };
        let before = json!({ "lead": units_of(Role::Lead), "co": units_of(Role::Co) });
        let role_of = |u: UnitId| {
            if lead.contains(&u) {
                Role::Lead
            } else {
                Role::Co
            }
        };
        let mut changed = false;
        for t in &open {
            let u = t.track.unit_id;
            if !all.contains(&u) {
                let at = now.max(t.track.updated_at);
                let next = workflow::apply(&t.track, &Action::Withdraw, at)?;
                write_track(
                    &mut tx,
                    next.id,
                    t.version,
                    &next,
                    &DueInfo::default(),
                    None,
                )
                .await?;
                tx.exec(
                    "INSERT INTO reports (track_id, kind, body, author_id, created_at) VALUES ($1, 'withdraw', $2, $3, $4)",
                    args![next.id, format!("改派：{reason}"), actor, micros(Utc::now())],
                )
                .await?;
                append(
                    &mut tx,
                    new_event(
                        actor,
                        EventKind::TrackWithdraw,
                        "track",
                        next.id,
                        json!(t.track),
                        json!(next),
                    ),
                )
                .await?;
                changed = true;
            } else if t.track.role != role_of(u) {
                let next = Track {
                    role: role_of(u),
                    ..t.track.clone()
                };
                write_track_role(&mut tx, &next, t.version).await?;
                append(
                    &mut tx,
                    new_event(
                        actor,
                        EventKind::TrackRole,
                        "track",
                        next.id,
                        json!(t.track),
                        json!(next),
                    ),
                )
                .await?;
                changed = true;
            }
        }
        for &u in &all {
            if open.iter().any(|t| t.track.unit_id == u) {
                continue;
            }
            let t = Track::new(0, id, u, role_of(u), now).with_deadline(deadline);
            insert_track(&mut tx, actor, t, &ty, cal, false).await?;
            changed = true;
        }
        if !changed {
            return Err(Error::Invalid(
                "承办单位没有变化；请选择要改派的单位".into(),
            ));
        }
        bump(&mut tx, id).await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::MatterReassign,
                "matter",
                id,
                before,
                json!({ "lead": lead, "co": co, "reason": reason }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.matter(id).await
    }

    /// Sets a new deadline (调整时限) on the matter and its open tracks,
    /// replacing any extension granted before; the limits are recomputed.
    /// A day before `now`'s date is refused.
    #[allow(clippy::too_many_arguments)]
    pub async fn adjust_deadline(
        &self,
        actor: Option<UserId>,
        id: MatterId,
        version: Option<i64>,
        deadline: NaiveDate,
        reason: &str,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<MatterRecord> {
        let reason = need_reason(reason, "调整时限")?;
        if deadline < now.date() {
            return Err(Error::Invalid(format!(
                "新的完成时限 {deadline} 早于今天（{}）；请填写今后的日期",
                now.date()
            )));
        }
        let mut tx = self.pool.begin().await?;
        let m = open_matter(&mut tx, id, version, "调整时限").await?;
        let ty: MatterType = m.json("matter_type")?;
        let old: Option<String> = m.opt_str("deadline")?;
        for t in tracks_of(&mut tx, id)
            .await?
            .iter()
            .filter(|t| t.track.is_open())
        {
            let next = Track {
                deadline: Some(deadline),
                extended_until: None,
                ..t.track.clone()
            };
            let due = due_info(&next, &ty, cal, now.date());
            write_track(&mut tx, next.id, t.version, &next, &due, Some((&ty, cal))).await?;
            append(
                &mut tx,
                new_event(
                    actor,
                    EventKind::TrackDeadline,
                    "track",
                    next.id,
                    json!(t.track),
                    json!(next),
                ),
            )
            .await?;
        }
        tx.exec(
            "UPDATE matters SET deadline = $1 WHERE id = $2",
            args![deadline.to_string(), id],
        )
        .await?;
        bump(&mut tx, id).await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::MatterDeadline,
                "matter",
                id,
                json!({ "deadline": old }),
                json!({ "deadline": deadline, "reason": reason }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.matter(id).await
    }

    /// Edits the matter's title and content, with the reason.
    pub async fn edit_matter(
        &self,
        actor: Option<UserId>,
        id: MatterId,
        version: Option<i64>,
        title: &str,
        detail: &str,
        reason: &str,
    ) -> Result<MatterRecord> {
        let reason = need_reason(reason, "修改事项")?;
        let title = matter::edited_title(title)?;
        let mut tx = self.pool.begin().await?;
        let m = open_matter(&mut tx, id, version, "修改").await?;
        let before = json!({ "title": m.str("title")?, "detail": m.str("body")? });
        tx.exec(
            "UPDATE matters SET title = $1, body = $2 WHERE id = $3",
            args![title, detail.trim(), id],
        )
        .await?;
        bump(&mut tx, id).await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::MatterEdit,
                "matter",
                id,
                before,
                json!({ "title": title, "detail": detail.trim(), "reason": reason }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.matter(id).await
    }
}

/// The 承办人 of a track and who passed it on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandlerOf {
    pub track_id: TrackId,
    pub handler_id: UserId,
    pub handler_name: String,
}

impl Store {
    /// Passes a track to a named 承办人 (a handler of the track's unit),
    /// with a note; the log keeps who passed it to whom. Passing it again
    /// names the new handler.
    pub async fn pass_to_handler(
        &self,
        actor: Option<UserId>,
        track_id: TrackId,
        handler: UserId,
        note: &str,
    ) -> Result<HandlerOf> {
        let mut tx = self.pool.begin().await?;
        let r = tx
            .fetch_opt(
                "SELECT data, version, next_due, handler_id FROM tracks WHERE id = $1",
                args![track_id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("办理记录 {track_id} 不存在")))?;
        let before = r.opt_i64("handler_id")?;
        let t = track_record(&r)?;
        if !t.track.is_open() {
            return Err(Error::Invalid(
                "该任务已办结或已撤销，不能再交承办人办理".into(),
            ));
        }
        let u = tx
            .fetch_opt(
                "SELECT name, role, unit_id, active FROM users WHERE id = $1",
                args![handler],
            )
            .await?
            .ok_or_else(|| {
                Error::Invalid(format!("用户 {handler} 不存在；请选择本单位的承办人"))
            })?;
        let name = u.str("name")?;
        if u.opt_i64("unit_id")? != Some(t.track.unit_id) || u.str("role")? != "handler" {
            return Err(Error::Invalid(format!(
                "{name} 不是本单位的承办人；只能交给本单位角色为“承办人”的用户"
            )));
        }
        if before == Some(handler) {
            return Err(Error::Invalid(format!("该任务已由 {name} 承办")));
        }
        tx.exec(
            "UPDATE tracks SET handler_id = $1 WHERE id = $2",
            args![handler, track_id],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::TrackHandler,
                "track",
                track_id,
                json!({ "handler": before }),
                json!({ "handler": handler, "handler_name": name, "note": note.trim() }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(HandlerOf {
            track_id,
            handler_id: handler,
            handler_name: name,
        })
    }

    /// The 承办人 of these tracks, where one was named.
    pub async fn handlers_of(&self, tracks: &[TrackId]) -> Result<Vec<HandlerOf>> {
        if tracks.is_empty() {
            return Ok(Vec::new());
        }
        // One statement text for any list (prepared once per connection).
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT t.id, t.handler_id, u.name FROM tracks t JOIN users u ON u.id = t.handler_id WHERE {}",
                    self.pool.in_ids("t.id", "$1")
                ),
                vec![self.pool.ids(tracks)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(HandlerOf {
                    track_id: r.i64("id")?,
                    handler_id: r.i64("handler_id")?,
                    handler_name: r.str("name")?,
                })
            })
            .collect()
    }
}
