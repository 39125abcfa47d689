//! The working-day calendar an admin keeps: the shipped official years,
//! replaced by the years an admin entered; every other year is provisional
//! (暂定, derived by the domain). A stored year with no days is no year.
//!
//! A change of the calendar (a year entered from the State Council's notice,
//! edited whole, or removed) runs in one transaction that also recomputes
//! every open track's limits on the new calendar: the stored copies
//! (`next_due`, `yellow_from`, `due_error`, the statistics' due columns), an
//! entry in the event log for the change and one per track whose limits
//! moved (`track.limits_moved`, the limits before and after), and a row in
//! `limit_moves` with the message for the unit, which the sweep queues on
//! the usual channels ([`Store::unnotified_moves`]).

use crate::db::Tx;
use crate::events::{append, new_event, EventKind};
use crate::matters::track_record;
use crate::stats::{self, TrackFacts};
use crate::{args, micros, Error, Result, Store};
use chrono::{NaiveDate, Utc};
use duban_domain::calendar::{Calendar, Year};
use duban_domain::limits;
use duban_domain::limits::due_info;
use duban_domain::matter::{MatterType, TrackId, UnitId};
use duban_domain::sweep::{moved_notice, About};
use serde_json::json;

/// What a calendar change did to the open tracks.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Recomputed {
    /// Open tracks looked at.
    pub tracks: u64,
    /// Tracks whose stored limits changed (copies rewritten).
    pub updated: u64,
    /// Tracks whose limits moved to another date: their units are told.
    pub moved: u64,
}

/// A message about moved limits waiting for the sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitMove {
    pub id: i64,
    pub track: TrackId,
    pub unit: UnitId,
    pub subject: String,
    pub body: String,
    /// What it tells: `moved` (limits a calendar change moved) or `urge`
    /// (the office's urging, see `office`).
    pub kind: String,
}

/// One change of a year: its new data, or `None` to remove it.
pub type YearChange = (i32, Option<Year>);

impl Store {
    /// The calendar: the shipped official years, with the years an admin
    /// stored replacing them (an empty stored year counts for nothing).
    /// Read from the table ([`Store::calendar`] keeps a copy).
    pub(crate) async fn read_calendar(&self) -> Result<Calendar> {
        let mut cal = Calendar::official();
        let rows = self
            .pool
            .fetch(
                "SELECT year, data FROM calendar_years ORDER BY year",
                args![],
            )
            .await?;
        for r in rows {
            let year: Year = r.json("data")?;
            if !year.is_empty() {
                cal.set_year(r.i64("year")? as i32, year);
            }
        }
        Ok(cal)
    }

    /// The years an admin entered (stored, not empty).
    pub async fn entered_calendar_years(&self) -> Result<std::collections::BTreeSet<i32>> {
        let rows = self
            .pool
            .fetch("SELECT year, data FROM calendar_years", args![])
            .await?;
        let mut out = std::collections::BTreeSet::new();
        for r in rows {
            let year: Year = r.json("data")?;
            if !year.is_empty() {
                out.insert(r.i64("year")? as i32);
            }
        }
        Ok(out)
    }

    /// Stores one year of the calendar (checked first) and recomputes the
    /// open limits; see [`Store::change_calendar`].
    pub async fn set_calendar_year(
        &self,
        actor: Option<i64>,
        year: i32,
        data: Year,
        today: NaiveDate,
    ) -> Result<Recomputed> {
        let reason = format!("管理员修改了{year}年节假日安排");
        self.change_calendar(actor, &[(year, Some(data))], &reason, today)
            .await
    }

    /// Changes several years at once (a notice decides its own year and may
    /// add days to the one before), in one transaction: each year checked
    /// and stored (`None` removes what an admin entered, so the shipped or
    /// provisional year applies again), the change in the event log, and
    /// every open track recomputed on the new calendar as of `today`. Units
    /// whose limits moved get a message, in words saying `reason`.
    pub async fn change_calendar(
        &self,
        actor: Option<i64>,
        changes: &[YearChange],
        reason: &str,
        today: NaiveDate,
    ) -> Result<Recomputed> {
        for (year, data) in changes {
            if let Some(data) = data {
                data.validate(*year)?;
            }
        }
        let old = self.calendar().await?;
        let mut new = old.clone();
        let mut tx = self.pool.begin().await?;
        for (year, data) in changes {
            let before = old
                .year_in_use(*year)
                .map(|(y, p)| json!({ "provenance": p, "data": y }));
            match data {
                Some(data) => {
                    tx.exec(
                        "INSERT INTO calendar_years (year, data, updated_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                        args![i64::from(*year), serde_json::to_string(data).unwrap_or_default(), micros(Utc::now())],
                    )
                    .await?;
                    new.set_year(*year, data.clone());
                }
                None => {
                    let n = tx
                        .exec(
                            "DELETE FROM calendar_years WHERE year = $1",
                            args![i64::from(*year)],
                        )
                        .await?;
                    if n == 0 {
                        return Err(Error::NotFound(format!(
                            "{year} 年没有管理员录入的放假安排，无需删除"
                        )));
                    }
                    new.remove_year(*year);
                    // The shipped data of the year stands again.
                    if let Some(shipped) = Calendar::official().year(*year) {
                        new.set_year(*year, shipped.clone());
                    }
                }
            }
            let after = new
                .year_in_use(*year)
                .map(|(y, p)| json!({ "provenance": p, "data": y }));
            let action = if data.is_some() {
                EventKind::CalendarSetYear
            } else {
                EventKind::CalendarRemoveYear
            };
            append(
                &mut tx,
                new_event(
                    actor,
                    action,
                    "calendar",
                    (*year).into(),
                    json!(before),
                    json!({ "year": after, "reason": reason }),
                ),
            )
            .await?;
        }
        let done = recompute(&mut tx, actor, &old, &new, reason, today).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Messages about moved limits the sweep has not queued yet, oldest
    /// first.
    pub async fn unnotified_moves(&self, limit: i64) -> Result<Vec<LimitMove>> {
        let rows = self
            .pool
            .fetch(
                "SELECT id, track_id, unit_id, subject, body, kind FROM limit_moves \
                 WHERE notified_at IS NULL ORDER BY id LIMIT $1",
                args![limit.max(1)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(LimitMove {
                    id: r.i64("id")?,
                    track: r.i64("track_id")?,
                    unit: r.i64("unit_id")?,
                    subject: r.str("subject")?,
                    body: r.str("body")?,
                    kind: r.str("kind")?,
                })
            })
            .collect()
    }

    /// Marks a move as told (its messages queued).
    pub async fn mark_move_notified(&self, id: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE limit_moves SET notified_at = $1 WHERE id = $2",
            args![micros(Utc::now()), id],
        )
        .await?;
        tx.commit().await
    }
}

/// Recomputes every open track on `new` (against `old`) inside `tx`.
async fn recompute(
    tx: &mut Tx,
    actor: Option<i64>,
    old: &Calendar,
    new: &Calendar,
    reason: &str,
    today: NaiveDate,
) -> Result<Recomputed> {
    let mut done = Recomputed::default();
    let rows = tx
        .fetch(
            "SELECT t.id, t.data, t.version, t.next_due, t.yellow_from, t.due_error, t.unit_id, \
             m.matter_type, m.title, u.name AS unit_name \
             FROM tracks t JOIN matters m ON m.id = t.matter_id JOIN units u ON u.id = t.unit_id \
             WHERE t.state NOT IN ('closed', 'withdrawn') ORDER BY t.id",
            args![],
        )
        .await?;
    for r in &rows {
        done.tracks += 1;
        let id = r.i64("id")?;
        let t = track_record(r)?;
        let ty: MatterType = r.json("matter_type")?;
        let stored_yellow = r.opt_str("yellow_from")?.and_then(|s| s.parse().ok());
        let stored_error = r.opt_str("due_error")?;
        let due = due_info(&t.track, &ty, new, today);
        if !due.same_as_stored(t.next_due, stored_yellow, stored_error.as_deref()) {
            tx.exec(
                "UPDATE tracks SET next_due = $1, yellow_from = $2, due_error = $3 WHERE id = $4",
                args![
                    due.next_due.map(|d| d.to_string()),
                    due.yellow_from.map(|d| d.to_string()),
                    due.error_text(),
                    id
                ],
            )
            .await?;
            done.updated += 1;
        }
        stats::write_dues(tx, id, &TrackFacts::of(&t.track, &ty, new)).await?;
        let (before, _) = limits::known_dues(&t.track, &ty, old, today);
        let (after, _) = limits::known_dues(&t.track, &ty, new, today);
        let title = r.str("title")?;
        let unit_name = r.str("unit_name")?;
        let about = About {
            title: &title,
            unit_name: &unit_name,
        };
        let Some((subject, body)) = moved_notice(about, &before, &after, reason) else {
            continue;
        };
        done.moved += 1;
        let ev = append(
            tx,
            new_event(
                actor,
                EventKind::TrackLimitsMoved,
                "track",
                id,
                json!({ "dues": before }),
                json!({ "dues": after, "reason": reason }),
            ),
        )
        .await?;
        tx.exec(
            "INSERT INTO limit_moves (track_id, unit_id, event_seq, subject, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![
                id,
                r.i64("unit_id")?,
                ev.seq,
                subject,
                body,
                micros(Utc::now())
            ],
        )
        .await?;
    }
    Ok(done)
}
