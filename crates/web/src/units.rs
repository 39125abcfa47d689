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
use axum::Json;
use duban_domain::org::{self, Level, Resolution, Role, UnitKind};
use duban_store::NewUnit;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(resolve))
        .routes(routes!(edit))
        .routes(routes!(merge))
}

#[utoipa::path(
    get,
    path = "/units",
    operation_id = "get_api_v1_units",
    tag = "单位",
    summary = "单位名录",
    description = "全部单位及其别名。",
    responses(
        (status = 200, description = "单位列表", body = crate::views::UnitListView),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
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

#[utoipa::path(
    post,
    path = "/units",
    operation_id = "post_api_v1_units",
    tag = "单位",
    summary = "添加单位",
    description = "仅系统管理员。",
    request_body(content = ref("#/components/schemas/CreateUnit"), content_type = "application/json"),
    responses(
        (status = 200, description = "已添加", body = crate::views::UnitWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 409, description = "单位已存在，或别名已属于其他单位", body = crate::error::ErrorBody),
        (status = 422, description = "名称或别名不足两个字，或上级单位不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
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

#[utoipa::path(
    get,
    path = "/units/resolve",
    operation_id = "get_api_v1_units_resolve",
    tag = "单位",
    summary = "单位名称解析",
    description = "把公文中写的单位名称对应到名录中的单位；找不到时给出最接近的候选。",
    params(
        ("name" = String, Query, description = "公文中写的单位名称", max_length = 10000),
    ),
    responses(
        (status = 200, description = "解析结果", body = crate::views::UnitResolveView),
        (status = 400, description = "缺少 name", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
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

#[utoipa::path(
    patch,
    path = "/units/{id}",
    operation_id = "patch_api_v1_units_id",
    tag = "单位",
    summary = "修改单位类别或别名",
    description = "仅系统管理员。只写要改的项；别名不能是其他单位的名称或别名（同一单位请合并）。",
    params(
        ("id" = i64, Path, description = "单位编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/EditUnit"), content_type = "application/json"),
    responses(
        (status = 200, description = "已修改", body = crate::views::UnitWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "单位不存在", body = crate::error::ErrorBody),
        (status = 409, description = "别名已属于其他单位", body = crate::error::ErrorBody),
        (status = 422, description = "别名不足两个字", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
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

#[utoipa::path(
    post,
    path = "/units/{id}/merge",
    operation_id = "post_api_v1_units_id_merge",
    tag = "单位",
    summary = "合并单位",
    description = "仅系统管理员。把单位 {id} 并入 into：其任务、用户、分管领导、督查记录、约谈、指标填报和统计转到 into，名称和别名成为 into 的别名，单位 {id} 删除；事件日志记录合并。两个单位同在一个事项中时拒绝（先改派）。",
    params(
        ("id" = i64, Path, description = "被合并（删除）的单位编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/MergeUnit"), content_type = "application/json"),
    responses(
        (status = 200, description = "已合并", body = crate::views::UnitMergeView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "单位不存在", body = crate::error::ErrorBody),
        (status = 409, description = "两个单位同在某个事项中", body = crate::error::ErrorBody),
        (status = 422, description = "合并到自身", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
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
