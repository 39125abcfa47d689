//! Logging in and out, and who am I.

use crate::auth::{
    end_session, hash_password, new_token, set_cookie, token_hash, verify_password, Current,
    SESSION_COOKIE,
};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::headers::Client;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).delete(logout))
        .route("/me", get(me))
}

#[derive(Deserialize)]
struct Login {
    login: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<Login>,
) -> ApiResult<impl IntoResponse> {
    let started = start(&state, &client, &body.login, &body.password).await?;
    Ok((
        [(header::SET_COOKIE, started.cookie(&state))],
        Json(json!({
            "user": started.user,
            "csrf": started.csrf,
            "expires_at": started.expires,
            "must_change_password": started.must_change,
        })),
    ))
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

/// Checks a log-in and password and starts a session. An address past its
/// attempts per minute is refused before anything is checked; a locked
/// account is refused even with the right password; a wrong password counts
/// towards the lock. Every failure is logged with the address.
pub(crate) async fn start(
    state: &AppState,
    client: &Client,
    login: &str,
    password: &str,
) -> ApiResult<Started> {
    let rules = &state.config.accounts;
    let login = login.trim();
    if !state
        .logins
        .allow(client.addr, rules.login_attempts_per_minute)
    {
        tracing::warn!(addr = %client.addr, login, "log-in throttled");
        return Err(ApiError::TooManyRequests(
            "登录尝试过于频繁，请一分钟后再试".into(),
        ));
    }
    let found = state.store.credentials(login).await?;
    let now = chrono::Utc::now();
    if let Some(until) = found
        .as_ref()
        .and_then(|c| c.locked_until)
        .filter(|u| *u > now)
    {
        tracing::warn!(addr = %client.addr, login, "log-in to a locked account");
        let local = state.clock().local(until).format("%H:%M");
        return Err(ApiError::Forbidden(format!(
            "该账号因连续登录失败已被锁定，请于 {local} 后再试，或请管理员重置密码"
        )));
    }
    let found_id = found.as_ref().map(|c| c.user.id);
    // Hash anyway when the user is unknown, so timing does not tell.
    let ok = match &found {
        Some(c) => c.user.active && verify_password(password, &c.password_hash),
        None => {
            let _ = hash_password(password);
            false
        }
    };
    let seen = serde_json::json!({
        "login": login,
        "addr": client.addr.to_string(),
        "user_agent": client.user_agent,
    });
    let Some(creds) = found.filter(|_| ok) else {
        tracing::warn!(addr = %client.addr, login, "log-in failed");
        let known = found_id;
        state
            .store
            .audit(None, "audit.login_failed", "user", known.unwrap_or(0), seen)
            .await?;
        if let Some(c) = state.store.credentials(login).await? {
            let until = now + chrono::Duration::minutes(rules.lock_minutes);
            if state
                .store
                .login_failed(c.user.id, rules.max_failed_logins, until)
                .await?
            {
                tracing::warn!(addr = %client.addr, login, "account locked");
            }
        }
        return Err(ApiError::BadRequest("登录名或密码不正确".into()));
    };
    state.store.login_succeeded(creds.user.id).await?;
    state
        .store
        .audit(
            Some(creds.user.id),
            "audit.login",
            "user",
            creds.user.id,
            seen,
        )
        .await?;
    let token = new_token();
    let csrf = new_token();
    let expires = now + chrono::Duration::hours(state.config.session_hours);
    state
        .store
        .create_session(&token_hash(&token), creds.user.id, &csrf, expires)
        .await?;
    Ok(Started {
        user: creds.user,
        token,
        csrf,
        expires,
        must_change: creds.must_change,
    })
}

async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    _me: Current,
) -> ApiResult<impl IntoResponse> {
    Ok((
        [end_session(&state, &headers).await?],
        Json(json!({ "ok": true })),
    ))
}

async fn me(State(state): State<AppState>, me: Current) -> ApiResult<impl IntoResponse> {
    let oversees = if me.user.role == duban_domain::org::Role::Leader {
        state.store.leader_scope(me.user.id).await?
    } else {
        Vec::new()
    };
    Ok(Json(
        json!({ "user": me.user, "csrf": me.csrf, "oversees": oversees }),
    ))
}
