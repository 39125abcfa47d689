//! API tokens for integrations through the API: the system admin issues a
//! token to a user (the token is in the answer once and never again),
//! lists the tokens without them, and revokes one, refused from its next
//! use on. The store keeps the hash ([`duban_store::tokens`]).

use crate::auth::{new_token, token_hash, Current};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::views::{ApiTokenView, ApiTokenWrapper, ApiTokensView, IssuedTokenView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use duban_domain::org::Role;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users/{id}/tokens", post(issue))
        .route("/tokens", get(list))
        .route("/tokens/{id}", delete(revoke))
}

/// The longest token name, in characters.
const NAME_MAX: usize = 50;

fn admin_only(me: &Current, what: &str) -> ApiResult<()> {
    if me.user.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("只有系统管理员可以{what}")))
    }
}

/// A store's "not found" as the API's 404.
fn found<T>(r: duban_store::Result<T>) -> ApiResult<T> {
    r.map_err(|e| match e {
        duban_store::Error::NotFound(m) => ApiError::NotFound(m),
        e => e.into(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Issue {
    pub name: String,
}

async fn issue(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Issue>,
) -> ApiResult<(StatusCode, Json<IssuedTokenView>)> {
    let data = issue_data(&state, &me, &raw, body).await?;
    Ok((StatusCode::CREATED, Json(data)))
}

/// Issues a token to the user `raw` names: `{token, api_token}`, the
/// token's only appearance. The users page issues through here too.
pub(crate) async fn issue_data(
    state: &AppState,
    me: &Current,
    raw: &str,
    body: Issue,
) -> ApiResult<IssuedTokenView> {
    admin_only(me, "签发 API 令牌")?;
    let id = crate::matters::parse_id(raw, "用户")?;
    let user = found(state.store.user(id).await)?;
    let name = body.name.trim();
    if name.is_empty() {
        return Err(ApiError::BadRequest(
            "令牌名称不能为空：请写明用途，如“政务平台对接”".into(),
        ));
    }
    if name.chars().count() > NAME_MAX {
        return Err(ApiError::BadRequest(format!(
            "令牌名称不能超过 {NAME_MAX} 个字"
        )));
    }
    if !user.active {
        return Err(ApiError::Unprocessable(format!(
            "用户“{}”已停用，不能签发令牌；请先启用该用户",
            user.name
        )));
    }
    let token = new_token();
    let record = state
        .store
        .create_api_token(Some(me.user.id), user.id, name, &token_hash(&token))
        .await?;
    Ok(IssuedTokenView {
        token,
        api_token: ApiTokenView::of(record),
    })
}

async fn list(State(state): State<AppState>, me: Current) -> ApiResult<Json<ApiTokensView>> {
    Ok(Json(tokens_data(&state, &me).await?))
}

/// Every token, without the token itself.
pub(crate) async fn tokens_data(state: &AppState, me: &Current) -> ApiResult<ApiTokensView> {
    admin_only(me, "查看 API 令牌")?;
    let tokens = state.store.api_tokens().await?;
    Ok(ApiTokensView {
        tokens: tokens.into_iter().map(ApiTokenView::of).collect(),
    })
}

async fn revoke(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<ApiTokenWrapper>> {
    Ok(Json(revoke_data(&state, &me, &raw).await?))
}

/// Revokes the token `raw` names.
pub(crate) async fn revoke_data(
    state: &AppState,
    me: &Current,
    raw: &str,
) -> ApiResult<ApiTokenWrapper> {
    admin_only(me, "吊销 API 令牌")?;
    let id = crate::matters::parse_id(raw, "API 令牌")?;
    let record = found(state.store.revoke_api_token(Some(me.user.id), id).await)?;
    Ok(ApiTokenWrapper {
        api_token: ApiTokenView::of(record),
    })
}
