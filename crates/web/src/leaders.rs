//! Leaders beyond their overseen units: a leader who sees a matter writes
//! a 批示 on it (kept in the event log, read by the office and the units),
//! and the admin marks which leaders are principal (区长, 常务副区长, …),
//! who see the whole district ([`crate::matters::Scope`]).

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::{is_office, parse_id, visible_matter};
use crate::views::{InstructionView, InstructionWrapper, PrincipalView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use duban_domain::org::{Role, User};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(instruct))
        .routes(routes!(principal))
}

/// The leader a `leader=` filter names and the units they oversee. A user
/// who is not a leader (or no user) is a 422: the parameter is well formed,
/// what it names is not a leader.
pub(crate) async fn overseen_by(
    state: &AppState,
    leader: i64,
) -> ApiResult<(duban_domain::org::User, Vec<i64>)> {
    match state.store.user(leader).await {
        Ok(u) if u.role == Role::Leader => {
            let units = state.store.leader_scope(u.id).await?;
            Ok((u, units))
        }
        Ok(_) | Err(duban_store::Error::NotFound(_)) => Err(ApiError::Unprocessable(format!(
            "参数 leader：用户 {leader} 不是分管领导；请从领导名单中选择"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The units the calling leader oversees (every unit for a principal
/// leader) and whether they are principal. Only a leader has a scope;
/// anyone else is refused.
pub(crate) async fn scope_data(state: &AppState, me: &Current) -> ApiResult<LeaderScope> {
    if me.user.role != Role::Leader {
        return Err(ApiError::Forbidden(
            "只有分管领导有分管范围；督查室可按分管领导筛选".into(),
        ));
    }
    Ok(LeaderScope {
        units: state.store.leader_scope(me.user.id).await?,
        principal: state.store.is_principal(me.user.id).await?,
    })
}

/// What [`scope_data`] answers.
pub(crate) struct LeaderScope {
    /// The units overseen, every unit for a principal leader.
    pub(crate) units: Vec<i64>,
    pub(crate) principal: bool,
}

/// The leaders' accounts, for the office to filter by leader (`leader=`);
/// only the office sees who the leaders are.
pub(crate) async fn leaders_data(state: &AppState, me: &Current) -> ApiResult<Vec<User>> {
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden("只有督查室可以按分管领导筛选".into()));
    }
    Ok(state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Leader)
        .collect())
}

/// Sets the units leader `id` oversees (分管); admins only.
pub(crate) async fn oversees_data(
    state: &AppState,
    me: &Current,
    id: i64,
    units: &[i64],
) -> ApiResult<Vec<i64>> {
    if me.user.role != Role::Admin {
        return Err(ApiError::Forbidden("只有系统管理员可以设置分管单位".into()));
    }
    state
        .store
        .set_leader_units(Some(me.user.id), id, units)
        .await?;
    Ok(units.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Instruct {
    #[serde(default)]
    pub(crate) text: String,
}

#[utoipa::path(
    post,
    path = "/matters/{id}/instructions",
    operation_id = "post_api_v1_matters_id_instructions",
    tag = "督办事项",
    summary = "领导批示",
    description = "能查看该事项的领导（分管领导、主要领导）在事项上写批示；批示记入日志，督查室和承办单位在事项详情的 instructions 中看到。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/Instruction"), content_type = "application/json"),
    responses(
        (status = 201, description = "已批示", body = crate::views::InstructionWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是领导", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 422, description = "批示内容为空或过长", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["leader"]))),
)]
async fn instruct(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Instruct>,
) -> ApiResult<(axum::http::StatusCode, Json<InstructionWrapper>)> {
    let id = parse_id(&raw, "事项")?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(instruct_data(&state, &me, id, body).await?),
    ))
}

/// A leader's 批示 on matter `id`, as the API and the page record it.
pub(crate) async fn instruct_data(
    state: &AppState,
    me: &Current,
    id: i64,
    body: Instruct,
) -> ApiResult<InstructionWrapper> {
    visible_matter(state, &me.user, id).await?;
    if me.user.role != Role::Leader {
        return Err(ApiError::Forbidden("批示由领导填写".into()));
    }
    let e = state
        .store
        .add_instruction(me.user.id, id, &body.text)
        .await?;
    Ok(InstructionWrapper {
        instruction: instruction_view(&e, &me.user.name, &state.clock()),
    })
}

/// A 批示 from its event in the log.
pub(crate) fn instruction_view(
    e: &duban_domain::events::Event,
    leader: &str,
    clock: &duban_domain::clock::LocalTime,
) -> InstructionView {
    InstructionView {
        seq: e.seq,
        leader_id: e.actor,
        leader_name: leader.to_string(),
        text: e.after["text"].as_str().map(String::from),
        at: e.at,
        at_local: clock.show(e.at),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Principal {
    principal: Option<bool>,
}

#[utoipa::path(
    put,
    path = "/users/{id}/principal",
    operation_id = "put_api_v1_users_id_principal",
    tag = "管理",
    summary = "设为主要领导",
    description = "系统管理员把领导设为主要领导（principal: true，查看全区）或取消（false，只看分管单位）；区长、常务副区长在演示数据中已设为主要领导。记入日志。",
    params(
        ("id" = i64, Path, description = "用户编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/Principal"), content_type = "application/json"),
    responses(
        (status = 200, description = "已设置", body = crate::views::PrincipalView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "用户不存在", body = crate::error::ErrorBody),
        (status = 422, description = "不是领导，或缺少 principal", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn principal(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Principal>,
) -> ApiResult<Json<PrincipalView>> {
    let id = parse_id(&raw, "用户")?;
    if me.user.role != Role::Admin {
        return Err(ApiError::Forbidden("只有系统管理员可以设置主要领导".into()));
    }
    let Some(p) = body.principal else {
        return Err(ApiError::Unprocessable(
            "请用 principal: true（查看全区）或 false（只看分管单位）".into(),
        ));
    };
    Ok(Json(principal_data(&state, &me, id, p).await?))
}

/// Marks leader `id` principal (sees the whole district) or not; admins
/// only. The API and the users page set it here.
pub(crate) async fn principal_data(
    state: &AppState,
    me: &Current,
    id: i64,
    principal: bool,
) -> ApiResult<PrincipalView> {
    if me.user.role != Role::Admin {
        return Err(ApiError::Forbidden("只有系统管理员可以设置主要领导".into()));
    }
    state
        .store
        .set_principal(Some(me.user.id), id, principal)
        .await?;
    Ok(PrincipalView {
        user_id: id,
        principal,
    })
}
