//! Accounts through the API: a user changes their own password; the
//! security admin resets a password (to be changed at the next log-in); the
//! system admin disables or re-enables a user. Passwords follow the configured rules
//! ([`crate::config::Accounts`]) and never repeat recent ones.

use crate::auth::{cookie, hash_password, token_hash, verify_password, Current, SESSION_COOKIE};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::views::{OkView, PasswordResetView, UserView, UserWrapper};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use duban_domain::org::{Role, UserId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_own))
        .routes(routes!(reset))
        .routes(routes!(set_active))
}

/// Checks `password` for `user` against the rules and the recent passwords.
pub(crate) async fn check_new_password(
    state: &AppState,
    user: UserId,
    login: &str,
    password: &str,
) -> ApiResult<()> {
    let policy = crate::security::rules(state).await?.password_policy();
    policy
        .check(login, password)
        .map_err(ApiError::BadRequest)?;
    let recent = state
        .store
        .recent_password_hashes(user, policy.history as i64)
        .await?;
    if recent.iter().any(|h| verify_password(password, h)) {
        return Err(ApiError::BadRequest(format!(
            "新密码不能与最近 {} 次用过的密码相同",
            policy.history
        )));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangeOwn {
    pub current_password: String,
    pub new_password: String,
}

#[utoipa::path(
    post,
    path = "/me/password",
    operation_id = "post_api_v1_me_password",
    tag = "登录",
    summary = "修改自己的密码",
    description = "须提供当前密码；新密码须符合密码规则（长度、字符类别、不含登录名、不与最近用过的密码相同，见配置 [accounts]）。初始密码或被重置的密码须先在此修改，其他接口才可使用。修改后本人的其他会话结束。",
    request_body(content = ref("#/components/schemas/ChangePassword"), content_type = "application/json"),
    responses(
        (status = 200, description = "已修改", body = crate::views::OkView),
        (status = 400, description = "当前密码不正确，或新密码不符合规则", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn change_own(
    State(state): State<AppState>,
    me: Current,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ChangeOwn>,
) -> ApiResult<Json<OkView>> {
    let keep = cookie(&headers, SESSION_COOKIE).map(|t| token_hash(&t));
    change_own_data(&state, &me, keep.as_deref(), body).await?;
    Ok(Json(OkView { ok: true }))
}

/// Changes the caller's password; their other sessions end, this one
/// (`keep`, a token hash) stays.
pub(crate) async fn change_own_data(
    state: &AppState,
    me: &Current,
    keep: Option<&str>,
    body: ChangeOwn,
) -> ApiResult<()> {
    let (_, hash) = state
        .store
        .user_by_login(&me.user.login)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if !verify_password(&body.current_password, &hash) {
        return Err(ApiError::BadRequest("当前密码不正确".into()));
    }
    check_new_password(state, me.user.id, &me.user.login, &body.new_password).await?;
    state
        .store
        .set_password(
            Some(me.user.id),
            me.user.id,
            &hash_password(&body.new_password),
            false,
        )
        .await?;
    state.store.end_sessions(me.user.id, keep).await?;
    Ok(())
}

fn only(me: &Current, role: Role, what: &str) -> ApiResult<()> {
    if me.user.role == role {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "只有{}可以{what}",
            role.label()
        )))
    }
}

/// A user id of the path, as a 404 when there is no such user.
async fn target(state: &AppState, raw: &str) -> ApiResult<duban_domain::org::User> {
    let id = crate::matters::parse_id(raw, "用户")?;
    match state.store.user(id).await {
        Ok(u) => Ok(u),
        Err(duban_store::Error::NotFound(m)) => Err(ApiError::NotFound(m)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reset {
    password: String,
}

#[utoipa::path(
    post,
    path = "/users/{id}/password",
    operation_id = "post_api_v1_users_id_password",
    tag = "管理",
    summary = "重置用户密码",
    description = "安全管理员为用户设置新密码（须符合密码规则），用户下次登录须先修改；该用户的会话全部结束，锁定解除。系统管理员和审计管理员不能重置（三员分立）。",
    params(
        ("id" = i64, Path, description = "用户编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/ResetPassword"), content_type = "application/json"),
    responses(
        (status = 200, description = "已重置", body = crate::views::PasswordResetView),
        (status = 400, description = "请求体有误，或密码不符合规则", body = crate::error::ErrorBody),
        (status = 403, description = "不是安全管理员", body = crate::error::ErrorBody),
        (status = 404, description = "用户不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["security"]))),
)]
async fn reset(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Reset>,
) -> ApiResult<Json<PasswordResetView>> {
    reset_data(&state, &me, &raw, &body.password).await?;
    Ok(Json(PasswordResetView {
        ok: true,
        must_change_password: true,
    }))
}

/// Sets a user's password, to be changed at their next log-in (API and
/// the security page).
pub(crate) async fn reset_data(
    state: &AppState,
    me: &Current,
    raw: &str,
    password: &str,
) -> ApiResult<()> {
    // Resetting a password is the security admin's (三员分立).
    only(me, Role::Security, "重置密码")?;
    let user = target(state, raw).await?;
    check_new_password(state, user.id, &user.login, password).await?;
    state
        .store
        .set_password(Some(me.user.id), user.id, &hash_password(password), true)
        .await?;
    state.store.end_sessions(user.id, None).await?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Active {
    active: bool,
}

#[utoipa::path(
    put,
    path = "/users/{id}/active",
    operation_id = "put_api_v1_users_id_active",
    tag = "管理",
    summary = "停用或启用用户",
    description = "停用后该用户的会话立即结束，登录和 API 令牌均不可用；不能停用自己。",
    params(
        ("id" = i64, Path, description = "用户编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/UserActive"), content_type = "application/json"),
    responses(
        (status = 200, description = "已更新", body = crate::views::UserWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "用户不存在", body = crate::error::ErrorBody),
        (status = 422, description = "不能停用自己", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn set_active(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Active>,
) -> ApiResult<Json<UserWrapper>> {
    only(&me, Role::Admin, "停用或启用用户")?;
    let user = target(&state, &raw).await?;
    if user.id == me.user.id && !body.active {
        return Err(ApiError::Unprocessable("不能停用自己的账号".into()));
    }
    let user = state
        .store
        .set_user_active(Some(me.user.id), user.id, body.active)
        .await?;
    Ok(Json(UserWrapper {
        user: UserView::of(user),
    }))
}
