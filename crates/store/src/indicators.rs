//! Indicators (指标): the matters that carry quantitative targets (their
//! `targets` JSON), their lead units, and the actual values reported per
//! period. A value is never overwritten: a correction for a period is a new
//! row with the next version, the old row points to it (`superseded_by`),
//! and both steps are one event in the log. Progress is the domain's
//! ([`duban_domain::indicator`]); this module only keeps the figures.

use crate::db::Row;
use crate::events::{append, new_event, EventKind};
use crate::{args, from_micros, micros, Error, Result, Store};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use duban_domain::matter::{MatterId, MatterStatus, UnitId, UserId};
use serde::Serialize;
use serde_json::json;

/// A matter with targets, as the indicator list needs it.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorMatter {
    pub matter_id: MatterId,
    pub title: String,
    pub status: MatterStatus,
    pub deadline: Option<NaiveDate>,
    /// The day the matter was assigned (local time).
    pub assigned: NaiveDate,
    /// The matter's `targets` array as stored.
    pub targets: serde_json::Value,
    /// Its lead units, in the order assigned: (id, name).
    pub leads: Vec<(UnitId, String)>,
}

/// One reported value (one version of it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorValue {
    pub id: i64,
    pub matter_id: MatterId,
    pub target_index: i64,
    /// `YYYY-MM` or `YYYYQn`.
    pub period: String,
    pub value: f64,
    pub note: String,
    pub reported_by: Option<UserId>,
    /// The reporter's name, when known.
    pub reporter: Option<String>,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    /// 1 for the first report of the period, then one more per correction.
    pub version: i64,
    /// The correction that replaced this value; `None` for the current one.
    pub superseded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A value to record.
#[derive(Debug, Clone)]
pub struct NewIndicatorValue {
    pub matter_id: MatterId,
    pub target_index: i64,
    /// Already checked and in canonical form (`2024-03`, `2024Q1`).
    pub period: String,
    pub value: f64,
    pub note: String,
    /// The reporter's unit; `None` when the office records it.
    pub unit_id: Option<UnitId>,
}

const VALUE_COLUMNS: &str = "v.id, v.matter_id, v.target_index, v.period, v.value, v.note, \
     v.reported_by, u.name AS reporter, v.unit_id, un.name AS unit_name, v.version, \
     v.superseded_by, v.created_at";

const VALUE_FROM: &str = "indicator_values v LEFT JOIN users u ON u.id = v.reported_by \
     LEFT JOIN units un ON un.id = v.unit_id";

fn value_of(r: &Row) -> Result<IndicatorValue> {
    Ok(IndicatorValue {
        id: r.i64("id")?,
        matter_id: r.i64("matter_id")?,
        target_index: r.i64("target_index")?,
        period: r.str("period")?,
        value: r.f64("value")?,
        note: r.str("note")?,
        reported_by: r.opt_i64("reported_by")?,
        reporter: r.opt_str("reporter")?,
        unit_id: r.opt_i64("unit_id")?,
        unit_name: r.opt_str("unit_name")?,
        version: r.i64("version")?,
        superseded_by: r.opt_i64("superseded_by")?,
        created_at: from_micros(r.i64("created_at")?),
    })
}

fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// The matters with at least one target, not withdrawn, oldest first.
    /// `scope` keeps those with a track (lead or co-operating) of one of
    /// the units, as the board does; `lead` those led by one of them.
    pub async fn indicator_matters(
        &self,
        scope: Option<&[UnitId]>,
        lead: Option<&[UnitId]>,
    ) -> Result<Vec<IndicatorMatter>> {
        let mut conds = vec![
            "m.targets <> '[]'".to_string(),
            "m.status <> 'withdrawn'".into(),
        ];
        // Unit ids are numbers, so they are written into the text; an
        // empty list matches nothing.
        for (units, role) in [(scope, None), (lead, Some("lead"))] {
            if let Some(u) = units {
                let role = role
                    .map(|r| format!(" AND t.role = '{r}'"))
                    .unwrap_or_default();
                conds.push(if u.is_empty() {
                    "1 = 0".into()
                } else {
                    format!(
                        "EXISTS (SELECT 1 FROM tracks t WHERE t.matter_id = m.id AND t.unit_id IN ({}){role})",
                        id_list(u)
                    )
                });
            }
        }
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT m.id, m.title, m.status, m.deadline, m.targets, m.created_local \
                     FROM matters m WHERE {} ORDER BY m.id",
                    conds.join(" AND ")
                ),
                args![],
            )
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let targets: serde_json::Value = r.json("targets")?;
            if targets.as_array().is_none_or(|a| a.is_empty()) {
                continue;
            }
            let created: NaiveDateTime = r.json("created_local")?;
            out.push(IndicatorMatter {
                matter_id: r.i64("id")?,
                title: r.str("title")?,
                status: serde_json::from_value(json!(r.str("status")?))
                    .map_err(|e| Error::Corrupt(e.to_string()))?,
                deadline: r.opt_str("deadline")?.and_then(|s| s.parse().ok()),
                assigned: created.date(),
                targets,
                leads: Vec::new(),
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        let ids: Vec<i64> = out.iter().map(|m| m.matter_id).collect();
        let leads = self
            .pool
            .fetch(
                &format!(
                    "SELECT t.matter_id, u.id, u.name FROM tracks t JOIN units u ON u.id = t.unit_id \
                     WHERE t.role = 'lead' AND t.matter_id IN ({}) ORDER BY t.id",
                    id_list(&ids)
                ),
                args![],
            )
            .await?;
        for r in &leads {
            let m = r.i64("matter_id")?;
            if let Some(im) = out.iter_mut().find(|x| x.matter_id == m) {
                im.leads.push((r.i64("id")?, r.str("name")?));
            }
        }
        Ok(out)
    }

    /// The matter `id` as an indicator matter, whatever its scope.
    pub async fn indicator_matter(&self, id: MatterId) -> Result<IndicatorMatter> {
        self.indicator_matters(None, None)
            .await?
            .into_iter()
            .find(|m| m.matter_id == id)
            .ok_or_else(|| Error::NotFound(format!("事项 {id} 没有量化指标")))
    }

    /// The current values of the targets of these matters, in the order
    /// recorded.
    pub async fn current_indicator_values(
        &self,
        matters: &[MatterId],
    ) -> Result<Vec<IndicatorValue>> {
        if matters.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {VALUE_COLUMNS} FROM {VALUE_FROM} \
                     WHERE v.superseded_by IS NULL AND v.matter_id IN ({}) ORDER BY v.id",
                    id_list(matters)
                ),
                args![],
            )
            .await?;
        rows.iter().map(value_of).collect()
    }

    /// Every value of one target, corrections included, in the order
    /// recorded.
    pub async fn indicator_values(
        &self,
        matter: MatterId,
        index: i64,
    ) -> Result<Vec<IndicatorValue>> {
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {VALUE_COLUMNS} FROM {VALUE_FROM} \
                     WHERE v.matter_id = $1 AND v.target_index = $2 ORDER BY v.id"
                ),
                args![matter, index],
            )
            .await?;
        rows.iter().map(value_of).collect()
    }

    /// Records a value for a period; if the period has one already, this
    /// is a correction (the next version) and the old row is marked
    /// superseded. Returns the new value and the one it replaced.
    pub async fn record_indicator_value(
        &self,
        actor: Option<UserId>,
        v: NewIndicatorValue,
    ) -> Result<(IndicatorValue, Option<IndicatorValue>)> {
        if !v.value.is_finite() {
            return Err(Error::Invalid("填报值应为有限的数字".into()));
        }
        let mut tx = self.pool.begin().await?;
        let current = tx
            .fetch_opt(
                &format!(
                    "SELECT {VALUE_COLUMNS} FROM {VALUE_FROM} WHERE v.matter_id = $1 \
                     AND v.target_index = $2 AND v.period = $3 AND v.superseded_by IS NULL"
                ),
                args![v.matter_id, v.target_index, v.period.clone()],
            )
            .await?
            .as_ref()
            .map(value_of)
            .transpose()?;
        let version = current.as_ref().map_or(1, |c| c.version + 1);
        let now = Utc::now();
        let id = tx
            .insert(
                "INSERT INTO indicator_values (matter_id, target_index, period, value, note, \
                 reported_by, unit_id, version, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                args![
                    v.matter_id,
                    v.target_index,
                    v.period.clone(),
                    v.value,
                    v.note.trim().to_string(),
                    actor,
                    v.unit_id,
                    version,
                    micros(now)
                ],
            )
            .await?;
        if let Some(c) = &current {
            tx.exec(
                "UPDATE indicator_values SET superseded_by = $1 WHERE id = $2",
                args![id, c.id],
            )
            .await?;
        }
        let created = tx
            .fetch_opt(
                &format!("SELECT {VALUE_COLUMNS} FROM {VALUE_FROM} WHERE v.id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::Corrupt("indicator value not read back".into()))?;
        let created = value_of(&created)?;
        let replaced = current.map(|c| IndicatorValue {
            superseded_by: Some(id),
            ..c
        });
        append(
            &mut tx,
            new_event(
                actor,
                if replaced.is_some() {
                    EventKind::IndicatorCorrect
                } else {
                    EventKind::IndicatorReport
                },
                "indicator_value",
                id,
                json!(replaced),
                json!(created),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((created, replaced))
    }
}
