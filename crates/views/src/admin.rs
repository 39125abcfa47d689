//! Administration as the admins and the office read it: the users, and
//! the leaders' division of work (领导班子分工) read from its document.

use serde::Serialize;
use utoipa::ToSchema;

/// Every user, for the office and the admins.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsersView {
    pub users: Vec<UserRowView>,
}

/// A user as listed, with the units a leader oversees.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserRowView {
    pub id: i64,
    pub login: String,
    pub name: String,
    /// `office`, `admin`, `unit_head`, `liaison`, `handler`, `leader`,
    /// `public`, `auditor` or `security`.
    #[schema(value_type = String, example = "liaison")]
    pub role: duban_domain::org::Role,
    /// The role in words (联络员, …).
    pub role_label: String,
    /// The unit of a unit role.
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// The units a leader oversees (分管); empty for other roles.
    pub oversees: Vec<i64>,
    /// A principal leader sees the whole district.
    pub principal: bool,
}

/// `{"user": …}`: what adding a user answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserWrapper {
    pub user: UserView,
}

/// A user account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub login: String,
    pub name: String,
    /// `office`, `admin`, `unit_head`, `liaison`, `handler`, `leader`,
    /// `public`, `auditor` or `security`.
    #[schema(value_type = String, example = "liaison")]
    pub role: duban_domain::org::Role,
    /// The unit of a unit role; none for the office, leaders and the
    /// public.
    pub unit_id: Option<i64>,
    pub email: Option<String>,
    pub active: bool,
}

impl UserView {
    pub fn of(u: duban_domain::org::User) -> UserView {
        UserView {
            id: u.id,
            login: u.login,
            name: u.name,
            role: u.role,
            unit_id: u.unit_id,
            email: u.email,
            active: u.active,
        }
    }
}

/// The division of work as read, matched to leader accounts and units,
/// and what applying it set.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionView {
    /// Whether it was applied (`apply: true`), or only read.
    pub applied: bool,
    /// Each leader's block as read.
    pub leaders: Vec<DivisionLeaderView>,
    /// What applying set, a row per leader account; empty when not applied.
    pub set: Vec<DivisionSetView>,
    pub unmatched: DivisionUnmatchedView,
}

/// A leader's block of the division of work.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionLeaderView {
    pub name: String,
    /// As printed in the brackets: 副区长.
    pub title: String,
    /// The one leader account it names, if exactly one.
    pub user: Option<i64>,
    /// The active leader accounts whose name starts with it.
    pub user_candidates: Vec<DivisionUserView>,
    /// The units overseen, as printed and as matched.
    pub units: Vec<DivisionUnitView>,
    /// Units kept in contact with (联系), as printed.
    pub contacts: Vec<String>,
    /// The lines of the text it spans: `[[first, last], …]`.
    #[schema(value_type = Vec<Vec<u32>>)]
    pub spans: Vec<[u32; 2]>,
}

/// A leader account a block may name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionUserView {
    pub id: i64,
    pub login: String,
    pub name: String,
}

/// A printed unit name and the unit it names, or the closest units.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionUnitView {
    pub name: String,
    pub unit: Option<i64>,
    /// The matched unit's name (only when matched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    /// The closest units, best first, when none matched.
    pub candidates: Vec<DivisionCandidateView>,
}

/// A unit close to a printed name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionCandidateView {
    pub unit: i64,
    pub name: Option<String>,
    /// In [0, 1].
    pub score: f32,
}

/// What applying set for one leader account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionSetView {
    pub name: String,
    pub user: i64,
    pub units_before: Vec<i64>,
    pub units: Vec<i64>,
}

/// What could not be matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionUnmatchedView {
    pub leaders: Vec<UnmatchedLeaderView>,
    pub units: Vec<UnmatchedUnitView>,
}

/// A leader's block that names no one account, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnmatchedLeaderView {
    pub name: String,
    pub reason: String,
}

/// A printed unit name that matched no unit, and whose block it is in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnmatchedUnitView {
    pub leader: String,
    pub name: String,
}
