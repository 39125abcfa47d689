//! The unit registry's upkeep: groups of units (a name that stands for
//! several units), a unit's kind changed, and two units merged into one —
//! everything that pointed at the merged unit moved to the survivor, in one
//! transaction with its event.

use crate::db::{Row, Tx};
use crate::events::{append, new_event, EventKind};
use crate::org::enum_str;
use crate::{args, micros, Error, Result, Store};
use chrono::Utc;
use duban_domain::org::{normalize_name, Group, Unit, UnitId, UnitKind, UserId};
use duban_domain::workflow::Track;
use serde_json::json;

fn group(r: &Row) -> Result<Group> {
    Ok(Group {
        id: r.i64("id")?,
        name: r.str("name")?,
        members: r.json("members")?,
    })
}

/// What a merge moved, for the event log and the page that asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Merged {
    pub tracks: u64,
    pub users: u64,
    pub leaders: u64,
    pub proposals: u64,
}

impl Store {
    pub async fn groups(&self) -> Result<Vec<Group>> {
        let rows = self
            .pool
            .fetch("SELECT * FROM unit_groups ORDER BY id", args![])
            .await?;
        rows.iter().map(group).collect()
    }

    /// Creates a group of existing units. Its name may be neither a unit's
    /// name nor an alias: a name is one thing or the other.
    pub async fn create_group(
        &self,
        actor: Option<UserId>,
        name: &str,
        members: &[UnitId],
    ) -> Result<Group> {
        let name = normalize_name(name);
        let units = self.units().await?;
        if let Some(u) = units.iter().find(|u| {
            normalize_name(&u.name) == name || u.aliases.iter().any(|a| normalize_name(a) == name)
        }) {
            return Err(Error::Duplicate(format!(
                "“{name}”已是单位“{}”的名称或别名，不能再作分组名",
                u.name
            )));
        }
        if let Some(m) = members.iter().find(|m| !units.iter().any(|u| u.id == **m)) {
            return Err(Error::Invalid(format!("成员单位 {m} 不存在")));
        }
        let mut tx = self.pool.begin().await?;
        let id = tx
            .insert(
                "INSERT INTO unit_groups (name, members, created_at) VALUES ($1, $2, $3) RETURNING id",
                args![name.clone(), json!(members).to_string(), micros(Utc::now())],
            )
            .await
            .map_err(|e| match e {
                Error::Duplicate(_) => Error::Duplicate(format!("分组“{name}”已存在")),
                e => e,
            })?;
        let created = Group {
            id,
            name,
            members: members.to_vec(),
        };
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::GroupCreate,
                "group",
                id,
                json!(null),
                json!(created),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes a unit's kind (部门, 乡镇, …).
    pub async fn set_unit_kind(
        &self,
        actor: Option<UserId>,
        id: UnitId,
        kind: UnitKind,
    ) -> Result<Unit> {
        let before = self.unit(id).await?;
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "UPDATE units SET kind = $1 WHERE id = $2",
            args![enum_str(&kind), id],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::UnitKind,
                "unit",
                id,
                json!(before.kind),
                json!(kind),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Unit { kind, ..before })
    }

    /// Merges unit `from` into `into`: its tracks, users, oversight,
    /// inspections, summons, indicator values, statistics, child units,
    /// group memberships and pending proposals move to `into`; its name and
    /// aliases become aliases of `into`; `from` is deleted. Refused, with
    /// nothing changed, when both units are on one matter (the office
    /// reassigns one of them first).
    pub async fn merge_units(
        &self,
        actor: Option<UserId>,
        from: UnitId,
        into: UnitId,
    ) -> Result<(Unit, Merged)> {
        if from == into {
            return Err(Error::Invalid(
                "不能把单位合并到它自己；请选择另一个单位".into(),
            ));
        }
        let gone = self.unit(from).await?;
        let survivor = self.unit(into).await?;
        // A unit under `from` cannot take it in: `from`'s children, moved
        // to it, would come round to be its own parents.
        let units = self.units().await?;
        let mut up = survivor.parent;
        for _ in 0..units.len() {
            let Some(p) = up else { break };
            if p == from {
                return Err(Error::Invalid(format!(
                    "“{}”是“{}”的下级单位，不能把上级单位合并到下级；请反过来合并，或先调整隶属关系",
                    survivor.name, gone.name
                )));
            }
            up = units.iter().find(|u| u.id == p).and_then(|u| u.parent);
        }
        let mut tx = self.pool.begin().await?;
        let both = tx
            .fetch(
                "SELECT m.id, m.title FROM matters m WHERE EXISTS (SELECT 1 FROM tracks t WHERE t.matter_id = m.id AND t.unit_id = $1) \
                 AND EXISTS (SELECT 1 FROM tracks t WHERE t.matter_id = m.id AND t.unit_id = $2) ORDER BY m.id",
                args![from, into],
            )
            .await?;
        if !both.is_empty() {
            let list: Vec<String> = both
                .iter()
                .take(5)
                .map(|r| Ok(format!("{}号《{}》", r.i64("id")?, r.str("title")?)))
                .collect::<Result<_>>()?;
            return Err(Error::Conflict(format!(
                "“{}”和“{}”同在 {} 个事项中承办（{}{}），合并后将重复；请先在这些事项中改派其中一个单位，再合并",
                gone.name,
                survivor.name,
                both.len(),
                list.join("、"),
                if both.len() > 5 { "等" } else { "" }
            )));
        }
        let mut moved = Merged::default();
        // Tracks keep the domain Track as JSON: its unit moves too.
        for r in tx
            .fetch(
                "SELECT id, data FROM tracks WHERE unit_id = $1",
                args![from],
            )
            .await?
        {
            let mut t: Track = r.json("data")?;
            t.unit_id = into;
            let data = serde_json::to_string(&t).map_err(|e| Error::Corrupt(e.to_string()))?;
            tx.exec(
                "UPDATE tracks SET unit_id = $1, data = $2 WHERE id = $3",
                args![into, data, r.i64("id")?],
            )
            .await?;
            moved.tracks += 1;
        }
        moved.users = tx
            .exec(
                "UPDATE users SET unit_id = $1 WHERE unit_id = $2",
                args![into, from],
            )
            .await?;
        moved.leaders = tx
            .exec(
                "INSERT INTO leader_units (leader_id, unit_id) SELECT leader_id, $1 FROM leader_units l \
                 WHERE l.unit_id = $2 AND NOT EXISTS (SELECT 1 FROM leader_units k WHERE k.leader_id = l.leader_id AND k.unit_id = $1)",
                args![into, from],
            )
            .await?;
        tx.exec("DELETE FROM leader_units WHERE unit_id = $1", args![from])
            .await?;
        for table in [
            "inspections",
            "summons",
            "indicator_values",
            "limit_moves",
            "urgings",
        ] {
            tx.exec(
                &format!("UPDATE {table} SET unit_id = $1 WHERE unit_id = $2"),
                args![into, from],
            )
            .await?;
        }
        tx.exec(
            "UPDATE units SET parent_id = $1 WHERE parent_id = $2",
            args![into, from],
        )
        .await?;
        merge_stats(&mut tx, from, into).await?;
        for r in tx
            .fetch("SELECT id, members FROM unit_groups", args![])
            .await?
        {
            let members: Vec<UnitId> = r.json("members")?;
            if members.contains(&from) {
                let mut next: Vec<UnitId> = Vec::new();
                for m in members
                    .into_iter()
                    .map(|m| if m == from { into } else { m })
                {
                    if !next.contains(&m) {
                        next.push(m);
                    }
                }
                tx.exec(
                    "UPDATE unit_groups SET members = $1 WHERE id = $2",
                    args![json!(next).to_string(), r.i64("id")?],
                )
                .await?;
            }
        }
        moved.proposals = merge_proposals(&mut tx, from, into).await?;
        let mut aliases = survivor.aliases.clone();
        for a in std::iter::once(&gone.name).chain(&gone.aliases) {
            if a != &survivor.name && !aliases.contains(a) {
                aliases.push(a.clone());
            }
        }
        tx.exec("DELETE FROM units WHERE id = $1", args![from])
            .await?;
        tx.exec(
            "UPDATE units SET aliases = $1 WHERE id = $2",
            args![json!(aliases).to_string(), into],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::UnitMerge,
                "unit",
                into,
                json!({ "merged": gone, "into": survivor }),
                json!({ "unit": into, "aliases": aliases, "moved": moved }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((
            Unit {
                aliases,
                ..survivor
            },
            moved,
        ))
    }
}

/// The merged unit's monthly statistics added to the survivor's.
async fn merge_stats(tx: &mut Tx, from: UnitId, into: UnitId) -> Result<()> {
    const COLUMNS: [&str; 11] = [
        "assigned",
        "closed",
        "closed_on_time",
        "withdrawn",
        "returns",
        "sign_ok",
        "sign_due",
        "report_ok",
        "report_due",
        "close_ok",
        "close_due",
    ];
    for r in tx
        .fetch("SELECT * FROM track_stats WHERE unit_id = $1", args![from])
        .await?
    {
        let month = r.str("month")?;
        let exists = tx
            .fetch_opt(
                "SELECT 1 AS x FROM track_stats WHERE unit_id = $1 AND month = $2",
                args![into, month.clone()],
            )
            .await?
            .is_some();
        if exists {
            let set: Vec<String> = COLUMNS
                .iter()
                .map(|c| format!("{c} = {c} + (SELECT {c} FROM track_stats WHERE unit_id = $2 AND month = $3)"))
                .collect();
            tx.exec(
                &format!(
                    "UPDATE track_stats SET {} WHERE unit_id = $1 AND month = $3",
                    set.join(", ")
                ),
                args![into, from, month.clone()],
            )
            .await?;
            tx.exec(
                "DELETE FROM track_stats WHERE unit_id = $1 AND month = $2",
                args![from, month],
            )
            .await?;
        } else {
            tx.exec(
                "UPDATE track_stats SET unit_id = $1 WHERE unit_id = $2 AND month = $3",
                args![into, from, month],
            )
            .await?;
        }
    }
    Ok(())
}

/// Pending proposals that name the merged unit name the survivor.
async fn merge_proposals(tx: &mut Tx, from: UnitId, into: UnitId) -> Result<u64> {
    let mut n = 0;
    for r in tx
        .fetch(
            "SELECT id, task FROM proposals WHERE state = 'pending'",
            args![],
        )
        .await?
    {
        let mut task: crate::ProposedTask = r.json("task")?;
        let mut changed = false;
        for p in task.lead.iter_mut().chain(task.co.iter_mut()) {
            if p.unit == Some(from) {
                p.unit = Some(into);
                changed = true;
            }
            for c in p.candidates.iter_mut() {
                if c.0 == from {
                    c.0 = into;
                    changed = true;
                }
            }
        }
        if changed {
            let text = serde_json::to_string(&task).map_err(|e| Error::Corrupt(e.to_string()))?;
            tx.exec(
                "UPDATE proposals SET task = $1 WHERE id = $2",
                args![text, r.i64("id")?],
            )
            .await?;
            n += 1;
        }
    }
    Ok(n)
}
