//! Problems raised by enterprises and the public (诉求). A public user raises
//! one and follows it; the office lists them all, accepts one (it becomes a
//! matter assigned to lead units, raised by the raiser) or rejects it with a
//! reason. An appeal is seen by its raiser and the office only; to anyone
//! else it does not exist (404).

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::{answer, is_office, matter_type_named, parse_id};
use crate::params::Filter;
use crate::views::{
    AcceptedAppealView, AppealListQuery, AppealListView, AppealMatter, AppealView, AppealWrapper,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use duban_domain::org::{Role, User};
use duban_store::appeals::{Acceptance, Appeal, NewAppeal};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail))
        .routes(routes!(accept))
        .routes(routes!(reject))
}

/// The appeal `id` if the user is its raiser or the office; 404 otherwise.
pub(crate) async fn visible_appeal(state: &AppState, user: &User, id: i64) -> ApiResult<Appeal> {
    let not_found = || ApiError::NotFound(format!("诉求 {id} 不存在"));
    let a = match state.store.appeal(id).await {
        Ok(a) => a,
        Err(duban_store::Error::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    if is_office(user) || a.raised_by == user.id {
        Ok(a)
    } else {
        Err(not_found())
    }
}

/// An appeal as shown, with where its matter stands and, once the matter
/// is closed, the answer.
pub(crate) async fn appeal_view(state: &AppState, a: &Appeal) -> ApiResult<AppealView> {
    let clock = state.clock();
    let (matter, answer) = match a.matter_id {
        Some(mid) => {
            let m = state.store.matter(mid).await?;
            let answer = answer(state, &m).await?;
            let matter = AppealMatter {
                id: m.matter.id,
                title: m.matter.title.clone(),
                status: m.matter.status,
                status_label: m.matter.status.label().to_string(),
            };
            (Some(matter), answer)
        }
        None => (None, None),
    };
    Ok(AppealView {
        id: a.id,
        raised_by: a.raised_by,
        title: a.title.clone(),
        content: a.content.clone(),
        location: a.location.clone(),
        contact: a.contact.clone(),
        status: a.status,
        status_label: a.status.label().to_string(),
        reason: a.reason.clone(),
        matter_id: a.matter_id,
        decided_by: a.decided_by,
        decided_at: a.decided_at,
        decided_at_local: a.decided_at.map(|t| clock.show(t)),
        created_at: a.created_at,
        created_at_local: clock.show(a.created_at),
        version: a.version,
        matter,
        answer,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Raise {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub contact: String,
}

#[utoipa::path(
    post,
    path = "/appeals",
    operation_id = "post_api_v1_appeals",
    tag = "企业群众诉求",
    summary = "提交诉求",
    description = "企业群众反映问题：什么问题、在哪里、怎么联系。",
    request_body(content = ref("#/components/schemas/CreateAppeal"), content_type = "application/json"),
    responses(
        (status = 201, description = "已提交", body = crate::views::AppealWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是企业群众账号", body = crate::error::ErrorBody),
        (status = 422, description = "缺少内容、地点或联系方式", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["public"]))),
)]
async fn create(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<Raise>,
) -> ApiResult<(StatusCode, Json<AppealWrapper>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_data(&state, &me, body).await?),
    ))
}

/// Records a problem raised by an enterprise or a member of the public.
pub(crate) async fn create_data(
    state: &AppState,
    me: &Current,
    body: Raise,
) -> ApiResult<AppealWrapper> {
    if me.user.role != Role::Public {
        return Err(ApiError::Forbidden(
            "诉求由企业和群众账号提交；督查室请直接新建督办事项".into(),
        ));
    }
    if body.content.chars().count() > 5000 {
        return Err(ApiError::Unprocessable("诉求内容不超过5000字".into()));
    }
    let a = state
        .store
        .create_appeal(
            me.user.id,
            NewAppeal {
                title: body.title,
                content: body.content,
                location: body.location,
                contact: body.contact,
            },
        )
        .await?;
    Ok(AppealWrapper {
        appeal: appeal_view(state, &a).await?,
    })
}

#[utoipa::path(
    get,
    path = "/appeals",
    operation_id = "get_api_v1_appeals",
    tag = "企业群众诉求",
    summary = "诉求列表",
    description = "企业群众：自己提交的诉求；督查室：全部。",
    params(AppealListQuery),
    responses(
        (status = 200, description = "一页诉求和总数", body = crate::views::AppealListView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "无权查看诉求列表", body = crate::error::ErrorBody),
        (status = 422, description = "after 与 offset 同用，或翻页位置与排序不符", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::APPEAL_READERS))),
)]
async fn list(
    State(state): State<AppState>,
    me: Current,
    Filter(query): Filter<AppealListQuery>,
) -> ApiResult<Json<AppealListView>> {
    Ok(Json(list_data(&state, &me, &query).await?))
}

/// Appeals as the API lists them: the raiser's own, or all for the office.
pub(crate) async fn list_data(
    state: &AppState,
    me: &Current,
    query: &AppealListQuery,
) -> ApiResult<AppealListView> {
    let raised_by = match me.user.role {
        Role::Public => Some(me.user.id),
        Role::Office | Role::Admin => None,
        _ => {
            return Err(ApiError::Forbidden(
                "诉求列表仅供督查室和诉求人查看；交办给本单位的诉求请在督办事项中查看".into(),
            ))
        }
    };
    let AppealListQuery {
        status,
        limit,
        offset,
        after,
    } = *query;
    let page = state
        .store
        .appeals(raised_by, status, limit, offset, after)
        .await?;
    let mut out = Vec::with_capacity(page.appeals.len());
    for a in &page.appeals {
        out.push(appeal_view(state, a).await?);
    }
    Ok(AppealListView {
        appeals: out,
        total: page.total,
        limit,
        offset,
        next: page.next.map(|id| id.to_string()),
    })
}

/// An appeal's number as `after` writes it: digits, no leading zero.

#[utoipa::path(
    get,
    path = "/appeals/{id}",
    operation_id = "get_api_v1_appeals_id",
    tag = "企业群众诉求",
    summary = "诉求详情",
    description = "诉求人和督查室可看：受理情况、生成的事项及其状态，办结后的答复。",
    params(
        ("id" = i64, Path, description = "诉求编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "诉求详情", body = crate::views::AppealWrapper),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 404, description = "诉求不存在或无权查看", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::APPEAL_READERS))),
)]
async fn detail(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<AppealWrapper>> {
    let id = parse_id(&raw, "诉求")?;
    let a = visible_appeal(&state, &me.user, id).await?;
    Ok(Json(AppealWrapper {
        appeal: appeal_view(&state, &a).await?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Accept {
    pub title: Option<String>,
    #[serde(default, rename = "type")]
    pub type_name: String,
    pub deadline: Option<String>,
    #[serde(default)]
    pub lead: Vec<i64>,
    #[serde(default)]
    pub co: Vec<i64>,
    pub version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/appeals/{id}/accept",
    operation_id = "post_api_v1_appeals_id_accept",
    tag = "企业群众诉求",
    summary = "受理诉求",
    description = "督查室受理：生成来源为企业群众诉求的督办事项并交办给牵头单位，诉求人可跟踪办理结果。",
    params(
        ("id" = i64, Path, description = "诉求编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/AcceptAppeal"), content_type = "application/json"),
    responses(
        (status = 200, description = "已受理，返回诉求和事项编号", body = crate::views::AcceptedAppealView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "诉求不存在或无权查看", body = crate::error::ErrorBody),
        (status = 409, description = "诉求已被他人处理", body = crate::error::ErrorBody),
        (status = 422, description = "已处理过，或单位不存在等", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn accept(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Accept>,
) -> ApiResult<Json<AcceptedAppealView>> {
    let id = parse_id(&raw, "诉求")?;
    Ok(Json(accept_data(&state, &me, id, body).await?))
}

/// Accepts appeal `id`: it becomes a matter assigned to its lead units.
pub(crate) async fn accept_data(
    state: &AppState,
    me: &Current,
    id: i64,
    body: Accept,
) -> ApiResult<AcceptedAppealView> {
    visible_appeal(state, &me.user, id).await?;
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden("只有督查室可以受理诉求".into()));
    }
    let matter_type = matter_type_named(state, &body.type_name).await?;
    let now = state.now();
    let deadline = crate::matters::future_deadline(body.deadline.as_deref(), now.date())?;
    let cal = state.calendar().await?;
    let (a, m) = state
        .store
        .accept_appeal(
            Some(me.user.id),
            id,
            body.version,
            Acceptance {
                title: body.title,
                matter_type,
                deadline,
                lead: body.lead,
                co: body.co,
            },
            now,
            &cal,
        )
        .await?;
    Ok(AcceptedAppealView {
        appeal: appeal_view(state, &a).await?,
        matter_id: m.matter.id,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reject {
    #[serde(default)]
    pub reason: String,
    pub version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/appeals/{id}/reject",
    operation_id = "post_api_v1_appeals_id_reject",
    tag = "企业群众诉求",
    summary = "不予受理",
    description = "督查室不予受理，须写明理由，诉求人可见。",
    params(
        ("id" = i64, Path, description = "诉求编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/RejectAppeal"), content_type = "application/json"),
    responses(
        (status = 200, description = "已处理", body = crate::views::AppealWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "诉求不存在或无权查看", body = crate::error::ErrorBody),
        (status = 409, description = "诉求已被他人处理", body = crate::error::ErrorBody),
        (status = 422, description = "已处理过，或缺少理由", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn reject(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Reject>,
) -> ApiResult<Json<AppealWrapper>> {
    let id = parse_id(&raw, "诉求")?;
    Ok(Json(reject_data(&state, &me, id, body).await?))
}

/// Rejects appeal `id` with a reason the raiser reads.
pub(crate) async fn reject_data(
    state: &AppState,
    me: &Current,
    id: i64,
    body: Reject,
) -> ApiResult<AppealWrapper> {
    visible_appeal(state, &me.user, id).await?;
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden("只有督查室可以处理诉求".into()));
    }
    let a = state
        .store
        .reject_appeal(Some(me.user.id), id, body.version, &body.reason)
        .await?;
    Ok(AppealWrapper {
        appeal: appeal_view(state, &a).await?,
    })
}
