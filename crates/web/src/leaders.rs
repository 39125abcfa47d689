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
use axum::routing::{post, put};
use axum::{Json, Router};
use duban_domain::org::{Role, User};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/matters/{id}/instructions", post(instruct))
        .route("/users/{id}/principal", put(principal))
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
