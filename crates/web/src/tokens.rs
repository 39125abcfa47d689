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
use axum::Json;
use duban_domain::org::Role;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue))
        .routes(routes!(list))
        .routes(routes!(revoke))
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

#[utoipa::path(
    post,
    path = "/users/{id}/tokens",
    operation_id = "post_api_v1_users_id_tokens",
    tag = "管理",
    summary = "签发 API 令牌",
    description = "系统管理员为用户签发一个供系统对接使用的 API 令牌（Authorization: Bearer 令牌），以该用户的身份和权限调用接口。令牌只在本次应答的 token 中出现一次，系统只保存其摘要，之后无法再次查看。",
    params(
        ("id" = i64, Path, description = "用户编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/IssueToken"), content_type = "application/json"),
    responses(
        (status = 201, description = "已签发：token 为令牌本身，仅此一次", body = crate::views::IssuedTokenView),
        (status = 400, description = "请求体有误，或名称为空、过长", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "用户不存在", body = crate::error::ErrorBody),
        (status = 422, description = "用户已停用", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
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

#[utoipa::path(
    get,
    path = "/tokens",
    operation_id = "get_api_v1_tokens",
    tag = "管理",
    summary = "API 令牌列表",
    description = "全部 API 令牌：名称、所属用户、签发时间、最近使用时间和吊销时间；不含令牌本身。",
    responses(
        (status = 200, description = "令牌列表", body = crate::views::ApiTokensView),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
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

#[utoipa::path(
    delete,
    path = "/tokens/{id}",
    operation_id = "delete_api_v1_tokens_id",
    tag = "管理",
    summary = "吊销 API 令牌",
    description = "吊销后该令牌立即失效，再用它调用接口得到 401。",
    params(
        ("id" = i64, Path, description = "令牌编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "已吊销", body = crate::views::ApiTokenWrapper),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "令牌不存在", body = crate::error::ErrorBody),
        (status = 409, description = "令牌已经吊销", body = crate::error::ErrorBody),
        (status = 400, description = "参数或请求体的格式有误，说明应如何填写", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
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
