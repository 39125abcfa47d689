//! Matter types an admin manages: the three standard types of the 13710
//! rule (built into the domain, never stored, never changed) and the custom
//! types an office sets up, kept in `matter_types` as the domain's JSON.
//!
//! Decisions, so callers need not look them up:
//! - The standard names and their short forms (普通, 重大事项, ordinary, …,
//!   whatever [`MatterType::by_name`] reads) are reserved: a custom type
//!   cannot take them, so a name always means one set of terms.
//! - A custom type is never deleted and never renamed (its name is its
//!   key); an admin retires it by marking it inactive, and it is then no
//!   longer offered for new matters. To "rename", create the new type and
//!   retire the old one.
//! - A matter keeps a full copy of its type's terms (`matters.matter_type`),
//!   so changing a type's terms affects only matters created afterwards;
//!   the limits of existing matters never move under them.
//!
//! The `spec` column holds the `MatterType` JSON plus two bookkeeping
//! fields, `id` (the number its events are logged under, given in order of
//! creation) and `active`; serde ignores them when the column is read as a
//! plain `MatterType`.

use crate::events::{append, new_event, EventKind};
use crate::{args, Error, Result, Store};
use duban_domain::matter::{MatterKind, MatterType};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The longest name a custom type may have: it is shown in tables and
/// selects beside matter titles.
pub const MAX_NAME_CHARS: usize = 20;

/// A matter type as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeRecord {
    /// The number the type's events are logged under; 0 for the standard
    /// types, which have no events.
    pub id: i64,
    pub matter_type: MatterType,
    /// One of the three standard types (built in, not editable).
    pub standard: bool,
    /// Offered for new matters. Standard types are always active.
    pub active: bool,
}

/// The stored form of a custom type (the `spec` column).
#[derive(Serialize, Deserialize)]
struct Spec {
    id: i64,
    active: bool,
    #[serde(flatten)]
    matter_type: MatterType,
}

fn record(spec: Spec) -> TypeRecord {
    TypeRecord {
        id: spec.id,
        matter_type: spec.matter_type,
        standard: false,
        active: spec.active,
    }
}

/// Checks a custom type before it is stored; the message says what to
/// change.
fn check_custom(t: &MatterType) -> Result<()> {
    let name = t.name.trim();
    if name != t.name {
        return Err(Error::Invalid(
            "事项类型名称前后不能有空格；请删去空格".into(),
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::Invalid(format!(
            "事项类型名称不超过{MAX_NAME_CHARS}个字；请改短一些"
        )));
    }
    if !name.is_empty() && MatterType::by_name(name).is_some() {
        return Err(Error::Invalid(format!(
            "“{name}”是标准事项类型（普通、重大、持续推进）的名称，不能用作自定义类型；请换一个名称"
        )));
    }
    if t.kind != MatterKind::Custom {
        return Err(Error::Invalid(
            "自定义事项类型的类别须为 custom（标准类型不能新建或修改）".into(),
        ));
    }
    t.validate().map_err(Error::Invalid)?;
    if t.resolve.is_none() && t.schedule.is_none() {
        return Err(Error::Invalid(
            "请设定办结时限（天数或月数）或报送节点（每季度或每月），至少一项".into(),
        ));
    }
    Ok(())
}

impl Store {
    /// Every matter type: the standard ones first, then the custom ones in
    /// the order they were created (inactive ones included, marked so).
    pub async fn matter_types(&self) -> Result<Vec<TypeRecord>> {
        let mut out: Vec<TypeRecord> = MatterType::standard()
            .into_iter()
            .map(|t| TypeRecord {
                id: 0,
                matter_type: t,
                standard: true,
                active: true,
            })
            .collect();
        let rows = self
            .pool
            .fetch("SELECT name, spec FROM matter_types", args![])
            .await?;
        let mut custom = rows
            .iter()
            .map(|r| r.json::<Spec>("spec").map(record))
            .collect::<Result<Vec<_>>>()?;
        custom.sort_by_key(|r| r.id);
        out.extend(custom);
        Ok(out)
    }

    /// One type by its exact name (a standard type also by its short forms).
    pub async fn matter_type_record(&self, name: &str) -> Result<TypeRecord> {
        let name = name.trim();
        if let Some(t) = MatterType::by_name(name) {
            return Ok(TypeRecord {
                id: 0,
                matter_type: t,
                standard: true,
                active: true,
            });
        }
        self.stored_type(name)
            .await?
            .ok_or_else(|| Error::NotFound(format!("事项类型“{name}”不存在")))
    }

    async fn stored_type(&self, name: &str) -> Result<Option<TypeRecord>> {
        let r = self
            .pool
            .fetch_opt("SELECT spec FROM matter_types WHERE name = $1", args![name])
            .await?;
        r.map(|r| r.json::<Spec>("spec").map(record)).transpose()
    }

    /// The type a new matter gets when a user names it: a standard type by
    /// any of its names, or an active custom type by its name. Refused
    /// (`Invalid`) with the names the user may choose from.
    pub async fn matter_type_named(&self, name: &str) -> Result<MatterType> {
        let name = name.trim();
        if let Some(t) = MatterType::by_name(name) {
            return Ok(t);
        }
        let all = self.matter_types().await?;
        if let Some(r) = all.iter().find(|r| r.matter_type.name == name) {
            if r.active {
                return Ok(r.matter_type.clone());
            }
        }
        let choices: Vec<&str> = all
            .iter()
            .filter(|r| r.active)
            .map(|r| r.matter_type.name.as_str())
            .collect();
        let choices = format!(
            "可选：{}（标准类型也可写作 普通、重大、持续 或 ordinary、major、continuing）",
            choices.join("、")
        );
        Err(Error::Invalid(
            match all.iter().find(|r| r.matter_type.name == name) {
                _ if name.is_empty() => format!("请选择事项类型；{choices}"),
                Some(_) => format!("事项类型“{name}”已停用，不能用于新事项；{choices}"),
                None => format!("未知的事项类型“{name}”；{choices}"),
            },
        ))
    }

    /// Stores a new custom type (checked first; `kind` must be custom).
    pub async fn create_matter_type(
        &self,
        actor: Option<i64>,
        t: MatterType,
    ) -> Result<TypeRecord> {
        check_custom(&t)?;
        let mut tx = self.pool.begin().await?;
        // Types are never deleted and writers are serialised, so the count
        // gives every type its own number, in order of creation.
        let n = tx
            .fetch_opt("SELECT COUNT(*) AS n FROM matter_types", args![])
            .await?
            .map(|r| r.i64("n"))
            .transpose()?
            .unwrap_or(0);
        let spec = Spec {
            id: n + 1,
            active: true,
            matter_type: t,
        };
        let name = spec.matter_type.name.clone();
        tx.exec(
            "INSERT INTO matter_types (name, spec) VALUES ($1, $2)",
            args![
                name.clone(),
                serde_json::to_string(&spec).unwrap_or_default()
            ],
        )
        .await
        .map_err(|e| match e {
            Error::Duplicate(_) => Error::Duplicate(format!(
                "事项类型“{name}”已存在；请换一个名称，或修改已有的类型"
            )),
            e => e,
        })?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::MatterTypeCreate,
                "matter_type",
                spec.id,
                json!(null),
                json!(spec),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(record(spec))
    }

    /// Replaces the terms of custom type `name` and whether it is offered
    /// for new matters. Matters already created keep the terms they were
    /// created with. The name cannot change.
    pub async fn update_matter_type(
        &self,
        actor: Option<i64>,
        name: &str,
        t: MatterType,
        active: bool,
    ) -> Result<TypeRecord> {
        let name = name.trim();
        if MatterType::by_name(name).is_some() {
            return Err(Error::Invalid(format!(
                "“{name}”是标准事项类型，其时限由13710规则规定，不能修改；如需不同的时限，请新建自定义类型"
            )));
        }
        if t.name != name {
            return Err(Error::Invalid(format!(
                "事项类型不能改名（“{name}”改为“{}”）；请新建名为“{}”的类型，再停用“{name}”",
                t.name, t.name
            )));
        }
        check_custom(&t)?;
        let mut tx = self.pool.begin().await?;
        let before = tx
            .fetch_opt("SELECT spec FROM matter_types WHERE name = $1", args![name])
            .await?
            .ok_or_else(|| Error::NotFound(format!("事项类型“{name}”不存在")))?;
        let before: Spec = before.json("spec")?;
        let after = Spec {
            id: before.id,
            active,
            matter_type: t,
        };
        tx.exec(
            "UPDATE matter_types SET spec = $1 WHERE name = $2",
            args![serde_json::to_string(&after).unwrap_or_default(), name],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::MatterTypeUpdate,
                "matter_type",
                after.id,
                json!(before),
                json!(after),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(record(after))
    }
}
