//! The unit registry: list for everyone logged in, create for the office's
//! admins, and resolve a printed name to a unit or its closest candidates.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use duban_domain::org::{self, Level, Resolution, Role, UnitKind};
use duban_store::NewUnit;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list).post(create))
        .route("/units/resolve", get(resolve))
}

async fn list(State(state): State<AppState>, _me: Current) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "units": state.store.units().await? })))
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
) -> ApiResult<Json<Value>> {
    Ok(Json(create_data(&state, &me, body).await?))
}

/// Adds a unit as the API does; the settings page posts here too.
pub(crate) async fn create_data(
    state: &AppState,
    me: &Current,
    body: CreateUnit,
) -> ApiResult<Value> {
    if me.user.role != Role::Admin {
        return Err(ApiError::Forbidden("只有系统管理员可以添加单位".into()));
    }
    let name = org::normalize_name(&body.name);
    if name.chars().count() < 2 {
        return Err(ApiError::BadRequest("单位名称至少两个字".into()));
    }
    let unit = state
        .store
        .create_unit(
            Some(me.user.id),
            NewUnit {
                name,
                aliases: body.aliases,
                parent: body.parent,
                level: body.level,
                kind: body.kind,
            },
        )
        .await?;
    Ok(json!({ "unit": unit }))
}

#[derive(Deserialize)]
struct ResolveQuery {
    name: String,
}

async fn resolve(
    State(state): State<AppState>,
    _me: Current,
    ApiQuery(q): ApiQuery<ResolveQuery>,
) -> ApiResult<Json<Value>> {
    let units = state.store.units().await?;
    Ok(Json(match org::resolve(&units, &q.name) {
        Resolution::Unit(id) => json!({ "name": q.name, "unit": id, "candidates": [] }),
        Resolution::Candidates(c) => json!({
            "name": q.name,
            "unit": null,
            "candidates": c.iter().map(|(id, score)| json!({ "unit": id, "score": score })).collect::<Vec<_>>(),
        }),
    }))
}
