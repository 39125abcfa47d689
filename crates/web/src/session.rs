//! Logging in and out, and who am I.

use crate::auth::{
    end_session, hash_password, new_token, set_cookie, token_hash, verify_password, Current,
    SESSION_COOKIE,
};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::headers::Client;
use crate::views::{MeView, OkView, SessionView, TotpRequiredView, UserView};
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use duban_domain::events::EventKind;
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login, logout))
        .routes(routes!(me))
}

#[derive(Deserialize)]
struct Login {
    login: String,
    password: String,
    /// The TOTP code, for a user who enabled the second factor.
    #[serde(default)]
    totp: Option<String>,
}

#[utoipa::path(
    post,
    path = "/session",
    operation_id = "post_api_v1_session",
    tag = "会话",
    summary = "登录",
    description = "校验登录名和密码（已启用动态口令的账号还须在 totp 字段给出验证器上的 6 位数字），设置会话 Cookie，返回当前用户和 CSRF 令牌；之后的非 GET 请求须带 X-CSRF-Token 请求头。缺少动态口令时答 401，totp_required 为 true；口令错误与密码错误一样计入连续失败次数。",
    request_body(content = ref("#/components/schemas/Login"), content_type = "application/json"),
    responses(
        (status = 200, description = "已登录", body = crate::views::SessionView),
        (status = 400, description = "登录名、密码或动态口令不正确，或请求体有误", body = crate::error::ErrorBody),
        (status = 401, description = "该账号已启用动态口令，请求中缺少 totp", body = crate::views::TotpRequiredView),
        (status = 403, description = "账号因连续登录失败被锁定", body = crate::error::ErrorBody),
        (status = 429, description = "同一地址登录尝试过于频繁", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::ANYONE))),
)]
async fn login(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<Login>,
) -> ApiResult<axum::response::Response> {
    let step = start(
        &state,
        &client,
        &body.login,
        &body.password,
        body.totp.as_deref(),
    )
    .await?;
    let started = match step {
        Step::Started(s) => s,
        Step::NeedsCode(_) => return Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            Json(TotpRequiredView {
                error:
                    "该账号已启用动态口令：请在 totp 字段填写验证器上当前显示的 6 位数字后再登录"
                        .into(),
                totp_required: true,
            }),
        )
            .into_response()),
    };
    Ok((
        [(header::SET_COOKIE, started.cookie(&state))],
        Json(SessionView {
            user: UserView::of(started.user),
            csrf: started.csrf,
            expires_at: started.expires,
            must_change_password: started.must_change,
        }),
    )
        .into_response())
}

/// Where a log-in stands after the password.
pub(crate) enum Step {
    Started(Started),
    /// The password was right and the user has a second factor: the code
    /// is asked next.
    NeedsCode(duban_domain::org::UserId),
}

/// A session just started.
pub(crate) struct Started {
    pub user: duban_domain::org::User,
    pub token: String,
    pub csrf: String,
    pub expires: chrono::DateTime<chrono::Utc>,
    /// An initial or reset password: to be changed before anything else.
    pub must_change: bool,
}

impl Started {
    /// The session cookie: HTTP only, same site, as long as the session.
    pub fn cookie(&self, state: &AppState) -> String {
        set_cookie(
            state,
            SESSION_COOKIE,
            &self.token,
            "/",
            "Lax",
            state.config.session_hours * 3600,
        )
    }
}

/// Checks a log-in and password (and the TOTP `code` of a user who has a
/// second factor) and starts a session. An address past its attempts per
/// minute is refused before anything is checked; a locked account is
/// refused even with the right password; a wrong password or code counts
/// towards the lock. Every failure is logged with the address.
pub(crate) async fn start(
    state: &AppState,
    client: &Client,
    login: &str,
    password: &str,
    code: Option<&str>,
) -> ApiResult<Step> {
    let rules = crate::security::rules(state).await?;
    let login = login.trim();
    throttle(state, client, &rules, login)?;
    let found = state.store.credentials(login).await?;
    refuse_locked(state, client, found.as_ref(), login)?;
    let found_id = found.as_ref().map(|c| c.user.id);
    // Hash anyway when the user is unknown, so timing does not tell.
    let ok = match &found {
        Some(c) => c.user.active && verify_password(password, &c.password_hash),
        None => {
            let _ = hash_password(password);
            false
        }
    };
    let seen = seen(client, login);
    let Some(creds) = found.filter(|_| ok) else {
        failed(
            state,
            client,
            &rules,
            login,
            found_id,
            EventKind::AuditLoginFailed,
            seen,
        )
        .await?;
        return Err(ApiError::BadRequest("登录名或密码不正确".into()));
    };
    finish(state, client, &rules, creds, code, seen).await
}

/// The second step of a log-in in the browser: the code for `user`, whose
/// password was right.
pub(crate) async fn second_step(
    state: &AppState,
    client: &Client,
    user: duban_domain::org::UserId,
    code: &str,
) -> ApiResult<Step> {
    let rules = crate::security::rules(state).await?;
    let login = state.store.user(user).await?.login;
    throttle(state, client, &rules, &login)?;
    let found = state.store.credentials(&login).await?;
    refuse_locked(state, client, found.as_ref(), &login)?;
    let creds = found
        .filter(|c| c.user.active)
        .ok_or(ApiError::Unauthenticated)?;
    let seen = seen(client, &login);
    finish(state, client, &rules, creds, Some(code), seen).await
}

fn throttle(
    state: &AppState,
    client: &Client,
    rules: &crate::config::Accounts,
    login: &str,
) -> ApiResult<()> {
    if state
        .logins
        .allow(client.addr, rules.login_attempts_per_minute)
    {
        return Ok(());
    }
    tracing::warn!(addr = %client.addr, login, "log-in throttled");
    Err(ApiError::TooManyRequests(
        "登录尝试过于频繁，请一分钟后再试".into(),
    ))
}

fn refuse_locked(
    state: &AppState,
    client: &Client,
    found: Option<&duban_store::accounts::Credentials>,
    login: &str,
) -> ApiResult<()> {
    let now = chrono::Utc::now();
    let Some(until) = found.and_then(|c| c.locked_until).filter(|u| *u > now) else {
        return Ok(());
    };
    tracing::warn!(addr = %client.addr, login, "log-in to a locked account");
    let local = state.clock().local(until).format("%H:%M");
    Err(ApiError::Forbidden(format!(
        "该账号因连续登录失败已被锁定，请于 {local} 后再试，或请安全管理员解除锁定"
    )))
}

fn seen(client: &Client, login: &str) -> serde_json::Value {
    json!({
        "login": login,
        "addr": client.addr.to_string(),
        "user_agent": client.user_agent,
    })
}

/// A failed password or code: an audit entry, and a count towards the
/// lock of a known user.
async fn failed(
    state: &AppState,
    client: &Client,
    rules: &crate::config::Accounts,
    login: &str,
    user: Option<duban_domain::org::UserId>,
    action: EventKind,
    seen: serde_json::Value,
) -> ApiResult<()> {
    tracing::warn!(addr = %client.addr, login, action = action.code(), "log-in failed");
    state
        .store
        .audit(user, action, "user", user.unwrap_or(0), seen)
        .await?;
    if let Some(user) = user {
        let until = chrono::Utc::now() + chrono::Duration::minutes(rules.lock_minutes);
        if state
            .store
            .login_failed(user, rules.max_failed_logins, until)
            .await?
        {
            tracing::warn!(addr = %client.addr, login, "account locked");
        }
    }
    Ok(())
}

/// After the right password: the code of a second factor if the user has
/// one, then the session.
async fn finish(
    state: &AppState,
    client: &Client,
    rules: &crate::config::Accounts,
    creds: duban_store::accounts::Credentials,
    code: Option<&str>,
    mut seen: serde_json::Value,
) -> ApiResult<Step> {
    let id = creds.user.id;
    let has_totp = state.store.totp(id).await?.secret.is_some();
    if has_totp {
        let Some(code) = code else {
            return Ok(Step::NeedsCode(id));
        };
        if !crate::security::accept_code(state, id, code).await? {
            let login = creds.user.login.clone();
            failed(
                state,
                client,
                rules,
                &login,
                Some(id),
                EventKind::AuditTotpFailed,
                seen,
            )
            .await?;
            return Err(ApiError::BadRequest(
                "动态口令不正确或已使用过：请输入验证器上当前显示的 6 位数字".into(),
            ));
        }
    }
    seen["totp"] = json!(has_totp);
    state.store.login_succeeded(id).await?;
    state
        .store
        .audit(Some(id), EventKind::AuditLogin, "user", id, seen)
        .await?;
    let token = new_token();
    let csrf = new_token();
    let expires = chrono::Utc::now() + chrono::Duration::hours(state.config.session_hours);
    state
        .store
        .create_session(&token_hash(&token), id, &csrf, expires)
        .await?;
    Ok(Step::Started(Started {
        user: creds.user,
        token,
        csrf,
        expires,
        must_change: creds.must_change,
    }))
}

#[utoipa::path(
    delete,
    path = "/session",
    operation_id = "delete_api_v1_session",
    tag = "会话",
    summary = "退出登录",
    description = "删除当前会话。",
    responses(
        (status = 200, description = "已退出", body = crate::views::OkView),
        (status = 403, description = "缺少或错误的 CSRF 令牌", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    _me: Current,
) -> ApiResult<impl IntoResponse> {
    Ok((
        [end_session(&state, &headers).await?],
        Json(OkView { ok: true }),
    ))
}

#[utoipa::path(
    get,
    path = "/me",
    operation_id = "get_api_v1_me",
    tag = "会话",
    summary = "当前用户",
    description = "当前用户、CSRF 令牌，以及分管领导分管的单位。",
    responses(
        (status = 200, description = "当前用户", body = crate::views::MeView),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn me(State(state): State<AppState>, me: Current) -> ApiResult<Json<MeView>> {
    let oversees = if me.user.role == duban_domain::org::Role::Leader {
        crate::leaders::scope_data(&state, &me).await?.units
    } else {
        Vec::new()
    };
    Ok(Json(MeView {
        user: UserView::of(me.user),
        csrf: me.csrf,
        oversees,
    }))
}
