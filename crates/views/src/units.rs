//! The unit registry (单位名录): units and groups, and what resolving a
//! printed name finds.

use duban_domain::org::{Level, UnitKind};
use serde::Serialize;
use utoipa::ToSchema;

/// Every unit and group (`GET /api/v1/units`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitListView {
    pub units: Vec<UnitView>,
    pub groups: Vec<GroupView>,
}

/// A unit with its canonical name and the other names it goes by.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitView {
    pub id: i64,
    pub name: String,
    pub aliases: Vec<String>,
    /// The unit above it, if any.
    pub parent: Option<i64>,
    /// `province`, `city`, `county`, `township`.
    #[schema(value_type = String, example = "county")]
    pub level: Level,
    /// `government`, `department`, `township`, `zone`, `company`,
    /// `outside`.
    #[schema(value_type = String, example = "department")]
    pub kind: UnitKind,
}

impl From<duban_domain::org::Unit> for UnitView {
    fn from(u: duban_domain::org::Unit) -> Self {
        UnitView {
            id: u.id,
            name: u.name,
            aliases: u.aliases,
            parent: u.parent,
            level: u.level,
            kind: u.kind,
        }
    }
}

/// A name printed for several units at once (各乡镇办).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    /// The ids of its units.
    pub members: Vec<i64>,
}

impl From<duban_domain::org::Group> for GroupView {
    fn from(g: duban_domain::org::Group) -> Self {
        GroupView {
            id: g.id,
            name: g.name,
            members: g.members,
        }
    }
}

/// `{"unit": …}`: what adding or changing a unit answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitWrapper {
    pub unit: UnitView,
}

/// What merging a unit into another answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitMergeView {
    /// The unit that stays.
    pub unit: UnitView,
    /// The id of the unit merged into it.
    pub merged: i64,
    pub moved: MovedCounts,
}

/// What a merge moved to the unit that stays.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MovedCounts {
    pub tracks: u64,
    pub users: u64,
    pub leaders: u64,
    pub proposals: u64,
}

/// What a printed name resolves to (`GET /api/v1/units/resolve`): a unit,
/// a group's members, or the closest candidates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitResolveView {
    /// The name as asked.
    pub name: String,
    /// The unit of that name or alias; null for a group or candidates.
    pub unit: Option<i64>,
    /// The group of that name (only when it is one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The group's units (only when it is one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<i64>>,
    /// The closest units, best first; empty when the name was found.
    pub candidates: Vec<UnitCandidate>,
}

/// A unit whose name is close to the one asked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitCandidate {
    pub unit: i64,
    /// How close, 0 to 1.
    pub score: f64,
}
