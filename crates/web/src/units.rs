//! The unit registry: list (units and groups) for everyone logged in;
//! create, edit (kind, aliases) and merge for the admin; and resolve a
//! printed name to a unit, a group's members, or the closest candidates.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::matters::parse_id;
use crate::views::{
    MovedCounts, UnitCandidate, UnitListView, UnitMergeView, UnitResolveView, UnitWrapper,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use duban_domain::org::{self, Level, Resolution, Role, UnitKind};
use duban_store::NewUnit;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list).post(create))
        .route("/units/resolve", get(resolve))
        .route("/units/{id}", axum::routing::patch(edit))
        .route("/units/{id}/merge", axum::routing::post(merge))
}

async fn list(State(state): State<AppState>, me: Current) -> ApiResult<Json<UnitListView>> {
    Ok(Json(UnitListView {
        units: units_data(&state, &me)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        groups: groups_data(&state, &me)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

/// Every unit of the registry, as `GET /units` lists them: open to
/// everyone logged in (the pages offer them as choices and resolve typed
/// names against them).
pub(crate) async fn units_data(state: &AppState, _me: &Current) -> ApiResult<Vec<org::Unit>> {
    Ok(state.store.units().await?)
}

/// Every group of units (各乡镇办), as `GET /units` lists them.
pub(crate) async fn groups_data(state: &AppState, _me: &Current) -> ApiResult<Vec<org::Group>> {
    Ok(state.store.groups().await?)
}

/// One unit of the registry; 404 for an id that names none.
pub(crate) async fn unit_data(state: &AppState, _me: &Current, id: i64) -> ApiResult<org::Unit> {
    state
        .store
        .units_shared()
        .await?
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .ok_or_else(|| ApiError::NotFound(format!("单位 {id} 不存在")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateUnit {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub parent: Option<i64>,
    pub level: Level,
    pub kind: UnitKind,
}

async fn create(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<CreateUnit>,
) -> ApiResult<Json<UnitWrapper>> {
    Ok(Json(create_data(&state, &me, body).await?))
}

/// Adds a unit as the API does; the settings page posts here too.
pub(crate) async fn create_data(
    state: &AppState,
    me: &Current,
    body: CreateUnit,
) -> ApiResult<UnitWrapper> {
    if me.user.role != Role::Admin {
        return Err(ApiError::Forbidden("只有系统管理员可以添加单位".into()));
    }
    let name = org::normalize_name(&body.name);
    if name.chars().count() < 2 {
        return Err(ApiError::Unprocessable(
            "单位名称至少两个字（不计空格）".into(),
        ));
    }
    let others = state.store.units().await?;
    if let Some(p) = body.parent {
        if !others.iter().any(|u| u.id == p) {
            return Err(ApiError::Unprocessable(format!(
                "上级单位 {p} 不存在；请从单位名录中选择，或不填"
            )));
        }
    }
    let aliases = checked_aliases(&others, None, &body.aliases)?;
    let unit = state
        .store
        .create_unit(
            Some(me.user.id),
            NewUnit {
                name,
                aliases,
                parent: body.parent,
                level: body.level,
                kind: body.kind,
            },
        )
        .await?;
    Ok(UnitWrapper { unit: unit.into() })
}

/// A unit's aliases as given, each normalised like a name, repeats dropped:
/// refused when one is shorter than two characters, or already another
/// unit's name or alias (two names of one body are merged, not aliased).
fn checked_aliases(
    units: &[org::Unit],
    id: Option<i64>,
    aliases: &[String],
) -> ApiResult<Vec<String>> {
    let mut kept: Vec<String> = Vec::new();
    for a in aliases {
        let n = org::normalize_name(a);
        if n.chars().count() < 2 {
            return Err(ApiError::Unprocessable(format!(
                "别名“{a}”太短：别名至少两个字（不计空格）"
            )));
        }
        if let Some(o) = units.iter().find(|o| {
            Some(o.id) != id
                && (org::normalize_name(&o.name) == n
                    || o.aliases.iter().any(|x| org::normalize_name(x) == n))
        }) {
            return Err(ApiError::Conflict(format!(
                "别名“{a}”已是单位“{}”的名称或别名；同一个单位请用“合并”",
                o.name
            )));
        }
        if !kept.contains(&n) {
            kept.push(n);
        }
    }
    Ok(kept)
}

#[derive(Deserialize)]
struct ResolveQuery {
    name: String,
}

async fn resolve(
    State(state): State<AppState>,
    _me: Current,
    ApiQuery(q): ApiQuery<ResolveQuery>,
) -> ApiResult<Json<UnitResolveView>> {
    let units = state.store.units().await?;
    let mut view = UnitResolveView {
        name: q.name,
        unit: None,
        group: None,
        members: None,
        candidates: Vec::new(),
    };
    if let Some(g) = org::find_group(&state.store.groups().await?, &view.name) {
        view.group = Some(g.name.clone());
        view.members = Some(g.members.clone());
        return Ok(Json(view));
    }
    match org::resolve(&units, &view.name) {
        Resolution::Unit(id) => view.unit = Some(id),
        Resolution::Candidates(c) => {
            view.candidates = c
                .iter()
                .map(|(id, score)| UnitCandidate {
                    unit: *id,
                    // As a JSON value always had it (the f32 widened).
                    score: f64::from(*score),
                })
                .collect()
        }
    }
    Ok(Json(view))
}

fn admin_only(me: &Current, what: &str) -> ApiResult<()> {
    if me.user.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("只有系统管理员可以{what}")))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EditUnit {
    pub kind: Option<UnitKind>,
    pub aliases: Option<Vec<String>>,
}

async fn edit(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<EditUnit>,
) -> ApiResult<Json<UnitWrapper>> {
    let id = parse_id(&raw, "单位")?;
    Ok(Json(edit_data(&state, &me, id, body).await?))
}

/// Changes a unit's kind or aliases as the API does; the page posts here too.
pub(crate) async fn edit_data(
    state: &AppState,
    me: &Current,
    id: i64,
    body: EditUnit,
) -> ApiResult<UnitWrapper> {
    admin_only(me, "修改单位")?;
    if body.kind.is_none() && body.aliases.is_none() {
        return Err(ApiError::BadRequest(
            "请写要修改的项：kind（单位类别）或 aliases（别名）".into(),
        ));
    }
    let mut unit = state.store.unit(id).await?;
    if let Some(aliases) = body.aliases {
        let others = state.store.units().await?;
        let aliases = checked_aliases(&others, Some(id), &aliases)?;
        unit = state
            .store
            .set_unit_aliases(Some(me.user.id), id, &aliases)
            .await?;
    }
    if let Some(kind) = body.kind.filter(|k| *k != unit.kind) {
        unit = state
            .store
            .set_unit_kind(Some(me.user.id), id, kind)
            .await?;
    }
    Ok(UnitWrapper { unit: unit.into() })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MergeUnit {
    /// The unit that stays.
    pub into: i64,
}

async fn merge(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<MergeUnit>,
) -> ApiResult<Json<UnitMergeView>> {
    let id = parse_id(&raw, "单位")?;
    Ok(Json(merge_data(&state, &me, id, body).await?))
}

/// Merges unit `id` into `body.into` as the API does; the page posts here too.
pub(crate) async fn merge_data(
    state: &AppState,
    me: &Current,
    id: i64,
    body: MergeUnit,
) -> ApiResult<UnitMergeView> {
    admin_only(me, "合并单位")?;
    let (unit, moved) = state
        .store
        .merge_units(Some(me.user.id), id, body.into)
        .await?;
    Ok(UnitMergeView {
        unit: unit.into(),
        merged: id,
        moved: MovedCounts {
            tracks: moved.tracks,
            users: moved.users,
            leaders: moved.leaders,
            proposals: moved.proposals,
        },
    })
}
